"""Train the topic classifiers shipped as src/khabar/models/topics.bin.gz (text only) and
topics_by_source.bin.gz (outlet-aware, used when the article's outlet is known).

Data: ANT Corpus v2.1 (multi-source Arabic news: AlArabiya, BBC Arabic, CNN Arabic,
France24, SkyNews Arabia), ``ant-multisource-v2.1/{train,dev}.trec.gz`` under the shared
data folder. Licence: Apache-2.0 plus the authors' citation licence -- cite Chouigui,
Ben Khiroun and Elayeb, "ANT Corpus: An Arabic News Text Collection for Textual
Classification" (AICCSA 2017) and "An Arabic multi-source news corpus" (AJSE 2021).
No text from the corpus is shipped: only feature strings (stems / stem bigrams) and weights.

Model: multinomial logistic regression (scikit-learn, lbfgs) over sublinear tf-idf,
L2-normalised features from ``khabar.components.classify.features`` (the runtime
function, so training and runtime see identical features). The vocabulary is cut to
the ``--keep`` features with the largest weights and the model refitted on it, so the
runtime norm is exact; idf and weights ship as scaled integers (int16), packed with the
vocabulary as a marisa trie by ``classify.pack_model`` (``training/convert_topics.py`` packs the
same JSON form from the gzip JSON files shipped up to commit 39054a6, without retraining).

Outlet-aware model: the same features, augmented as in Daume III, "Frustratingly easy domain
adaptation" (ACL 2007): each document's vector appears twice, once in a shared block and once in
its outlet's block, plus an outlet indicator, so the logistic regression learns shared weights,
each outlet's own corrections and its desk bias. The shared block is cut to ``--keep`` features
and each outlet block to ``--keep-per-source``, and the model refitted on them.

Every learner, feature set and training-set variant tried on dev, with its figures and why
0.90 is out of reach for a text-only model on this corpus: ``bench/topics_comparison.md``.

Training needs numpy + scikit-learn (training only; khabar's runtime is pure Python):
    pip install numpy scipy scikit-learn
    python training/train_topics.py                 # train, report on dev, write the model
    python training/train_topics.py --compare       # also compare NB / ComplementNB / LinearSVC / LR
    python training/train_topics.py --part source   # only the outlet-aware model

Prints dev accuracy, macro-F1, per-label P/R/F1, the confusion matrix (scored by the
shipped runtime on the written models), the figures without titles and with the outlet
given, and the exact-duplicate conflict analysis. Deterministic: two runs write the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

from khabar.components import classify
from khabar.evaluation.topics import Record, format_report, read_trec, scores

DEFAULT_DATA = REPO.parent / "shared" / "data"
CORPUS = "ant-multisource-v2.1"
MODELS = REPO / "src" / "khabar" / "models"
SEED = 0


def outlet_of(record: Record) -> str:
    """The outlet key of an ANT record, read from its ``<SRC>`` as the runtime reads ``meta["source"]``."""
    key = classify.source_key(record.source)
    if key is None:
        raise SystemExit(f"{record.docid}: unknown outlet {record.source!r}")
    return key


def body_key(text: str) -> str:
    """The duplicate key of a body: whitespace-normalised text (as the corpus split uses)."""
    return " ".join(text.split())


def duplicate_analysis(train: Sequence[Record], dev: Sequence[Record], pred: Sequence[str]) -> str:
    """How much of the dev error exact-duplicate bodies with conflicting labels explain."""
    train_labels: dict[str, set[str]] = defaultdict(set)
    for r in train:
        train_labels[body_key(r[3])].add(r[1])
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(dev):
        groups[body_key(r[3])].append(i)
    n = len(dev)
    lines = []
    in_train = [i for i, r in enumerate(dev) if body_key(r[3]) in train_labels]
    other = [i for i in in_train if train_labels[body_key(dev[i][3])] - {dev[i][1]}]
    acc_other = sum(pred[i] == dev[i][1] for i in other) / len(other) if other else float("nan")
    lines.append(
        f"dev bodies also in train: {len(in_train)}; of them with another label in train: {len(other)} "
        f"(accuracy on those {acc_other:.3f}) -- the corpus splits by body hash, so duplicates stay in one split"
    )
    train_groups: dict[str, list[str]] = defaultdict(list)
    for r in train:
        train_groups[body_key(r[3])].append(r[1])
    t_conf = [v for v in train_groups.values() if len(set(v)) > 1]
    lines.append(f"train: {len(t_conf)} conflicting duplicate groups holding {sum(map(len, t_conf))} documents")
    conflict_idx: list[int] = []
    unavoidable = 0
    pairs: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    for idx in groups.values():
        labels = [dev[i][1] for i in idx]
        if len(set(labels)) > 1:
            conflict_idx += idx
            unavoidable += len(idx) - max(Counter(labels).values())
            pairs["/".join(sorted(set(labels)))] += 1
            by_source[dev[idx[0]][0].split("-")[0]] += len(idx)
    errors = [i for i in range(n) if pred[i] != dev[i][1]]
    err_conf = sum(1 for i in errors if i in set(conflict_idx))
    conflict_set = set(conflict_idx)
    rest = [i for i in range(n) if i not in conflict_set]
    acc_rest = sum(pred[i] == dev[i][1] for i in rest) / len(rest) if rest else float("nan")
    acc_conf = sum(pred[i] == dev[i][1] for i in conflict_idx) / len(conflict_idx) if conflict_idx else float("nan")
    n_groups = sum(pairs.values())
    lines.append(
        f"dev: {n_groups} duplicate groups with conflicting labels hold {len(conflict_idx)} documents "
        f"({100 * len(conflict_idx) / n:.1f}% of dev; by source {dict(sorted(by_source.items()))})"
    )
    lines.append(f"  label sets: {dict(pairs.most_common())}")
    lines.append(
        f"  any text-only classifier gets at least {unavoidable} of them wrong "
        f"-> accuracy ceiling {100 * (1 - unavoidable / n):.2f}%"
    )
    lines.append(
        f"  model: {len(errors)} dev errors, {err_conf} of them ({100 * err_conf / max(1, len(errors)):.1f}%) "
        f"in conflicting groups ({unavoidable} unavoidable); accuracy on conflicting docs {acc_conf:.4f}, "
        f"on the other {len(rest)} docs {acc_rest:.4f}"
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------- matrices


def build_vocab(feats: Sequence[Counter[str]], min_df: int) -> tuple[list[str], list[int]]:
    """Features with document frequency >= min_df, sorted, and their document frequencies."""
    df: Counter[str] = Counter()
    for f in feats:
        df.update(f.keys())
    vocab = sorted(k for k, v in df.items() if v >= min_df)
    return vocab, [df[k] for k in vocab]


def tfidf_matrix(feats: Sequence[Counter[str]], index: dict[str, int], idf: Any) -> Any:
    """Sublinear tf-idf rows, L2-normalised, as the runtime computes them (scipy CSR)."""
    import numpy as np
    import scipy.sparse as sp

    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for f in feats:
        for feat, count in f.items():
            j = index.get(feat)
            if j is not None:
                indices.append(j)
                data.append(1.0 + math.log(count))
        indptr.append(len(indices))
    m = sp.csr_matrix(
        (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(feats), len(index)),
    )
    m = m.multiply(np.asarray(idf)[None, :]).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms) @ m


def idf_of(df: Sequence[int], n_docs: int) -> Any:
    """Smoothed idf (as scikit-learn): ln((1 + n) / (1 + df)) + 1."""
    import numpy as np

    return np.log((1.0 + n_docs) / (1.0 + np.asarray(df, dtype=np.float64))) + 1.0


def count_matrix(feats: Sequence[Counter[str]], index: dict[str, int]) -> Any:
    """Raw count rows (for the naive Bayes baselines)."""
    import numpy as np
    import scipy.sparse as sp

    rows, cols, vals = [], [], []
    for i, f in enumerate(feats):
        for feat, count in f.items():
            j = index.get(feat)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(count)
    return sp.csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)), shape=(len(feats), len(index)))


def fit_lr(x: Any, y: Sequence[str], c: float) -> Any:
    """Multinomial logistic regression (deterministic lbfgs)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=1000, tol=1e-4, random_state=SEED)
    model.fit(x, list(y))
    return model


