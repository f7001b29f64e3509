"""Hostile inputs (issue 15): each is built here, and each gets a coded error or a valid result.

Bombs small on disk, a FIFO, a /dev/zero link, records with lone surrogates, 100k unclosed and
100k stray quotation marks, 1 MB of punctuation, a NUL past the first 8 kB, an SVG. The tests
check behaviour and output size (linear in the input), never time; ``bench/bench_hostile.py``
prints the time and peak memory of each.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import fail_analysis_of

import khabar
from khabar.cli.main import main
from khabar.doc import Doc, Span
from khabar.errors import ConfigError, KhabarError, StoreError
from khabar.inputs import jsonl_records, read_article
from khabar.pipeline import MAX_WORK_CHARS, MAX_WORK_TOKENS
from khabar.store import Store
from khabar.store import ingest as ingest_module
from khabar.store.ingest import MAX_WORKERS, ingest, iter_records

SENTENCE = "قال الوزير إن المحادثات مستمرة في العاصمة. "
GOOD = [SENTENCE + f"وأضاف أن الجولة {n} تبدأ غدا." for n in range(3)]


def _codes(items: list[object]) -> list[str]:
    return [item.code for item in items if isinstance(item, KhabarError)]


def _check_spans(doc: Doc) -> None:
    for name, spans in doc.layers.items():
        for s in spans:
            assert 0 <= s.start <= s.end <= len(doc.text), name
    for name, items in doc.to_dict().items():
        if isinstance(items, dict) and "rows" in items:  # a row layer: [start, end, ...], no texts
            assert [row[:2] for row in items["rows"]] == [[s.start, s.end] for s in doc[name]], name
        if isinstance(items, list) and items and isinstance(items[0], dict) and "start" in items[0]:
            for item in items:
                if "text" in item:
                    assert doc.text[item["start"] : item["end"]] == item["text"], name


# ------------------------------------------------------------------ per-record errors
def _surrogate_jsonl(path: Path) -> Path:
    lines = [json.dumps({"text": t, "id": f"g{i}"}) for i, t in enumerate(GOOD)]
    # half an emoji, escaped as JSON allows: in the text and in the title
    lines.insert(1, '{"text": "' + SENTENCE + '\\ud83d", "title": "\\ude00 عنوان", "id": "cut"}')
    lines.insert(3, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hostile_surrogates_replaced_and_good_records_all_stored(tmp_path: Path) -> None:
    src = _surrogate_jsonl(tmp_path / "recs.jsonl")
    report = ingest([str(src)], str(tmp_path / "s.db"))
    assert report.added == 4 and report.failed == 1  # the three good ones, the cut one repaired; bad JSON K108
    assert "K108" in report.errors[0]
    with Store.open_readonly(tmp_path / "s.db") as store:
        texts = [row[0] for row in store.execute("SELECT text FROM documents")]
    assert any(t.endswith("\ufffd") for t in texts)


def test_hostile_surrogates_json_array(tmp_path: Path) -> None:
    src = tmp_path / "arr.json"
    src.write_text('[{"text": "' + SENTENCE + '\\ud800"}, {"text": "' + GOOD[0] + '"}]', encoding="utf-8")
    items = list(iter_records([str(src)]))
    assert not _codes(items)
    assert items[0].text.endswith("\ufffd") and "K113" in items[0].meta["warnings"][0]  # type: ignore[union-attr]
    assert ingest([str(src)], str(tmp_path / "s.db")).added == 2


def test_hostile_analyze_jsonl_keeps_one_line_per_record(tmp_path: Path) -> None:
    src = _surrogate_jsonl(tmp_path / "recs.jsonl")
    result = CliRunner().invoke(main, ["analyze", "--jsonl", str(src), "--components", "repair"])
    lines = result.stdout.splitlines()
    assert len(lines) == 5  # one output line per input line, in order
    parsed = [json.loads(line) for line in lines]
    assert parsed[1]["text"].endswith("\ufffd") and parsed[1]["meta"]["title"].startswith("\ufffd")
    assert parsed[3]["error"]["code"] == "K108"
    assert [p["meta"]["id"] for p in parsed if "meta" in p] == ["g0", "cut", "g1", "g2"]


def test_hostile_analyze_one_failing_article_does_not_stop_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "recs.jsonl"
    src.write_text("\n".join(json.dumps({"text": t}) for t in ["boom " + GOOD[0], GOOD[1]]) + "\n", encoding="utf-8")
    fail_analysis_of(monkeypatch, "boom")
    result = CliRunner().invoke(main, ["analyze", "--jsonl", str(src), "--components", "repair"])
    lines = result.stdout.splitlines()
    assert json.loads(lines[0])["error"]["code"] == "K172"
    assert json.loads(lines[1])["text"] == GOOD[1]
    assert result.exit_code == 1


# ------------------------------------------------------------------ bounded readers
def test_hostile_zip_bomb_refused_before_inflating(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("big.txt", "w") as f:
            for _ in range(48):
                f.write(b"\xd8\xa7" * (1 << 19))  # 48 MB of one Arabic letter
        z.writestr("ok.txt", GOOD[0])
    assert bomb.stat().st_size < 1_000_000
    items = list(iter_records([str(bomb)]))
    assert _codes(items) == ["K104"]
    assert [a.text for a in items if not isinstance(a, KhabarError)] == [GOOD[0]]  # type: ignore[union-attr]


def test_hostile_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb") as f:
        for _ in range(48):
            f.write(b"\xd8\xa7" * (1 << 19))
    assert _codes(list(iter_records([str(bomb)]))) == ["K104"]


def test_hostile_gzip_of_newlines_streams_lines(tmp_path: Path) -> None:
    src = tmp_path / "nl.jsonl.gz"
    with gzip.open(src, "wb") as f:
        for _ in range(32):
            f.write(b"\n" * (1 << 20))
        f.write(json.dumps({"text": GOOD[0]}).encode() + b"\n")
    items = list(iter_records([str(src)]))
    assert [a.text for a in items] == [GOOD[0]]  # type: ignore[union-attr]


def test_hostile_long_jsonl_line_is_one_error(tmp_path: Path) -> None:
    data = b'{"text": "' + b"a" * (3 << 20) + b'"}\n' + json.dumps({"text": GOOD[0]}).encode() + b"\n"
    items = list(jsonl_records(data, "x.jsonl", max_bytes=1000))
    assert _codes(items) == ["K104"] and items[1].text == GOOD[0]  # type: ignore[union-attr]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_hostile_fifo_and_dev_zero_refused_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a_fifo.txt")  # opening it would block forever
    (folder / "b_zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (folder / "c_good.txt").write_text(GOOD[0], encoding="utf-8")
    items = list(iter_records([str(folder)]))
    assert _codes(items) == ["K107", "K107"]
    assert items[2].text == GOOD[0]  # type: ignore[union-attr]
    result = CliRunner().invoke(main, ["analyze", str(folder / "b_zero.txt")])
    assert result.exit_code == 1 and "K107" in result.stderr
    report = ingest([str(folder)], str(tmp_path / "s.db"))
    assert (report.added, report.failed) == (1, 2)


def test_hostile_stdin_of_zeros_is_bounded() -> None:
    import io

    with pytest.raises(KhabarError) as info:
        read_article("-", max_bytes=1000, stdin=io.BytesIO(b"\0" * 10_000))
    assert info.value.code == "K104"


def test_hostile_nul_after_8kb_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "late_nul.txt"
    path.write_bytes((SENTENCE * 400).encode() + b"\x00" + SENTENCE.encode())
    with pytest.raises(KhabarError) as info:
        read_article(str(path))
    assert info.value.code == "K102"


def test_hostile_svg_is_not_an_article(tmp_path: Path) -> None:
    path = tmp_path / "logo.txt"
    path.write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><text>خبر</text></svg>', "utf-8")
    with pytest.raises(KhabarError) as info:
        read_article(str(path))
    assert info.value.code == "K102"


def test_hostile_workers_bounded(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        ingest([], str(tmp_path / "s.db"), workers=MAX_WORKERS + 1)
    assert info.value.code == "K304"


# ------------------------------------------------------------------ linear output and time
def _json_size(text: str) -> int:
    doc = khabar.analyze(text)
    _check_spans(doc)
    return len(doc.to_json().encode("utf-8"))


@pytest.mark.parametrize(
    ("unit", "per_mark"),
    [("«كلمة ", 20 * 11), ("كلمة» ", 20 * 11), ("» ", 200), ('"', 150)],
    ids=["unclosed", "stray-closing", "stray-closing-alone", "punctuation"],
)
def test_hostile_quote_marks_output_linear(unit: str, per_mark: int) -> None:
    small, large = unit * 2000, unit * 4000
    a, b = _json_size(small), _json_size(large)
    assert b <= 2.2 * a  # doubling the input at most doubles the output: nothing quadratic
    # a word and a mark (11 bytes): <= 20x. A mark alone is a token, a word, a pair row (~30 bytes
    # each) and for » an edit (~75 bytes): ~175 bytes for its 3, ~110 for a lone "
    assert b <= per_mark * 4000


@pytest.mark.parametrize(
    ("unit", "count"),
    [("«كلمة ", 100_000), ("كلمة» ", 100_000), ("«كلمة ", 49_000)],
    ids=["100k-unclosed", "100k-stray-closing", "49k-unclosed-all-analysed"],
)
def test_hostile_unclosed_and_stray_marks_json_within_20x(unit: str, count: int) -> None:
    text = unit * count
    doc = khabar.analyze(text)
    _check_spans(doc)
    out = doc.to_json().encode("utf-8")
    # 100k marks: 10x (a prefix analysed); 49k, just under the work budget: 18x
    assert len(out) <= 20 * len(text.encode("utf-8"))
    over_budget = len(doc["tokens"]) < 2 * count
    assert over_budget == any("K131" in w for w in doc.meta.get("warnings", []))  # over it: a prefix analysed
    assert Doc.from_json(out.decode("utf-8")).to_json() == out.decode("utf-8")


def test_hostile_1mb_of_punctuation() -> None:
    text = '"' * 1_000_000
    doc = khabar.analyze(text)
    assert doc.text == text
    assert len(doc["tokens"]) <= MAX_WORK_TOKENS + 1
    # 13x: the text written twice (text, repaired), each mark escaped; 100,000 marks analysed,
    # each a token row, a word row and half a pair row
    assert len(doc.to_json().encode("utf-8")) <= 20 * len(text)
    assert doc.meta["warnings"]


def test_hostile_long_article_analysed_on_a_prefix() -> None:
    text = (SENTENCE * 12 + "\n") * (3 * MAX_WORK_CHARS // (len(SENTENCE) * 12))
    doc = khabar.analyze(text)
    _check_spans(doc)
    assert doc.text == text and doc.repaired == text
    assert max(s.end for s in doc["tokens"]) <= MAX_WORK_CHARS
    assert len(doc.to_json().encode("utf-8")) <= 20 * len(text.encode("utf-8"))
    assert Doc.from_json(doc.to_json()).to_json() == doc.to_json()


def test_hostile_overlapping_span_texts_not_repeated() -> None:
    text = "«كلمة " * 20_000
    doc = Doc(text)
    # each unclosed mark's quotation runs to the end of the paragraph: 20,000 overlapping spans
    doc.layers["quotes"] = [Span(i, len(text)) for i in range(0, len(text), 6)]
    doc.layers["summary"] = [Span(0, len(text))]  # one span longer than any sentence of an article
    out = json.loads(doc.to_json())
    written = sum(len(q.get("text", "")) for q in out["quotes"])
    assert 0 < written <= 2 * len(text)
    assert all(doc.text[q["start"] : q["end"]] == q["text"] for q in out["quotes"] if "text" in q)
    assert "text" not in out["summary"][0]
    assert len(json.dumps(out, ensure_ascii=False).encode("utf-8")) <= 20 * len(text.encode("utf-8"))
    assert Doc.from_dict(out).layers == doc.layers


def test_hostile_paragraph_separator_breaks_paragraphs() -> None:
    doc = khabar.analyze(GOOD[0] + "\u2029" + GOOD[1], components=["segment"])
    assert [doc.span_text(p) for p in doc["paragraphs"]] == [GOOD[0], GOOD[1]]


def test_hostile_giant_token_not_memoised() -> None:
    from khabar.lang.ar import morph

    giant = "ب" * 10_000
    morph.segment_word(giant)
    morph.segment_word("والمحادثات")
    assert morph.segment_word.cache_info().currsize >= 1  # type: ignore[attr-defined]
    from khabar.memo import MAX_MEMO_CHARS

    assert MAX_MEMO_CHARS < len(giant)


# ------------------------------------------------------------------ store
def test_hostile_foreign_sqlite_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.code == "K414"
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["invoices"]


def _open_store(path: str) -> int:
    with Store(path) as store:
        return store.version


def test_hostile_concurrent_creation_migrates_once(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    path = str(tmp_path / "new.db")
    with ProcessPoolExecutor(4) as pool:
        versions = list(pool.map(_open_store, [path] * 8))
    assert len(set(versions)) == 1


def test_hostile_corrupt_store_is_a_coded_error(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    result = CliRunner().invoke(main, ["entities", "--db", str(path)])
    assert result.exit_code == 1 and "error K4" in result.stderr and "K999" not in result.stderr


def test_hostile_read_only_directory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    ingest([], str(folder / "s.db"))
    folder.chmod(0o555)
    try:
        with Store.open_readonly(folder / "s.db") as store:
            assert len(store) == 0
    finally:
        folder.chmod(0o755)


def _die(job: object) -> object:
    os._exit(9)  # a worker killed mid-article (OOM killer, kill -9)


def test_hostile_killed_worker_is_a_coded_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched worker needs fork")
    src = tmp_path / "recs.jsonl"
    src.write_text("\n".join(json.dumps({"text": t}) for t in GOOD) + "\n", encoding="utf-8")
    monkeypatch.setattr(ingest_module, "_analyze_and_prepare", _die)
    with pytest.raises(KhabarError) as info:
        ingest([str(src)], str(tmp_path / "s.db"), workers=2)
    assert info.value.code == "K173"
    monkeypatch.undo()
    assert ingest([str(src)], str(tmp_path / "s.db")).added == 3  # the rerun resumes


def test_hostile_long_span_text_left_out_of_json_is_in_the_parquet_export(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from khabar.doc import MAX_SPAN_TEXT_CHARS

    text = "قال الوزير إن المحادثات مستمرة " * (MAX_SPAN_TEXT_CHARS // 30)  # one sentence: no stop, no line break
    doc = khabar.analyze(text, {"id": "long"})
    (summary,) = doc.to_dict()["summary"]
    assert summary["end"] - summary["start"] > MAX_SPAN_TEXT_CHARS and "text" not in summary
    with Store(tmp_path / "s.db") as store:
        store.add(doc)
    out = tmp_path / "out.parquet"
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "s.db"), "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = pq.read_table(out).to_pylist()
    assert [s["text"] for s in row["summary"]] == [text[summary["start"] : summary["end"]]]
