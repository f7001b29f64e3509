"""Accuracy and speed of the shipped word segmenter on the QCRI WikiNews gold.

    python bench/bench_segmenter.py                    # shipped-model accuracy + words/s
    python bench/bench_segmenter.py --cv 5 --errors 20 # plus article-level cross-validation

The shipped model was trained on these 45 articles, so its accuracy here is an
upper bound; ``--cv`` retrains on 4/5 of the articles and tests on the rest, which is
the figure that predicts accuracy on unseen news.  Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

import train_segmenter as ts

from khabar.lang.ar import morph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=ts.DEFAULT_DATA / ts.GOLD_REL, help="WikiNews.pos.ref")
    parser.add_argument("--data", type=Path, default=ts.DEFAULT_DATA, help="shared data folder (for --cv)")
    parser.add_argument("--cv", type=int, default=0, help="also run K-fold article-level cross-validation")
    parser.add_argument("--errors", type=int, default=0, help="print this many error examples")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the text for the cached speed")
    args = parser.parse_args(argv)

    articles = ts.read_gold(args.gold)
    words = [ts.surface_of(g) for art in articles for g in art]
    golds = [g for art in articles for g in art]

    # uncached: every distinct word once, caches cleared
    morph.load_model()
    morph.segment_word.cache_clear()
    morph.farasa_segment.cache_clear()
    distinct = sorted(set(words))
    t0 = time.perf_counter()
    for w in distinct:
        morph.farasa_segment(w)
    uncached = len(distinct) / (time.perf_counter() - t0)

    # cached: running text, the way a pipeline calls it
    morph.farasa_segment.cache_clear()
    morph.segment_word.cache_clear()
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for w in words:
            morph.farasa_segment(w)
    cached = args.repeat * len(words) / (time.perf_counter() - t0)

    errors = [(w, p, g) for w, g in zip(words, golds) if (p := morph.farasa_segment(w)) != g]
    acc = 1 - len(errors) / len(words)
    print(f"gold: {args.gold} ({len(articles)} articles, {len(words)} words, {len(distinct)} distinct)")
    print(f"shipped model word accuracy: {acc:.4f} (trained on these articles: an upper bound)")
    print(f"speed: {uncached:,.0f} distinct words/s uncached; {cached:,.0f} words/s on running text "
          f"(lru_cache, {args.repeat} passes)")
    for w, p, g in errors[: args.errors]:
        print(f"  shipped error: {w}\tpred {p}\tgold {g}")

    if args.cv:
        counts = ts.corpus_counts(args.data, 2)
        _accs, _pooled, cv_errors = ts.cross_validate(articles, counts, args.cv, 10, True)
        for w, p, g in cv_errors[: args.errors]:
            print(f"  cv error: {w}\tpred {p}\tgold {g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
