"""Packaged model files: read from the installed package, checked against a manifest.

Models are built by the scripts in ``training/`` and ship inside
``khabar/models/``; ``manifest.json`` beside them records each file's size and
SHA-256. Nothing here touches the network, and nothing runs at import time.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.errors import ResourceError

MANIFEST = "manifest.json"
_MODELS = "khabar.models"


def _manifest() -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(resources.files(_MODELS).joinpath(MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceError(
            f"khabar/models/{MANIFEST} is missing or unreadable", hint="reinstall khabar", code="K200"
        ) from exc
    return data


def read_model(name: str, code: str = "K200") -> bytes:
    """The bytes of packaged model file ``name``, verified against the manifest.

    Raises:
        ResourceError: (with ``code``) when the file is missing, unlisted or corrupt.
    """
    entry = _manifest().get("files", {}).get(name)
    try:
        data = resources.files(_MODELS).joinpath(name).read_bytes()
    except OSError as exc:
        raise ResourceError(
            f"model file khabar/models/{name} is missing ({exc.__class__.__name__})",
            hint="reinstall khabar; model files ship in the package",
            code=code,
        ) from exc
    if entry is None or hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise ResourceError(
            f"model file khabar/models/{name} does not match the manifest (corrupt, or retrained without updating it)",
            hint="reinstall khabar, or run `python training/write_manifest.py` after retraining",
            code=code,
        )
    return data


def build_manifest(folder: Path) -> dict[str, Any]:
    """The manifest for every model file in ``folder`` (used by training/write_manifest.py and the tests)."""
    files = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.name not in (MANIFEST, "__init__.py") and not path.name.startswith("."):
            data = path.read_bytes()
            files[path.name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    return {"files": files}


def read_json_model(name: str, what: str, code: str, schema: int | None = None) -> dict[str, Any]:
    """The JSON object in gzipped model file ``name`` (checked as :func:`read_model` does).

    Args:
        name: file name under ``khabar/models``; what: how errors name it ("segmenter model");
        code: the error code; schema: the ``schema`` value the object must carry, if any.

    Raises:
        ResourceError: (with ``code``) when the file is missing, corrupt, not a JSON object
        or of another schema.
    """
    raw = read_model(name, code=code)
    try:
        doc = json.loads(gzip.decompress(raw).decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceError(
            f"{what} khabar/models/{name} is unreadable ({exc.__class__.__name__})", hint="reinstall khabar", code=code
        ) from exc
    if not isinstance(doc, dict) or (schema is not None and doc.get("schema") != schema):
        raise ResourceError(f"{what} khabar/models/{name} has an unknown schema", hint="reinstall khabar", code=code)
    return doc
