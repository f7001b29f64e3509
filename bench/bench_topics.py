"""Accuracy and speed of the shipped topic classifier on ANT v2.1 dev.

    python bench/bench_topics.py                  # dev accuracy / macro-F1, articles/s, model sizes,
                                                  # text only and with the outlet (<SRC>) given
    python bench/bench_topics.py --repeat 3       # more timing passes (best pass is reported)

Only classification is timed (features + scoring, one process), after the model is
loaded. Prints figures; never asserts on time.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from khabar.components import classify
from khabar.evaluation.topics import format_report, read_trec, scores

DEFAULT_DEV = REPO.parent / "shared" / "data" / "ant-multisource-v2.1" / "dev.trec.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="TREC file with gold labels")
    parser.add_argument("--repeat", type=int, default=2, help="timing passes over the file")
    args = parser.parse_args(argv)

    records = read_trec(args.dev)
    gold = [r.label for r in records]
    models = REPO / "src" / "khabar" / "models"
    for name, load, with_source in (
        ("text only", classify.load_model, False),
        ("outlet given (<SRC>)", classify.load_source_model, True),
    ):
        t0 = time.perf_counter()
        load()
        load_s = time.perf_counter() - t0
        path = models / (classify.SOURCE_MODEL_FILE if with_source else classify.MODEL_FILE)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        print(f"\n== {name}: {path.name}, {path.stat().st_size:,} bytes, loaded in {load_s:.2f}s ==")
        print(f"process peak memory after loading: {peak_mb:,.0f} MB")
        best = float("inf")
        pred: list[str] = []
        for _ in range(max(1, args.repeat)):
            classify.light_stem.cache_clear()  # each pass starts cold
            t0 = time.perf_counter()
            pred = []
            for r in records:
                dist = classify.classify_text(r.text, r.title or None, r.source if with_source else None)
                pred.append(max(dist, key=lambda k: dist[k]))
            best = min(best, time.perf_counter() - t0)
        words = sum(len(r.text.split()) for r in records)
        print(f"{len(records):,} articles ({words:,} words) in {best:.2f}s: {len(records) / best:,.0f} articles/s")
        print(format_report(scores(gold, pred, classify.LABELS)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
