"""NER experiments with dense ANT word vectors (issue 12 point 1): CRF + vector clusters, and a neural tagger.

Same data, split and scoring as training/train_ner.py: ANERcorp (CAMeL split rebuilt, CC BY-SA 4.0),
train = first 90% of the sentences, dev = last 10%; entity-level exact span+type (CoNLL). The
vectors come from training/build_vectors.py (ANT news text only, Apache-2.0; never SaudiNewsNet).

    python training/build_vectors.py --out /tmp/khabar_vectors               # first (5-12 min)
    python training/train_ner_neural.py crf --vectors /tmp/khabar_vectors    # CRF + vector clusters, dev
    python training/train_ner_neural.py crf --vectors ... --first-only       # first pass only
    python training/train_ner_neural.py neural --vectors /tmp/khabar_vectors [--epochs 20] [--save DIR]
    python training/train_ner_neural.py neural ... --cv 5                    # 5-fold CV on the 90%
    python training/train_ner_neural.py speed --hidden 100                   # tokens/s + MB of the architecture
    python training/train_ner_neural.py ensemble --vectors ... [--save DIR]  # shipped CRF + the saved neural tagger

``crf``: the shipped two-pass CRF configuration (train_ner.SHIP_CONFIG, STACK) whose ``dist``
features also carry the ids of k-means clusters of the word vectors (``v64``, ``v256``, ``v1024``,
appended to each word's ANT cluster ids, so neighbours still see the 128/512 Brown-like ids only).

``neural``: a BiLSTM-CRF (Lample et al. 2016; Ma & Hovy 2016) on the CPU with torch: per token the
ANT word vector (folded form, then without و/ف/ب/ل/ك, then without ال; fine-tuned), a character CNN,
and the CRF's cheap symbolic features as inputs (gazetteer categories, the ANT cluster ids 128/512,
the proclitic string, the shape class). The emission network is exported to ONNX and scored again
with onnxruntime (Viterbi in numpy), which is how it would run at inference; the tokens/s printed
are onnxruntime + Viterbi + input building, one process. The number of epochs is fixed in advance
(never chosen on dev); the dev score of every epoch is printed for information only.

Fixed seeds, one thread, deterministic algorithms: the same inputs give the same model.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

import train_ner

from khabar.components.ner import Featurizer, apply_rules
from khabar.components.ner_features import _gaz_single, _shape, _split
from khabar.evaluation.ner import entity_scores, format_scores
from khabar.lang.ar.normalize import fold

Sentences = Sequence[list[tuple[str, str]]]
TAGS = ("O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
GAZ = ("LOC", "NAT", "TTL", "ORGC", "ORG", "LOCC", "MISC", "NAME")
SHAPES = ("A", "D", "L", "LU", "P", "X")
MAX_CHARS = 20
SEED = 5
DEFAULT_LEXICON = REPO / "src" / "khabar" / "models" / "ner_lexicon.bin.gz"


def read_vectors(folder: Path, n_words: int) -> tuple[list[str], np.ndarray]:
    vocab = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    vec = np.load(folder / "vectors.npy")
    return vocab[:n_words], vec[:n_words]


def read_clusters(folder: Path) -> dict[str, tuple[str, ...]]:
    return train_ner.read_lexicon(folder / "clusters.tsv.gz")


# --------------------------------------------------------------------------- CRF + vector clusters


def combined_lexicon(
    lexicon: dict[str, tuple[str, ...]], vclusters: dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """ANT cluster ids first (neighbours see the first two), then the vector cluster ids."""
    out = {w: tuple(f) for w, f in lexicon.items()}
    for w, f in vclusters.items():
        out[w] = out.get(w, ("128=?", "512=?")) + f
    return out


def crf_dev(train: Sentences, dev: Sentences, lexicon: dict[str, tuple[str, ...]], first_only: bool, jobs: int) -> None:
    cfg, stack = train_ner.SHIP_CONFIG, train_ner.STACK
    assert stack is not None
    model, secs = train_ner.train(train, cfg["algorithm"], cfg["params"], cfg["families"], lexicon)
    scores, speed = train_ner.evaluate(model, cfg["families"], dev, lexicon)
    print(f"first pass: {secs:.0f} s, {len(model) / 1e6:.2f} MB, {speed:,.0f} tokens/s")
    print(format_scores(scores), flush=True)
    if first_only:
        return
    t0 = time.perf_counter()
    first = train_ner.first_pass_cv(train, stack["folds"], lexicon, jobs)
    model2, _secs2 = train_ner.train_stack(train, first, stack["params"], stack["window"], lexicon)
    scores, speed = train_ner.evaluate(model, cfg["families"], dev, lexicon, model2, stack["window"])
    print(f"both passes: inner CV + second pass {time.perf_counter() - t0:.0f} s, {len(model2) / 1e6:.2f} MB")
    print(format_scores(scores), flush=True)


# --------------------------------------------------------------------------- neural tagger: inputs


class Inputs:
    """Token -> index arrays for the neural tagger (word, chars, clusters, gazetteer, proclitics, shape)."""

    def __init__(self, vocab: list[str], lexicon: dict[str, tuple[str, ...]], train: Sentences) -> None:
        self.words = {w: i + 2 for i, w in enumerate(vocab)}  # 0 pad, 1 unknown
        chars: dict[str, int] = {}
        prefixes: dict[str, int] = {}
        for sent in train:
            for tok, _ in sent:
                for c in tok[:MAX_CHARS]:
                    chars.setdefault(c, len(chars) + 2)
                prefixes.setdefault(_split(tok)[0], len(prefixes) + 2)
        self.chars, self.prefixes = chars, prefixes
        self.lexicon = lexicon
        c128 = sorted({f[0] for f in lexicon.values()})
        c512 = sorted({f[1] for f in lexicon.values()})
        self.c128 = {c: i + 2 for i, c in enumerate(c128)}
        self.c512 = {c: i + 2 for i, c in enumerate(c512)}
        self._cache: dict[str, tuple[int, list[int], int, int, list[float], int, int]] = {}

    def sizes(self) -> dict[str, int]:
        return {
            "words": len(self.words) + 2,
            "chars": len(self.chars) + 2,
            "prefixes": len(self.prefixes) + 2,
            "c128": len(self.c128) + 2,
            "c512": len(self.c512) + 2,
        }

    def token(self, tok: str) -> tuple[int, list[int], int, int, list[float], int, int]:
        hit = self._cache.get(tok)
        if hit is None:
            pre, nop, core = _split(tok)
            f = fold(tok)
            w = self.words.get(f) or self.words.get(nop) or self.words.get(core) or 1
            chars = [self.chars.get(c, 1) for c in tok[:MAX_CHARS]] or [1]
            dist = self.lexicon.get(f) or self.lexicon.get(nop) or self.lexicon.get(core)
            k128 = self.c128.get(dist[0], 1) if dist else 1
            k512 = self.c512.get(dist[1], 1) if dist else 1
            cats = _gaz_single(nop, core)
            gaz = [1.0 if g in cats else 0.0 for g in GAZ]
            shape = _shape(tok)
            hit = (w, chars, k128, k512, gaz, self.prefixes.get(pre, 1), SHAPES.index(shape) + 1)
            self._cache[tok] = hit
        return hit

    def batch(self, sents: Sequence[Sequence[str]]) -> dict[str, np.ndarray]:
        n, t = len(sents), max(len(s) for s in sents)
        rows = [[self.token(tok) for tok in s] for s in sents]
        lc = max(len(r[1]) for row in rows for r in row)
        out = {
            "words": np.zeros((n, t), np.int64),
            "chars": np.zeros((n, t, lc), np.int64),
            "c128": np.zeros((n, t), np.int64),
            "c512": np.zeros((n, t), np.int64),
            "gaz": np.zeros((n, t, len(GAZ)), np.float32),
            "prefix": np.zeros((n, t), np.int64),
            "shape": np.zeros((n, t), np.int64),
        }
        for i, row in enumerate(rows):
            for j, (w, ch, a, b, g, p, s) in enumerate(row):
                out["words"][i, j] = w
                out["chars"][i, j, : len(ch)] = ch
                out["c128"][i, j], out["c512"][i, j], out["prefix"][i, j], out["shape"][i, j] = a, b, p, s
                out["gaz"][i, j] = g
        return out


# --------------------------------------------------------------------------- neural tagger: model


def build_model(sizes: dict[str, int], vectors: np.ndarray, hidden: int, char_dim: int, char_filters: int) -> Any:
    import torch
    from torch import nn

    class Emissions(nn.Module):
        """Token inputs -> tag scores [batch, time, tags] (the part exported to ONNX)."""

        def __init__(self) -> None:
            super().__init__()
            dim = vectors.shape[1]
            self.word = nn.Embedding(sizes["words"], dim, padding_idx=0)
            with torch.no_grad():
                self.word.weight[2 : 2 + len(vectors)] = torch.from_numpy(vectors)
                self.word.weight[1].zero_()
            self.char = nn.Embedding(sizes["chars"], char_dim, padding_idx=0)
            self.conv = nn.Conv1d(char_dim, char_filters, kernel_size=3, padding=1)
            self.c128 = nn.Embedding(sizes["c128"], 16, padding_idx=0)
            self.c512 = nn.Embedding(sizes["c512"], 16, padding_idx=0)
            self.prefix = nn.Embedding(sizes["prefixes"], 8, padding_idx=0)
            self.shape = nn.Embedding(len(SHAPES) + 1, 4, padding_idx=0)
            n_in = dim + char_filters + 16 + 16 + 8 + 4 + len(GAZ)
            self.drop = nn.Dropout(0.5)
            self.lstm = nn.LSTM(n_in, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden, len(TAGS))

        def forward(
            self,
            words: Any,
            chars: Any,
            c128: Any,
            c512: Any,
            gaz: Any,
            prefix: Any,
            shape: Any,
        ) -> Any:
            b, t, lc = chars.shape
            ce = self.char(chars.reshape(b * t, lc)).transpose(1, 2)  # [b*t, dim, lc]
            ch = torch.relu(self.conv(ce)).max(dim=2).values.reshape(b, t, -1)
            x = torch.cat(
                [self.word(words), ch, self.c128(c128), self.c512(c512), self.prefix(prefix), self.shape(shape), gaz],
                dim=2,
            )
            h, _ = self.lstm(self.drop(x))
            scores: Any = self.out(self.drop(h))
            return scores

    return Emissions()


def crf_nll(emis: Any, tags: Any, mask: Any, trans: Any, start: Any, end: Any) -> Any:
    """Mean negative log-likelihood of a linear-chain CRF over a padded batch."""
    import torch

    b, t, _k = emis.shape
    ar = torch.arange(b)
    score = start[tags[:, 0]] + emis[ar, 0, tags[:, 0]]
    alpha = start[None, :] + emis[:, 0]
    lengths = mask.sum(1)
    for i in range(1, t):
        m = mask[:, i]
        score = score + m * (trans[tags[:, i - 1], tags[:, i]] + emis[ar, i, tags[:, i]])
        nxt = torch.logsumexp(alpha[:, :, None] + trans[None] + emis[:, i, None, :], dim=1)
        alpha = torch.where(m[:, None] > 0, nxt, alpha)
    last = tags[ar, lengths - 1]
    score = score + end[last]
    logz = torch.logsumexp(alpha + end[None, :], dim=1)
    return (logz - score).mean()


def viterbi(emis: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best tag sequence for one sentence's emission scores [time, tags]."""
    t = len(emis)
    score = start + emis[0]
    back = np.zeros((t, len(start)), np.int64)
    for i in range(1, t):
        cand = score[:, None] + trans
        back[i] = cand.argmax(0)
        score = cand.max(0) + emis[i]
    score = score + end
    best = [int(score.argmax())]
    for i in range(t - 1, 0, -1):
        best.append(int(back[i, best[-1]]))
    return best[::-1]


