"""Search the corpus store: BM25-ranked full text with filters and original-text snippets.

Query syntax (terms are matched on the folded, de-cliticised view)::

    المحادثات جنيف            both words (AND)
    "كوريا الشمالية"           a phrase (also «...» or “...”)
    جنيف OR فيينا              either word (AND may be written too: it is the default)
    -الاقتصاد                  exclude documents with the word
    speaker:الوزير  entity:"كوريا الشمالية"  topic:sport  source:رويترز
    date:2024-01-01..2024-03-31  date:2024-03  date:..2024-05  date:2024..

Filters may be negated (``-topic:sport``). A query of filters only lists the
matching documents newest first. Topics may be named in Arabic (``topic:رياضة``).

A query is matched as people type it: the words are cut, de-cliticised and folded like
the text, and a word the index does not know is repaired first (a glued
``الولاياتالمتحدة`` is searched as ``الولايات المتحدة``). Documents holding every term
come first (BM25); when they are fewer than asked for, the list continues with documents
holding only some of the terms, ranked by BM25 times the share of the terms they hold
(``Hit.all_terms`` is False for those, ``SearchResult.any_terms`` True). An empty result
carries one line saying why (``SearchResult.reason``) and, for names, the nearest names
of the store (``SearchResult.suggestions``).
"""

from __future__ import annotations

import difflib
import html
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from khabar.doc import Doc, Edit
from khabar.errors import StoreError
from khabar.lang.ar.stopwords import is_stop_word
from khabar.store.corpus_referents import member_keys_sql, resolve_name
from khabar.store.db import IndexTerm, Store, index_terms, norm_name, term_span_array, text_terms

TOPIC_ARABIC: Final[dict[str, str]] = {
    "culture": "ثقافة",
    "economy": "اقتصاد",
    "internationalNews": "أخبار دولية",
    "middleEast": "الشرق الأوسط",
    "sport": "رياضة",
    "technology": "تقنية",
}
"""The Arabic name shown for each classifier topic (as the web pages show them)."""
TOPIC_NAMES: Final[dict[str, str]] = {
    "رياضة": "sport",
    "الرياضة": "sport",
    "رياضه": "sport",
    "اقتصاد": "economy",
    "الاقتصاد": "economy",
    "ثقافة": "culture",
    "الثقافة": "culture",
    "ثقافه": "culture",
    "تكنولوجيا": "technology",
    "التكنولوجيا": "technology",
    "تقنية": "technology",
    "التقنية": "technology",
    "علوم وتكنولوجيا": "technology",
    "دولي": "internationalNews",
    "دولية": "internationalNews",
    "أخبار دولية": "internationalNews",
    "عالمي": "internationalNews",
    "العالم": "internationalNews",
    "الشرق الأوسط": "middleEast",
    "شرق أوسط": "middleEast",
    "الشرق الاوسط": "middleEast",
}
"""Arabic names of the classifier's topics (folded when looked up), for ``topic:رياضة``."""
_TOPIC_KEYS: Final = {norm_name(k): v for k, v in TOPIC_NAMES.items()}
_SUGGEST_MIN_RATIO: Final = 0.7
_CANDIDATES: Final = 200

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
    matches: tuple[tuple[int, int], ...] = ()
    all_terms: bool = True

    def to_dict(self) -> dict[str, Any]:
        """A JSON-native dict (for ``--format json``)."""
        out = asdict(self)
        out["snippet_span"] = list(self.snippet_span)
        out["match"] = list(self.match) if self.match else None
        out["matches"] = [list(m) for m in self.matches]
        out.pop("extra")
        return out


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of hits with the total and, when empty, why.

    ``total`` counts the documents holding every term, or, when the list went on with
    documents holding some of them (``any_terms``), every document holding any of its
    content words (stop words such as في are counted in the ranking, not in the candidates).
    """

    hits: list[Hit]
    total: int
    offset: int
    limit: int
    any_terms: bool = False
    reason: str | None = None
    suggestions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-native dict."""
        return {
            "hits": [h.to_dict() for h in self.hits],
            "total": self.total,
            "offset": self.offset,
            "limit": self.limit,
            "any_terms": self.any_terms,
            "reason": self.reason,
            "suggestions": list(self.suggestions),
        }


