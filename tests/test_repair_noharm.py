"""Repair does no harm: correct text comes back unchanged, metadata is decoded, and no space
lands inside a word (the no-harm gate over untouched SaudiNewsNet articles)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from conftest import REPO, shared_path

import khabar
from khabar.components import repair
from khabar.doc import Doc
from khabar.inputs import Article, article_from_bytes, clean_meta, clean_meta_value, jsonl_records

# Correct sentences that a careless rule would damage: proclitics written onto quotation marks
# (with and without tatweel), rare words that split into two known words, hamza inside words,
# abbreviations, Hijri and Gregorian dates, decimals, web addresses.
CORRECT = [
    "وقال مصدر مطلع لـ«الوطن» إن المفاوضات ستستأنف و«لن تتوقف» قبل نهاية الشهر.",
    'وأكد أن الـ"فار" حسم الهدف الثاني، وأن اللجنة ستنظر في الـ"فيديو" غدا.',
    "يضمحل دور الوسطاء كلما اشتد الخلاف، وتضمحل معه فرص التسوية.",
    "استظل العمال بالأشجار من حر الظهيرة، ثم ارتحلوا إلى القرية المجاورة.",
    "وتحدث أ.د.سالم عن مسألة الطمأنينة في الشأن العام.",
    "صدر الكتاب عام 1398 هـ الموافق 1978 م، وأعيد طبعه في 1436هـ.",
    "ارتفع المؤشر بنسبة 2.5 بالمئة، حسب موقع www.example.org للأخبار.",
    "سألت الطالبة: «هل تتساءلون عن النتائج؟» فأجاب المعلم ب«نعم».",
    "تأكيدات الوزارة جاءت بعد أن طمأنت الأهالي بشأن المياه.",
]


@pytest.mark.parametrize("text", CORRECT)
def test_repair_noharm_correct_text_is_left_alone(text: str) -> None:
    doc = khabar.analyze(text, components=["repair"])
    # only tatweel goes (لـ«الوطن» reads ل«الوطن»); nothing is inserted, nothing else changes
    assert all(e.rule == "junk" and set(text[e.start : e.end]) == {"\u0640"} for e in doc.edits), [
        (e.rule, text[e.start - 3 : e.end + 3]) for e in doc.edits
    ]
    assert doc.repaired == text.replace("\u0640«", "«").replace('\u0640"', '"')  # هـ keeps its tatweel


def _inside_word(text: str, pos: int) -> bool:
    return 0 < pos < len(text) and text[pos - 1].isalpha() and text[pos].isalpha()


@pytest.mark.parametrize("text", CORRECT)
def test_repair_noharm_inserts_no_space_inside_a_word(text: str) -> None:
    # the same sentences with one space lost between two words: no space lands inside a word
    gaps = [i for i in range(1, len(text) - 1) if text[i] == " " and _inside_word(text.replace(" ", "x"), i)]
    gap = gaps[len(gaps) // 2]
    glued = text[:gap] + text[gap + 1 :]
    for e in repair.predict(Doc(glued))[0]:
        if " " in e.replacement and e.start == e.end:
            original = e.start if e.start <= gap else e.start + 1
            assert original == gap or not _inside_word(text, original), (e, glued[e.start - 5 : e.start + 5])


# --- metadata --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  &quot;الحصاد&quot; اليومي \n", '"الحصاد" اليومي'),
        ("&#8220;رسالة&#8221; من الميدان", "“رسالة” من الميدان"),
        ("&#x201C;رسالة&#x201D;", "“رسالة”"),
        ("الأخبار &amp;amp; التقارير", "الأخبار & التقارير"),  # escaped twice
        ("&amp;quot;عنوان&amp;quot;", '"عنوان"'),
        ("&#1605;&#1581;&#1605;&#1583; &#1587;&#1593;&#1610;&#1583;", "محمد سعيد"),
        ("بلا كيانات", "بلا كيانات"),
        ("Q&A مع الوزير", "Q&A مع الوزير"),  # a bare & is text
    ],
)
def test_repair_noharm_meta_value_is_decoded_and_trimmed(raw: str, clean: str) -> None:
    assert clean_meta_value(raw) == clean


def test_repair_noharm_clean_meta_keeps_ids_and_other_values() -> None:
    meta = {"id": " a&amp;b ", "title": " &quot;س&quot; ", "year": 2015, "tags": ["&amp;"]}
    assert clean_meta(meta) == {"id": " a&amp;b ", "title": '"س"', "year": 2015, "tags": ["&amp;"]}


def test_repair_noharm_jsonl_metadata_is_decoded() -> None:
    record = {
        "text": "نص الخبر",
        "id": "n&amp;1",
        "title": " &#8220;اتفاق&#8221; جديد ",
        "author": "&#1605;&#1581;&#1605;&#1583;&nbsp;",
        "source": "الشروق &amp; الأهرام",
    }
    (article,) = list(jsonl_records(json.dumps(record).encode("utf-8"), "test.jsonl"))
    assert isinstance(article, Article)
    assert article.text == "نص الخبر"
    assert article.meta == {"id": "n&amp;1", "title": "“اتفاق” جديد", "author": "محمد", "source": "الشروق & الأهرام"}


def test_repair_noharm_html_page_title_is_decoded() -> None:
    page = (
        "<!DOCTYPE html><html><head><title> أخبار &amp;amp; تقارير </title></head>"
        "<body><p>قال الوزير إن المشروع سيكتمل في العام المقبل.</p></body></html>"
    )
    article = article_from_bytes(page.encode("utf-8"), "page.html")
    assert article.meta["title"] == "أخبار & تقارير"


# --- the no-harm gate on real articles -------------------------------------------------------------

GATE_ARTICLES = 400
GATE_SEED = 2015  # bench/bench_repair_noharm.py's default sample, cut short


@pytest.mark.shared
@pytest.mark.slow
def test_repair_noharm_gate_on_saudinewsnet() -> None:
    data = shared_path("data", "saudinewsnet").parent
    shared_path("data", "ant-multisource-v2.1", "train.trec.gz")
    sys.path.insert(0, str(Path(REPO) / "bench"))
    try:
        import bench_repair_noharm as noharm
    finally:
        sys.path.pop(0)
    counts = noharm.ant_counts(data)
    pool = noharm.load_articles(data)
    chosen = sorted(random.Random(GATE_SEED).sample(range(len(pool)), GATE_ARTICLES))
    harms = []
    added = 0
    for idx in chosen:
        text = pool[idx]
        edits, _pairs = repair.predict(Doc(text))
        for e, start, end in noharm.added_spaces(text, edits):
            added += 1
            left, right, context = noharm.word_around(text, start, end)
            if noharm.harm_word(left, right, counts, 20) is not None:
                harms.append((e.rule, context))
    assert added > 0  # the sample does need repairs: the gate measures something
    assert harms == []
