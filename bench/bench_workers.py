"""Workers: the same articles through ``khabar analyze --jsonl`` with --workers 1 and 2 (and ingest, asked for).

Data: the first N (default 500) non-empty SaudiNewsNet articles in file order of the daily zips
under ../shared/data/saudinewsnet (``load_records`` of bench/saudinewsnet.py; CC BY-NC-SA,
measurement only), written as JSONL records to a temporary file outside the repository.

Each run is a fresh ``python -m khabar`` process (model loading included, as a user sees it).
Prints wall seconds, articles/s, the speed-up of 2 workers over 1, whether both outputs are
byte-identical, and the machine's load: ``os.getloadavg()`` before and after each run and
``os.cpu_count()``. A speed-up is only meaningful on an otherwise idle machine: a warning is
printed when the 1-minute load was above 0.5 before the first run. Asserts nothing.

    python bench/bench_workers.py [--n 500] [--workers 1,2] [--ingest] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_memory import write_jsonl

LOAD_WARNING = 0.5


def timed(args: list[str], out_path: Path | None) -> tuple[float, int, tuple[float, float]]:
    """Run ``python -m khabar ARGS``: wall seconds, exit code, 1-minute load before and after."""
    before = os.getloadavg()[0]
    t0 = time.perf_counter()
    with open(out_path or os.devnull, "wb") as out:
        proc = subprocess.run([sys.executable, "-m", "khabar", *args], stdout=out, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        print(f"    exit {proc.returncode}: {proc.stderr.decode()[-300:]}")
    return wall, proc.returncode, (before, os.getloadavg()[0])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=500, help="SaudiNewsNet articles")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, the first is the baseline")
    parser.add_argument("--ingest", action="store_true", help="also time khabar ingest --workers N into a new store")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False)
    load0 = os.getloadavg()
    print(f"khabar at {commit.stdout.strip() or '?'}; os.cpu_count() = {os.cpu_count()}; "
          f"load before: {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f} (1, 5, 15 min)")
    if load0[0] > LOAD_WARNING:
        print(f"WARNING: the machine is not idle (1-minute load {load0[0]:.2f} > {LOAD_WARNING}): other work "
              "shares the CPUs, so the speed-up below understates what idle cores give")
    with tempfile.TemporaryDirectory(prefix="khabar_bench_workers_") as tmp:
        folder = Path(tmp)
        records = folder / "articles.jsonl"
        print(f"articles: {write_jsonl(args.n, args.data, records)}")
        print("\nkhabar analyze --jsonl FILE --workers N (fresh process, model loading included)")
        base = None
        digests = {}
        for n in counts:
            out = folder / f"analyze_{n}.jsonl"
            wall, rc, (before, after) = timed(["analyze", "--jsonl", str(records), "--workers", str(n)], out)
            digests[n] = digest(out)
            base = base or wall
            print(f"    --workers {n}: {wall:7.1f} s  {args.n / wall:6.2f} articles/s  speed-up {base / wall:4.2f}x  "
                  f"exit {rc}  load {before:.2f} -> {after:.2f}  output sha256 {digests[n]}")
        print(f"    outputs identical: {'yes' if len(set(digests.values())) == 1 else 'NO'}")
        if args.ingest:
            print("\nkhabar ingest FILE --db NEW --workers N")
            base = None
            for n in counts:
                db = folder / f"ingest_{n}.db"
                wall, rc, (before, after) = timed(
                    ["ingest", str(records), "--db", str(db), "--workers", str(n), "--no-progress"], None
                )
                base = base or wall
                print(f"    --workers {n}: {wall:7.1f} s  {args.n / wall:6.2f} articles/s  speed-up {base / wall:4.2f}x  "
                      f"exit {rc}  load {before:.2f} -> {after:.2f}")
    load1 = os.getloadavg()
    print(f"\nload after: {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")


if __name__ == "__main__":
    main()