def _torch_inputs(arr: dict[str, np.ndarray]) -> list[Any]:
    import torch

    return [torch.from_numpy(arr[k]) for k in ("words", "chars", "c128", "c512", "gaz", "prefix", "shape")]


def train_neural(
    train: Sentences,
    inputs: Inputs,
    vectors: np.ndarray,
    epochs: int,
    hidden: int,
    batch: int,
    dev: Sentences | None = None,
    featurizer: Featurizer | None = None,
) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    """(emission network, transitions, start, end scores); prints loss (and dev F1 per epoch, for information)."""
    import torch

    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(SEED)
    model = build_model(inputs.sizes(), vectors, hidden, 32, 64)
    k = len(TAGS)
    trans = torch.nn.Parameter(torch.zeros(k, k))
    start = torch.nn.Parameter(torch.zeros(k))
    end = torch.nn.Parameter(torch.zeros(k))
    params = [*model.parameters(), trans, start, end]
    opt = torch.optim.Adam(params, lr=2e-3)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0 / (1.0 + 0.05 * e))
    tag_index = {t: i for i, t in enumerate(TAGS)}
    order = sorted(range(len(train)), key=lambda i: len(train[i]))  # similar lengths per batch: less padding
    batches = [order[i : i + batch] for i in range(0, len(order), batch)]
    for epoch in range(epochs):
        t0 = time.perf_counter()
        model.train()
        total = 0.0
        for bi in rng.permutation(len(batches)):
            sents = [train[i] for i in batches[bi]]
            arr = inputs.batch([[t for t, _ in s] for s in sents])
            # word dropout: a known word becomes "unknown" 5% of the time, so the char CNN learns to stand in
            drop = (rng.random(arr["words"].shape) < 0.05) & (arr["words"] > 1)
            arr["words"][drop] = 1
            tg = np.zeros(arr["words"].shape, np.int64)
            mask = np.zeros(arr["words"].shape, np.float32)
            for i, s in enumerate(sents):
                tg[i, : len(s)] = [tag_index[g] for _, g in s]
                mask[i, : len(s)] = 1
            emis = model(*_torch_inputs(arr))
            loss = crf_nll(emis, torch.from_numpy(tg), torch.from_numpy(mask).long(), trans, start, end)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()
            total += float(loss.detach()) * len(sents)
        sched.step()
        line = f"epoch {epoch + 1}: loss {total / len(train):.3f} ({time.perf_counter() - t0:.0f} s)"
        if dev is not None and featurizer is not None:
            ts = (trans.detach().numpy(), start.detach().numpy(), end.detach().numpy())
            pred = tag_torch(model, inputs, [[t for t, _ in s] for s in dev], *ts)
            pred = [apply_rules(featurizer, [t for t, _ in s], p) for s, p in zip(dev, pred, strict=True)]
            f1 = entity_scores([[g for _, g in s] for s in dev], pred)["micro"]["f1"]
            line += f"; dev F1 {100 * f1:.1f} (information only)"
        print(line, flush=True)
    return model, trans.detach().numpy(), start.detach().numpy(), end.detach().numpy()


