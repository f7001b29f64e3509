"""Train the Farasa-compatible word segmenter shipped as khabar/models/segmenter.bin.gz.

Data (read from ``<repo>/../shared/data``; nothing from there is copied into the repo):

* ``farasa-wikinews/WikiNews.pos.ref`` -- gold clitic segmentation of 45 WikiNews
  articles, annotated by the QCRI Arabic Language Technologies team.  Licence: the
  README says "Feel free to copy and distribute the files".
* ``ant-multisource-v2.1/train.trec.gz`` and ``ant-v1.1-jawharafm/train.trec.gz`` --
  the ANT Arabic news corpora (Apache-2.0); only word counts are taken from their
  ``<TEXT>`` bodies, pruned to words seen at least ``--min-count`` times.

What ships: the ranker weights, the pruned ANT word counts and the gold lexicon
(surface word -> Farasa string).  SaudiNewsNet is never used (non-commercial licence).
The file is packed (``SegmenterModel.to_bytes``: weights and lexicon as JSON, the counts as a
marisa trie + uint32 array); schema 1 was one gzipped JSON object (``segmenter.json.gz``).

Usage::

    python training/train_segmenter.py            # train on all 45 articles, write the model
    python training/train_segmenter.py --cv 5     # article-level cross-validation only
    python training/train_segmenter.py --repack OLD.json.gz   # rewrite a schema-1 model packed

The run is deterministic: fixed seeds, sorted iteration, no wall-clock input.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

from build_segmenter_index import main as build_segmenter_index

from khabar.lang.ar.morph import (
    MODEL_FILE,
    SegmenterModel,
    _bare,
    candidates,
    features,
    segment_with,
)

DEFAULT_DATA = REPO.parent / "shared" / "data"
GOLD_REL = Path("farasa-wikinews") / "WikiNews.pos.ref"
ANT_REL = (
    Path("ant-multisource-v2.1") / "train.trec.gz",
    Path("ant-v1.1-jawharafm") / "train.trec.gz",
)
SEED = 13
SEEDS = 5

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_WORD = re.compile("[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+")

# Segment pairs that are written as one shorter string (nun assimilation, أن + لا).
_CONTRACT = {("من", "ما"): "مما", ("من", "من"): "ممن", ("عن", "ما"): "عما", ("عن", "من"): "عمن", ("أن", "لا"): "ألا", ("كن", "نا"): "كنا"}


# --- data ----------------------------------------------------------------------------------


def read_gold(path: Path) -> list[list[str]]:
    """Articles of gold Farasa strings (first column of WikiNews.pos.ref; blank line ends an article)."""
    articles: list[list[str]] = [[]]
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:  # header: refTok(Farasa) refPOS(Farasa)
        if not line.strip():
            if articles[-1]:
                articles.append([])
            continue
        articles[-1].append(line.split("\t")[0])
    if not articles[-1]:
        articles.pop()
    return articles


def surface_of(gold: str) -> str:
    """The word as written in running text: segments joined, ل+ال -> لل, مما, ألا..."""
    segs = gold.split("+")
    if len(segs) == 1:
        return gold
    out: list[str] = []
    i = 0
    while i < len(segs):
        seg = segs[i]
        nxt = segs[i + 1] if i + 1 < len(segs) else None
        if seg == "ل" and nxt == "ال" and i + 2 < len(segs):
            out.append("لل")
            stem = segs[i + 2]
            # ل+ال+لعب is written للعب (three lams become two)
            out.append(stem[1:] if stem.startswith("ل") and len(stem) > 1 else stem)
            i += 3
            continue
        if nxt is not None and (seg, nxt) in _CONTRACT:
            out.append(_CONTRACT[(seg, nxt)])
            i += 2
            continue
        out.append(seg)
        i += 1
    return "".join(out)


def corpus_counts(data: Path, min_count: int, cache: Path | None = None) -> dict[str, int]:
    """Word counts of the ANT corpora (undiacritized Arabic words), pruned to >= min_count."""
    if cache is not None and cache.exists():
        full: dict[str, int] = json.loads(gzip.decompress(cache.read_bytes()))
    else:
        counter: collections.Counter[str] = collections.Counter()
        for rel in ANT_REL:
            with gzip.open(data / rel, "rt", encoding="utf-8") as fh:
                text = fh.read()
            for m in _TEXT.finditer(text):
                counter.update(_WORD.findall(_MARKS.sub("", m.group(1))))
        full = dict(counter)
        if cache is not None:
            cache.write_bytes(gzip.compress(json.dumps(full, ensure_ascii=False).encode("utf-8")))
    return {w: n for w, n in sorted(full.items()) if n >= min_count}


# --- training ------------------------------------------------------------------------------


def instances(articles: Iterable[Sequence[str]], by_type: bool) -> list[tuple[str, str]]:
    """(bare surface word, gold string) pairs of the Arabic words (deduplicated when by_type)."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for art in articles:
        for gold in art:
            surface = surface_of(gold)
            bare = _bare(surface)
            if bare is None or len(bare[0]) < 2:
                continue
            pair = (bare[0], gold)
            if by_type and pair in seen:
                continue
            seen.add(pair)
            out.append(pair)
    return out


