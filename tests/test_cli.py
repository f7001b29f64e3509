"""The CLI end to end, as a user runs it (a real subprocess), including bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli.main import main
from khabar.doc import Doc

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "examples" / "article.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "khabar", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "400"},  # wide enough that no phrase is wrapped
    )


def assert_clean_error(proc: subprocess.CompletedProcess[bytes], code: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error")]
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error {code}:") and "hint:" in lines[0]


@pytest.mark.parametrize(
    "command",
    [[], ["analyze"], ["repair"], ["segment"], ["tag"], ["summarize"], ["eval"], ["eval", "ner"], ["eval", "summary"], ["eval", "topics"], ["quotes"], ["eval", "quotes"], ["ingest"], ["search"], ["entities"], ["related"], ["timeline"], ["export"], ["serve"]],
)
def test_cli_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_cli_analyze_sample_readable() -> None:
    proc = run("analyze", str(SAMPLE))
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    assert "sentences" in out and "repaired text" in out
    assert "الصحة\u2423العالمية" in out  # the restored space of a glued word, shown as ␣


def test_cli_analyze_json_is_the_doc() -> None:
    proc = run("analyze", "--format", "json", str(SAMPLE))
    doc = json.loads(proc.stdout)
    assert doc["schema"] == 2
    assert Doc.from_dict(doc).to_dict() == doc  # the indented JSON reads back as the same Doc
    assert doc["text"] == SAMPLE.read_text(encoding="utf-8")
    assert len(doc["paragraphs"]) == 2
    assert len(doc["quote_pairs"]["rows"]) == 3


def test_cli_analyze_directory_gives_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("قال الوزير إن الاجتماع انتهى.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("وصل الوفد إلى القاهرة. وبدأت المحادثات.", encoding="utf-8")
    proc = run("analyze", "--format", "json", str(tmp_path))
    lines = proc.stdout.decode().splitlines()
    assert proc.returncode == 0
    assert [len(json.loads(line)["sentences"]) for line in lines] == [1, 2]


def test_cli_analyze_jsonl_batch_contract_passes_meta_through() -> None:
    records = [
        {"id": "x1", "title": "عنوان", "date": "2026-01-02", "source": "test", "text": "قال الوزير.وأضاف المتحدث"},
        {"id": "x2", "text": "خبر ثان"},
    ]
    stdin = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    proc = run("analyze", "--jsonl", "-", "--components", "repair", stdin=stdin)
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert proc.returncode == 0
    assert out[0]["meta"] == {"id": "x1", "title": "عنوان", "date": "2026-01-02", "source": "test"}
    assert out[0]["repaired"] == "قال الوزير. وأضاف المتحدث"
    assert "sentences" not in out[0]  # only what was asked for
    assert out[1]["meta"] == {"id": "x2"}


def test_cli_analyze_jsonl_bad_line_keeps_alignment() -> None:
    stdin = b'{"text": "\xd9\x86\xd8\xb5"}\nnot json\n{"id": 3}\n'
    proc = run("analyze", "--jsonl", "-", stdin=stdin)
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert proc.returncode == 1
    assert len(out) == 3
    assert out[1]["error"]["code"] == "K108" and out[2]["error"]["code"] == "K109"
    assert "Traceback" not in proc.stderr.decode()


def test_cli_unknown_component_is_a_clean_error() -> None:
    proc = run("analyze", "--components", "nosuch", str(SAMPLE))
    assert_clean_error(proc, "K301")


def test_cli_repair_prints_only_the_repaired_text() -> None:
    proc = run("repair", "-", stdin="زار الوزير الولاياتالمتحدة».وقال".encode())
    assert proc.returncode == 0
    assert proc.stdout.decode() == "زار الوزير الولايات المتحدة». وقال\n"


def test_cli_segment_keeps_line_count() -> None:
    stdin = "والتلفزيون ترشيحاتها\n\nللبيت .\n".encode()
    proc = run("segment", "--scheme", "farasa", "-", stdin=stdin)
    lines = proc.stdout.decode().split("\n")
    assert proc.returncode == 0
    assert lines[:3] == ["و+ال+تلفزيون ترشيح+ات+ها", "", "ل+ال+بيت ."]


# ------------------------------------------------------------------ bad input
def test_cli_bad_input_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    assert_clean_error(run("analyze", str(f)), "K101")


def test_cli_bad_input_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "image.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert_clean_error(run("analyze", str(f)), "K102")


def test_cli_bad_input_invalid_utf8(tmp_path: Path) -> None:
    f = tmp_path / "cp1256.txt"
    f.write_bytes("قال الوزير".encode("cp1256"))
    assert_clean_error(run("analyze", str(f)), "K103")


def test_cli_bad_input_50_mb_file(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    line = ("قال الوزير فى بيان إن المحادثات مستمرة. " * 50 + "\n").encode()
    with f.open("wb") as out:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            out.write(line)
    assert f.stat().st_size >= 50 * 1024 * 1024
    assert_clean_error(run("analyze", str(f)), "K104")


def test_cli_bad_input_directory_with_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("خبر سليم.", encoding="utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing-target")
    locked = tmp_path / "locked.txt"
    locked.write_text("خبر مقفل.", encoding="utf-8")
    locked.chmod(0)
    proc = run("analyze", "--format", "json", str(tmp_path))
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert "Traceback" not in err
    assert "dangling.txt" in err
    docs = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert "خبر سليم." in [d["text"] for d in docs]  # the readable file is still analysed
    if os.geteuid() != 0:  # root reads a mode-000 file anyway
        assert "locked.txt: permission denied" in err


def test_cli_bad_input_missing_file() -> None:
    assert_clean_error(run("analyze", "/nonexistent/article.txt"), "K106")


def test_cli_html_page_gives_its_visible_text(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(
        "<!DOCTYPE html><html><head><title>خبر</title><script>var x=1;</script></head>"
        "<body><p>قال الوزير فى بيان إن الاجتماع انتهى.</p><p>وأضاف أن المحادثات مستمرة.</p></body></html>",
        encoding="utf-8",
    )
    proc = run("analyze", "--format", "json", str(f))
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0
    assert doc["text"] == "قال الوزير فى بيان إن الاجتماع انتهى.\nوأضاف أن المحادثات مستمرة."
    assert doc["meta"]["extracted_from"] == "html" and doc["meta"]["title"] == "خبر"
    assert len(doc["sentences"]) == 2


def test_cli_english_text_is_a_valid_result_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "en.txt"
    f.write_text("The minister said talks would continue. Nothing else was agreed.", encoding="utf-8")
    proc = run("analyze", "--format", "json", str(f))
    assert proc.returncode == 0
    assert "warning K120" in proc.stderr.decode()
    assert len(json.loads(proc.stdout)["sentences"]) == 2


def test_cli_tag_keeps_tokens_and_sentence_breaks() -> None:
    conll = "قال O\nالرئيس O\nالفرنسى O\n\nوصل O\nالوفد O\nإلى O\nباريس B-LOC\n.\tO\n"
    proc = run("tag", "--format", "conll", "-", stdin=conll.encode())
    assert proc.returncode == 0, proc.stderr.decode()
    blocks = proc.stdout.decode().strip("\n").split("\n\n")
    assert [[line.split(" ")[0] for line in b.split("\n")] for b in blocks] == [
        ["قال", "الرئيس", "الفرنسى"],
        ["وصل", "الوفد", "إلى", "باريس", "."],
    ]
    for block in blocks:
        for line in block.split("\n"):
            assert line.split(" ")[1] in {"O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"}


def test_cli_tag_malformed_conll_names_the_line() -> None:
    proc = run("tag", "-", stdin="قال O\nباريس X-LOC\n".encode())
    assert_clean_error(proc, "K130")
    assert ":2" in proc.stderr.decode()


def test_cli_summarize_prints_whole_sentences() -> None:
    proc = run("summarize", "--sentences", "2", str(SAMPLE))
    lines = proc.stdout.decode().splitlines()
    assert proc.returncode == 0
    assert len(lines) == 2
    assert all(line in SAMPLE.read_text(encoding="utf-8") for line in lines)


def test_cli_quotes_lists_speakers() -> None:
    proc = run("quotes", "--format", "jsonl", str(SAMPLE))
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert proc.returncode == 0, proc.stderr.decode()
    text = SAMPLE.read_text(encoding="utf-8")
    assert any(r["kind"] == "direct" for r in rows)
    for r in rows:
        assert text[r["start"] : r["end"]] == r["text"]
        if r["speaker"]:
            assert text[r["speaker"]["start"] : r["speaker"]["end"]] == r["speaker"]["text"]


def test_cli_ingest_is_idempotent_and_search_finds_folded_forms(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    first = run("ingest", str(SAMPLE), "--db", db)
    again = run("ingest", str(SAMPLE), "--db", db)
    assert first.returncode == 0 and again.returncode == 0, first.stderr.decode()
    assert "1 added, 0 already stored" in first.stderr.decode()
    assert "0 added, 1 already stored" in again.stderr.decode()
    hits = json.loads(run("search", "المتحدة", "--db", db, "--format", "json").stdout)  # glued in the source
    assert len(hits) == 1
    assert json.loads(run("search", "في الاردن", "--db", db, "--format", "json").stdout)  # فى / الأردن folded
    bad = run("search", '"غير مغلق', "--db", db)
    assert_clean_error(bad, "K404")


def test_cli_corpus_analytics(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    assert run("ingest", str(SAMPLE), "--db", db).returncode == 0
    ents = json.loads(run("entities", "--db", db, "--format", "json").stdout)
    assert ents and all({"name", "label", "mentions", "documents"} <= set(e) for e in ents)
    out = tmp_path / "corpus.jsonl"
    proc = run("export", "--db", db, "--output", str(out))
    assert proc.returncode == 0 and "exported 1 documents" in proc.stderr.decode()
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["text"] == SAMPLE.read_text(encoding="utf-8")
    speaker = run("quotes", "--speaker", "وزير", "--db", db, "--format", "jsonl")
    assert speaker.returncode == 0, speaker.stderr.decode()


DATED = [
    {"id": "a1", "date": "2024-01-05", "title": "قمة", "text": "التقى الرئيس الفرنسى إيمانويل ماكرون المستشار الألمانى فى برلين أمس لبحث أزمة الطاقة."},
    {"id": "a2", "date": "2024-01-20", "title": "طاقة", "text": "وقال ماكرون فى باريس إن فرنسا وألمانيا ستعملان معا لخفض أسعار الكهرباء."},
    {"id": "a3", "date": "2024-02-11", "text": "أعلنت وزارة الخارجية المصرية أن وزير الخارجية سيزور الرياض الأسبوع المقبل."},
]


def test_cli_related_and_timeline(tmp_path: Path) -> None:
    records = tmp_path / "dated.jsonl"
    records.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in DATED) + "\n", encoding="utf-8")
    db = str(tmp_path / "news.db")
    assert run("ingest", str(records), "--db", db).returncode == 0
    months = json.loads(run("timeline", "--db", db, "--format", "json").stdout)
    assert months == [{"period": "2024-01", "documents": 2}, {"period": "2024-02", "documents": 1}]
    years = run("timeline", "--db", db, "--period", "year").stdout.decode()
    assert years.split()[:2] == ["2024", "3"]
    macron = json.loads(run("timeline", "--db", db, "--name", "ماكرون", "--format", "json").stdout)
    assert macron == [{"period": "2024-01", "documents": 2}]
    related = json.loads(run("related", "ماكرون", "--db", db, "--format", "json").stdout)
    names = {r["name"] for r in related}
    assert names & {"برلين", "باريس", "فرنسا", "ألمانيا"}, related
    assert not any("ماكرون" in n for n in names)  # the referent itself is not its own neighbour
    assert_clean_error(run("related", "  ", "--db", db), "K423")


def test_cli_export_parquet(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow (khabar[parquet]) is not installed")
    db = str(tmp_path / "news.db")
    assert run("ingest", str(SAMPLE), "--db", db).returncode == 0
    out = tmp_path / "corpus.parquet"
    proc = run("export", "--db", db, "--format", "parquet", "--output", str(out))
    assert proc.returncode == 0 and "exported 1 documents" in proc.stderr.decode(), proc.stderr.decode()
    rows = pq.read_table(out).to_pylist()
    assert len(rows) == 1
    row = rows[0]
    assert row["text"] == SAMPLE.read_text(encoding="utf-8")
    assert row["entities"] and all(row["text"][e["start"] : e["end"]] == e["text"] for e in row["entities"])
    assert all(row["text"][q["start"] : q["end"]] == q["text"] for q in row["quotes"])
    assert row["topic"] in dict(row["categories"])
    assert_clean_error(run("export", "--db", db, "--format", "parquet"), "K303")


def test_cli_analyze_json_array_gives_one_doc_per_record(tmp_path: Path) -> None:
    records = [
        {"title": "أول", "date_extracted": "2015-07-22", "content": "قال الوزير إن الاجتماع انتهى."},
        {"id": "b", "text": "وصل الوفد إلى القاهرة. وبدأت المحادثات."},
        {"id": "c", "text": ""},
    ]
    f = tmp_path / "day.json"
    f.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    proc = run("analyze", "--format", "json", "--components", "segment", str(f))
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(out) == 3  # one output per record, not the JSON text as one article
    assert out[0]["text"] == records[0]["content"] and out[0]["meta"]["id"] == f"{f}:0"
    assert [len(d["sentences"]) for d in out[:2]] == [1, 2] and out[1]["meta"]["id"] == "b"
    assert out[2]["error"]["code"] == "K101"
    assert proc.returncode == 1 and "K101" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()


def test_cli_analyze_json_array_readable_view(tmp_path: Path) -> None:
    f = tmp_path / "day.json"
    f.write_text(json.dumps([{"text": "قال الوزير."}, {"text": "وصل الوفد."}], ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", "--components", "segment", str(f)])
    assert result.exit_code == 0, result.output
    assert "قال الوزير" in result.stdout and "وصل الوفد" in result.stdout and '"text"' not in result.stdout


def test_cli_analyze_jsonl_rejects_an_empty_text_like_ingest() -> None:
    stdin = '{"id": 1, "text": "قال الوزير."}\n{"id": 2, "text": ""}\n{"id": 3, "text": "  "}\n'.encode()
    proc = run("analyze", "--jsonl", "-", "--components", "segment", stdin=stdin)
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(out) == 3 and out[0]["meta"]["id"] == 1
    assert out[1]["error"]["code"] == out[2]["error"]["code"] == "K101"
    assert "line 2" in out[1]["error"]["message"]
    assert proc.returncode == 1