def tag_torch(
    model: Any, inputs: Inputs, sents: Sequence[Sequence[str]], trans: np.ndarray, start: np.ndarray, end: np.ndarray
) -> list[list[str]]:
    import torch

    model.eval()
    out: list[list[str]] = []
    with torch.no_grad():
        for i in range(0, len(sents), 64):
            part = sents[i : i + 64]
            emis = model(*_torch_inputs(inputs.batch(part))).numpy()
            out += [[TAGS[j] for j in viterbi(emis[n, : len(s)], trans, start, end)] for n, s in enumerate(part)]
    return out


def export_onnx(model: Any, inputs: Inputs, path: Path) -> None:
    import torch

    model.eval()
    arr = inputs.batch([["كتب", "محمد", "في", "القاهرة"], ["و"]])
    names = ["words", "chars", "c128", "c512", "gaz", "prefix", "shape"]
    axes: dict[str, dict[int, str]] = {n: {0: "batch", 1: "time"} for n in names}
    axes["chars"][2] = "letters"
    axes["emissions"] = {0: "batch", 1: "time"}
    torch.onnx.export(
        model,
        tuple(_torch_inputs(arr)),
        str(path),
        input_names=names,
        output_names=["emissions"],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )


def tag_onnx(
    path: Path, inputs: Inputs, sents: Sequence[Sequence[str]], trans: np.ndarray, start: np.ndarray, end: np.ndarray
) -> list[list[str]]:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    out: list[list[str]] = []
    order = sorted(range(len(sents)), key=lambda i: len(sents[i]))
    result: dict[int, list[str]] = {}
    for i in range(0, len(order), 32):
        idx = order[i : i + 32]
        part = [sents[j] for j in idx]
        (emis,) = sess.run(None, inputs.batch(part))
        for n, j in enumerate(idx):
            result[j] = [TAGS[x] for x in viterbi(emis[n, : len(sents[j])], trans, start, end)]
    out = [result[j] for j in range(len(sents))]
    return out


