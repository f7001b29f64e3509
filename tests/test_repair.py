from __future__ import annotations

import pytest

import khabar
from khabar.components.repair import pair_quotes
from khabar.offsets import OffsetMap, Replacement


def repaired(text: str) -> str:
    return khabar.analyze(text, components=["repair"]).repaired


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("الـعـربية", "العربية"),  # tatweel
        ("كلمة\u200bأخرى\u200f", "كلمةأخرى"),  # zero-width and bidi controls
        ("الأهرام &amp; الأخبار", "الأهرام & الأخبار"),
        ("سعر &#1587;", "سعر س"),
        ("ماذا حدث؟؟؟ لا!!!", "ماذا حدث؟ لا!"),
        ("وقال.....", "وقال..."),
        ("كلمة    أخرى\tثالثة", "كلمة أخرى ثالثة"),
        ("سطر\r\nسطر", "سطر\nسطر"),
        ("انتهى الاجتماع.وقال الوزير", "انتهى الاجتماع. وقال الوزير"),
        ("ارتفع بنسبة 3.5 بالمئة", "ارتفع بنسبة 3.5 بالمئة"),
        ("موقع www.example.com للأخبار", "موقع www.example.com للأخبار"),
        ("وقال الوزير :»نعمل بجد».وأضاف", "وقال الوزير : «نعمل بجد». وأضاف"),
        ("وأكد أن «التعاون مستمر «، مشيرا", "وأكد أن «التعاون مستمر»، مشيرا"),
        ("وقال«نعم»ثم غادر", "وقال «نعم» ثم غادر"),
        ("قال <br> الوزير", "قال \n الوزير"),
    ],
)
def test_repair_rules(raw: str, fixed: str) -> None:
    doc = khabar.analyze(raw, components=["repair"])
    assert doc.text == raw
    assert doc.repaired == fixed


def test_repair_leaves_egyptian_spelling_for_normalization() -> None:
    # فى for في is a spelling, not damage: matching folds it, repair does not rewrite it.
    assert repaired("وقال فى بيان") == "وقال فى بيان"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال «نعم» و«لا»", [(4, 8), (11, 14)]),
        ("قال »نعم« و»لا«", [(4, 8), (11, 14)]),  # both directions flipped
        ("قال »نعم» ثم «لا«", [(4, 8), (13, 16)]),
        ('قال "نعم" ثم "لا"', [(4, 8), (13, 16)]),
    ],
)
def test_repair_pairs_quote_marks_whatever_their_direction(text: str, expected: list[tuple[int, int]]) -> None:
    pairs = [(q.open, q.close) for q in pair_quotes(text)]
    assert pairs == expected


def test_repair_unclosed_quote_runs_to_paragraph_end() -> None:
    doc = khabar.analyze("قال «سنواصل العمل\nفقرة أخرى", components=["repair"])
    (pair,) = doc["quote_pairs"]
    assert pair.attrs["close"] is None
    assert doc.span_text(pair) == "«سنواصل العمل"


def test_repair_seed_pairs_twelve_guillemets_into_six_quotations(seed_text: str) -> None:
    doc = khabar.analyze(seed_text, components=["repair"])
    pairs = doc["quote_pairs"]
    assert len(pairs) == 6
    assert all(p.attrs["open"] and p.attrs["close"] for p in pairs)
    marks = sorted(i for p in pairs for i in (p.attrs["open"][0], p.attrs["close"][0]))
    assert marks == [i for i, ch in enumerate(seed_text) if ch in "«»"]
    # every quotation opens with « and closes with » in the repaired view
    assert doc.repaired.count("«") == 6 and doc.repaired.count("»") == 6
    assert "».و" not in doc.repaired


def test_repair_seed_restores_all_glued_words_and_nothing_else(seed_text: str) -> None:
    doc = khabar.analyze(seed_text, components=["repair"])
    glued = [e for e in doc.edits if e.rule == "glued_words"]
    assert len(glued) == 10
    assert "الولاياتالمتحدة" not in doc.repaired
    assert doc.repaired.count("الولايات المتحدة") == 7
    assert "إيران وكوريا" in doc.repaired
    # only spaces are inserted between letters: no other word is split
    assert all(e.start == e.end and e.replacement == " " for e in glued)
    only_glue, _ = OffsetMap.apply(seed_text, [Replacement(e.start, e.end, e.replacement) for e in glued])
    assert len(only_glue.split()) - len(seed_text.split()) == 10
