"""Corpus analytics over a :class:`~khabar.store.db.Store`: who is mentioned, who said what, when.

Pure read-only functions (they work on ``Store.open_readonly`` too)::

    top_referents(store, label="PERS")          the most covered people (stored corpus referents)
    quotes_by(store, "بايدن", about="مصر")       what a speaker said, optionally about something
    cooccurrence(store, "مصر")                   who appears in the same documents
    counts_over_time(store, "فرنسا", "month")    documents per day / month / year
    export_jsonl(store, sys.stdout)              every stored Doc, one JSON per line

Names are matched on the folded view (:func:`khabar.store.db.norm_name`: folded with
:func:`khabar.lang.ar.normalize.fold`, lower-cased, spaces collapsed) as substrings, so
``بايدن`` matches the referent ``جو بايدن`` and ``الأوسط`` matches ``الشرق الاوسط``.

Errors are :class:`~khabar.errors.StoreError` with codes K421-K425.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any, Final, TextIO

from khabar.dates import iso_date
from khabar.errors import StoreError
from khabar.store.corpus_referents import member_keys_sql, resolve_name
from khabar.store.db import Store, norm_name, unpack_doc_json

PERIODS: Final = {"day": 10, "month": 7, "year": 4}
_DATE: Final = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

# Documents that mention a folded name (parameters: the name twice): an entity whose
# folded surface contains it, or a referent whose folded canonical name contains it.
MENTION_DOCS: Final = (
    "SELECT doc_id FROM entities WHERE instr(norm_text, ?) > 0"
    " UNION SELECT doc_id FROM referents WHERE instr(norm_name, ?) > 0"
)


# ------------------------------------------------------------------ argument checks
def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise StoreError(f"bad limit {limit!r}", hint="give a whole number of 1 or more (--limit 20)", code="K421")
    return limit


def check_name(name: str, what: str) -> str:
    folded = norm_name(name) if isinstance(name, str) else ""
    if not folded:
        raise StoreError(
            f"empty {what} {name!r}",
            hint=f"give a {what} with at least one letter, e.g. بايدن or مصر",
            code="K423",
        )
    return folded


def _check_label(label: str | None) -> str | None:
    if label is None:
        return None
    value = label.strip().upper()
    if not value:
        raise StoreError("empty entity label", hint="use a label such as PERS, LOC or ORG, or omit it", code="K424")
    from khabar.components.ner import LABELS

    if value not in LABELS:
        raise StoreError(f"unknown entity label {label!r}", hint=f"the labels are {', '.join(LABELS)}", code="K424")
    return value


def pick_name(names: Mapping[str, int]) -> str:
    """The most frequent name; ties go to the longer (fuller) one, then the first in code-point order."""
    return min(names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]


# ------------------------------------------------------------------ referents
def top_referents(store: Store, label: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """The most covered corpus referents: the stored ``corpus_referents``
    (:mod:`khabar.store.corpus_referents`: the documents' referents joined across the corpus by
    spelling variants, بن/آل links and unique short forms).

    Args:
        store: an open store.
        label: only referents with this entity label (``PERS``, ``LOC``, ``ORG``...; case-insensitive).
        limit: at most this many rows.

    Returns:
        ``{"id", "name", "label", "mentions", "documents"}`` dicts, most documents first, then most
        mentions, then name. ``id`` is the corpus referent's stable id, ``name`` its canonical
        name (the most frequent of its names), ``label`` the most frequent label of its names,
        ``mentions`` the number of entity mentions linked to it and ``documents`` the number of
        distinct documents naming it.

    Raises:
        StoreError: K421 for a bad limit, K424 for an empty or unknown label.
    """
    check_limit(limit)
    wanted = _check_label(label)
    sql = "SELECT id, name, label, mentions, documents FROM corpus_referents"
    params: list[Any] = []
    if wanted is not None:
        sql += " WHERE label = ?"
        params.append(wanted)
    sql += " ORDER BY documents DESC, mentions DESC, name, id LIMIT ?"
    keys = ("id", "name", "label", "mentions", "documents")
    return [dict(zip(keys, row, strict=True)) for row in store.execute(sql, [*params, limit], "list referents")]


def resolve_referent(store: Store, name: str) -> int | None:
    """The id of the corpus referent ``name`` stands for (:func:`khabar.store.corpus_referents.resolve_name`:
    a stored name or spelling variant of it, a title before it, or a unique fuller or shorter form), or None."""
    return resolve_name(store, name)


# ------------------------------------------------------------------ quotations
# Quotations with their document and the referent their speaker was resolved to (if any).
QUOTES_FROM: Final = (
    " FROM quotes q JOIN documents d ON d.id = q.doc_id"
    " LEFT JOIN referents r ON r.doc_id = q.doc_id AND r.local_id = q.speaker_referent"
)


def quote_filter(
    speaker: str | None, about: str | None, store: Store | None = None
) -> tuple[str, list[Any]]:
    """The WHERE clause (``""`` for none) and its parameters over :data:`QUOTES_FROM`.

    ``speaker``: with ``store``, when the name resolves to a corpus referent
    (:func:`resolve_referent`), the quotes whose speaker's referent belongs to it, and those
    whose speaker, linked to no referent, contains the name as written; otherwise (or without
    ``store``) a folded substring of the speaker as written or of its referent's canonical
    name. ``about``: the document mentions it (entity or referent name) or the quotation's
    content contains it.

    Raises:
        StoreError: K423 for a speaker or about without letters.
    """
    conditions: list[str] = []
    params: list[Any] = []
    if speaker is not None:
        who = check_name(speaker, "speaker")
        corpus_id = resolve_name(store, speaker) if store is not None else None
        if corpus_id is None:
            conditions.append(
                "(instr(coalesce(q.speaker_norm, ''), ?) > 0 OR instr(coalesce(r.norm_name, ''), ?) > 0)"
            )
            params += [who, who]
        else:
            # the speaker's referent belongs to that corpus referent; a speaker linked to no
            # referent (الوزارة, a nominal speaker) is still matched by text
            conditions.append(
                f"(r.norm_name IN ({member_keys_sql()})"
                " OR (r.norm_name IS NULL AND instr(coalesce(q.speaker_norm, ''), ?) > 0))"
            )
            params += [corpus_id, who]
    if about is not None:
        what = check_name(about, "about")
        conditions.append(f"(q.doc_id IN ({MENTION_DOCS}) OR instr(khabar_fold(q.text), ?) > 0)")
        params += [what, what, what]
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), params


def quotes_by(store: Store, speaker: str, about: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Quotations by a speaker, optionally only those about something.

    When ``speaker`` names a corpus referent (:func:`resolve_referent`), a quote matches when
    its speaker's referent belongs to it (so ``سلمان بن عبد العزيز`` finds quotes attributed to
    ``الملك سلمان بن عبدالعزيز``, and ``بايدن`` quotes attributed to ``الرئيس`` when that
    mention was resolved to ``جو بايدن``), or when its speaker has no referent and contains
    ``speaker`` as written (``الوزارة``). Otherwise a quote matches when ``speaker`` (folded)
    is a substring of its speaker as written or of its referent's name. With ``about``, only quotes
    whose document mentions ``about`` (an entity or referent name containing it) or whose
    content contains it are kept.

    Returns:
        ``{"doc_id", "ext_id", "date", "kind", "speaker", "cue", "text"}`` dicts, oldest
        document first; ``text`` is the quotation's span of the ORIGINAL document text (stored at ingest).

    Raises:
        StoreError: K423 for an empty speaker or about, K421 for a bad limit.
    """
    check_limit(limit)
    where, params = quote_filter(speaker, about, store)
    sql = (
        "SELECT q.doc_id, d.ext_id, d.date, q.kind, q.speaker, q.cue, q.text"
        + QUOTES_FROM
        + where
        + " ORDER BY d.date IS NULL, d.date, q.doc_id, q.idx LIMIT ?"
    )
    keys = ("doc_id", "ext_id", "date", "kind", "speaker", "cue", "text")
    return [dict(zip(keys, row, strict=True)) for row in store.execute(sql, [*params, limit], "list quotations")]


