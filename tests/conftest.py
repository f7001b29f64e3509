"""Shared test fixtures: the ../shared folder (skipped when absent, required under CI=true)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from khabar.store import Store

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KHABAR_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared, or skip the test (fail under CI=true) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {path} is missing: ../shared must be present in CI")
        pytest.skip(f"{path} is absent (tests on ../shared data run only where it exists)")
    return path


@pytest.fixture
def seed_text() -> str:
    """The reference article (read at test time only, never copied into the repository)."""
    path = shared_path("seed", "000_f7a595203ed4f7d3.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def reader(db_path: Path) -> Iterator[Store]:
    """A read-only connection to the module's ``db_path`` store (each store test module defines db_path)."""
    store = Store.open_readonly(db_path)
    yield store
    store.close()


def fail_analysis_of(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    """Make ``Pipeline.analyze`` raise (a bug, not bad input) for texts that start with ``prefix``."""
    from khabar.pipeline import Pipeline

    real = Pipeline.analyze

    def flaky(self: Pipeline, text: str, meta: Any = None) -> Any:
        if text.startswith(prefix):
            raise RuntimeError("a bug")
        return real(self, text, meta)

    monkeypatch.setattr(Pipeline, "analyze", flaky)
