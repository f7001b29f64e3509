"""Fit the borderline-split weights of khabar.lang.ar.glue (``_BORDERLINE_WEIGHTS``).

Data source: the ANT Corpus dev splits only (Apache-2.0; cite as in training/build_lexicon.py):
``ant-multisource-v2.1/dev.trec.gz`` and ``ant-v1.1-jawharafm/dev.trec.gz``. The word counts of
the glue model come from the train splits, so these texts are unseen by it. Nothing from
SaudiNewsNet is read here.

Method: delete 3% of the single spaces between two Arabic letters at random (fixed seed), run
the glue model's analysis on every letter run of the damaged text, and keep the borderline
candidates (margin in (0, _THRESHOLD]): label 1 when the proposed cuts are exactly the deleted
spaces inside the run, else 0. A logistic regression (L2, standardised features, plain gradient
descent, deterministic) is fitted on the features of ``glue._borderline_features``; the weights
are printed back in raw feature units, ready to paste into glue.py. Prints; writes nothing.

Usage:
    python training/fit_glue_borderline.py [--data ../shared/data] [--seed 2026]
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from khabar.lang.ar import glue

CORPORA = ("ant-multisource-v2.1/dev.trec.gz", "ant-v1.1-jawharafm/dev.trec.gz")
TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
GAP_RE = re.compile(f"(?<=[{glue.LETTERS}]) (?=[{glue.LETTERS}])")
DELETE_RATE = 0.03
L2 = 1e-3
STEPS = 4000
RATE = 0.5


def rows(data: Path, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the borderline candidates on damaged ANT dev text."""
    rng = random.Random(seed)
    feats: list[tuple[float, ...]] = []
    labels: list[int] = []
    for rel in CORPORA:
        with gzip.open(data / rel, "rt", encoding="utf-8") as fh:
            bodies = TEXT_RE.findall(fh.read())
        for body in bodies:
            deleted = [m.start() for m in GAP_RE.finditer(body) if rng.random() < DELETE_RATE]
            pieces, last = [], 0
            for pos in deleted:
                pieces.append(body[last:pos])
                last = pos + 1
            pieces.append(body[last:])
            text = "".join(pieces)
            gold = {pos - k for k, pos in enumerate(deleted)}
            matches = list(glue.WORD_RE.finditer(text))
            for i, m in enumerate(matches):
                token = m.group()
                if len(token) < 4:
                    continue
                offsets, margin, key = glue._token_analysis(token)
                if not offsets or not 0.0 < margin <= glue._THRESHOLD:
                    continue
                prev = glue._neighbour_key(text, matches, i - 1, m.start(), before=True)
                nxt = glue._neighbour_key(text, matches, i + 1, m.end(), before=False)
                cut_keys = tuple(len(glue.fold(token[:o])) for o in offsets)
                inside = {g - m.start() for g in gold if m.start() < g < m.end()}
                feats.append(glue._borderline_features(key, cut_keys, margin, prev, nxt))
                labels.append(int(set(offsets) == inside))
    return np.array(feats), np.array(labels, dtype=float)


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression on standardised features; weights returned in raw units."""
    mean = x[:, 1:].mean(axis=0)
    std = x[:, 1:].std(axis=0) + 1e-9
    z = x.copy()
    z[:, 1:] = (z[:, 1:] - mean) / std
    w = np.zeros(z.shape[1])
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        w -= RATE * (z.T @ (p - y) / len(y) + L2 * w)
    raw = w.copy()
    raw[1:] = w[1:] / std
    raw[0] = w[0] - float((w[1:] * mean / std).sum())
    return raw


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--seed", type=int, default=2026, help="damage seed (default 2026)")
    args = parser.parse_args(argv)
    x, y = rows(args.data, args.seed)
    print(f"borderline candidates on damaged ANT dev text: {len(y):,} ({int(y.sum()):,} exactly right)")
    w = fit(x, y)
    score = x @ w
    for cutoff in (0.0, 0.5, 1.0, 1.5, 2.0):
        kept = score > cutoff
        right = int((kept & (y == 1)).sum())
        print(f"  cutoff {cutoff:.1f}: keeps {int(kept.sum()):,}, {right:,} right "
              f"({right / max(1, int(kept.sum())):.3f})")
    print("_BORDERLINE_WEIGHTS = (" + ", ".join(f"{v:.4f}" for v in w) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
