"""Bulk ingestion: read many kinds of input, analyse each article, store it once.

``iter_records`` turns paths into Articles (or the coded error that stopped one):
text and HTML files, directories (recursively, sorted), JSONL in the batch
contract, JSON arrays of article objects (SaudiNewsNet style), and ``.zip`` /
``.gz`` archives of any of these, and the Parquet that ``khabar spark`` writes (each row's
Doc JSON, analysed already: stored without analysing again). Nothing is raised mid-stream.

``ingest`` analyses every record with the default pipeline -- in a process pool
when ``workers > 1``, keeping input order -- and turns each Doc into its rows in
the same worker (:func:`khabar.store.rows.prepare_doc`); the single writer in the
parent only inserts them, in transactions of ``batch``. A record whose text is
already stored is skipped *before* it is analysed, so re-running after an
interruption resumes where it stopped.
"""

from __future__ import annotations

import gc
import gzip
import io
import json
import multiprocessing
import os
import re
import threading
import time
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import IO, Any, Final, cast

from khabar.doc import Doc
from khabar.errors import ConfigError, InputError, KhabarError
from khabar.inputs import (
    MAX_BYTES,
    Article,
    article_from_bytes,
    expand_paths,
    jsonl_records,
    open_input,
    read_limited,
    scrub_surrogates,
    surrogate_warning,
)
from khabar.pipeline import DEFAULT_COMPONENTS
from khabar.store.db import Store, content_hash
from khabar.store.rows import PreparedDoc, prepare_doc

#: meta fields of a JSON article object passed through to the Doc
JSON_META_KEYS: Final = ("id", "title", "date", "source", "url", "author")
#: the code of an empty record (an empty file, a blank ``text``): skipped by ``khabar ingest`` unless --strict
EMPTY_CODE: Final = "K101"
#: names read as containers of many records (the rest: one text or HTML article)
CONTAINER_SUFFIXES: Final = (".json", ".jsonl", ".zip", ".gz", ".parquet")
#: largest content read whole from one container: a JSON array, or an archive inside another
#: (a zip needs random access, so a ``.zip.gz`` or a zip inside a zip is read into memory)
MAX_ARCHIVE_BYTES: Final = 256 * 1024**2
#: most analysis processes (``workers``): more only adds memory, never speed
MAX_WORKERS: Final = max(4, 2 * (os.cpu_count() or 1))
_MAX_NESTING: Final = 3  # archives inside archives
_STREAM_ERRORS: Final = (OSError, EOFError, zlib.error, ValueError, zipfile.BadZipFile, zipfile.LargeZipFile)


# ------------------------------------------------------------------ reading
def iter_records(
    paths: Sequence[str], max_bytes: int = MAX_BYTES, skip: frozenset[str] = frozenset()
) -> Iterator[Article | KhabarError]:
    """Every article under ``paths`` (or the error that stopped it), in a stable order.

    Files are read by extension: ``.jsonl`` (one ``{"text", ...}`` a line), ``.json``
    (a list of article objects whose text is ``text`` or ``content``), ``.zip`` (each
    member by its own extension), ``.gz`` (the content by the inner extension, e.g.
    ``x.jsonl.gz``); anything else is one text or HTML article. Directories are walked
    recursively in sorted order, hidden files skipped. ``max_bytes`` limits one article.
    Files whose real path is in ``skip`` are left out (the store itself, when it lies inside
    an input folder).

    Reading is bounded: only regular files are opened (K107 for a FIFO, a device, a socket),
    JSONL is streamed a line at a time, and no article, zip member or decompressed stream
    is read past its limit plus one byte (K104): an archive bomb costs its limit, not its size.
    """
    for path in expand_paths(list(paths)):
        if skip and path != "-" and os.path.realpath(path) in skip:
            continue
        if os.path.basename(path) == "_SUCCESS" and os.path.getsize(path) == 0:
            continue  # the empty marker a Spark (Hadoop) job leaves in its output folder
        name = "stdin" if path == "-" else path
        try:
            stream = open_input(path)
        except KhabarError as exc:
            yield exc
            continue
        try:
            yield from _records_from_stream(stream, name, max_bytes)
        finally:
            if path != "-":
                stream.close()


