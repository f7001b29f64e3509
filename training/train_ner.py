"""Train khabar's Arabic NER model (PERS, LOC, ORG, MISC; IOB2) with python-crfsuite.

Data: ANERcorp, CAMeL Lab split rebuilt in ../shared/data/anercorp/ANERcorp_CamelSplit_train.txt
(3,963 sentences, 125,088 tokens). Licence CC BY-SA 4.0 (CAMeL Lab release terms); cite
Benajiba & Rosso (2007), "ANERsys 2.0: Conquering the NER task for the Arabic language by
combining the Maximum Entropy with POS-tag information", and Obeid et al. (LREC 2020),
"CAMeL Tools: An Open Source Python Toolkit for Arabic Natural Language Processing".
The gazetteers are hand-written (khabar/lang/ar/gazetteers.py). No ANT text is used by the
shipped model (word-statistics features from ANT, Apache-2.0, were not needed, see
bench/ner_comparison.md). SaudiNewsNet (non-commercial) is never used here.

Dev split: the LAST 10% of the sentences (sequential, like CAMeL's split); every choice
and every reported figure comes from a model trained on the first 90%.

    python training/train_ner.py --dev-only          # train on 90%, print the dev report
    python training/train_ner.py --compare           # learner/feature comparison -> bench/ner_comparison.md
    python training/train_ner.py                     # write src/khabar/models/ner.crfsuite + ner.json

The shipped model is the one trained on the first 90% (see SHIP_TRAIN_PART): the eval gate
in tests/test_ner.py then scores exactly what users get on data it never saw.
Training is deterministic (L-BFGS, fixed data order): two runs give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import pycrfsuite  # type: ignore[import-untyped]

from khabar.components.ner import ALL_FAMILIES, INFO_FILE, LEXICON_FILE, MODEL_FILE, Featurizer
from khabar.evaluation.ner import entity_scores, format_scores, read_conll
from khabar.lang.ar.normalize import fold

DATA_FILE = "anercorp/ANERcorp_CamelSplit_train.txt"
DEV_FRACTION = 0.10
SHIP_TRAIN_PART = "train90"  # "train90" (first 90%) or "all"

# The shipped configuration (chosen by --compare on the dev split).
SHIP_CONFIG: dict[str, Any] = {
    "algorithm": "lbfgs",
    "params": {"c1": 0.02, "c2": 0.2, "max_iterations": 150, "feature.possible_transitions": True},
    "families": list(ALL_FAMILIES),
}

# (name, algorithm, params, families) for --compare (the rows of bench/ner_comparison.md).
_NO_DIST = tuple(f for f in ALL_FAMILIES if f != "dist")
_L1_HEAVY = {"c1": 0.05, "c2": 0.05, "max_iterations": 200, "feature.possible_transitions": True}
COMPARE: list[tuple[str, str, dict[str, Any], tuple[str, ...]]] = [
    ("CRF L-BFGS c1=.05 c2=.05", "lbfgs", _L1_HEAVY, _NO_DIST),
    ("CRF L-BFGS c1=.1 c2=.01", "lbfgs", {**_L1_HEAVY, "c1": 0.1, "c2": 0.01}, _NO_DIST),
    ("CRF L-BFGS c1=.05 c2=.05", "lbfgs", _L1_HEAVY, ALL_FAMILIES),
    ("averaged perceptron (20 epochs)", "ap", {"max_iterations": 20}, ALL_FAMILIES),
    ("CRF L-BFGS c1=.02 c2=.2 (shipped)", "lbfgs", SHIP_CONFIG["params"], ALL_FAMILIES),
]


ANT_FILES = ("ant-multisource-v2.1/train.trec.gz", "ant-v1.1-jawharafm/train.trec.gz")
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_ANT_TOKEN = re.compile(r"[\u0621-\u064a\u0660-\u0669\u0671-\u06d3\u0640\u064b-\u0652]+|[0-9]+|[A-Za-z]+|[^\s\w]")
N_CONTEXT = 300  # the most frequent words serve as context dimensions
MIN_COUNT = 3
SIG_BITS = 16
SIG_SEED = 13


def build_lexicon(data_dir: Path) -> dict[str, tuple[str, ...]]:
    """Distributional features per folded word from the unlabeled ANT news text (Apache-2.0).

    For each word seen at least MIN_COUNT times: its most associated left and right
    neighbour among the N_CONTEXT most frequent words (count x PMI), a log2 frequency
    bucket, and a SimHash signature of its PPMI context vector (random hyperplanes with
    a fixed seed); prefixes of the signature act as coarse-to-fine word clusters.
    """
    fold_cache: dict[str, str] = {}
    seen: set[str] = set()
    sentences: list[list[str]] = []
    freq: Counter[str] = Counter()
    for name in ANT_FILES:
        with gzip.open(data_dir / name, "rt", encoding="utf-8") as fh:
            raw = fh.read()
        for m in _TEXT.finditer(raw):
            body = m.group(1)
            if body in seen:  # exact duplicate articles count once
                continue
            seen.add(body)
            toks = []
            for t in _ANT_TOKEN.findall(body):
                f = fold_cache.get(t)
                if f is None:
                    f = fold_cache[t] = fold(t)
                toks.append(f)
            sentences.append(toks)
            freq.update(toks)
    context = [w for w, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:N_CONTEXT]]
    cidx = {w: i for i, w in enumerate(context)}
    vocab = {w for w, c in freq.items() if c >= MIN_COUNT}
    vectors: dict[str, Counter[int]] = {}
    for toks in sentences:
        n = len(toks)
        for i, w in enumerate(toks):
            if w not in vocab:
                continue
            v = vectors.get(w)
            if v is None:
                v = vectors[w] = Counter()
            j = cidx.get(toks[i - 1]) if i > 0 else None
            if j is not None:
                v[j] += 1
            j = cidx.get(toks[i + 1]) if i + 1 < n else None
            if j is not None:
                v[N_CONTEXT + j] += 1
    dims = 2 * N_CONTEXT
    colsum = [0] * dims
    total = 0
    for v in vectors.values():
        for j, c in v.items():
            colsum[j] += c
            total += c
    rng = random.Random(SIG_SEED)
    planes = [[rng.gauss(0.0, 1.0) for _ in range(dims)] for _ in range(SIG_BITS)]
    names = context + context
    lexicon: dict[str, tuple[str, ...]] = {}
    for w in sorted(vectors):
        v = vectors[w]
        row = sum(v.values())
        if row < MIN_COUNT:
            continue
        ppmi = {}
        best = [(0.0, ""), (0.0, "")]
        for j in sorted(v):
            c = v[j]
            pmi = math.log(c * total / (row * colsum[j]))
            if pmi > 0:
                ppmi[j] = pmi
            side = 0 if j < N_CONTEXT else 1
            if c >= 2 and c * pmi > best[side][0]:
                best[side] = (c * pmi, names[j])
        sig = "".join("1" if sum(p[j] * a for j, a in ppmi.items()) > 0 else "0" for p in planes)
        lexicon[w] = (
            "h8=" + sig[:8],
            "l=" + best[0][1],
            "r=" + best[1][1],
            f"q={min(int(math.log2(freq[w])), 20)}",
            "h12=" + sig[:12],
            "h16=" + sig,
        )
    return lexicon


def write_lexicon(lexicon: dict[str, tuple[str, ...]], path: Path) -> None:
    """Write the lexicon as gzipped TSV (``word<TAB>feat feat ...``), byte-reproducibly (mtime 0)."""
    body = "".join(f"{w}\t{' '.join(feats)}\n" for w, feats in sorted(lexicon.items()))
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(body.encode("utf-8"))


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
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.crfsuite"
        trainer.train(str(path))
        data = path.read_bytes()
    return data, time.perf_counter() - t0


def evaluate(
    model: bytes,
    families: Sequence[str],
    sentences: Sequence[list[tuple[str, str]]],
    lexicon: dict[str, tuple[str, ...]] | None = None,
) -> tuple[dict[str, Any], float]:
    """(entity scores, tokens per second from a cold feature cache) on ``sentences``."""
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model)
    featurizer = Featurizer(families, lexicon)
    token_lists = [[t for t, _ in s] for s in sentences]
    t0 = time.perf_counter()
    pred = [list(tagger.tag(featurizer.sentence(toks))) for toks in token_lists]
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="shared data folder")
    parser.add_argument("--dev-only", action="store_true", help="train on the first 90%% and print the dev report")
    parser.add_argument("--compare", action="store_true", help="write bench/ner_comparison.md")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "khabar" / "models", help="model folder")
    args = parser.parse_args(argv)
    if args.compare:
        compare(args.data, REPO / "bench" / "ner_comparison.md")
        return 0
    sentences = load(args.data)
    train_part, dev = split(sentences)
    algorithm, params, families = SHIP_CONFIG["algorithm"], SHIP_CONFIG["params"], SHIP_CONFIG["families"]
    t0 = time.perf_counter()
    lexicon = build_lexicon(args.data) if "dist" in families else {}
    print(f"ANT word lexicon: {len(lexicon)} words in {time.perf_counter() - t0:.0f} s")
    model, seconds = train(train_part, algorithm, params, families, lexicon)
    scores, speed = evaluate(model, families, dev, lexicon)
    print(f"trained on {len(train_part)} sentences in {seconds:.1f} s; dev = last {len(dev)} sentences")
    print(format_scores(scores))
    print(f"tagging {speed:,.0f} tokens/s (cold feature cache); model {len(model) / 1e6:.2f} MB")
    print(f"model sha256 {hashlib.sha256(model).hexdigest()}")
    if args.dev_only:
        return 0
    if SHIP_TRAIN_PART == "all":
        model, seconds = train(sentences, algorithm, params, families, lexicon)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / MODEL_FILE).write_bytes(model)
    if lexicon:
        write_lexicon(lexicon, args.out / LEXICON_FILE)
    info = {
        "schema": 1,
        "families": list(families),
        "algorithm": algorithm,
        "params": params,
        "trained_on": SHIP_TRAIN_PART,
        "data": DATA_FILE,
        "data_sha256": sha256(args.data / DATA_FILE),
        "dev_micro_f1": round(scores["micro"]["f1"], 4),
        "licence": "ANERcorp CC BY-SA 4.0 (Benajiba & Rosso 2007; Obeid et al. 2020)",
    }
    (args.out / INFO_FILE).write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out / MODEL_FILE} ({len(model) / 1e6:.2f} MB, trained on {SHIP_TRAIN_PART})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
