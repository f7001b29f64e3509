"""The dates layer: date expressions in the text, normalized relative to the article's date (issue 14)."""

from __future__ import annotations

import pytest

import khabar
from khabar.doc import Doc

TEXT = (
    "قال الوزير أمس إن الاجتماع الذي عقد يوم الخميس 23 يوليو 2015 كان مثمرا، "
    "وسيلتقي الوفد الأحد المقبل وغدا مع الخبراء. وفي 6 شوال 1436 هـ وصل الوفد الأول، "
    "وعاد الجمعة الماضي ثم سافر السبت. وقال اليوم إن الاتفاق قريب."
)


@pytest.fixture(scope="module")
def doc() -> Doc:
    return khabar.load(["dates"]).analyze(TEXT, {"date": "2015-07-25"})  # a Saturday


def values(doc: Doc) -> dict[str, object]:
    return {doc.text[s.start : s.end]: s.attrs.get("value") for s in doc["dates"]}


def test_dates_layer_offsets_are_original(doc: Doc) -> None:
    for s in doc["dates"]:
        assert s.label == "DATE" and doc.text[s.start : s.end] == s.to_dict(doc.text)["text"]
    assert doc.text == TEXT


def test_dates_layer_absolute_dates(doc: Doc) -> None:
    got = values(doc)
    assert got["الخميس 23 يوليو 2015"] == "2015-07-23"
    assert got["6 شوال 1436 هـ"] == "2015-07-22"


@pytest.mark.parametrize(
    ("expression", "iso"),
    [
        ("أمس", "2015-07-24"),
        ("اليوم", "2015-07-25"),
        ("غدا", "2015-07-26"),  # written وغدا: the و is left out
        ("الأحد المقبل", "2015-07-26"),
        ("الجمعة الماضي", "2015-07-24"),
        ("السبت", "2015-07-25"),  # a bare weekday: on or before the article's date
    ],
)
def test_dates_layer_relative_to_the_article(doc: Doc, expression: str, iso: str) -> None:
    assert values(doc)[expression] == iso


def test_dates_layer_without_article_date() -> None:
    doc = khabar.load(["dates"]).analyze("وصل الوفد أمس إلى جنيف في 23 تموز 2015.")
    got = values(doc)
    assert got["أمس"] is None and got["23 تموز 2015"] == "2015-07-23"


def test_dates_layer_in_default_pipeline_json() -> None:
    doc = khabar.load().analyze("أعلنت الحكومة أمس خطة جديدة للطاقة.", {"date": "٢٠١٥-٠٧-٢٢"})
    (span,) = doc.to_dict()["dates"]
    assert span["text"] == "أمس" and span["value"] == "2015-07-21"
