"""Read-only corpus queries for the web layer that :mod:`khabar.store.analytics` does not answer.

    referent_detail(store, "17")           one corpus referent: names, documents, mentions, quotations
    list_quotes(store, about="مصر")        quotations by anyone (newest documents first)
    search_query("تضخم", {"topic": ...})    the search form's fields as one query string

A referent is identified across the corpus by its corpus referent id (the stable ``id`` of
:func:`~khabar.store.analytics.top_referents`, see :mod:`khabar.store.corpus_referents`).
``doc_id:local_id`` (a referent id inside one stored Doc) and a name are accepted too and
resolved to the corpus referent they belong to.
"""

from __future__ import annotations

import re
from typing import Any, Final

from khabar.errors import StoreError
from khabar.store import Store
from khabar.store.analytics import QUOTES_FROM, check_limit, quote_filter
from khabar.store.corpus_referents import live_id, member_keys_sql, resolve_name
from khabar.store.db import norm_name
from khabar.store.search import display_title

__all__ = [
    "CONTEXT_CHARS",
    "list_quotes",
    "referent_detail",
    "referent_id",
    "referent_key",
    "search_query",
    "store_topics",
]

CONTEXT_CHARS: Final = 60
"""Characters of original text shown on each side of a mention."""

_LOCAL_ID: Final = re.compile(r"(\d+):(\d+)")
_FILTER_QUOTES: Final = str.maketrans("", "", '"\u00ab\u00bb\u201c\u201d\u201e')


def search_query(words: str, filters: dict[str, str]) -> str:
    """A query string from the search form: the words, then ``field:"value"`` for each filled filter.

    Quotation marks inside a filter value are dropped: they would end the quoted value early.
    ``date_from``/``date_to`` become one ``date:FROM..TO`` filter.
    """
    parts = [words.strip()] if words.strip() else []
    for name in ("speaker", "entity", "topic", "source"):
        value = filters.get(name, "").translate(_FILTER_QUOTES).strip()
        if value:
            parts.append(f'{name}:"{value}"')
    lo, hi = filters.get("date_from", "").strip(), filters.get("date_to", "").strip()
    if lo or hi:
        parts.append(f"date:{lo}..{hi}" if lo != hi else f"date:{lo}")
    return " ".join(parts)


def referent_id(store: Store, ident: str) -> int:
    """The corpus referent id of a referent given as its id, ``doc_id:local_id`` or a name.

    An id merged into another one gives the one it was merged into. A name is resolved by
    :func:`khabar.store.corpus_referents.resolve_name` (any of its names or spellings, a
    title before it, a unique fuller or shorter form); failing that, the most covered corpus
    referent with a name containing it.

    Raises:
        StoreError: K412 when no stored referent has that id or name (ids of 2**63 or more
            included), K423 for an empty name.
    """
    text = ident.strip()
    if text.isascii() and text.isdigit():
        found = live_id(store, int(text)) if len(text) < 20 else None
        if found is None:
            raise _no_referent(ident)
        return found
    m = _LOCAL_ID.fullmatch(text)
    if m is not None:
        doc_id, local_id = int(m.group(1)), int(m.group(2))
        row = None
        if doc_id < 2**63 and local_id < 2**63:
            row = store.execute(
                "SELECT n.corpus_id FROM referents r JOIN corpus_names n ON n.norm_name = r.norm_name"
                " WHERE r.doc_id = ? AND r.local_id = ?",
                (doc_id, local_id),
                "find a referent",
            ).fetchone()
        if row is None:
            raise _no_referent(ident)
        return int(row[0])
    key = norm_name(ident)
    if not key:
        raise StoreError(f"empty referent name {ident!r}", hint="give a name such as مصر or بايدن", code="K423")
    found = resolve_name(store, ident)
    if found is not None:
        return found
    # part of a name (الحداد for سامي الحداد): the most covered corpus referent containing it
    row = store.execute(
        "SELECT c.id FROM corpus_names n JOIN corpus_referents c ON c.id = n.corpus_id WHERE instr(n.norm_name, ?) > 0"
        " ORDER BY c.documents DESC, c.mentions DESC, c.id LIMIT 1",
        (key,),
        "find a referent",
    ).fetchone()
    if row is None:
        raise _no_referent(ident)
    return int(row[0])


