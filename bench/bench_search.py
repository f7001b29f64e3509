"""Search latency over an ingested store: p50 / p95 / max of 100 queries of 1–3 words.

The store is the one ``bench/bench_ingest.py`` builds (default /tmp/khabar_snn.db, all of
SaudiNewsNet; CC BY-NC-SA, measurement only). Queries are drawn with a fixed seed from the
stored text itself: content words (stop words dropped) from three frequency bands -- the
50 most frequent (long posting lists: the hard case for BM25), ranks 50-500 and 500-3000 --
adjacent-word phrases, AND of 2-3 words, OR, exclusions, and 25 queries with a filter
(topic:, source:, date:, entity:, speaker:). Every query goes through ``khabar.store.search``,
the function behind ``khabar search``, with the CLI's default limit of 20 (snippets included).
One warm-up pass over all queries, then the timed pass. Prints figures; asserts nothing.

``--titles N`` adds N stored titles pasted whole as queries (issue 14: search for what people type).

    python bench/bench_search.py [DB] [--seed 7] [--show 5] [--titles 200]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from khabar.errors import KhabarError
from khabar.lang.ar.stopwords import is_stop_word
from khabar.store import Store, search
from khabar.store.db import term_key

_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")
SAMPLE_DOCS = 3000


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


def vocabulary(store: Store, rng: random.Random) -> tuple[list[str], list[tuple[str, str]]]:
    """Content words (most frequent first) and frequent adjacent content-word pairs of a sample of documents."""
    ids = [r[0] for r in store.execute("SELECT id FROM documents")]
    sample = rng.sample(ids, min(SAMPLE_DOCS, len(ids)))
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for (text,) in store.execute(f"SELECT text FROM documents WHERE id IN ({','.join('?' * len(sample))})", sample):
        surface = _ARABIC_WORD.findall(text)
        content = [len(term_key(w)) >= 3 and not is_stop_word(term_key(w)) for w in surface]
        words.update(w for w, ok in zip(surface, content, strict=True) if ok)
        pairs.update((surface[i], surface[i + 1]) for i in range(len(surface) - 1) if content[i] and content[i + 1])
    return [w for w, n in words.most_common(3000) if n >= 3], [p for p, n in pairs.most_common(500) if n >= 3]


def top_values(store: Store, sql: str, n: int) -> list[str]:
    """The first ``n`` non-empty values of a one-column query."""
    return [str(r[0]) for r in store.execute(sql) if r[0]][:n]


def build_queries(store: Store, seed: int, titles_n: int = 0) -> list[tuple[str, str]]:
    """100 ``(kind, query)`` pairs, deterministic for a given store and seed."""
    rng = random.Random(seed)
    vocab, bigrams = vocabulary(store, rng)
    head, body, tail = vocab[:50], vocab[50:500], vocab[500:]

    def any_word() -> str:
        return rng.choice(head + body + tail)

    queries: list[tuple[str, str]] = []
    queries += [("1 word, top 50", rng.choice(head)) for _ in range(8)]
    queries += [("1 word, rank 50-500", rng.choice(body)) for _ in range(9)]
    queries += [("1 word, rank 500-3000", rng.choice(tail)) for _ in range(8)]
    queries += [("2 words AND", f"{rng.choice(head + body)} {rng.choice(body + tail)}") for _ in range(15)]
    queries += [("phrase of 2", '"{} {}"'.format(*rng.choice(bigrams))) for _ in range(15)]
    queries += [("3 words AND", f"{rng.choice(head)} {rng.choice(body)} {rng.choice(body + tail)}") for _ in range(10)]
    queries += [("OR", f"{rng.choice(body)} OR {rng.choice(body)} {rng.choice(head)}") for _ in range(5)]
    queries += [("exclusion", f"{rng.choice(head + body)} -{rng.choice(head)}") for _ in range(5)]
    topics = top_values(store, "SELECT topic FROM documents GROUP BY topic ORDER BY count(*) DESC", 6)
    sources = top_values(store, "SELECT source FROM documents GROUP BY source ORDER BY count(*) DESC", 10)
    entities = top_values(
        store, "SELECT norm_name FROM referents GROUP BY norm_name ORDER BY count(*) DESC LIMIT 60", 60
    )
    speakers = top_values(
        store, "SELECT speaker_norm FROM quotes GROUP BY speaker_norm ORDER BY count(*) DESC LIMIT 40", 40
    )
    days = top_values(store, "SELECT DISTINCT substr(date, 1, 10) FROM documents ORDER BY 1", 1000)
    for _ in range(5):
        queries.append(("filter topic:", f"{any_word()} topic:{rng.choice(topics)}"))
        queries.append(("filter source:", f"{any_word()} source:{rng.choice(sources)}"))
        lo, hi = sorted(rng.sample(days, 2)) if len(days) > 1 else (days[0], days[0])
        queries.append(("filter date:", f"{any_word()} {any_word()} date:{lo}..{hi}"))
        if entities:  # a store ingested without ner has none
            queries.append(("filter entity:", f'{any_word()} entity:"{rng.choice(entities)}"'))
        if speakers:
            queries.append(("filter speaker:", f'{rng.choice(body)} speaker:"{rng.choice(speakers)}"'))
    titles = top_values(store, "SELECT title FROM documents WHERE title != '' ORDER BY id", 10**6)
    rng.shuffle(titles)
    # headlines pasted as they are: most find fewer documents holding every word than the limit,
    # so they go through the any-term continuation (the costliest path)
    queries += [("pasted title", " ".join(t.split())) for t in titles[:titles_n]]
    return queries


def timed_pass(store: Store, queries: list[tuple[str, str]], limit: int) -> list[tuple[float, int]]:
    """``(milliseconds, hits)`` for each query."""
    out: list[tuple[float, int]] = []
    for _kind, query in queries:
        t0 = time.perf_counter()
        try:
            hits = search(store, query, limit=limit)
        except KhabarError:  # a pasted title the query syntax refuses (an unbalanced quote)
            hits = []
        out.append(((time.perf_counter() - t0) * 1000, len(hits)))
    return out


def summary(ms: list[float]) -> str:
    return (
        f"p50 {percentile(ms, 50):6.1f} ms  p95 {percentile(ms, 95):6.1f} ms  "
        f"max {max(ms):6.1f} ms  mean {statistics.fmean(ms):6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", nargs="?", type=Path, default=Path("/tmp/khabar_snn.db"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--show", type=int, default=5, help="print the N slowest queries")
    parser.add_argument("--titles", type=int, default=0, help="also N stored titles pasted as queries, as typed")
    args = parser.parse_args()

    with Store.open_readonly(args.db) as store:
        n_docs = len(store)
        queries = build_queries(store, args.seed, args.titles)
        cold = timed_pass(store, queries, args.limit)  # the warm-up pass
        warm = timed_pass(store, queries, args.limit)

    ms = [t for t, _ in warm]
    print(f"store: {args.db}, {n_docs} documents; {len(queries)} queries (seed {args.seed}), limit {args.limit}")
    print(f"warm-up pass: {summary([t for t, _ in cold])}")
    print(f"timed pass:   {summary(ms)}   (target p95 <= 50 ms)")
    print(f"queries with no hit: {sum(1 for _, n in warm if n == 0)}")
    kinds = list(dict.fromkeys(kind for kind, _ in queries))
    for kind in kinds:
        sub = [t for (k, _q), t in zip(queries, ms, strict=True) if k == kind]
        print(f"  {kind:22} n={len(sub):3}  p50 {percentile(sub, 50):6.1f}  max {max(sub):6.1f} ms")
    slowest = sorted(zip(ms, queries, (n for _, n in warm), strict=True), reverse=True)[: args.show]
    for t, (kind, query), n in slowest:
        print(f"  slow: {t:6.1f} ms  {n:3} hits  [{kind}] {query}")


if __name__ == "__main__":
    main()
