"""The khabar HTTP API (FastAPI).

Endpoints (all JSON; OpenAPI at ``/openapi.json``):

* ``POST /api/analyze`` ``{"text": str, "components": [str]?, "meta": {}?}`` -> the Doc (schema 1)
* ``GET /api/search?q=...&limit=20`` -> ``{"hits": [...]}`` (needs a store)
* ``GET /api/documents/{id}`` -> the stored Doc (needs a store)
* ``GET /api/referents?label=&limit=`` -> ``{"referents": [...]}``, the most covered first
* ``GET /api/referents/{key or doc_id:local_id}`` -> one referent: its mentions and quotations
* ``GET /api/quotes?speaker=&about=&limit=`` -> ``{"quotes": [...]}``
* ``GET /api/health`` -> ``{"status": "ok", "version": ...}``

Every error has the body ``{"error": {"code", "message", "hint"}}`` and never a
traceback: a :class:`~khabar.errors.KhabarError` keeps its code (400 for bad
input, options, arguments and queries, K408 for a query over
:data:`~khabar.store.search.MAX_QUERY_CHARS`; 404 for K410/K412; 503 when the store
or a model is unavailable), request validation errors are ``K500`` (422), other HTTP
errors (unknown route, wrong method) ``K501``, a body over the size limit ``K104``
(413) and anything unexpected ``K999`` (500). The HTML pages (:mod:`khabar.web.ui`)
share these handlers and show the same codes as a page.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar.doc import Doc
from khabar.errors import ConfigError, InputError, KhabarError, ResourceError, StoreError
from khabar.pipeline import DEFAULT_COMPONENTS, Pipeline, resolve
from khabar.store import Store, search_page
from khabar.store.analytics import top_referents
from khabar.store.db import norm_name
from khabar.web.queries import list_quotes, referent_detail

__all__ = ["MAX_BODY_BYTES", "AnalyzeRequest", "analyze_text", "create_app", "error_body", "read_body", "status_for"]

MAX_BODY_BYTES = 10_000_000
"""The largest request body accepted (the CLI's 10 MB article limit)."""

# store errors caused by the request (a bad query or argument), not by the store
_BAD_QUERY = {"K404", "K405", "K406", "K408", "K421", "K422", "K423", "K424"}
_NOT_FOUND = {"K410", "K412"}
_log = logging.getLogger(__name__)


class AnalyzeRequest(BaseModel):
    """The body of ``POST /api/analyze``."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the article, kept unchanged in the Doc's text")
    components: list[str] | None = Field(default=None, description="components to run (default: all)")
    meta: dict[str, Any] | None = Field(default=None, description="pass-through fields (id, title, date...)")


def error_body(code: str, message: str, hint: str = "") -> dict[str, Any]:
    """The JSON error object every failing request returns."""
    return {"error": {"code": code, "message": message, "hint": hint}}


def status_for(exc: KhabarError) -> int:
    """The HTTP status for a KhabarError."""
    if isinstance(exc, InputError | ConfigError):
        return 400
    if isinstance(exc, StoreError):
        if exc.code in _BAD_QUERY:
            return 400
        if exc.code in _NOT_FOUND:
            return 404
        return 503
    if isinstance(exc, ResourceError):
        return 503
    return 500


@functools.lru_cache(maxsize=32)
def _pipeline(names: tuple[str, ...]) -> Pipeline:
    """One Pipeline per resolved component set, built once and reused."""
    return Pipeline(names)


async def analyze_text(text: str, components: list[str] | None = None, meta: dict[str, Any] | None = None) -> Doc:
    """Analyse one article in a worker thread (K101 when it is blank)."""
    if not text.strip():
        raise InputError("the text is empty", hint="give the article text", code="K101")
    names = resolve(DEFAULT_COMPONENTS if components is None else components)
    pipeline = _pipeline(names)
    return await run_in_threadpool(pipeline.analyze, text, meta)


def _is_api(request: Request) -> bool:
    """True for the JSON API (errors as JSON); False for the HTML pages (errors as a page)."""
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def _validation_message(errors: list[Any]) -> str:
    parts = []
    for err in errors[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def read_body(request: Request) -> bytes:
    """The request body, refusing (K104) more than MAX_BODY_BYTES before reading it all."""
    length = request.headers.get("content-length")
    too_big = InputError(
        f"request body over the {MAX_BODY_BYTES / 1e6:.0f} MB limit", hint="split the article", code="K104"
    )
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(db_path: str | None = None) -> FastAPI:
    """Build the app: the JSON API under ``/api`` and the HTML pages of :mod:`khabar.web.ui`.

    Args:
        db_path: a khabar store (``khabar ingest --db``); without one, search, documents,
            referents and quotations answer 503 (the analysis page still works). Each
            request opens its own read-only connection.
    """
    import khabar
    from khabar.web import ui

    # docs_url/redoc_url off: FastAPI's interactive docs load their scripts from a CDN
    app = FastAPI(
        title="khabar",
        version=khabar.__version__,
        description="Offline Arabic news understanding: analyse articles and search a khabar store.",
        docs_url=None,
        redoc_url=None,
    )

    def open_store() -> Store:
        if db_path is None:
            raise StoreError(
                "no store is configured", hint="start the server with --db PATH (a khabar ingest store)", code="K411"
            )
        return Store.open_readonly(db_path)

    def failure(request: Request, status: int, code: str, message: str, hint: str) -> Response:
        if _is_api(request):
            return JSONResponse(error_body(code, message, hint), status_code=status)
        return ui.error_page(status, code, message, hint)

    @app.exception_handler(KhabarError)
    async def khabar_error(request: Request, exc: KhabarError) -> Response:
        status = 413 if exc.code == "K104" else status_for(exc)  # K104: body over the size limit
        return failure(request, status, exc.code, exc.message, exc.hint)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        message = _validation_message(list(exc.errors()))
        return failure(request, 422, "K500", message, "see /openapi.json for the request format")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = failure(request, exc.status_code, "K501", str(exc.detail), "see /openapi.json for the endpoints")
        response.headers.update(getattr(exc, "headers", None) or {})
        return response

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        _log.exception("internal error")
        message = f"internal error ({exc.__class__.__name__})"
        return failure(request, 500, "K999", message, "please report this bug")

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        """Liveness and version."""
        return {"status": "ok", "version": khabar.__version__}

    @app.post(
        "/api/analyze",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": AnalyzeRequest.model_json_schema()}},
            }
        },
    )
    async def analyze(request: Request) -> JSONResponse:
        """Analyse one article and return its Doc (schema 1)."""
        body = await read_body(request)
        try:
            req = AnalyzeRequest.model_validate_json(body)
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
        doc = await analyze_text(req.text, req.components, req.meta)
        return JSONResponse(doc.to_dict())

    @app.get("/api/search")
    def search(
        q: str = Query(description='a khabar query: words, "phrases", OR, -excluded, field:value'),
        limit: int = Query(20, ge=1, le=1000, description="the most hits to return"),
        offset: int = Query(0, ge=0, description="hits to skip (paging)"),
    ) -> dict[str, Any]:
        """Search the store (BM25, best first); ``snippet`` marks every match with ``[...]``.

        Also ``total``, ``offset``, ``any_terms`` (the list went on with documents holding only some
        of the words), and for an empty page ``reason`` and ``suggestions``.
        """
        with open_store() as store:
            result = search_page(store, q, limit=limit, offset=offset)
        return result.to_dict()

    @app.get("/api/documents/{doc_id}")
    def document(doc_id: int) -> JSONResponse:
        """The stored Doc with this id."""
        with open_store() as store:
            doc = store.get(doc_id)
        return JSONResponse(doc.to_dict())

    @app.get("/api/referents")
    def referents(
        label: str | None = Query(None, description="only this entity label: PERS, LOC, ORG, MISC"),
        limit: int = Query(50, ge=1, le=1000, description="the most referents to return"),
    ) -> dict[str, Any]:
        """The most covered referents of the corpus, merged across documents by folded name."""
        with open_store() as store:
            rows = top_referents(store, label=label or None, limit=limit)
        return {"referents": [{**row, "key": norm_name(row["name"])} for row in rows]}

    @app.get("/api/referents/{ident}")
    def referent(
        ident: str,
        limit: int = Query(500, ge=1, le=5000, description="the most mentions and quotations to list"),
    ) -> dict[str, Any]:
        """One referent (its key, a name, or ``doc_id:local_id``): every mention and quotation."""
        with open_store() as store:
            return referent_detail(store, ident, limit=limit)

    @app.get("/api/quotes")
    def quotes(
        speaker: str | None = Query(None, description="a speaker's name (folded substring match)"),
        about: str | None = Query(None, description="only quotations whose document or content mentions this"),
        limit: int = Query(50, ge=1, le=1000, description="the most quotations to return"),
    ) -> dict[str, Any]:
        """Quotations across the corpus, optionally by a speaker and about something."""
        with open_store() as store:
            rows = list_quotes(store, speaker=speaker or None, about=about or None, limit=limit)
        return {"quotes": rows}

    ui.add_pages(app, open_store, has_store=db_path is not None)
    return app
