"""Ingest speed and idempotence over SaudiNewsNet: articles/s, database size, then a second pass.

Data: ../shared/data/saudinewsnet (31,030 articles in 18 daily zips; CC BY-NC-SA, used here
for measurement only). The whole folder is ingested through ``khabar.store.ingest.ingest``,
the function behind ``khabar ingest``, into a fresh database; then the same ingest runs a
second time, which must add nothing. Prints figures; asserts nothing.

    python bench/bench_ingest.py [DB] [--workers 2] [--limit N] [--data ../shared/data]

``--limit N`` ingests only the first N articles (in file order), written to a temporary
JSON array outside the repository. The database is kept (default /tmp/khabar_snn.db) for
``bench/bench_search.py``.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from saudinewsnet import DEFAULT_DATA, dataset_folder, load_records

from khabar.store.ingest import IngestReport, ingest

LAYER_TABLES = ("documents", "sentences", "entities", "referents", "quotes", "keywords")


def remove_db(db: Path) -> None:
    """Delete the database and its WAL side files, so the first pass starts empty."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def db_megabytes(db: Path) -> float:
    """Size on disk of the database and its WAL, in MB."""
    return sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists()) / 1e6


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the analysis workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_pass(label: str, paths: list[str], db: Path, workers: int, batch: int) -> tuple[IngestReport, float, float]:
    """One ingest over ``paths``: its report, wall seconds and CPU seconds; prints a live counter on stderr."""
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    last = [0.0]

    def progress(done: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 10:
            last[0] = now
            print(f"  {label}: {done} records, {now - t0:.0f} s", file=sys.stderr, flush=True)

    report = ingest(paths, str(db), workers=workers, batch=batch, progress=progress)
    return report, time.perf_counter() - t0, cpu_seconds() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", nargs="?", type=Path, default=Path("/tmp/khabar_snn.db"))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()

    folder = dataset_folder(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        if args.limit:
            subset = Path(tmp) / "saudinewsnet_subset.json"
            subset.write_text(json.dumps(load_records(args.data)[: args.limit], ensure_ascii=False), encoding="utf-8")
            paths = [str(subset)]
        else:
            paths = [str(folder)]
        remove_db(args.db)

        first, first_s, first_cpu = run_pass("first pass", paths, args.db, args.workers, args.batch)
        size_mb = db_megabytes(args.db)
        second, second_s, _ = run_pass("second pass", paths, args.db, args.workers, args.batch)

    with sqlite3.connect(args.db) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in LAYER_TABLES}
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]

    print(
        f"data: SaudiNewsNet {'first ' + str(args.limit) + ' articles' if args.limit else 'all zips'}; "
        f"workers {args.workers}, batch {args.batch}; db {args.db}"
    )
    print(f"first pass:  {first.total} records, {first.summary()}")
    print(
        f"             {first_s:.1f} s, {first.total / first_s:.1f} records/s, "
        f"{first.added / first_s:.1f} articles stored/s"
    )
    print(
        f"             CPU {first_cpu:.0f} s in all processes: {first.added / max(first_cpu, 1e-9):.1f} articles"
        " per CPU-second (the wall-clock rate depends on what else runs on the machine)"
    )
    print(f"database:    {size_mb:.1f} MB ({size_mb * 1e3 / max(1, first.added):.1f} kB per article)")
    print(f"second pass: {second.summary()} in {second_s:.1f} s — added {second.added} (must be 0)")
    print("rows: " + ", ".join(f"{t} {n}" for t, n in counts.items()) + f"; integrity_check: {integrity}")
    for line in (first.errors + second.errors)[:10]:
        print("  " + line)


if __name__ == "__main__":
    main()
