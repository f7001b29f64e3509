"""Exports never crash: Parquet and JSONL round-trips on documents whose referents have descriptions (issue 14)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import shared_path

import khabar
from khabar.cli.main import main
from khabar.doc import Doc
from khabar.store import Store
from khabar.store.analytics import export_jsonl

TEXT = (
    "قال وزير الخارجية الأمريكي جون كيري في مؤتمر صحفي إن المحادثات مستمرة. "
    "وأضاف كيري أن الاتفاق قريب، وإن الوفد سيعود إلى فيينا الأسبوع المقبل."
)


def _store(tmp_path: Path, *docs: Doc) -> Path:
    path = tmp_path / "news.db"
    with Store(path) as store:
        store.add_many(docs)
    return path


@pytest.fixture
def described(tmp_path: Path) -> tuple[Path, Doc]:
    doc = khabar.load().analyze(TEXT, {"id": "kerry", "title": "كيري: المحادثات مستمرة", "date": "2015-07-22"})
    assert any(r["descriptions"] for r in doc.to_dict()["referents"]), "the fixture needs a described referent"
    return _store(tmp_path, doc), doc


def test_export_parquet_roundtrip_with_descriptions(described: tuple[Path, Doc], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    db, doc = described
    out = tmp_path / "out.parquet"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 1
    row = table.to_pylist()[0]
    assert row["text"] == doc.text and row["ext_id"] == "kerry"
    expected = doc.to_dict()["referents"]
    got = {r["id"]: r for r in row["referents"]}
    for ref in expected:
        descriptions = got[ref["id"]]["descriptions"]
        assert [d["text"] for d in descriptions] == [d["text"] for d in ref["descriptions"]]
        for d in descriptions:
            assert doc.text[d["start"] : d["end"]] == d["text"]
    assert not (tmp_path / "out.parquet.part").exists()


def test_export_jsonl_roundtrip_with_descriptions(described: tuple[Path, Doc]) -> None:
    db, doc = described
    buf = io.StringIO()
    with Store.open_readonly(db) as store:
        assert export_jsonl(store, buf) == 1
    record = json.loads(buf.getvalue().splitlines()[0])
    assert record["text"] == doc.text
    assert record["referents"] == doc.to_dict()["referents"]


def test_export_parquet_failure_leaves_no_file(described: tuple[Path, Doc], tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    db, _doc = described
    out = tmp_path / "missing-dir" / "out.parquet"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 1 and "K425" in result.output
    assert not out.exists() and not out.with_name("out.parquet.part").exists()


def test_export_parquet_seed(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    text = shared_path("seed", "000_f7a595203ed4f7d3.txt").read_text(encoding="utf-8")
    db = _store(tmp_path, khabar.load().analyze(text, {"id": "seed"}))
    out = tmp_path / "seed.parquet"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).num_rows == 1
