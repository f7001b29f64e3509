"""Quotations: who said what, as spans over the original text.

Three kinds of quotation go to the ``quotes`` layer:

- ``direct``: words inside quotation marks (the marks are excluded from the span),
  or after ``قال: ...`` with no marks;
- ``indirect``: a paraphrase after a speech verb, ``قال إن ...``, ``أشار إلى أن ...``,
  ``تعهدت الحكومة بـ...``, ``وبحسب المصدر، فإن ...``;
- ``mixed``: an indirect quotation with a quoted fragment inside (the fragment is
  not listed again on its own).

Each span carries ``kind``, ``cue`` (the speech verb or source phrase) and
``speaker``: the subject after the verb (VSO, ``وقال بومبيو``), the name after a
title (``المتحدثة باسم البيت الأبيض، سارة ساندرز``), the words before a bare colon
(``الوزير: «...»``), the phrase after ``بحسب``; or, for ``وأضاف``, ``مشيرة إلى أن``
and unattributed quotations, the most recent speaker whose gender agrees with the
verb (``implicit: true``, with the span of the latest earlier mention). Entities
and their referents are used when present, never required.

The work is one pass over the tokens with dictionary look-ups (the speech verbs, their
prepositions and prepositional complements are data in ``khabar/data/speech_verbs.tsv``,
read by :mod:`khabar.lang.ar.speech`), so the cost stays linear in the article length.
Indirect quotations also come from prepositional complements of directive and accusing verbs
(``دعا إلى``, ``حث على``, ``اتهم بـ``); speakers are never prepositional or honorific pronouns
(``قال لي``, ``أكدت فيه``, ``وقال سموه``): those resolve to the issuer of a statement or to
the speaker before.

The component is split by step: :mod:`.view` (the token view and quotation-mark pairs),
:mod:`.frames` (cues and explicit speakers), :mod:`.content` (quotation spans and
kinds) and :mod:`.speakers` (implicit speakers and referents); this module holds the
component's public API.
"""

from __future__ import annotations

from khabar.components.quotes.content import MAX_SUBJECT_WORDS, MIN_UNCUED_WORDS, _find_quotes
from khabar.components.quotes.frames import MAX_SPEAKER_WORDS, MAX_WINDOW, _frames
from khabar.components.quotes.speakers import _resolve
from khabar.components.quotes.view import SHORT_QUOTE, _View
from khabar.doc import Doc, Span
from khabar.gcpause import gc_paused

__all__ = [
    "MAX_SPEAKER_WORDS",
    "MAX_SUBJECT_WORDS",
    "MAX_WINDOW",
    "MIN_UNCUED_WORDS",
    "NAME",
    "SHORT_QUOTE",
    "find_quotes",
    "predict",
    "set_annotations",
]

NAME = "quotes"


@gc_paused
def predict(doc: Doc) -> list[Span]:
    """The quotations of ``doc`` (segmented; entities and referents used when present)."""
    if not doc["tokens"]:
        return []
    v = _View(doc)
    frames = _frames(v)
    quotes = _find_quotes(v, frames)
    speakers = _resolve(v, quotes, frames)
    spans: list[Span] = []
    for q, speaker in zip(quotes, speakers, strict=True):
        cue = None if q.cue is None else {"start": q.cue[0], "end": q.cue[1], "text": doc.text[q.cue[0] : q.cue[1]]}
        spans.append(Span(q.start, q.end, "", {"kind": q.kind, "cue": cue, "speaker": speaker}))
    return spans


def set_annotations(doc: Doc, spans: list[Span]) -> None:
    """Store the ``quotes`` layer on ``doc``."""
    doc.layers["quotes"] = spans


def find_quotes(doc: Doc) -> Doc:
    """Run the component on ``doc`` and return it."""
    set_annotations(doc, predict(doc))
    return doc