def neural_dev(args: argparse.Namespace, train: Sentences, dev: Sentences, lexicon: dict[str, tuple[str, ...]]) -> None:
    import torch

    torch.set_num_threads(1)
    vocab, vectors = read_vectors(args.vectors, args.words)
    inputs = Inputs(vocab, lexicon, train)
    featurizer = Featurizer(train_ner.SHIP_CONFIG["families"], lexicon)
    t0 = time.perf_counter()
    model, trans, start, end = train_neural(
        train, inputs, vectors, args.epochs, args.hidden, args.batch, dev if args.trace else None, featurizer
    )
    print(f"trained in {time.perf_counter() - t0:.0f} s", flush=True)
    dev_tokens = [[t for t, _ in s] for s in dev]
    gold = [[g for _, g in s] for s in dev]
    pred = tag_torch(model, inputs, dev_tokens, trans, start, end)
    pred = [apply_rules(featurizer, t, p) for t, p in zip(dev_tokens, pred, strict=True)]
    print("== dev, torch, after the post-rules")
    print(format_scores(entity_scores(gold, pred)), flush=True)
    folder = args.save or Path("/tmp/khabar_ner/neural")
    folder.mkdir(parents=True, exist_ok=True)
    onnx_path = folder / "ner_neural.onnx"
    export_onnx(model, inputs, onnx_path)
    np.savez(folder / "ner_neural_crf.npz", trans=trans, start=start, end=end)
    inputs._cache.clear()
    t0, c0 = time.perf_counter(), time.process_time()
    pred2 = tag_onnx(onnx_path, inputs, dev_tokens, trans, start, end)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = sum(map(len, dev_tokens))
    pred2 = [apply_rules(featurizer, t, p) for t, p in zip(dev_tokens, pred2, strict=True)]
    same = sum(a == b for a, b in zip(pred, pred2, strict=True))
    print(f"== dev, onnxruntime ({same}/{len(pred)} sentences tagged as torch did)")
    print(format_scores(entity_scores(gold, pred2)))
    size = onnx_path.stat().st_size
    print(
        f"onnxruntime tagging (cold input cache, incl. model load): {n / wall:,.0f} tokens/s wall, "
        f"{n / cpu:,.0f} per CPU s; ONNX model {size / 1e6:.1f} MB (float32)"
    )
    if args.probs_out:
        np.save(args.probs_out, np.array([" ".join(p) for p in pred2], dtype=object), allow_pickle=True)


