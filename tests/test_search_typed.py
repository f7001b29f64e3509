"""Tests for search as people type it: any-term continuation, repaired queries, paging, highlights,
Arabic topic names, "did you mean" and the one-line reason of an empty answer (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import khabar
from khabar.cli.main import main as cli
from khabar.errors import StoreError
from khabar.store import Store, search, search_page
from khabar.store.search import TOPIC_NAMES, parse_query, suggest_names, topic_label

ARTICLES = [
    (
        "london",
        (
            "التقى رئيس الوزراء البريطاني ديفيد كاميرون وزير الخارجية في لندن أمس لبحث ملف الهجرة. "
            "وقال كاميرون إن الحكومة ستقدم خطة جديدة للهجرة قبل نهاية العام."
        ),
        {"title": "كاميرون يبحث الهجرة", "date": "2015-07-20", "source": "وكالة أ"},
    ),
    (
        "glued",
        "أعلنت الولاياتالمتحدة أنها سترسل وفدا إلى جنيف لبحث الملف النووي مع إيران الأسبوع المقبل.",
        {"title": "وفد أمريكي إلى جنيف", "date": "2015-07-22", "source": "وكالة ب"},
    ),
    (
        "match",
        (
            "فاز فريق الهلال على النصر بهدفين نظيفين في المباراة التي أقيمت في الرياض مساء الخميس، "
            "وقال المدرب إن الفريق لعب مباراة ممتازة."
        ),
        {"title": "الهلال يفوز على النصر", "date": "2015-07-23", "source": "وكالة أ"},
    ),
    (
        "oil",
        (
            "ارتفعت أسعار النفط في الأسواق العالمية اليوم بعد قرار الحكومة خفض الإنتاج، "
            "وقال وزير الطاقة إن الأسواق ستستقر خلال أسابيع."
        ),
        {"title": "&quot;النفط&quot; يرتفع", "date": "2015-07-21", "source": "وكالة ب"},
    ),
]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nlp = khabar.load()
    path = tmp_path_factory.mktemp("typed") / "news.db"
    with Store(path) as store:
        store.add_many(nlp.analyze(text, {"id": key, **meta}) for key, text, meta in ARTICLES)
    return path


def test_search_all_terms_come_first_then_any_term(reader: Store) -> None:
    # no document holds every word: the list goes on with those holding some, the best share first
    result = search_page(reader, "أسعار النفط في جنيف", limit=10)
    assert result.any_terms
    assert [h.ext_id for h in result.hits][:2] in (["oil", "glued"], ["glued", "oil"])
    assert not any(h.all_terms for h in result.hits)
    assert result.total == 2  # documents holding a content word: في (in every one) is no candidate alone


def test_search_all_terms_hits_are_flagged_and_ranked_first(reader: Store) -> None:
    result = search_page(reader, "الهجرة لندن", limit=10)
    assert [h.ext_id for h in result.hits if h.all_terms] == ["london"]
    assert result.hits[0].ext_id == "london"


def test_search_enough_all_terms_hits_no_continuation(reader: Store) -> None:
    result = search_page(reader, "وقال الحكومة", limit=1)
    assert not result.any_terms and len(result.hits) == 1 and result.hits[0].all_terms


def test_search_pasted_headline_with_dash(reader: Store) -> None:
    hits = search(reader, "ارتفاع أسعار النفط - الأسواق العالمية")
    assert hits[0].ext_id == "oil"


def test_search_glued_query_is_repaired(reader: Store) -> None:
    (hit, *_rest) = search(reader, "الولاياتالمتحدة")
    assert hit.ext_id == "glued" and hit.all_terms


def test_search_query_clitics_split_like_the_text(reader: Store) -> None:
    assert search(reader, "وبالهجرة")[0].ext_id == "london"


def test_search_highlights_every_match(reader: Store) -> None:
    (hit,) = [h for h in search(reader, "كاميرون الهجرة", width=400) if h.all_terms]
    assert hit.snippet.count("[") >= 4  # كاميرون twice, الهجرة and للهجرة
    assert "[كاميرون]" in hit.snippet and "[الهجرة]" in hit.snippet
    text = ARTICLES[0][1]
    assert all(text[s:e] for s, e in hit.matches) and len(hit.matches) >= 4


def test_search_filter_only_newest_first_with_total(reader: Store) -> None:
    result = search_page(reader, "source:وكالة", limit=2)
    assert [h.ext_id for h in result.hits] == ["match", "glued"]
    assert result.total == 4
    page2 = search_page(reader, "source:وكالة", limit=2, offset=2)
    assert [h.ext_id for h in page2.hits] == ["oil", "london"]


def test_search_paging_covers_every_hit_once(reader: Store) -> None:
    whole = [h.ext_id for h in search_page(reader, "في الحكومة", limit=10).hits]
    paged = [h.ext_id for k in range(4) for h in search_page(reader, "في الحكومة", limit=1, offset=k).hits]
    assert paged == whole[:4]


def test_search_offset_past_the_end_says_so(reader: Store) -> None:
    result = search_page(reader, "النفط", limit=5, offset=10)
    assert not result.hits and result.reason and "offset" in result.reason


def test_search_negative_offset_is_an_error(reader: Store) -> None:
    with pytest.raises(StoreError) as err:
        search_page(reader, "النفط", offset=-1)
    assert err.value.code == "K405"


@pytest.mark.parametrize(("arabic", "label"), [("رياضة", "sport"), ("الرياضه", "sport"), ("اقتصاد", "economy")])
def test_search_topic_arabic_names(arabic: str, label: str) -> None:
    assert topic_label(arabic) == label
    assert TOPIC_NAMES


def test_search_topic_arabic_equals_english(reader: Store) -> None:
    topics = {t for (t,) in reader.execute("SELECT topic FROM documents")}
    for label in topics:
        arabic = next(k for k, v in TOPIC_NAMES.items() if v == label)
        english = [h.id for h in search(reader, f"topic:{label}")]
        assert english and [h.id for h in search(reader, f'topic:"{arabic}"')] == english


def test_search_unknown_topic_says_which_exist(reader: Store) -> None:
    result = search_page(reader, "topic:فلك")
    assert not result.hits and result.reason and result.reason.startswith("unknown topic")


def test_search_did_you_mean_a_misspelt_name(reader: Store) -> None:
    assert "ديفيد كاميرون" in suggest_names(reader, "كامرون")
    result = search_page(reader, "entity:كامرون")
    assert not result.hits and "ديفيد كاميرون" in result.suggestions
    assert result.reason and "did you mean" in result.reason
    word = search_page(reader, "كامرون")
    assert not word.hits and "ديفيد كاميرون" in word.suggestions


def test_search_no_match_reason(reader: Store) -> None:
    result = search_page(reader, "بطريق")
    assert not result.hits and result.reason == "no document matches the query"


def test_search_titles_decoded(reader: Store) -> None:
    (hit,) = [h for h in search(reader, "الطاقة") if h.ext_id == "oil"]
    assert hit.title == '"النفط" يرتفع'


def test_parse_query_lone_dash_alone_is_an_error() -> None:
    with pytest.raises(StoreError) as err:
        parse_query("-")
    assert err.value.code == "K404"
    assert parse_query("جنيف - فيينا").groups == parse_query("جنيف فيينا").groups


def test_result_to_dict(reader: Store) -> None:
    d = search_page(reader, "النفط", limit=1).to_dict()
    assert {"hits", "total", "offset", "limit", "any_terms", "reason", "suggestions"} <= set(d)
    assert isinstance(d["hits"][0]["matches"], list) and d["hits"][0]["all_terms"] is True


# ------------------------------------------------------------------------------ CLI
def test_cli_search_offset_and_totals(db_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "source:وكالة", "--db", str(db_path), "--limit", "2", "--offset", "2"])
    assert out.exit_code == 0
    assert "hits 3-4 of 4" in out.stderr


def test_cli_search_any_terms_said_on_stderr(db_path: Path) -> None:
    out = CliRunner().invoke(cli, ["search", "أسعار النفط في جنيف", "--db", str(db_path)])
    assert out.exit_code == 0 and "only some of the words" in out.stderr


@pytest.mark.parametrize(
    ("query", "said"),
    [("بطريق", "no document matches"), ("entity:كامرون", "did you mean"), ("topic:فلك", "unknown topic")],
)
def test_cli_search_empty_says_why(db_path: Path, query: str, said: str) -> None:
    out = CliRunner().invoke(cli, ["search", query, "--db", str(db_path)])
    assert out.exit_code == 0 and out.stdout == ""
    assert said in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_cli_entities_and_related_have_headers(db_path: Path) -> None:
    runner = CliRunner()
    ents = runner.invoke(cli, ["entities", "--db", str(db_path)])
    assert ents.exit_code == 0 and ents.stdout.splitlines()[0].split() == ["id", "docs", "mentions", "label", "name"]
    rel = runner.invoke(cli, ["related", "كاميرون", "--db", str(db_path)])
    assert rel.exit_code == 0
    if rel.stdout:
        assert rel.stdout.splitlines()[0].split() == ["id", "docs", "label", "name"]
    else:
        assert rel.stderr.strip()


def test_cli_entities_unknown_label_lists_the_labels(db_path: Path) -> None:
    out = CliRunner().invoke(cli, ["entities", "--label", "XYZ", "--db", str(db_path)])
    assert out.exit_code == 1
    assert "K424" in out.stderr and "PERS, LOC, ORG, MISC" in out.stderr


def test_cli_related_unknown_name_says_why(db_path: Path) -> None:
    out = CliRunner().invoke(cli, ["related", "بطريق", "--db", str(db_path)])
    assert out.exit_code == 0 and out.stdout == "" and "no referent" in out.stderr


# ------------------------------------------------------------------------------ API and web
def test_api_search_offset_total_and_reason(db_path: Path) -> None:
    from fastapi.testclient import TestClient

    from khabar.web.api import create_app

    client = TestClient(create_app(str(db_path)))
    body = client.get("/api/search", params={"q": "source:وكالة", "limit": 2, "offset": 2}).json()
    assert body["total"] == 4 and body["offset"] == 2 and len(body["hits"]) == 2
    empty = client.get("/api/search", params={"q": "entity:كامرون"}).json()
    assert empty["hits"] == [] and "ديفيد كاميرون" in empty["suggestions"] and empty["reason"]
    bad = client.get("/api/referents", params={"label": "XYZ"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "K424"


def test_web_search_total_and_next_previous_links(db_path: Path) -> None:
    from fastapi.testclient import TestClient

    from khabar.web.api import create_app

    client = TestClient(create_app(str(db_path)))
    first = client.get("/search", params={"source": "وكالة", "limit": 2}).text
    assert "من 4" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/search", params={"source": "وكالة", "limit": 2, "offset": 2}).text
    assert 'rel="prev"' in second and 'rel="next"' not in second
    empty = client.get("/search", params={"entity": "كامرون"}).text
    assert "هل تقصد" in empty and "ديفيد كاميرون" in empty


def test_web_and_api_titles_have_no_html_entities(db_path: Path) -> None:
    from fastapi.testclient import TestClient

    from khabar.web.api import create_app

    client = TestClient(create_app(str(db_path)))
    hits = client.get("/api/search", params={"q": "الطاقة"}).json()["hits"]
    assert any(h["title"] == '"النفط" يرتفع' for h in hits)
    page = client.get("/search", params={"q": "الطاقة"}).text
    assert "&amp;quot;" not in page and "النفط" in page
    oil = next(h["id"] for h in hits if h["ext_id"] == "oil")
    doc_page = client.get(f"/documents/{oil}").text
    assert "&amp;quot;" not in doc_page


def test_cli_search_titles_have_no_html_entities(db_path: Path) -> None:
    out = CliRunner().invoke(cli, ["search", "الطاقة", "--db", str(db_path)])
    assert out.exit_code == 0 and '"النفط" يرتفع' in out.stdout and "&quot;" not in out.stdout
