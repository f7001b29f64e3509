"""Hostile requests to the HTTP API (issue 15): each gets a coded error, never a 500 or a traceback."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from khabar.store.ingest import ingest
from khabar.web import api
from khabar.web.api import create_app

TEXT = "قال الوزير إن المحادثات مستمرة في العاصمة."


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("http")
    src = folder / "recs.jsonl"
    src.write_text(json.dumps({"text": TEXT}) + "\n", encoding="utf-8")
    ingest([str(src)], str(folder / "s.db"))
    with TestClient(create_app(str(folder / "s.db")), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/api/documents/9223372036854775808", "K410"),
        ("/api/documents/99999999999999999999999", "K410"),
        ("/documents/9223372036854775808", None),
        ("/api/referents/99999999999999999999:1", "K412"),
    ],
)
def test_hostile_http_ids_past_64_bits_are_404(client: TestClient, path: str, code: str | None) -> None:
    r = client.get(path)
    assert r.status_code == 404
    if code:
        assert r.json()["error"]["code"] == code


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_hostile_http_non_finite_meta_is_400(client: TestClient, number: str) -> None:
    body = '{"text": "' + TEXT + '", "components": ["repair"], "meta": {"x": [1, ' + number + "]}}"
    r = client.post("/api/analyze", content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "K114"


def test_hostile_http_security_headers(client: TestClient) -> None:
    for path in ("/api/health", "/", "/api/nope"):
        assert client.get(path).headers["x-content-type-options"] == "nosniff"


def test_hostile_http_lone_surrogate_and_nul(client: TestClient) -> None:
    r = client.post("/api/analyze", content=b'{"text": "a\\ud800b"}', headers={"content-type": "application/json"})
    assert r.status_code in (400, 422) and r.json()["error"]["code"].startswith("K")
    r = client.post("/api/analyze", json={"text": TEXT + "\x00"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "K102"


def test_hostile_http_conflicting_framing_refused() -> None:
    app = api._Guard(create_app())
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/analyze",
        "headers": [(b"content-length", b"2"), (b"transfer-encoding", b"chunked")],
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"])["error"]["code"] == "K504"


def test_hostile_http_analyses_limited_then_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(api, "_SLOTS", slots)
    assert slots.acquire(blocking=False)  # every slot busy
    try:
        r = client.post("/api/analyze", json={"text": TEXT, "components": ["repair"]})
        assert r.status_code == 503 and r.json()["error"]["code"] == "K502"
        assert client.get("/api/health").status_code == 200  # the rest still answers
    finally:
        slots.release()
    assert client.post("/api/analyze", json={"text": TEXT, "components": ["repair"]}).status_code == 200


def test_hostile_http_time_limit_is_504(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    monkeypatch.setattr(api, "ANALYSIS_SECONDS", 0.01)

    class Slow:
        def analyze(self, text: str, meta: object = None) -> object:
            release.wait(10)
            raise RuntimeError("never returned")

    monkeypatch.setattr(api, "_pipeline", lambda names: Slow())
    try:
        r = client.post("/api/analyze", json={"text": TEXT})
        assert r.status_code == 504 and r.json()["error"]["code"] == "K503"
    finally:
        release.set()


def test_hostile_http_big_unclosed_marks_response_linear(client: TestClient) -> None:
    text = "«كلمة " * 20_000
    r = client.post("/api/analyze", json={"text": text, "components": ["repair", "segment"]})
    assert r.status_code == 200
    assert len(r.content) <= 60 * len(text.encode("utf-8"))


def test_hostile_http_store_in_read_only_place(tmp_path: Path) -> None:
    src = tmp_path / "recs.jsonl"
    src.write_text(json.dumps({"text": TEXT}) + "\n", encoding="utf-8")
    ingest([str(src)], str(tmp_path / "s.db"))
    (tmp_path / "s.db").chmod(0o444)
    with TestClient(create_app(str(tmp_path / "s.db")), raise_server_exceptions=False) as c:
        assert c.get("/api/documents/1").status_code == 200
