"""The khabar HTTP API (FastAPI).

Endpoints (all JSON; OpenAPI at ``/openapi.json``):

* ``POST /api/analyze`` ``{"text": str, "components": [str]?, "meta": {}?}`` -> the Doc (schema 1)
* ``GET /api/search?q=...&limit=20`` -> ``{"hits": [...]}`` (needs a store)
* ``GET /api/documents/{id}`` -> the stored Doc (needs a store)
* ``GET /api/health`` -> ``{"status": "ok", "version": ...}``

Every error has the body ``{"error": {"code", "message", "hint"}}`` and never a
traceback: a :class:`~khabar.errors.KhabarError` keeps its code (400 for bad
input, options and queries; 404 for K410; 503 when the store or a model is
unavailable), request validation errors are ``K500`` (422), other HTTP errors
(unknown route, wrong method) ``K501``, a body over the size limit ``K104``
(413) and anything unexpected ``K999`` (500).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar.errors import ConfigError, InputError, KhabarError, ResourceError, StoreError
from khabar.pipeline import DEFAULT_COMPONENTS, Pipeline, resolve
from khabar.store import Store
from khabar.store import search as run_search

__all__ = ["MAX_BODY_BYTES", "AnalyzeRequest", "create_app", "error_body", "status_for"]

MAX_BODY_BYTES = 10_000_000
"""The largest request body accepted (the CLI's 10 MB article limit)."""

_BAD_QUERY = {"K404", "K405", "K406"}
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
        if exc.code == "K410":
            return 404
        return 503
    if isinstance(exc, ResourceError):
        return 503
    return 500


@functools.lru_cache(maxsize=32)
def _pipeline(names: tuple[str, ...]) -> Pipeline:
    """One Pipeline per resolved component set, built once and reused."""
    return Pipeline(names)


def _khabar_response(exc: KhabarError) -> JSONResponse:
    return JSONResponse(error_body(exc.code, exc.message, exc.hint), status_code=status_for(exc))


def _validation_message(errors: list[Any]) -> str:
    parts = []
    for err in errors[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _read_body(request: Request) -> bytes:
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
    """Build the app.

    Args:
        db_path: a khabar store (``khabar ingest --db``); without one, search and
            documents answer 503. Each request opens its own read-only connection.
    """
    import khabar

    app = FastAPI(
        title="khabar",
        version=khabar.__version__,
        description="Offline Arabic news understanding: analyse articles and search a khabar store.",
    )

    def open_store() -> Store:
        if db_path is None:
            raise StoreError(
                "no store is configured", hint="start the server with --db PATH (a khabar ingest store)", code="K411"
            )
        return Store.open_readonly(db_path)

    @app.exception_handler(KhabarError)
    async def khabar_error(_request: Request, exc: KhabarError) -> JSONResponse:
        if exc.code == "K104":  # body over the size limit
            return JSONResponse(error_body(exc.code, exc.message, exc.hint), status_code=413)
        return _khabar_response(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        message = _validation_message(list(exc.errors()))
        return JSONResponse(error_body("K500", message, "see /openapi.json for the request format"), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            error_body("K501", str(exc.detail), "see /openapi.json for the endpoints"),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception) -> JSONResponse:
        _log.exception("internal error")
        return JSONResponse(
            error_body("K999", f"internal error ({exc.__class__.__name__})", "please report this bug"),
            status_code=500,
        )

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
        body = await _read_body(request)
        try:
            req = AnalyzeRequest.model_validate_json(body)
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
        if not req.text.strip():
            raise InputError("the text is empty", hint="give the article text", code="K101")
        names = resolve(DEFAULT_COMPONENTS if req.components is None else req.components)
        pipeline = _pipeline(names)
        doc = await run_in_threadpool(pipeline.analyze, req.text, req.meta)
        return JSONResponse(doc.to_dict())

    @app.get("/api/search")
    def search(
        q: str = Query(description='a khabar query: words, "phrases", OR, -excluded, field:value'),
        limit: int = Query(20, ge=1, le=1000, description="the most hits to return"),
    ) -> dict[str, Any]:
        """Search the store (BM25, best first)."""
        with open_store() as store:
            hits = run_search(store, q, limit=limit)
        return {"hits": [hit.to_dict() for hit in hits]}

    @app.get("/api/documents/{doc_id}")
    def document(doc_id: int) -> JSONResponse:
        """The stored Doc with this id."""
        with open_store() as store:
            doc = store.get(doc_id)
        return JSONResponse(doc.to_dict())

    return app
