"""The Spark job (khabar.spark, ``khabar spark``) and ``khabar ingest`` of its Parquet (issue 16).

Needs ``khabar[spark]`` and Java: skipped with the reason when either is absent, except under CI=true
where they must be there. One local[2] SparkSession serves the whole module (a JVM start is the
expensive part); the Python workers it starts load the pipeline once and are reused by every job.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import shared_path

from khabar.cli.main import main
from khabar.errors import ConfigError
from khabar.inputs import clean_meta
from khabar.pipeline import Pipeline
from khabar.store.rows import unpack_doc_json

pytestmark = pytest.mark.spark

#: sentences written for these tests (not copied from any corpus)
GOOD = [
    {"id": "g1", "title": "اجتماع &quot;الوزراء&quot;", "date": "2015-07-21", "text": "قال الوزير محمد العلي إن الاجتماع في الرياض كان ناجحا، وأضاف: \"سنواصل العمل معا\"."},
    {"id": "g2", "source": "اختبار", "text": "أعلنت وزارة الصحة في جدة عن افتتاح مستشفى جديد يوم الأحد بحضور الأمير خالد."},
    {"id": "g3", "text": "فاز فريق الهلال على النصر بهدفين مقابل هدف في مباراة أقيمت مساء أمس في الرياض."},
]


def _need_spark() -> None:
    from khabar.spark import require_spark

    try:
        require_spark()
    except ConfigError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the Spark tests cannot run: {exc.one_line()}")
        pytest.skip(f"pyspark or Java is absent ({exc.one_line()})")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    _need_spark()
    from khabar.spark import spark_session

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = spark_session("local[2]", app_name="khabar-tests", shuffle_partitions=2)
    yield session
    session.stop()


def _analyze_jsonl_lines(path: Path) -> list[str]:
    """The stdout lines of ``khabar analyze --jsonl PATH`` (one a record, error lines included)."""
    result = CliRunner().invoke(main, ["analyze", "--jsonl", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.stdout.splitlines()


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def test_spark_gives_the_doc_json_of_khabar_analyze_on_2000_saudinewsnet_articles(spark: Any, tmp_path: Path) -> None:
    from khabar.spark import analyze

    day = shared_path("data", "saudinewsnet", "dataset", "2015-07-21.zip")
    with zipfile.ZipFile(day) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".json"))
        articles = json.loads(zf.read(name))[:2000]
    # the records as `khabar ingest` reads a SaudiNewsNet array (text from content, date from date_extracted)
    records = [
        {
            "id": f"{name}:{i}",
            **{k: a[k] for k in ("title", "source", "url", "author") if a.get(k) is not None},
            "date": a["date_extracted"],
            "text": a["content"],
        }
        for i, a in enumerate(articles)
    ]
    path = _write_jsonl(tmp_path / "day.jsonl", records)
    expected = _analyze_jsonl_lines(path)
    assert len(expected) == len(records) == 2000

    rows = analyze(spark.read.json(str(path))).select("id", "doc_json", "error").collect()
    got = {r["id"]: r for r in rows}
    assert len(rows) == len(got) == 2000
    mismatched, errors = [], 0
    for record, line in zip(records, expected, strict=True):
        want = json.loads(line)
        row = got[record["id"]]
        if "error" in want:
            errors += 1
            assert row["doc_json"] is None
            assert row["error"].startswith(f"error {want['error']['code']}:"), (record["id"], row["error"])
        elif row["error"] is not None or json.loads(row["doc_json"]) != want:
            mismatched.append(record["id"])
    assert not mismatched, f"{len(mismatched)} records differ, first {mismatched[:5]}"
    assert errors < 200  # the day's empty articles only


def test_a_bad_record_is_an_error_row_and_the_others_are_analysed(spark: Any) -> None:
    from khabar.spark import ANALYSIS_COLUMNS, analyze

    batch = [
        GOOD[0],
        {"id": "empty", "text": "  \n "},
        GOOD[1],
        {"id": "nul", "text": "نص فيه\x00صفر"},
        {"id": "none", "text": None},
        GOOD[2],
    ]
    df = spark.createDataFrame(batch, "id string, title string, date string, source string, text string")
    out = analyze(df).collect()
    assert [r["id"] for r in out] == [r["id"] for r in batch]  # one row a record, in order
    assert list(out[0].asDict())[-len(ANALYSIS_COLUMNS) :] == list(ANALYSIS_COLUMNS)
    by_id = {r["id"]: r for r in out}
    for bad, code in (("empty", "K101"), ("nul", "K102"), ("none", "K109")):
        row = by_id[bad]
        assert row["error"].startswith(f"error {code}: record {bad} ")
        assert "(hint: " in row["error"] and "\n" not in row["error"]
        assert row["doc_json"] is None and row["entities"] is None
    nlp = Pipeline()
    for record in GOOD:
        row = by_id[record["id"]]
        assert row["error"] is None
        want = nlp.analyze(record["text"], clean_meta({k: v for k, v in record.items() if k != "text"}))
        assert json.loads(row["doc_json"]) == json.loads(want.to_json())
        # the flat columns are the Parquet export's
        assert [(e["start"], e["end"], e["label"]) for e in row["entities"]] == [
            (e.start, e.end, e.label) for e in want["entities"]
        ]
        assert row["topic"] == want.values.get("topic")
        for e in row["entities"]:
            assert record["text"][e["start"] : e["end"]] == e["text"]
    assert "سنواصل العمل معا" in [q["text"] for q in by_id["g1"]["quotes"]]


def test_analyze_checks_its_arguments_before_any_job(spark: Any) -> None:
    from khabar.spark import analyze

    df = spark.createDataFrame([GOOD[2]], "id string, text string")
    with pytest.raises(ConfigError) as missing:
        analyze(df, text_col="body")
    assert missing.value.code == "K307"
    with pytest.raises(ConfigError) as taken:
        analyze(df.withColumnRenamed("id", "topic"))
    assert taken.value.code == "K307" and "topic" in taken.value.message
    with pytest.raises(ConfigError) as unknown:
        analyze(df, components=["nosuch"])
    assert unknown.value.code == "K301"


def _store_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (``added_at`` left out, Doc JSON parsed: its key order may differ)."""
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in tables:
        cur = con.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cur.description]
        rows = []
        for row in cur:
            values = dict(zip(names, row, strict=True))
            values.pop("added_at", None)
            if "doc_json" in values:
                values["doc_json"] = json.loads(unpack_doc_json(values["doc_json"]))
            rows.append(tuple(sorted((k, json.dumps(v, sort_keys=True, default=repr)) for k, v in values.items())))
        out[table] = sorted(rows)
    con.close()
    return out


