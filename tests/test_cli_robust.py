"""What a new user met on a fresh install and with hostile input: each problem, fixed and kept fixed.

HTML pages without their extractor (K121), terminal control characters in the text views, over-long
"words", the work budget in the text view and at ingest, invalid date filters, blank JSONL lines and
the files a read-only command leaves next to the store.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import fail_analysis_of

from khabar import htmlpage
from khabar.cli.main import main
from khabar.inputs import article_from_bytes

REPO = Path(__file__).resolve().parent.parent

PAGE = """<!DOCTYPE html><html lang="ar"><head><title>مكتبة جديدة</title></head><body>
<nav><ul><li>الرئيسية</li><li>سياسة</li><li>رياضة</li></ul></nav>
<article><h1>افتتاح مكتبة جديدة في المدينة</h1>
<p>افتتح رئيس البلدية صباح اليوم مكتبة عامة جديدة في وسط المدينة، تضم أكثر من عشرين ألف كتاب في الأدب والعلوم.</p>
<p>وقال رئيس البلدية خلال الافتتاح إن المكتبة ستفتح أبوابها للجميع طوال أيام الأسبوع، وإن ورشات للأطفال ستقام فيها.</p>
<p>وأضاف أن المشروع استغرق عامين من العمل، وأن تكلفته تحملتها البلدية بالتعاون مع جمعيات محلية في المدينة.</p>
</article>
<footer><p>جميع الحقوق محفوظة لموقع الأخبار التجريبي</p></footer></body></html>"""


def runner() -> CliRunner:
    return CliRunner()


# ------------------------------------------------------------------ 1. the HTML extractor
def test_robust_default_dependencies_name_lxml_html_clean() -> None:
    # lxml 5.2+ ships no lxml.html.clean; trafilatura's justext imports it: without it, no extractor
    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.replace("-", "_").lower().startswith("lxml_html_clean") for d in deps)


def test_robust_html_page_is_extracted_by_trafilatura_and_the_note_says_so(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(PAGE, encoding="utf-8")
    result = runner().invoke(main, ["analyze", "--format", "json", str(f)])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["meta"]["extractor"] == "trafilatura"
    assert "جميع الحقوق" not in doc["text"] and "الرئيسية" not in doc["text"]
    assert "trafilatura" in result.stderr and "visible text" not in result.stderr
    assert "K121" not in result.stderr


def test_robust_missing_extractor_is_a_k121_warning_not_silence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # `import trafilatura` raises ImportError
    htmlpage._import_trafilatura.cache_clear()
    try:
        page = htmlpage.extract_article(PAGE)
        assert page.extractor == "visible-text"
        assert page.warning.startswith("K121:") and "hint:" in page.warning
        article = article_from_bytes(PAGE.encode(), "page.html")
        assert [w[:4] for w in article.meta["warnings"]] == ["K121"]
        f = tmp_path / "page.html"
        f.write_text(PAGE, encoding="utf-8")
        result = runner().invoke(main, ["analyze", "--format", "json", str(f)])
        assert result.exit_code == 0, result.stderr
        warned = [line for line in result.stderr.splitlines() if line.startswith("warning K121")]
        assert len(warned) == 1 and "hint:" in warned[0]
        assert "analysing its visible text" in result.stderr
        # ingest says it once for the run, however many pages
        (tmp_path / "two.html").write_text(PAGE.replace("مكتبة", "حديقة"), encoding="utf-8")
        result = runner().invoke(
            main, ["ingest", str(f), str(tmp_path / "two.html"), "--db", str(tmp_path / "s.db"), "--no-progress"]
        )
        assert result.exit_code == 0, result.stderr
        assert sum(line.startswith("warning K121") for line in result.stderr.splitlines()) == 1
    finally:
        htmlpage._import_trafilatura.cache_clear()


# ------------------------------------------------------------------ 2. terminal control characters
# Our own sentences, with an erase-screen CSI, an OSC title sequence ended by BEL, a C1 CSI (U+009B),
# a right-to-left override and a left-to-right isolate in them.
HOSTILE = (
    "قال الرئيس محمد\u202eالعلوي \x1b[2J\x1b]0;x\x07 إن الحكومة ستبني مدرسة جديدة في مدينة طنجة.\n"
    "وأضاف العلوي في مؤتمر صحفي: «سنفتح المدرسة\u2066 في الخريف المقبل».\n"
    "وأعلنت وزارة التعليم\x9b31m أن المشروع سيكلف مليون درهم.\n"
)
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")


def assert_no_raw_controls(output: str) -> None:
    assert not [c for c in RAW if c in output], [hex(ord(c)) for c in RAW if c in output]


def test_robust_printable_shows_controls_and_keeps_text() -> None:
    from khabar.cli.common import printable

    assert printable("قال \x1b[2J\x1b]0;x\x07 كان") == "قال <U+001B>[2J<U+001B>]0;x<U+0007> كان"
    assert printable("أ\u202bب\u202c\u2067ج\u2069") == "أ<U+202B>ب<U+202C><U+2067>ج<U+2069>"
    assert printable("سطر\r\nسطر\tثان\rثالث\x7f\x85") == "سطر\nسطر\tثان<U+000D>ثالث<U+007F><U+0085>"
    text = "نص عادي\u200f فيه علامة اتجاه\n"  # RLM only sets a direction: kept
    assert printable(text) is text


@pytest.mark.parametrize(
    "args",
    [["analyze"], ["repair"], ["summarize", "--sentences", "3"], ["quotes"], ["segment"]],
)
def test_robust_text_views_show_controls_never_send_them(tmp_path: Path, args: list[str]) -> None:
    f = tmp_path / "esc.txt"
    f.write_text(HOSTILE, encoding="utf-8")
    result = runner().invoke(main, [*args, str(f)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    assert_no_raw_controls(result.stdout + result.stderr)
    assert "<U+001B>" in result.stdout or args[0] == "quotes"


def test_robust_json_output_stays_exact(tmp_path: Path) -> None:
    f = tmp_path / "esc.txt"
    f.write_text(HOSTILE, encoding="utf-8")
    result = runner().invoke(main, ["analyze", "--format", "json", str(f)])
    assert json.loads(result.stdout)["text"] == HOSTILE


def test_robust_corpus_views_show_controls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "esc.txt"
    f.write_text(HOSTILE, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert runner().invoke(main, ["ingest", str(f), "--db", db, "--no-progress"]).exit_code == 0
    found = runner().invoke(main, ["search", "مدرسة", "--db", db])
    assert found.exit_code == 0 and "<U+001B>" in found.stdout
    said = runner().invoke(main, ["quotes", "--speaker", "العلوي", "--db", db])
    assert said.exit_code == 0 and "<U+202E>" in said.stdout
    for out in (found, said):
        assert_no_raw_controls(out.stdout + out.stderr)
    # names as the store gives them (a referent's name is its text: a control could be in it)
    from khabar.store import analytics

    row = {"id": 7, "documents": 1, "mentions": 2, "label": "PERS", "name": "محمد\u202eالعلوي\x1b]0;x\x07"}
    monkeypatch.setattr(analytics, "top_referents", lambda *a, **k: [row])
    monkeypatch.setattr(analytics, "cooccurrence", lambda *a, **k: [row])
    for args in (["entities"], ["related", "العلوي"]):
        out = runner().invoke(main, [*args, "--db", db])
        assert out.exit_code == 0, out.stderr
        assert_no_raw_controls(out.stdout)
        assert "محمد<U+202E>العلوي<U+001B>]0;x<U+0007>" in out.stdout


# ------------------------------------------------------------------ 3. a "word" of 200,000 letters
def _noise(n: int, seed: int = 7) -> str:
    import random

    rng = random.Random(seed)
    return "".join(rng.choice("ابتثجحخدذرزسشصضطظعغفقكلمنهوي") for _ in range(n))


def test_robust_wordlen_bound() -> None:
    from khabar.wordlen import MAX_WORD_CHARS, has_overlong_word

    assert MAX_WORD_CHARS == 40
    assert not has_overlong_word("وتيتراهايدروكانابينول")  # 21 letters: a real word
    assert not has_overlong_word("الولاياتالمتحدةالأمريكية وزارة")  # three words glued: still a word
    assert has_overlong_word("قال " + "ب" * 41)
    assert not has_overlong_word("ب" * 40)


def test_robust_overlong_run_is_no_entity_nor_referent() -> None:
    from khabar.pipeline import Pipeline

    doc = Pipeline().analyze(_noise(200_000))
    assert [e for e in doc["entities"] if e.end - e.start > 40] == []
    assert [r for r in doc.values["referents"] if len(r["name"]) > 40] == []
    # a real name next to it is still found
    doc = Pipeline().analyze("قال الوزير أحمد الكعبي في القاهرة إن " + _noise(50_000) + " انتهى.")
    assert any(doc.span_text(e) == "القاهرة" for e in doc["entities"])
    assert all(e.end - e.start <= 40 for e in doc["entities"])


def test_robust_overlong_run_is_not_stored(tmp_path: Path) -> None:
    import sqlite3

    f = tmp_path / "noise.txt"
    f.write_text(_noise(200_000) + "\nزار الوزير أحمد الكعبي مدينة طنجة أمس.\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert runner().invoke(main, ["ingest", str(f), "--db", db, "--no-progress"]).exit_code == 0
    con = sqlite3.connect(db)
    try:
        for table, column in (("entities", "text"), ("referents", "name"), ("keywords", "key")):
            longest = con.execute(f"SELECT max(length({column})) FROM {table}").fetchone()[0]
            assert longest is None or longest <= 40, (table, longest)
    finally:
        con.close()
    out = runner().invoke(main, ["entities", "--db", db])
    assert out.exit_code == 0 and all(len(line) < 200 for line in out.stdout.splitlines())


# ------------------------------------------------------------------ 4. ingest of one huge token, the budget
def test_robust_overlong_token_is_indexed_whole_never_segmented(monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.doc import Doc
    from khabar.store import matching

    real = matching.split_clitics

    def guarded(word: str) -> object:
        assert len(word) <= 40, "an over-long token reached the segmenter"
        return real(word)

    monkeypatch.setattr(matching, "split_clitics", guarded)
    matching.term_key.cache_clear()  # type: ignore[attr-defined]
    noise = "ب" * 100_000
    text = "قال الوزير " + noise + " والمحادثات"
    terms = matching.index_terms(Doc(text))
    assert [t.key for t in terms] == ["قال", "وزير", "ب" * 40, "محادثات"]
    long_term = terms[2]
    assert (long_term.start, long_term.end) == (11, 11 + len(noise))
    assert matching.term_key(noise + "ج") == long_term.key  # a query holding the run finds it by the same key


def test_robust_index_past_the_work_budget_is_not_segmented(monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar import pipeline
    from khabar.doc import Doc
    from khabar.store import matching

    monkeypatch.setattr(pipeline, "MAX_WORK_CHARS", 1_000)
    line = "وقال المتحدث إن المحادثات مستمرة في العاصمة.\n"
    text = line * 60  # 2,760 characters: analysed on its first 1,000
    cut = pipeline.work_prefix(text)
    assert cut is not None and cut <= 1_000
    seen: list[str] = []
    real = matching.split_clitics
    monkeypatch.setattr(matching, "split_clitics", lambda w: seen.append(w) or real(w))
    matching.term_key.cache_clear()  # type: ignore[attr-defined]
    terms = matching.index_terms(Doc(text))
    words = text.split()
    assert len(terms) == len(words)  # every word indexed, past the cut too
    for t in terms:
        assert text[t.start : t.end] in {w.strip(".") for w in words}
    before = [t for t in terms if t.start < cut]
    after = [t for t in terms if t.start >= cut]
    assert {t.key for t in before} >= {"محادثات", "متحدث"}  # clitic-split within the budget
    assert {t.key for t in after} >= {"المحادثات", "وقال"}  # folded only past it
    assert len(seen) <= len(set(text[:cut].split()))  # the segmenter saw words of the analysed part only


def test_robust_ingest_says_k131_for_the_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar import pipeline

    monkeypatch.setattr(pipeline, "MAX_WORK_CHARS", 1_000)
    f = tmp_path / "big.txt"
    f.write_text("وقال المتحدث إن المحادثات مستمرة في العاصمة.\n" * 60, encoding="utf-8")
    result = runner().invoke(main, ["ingest", str(f), "--db", str(tmp_path / "s.db"), "--no-progress"])
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning K131")]
    assert len(lines) == 1 and str(f) in lines[0], result.stderr
    found = runner().invoke(main, ["search", "والمحادثات", "--db", str(tmp_path / "s.db")])
    assert found.exit_code == 0 and "big.txt" in found.stdout


# ------------------------------------------------------------------ 5. K131 in the text view
LONG_LINE = "وقال المتحدث إن المحادثات مستمرة في العاصمة.\n"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_robust_analyze_says_k131_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    from khabar import pipeline

    monkeypatch.setattr(pipeline, "MAX_WORK_CHARS", 1_000)
    f = tmp_path / "big.txt"
    f.write_text(LONG_LINE * 60, encoding="utf-8")
    result = runner().invoke(main, ["analyze", "--format", fmt, str(f)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning K131:")]
    assert len(lines) == 1 and str(f) in lines[0], result.stderr


@pytest.mark.parametrize("workers", [1, 2])
def test_robust_analyze_jsonl_says_k131_with_the_record_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    from khabar import pipeline

    monkeypatch.setattr(pipeline, "MAX_WORK_CHARS", 1_000)
    f = tmp_path / "r.jsonl"
    records = [{"id": "short-1", "text": LONG_LINE}, {"id": "long-2", "text": LONG_LINE * 60}]
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = runner().invoke(main, ["analyze", "--jsonl", str(f), "--workers", str(workers)])
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning K131:")]
    assert len(lines) == 1 and "long-2" in lines[0], result.stderr
    assert len(result.stdout.splitlines()) == 2


# ------------------------------------------------------------------ 6. an impossible date filter
@pytest.mark.parametrize(
    "query", ["date:2024-13-01..2024", "المدرسة date:2023-02-29", "date:2024-00", "date:2025..2024-05"]
)
def test_robust_search_impossible_date_is_k405(tmp_path: Path, query: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text("افتتحت البلدية مدرسة جديدة في المدينة.\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert runner().invoke(main, ["ingest", str(f), "--db", db, "--no-progress"]).exit_code == 0
    result = runner().invoke(main, ["search", query, "--db", db])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and errors[0].startswith("error K405:") and "hint:" in errors[0]


def test_robust_search_real_dates_still_parse() -> None:
    from khabar.store.search import _date_range

    assert _date_range("2024-02-29") == ("2024-02-29", "2024-02-29")
    assert _date_range("2024-03..2024") == ("2024-03", "2024")
    assert _date_range("..2024-05") == (None, "2024-05")


# ------------------------------------------------------------------ 7. --jsonl: one output line per input line
BATCH = (
    '{"id": "a1", "text": "قال الوزير إن الاجتماع ناجح."}\n'
    "\n"
    "   \n"
    '{"id": "a2", "text": ""}\n'
    '{"id": 7, "text": "وصل الوفد إلى المدينة."}\n'
    "\n"
)


@pytest.mark.parametrize("workers", [1, 2])
def test_robust_jsonl_blank_lines_keep_the_output_aligned(tmp_path: Path, workers: int) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text(BATCH, encoding="utf-8")
    result = runner().invoke(main, ["analyze", "--jsonl", str(f), "--components", "repair", "--workers", str(workers)])
    assert result.exit_code == 1  # empty records are K101, as everywhere
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5  # input lines 1-5; the blank line after the last record is no record
    assert out[0]["meta"]["id"] == "a1" and out[4]["meta"]["id"] == 7
    assert [(o["line"], o["error"]["code"]) for o in out[1:3]] == [(2, "K101"), (3, "K101")]
    assert out[3]["line"] == 4 and out[3]["id"] == "a2" and out[3]["error"]["code"] == "K101"
    stderr = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(stderr) == 2 and "lines 2-3" in stderr[0]  # a run of blank lines is said once


def test_robust_jsonl_analysis_failure_carries_the_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_analysis_of(monkeypatch, "وصل")
    f = tmp_path / "r.jsonl"
    f.write_text(BATCH, encoding="utf-8")
    result = runner().invoke(main, ["analyze", "--jsonl", str(f), "--components", "repair"])
    last = json.loads(result.stdout.splitlines()[4])
    assert last["id"] == 7 and last["error"]["code"] == "K172"


def test_robust_ingest_still_skips_blank_lines(tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text(BATCH, encoding="utf-8")
    result = runner().invoke(main, ["ingest", str(f), "--db", str(tmp_path / "s.db"), "--no-progress"])
    assert result.exit_code == 0, result.stderr  # blank lines are no records; the empty text is skipped (K101)
    assert "2 added" in result.stderr and "1 empty record skipped" in result.stderr


# ------------------------------------------------------------------ 8. read-only commands leave no side files
def test_robust_read_only_commands_leave_no_wal_or_shm(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("قال الوزير أحمد الكعبي في طنجة إن المدرسة الجديدة ستفتح قريبا.\n", encoding="utf-8")
    db = tmp_path / "s.db"
    assert runner().invoke(main, ["ingest", str(f), "--db", str(db), "--no-progress"]).exit_code == 0
    side = [db.with_name("s.db-wal"), db.with_name("s.db-shm")]
    assert not any(p.exists() for p in side)
    for args in (
        ["search", "المدرسة"], ["entities"], ["quotes", "--speaker", "الكعبي"], ["timeline"], ["related", "الكعبي"],
        ["export", "--output", str(tmp_path / "out.jsonl")],
    ):
        result = runner().invoke(main, [*args, "--db", str(db)])
        assert result.exit_code == 0, (args, result.stderr)
        assert not any(p.exists() for p in side), args


def test_robust_read_only_store_still_refuses_writes(tmp_path: Path) -> None:
    from khabar.errors import StoreError
    from khabar.store import Store

    db = tmp_path / "s.db"
    Store(db).close()
    with Store.open_readonly(db) as store, pytest.raises(StoreError):
        store.execute("DELETE FROM documents")
