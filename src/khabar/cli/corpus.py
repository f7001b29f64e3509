"""Corpus commands: ingest, search, entities, related, timeline, export (over the SQLite store)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from khabar.cli.common import echo, echo_json, guard
from khabar.inputs import MAX_BYTES

if TYPE_CHECKING:
    from khabar.store.ingest import IngestReport


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", "db_path", default="khabar.db", show_default=True, help="The SQLite store to write.")
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True,
    help="Analysis processes; started once the models are loaded, so they share them.",
)
@click.option("--batch", type=click.IntRange(min=1), default=100, show_default=True, help="Documents per transaction.")
@click.option(
    "--progress/--no-progress", default=None, help="Show a progress bar on stderr (default: when it is a terminal)."
)
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Largest article accepted.")
@click.option("--strict", is_flag=True, help="Exit 1 when any record fails, empty ones (K101) included.")
@guard
def ingest(
    inputs: tuple[str, ...],
    db_path: str,
    workers: int,
    batch: int,
    progress: bool | None,
    max_bytes: int,
    strict: bool,
) -> None:
    """Analyse articles and store them in an SQLite corpus (the same article twice is stored once).

    INPUTS: text or HTML files, directories, JSONL in the batch contract (.jsonl), JSON arrays of
    articles (.json, as SaudiNewsNet), zip and gzip archives of these, or - . Re-running after an
    interruption skips what is already stored, before analysing it.

    Exit status: 0 when every non-empty record was stored (empty records are skipped and
    counted on stderr, K101), 1 when any other record failed; with --strict, 1 when any
    record failed, empty ones included.

    \b
    Examples:
      khabar ingest corpus/ --db news.db
      khabar ingest 2015-07-21.zip records.jsonl --db news.db --workers 2
    """
    from khabar.store.ingest import ingest as run_ingest

    show = sys.stderr.isatty() if progress is None else progress
    if not show:
        report = run_ingest(list(inputs), db_path, workers=workers, batch=batch, max_bytes=max_bytes)
    else:
        report = _ingest_with_bar(run_ingest, list(inputs), db_path, workers, batch, max_bytes)
    from khabar.store.ingest import EMPTY_CODE

    empty_prefix = f"error {EMPTY_CODE}:"
    for warning in report.warnings:
        echo(f"warning {warning}", err=True)
    for line in report.errors:
        if strict or not line.startswith(empty_prefix):
            echo(line, err=True)
    if report.empty:
        echo(f"{report.empty} empty record{'s' if report.empty != 1 else ''} skipped ({EMPTY_CODE})", err=True)
    echo(f"{report.summary()} ({db_path})", err=True)
    if report.failed > (0 if strict else report.empty):
        sys.exit(1)


def _ingest_with_bar(
    run_ingest: Callable[..., IngestReport], inputs: list[str], db_path: str, workers: int, batch: int, max_bytes: int
) -> IngestReport:
    """Run the ingest under a Rich progress bar on stderr: done/total, rate, time left, added/skipped/failed."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    from khabar.store.ingest import IngestProgress

    columns = (
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[counts]}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("ingest", total=None, counts="", rate="")
        start = time.monotonic()

        def update(state: IngestProgress) -> None:
            rate = state.done / max(time.monotonic() - start, 1e-6)
            counts = f"added {state.added} · stored before {state.skipped} · failed {state.failed}"
            bar.update(task, completed=state.done, total=state.total, counts=counts, rate=f"{rate:.1f}/s")

        return run_ingest(inputs, db_path, workers=workers, batch=batch, on_progress=update, max_bytes=max_bytes)


