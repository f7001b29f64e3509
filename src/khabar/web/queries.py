"""Read-only corpus queries for the web layer that :mod:`khabar.store.analytics` does not answer.

    referent_detail(store, "جو بايدن")     every mention and quotation of one referent
    list_quotes(store, about="مصر")        quotations by anyone (newest documents first)
    search_query("تضخم", {"topic": ...})    the search form's fields as one query string

A referent is identified across the corpus by its *key*: the folded canonical name
(:func:`khabar.store.db.norm_name`), the same key :func:`~khabar.store.analytics.top_referents`
merges on. ``doc_id:local_id`` (a referent id inside one stored Doc) is accepted too and
resolved to that referent's key.
"""

from __future__ import annotations

import re
from typing import Any, Final

from khabar.errors import StoreError
from khabar.store import Store
from khabar.store.analytics import QUOTES_FROM, check_limit, pick_name, quote_filter
from khabar.store.db import norm_name
from khabar.store.search import display_title

__all__ = [
    "CONTEXT_CHARS",
    "list_quotes",
    "referent_detail",
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


def referent_key(store: Store, ident: str) -> str:
    """The corpus key of a referent given as ``doc_id:local_id`` or as a name (folded).

    A name that is no referent's whole name picks the most covered referent containing it.

    Raises:
        StoreError: K412 when no stored referent has that id or name, K423 for an empty name.
    """
    m = _LOCAL_ID.fullmatch(ident.strip())
    if m is not None:
        row = store.execute(
            "SELECT norm_name FROM referents WHERE doc_id = ? AND local_id = ?",
            (int(m.group(1)), int(m.group(2))),
            "find a referent",
        ).fetchone()
        if row is None or not row[0]:
            raise _no_referent(ident)
        return str(row[0])
    key = norm_name(ident)
    if not key:
        raise StoreError(f"empty referent name {ident!r}", hint="give a name such as مصر or بايدن", code="K423")
    row = store.execute("SELECT 1 FROM referents WHERE norm_name = ? LIMIT 1", (key,), "find a referent").fetchone()
    if row is not None:
        return key
    # part of a name (الحداد for سامي الحداد): the most covered referent containing it
    row = store.execute(
        "SELECT norm_name FROM referents WHERE instr(norm_name, ?) > 0 GROUP BY norm_name"
        " ORDER BY count(DISTINCT doc_id) DESC, count(*) DESC, length(norm_name), norm_name LIMIT 1",
        (key,),
        "find a referent",
    ).fetchone()
    if row is None:
        raise _no_referent(ident)
    return str(row[0])


def _no_referent(ident: str) -> StoreError:
    return StoreError(
        f"no referent {ident!r} in the store",
        hint="pick one from /api/referents (names are matched folded: ى/ي, ة/ه, hamza forms)",
        code="K412",
    )


def referent_detail(store: Store, ident: str, limit: int = 500) -> dict[str, Any]:
    """One referent across the corpus: its names, its mentions and the quotations it said.

    Args:
        store: an open store.
        ident: ``doc_id:local_id``, a key, or a name (folded; see :func:`referent_key`).
        limit: at most this many mentions and this many quotations are listed.

    Returns:
        ``{"key", "name", "label", "names", "documents", "mention_count", "quote_count",
        "mentions": [...], "quotes": [...]}``. A mention is ``{"doc_id", "ext_id", "title",
        "index", "start", "end", "text", "label", "context": {"start", "end", "text"}}`` with
        offsets into that document's original text (``context`` a stretch around it); a
        quotation is ``{"doc_id", "ext_id", "title", "date", "index", "start", "end", "kind",
        "text", "cue", "speaker"}``: those linked to the referent, and those whose unlinked
        speaker is written with the same folded name.

    Raises:
        StoreError: K412 when there is no such referent, K421 for a bad limit.
    """
    check_limit(limit)
    key = referent_key(store, ident)
    names: dict[str, int] = {}
    labels: dict[str, int] = {}
    for name, label, count in store.execute(
        "SELECT name, label, count(*) FROM referents WHERE norm_name = ? GROUP BY name, label",
        (key,),
        "read a referent",
    ):
        names[str(name)] = names.get(str(name), 0) + int(count)
        labels[str(label)] = labels.get(str(label), 0) + int(count)
    mention_sql = (
        'SELECT e.doc_id, d.ext_id, d.title, e.idx, e."start", e."end", e.label,'
        f' max(e."start" - {CONTEXT_CHARS}, 0) AS lo,'
        f' substr(d.text, max(e."start" - {CONTEXT_CHARS}, 0) + 1, e."end" + {CONTEXT_CHARS} - max(e."start" - {CONTEXT_CHARS}, 0))'
        " FROM entities e JOIN referents r ON r.doc_id = e.doc_id AND r.local_id = e.referent"
        " JOIN documents d ON d.id = e.doc_id WHERE r.norm_name = ?"
    )
    mentions: list[dict[str, Any]] = []
    for doc_id, ext_id, title, idx, start, end, label, lo, context in store.execute(
        mention_sql + " ORDER BY d.date IS NULL, d.date DESC, e.doc_id, e.idx LIMIT ?", (key, limit), "list mentions"
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
                "label": label,
                "context": {"start": int(lo), "end": int(lo) + len(context), "text": context},
            }
        )
    quote_where = QUOTES_FROM + " WHERE r.norm_name = ? OR (q.speaker_referent IS NULL AND q.speaker_norm = ?)"
    quote_count = int(store.execute("SELECT count(*)" + quote_where, (key, key), "count quotations").fetchone()[0])
    quotes = _quote_rows(
        store, quote_where + " ORDER BY d.date IS NULL, d.date DESC, q.doc_id, q.idx LIMIT ?", [key, key, limit]
    )
    mention_count, documents = store.execute(
        "SELECT count(*), count(DISTINCT e.doc_id) FROM entities e"
        " JOIN referents r ON r.doc_id = e.doc_id AND r.local_id = e.referent WHERE r.norm_name = ?",
        (key,),
        "count mentions",
    ).fetchone()
    return {
        "key": key,
        "name": pick_name(names) if names else "",
        "label": pick_name(labels) if labels else "",
        "names": sorted(names, key=lambda n: (-names[n], n)),
        "documents": int(documents),
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
    where, params = quote_filter(speaker, about)
    order = "d.date, q.doc_id" if speaker is not None else "d.date DESC, q.doc_id DESC"
    tail = QUOTES_FROM + where + f" ORDER BY d.date IS NULL, {order}, q.idx LIMIT ?"
    return _quote_rows(store, tail, [*params, limit])


def store_topics(store: Store) -> list[str]:
    """The topics present in the store, for the search form's filter."""
    rows = store.execute("SELECT DISTINCT topic FROM documents WHERE topic IS NOT NULL ORDER BY topic", (), "topics")
    return [str(t) for (t,) in rows]