def build_lexicon(articles: Iterable[Sequence[str]]) -> dict[str, str]:
    """Surface word -> its most frequent gold string (first seen wins ties)."""
    votes: dict[str, collections.Counter[str]] = {}
    for art in articles:
        for gold in art:
            votes.setdefault(surface_of(gold), collections.Counter())[gold] += 1
    return {w: c.most_common(1)[0][0] for w, c in sorted(votes.items())}


def train_ranker(
    pairs: list[tuple[str, str]], counts: dict[str, int], epochs: int, seed: int = SEED
) -> dict[str, float]:
    """Averaged-perceptron ranker over candidate segmentations."""
    data: list[list[list[str]]] = []
    gold_idx: list[int] = []
    missing = 0
    for bare, gold in pairs:
        cands = candidates(bare)
        strings = [c.farasa() for c in cands]
        if gold not in strings:
            missing += 1
            continue
        data.append([features(bare, c, counts) for c in cands])
        gold_idx.append(strings.index(gold))
    if missing:
        print(f"  {missing} training words have no matching candidate", file=sys.stderr)
    weights: dict[str, float] = collections.defaultdict(float)
    totals: dict[str, float] = collections.defaultdict(float)  # sum of weights over time (lazy)
    stamps: dict[str, int] = collections.defaultdict(int)
    rng = random.Random(seed)
    order = list(range(len(data)))
    step = 0
    for _epoch in range(epochs):
        rng.shuffle(order)
        for i in order:
            step += 1
            feats = data[i]
            scores = [sum(weights.get(f, 0.0) for f in fs) for fs in feats]
            pred = max(range(len(scores)), key=scores.__getitem__)
            g = gold_idx[i]
            if pred == g:
                continue
            for f, delta in [*((f, 1.0) for f in feats[g]), *((f, -1.0) for f in feats[pred])]:
                totals[f] += (step - stamps[f]) * weights[f]
                stamps[f] = step
                weights[f] += delta
    averaged: dict[str, float] = {}
    for f in sorted(weights):
        total = totals[f] + (step - stamps[f]) * weights[f]
        avg = total / max(step, 1)
        if abs(avg) > 1e-6:
            averaged[f] = round(avg, 4)
    return averaged


def train_model(
    articles: Sequence[Sequence[str]], counts: dict[str, int], epochs: int, by_type: bool, seeds: int = SEEDS
) -> SegmenterModel:
    """Ranker + lexicon from the given articles."""
    pairs = instances(articles, by_type)
    # Average perceptrons trained on SEEDS shuffles: the single-run variance is a few
    # tenths of a point of accuracy, the average is steadier.
    summed: dict[str, float] = collections.defaultdict(float)
    for k in range(seeds):
        for f, w in train_ranker(pairs, counts, epochs, seed=SEED + k).items():
            summed[f] += w / seeds
    weights = {f: round(w, 4) for f, w in sorted(summed.items()) if abs(w) > 1e-6}
    return SegmenterModel(weights, counts, build_lexicon(articles))