def test_khabar_spark_then_ingest_stores_what_ingesting_the_jsonl_stores(spark: Any, tmp_path: Path) -> None:
    records = _write_jsonl(tmp_path / "records.jsonl", [*GOOD, {"id": "empty", "text": ""}])
    with records.open("a", encoding="utf-8") as f:
        f.write("this line is not JSON\n")
    out = tmp_path / "analysed.parquet"
    runner = CliRunner()
    result = runner.invoke(main, ["spark", str(records), str(out), "--master", "local[2]"])
    assert result.exit_code == 1, result.output  # the line that is not JSON failed (K108); the empty one is K101
    assert "error K108:" in result.stderr and "3 analysed, 2 failed" in result.stderr
    assert (out / "_SUCCESS").exists()
    again = runner.invoke(main, ["spark", str(records), str(out)])
    assert again.exit_code == 1 and "error K308:" in again.stderr

    via_spark = runner.invoke(main, ["ingest", str(out), "--db", str(tmp_path / "spark.db")])
    direct = runner.invoke(main, ["ingest", str(records), "--db", str(tmp_path / "direct.db")])
    assert "3 added, 0 already stored, 1 failed, 1 empty" in via_spark.stderr, via_spark.stderr
    assert "3 added, 0 already stored, 1 failed, 1 empty" in direct.stderr, direct.stderr
    spark_rows, direct_rows = _store_rows(tmp_path / "spark.db"), _store_rows(tmp_path / "direct.db")
    assert spark_rows.keys() == direct_rows.keys()
    for table in direct_rows:
        assert spark_rows[table] == direct_rows[table], table
    assert len(direct_rows["documents"]) == 3