# --------------------------------------------------------------------------- main


def compare(
    train_f: Sequence[Counter[str]], y: Sequence[str], dev_f: Sequence[Counter[str]], gold: Sequence[str], min_df: int
) -> None:
    """Dev accuracy / macro-F1 of several learners on the same features."""
    from sklearn.naive_bayes import ComplementNB, MultinomialNB
    from sklearn.svm import LinearSVC

    vocab, df = build_vocab(train_f, min_df)
    index = {f: i for i, f in enumerate(vocab)}
    idf = idf_of(df, len(train_f))
    xt, xd = tfidf_matrix(train_f, index, idf), tfidf_matrix(dev_f, index, idf)
    ct, cd = count_matrix(train_f, index), count_matrix(dev_f, index)
    learners: list[tuple[str, Any, Any, Any]] = [
        ("multinomial NB (counts, a=0.1)", MultinomialNB(alpha=0.1), ct, cd),
        ("complement NB (counts, a=0.3)", ComplementNB(alpha=0.3), ct, cd),
        ("multinomial NB (tf-idf, a=0.01)", MultinomialNB(alpha=0.01), xt, xd),
        ("linear SVM (tf-idf, C=0.3)", LinearSVC(C=0.3, random_state=SEED), xt, xd),
        ("logistic regression (tf-idf, C=10)", None, xt, xd),
        ("logistic regression (tf-idf, C=30)", None, xt, xd),
    ]
    print(f"\n== learner comparison ({len(vocab):,} features, min_df={min_df}) ==")
    for name, model, a, b in learners:
        t0 = time.time()
        if model is None:
            model = fit_lr(a, y, float(name.split("C=")[1].rstrip(")")))
        else:
            model.fit(a, list(y))
        s = scores(gold, list(model.predict(b)), classify.LABELS)
        print(f"  {name:38s} accuracy {s['accuracy']:.4f}  macro-F1 {s['macro_f1']:.4f}  ({time.time() - t0:.0f}s)")


