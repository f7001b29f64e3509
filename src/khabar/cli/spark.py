"""``khabar spark``: the pipeline over a corpus with Apache Spark, written as Parquet (``khabar[spark]``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from khabar.cli.common import echo, guard
from khabar.errors import ConfigError, InputError, KhabarError

_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")


@click.command(name="spark")
@click.argument("input_path", metavar="INPUT")
@click.argument("output_path", metavar="OUTPUT")
@click.option("--master", default="local[2]", show_default=True,
              help="Spark master URL: local[N] runs on this machine with N cores; spark://HOST:7077, yarn, k8s://... a cluster.")
@click.option("--components", help="Comma-separated components to run (and what they require), e.g. repair,segment.")
@click.option("--text-col", default="text", show_default=True, help="The column (JSONL field) holding the text.")
@click.option("--partitions", type=click.IntRange(min=1),
              help="Spread the input over N partitions first (default: as Spark reads it).")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT when it exists (default: refuse, K308).")
@guard
def spark(
    input_path: str,
    output_path: str,
    master: str,
    components: str | None,
    text_col: str,
    partitions: int | None,
    overwrite: bool,
) -> None:
    """Analyse a corpus with Apache Spark; write one Parquet row an article.

    INPUT: a JSONL file (.jsonl, .jsonl.gz: one {"text", "id"?, ...} record a line) or a folder of
    them, a Parquet file or folder with a text column, or a folder of text/HTML files (one article
    each; names starting with . or _ are skipped). OUTPUT: a Parquet folder
    with the record's fields, doc_json, error and the flat columns of `khabar export --format
    parquet`; `khabar ingest OUTPUT` stores it without analysing again. A record that fails gets its
    one-line error in the error column; the job goes on. Exit 1 when a non-empty record failed.

    Needs pip install 'khabar[spark]' and Java (apt install openjdk-17-jre-headless).

    \b
    Example:
      printf '{"id": "a1", "text": "قال الوزير إن الاجتماع كان مثمرا."}\\n' > records.jsonl
      khabar spark records.jsonl analysed.parquet --master 'local[2]'
      khabar ingest analysed.parquet --db news.db
    """
    from khabar.spark import analyze, analyze_files, require_spark

    require_spark()
    kind = _input_kind(input_path)
    out = Path(output_path)
    if out.exists() and not overwrite:
        raise ConfigError(f"{output_path} already exists", hint="pass --overwrite, or another OUTPUT", code="K308")
    comps = None if not components else [c for c in components.split(",") if c.strip()]
    if master.startswith("local"):
        # this machine's loopback (no warning about the host name) and this Python for the workers
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    from khabar.spark import spark_session

    ours = SparkSession.getActiveSession() is None  # a caller's session (a notebook, a test) is left running
    session = spark_session(master)
    try:
        if kind == "files":
            result = analyze_files(session, input_path, comps, partitions=partitions)
        else:
            df = _read(session, input_path, kind)
            if partitions:
                df = df.repartition(partitions)
            result = analyze(df, text_col=text_col, components=comps)
        try:
            result.write.mode("overwrite" if overwrite else "errorifexists").option("compression", "zstd").parquet(
                output_path
            )
            _report(session, output_path)
        except KhabarError:
            raise
        except Exception as exc:  # a worker that died, a disk that filled: one line, not a JVM trace
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(
                f"the Spark job failed ({type(exc).__name__}: {first[:300]})",
                hint="see the Spark log above; fewer rows a partition (--partitions) or more executor memory",
                code="K309",
            ) from exc
    finally:
        if ours:
            session.stop()


def _input_kind(path: str) -> str:
    """``jsonl``, ``parquet`` or ``files`` (a folder of text/HTML), from the path; K106/K109 otherwise."""
    p = Path(path)
    low = path.lower()
    if not p.exists():
        raise InputError(f"{path}: no such file or folder", hint="check the path", code="K106")
    if p.is_dir():
        names = [f.name.lower() for f in p.rglob("*") if f.is_file() and not f.name.startswith((".", "_"))]
        if names and all(n.endswith(".parquet") for n in names):
            return "parquet"
        if names and all(n.endswith(_JSONL_SUFFIXES) for n in names):
            return "jsonl"
        return "files"
    if low.endswith(".parquet"):
        return "parquet"
    if low.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    raise InputError(
        f"{path} is neither JSONL (.jsonl, .jsonl.gz), Parquet (.parquet) nor a folder",
        hint="khabar spark reads JSONL, Parquet or a folder of text/HTML files; other inputs: khabar ingest",
        code="K109",
    )


def _read(session: Any, path: str, kind: str) -> Any:
    if kind == "parquet":
        return session.read.parquet(path)
    # PERMISSIVE: a line that is not JSON becomes a row with _corrupt_record (an error row), not a failed job
    return session.read.option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", "_corrupt_record").json(path)


def _report(session: Any, output_path: str) -> None:
    """Counts on stderr (and the first error lines); exit 1 when a non-empty record failed."""
    from pyspark.sql import functions as F

    written = session.read.parquet(output_path).select("error")
    failed = written.where(F.col("error").isNotNull())
    total, bad = written.count(), failed.count()
    hard = failed.where(~F.col("error").startswith("error K101:")).count()
    for row in failed.limit(10).collect():
        echo(row["error"], err=True)
    if bad > 10:
        echo(f"... {bad - 10} more error lines in the error column", err=True)
    echo(f"{total - bad} analysed, {bad} failed ({output_path})", err=True)
    if hard:
        sys.exit(1)
