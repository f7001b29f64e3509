"""Clear answers from the corpus CLI: serve refuses a missing store, quotes --speaker has a header and
says why when empty (issue 14)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

import khabar
from khabar.cli.main import main
from khabar.store import Store

TEXT = 'وقال وزير الخارجية جون كيري في مؤتمر صحفي: "المحادثات مستمرة وسنصل إلى اتفاق قريبا".'


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("answers") / "news.db"
    with Store(path) as store:
        store.add(khabar.load().analyze(TEXT, {"id": "kerry", "date": "2015-07-22"}))
    return path


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "typo.db")])
    assert out.exit_code == 1 and "K413" in out.output and "--create" in out.output
    assert not (tmp_path / "typo.db").exists()


def test_serve_create_makes_an_empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[object] = []
    fake = types.ModuleType("uvicorn")
    fake.run = lambda app, **kw: ran.append(app)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "uvicorn", fake)
    path = tmp_path / "new.db"
    out = CliRunner().invoke(main, ["serve", "--db", str(path), "--create"])
    assert out.exit_code == 0, out.output
    assert ran and path.exists()
    with Store.open_readonly(path) as store:
        assert len(store) == 0


def test_quotes_speaker_table_has_a_header(db_path: Path) -> None:
    out = CliRunner().invoke(main, ["quotes", "--speaker", "كيري", "--db", str(db_path)])
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    assert lines[0].startswith("date ") and len(lines) >= 2 and "كيري" in lines[1]


def test_quotes_unknown_speaker_says_why(db_path: Path) -> None:
    out = CliRunner().invoke(main, ["quotes", "--speaker", "كيرى زيد", "--db", str(db_path)])
    assert out.exit_code == 0 and out.stdout == ""
    assert "no quotation by" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_timeline_empty_says_why(db_path: Path) -> None:
    out = CliRunner().invoke(main, ["timeline", "--name", "بطريق", "--db", str(db_path)])
    assert out.exit_code == 0 and out.stdout == "" and "no dated document" in out.stderr
    ok = CliRunner().invoke(main, ["timeline", "--db", str(db_path), "--period", "day"])
    assert ok.exit_code == 0 and ok.stdout.startswith("2015-07-22")


# ------------------------------------------------------------------ ingest: empty records
def _records_with_empties(tmp_path: Path) -> Path:
    src = tmp_path / "records.jsonl"
    lines = [{"id": "a", "text": TEXT}, {"id": "e1", "text": ""}, {"id": "e2", "text": "  \n"}]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\n", encoding="utf-8")
    return src


def test_ingest_skips_empty_records_with_exit_0_and_a_count(tmp_path: Path) -> None:
    src = _records_with_empties(tmp_path)
    out = CliRunner().invoke(main, ["ingest", str(src), "--db", str(tmp_path / "s.db"), "--no-progress"])
    assert out.exit_code == 0, out.output
    assert "2 empty records skipped (K101)" in out.stderr
    assert "1 added, 0 already stored, 0 failed, 2 empty" in out.stderr
    assert "error K101" not in out.stderr  # a count, not a line per record


def test_ingest_strict_fails_on_empty_records(tmp_path: Path) -> None:
    src = _records_with_empties(tmp_path)
    out = CliRunner().invoke(main, ["ingest", str(src), "--db", str(tmp_path / "s.db"), "--strict", "--no-progress"])
    assert out.exit_code == 1
    assert out.stderr.count("error K101") == 2 and "line 2" in out.stderr


def test_ingest_other_failures_still_exit_1(tmp_path: Path) -> None:
    src = _records_with_empties(tmp_path)
    with src.open("a", encoding="utf-8") as f:
        f.write("{not json\n")
    out = CliRunner().invoke(main, ["ingest", str(src), "--db", str(tmp_path / "s.db"), "--no-progress"])
    assert out.exit_code == 1 and "K108" in out.stderr and "2 empty records skipped (K101)" in out.stderr


def test_ingest_help_documents_strict() -> None:
    out = CliRunner().invoke(main, ["ingest", "--help"])
    assert "--strict" in out.output and "empty" in out.output
