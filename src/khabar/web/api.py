"""The khabar HTTP API (FastAPI).

Endpoints (all JSON; OpenAPI at ``/openapi.json``):

* ``POST /api/analyze`` ``{"text": str, "id"?, "title"?, "date"?, "source"?, ..., "components": [str]?,
  "meta": {}?}`` (a batch record: metadata at the top level, or in ``meta``) -> the Doc JSON (schema 2);
  an empty text is K101 (400), as in ``khabar ingest``
* ``GET /api/search?q=...&limit=20`` -> ``{"hits": [...]}`` (needs a store)
* ``GET /api/documents/{id}`` -> the stored Doc (needs a store)
* ``GET /api/referents?label=&limit=`` -> ``{"referents": [...]}``, the most covered corpus
  referents first, each with its stable ``id``
* ``GET /api/referents/{id, doc_id:local_id or name}`` -> one corpus referent: its names with
  counts, its documents, mentions and quotations (an id merged into another gives that one)
* ``GET /api/quotes?speaker=&about=&limit=`` -> ``{"quotes": [...]}``
* ``GET /api/health`` -> ``{"status": "ok", "version": ...}``

Every error has the body ``{"error": {"code", "message", "hint"}}`` and never a
traceback: a :class:`~khabar.errors.KhabarError` keeps its code (400 for bad
input, options, arguments and queries, K408 for a query over
:data:`~khabar.store.search.MAX_QUERY_CHARS`; 404 for K410/K412; 503 when the store
or a model is unavailable), a request not in the documented format (a missing or mistyped
field, a parameter out of range) ``K116`` (400), other HTTP
errors (unknown route, wrong method) ``K501``, a body over the size limit ``K104``
(413) and anything unexpected ``K999`` (500). The HTML pages (:mod:`khabar.web.ui`)
share these handlers and show the same codes as a page.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import logging
import math
import os
import sqlite3
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar.doc import Doc
from khabar.errors import ConfigError, InputError, KhabarError, ResourceError, StoreError
from khabar.inputs import clean_meta
from khabar.pipeline import DEFAULT_COMPONENTS, Pipeline, resolve
from khabar.store import Store, search_page
from khabar.store.analytics import top_referents
from khabar.store.db import _store_error, norm_name
from khabar.web.queries import list_quotes, referent_detail

__all__ = ["MAX_BODY_BYTES", "AnalyzeRequest", "analyze_text", "create_app", "error_body", "read_body", "status_for"]

MAX_BODY_BYTES = 10_000_000
"""The largest request body accepted (the CLI's 10 MB article limit)."""

# store errors caused by the request (a bad query or argument), not by the store
_BAD_QUERY = {"K404", "K405", "K406", "K408", "K421", "K422", "K423", "K424"}
_NOT_FOUND = {"K410", "K412"}
_log = logging.getLogger(__name__)

MAX_ANALYSES = max(1, min(4, os.cpu_count() or 1))
"""Analyses run at once: one per core, at most 4 (an analysis is Python code holding the GIL, so more
threads add memory, not speed, and slow every other answer); one more is refused with 503 (K502)."""
ANALYSIS_SECONDS = 120.0
"""The time limit of one analysis request: 504 (K503) past it (the pipeline's work budget keeps
one article within seconds, so only an overloaded machine reaches it)."""
BODY_SECONDS = 30.0
"""The time a client has to send its whole request body: 408 (K505) past it (a slow client)."""
STORE_THREADS = 8
"""Threads answering store requests (search, documents, referents) at once."""
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
"""Sent with every response."""

_SLOTS = threading.BoundedSemaphore(MAX_ANALYSES)
_EXECUTOR = ThreadPoolExecutor(max_workers=MAX_ANALYSES, thread_name_prefix="khabar-analyze")
VALIDATION_CODE = "K116"
"""The code of a request that is not in the documented format (400)."""
_STATUS_OF_CODE = {"K502": 503, "K503": 504, "K504": 400, "K505": 408}
T = TypeVar("T")


class AnalyzeRequest(BaseModel):
    """The body of ``POST /api/analyze``: a record of the batch contract (as a line of
    ``khabar analyze --jsonl``), ``{"text": ..., "id"?, "title"?, "date"?, "source"?, ...}``,
    with ``components`` and a ``meta`` object also accepted."""

    # other fields are the record's metadata, passed through as the batch readers do
    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})

    text: str = Field(description="the article, kept unchanged in the Doc's text")
    components: list[str] | None = Field(default=None, description="components to run (default: all)")
    meta: dict[str, Any] | None = Field(
        default=None, description="pass-through fields (id, title, date...); top-level fields may carry them too"
    )

    def record_meta(self) -> dict[str, Any] | None:
        """The metadata: ``meta`` and the top-level fields (cleaned like the batch readers'; they win)."""
        extra = self.model_extra or {}
        if not extra:
            return self.meta
        return {**(self.meta or {}), **clean_meta(extra)}


