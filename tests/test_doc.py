from __future__ import annotations

import json

import pytest

import khabar
from khabar.doc import Doc, Edit, Span
from khabar.errors import InputError


def test_doc_text_is_read_only() -> None:
    doc = Doc("نص")
    with pytest.raises(AttributeError):
        doc.text = "آخر"  # type: ignore[misc]


def test_doc_json_has_the_public_contract_names() -> None:
    doc = khabar.analyze("قال الوزير فى بيان:«نعم».", meta={"id": "a1", "title": "عنوان"})
    out = json.loads(doc.to_json())
    assert out["schema"] == 1
    assert out["text"] == "قال الوزير فى بيان:«نعم»."
    assert out["meta"] == {"id": "a1", "title": "عنوان"}
    for key in ("edits", "repaired", "paragraphs", "sentences", "tokens", "words"):
        assert key in out
    for edit in out["edits"]:
        assert set(edit) == {"start", "end", "replacement", "rule"}
    for span in out["tokens"]:
        assert out["text"][span["start"] : span["end"]] == span["text"]


def test_doc_json_round_trips_losslessly() -> None:
    doc = khabar.analyze("وقال:»الولاياتالمتحدة« تدعم.\nفقرة ثانية")
    again = Doc.from_json(doc.to_json())
    assert again.to_json() == doc.to_json()
    assert again.repaired == doc.repaired
    assert again.layers == doc.layers


def test_doc_from_json_rejects_spans_that_do_not_match() -> None:
    obj = json.loads(khabar.analyze("نص قصير").to_json())
    obj["tokens"][0]["text"] = "غير"
    with pytest.raises(InputError) as info:
        Doc.from_dict(obj)
    assert info.value.code == "K112"


def test_doc_from_json_rejects_unknown_schema() -> None:
    with pytest.raises(InputError):
        Doc.from_json('{"schema": 99, "text": ""}')


def test_doc_rejects_overlapping_edits() -> None:
    doc = Doc("abcdef")
    with pytest.raises(ValueError):
        doc.set_edits([Edit(0, 3, "", "junk"), Edit(2, 4, "", "junk")])


def test_doc_span_from_repaired_maps_to_original() -> None:
    doc = Doc("الولاياتالمتحدة")
    doc.set_edits([Edit(8, 8, " ", "glued_words")])
    assert doc.repaired == "الولايات المتحدة"
    span = doc.span_from_repaired(9, 16)
    assert span == Span(8, 15)
    assert doc.span_text(span) == "المتحدة"
