"""No-harm benchmark: the spaces the repair component inserts into untouched articles.

Data: SaudiNewsNet (inparallel/SaudiNewsNet, CC BY-NC-SA 4.0) from ../shared/data, read as
bench/bench_repair.py reads it, for evaluation only; the ANT train splits (Apache-2.0) for word
counts. Nothing derived from either is written anywhere.

Method: sample untouched articles with a fixed seed and run the whole repair component. Every
edit that puts a space where there was none (an insertion such as ``glued_words`` or
``quote_space``, or a replacement whose text adds a space to a stretch that had none) is listed,
grouped by rule, with counts and examples. Such a space is *harm* when it falls inside a word:
the letters on its two sides (reading across tatweel, diacritics and quotation marks, so
``لـ«الحياة»`` reads ``لالحياة``/``للحياة`` and ``و«لن`` reads ``ولن``) form a word that occurs
unsplit at least ``--min-count`` times in the ANT train bodies. The harm count should be 0.

Prints figures and the list; never asserts.

Usage:
    python bench/bench_repair_noharm.py [--articles 2000] [--seed 2015] [--min-count 20] [--examples 8] [--all]
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for path in (REPO / "src", REPO / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_repair import load_articles

from khabar.components import repair
from khabar.doc import Doc, Edit
from khabar.lang.ar.chars import DIACRITIC_RANGES, LETTER_RANGES, QUOTE_MARKS, TATWEEL

ANT_FILES = ("ant-multisource-v2.1/train.trec.gz", "ant-v1.1-jawharafm/train.trec.gz")
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_LETTERS = f"{LETTER_RANGES}"
_WORD = re.compile(f"[{_LETTERS}][{_LETTERS}{DIACRITIC_RANGES}{TATWEEL}]*")
_MARKS = re.compile(f"[{DIACRITIC_RANGES}{TATWEEL}]")
_BRIDGE = re.compile(f"[{_LETTERS}{DIACRITIC_RANGES}{TATWEEL}{re.escape(QUOTE_MARKS)}]")
_LETTER = re.compile(f"[{_LETTERS}]")


def ant_counts(data: Path) -> Counter[str]:
    """Surface word counts (diacritics and tatweel removed) over the ANT train bodies."""
    counts: Counter[str] = Counter()
    for rel in ANT_FILES:
        with gzip.open(data / rel, "rt", encoding="utf-8") as fh:
            raw = fh.read()
        for body in _TEXT.findall(raw):
            counts.update(_MARKS.sub("", w) for w in _WORD.findall(body))
    return counts


def added_spaces(text: str, edits: list[Edit]) -> list[tuple[Edit, int, int]]:
    """Edits that add a space where there was none, with the original stretch each one splits."""
    out = []
    for e in edits:
        if " " not in e.replacement:
            continue
        if e.start == e.end or not any(ch.isspace() for ch in text[e.start : e.end]):
            out.append((e, e.start, e.end))
    return out


def word_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(left, right, context): the letter runs touching a space put between ``start`` and ``end``."""
    a = start
    while a > 0 and _BRIDGE.match(text[a - 1]):
        a -= 1
    b = end
    while b < len(text) and _BRIDGE.match(text[b]):
        b += 1
    left = "".join(_LETTER.findall(text[a:start]))
    right = "".join(_LETTER.findall(text[end:b]))
    context = text[max(0, a - 12) : start] + "|" + text[start:end] + "|" + text[end : b + 12]
    return left, right, context.replace("\n", "⏎")


def harm_word(left: str, right: str, counts: Counter[str], min_count: int) -> str | None:
    """The ANT word the two sides make when read together (``ل`` + ``ال...`` is spelt ``لل...``)."""
    if not left or not right:
        return None
    candidates = [left + right]
    if left.endswith("ل") and right.startswith("ال"):
        candidates.append(left + right[1:])
    for word in candidates:
        if counts.get(word, 0) >= min_count:
            return word
    return None


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Spaces inserted by repair into untouched SaudiNewsNet articles.")
    parser.add_argument("--articles", type=int, default=2000, help="articles in the sample (default 2000)")
    parser.add_argument("--seed", type=int, default=2015, help="sampling seed (default 2015)")
    parser.add_argument("--min-count", type=int, default=20, help="ANT count that makes a word a word (default 20)")
    parser.add_argument("--examples", type=int, default=8, help="examples printed per rule (default 8)")
    parser.add_argument("--all", action="store_true", help="list every added space, one a line, under its rule")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                        help="shared data folder (default <repo>/../shared/data)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    counts = ant_counts(args.data)
    pool = load_articles(args.data)
    rng = random.Random(args.seed)
    chosen = sorted(rng.sample(range(len(pool)), min(args.articles, len(pool))))
    print(f"data: SaudiNewsNet (CC BY-NC-SA 4.0, evaluation only), {len(chosen)} untouched articles "
          f"(seed {args.seed}); ANT train word counts: {len(counts):,} surface words [{time.perf_counter() - t0:.1f} s]")

    by_rule: dict[str, list[str]] = defaultdict(list)
    harms: list[tuple[str, str, str]] = []  # rule, word, context
    words = 0
    t0 = time.perf_counter()
    for idx in chosen:
        text = pool[idx]
        words += len(text.split())
        edits, _pairs = repair.predict(Doc(text))
        for e, start, end in added_spaces(text, edits):
            left, right, context = word_around(text, start, end)
            by_rule[e.rule].append(context)
            word = harm_word(left, right, counts, args.min_count)
            if word is not None:
                harms.append((e.rule, word, context))
    elapsed = time.perf_counter() - t0
    total = sum(len(v) for v in by_rule.values())
    print(f"repair: {words:,} words, {total:,} added spaces [{elapsed:.1f} s]")
    for rule, contexts in sorted(by_rule.items(), key=lambda kv: -len(kv[1])):
        print(f"  {rule:<18} {len(contexts):>6,}  e.g. " + "   ".join(contexts[: args.examples]))
        if args.all:
            for context in contexts:
                print(f"      {context}")
    print(f"harm: {len(harms)} added spaces inside a word seen unsplit >= {args.min_count} times in ANT")
    for rule, word, context in harms:
        print(f"  {rule:<18} {word:<16} {context}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
