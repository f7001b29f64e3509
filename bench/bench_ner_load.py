"""Cold-start cost of the NER and segmenter models: CPU seconds and RSS per loader.

    python bench/bench_ner_load.py [--profile N] [--articles N]
    python bench/bench_ner_load.py --cache-sizes 16384,32768,1000000 [--articles 1500]

Runs in a fresh process (run it with an old checkout on ``PYTHONPATH`` to compare) and
calls each loader once, in the order a first ``analyze(text, components=["ner"])`` needs
them, printing the CPU time (user+sys, ``time.process_time``) and the growth of VmRSS
(``/proc/self/status``) around each, then analyses one sentence of our own with the
models loaded, and prints the process's peak RSS (VmHWM). A loader that the checkout does
not have is skipped. ``--profile N`` instead prints the N most expensive functions
(cumulative) of the whole cold sequence under cProfile. ``--articles N`` then analyses N
SaudiNewsNet articles (seed 13; evaluation only) with components ``ner`` and prints the RSS
growth, CPU time and the sizes of the NER/segmenter caches. ``--cache-sizes`` instead
tokenises the articles (components ``segment``) and times ``ner.tag_sentences`` over all of
them once per size of the Featurizer's per-word cache (``Featurizer.CACHE_SIZE``, cache and
``segment_word`` memo emptied before each), in CPU seconds. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Callable

SENTENCE = "قال وزير الخارجية السعودي في الرياض إن المملكة ستستضيف القمة العربية المقبلة بحضور الأمين العام للأمم المتحدة."

LOADERS: tuple[tuple[str, str, str], ...] = (
    ("segmenter (morph.load_model)", "khabar.lang.ar.morph", "load_model"),
    ("names (clitic_evidence.annotated_names)", "khabar.lang.ar.clitic_evidence", "annotated_names"),
    ("gazetteer names (clitic_evidence.gazetteer_names)", "khabar.lang.ar.clitic_evidence", "gazetteer_names"),
    ("place parts (clitic_evidence.name_parts)", "khabar.lang.ar.clitic_evidence", "name_parts"),
    ("stem spelling (clitic_evidence._spelling_model)", "khabar.lang.ar.clitic_evidence", "_spelling_model"),
    ("NER gazetteers (ner_features._gazetteer_tables)", "khabar.components.ner_features", "_gazetteer_tables"),
    ("NER (ner.load_model)", "khabar.components.ner", "load_model"),
)


def _rss_kb(field: str = "VmRSS") -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _measure(label: str, fn: Callable[[], object]) -> None:
    rss0, cpu0 = _rss_kb(), time.process_time()
    fn()
    cpu, rss = time.process_time() - cpu0, _rss_kb() - rss0
    print(f"{label:<52} {cpu:7.3f} CPU-s  {rss / 1024:+8.1f} MB RSS")


def cold_sequence() -> None:
    """Import, load every model, analyse one sentence: the figures of a first use."""
    _measure("imports (khabar, ner, morph, clitic_evidence)", lambda: [
        importlib.import_module(m)
        for m in ("khabar", "khabar.components.ner", "khabar.lang.ar.morph", "khabar.lang.ar.clitic_evidence")
    ])
    for label, module, name in LOADERS:
        fn = getattr(importlib.import_module(module), name, None)
        if fn is None:
            print(f"{label:<52} (not in this checkout)")
            continue
        _measure(label, fn)
    import khabar

    _measure("first analyze (ner), models loaded", lambda: khabar.analyze(SENTENCE, components=["ner"]))
    _measure("second analyze (ner)", lambda: khabar.analyze(SENTENCE, components=["ner"]))


def _cache_sizes() -> str:
    from khabar.components import ner
    from khabar.lang.ar import morph

    featurizer = ner.load_model().featurizer
    seg = morph.load_model()
    sizes = {
        "featurizer": len(featurizer._cache) + len(getattr(featurizer, "_older", {})),
        "segmenter stems": len(seg._stats),
        "counts cache": len(getattr(seg.counts, "_cache", {})),
        "segment_word": morph.segment_word.cache_info().currsize,  # type: ignore[attr-defined]
    }
    return ", ".join(f"{k} {v:,}" for k, v in sizes.items())


def over_articles(n: int) -> None:
    """RSS and CPU over ``n`` articles once the models are loaded."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from saudinewsnet import load_articles

    import khabar

    texts = load_articles(n=n)
    nlp = khabar.load(["ner"])
    nlp.analyze(SENTENCE)
    rss0, cpu0 = _rss_kb(), time.process_time()
    words = 0
    for i, text in enumerate(texts, 1):
        words += len(text.split())
        nlp.analyze(text)
        if i % max(1, n // 4) == 0 or i == n:
            cpu = time.process_time() - cpu0
            print(
                f"{i:>6} articles {words:>9,} words: {cpu:7.1f} CPU-s ({words / cpu:,.0f} words/CPU-s), "
                f"RSS {(_rss_kb() - rss0) / 1024:+7.1f} MB; caches: {_cache_sizes()}"
            )


def cache_sizes(sizes: list[int], n: int) -> None:
    """NER tokens per CPU second over ``n`` articles for each Featurizer cache size."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from saudinewsnet import load_articles

    import khabar
    from khabar.components import ner
    from khabar.lang.ar import morph

    nlp = khabar.load(["segment"])
    articles: list[list[list[str]]] = []
    for text in load_articles(n=n):
        doc = nlp.analyze(text)
        groups: dict[int, list[str]] = {}
        for tok in doc["tokens"]:
            groups.setdefault(int(tok.attrs["sentence"]), []).append(doc.text[tok.start : tok.end])
        articles.append(list(groups.values()))
    n_tokens = sum(len(s) for a in articles for s in a)
    featurizer = ner.load_model().featurizer
    for size in sizes:
        featurizer.CACHE_SIZE = size
        featurizer.clear_cache()
        morph.segment_word.cache_clear()  # type: ignore[attr-defined]
        cpu0 = time.process_time()
        for sentences in articles:
            ner.tag_sentences(sentences, None)
        cpu = time.process_time() - cpu0
        print(f"cache {size:>9,} words/generation: {n_tokens / cpu:,.0f} tokens/CPU-s ({len(articles)} articles, {n_tokens:,} tokens)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", type=int, default=0, help="print the N top functions under cProfile")
    parser.add_argument("--articles", type=int, default=0, help="then analyse N SaudiNewsNet articles")
    parser.add_argument("--cache-sizes", default="", help="comma-separated Featurizer cache sizes to time instead")
    args = parser.parse_args()
    if args.cache_sizes:
        cache_sizes([int(x) for x in args.cache_sizes.split(",")], args.articles or 1500)
        return
    cpu0 = time.process_time()
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(cold_sequence)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
    else:
        cold_sequence()
    import khabar

    print(f"khabar from {khabar.__file__}")
    print(f"total {time.process_time() - cpu0:.3f} CPU-s (after interpreter start); peak RSS {_rss_kb('VmHWM') / 1024:.1f} MB")
    if args.articles:
        over_articles(args.articles)


if __name__ == "__main__":
    main()