def evaluate(model: SegmenterModel, articles: Iterable[Sequence[str]]) -> tuple[int, int, list[tuple[str, str, str]]]:
    """(correct, total, errors as (surface, predicted, gold)) over every gold word."""
    correct = total = 0
    errors: list[tuple[str, str, str]] = []
    for art in articles:
        for gold in art:
            surface = surface_of(gold)
            pred = "+".join(m.form for m in segment_with(model, surface))
            total += 1
            if pred == gold:
                correct += 1
            else:
                errors.append((surface, pred, gold))
    return correct, total, errors


def cross_validate(
    articles: Sequence[Sequence[str]],
    counts: dict[str, int],
    k: int,
    epochs: int,
    by_type: bool,
    verbose: bool = True,
    seeds: int = SEEDS,
) -> tuple[list[float], float, list[tuple[str, str, str]]]:
    """Article-level K-fold CV (article i goes to fold i % k): per-fold and pooled word accuracy."""
    accs: list[float] = []
    all_correct = all_total = 0
    errors: list[tuple[str, str, str]] = []
    for fold in range(k):
        test = [a for i, a in enumerate(articles) if i % k == fold]
        train = [a for i, a in enumerate(articles) if i % k != fold]
        model = train_model(train, counts, epochs, by_type, seeds)
        correct, total, errs = evaluate(model, test)
        errors += errs
        accs.append(correct / total)
        all_correct += correct
        all_total += total
        if verbose:
            print(f"fold {fold + 1}/{k}: {len(test)} articles, {total} words, accuracy {correct / total:.4f}")
    pooled = all_correct / all_total
    if verbose:
        print(f"mean fold accuracy {sum(accs) / k:.4f}; pooled {pooled:.4f} ({all_correct}/{all_total})")
    return accs, pooled, errors


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "khabar" / "models" / MODEL_FILE)
    parser.add_argument("--cv", type=int, default=0, help="run K-fold article-level CV instead of training")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--min-count", type=int, default=2, help="prune ANT words rarer than this")
    parser.add_argument("--by-token", action="store_true", help="train on every token, not unique words")
    parser.add_argument("--cache", type=Path, default=None, help="cache file for the ANT counts")
    parser.add_argument("--errors", type=int, default=0, help="print this many CV errors")
    parser.add_argument("--repack", type=Path, help="write a schema-1 segmenter.json.gz in the packed format, untrained")
    args = parser.parse_args(argv)
    if args.repack:
        old = json.loads(gzip.decompress(args.repack.read_bytes()).decode("utf-8"))
        if old.get("schema") != 1:
            raise SystemExit(f"{args.repack}: not a schema-1 segmenter model")
        args.out.write_bytes(SegmenterModel(old["weights"], old["counts"], old["lexicon"]).to_bytes())
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) from {args.repack}")
        build_segmenter_index()
        return 0

    t0 = time.perf_counter()
    articles = read_gold(args.data / GOLD_REL)
    counts = corpus_counts(args.data, args.min_count, args.cache)
    print(f"{len(articles)} articles, {sum(map(len, articles))} gold words; {len(counts)} ANT words kept")
    if args.cv:
        _accs, _pooled, errors = cross_validate(articles, counts, args.cv, args.epochs, not args.by_token)
        for surface, pred, gold in errors[: args.errors]:
            print(f"  {surface}\tpred {pred}\tgold {gold}")
        print(f"({time.perf_counter() - t0:.1f}s)")
        return 0
    model = train_model(articles, counts, args.epochs, not args.by_token)
    args.out.write_bytes(model.to_bytes())
    correct, total, _ = evaluate(model, articles)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, {len(model.weights)} weights)")
    print(f"training-set accuracy (not a generalisation figure): {correct / total:.4f}")
    build_segmenter_index()  # precomputed choices for frequent words; rewrites the manifest
    print(f"({time.perf_counter() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
