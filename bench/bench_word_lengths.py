"""How long real words get: the figures behind ``khabar.lang.ar.wordlen.MAX_WORD_LETTERS``.

Counts every run of letters (``[^\\W\\d_]+``: Arabic or Latin, no digits) in the ANT corpora
(v2.1 multi-source and v1.1 JawharaFM, train and dev, tags included) and prints the length
distribution's tail: how many runs are longer than 20, 25, 30, 40 letters, and the longest ones
with their counts. Needs ../shared/data (skipped with a message when absent).

    python bench/bench_word_lengths.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import Counter
from pathlib import Path

_RUN = re.compile(r"[^\W\d_]+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    parser.add_argument("--top", type=int, default=15, help="longest runs shown")
    args = parser.parse_args()
    files = sorted(Path(args.data).glob("ant-*/*.trec.gz"))
    if not files:
        print(f"no ANT corpus under {args.data}: nothing measured", file=sys.stderr)
        return
    lengths: Counter[int] = Counter()
    longest: Counter[str] = Counter()
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as stream:
            for line in stream:
                for run in _RUN.findall(line):
                    lengths[len(run)] += 1
                    if len(run) >= 20:
                        longest[run] += 1
    total = sum(lengths.values())
    print(f"{total:,} letter runs in {len(files)} files; longest {max(lengths)} letters")
    for bound in (15, 20, 25, 30, 40, 60):
        over = sum(n for length, n in lengths.items() if length > bound)
        print(f"  longer than {bound:2d} letters: {over:9,d} ({over / total:.6%})")
    print(f"the {args.top} longest runs (length, count):")
    for run, n in sorted(longest.items(), key=lambda kv: (-len(kv[0]), kv[0]))[: args.top]:
        print(f"  {len(run):4d} x{n:<4d} {run[:80]}")


if __name__ == "__main__":
    main()
