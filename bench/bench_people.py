"""Corpus people bench (issue 12): are the top PERS referents of one news day people, and each once?

    python bench/bench_people.py [--day 2015-08-10] [--data ../shared/data] [--db /tmp/people.db] [--top 100]

Ingests one day of SaudiNewsNet (CC BY-NC-SA: evaluation only) into a fresh store, lists the
top ``--top`` PERS corpus referents (``khabar entities --label PERS``) and looks each up in a
check list written by hand (``bench/gold/people_<day>.tsv``): for 2015-08-10 BEFORE the referent
and NER changes of issue 12, from the output of commit e33f376 (the rules were then developed
against that day: its figures are optimistic); for 2015-07-23, a day no rule was written
against, after them. Each line there is ``key  verdict  canonical``:

* ``key``: the first 12 hex digits of the SHA-1 of the folded referent name (names are read from
  the data at run time and never stored here);
* ``verdict``: ``ok`` (a person, the first of its referents in the list), ``wrong`` (not a
  person: a formula such as حفظه الله, a place, a product, a company), ``dup`` (another name of a
  person already listed: ``canonical`` is that person's key), ``frag`` (a lone first name that
  cannot tell which person it is: محمد, خالد);
* names the list does not know are printed as ``unchecked``, for a person to judge and add.

Prints the counts of wrong, duplicate, fragment and unchecked names (targets: wrong <= 2 and
duplicates <= 2), and each name with its verdict. Never asserts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from khabar.lang.ar.normalize import fold

DEFAULT_DATA = REPO.parent / "shared" / "data"


def name_key(name: str) -> str:
    """The check list's key of a referent name."""
    return hashlib.sha1(" ".join(fold(name).split()).encode("utf-8")).hexdigest()[:12]


def read_checklist(path: Path) -> dict[str, tuple[str, str]]:
    """key -> (verdict, canonical key)."""
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, verdict, canonical = (line.split("\t") + ["", ""])[:3]
            out[key] = (verdict, canonical)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--day", default="2015-08-10")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--db", type=Path, default=Path("/tmp/khabar_people.db"))
    parser.add_argument("--top", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="reuse the store if it exists (no new ingest)")
    args = parser.parse_args(argv)

    source = args.data / "saudinewsnet" / "dataset" / f"{args.day}.zip"
    if not source.exists():
        raise SystemExit(f"no {source}: pass --data PATH/TO/shared/data and a --day that exists")
    listed_path = REPO / "bench" / "gold" / f"people_{args.day}.tsv"
    # A day with no check list yet prints every name as unchecked: that is how a new list starts.
    checklist = read_checklist(listed_path) if listed_path.exists() else {}
    khabar = [sys.executable, "-m", "khabar"]
    if not (args.keep and args.db.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        done = subprocess.run([*khabar, "ingest", str(source), "--db", str(args.db), "--workers", str(args.workers)],
                              capture_output=True, text=True, check=False)
        print(f"ingest {source.name}: {done.stdout.strip() or done.stderr.strip()} ({time.perf_counter() - t0:.0f} s)")
    listed = subprocess.run([*khabar, "entities", "--label", "PERS", "--limit", str(args.top), "--db", str(args.db),
                             "--format", "json"], capture_output=True, text=True, check=True)
    rows = json.loads(listed.stdout)
    counts = {"ok": 0, "wrong": 0, "dup": 0, "frag": 0, "unchecked": 0}
    seen: set[str] = set()
    for i, row in enumerate(rows, 1):
        key = name_key(row["name"])
        verdict, canonical = checklist.get(key, ("unchecked", ""))
        if verdict == "ok" and key in seen:
            verdict = "dup"  # a person listed twice under the same name cannot happen; kept for safety
        if verdict == "dup" and canonical not in {name_key(r["name"]) for r in rows}:
            verdict = "ok"  # its canonical name is no longer listed: this is now the person's only entry
        seen.add(key)
        counts[verdict] += 1
        print(f"{i:4d}  {verdict:9s}  {row['name']}  ({row.get('documents')} documents)")
    print(f"top {len(rows)} PERS referents of {args.day}: wrong {counts['wrong']}, duplicates {counts['dup']}, "
          f"fragments {counts['frag']}, unchecked {counts['unchecked']}, ok {counts['ok']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
