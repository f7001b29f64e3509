"""Search the corpus store: BM25-ranked full text with filters and original-text snippets.

Query syntax (terms are matched on the folded, de-cliticised view)::

    المحادثات جنيف            both words (AND)
    "كوريا الشمالية"           a phrase (also «...» or “...”)
    جنيف OR فيينا              either word (AND may be written too: it is the default)
    -الاقتصاد                  exclude documents with the word
    speaker:الوزير  entity:"كوريا الشمالية"  topic:sport  source:رويترز
    date:2024-01-01..2024-03-31  date:2024-03  date:..2024-05  date:2024..

Filters may be negated (``-topic:sport``). A query of filters only lists the
matching documents newest first.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from khabar.doc import Doc, Edit
from khabar.errors import StoreError
from khabar.store.db import IndexTerm, Store, index_terms, norm_name, term_span_array, text_terms

FIELDS: Final = ("speaker", "entity", "topic", "source", "date")
_QUOTES: Final = str.maketrans({"\u00ab": '"', "\u00bb": '"', "\u201c": '"', "\u201d": '"', "\u201e": '"'})
_PART: Final = re.compile(
    r"""(?P<neg>-)?(?:
        (?P<field>[A-Za-z_]+):(?:"(?P<fq>[^"]*)"|(?P<fv>[^\s"]*))
      | "(?P<phrase>[^"]*)"
      | (?P<word>[^\s"]+)
    )""",
    re.VERBOSE,
)
_DATE: Final = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
DEFAULT_TIME_LIMIT: Final = 5.0
MAX_QUERY_CHARS: Final = 1000
"""The longest query accepted (K408): a real query is a few words; 10 kB of text is a mistake."""
_OPERATORS: Final = frozenset({"OR", "AND", "-"})


@dataclass(frozen=True, slots=True)
class Filter:
    """One ``field:value`` filter (``negated`` for ``-field:value``)."""

    field: str
    value: str
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: AND of groups, each an OR of phrases (tuples of keys); exclusions; filters."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    filters: tuple[Filter, ...] = ()

    def fts(self) -> str:
        """The FTS5 MATCH expression for the positive terms ("" when there are none)."""
        return " AND ".join("(" + " OR ".join(_phrase(p) for p in group) + ")" for group in self.groups)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result.

    ``snippet`` is a stretch of the ORIGINAL text, ``snippet_span`` its offsets,
    with the first match (``match``, original offsets, or None) wrapped in the marks.
    ``score`` is the BM25 relevance (higher is better; 0 for filter-only queries).
    """

    id: int
    ext_id: str | None
    title: str | None
    date: str | None
    source: str | None
    url: str | None
    topic: str | None
    score: float
    snippet: str
    snippet_span: tuple[int, int]
    match: tuple[int, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-native dict (for ``--format json``)."""
        out = asdict(self)
        out["snippet_span"] = list(self.snippet_span)
        out["match"] = list(self.match) if self.match else None
        out.pop("extra")
        return out


def _phrase(keys: tuple[str, ...]) -> str:
    return '"' + " ".join(k.replace('"', '""') for k in keys) + '"'


def _bad(message: str, hint: str, code: str = "K404") -> StoreError:
    return StoreError(message, hint=hint, code=code)


def _keys(text: str) -> tuple[str, ...]:
    return tuple(k for k, _s, _e in text_terms(text))


def parse_query(query: str) -> Query:
    """Parse a query string (see the module docstring).

    Raises:
        StoreError: K404 for bad syntax (unbalanced quote, a bare ``OR``/``AND``/``-``),
            K405 for a bad filter, K406 for nothing to search, K408 over :data:`MAX_QUERY_CHARS`.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise _bad(
            f"the query is {len(query):,} characters long, over the {MAX_QUERY_CHARS:,} accepted",
            "search for a few words or a phrase, not a whole text",
            "K408",
        )
    q = query.translate(_QUOTES)
    if q.count('"') % 2:
        raise _bad("unbalanced quote in the query", 'close the phrase: "كوريا الشمالية"')
    groups: list[list[tuple[str, ...]]] = []
    excluded: list[tuple[str, ...]] = []
    filters: list[Filter] = []
    pending_or = pending_and = False
    for m in _PART.finditer(q):
        neg = bool(m.group("neg"))
        name = m.group("field")
        if name is not None:
            name = name.lower()
            value = (m.group("fq") if m.group("fq") is not None else m.group("fv")).strip()
            if name not in FIELDS:
                raise _bad(
                    f"unknown filter {name}:",
                    f"filters are {', '.join(f + ':' for f in FIELDS)}; put a word with a colon in quotes",
                    "K405",
                )
            if not value:
                raise _bad(f"empty value for {name}:", f'give a value, e.g. {name}:"..."', "K405")
            if name == "date":
                _date_range(value)  # validate now
            filters.append(Filter(name, value, neg))
            continue
        raw = m.group("phrase") if m.group("phrase") is not None else m.group("word")
        if raw in _OPERATORS and m.group("word") is not None:
            if raw == "-":
                raise _bad("a lone '-' excludes nothing", "write it against the word: جنيف -فيينا")
            if neg:
                raise _bad(f"-{raw} excludes an operator", f'to exclude the word, quote it: -"{raw}"')
            if not groups or pending_or or pending_and:
                raise _bad(f"{raw} must stand between two terms", f"write: جنيف {raw} فيينا")
            if raw == "OR":
                pending_or = True
            else:
                pending_and = True  # AND is what juxtaposition means already
            continue
        pending_and = False
        keys = _keys(raw)
        if not keys:
            if pending_or:
                raise _bad("OR must stand between two terms", "write: جنيف OR فيينا")
            continue  # punctuation or a lone clitic: nothing to match
        if neg:
            if pending_or:
                raise _bad("OR cannot join an excluded term", "write exclusions apart: جنيف -فيينا")
            excluded.append(keys)
        elif pending_or:
            groups[-1].append(keys)
            pending_or = False
        else:
            groups.append([keys])
    if pending_or or pending_and:
        operator = "OR" if pending_or else "AND"
        raise _bad(f"{operator} must stand between two terms", f"write: جنيف {operator} فيينا")
    if not groups and not excluded and not filters:
        raise _bad("the query has nothing to search for", "give words, a phrase in quotes, or a filter", "K406")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded), tuple(filters))


