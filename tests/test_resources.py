from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from khabar.errors import ResourceError
from khabar.resources import MANIFEST, build_manifest, read_model


def test_resources_manifest_matches_the_shipped_files() -> None:
    folder = Path(str(resources.files("khabar.models")))
    shipped = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert shipped == build_manifest(folder), "retrained a model? run: python training/write_manifest.py"


def test_resources_read_model_verifies_the_hash() -> None:
    assert read_model("segmenter.bin.gz")[:2] == b"\x1f\x8b"  # gzip


def test_resources_unknown_or_missing_file_is_a_resource_error() -> None:
    with pytest.raises(ResourceError) as info:
        read_model("no-such-model.bin", code="K299")
    assert info.value.code == "K299" and "reinstall" in info.value.hint
