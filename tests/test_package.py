"""Package-level promises: importing does no I/O, the public API is small, models ship inside."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import khabar


def test_package_import_does_no_io() -> None:
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda e, a: opened.append(str(a[0])) if e == 'open' else None)\n"
        "import khabar\n"
        "bad = [p for p in opened if not p.endswith(('.py', '.pyc')) and '__pycache__' not in p and 'site-packages' not in p]\n"
        "bad = [p for p in bad if 'khabar' in p and not p.endswith('/khabar')]\n"
        "print(bad)\n"
        "print('khabar.lang.ar.morph' in sys.modules, 'khabar.lang.ar.glue' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]"  # no data or model file opened
    assert out[1] == "False False"  # models load on first use, not at import


def test_package_public_api() -> None:
    assert set(khabar.__all__) >= {"Doc", "Span", "Edit", "analyze", "load", "KhabarError", "InputError"}
    doc = khabar.analyze("قال الوزير.")
    assert isinstance(doc, khabar.Doc)


def test_package_models_ship_inside_and_stay_small() -> None:
    files = {p.name: p for p in resources.files("khabar.models").iterdir() if p.name.endswith(".gz")}
    assert {"ar_lexicon.bin.gz", "segmenter.bin.gz"} <= set(files)
    total = sum(len(p.read_bytes()) for p in files.values())
    assert total < 40 * 1024 * 1024
