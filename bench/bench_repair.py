"""Benchmark: restoring spaces lost between Arabic words (khabar.lang.ar.glue).

Data: SaudiNewsNet (inparallel/SaudiNewsNet, CC BY-NC-SA 4.0) from ../shared/data. It is
used here for evaluation only; nothing derived from it ships with khabar.

Method: sample articles with a fixed seed; delete a random 3% of the single spaces that
sit between two Arabic letters; run ``restore_spaces`` on the damaged text. A predicted
insertion is correct when it is exactly where a space was deleted. False splits are
counted on the untouched article: every insertion there is counted as false, even where
the newspaper itself glued two words (``وزيرالخارجية``) - use ``--show`` to look at them.

Prints figures; never asserts on time.

Usage:
    python bench/bench_repair.py [--articles 2000] [--seed 2015] [--data ../shared/data] [--show 20]
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import random
import re
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from khabar.lang.ar.glue import LETTERS, WORD_RE, restore_spaces

DELETE_RATE = 0.03
# A single space with an Arabic letter on each side.
_GAP_RE = re.compile(f"(?<=[{LETTERS}]) (?=[{LETTERS}])")


@dataclass
class RepairScore:
    """Counts from one benchmark run."""

    articles: int = 0
    words: int = 0  # Arabic words (letter runs) in the clean articles
    deleted: int = 0
    predicted: int = 0
    correct: int = 0
    false_splits: int = 0  # insertions proposed on the untouched articles
    digest: str = ""
    examples: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of insertions on damaged text that are exactly at a deleted space."""
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of deleted spaces that were restored."""
        return self.correct / self.deleted if self.deleted else 1.0

    @property
    def false_per_10k(self) -> float:
        """False splits on clean text per 10,000 Arabic words."""
        return 1e4 * self.false_splits / self.words if self.words else 0.0


def load_articles(data: Path) -> list[str]:
    """Non-empty ``content`` of every SaudiNewsNet article, in file order."""
    paths = sorted(glob.glob(str(data / "saudinewsnet" / "dataset" / "*.zip")))
    if not paths:
        raise FileNotFoundError(f"no SaudiNewsNet zips under {data / 'saudinewsnet' / 'dataset'}")
    out: list[str] = []
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            for name in sorted(zf.namelist()):
                for item in json.loads(zf.read(name)):
                    content = item.get("content") or ""
                    if content.strip():
                        out.append(content)
    return out


def damage(text: str, rng: random.Random, rate: float = DELETE_RATE) -> tuple[str, list[int]]:
    """Delete ``rate`` of the letter-letter spaces; return the text and the insertion offsets."""
    deleted = [m.start() for m in _GAP_RE.finditer(text) if rng.random() < rate]
    pieces: list[str] = []
    last = 0
    for pos in deleted:
        pieces.append(text[last:pos])
        last = pos + 1
    pieces.append(text[last:])
    # The k-th deleted space (0-based) sits k characters earlier in the damaged text.
    return "".join(pieces), [pos - k for k, pos in enumerate(deleted)]


def evaluate(data: Path, articles: int, seed: int, show: int = 0) -> RepairScore:
    """Run the benchmark on ``articles`` SaudiNewsNet articles sampled with ``seed``."""
    pool = load_articles(data)
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(len(pool)), min(articles, len(pool))))
    score = RepairScore(articles=len(chosen))
    digest = hashlib.sha256()
    for idx in chosen:
        clean = pool[idx]
        digest.update(clean.encode("utf-8"))
        damaged, gold = damage(clean, rng)
        predicted = restore_spaces(damaged)
        score.deleted += len(gold)
        score.predicted += len(predicted)
        score.correct += len(set(gold) & set(predicted))
        score.words += sum(1 for _ in WORD_RE.finditer(clean))
        false = restore_spaces(clean)
        score.false_splits += len(false)
        for off in false:
            if len(score.examples) < show:
                start, end = off, off
                while start > 0 and not clean[start - 1].isspace():
                    start -= 1
                while end < len(clean) and not clean[end].isspace():
                    end += 1
                score.examples.append(f"{clean[start:off]}|{clean[off:end]}")
    score.digest = digest.hexdigest()[:16]
    return score


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Benchmark glued-word repair on SaudiNewsNet.")
    parser.add_argument("--articles", type=int, default=2000, help="articles to sample (default 2000)")
    parser.add_argument("--seed", type=int, default=2015, help="sampling/damage seed (default 2015)")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                        help="shared data folder (default <repo>/../shared/data)")
    parser.add_argument("--show", type=int, default=0, help="print this many false splits on clean text")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    score = evaluate(args.data, args.articles, args.seed, args.show)
    elapsed = time.perf_counter() - t0
    print(f"data: SaudiNewsNet (CC BY-NC-SA 4.0, evaluation only), {score.articles} articles, "
          f"seed {args.seed}, sha256[:16] {score.digest}, {score.words:,} Arabic words")
    print(f"damage: {DELETE_RATE:.0%} of letter-letter spaces deleted -> {score.deleted:,} to restore")
    print(f"precision {score.precision:.4f}  ({score.correct:,}/{score.predicted:,})")
    print(f"recall    {score.recall:.4f}  ({score.correct:,}/{score.deleted:,})")
    print(f"false splits on clean text: {score.false_splits:,} = {score.false_per_10k:.2f} per 10,000 words")
    print(f"time: {elapsed:.1f} s including loading (not a speed benchmark)")
    for ex in score.examples:
        print("  false split:", ex)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