def _records_from_stream(
    stream: IO[bytes], name: str, max_bytes: int, depth: int = 0
) -> Iterator[Article | KhabarError]:
    """Dispatch the content of the file ``name`` on its extension, reading ``stream`` bounded."""
    low = name.lower()
    try:
        if low.endswith(".zip"):
            yield from _iter_zip(stream, name, max_bytes, depth)
        elif low.endswith(".gz"):
            yield from _iter_gzip(stream, name, max_bytes, depth)
        elif low.endswith(".jsonl"):
            yield from jsonl_records(stream, name, max_bytes, allow_empty=False)
        elif low.endswith(".json"):
            yield from _iter_json_array(read_limited(stream, name, MAX_ARCHIVE_BYTES), name, max_bytes)
        elif low.endswith(".parquet"):
            yield from _iter_parquet(stream, name)
        else:
            yield article_from_bytes(read_limited(stream, name, max_bytes), name, max_bytes)
    except KhabarError as exc:
        yield exc
    except _STREAM_ERRORS as exc:  # a corrupt compressed stream, found while reading it
        yield _archive_error(name, "gzip" if ".gz" in low else "zip", exc)


def _records_from_bytes(data: bytes, name: str, max_bytes: int, depth: int = 0) -> Iterator[Article | KhabarError]:
    """Dispatch ``data`` (the content of the file ``name``) on its extension."""
    yield from _records_from_stream(io.BytesIO(data), name, max_bytes, depth)


def _archive_error(name: str, what: str, exc: BaseException) -> InputError:
    detail = str(exc) or type(exc).__name__
    return InputError(
        f"{name} is not a valid {what} archive ({detail})",
        hint="check the download; the archive may be truncated or corrupt",
        code="K170",
    )


def _nested_too_deep(name: str) -> InputError:
    return InputError(f"{name}: archives nested too deeply", hint="unpack the inner archives", code="K171")


def _member_limit(member: str, max_bytes: int) -> int:
    """How much of a member may be read: one article, or a container of many."""
    low = member.lower()
    return MAX_ARCHIVE_BYTES if low.endswith((".jsonl", ".json", ".gz", ".zip")) else max_bytes


