"""NER round 6 experiments (issue 12 point 1): extra word-table columns for the two-pass CRF.

Same data, split, scoring and learner as training/train_ner.py (ANERcorp CAMeL split, train =
first 90% of the sentences, dev = last 10%; entity-level exact span+type; the shipped two-pass
CRF: first pass c1=.2 c2=.2, second pass trained on 5-fold cross-validated first-pass tags,
window +-25 sentences, the post-rules). Every extra feature is an extra column of the word
table that the ``dist`` family already reads (folded token, then without و/ف/ب/ل/ك, then
without ال), so the feature code of khabar is unchanged; a column's string ``x`` reaches the
CRF as ``dx``. Columns (each optional):

``--vclusters``  ids of k-means clusters of the ANT word2vec vectors (``v64``/``v256``/``v1024``,
                 training/build_vectors.py): round 5's "next #1".
``--history``    prediction history over unlabeled ANT news (Ratinov & Roth 2009, "global
                 features" from a first-pass tagger, semi-supervised): a first-pass model (no
                 history features) tags ANT articles (every ``--stride``-th, deduplicated);
                 per folded word, the distribution of its predicted labels over those
                 occurrences gives ``ph=TYPE_hi|mid|lo`` (the most frequent entity type and
                 its smoothed share c/(n+1) bucketed at .7/.4/.15), ``ph=O`` (never >= .15),
                 ``ph=?`` (seen < 3 times), and ``pi=B|I|-`` (that type's usual position).
                 ``naive``: one table from the model trained on all training sentences.
                 ``crossfit``: a training sentence in contiguous fold k of 5 sees the table
                 of the model trained without fold k (so its own label never shaped its
                 feature: no memorised entity looks certain); test sentences see the table of
                 the model trained on all training sentences. ANERcorp gold never enters a
                 table except through a model's predictions on ANT text.
``--gazexp``     gazetteer expansion by vector neighbours, rule fixed before any run: a word
                 of the vector vocabulary with no single-word gazetteer category whose 10
                 nearest neighbours (cosine, among the same vocabulary, itself excluded)
                 hold >= 6 words of one category (LOC/NAT/ORG/MISC/NAME/TTL/ORGC/LOCC) gets
                 ``gx=CAT``.

Second pass variants (``--stack-grid "c1,c2;c1,c2"``, ``--windows 25,50``) reuse one first
pass and one inner cross-validation, so a grid costs one training per cell.

    python training/ner_round6.py dev [--vclusters] [--history naive|crossfit] [--gazexp] [--stack-grid ...]
    python training/ner_round6.py cv  [same options]     # 5-fold CV on the first 90% (bench_ner_cv's folds),
                                                          # every table rebuilt inside each fold
    python training/ner_round6.py table --history ... --out FILE.bin.gz   # the word table to ship

Deterministic: fixed data order, L-BFGS, no random numbers.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

import pycrfsuite  # type: ignore[import-untyped]
import train_ner

from khabar.components.ner import Featurizer, apply_rules, stack_features
from khabar.components.ner_features import _gaz_single, _split
from khabar.evaluation.ner import entity_scores, format_scores
from khabar.lang.ar.normalize import fold

Sentences = Sequence[list[tuple[str, str]]]
Lexicon = dict[str, tuple[str, ...]]
Feats = list[list[list[str]]]
TYPES = ("PERS", "LOC", "ORG", "MISC")
SENT_END = frozenset(".!?؟")
MAX_SENT = 80  # ANT text: a sentence is cut at sentence-final punctuation or after this many tokens
HIST_MIN = 3
NEIGHBOURS = 10
GAZ_VOTES = 6


# --------------------------------------------------------------------------- CRF helpers


def featurize(token_lists: Sequence[Sequence[str]], lexicon: Lexicon) -> Feats:
    fz = Featurizer(train_ner.SHIP_CONFIG["families"], lexicon)
    return [fz.sentence(toks) for toks in token_lists]


def fit(feats: Sequence[list[list[str]]], labels: Sequence[Sequence[str]], params: dict[str, Any]) -> bytes:
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(params)
    for f, y in zip(feats, labels, strict=True):
        trainer.append(f, list(y))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.crfsuite"
        trainer.train(str(path))
        return path.read_bytes()


def tag(model: bytes, feats: Sequence[list[list[str]]]) -> list[list[str]]:
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model)
    return [list(tagger.tag(f)) if f else [] for f in feats]


def bounds(n: int, folds: int) -> list[int]:
    return [round(n * i / folds) for i in range(folds + 1)]


def without(items: Sequence[Any], a: int, b: int) -> list[Any]:
    return [*items[:a], *items[b:]]


# --------------------------------------------------------------------------- extra columns


def ant_sentences(data: Path, stride: int) -> list[list[str]]:
    """Raw-token sentences of every ``stride``-th deduplicated ANT train article (file order)."""
    seen: set[str] = set()
    out: list[list[str]] = []
    k = 0
    for name in train_ner.ANT_FILES:
        with gzip.open(data / name, "rt", encoding="utf-8") as fh:
            raw = fh.read()
        for m in train_ner._TEXT.finditer(raw):
            body = m.group(1)
            if body in seen:
                continue
            seen.add(body)
            k += 1
            if k % stride:
                continue
            cur: list[str] = []
            for t in train_ner._ANT_TOKEN.findall(body):
                cur.append(t)
                if t in SENT_END or len(cur) >= MAX_SENT:
                    out.append(cur)
                    cur = []
            if cur:
                out.append(cur)
    return out


def history_table(model: bytes, lexicon: Lexicon, ant: Sequence[Sequence[str]]) -> dict[str, tuple[str, str]]:
    """Folded word -> (ph, pi) from ``model``'s tags of the ANT sentences (``lexicon``: its word table)."""
    # only the features the model weighs (as the shipped tagger does): the same tags, faster
    fz = Featurizer(train_ner.SHIP_CONFIG["families"], lexicon, train_ner.model_attributes(model))
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model)
    counts: dict[str, Counter[str]] = {}
    for toks in ant:
        for t, y in zip(toks, tagger.tag(fz.sentence(toks)), strict=True):
            f = fold(t)
            if f:
                counts.setdefault(f, Counter())[y] += 1
    table: dict[str, tuple[str, str]] = {}
    for w, c in counts.items():
        n = sum(c.values())
        if n < HIST_MIN:
            table[w] = ("ph=?", "pi=-")
            continue
        by_type = {x: c["B-" + x] + c["I-" + x] for x in TYPES}
        best = max(TYPES, key=lambda x: (by_type[x], -TYPES.index(x)))
        p = by_type[best] / (n + 1)
        if p < 0.15:
            table[w] = ("ph=O", "pi=-")
            continue
        bucket = "hi" if p >= 0.7 else "mid" if p >= 0.4 else "lo"
        table[w] = (f"ph={best}_{bucket}", "pi=B" if c["B-" + best] >= c["I-" + best] else "pi=I")
    return table


