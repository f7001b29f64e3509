"""NER accuracy by cross-validation on the training part only: a check of the dev figure.

    python bench/bench_ner_cv.py [--data ../shared/data] [--folds 5] [--jobs 2] [--lexicon FILE]

The dev split (last 10% of ANERcorp's CAMeL train file) guides every choice, and the
hand-written gazetteers were extended after reading dev errors, so the dev F1 is optimistic
by an unknown margin. This bench never touches the dev split: it cuts the first 90% into
``--folds`` contiguous blocks and, for each block, trains the shipped configuration (first
pass, its own inner cross-validation for the second pass's training tags, second pass, the
post-rules) on the other blocks and tags the block, exactly as ``training/train_ner.py`` does
for the shipped model. Prints each fold and the pooled entity-level P/R/F1 per type.

About 3-4 minutes a fold on 2 cores. Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

import train_ner

Counts = dict[str, list[int]]


def add(total: Counts, scores: dict[str, object]) -> None:
    """Add one fold's tp/predicted/gold counts (micro and per type) to ``total``."""
    rows = [("micro", scores["micro"]), *scores["types"].items()]  # type: ignore[attr-defined]
    for label, s in rows:
        c = total.setdefault(label, [0, 0, 0])
        c[0] += s["tp"]
        c[1] += s["predicted"]
        c[2] += s["gold"]


def report(title: str, total: Counts) -> None:
    print(title)
    print("  type       P     R    F1   gold")
    for label, (tp, pred, gold) in total.items():
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {label:<6} {100 * p:5.1f} {100 * r:5.1f} {100 * f:5.1f} {gold:6d}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2, help="processes for the inner cross-validation")
    ap.add_argument(
        "--lexicon",
        type=Path,
        default=REPO / "src" / "khabar" / "models" / "ner_lexicon.bin.gz",
        help="word table of the dist family (default: the shipped one; a candidate's, to check it before shipping)",
    )
    args = ap.parse_args()

    train, _dev = train_ner.split(train_ner.load(args.data))
    # The word clusters (built from unlabeled ANT text, no ANERcorp labels involved).
    lexicon = train_ner.read_lexicon(args.lexicon)
    cfg, stack = train_ner.SHIP_CONFIG, train_ner.STACK
    assert stack is not None, "the shipped configuration has a second pass"
    n = len(train)
    bounds = [round(n * i / args.folds) for i in range(args.folds + 1)]
    print(f"ANERcorp CAMeL train, first 90% ({n} sentences), {args.folds} contiguous folds; dev split not used")
    first_total: Counts = {}
    both_total: Counts = {}
    for k in range(args.folds):
        t0 = time.perf_counter()
        rest = [*train[: bounds[k]], *train[bounds[k + 1] :]]
        block = train[bounds[k] : bounds[k + 1]]
        model1, _ = train_ner.train(rest, cfg["algorithm"], cfg["params"], cfg["families"], lexicon)
        inner = train_ner.first_pass_cv(rest, stack["folds"], lexicon, jobs=args.jobs)
        model2, _ = train_ner.train_stack(rest, inner, stack["params"], stack["window"], lexicon)
        first, _ = train_ner.evaluate(model1, cfg["families"], block, lexicon)
        both, _ = train_ner.evaluate(model1, cfg["families"], block, lexicon, model2, stack["window"])
        add(first_total, first)
        add(both_total, both)
        print(
            f"fold {k}: first pass {100 * first['micro']['f1']:.1f}  both passes {100 * both['micro']['f1']:.1f}"
            f"  ({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
    report("pooled, first pass", first_total)
    report("pooled, both passes (the shipped configuration)", both_total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
