"""EASC summary benchmark: ROUGE table for khabar, Lead-N, LexRank/TextRank (sumy), human; then speed.

Prints only (never asserts). Needs ../shared/data/easc; LexRank/TextRank need the eval-only
package ``sumy`` (and numpy).

Usage:
    python bench/bench_summary.py [EASC_DIR] [--rule skip|stop|cross|all]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from khabar.components import keywords, summarize
from khabar.evaluation.summary import SELECTION_RULES, evaluate_easc, format_report, read_easc
from khabar.pipeline import Pipeline

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("easc", nargs="?", type=Path, default=REPO.parent / "shared" / "data" / "easc")
    parser.add_argument("--rule", default="skip", choices=[*SELECTION_RULES, "all"])
    args = parser.parse_args()
    for rule in SELECTION_RULES if args.rule == "all" else [args.rule]:
        print(format_report(evaluate_easc(args.easc, rule=rule)))
        print()

    data = read_easc(args.easc)
    segmenter = Pipeline(["segment"])
    t0 = time.perf_counter()
    docs = [segmenter.analyze(text) for _topic, text, _refs in data]
    t1 = time.perf_counter()
    for doc in docs:
        summarize.set_annotations(doc, summarize.predict(doc))
        keywords.set_annotations(doc, keywords.predict(doc))
    t2 = time.perf_counter()
    words = sum(len(d["tokens"]) for d in docs)
    print(f"{len(docs)} articles, {words:,} tokens")
    print(f"segment (repair+segment): {len(docs) / (t1 - t0):8.1f} articles/s")
    print(f"summarize+keywords:       {len(docs) / (t2 - t1):8.1f} articles/s  ({words / (t2 - t1):,.0f} tokens/s)")


if __name__ == "__main__":
    main()
