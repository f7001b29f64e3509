"""Tests for khabar.store: schema, idempotent ingest, FTS search, filters, snippets, errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import khabar
from khabar.doc import Doc
from khabar.errors import StoreError
from khabar.store import (
    SCHEMA_VERSION,
    Hit,
    IndexTerm,
    Store,
    content_hash,
    index_terms,
    migrations,
    parse_query,
    search,
)
from khabar.store.db import pack_term_spans, unpack_term_spans
from khabar.store.search import MAX_QUERY_CHARS, _match_span

POLITICS = (
    "قال وزير الخارجية الأمريكى فى بيان إن المحادثات بين الولاياتالمتحدةوكوريا الشمالية ستستأنف فى جنيف.\n"
    'وأضاف الوزير: "نحن ملتزمون بالسلام".'
)
SPORT = (
    "فاز المنتخب المصرى على نظيره التونسى فى مباراة ودية أقيمت فى القاهرة أمس. "
    "وقال المدرب حسام حسن إن الفريق قدم أداء جيدا وإن اللاعبين سيستعدون للبطولة."
)
ECONOMY = (
    "ارتفعت أسعار النفط فى الأسواق العالمية اليوم. "
    "وأكد وزير المالية محمد معيط أن محادثات الحكومة مع صندوق النقد الدولى مستمرة وأن الاقتصاد يتعافى."
)
ARTICLES = {
    "pol": (POLITICS, {"id": "pol", "title": "محادثات جنيف", "date": "2024-03-01", "source": "رويترز"}),
    "sport": (SPORT, {"id": "sport", "title": "فوز المنتخب", "date": "2024-05-10", "source": "الأهرام"}),
    "eco": (ECONOMY, {"id": "eco", "title": "أسعار النفط", "date": "2023-11-20", "source": "الجزيرة نت"}),
}


@pytest.fixture(scope="module")
def docs() -> dict[str, Doc]:
    nlp = khabar.load()
    return {key: nlp.analyze(text, meta) for key, (text, meta) in ARTICLES.items()}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory, docs: dict[str, Doc]) -> Path:
    path = tmp_path_factory.mktemp("store") / "news.db"
    with Store(path) as store:
        store.add_many(docs.values(), batch=2)
    return path


def ids(hits: list[Hit]) -> set[str | None]:
    """The documents holding every term (the list goes on with those holding some: see test_search_any)."""
    return {h.ext_id for h in hits if h.all_terms}


# ----------------------------------------------------------------- schema and ingest
def test_store_schema_version(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.version == SCHEMA_VERSION == max(n for n, _ in migrations())
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.migrate() == SCHEMA_VERSION  # a second migrate is a no-op
    with Store(tmp_path / "a.db") as store:
        assert store.version == SCHEMA_VERSION


def test_store_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError) as err:
        Store(path)
    assert err.value.code == "K402"


def test_store_add_is_idempotent(tmp_path: Path, docs: dict[str, Doc]) -> None:
    with Store(tmp_path / "b.db") as store:
        first = store.add(docs["pol"])
        again = store.add(docs["pol"])
        assert first[1] is True and again == (first[0], False)
        results = store.add_many([docs["sport"], docs["pol"], docs["sport"]], batch=2)
        assert [added for _id, added in results] == [True, False, False]
        assert len(store) == 2
        row = store.conn.execute("SELECT content_hash FROM documents WHERE id = ?", (first[0],)).fetchone()
        assert row[0] == content_hash(POLITICS)
        assert store.get(first[0]).to_dict() == docs["pol"].to_dict()


def test_store_layers_are_tables(reader: Store, docs: dict[str, Doc]) -> None:
    (doc_id,) = reader.conn.execute("SELECT id FROM documents WHERE ext_id = 'pol'").fetchone()
    text = docs["pol"].text
    for table in ("sentences", "entities", "quotes", "keywords"):
        rows = reader.conn.execute(f'SELECT "start", "end" FROM {table} WHERE doc_id = ?', (doc_id,)).fetchall()
        assert len(rows) == len(docs["pol"][table])
        assert all(0 <= s <= e <= len(text) for s, e in rows)
    ents = reader.conn.execute("SELECT text, label, referent FROM entities WHERE doc_id = ?", (doc_id,)).fetchall()
    assert ("الولاياتالمتحدة", "LOC", 0) in ents
    names = reader.conn.execute("SELECT name, norm_name FROM referents WHERE doc_id = ?", (doc_id,)).fetchall()
    assert ("الولايات المتحدة", "الولايات المتحده") in names
    speakers = reader.conn.execute("SELECT kind, cue, speaker FROM quotes WHERE doc_id = ?", (doc_id,)).fetchall()
    assert ("direct", "وأضاف", "الوزير") in speakers


def test_store_readonly_cannot_write(reader: Store, docs: dict[str, Doc]) -> None:
    with pytest.raises(StoreError) as err:
        reader.add(docs["eco"])
    assert err.value.code == "K403"
    with pytest.raises(sqlite3.OperationalError):
        reader.conn.execute("DELETE FROM documents")
    with pytest.raises(StoreError) as err2:
        reader.execute("DELETE FROM documents")
    assert err2.value.code == "K403"


def test_store_readonly_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store.open_readonly(tmp_path / "missing.db")
    assert err.value.code == "K401"


# ----------------------------------------------------------------- search
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("الولايات", {"pol"}),  # glued الولاياتالمتحدة, indexed after repair
        ("المتحدة", {"pol"}),
        ("في", {"pol", "sport", "eco"}),  # the texts only write فى
        ("فى القاهرة", {"sport"}),
        ("المحادثات", {"pol", "eco"}),  # محادثات in eco
        ("والمحادثات", {"pol", "eco"}),
        ('"كوريا الشمالية"', {"pol"}),
        ("«صندوق النقد»", {"eco"}),
        ('"الشمالية كوريا"', set()),
        ("جنيف OR القاهرة", {"pol", "sport"}),
        ("المحادثات -جنيف", {"eco"}),
        ("-جنيف", {"sport", "eco"}),
        ("النفط", {"eco"}),
    ],
)
def test_search_matching(reader: Store, query: str, expected: set[str]) -> None:
    assert ids(search(reader, query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("speaker:الوزير", {"pol"}),
        ('speaker:"حسام حسن"', {"sport"}),
        ("في speaker:معيط", {"eco"}),
        ("entity:كوريا", {"pol"}),
        ('entity:"الولايات المتحدة"', {"pol"}),
        ("entity:القاهره", {"sport"}),
        ("topic:sport", {"sport"}),
        ("topic:SPORT", {"sport"}),
        ("في -topic:sport", {"pol", "eco"}),
        ("source:الجزيرة", {"eco"}),
        ("source:رويترز المحادثات", {"pol"}),
        ("date:2024-01-01..2024-12-31", {"pol", "sport"}),
        ("date:2024-03", {"pol"}),
        ("date:..2023", {"eco"}),
        ("date:2024-04.. في", {"sport"}),
    ],
)
def test_search_filters(reader: Store, query: str, expected: set[str]) -> None:
    assert ids(search(reader, query)) == expected


def test_search_bm25_ranks_and_limits(reader: Store) -> None:
    hits = search(reader, "محادثات")
    assert hits[0].ext_id == "pol"  # in the title and the body
    assert hits[0].score >= hits[1].score > 0
    assert len(search(reader, "في", limit=1)) == 1


def test_search_filter_only_lists_newest_first(reader: Store) -> None:
    assert [h.ext_id for h in search(reader, "date:2020..")] == ["sport", "pol", "eco"]


def test_search_snippet_slices_original(reader: Store) -> None:
    (hit,) = search(reader, "الولايات", width=20)
    assert hit.match is not None
    start, end = hit.match
    assert POLITICS[start:end] == "الولايات"  # inside the glued original
    s, e = hit.snippet_span
    assert s <= start < end <= e
    assert hit.snippet.strip("…").replace("[", "").replace("]", "") == POLITICS[s:e]
    assert "[الولايات]المتحدة" in hit.snippet
    (hit2,) = search(reader, '"في القاهرة"', marks=("<b>", "</b>"))
    assert hit2.match is not None and SPORT[hit2.match[0] : hit2.match[1]] == "فى القاهرة"
    assert "<b>فى القاهرة</b>" in hit2.snippet
    (hit3,) = search(reader, "المحادثات -جنيف")
    assert "[محادثات]" in hit3.snippet


def test_search_hit_to_dict(reader: Store) -> None:
    (hit,) = search(reader, "النفط")
    d = hit.to_dict()
    assert d["ext_id"] == "eco" and d["source"] == "الجزيرة نت" and isinstance(d["snippet_span"], list)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('"كوريا', "K404"),
        ("OR جنيف", "K404"),
        ("جنيف OR", "K404"),
        ("جنيف OR -فيينا", "K404"),
        ("author:زيد", "K405"),
        ("date:2024/01/01", "K405"),
        ("date:..", "K405"),
        ("topic:", "K405"),
        ("", "K406"),
        ("  ، . ", "K406"),
        ("«كوريا", "K404"),  # guillemets count as quotes
        ('"كوريا الشمالية" "جنيف', "K404"),
        ("OR", "K404"),
        ("AND", "K404"),
        ("AND OR", "K404"),
        ("جنيف AND", "K404"),
        ("جنيف OR OR فيينا", "K404"),
        ("-", "K404"),
        ("-OR", "K404"),
        ("جنيف " * 2000, "K408"),  # a 10 kB query
    ],
)
def test_search_bad_query_is_store_error(reader: Store, query: str, code: str) -> None:
    with pytest.raises(StoreError) as err:
        search(reader, query)
    assert err.value.code == code
    assert err.value.hint


def test_search_fts_syntax_never_leaks(reader: Store) -> None:
    # FTS5 operators typed by a user are plain words here, never raw sqlite errors.
    for query in ("NEAR(جنيف", "جنيف*", "AND", "NOT جنيف", "^جنيف", "جنيف:", "{body}: جنيف"):
        try:
            search(reader, query)
        except StoreError:
            pass


def test_search_and_is_the_default_conjunction(reader: Store) -> None:
    assert ids(search(reader, "المحادثات AND جنيف")) == ids(search(reader, "المحادثات جنيف")) == {"pol"}
    assert ids(search(reader, '"OR"')) == set()  # quoted, an operator is a plain word


def test_search_long_query_limit() -> None:
    parse_query("جنيف " * (MAX_QUERY_CHARS // 5))  # at the limit: accepted
    with pytest.raises(StoreError) as err:
        parse_query("x" * (MAX_QUERY_CHARS + 1))
    assert err.value.code == "K408" and "1,001" in err.value.message


@pytest.mark.parametrize("query", ['"كوريا', "AND OR", "-", "جنيف " * 2000])
def test_cli_search_malformed_query_is_one_line_exit_1(db_path: Path, query: str) -> None:
    from click.testing import CliRunner

    from khabar.cli.main import main

    result = CliRunner().invoke(main, ["search", query, "--db", str(db_path)])
    assert result.exit_code == 1
    output = result.output  # stdout and stderr together
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error K40") and "hint:" in lines[0], output
    assert "Traceback" not in output


def test_search_snippet_from_stored_spans_equals_reanalysis(reader: Store) -> None:
    # the fast path (stored term spans) must point at the same original characters as
    # re-running the matching view over the original text
    for query in ("الولايات", '"كوريا الشمالية"', "المحادثات", "في", "جنيف OR القاهرة", "محادثات الحكومة"):
        for hit in search(reader, query):
            text, edits, blob, body = reader.execute(
                "SELECT d.text, d.edits, d.term_spans, f.body FROM documents d"
                " JOIN documents_fts f ON f.rowid = d.id WHERE d.id = ?",
                (hit.id,),
            ).fetchone()
            wanted = [p for g in parse_query(query).groups for p in g]
            assert blob is not None
            assert hit.match == _match_span(text, edits, None, None, wanted)
            assert hit.match == _match_span(text, edits, blob, body, wanted)


@pytest.mark.parametrize(
    "spans",
    [[], [(0, 3)], [(0, 3), (4, 9), (9, 12)], [(5, 9), (5, 9), (2, 4), (100_000, 100_007)]],
)
def test_term_spans_round_trip(spans: list[tuple[int, int]]) -> None:
    # repaired words can map back into one replaced stretch: spans may repeat or go backwards
    terms = [IndexTerm("k", s, e) for s, e in spans]
    assert unpack_term_spans(pack_term_spans(terms)) == spans


def test_store_doc_json_is_compressed_and_round_trips(reader: Store, docs: dict[str, Doc]) -> None:
    for kind, size, doc_id in reader.execute("SELECT typeof(doc_json), length(doc_json), id FROM documents"):
        assert kind == "blob"
        doc = reader.get(doc_id)
        assert doc.to_json() == docs[str(doc.meta["id"])].to_json()
        assert size < len(doc.to_json().encode("utf-8")) / 3


def test_store_migrates_a_schema_1_database(tmp_path: Path, docs: dict[str, Doc]) -> None:
    # a store written by the first release: doc_json as TEXT, no edits or term_spans columns
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(dict(migrations())[1] + "\nPRAGMA user_version = 1;")
    doc = docs["pol"]
    conn.execute(
        "INSERT INTO documents (id, content_hash, ext_id, title, text, repaired, doc_json) VALUES (1, ?, ?, ?, ?, ?, ?)",
        (content_hash(doc.text), "pol", "محادثات جنيف", doc.text, doc.repaired, doc.to_json()),
    )
    conn.execute(
        "INSERT INTO documents_fts (rowid, title, body) VALUES (1, '', ?)",
        (" ".join(t.key for t in index_terms(doc)),),
    )
    conn.close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION
        assert store.get(1).to_json() == doc.to_json()
        (hit,) = search(store, "الولايات")
        assert hit.match is not None and POLITICS[hit.match[0] : hit.match[1]] == "الولايات"
        stored_edits = store.execute("SELECT edits FROM documents WHERE id = 1").fetchone()[0]
        assert stored_edits is not None and "glued_words" in stored_edits
        added = store.add(docs["eco"])
        assert added[1] and len(store) == 2


def test_store_migration_3_names_equal_what_the_writer_stores(tmp_path: Path, docs: dict[str, Doc]) -> None:
    # migration 3 fills document_names for stores written before it, in SQL; the rows must
    # hold the same names as those Store.add writes, so name filters agree on old and new rows
    path = tmp_path / "names.db"
    with Store(path) as store:
        store.add_many(docs.values())
    conn = sqlite3.connect(path, isolation_level=None)

    def names() -> list[tuple[set[str], ...]]:
        rows = conn.execute("SELECT entities, referents, speakers FROM document_names ORDER BY rowid").fetchall()
        return [tuple(set((col or "").split("|")) - {""} for col in row) for row in rows]

    written = names()
    assert any(row[2] for row in written)  # the fixtures have speakers
    conn.executescript("DROP TABLE document_names; DROP INDEX documents_topic_nocase;" + dict(migrations())[3])
    assert names() == written
    conn.close()
    with Store.open_readonly(path) as reader:
        assert ids(search(reader, 'speaker:"حسام حسن"')) == {"sport"}
        assert ids(search(reader, 'entity:"الولايات المتحدة"')) == {"pol"}


def test_search_short_name_filters_fall_back_to_a_scan(reader: Store) -> None:
    # under 3 letters there is no trigram: the filter scans, with the same meaning
    assert ids(search(reader, "entity:كو")) == ids(search(reader, "entity:كوريا")) == {"pol"}
    assert ids(search(reader, "في -entity:كو")) == {"sport", "eco"}


def test_parse_query_structure() -> None:
    q = parse_query('المحادثات "كوريا الشمالية" جنيف OR فيينا -النفط speaker:الوزير')
    assert q.groups == ((("محادثات",),), (("كوريا", "شماليه"),), (("جنيف",), ("فيينا",)))
    assert q.excluded == (("نفط",),)
    assert [(f.field, f.value) for f in q.filters] == [("speaker", "الوزير")]
