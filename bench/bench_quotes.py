"""Quotation extraction: its share of the full pipeline's time, and the dev-gold report.

Usage: python bench/bench_quotes.py [--data PATH/TO/shared/data] [--day 2015-07-21] [--n 200]
       [--gold bench/gold/quotes_dev.jsonl]

The share is measured on the first ``--n`` articles of one SaudiNewsNet day (evaluation only:
the corpus is CC BY-NC-SA; ``--day ''`` draws them with a fixed seed from all days instead).
Every default component but ``quotes`` runs on each article (timed), then the quotes component
on its result (timed); the full pipeline's time is the sum, and the quotes share is its part of
it. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from saudinewsnet import DEFAULT_DATA, day_articles, load_articles

import khabar
from khabar.components import quotes
from khabar.evaluation.quotes import evaluate, format_report, load_gold
from khabar.lang.ar.normalize import fold
from khabar.pipeline import DEFAULT_COMPONENTS

HERE = Path(__file__).resolve().parent
# Speakers no reader accepts (issue 13): a preposition with a pronoun, an honorific pronoun.
BAD_SPEAKERS = frozenset(
    fold(w)
    for w in ["لي", "له", "لها", "لهم", "لنا", "فيه", "فيها", "فيهم", "عنه", "عنها", "منه", "منها", "إليه", "إليها", "عليه", "عليها", "معه", "معها", "به", "بها", "سموه"]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--day", default="2015-07-21", help="SaudiNewsNet day; '' for a seeded draw from all days")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--gold", type=Path, default=HERE / "gold" / "quotes_dev.jsonl")
    args = parser.parse_args()

    articles = day_articles(args.data, args.day, args.n) if args.day else load_articles(args.data, n=args.n)
    rest = khabar.load([c for c in DEFAULT_COMPONENTS if c != "quotes"])
    quotes.set_annotations(d := rest.analyze(articles[0]), quotes.predict(d))  # load models outside the timing
    t_rest = t_quotes = 0.0
    n_quotes = n_chars = 0
    bad: dict[str, int] = {}
    for text in articles:
        t0 = time.perf_counter()
        doc = rest.analyze(text)
        t1 = time.perf_counter()
        quotes.set_annotations(doc, quotes.predict(doc))
        t2 = time.perf_counter()
        t_rest += t1 - t0
        t_quotes += t2 - t1
        n_quotes += len(doc["quotes"])
        for q in doc["quotes"]:
            who = q.attrs.get("speaker")
            if who and fold(str(who["text"])) in BAD_SPEAKERS:
                bad[fold(str(who["text"]))] = bad.get(fold(str(who["text"])), 0) + 1
        n_chars += len(text)
    total = t_rest + t_quotes
    where = f"day {args.day}" if args.day else "a seeded draw"
    print(f"{len(articles)} SaudiNewsNet articles ({where}, {n_chars} characters), {n_quotes} quotations")
    print(f"full pipeline {total:.2f} s: other components {t_rest:.2f} s, quotes {t_quotes:.3f} s")
    print(f"quotes share of the full pipeline's time: {100 * t_quotes / total:.1f}%")
    print(f"quotes per article: {1000 * t_quotes / len(articles):.2f} ms")
    shown = ", ".join(f"{w} {n}" for w, n in sorted(bad.items(), key=lambda x: -x[1])) or "none"
    print(f"speakers that are a prepositional or honorific pronoun: {sum(bad.values())} ({shown})")
    if args.gold.is_file():
        print()
        print(format_report(evaluate(load_gold(args.gold, args.data))))
    else:
        print(f"(no gold at {args.gold}: evaluation skipped)")


if __name__ == "__main__":
    main()
