"""Read SaudiNewsNet articles for benchmarks (evaluation only: the corpus is CC BY-NC-SA)."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def load_articles(data: Path = DEFAULT_DATA, n: int = 2000, seed: int = 13) -> list[str]:
    """``n`` non-empty article bodies drawn with a fixed seed from all the daily zips."""
    folder = data / "saudinewsnet" / "dataset"
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        raise SystemExit(f"no SaudiNewsNet zips under {folder}: pass --data PATH/TO/shared/data")
    bodies: list[str] = []
    for path in zips:
        with zipfile.ZipFile(path) as zf:
            for name in sorted(zf.namelist()):
                if name.endswith(".json"):
                    bodies.extend(a["content"] for a in json.loads(zf.read(name)) if a.get("content", "").strip())
    rng = random.Random(seed)
    return rng.sample(bodies, min(n, len(bodies)))
