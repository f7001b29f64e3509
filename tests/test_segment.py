from __future__ import annotations

import pytest

import khabar
from khabar.components.segment import split_clitics


def texts(doc: khabar.Doc, layer: str) -> list[str]:
    return [doc.span_text(s) for s in doc[layer]]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("انتهى الاجتماع. وبدأت المحادثات.", ["انتهى الاجتماع.", "وبدأت المحادثات."]),
        ("هل انتهى؟ نعم! انتهى", ["هل انتهى؟", "نعم!", "انتهى"]),
        # a full stop after a closing mark, glued to the next sentence
        ("وقال «نعم».وأضاف أنه سيعود", ["وقال «نعم».", "وأضاف أنه سيعود"]),
        # a full stop inside the marks
        ("وقال «انتهى الأمر.» ثم غادر", ["وقال «انتهى الأمر.»", "ثم غادر"]),
        ("ارتفع المؤشر 3.5 بالمئة اليوم", ["ارتفع المؤشر 3.5 بالمئة اليوم"]),
        ("سطر أول\nسطر ثان", ["سطر أول", "سطر ثان"]),
        ("انتظر... ثم تكلم", ["انتظر...", "ثم تكلم"]),
    ],
)
def test_segment_sentences(text: str, sentences: list[str]) -> None:
    assert texts(khabar.analyze(text), "sentences") == sentences


def test_segment_seed_has_13_sentences(seed_text: str) -> None:
    doc = khabar.analyze(seed_text)
    sentences = texts(doc, "sentences")
    assert len(sentences) == 13
    assert len(doc["paragraphs"]) == 1
    assert all(s.endswith((".", "».")) for s in sentences)


def test_segment_glued_words_become_two_tokens_in_original_offsets() -> None:
    text = "زار الوفد الولاياتالمتحدة أمس"
    doc = khabar.analyze(text)
    assert texts(doc, "tokens") == ["زار", "الوفد", "الولايات", "المتحدة", "أمس"]
    tok = doc["tokens"][3]
    assert (tok.start, tok.end) == (text.index("المتحدة"), text.index("المتحدة") + len("المتحدة"))


@pytest.mark.parametrize(
    ("token", "kind"),
    [("الوزير", "arabic"), ("2026", "number"), ("٣٫٥", "number"), ("Reuters", "latin"), ("،", "punct"),
     ("https://example.com/a", "url"), ("info@example.com", "email")],
)
def test_segment_token_kinds(token: str, kind: str) -> None:
    doc = khabar.analyze(f"قال {token} أمس")
    (tok,) = [t for t in doc["tokens"] if doc.span_text(t) == token]
    assert tok.attrs["kind"] == kind


def test_segment_tatweel_stays_inside_the_token_span() -> None:
    text = "قال الـوزير"
    doc = khabar.analyze(text)
    assert texts(doc, "tokens") == ["قال", "الـوزير"]


@pytest.mark.parametrize(
    ("token", "pieces"),
    [
        ("وبالولايات", [("و", "proclitic"), ("ب", "proclitic"), ("ال", "proclitic"), ("ولايات", "base")]),
        ("محادثاتهما", [("محادثات", "base"), ("هما", "enclitic")]),
        ("وسيعود", [("و", "proclitic"), ("س", "proclitic"), ("يعود", "base")]),
        ("للعاصمة", [("ل", "proclitic"), ("ل", "proclitic"), ("عاصمة", "base")]),
        ("كتاب", [("كتاب", "base")]),
    ],
)
def test_segment_clitic_split_words(token: str, pieces: list[tuple[str, str]]) -> None:
    got = [(token[s:e], role) for s, e, role, _form in split_clitics(token)]
    assert got == pieces


def test_segment_words_carry_the_underlying_form_of_the_hidden_article() -> None:
    doc = khabar.analyze("للعاصمة")
    words = doc["words"]
    assert [w.attrs.get("form") for w in words] == [None, "ال", None]
    assert "".join(doc.span_text(w) for w in words) == "للعاصمة"