def keep_largest(importance: Any, k: int) -> list[int]:
    """Indices of the k largest values, in index order (ties broken by index: deterministic)."""
    import numpy as np

    return sorted(np.argsort(-importance, kind="stable")[:k].tolist())


def augment(x: Any, sources: Sequence[str], keys: Sequence[str]) -> Any:
    """[x | x in the outlet's block | outlet indicator]: one shared block, one block per outlet."""
    import numpy as np
    import scipy.sparse as sp

    src = np.asarray(sources)
    blocks = [x] + [sp.diags((src == k).astype(np.float64)) @ x for k in keys]
    blocks.append(sp.csr_matrix(np.stack([(src == k).astype(np.float64) for k in keys], axis=1)))
    return sp.hstack(blocks).tocsr()


def scaled(values: Any, scale: float) -> list[int]:
    return [round(float(v) / scale) for v in values]


def text_model(train_f: Sequence[Counter[str]], y: Sequence[str], min_df: int, keep: int, c: float) -> dict[str, Any]:
    """The text-only model file: fit on the full vocabulary, keep the heaviest features, refit."""
    import numpy as np

    vocab, df = build_vocab(train_f, min_df)
    index = {f: i for i, f in enumerate(vocab)}
    idf = idf_of(df, len(train_f))
    model = fit_lr(tfidf_matrix(train_f, index, idf), y, c)
    kept = keep_largest(np.abs(model.coef_).max(axis=0) * idf, keep)
    vocab = [vocab[i] for i in kept]
    df = [df[i] for i in kept]
    index = {f: i for i, f in enumerate(vocab)}
    idf = idf_of(df, len(train_f))
    model = fit_lr(tfidf_matrix(train_f, index, idf), y, c)
    check_labels(model)
    coef = model.coef_.T  # (features, labels)
    weight_scale = float(np.abs(coef).max()) / 32000.0
    idf_scale = 1.0 / 1000.0
    return {
        "schema": classify.MODEL_SCHEMA,
        "labels": list(classify.LABELS),
        "bias": [round(float(b), 6) for b in model.intercept_],
        "prior": [Counter(y)[label] for label in classify.LABELS],  # training counts: the answer without evidence
        "weight_scale": weight_scale,
        "idf_scale": idf_scale,
        "vocab": vocab,
        "idf": scaled(idf, idf_scale),
        "weights": scaled(coef.ravel(), weight_scale),
        "trained_on": f"{CORPUS}/train.trec.gz ({len(train_f)} documents)",
    }


