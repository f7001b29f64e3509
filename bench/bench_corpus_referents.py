"""Corpus referents kept up at ingest (issue 12): what they cost, and whether they equal a rebuild.

    python bench/bench_corpus_referents.py --db /tmp/khabar_people.db [--batch 100]

Reads every stored Doc of ``--db`` (e.g. the store ``bench/bench_people.py`` leaves behind),
stores them again, in id order and ``--batch`` documents a transaction, into a fresh store
next to it (``--out``), and prints the time spent keeping the corpus referents up to date
(:func:`khabar.store.corpus_referents.update_corpus_referents`) beside the whole time of the
writes; then rebuilds them from scratch (``khabar reindex``) and prints whether every name
kept its corpus referent id. Nothing is analysed again. Never asserts.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from khabar.doc import Doc
from khabar.store import Store
from khabar.store import db as store_db
from khabar.store.db import unpack_doc_json


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/khabar_people.db"))
    parser.add_argument("--out", type=Path, default=None, help="the fresh store (default: --db with .again.db)")
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args(argv)
    if not args.db.is_file():
        raise SystemExit(f"no store at {args.db}: run bench/bench_people.py first, or pass --db")
    out = args.out or args.db.with_suffix(".again.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)

    spent = [0.0, 0]
    upkeep = store_db.update_corpus_referents

    def timed(conn: sqlite3.Connection, doc_ids: Any = None) -> int:
        t0 = time.perf_counter()
        try:
            return upkeep(conn, doc_ids)
        finally:
            spent[0] += time.perf_counter() - t0
            spent[1] += 1

    with Store(args.db) as source:  # a writer: migrates an older store first
        docs = [Doc.from_json(unpack_doc_json(j)) for (j,) in source.execute("SELECT doc_json FROM documents ORDER BY id")]
    store_db.update_corpus_referents = timed  # type: ignore[assignment]
    try:
        t0 = time.perf_counter()
        with Store(out) as again:
            again.add_many(docs, batch=args.batch)
            total = time.perf_counter() - t0
            kept = sorted(again.execute("SELECT norm_name, corpus_id FROM corpus_names"))
            count = again.execute("SELECT count(*) FROM corpus_referents").fetchone()[0]
            redirects = again.execute("SELECT count(*) FROM corpus_redirects").fetchone()[0]
    finally:
        store_db.update_corpus_referents = upkeep
    with Store(out) as again:
        t1 = time.perf_counter()
        again.rebuild_corpus_referents()
        rebuild = time.perf_counter() - t1
        rebuilt = sorted(again.execute("SELECT norm_name, corpus_id FROM corpus_names"))
    differ = sum(a != b for a, b in zip(kept, rebuilt, strict=False)) + abs(len(kept) - len(rebuilt))
    print(f"{len(docs)} documents stored again in {total:.1f} s ({args.batch} a transaction); keeping the corpus "
          f"referents up to date took {spent[0]:.1f} s of it over {spent[1]} transactions "
          f"({spent[0] / max(spent[1], 1):.2f} s each)")
    print(f"{count} corpus referents, {len(kept)} names, {redirects} ids merged away; a rebuild took {rebuild:.1f} s "
          f"and gave {differ} names another id ({'the same' if not differ else 'NOT the same'} as kept at ingest)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
