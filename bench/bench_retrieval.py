"""Known-item retrieval: khabar's search analyzer against plain FTS5 ``unicode61``, side by side.

Data: 500 SaudiNewsNet articles (CC BY-NC-SA, measurement only) drawn with a fixed seed
among those with a title, keeping titles and bodies distinct so each query has one right
answer. Two fresh in-memory FTS5 indexes hold the same article BODIES only:

* khabar: the store's matching view -- each body repaired by the ``repair`` component, then
  cut into words, clitics stripped and folded by ``khabar.store.db.index_terms`` (exactly what
  ``Store.add`` writes into ``documents_fts.body``), tokenizer ``unicode61 remove_diacritics 0``;
* plain: the body as written, ``tokenize = "unicode61 remove_diacritics 0"``: no Arabic
  normalization, no clitic stripping or stemming.

Query = the article's title turned into an OR query of its terms, the same way for both: the
title is cut into terms by the side's own analyzer (khabar: ``text_terms``, the function the
store's query parser uses; plain: what ``unicode61`` treats as a token, Unicode letters and
digits), duplicates dropped, each term quoted as an FTS5 string, joined with ``OR``. Ranking
is FTS5 ``bm25()``. A query scores 1/rank of its own article within the top 10 (MRR@10) and
1 if it is there at all (recall@10). ``--distractors N`` adds N more bodies (not queried) to
both indexes, for a harder setting. Prints figures; asserts nothing.

``--query raw`` (the known-item bench of issue 14): the query is the title EXACTLY as a user
types it, passed unchanged to ``khabar.store.search`` over a real khabar store of the same
bodies (ingested with the ``repair`` component, no titles stored) -- no OR is built by the
bench; khabar's own search decides (all terms first, then any term ranked by BM25 times the
share of the terms held). Plain FTS5 unicode61 keeps the OR over the same titles, in the same
run. Also prints the search latency (median, p95) of khabar's queries.

    python bench/bench_retrieval.py [--articles 500] [--seed 11] [--distractors 0] [--query or|raw]
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from saudinewsnet import DEFAULT_DATA, load_records

import khabar
from khabar.store.db import index_terms, text_terms

TOP = 10
# What unicode61 keeps in a token by default: letters, numbers (and private-use code points).
_UNICODE61_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Scores:
    mrr: float
    recall: float
    no_terms: int


def pick_articles(records: list[dict[str, Any]], n: int, extra: int, seed: int) -> list[dict[str, Any]]:
    """``n + extra`` articles with a title, distinct titles and distinct bodies, in a seeded order."""
    rng = random.Random(seed)
    pool = [r for r in records if str(r.get("title") or "").strip()]
    rng.shuffle(pool)
    seen_titles: set[str] = set()
    seen_bodies: set[str] = set()
    chosen: list[dict[str, Any]] = []
    for r in pool:
        title, body = " ".join(r["title"].split()), r["content"].strip()
        if title in seen_titles or body in seen_bodies:
            continue
        seen_titles.add(title)
        seen_bodies.add(body)
        chosen.append(r)
        if len(chosen) == n + extra:
            break
    return chosen


def fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def or_query(terms: Sequence[str]) -> str:
    """``"t1" OR "t2" ...`` over the distinct terms, in title order ("" when there are none)."""
    return " OR ".join(fts_string(t) for t in dict.fromkeys(terms))


def build_index(bodies: list[str]) -> sqlite3.Connection:
    """An in-memory FTS5 table of ``bodies`` (rowid = position + 1)."""
    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE VIRTUAL TABLE idx USING fts5 (body, tokenize = "unicode61 remove_diacritics 0")')
    conn.executemany("INSERT INTO idx (rowid, body) VALUES (?, ?)", enumerate(bodies, start=1))
    return conn


def evaluate(conn: sqlite3.Connection, queries: list[str]) -> Scores:
    """MRR@10 and recall@10 where query i should find rowid i + 1."""
    reciprocal = found = empty = 0.0
    for i, query in enumerate(queries):
        if not query:
            empty += 1
            continue
        rows = conn.execute(
            f"SELECT rowid FROM idx WHERE idx MATCH ? ORDER BY bm25(idx), rowid LIMIT {TOP}", (query,)
        ).fetchall()
        ranked = [r[0] for r in rows]
        if i + 1 in ranked:
            reciprocal += 1 / (ranked.index(i + 1) + 1)
            found += 1
    n = len(queries)
    return Scores(reciprocal / n, found / n, int(empty))


def evaluate_store(bodies: list[str], titles: list[str], nlp: Any) -> tuple[Scores, list[float]]:
    """MRR@10 and recall@10 of ``khabar.store.search`` given each raw title; the query latencies (s)."""
    from khabar.errors import KhabarError
    from khabar.store import Store
    from khabar.store.search import search

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        with Store(path) as store:
            store.add_many(nlp.analyze(b, meta={"id": str(i)}) for i, b in enumerate(bodies, start=1))
        reciprocal = found = 0.0
        times: list[float] = []
        with Store.open_readonly(path) as store:
            for i, title in enumerate(titles, start=1):
                t0 = time.perf_counter()
                try:
                    hits = search(store, title, limit=TOP, time_limit=None)
                except KhabarError as exc:  # a title the query syntax refuses counts as a miss
                    print(f"  refused: {title!r}: {exc}", file=sys.stderr)
                    hits = []
                times.append(time.perf_counter() - t0)
                ranked = [h.ext_id for h in hits]
                if str(i) in ranked:
                    reciprocal += 1 / (ranked.index(str(i)) + 1)
                    found += 1
    n = len(titles)
    return Scores(reciprocal / n, found / n, 0), times


def timed(label: str, fn: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    out = fn()
    print(f"  {label}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--distractors", type=int, default=0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--query",
        choices=["or", "raw"],
        default="or",
        help="or: the bench builds an OR query of the title's terms; raw: the title as typed",
    )
    args = parser.parse_args()

    chosen = pick_articles(load_records(args.data), args.articles, args.distractors, args.seed)
    queried = chosen[: args.articles]
    bodies = [r["content"] for r in chosen]
    titles = [" ".join(r["title"].split()) for r in queried]

    nlp = khabar.load(["repair"])
    if args.query == "raw":
        main_raw(bodies, titles, nlp, len(chosen) - len(queried), args.seed)
        return

    def khabar_bodies() -> list[str]:
        return [" ".join(t.key for t in index_terms(nlp.analyze(b))) for b in bodies]

    khabar_index = build_index(timed("khabar analyzer over the bodies", khabar_bodies))
    plain_index = build_index(bodies)
    khabar_queries = [or_query([k for k, _s, _e in text_terms(t)]) for t in titles]
    plain_queries = [or_query(_UNICODE61_TOKEN.findall(t)) for t in titles]

    k = evaluate(khabar_index, khabar_queries)
    p = evaluate(plain_index, plain_queries)
    print(
        f"data: SaudiNewsNet, {len(queried)} known items (seed {args.seed}) + {len(chosen) - len(queried)} distractors;"
        " query = title as an OR of its terms; index = bodies only; bm25"
    )
    print(f"{'index':34} {'MRR@10':>8} {'recall@10':>10} {'empty queries':>14}")
    print(f"{'khabar (repair, clitics, folding)':34} {k.mrr:8.4f} {k.recall:10.4f} {k.no_terms:14}")
    print(f"{'plain unicode61 remove_diacritics 0':34} {p.mrr:8.4f} {p.recall:10.4f} {p.no_terms:14}")
    print(f"difference (khabar - plain): MRR@10 {k.mrr - p.mrr:+.4f}, recall@10 {k.recall - p.recall:+.4f}")


def main_raw(bodies: list[str], titles: list[str], nlp: Any, distractors: int, seed: int) -> None:
    k, times = timed("khabar store + search of the raw titles", lambda: evaluate_store(bodies, titles, nlp))
    p = evaluate(build_index(bodies), [or_query(_UNICODE61_TOKEN.findall(t)) for t in titles])
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    print(
        f"data: SaudiNewsNet, {len(titles)} known items (seed {seed}) + {distractors} distractors;"
        " query = the title exactly as typed (khabar search) / OR of its unicode61 tokens (plain); index = bodies only"
    )
    print(f"{'system':44} {'MRR@10':>8} {'recall@10':>10}")
    print(f"{'khabar search (raw title)':44} {k.mrr:8.4f} {k.recall:10.4f}")
    print(f"{'plain FTS5 unicode61, OR of the title tokens':44} {p.mrr:8.4f} {p.recall:10.4f}")
    print(f"difference (khabar - plain): MRR@10 {k.mrr - p.mrr:+.4f}, recall@10 {k.recall - p.recall:+.4f}")
    print(f"khabar search latency over {len(ms)} queries: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
