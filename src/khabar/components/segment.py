"""Segmentation: paragraphs, sentences, tokens and clitic-split words.

All work happens on the repaired view (so a glued ``الولاياتالمتحدة`` gives two
tokens) and every span is mapped back to original offsets. A token is a
surface unit (``وبالولايات`` is one token); its words are the clitics and the
base split off it (``و`` + ``ب`` + ``ال`` + ``ولايات``), as in stanza's
token/word distinction.
"""

from __future__ import annotations

import re

from khabar.doc import Doc, Span
from khabar.gcpause import gc_paused
from khabar.lang.ar import abbreviations, morph
from khabar.lang.ar.chars import (
    ARABIC_DIGITS,
    CLOSE_BRACKETS,
    DIACRITIC_RANGES,
    LETTER_RANGES,
    PERSIAN_DIGITS,
    QUOTE_MARKS,
    SENTENCE_END,
    TATWEEL,
)
from khabar.memo import short_memo
from khabar.slots import maker4

# _word_layout's part of the cache budget: 4 x KHABAR_MEMO_MAXSIZE. Its entries are small and a miss
# is a full morphological analysis: over 2,000 articles 84% of the words it is asked are held at 4x
# against 68% at 1x; repair + segment 4-6% faster in turns with the 1x tree (bench/bench_throughput.py), for
# ~20 MB more per process (bench/bench_memory.py: 213 MB over 3,000 articles, ingest --workers 2 425 MB PSS)
LAYOUT_SHARE = 4

NAME = "segment"

_DIGIT = f"0-9{ARABIC_DIGITS}{PERSIAN_DIGITS}"
_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<url>(?:https?://|www\.)[^\s\u00ab\u00bb\"<>]+[^\s\u00ab\u00bb\"<>.,;:!?\u060c\u061f)])",
            r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
            rf"(?P<number>[{_DIGIT}]+(?:[.,\u066b\u066c][{_DIGIT}]+)*%?)",
            rf"(?P<arabic>[{LETTER_RANGES}][{LETTER_RANGES}{DIACRITIC_RANGES}{TATWEEL}]*)",
            r"(?P<latin>[^\W\d_](?:[^\W_]|['\u2019-](?=[^\W\d_]))*)",
            r"(?P<punct>\.{2,}|[^\s\w]|_)",
        ]
    )
)
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
# A sentence ends at final punctuation, plus any closing marks and further
# final punctuation glued to it (``».``, ``.»``, ``?!``).
_SENTENCE_END = re.compile(
    rf"(?:\.{{2,}}|[{re.escape(SENTENCE_END)}])(?:[{re.escape(SENTENCE_END + QUOTE_MARKS + CLOSE_BRACKETS)}])*"
)
_LATIN_ABBREV = re.compile(r"(?:\b[A-Za-z]|\b(?:Mr|Mrs|Dr|Prof|St|No|vs|etc|Inc|Ltd|Co))$")
_CONTEXT = 48  # characters either side of a stop that decide whether it closes an abbreviation
# ي is not among them: the ي that ends names and nisba adjectives (فهمي، خاتمي، سيدني) is far
# commoner in news than the possessive "my", so the words layer keeps it in the base.
_ENCLITICS = frozenset({"ه", "ها", "هما", "هم", "هن", "ك", "كما", "كم", "كن", "ني", "نا"})


def _sentence_ends(text: str, start: int, end: int) -> list[int]:
    """Positions (in ``text``) just after each sentence end inside ``text[start:end]``."""
    ends = []
    for m in _SENTENCE_END.finditer(text, start, end):
        after = m.end()
        if after < end and not text[after].isspace():
            continue  # "3.5", "www.x", "U.S" inside a word: not an end
        if m.group().rstrip(CLOSE_BRACKETS) == ".":  # a stop (maybe inside brackets): an abbreviation?
            if m.group() == "." and _LATIN_ABBREV.search(text[max(start, m.start() - 5) : m.start()]):
                continue
            lo = max(start, m.start() - _CONTEXT)
            while start < lo < m.start() and not text[lo - 1].isspace():
                lo += 1  # begin the context at a token boundary
            # the context after starts at the stop itself, so ".)" reads as a stop before ")"
            following = text[m.start() + 1 : min(end, after + _CONTEXT)]
            if abbreviations.closes_abbreviation(text[lo : m.start()], following):
                continue  # د. ماجد، ص. 12، محمد ع. السيد
        ends.append(after)
    return ends


