"""Quotation extraction: its share of the full pipeline's time, and the dev-gold report.

Usage: python bench/bench_quotes.py [--data PATH/TO/shared/data] [--n 300] [--gold bench/gold/quotes_dev.jsonl]

The share is measured on SaudiNewsNet articles (evaluation only: the corpus is CC BY-NC-SA):
the default pipeline (``khabar.load()``) runs on each article, then the quotes component, and
the time spent in quotes is divided by the total. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from saudinewsnet import DEFAULT_DATA, load_articles

import khabar
from khabar.components import quotes
from khabar.evaluation.quotes import evaluate, format_report, load_gold

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--gold", type=Path, default=HERE / "gold" / "quotes_dev.jsonl")
    args = parser.parse_args()

    articles = load_articles(args.data, n=args.n)
    nlp = khabar.load()
    nlp.analyze(articles[0])  # load the models outside the timing
    t_pipeline = t_quotes = 0.0
    n_quotes = 0
    for text in articles:
        t0 = time.perf_counter()
        doc = nlp.analyze(text)
        t1 = time.perf_counter()
        quotes.set_annotations(doc, quotes.predict(doc))
        t2 = time.perf_counter()
        t_pipeline += t1 - t0
        t_quotes += t2 - t1
        n_quotes += len(doc["quotes"])
    total = t_pipeline + t_quotes
    print(f"{len(articles)} SaudiNewsNet articles, {n_quotes} quotations")
    print(f"pipeline (default components) {t_pipeline:.2f} s, quotes {t_quotes:.2f} s")
    print(f"quotes share of the full pipeline's time: {100 * t_quotes / total:.1f}%")
    if args.gold.is_file():
        print()
        print(format_report(evaluate(load_gold(args.gold, args.data))))
    else:
        print(f"(no gold at {args.gold}: evaluation skipped)")


if __name__ == "__main__":
    main()
