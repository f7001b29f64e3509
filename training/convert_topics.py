"""Pack topic models from the JSON form into the shipped packed files (no retraining).

``training/train_topics.py`` builds each model in a JSON form (vocabulary, idf and weights as
scaled integers) and writes it packed with ``khabar.components.classify.pack_model``. This script
packs that JSON form when it is already on disk -- the gzip JSON files shipped up to commit
39054a6 (``topics.json.gz``, ``topics_by_source.json.gz``) -- so the shipped models carry the same
numbers without a rerun of the training (which needs scikit-learn and several minutes):

    python training/convert_topics.py                      # from git (commit 39054a6), into src/khabar/models
    python training/convert_topics.py --text A.json.gz --source B.json.gz

Deterministic: packing the same JSON gives the same bytes (run it twice and compare).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

from khabar.components import classify

MODELS = REPO / "src" / "khabar" / "models"
#: the last commit that shipped the models as gzip JSON
JSON_REV = "39054a6"


def read_json_model(path: Path | None, rev: str, name: str) -> dict[str, Any]:
    """The decoded JSON-form model: from ``path``, else ``src/khabar/models/<name>`` at git ``rev``."""
    if path is not None:
        raw = path.read_bytes()
    else:
        raw = subprocess.run(
            ["git", "show", f"{rev}:src/khabar/models/{name}"], cwd=REPO, capture_output=True, check=True
        ).stdout
    doc: dict[str, Any] = json.loads(gzip.decompress(raw))
    return doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--text", type=Path, help="text-only model, gzip JSON (default: topics.json.gz from git)")
    parser.add_argument("--source", type=Path, help="outlet-aware model, gzip JSON (default: from git)")
    parser.add_argument("--rev", default=JSON_REV, help="git revision to read the JSON models from")
    parser.add_argument("--models", type=Path, default=MODELS, help="folder the packed files are written to")
    parser.add_argument("--no-manifest", action="store_true", help="do not rewrite models/manifest.json")
    args = parser.parse_args(argv)
    for path, name, out in (
        (args.text, "topics.json.gz", classify.MODEL_FILE),
        (args.source, "topics_by_source.json.gz", classify.SOURCE_MODEL_FILE),
    ):
        packed = classify.pack_model(read_json_model(path, args.rev, name))
        target = args.models / out
        target.write_bytes(packed)
        print(f"wrote {target} ({len(packed):,} bytes)")
    if not args.no_manifest:
        import write_manifest

        write_manifest.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
