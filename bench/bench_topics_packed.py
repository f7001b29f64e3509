"""Packed topic models against the JSON ones they replaced: load cost, per-article speed, same floats.

    python bench/bench_topics_packed.py                 # 1,000 SaudiNewsNet articles, 3 timing rounds
    python bench/bench_topics_packed.py -n 300 --rounds 5 --rev 39054a6

The old side is ``khabar/components/classify.py`` and its gzip JSON model files as of git
revision ``--rev`` (the last one that shipped them), run in this process beside the current
code. Prints, for each side: the CPU time (``time.process_time``) and RSS growth of loading both
models, each in a fresh process (median of 3); then per-article classify time over the same
articles (title + body, text-only model and with a training outlet named), the passes of the two
sides interleaved so that machine load hits both alike; and how many outputs are the same floats.
SaudiNewsNet is evaluation only. Prints figures; never asserts on time.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

OLD_REV = "39054a6"
OUTLETS = ("BBC Arabic", "Sky News Arabia", "AlArabiya", "CNN", "France 24")


def git_show(rev: str, path: str) -> bytes:
    return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=REPO, capture_output=True, check=True).stdout


def old_module(rev: str) -> ModuleType:
    """classify.py as of ``rev``, imported under another name (its models are read from git, not the package)."""
    spec = importlib.util.spec_from_loader("khabar_classify_old", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    exec(compile(git_show(rev, "src/khabar/components/classify.py"), "classify_old.py", "exec"), module.__dict__)  # noqa: S102 (our own file at a git revision)
    return module


def rss_kb(field: str = "VmRSS") -> int:
    """This process's resident memory (``VmHWM``: its peak so far), kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def load_old(module: ModuleType, raws: dict[str, bytes]) -> tuple[Any, Any]:
    """Build the old models as its loader did (SHA-256 check of the file, gunzip, JSON, dicts of floats)."""
    built = []
    for name, build in (
        ("topics.json.gz", module.model_from_json),
        ("topics_by_source.json.gz", module.source_model_from_json),
    ):
        hashlib.sha256(raws[name]).hexdigest()
        built.append(build(json.loads(gzip.decompress(raws[name]).decode("utf-8"))))
    return built[0], built[1]


def measure_load(side: str, rev: str) -> None:
    """(Child process) print the CPU seconds and RSS growth (kB) of loading both models of ``side``."""
    import khabar.components.classify as new

    if side == "old":
        module = old_module(rev)
        raws = {n: git_show(rev, f"src/khabar/models/{n}") for n in ("topics.json.gz", "topics_by_source.json.gz")}
        rss0, peak0, t0 = rss_kb(), rss_kb("VmHWM"), time.process_time()
        models = load_old(module, raws)
    else:
        rss0, peak0, t0 = rss_kb(), rss_kb("VmHWM"), time.process_time()
        models = (new.load_model(), new.load_source_model())
    cpu = time.process_time() - t0
    print(json.dumps({"cpu_s": cpu, "rss_kb": rss_kb() - rss0, "peak_kb": rss_kb("VmHWM") - peak0, "n": len(models)}))


def sample(n: int) -> list[tuple[str, str | None]]:
    import random

    from saudinewsnet import load_records

    records = random.Random(16).sample(load_records(), n)
    return [(r["content"], r.get("title") or None) for r in records]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rev", default=OLD_REV, help="git revision of the JSON models and their code")
    parser.add_argument("-n", type=int, default=1000, help="SaudiNewsNet articles")
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds (each: one pass per side)")
    parser.add_argument("--load-only", choices=("old", "new"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_only:
        measure_load(args.load_only, args.rev)
        return 0

    print("== load both models, fresh process each (median of 3) ==")
    for side in ("old", "new"):
        runs = []
        for _ in range(3):
            out = subprocess.run(
                [sys.executable, __file__, "--load-only", side, "--rev", args.rev],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(out.stdout))
        cpu = statistics.median(r["cpu_s"] for r in runs)
        rss = statistics.median(r["rss_kb"] for r in runs)
        peak = statistics.median(r["peak_kb"] for r in runs)
        print(f"{side}: {cpu:.3f} CPU-s, RSS +{rss / 1024:.1f} MB after loading, peak RSS +{peak / 1024:.1f} MB")

    import khabar.components.classify as new

    old = old_module(args.rev)
    raws = {n: git_show(args.rev, f"src/khabar/models/{n}") for n in ("topics.json.gz", "topics_by_source.json.gz")}
    old_text, old_source = load_old(old, raws)
    old.load_model = lambda: old_text  # classify_text reads these globals at call time
    old.load_source_model = lambda: old_source
    models = REPO / "src" / "khabar" / "models"
    print(
        f"model files: old {sum(len(b) for b in raws.values()):,} bytes, new "
        f"{sum((models / n).stat().st_size for n in (new.MODEL_FILE, new.SOURCE_MODEL_FILE)):,} bytes"
    )
    articles = sample(args.n)
    jobs = [(text, title, None) for text, title in articles]
    jobs += [(text, title, OUTLETS[i % len(OUTLETS)]) for i, (text, title) in enumerate(articles)]
    rss0 = rss_kb()
    times: dict[str, list[float]] = {"old": [], "new": []}
    results: dict[str, list[dict[str, float]]] = {}
    for r in range(args.rounds):
        for side in ("old", "new") if r % 2 == 0 else ("new", "old"):
            classify_text = old.classify_text if side == "old" else new.classify_text
            t0 = time.process_time()
            results[side] = [classify_text(text, title, source) for text, title, source in jobs]
            times[side].append(time.process_time() - t0)
    print(
        f"\n== classify_text per call, {len(articles)} articles x (text-only model, outlet model), {args.rounds} rounds =="
    )
    for side in ("old", "new"):
        per = [t / len(jobs) * 1000 for t in times[side]]
        print(f"{side}: first pass {per[0]:.3f} ms, best {min(per):.3f} ms, median {statistics.median(per):.3f} ms")
    same = sum(a == b for a, b in zip(results["old"], results["new"], strict=True))
    print(f"same floats: {same} of {len(jobs)} distributions")
    # The Doc JSON values (``categories``, ``topic``) each side's predict + set_annotations write.
    from khabar.doc import Doc

    same_docs = 0
    for text, title, source in jobs:
        meta = {"title": title or "", "source": source or ""}
        out = []
        for module in (old, new):
            doc = Doc(text, meta)
            module.set_annotations(doc, module.predict(doc))
            values = doc.to_dict()
            out.append((values["topic"], values["categories"]))
        same_docs += out[0] == out[1]
    print(f"same Doc JSON topic and categories: {same_docs} of {len(jobs)}")
    print(f"RSS growth over the timing runs: {(rss_kb() - rss0) / 1024:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
