"""The article inside an HTML page: main text by trafilatura, metadata, fallback, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.errors import InputError
from khabar.htmlpage import extract_article, visible_text
from khabar.inputs import article_from_bytes

BODY = [
    (
        "أعلن وزير الزراعة حسام الدين فهمى، اليوم الأربعاء، عن بدء موسم حصاد القمح فى محافظات الدلتا، "
        "مؤكداً أن الإنتاج المتوقع يفوق العام الماضى بنسبة كبيرة."
    ),
    (
        "وقال فهمى فى تصريحات للصحفيين بمدينة طنطا: «إن الوزارة وفرت ألف حصادة حديثة للمزارعين،"
        "وستتسلم الصوامع المحصول مباشرة».وأضاف أن أسعارالتوريد أعلنت قبل بداية الموسم."
    ),
    "وأشار الوزير إلى أن الدولة تسعى إلى تقليل الفجوة بين الإنتاج والاستهلاك خلال السنوات المقبلة.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>بدء موسم حصاد القمح فى الدلتا | جريدة الوادى</title>
<meta property="og:site_name" content="جريدة الوادى">
<meta property="article:published_time" content="2023-05-10T08:00:00+02:00">
<link rel="canonical" href="https://example.org/agri/wheat-harvest">
<script>document.write("نص من سكربت لا يظهر");</script>
</head><body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/sport">رياضة</a></li><li><a href="/arts">فنون</a></li></ul></nav>
<div class="banner">إعلان: احجز رحلتك الصيفية الآن بأقل الأسعار</div>
<article><h1>بدء موسم حصاد القمح فى الدلتا</h1>
{"".join(f"<p>{p}</p>" for p in BODY)}
</article>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/a">نتيجة مباراة الأمس فى الدورى الممتاز</a></li>
<li><a href="/b">حالة الطقس غدا فى القاهرة والمحافظات</a></li></ul></aside>
<footer>جميع الحقوق محفوظة لجريدة الوادى - سياسة الخصوصية - اتصل بنا</footer>
</body></html>"""


def test_htmlpage_keeps_the_article_and_drops_the_boilerplate() -> None:
    page = extract_article(PAGE)
    assert page.extractor == "trafilatura"
    for paragraph in BODY:
        assert paragraph in page.text  # as written, defects included: repairs come later, as edits
    for boilerplate in ("الرئيسية", "إعلان", "الأكثر قراءة", "نتيجة مباراة", "جميع الحقوق", "سكربت"):
        assert boilerplate not in page.text


def test_htmlpage_reads_the_metadata() -> None:
    meta = extract_article(PAGE).meta
    assert meta["date"] == "2023-05-10"
    assert meta["source"] == "جريدة الوادى"
    assert meta["url"] == "https://example.org/agri/wheat-harvest"
    assert "القمح" in meta["title"]


def test_htmlpage_tiny_page_falls_back_to_visible_text() -> None:
    page = extract_article("<html><head><title>خبر</title></head><body><p>انتهى الاجتماع.</p></body></html>")
    assert "انتهى الاجتماع." in page.text
    assert page.meta["title"] == "خبر"


def test_htmlpage_visible_text_skips_scripts_and_styles() -> None:
    text, title = visible_text("<html><head><style>p{}</style></head><body><script>x()</script><p>نص</p></body></html>")
    assert (text, title) == ("نص", "")


def test_inputs_html_article_carries_meta_and_extractor() -> None:
    article = article_from_bytes(PAGE.encode(), "wheat.html")
    assert article.meta["extracted_from"] == "html" and article.meta["extractor"] == "trafilatura"
    assert article.meta["source"] == "جريدة الوادى" and article.meta["id"] == "wheat.html"
    assert BODY[1] in article.text


def test_inputs_html_without_text_is_k105() -> None:
    with pytest.raises(InputError) as info:
        article_from_bytes(b"<!DOCTYPE html><html><body><script>x()</script></body></html>", "empty.html")
    assert info.value.code == "K105"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div", ">", "<script>", "</script>", "<!--", "-->", "&amp;", "&#",
                                 "نص عربى", "«", "»", "<html>", "<body>", "\x00", "<table><tr><td>", " "]), max_size=40))
def test_htmlpage_never_raises_on_broken_markup(parts: list[str]) -> None:
    page = extract_article("<html><body>" + "".join(parts))
    assert isinstance(page.text, str)
