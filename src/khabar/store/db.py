"""The corpus store: analysed Docs in SQLite, one writer, many readers.

Layers are stored as queryable tables (``sentences``, ``entities``, ``referents``,
``quotes``, ``keywords``) next to the full Doc JSON, and an FTS5 index covers the
*matching view* of each article: its repaired text, folded and with clitics
stripped, so ``الولايات`` finds a glued ``الولاياتالمتحدة``, ``فى`` finds ``في`` and
``المحادثات`` finds ``محادثات``. The schema is versioned with ``PRAGMA user_version``
and upgraded by the numbered migrations of ``schema.sql``.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Final, Self, TypeVar

from khabar.doc import Doc
from khabar.errors import StoreError
from khabar.store.corpus_referents import update_corpus_referents
from khabar.store.matching import (
    IndexTerm,
    content_hash,
    index_terms,
    norm_name,
    pack_term_spans,
    term_key,
    term_span_array,
    text_terms,
    unpack_term_spans,
)
from khabar.store.rows import PreparedDoc, pack_doc_json, prepare_doc, unpack_doc_json

# the matching view and row helpers lived here first: importable from here still
__all__ = [
    "SCHEMA_VERSION",
    "IndexTerm",
    "PreparedDoc",
    "Store",
    "content_hash",
    "index_terms",
    "migrate",
    "migrations",
    "norm_name",
    "pack_doc_json",
    "pack_term_spans",
    "prepare_doc",
    "term_key",
    "term_span_array",
    "text_terms",
    "unpack_doc_json",
    "unpack_term_spans",
    "user_version",
]

T = TypeVar("T")
_MIGRATION: Final = re.compile(r"^-- migration: (\d+)[ \t]*$", re.MULTILINE)


# ----------------------------------------------------------------- schema
@functools.cache  # read once per process, so SCHEMA_VERSION and the migrations applied always agree
def migrations() -> tuple[tuple[int, str], ...]:
    """The numbered migrations of the packaged ``schema.sql``, in order."""
    sql = resources.files("khabar.store").joinpath("schema.sql").read_text(encoding="utf-8")
    marks = list(_MIGRATION.finditer(sql))
    out: list[tuple[int, str]] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(sql)
        out.append((int(m.group(1)), sql[m.end() : end]))
    return tuple(out)


SCHEMA_VERSION: Final = max(n for n, _ in migrations())


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the database (0 for a new one)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _use_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Switch to write-ahead logging, waiting up to ``timeout`` seconds for the lock it needs.

    A new database starts in rollback-journal mode; leaving it takes an exclusive lock, and
    SQLite answers "locked" at once, without its busy handler, while another process that opened
    the same new file holds its write lock (creating the schema): so this waits and retries.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


#: what a migration computes beyond its SQL, run in the same transaction right after it
_PYTHON_STEPS: Final[dict[int, Callable[[sqlite3.Connection], object]]] = {
    5: update_corpus_referents,  # corpus referents (tables of 4, family names of 5) of the documents stored before
    6: update_corpus_referents,  # people's chains with the variant keys of transliterated names
}

#: the tables of a khabar store (a database holding other tables and no user_version is not one)
_KHABAR_TABLES: Final = frozenset({"documents", "sentences", "entities", "referents", "quotes", "keywords"})


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than the database's ``user_version``; return the new version.

    What to apply is decided inside the write transaction (``BEGIN IMMEDIATE``), so two
    processes creating the same new store never both run migration 1.

    Raises:
        StoreError: K402 when the database was written by a newer khabar; K414 when it is
            another application's SQLite database (khabar adds no tables to it).
    """
    current = user_version(conn)
    _check_version(current)
    if current == SCHEMA_VERSION:
        return current
    number = current
    try:
        conn.execute("BEGIN IMMEDIATE")
        current = user_version(conn)  # another writer may have migrated while we waited
        _check_version(current)
        if current == 0:
            _check_not_foreign(conn)
        for number, sql in migrations():
            if number <= current:
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            if number in _PYTHON_STEPS:
                _PYTHON_STEPS[number](conn)
            conn.execute(f"PRAGMA user_version = {number}")
            current = number
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise _store_error(exc, f"migration {number}") from exc
    except StoreError:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return current


