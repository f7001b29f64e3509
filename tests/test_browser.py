"""The web UI in a real browser: Playwright driving Debian's chromium (``/usr/bin/chromium``).

The browser is never downloaded (no ``playwright install``): ``.ci/run`` installs Debian's
chromium with apt-get. Without chromium or the ``playwright`` package these tests skip,
except under ``CI=true`` where they fail. Screenshots go to ``build/screenshots/``.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import khabar
from khabar.store import Store

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("KHABAR_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = REPO / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# the entity colours of khabar.css (background of .ent-PERS, .ent-LOC, .ent-ORG)
COLOURS = {"PERS": "rgb(207, 227, 255)", "LOC": "rgb(212, 243, 210)", "ORG": "rgb(255, 226, 191)"}

# Original short news texts written for these tests: glued words (القاهرةالدولى, الأممالمتحدة),
# فى for في, guillemets with a missing space after them, quotations with their speakers.
ARTICLES = [
    {
        "id": "b1",
        "title": "وزير الخارجية يزور عمان",
        "date": "2024-03-02",
        "source": "وكالة الأنباء",
        "text": (
            "أعلنت وزارة الخارجية المصرية اليوم أن الوزير سامي الحداد سيزور عمان الأسبوع المقبل لبحث التعاون"
            " الاقتصادى بين البلدين. وقال الحداد فى تصريحات للصحفيين بالقاهرة :«العلاقات مع الأردن تشهد تطورا"
            " كبيرا فى جميع المجالات».وأضاف أن الجانبين سيوقعان اتفاقيات جديدة فى مجالات الطاقة والنقل.\n"
            "من جهته ، رحب رئيس الوزراء الأردنى بالزيارة ، مؤكدا أن المملكة تتطلع إلى تعزيز الشراكة مع مصر"
            " والأممالمتحدة."
        ),
    },
    {
        "id": "b2",
        "title": "الأهلى يفوز على الزمالك",
        "date": "2024-03-05",
        "source": "صحيفة الملاعب",
        "text": (
            "فاز نادى الأهلى على الزمالك بهدفين مقابل هدف فى المباراة التى أقيمت مساء أمس على استاد"
            " القاهرةالدولى. وقال المدير الفنى للأهلى كريم منصور :«اللاعبون قدموا أداء رائعا رغم صعوبة المباراة»."
            "وأكد رئيس النادى أن الفريق يستعد للبطولة الأفريقية فى تونس."
        ),
    },
    {
        "id": "b3",
        "title": "تراجع التضخم",
        "date": "2024-04-10",
        "source": "وكالة الأنباء",
        "text": (
            "قال البنك المركزى المصرى إن معدل التضخم تراجع خلال الشهر الماضى إلى أدنى مستوى له منذ عامين."
            " وأوضحت محافظة البنك ليلى عبدالرحمن فى بيان أن «السياسة النقدية بدأت تؤتي ثمارها».وتوقع صندوق"
            " النقدالدولى أن يرتفع النمو فى مصر خلال العام المقبل."
        ),
    },
]
PASTED = (
    "استقبل رئيس الوزراء فى بغداد وفدا من منظمة الصحةالعالمية ، وقال المتحدث باسم الحكومة نبيل السامرائي"
    " إن «التعاون مع المنظمة سيستمر».وظهر فى الخبر المنشور نص غريب <script>window.khabarXss = 1</script> لم ينفذ."
)


def _require(ok: bool, reason: str) -> None:
    """Skip when a browser prerequisite is missing; under CI=true fail instead."""
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}: the browser tests must run in CI (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a store of ARTICLES, served by uvicorn on a free loopback port in a thread."""
    try:
        import uvicorn

        from khabar.web import create_app
    except ImportError as exc:
        _require(False, f"the web extra is not installed ({exc.name})")
        raise
    db = tmp_path_factory.mktemp("browser") / "news.db"
    with Store(db) as store:
        for article in ARTICLES:
            meta = {k: v for k, v in article.items() if k != "text"}
            store.add(khabar.analyze(article["text"], meta))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # bound before the server starts: no race for the port
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(str(db)), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(600):  # up to a minute on a busy machine
        if server.started or not thread.is_alive():
            break
        time.sleep(0.1)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A chromium context with a fresh user-data-dir."""
    _require(CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "the playwright package is not installed (pip install -e '.[test]')")
        raise
    profile = tmp_path_factory.mktemp("chromium-profile")
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            locale="ar",
            viewport={"width": 1280, "height": 900},
        )
    except Exception:
        playwright.stop()
        raise
    context.set_default_timeout(60_000)
    yield context
    context.close()
    playwright.stop()


def _screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def _background(locator: Any) -> str:
    return str(locator.evaluate("el => getComputedStyle(el).backgroundColor"))


def test_browser_search_open_document(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=q]", "الأردن")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("ol.hits")
    hits = page.locator(".hit-item")
    assert hits.count() == 1
    assert hits.first.locator("mark.hit").inner_text() == "الأردن"
    _screenshot(page, "search.png")
    hits.first.locator("a.hit-title").click()
    page.wait_for_url(re.compile(r"/documents/\d+$"))
    text = page.locator("article.text")
    assert text.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # the original text, glued words and all, is what the page shows
    assert "والأممالمتحدة" in text.inner_text()
    people = text.locator("mark.ent-PERS")
    assert "سامي الحداد" in people.all_inner_texts()
    assert _background(people.first) == COLOURS["PERS"]
    places = text.locator("mark.ent-LOC")
    assert {"عمان", "الأردن", "مصر"} <= set(places.all_inner_texts())
    assert _background(places.first) == COLOURS["LOC"]
    assert _background(text.locator("mark.ent-ORG").first) == COLOURS["ORG"]
    # right to left: the earlier name on the first line lies to the right of the later one
    first, later = page.locator("#e0").bounding_box(), page.locator("#e1").bounding_box()
    assert first is not None and later is not None
    assert first["x"] > later["x"]
    direct = text.locator("span.quote-direct")
    assert direct.count() >= 1
    assert "العلاقات مع الأردن" in direct.first.inner_text()
    assert "الحداد" in text.locator("span.speaker").all_inner_texts()
    speakers = page.locator(".quotes-list .quote-item .who").all_inner_texts()
    assert "الحداد" in speakers and "رئيس الوزراء الأردنى" in speakers
    assert page.locator(".topic-name").inner_text()
    assert page.locator(".keywords li").count() > 0
    assert page.locator(".summary li").count() > 0
    path = _screenshot(page, "document.png")
    assert path.stat().st_size > 10_000
    page.close()


def test_browser_paste_and_analyze(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + "/analyze")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("textarea[name=text]", PASTED)
    page.fill("input[name=title]", "خبر ملصق")
    page.click("form.paste button[type=submit]")
    page.wait_for_selector("#analysis")
    text = page.locator("#analysis article.text")
    labels = set(text.locator("mark.ent").evaluate_all("els => els.map(e => e.dataset.label)"))
    assert {"LOC", "ORG"} <= labels
    assert "بغداد" in text.locator("mark.ent-LOC").all_inner_texts()
    assert "منظمة الصحةالعالمية" in text.locator("mark.ent-ORG").all_inner_texts()
    # the <script> of the article is shown as text and never runs
    assert "<script>window.khabarXss = 1</script>" in text.inner_text()
    assert page.evaluate("() => window.khabarXss") is None
    assert not dialogs
    assert "نبيل السامرائي" in page.locator(".quotes-list .who").all_inner_texts()
    assert page.locator("textarea[name=text]").input_value() == PASTED
    _screenshot(page, "analyze.png")
    page.close()


def test_browser_referent_page(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "/referents?label=PERS")
    page.locator("table.referents a", has_text="سامي الحداد").click()
    page.wait_for_selector("section.mentions")
    assert page.locator("h1").inner_text().startswith("سامي الحداد")
    assert page.locator("section.mentions li").count() == 2
    assert "العلاقات مع الأردن" in page.locator("section.quotes-list").inner_text()
    page.locator("section.mentions li a").first.click()
    page.wait_for_url(re.compile(r"/documents/\d+#e\d+$"))
    page.close()


def test_browser_referents_table_is_aligned(browser: Any, base_url: str) -> None:
    """Each column's header and cells line up: text and numbers against the right edge (RTL; the units
    of numbers line up)."""
    page = browser.new_page()
    page.goto(base_url + "/referents")
    page.wait_for_selector("table.referents tbody tr")
    _screenshot(page, "referents.png")
    edges = page.evaluate(
        """() => {
        const box = el => { const r = document.createRange(); r.selectNodeContents(el);
          const b = r.getBoundingClientRect(); return [Math.round(b.left), Math.round(b.right)]; };
        const table = document.querySelector("table.referents");
        const heads = [...table.querySelectorAll("thead th")].map(th => ({box: box(th),
          align: getComputedStyle(th).textAlign, cell: th.getBoundingClientRect()}));
        const rows = [...table.querySelectorAll("tbody tr")].map(tr =>
          [...tr.children].map(td => ({box: box(td), align: getComputedStyle(td).textAlign,
            cell: td.getBoundingClientRect()})));
        return {heads, rows};
    }"""
    )
    heads, rows = edges["heads"], edges["rows"]
    assert len(heads) == 4 and rows
    for col, head in enumerate(heads):
        for row in rows:
            cell = row[col]
            assert abs(cell["cell"]["left"] - head["cell"]["left"]) < 1  # the same column box
            assert abs(cell["cell"]["right"] - head["cell"]["right"]) < 1
            assert abs(cell["box"][1] - head["box"][1]) <= 1, (col, head, cell)
    page.close()