def _date_range(value: str) -> tuple[str | None, str | None]:
    """``FROM..TO`` (either side optional) or one date/prefix; K405 when malformed."""
    lo, sep, hi = value.partition("..")
    if not sep:
        hi = lo
    for part in (lo, hi):
        if part and not _DATE.fullmatch(part):
            raise _bad(
                f"bad date {part!r} in date:{value}",
                "use YYYY, YYYY-MM or YYYY-MM-DD, and FROM..TO for a range",
                "K405",
            )
    if not lo and not hi:
        raise _bad("date: needs at least one date", "e.g. date:2024-01..2024-03", "K405")
    return lo or None, hi or None


def _names_match(column_values: list[tuple[str, str]]) -> str:
    """A trigram MATCH over ``document_names``: any of the (column, substring) pairs."""
    return " OR ".join(f'{column} : "{value.replace(chr(34), chr(34) * 2)}"' for column, value in column_values)


def _filter_sql(f: Filter, store: Store) -> tuple[str, list[Any]]:
    """The SQL condition on documents ``d`` for one filter.

    Name filters look up the trigram index ``document_names`` once (a set of ids) rather than
    reading the entity rows of every candidate; values under 3 letters cannot be trigrams and
    fall back to that scan.
    """
    v = norm_name(f.value)
    squashed = v.replace(" ", "")
    if f.field == "speaker" and len(v) >= 3:
        sql = "d.id IN (SELECT rowid FROM document_names WHERE document_names MATCH ?)"
        params: list[Any] = [_names_match([("speakers", v)])]
    elif f.field == "speaker":
        sql = (
            "EXISTS (SELECT 1 FROM quotes q LEFT JOIN referents r"
            " ON r.doc_id = q.doc_id AND r.local_id = q.speaker_referent"
            " WHERE q.doc_id = d.id AND (instr(q.speaker_norm, ?) > 0 OR instr(r.norm_name, ?) > 0))"
        )
        params = [v, v]
    elif f.field == "entity" and len(squashed) >= 3:
        sql = "d.id IN (SELECT rowid FROM document_names WHERE document_names MATCH ?)"
        params = [_names_match([("entities", squashed), ("referents", v)])]
    elif f.field == "entity":
        sql = (
            "EXISTS (SELECT 1 FROM entities e LEFT JOIN referents r"
            " ON r.doc_id = e.doc_id AND r.local_id = e.referent"
            " WHERE e.doc_id = d.id AND (instr(replace(e.norm_text, ' ', ''), ?) > 0 OR instr(r.norm_name, ?) > 0))"
        )
        params = [squashed, v]
    elif f.field == "topic":
        # through the NOCASE index: reading d.topic itself means reading past the article text
        sql, params = "d.id IN (SELECT id FROM documents WHERE topic = ? COLLATE NOCASE)", [f.value]
    elif f.field == "source":
        # fold the few distinct sources once, not the source of every candidate; the unary +
        # keeps SQLite from walking the source index and probing FTS5 once per article
        sources = [
            src for (src,) in store.execute("SELECT DISTINCT source FROM documents") if src and v in norm_name(src)
        ]
        sql, params = f"+d.source IN ({', '.join('?' * len(sources))})", list(sources)
    else:
        lo, hi = _date_range(f.value)
        conds: list[str] = []
        params = []
        if lo:
            conds.append("substr(d.date, 1, ?) >= ?")
            params += [len(lo), lo]
        if hi:
            conds.append("substr(d.date, 1, ?) <= ?")
            params += [len(hi), hi]
        sql = "(d.date IS NOT NULL AND " + " AND ".join(conds) + ")"
    return (f"NOT coalesce({sql}, 0)" if f.negated else sql), params


