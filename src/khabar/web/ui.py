"""The web UI: right-to-left Arabic pages rendered on the server, one JSON twin under ``/api`` each.

    /                       search form (a notice without a store)
    /search?q=&speaker=...  hits with highlighted snippets and filters      twin: /api/search
    /documents/{id}         the original text with entities and quotations  twin: /api/documents/{id}
    /analyze                paste an article, see its analysis              twin: POST /api/analyze
    /referents?label=       the most covered people, places, organisations  twin: /api/referents
    /referents/{id}         one corpus referent: names, documents, mentions twin: /api/referents/{id}
    /quotes?speaker=&about= quotations across the corpus                    twin: /api/quotes

Pages need no script and load nothing from outside: one vendored CSS file and system
fonts. Jinja2 escapes every value; the highlighted text is built by
:mod:`khabar.web.render`, which escapes the article itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qs, urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from khabar.errors import InputError, KhabarError, StoreError
from khabar.store import Store
from khabar.store import search_page as run_search_page
from khabar.store.analytics import top_referents
from khabar.store.db import norm_name
from khabar.store.search import display_title
from khabar.web import api
from khabar.web.queries import (
    list_quotes,
    referent_detail,
    search_query,
    store_topics,
)
from khabar.web.render import (
    KIND_NAMES,
    LABEL_NAMES,
    SNIPPET_MARKS,
    TOPIC_NAMES,
    Mark,
    doc_view,
    highlight,
    snippet_html,
)

__all__ = ["CONTENT_SECURITY_POLICY", "STATIC_DIR", "add_pages", "error_page", "render_page"]

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"

# Only this server's own files: no CDN, no inline script, no outside fonts or images.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_NO_STORE_HINT: Final = "start the server with: khabar serve --db PATH (a store made by khabar ingest)"
_FILTERS: Final = ("speaker", "entity", "topic", "source", "date_from", "date_to")


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("khabar.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(labels=LABEL_NAMES, kinds=KIND_NAMES, topics=TOPIC_NAMES)
    return env


def _template(name: str) -> Template:
    return _environment().get_template(name)


def render_page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A rendered template as an HTML response with the content security policy."""
    context.setdefault("twin", None)
    context.setdefault("error", None)
    html = _template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


def _error(exc: KhabarError) -> dict[str, str]:
    return {"code": exc.code, "message": exc.message, "hint": exc.hint}


def error_page(status: int, code: str, message: str, hint: str) -> HTMLResponse:
    """The HTML twin of a JSON error: the same code, message and hint."""
    error = {"code": code, "message": message, "hint": hint}
    return render_page("message.html", status, title="خطأ", error=error)


def _no_store_page(title: str) -> HTMLResponse:
    error = {"code": "K411", "message": "no store is configured", "hint": _NO_STORE_HINT}
    return render_page("message.html", 503, title=title, error=error, no_store=True)


def _mention_html(mention: dict[str, Any]) -> Any:
    """A mention's context with the mention itself marked in its entity colour."""
    context = mention["context"]
    start = mention["start"] - context["start"]
    end = mention["end"] - context["start"]
    label = "".join(c for c in str(mention["label"]) if c.isalnum()) or "X"
    mark = Mark(start, end, 0, "mark", f"ent ent-{label}", (("data-label", str(mention["label"])),))
    return highlight(context["text"], [mark])


