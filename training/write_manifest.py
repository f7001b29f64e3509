"""Record the size and SHA-256 of every shipped model file in src/khabar/models/manifest.json.

Run after any training script:  python training/write_manifest.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from khabar.resources import MANIFEST, build_manifest


def main() -> None:
    folder = REPO / "src" / "khabar" / "models"
    manifest = build_manifest(folder)
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for name, entry in manifest["files"].items():
        print(f"{name}\t{entry['bytes']:,} bytes\t{entry['sha256'][:16]}")


if __name__ == "__main__":
    main()
