"""NER benchmark: dev P/R/F1, tagging speed and model size. Prints figures; never asserts.

    python bench/bench_ner.py [--data ../shared/data] [--articles 300]

* Accuracy: the shipped model (trained on the first 90% of ANERcorp, see
  training/train_ner.py) on the dev split (the last 10% of the sentences).
* Speed: tokens per second (wall clock, and per CPU second: the development machine is
  shared) of ``khabar.components.ner.tag_sentences`` (one call per
  article, window = the article, as ``predict`` does) on SaudiNewsNet articles
  (evaluation only, never shipped), tokenised first with
  ``khabar.analyze(text, components=["segment"])``; only the tagging is timed, with a
  cold NER feature cache, feature extraction included, one process. Also per sentence
  with ``tag_tokens`` (each sentence alone).
* Size: the packaged model files on disk.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

import khabar
from khabar.components import ner
from khabar.evaluation.ner import entity_scores, format_scores


def accuracy(data: Path) -> None:
    """Dev-split scores of the shipped model."""
    import train_ner

    info = json.loads(resources.files("khabar.models").joinpath(ner.INFO_FILE).read_text(encoding="utf-8"))
    if info.get("trained_on") != "train90":
        print(f"shipped model trained on {info.get('trained_on')!r}: dev figures would be contaminated, skipped")
        return
    _train, dev = train_ner.split(train_ner.load(data))
    gold = [[g for _, g in s] for s in dev]
    t0 = time.perf_counter()
    pred = ner.tag_sentences([[t for t, _ in s] for s in dev])  # the model's default window, as tag_conll
    elapsed = time.perf_counter() - t0
    print(f"== dev split (last {len(dev)} sentences of ANERcorp CAMeL train), model trained on the first 90%")
    print(format_scores(entity_scores(gold, pred)))
    print(f"(includes model load) {sum(len(g) for g in gold) / elapsed:,.0f} tokens/s on dev")


def speed(data: Path, n_articles: int) -> None:
    """Tagging speed on SaudiNewsNet text (tokenised by the segment component first)."""
    zips = sorted((data / "saudinewsnet" / "dataset").glob("*.zip"))
    if not zips:
        print("SaudiNewsNet not found: speed skipped")
        return
    texts: list[str] = []
    for path in zips:
        with zipfile.ZipFile(path) as zf:
            for name in sorted(zf.namelist()):
                if name.endswith(".json"):
                    texts += [a["content"] for a in json.loads(zf.read(name)) if a.get("content")]
        if len(texts) >= n_articles:
            break
    texts = texts[:n_articles]
    articles: list[list[list[str]]] = []
    for text in texts:
        doc = khabar.analyze(text, components=["segment"])
        groups: dict[int, list[str]] = {}
        for tok in doc["tokens"]:
            groups.setdefault(int(tok.attrs["sentence"]), []).append(doc.text[tok.start : tok.end])
        articles.append(list(groups.values()))
    sentences = [s for a in articles for s in a]
    ner.load_model()  # load outside the timing; the feature cache stays cold
    n_tokens = sum(len(s) for s in sentences)
    print(f"== speed on {len(texts)} SaudiNewsNet articles, {len(sentences)} sentences, {n_tokens:,} tokens")
    for label, run in (
        ("tag_sentences per article", lambda: [ner.tag_sentences(a, None) for a in articles]),
        ("tag_tokens per sentence", lambda: [ner.tag_tokens(s) for s in sentences]),
    ):
        ner.load_model().featurizer.clear_cache()
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        warm, warm_cpu = time.perf_counter() - t0, time.process_time() - c0
        # CPU time as well: on a shared machine the wall clock counts other jobs' time too
        print(
            f"{label}: cold feature cache {n_tokens / cold:,.0f} tokens/s ({n_tokens / cold_cpu:,.0f} per CPU s);"
            f" warm {n_tokens / warm:,.0f} tokens/s ({n_tokens / warm_cpu:,.0f} per CPU s)"
        )


def size() -> None:
    """Model files on disk."""
    pkg = resources.files("khabar.models")
    total = 0
    for name in (ner.MODEL_FILE, ner.STACK_FILE, ner.LEXICON_FILE, ner.ATTRIBUTES_FILE, ner.INFO_FILE):
        ref = pkg.joinpath(name)
        if ref.is_file():
            n = len(ref.read_bytes())
            total += n
            print(f"{name}: {n / 1e6:.2f} MB")
    print(f"NER model total: {total / 1e6:.2f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description="NER benchmark (prints, never asserts)")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    accuracy(args.data)
    speed(args.data, args.articles)
    size()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