def error_body(code: str, message: str, hint: str = "") -> dict[str, Any]:
    """The JSON error object every failing request returns."""
    return {"error": {"code": code, "message": message, "hint": hint}}


def status_for(exc: KhabarError) -> int:
    """The HTTP status for a KhabarError."""
    if exc.code in _STATUS_OF_CODE:
        return _STATUS_OF_CODE[exc.code]
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


def _check_finite(value: Any, where: str = "meta") -> None:
    """K114 for NaN or Infinity anywhere in a JSON value (JSON has no such numbers)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{where} holds {value!r}, which is not a JSON number", hint="send finite numbers", code="K114")
    if isinstance(value, dict):
        for k, v in value.items():
            _check_finite(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_finite(v, f"{where}[{i}]")


async def run_analysis(work: Callable[[], T]) -> T:
    """Run ``work`` (an analysis) in a worker thread under the server's limits.

    At most :data:`MAX_ANALYSES` at once (K502, 503, when all are busy: the server keeps
    answering everything else, ``/api/health`` included) and :data:`ANALYSIS_SECONDS` each
    (K503, 504; the thread finishes its article and frees its slot).
    """
    if not _SLOTS.acquire(blocking=False):
        raise KhabarError(
            f"the server is already running {MAX_ANALYSES} analyses",
            hint="retry in a few seconds",
            code="K502",
        )

    def run() -> T:
        try:
            return work()
        finally:
            _SLOTS.release()
            _freeze_models()
            _trim_heap()

    try:
        future = asyncio.get_running_loop().run_in_executor(_EXECUTOR, run)
    except BaseException:
        _SLOTS.release()
        raise
    try:
        return await asyncio.wait_for(future, ANALYSIS_SECONDS)
    except TimeoutError:
        raise KhabarError(
            f"the analysis ran past the {ANALYSIS_SECONDS:.0f} s limit", hint="send a shorter article", code="K503"
        ) from None


_FROZEN = threading.Event()


def _freeze_models() -> None:
    """After the first analysis, move what is alive (the loaded models: millions of objects) out of
    the garbage collector's reach: a full collection would walk them all, holding the GIL, and with
    it every request, for a second or more."""
    if not _FROZEN.is_set():
        _FROZEN.set()
        gc.collect()
        gc.freeze()


def _trim_heap() -> None:
    """Give freed memory back to the system after an analysis (glibc keeps it otherwise)."""
    global _MALLOC_TRIM
    if _MALLOC_TRIM is None:
        try:
            import ctypes

            _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _MALLOC_TRIM = False
    if _MALLOC_TRIM:
        _MALLOC_TRIM(0)


_MALLOC_TRIM: Any = None


def _prepare(text: str, components: list[str] | None, meta: dict[str, Any] | None) -> Pipeline:
    """Check a request's text and meta; the pipeline of its components."""
    if not text.strip():
        raise InputError("the text is empty", hint="give the article text", code="K101")
    if "\x00" in text:
        raise InputError("the text holds a NUL character", hint="send text, not binary data", code="K102")
    _check_finite(meta)
    return _pipeline(resolve(DEFAULT_COMPONENTS if components is None else components))