def test_khabar_spark_reads_a_folder_of_text_and_html(spark: Any, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD[1]["text"], encoding="utf-8")
    (folder / "b.html").write_text(
        "<!DOCTYPE html><html><head><title>خبر الرياضة</title></head><body><article><h1>خبر الرياضة</h1>"
        f"<p>{GOOD[2]['text']}</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "c.txt").write_bytes(b"caf\xe9 \xfa not utf-8")
    out = tmp_path / "files.parquet"
    result = CliRunner().invoke(main, ["spark", str(folder), str(out)])
    assert result.exit_code == 1 and "error K103:" in result.stderr, result.output
    import pyarrow.parquet as pq

    rows = {r["id"]: r for r in pq.read_table(out).to_pylist()}
    assert set(rows) == {f"{folder}/a.txt", f"{folder}/b.html", f"{folder}/c.txt"}
    assert rows[f"{folder}/c.txt"]["error"].startswith("error K103:")
    for name in ("a.txt", "b.html"):
        expected = CliRunner().invoke(main, ["analyze", "--format", "json", str(folder / name)])
        assert json.loads(rows[f"{folder}/{name}"]["doc_json"]) == json.loads(expected.stdout)
    assert rows[f"{folder}/b.html"]["title"] == "خبر الرياضة"


def test_khabar_spark_without_pyspark_is_one_coded_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pyspark(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    result = CliRunner().invoke(main, ["spark", str(tmp_path / "in.jsonl"), str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error K305: khabar spark needs pyspark, which is not installed (hint: pip install 'khabar[spark]')"


def test_khabar_spark_without_java_is_one_coded_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _need_spark()  # pyspark present: what is missing is Java
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no java on it
    result = CliRunner().invoke(main, ["spark", str(tmp_path / "in.jsonl"), str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error K306: khabar spark needs Java") and "openjdk-17-jre-headless" in result.stderr


def test_ingest_of_a_parquet_without_doc_json_is_one_coded_line(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow (khabar[parquet]) is not installed")
    import pyarrow.parquet as pq

    path = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"id": ["x"], "text": [GOOD[2]["text"]]}), path)
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1
    assert f"error K174: {path} has no doc_json column" in result.stderr
    assert "0 added, 0 already stored, 1 failed" in result.stderr


def test_ingest_stores_doc_json_rows_without_analysing_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow (khabar[parquet]) is not installed")
    import pyarrow.parquet as pq

    docs = [Pipeline(["repair"]).analyze(r["text"], {"id": r["id"]}) for r in GOOD[:2]]
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "_SUCCESS").write_bytes(b"")
    pq.write_table(
        pa.table({
            "id": ["g1", "g2", "bad"],
            "doc_json": [docs[0].to_json(), docs[1].to_json(), None],
            "error": [None, None, "error K109: record bad has no string field 'text' (hint: give it one)"],
        }),
        folder / "part-0.parquet",
    )

    def no_analysis(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("ingest analysed a record that came with its Doc JSON")

    monkeypatch.setattr(Pipeline, "analyze", no_analysis)
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1  # the error row is that record's failure, with its line
    assert "error K109: record bad has no string field 'text' (hint: give it one)" in result.stderr
    assert "2 added, 0 already stored, 1 failed" in result.stderr
    con = sqlite3.connect(tmp_path / "s.db")
    stored = con.execute("SELECT ext_id, doc_json FROM documents ORDER BY id").fetchall()
    assert [(ext, json.loads(unpack_doc_json(blob))) for ext, blob in stored] == [
        (d.meta["id"], json.loads(d.to_json())) for d in docs
    ]