def _iter_zip(stream: IO[bytes], name: str, max_bytes: int, depth: int) -> Iterator[Article | KhabarError]:
    if depth >= _MAX_NESTING:
        yield _nested_too_deep(name)
        return
    try:
        if not stream.seekable():
            stream = io.BytesIO(read_limited(stream, name, MAX_ARCHIVE_BYTES))
        archive = zipfile.ZipFile(stream)
        members = sorted(
            (info for info in archive.infolist() if not info.is_dir()),
            key=lambda info: info.filename,
        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        yield _archive_error(name, "zip", exc)
        return
    with archive:
        for info in members:
            base = os.path.basename(info.filename)
            if not base or base.startswith(".") or info.filename.startswith("__MACOSX/"):
                continue
            member = f"{name}:{info.filename}"
            limit = _member_limit(info.filename, max_bytes)
            if info.file_size > limit:  # the header's size, checked before anything is inflated
                yield InputError(
                    f"{member} is {info.file_size / 1e6:.1f} MB uncompressed, over the {limit / 1e6:.0f} MB limit",
                    hint="split the article or the archive (or raise --max-bytes)",
                    code="K104",
                )
                continue
            try:
                with archive.open(info) as content:
                    # the header may lie: the readers below stop at the limit plus one byte anyway
                    yield from _records_from_stream(content, member, max_bytes, depth + 1)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
                yield InputError(
                    f"{member} cannot be extracted ({str(exc) or type(exc).__name__})",
                    hint="check the archive; it may be corrupt or encrypted",
                    code="K170",
                )
            except (RuntimeError, NotImplementedError) as exc:  # encrypted member, unknown compression
                yield InputError(f"{member} cannot be extracted ({exc})", hint="decrypt the archive first", code="K170")


def _iter_gzip(stream: IO[bytes], name: str, max_bytes: int, depth: int) -> Iterator[Article | KhabarError]:
    if depth >= _MAX_NESTING:
        yield _nested_too_deep(name)
        return
    try:
        with gzip.GzipFile(fileobj=stream) as content:
            # decompressed a buffer at a time by the readers: at most their limit plus one byte
            yield from _records_from_stream(cast(IO[bytes], _Unseekable(content)), name[:-3], max_bytes, depth + 1)
    except (gzip.BadGzipFile, OSError, EOFError, zlib.error, ValueError) as exc:
        yield _archive_error(name, "gzip", exc)


class _Unseekable(io.RawIOBase):
    """A decompressing stream seen as not seekable (a zip inside it is read bounded, not sought)."""

    def __init__(self, inner: gzip.GzipFile) -> None:
        super().__init__()
        self._inner = inner

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, size: int = -1) -> bytes:
        return self._inner.read(size)

    def readline(self, size: int | None = -1) -> bytes:
        return self._inner.readline(-1 if size is None else size)

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _iter_json_array(data: bytes, name: str, max_bytes: int) -> Iterator[Article | KhabarError]:
    """Article objects of a JSON array (SaudiNewsNet style); ids default to ``FILE:INDEX``.

    Lone surrogate escapes are replaced by U+FFFD (warning K113 in ``meta["warnings"]``).
    """
    if b"\x00" in data:
        yield InputError(f"{name} is binary data, not JSON", hint="give a JSON array of article objects", code="K102")
        return
    try:
        records = json.loads(data)
    except UnicodeDecodeError:
        yield InputError(f"{name} is not valid UTF-8", hint="convert the file to UTF-8", code="K103")
        return
    except json.JSONDecodeError as exc:
        yield InputError(
            f"{name} is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
            hint="a .json file must hold a list of article objects; use .jsonl for one object a line",
            code="K108",
        )
        return
    except RecursionError:
        yield InputError(f"{name} is nested too deeply", hint="give a flat list of article objects", code="K108")
        return
    if isinstance(records, dict):
        records = [records]
    if not isinstance(records, list):
        yield InputError(
            f"{name} holds a JSON {type(records).__name__}, not a list of articles",
            hint='give [{"text": "...", "title": ...}, ...]',
            code="K109",
        )
        return
    for i, record in enumerate(records):
        where = f"{name} item {i}"
        text = None
        if isinstance(record, dict):
            text = record.get("text") if isinstance(record.get("text"), str) else record.get("content")
        if not isinstance(record, dict) or not isinstance(text, str):
            yield InputError(
                f"{where} has no string field 'text' or 'content'",
                hint='each item: {"text": "...", "title": ...}',
                code="K109",
            )
            continue
        text, replaced = scrub_surrogates(text)
        error = _check_text(text, where, max_bytes)
        if error is not None:
            yield error
            continue
        meta: dict[str, Any] = {k: record[k] for k in JSON_META_KEYS if record.get(k) is not None}
        if "date" not in meta and record.get("date_extracted") is not None:
            meta["date"] = record["date_extracted"]
        meta, replaced_meta = scrub_surrogates(meta)
        meta.setdefault("id", f"{name}:{i}")
        if replaced or replaced_meta:
            meta["warnings"] = [surrogate_warning(replaced + replaced_meta)]
        records[i] = None  # let the parsed record go as soon as it is yielded
        yield Article(text, meta)


@dataclass
class AnalysedArticle(Article):
    """A record read with its analysis (a row of ``khabar spark``'s Parquet): stored as ``doc``, not analysed."""

    doc: Doc | None = None


_ERROR_LINE = re.compile(r"error (K\d{3}): (.*?)(?: \(hint: (.*)\))?")


def _iter_parquet(stream: IO[bytes], name: str) -> Iterator[Article | KhabarError]:
    """Rows of a Parquet file written by ``khabar spark``: the Doc of each ``doc_json``, or its ``error`` line.

    Needs pyarrow (K302). A file without a ``doc_json`` column is K174: it holds no analysis.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        yield ConfigError("reading Parquet needs pyarrow", hint="pip install 'khabar[parquet]'", code="K302")
        return
    try:
        source: IO[bytes] = stream if stream.seekable() else io.BytesIO(read_limited(stream, name, MAX_ARCHIVE_BYTES))
        table = pq.ParquetFile(source)
        columns = [c for c in ("doc_json", "error") if c in table.schema_arrow.names]
        if "doc_json" not in columns:
            yield InputError(
                f"{name} has no doc_json column",
                hint="khabar ingest reads the Parquet that khabar spark writes; analyse other tables with khabar spark",
                code="K174",
            )
            return
        for batch in table.iter_batches(batch_size=256, columns=columns):
            for row in batch.to_pylist():
                yield _analysed_row(row, name)
    except (pa.ArrowException, OSError, ValueError) as exc:
        yield InputError(
            f"{name} is not a valid Parquet file ({str(exc) or type(exc).__name__})",
            hint="check the file; a Spark output folder is read whole (khabar ingest FOLDER)",
            code="K170",
        )


def _analysed_row(row: dict[str, Any], name: str) -> Article | KhabarError:
    """One row of ``khabar spark``'s output: its stored error line as an error, or its Doc."""
    error = row.get("error")
    if error:
        m = _ERROR_LINE.fullmatch(error)
        return InputError(m[2], m[3] or "", m[1]) if m else InputError(error, code="K172")
    try:
        doc = Doc.from_json(row["doc_json"] or "")
    except KhabarError as exc:
        return exc
    except (ValueError, TypeError, KeyError) as exc:  # not JSON, or not a Doc
        return InputError(f"{name}: a doc_json value is not a Doc ({exc})", hint="the file was edited", code="K108")
    return AnalysedArticle(doc.text, doc.meta, doc)