@click.command()
@click.argument("query")
@click.option("--db", "db_path", default="khabar.db", show_default=True, help="The SQLite store to read.")
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Hits to skip (paging).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@guard
def search(query: str, db_path: str, limit: int, offset: int, fmt: str) -> None:
    """Search the store: folded, clitic-split matching, BM25 ranking, snippets from the original text.

    Type a query as you would anywhere (a pasted headline works): documents holding every word
    come first, then, when they are fewer than --limit, those holding some of the words (said on
    stderr). Phrases in quotes, OR, -word, and the filters speaker:, entity:, topic: (sport or
    رياضة), source:, date:FROM..TO. An empty answer says why on stderr.

    \b
    Examples:
      khabar search 'المحادثات' --db news.db
      khabar search '"كوريا الشمالية" speaker:بومبيو date:2019..2020' --db news.db
      khabar search 'topic:رياضة' --db news.db --offset 20
    """
    from khabar.store import Store
    from khabar.store.search import search_page

    with Store.open_readonly(db_path) as store:
        result = search_page(store, query, limit=limit, offset=offset)
    hits = result.hits
    if fmt == "json":
        echo_json([h.to_dict() for h in hits])
    else:
        for h in hits:
            score = f"{h.score:7.2f}" if h.score else "      -"
            echo(f"{score}  {h.ext_id or h.id}  {h.date or ''}  {h.source or ''}  {h.title or ''}")
            echo("         " + " ".join(h.snippet.split()))
    if hits:
        shown = f"{offset + 1}-{offset + len(hits)} of {result.total}"
        more = f"; next page: --offset {offset + len(hits)}" if offset + len(hits) < result.total else ""
        extra = "; some hold only some of the words" if result.any_terms else ""
        echo(f"hits {shown}{extra}{more}", err=True)
    else:
        echo(result.reason or "no document matches the query", err=True)


@click.command()
@click.option("--db", "db_path", default="khabar.db", show_default=True, help="The store to read.")
@click.option("--label", help="Only this label (PERS, LOC, ORG, MISC).")
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@guard
def entities(db_path: str, label: str | None, limit: int, fmt: str) -> None:
    """Top corpus referents: the documents' referents joined across the corpus (spelling variants,
    بن/آل links, a unique short form), most documents first.

    The id is stable: it names the same referent after later ingests (an id merged into an
    older one still finds it, e.g. on the web page /referents/ID).

    \b
    Example:
      khabar entities --label PERS --db news.db
    """
    from khabar.store import Store
    from khabar.store.analytics import top_referents

    with Store.open_readonly(db_path) as store:
        rows = top_referents(store, label=label, limit=limit)
    if fmt == "json":
        echo_json(rows)
        return
    if not rows:
        echo(why_no_referents(label), err=True)
        return
    width = max(2, *(len(str(row["id"])) for row in rows))
    echo(f"{'id':>{width}} {'docs':>6} {'mentions':>8}  {'label':<5} name")
    for row in rows:
        echo(
            f"{row['id']:>{width}} {row['documents']:6d} {row['mentions']:8d}  {row['label']:<5} {row['name']}"
        )


@click.command()
@click.option("--db", "db_path", default="khabar.db", show_default=True, help="The store to read.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "parquet"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one Doc JSON a line; parquet: one row a document, annotations as nested columns.",
)
@click.option("--output", default="-", show_default=True, help="File to write, - for standard output (jsonl only).")
@guard
def export(db_path: str, fmt: str, output: str) -> None:
    """Export every stored document, as Doc JSON lines or as a Parquet file (needs khabar[parquet]).

    \b
    Examples:
      khabar export --db news.db --output corpus.jsonl
      khabar export --db news.db --format parquet --output corpus.parquet
    """
    from khabar.errors import ConfigError
    from khabar.store import Store
    from khabar.store.analytics import export_jsonl

    if fmt == "parquet" and output == "-":
        raise ConfigError("Parquet is a binary file format", hint="give --output FILE.parquet", code="K303")
    with Store.open_readonly(db_path) as store:
        if fmt == "parquet":
            from khabar.store.parquet import export_parquet

            n = export_parquet(store, output)
        elif output == "-":
            n = export_jsonl(store, sys.stdout)
        else:
            with open(output, "w", encoding="utf-8", newline="\n") as out:
                n = export_jsonl(store, out)
    echo(f"exported {n} documents", err=True)


