"""Accuracy and speed of the shipped topic classifier on ANT v2.1 dev.

    python bench/bench_topics.py                  # dev accuracy / macro-F1, articles/s, model size,
                                                  # and the figure with the outlet given as source
    python bench/bench_topics.py --repeat 3       # more timing passes (best pass is reported)

Only classification is timed (features + scoring, one process), after the model is
loaded. Prints figures; never asserts on time.
"""

from __future__ import annotations

import argparse
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
    t0 = time.perf_counter()
    classify.load_model()
    load_s = time.perf_counter() - t0
    model_path = REPO / "src" / "khabar" / "models" / classify.MODEL_FILE
    print(f"model {model_path.name}: {model_path.stat().st_size:,} bytes, {len(classify.load_model().rows):,} features")
    print(f"model load {load_s:.2f}s")

    best = float("inf")
    pred: list[str] = []
    for _ in range(max(1, args.repeat)):
        classify.light_stem.cache_clear()  # each pass starts cold
        t0 = time.perf_counter()
        pred = []
        for _docid, _label, title, text in records:
            dist = classify.classify_text(text, title or None)
            pred.append(max(dist, key=lambda k: dist[k]))
        best = min(best, time.perf_counter() - t0)
    words = sum(len(r[3].split()) for r in records)
    print(f"{len(records):,} articles ({words:,} words) in {best:.2f}s: {len(records) / best:,.0f} articles/s")

    report = scores([r[1] for r in records], pred, classify.LABELS)
    print(format_report(report))

    # The optional source input (the outlet named by the DOCNO prefix), reported apart:
    # a pasted article has no source, so the figure above is the headline one.
    outlets = {"AL": "AlArabiya", "BB": "BBC Arabic", "CN": "CNN Arabic", "FR": "France 24", "SK": "Sky News Arabia"}
    pred_src = []
    for docid, _label, title, text in records:
        dist = classify.classify_text(text, title or None, source=outlets.get(docid.split("-")[0]))
        pred_src.append(max(dist, key=lambda k: dist[k]))
    with_source = scores([r[1] for r in records], pred_src, classify.LABELS)
    print(
        f"\nwith the source given (meta source): accuracy {100 * with_source['accuracy']:.2f}%  "
        f"macro-F1 {100 * with_source['macro_f1']:.2f}%"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
