"""The article inside an HTML page: its main text and metadata.

A scraped page carries menus, "most read" lists, adverts, comments and footers around the article.
:func:`extract_article` uses trafilatura (Apache-2.0), the extractor with the best published
main-content scores, to keep the article body and read its metadata (title, date, author, site,
canonical URL). trafilatura gives up on pages with very little text; those fall back to the visible
text of the page (:func:`visible_text`, stdlib only), so a valid page never yields nothing.

trafilatura is imported on first use: importing khabar stays cheap, and pages are rare next to
plain-text inputs. When it cannot be imported (a trimmed environment, or a dependency of it missing,
such as ``lxml_html_clean`` since lxml 5.2), pages still fall back to their visible text, but the
article says so: ``PageArticle.warning`` carries warning K121 with the import error and a hint.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

__all__ = ["PageArticle", "extract_article", "extractor_warning", "visible_text"]

# The metadata fields kept, under khabar's names (trafilatura's name -> ours).
_META_FIELDS = {"title": "title", "date": "date", "author": "author", "sitename": "source", "url": "url"}


@dataclass(frozen=True)
class PageArticle:
    """The text of the article in a page, the extractor that found it and the page's metadata.

    ``warning`` is a ``meta["warnings"]`` line (K121) when the article extractor could not be
    imported and the page was read as its visible text; empty otherwise.
    """

    text: str
    extractor: str
    meta: dict[str, str] = field(default_factory=dict)
    warning: str = ""


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page: blocks become lines, scripts and styles are dropped."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section", "title"})
    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self._skip += 1
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIP and self._skip:
            self._skip -= 1
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> tuple[str, str]:
    """The visible text of an HTML page (one block a line) and its ``<title>``."""
    parser = _TextExtractor()
    parser.feed(page)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line), " ".join(parser.title.split())


@functools.cache
def _import_trafilatura() -> tuple[Any, str]:
    """``(the trafilatura module, "")``, or ``(None, the K121 warning)`` when it cannot be imported."""
    try:
        import trafilatura
    except Exception as exc:  # noqa: BLE001 -- ImportError, or a dependency of it failing as it loads
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        return None, (
            f"K121: the HTML article extractor trafilatura cannot be imported ({reason}); the page is read as "
            "its visible text, menus and footers included (hint: pip install 'trafilatura>=2.0' lxml_html_clean)"
        )
    return trafilatura, ""


def extractor_warning() -> str:
    """The K121 warning when trafilatura cannot be imported, else ``""`` (imports it: call it for pages only)."""
    return _import_trafilatura()[1]


def _trafilatura(page: str) -> tuple[str, dict[str, str]] | None:
    """Main text and metadata by trafilatura, or None when it finds no article (or cannot be imported)."""
    trafilatura, _warning = _import_trafilatura()
    if trafilatura is None:
        return None
    # trafilatura logs every page it cannot parse at WARNING: the caller reports what matters.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        found: Any = trafilatura.bare_extraction(
            page, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False
        )
    except Exception:  # noqa: BLE001 -- a third-party parser on arbitrary input: fall back, never crash
        return None
    if found is None:
        return None
    data = found.as_dict() if hasattr(found, "as_dict") else dict(found)
    text = data.get("text") or ""
    if not text.strip():
        return None
    meta = {ours: str(data[theirs]).strip() for theirs, ours in _META_FIELDS.items() if data.get(theirs)}
    return text, {k: v for k, v in meta.items() if v}


def extract_article(page: str) -> PageArticle:
    """The article in an HTML page: trafilatura's main text, else the page's visible text.

    Args:
        page: the whole HTML page, decoded.

    Returns:
        The text (possibly empty when the page shows no text at all), ``extractor``
        (``"trafilatura"`` or ``"visible-text"``) and the metadata found (``title``, ``date``,
        ``author``, ``source``, ``url``; only those present), and ``warning`` (K121) when
        trafilatura cannot be imported.
    """
    found = _trafilatura(page)
    if found is not None:
        text, meta = found
        if "title" not in meta:
            title = visible_text(page)[1]
            if title:
                meta["title"] = title
        _byline_date(page, meta)
        return PageArticle(text, "trafilatura", meta)
    text, title = visible_text(page)
    meta = {"title": title} if title else {}
    _byline_date(page, meta)
    return PageArticle(text, "visible-text", meta, extractor_warning())


def _byline_date(page: str, meta: dict[str, str]) -> None:
    """Put the first full date written in the page (a byline: الخميس 23 يوليو 2015) in ``meta["date"]``.

    trafilatura's date finder knows no Arabic month names: from such a byline it keeps the year and
    invents ``2015-01-01``. A date it read from the page's metadata (not a 1 January) is kept.
    """
    date = meta.get("date", "")
    if date and not date.endswith("-01-01"):
        return
    from khabar.dates import find_dates

    written = find_dates(visible_text(page)[0])
    if written:
        meta["date"] = written[0][2].raw
    elif date and date not in page:
        meta.pop("date")  # 1 January written nowhere in the page: a year read as a date, never kept
