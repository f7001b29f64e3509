"""The invariant of the data model, for every layer: spans slice back out of the original text."""

from __future__ import annotations

import itertools
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import khabar
from khabar.doc import ROW_LAYERS, Doc

# Pieces real scraped Arabic is made of: words (some glued), Latin, digits,
# punctuation, quote marks either way, diacritics, tatweel, invisible controls, newlines.
ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئ"
    "abcXYZ0123456789٠١٢٣۴۵"
    " ..،,؛:!؟?-()\"«»“”'&;#<>/"
    "\u064b\u064e\u064f\u0650\u0651\u0652\u0670"  # diacritics
    "\u0640"  # tatweel
    "\u200b\u200c\u200d\u200e\u200f\u202b\u202c\u2066\u2069\ufeff\u00a0"  # invisible / bidi
    "\n\r\t"
)
FRAGMENTS = ["الولاياتالمتحدة", "فى", "».و", "&amp;", "&#1587;", "<br>", "...", "!!!", "  ", "3.5", "www.x.com"]

# CI=true runs 5,000 examples of each property (the "ci" profile); locally a few hundred keep it fast.
settings.register_profile("ci", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def examples(local: int) -> int:
    """``local`` examples on a workstation, 5,000 in CI."""
    return 5000 if IN_CI else local


texts = st.lists(st.one_of(st.text(alphabet=ALPHABET, max_size=12), st.sampled_from(FRAGMENTS)), max_size=25).map("".join)


def check_doc(doc: Doc, original: str) -> None:
    assert doc.text == original, "the original text must never change"
    prev = 0
    for e in doc.edits:
        assert 0 <= e.start <= e.end <= len(original)
        assert e.start >= prev
        prev = e.end
    for name, spans in doc.layers.items():
        for s in spans:
            assert 0 <= s.start <= s.end <= len(original), (name, s)
            assert doc.span_text(s) == original[s.start : s.end]
    out = doc.to_dict()
    for name in doc.layers:
        if name in ROW_LAYERS:  # rows [start, end, ...] without texts
            assert [row[:2] for row in out[name]["rows"]] == [[s.start, s.end] for s in doc[name]], name
            continue
        for item in out[name]:
            # a long span's text may be left out once the layer repeats the document (doc.SPAN_TEXT_SLACK)
            assert original[item["start"] : item["end"]] == item.get("text", original[item["start"] : item["end"]]), name
    # Tokens and words are never empty, never overlap, and words sit inside their token.
    tokens = doc["tokens"]
    for a, b in itertools.pairwise(tokens):
        assert a.end <= b.start
    for w in doc["words"]:
        tok = tokens[w.attrs["token"]]
        assert tok.start <= w.start <= w.end <= tok.end
    for s in doc["sentences"] + doc["paragraphs"] + tokens:
        assert s.end > s.start
    assert Doc.from_json(doc.to_json()).to_json() == doc.to_json()
    assert "".join(doc.iter_json()) == doc.to_json()  # the streamed JSON is the same JSON


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_properties_every_layer_slices_back(text: str) -> None:
    check_doc(khabar.analyze(text), text)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_properties_normalized_view_maps_into_original(text: str) -> None:
    doc = khabar.analyze(text, components=["repair"])
    folded, mapping = doc.normalized()
    for i in range(len(folded) + 1):
        for j in (i, min(i + 3, len(folded))):
            s, e = mapping.span_to_original(i, j)
            assert 0 <= s <= e <= len(text)


def test_properties_seed_every_layer_slices_back(seed_text: str) -> None:
    check_doc(khabar.analyze(seed_text), seed_text)