@click.command()
@click.argument("name")
@click.option("--db", "db_path", default="khabar.db", show_default=True, help="The store to read.")
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@guard
def related(name: str, db_path: str, limit: int, fmt: str) -> None:
    """Corpus referents named in the same documents as NAME (co-occurrence), most shared documents first.

    NAME is resolved to its corpus referent (any of its names or spellings, a title before it,
    a unique fuller or shorter form), whose documents are read; a name that stands for none
    is matched folded (hamza, ى/ي and ة/ه spellings find each other) in every document.

    \b
    Example:
      khabar related 'ترامب' --db news.db
    """
    from khabar.store import Store
    from khabar.store.analytics import cooccurrence

    with Store.open_readonly(db_path) as store:
        rows = cooccurrence(store, name, limit=limit)
    if fmt == "json":
        echo_json(rows)
        return
    if not rows:
        echo(
            f"no referent shares a document with {name!r} (is it named in the store? try khabar entities)", err=True
        )
        return
    width = max(2, *(len(str(row["id"])) for row in rows))
    echo(f"{'id':>{width}} {'docs':>6}  {'label':<5} name")
    for row in rows:
        echo(f"{row['id']:>{width}} {row['documents']:6d}  {row['label']:<5} {row['name']}")


@click.command()
@click.option("--db", "db_path", default="khabar.db", show_default=True, help="The store to read.")
@click.option("--name", help="Only documents mentioning this referent (folded match).")
@click.option("--period", type=click.Choice(["day", "month", "year"]), default="month", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@guard
def timeline(db_path: str, name: str | None, period: str, fmt: str) -> None:
    """Documents per day, month or year (of those with a date), optionally only those mentioning --name.

    \b
    Examples:
      khabar timeline --db news.db --period year
      khabar timeline --name 'كوريا الشمالية' --db news.db
    """
    from khabar.store import Store
    from khabar.store.analytics import counts_over_time

    with Store.open_readonly(db_path) as store:
        rows = counts_over_time(store, name=name, period=period)
    if fmt == "json":
        echo_json([{"period": p, "documents": n} for p, n in rows])
        return
    if not rows:
        about = f" mentioning {name!r}" if name else ""
        echo(f"no dated document{about} in the store (dates come from meta.date at ingest)", err=True)
        return
    top = max((n for _, n in rows), default=0)
    for p, n in rows:
        bar = "#" * max(1, round(40 * n / top)) if top else ""
        echo(f"{p:<10} {n:7d}  {bar}")


@click.command()
@click.option("--db", "db_path", default="khabar.db", show_default=True, help="The store to rebuild.")
@guard
def reindex(db_path: str) -> None:
    """Rebuild the corpus referents of a store from its documents' referents (ids kept).

    Ingest keeps them up to date; run this after upgrading khabar's merging rules. A
    referent keeps its id; ids of referents merged together redirect to the older one.

    \b
    Example:
      khabar reindex --db news.db
    """
    from khabar.errors import StoreError
    from khabar.store import Store

    path = Path(db_path)
    if not path.is_file():
        raise StoreError(f"no store at {path}", hint="create one with `khabar ingest ... --db PATH`", code="K401")
    with Store(path) as store:
        names = store.rebuild_corpus_referents()
        count = int(store.execute("SELECT count(*) FROM corpus_referents").fetchone()[0])
    echo(f"{count} corpus referents from {names} names ({db_path})", err=True)


def why_no_referents(label: str | None) -> str:
    """The one line said when ``entities`` lists nothing (an unknown label is an error, K424)."""
    return "no referent in the store" + (f" with label {label.upper()}" if label else "")


COMMANDS = [ingest, search, entities, related, timeline, export, reindex]