def source_model(
    train_f: Sequence[Counter[str]],
    y: Sequence[str],
    sources: Sequence[str],
    min_df: int,
    keep: int,
    keep_per_source: int,
    c: float,
) -> dict[str, Any]:
    """The outlet-aware model file (feature augmentation; see the module docstring)."""
    import numpy as np

    keys = sorted(set(sources))
    vocab, df = build_vocab(train_f, min_df)
    index = {f: i for i, f in enumerate(vocab)}
    idf = idf_of(df, len(train_f))
    v = len(vocab)
    model = fit_lr(augment(tfidf_matrix(train_f, index, idf), sources, keys), y, c)
    importance = np.abs(model.coef_).max(axis=0)
    shared = keep_largest(importance[:v] * idf, keep)
    own = {k: keep_largest(importance[v * (b + 1) : v * (b + 2)] * idf, keep_per_source) for b, k in enumerate(keys)}
    # The vocabulary is every kept feature (the runtime norm runs over it); a block's
    # columns are its kept features, and the refit uses exactly those columns.
    used = sorted(set(shared).union(*own.values()))
    position = {old: new for new, old in enumerate(used)}
    sub_vocab = [vocab[i] for i in used]
    sub_df = [df[i] for i in used]
    sub_index = {f: i for i, f in enumerate(sub_vocab)}
    sub_idf = idf_of(sub_df, len(train_f))
    u = len(used)
    columns = [position[i] for i in shared]
    for b, k in enumerate(keys):
        columns += [u * (b + 1) + position[i] for i in own[k]]
    columns += [u * (len(keys) + 1) + b for b in range(len(keys))]
    x = augment(tfidf_matrix(train_f, sub_index, sub_idf), sources, keys)[:, columns]
    model = fit_lr(x, y, c)
    check_labels(model)
    coef = model.coef_.T  # (kept columns, labels)
    weight_scale = float(np.abs(coef).max()) / 32000.0
    idf_scale = 1.0 / 1000.0
    n = len(classify.LABELS)
    shared_w = np.zeros((u, n))
    shared_w[[position[i] for i in shared]] = coef[: len(shared)]
    doc: dict[str, Any] = {
        "schema": classify.MODEL_SCHEMA,
        "labels": list(classify.LABELS),
        "bias": [round(float(b), 6) for b in model.intercept_],
        "weight_scale": weight_scale,
        "idf_scale": idf_scale,
        "vocab": sub_vocab,
        "idf": scaled(sub_idf, idf_scale),
        "weights": scaled(shared_w.ravel(), weight_scale),
        "sources": {},
    }
    start = len(shared)
    for k in keys:
        block = coef[start : start + len(own[k])]
        start += len(own[k])
        doc["sources"][k] = {"features": [position[i] for i in own[k]], "weights": scaled(block.ravel(), weight_scale)}
    for b, k in enumerate(keys):
        doc["sources"][k]["bias"] = [round(float(w), 6) for w in coef[start + b]]
    doc["trained_on"] = f"{CORPUS}/train.trec.gz ({len(train_f)} documents, outlets {', '.join(keys)})"
    return doc


def check_labels(model: Any) -> None:
    labels = [str(c) for c in model.classes_]
    if tuple(labels) != classify.LABELS:
        raise SystemExit(f"unexpected labels {labels}")


