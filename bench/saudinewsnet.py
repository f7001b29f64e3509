"""Read SaudiNewsNet articles for benchmarks (evaluation only: the corpus is CC BY-NC-SA)."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def dataset_folder(data: Path = DEFAULT_DATA) -> Path:
    """The folder of daily zips; exits with a one-line message when it is missing."""
    folder = data / "saudinewsnet" / "dataset"
    if not sorted(folder.glob("*.zip")):
        raise SystemExit(f"no SaudiNewsNet zips under {folder}: pass --data PATH/TO/shared/data")
    return folder


def load_records(data: Path = DEFAULT_DATA) -> list[dict[str, Any]]:
    """Every article object with a non-empty ``content``, in file order (all the daily zips)."""
    records: list[dict[str, Any]] = []
    for path in sorted(dataset_folder(data).glob("*.zip")):
        with zipfile.ZipFile(path) as zf:
            for name in sorted(zf.namelist()):
                if name.endswith(".json"):
                    records.extend(a for a in json.loads(zf.read(name)) if a.get("content", "").strip())
    return records


def load_articles(data: Path = DEFAULT_DATA, n: int = 2000, seed: int = 13) -> list[str]:
    """``n`` non-empty article bodies drawn with a fixed seed from all the daily zips."""
    bodies = [a["content"] for a in load_records(data)]
    rng = random.Random(seed)
    return rng.sample(bodies, min(n, len(bodies)))


def day_articles(data: Path, day: str, n: int) -> list[str]:
    """The first ``n`` non-empty article bodies of SaudiNewsNet day ``day`` (YYYY-MM-DD), in file order."""
    path = dataset_folder(data) / f"{day}.zip"
    if not path.is_file():
        raise SystemExit(f"no SaudiNewsNet file {path}: pass --day YYYY-MM-DD of a file there")
    bodies: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(zf.namelist()):
            if name.endswith(".json"):
                bodies.extend(a["content"] for a in json.loads(zf.read(name)) if a.get("content", "").strip())
    return bodies[:n]