def neural_cv(args: argparse.Namespace, train: Sentences, lexicon: dict[str, tuple[str, ...]], folds: int) -> None:
    import torch

    torch.set_num_threads(1)
    vocab, vectors = read_vectors(args.vectors, args.words)
    featurizer = Featurizer(train_ner.SHIP_CONFIG["families"], lexicon)
    n = len(train)
    bounds = [round(n * i / folds) for i in range(folds + 1)]
    gold_all: list[list[str]] = []
    pred_all: list[list[str]] = []
    for k in range(folds):
        rest = [*train[: bounds[k]], *train[bounds[k + 1] :]]
        block = train[bounds[k] : bounds[k + 1]]
        inputs = Inputs(vocab, lexicon, rest)
        model, trans, start, end = train_neural(rest, inputs, vectors, args.epochs, args.hidden, args.batch)
        toks = [[t for t, _ in s] for s in block]
        pred = tag_torch(model, inputs, toks, trans, start, end)
        pred = [apply_rules(featurizer, t, p) for t, p in zip(toks, pred, strict=True)]
        gold = [[g for _, g in s] for s in block]
        print(f"fold {k}: {100 * entity_scores(gold, pred)['micro']['f1']:.1f}", flush=True)
        gold_all += gold
        pred_all += pred
    print(f"== pooled {folds}-fold CV on the first 90%")
    print(format_scores(entity_scores(gold_all, pred_all)))


def speed_only(args: argparse.Namespace, train: Sentences, dev: Sentences, lexicon: dict[str, tuple[str, ...]]) -> None:
    """Tokens/s and size of the neural architecture with untrained weights (speed does not depend on them)."""
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    vocab, vectors = read_vectors(args.vectors, args.words)
    inputs = Inputs(vocab, lexicon, train)
    model = build_model(inputs.sizes(), vectors, args.hidden, 32, 64)
    folder = Path("/tmp/khabar_ner/speed")
    folder.mkdir(parents=True, exist_ok=True)
    export_onnx(model, inputs, folder / "untrained.onnx")
    toks = [[t for t, _ in s] for s in dev]
    zero = np.zeros((len(TAGS), len(TAGS)), np.float32)
    t0, c0 = time.perf_counter(), time.process_time()
    tag_onnx(folder / "untrained.onnx", inputs, toks, zero, zero[0], zero[0])
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = sum(map(len, toks))
    size = (folder / "untrained.onnx").stat().st_size
    print(
        f"neural architecture, {len(vocab):,} word vectors, hidden {args.hidden}: {n / wall:,.0f} tokens/s wall, "
        f"{n / cpu:,.0f} per CPU s (dev split, cold input cache, incl. session load); ONNX {size / 1e6:.1f} MB"
    )