def write_model(doc: dict[str, Any], path: Path) -> bytes:
    """Write the model packed (``classify.pack_model``: deterministic bytes) and return the file's bytes."""
    packed = classify.pack_model(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(packed)
    print(f"wrote {path} ({len(packed):,} bytes)")
    return packed


def best(dist: dict[str, float]) -> str:
    return max(dist, key=lambda k: dist[k])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("--models", type=Path, default=MODELS, help="folder the model files are written to")
    parser.add_argument("--part", choices=("all", "text", "source"), default="all", help="which model(s) to train")
    parser.add_argument("--min-df", type=int, default=2, help="minimum document frequency of a feature")
    parser.add_argument("--keep", type=int, default=150_000, help="(shared) features kept in a shipped model")
    parser.add_argument("--keep-per-source", type=int, default=10_000, help="features kept in each outlet's block")
    parser.add_argument("--c", type=float, default=30.0, help="inverse L2 strength of the logistic regressions")
    parser.add_argument("--compare", action="store_true", help="also compare other learners on dev")
    parser.add_argument("--no-manifest", action="store_true", help="do not rewrite models/manifest.json")
    args = parser.parse_args(argv)

    folder = args.data / CORPUS
    t0 = time.time()
    train = read_trec(folder / "train.trec.gz")
    dev = read_trec(folder / "dev.trec.gz")
    print(f"read {len(train):,} train / {len(dev):,} dev documents ({time.time() - t0:.0f}s)")
    print("dev.trec.gz sha256", hashlib.sha256((folder / "dev.trec.gz").read_bytes()).hexdigest())
    train_f = [classify.features(r.text, r.title or None) for r in train]
    dev_f = [classify.features(r.text, r.title or None) for r in dev]
    y = [r.label for r in train]
    gold = [r.label for r in dev]
    print(f"features ({time.time() - t0:.0f}s)")
    if args.compare:
        compare(train_f, y, dev_f, gold, args.min_df)

    if args.part in ("all", "text"):
        doc = text_model(train_f, y, args.min_df, args.keep, args.c)
        print(f"text-only logistic regression C={args.c} on {len(doc['vocab']):,} features ({time.time() - t0:.0f}s)")
        runtime = classify.model_from_bytes(write_model(doc, args.models / classify.MODEL_FILE))
        pred = [best(runtime.probabilities(f)) for f in dev_f]
        print(f"\n== dev ({CORPUS}/dev.trec.gz), text-only model, title + text ==")
        print(format_report(scores(gold, pred, classify.LABELS)))
        pred_nt = [best(runtime.probabilities(classify.features(r.text))) for r in dev]
        s_nt = scores(gold, pred_nt, classify.LABELS)
        print(f"\ndev without titles: accuracy {s_nt['accuracy']:.4f}  macro-F1 {s_nt['macro_f1']:.4f}")
        print("\n== exact-duplicate bodies with conflicting labels ==")
        print(duplicate_analysis(train, dev, pred))

    if args.part in ("all", "source"):
        sources = [outlet_of(r) for r in train]
        doc = source_model(train_f, y, sources, args.min_df, args.keep, args.keep_per_source, args.c)
        print(
            f"\noutlet-aware logistic regression C={args.c} on {len(doc['vocab']):,} features, "
            f"{args.keep_per_source:,} per outlet ({time.time() - t0:.0f}s)"
        )
        outlet_runtime = classify.source_model_from_bytes(write_model(doc, args.models / classify.SOURCE_MODEL_FILE))
        pred = [best(outlet_runtime.probabilities(f, outlet_of(r))) for f, r in zip(dev_f, dev, strict=True)]
        print(f"\n== dev ({CORPUS}/dev.trec.gz), outlet given, outlet-aware model ==")
        print(format_report(scores(gold, pred, classify.LABELS)))
        print("\n== exact-duplicate bodies with conflicting labels (outlet given) ==")
        print(duplicate_analysis(train, dev, pred))
    if not args.no_manifest:
        import write_manifest

        print()
        write_manifest.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
