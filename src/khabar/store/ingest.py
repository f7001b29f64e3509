"""Bulk ingestion: read many kinds of input, analyse each article, store it once.

``iter_records`` turns paths into Articles (or the coded error that stopped one):
text and HTML files, directories (recursively, sorted), JSONL in the batch
contract, JSON arrays of article objects (SaudiNewsNet style), and ``.zip`` /
``.gz`` archives of any of these. Nothing is raised mid-stream.

``ingest`` analyses every record with the default pipeline -- in a process pool
when ``workers > 1``, keeping input order -- and stores the Docs through the
single writer in the parent, in transactions of ``batch``. A record whose text is
already stored is skipped *before* it is analysed, so re-running after an
interruption resumes where it stopped.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Final

from khabar.doc import Doc
from khabar.errors import InputError, KhabarError
from khabar.inputs import MAX_BYTES, Article, article_from_bytes, expand_paths, jsonl_records, read_bytes
from khabar.store.db import Store, content_hash

#: meta fields of a JSON article object passed through to the Doc
JSON_META_KEYS: Final = ("id", "title", "date", "source", "url", "author")
#: largest decompressed ``.gz`` content read (a guard against decompression bombs)
MAX_ARCHIVE_BYTES: Final = 4 * 1024**3
_MAX_NESTING: Final = 3  # archives inside archives


# ------------------------------------------------------------------ reading
def iter_records(paths: Sequence[str], max_bytes: int = MAX_BYTES) -> Iterator[Article | KhabarError]:
    """Every article under ``paths`` (or the error that stopped it), in a stable order.

    Files are read by extension: ``.jsonl`` (one ``{"text", ...}`` a line), ``.json``
    (a list of article objects whose text is ``text`` or ``content``), ``.zip`` (each
    member by its own extension), ``.gz`` (the content by the inner extension, e.g.
    ``x.jsonl.gz``); anything else is one text or HTML article. Directories are walked
    recursively in sorted order, hidden files skipped. ``max_bytes`` limits one article.
    """
    for path in expand_paths(list(paths)):
        name = "stdin" if path == "-" else path
        try:
            data = read_bytes(path)
        except KhabarError as exc:
            yield exc
            continue
        yield from _records_from_bytes(data, name, max_bytes)


def _records_from_bytes(data: bytes, name: str, max_bytes: int, depth: int = 0) -> Iterator[Article | KhabarError]:
    """Dispatch ``data`` (the content of the file ``name``) on its extension."""
    low = name.lower()
    try:
        if low.endswith(".zip"):
            yield from _iter_zip(data, name, max_bytes, depth)
        elif low.endswith(".gz"):
            yield from _iter_gzip(data, name, max_bytes, depth)
        elif low.endswith(".jsonl"):
            yield from jsonl_records(data, name, max_bytes, allow_empty=False)
        elif low.endswith(".json"):
            yield from _iter_json_array(data, name, max_bytes)
        else:
            yield article_from_bytes(data, name, max_bytes)
    except KhabarError as exc:
        yield exc


def _archive_error(name: str, what: str, exc: BaseException) -> InputError:
    detail = str(exc) or type(exc).__name__
    return InputError(
        f"{name} is not a valid {what} archive ({detail})",
        hint="check the download; the archive may be truncated or corrupt",
        code="K170",
    )


def _iter_zip(data: bytes, name: str, max_bytes: int, depth: int) -> Iterator[Article | KhabarError]:
    if depth >= _MAX_NESTING:
        yield InputError(f"{name}: archives nested too deeply", hint="unpack the inner archives", code="K171")
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
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
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
                yield InputError(
                    f"{member} cannot be extracted ({str(exc) or type(exc).__name__})",
                    hint="check the archive; it may be corrupt or encrypted",
                    code="K170",
                )
                continue
            except RuntimeError as exc:  # encrypted member
                yield InputError(f"{member} cannot be extracted ({exc})", hint="decrypt the archive first", code="K170")
                continue
            yield from _records_from_bytes(content, member, max_bytes, depth + 1)


def _iter_gzip(data: bytes, name: str, max_bytes: int, depth: int) -> Iterator[Article | KhabarError]:
    if depth >= _MAX_NESTING:
        yield InputError(f"{name}: archives nested too deeply", hint="unpack the inner archives", code="K171")
        return
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            content = stream.read(MAX_ARCHIVE_BYTES + 1)
    except (gzip.BadGzipFile, OSError, EOFError, zlib.error, ValueError) as exc:
        yield _archive_error(name, "gzip", exc)
        return
    if len(content) > MAX_ARCHIVE_BYTES:
        yield InputError(
            f"{name} decompresses to over {MAX_ARCHIVE_BYTES / 1e9:.0f} GB",
            hint="split the archive",
            code="K104",
        )
        return
    yield from _records_from_bytes(content, name[:-3], max_bytes, depth + 1)


def _iter_json_array(data: bytes, name: str, max_bytes: int) -> Iterator[Article | KhabarError]:
    """Article objects of a JSON array (SaudiNewsNet style); ids default to ``FILE:INDEX``."""
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
        error = _check_text(text, where, max_bytes)
        if error is not None:
            yield error
            continue
        meta: dict[str, Any] = {k: record[k] for k in JSON_META_KEYS if record.get(k) is not None}
        if "date" not in meta and record.get("date_extracted") is not None:
            meta["date"] = record["date_extracted"]
        meta.setdefault("id", f"{name}:{i}")
        yield Article(text, meta)


def _check_text(text: str, where: str, max_bytes: int) -> InputError | None:
    if not text.strip():
        return InputError(f"{where} has an empty text", hint="drop the record or fill in its text", code="K101")
    if len(text.encode("utf-8")) > max_bytes:
        return InputError(
            f"{where}: text over the {max_bytes / 1e6:.0f} MB limit", hint="split the article", code="K104"
        )
    return None


# ------------------------------------------------------------------ storing
@dataclass
class IngestReport:
    """What one ``ingest`` run did: counts and the one-line message of every failure."""

    added: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Records seen: added + skipped + failed."""
        return self.added + self.skipped + self.failed

    def summary(self) -> str:
        """``N added, N already stored, N failed``."""
        return f"{self.added} added, {self.skipped} already stored, {self.failed} failed"


