"""Throughput of repair + segment in one process, in words per second.

Data: 2,000 SaudiNewsNet articles (../shared/data/saudinewsnet, CC BY-NC-SA,
used here for measurement only), drawn with a fixed seed. Words are
whitespace-separated words of the original text. Prints words per second of wall clock and per
CPU-second of this process (``time.process_time``: what other jobs on the machine change least).
Prints figures; asserts nothing.

    python bench/bench_throughput.py [--articles 2000] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from saudinewsnet import DEFAULT_DATA, load_articles

import khabar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    texts = load_articles(args.data, args.articles, args.seed)
    words = sum(len(t.split()) for t in texts)
    nlp = khabar.load(["repair", "segment"])

    t0 = time.perf_counter()
    nlp.analyze(texts[0])  # first call loads the models
    load_s = time.perf_counter() - t0

    t0, c0 = time.perf_counter(), time.process_time()
    n_tokens = 0
    for text in texts:
        n_tokens += len(nlp.analyze(text)["tokens"])
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"data: SaudiNewsNet, {len(texts)} articles (seed {args.seed}), {words:,} words, {n_tokens:,} tokens")
    print(f"model load + first article: {load_s:.2f} s")
    print(f"repair+segment: {elapsed:.2f} s, {words / elapsed:,.0f} words/s, {len(texts) / elapsed:,.1f} articles/s (one process); "
          f"{words / cpu:,.0f} words per CPU-second (the fairer figure on a shared machine)")


if __name__ == "__main__":
    main()