def _merge(base: Sequence[str], extra: Sequence[str]) -> list[str]:
    """``base`` tags plus the entities of ``extra`` that overlap no entity of ``base``."""
    from khabar.components.ner import entity_runs

    out = list(base)
    taken = [False] * len(base)
    for a, b, _label in entity_runs(base):
        taken[a:b] = [True] * (b - a)
    for a, b, label in entity_runs(extra):
        if not any(taken[a:b]):
            out[a:b] = [f"B-{label}"] + [f"I-{label}"] * (b - a - 1)
    return out


def ensemble_dev(
    args: argparse.Namespace, train: Sentences, dev: Sentences, lexicon: dict[str, tuple[str, ...]]
) -> None:
    """The shipped CRF and a saved neural tagger on dev, alone and combined by two fixed rules.

    Rules (chosen before either model was scored together): "CRF + neural where CRF has nothing" (the
    CRF's entities, plus the neural tagger's entities that overlap none of them: the CRF's precision
    is high and its recall low) and the same the other way round.
    """
    from khabar.components import ner

    folder = args.save or Path("/tmp/khabar_ner/neural")
    vocab, _vectors = read_vectors(args.vectors, args.words)
    inputs = Inputs(vocab, lexicon, train)
    crf_npz = np.load(folder / "ner_neural_crf.npz")
    toks = [[t for t, _ in s] for s in dev]
    gold = [[g for _, g in s] for s in dev]
    featurizer = Featurizer(train_ner.SHIP_CONFIG["families"], lexicon)
    t0 = time.perf_counter()
    neural = tag_onnx(folder / "ner_neural.onnx", inputs, toks, crf_npz["trans"], crf_npz["start"], crf_npz["end"])
    neural = [apply_rules(featurizer, t, p) for t, p in zip(toks, neural, strict=True)]
    t_neural = time.perf_counter() - t0
    t0 = time.perf_counter()
    crf = ner.tag_sentences(toks)  # the shipped model, its trained window (as bench_ner.py)
    t_crf = time.perf_counter() - t0
    n = sum(map(len, toks))
    rows = [
        ("shipped CRF (two passes)", crf),
        ("neural (onnxruntime)", neural),
        ("CRF + neural where CRF has nothing", [_merge(c, x) for c, x in zip(crf, neural, strict=True)]),
        ("neural + CRF where neural has nothing", [_merge(x, c) for c, x in zip(crf, neural, strict=True)]),
    ]
    for name, pred in rows:
        print(f"== dev: {name}")
        print(format_scores(entity_scores(gold, pred)), flush=True)
    print(f"dev tagging incl. load: CRF {n / t_crf:,.0f} tokens/s, neural {n / t_neural:,.0f} tokens/s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("crf", "neural", "ensemble", "speed"))
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--vectors", type=Path, default=Path("/tmp/khabar_vectors"), help="build_vectors.py output")
    ap.add_argument("--lexicon", type=Path, default=DEFAULT_LEXICON, help="the ANT cluster table (train_ner.py)")
    ap.add_argument("--first-only", action="store_true", help="crf: the first pass only")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--words", type=int, default=100_000, help="neural: vectors of the most frequent words")
    ap.add_argument("--trace", action="store_true", help="neural: print dev F1 after every epoch (information)")
    ap.add_argument("--save", type=Path, help="neural: folder for the ONNX model")
    ap.add_argument("--probs-out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--cv", type=int, default=0, help="k-fold CV on the first 90%% instead of the dev split")
    args = ap.parse_args(argv)
    train, dev = train_ner.split(train_ner.load(args.data))
    lexicon = train_ner.read_lexicon(args.lexicon)
    if args.mode == "crf":
        lexicon = combined_lexicon(lexicon, read_clusters(args.vectors))
        if args.cv:
            raise SystemExit("crf --cv: run bench/bench_ner_cv.py's procedure with this lexicon (not wired yet)")
        crf_dev(train, dev, lexicon, args.first_only, args.jobs)
    elif args.mode == "speed":
        speed_only(args, train, dev, lexicon)
    elif args.mode == "ensemble":
        ensemble_dev(args, train, dev, lexicon)
    elif args.cv:
        neural_cv(args, train, lexicon, args.cv)
    else:
        neural_dev(args, train, dev, lexicon)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