def _check_text(text: str, where: str, max_bytes: int) -> InputError | None:
    if not text.strip():
        return InputError(f"{where} has an empty text", hint="drop the record or fill in its text", code="K101")
    if "\x00" in text:
        return InputError(f"{where} has a NUL character in its text", hint="the text is binary data", code="K102")
    if len(text.encode("utf-8")) > max_bytes:
        return InputError(
            f"{where}: text over the {max_bytes / 1e6:.0f} MB limit", hint="split the article", code="K104"
        )
    return None


# ------------------------------------------------------------------ storing
@dataclass
class IngestReport:
    """What one ``ingest`` run did: counts and the one-line message of every failure.

    ``empty`` counts the failures that are empty records (K101): included in ``failed``, they
    are told apart so that the CLI can skip them without failing the run.
    """

    added: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    empty: int = 0
    #: ``CODE: ...`` warning lines: about the whole run once (K121: HTML pages read without their
    #: extractor), about one record with its name (K131: ``K131: big.txt: ...``, over the work budget)
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Records seen: added + skipped + failed."""
        return self.added + self.skipped + self.failed

    def summary(self) -> str:
        """``N added, N already stored, N failed`` (and ``, N empty`` when records were empty)."""
        empty = f", {self.empty} empty" if self.empty else ""
        return f"{self.added} added, {self.skipped} already stored, {self.failed - self.empty} failed{empty}"


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """Where a running ingest stands, for a progress bar.

    ``done`` records handled out of ``total`` (None when it cannot be known beforehand,
    e.g. when reading stdin); ``added + skipped + failed == done``.
    """

    done: int
    total: int | None
    added: int
    skipped: int
    failed: int

    @property
    def fraction(self) -> float | None:
        """``done / total`` in 0..1, or None when the total is unknown."""
        if self.total is None:
            return None
        return min(1.0, self.done / self.total) if self.total else 1.0


def count_records(
    paths: Sequence[str], max_bytes: int = MAX_BYTES, skip: frozenset[str] = frozenset()
) -> int | None:
    """How many records (articles and per-record errors) :func:`iter_records` will yield.

    Reads and parses every input once without analysing anything -- seconds for what takes
    hours to analyse. None when stdin (``-``) is among ``paths``: it can be read only once.
    """
    if "-" in paths:
        return None
    return sum(1 for _ in iter_records(paths, max_bytes, skip))


def is_stored(store: Store, text: str) -> bool:
    """True when an article with exactly this original text is already in ``store``."""
    row = store.execute("SELECT 1 FROM documents WHERE content_hash = ?", (content_hash(text),)).fetchone()
    return row is not None


# A worker process uses one Pipeline for its lifetime: the parent's, loaded before the fork, or its own.
_WORKER_PIPELINE: Any = None


def _worker_init(components: tuple[str, ...] | None) -> None:
    global _WORKER_PIPELINE
    from khabar.pipeline import Pipeline, resolve

    _watch_parent(os.getppid())
    names = resolve(DEFAULT_COMPONENTS if components is None else components)
    if _WORKER_PIPELINE is None or _WORKER_PIPELINE.names != names:  # not forked from a loaded parent (spawn)
        _WORKER_PIPELINE = Pipeline(components)


def worker_pipeline() -> Any:
    """The Pipeline of this analysis worker (see :func:`run_in_workers`)."""
    return _WORKER_PIPELINE


def _fork_context() -> Any:
    """The ``fork`` start method where the platform has it (Linux), else the default (spawn)."""
    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None


def run_in_workers(
    items: Iterable[tuple[Callable[[Any], Any] | None, Any]],
    workers: int,
    components: tuple[str, ...] | None,
) -> Iterator[Any]:
    """Run tasks in ``workers`` analysis processes that share this process's loaded models; results in input order.

    Each item is ``(task, arg)``: ``task(arg)`` runs in a worker, where :func:`worker_pipeline`
    is the pipeline of ``components`` (``task`` must be a module-level function); an item
    ``(None, value)`` is a result ready here, given back in its place. At most ``8 * workers``
    items are in flight, so memory stays bounded whatever the input's length.

    At the first task, the pipeline is built and warmed up (:meth:`~khabar.pipeline.Pipeline.warm_up`)
    here, then the workers are forked, and the collector's view of it is frozen (``gc.freeze``), so the
    workers share its read-only model pages instead of each loading (and touching) a copy.
    Where there is no fork (macOS, Windows) each worker loads its own.

    Raises:
        BrokenProcessPool: a worker died (killed, out of memory); the results before it were given.
    """
    window = workers * 8
    pool: ProcessPoolExecutor | None = None
    try:
        pending: deque[Future[Any]] = deque()
        for task, arg in items:
            if task is None:
                done: Future[Any] = Future()
                done.set_result(arg)
                pending.append(done)
            else:
                if pool is None:  # at the first task: nothing is loaded for a run that has none
                    pool = _start_pool(workers, components)
                pending.append(pool.submit(task, arg))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            _end_pool()


def _start_pool(workers: int, components: tuple[str, ...] | None) -> ProcessPoolExecutor:
    """The worker pool of :func:`run_in_workers`, forked from this process once its models are loaded."""
    global _WORKER_PIPELINE
    from khabar.pipeline import Pipeline

    context = _fork_context()
    if context is not None:
        _WORKER_PIPELINE = Pipeline(components).warm_up()
        gc.collect()
        gc.freeze()  # the collector of a worker then never writes to the pages of the loaded models
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init, initargs=(components,))


def _end_pool() -> None:
    global _WORKER_PIPELINE
    if _WORKER_PIPELINE is not None:
        gc.unfreeze()
        _WORKER_PIPELINE = None


def _watch_parent(parent: int, every: float = 1.0) -> None:
    """Exit this worker when its parent dies: a killed ingest must not leave workers behind.

    A worker blocks reading the task pipe, whose write end it inherited, so it never sees
    end-of-file when the parent is killed (SIGKILL, OOM) and would wait forever.
    """

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="khabar-parent-watch", daemon=True).start()


def _analyze_and_prepare(job: tuple[str, dict[str, Any]]) -> PreparedDoc | str:
    """In a worker: the rows that store the analysed article, or its one-line error.

    The rows are built here, not in the parent: the single writer would otherwise spend a
    quarter of the run's CPU re-reading Docs and building rows while the workers wait.
    """
    text, meta = job
    try:
        return prepare_doc(_WORKER_PIPELINE.analyze(text, meta))
    except Exception as exc:  # noqa: BLE001 -- one bad article must not stop the run
        return _analysis_error(exc, meta).one_line()


def _analysis_error(exc: Exception, meta: dict[str, Any]) -> KhabarError:
    if isinstance(exc, KhabarError):
        return exc
    label = meta.get("id", "an article")
    return InputError(
        f"{label} could not be analysed ({type(exc).__name__}: {exc})",
        hint="report this article as a bug",
        code="K172",
    )


def _prepare_analysed(art: AnalysedArticle) -> PreparedDoc | str:
    """The rows of an article read with its analysis, or its one-line error."""
    try:
        return prepare_doc(art.doc if art.doc is not None else Doc(art.text, art.meta))
    except Exception as exc:  # noqa: BLE001 -- one bad record must not stop the run
        return _analysis_error(exc, art.meta).one_line()


def _docs_serial(jobs: Iterable[Article], components: tuple[str, ...] | None) -> Iterator[PreparedDoc | str]:
    from khabar.pipeline import Pipeline

    nlp = Pipeline(components)
    for art in jobs:
        if isinstance(art, AnalysedArticle):
            yield _prepare_analysed(art)
            continue
        try:
            yield prepare_doc(nlp.analyze(art.text, art.meta))
        except Exception as exc:  # noqa: BLE001 -- one bad article must not stop the run
            yield _analysis_error(exc, art.meta).one_line()


def _docs_parallel(
    jobs: Iterable[Article], workers: int, components: tuple[str, ...] | None
) -> Iterator[PreparedDoc | str]:
    def items() -> Iterator[tuple[Callable[[Any], Any] | None, Any]]:
        for art in jobs:
            if isinstance(art, AnalysedArticle):  # nothing to analyse: its rows now, in input order
                yield None, _prepare_analysed(art)
            else:
                yield _analyze_and_prepare, (art.text, art.meta)

    try:
        yield from run_in_workers(items(), workers, components)
    except BrokenProcessPool as exc:
        raise InputError(
            "an analysis worker died (killed, or out of memory); the articles stored so far are kept",
            hint="rerun the same command to resume (stored articles are skipped), or use fewer --workers",
            code="K173",
        ) from exc


def ingest(
    paths: Sequence[str],
    db_path: str,
    workers: int = 1,
    batch: int = 100,
    progress: Callable[[int], None] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    components: Iterable[str] | None = None,
    on_progress: Callable[[IngestProgress], None] | None = None,
) -> IngestReport:
    """Analyse every record under ``paths`` and store it in the SQLite store ``db_path``.

    Args:
        paths: files, directories, archives (see :func:`iter_records`).
        db_path: the store; created when missing.
        workers: analysis processes; 1 analyses in this process.
        batch: documents per write transaction.
        progress: called with the number of records handled so far after each one.
        on_progress: called with an :class:`IngestProgress` after each record; the inputs
            are counted first (see :func:`count_records`) so it carries a total.
        max_bytes: the size limit of one article.
        components: pipeline components (default: all).

    Returns:
        The counts and error lines. Input problems never raise; a store that
        cannot be opened or written raises :class:`~khabar.errors.StoreError`.
    """
    if not 1 <= workers <= MAX_WORKERS:
        raise ConfigError(
            f"--workers {workers} is out of range", hint=f"give 1 to {MAX_WORKERS} (twice the cores)", code="K304"
        )
    report = IngestReport()
    comps = None if components is None else tuple(components)
    # Hashes queued in this run and maybe not yet committed (the store knows the older ones): the
    # last `recent` only, so that a run of millions of articles does not keep a hash for each.
    # One older than these that reaches the store twice is analysed twice, and stored once.
    recent = max(10_000, 2 * batch + 16 * workers)
    seen: set[str] = set()
    order: deque[str] = deque()

    # The store's own files, should it sit inside an input folder (`khabar ingest . --db ./news.db`).
    db_files = frozenset(os.path.realpath(db_path + suffix) for suffix in ("", "-wal", "-shm", "-journal"))
    total = count_records(paths, max_bytes, db_files) if on_progress is not None else None

    def tick() -> None:
        if progress is not None:
            progress(report.total)
        if on_progress is not None:
            on_progress(IngestProgress(report.total, total, report.added, report.skipped, report.failed))

    with Store(db_path) as store:

        def to_analyse() -> Iterator[Article]:
            for item in iter_records(paths, max_bytes, db_files):
                if isinstance(item, KhabarError):
                    report.failed += 1
                    report.empty += item.code == EMPTY_CODE
                    report.errors.append(item.one_line())
                    tick()
                    continue
                for warning in item.meta.get("warnings", ()):
                    # the same cause for every page: said once for the run, kept in each Doc's meta
                    if isinstance(warning, str) and warning.startswith("K121") and warning not in report.warnings:
                        report.warnings.append(warning)
                digest = content_hash(item.text)
                if digest in seen or is_stored(store, item.text):
                    report.skipped += 1
                    tick()
                    continue
                seen.add(digest)
                order.append(digest)
                if len(order) > recent:
                    seen.discard(order.popleft())
                yield item

        results = _docs_parallel(to_analyse(), workers, comps) if workers > 1 else _docs_serial(to_analyse(), comps)

        def docs() -> Iterator[PreparedDoc]:
            for result in results:
                if isinstance(result, str):
                    report.failed += 1
                    report.errors.append(result)
                    tick()
                else:
                    for warning in result.warnings:
                        if not warning.startswith("K121"):  # (said once, as the record was read)
                            code, _, rest = warning.partition(": ")
                            report.warnings.append(f"{code}: {result.document[0] or 'a record'}: {rest}")
                    yield result

        pending: list[PreparedDoc] = []

        def flush() -> None:
            for _id, added in store.add_prepared(pending, batch=len(pending) or 1):
                report.added += added
                report.skipped += not added
                tick()
            pending.clear()

        try:
            for doc in docs():
                pending.append(doc)
                if len(pending) >= max(1, batch):
                    flush()
        except KhabarError:  # a dead worker: keep what was analysed, so a rerun resumes after it
            flush()
            raise
        flush()
    return report