def _check_version(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {version}, newer than this khabar's {SCHEMA_VERSION}",
            hint="upgrade khabar, or use another --db",
            code="K402",
        )


def _check_not_foreign(conn: sqlite3.Connection) -> None:
    """K414 when a database without a khabar schema version already holds tables of its own."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    foreign = sorted(n for n in names if not n.startswith("sqlite_") and n not in _KHABAR_TABLES)
    if foreign:
        raise StoreError(
            f"the database is not a khabar store (it holds the tables {', '.join(foreign[:5])})",
            hint="give --db a new file or an existing khabar store; khabar adds no tables to other databases",
            code="K414",
        )


def _statements(sql: str) -> Iterator[str]:
    """The complete SQL statements of a migration script, one at a time (triggers kept whole)."""
    buf = ""
    for piece in sql.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if _has_code(buf):
                yield buf
            buf = ""
    if _has_code(buf[:-1]):
        yield buf[:-1]


def _has_code(sql: str) -> bool:
    """True when ``sql`` holds more than comments, whitespace and semicolons."""
    return bool(re.sub(r"--[^\n]*", "", sql).strip(" \t\r\n;"))


def _store_error(exc: sqlite3.Error, action: str) -> StoreError:
    """Turn a raw sqlite error into a coded StoreError with a hint."""
    msg = str(exc)
    low = msg.lower()
    if "readonly" in low or "read-only" in low:
        return StoreError(f"cannot {action}: the store is open read-only", hint="open it with Store(path)", code="K403")
    if "locked" in low or "busy" in low:
        return StoreError(
            f"cannot {action}: the database is locked by another writer",
            hint="only one process may ingest at a time; retry when it is done",
            code="K409",
        )
    if "interrupted" in low:
        return StoreError(f"{action} ran past its time limit", hint="narrow the query or raise the limit", code="K407")
    if "not a database" in low or "unable to open" in low or "malformed" in low:
        return StoreError(f"cannot {action}: {msg}", hint="check the --db path; it must be a khabar store", code="K401")
    return StoreError(f"cannot {action}: {msg}", hint="check the database file and the query", code="K400")


def _connect_readonly(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection. Where the store and its folder are writable: opened ``mode=rw``
    with ``PRAGMA query_only`` (every write refused), because only such a connection, when it is
    the last one to close, checkpoints the write-ahead log and deletes ``-wal`` and ``-shm``, as
    the writer does; a ``mode=ro`` one makes them and leaves them behind. Elsewhere ``mode=ro``;
    where that fails because the WAL index cannot be created (a store in a read-only directory,
    on read-only media), ``immutable=1``, which reads the file as it is without any lock or side file.

    Raises:
        StoreError: K401 when the file cannot be read that way because a write-ahead log beside
            it holds changes (``-wal`` without its ``-shm`` index, e.g. copied without it):
            ``immutable=1`` would read the store without them.
    """
    uri = path.resolve().as_uri()
    if os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK):
        conn = sqlite3.connect(uri + "?mode=rw", uri=True, isolation_level=None, timeout=timeout)
        try:
            conn.execute("PRAGMA query_only = 1")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:  # (locked beyond the timeout...): read it as mode=ro would
            conn.close()
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        low = str(exc).lower()
        if "unable to open" not in low and "readonly" not in low and "read-only" not in low:
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        raise StoreError(
            f"cannot read {path} in a read-only directory: its write-ahead log {wal.name} holds changes"
            f" not yet in the file, and {path.name}-shm, needed to read them, is missing and cannot be made",
            hint=f"copy {path.name} and {wal.name} to a writable folder and read the copy there",
            code="K401",
        )
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, isolation_level=None, timeout=timeout)


