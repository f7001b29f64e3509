"""Dense word vectors from the unlabeled ANT news text, for the NER experiments (issue 12).

Data: the train parts of ant-multisource-v2.1 and ant-v1.1-jawharafm (Apache-2.0 + the authors'
citation licence, see training/build_lexicon.py), exact-duplicate articles once, tokenised and
folded exactly as the word clusters of training/train_ner.py (``ant_corpus``). SaudiNewsNet
(non-commercial) is never read here.

Model: gensim word2vec skip-gram (or fastText with ``--fasttext``), one worker thread, a fixed
seed and a deterministic hash for the initial vectors, so two runs write the same vectors.
A "sentence" is the run of tokens between sentence-final punctuation within one article.

Output (never shipped; under /tmp by default, out of git):
  vectors.npy        float32 [n_words, dim], unit length rows, in vocabulary order
  vocab.txt          the folded words, one a line, by descending corpus frequency
  clusters.tsv.gz    word -> ids of spherical k-means clusters of the vectors at VEC_CLUSTERS
                     (feature strings ``v<k>=<id>``: embedding-derived CRF features)

    python training/build_vectors.py [--data ../shared/data] [--out /tmp/khabar_vectors] [--dim 100]

About 5 CPU minutes for word2vec (7.8M tokens, 5 epochs); 12 minutes wall on the shared machine.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "training"))

import train_ner

SEED = 13
MIN_COUNT = 3
VEC_CLUSTERS = (64, 256, 1024)  # k-means granularities of the vectors, coarse to fine
_FINAL = frozenset({".", "؟", "?", "!"})


def _hash(text: str) -> int:
    """A hash that does not change between interpreter runs (Python's str hash is salted)."""
    return zlib.crc32(text.encode("utf-8"))


def sentences(data: Path) -> list[list[str]]:
    """The ANT train text as folded token lists, split after sentence-final punctuation and between articles."""
    vocab, ids = train_ner.ant_corpus(data)
    out: list[list[str]] = []
    cur: list[str] = []
    for i in ids.tolist():
        w = vocab[i]
        if w == train_ner._BOUNDARY:
            if cur:
                out.append(cur)
            cur = []
            continue
        cur.append(w)
        if w in _FINAL or len(cur) >= 1000:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def train_vectors(sents: list[list[str]], dim: int, fasttext: bool, epochs: int) -> tuple[list[str], np.ndarray]:
    """(vocabulary by descending frequency, unit-length float32 vectors) from one gensim model."""
    from gensim.models import FastText, Word2Vec

    common = {
        "vector_size": dim,
        "window": 5,
        "min_count": MIN_COUNT,
        "sg": 1,
        "negative": 5,
        "sample": 1e-4,
        "epochs": epochs,
        "workers": 1,  # one thread: no ordering jitter, so the same vectors every run
        "seed": SEED,
        "hashfxn": _hash,
        "sorted_vocab": 1,
    }
    model = (
        FastText(sentences=sents, min_n=2, max_n=4, bucket=200_000, **common)
        if fasttext
        else Word2Vec(sentences=sents, **common)
    )
    kv = model.wv
    vocab = list(kv.index_to_key)
    vec = np.asarray(kv.vectors, dtype=np.float32)
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
    return vocab, vec


def clusters(vocab: list[str], vec: np.ndarray, n_words: int) -> dict[str, tuple[str, ...]]:
    """word -> ``v<k>=<id>`` for each k in VEC_CLUSTERS (spherical k-means of the n_words most frequent)."""
    x = vec[:n_words]
    ids: dict[int, np.ndarray] = {}
    for k in VEC_CLUSTERS:
        assign, _ = train_ner.spherical_kmeans(x, k, SEED + k, iters=15, init_pool=min(len(x), 30_000))
        ids[k] = assign
    return {w: tuple(f"v{k}={ids[k][i]}" for k in VEC_CLUSTERS) for i, w in enumerate(vocab[:n_words])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=Path("/tmp/khabar_vectors"))
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--fasttext", action="store_true", help="fastText (char n-grams 2-4) instead of word2vec")
    ap.add_argument("--cluster-words", type=int, default=100_000, help="words that get k-means cluster ids")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    sents = sentences(args.data)
    print(f"{len(sents):,} sentences, {sum(map(len, sents)):,} tokens ({time.perf_counter() - t0:.0f} s)", flush=True)
    vocab, vec = train_vectors(sents, args.dim, args.fasttext, args.epochs)
    print(f"{len(vocab):,} words x {vec.shape[1]} ({time.perf_counter() - t0:.0f} s)", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "vectors.npy", vec)
    (args.out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    table = clusters(vocab, vec, args.cluster_words)
    body = "".join(f"{w}\t{' '.join(f)}\n" for w, f in sorted(table.items()))
    with (args.out / "clusters.tsv.gz").open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(body.encode("utf-8"))
    for probe in ("ترامب", "برشلونه", "تويوتا", "القاهره"):
        if probe in vocab:
            sims = vec @ vec[vocab.index(probe)]
            print(probe, [vocab[j] for j in np.argsort(-sims)[1:8]])
    print(f"wrote {args.out} ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