# ------------------------------------------------------------------ co-occurrence
def cooccurrence(store: Store, name: str, limit: int = 20) -> list[dict[str, Any]]:
    """Corpus referents that appear in the same documents as ``name``.

    When ``name`` resolves to a corpus referent (:func:`resolve_referent`), the documents are
    that referent's and it is left out; otherwise they are those mentioning ``name`` (folded
    substring of an entity or referent name) and referents with a name containing it are left out.

    Returns:
        ``{"id", "name", "label", "documents"}`` dicts, one per corpus referent (``documents``: how
        many of the shared documents name it), most documents first, then name.

    Raises:
        StoreError: K423 for an empty name, K421 for a bad limit.
    """
    check_limit(limit)
    key = check_name(name, "name")
    corpus_id = resolve_name(store, name)
    if corpus_id is not None:
        docs = f"SELECT doc_id FROM referents WHERE norm_name IN ({member_keys_sql()})"
        leave_out = "c.id != ?"
        params: list[Any] = [corpus_id, corpus_id]
    else:
        docs = MENTION_DOCS
        leave_out = "c.id NOT IN (SELECT corpus_id FROM corpus_names WHERE instr(norm_name, ?) > 0)"
        params = [key, key, key]
    sql = (
        "SELECT c.id, c.name, c.label, count(DISTINCT r.doc_id) AS shared FROM referents r"
        " JOIN corpus_names n ON n.norm_name = r.norm_name JOIN corpus_referents c ON c.id = n.corpus_id"
        f" WHERE r.doc_id IN ({docs}) AND {leave_out}"
        " GROUP BY c.id ORDER BY shared DESC, c.name, c.id LIMIT ?"
    )
    keys = ("id", "name", "label", "documents")
    return [dict(zip(keys, row, strict=True)) for row in store.execute(sql, [*params, limit], "list co-occurring referents")]


