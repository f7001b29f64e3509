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
    assert out["schema"] == 2
    assert out["text"] == "قال الوزير فى بيان:«نعم»."
    assert out["meta"] == {"id": "a1", "title": "عنوان"}
    for key in ("edits", "repaired", "paragraphs", "sentences", "tokens", "words"):
        assert key in out
    for edit in out["edits"]:
        assert set(edit) == {"start", "end", "replacement", "rule"}
    for span in out["sentences"]:
        assert out["text"][span["start"] : span["end"]] == span["text"]
    # tokens and words: a table of rows, no texts (issue 15: ~25 bytes a token instead of ~80)
    assert out["tokens"]["fields"] == ["start", "end", "kind", "sentence"]
    assert out["words"]["fields"] == ["start", "end", "token", "role"]
    rows = out["tokens"]["rows"]
    assert [out["text"][r[0] : r[1]] for r in rows][:2] == ["قال", "الوزير"]
    assert rows[0] == [0, 3, "arabic", 0]
    assert [out["text"][r[0] : r[1]] for r in rows] == [doc.span_text(t) for t in doc["tokens"]]


def test_doc_json_round_trips_losslessly() -> None:
    doc = khabar.analyze("وقال:»الولاياتالمتحدة« تدعم.\nفقرة ثانية\nللمحادثات")
    again = Doc.from_json(doc.to_json())
    assert again.to_json() == doc.to_json()
    assert again.repaired == doc.repaired
    assert again.layers == doc.layers
    assert any("form" in w.attrs for w in again["words"])  # the ال hidden in لل: an attribute not every word has


def test_doc_row_layers_keep_labels_and_uncommon_attributes() -> None:
    doc = Doc("أ ب ج")
    doc.layers["tokens"] = [
        Span(0, 1, "X", {"a": 1, "b": [0, 1]}),
        Span(2, 3, "", {"b": None}),
        Span(4, 5, "Y", {"b": {"c": 2}, "a": 3}),
    ]
    out = doc.to_dict()["tokens"]
    assert out == {
        "fields": ["start", "end", "label", "b"],
        "rows": [[0, 1, "X", [0, 1], {"a": 1}], [2, 3, "", None], [4, 5, "Y", {"c": 2}, {"a": 3}]],
    }
    again = Doc.from_json(doc.to_json())
    assert again["tokens"] == doc["tokens"]
    assert again.to_json() == doc.to_json() == "".join(doc.iter_json())
    empty = Doc("نص")
    empty.layers["words"] = []
    assert empty.to_dict()["words"] == {"fields": ["start", "end"], "rows": []}
    assert Doc.from_json(empty.to_json()).to_json() == empty.to_json()


def test_doc_reads_schema_1_json() -> None:
    # as stores written before schema 2 hold it: every layer as span objects with their texts
    old = {
        "schema": 1,
        "text": "قال الوزير",
        "meta": {"id": "old"},
        "edits": [],
        "repaired": "قال الوزير",
        "sentences": [{"start": 0, "end": 10, "text": "قال الوزير", "paragraph": 0}],
        "tokens": [
            {"start": 0, "end": 3, "text": "قال", "kind": "arabic", "sentence": 0},
            {"start": 4, "end": 10, "text": "الوزير", "kind": "arabic", "sentence": 0},
        ],
        "words": [
            {"start": 0, "end": 3, "text": "قال", "token": 0, "role": "base"},
            {"start": 4, "end": 10, "text": "الوزير", "token": 1, "role": "base"},
        ],
        "topic": "politics",
    }
    doc = Doc.from_json(json.dumps(old, ensure_ascii=False))
    assert [doc.span_text(t) for t in doc["tokens"]] == ["قال", "الوزير"]
    assert doc["words"][1] == Span(4, 10, "", {"token": 1, "role": "base"})
    assert doc.values["topic"] == "politics"
    new = json.loads(doc.to_json())
    assert new["schema"] == 2 and new["tokens"]["rows"] == [[0, 3, "arabic", 0], [4, 10, "arabic", 0]]
    assert Doc.from_dict(new).layers == doc.layers


def test_doc_indented_json_keeps_a_row_on_one_line() -> None:
    doc = khabar.analyze("قال الوزير: «نعم [1, 2]».\nفقرة", meta={"tags": ["[ a", "b ]\n"]})
    indented = doc.to_json(indent=2)
    assert json.loads(indented) == json.loads(doc.to_json())  # strings with brackets untouched
    assert '      [0, 3, "arabic", 0],\n' in indented
    assert '"fields": ["start", "end", "kind", "sentence"]' in indented


def test_doc_from_json_rejects_spans_that_do_not_match() -> None:
    obj = json.loads(khabar.analyze("نص قصير").to_json())
    obj["sentences"][0]["text"] = "غير"
    with pytest.raises(InputError) as info:
        Doc.from_dict(obj)
    assert info.value.code == "K112"


@pytest.mark.parametrize(
    "tokens",
    [
        {"fields": ["start", "end", "kind", "sentence"], "rows": [[0, 2, "arabic"]]},  # a value short
        {"fields": ["start", "end", "kind", "sentence"], "rows": [[0, 2, "arabic", 0, 5]]},  # not an object
        {"fields": ["end", "start"], "rows": [[2, 0]]},
        {"fields": ["start", "end"], "rows": [[0, 99]]},  # past the end of the text
        {"fields": ["start", "end"], "rows": [[2, 1]]},
        {"rows": []},
    ],
)
def test_doc_from_json_rejects_malformed_rows(tokens: dict[str, object]) -> None:
    obj = json.loads(khabar.analyze("نص قصير", components=["segment"]).to_json())
    obj["tokens"] = tokens
    with pytest.raises(InputError) as info:
        Doc.from_dict(obj)
    assert info.value.code == "K112"


def test_doc_from_json_rejects_unknown_schema() -> None:
    with pytest.raises(InputError) as info:
        Doc.from_json('{"schema": 99, "text": ""}')
    assert info.value.code == "K111"


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