def is_stored(store: Store, text: str) -> bool:
    """True when an article with exactly this original text is already in ``store``."""
    row = store.execute("SELECT 1 FROM documents WHERE content_hash = ?", (content_hash(text),)).fetchone()
    return row is not None


# A worker process keeps one Pipeline for its lifetime.
_WORKER_PIPELINE: Any = None


def _worker_init(components: tuple[str, ...] | None) -> None:
    global _WORKER_PIPELINE
    from khabar.pipeline import Pipeline

    _WORKER_PIPELINE = Pipeline(components)


def _analyze_json(job: tuple[str, dict[str, Any]]) -> tuple[bool, str]:
    """In a worker: ``(True, doc_json)`` or ``(False, one-line error)``."""
    text, meta = job
    try:
        return True, _WORKER_PIPELINE.analyze(text, meta).to_json()
    except Exception as exc:  # noqa: BLE001 -- one bad article must not stop the run
        return False, _analysis_error(exc, meta).one_line()


def _analysis_error(exc: Exception, meta: dict[str, Any]) -> KhabarError:
    if isinstance(exc, KhabarError):
        return exc
    label = meta.get("id", "an article")
    return InputError(
        f"{label} could not be analysed ({type(exc).__name__}: {exc})",
        hint="report this article as a bug",
        code="K172",
    )


def _docs_serial(jobs: Iterable[Article], components: tuple[str, ...] | None) -> Iterator[Doc | str]:
    from khabar.pipeline import Pipeline

    nlp = Pipeline(components)
    for art in jobs:
        try:
            yield nlp.analyze(art.text, art.meta)
        except Exception as exc:  # noqa: BLE001 -- one bad article must not stop the run
            yield _analysis_error(exc, art.meta).one_line()


def _docs_parallel(jobs: Iterable[Article], workers: int, components: tuple[str, ...] | None) -> Iterator[Doc | str]:
    window = workers * 8
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(components,)) as pool:
        pending: deque[Future[tuple[bool, str]]] = deque()
        for art in jobs:
            pending.append(pool.submit(_analyze_json, (art.text, art.meta)))
            if len(pending) >= window:
                yield _rebuild(pending.popleft().result())
        while pending:
            yield _rebuild(pending.popleft().result())


def _rebuild(result: tuple[bool, str]) -> Doc | str:
    ok, payload = result
    return Doc.from_json(payload) if ok else payload


def ingest(
    paths: Sequence[str],
    db_path: str,
    workers: int = 1,
    batch: int = 100,
    progress: Callable[[int], None] | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    components: Iterable[str] | None = None,
) -> IngestReport:
    """Analyse every record under ``paths`` and store it in the SQLite store ``db_path``.

    Args:
        paths: files, directories, archives (see :func:`iter_records`).
        db_path: the store; created when missing.
        workers: analysis processes; 1 analyses in this process.
        batch: documents per write transaction.
        progress: called with the number of records handled so far after each one.
        max_bytes: the size limit of one article.
        components: pipeline components (default: all).

    Returns:
        The counts and error lines. Input problems never raise; a store that
        cannot be opened or written raises :class:`~khabar.errors.StoreError`.
    """
    report = IngestReport()
    comps = None if components is None else tuple(components)
    seen: set[str] = set()  # hashes queued in this run, not yet committed

    def tick() -> None:
        if progress is not None:
            progress(report.total)

    with Store(db_path) as store:

        def to_analyse() -> Iterator[Article]:
            for item in iter_records(paths, max_bytes):
                if isinstance(item, KhabarError):
                    report.failed += 1
                    report.errors.append(item.one_line())
                    tick()
                    continue
                digest = content_hash(item.text)
                if digest in seen or is_stored(store, item.text):
                    report.skipped += 1
                    tick()
                    continue
                seen.add(digest)
                yield item

        results = _docs_parallel(to_analyse(), workers, comps) if workers > 1 else _docs_serial(to_analyse(), comps)

        def docs() -> Iterator[Doc]:
            for result in results:
                if isinstance(result, str):
                    report.failed += 1
                    report.errors.append(result)
                    tick()
                else:
                    yield result

        pending: list[Doc] = []

        def flush() -> None:
            for _id, added in store.add_many(pending, batch=len(pending) or 1):
                report.added += added
                report.skipped += not added
                tick()
            pending.clear()

        for doc in docs():
            pending.append(doc)
            if len(pending) >= max(1, batch):
                flush()
        flush()
    return report