def search(
    store: Store,
    query: str,
    limit: int = 20,
    *,
    width: int = 80,
    marks: tuple[str, str] = ("[", "]"),
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> list[Hit]:
    """Search the store.

    Args:
        store: an open :class:`Store` (read-only is enough).
        query: the query (see the module docstring).
        limit: the most hits to return.
        width: characters of context on each side of the match in the snippet.
        marks: the strings put around the match in the snippet.
        time_limit: seconds before the query is interrupted (K407); None for no limit.

    Returns:
        Hits, best first (BM25); newest first for a filter-only query.

    Raises:
        StoreError: K404/K405/K406 for a bad query, K407 past the time limit.
    """
    if limit <= 0:
        raise _bad(f"limit must be positive, got {limit}", "use --limit 1 or more", "K405")
    parsed = parse_query(query)
    where: list[str] = []
    params: list[Any] = []
    match = parsed.fts()
    if match and parsed.excluded:
        # inside the MATCH, FTS5 subtracts the posting lists; a NOT IN would list every excluded id
        match = f"({match}) NOT (" + " OR ".join(_phrase(keys) for keys in parsed.excluded) + ")"
    else:
        for keys in parsed.excluded:
            where.append("d.id NOT IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            params.append(_phrase(keys))
    for f in parsed.filters:
        sql, p = _filter_sql(f, store)
        where.append(sql)
        params += p
    cols = "d.id, d.ext_id, d.title, d.date, d.source, d.url, d.topic, d.text, d.edits, d.term_spans"
    if match:
        # Rank ids first and fetch the texts of the returned hits only: fetching them in the
        # ranking query would read every matching article before the LIMIT applies.
        join = " JOIN documents d ON d.id = documents_fts.rowid" if where else ""
        sql = (
            f"SELECT {cols}, f.body, hits.rank FROM ("
            " SELECT documents_fts.rowid AS id, bm25(documents_fts, 2.0, 1.0) AS rank"
            f" FROM documents_fts{join} WHERE documents_fts MATCH ?"
            + "".join(f" AND {w}" for w in where)
            + " ORDER BY rank, documents_fts.rowid LIMIT ?) AS hits"
            " JOIN documents d ON d.id = hits.id JOIN documents_fts f ON f.rowid = hits.id"
            " ORDER BY hits.rank, hits.id"
        )
        args = [match, *params, limit]
    else:
        sql = (
            f"SELECT {cols}, NULL, 0.0 AS rank FROM documents d"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY d.date IS NULL, d.date DESC, d.id DESC LIMIT ?"
        )
        args = [*params, limit]
    with store.time_limit(time_limit):
        rows = store.execute(sql, args, action="search").fetchall()
    wanted = [p for group in parsed.groups for p in group]
    return [_hit(row, wanted, width, marks) for row in rows]


def _hit(row: tuple[Any, ...], wanted: list[tuple[str, ...]], width: int, marks: tuple[str, str]) -> Hit:
    doc_id, ext_id, title, date, source, url, topic, text, edits_json, spans_blob, body, rank = row
    found = _match_span(text, edits_json, spans_blob, body, wanted) if wanted else None
    snippet, span = make_snippet(text, found, width, marks)
    return Hit(
        int(doc_id), ext_id, title, date, source, url, topic, -float(rank) if rank else 0.0, snippet, span, found
    )


def _match_span(
    text: str, edits_json: str | None, spans_blob: bytes | None, body: str | None, wanted: list[tuple[str, ...]]
) -> tuple[int, int] | None:
    """Original offsets of the first wanted phrase: from the stored term spans, else by re-analysis."""
    if spans_blob is not None and body is not None:
        keys = body.split(" ") if body else []
        flat = term_span_array(spans_blob)
        if 2 * len(keys) == len(flat):
            at = first_match_index(keys, wanted)
            if at is None:
                return None
            i, n = at
            # spans are stored as start deltas and lengths: sum the deltas up to the match only
            start = sum(flat[0 : 2 * i + 1 : 2])
            last = start + sum(flat[2 * i + 2 : 2 * (i + n - 1) + 1 : 2])
            return start, last + flat[2 * (i + n - 1) + 1]
    # rows written before schema 2 carry no term spans: rebuild the matching view (slow)
    doc = Doc(text)
    edits = json.loads(edits_json) if edits_json else []
    doc.set_edits(Edit(int(e["start"]), int(e["end"]), str(e["replacement"]), str(e["rule"])) for e in edits)
    return first_match(index_terms(doc), wanted)


def first_match_index(keys: list[str], wanted: list[tuple[str, ...]]) -> tuple[int, int] | None:
    """``(index, length)`` of the earliest occurrence of any wanted phrase in ``keys``, or None.

    Scans with ``list.index`` (C speed): a snippet must not cost a Python loop over the article.
    """
    best: tuple[int, int] | None = None
    for phrase in wanted:
        n, first, i = len(phrase), phrase[0], -1
        stop = best[0] if best else len(keys)
        while True:
            try:
                i = keys.index(first, i + 1, stop)
            except ValueError:
                break
            if tuple(keys[i : i + n]) == phrase:
                best = (i, n)
                break
    return best


def first_match(terms: list[IndexTerm], wanted: list[tuple[str, ...]]) -> tuple[int, int] | None:
    """Original offsets of the earliest occurrence of any wanted phrase among ``terms``."""
    at = first_match_index([t.key for t in terms], wanted)
    if at is None:
        return None
    i, n = at
    return terms[i].start, terms[i + n - 1].end


def make_snippet(
    text: str, found: tuple[int, int] | None, width: int, marks: tuple[str, str]
) -> tuple[str, tuple[int, int]]:
    """A stretch of ``text`` around ``found`` (or its start), cut at spaces, with the match marked.

    Returns the snippet (``…`` where text was cut) and its ``(start, end)`` in ``text``.
    """
    m_start, m_end = found if found else (0, 0)
    lo = max(0, m_start - width)
    hi = min(len(text), max(m_end, lo) + width)
    if lo > 0:
        space = text.find(" ", lo, m_start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", m_end, hi)
        hi = space if space != -1 else hi
    body = text[lo:m_start] + marks[0] + text[m_start:m_end] + marks[1] + text[m_end:hi] if found else text[lo:hi]
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else ""), (lo, hi)