def referent_key(store: Store, ident: str) -> str:
    """The folded canonical name of the corpus referent ``ident`` stands for (see :func:`referent_id`)."""
    corpus_id = referent_id(store, ident)
    row = store.execute("SELECT name FROM corpus_referents WHERE id = ?", (corpus_id,), "read a referent").fetchone()
    return norm_name(str(row[0]))


def _no_referent(ident: str) -> StoreError:
    return StoreError(
        f"no referent {ident!r} in the store",
        hint="pick one from /api/referents (names are matched folded: ى/ي, ة/ه, hamza forms)",
        code="K412",
    )


def referent_detail(store: Store, ident: str, limit: int = 500) -> dict[str, Any]:
    """One corpus referent: its names, its documents, its mentions and the quotations it said.

    Args:
        store: an open store.
        ident: its id, ``doc_id:local_id`` of one of its document referents, or a name
            (see :func:`referent_id`).
        limit: at most this many documents, mentions and quotations are listed.

    Returns:
        ``{"id", "key", "name", "label", "names", "aliases", "documents", "document_list",
        "mention_count", "quote_count", "mentions": [...], "quotes": [...]}``. ``id`` is the
        corpus referent's stable id (the one ``ident`` was merged into, if so); ``key`` its
        folded canonical name; ``aliases`` its names as written, ``{"name", "count"}`` with the
        number of document referents so named, most first (``names``: the same names alone);
        ``documents`` how many documents name it and ``document_list`` those documents,
        ``{"doc_id", "ext_id", "title", "date"}``, newest first. A mention is ``{"doc_id",
        "ext_id", "title", "index", "start", "end", "text", "label", "context": {"start",
        "end", "text"}}`` with offsets into that document's original text (``context`` a
        stretch around it); a quotation is ``{"doc_id", "ext_id", "title", "date", "index",
        "start", "end", "kind", "text", "cue", "speaker"}``: those whose speaker is linked to
        one of its referents, and those whose unlinked speaker is written as one of its names.

    Raises:
        StoreError: K412 when there is no such referent, K423 for an empty name, K421 for a bad limit.
    """
    check_limit(limit)
    corpus_id = referent_id(store, ident)
    name, label, documents = store.execute(
        "SELECT name, label, documents FROM corpus_referents WHERE id = ?", (corpus_id,), "read a referent"
    ).fetchone()
    keys = member_keys_sql()
    aliases = [
        {"name": str(alias), "count": int(count)}
        for alias, count in store.execute(
            f"SELECT name, count(*) FROM referents WHERE norm_name IN ({keys}) GROUP BY name"
            " ORDER BY count(*) DESC, name",
            (corpus_id,),
            "read a referent",
        )
    ]
    document_list = [
        {"doc_id": int(doc_id), "ext_id": ext_id, "title": display_title(title), "date": date}
        for doc_id, ext_id, title, date in store.execute(
            "SELECT d.id, d.ext_id, d.title, d.date FROM documents d"
            f" WHERE d.id IN (SELECT doc_id FROM referents WHERE norm_name IN ({keys}))"
            " ORDER BY d.date IS NULL, d.date DESC, d.id LIMIT ?",
            (corpus_id, limit),
            "list a referent's documents",
        )
    ]
    mention_sql = (
        'SELECT e.doc_id, d.ext_id, d.title, e.idx, e."start", e."end", e.label,'
        f' max(e."start" - {CONTEXT_CHARS}, 0) AS lo,'
        f' substr(d.text, max(e."start" - {CONTEXT_CHARS}, 0) + 1, e."end" + {CONTEXT_CHARS} - max(e."start" - {CONTEXT_CHARS}, 0))'
        " FROM entities e JOIN referents r ON r.doc_id = e.doc_id AND r.local_id = e.referent"
        f" JOIN documents d ON d.id = e.doc_id WHERE r.norm_name IN ({keys})"
    )
    mentions: list[dict[str, Any]] = []
    for doc_id, ext_id, title, idx, start, end, mlabel, lo, context in store.execute(
        mention_sql + " ORDER BY d.date IS NULL, d.date DESC, e.doc_id, e.idx LIMIT ?",
        (corpus_id, limit),
        "list mentions",
    ):
        context = str(context)
        rel_start, rel_end = int(start) - int(lo), int(end) - int(lo)
        mentions.append(
            {
                "doc_id": int(doc_id),
                "ext_id": ext_id,
                "title": display_title(title),
                "index": int(idx),
                "start": int(start),
                "end": int(end),
                "text": context[rel_start:rel_end],
                "label": mlabel,
                "context": {"start": int(lo), "end": int(lo) + len(context), "text": context},
            }
        )
    quote_where = (
        QUOTES_FROM
        + f" WHERE r.norm_name IN ({keys}) OR (q.speaker_referent IS NULL AND q.speaker_norm IN ({keys}))"
    )
    quote_count = int(
        store.execute("SELECT count(*)" + quote_where, (corpus_id, corpus_id), "count quotations").fetchone()[0]
    )
    quotes = _quote_rows(
        store,
        quote_where + " ORDER BY d.date IS NULL, d.date DESC, q.doc_id, q.idx LIMIT ?",
        [corpus_id, corpus_id, limit],
    )
    (mention_count,) = store.execute(
        "SELECT count(*) FROM entities e JOIN referents r ON r.doc_id = e.doc_id AND r.local_id = e.referent"
        f" WHERE r.norm_name IN ({keys})",
        (corpus_id,),
        "count mentions",
    ).fetchone()
    return {
        "id": corpus_id,
        "key": norm_name(str(name)),
        "name": str(name),
        "label": str(label),
        "names": [a["name"] for a in aliases],
        "aliases": aliases,
        "documents": int(documents),
        "document_list": document_list,
        "mention_count": int(mention_count),
        "quote_count": quote_count,
        "mentions": mentions,
        "quotes": quotes,
    }


