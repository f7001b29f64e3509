"""Memory and cold start: CPU seconds and peak RSS of ``khabar analyze``, one process, ``ingest --workers 2``.

Data: the seed article ../shared/seed/000_f7a595203ed4f7d3.txt (examples/article.txt when
../shared is absent), and the first N (default 3,000) non-empty SaudiNewsNet articles in file
order of the daily zips under ../shared/data/saudinewsnet (``load_records`` of
bench/saudinewsnet.py; CC BY-NC-SA, measurement only), written as JSONL records
(id, title, source, date, text) to a temporary file outside the repository.

Three measurements, each in fresh processes (prints figures, asserts nothing):

(a) cold start: ``khabar analyze SEED`` run 5 times, each a new process; its CPU seconds
    (user + sys, from ``os.wait4``, the same as RUSAGE_CHILDREN for that one child) and its
    peak RSS (``ru_maxrss``), best and median.
(b) one process running the full pipeline over the N articles (a child of this script):
    RSS after building the pipeline, after loading every model (``Pipeline.warm_up``), after
    every 500 articles, and its peak (VmHWM); the entries of the per-token memo caches at the end.
(c) ``khabar ingest --workers 2`` of the same N articles into a new store: every 0.25 s the
    process tree (the CLI and its workers) is sampled, and two peaks are printed: the sum of
    VmRSS (/proc/PID/status; counts a model page shared by fork once per process that maps it)
    and the sum of PSS (/proc/PID/smaps_rollup; a page shared by k processes counts 1/k in
    each, so the sum is the memory the tree really holds).

    python bench/bench_memory.py [--n 3000] [--only a,b,c] [--data ../shared/data]
    python bench/bench_memory.py --memo-cost repair,segment [--n 1000]

``--memo-cost COMPONENTS [--caps 16384,32768]`` prints the CPU cost of the memo cap instead: one process per
cap, all at once (so they share the same machine load; by default KHABAR_MEMO_MAXSIZE=200000 and the
default cap), run COMPONENTS over the first N articles and print their CPU seconds (model loading excluded).

``KHABAR_MEMO_MAXSIZE=200000 python bench/bench_memory.py --only b`` measures (b) with the
memo caches as large as their decorators ask (the size before the cap of khabar.memo).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = REPO.parent / "shared" / "seed" / "000_f7a595203ed4f7d3.txt"
EXAMPLE = REPO / "examples" / "article.txt"
sys.path.insert(0, str(HERE))


def khabar_command() -> list[str]:
    """How to run the CLI in a fresh process: ``python -m khabar`` with this interpreter."""
    return [sys.executable, "-m", "khabar"]


def status_kb(pid: int | str, field: str) -> int:
    """A ``kB`` field of /proc/PID/status (VmRSS, VmHWM), 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid: int | str) -> int:
    """Pss of /proc/PID/smaps_rollup in kB, 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def write_jsonl(n: int, data: Path, path: Path) -> str:
    """The first ``n`` SaudiNewsNet articles as JSONL records; returns what they are, in words."""
    from saudinewsnet import load_records

    records = load_records(data)[:n]
    with path.open("w", encoding="utf-8") as fh:
        for i, r in enumerate(records):
            rec = {"id": f"snn-{i}", "title": r.get("title"), "source": r.get("source"),
                   "date": r.get("date_extracted"), "text": r["content"]}
            fh.write(json.dumps({k: v for k, v in rec.items() if v is not None}, ensure_ascii=False) + "\n")
    words = sum(len(r["content"].split()) for r in records)
    return f"the first {len(records)} non-empty SaudiNewsNet articles in file order ({words:,} words)"


def cold_start(runs: int = 5) -> None:
    seed = SEED if SEED.exists() else EXAMPLE
    print(f"(a) cold start: khabar analyze {seed.relative_to(REPO.parent) if SEED.exists() else 'examples/article.txt'}"
          f" in a fresh process, {runs} runs")
    cpu, peak = [], []
    for _ in range(runs):
        proc = subprocess.Popen([*khabar_command(), "analyze", str(seed)], stdout=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            print(f"    khabar analyze exited {proc.returncode}")
        cpu.append(usage.ru_utime + usage.ru_stime)
        peak.append(usage.ru_maxrss / 1024)
    print(f"    CPU s (user+sys): best {min(cpu):.2f}  median {statistics.median(cpu):.2f}  "
          f"all {' '.join(f'{c:.2f}' for c in cpu)}")
    print(f"    peak RSS MB:      best {min(peak):.0f}  median {statistics.median(peak):.0f}")


def child_pipeline(path: str, every: int = 500) -> None:
    """Run in a child: the full pipeline over the JSONL records of ``path``, RSS as it goes (one JSON a line)."""
    from khabar.inputs import iter_jsonl
    from khabar.pipeline import Pipeline

    def report(label: str, n: int, t: float) -> None:
        print(json.dumps({"at": label, "n": n, "rss": status_kb("self", "VmRSS") / 1024,
                          "hwm": status_kb("self", "VmHWM") / 1024, "cpu": time.process_time() - t}), flush=True)

    t0 = time.process_time()
    report("start", 0, t0)
    nlp = Pipeline()
    report("pipeline built", 0, t0)
    nlp.warm_up()
    report("models loaded (warm_up)", 0, t0)
    n = 0
    for item in iter_jsonl(path):
        if isinstance(item, Exception):
            continue
        nlp.analyze(item.text, item.meta)
        n += 1
        if n % every == 0:
            report(f"after {n} articles", n, t0)
    report("end", n, t0)
    from khabar.memo import memo_sizes

    print(json.dumps({"memo": memo_sizes(), "lru": lru_sizes(), "hits": hit_rates()}), flush=True)


def hit_rates() -> dict[str, float]:
    """The share of calls answered from the cache, of every short_memo cache that was called."""
    from khabar.memo import _MEMOS

    rates = {}
    for f in _MEMOS:
        info = f.cache_info()
        if info.hits + info.misses:
            rates[f.__qualname__] = info.hits / (info.hits + info.misses)
    return rates


def lru_sizes() -> dict[str, tuple[int, int]]:
    """``{"module.function": (entries, maxsize)}`` of the other per-call caches (lru_cache over 8 entries)."""
    sizes = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("khabar."):
            continue
        for attr, value in list(vars(module).items()):
            info = getattr(value, "cache_info", None)
            if callable(info) and getattr(value, "__module__", None) == name:
                got = info()
                if got.maxsize is None or got.maxsize > 8:
                    sizes[f"{name}.{attr}"] = (got.currsize, got.maxsize)
    return sizes


def child_cost(path: str, components: str) -> None:
    """Run in a child: CPU seconds of ``components`` over the records of ``path`` once the models are loaded."""
    from khabar.inputs import iter_jsonl
    from khabar.memo import MEMO_MAXSIZE
    from khabar.pipeline import Pipeline

    nlp = Pipeline(components.split(",")).warm_up()
    records = [item for item in iter_jsonl(path) if not isinstance(item, Exception)]
    t0 = time.process_time()
    for item in records:
        nlp.analyze(item.text, item.meta)
    print(f"    memo cap {MEMO_MAXSIZE:>7}: {time.process_time() - t0:6.1f} CPU s for {len(records)} articles", flush=True)


def memo_cost(path: Path, components: str, caps: tuple[str, ...] = ("200000", "")) -> None:
    print(f"memo cap cost: {components} over the articles, {len(caps)} processes at once (same load)")
    procs = [
        subprocess.Popen([sys.executable, __file__, "--child-cost", str(path), "--components", components],
                         env={**os.environ, "KHABAR_MEMO_MAXSIZE": cap} if cap else {
                             k: v for k, v in os.environ.items() if k != "KHABAR_MEMO_MAXSIZE"})
        for cap in caps
    ]
    for proc in procs:
        proc.wait()


def one_process(path: Path) -> None:
    print("(b) one process, the full pipeline over the articles (MB; CPU s since the process started)")
    proc = subprocess.Popen([sys.executable, __file__, "--child-pipeline", str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        row = json.loads(line)
        if "memo" in row:
            for label, caches in (("short_memo caches", row["memo"]), ("other lru caches", row["lru"])):
                sizes = ", ".join(f"{k.rsplit('.', 1)[1]} {v[0]}/{v[1]}" for k, v in caches.items() if k not in row["memo"] or caches is row["memo"])
                print(f"    {label} (entries/max): {sizes}")
            print("    short_memo hit rates: " + ", ".join(f"{k} {v:.3f}" for k, v in row["hits"].items()))
            continue
        print(f"    {row['at']:<26} RSS {row['rss']:7.1f}  peak {row['hwm']:7.1f}  CPU {row['cpu']:7.1f}")
    proc.wait()


def ingest_workers(path: Path, workers: int = 2) -> None:
    print(f"(c) khabar ingest --workers {workers}: peaks over the process tree (CLI + workers), sampled every 0.25 s")
    folder = Path(tempfile.mkdtemp(prefix="khabar_bench_mem_"))
    db = folder / "mem.db"
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*khabar_command(), "ingest", str(path), "--db", str(db), "--workers", str(workers), "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    peak = {"rss": 0, "pss": 0, "procs": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pids = tree(proc.pid)
            rss = sum(status_kb(p, "VmRSS") for p in pids)
            pss = sum(pss_kb(p) for p in pids)
            if rss > peak["rss"]:
                peak["rss"], peak["procs"] = rss, len(pids)
            peak["pss"] = max(peak["pss"], pss)
            stop.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - t0
    print(f"    {out.strip().splitlines()[-1] if out.strip() else '(no output)'}  (exit {proc.returncode}, {wall:.0f} s)")
    print(f"    peak sum of VmRSS: {peak['rss'] / 1024:.0f} MB ({peak['procs']} processes; shared pages counted in each)")
    print(f"    peak sum of PSS:   {peak['pss'] / 1024:.0f} MB (shared pages counted once: the tree's real footprint)")
    shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=3000, help="SaudiNewsNet articles for (b) and (c)")
    parser.add_argument("--only", default="a,b,c", help="which measurements: a, b, c (comma-separated)")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--memo-cost", metavar="COMPONENTS", help="print the CPU cost of the memo cap instead")
    parser.add_argument("--caps", default="200000,", help="with --memo-cost: the caps compared, comma-separated (empty: the default)")
    parser.add_argument("--child-pipeline", help=argparse.SUPPRESS)
    parser.add_argument("--child-cost", help=argparse.SUPPRESS)
    parser.add_argument("--components", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_pipeline:
        child_pipeline(args.child_pipeline)
        return
    if args.child_cost:
        child_cost(args.child_cost, args.components)
        return
    if args.memo_cost:
        with tempfile.TemporaryDirectory(prefix="khabar_bench_mem_") as tmp:
            path = Path(tmp) / "articles.jsonl"
            print(f"articles: {write_jsonl(args.n, args.data, path)}")
            memo_cost(path, args.memo_cost, tuple(args.caps.split(",")))
        return
    only = set(args.only.split(","))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False)
    print(f"khabar at {commit.stdout.strip() or '?'}"
          f"; KHABAR_MEMO_MAXSIZE={os.environ.get('KHABAR_MEMO_MAXSIZE', '(default)')}; load {os.getloadavg()[0]:.2f}"
          f" on {os.cpu_count()} CPUs")
    if "a" in only:
        cold_start()
    if only & {"b", "c"}:
        with tempfile.TemporaryDirectory(prefix="khabar_bench_mem_") as tmp:
            path = Path(tmp) / "articles.jsonl"
            print(f"articles: {write_jsonl(args.n, args.data, path)}")
            if "b" in only:
                one_process(path)
            if "c" in only:
                ingest_workers(path)


if __name__ == "__main__":
    main()
