"""Train khabar's Arabic NER model (PERS, LOC, ORG, MISC; IOB2) with python-crfsuite.

Data: ANERcorp, CAMeL Lab split rebuilt in ../shared/data/anercorp/ANERcorp_CamelSplit_train.txt
(3,963 sentences, 125,088 tokens). Licence CC BY-SA 4.0 (CAMeL Lab release terms); cite
Benajiba & Rosso (2007), "ANERsys 2.0: Conquering the NER task for the Arabic language by
combining the Maximum Entropy with POS-tag information", and Obeid et al. (LREC 2020),
"CAMeL Tools: An Open Source Python Toolkit for Arabic Natural Language Processing".
The gazetteers are hand-written (khabar/lang/ar/gazetteers.py). Word clusters (feature family
``dist``) come from the unlabeled ANT news text (train parts of ant-multisource-v2.1 and
ant-v1.1-jawharafm, Apache-2.0): PPMI over left/right neighbours, truncated SVD, hierarchical
spherical k-means (see build_lexicon); only the word -> cluster-id table ships
(ner_lexicon.bin.gz, packed: ner_features.ClusterLexicon). Since round 6 each word of that table also
carries the ids of spherical k-means clusters (64/256/1024) of ANT word2vec vectors
(training/build_vectors.py, gensim, fixed seed, one thread; ``--vectors DIR``). SaudiNewsNet
(non-commercial) is never used here.

Dev split: the LAST 10% of the sentences (sequential, like CAMeL's split); every choice
and every reported figure comes from a model trained on the first 90%.

    python training/train_ner.py --dev-only          # train on 90%, print the dev report
    python training/train_ner.py --compare           # learner/feature comparison -> bench/ner_comparison.md
    python training/train_ner.py                     # write ner.crfsuite, ner.stack.crfsuite, ner.json,
                                                     # ner_lexicon.bin.gz, ner_attributes.txt.gz (the
                                                     # features the two models weigh) and the manifest
    python training/train_ner.py --lexicon src/khabar/models/ner_lexicon.bin.gz   # reuse the clusters
    python training/build_vectors.py --out /tmp/khabar_vectors     # then, everything from ../shared/data:
    python training/train_ner.py --vectors /tmp/khabar_vectors
    python training/train_ner.py --repack-lexicon OLD.tsv.gz   # rewrite an old TSV lexicon packed, nothing else
    python training/train_ner.py --dev-only --families word,gaz,... --first-c1 0.2  # experiments

Two passes (STACK): the first CRF as above; a second CRF with the same features plus the
first pass's tags of the token, its neighbours and the same word form in the +-25 sentences
around it (document-level label consistency). Its training tags come from a 5-fold
cross-validated first pass over the 90% (contiguous folds), never from a model that saw them.

The shipped model is the one trained on the first 90% (see SHIP_TRAIN_PART): the eval gate
in tests/test_ner.py then scores exactly what users get on data it never saw.
Training is deterministic (fixed seeds for SVD and k-means, L-BFGS, fixed data order): two runs
give the same dev scores.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import numpy as np
import pycrfsuite  # type: ignore[import-untyped]

from khabar.components.ner import (
    ALL_FAMILIES,
    ATTRIBUTES_FILE,
    INFO_FILE,
    LEXICON_FILE,
    MODEL_FILE,
    STACK_FILE,
    ClusterLexicon,
    Featurizer,
    apply_rules,
    stack_features,
)
from khabar.evaluation.ner import entity_scores, format_scores, read_conll
from khabar.lang.ar.normalize import fold

DATA_FILE = "anercorp/ANERcorp_CamelSplit_train.txt"
DEV_FRACTION = 0.10
SHIP_TRAIN_PART = "train90"  # "train90" (first 90%) or "all"

# The shipped configuration (chosen by --compare on the dev split).
SHIP_CONFIG: dict[str, Any] = {
    "algorithm": "lbfgs",
    # c1=.2 (round 4): the same dev F1 as .02 with both passes, a first-pass model of 2.4 MB instead of 6.6
    "params": {"c1": 0.2, "c2": 0.2, "max_iterations": 150, "feature.possible_transitions": True},
    "families": list(ALL_FAMILIES),
    # round 6: the dist word table also carries the word2vec cluster ids (VECTOR_CLUSTERS; dev 75.8 -> 77.0)
    "vectors": True,
}
# The second pass (label consistency, see ner.stack_features): trained on first-pass tags of the
# training sentences predicted by "folds"-fold cross-validation (contiguous folds, so a model never
# saw the neighbouring sentences of what it tags), with a window of +-"window" sentences.
# None: ship the first pass alone.
STACK: dict[str, Any] | None = {
    "window": 25,
    "folds": 5,
    "params": {**SHIP_CONFIG["params"], "c1": 0.1, "c2": 0.1},  # round 3: c1 .05-.2 a plateau on dev
}

# (name, algorithm, params, families) for --compare (the rows of bench/ner_comparison.md).
_NO_DIST = tuple(f for f in ALL_FAMILIES if f != "dist")
COMPARE: list[tuple[str, str, dict[str, Any], tuple[str, ...]]] = [
    ("CRF L-BFGS c1=.2 c2=.2, no dist", "lbfgs", SHIP_CONFIG["params"], _NO_DIST),
    ("CRF L-BFGS c1=.02 c2=.2", "lbfgs", {**SHIP_CONFIG["params"], "c1": 0.02}, ALL_FAMILIES),
    ("CRF L-BFGS c1=.2 c2=.2 (shipped first pass)", "lbfgs", SHIP_CONFIG["params"], ALL_FAMILIES),
]


ANT_FILES = ("ant-multisource-v2.1/train.trec.gz", "ant-v1.1-jawharafm/train.trec.gz")
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_ANT_TOKEN = re.compile(r"[\u0621-\u064a\u0660-\u0669\u0671-\u06d3\u0640\u064b-\u0652]+|[0-9]+|[A-Za-z]+|[^\s\w]")
_BOUNDARY = "</d>"  # between articles; a context word like any other
N_WORDS = 100_000  # the most frequent folded words get a vector and clusters
N_CONTEXT = 10_000  # the most frequent words serve as left / right context dimensions
SVD_DIM = 100
SVD_SEED = 7
KMEANS_SEED = 11
CLUSTER_LEVELS = (2048, 512, 128, 32)  # fine to coarse; each level clusters the centroids of the one before
LEXICON_ORDER = (128, 512, 32, 2048)  # order of the features per word; neighbours see the first `near`


def ant_corpus(data_dir: Path) -> tuple[list[str], np.ndarray]:
    """(vocabulary by descending frequency, token ids) of the deduplicated ANT train articles, folded."""
    fold_cache: dict[str, str] = {}
    seen: set[str] = set()
    toks: list[str] = []
    for name in ANT_FILES:
        with gzip.open(data_dir / name, "rt", encoding="utf-8") as fh:
            raw = fh.read()
        for m in _TEXT.finditer(raw):
            body = m.group(1)
            if body in seen:  # exact duplicate articles count once
                continue
            seen.add(body)
            toks.append(_BOUNDARY)
            for t in _ANT_TOKEN.findall(body):
                f = fold_cache.get(t)
                if f is None:
                    f = fold_cache[t] = fold(t)
                if f:
                    toks.append(f)
    toks.append(_BOUNDARY)
    freq = Counter(toks)
    vocab = sorted(freq, key=lambda w: (-freq[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    return vocab, np.fromiter((index[t] for t in toks), dtype=np.int32, count=len(toks))


class _SparseRows:
    """A sparse matrix in row-sorted COO form, multiplied block by block through dense float32 slabs."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, shape: tuple[int, int]) -> None:
        self.rows, self.cols, self.vals, self.shape = rows, cols, vals, shape
        self.block = 2000
        self.starts = np.searchsorted(rows, np.arange(0, shape[0] + self.block, self.block))

    def _slabs(self) -> Any:
        for i, b in enumerate(range(0, self.shape[0], self.block)):
            s, e = self.starts[i], self.starts[i + 1]
            slab = np.zeros((min(b + self.block, self.shape[0]) - b, self.shape[1]), dtype=np.float32)
            slab[self.rows[s:e] - b, self.cols[s:e]] = self.vals[s:e]
            yield b, slab

    def dot(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((self.shape[0], x.shape[1]), dtype=np.float32)
        for b, slab in self._slabs():
            out[b : b + len(slab)] = slab @ x
        return out

    def tdot(self, y: np.ndarray) -> np.ndarray:
        out = np.zeros((self.shape[1], y.shape[1]), dtype=np.float32)
        for b, slab in self._slabs():
            out += slab.T @ y[b : b + len(slab)]
        return out


def ppmi_matrix(ids: np.ndarray, n_words: int, n_ctx: int, alpha: float = 0.75) -> _SparseRows:
    """PPMI of the n_words most frequent words against their left and right neighbours (window 2, the
    second word weighted 1/2) among the n_ctx most frequent, with context smoothing alpha (Levy et al. 2015)."""
    codes, weights = [], []
    n = len(ids)
    for d, wgt in ((-2, 0.5), (-1, 1.0), (1, 1.0), (2, 0.5)):
        w, c = (ids[-d:], ids[: n + d]) if d < 0 else (ids[: n - d], ids[d:])
        keep = (w < n_words) & (c < n_ctx)
        codes.append(w[keep].astype(np.int64) * (2 * n_ctx) + c[keep] + (0 if d < 0 else n_ctx))
        weights.append(np.full(int(keep.sum()), wgt))
    uniq, inv = np.unique(np.concatenate(codes), return_inverse=True)
    counts = np.bincount(inv, weights=np.concatenate(weights))
    rows = (uniq // (2 * n_ctx)).astype(np.int32)
    cols = (uniq % (2 * n_ctx)).astype(np.int32)
    rsum = np.bincount(rows, weights=counts, minlength=n_words)
    csum = np.bincount(cols, weights=counts, minlength=2 * n_ctx) ** alpha
    pmi = np.log(counts * csum.sum() / (rsum[rows] * csum[cols]))
    keep = pmi > 0
    return _SparseRows(rows[keep], cols[keep], pmi[keep].astype(np.float32), (n_words, 2 * n_ctx))


def truncated_svd(m: _SparseRows, k: int, seed: int, oversample: int = 20, n_iter: int = 2) -> np.ndarray:
    """Unit-length rows of U * sqrt(S) from a randomized truncated SVD (Halko et al. 2011)."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(m.dot(rng.standard_normal((m.shape[1], k + oversample)).astype(np.float32)))
    for _ in range(n_iter):
        z, _ = np.linalg.qr(m.tdot(q))
        q, _ = np.linalg.qr(m.dot(z))
    ub, s, _vt = np.linalg.svd(m.tdot(q).T.astype(np.float64), full_matrices=False)
    emb = (q @ ub[:, :k].astype(np.float32)) * np.sqrt(s[:k]).astype(np.float32)
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    result: np.ndarray = emb / np.maximum(norms, 1e-9)
    return result


def spherical_kmeans(
    x: np.ndarray, k: int, seed: int, iters: int, weights: np.ndarray | None = None, init_pool: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(assignment per row, unit centroids) by cosine k-means, seeded from rows < init_pool."""
    rng = np.random.default_rng(seed)
    cent = x[np.sort(rng.choice(init_pool or len(x), size=k, replace=False))].copy()
    w = np.ones(len(x), dtype=np.float32) if weights is None else weights.astype(np.float32)
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        for b in range(0, len(x), 20_000):
            assign[b : b + 20_000] = np.argmax(x[b : b + 20_000] @ cent.T, axis=1)
        new = np.zeros_like(cent)
        np.add.at(new, assign, x * w[:, None])
        norms = np.linalg.norm(new, axis=1)
        ok = norms > 0
        new[ok] /= norms[ok, None]
        new[~ok] = cent[~ok]  # an emptied cluster keeps its old centroid
        cent = new
    return assign, cent


def build_lexicon(data_dir: Path) -> dict[str, tuple[str, ...]]:
    """Hierarchical word clusters from the unlabeled ANT news text (Apache-2.0), as feature strings.

    The N_WORDS most frequent folded words get PPMI vectors over left/right neighbours,
    reduced to SVD_DIM dimensions; spherical k-means makes 2048 clusters, whose centroids
    are clustered again into 512, 128 and 32 (a Brown-cluster-like hierarchy). Fixed seeds:
    the same data gives the same clusters.
    """
    vocab, ids = ant_corpus(data_dir)
    emb = truncated_svd(ppmi_matrix(ids, N_WORDS, N_CONTEXT), SVD_DIM, SVD_SEED)
    fine, cent = spherical_kmeans(emb, CLUSTER_LEVELS[0], KMEANS_SEED, iters=12, init_pool=30_000)
    levels = {CLUSTER_LEVELS[0]: fine}
    sizes = np.bincount(fine, minlength=CLUSTER_LEVELS[0]).astype(np.float32)
    below = fine
    for k in CLUSTER_LEVELS[1:]:
        up, cent = spherical_kmeans(cent, k, KMEANS_SEED + k, iters=25, weights=np.sqrt(sizes))
        sizes = np.bincount(up, weights=sizes, minlength=k).astype(np.float32)
        below = levels[k] = up[below]
    return {w: tuple(f"{k}={levels[k][i]}" for k in LEXICON_ORDER) for i, w in enumerate(vocab[: len(emb)])}


VECTOR_CLUSTERS: Final = ("v64", "v256", "v1024")  # round 6: ids of k-means clusters of ANT word2vec vectors


def add_vector_clusters(lexicon: dict[str, tuple[str, ...]], vectors: Path) -> dict[str, tuple[str, ...]]:
    """The word table with the vector-cluster columns of ``training/build_vectors.py``'s ``clusters.tsv.gz``.

    Every word of ``lexicon`` gets ``v64=<id> v256=<id> v1024=<id>`` after its own clusters (``v…=?``
    when the vectors lack it: a word seen twice in ANT has clusters but no vector); columns of an
    earlier run are replaced, so a shipped table can be reused. Words the table lacks stay out.
    """
    vcl = read_lexicon(vectors / "clusters.tsv.gz")
    empty = tuple(f"{v}=?" for v in VECTOR_CLUSTERS)
    return {w: tuple(x for x in f if not x.startswith("v")) + vcl.get(w, empty) for w, f in lexicon.items()}


def write_lexicon(lexicon: dict[str, tuple[str, ...]], path: Path) -> None:
    """Write the lexicon packed (``ClusterLexicon.to_bytes``: marisa trie + uint16 feature ids),
    byte-reproducibly. (Until 2026-11 it shipped as gzipped TSV, ``word<TAB>feat feat ...``.)"""
    path.write_bytes(ClusterLexicon.to_bytes(lexicon))


def model_attributes(*models: bytes) -> list[str]:
    """The sorted feature strings that carry a weight in any of the crfsuite models."""
    names: set[str] = set()
    for model in models:
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(model)
        names.update(attr for attr, _label in tagger.info().state_features)
    return sorted(names)


def write_attributes(names: list[str], path: Path) -> None:
    """Write the attribute list as gzipped text, one a line, byte-reproducibly (mtime 0)."""
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write("\n".join(names).encode("utf-8"))


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(data_dir: Path) -> list[list[tuple[str, str]]]:
    """All ANERcorp sentences in file order."""
    path = data_dir / DATA_FILE
    with path.open(encoding="utf-8") as fh:
        return read_conll(fh, str(path))


def split(sentences: list[list[tuple[str, str]]]) -> tuple[list[list[tuple[str, str]]], list[list[tuple[str, str]]]]:
    """(first 90%, last 10%) of the sentences, sequentially."""
    cut = len(sentences) - round(len(sentences) * DEV_FRACTION)
    return sentences[:cut], sentences[cut:]


def _fit(trainer: Any) -> bytes:
    """Train a filled crfsuite trainer and return the model file's bytes (crfsuite writes to a path)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.crfsuite"
        trainer.train(str(path))
        return path.read_bytes()


def train(
    sentences: Sequence[list[tuple[str, str]]],
    algorithm: str,
    params: dict[str, Any],
    families: Sequence[str],
    lexicon: dict[str, tuple[str, ...]] | None = None,
) -> tuple[bytes, float]:
    """Train one model; returns (model bytes, seconds including feature extraction)."""
    t0 = time.perf_counter()
    featurizer = Featurizer(families, lexicon)
    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    trainer.set_params(params)
    for sent in sentences:
        trainer.append(featurizer.sentence([t for t, _ in sent]), [g for _, g in sent])
    return _fit(trainer), time.perf_counter() - t0


def first_pass_cv(
    sentences: Sequence[list[tuple[str, str]]],
    folds: int,
    lexicon: dict[str, tuple[str, ...]] | None = None,
    jobs: int = 1,
) -> list[list[str]]:
    """First-pass tags of ``sentences`` by ``folds``-fold cross-validation over contiguous blocks."""
    n = len(sentences)
    bounds = [round(n * i / folds) for i in range(folds + 1)]
    args = [(sentences, bounds[k], bounds[k + 1], lexicon) for k in range(folds)]
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_fold, args))
    else:
        parts = [_fold(a) for a in args]
    return [tags for part in parts for tags in part]


def _fold(arg: tuple[Sequence[list[tuple[str, str]]], int, int, dict[str, tuple[str, ...]] | None]) -> list[list[str]]:
    sentences, a, b, lexicon = arg
    families = SHIP_CONFIG["families"]
    model, _ = train(
        [*sentences[:a], *sentences[b:]], SHIP_CONFIG["algorithm"], SHIP_CONFIG["params"], families, lexicon
    )
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model)
    featurizer = Featurizer(families, lexicon)
    return [list(tagger.tag(featurizer.sentence([t for t, _ in s]))) for s in sentences[a:b]]


def train_stack(
    sentences: Sequence[list[tuple[str, str]]],
    first: Sequence[Sequence[str]],
    params: dict[str, Any],
    window: int,
    lexicon: dict[str, tuple[str, ...]] | None = None,
) -> tuple[bytes, float]:
    """Train the second pass on ``sentences`` with cross-validated first-pass tags ``first``."""
    t0 = time.perf_counter()
    featurizer = Featurizer(SHIP_CONFIG["families"], lexicon)
    tokens = [[t for t, _ in s] for s in sentences]
    feats = [featurizer.sentence(toks) for toks in tokens]
    stack_features(featurizer, tokens, feats, first, window)
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(params)
    for f, sent in zip(feats, sentences, strict=True):
        trainer.append(f, [g for _, g in sent])
    return _fit(trainer), time.perf_counter() - t0


def evaluate(
    model: bytes,
    families: Sequence[str],
    sentences: Sequence[list[tuple[str, str]]],
    lexicon: dict[str, tuple[str, ...]] | None = None,
    model2: bytes = b"",
    window: int | None = None,
) -> tuple[dict[str, Any], float]:
    """(entity scores, tokens per second from a cold feature cache) on ``sentences``.

    With ``model2`` the sentences are tagged jointly, as ``ner.tag_sentences`` does: first pass,
    then the second pass over a window of +-``window`` sentences.
    """
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model)
    featurizer = Featurizer(families, lexicon)
    token_lists = [[t for t, _ in s] for s in sentences]
    t0 = time.perf_counter()
    feats = [featurizer.sentence(toks) for toks in token_lists]
    pred = [list(tagger.tag(f)) for f in feats]
    if model2:
        tagger2 = pycrfsuite.Tagger()
        tagger2.open_inmemory(model2)
        stack_features(featurizer, token_lists, feats, pred, window)
        pred = [list(tagger2.tag(f)) for f in feats]
    pred = [apply_rules(featurizer, toks, tags) for toks, tags in zip(token_lists, pred, strict=True)]
    elapsed = time.perf_counter() - t0
    gold = [[g for _, g in s] for s in sentences]
    n_tokens = sum(len(t) for t in token_lists)
    return entity_scores(gold, pred), n_tokens / elapsed


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def compare(data_dir: Path, out: Path) -> None:
    """Run the comparison on the dev split and write a markdown table."""
    train_part, dev = split(load(data_dir))
    lexicon = build_lexicon(data_dir)
    rows = []
    for name, algorithm, params, families in COMPARE:
        model, seconds = train(train_part, algorithm, params, families, lexicon)
        scores, speed = evaluate(model, families, dev, lexicon)
        t = scores["types"]
        row = [
            name,
            ", ".join(families),
            *(
                f"{_pct(t[x]['precision'])}/{_pct(t[x]['recall'])}/{_pct(t[x]['f1'])}"
                for x in ("PERS", "LOC", "ORG", "MISC")
            ),
            f"{_pct(scores['micro']['precision'])}/{_pct(scores['micro']['recall'])}/**{_pct(scores['micro']['f1'])}**",
            f"{seconds:.0f}",
            f"{speed:,.0f}",
            f"{len(model) / 1e6:.1f}",
        ]
        rows.append(row)
        print(" | ".join(row), flush=True)
    head = [
        "learner",
        "features",
        "PERS P/R/F1",
        "LOC P/R/F1",
        "ORG P/R/F1",
        "MISC P/R/F1",
        "micro P/R/F1",
        "train s",
        "tag tok/s",
        "MB",
    ]
    lines = [
        "# NER learner and feature comparison",
        "",
        (
            f"Produced by `python training/train_ner.py --compare`. Train: first 90% of ANERcorp (CAMeL split, "
            f"{len(train_part)} sentences); dev: last 10% ({len(dev)} sentences, "
            f"{sum(len(s) for s in dev)} tokens). Entity-level exact span+type (CoNLL), percentages. "
            "Train time includes feature extraction; tagging speed is one process, cold feature cache, "
            "feature extraction included. Learners are python-crfsuite's L-BFGS CRF and its averaged "
            "perceptron over the same features."
        ),
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(r) + " |" for r in rows),
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out}")


def read_lexicon(path: Path) -> dict[str, tuple[str, ...]]:
    """A lexicon written by :func:`write_lexicon`, or an older gzipped TSV one (``*.tsv.gz``)."""
    if not path.name.endswith(".tsv.gz"):
        return dict(ClusterLexicon.from_bytes(path.read_bytes()).items())
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return {w: tuple(f.split(" ")) for w, _, f in (line.partition("\t") for line in text.splitlines())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="shared data folder")
    parser.add_argument("--dev-only", action="store_true", help="train on the first 90%% and print the dev report")
    parser.add_argument("--compare", action="store_true", help="write bench/ner_comparison.md")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "khabar" / "models", help="model folder")
    parser.add_argument(
        "--lexicon", type=Path, help="reuse a ner_lexicon.bin.gz built by an earlier run of this code (skips 2-3 min)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="processes for the cross-validated first pass")
    parser.add_argument("--families", help="comma-separated feature families (an experiment; default: SHIP_CONFIG)")
    parser.add_argument("--first-only", action="store_true", help="with --dev-only: stop after the first pass")
    parser.add_argument("--first-c1", type=float, help="L1 weight of the first pass (an experiment)")
    parser.add_argument("--repack-lexicon", type=Path, help="write an old ner_lexicon.tsv.gz packed; train nothing")
    parser.add_argument(
        "--vectors",
        type=Path,
        help="training/build_vectors.py output folder: add its vector-cluster columns to the word table"
        " (needed unless --lexicon already has them)",
    )
    parser.add_argument("--no-vectors", action="store_true", help="drop the vector-cluster columns (round 5 table)")
    args = parser.parse_args(argv)
    if args.repack_lexicon:
        write_lexicon(read_lexicon(args.repack_lexicon), args.out / LEXICON_FILE)
        print(f"wrote {args.out / LEXICON_FILE} ({(args.out / LEXICON_FILE).stat().st_size / 1e6:.2f} MB)")
        if args.out.resolve() == (REPO / "src" / "khabar" / "models").resolve():
            sys.path.insert(0, str(REPO / "training"))
            from write_manifest import main as write_manifest

            write_manifest()
        return 0
    if args.families:
        SHIP_CONFIG["families"] = args.families.split(",")
    if args.first_c1 is not None:
        SHIP_CONFIG["params"] = {**SHIP_CONFIG["params"], "c1": args.first_c1}
    if args.compare:
        compare(args.data, REPO / "bench" / "ner_comparison.md")
        return 0
    needs_vectors = SHIP_CONFIG["vectors"] and "dist" in SHIP_CONFIG["families"] and not args.no_vectors
    if needs_vectors and not (args.lexicon or args.vectors):  # fail before the 2-3 min of building the clusters
        raise SystemExit("the configuration needs vector clusters: pass --vectors DIR (build_vectors.py) or --lexicon")
    sentences = load(args.data)
    train_part, dev = split(sentences)
    algorithm, params, families = SHIP_CONFIG["algorithm"], SHIP_CONFIG["params"], SHIP_CONFIG["families"]
    t0 = time.perf_counter()
    if "dist" not in families:
        lexicon: dict[str, tuple[str, ...]] = {}
    elif args.lexicon:
        lexicon = read_lexicon(args.lexicon)
    else:
        lexicon = build_lexicon(args.data)
    if lexicon and args.no_vectors:
        lexicon = {w: tuple(x for x in f if not x.startswith("v")) for w, f in lexicon.items()}
    elif lexicon and SHIP_CONFIG["vectors"]:
        if args.vectors:
            lexicon = add_vector_clusters(lexicon, args.vectors)
        elif not any(x.startswith("v") for x in next(iter(lexicon.values()))):
            raise SystemExit(
                "the configuration needs vector clusters: run python training/build_vectors.py --out DIR"
                " and pass --vectors DIR (or --lexicon a table that has them, or --no-vectors)"
            )
    print(f"ANT word lexicon: {len(lexicon)} words in {time.perf_counter() - t0:.0f} s", flush=True)
    model, seconds = train(train_part, algorithm, params, families, lexicon)
    scores, speed = evaluate(model, families, dev, lexicon)
    print(f"first pass: trained on {len(train_part)} sentences in {seconds:.1f} s; dev = last {len(dev)} sentences")
    print(format_scores(scores))
    print(f"tagging {speed:,.0f} tokens/s (cold feature cache); model {len(model) / 1e6:.2f} MB", flush=True)
    model2 = b""
    if STACK and not (args.dev_only and args.first_only):
        t0 = time.perf_counter()
        first = first_pass_cv(train_part, STACK["folds"], lexicon, args.jobs)
        cv_seconds = time.perf_counter() - t0
        model2, seconds2 = train_stack(train_part, first, STACK["params"], STACK["window"], lexicon)
        scores, speed = evaluate(model, families, dev, lexicon, model2, STACK["window"])
        print(
            f"second pass (window +-{STACK['window']} sentences): {STACK['folds']}-fold first pass {cv_seconds:.0f} s,"
            f" training {seconds2:.0f} s"
        )
        print(format_scores(scores))
        print(f"tagging {speed:,.0f} tokens/s (both passes, cold feature cache); model {len(model2) / 1e6:.2f} MB")
    print(f"model sha256 {hashlib.sha256(model).hexdigest()} {hashlib.sha256(model2).hexdigest() if model2 else ''}")
    if args.dev_only:
        return 0
    if SHIP_TRAIN_PART == "all":
        raise SystemExit("SHIP_TRAIN_PART='all' is not supported with the second pass")  # needs its own CV
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / MODEL_FILE).write_bytes(model)
    if model2:
        (args.out / STACK_FILE).write_bytes(model2)
    elif (args.out / STACK_FILE).exists():
        (args.out / STACK_FILE).unlink()
    if lexicon:
        write_lexicon(lexicon, args.out / LEXICON_FILE)
    write_attributes(model_attributes(model, *([model2] if model2 else [])), args.out / ATTRIBUTES_FILE)
    info = {
        "schema": 1,
        "families": list(families),
        "algorithm": algorithm,
        "params": params,
        "trained_on": SHIP_TRAIN_PART,
        "data": DATA_FILE,
        "data_sha256": sha256(args.data / DATA_FILE),
        "lexicon": f"ANT word clusters {'/'.join(map(str, CLUSTER_LEVELS))}"
        + (
            f" + word2vec clusters {'/'.join(VECTOR_CLUSTERS)}"
            if any(x.startswith("v") for x in next(iter(lexicon.values()), ()))
            else ""
        )
        + f", {len(lexicon)} words",
        "dev_micro_f1": round(scores["micro"]["f1"], 4),
        "licence": "ANERcorp CC BY-SA 4.0 (Benajiba & Rosso 2007; Obeid et al. 2020)",
        "attributes": ATTRIBUTES_FILE,
    }
    if model2 and STACK:
        info["stack"] = {"window": STACK["window"], "folds": STACK["folds"], "params": STACK["params"]}
    (args.out / INFO_FILE).write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out / MODEL_FILE} ({len(model) / 1e6:.2f} MB, trained on {SHIP_TRAIN_PART})")
    if args.out.resolve() == (REPO / "src" / "khabar" / "models").resolve():
        sys.path.insert(0, str(REPO / "training"))
        from write_manifest import main as write_manifest

        write_manifest()  # read_model() refuses files that the manifest does not list
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