_QUOTE_KEYS: Final = ("doc_id", "ext_id", "title", "date", "index", "start", "end", "kind", "text", "cue", "speaker")
_QUOTE_COLUMNS: Final = (
    'SELECT q.doc_id, d.ext_id, d.title, d.date, q.idx, q."start", q."end", q.kind, q.text, q.cue, q.speaker'
)


def _quote_rows(store: Store, from_where_order: str, params: list[Any]) -> list[dict[str, Any]]:
    """Quotation rows (:data:`_QUOTE_KEYS`) for a ``QUOTES_FROM ... WHERE ... ORDER ... LIMIT ?`` tail."""
    rows = store.execute(_QUOTE_COLUMNS + from_where_order, params, "list quotations")
    out = [dict(zip(_QUOTE_KEYS, row, strict=True)) for row in rows]
    for row in out:
        row["title"] = display_title(row["title"])  # &quot; from a scraped page never reaches a page
    return out


def list_quotes(
    store: Store, speaker: str | None = None, about: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Quotations, optionally by a speaker and/or about something, with their document's title.

    The filters are :func:`khabar.store.analytics.quote_filter`'s (as ``quotes_by``). By a
    speaker, oldest document first (as ``quotes_by``); otherwise newest document first.

    Raises:
        StoreError: K423 for a speaker or about without letters, K421 for a bad limit.
    """
    check_limit(limit)
    where, params = quote_filter(speaker, about, store)
    order = "d.date, q.doc_id" if speaker is not None else "d.date DESC, q.doc_id DESC"
    tail = QUOTES_FROM + where + f" ORDER BY d.date IS NULL, {order}, q.idx LIMIT ?"
    return _quote_rows(store, tail, [*params, limit])


def store_topics(store: Store) -> list[str]:
    """The topics present in the store, for the search form's filter."""
    rows = store.execute("SELECT DISTINCT topic FROM documents WHERE topic IS NOT NULL ORDER BY topic", (), "topics")
    return [str(t) for (t,) in rows]