# ------------------------------------------------------------------ time series
def counts_over_time(store: Store, name: str | None = None, period: str = "month") -> list[tuple[str, int]]:
    """Documents per ``day`` (``2024-03-01``), ``month`` (``2024-03``) or ``year`` (``2024``).

    Only documents whose date starts with an ISO date precise enough for the period count;
    with ``name``, only documents mentioning it (folded substring of an entity or referent).

    Returns:
        ``(period, count)`` pairs in time order, periods without documents left out.

    Raises:
        StoreError: K422 for an unknown period, K423 for an empty name.
    """
    width = PERIODS.get(period) if isinstance(period, str) else None
    if width is None:
        raise StoreError(f"unknown period {period!r}", hint="use one of: " + ", ".join(PERIODS), code="K422")
    sql = "SELECT date FROM documents WHERE date IS NOT NULL"
    params: list[Any] = []
    if name is not None:
        key = check_name(name, "name")
        sql += f" AND id IN ({MENTION_DOCS})"
        params += [key, key]
    counts: Counter[str] = Counter()
    for (date,) in store.execute(sql, params, "count documents over time"):
        m = _DATE.match(str(date).strip())
        if m is None:
            # stores written before dates were made ISO at ingest hold them as given (٢٠١٥-٠٧-٢٢)
            iso = iso_date(date)
            m = _DATE.match(iso) if iso else None
        if m is None or len(m.group()) < width:
            continue
        counts[m.group()[:width]] += 1
    return sorted(counts.items())


# ------------------------------------------------------------------ export
def export_jsonl(store: Store, out: TextIO) -> int:
    """Write every stored Doc as one JSON line (the stored ``doc_json``), in id order; return the count.

    Each line parses back with :meth:`khabar.doc.Doc.from_json`.

    Raises:
        StoreError: K425 when ``out`` cannot be written.
    """
    count = 0
    cursor = store.execute("SELECT doc_json FROM documents ORDER BY id", (), "export documents")
    for (doc_json,) in cursor:
        line = unpack_doc_json(doc_json)
        if "\n" in line or "\r" in line:  # stored pretty-printed: make it one line
            line = json.dumps(json.loads(line), ensure_ascii=False)
        try:
            out.write(line + "\n")
        except OSError as exc:
            raise StoreError(
                f"cannot write the export: {exc}", hint="check the output path and free space", code="K425"
            ) from exc
        count += 1
    return count


__all__ = [
    "MENTION_DOCS",
    "PERIODS",
    "QUOTES_FROM",
    "check_limit",
    "check_name",
    "cooccurrence",
    "counts_over_time",
    "export_jsonl",
    "pick_name",
    "quote_filter",
    "quotes_by",
    "resolve_referent",
    "top_referents",
]
