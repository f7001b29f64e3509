"""Tests for khabar.store.analytics: referents, quotations, co-occurrence, time series, export."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import khabar
from khabar.doc import Doc
from khabar.errors import StoreError
from khabar.store import Store
from khabar.store.analytics import cooccurrence, counts_over_time, export_jsonl, quotes_by, top_referents

ARTICLES = [
    (
        'قال الرئيس الأمريكي جو بايدن إن الولايات المتحدة ستدعم مصر. وأضاف بايدن: "نحن ملتزمون بالسلام في الشرق الأوسط".',
        {"id": "a1", "title": "بايدن ومصر", "date": "2024-03-01", "source": "رويترز"},
    ),
    (
        "أكد الرئيس المصري عبد الفتاح السيسي أن مصر ترفض التهجير. وقال السيسي إن فرنسا شريك مهم.",
        {"id": "a2", "title": "السيسي", "date": "2024-03-15", "source": "الأهرام"},
    ),
    (
        "قال الرئيس الأمريكى جو بايدن إن مصر وفرنسا شريكان. وزار بايدن فرنسا أمس.",
        {"id": "a3", "title": "زيارة", "date": "2024-04-02", "source": "الجزيرة"},
    ),
    (
        "فاز المنتخب المصري على نظيره التونسي في القاهرة.",
        {"id": "a4", "title": "مباراة", "date": "2023-11-20", "source": "الأهرام"},
    ),
]


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    nlp = khabar.load()
    return [nlp.analyze(text, meta) for text, meta in ARTICLES]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory, docs: list[Doc]) -> Path:
    path = tmp_path_factory.mktemp("analytics") / "news.db"
    with Store(path) as store:
        for doc in docs:
            store.add(doc)
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    reader = Store.open_readonly(db_path)
    yield reader
    reader.close()


def _ext_ids(store: Store, name: str) -> set[str]:
    """ext_ids of the documents with a referent whose folded name is ``name`` (the fixture's ground truth)."""
    rows = store.execute(
        "SELECT DISTINCT d.ext_id FROM referents r JOIN documents d ON d.id = r.doc_id WHERE r.norm_name = ?",
        (name,),
    )
    return {str(r[0]) for r in rows}


def test_top_referents(store: Store) -> None:
    rows = top_referents(store)
    assert rows and all(set(r) == {"id", "name", "label", "mentions", "documents"} for r in rows)
    by_name = {r["name"]: r for r in rows}
    egypt_docs = _ext_ids(store, "مصر")
    assert len(egypt_docs) >= 2
    assert by_name["مصر"]["documents"] == len(egypt_docs)
    assert by_name["مصر"]["label"] == "LOC"
    assert rows[0]["documents"] == max(r["documents"] for r in rows)
    keys = [(-r["documents"], -r["mentions"]) for r in rows]
    assert keys == sorted(keys)
    # a person merged across two articles, with the short mentions counted
    biden = by_name.get("جو بايدن")
    if biden is not None:
        assert biden["label"] == "PERS"
        assert biden["documents"] == len(_ext_ids(store, "جو بايدن"))
        assert biden["mentions"] >= biden["documents"]


def test_top_referents_label_and_limit(store: Store) -> None:
    people = top_referents(store, label="pers")
    assert people and all(r["label"] == "PERS" for r in people)
    assert len(top_referents(store, limit=1)) == 1
    with pytest.raises(StoreError) as unknown:  # an unknown label is an error naming the labels, not []
        top_referents(store, label="NOPE")
    assert unknown.value.code == "K424" and "PERS" in (unknown.value.hint or "")
    with pytest.raises(StoreError) as err:
        top_referents(store, limit=0)
    assert err.value.code == "K421" and err.value.hint


def test_quotes_by(store: Store, docs: list[Doc]) -> None:
    keys = {"doc_id", "ext_id", "date", "kind", "speaker", "cue", "text"}
    texts = {str(d.meta["id"]): d.text for d in docs}
    all_quotes = store.execute("SELECT count(*) FROM quotes").fetchone()[0]
    if not all_quotes:
        pytest.skip("the quote model found no quotations")
    rows = quotes_by(store, "بايدن")
    assert rows
    for row in quotes_by(store, "السيسي") + rows:
        assert set(row) == keys
        assert row["text"] and row["text"] in texts[row["ext_id"]]
    assert all(r["ext_id"] in {"a1", "a3"} for r in rows)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    about = quotes_by(store, "بايدن", about="فرنسا")
    assert all(r["ext_id"] == "a3" for r in about)
    assert len(about) <= len(rows)
    assert quotes_by(store, "بايدن", about="السيسي") == []
    assert quotes_by(store, "نابليون") == []
    assert len(quotes_by(store, "بايدن", limit=1)) <= 1
    with pytest.raises(StoreError) as err:
        quotes_by(store, "  ")
    assert err.value.code == "K423"


def test_cooccurrence(store: Store) -> None:
    rows = cooccurrence(store, "فرنسا")
    assert rows and all(set(r) == {"id", "name", "label", "documents"} for r in rows)
    names = {r["name"]: r["documents"] for r in rows}
    assert "فرنسا" not in names
    france = _ext_ids(store, "فرنسا")
    assert names.get("مصر") == len(france & _ext_ids(store, "مصر"))
    assert "القاهرة" not in names  # only in the sport article
    counts = [r["documents"] for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert cooccurrence(store, "نابليون") == []


def test_counts_over_time(store: Store) -> None:
    assert counts_over_time(store) == [("2023-11", 1), ("2024-03", 2), ("2024-04", 1)]
    assert counts_over_time(store, period="year") == [("2023", 1), ("2024", 3)]
    days = counts_over_time(store, period="day")
    assert [d for d, _ in days] == ["2023-11-20", "2024-03-01", "2024-03-15", "2024-04-02"]
    egypt = counts_over_time(store, "مصر", "year")
    assert egypt == [("2024", len(_ext_ids(store, "مصر")))]
    assert counts_over_time(store, "نابليون") == []
    with pytest.raises(StoreError) as err:
        counts_over_time(store, period="week")
    assert err.value.code == "K422" and "month" in err.value.hint


def test_export_jsonl_round_trips(store: Store, docs: list[Doc]) -> None:
    out = io.StringIO()
    assert export_jsonl(store, out) == len(docs)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(docs)
    for line, doc in zip(lines, docs, strict=True):
        back = Doc.from_json(line)
        assert back.to_dict() == doc.to_dict()
        assert json.loads(line)["meta"]["id"] == doc.meta["id"]


def test_export_jsonl_empty_store(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.db") as empty:
        out = io.StringIO()
        assert export_jsonl(empty, out) == 0
        assert out.getvalue() == ""