async def analyze_text(text: str, components: list[str] | None = None, meta: dict[str, Any] | None = None) -> Doc:
    """Analyse one article in a worker thread under the server's limits (K101 when it is blank)."""
    pipeline = _prepare(text, components, meta)
    return await run_analysis(lambda: pipeline.analyze(text, meta))


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

    async def receive() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise too_big
            chunks.append(chunk)

    try:
        await asyncio.wait_for(receive(), BODY_SECONDS)
    except TimeoutError:
        raise KhabarError(
            f"the request body did not arrive within {BODY_SECONDS:.0f} s", hint="send the body at once", code="K505"
        ) from None
    return b"".join(chunks)


class _Guard:
    """ASGI middleware: security headers on every response; a request that has both
    ``Content-Length`` and ``Transfer-Encoding`` (ambiguous framing, request smuggling) refused."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = {k.lower() for k, _v in scope.get("headers", [])}
        if b"content-length" in names and b"transfer-encoding" in names:
            body = json.dumps(
                error_body("K504", "the request has both Content-Length and Transfer-Encoding", "send only one")
            ).encode()
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 400, "headers": headers + SECURITY_HEADERS})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_secured(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_secured)


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
        return failure(request, 400, VALIDATION_CODE, message, "see /openapi.json for the request format")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        response = failure(request, exc.status_code, "K501", str(exc.detail), "see /openapi.json for the endpoints")
        response.headers.update(getattr(exc, "headers", None) or {})
        return response

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, OverflowError):  # an id past SQLite's 64-bit integers: nothing has it
            code = "K412" if "/referents/" in request.url.path else "K410"
            return failure(request, 404, code, "no such id", "ids come from search hits or ingest")
        if isinstance(exc, sqlite3.Error):
            err = _store_error(exc, "read the store")
            return failure(request, status_for(err), err.code, err.message, err.hint)
        _log.exception("internal error")
        message = f"internal error ({exc.__class__.__name__})"
        return failure(request, 500, "K999", message, "please report this bug")

    app.add_middleware(_Guard)

    @app.middleware("http")
    async def few_threads(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # The store endpoints run in anyio's thread pool (40 threads by default): every thread
        # that holds the GIL delays the event loop, and with it /api/health. Eight are enough.
        limiter = anyio.to_thread.current_default_thread_limiter()
        if limiter.total_tokens != STORE_THREADS:
            limiter.total_tokens = STORE_THREADS
        return await call_next(request)

    @app.get("/api/health")
    async def health() -> dict[str, Any]:  # async: answered on the event loop, never queued behind threads
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
    async def analyze(request: Request) -> Response:
        """Analyse one article and return its Doc JSON (schema 2)."""
        body = await read_body(request)
        try:
            req = AnalyzeRequest.model_validate_json(body)
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
        meta = req.record_meta()
        pipeline = _prepare(req.text, req.components, meta)
        # serialised in the worker thread too: a large Doc must not hold up the event loop
        # in pieces: one json.dumps of a large Doc would hold the GIL (and every other request) for seconds
        body = await run_analysis(lambda: "".join(pipeline.analyze(req.text, meta).iter_json()).encode("utf-8"))
        return Response(body, media_type="application/json")

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
        """The most covered corpus referents (``id``: stable, for ``/api/referents/{id}``)."""
        with open_store() as store:
            rows = top_referents(store, label=label or None, limit=limit)
        return {"referents": [{**row, "key": norm_name(row["name"])} for row in rows]}

    @app.get("/api/referents/{ident}")
    def referent(
        ident: str,
        limit: int = Query(500, ge=1, le=5000, description="the most mentions and quotations to list"),
    ) -> dict[str, Any]:
        """One corpus referent (its id, ``doc_id:local_id``, or a name): names, documents, mentions, quotations."""
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