def add_pages(app: FastAPI, open_store: Callable[[], Store], *, has_store: bool) -> None:
    """Add the HTML pages and ``/static`` to the app built by :func:`khabar.web.api.create_app`."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def store_or_none() -> Store | None:
        return open_store() if has_store else None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        if not has_store:
            return render_page("search.html", form={}, topic_options=[], hits=None, query="", no_store=True)
        with open_store() as store:
            options = store_topics(store)
        return render_page("search.html", form={}, topic_options=options, hits=None, query="", no_store=False)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        q: str = "",
        speaker: str = "",
        entity: str = "",
        topic: str = "",
        source: str = "",
        date_from: str = "",
        date_to: str = "",
        limit: int = Query(20, ge=1, le=200),
        offset: int = Query(0, ge=0),
    ) -> HTMLResponse:
        store = store_or_none()
        if store is None:
            return _no_store_page("بحث")
        form = {"q": q, "speaker": speaker, "entity": entity, "topic": topic, "source": source}
        form |= {"date_from": date_from, "date_to": date_to}
        query = search_query(q, {k: form[k] for k in _FILTERS})
        with store:
            options = store_topics(store)
            page: dict[str, Any] = {"form": form, "topic_options": options, "query": query, "no_store": False}
            if not query:
                return render_page("search.html", hits=None, **page)
            twin = "/api/search?" + urlencode({"q": query, "limit": limit, "offset": offset})
            try:
                result = run_search_page(store, query, limit=limit, offset=offset, marks=SNIPPET_MARKS)
            except StoreError as exc:
                return render_page("search.html", api.status_for(exc), hits=None, error=_error(exc), **page)
        rows = [{"hit": hit, "snippet": snippet_html(hit.snippet)} for hit in result.hits]
        here = {k: v for k, v in form.items() if v} | {"limit": limit}
        pages = {
            "prev": "/search?" + urlencode(here | {"offset": max(0, offset - limit)}) if offset > 0 else None,
            "next": "/search?" + urlencode(here | {"offset": offset + limit})
            if offset + len(result.hits) < result.total
            else None,
        }
        return render_page("search.html", hits=rows, twin=twin, result=result, pages=pages, **page)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(doc_id: int) -> HTMLResponse:
        store = store_or_none()
        if store is None:
            return _no_store_page("وثيقة")
        with store:
            doc = store.get(doc_id)
            corpus_ids = {
                int(local_id): int(corpus_id)
                for local_id, corpus_id in store.execute(
                    "SELECT r.local_id, n.corpus_id FROM referents r JOIN corpus_names n ON n.norm_name = r.norm_name"
                    " WHERE r.doc_id = ?",
                    (doc_id,),
                    "read the document's corpus referents",
                )
            }
        view = doc_view(doc.to_dict(), doc_id)
        for ref in view.referents:  # link each referent (ident doc_id:local_id) to its corpus referent's page
            local = str(ref.get("ident") or "").rpartition(":")[2]
            if local.isdigit() and int(local) in corpus_ids:
                ref["ident"] = str(corpus_ids[int(local)])
        title = display_title(view.title) or f"وثيقة {doc_id}"
        return render_page("document.html", title=title, view=view, doc_id=doc_id, twin=f"/api/documents/{doc_id}")

    @app.get("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_form() -> HTMLResponse:
        return render_page("analyze.html", view=None, text="", title="")

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def analyze_page(request: Request) -> HTMLResponse:
        body = await api.read_body(request)
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise InputError("the form is not UTF-8", hint="send the form from the page", code="K103") from None
        # browsers send a textarea's line breaks as CRLF; give the article back its own LF
        text = fields.get("text", [""])[0].replace("\r\n", "\n")
        title = fields.get("title", [""])[0].strip()
        try:
            doc = await api.analyze_text(text, meta={"title": title} if title else None)
        except InputError as exc:
            return render_page("analyze.html", 400, view=None, text=text, title=title, error=_error(exc))
        return render_page("analyze.html", view=doc_view(doc.to_dict()), text=text, title=title)

    @app.get("/referents", response_class=HTMLResponse, include_in_schema=False)
    def referents_page(label: str = "", limit: int = Query(100, ge=1, le=1000)) -> HTMLResponse:
        store = store_or_none()
        if store is None:
            return _no_store_page("الأعلام")
        with store:
            rows = top_referents(store, label=label or None, limit=limit)
        for row in rows:
            row["key"] = norm_name(row["name"])
        twin = "/api/referents?" + urlencode({"label": label, "limit": limit})
        return render_page("referents.html", rows=rows, label=label.upper(), twin=twin)

    @app.get("/referents/{ident}", response_class=HTMLResponse, include_in_schema=False)
    def referent_page(ident: str, limit: int = Query(500, ge=1, le=5000)) -> HTMLResponse:
        store = store_or_none()
        if store is None:
            return _no_store_page("علم")
        with store:
            ref = referent_detail(store, ident, limit=limit)
        mentions = [{**m, "html": _mention_html(m)} for m in ref["mentions"]]
        twin = f"/api/referents/{ref['id']}"
        return render_page("referent.html", ref=ref, mentions=mentions, twin=twin)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(speaker: str = "", about: str = "", limit: int = Query(100, ge=1, le=1000)) -> HTMLResponse:
        store = store_or_none()
        if store is None:
            return _no_store_page("الاقتباسات")
        form = {"speaker": speaker, "about": about}
        twin = "/api/quotes?" + urlencode({k: v for k, v in (*form.items(), ("limit", limit)) if v})
        with store:
            try:
                rows = list_quotes(store, speaker=speaker.strip() or None, about=about.strip() or None, limit=limit)
            except StoreError as exc:
                return render_page("quotes.html", api.status_for(exc), rows=[], form=form, error=_error(exc))
        return render_page("quotes.html", rows=rows, form=form, twin=twin)
