"""Shared test fixtures: the ../shared folder (skipped when absent, required under CI=true)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