def tokenize(text: str) -> list[tuple[str, str]]:
    """``(token, kind)`` for each token of ``text``, kinds as in the ``tokens`` layer (arabic, number, punct...)."""
    return [(m.group(), m.lastgroup or "punct") for m in _TOKEN.finditer(text)]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@short_memo(maxsize=200_000)  # tokens over MAX_MEMO_CHARS are not memoised
def split_clitics(token: str) -> tuple[tuple[int, int, str, str], ...]:
    """Clitic split of one token: (start, end, role, underlying form) pieces tiling it.

    Roles: ``proclitic`` (و ف ب ل ك س ال), ``base``, ``enclitic`` (attached pronouns).
    The form of a base before a pronoun is its word-final spelling (``وزارتها`` ->
    ``وزارة`` + ``ها``); the article assimilated in ``للقاء`` is an empty piece.
    """
    pieces: list[tuple[int, int, str, str]] = []
    base: list[morph.Morph] = []
    for m in morph.segment_word(token):
        kind = m.kind
        if kind == "prefix":
            if base:
                pieces.append(_base_piece(base, False))
                base = []
            pieces.append((m.start, m.end, "proclitic", m.form))
        elif kind == "suffix" and base and m.form in _ENCLITICS:
            pieces.append(_base_piece(base, True))
            base = []
            pieces.append((m.start, m.end, "enclitic", m.form))
        elif kind == "suffix" and pieces and pieces[-1][2] == "enclitic":
            # e.g. a second pronoun piece: keep it with the previous enclitic
            s, _e, role, form = pieces.pop()
            pieces.append((s, m.end, role, form + m.form))
        else:
            base.append(m)
    if base:
        pieces.append(_base_piece(base, False))
    return tuple(pieces)


def _base_piece(base: list[morph.Morph], before_pronoun: bool) -> tuple[int, int, str, str]:
    """The base piece of the morphs ``base`` (one or more, contiguous)."""
    form = base[0].form if len(base) == 1 else "".join([m.form for m in base])
    if before_pronoun:  # وزارت+ها: the base is وزارة
        form = morph.word_final_form(form)
    return (base[0].start, base[-1].end, "base", form)


_split_clitics = split_clitics.__wrapped__  # type: ignore[attr-defined]  # (functools.wraps)


@short_memo(maxsize=200_000, share=LAYOUT_SHARE)  # tokens over MAX_MEMO_CHARS are not memoised
def _word_layout(token: str) -> tuple[tuple[int, int, str, str | None], ...]:
    """``split_clitics`` with the form kept only where it differs from the surface."""
    # split_clitics' own cache is passed by: this one holds the same tokens (segment_word's
    # cache, which NER reads too, stays in the way)
    return tuple([(s, e, role, None if form == token[s:e] else form) for s, e, role, form in _split_clitics(token)])


@gc_paused  # the layers' Spans and new cache entries all outlive the call (see khabar.gcpause)
def predict(doc: Doc) -> dict[str, list[Span]]:
    """Paragraphs, sentences, tokens and words of ``doc`` in original offsets."""
    return _predict(doc)


# Span(start, end, label, attrs) by setting its slots (khabar.slots: half the CPU, half a million spans)
_make_span = maker4(Span)


def _identity_runs(doc: Doc) -> list[tuple[int, int, int]]:
    """``(start, end, shift)`` of each stretch of the repaired view that no edit touches, in order:
    repaired offset + shift = original offset there (as ``OffsetMap.apply`` lays out its pieces)."""
    runs = []
    pos = dpos = 0  # in the original, in the repaired view
    for e in doc.edits:
        if e.start > pos:
            runs.append((dpos, dpos + e.start - pos, pos - dpos))
            dpos += e.start - pos
        dpos += len(e.replacement)
        pos = e.end
    if pos < len(doc.text):
        runs.append((dpos, dpos + len(doc.text) - pos, pos - dpos))
    return runs


