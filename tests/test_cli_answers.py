"""Clear answers from the corpus CLI: serve refuses a missing store, quotes --speaker has a header and
says why when empty (issue 14)."""

from __future__ import annotations

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
