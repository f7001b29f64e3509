"""The web UI's pages (khabar.web.ui, khabar.web.render) through FastAPI's TestClient."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
pytest.importorskip("jinja2")

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

import khabar
from khabar.store import Store
from khabar.web import create_app
from khabar.web.render import SNIPPET_MARKS, Mark, highlight, snippet_html

# Original short news texts written for these tests: فى for في, a glued الأممالمتحدة,
# guillemets with no space after them, speakers, and one article carrying HTML and a script.
ARTICLES = [
    {
        "id": "w1",
        "title": "محادثات فى عمان",
        "date": "2024-02-11",
        "source": "وكالة الأنباء",
        "text": (
            "وصل الوزير سامي الحداد إلى عمان أمس فى زيارة رسمية تستمر يومين. وقال الحداد للصحفيين فى المطار"
            " :«نريد شراكة حقيقية مع الأردن».وأضاف أن المحادثات ستتناول دعم الأممالمتحدة للاجئين."
        ),
    },
    {
        "id": "w2",
        "title": "فوز الأهلى",
        "date": "2024-03-20",
        "source": "صحيفة الملاعب",
        "text": (
            "فاز نادى الأهلى على الزمالك بهدفين فى المباراة التى أقيمت فى القاهرة. وقال المدرب كريم منصور"
            " :«اللاعبون قدموا أداء رائعا»."
        ),
    },
    {
        "id": "w3",
        "title": 'عنوان <b>"غريب"</b> & رموز',
        "date": "2024-04-01",
        "source": "موقع <i>تجريبي</i>",
        "text": (
            "نشر موقع إخباري فى الرياض نصا فيه <script>alert('x')</script> وعلامات & و\" دون قصد."
            " وقالت المتحدثة ليلى عبدالرحمن إن «الخطأ سيصحح» سريعا."
        ),
    },
]
PAGES = ("/", "/search?q=الأردن", "/analyze", "/referents", "/referents/الحداد", "/quotes", "/quotes?speaker=الحداد")


@pytest.fixture(scope="module")
def store_ids(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    path = tmp_path_factory.mktemp("ui") / "news.db"
    ids: dict[str, int] = {}
    with Store(path) as store:
        for article in ARTICLES:
            meta = {k: v for k, v in article.items() if k != "text"}
            ids[article["id"]], _new = store.add(khabar.analyze(article["text"], meta))
    return str(path), ids


@pytest.fixture(scope="module")
def client(store_ids: tuple[str, dict[str, int]]) -> Iterator[TestClient]:
    with TestClient(create_app(store_ids[0])) as c:
        yield c


@pytest.fixture(scope="module")
def bare_client() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


def doc_url(store_ids: tuple[str, dict[str, int]], ext_id: str) -> str:
    return f"/documents/{store_ids[1][ext_id]}"


# ------------------------------------------------------------------ every page
@pytest.mark.parametrize("url", [*PAGES, "/documents/1"])
def test_web_ui_page_is_rtl_arabic_and_self_contained(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in r.text
    assert '<link rel="stylesheet" href="/static/khabar.css">' in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    # nothing is loaded from elsewhere: no absolute URLs in src/href, no inline script
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", r.text)
    assert "<script" not in r.text


def test_web_ui_static_css_is_vendored(client: TestClient) -> None:
    r = client.get("/static/khabar.css")
    assert r.status_code == 200
    assert "text/css" in r.headers["content-type"]
    assert "@import" not in r.text and "url(" not in r.text
    assert ".ent-PERS" in r.text and ".ent-LOC" in r.text and ".ent-ORG" in r.text and ".ent-MISC" in r.text


def test_web_ui_no_cdn_docs(client: TestClient) -> None:
    # FastAPI's interactive docs load scripts from a CDN: they are off, the schema stays
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def test_web_ui_unknown_page(client: TestClient) -> None:
    r = client.get("/nothing-here")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "K501" in r.text and 'dir="rtl"' in r.text and "Traceback" not in r.text


# ------------------------------------------------------------------ search
def test_web_ui_search_highlights_snippet(client: TestClient, store_ids: tuple[str, dict[str, int]]) -> None:
    r = client.get("/search", params={"q": "الأردن"})
    assert r.status_code == 200
    assert '<mark class="hit">الأردن</mark>' in r.text
    assert f'href="{doc_url(store_ids, "w1")}"' in r.text
    assert r.text.count('class="hit-item"') == 1
    assert 'href="/api/search?q=' in r.text  # the JSON twin


def test_web_ui_search_folds_fi(client: TestClient) -> None:
    # the articles write فى; a search for في finds them
    r = client.get("/search", params={"q": "في", "limit": 10})
    assert r.status_code == 200
    assert r.text.count('class="hit-item"') == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "فى", "topic": "sport"}, {"w2"}),
        ({"speaker": "الحداد"}, {"w1"}),
        ({"entity": "الزمالك"}, {"w2"}),
        ({"q": "فى", "date_from": "2024-03", "date_to": "2024-04"}, {"w2", "w3"}),
        ({"q": "فى", "source": "الملاعب"}, {"w2"}),
    ],
)
def test_web_ui_search_filters(
    client: TestClient, store_ids: tuple[str, dict[str, int]], params: dict[str, str], expected: set[str]
) -> None:
    r = client.get("/search", params=params)
    assert r.status_code == 200, r.text
    found = {ext for ext in store_ids[1] if f'href="{doc_url(store_ids, ext)}"' in r.text}
    if "topic" in params:
        # topic comes from the classifier: only check that the filter narrowed to that topic
        assert found <= expected
    else:
        assert found == expected


@pytest.mark.parametrize(
    ("query", "code"),
    [('"الأردن', "K404"), ("OR", "K404"), ("الأردن OR", "K404"), ("-", "K404"), ("الأردن " * 800, "K408")],
)
def test_web_ui_search_bad_query(client: TestClient, query: str, code: str) -> None:
    r = client.get("/search", params={"q": query})
    assert r.status_code == 400
    assert code in r.text and 'class="error"' in r.text
    assert "Traceback" not in r.text
    assert 'name="q"' in r.text  # the form stays to correct the query


def test_web_ui_search_bad_limit(client: TestClient) -> None:
    r = client.get("/search", params={"q": "الأردن", "limit": 0})
    assert r.status_code == 400
    assert "K116" in r.text and r.headers["content-type"].startswith("text/html")


# ------------------------------------------------------------------ document
def test_web_ui_document_entities_and_quotes(client: TestClient, store_ids: tuple[str, dict[str, int]]) -> None:
    r = client.get(doc_url(store_ids, "w1"))
    assert r.status_code == 200
    page = r.text
    assert re.search(r'<mark class="ent ent-PERS" id="e\d+" data-label="PERS"[^>]*>سامي الحداد</mark>', page)
    assert re.search(r'<mark class="ent ent-LOC"[^>]*>عمان</mark>', page)
    assert re.search(r'<mark class="ent ent-ORG"[^>]*>الأممالمتحدة</mark>', page)  # the original, glued
    assert re.search(r'<span class="quote quote-direct" id="q\d+"[^>]*>نريد شراكة حقيقية مع <mark', page)
    assert re.search(r'<span class="speaker"[^>]*><mark class="ent ent-PERS"[^>]*>الحداد</mark></span>', page)
    assert re.search(r'<span class="who">الحداد</span>', page)
    assert "الملخص" in page and "الكلمات المفتاحية" in page and "التصنيف" in page
    assert 'class="topic-name"' in page and "<meter" in page
    assert f'href="/api/documents/{store_ids[1]["w1"]}"' in page  # the JSON twin
    assert re.search(r'href="/referents/\d+">سامي الحداد</a>', page)  # its corpus referent


def test_web_ui_document_text_unchanged(client: TestClient, store_ids: tuple[str, dict[str, int]]) -> None:
    page = client.get(doc_url(store_ids, "w1")).text
    body = re.search(r'<article class="text" id="text">(.*?)</article>', page, re.DOTALL)
    assert body is not None
    assert html.unescape(re.sub(r"<[^>]+>", "", body.group(1))) == ARTICLES[0]["text"]


def test_web_ui_document_escapes_everything(client: TestClient, store_ids: tuple[str, dict[str, int]]) -> None:
    r = client.get(doc_url(store_ids, "w3"))
    assert r.status_code == 200
    page = r.text
    assert "<script" not in page and "<b>" not in page and "<i>" not in page
    assert (
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page or "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    )
    assert "&lt;b&gt;&#34;غريب&#34;&lt;/b&gt; &amp; رموز" in page  # the title, in <h1> and <title>
    assert "موقع &lt;i&gt;تجريبي&lt;/i&gt;" in page


def test_web_ui_document_missing(client: TestClient) -> None:
    r = client.get("/documents/99999")
    assert r.status_code == 404
    assert "K410" in r.text and r.headers["content-type"].startswith("text/html")


# ------------------------------------------------------------------ paste and analyse
def test_web_ui_analyze_form(bare_client: TestClient) -> None:
    r = bare_client.get("/analyze")
    assert r.status_code == 200
    assert '<form class="paste" method="post" action="/analyze">' in r.text
    assert '<textarea id="text" name="text"' in r.text


def test_web_ui_analyze_post(bare_client: TestClient) -> None:
    text = ARTICLES[2]["text"].replace("\n", "\r\n")
    r = bare_client.post("/analyze", data={"text": text, "title": "<b>عنوان</b>"})
    assert r.status_code == 200
    page = r.text
    assert 'id="analysis"' in page
    assert re.search(r'<mark class="ent ent-LOC"[^>]*>الرياض</mark>', page)
    assert re.search(r'<span class="who">المتحدثة ليلى عبدالرحمن</span>', page)  # title + whole name (issue 13)
    assert "<script" not in page and "<b>" not in page
    assert "&lt;b&gt;عنوان&lt;/b&gt;" in page
    assert "alert(&#39;x&#39;)" in page or "alert('x')" in page


def test_web_ui_analyze_keeps_crlf_out(bare_client: TestClient) -> None:
    r = bare_client.post("/analyze", data={"text": "وصل الوزير إلى القاهرة.\r\nوقال إن الزيارة ناجحة."})
    assert r.status_code == 200
    assert "\r" not in r.text


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"text=%20%20", "application/x-www-form-urlencoded", 400, "K101"),
        (b"title=x", "application/x-www-form-urlencoded", 400, "K101"),
        (b"text=\xff\xfe", "application/x-www-form-urlencoded", 400, "K103"),
        (b"text=" + b"x" * 10_000_001, "application/x-www-form-urlencoded", 413, "K104"),
    ],
)
def test_web_ui_analyze_errors(bare_client: TestClient, body: bytes, content_type: str, status: int, code: str) -> None:
    r = bare_client.post("/analyze", content=body, headers={"content-type": content_type})
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert code in r.text and "Traceback" not in r.text


# ------------------------------------------------------------------ referents and quotations
def test_web_ui_referents_page(client: TestClient) -> None:
    r = client.get("/referents")
    assert r.status_code == 200
    assert re.search(r'<a href="/referents/[^"]+">سامي الحداد</a>', r.text)
    people = client.get("/referents", params={"label": "PERS"}).text
    assert "سامي الحداد" in people and ">عمان<" not in people


def test_web_ui_referent_page(client: TestClient, store_ids: tuple[str, dict[str, int]]) -> None:
    r = client.get("/referents/سامي الحداد")
    assert r.status_code == 200
    page = r.text
    assert "<h1>سامي الحداد" in page
    doc_id = store_ids[1]["w1"]
    # every mention links to its place in the document, shown in its context
    assert len(re.findall(rf'href="/documents/{doc_id}#e\d+"', page)) == 2
    assert re.search(r'<mark class="ent ent-PERS"[^>]*>الحداد</mark>', page)
    # and the quotations attributed to it
    assert re.search(rf'href="/documents/{doc_id}#q\d+">«نريد شراكة حقيقية مع الأردن»', page)
    assert 'href="/api/referents/' in page


def test_web_ui_referent_missing(client: TestClient) -> None:
    r = client.get("/referents/لا أحد بهذا الاسم")
    assert r.status_code == 404
    assert "K412" in r.text


def test_web_ui_quotes_page(client: TestClient) -> None:
    page = client.get("/quotes").text
    assert "نريد شراكة حقيقية مع الأردن" in page and "اللاعبون قدموا أداء رائعا" in page
    mine = client.get("/quotes", params={"speaker": "منصور"}).text
    assert "اللاعبون قدموا أداء رائعا" in mine and "نريد شراكة" not in mine
    bad = client.get("/quotes", params={"speaker": "ـــ"})  # tatweel only: no letters once folded
    assert bad.status_code == 400 and "K423" in bad.text


# ------------------------------------------------------------------ no store
@pytest.mark.parametrize("url", ["/search?q=الأردن", "/documents/1", "/referents", "/referents/x", "/quotes"])
def test_web_ui_without_store(bare_client: TestClient, url: str) -> None:
    r = bare_client.get(url)
    assert r.status_code == 503
    assert "K411" in r.text and 'href="/analyze"' in r.text and 'dir="rtl"' in r.text


def test_web_ui_home_without_store(bare_client: TestClient) -> None:
    r = bare_client.get("/")
    assert r.status_code == 200
    assert "khabar serve --db" in r.text and 'href="/analyze"' in r.text


def test_web_ui_store_file_missing(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "absent.db"))) as c:
        r = c.get("/search", params={"q": "الأردن"})
    assert r.status_code == 503
    assert "K401" in r.text


# ------------------------------------------------------------------ render
def test_render_highlight_nests_crossing_spans() -> None:
    text = "قال الوزير سامي الحداد اليوم"
    marks = [
        Mark(4, 16, 0, "span", "quote"),  # ends inside the entity below
        Mark(11, 22, 2, "mark", "ent ent-PERS", anchor="e0"),
    ]
    out = str(highlight(text, marks))
    assert out == (
        'قال <span class="quote">الوزير <mark class="ent ent-PERS" id="e0">سامي </mark></span>'
        '<mark class="ent ent-PERS">الحداد</mark> اليوم'
    )


def test_render_highlight_escapes_and_ignores_bad_spans() -> None:
    text = '<script>x</script> & "q"'
    out = str(
        highlight(
            text,
            [Mark(0, 8, 0, "mark", 'ent "x"', (("title", "<a>"),)), Mark(5, 5, 0, "b", "e"), Mark(3, 99, 0, "b", "f")],
        )
    )
    assert out == '<mark class="ent &quot;x&quot;" title="&lt;a&gt;">&lt;script&gt;</mark>x&lt;/script&gt; &amp; "q"'


@given(
    st.text(alphabet="اب <>&\"'\nفى", max_size=30),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 3)), max_size=8),
)
def test_render_highlight_keeps_text_and_balances_tags(text: str, spans: list[tuple[int, int, int]]) -> None:
    marks = [Mark(s, e, d, ("span", "mark", "b", "i")[d], f"m{d}") for s, e, d in spans]
    out = str(highlight(text, marks))
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    stack: list[str] = []
    for closing, tag in re.findall(r"<(/?)(\w+)[^>]*>", out):
        if closing:
            assert stack and stack.pop() == tag
        else:
            stack.append(tag)
    assert not stack


def test_render_snippet_html() -> None:
    open_mark, close_mark = SNIPPET_MARKS
    out = str(snippet_html(f"…قال <b> {open_mark}الأردن{close_mark} & مصر…"))
    assert out == '…قال &lt;b&gt; <mark class="hit">الأردن</mark> &amp; مصر…'