# ------------------------------------------------------------------ the store
class Store:
    """A corpus store in one SQLite file.

    ``Store(path)`` opens (creating and migrating if needed) the single writer, in
    WAL mode so readers are never blocked; ``Store.open_readonly(path)`` opens a
    reader that cannot change anything.

    Args:
        path: the database file.
        timeout: seconds to wait for a lock held by another connection.
    """

    def __init__(self, path: str | Path, *, timeout: float = 5.0, _readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = _readonly
        try:
            if _readonly:
                if not self.path.is_file():
                    raise StoreError(
                        f"no store at {self.path}",
                        hint="create one with `khabar ingest ... --db PATH`",
                        code="K401",
                    )
                self.conn = _connect_readonly(self.path, timeout)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=timeout)
        except sqlite3.Error as exc:
            raise _store_error(exc, f"open {self.path}") from exc
        self.conn.create_function("khabar_fold", 1, _sql_fold, deterministic=True)
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            if _readonly:
                version = user_version(self.conn)
                if version != SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path} has schema version {version}, this khabar reads {SCHEMA_VERSION}",
                        hint="open it once for writing (khabar ingest) to migrate it, or upgrade khabar",
                        code="K402",
                    )
            else:
                _use_wal(self.conn, timeout)
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self.migrate()
        except sqlite3.Error as exc:
            self.conn.close()
            raise _store_error(exc, f"open {self.path}") from exc
        except StoreError:
            self.conn.close()
            raise

    @classmethod
    def open_readonly(cls, path: str | Path, *, timeout: float = 5.0) -> Store:
        """Open an existing store for reading only (``mode=ro``); K401 when it does not exist."""
        return cls(path, timeout=timeout, _readonly=True)

    # --------------------------------------------------------------- basics
    def migrate(self) -> int:
        """Bring the schema up to date; returns the schema version."""
        return migrate(self.conn)

    @property
    def version(self) -> int:
        """The schema version of the open database."""
        return user_version(self.conn)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self.execute("SELECT count(*) FROM documents").fetchone()[0])

    def execute(self, sql: str, params: Iterable[Any] = (), action: str = "query the store") -> sqlite3.Cursor:
        """Run one statement, turning sqlite errors into StoreError."""
        try:
            return self.conn.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise _store_error(exc, action) from exc

    @contextmanager
    def time_limit(self, seconds: float | None) -> Iterator[None]:
        """Interrupt statements that run longer than ``seconds`` (K407)."""
        if not seconds:
            yield
            return
        deadline = time.monotonic() + seconds
        self.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            yield
        finally:
            self.conn.set_progress_handler(None, 0)

    @contextmanager
    def _transaction(self, action: str) -> Iterator[None]:
        if self.readonly:
            raise StoreError(
                f"cannot {action}: the store is open read-only", hint="open it with Store(path)", code="K403"
            )
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _store_error(exc, action) from exc

    # --------------------------------------------------------------- writing
    def add(self, doc: Doc) -> tuple[int, bool]:
        """Store one analysed Doc unless the same original text is already there.

        Returns:
            ``(id, added)``: the document id, and False when it was already stored.
        """
        with self._transaction("add a document"):
            doc_id, added = self._insert(doc)
            if added:
                update_corpus_referents(self.conn, [doc_id])
            return doc_id, added

    def rebuild_corpus_referents(self) -> int:
        """Regroup every stored name into corpus referents (``khabar reindex``), keeping their ids
        (:func:`~khabar.store.corpus_referents.update_corpus_referents`); returns the names regrouped."""
        with self._transaction("rebuild the corpus referents"):
            return update_corpus_referents(self.conn)

    def add_many(self, docs: Iterable[Doc], batch: int = 200) -> list[tuple[int, bool]]:
        """Store Docs in transactions of ``batch`` documents; one ``(id, added)`` per Doc."""
        return self._add_batched(docs, batch, self._insert)

    def add_prepared(self, items: Iterable[PreparedDoc], batch: int = 200) -> list[tuple[int, bool]]:
        """Store articles already turned into rows (:func:`~khabar.store.rows.prepare_doc`, e.g. by
        ingest workers), in transactions of ``batch``; one ``(id, added)`` per item."""
        return self._add_batched(items, batch, self._insert_prepared)

    def _add_batched(
        self, items: Iterable[T], batch: int, insert: Callable[[T], tuple[int, bool]]
    ) -> list[tuple[int, bool]]:
        """``insert`` each item, ``batch`` items a transaction."""
        out: list[tuple[int, bool]] = []
        pending: list[T] = []

        def flush() -> None:
            if pending:
                with self._transaction("add documents"):
                    done = [insert(item) for item in pending]
                    # the corpus referents move with the documents, in the same transaction
                    update_corpus_referents(self.conn, [doc_id for doc_id, added in done if added])
                out.extend(done)
                pending.clear()

        for item in items:
            pending.append(item)
            if len(pending) >= max(1, batch):
                flush()
        flush()
        return out

    def _insert(self, doc: Doc) -> tuple[int, bool]:
        row = self.conn.execute("SELECT id FROM documents WHERE content_hash = ?", (content_hash(doc.text),)).fetchone()
        if row is not None:  # skip the preparation too
            return int(row[0]), False
        return self._insert_prepared(prepare_doc(doc))

    def _insert_prepared(self, p: PreparedDoc) -> tuple[int, bool]:
        c = self.conn
        row = c.execute("SELECT id FROM documents WHERE content_hash = ?", (p.content_hash,)).fetchone()
        if row is not None:
            return int(row[0]), False
        cur = c.execute(
            "INSERT INTO documents (content_hash, ext_id, title, date, source, url, text, repaired, topic,"
            " doc_json, edits, term_spans) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (p.content_hash, *p.document),
        )
        doc_id = int(cur.lastrowid or 0)
        for sql, rows in (
            ('INSERT INTO sentences (doc_id, idx, "start", "end") VALUES (?, ?, ?, ?)', p.sentences),
            (
                "INSERT OR IGNORE INTO referents (doc_id, local_id, label, name, norm_name) VALUES (?, ?, ?, ?, ?)",
                p.referents,
            ),
            (
                (
                    'INSERT INTO entities (doc_id, idx, "start", "end", label, text, norm_text, referent)'
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                p.entities,
            ),
            (
                (
                    'INSERT INTO quotes (doc_id, idx, "start", "end", kind, text, cue, speaker, speaker_norm,'
                    " speaker_referent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                p.quotes,
            ),
            ('INSERT INTO keywords (doc_id, rank, key, score, "start", "end") VALUES (?, ?, ?, ?, ?, ?)', p.keywords),
        ):
            c.executemany(sql, [(doc_id, *r) for r in rows])
        c.execute(
            "INSERT INTO document_names (rowid, entities, referents, speakers) VALUES (?, ?, ?, ?)", (doc_id, *p.names)
        )
        c.execute("INSERT INTO documents_fts (rowid, title, body) VALUES (?, ?, ?)", (doc_id, *p.fts))
        return doc_id, True

    # --------------------------------------------------------------- reading
    def get(self, doc_id: int) -> Doc:
        """The stored Doc with this id (K410 when there is none)."""
        if not 0 <= doc_id < 2**63:  # SQLite ids are 64-bit signed: a larger one cannot exist
            raise StoreError(f"no document with id {doc_id}", hint="ids come from search hits or ingest", code="K410")
        row = self.execute("SELECT doc_json FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise StoreError(f"no document with id {doc_id}", hint="ids come from search hits or ingest", code="K410")
        return Doc.from_json(unpack_doc_json(row[0]))


def _sql_fold(value: object) -> str | None:
    """``khabar_fold(x)`` inside SQL: :func:`norm_name` for text, NULL otherwise."""
    return norm_name(value) if isinstance(value, str) else None