def with_history(lexicon: Lexicon, table: dict[str, tuple[str, str]]) -> Lexicon:
    """The word table with the two history columns (words of the table only; absent: ``ph=?``)."""
    return {w: f + table.get(w, ("ph=?", "pi=-")) for w, f in lexicon.items()}


def gaz_expansion(vectors: Path) -> dict[str, str]:
    """Folded word -> gazetteer category by the votes of its 10 nearest vector neighbours (see the module doc)."""
    vocab = (vectors / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    vec = np.load(vectors / "vectors.npy").astype(np.float32)
    vocab = vocab[: len(vec)]
    cats: list[tuple[str, ...]] = []
    for w in vocab:
        _pre, nop, core = _split(w)
        cats.append(_gaz_single(nop, core))
    has = np.array([bool(c) for c in cats])
    out: dict[str, str] = {}
    for b in range(0, len(vec), 1000):
        sims = vec[b : b + 1000] @ vec.T
        for i in range(len(sims)):
            sims[i, b + i] = -2.0
        top = np.argpartition(-sims, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]
        for i, row in enumerate(top):
            w = b + i
            if has[w]:
                continue
            votes: Counter[str] = Counter()
            for j in row:
                for c in cats[j]:
                    votes[c] += 1
            if votes:
                cat, n = max(votes.items(), key=lambda kv: (kv[1], kv[0]))
                if n >= GAZ_VOTES:
                    out[vocab[w]] = cat
    return out


def base_lexicon(args: argparse.Namespace) -> Lexicon:
    """The shipped ANT clusters plus the label-free columns asked for (vector clusters, gazetteer expansion)."""
    lexicon = train_ner.read_lexicon(args.lexicon)
    if args.vclusters:
        vcl = train_ner.read_lexicon(args.vectors / "clusters.tsv.gz")
        empty = ("v64=?", "v256=?", "v1024=?")
        lexicon = {w: f + vcl.get(w, empty) for w, f in lexicon.items()}
    if args.gazexp:
        t0 = time.perf_counter()
        gx = gaz_expansion(args.vectors)
        by_cat = Counter(gx.values())
        print(f"gazetteer expansion: {len(gx)} words {dict(sorted(by_cat.items()))} ({time.perf_counter() - t0:.0f} s)")
        lexicon = {w: (*f, "gx=" + gx.get(w, "-")) for w, f in lexicon.items()}
    return lexicon


# --------------------------------------------------------------------------- the two-pass pipeline


class Run:
    """One training set with its feature lists (per-sentence word tables for the crossfit history)."""

    def __init__(self, args: argparse.Namespace, train: Sentences, base: Lexicon, ant: list[list[str]] | None) -> None:
        self.args = args
        self.tokens = [[t for t, _ in s] for s in train]
        self.labels = [[g for _, g in s] for s in train]
        self.p1 = train_ner.SHIP_CONFIG["params"]
        t0 = time.perf_counter()
        self.test_lexicon = base
        base_feats = featurize(self.tokens, base)
        if args.history == "none":
            self.feats = base_feats
        else:
            assert ant is not None
            m0 = fit(base_feats, self.labels, self.p1)
            self.test_lexicon = with_history(base, history_table(m0, base, ant))
            if args.history == "naive":
                self.feats = featurize(self.tokens, self.test_lexicon)
            else:
                n = len(train)
                bd = bounds(n, 5)
                self.feats = []
                for k in range(5):
                    mk = fit(without(base_feats, bd[k], bd[k + 1]), without(self.labels, bd[k], bd[k + 1]), self.p1)
                    lex_k = with_history(base, history_table(mk, base, ant))
                    self.feats += featurize(self.tokens[bd[k] : bd[k + 1]], lex_k)
            print(f"  history tables built ({time.perf_counter() - t0:.0f} s)", flush=True)
        self.model1 = fit(self.feats, self.labels, self.p1)
        print(f"  first pass trained ({time.perf_counter() - t0:.0f} s)", flush=True)

    def inner_tags(self) -> list[list[str]]:
        n = len(self.tokens)
        bd = bounds(n, train_ner.STACK["folds"] if train_ner.STACK else 5)
        out: list[list[str]] = []
        for k in range(len(bd) - 1):
            a, b = bd[k], bd[k + 1]
            mk = fit(without(self.feats, a, b), without(self.labels, a, b), self.p1)
            out += tag(mk, self.feats[a:b])
        return out

    def stacks(self, grid: list[tuple[float, float]], windows: list[int]) -> dict[tuple[float, float, int], bytes]:
        t0 = time.perf_counter()
        first = self.inner_tags()
        fz = Featurizer(train_ner.SHIP_CONFIG["families"])  # keys only
        out = {}
        for w in windows:
            feats = [[list(x) for x in s] for s in self.feats]
            stack_features(fz, self.tokens, feats, first, w)
            for c1, c2 in grid:
                params = {**train_ner.SHIP_CONFIG["params"], "c1": c1, "c2": c2}
                out[(c1, c2, w)] = fit(feats, self.labels, params)
        print(f"  inner CV + {len(out)} second passes ({time.perf_counter() - t0:.0f} s)", flush=True)
        return out

    def evaluate(
        self, test: Sentences, models2: dict[tuple[float, float, int], bytes]
    ) -> tuple[dict[str, Any], dict[tuple[float, float, int], dict[str, Any]]]:
        toks = [[t for t, _ in s] for s in test]
        gold = [[g for _, g in s] for s in test]
        fz = Featurizer(train_ner.SHIP_CONFIG["families"], self.test_lexicon)
        feats = [fz.sentence(t) for t in toks]
        first = tag(self.model1, feats)
        rules = [apply_rules(fz, t, y) for t, y in zip(toks, first, strict=True)]
        s1 = entity_scores(gold, rules)
        out = {}
        for key, m2 in models2.items():
            f2 = [[list(x) for x in s] for s in feats]
            stack_features(fz, toks, f2, first, key[2])
            pred = [apply_rules(fz, t, y) for t, y in zip(toks, tag(m2, f2), strict=True)]
            out[key] = entity_scores(gold, pred)
        return s1, out


def row(scores: dict[str, Any]) -> str:
    def pct(x: float) -> str:
        return f"{100 * x:.1f}"

    t = scores["types"]
    cells = [f"{pct(t[x]['precision'])}/{pct(t[x]['recall'])}/{pct(t[x]['f1'])}" for x in TYPES]
    m = scores["micro"]
    cells.append(f"{pct(m['precision'])}/{pct(m['recall'])}/**{pct(m['f1'])}**")
    return " | ".join(cells)


def parse_grid(text: str) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in (cell.split(",") for cell in text.split(";"))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("dev", "cv", "table"))
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--lexicon", type=Path, default=REPO / "src" / "khabar" / "models" / "ner_lexicon.bin.gz")
    ap.add_argument("--vectors", type=Path, default=Path("/tmp/khabar_vectors"))
    ap.add_argument("--vclusters", action="store_true")
    ap.add_argument("--gazexp", action="store_true")
    ap.add_argument("--history", choices=("none", "naive", "crossfit"), default="none")
    ap.add_argument("--stride", type=int, default=3, help="history: every n-th ANT article")
    ap.add_argument("--stack-grid", default="0.1,0.1", help="second-pass c1,c2 pairs separated by ;")
    ap.add_argument("--windows", default="25")
    ap.add_argument("--first-only", action="store_true")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    grid = parse_grid(args.stack_grid)
    windows = [int(w) for w in args.windows.split(",")]
    train, dev = train_ner.split(train_ner.load(args.data))
    base = base_lexicon(args)
    ant = None
    if args.history != "none":
        t0 = time.perf_counter()
        ant = ant_sentences(args.data, args.stride)
        print(f"ANT: {len(ant)} sentences, {sum(map(len, ant))} tokens ({time.perf_counter() - t0:.0f} s)", flush=True)
    if args.mode == "table":
        run = Run(args, train, base, ant)
        assert args.out is not None
        train_ner.write_lexicon(run.test_lexicon, args.out)
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
        return 0
    if args.mode == "dev":
        t0 = time.perf_counter()
        run = Run(args, train, base, ant)
        models2 = {} if args.first_only else run.stacks(grid, windows)
        s1, s2 = run.evaluate(dev, models2)
        print(f"dev, first pass | {row(s1)}")
        print(format_scores(s1))
        for key, sc in s2.items():
            print(f"dev, two passes c1={key[0]} c2={key[1]} window={key[2]} | {row(sc)}")
            print(format_scores(sc))
        print(f"({time.perf_counter() - t0:.0f} s)")
        return 0
    # cv: bench_ner_cv's contiguous folds of the first 90%, every table and model rebuilt per fold
    bd = bounds(len(train), args.folds)
    totals: dict[str, dict[str, list[int]]] = {}
    for k in range(args.folds):
        t0 = time.perf_counter()
        run = Run(args, without(train, bd[k], bd[k + 1]), base, ant)
        models2 = run.stacks(grid, windows)
        s1, s2 = run.evaluate(train[bd[k] : bd[k + 1]], models2)
        line = [f"fold {k}: first {100 * s1['micro']['f1']:.1f}"]
        for name, sc in [("first", s1), *((f"c1={a} c2={b} w={w}", v) for (a, b, w), v in s2.items())]:
            tot = totals.setdefault(name, {})
            for label, s in [("micro", sc["micro"]), *sc["types"].items()]:
                c = tot.setdefault(label, [0, 0, 0])
                c[0] += s["tp"]
                c[1] += s["predicted"]
                c[2] += s["gold"]
            if name != "first":
                line.append(f"{name} {100 * sc['micro']['f1']:.1f}")
        print(", ".join(line) + f" ({time.perf_counter() - t0:.0f} s)", flush=True)
    for name, tot in totals.items():
        cells = []
        for label in (*TYPES, "micro"):
            tp, pred, gold = tot.get(label, [0, 0, 0])
            p = tp / pred if pred else 0.0
            r = tp / gold if gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            cells.append(f"{100 * p:.1f}/{100 * r:.1f}/{100 * f:.1f}")
        print(f"CV pooled, {name} | " + " | ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
