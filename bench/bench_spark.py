"""Articles per second: the Spark job in local mode against one process, in the same run.

Data: SaudiNewsNet (../shared/data/saudinewsnet, CC BY-NC-SA, used here for measurement only):
every article with a non-empty body, in file order, or the first ``--articles N`` of them, written
to a temporary JSONL as ``khabar ingest`` reads the daily arrays. Both sides run the full default
pipeline and produce each article's Doc JSON:

- one process: ``Pipeline().analyze`` + ``Doc.to_json`` in a loop (what ``khabar analyze --jsonl``
  does), the model load timed apart;
- Spark: ``khabar.spark.analyze(spark.read.json(...))`` written to Parquet with ``--master``
  (default ``local[2]``); the session start is timed apart, the Python workers' model load is
  inside the job's time (it is part of every job).

Prints figures and the machine's load average before and after (the figures mean little on a busy
machine); asserts nothing. Needs ``pip install 'khabar[spark]'`` and Java.

    python bench/bench_spark.py [--articles N] [--master 'local[2]'] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from saudinewsnet import DEFAULT_DATA, load_records

from khabar.pipeline import Pipeline


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def _worker_peaks(spark: Any) -> list[float]:
    """Peak RSS (MB) of each Python worker process Spark runs now: a small job asks them (workers are reused)."""
    import pandas as pd

    def peak(frames: Iterator[Any]) -> Iterator[Any]:
        for _ in frames:
            pass
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        yield pd.DataFrame({"pid": [os.getpid()], "mb": [kb / 1024]})

    n = spark.sparkContext.defaultParallelism
    rows = spark.range(0, n * 4, numPartitions=n * 4).mapInPandas(peak, "pid long, mb double").collect()
    by_pid = {r["pid"]: r["mb"] for r in rows}
    return sorted(by_pid.values(), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=None, help="the first N articles (default: all)")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()

    articles = load_records(args.data)
    if args.articles is not None:
        articles = articles[: args.articles]
    records = [
        {
            "id": f"{i}",
            **{k: a[k] for k in ("title", "source", "url", "author") if a.get(k) is not None},
            "date": a.get("date_extracted"),
            "text": a["content"],
        }
        for i, a in enumerate(articles)
    ]
    words = sum(len(r["text"].split()) for r in records)
    print(f"data: SaudiNewsNet, {len(records):,} articles, {words:,} words; {_load()}")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

        from khabar.spark import analyze, spark_session

        t0 = time.perf_counter()
        spark = spark_session(args.master)
        start_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        analyze(spark.read.json(str(path))).write.parquet(str(Path(tmp) / "out.parquet"))
        spark_s = time.perf_counter() - t0
        failed = spark.read.parquet(str(Path(tmp) / "out.parquet")).where("error IS NOT NULL").count()
        rss = _worker_peaks(spark)
        spark.stop()
        print(f"spark {args.master}: session start {start_s:.1f} s (not counted); job {spark_s:.1f} s, "
              f"{len(records) / spark_s:,.1f} articles/s, {words / spark_s:,.0f} words/s ({failed} error rows); {_load()}")
        print(f"peak RSS of the Python workers that ran the job (reused, so they are the same processes): "
              f"{', '.join(f'{mb:.0f} MB' for mb in rss)}; JSONL {path.stat().st_size / len(records) / 1e3:.1f} kB an article")

    t0 = time.perf_counter()
    nlp = Pipeline()
    nlp.analyze(records[0]["text"])  # the first call loads the models
    load_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    for r in records:
        nlp.analyze(r["text"], {k: v for k, v in r.items() if k != "text"}).to_json()
    one_s, one_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"one process: model load {load_s:.1f} s (not counted); {one_s:.1f} s ({one_cpu:.1f} CPU-s), "
          f"{len(records) / one_s:,.1f} articles/s, {words / one_s:,.0f} words/s; {_load()}")
    print(f"speed-up of spark {args.master} over one process: {one_s / spark_s:.2f}x")


if __name__ == "__main__":
    main()
