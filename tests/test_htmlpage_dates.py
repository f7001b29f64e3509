"""An HTML page with an Arabic byline date gets that date, never trafilatura's invented 1 January (issue 14)."""

from __future__ import annotations

from pathlib import Path

from khabar.htmlpage import extract_article
from khabar.store import Store
from khabar.store.ingest import ingest

BODY = (
    "<p>وصل وزير الخارجية إلى عمان اليوم في زيارة رسمية تستمر يومين يلتقي خلالها كبار المسؤولين "
    "في المملكة لبحث العلاقات الثنائية والتعاون الاقتصادي بين البلدين.</p>"
    "<p>وقال الوزير في تصريح للصحفيين عند وصوله إن الزيارة تأتي في إطار التشاور المستمر بين البلدين "
    "حول القضايا الإقليمية والدولية ذات الاهتمام المشترك.</p>"
    "<p>ومن المقرر أن يلتقي الوزير رئيس الوزراء ورئيس مجلس النواب قبل أن يعقد مؤتمرا صحفيا في ختام الزيارة.</p>"
)


def page(byline: str, head: str = "") -> str:
    return (
        f"<html><head><title>وزير الخارجية يزور عمان</title>{head}</head><body><article>"
        f'<h1>وزير الخارجية يزور عمان</h1><p class="byline">{byline}</p>{BODY}</article></body></html>'
    )


def test_html_byline_date_is_kept() -> None:
    meta = extract_article(page("بقلم: سامي خالد | الخميس 23 يوليو 2015")).meta
    assert meta["date"] == "الخميس 23 يوليو 2015"


def test_html_byline_levantine_and_hijri() -> None:
    assert extract_article(page("السبت 5 آذار 2016")).meta["date"] == "السبت 5 آذار 2016"
    assert extract_article(page("6 شوال 1436 هـ")).meta["date"] == "6 شوال 1436 هـ"


def test_html_year_only_is_not_a_date() -> None:
    meta = extract_article(page("تقرير يوليو 2015")).meta
    assert meta.get("date") is None  # not 2015-01-01, not 2015-07-01


def test_html_meta_date_is_kept() -> None:
    head = '<meta property="article:published_time" content="2015-07-21T10:00:00+03:00">'
    assert extract_article(page("بقلم: سامي خالد", head)).meta["date"].startswith("2015-07-21")


def test_html_page_ingested_with_its_byline_date(tmp_path: Path) -> None:
    src = tmp_path / "visit.html"
    src.write_text(page("بقلم: سامي خالد | الخميس 23 يوليو 2015"), encoding="utf-8")
    db = tmp_path / "news.db"
    ingest([str(src)], str(db), components=["repair"])
    with Store.open_readonly(db) as store:
        (date,) = store.execute("SELECT date FROM documents").fetchone()
        meta = store.get(1).meta
    assert date == "2015-07-23" and meta["date_raw"] == "الخميس 23 يوليو 2015"
