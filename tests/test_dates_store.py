"""Stored documents get ISO dates: the column, meta["date"]/["date_raw"], timeline, date: filter, exports."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import shared_path

import khabar
from khabar.cli.main import main
from khabar.store import Store, search
from khabar.store.analytics import counts_over_time, export_jsonl
from khabar.store.ingest import ingest

TEXTS = {
    "indic": ("قال المتحدث باسم الوزارة إن الاجتماع سيعقد في عمان.", "٢٠١٥-٠٧-٢٢"),
    "named": ("أعلنت الشركة عن نتائجها المالية للربع الثاني من العام.", "23 يوليو 2015"),
    "levant": ("افتتح المعرض الدولي للكتاب أبوابه أمام الزوار في بيروت.", "الخميس 23 تموز 2015"),
    "hijri": ("وصل الحجاج الأوائل إلى المدينة المنورة قادمين من آسيا.", "6 شوال 1436 هـ"),
    "vague": ("نشرت المجلة عددها الخاص عن الطاقة المتجددة في المنطقة.", "يوليو 2015"),
    "iso": ("استقبل المستشفى الجديد أول مرضاه بعد افتتاحه رسميا.", "2015-07-21 02:51:32"),
}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nlp = khabar.load(["repair"])
    path = tmp_path_factory.mktemp("dates") / "news.db"
    with Store(path) as store:
        store.add_many(nlp.analyze(text, {"id": key, "date": raw}) for key, (text, raw) in TEXTS.items())
    return path


def test_store_dates_are_iso(db_path: Path) -> None:
    with Store.open_readonly(db_path) as store:
        got = dict(store.execute("SELECT ext_id, date FROM documents"))
    assert got == {
        "indic": "2015-07-22",
        "named": "2015-07-23",
        "levant": "2015-07-23",
        "hijri": "2015-07-22",
        "vague": None,  # never an invented 2015-07-01
        "iso": "2015-07-21T02:51",
    }


def test_store_keeps_the_raw_date_in_meta(db_path: Path) -> None:
    with Store.open_readonly(db_path) as store:
        docs = {store.get(i).meta["id"]: store.get(i).meta for (i,) in store.execute("SELECT id FROM documents")}
    assert docs["indic"]["date"] == "2015-07-22" and docs["indic"]["date_raw"] == "٢٠١٥-٠٧-٢٢"
    assert "date" not in docs["vague"] and docs["vague"]["date_raw"] == "يوليو 2015"


def test_timeline_uses_iso_dates(db_path: Path) -> None:
    with Store.open_readonly(db_path) as store:
        assert counts_over_time(store, period="day") == [("2015-07-21", 1), ("2015-07-22", 2), ("2015-07-23", 2)]


def test_date_filter_uses_iso_dates(db_path: Path) -> None:
    with Store.open_readonly(db_path) as store:
        assert {h.ext_id for h in search(store, "date:2015-07-22")} == {"indic", "hijri"}
        assert {h.ext_id for h in search(store, "date:2015-07-22..2015-07-23")} == {"indic", "hijri", "named", "levant"}


def test_exports_carry_iso_dates(db_path: Path, tmp_path: Path) -> None:
    buf = io.StringIO()
    with Store.open_readonly(db_path) as store:
        export_jsonl(store, buf)
    metas = {m["id"]: m for m in (json.loads(line)["meta"] for line in buf.getvalue().splitlines())}
    assert metas["named"]["date"] == "2015-07-23" and metas["named"]["date_raw"] == "23 يوليو 2015"
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "d.parquet"
    assert (
        CliRunner()
        .invoke(main, ["export", "--db", str(db_path), "--format", "parquet", "--output", str(out)])
        .exit_code
        == 0
    )
    dates = dict(zip(pq.read_table(out).column("ext_id").to_pylist(), pq.read_table(out).column("date").to_pylist()))
    assert dates["levant"] == "2015-07-23" and dates["vague"] is None


def test_cli_timeline_day(db_path: Path) -> None:
    out = CliRunner().invoke(main, ["timeline", "--db", str(db_path), "--period", "day", "--format", "json"])
    assert out.exit_code == 0
    assert [r["period"] for r in json.loads(out.stdout)] == ["2015-07-21", "2015-07-22", "2015-07-23"]


def test_saudinewsnet_date_extracted_lands_in_the_timeline(tmp_path: Path) -> None:
    day = shared_path("data", "saudinewsnet", "dataset", "2015-07-21.zip")
    with zipfile.ZipFile(day) as z:
        records = json.loads(z.read(z.namelist()[0]))[:3]
    src = tmp_path / "three.json"  # a few records in a temporary file, never in the repository
    src.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "snn.db"
    ingest([str(src)], str(db), components=["repair"])
    with Store.open_readonly(db) as store:
        assert [p for p, _n in counts_over_time(store, period="day")] == ["2015-07-21"]
        assert all(d.startswith("2015-07-21T") for (d,) in store.execute("SELECT date FROM documents"))
