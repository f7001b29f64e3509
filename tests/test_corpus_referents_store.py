"""Stored corpus referents (issue 12, point 3): stable ids, merges, aliases, and every reader using them.

The sentences are written for these tests. Where a test needs a tagger's mistake (a person
read as a place), the referent's label is set by hand on the analysed Doc: the store's rules
are under test here, not the tagger.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import khabar
from khabar.cli.main import main as cli
from khabar.doc import Doc
from khabar.store import Store, search
from khabar.store.analytics import cooccurrence, quotes_by, resolve_referent, top_referents
from khabar.store.corpus_referents import family_name, group_names, live_id

KING = "استقبل الملك سلمان بن عبدالعزيز في الرياض اليوم وزير الخارجية عادل الجبير."
KING_FULL = "وقال خادم الحرمين الشريفين سلمان بن عبد العزيز آل سعود إن المملكة ماضية في دعم التعليم."
KING_SAID = 'قال الملك سلمان بن عبدالعزيز: "إن التعليم أساس نهضة الأمة".'
PRINCE = "التقى ولي العهد الأمير محمد بن سلمان في جدة رجال الأعمال."
MINISTRY = "وأكدت الوزارة أن المدارس ستفتح أبوابها في الموعد المحدد."
LONE = "وصل سلمان إلى المطار مساء أمس قادما من باريس."
PLAYER = "قال اللاعب سلمان الفرج إن الفريق جاهز للمباراة."


def analysed(text: str, ext_id: str, relabel: dict[str, str] | None = None) -> Doc:
    """The Doc of ``text``; ``relabel`` sets the label of referents by name (a tagger's mistake)."""
    doc = khabar.analyze(text, {"id": ext_id})
    for ref in doc.values.get("referents") or []:
        if relabel and ref["name"] in relabel:
            ref["label"] = relabel[ref["name"]]
    return doc


def names_of(store: Store, corpus_id: int) -> dict[str, int]:
    rows = store.execute(
        "SELECT r.name, count(*) FROM corpus_referent_members m"
        " JOIN referents r ON r.doc_id = m.doc_id AND r.local_id = m.local_id WHERE m.corpus_id = ? GROUP BY r.name",
        (corpus_id,),
    )
    return {str(name): int(count) for name, count in rows}


def person(store: Store, name: str) -> int:
    row = store.execute("SELECT corpus_id FROM corpus_names WHERE norm_name = ?", (name,)).fetchone()
    assert row is not None, name
    return int(row[0])


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store filled in two ingests: the king and his son first, then two more articles on the king."""
    path = tmp_path_factory.mktemp("corpus_referents") / "c.db"
    with Store(path) as store:
        store.add_many([analysed(KING, "a"), analysed(PRINCE, "b"), analysed(MINISTRY, "c")])
    with Store(path) as store:
        store.add_many([analysed(KING_FULL, "d"), analysed(KING_SAID, "e")])
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open_readonly(db_path) as reader:
        yield reader


def ext_ids(store: Store, doc_ids: list[int]) -> set[str]:
    marks = ", ".join("?" * len(doc_ids))
    return {str(e) for (e,) in store.execute(f"SELECT ext_id FROM documents WHERE id IN ({marks})", doc_ids)}


# ------------------------------------------------------------------ ids, merges, aliases
def test_corpus_referents_store_ids_stable_across_ingests(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.add_many([analysed(KING, "a"), analysed(PRINCE, "b")])
        king, prince = person(store, "سلمان بن عبدالعزيز"), person(store, "محمد بن سلمان")
        minister = person(store, "عادل الجبير")
    with Store(path) as store:
        store.add_many([analysed(KING_FULL, "d")])
        store.add(analysed(KING_SAID, "e"))
        assert person(store, "سلمان بن عبدالعزيز") == king
        assert person(store, "سلمان بن عبد العزيز ال سعود") == king  # a later spelling joins the same id
        assert (person(store, "محمد بن سلمان"), person(store, "عادل الجبير")) == (prince, minister)
        assert live_id(store, king) == king
        # rebuilding from scratch gives the same ids
        before = sorted(store.execute("SELECT norm_name, corpus_id FROM corpus_names"))
        store.rebuild_corpus_referents()
        assert sorted(store.execute("SELECT norm_name, corpus_id FROM corpus_names")) == before


def test_corpus_referents_store_merge_keeps_the_older_id(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with Store(path) as store:
        # first read as a place, so it gets its own (older) id
        store.add(analysed(KING, "a", relabel={"سلمان بن عبدالعزيز": "LOC"}))
        older = person(store, "سلمان بن عبدالعزيز")
        store.add(analysed(KING_FULL, "d"))
        newer = person(store, "سلمان بن عبد العزيز ال سعود")
        assert older < newer
        # two more articles read it as a person: the name is now a person's, and the two are one
        store.add_many([analysed(KING_SAID, "e"), analysed(KING.replace("اليوم", "أمس"), "f")])
        assert person(store, "سلمان بن عبدالعزيز") == person(store, "سلمان بن عبد العزيز ال سعود") == older
        assert live_id(store, newer) == older  # the old id still finds it
        assert store.execute("SELECT count(*) FROM corpus_referents WHERE id = ?", (newer,)).fetchone()[0] == 0
        row = next(r for r in top_referents(store, "PERS") if r["id"] == older)
        assert row["documents"] == 4 and row["label"] == "PERS"


def test_corpus_referents_store_aliases_with_counts(store: Store) -> None:
    king = person(store, "سلمان بن عبدالعزيز")
    assert names_of(store, king) == {"سلمان بن عبدالعزيز": 2, "سلمان بن عبد العزيز آل سعود": 1}
    row = store.execute("SELECT name, label, documents FROM corpus_referents WHERE id = ?", (king,)).fetchone()
    assert tuple(row) == ("سلمان بن عبدالعزيز", "PERS", 3)  # the most frequent name is the canonical one


def test_corpus_referents_store_father_name_and_unique_short_form(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    with Store(path) as store:
        store.add_many([analysed(KING, "a"), analysed(PRINCE, "b"), analysed(LONE, "c")])
        king = person(store, "سلمان بن عبدالعزيز")
        # محمد بن سلمان is not سلمان; the lone سلمان is unique in the corpus, so it is the king
        assert person(store, "محمد بن سلمان") != king
        assert person(store, "سلمان") == king == resolve_referent(store, "سلمان")
        # another سلمان arrives: the short form no longer says who it is and stands alone
        store.add(analysed(PLAYER, "d"))
        assert person(store, "سلمان بن عبدالعزيز") == king  # the king keeps his id
        alone = person(store, "سلمان")
        assert alone not in (king, person(store, "سلمان الفرج"), person(store, "محمد بن سلمان"))
        assert resolve_referent(store, "سلمان") == alone


def test_corpus_referents_store_bare_fathers_name() -> None:
    def grouped(*names: str) -> set[frozenset[str]]:
        out: dict[tuple[str, str], set[str]] = {}
        for (_, name), rep in group_names(("PERS", n) for n in names).items():
            out.setdefault(rep, set()).add(name)
        return {frozenset(g) for g in out.values()}

    assert grouped("علي عبدالله صالح", "علي صالح") == {frozenset({"علي عبدالله صالح", "علي صالح"})}
    # the same father's name with and without بن is one person, and the short form joins it
    assert grouped("عادل بن أحمد الجبير", "عادل أحمد الجبير", "عادل الجبير") == {
        frozenset({"عادل بن أحمد الجبير", "عادل أحمد الجبير", "عادل الجبير"})
    }
    # two people it could be: it stays apart
    assert frozenset({"علي صالح"}) in grouped("علي عبدالله صالح", "علي محمد صالح", "علي صالح")
    # only name, father, family: not a longer chain, not across a بن link, not another family name
    assert len(grouped("خالد الفيصل بن عبدالعزيز", "خالد بن عبدالعزيز")) == 2
    assert len(grouped("علي عبدالله صالح", "علي عبدالله")) == 2


NETANYAHU = "قال رئيس الوزراء الإسرائيلي بنيامين نتنياهو إن حكومته لن توافق على الاتفاق."
NETANYAHU_SHORT = "وهاجم نتنياهو الاتفاق في خطاب أمام الكنيست."
SON = "ونشر الصحفي يائير نتنياهو مقالا جديدا في تل أبيب."


def test_corpus_referents_store_family_name_joins_only_when_unique(tmp_path: Path) -> None:
    assert group_names([("PERS", "بنيامين نتنياهو"), ("PERS", "نتنياهو")]) == {
        ("PERS", "بنيامين نتنياهو"): ("PERS", "بنيامين نتنياهو"),
        ("PERS", "نتنياهو"): ("PERS", "بنيامين نتنياهو"),
    }
    assert family_name(("محمد", "بن", "سلمان")) == ""  # a father's name is no family name
    assert family_name(("سلمان", "بن", "عبدالعزيز", "ال", "سعود")) == ""  # a house is many people
    path = tmp_path / "n.db"
    with Store(path) as store:
        store.add(analysed(NETANYAHU_SHORT, "b"))  # the short form first: alone, for now
        store.add(analysed(NETANYAHU, "a"))
        father = person(store, "بنيامين نتنياهو")
        assert person(store, "نتنياهو") == father == resolve_referent(store, "نتنياهو")
        store.add(analysed(SON, "c"))  # a second نتنياهو: the family name alone says no longer who
        assert person(store, "بنيامين نتنياهو") == father
        assert person(store, "نتنياهو") not in (father, person(store, "يائير نتنياهو"))
        assert resolve_referent(store, "نتنياهو") == person(store, "نتنياهو")
        before = sorted(store.execute("SELECT norm_name, corpus_id FROM corpus_names"))
        store.rebuild_corpus_referents()  # what ingest kept up is what a rebuild finds
        assert sorted(store.execute("SELECT norm_name, corpus_id FROM corpus_names")) == before


# ------------------------------------------------------------------ readers
def test_corpus_referents_store_entities_header_and_ids(db_path: Path, store: Store) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["entities", "--label", "PERS", "--db", str(db_path)])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["id", "docs", "mentions", "label", "name"]
    king = person(store, "سلمان بن عبدالعزيز")
    first = lines[1].split(maxsplit=4)
    assert first[0] == str(king) and first[1] == "3" and first[4] == "سلمان بن عبدالعزيز"
    rows = json.loads(runner.invoke(cli, ["entities", "--db", str(db_path), "--format", "json"]).stdout)
    assert {r["id"] for r in rows} >= {king, person(store, "محمد بن سلمان")}


def test_corpus_referents_store_quotes_by_a_spelling_variant(db_path: Path, store: Store) -> None:
    said = {r["text"] for r in quotes_by(store, "سلمان بن عبد العزيز")}
    assert "إن التعليم أساس نهضة الأمة" in said  # attributed to الملك سلمان بن عبدالعزيز
    assert any("ماضية في دعم التعليم" in text for text in said)
    # a nominal speaker, linked to no referent, is still found by its text
    assert [r["ext_id"] for r in quotes_by(store, "الوزارة")] == ["c"]
    out = CliRunner().invoke(cli, ["quotes", "--speaker", "سلمان بن عبد العزيز", "--db", str(db_path)])
    assert out.exit_code == 0 and "أساس نهضة الأمة" in out.stdout


def test_corpus_referents_store_entity_filter_by_a_variant(store: Store) -> None:
    hits = search(store, 'entity:"سلمان بن عبد العزيز"', limit=20)
    assert {h.ext_id for h in hits} == {"a", "d", "e"}  # not محمد بن سلمان's article
    assert {h.ext_id for h in search(store, 'entity:"الملك سلمان"', limit=20)} >= {"a", "d", "e"}
    assert ext_ids(store, [h.id for h in search(store, 'speaker:"سلمان بن عبد العزيز"', limit=20)]) == {"d", "e"}


def test_corpus_referents_store_related_resolves(store: Store) -> None:
    rows = cooccurrence(store, "سلمان بن عبد العزيز")
    assert {r["name"] for r in rows} >= {"عادل الجبير", "الرياض"}
    assert person(store, "سلمان بن عبدالعزيز") not in {r["id"] for r in rows}


# ------------------------------------------------------------------ web
@pytest.fixture(scope="module")
def client(db_path: Path) -> Iterator[Any]:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from khabar.web.api import create_app

    with TestClient(create_app(str(db_path)), raise_server_exceptions=False) as c:
        yield c


def test_corpus_referents_store_api_and_page_round_trip(client: Any, store: Store) -> None:
    king = person(store, "سلمان بن عبدالعزيز")
    rows = client.get("/api/referents", params={"label": "PERS"}).json()["referents"]
    assert rows[0]["id"] == king
    body = client.get(f"/api/referents/{king}").json()
    assert body["id"] == king and body["name"] == "سلمان بن عبدالعزيز" and body["documents"] == 3
    assert body["aliases"] == [
        {"name": "سلمان بن عبدالعزيز", "count": 2},
        {"name": "سلمان بن عبد العزيز آل سعود", "count": 1},
    ]
    assert {d["ext_id"] for d in body["document_list"]} == {"a", "d", "e"}
    for ident in ("سلمان بن عبد العزيز", "الملك سلمان"):  # names resolve to the same id
        assert client.get(f"/api/referents/{ident}").json()["id"] == king
    page = client.get(f"/referents/{king}").text
    assert "سلمان بن عبد العزيز آل سعود" in page and "/documents/" in page
    assert f'href="/referents/{king}"' in client.get("/referents").text  # linked from the list
    doc_a = next(d["doc_id"] for d in body["document_list"] if d["ext_id"] == "a")
    assert f'href="/referents/{king}"' in client.get(f"/documents/{doc_a}").text  # and from a document


@pytest.mark.parametrize("ident", ["9223372036854775808", "99999999999999999999999", "987654"])
def test_corpus_referents_store_unknown_or_huge_id_is_404(client: Any, ident: str) -> None:
    r = client.get(f"/api/referents/{ident}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "K412"
    assert client.get(f"/referents/{ident}").status_code == 404


def test_corpus_referents_store_migrates_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        store.add_many([analysed(KING, "a"), analysed(KING_FULL, "d")])
        # as a store written before migration 4: no corpus referents, schema 3
        for table in ("corpus_redirects", "corpus_names", "corpus_referents"):
            store.execute(f"DELETE FROM {table}")
        store.execute("DROP VIEW corpus_referent_members")
        for table in ("corpus_redirects", "corpus_names", "corpus_referents"):
            store.execute(f"DROP TABLE {table}")
        store.execute("PRAGMA user_version = 3")
    with Store(path) as store:
        assert store.version >= 4
        king = person(store, "سلمان بن عبدالعزيز")
        assert person(store, "سلمان بن عبد العزيز ال سعود") == king
        assert names_of(store, king) == {"سلمان بن عبدالعزيز": 1, "سلمان بن عبد العزيز آل سعود": 1}


PLATINI_A = "وقال رئيس الاتحاد الأوروبي لكرة القدم ميشال بلاتيني إنه سيترشح للرئاسة."
PLATINI_B = "وأكد ميشيل بلاتيني أن قراره نهائي بعد اجتماع اللجنة."


def test_corpus_referents_store_migration_6_joins_transliteration_variants(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    with Store(path) as store:
        store.add_many([analysed(PLATINI_A, "a"), analysed(PLATINI_B, "b")])
        one = person(store, "ميشال بلاتيني")
        assert person(store, "ميشيل بلاتيني") == one
        # as a store of schema 5 left them: the second spelling its own corpus referent, plain chains
        cur = store.execute("INSERT INTO corpus_referents (label, name, documents, mentions) VALUES ('PERS', 'x', 1, 1)")
        other = int(cur.lastrowid or 0)
        store.execute(
            "UPDATE corpus_names SET corpus_id = ?, chain = 'ميشيل بلاتيني', first = 'ميشيل', family = 'بلاتيني'"
            " WHERE norm_name = 'ميشيل بلاتيني'",
            (other,),
        )
        store.execute("UPDATE corpus_names SET chain = 'ميشال بلاتيني', first = 'ميشال', family = 'بلاتيني' WHERE corpus_id = ?", (one,))
        store.execute("PRAGMA user_version = 5")
    with Store(path) as store:
        assert store.version >= 6
        assert person(store, "ميشال بلاتيني") == person(store, "ميشيل بلاتيني") == one  # the older id stays
        assert live_id(store, other) == one  # the merged id redirects