def _predict(doc: Doc) -> dict[str, list[Span]]:
    text = doc.repaired
    to_orig = doc.repaired_map.span_to_original
    paragraphs: list[Span] = []
    sentences: list[Span] = []
    tokens: list[Span] = []
    words: list[Span] = []
    for para in _PARAGRAPH.finditer(text):
        p_start, p_end = _trimmed(text, para.start(), para.end())
        paragraphs.append(Span(*to_orig(p_start, p_end)))
        s_start = p_start
        for s_end in [*_sentence_ends(text, p_start, p_end), p_end]:
            a, b = _trimmed(text, s_start, s_end)
            if b > a:
                sentences.append(Span(*to_orig(a, b), "", {"paragraph": len(paragraphs) - 1}))
            s_start = s_end
    sentence_starts = [s.start for s in sentences]
    n_sentences = len(sentence_starts)
    sent_i = 0
    next_sentence = sentence_starts[1] if n_sentences > 1 else -1  # -1: in the last sentence
    original = doc.text
    # A token inside an untouched stretch maps by a shift (span_to_original would say the same,
    # after a bisection); tokens come in order, so one index walks the stretches
    runs = _identity_runs(doc)
    runs.append((len(text) + 1, len(text) + 1, 0))  # (a sentinel: no token starts after the text)
    no_edits = not doc.edits  # the repaired view is the original: offsets map to themselves
    run_i = 0
    run_start, run_end, shift = runs[0]
    layouts: dict[str, tuple[tuple[int, int, str, str | None], ...]] = {}  # tokens recur within an article
    get_layout = layouts.get
    span = _make_span
    add_token = tokens.append
    add_word = words.append
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        offset, m_end = m.span()
        while run_end <= offset:
            run_i += 1
            run_start, run_end, shift = runs[run_i]
        if run_start <= offset and m_end <= run_end:
            o_start, o_end = offset + shift, m_end + shift
        else:
            o_start, o_end = to_orig(offset, m_end)
        while 0 <= next_sentence <= o_start:
            sent_i += 1
            next_sentence = sentence_starts[sent_i + 1] if sent_i + 1 < n_sentences else -1
        tok_i = len(tokens)
        add_token(span(o_start, o_end, "", {"kind": kind, "sentence": sent_i}))
        if kind != "arabic":
            add_word(span(o_start, o_end, "", {"token": tok_i, "role": "base"}))
            continue
        surface = m.group()
        layout = get_layout(surface)
        if layout is None:
            layout = layouts[surface] = _word_layout(surface)
        unchanged = o_end - o_start == m_end - offset  # no edit inside the token: offsets shift
        # an edit inside the token (tatweel dropped, presentation forms folded): every word whose
        # original letters read otherwise carries its form, so readers of doc.text see the letters
        if no_edits or (unchanged and original.startswith(surface, o_start)):
            for s, e, role, form in layout:
                if form is None:
                    add_word(span(o_start + s, o_start + e, "", {"token": tok_i, "role": role}))
                else:
                    add_word(span(o_start + s, o_start + e, "", {"token": tok_i, "role": role, "form": form}))
            continue
        for s, e, role, form in layout:
            if unchanged:
                w_start, w_end = o_start + s, o_start + e
            else:
                w_start, w_end = to_orig(offset + s, offset + e)
            attrs: dict[str, object] = {"token": tok_i, "role": role}
            if form is None and original[w_start:w_end] != surface[s:e]:
                form = surface[s:e]
            if form is not None:
                attrs["form"] = form
            add_word(span(w_start, w_end, "", attrs))
    return {"paragraphs": paragraphs, "sentences": sentences, "tokens": tokens, "words": words}


def set_annotations(doc: Doc, layers: dict[str, list[Span]]) -> None:
    """Store the four layers on ``doc``."""
    doc.layers.update(layers)


def segment(doc: Doc) -> Doc:
    """Run the component on ``doc`` and return it."""
    set_annotations(doc, predict(doc))
    return doc