def _phrase(keys: tuple[str, ...]) -> str:
    return '"' + " ".join(k.replace('"', '""') for k in keys) + '"'


def _bad(message: str, hint: str, code: str = "K404") -> StoreError:
    return StoreError(message, hint=hint, code=code)


def _keys(text: str) -> tuple[str, ...]:
    return tuple(k for k, _s, _e in text_terms(text))


def parse_query(query: str, rewrite: Callable[[str], str] | None = None) -> Query:
    """Parse a query string (see the module docstring).

    ``rewrite`` maps each typed word (not phrases, not filters) to the text matched for it:
    search passes one that repairs words the index does not know.

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
    pending_or = pending_and = lone_dash = False
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
                lone_dash = True  # a dash between words, as in a pasted headline: punctuation
                continue
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
        keys = _keys(rewrite(raw) if rewrite is not None and m.group("word") is not None else raw)
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
    if not groups and not excluded and not filters and lone_dash:
        raise _bad("a lone '-' excludes nothing", "write it against the word: جنيف -فيينا")
    if not groups and not excluded and not filters:
        raise _bad("the query has nothing to search for", "give words, a phrase in quotes, or a filter", "K406")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded), tuple(filters))


def _date_range(value: str) -> tuple[str | None, str | None]:
    """``FROM..TO`` (either side optional) or one date/prefix; K405 when malformed."""
    lo, sep, hi = value.partition("..")
    if not sep:
        hi = lo
    for part in (lo, hi):
        if part and not (_DATE.fullmatch(part) and _real_date(part)):
            raise _bad(
                f"bad date {part!r} in date:{value}",
                "use YYYY, YYYY-MM or YYYY-MM-DD (a real month and day), and FROM..TO for a range",
                "K405",
            )
    if not lo and not hi:
        raise _bad("date: needs at least one date", "e.g. date:2024-01..2024-03", "K405")
    common = min(len(lo), len(hi))
    if lo and hi and lo[:common] > hi[:common]:  # a reversed range matches nothing: say so
        raise _bad(f"date:{value} ends before it starts", f"write it earliest first: date:{hi}..{lo}", "K405")
    return lo or None, hi or None


def _real_date(part: str) -> bool:
    """True when ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` names a real year, month, day (2024-13 does not)."""
    import datetime

    fields = [int(x) for x in part.split("-")]
    try:
        datetime.date(fields[0], *(fields[1:] + [1, 1])[:2])
    except ValueError:
        return False
    return True


def _names_match(column_values: list[tuple[str, str]]) -> str:
    """A trigram MATCH over ``document_names``: any of the (column, substring) pairs."""
    return " OR ".join(f'{column} : "{value.replace(chr(34), chr(34) * 2)}"' for column, value in column_values)


# the documents naming the corpus referent ?, and those quoting it
_CORPUS_DOCS: Final = f"SELECT doc_id FROM referents WHERE norm_name IN ({member_keys_sql()})"
_CORPUS_SPEAKER_DOCS: Final = (
    "SELECT q.doc_id FROM quotes q JOIN referents r ON r.doc_id = q.doc_id AND r.local_id = q.speaker_referent"
    f" WHERE r.norm_name IN ({member_keys_sql()})"
)


def _filter_sql(f: Filter, store: Store) -> tuple[str, list[Any]]:
    """The SQL condition on documents ``d`` for one filter.

    Name filters look up the trigram index ``document_names`` once (a set of ids) rather than
    reading the entity rows of every candidate; values under 3 letters cannot be trigrams and
    fall back to that scan. A name that stands for a corpus referent
    (:func:`khabar.store.corpus_referents.resolve_name`) also matches the documents that name
    it (``entity:``) or quote it (``speaker:``) under any of its names.
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
        sql, params = "d.id IN (SELECT id FROM documents WHERE topic = ? COLLATE NOCASE)", [topic_label(f.value)]
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
    if f.field in ("entity", "speaker"):
        # and the documents of the corpus referent the name stands for (spelling variants,
        # a fuller or shorter form: سلمان بن عبد العزيز finds الملك سلمان بن عبدالعزيز آل سعود)
        corpus_id = resolve_name(store, f.value)
        if corpus_id is not None:
            sql = f"({sql} OR d.id IN ({_CORPUS_DOCS if f.field == 'entity' else _CORPUS_SPEAKER_DOCS}))"
            params = [*params, corpus_id]
    return (f"NOT coalesce({sql}, 0)" if f.negated else sql), params


def topic_label(value: str) -> str:
    """The stored topic label for a topic typed in English or Arabic (``رياضة`` -> ``sport``)."""
    return _TOPIC_KEYS.get(norm_name(value), value)


def search(
    store: Store,
    query: str,
    limit: int = 20,
    *,
    width: int = 80,
    marks: tuple[str, str] = ("[", "]"),
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> list[Hit]:
    """The hits of :func:`search_page` (first page): see there."""
    return search_page(store, query, limit, width=width, marks=marks, time_limit=time_limit).hits


def _in_index(store: Store, key: str) -> bool:
    row = store.execute(
        "SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1", (_phrase((key,)),)
    ).fetchone()
    return row is not None


def _repair_text(text: str) -> str:
    """The repaired view of a typed word (glued words split), by khabar's repair component."""
    from khabar.components.repair import repair

    return repair(Doc(text)).repaired


def _query_rewriter(store: Store) -> Callable[[str], str]:
    """Repair a typed word only when the index does not know it (repair loads a lexicon: seconds, once)."""

    def rewrite(word: str) -> str:
        keys = _keys(word)
        if len(keys) != 1 or len(word) < 7 or _in_index(store, keys[0]):
            return word
        repaired = _repair_text(word)
        return repaired if repaired != word else word

    return rewrite


def search_page(
    store: Store,
    query: str,
    limit: int = 20,
    offset: int = 0,
    *,
    width: int = 80,
    marks: tuple[str, str] = ("[", "]"),
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> SearchResult:
    """Search the store: one page of hits, the total, and why when there is nothing.

    Args:
        store: an open :class:`Store` (read-only is enough).
        query: the query as typed (see the module docstring).
        limit: the most hits to return.
        offset: hits to skip (paging).
        width: characters of context on each side of the match in the snippet.
        marks: the strings put around every match in the snippet.
        time_limit: seconds before the query is interrupted (K407); None for no limit.

    Returns:
        Documents holding every term first (BM25), then those holding some (BM25 times the
        share of terms held); newest first for a filter-only query.

    Raises:
        StoreError: K404/K405/K406 for a bad query, K407 past the time limit.
    """
    if limit <= 0:
        raise _bad(f"limit must be positive, got {limit}", "use --limit 1 or more", "K405")
    if offset < 0:
        raise _bad(f"offset must be 0 or more, got {offset}", "use --offset 0 or more", "K405")
    with store.time_limit(time_limit):
        parsed = parse_query(query, _query_rewriter(store))
        return _run(store, parsed, limit, offset, width, marks)


def _run(store: Store, parsed: Query, limit: int, offset: int, width: int, marks: tuple[str, str]) -> SearchResult:
    where: list[str] = []
    params: list[Any] = []
    excluded_match = ""
    if parsed.excluded:
        excluded_match = " OR ".join(_phrase(keys) for keys in parsed.excluded)
        if not parsed.groups:
            where.append("d.id NOT IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            params.append(excluded_match)
    for f in parsed.filters:
        sql, p = _filter_sql(f, store)
        where.append(sql)
        params += p
    cols = "d.id, d.ext_id, d.title, d.date, d.source, d.url, d.topic, d.text, d.edits, d.term_spans"
    wanted = [p for group in parsed.groups for p in group]
    if not parsed.groups:
        sql = (
            f"SELECT {cols}, NULL, 0.0 AS rank FROM documents d"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY d.date IS NULL, d.date DESC, d.id DESC LIMIT ? OFFSET ?"
        )
        rows = store.execute(sql, [*params, limit, offset], action="search").fetchall()
        total = store.execute(
            "SELECT count(*) FROM documents d" + (" WHERE " + " AND ".join(where) if where else ""), params
        ).fetchone()[0]
        hits = [_hit(row, wanted, width, marks) for row in rows]
        return _result(store, parsed, hits, total, offset, limit, False)

    def fts_where(match: str) -> tuple[str, list[Any]]:
        if excluded_match:
            # inside the MATCH, FTS5 subtracts the posting lists; a NOT IN would list every excluded id
            match = f"({match}) NOT ({excluded_match})"
        join = " JOIN documents d ON d.id = documents_fts.rowid" if where else ""
        return (
            f" FROM documents_fts{join} WHERE documents_fts MATCH ?" + "".join(f" AND {w}" for w in where),
            [match, *params],
        )

    def fetch(ids: list[int]) -> dict[int, tuple[Any, ...]]:
        if not ids:
            return {}
        marks_ = ", ".join("?" * len(ids))
        got = store.execute(
            f"SELECT {cols}, f.body, 0.0 FROM documents d JOIN documents_fts f ON f.rowid = d.id"
            f" WHERE d.id IN ({marks_})",
            ids,
            action="search",
        ).fetchall()
        return {int(r[0]): tuple(r) for r in got}

    all_from, all_args = fts_where(parsed.fts())
    all_total = int(store.execute("SELECT count(*)" + all_from, all_args, action="search").fetchone()[0])
    # Rank ids first and fetch the texts of the returned hits only.
    ranked = store.execute(
        "SELECT documents_fts.rowid, bm25(documents_fts, 2.0, 1.0) AS rank"
        + all_from
        + " ORDER BY rank, documents_fts.rowid LIMIT ? OFFSET ?",
        [*all_args, limit, offset],
        action="search",
    ).fetchall()
    page: list[tuple[int, float, bool]] = [(int(i), -float(r), True) for i, r in ranked]
    any_terms = False
    total = all_total
    if len(parsed.groups) > 1 and offset + limit > all_total:
        # fewer documents hold every term than asked for: go on with those holding some
        any_terms = True
        # candidates by their content words: a stop word (في، من) would make every document a
        # candidate and cost a BM25 score each on a large store; it still counts in the share held
        content = [p for p in dict.fromkeys(wanted) if not (len(p) == 1 and is_stop_word(p[0]))]
        any_match = " OR ".join(_phrase(p) for p in content or dict.fromkeys(wanted))
        any_from, any_args = fts_where(any_match)
        total = int(store.execute("SELECT count(*)" + any_from, any_args, action="search").fetchone()[0])
        need = offset + limit - all_total
        # rank ids first, then read the keys of the pool only: selecting them in the ranking query
        # would make the sorter carry the text of every matching document
        pool = store.execute(
            "SELECT pool.id, pool.rank, f.title, f.body FROM ("
            "SELECT documents_fts.rowid AS id, bm25(documents_fts, 2.0, 1.0) AS rank"
            + any_from
            + " ORDER BY rank, documents_fts.rowid LIMIT ?) AS pool"
            " JOIN documents_fts f ON f.rowid = pool.id ORDER BY pool.rank, pool.id",
            [*any_args, max(_CANDIDATES, 4 * need) + all_total],
            action="search",
        ).fetchall()
        scored: list[tuple[float, int]] = []
        for rowid, rank, title_keys, body_keys in pool:
            share = _share_held(parsed.groups, f" {title_keys or ''} {body_keys or ''} ")
            if share < 1.0:
                scored.append((-float(rank) * share, int(rowid)))
        scored.sort(key=lambda x: (-x[0], x[1]))
        skip = max(0, offset - all_total)
        page += [(i, score, False) for score, i in scored[skip : skip + limit - len(page)]]
    by_id = fetch([i for i, _s, _a in page])
    found = [_replace_score(_hit(by_id[i], wanted, width, marks), score, whole) for i, score, whole in page]
    return _result(store, parsed, found, total, offset, limit, any_terms)


def _replace_score(hit: Hit, score: float, whole: bool) -> Hit:
    return Hit(
        hit.id, hit.ext_id, hit.title, hit.date, hit.source, hit.url, hit.topic, score, hit.snippet,
        hit.snippet_span, hit.match, hit.extra, hit.matches, whole,
    )  # fmt: skip


def _share_held(groups: tuple[tuple[tuple[str, ...], ...], ...], keys: str) -> float:
    """The share of the query's groups that the space-padded key string holds (coordination factor)."""
    held = sum(1 for group in groups if any(f" {' '.join(p)} " in keys for p in group))
    return held / len(groups)


def _result(
    store: Store, parsed: Query, hits: list[Hit], total: int, offset: int, limit: int, any_terms: bool
) -> SearchResult:
    if hits:
        return SearchResult(hits, total, offset, limit, any_terms)
    if total and offset >= total:
        return SearchResult(hits, total, offset, limit, any_terms, f"no more results: {total} in all, offset {offset}")
    reason, suggestions = why_empty(store, parsed)
    return SearchResult(hits, total, offset, limit, any_terms, reason, suggestions)


def why_empty(store: Store, parsed: Query) -> tuple[str, tuple[str, ...]]:
    """One line saying why a query found nothing, and names the user may have meant."""
    for f in parsed.filters:
        if f.field == "topic" and not f.negated:
            label = topic_label(f.value)
            known = [t for (t,) in store.execute("SELECT DISTINCT topic FROM documents WHERE topic IS NOT NULL")]
            if label.lower() not in {t.lower() for t in known}:
                listed = ", ".join(f"{t} ({TOPIC_ARABIC[t]})" if t in TOPIC_ARABIC else t for t in sorted(known))
                return f"unknown topic {f.value!r}: the topics of this store are {listed or 'none'}", ()
    names = [f.value for f in parsed.filters if f.field in ("entity", "speaker") and not f.negated]
    words = [" ".join(p) for group in parsed.groups for p in group]
    suggestions: list[str] = []
    for name in names + [w for w in words if not _in_index(store, w.split(" ")[0])]:
        suggestions += [s for s in suggest_names(store, name) if s not in suggestions]
    if suggestions:
        return f"no document matches; did you mean {' or '.join(suggestions[:3])}?", tuple(suggestions)
    return "no document matches the query", ()


def suggest_names(store: Store, name: str, limit: int = 3) -> list[str]:
    """Names of the store close to ``name`` (a misspelling: كامرون -> كاميرون), from the trigram index."""
    v = norm_name(name).replace(" ", "")
    grams = list(dict.fromkeys(v[i : i + 3] for i in range(len(v) - 2)))
    if not grams:
        return []
    match = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
    ids = [
        int(i)
        for (i,) in store.execute(
            "SELECT rowid FROM document_names WHERE document_names MATCH ? ORDER BY rank LIMIT 50", (match,)
        )
    ]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    names: dict[str, str] = {}
    for norm, shown in store.execute(f"SELECT norm_name, name FROM referents WHERE doc_id IN ({marks})", ids):
        if norm and norm not in names:
            names[norm] = shown
    scored = []
    for norm, shown in names.items():
        ratio = difflib.SequenceMatcher(None, v, norm.replace(" ", "")).ratio()
        # a name holding the typed one whole (كاميرون in ديفيد كاميرون) counts by its closest word
        ratio = max([ratio] + [difflib.SequenceMatcher(None, v, w).ratio() for w in norm.split(" ")])
        if ratio >= _SUGGEST_MIN_RATIO and norm.replace(" ", "") != v:
            scored.append((ratio, shown))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [shown for _r, shown in scored[:limit]]


def _hit(row: tuple[Any, ...], wanted: list[tuple[str, ...]], width: int, marks: tuple[str, str]) -> Hit:
    doc_id, ext_id, title, date, source, url, topic, text, edits_json, spans_blob, body, rank = row
    found = _match_spans(text, edits_json, spans_blob, body, wanted) if wanted else []
    first = found[0] if found else None
    snippet, span = make_snippet(text, first, width, marks, found)
    return Hit(
        int(doc_id), ext_id, display_title(title), date, source, url, topic, -float(rank) if rank else 0.0, snippet, span,
        first, {}, tuple(found),
    )  # fmt: skip


def display_title(title: str | None) -> str | None:
    """A title as shown: HTML entities decoded (``&quot;`` -> ``"``), whitespace collapsed."""
    if title is None:
        return None
    return " ".join(html.unescape(title).split())


def _match_spans(
    text: str, edits_json: str | None, spans_blob: bytes | None, body: str | None, wanted: list[tuple[str, ...]]
) -> list[tuple[int, int]]:
    """Original offsets of every occurrence of a wanted phrase: from the stored term spans, else by re-analysis."""
    if spans_blob is not None and body is not None:
        keys = body.split(" ") if body else []
        flat = term_span_array(spans_blob)
        if 2 * len(keys) == len(flat):
            starts = list(_accumulate(flat[0::2]))
            lengths = flat[1::2]
            return [(starts[i], starts[i + n - 1] + lengths[i + n - 1]) for i, n in all_match_indexes(keys, wanted)]
    # rows written before schema 2 carry no term spans: rebuild the matching view (slow)
    doc = Doc(text)
    edits = json.loads(edits_json) if edits_json else []
    doc.set_edits(Edit(int(e["start"]), int(e["end"]), str(e["replacement"]), str(e["rule"])) for e in edits)
    terms = index_terms(doc)
    return [(terms[i].start, terms[i + n - 1].end) for i, n in all_match_indexes([t.key for t in terms], wanted)]


def _match_span(
    text: str, edits_json: str | None, spans_blob: bytes | None, body: str | None, wanted: list[tuple[str, ...]]
) -> tuple[int, int] | None:
    """Original offsets of the first wanted phrase (see :func:`_match_spans`)."""
    found = _match_spans(text, edits_json, spans_blob, body, wanted)
    return found[0] if found else None


def _accumulate(deltas: Any) -> Any:
    from itertools import accumulate

    return accumulate(deltas)


def all_match_indexes(keys: list[str], wanted: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """``(index, length)`` of every non-overlapping occurrence of a wanted phrase in ``keys``, in text order."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(set(wanted), key=len, reverse=True):
        by_first.setdefault(phrase[0], []).append(phrase)
    out: list[tuple[int, int]] = []
    i, n_keys = 0, len(keys)
    while i < n_keys:
        phrases = by_first.get(keys[i])
        if phrases:
            for phrase in phrases:
                n = len(phrase)
                if n == 1 or tuple(keys[i : i + n]) == phrase:
                    out.append((i, n))
                    i += n - 1
                    break
        i += 1
    return out


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
    text: str,
    found: tuple[int, int] | None,
    width: int,
    marks: tuple[str, str],
    also: list[tuple[int, int]] | None = None,
) -> tuple[str, tuple[int, int]]:
    """A stretch of ``text`` around ``found`` (or its start), cut at spaces, with the match marked.

    ``also``: more matches (original offsets) to mark where they fall inside the stretch.
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
    if not found:
        body = text[lo:hi]
    else:
        inside = sorted({(s, e) for s, e in [found, *(also or [])] if lo <= s and e <= hi})
        parts: list[str] = []
        at = lo
        for s, e in inside:
            if s < at:
                continue  # overlapping matches: the first one is marked
            parts += [text[at:s], marks[0], text[s:e], marks[1]]
            at = e
        parts.append(text[at:hi])
        body = "".join(parts)
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else ""), (lo, hi)
