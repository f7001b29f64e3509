"""The HTTP API (khabar.web): skipped when fastapi/httpx are not installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

import khabar
from khabar.store import Store
from khabar.web import create_app

TEXT = (
    "قال وزير الخارجية في مؤتمر صحفي بالقاهرة إن المحادثات مع الجانب الأردني كانت مثمرة. وأضاف أن الاتفاق سيوقع قريبا."
)


def assert_error(body: Any, code: str) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "hint"}
    assert body["error"]["code"] == code
    assert "Traceback" not in str(body)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    path = tmp_path_factory.mktemp("store") / "news.db"
    with Store(path) as store:
        doc_id, _new = store.add(khabar.analyze(TEXT, {"id": "a1", "title": "محادثات"}))
    return str(path), doc_id


@pytest.fixture(scope="module")
def db_client(db: tuple[str, int]) -> Iterator[TestClient]:
    with TestClient(create_app(db[0])) as c:
        yield c


def test_health(client: TestClient) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": khabar.__version__}


def test_openapi(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/analyze", "/api/search", "/api/documents/{doc_id}", "/api/health"} <= set(paths)


def test_analyze(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"text": TEXT, "meta": {"id": "x"}})
    assert r.status_code == 200
    doc = r.json()
    assert doc["schema"] == 1
    assert doc["text"] == TEXT
    assert doc["meta"]["id"] == "x"
    tokens = doc["tokens"]
    assert tokens
    for t in tokens:
        assert TEXT[t["start"] : t["end"]] == t["text"]
    assert "وزير" in [t["text"] for t in tokens]
    assert doc["sentences"] and doc["entities"]


def test_analyze_components(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"text": TEXT, "components": ["segment"]})
    assert r.status_code == 200
    doc = r.json()
    assert "tokens" in doc and "entities" not in doc


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "   "}, 400, "K101"),
        ({"text": TEXT, "components": ["nope"]}, 400, "K301"),
        ({"components": ["segment"]}, 422, "K500"),
        ({"text": 5}, 422, "K500"),
    ],
)
def test_analyze_errors(client: TestClient, body: dict[str, Any], status: int, code: str) -> None:
    r = client.post("/api/analyze", json=body)
    assert r.status_code == status
    assert_error(r.json(), code)


def test_analyze_not_json(client: TestClient) -> None:
    r = client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert_error(r.json(), "K500")


def test_analyze_too_large(client: TestClient) -> None:
    r = client.post("/api/analyze", content=b"x" * 10_000_001, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert_error(r.json(), "K104")


def test_unknown_route(client: TestClient) -> None:
    r = client.get("/api/nope")
    assert r.status_code == 404
    assert_error(r.json(), "K501")


def test_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.web import api

    def boom(names: tuple[str, ...]) -> Any:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(api, "_pipeline", boom)
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        r = c.post("/api/analyze", json={"text": TEXT})
    assert r.status_code == 500
    assert_error(r.json(), "K999")
    assert "secret detail" not in r.text


def test_search(db_client: TestClient, db: tuple[str, int]) -> None:
    r = db_client.get("/api/search", params={"q": "المحادثات", "limit": 5})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert len(hits) == 1
    assert hits[0]["id"] == db[1]
    assert hits[0]["ext_id"] == "a1"
    assert r.json()["hits"][0]["snippet"]


def test_search_no_hits(db_client: TestClient) -> None:
    r = db_client.get("/api/search", params={"q": "كوريا"})
    assert r.status_code == 200
    assert r.json() == {"hits": []}


def test_search_bad_query(db_client: TestClient) -> None:
    r = db_client.get("/api/search", params={"q": '"المحادثات'})
    assert r.status_code == 400
    assert_error(r.json(), "K404")


def test_search_bad_limit(db_client: TestClient) -> None:
    r = db_client.get("/api/search", params={"q": "المحادثات", "limit": 0})
    assert r.status_code == 422
    assert_error(r.json(), "K500")


def test_document(db_client: TestClient, db: tuple[str, int]) -> None:
    r = db_client.get(f"/api/documents/{db[1]}")
    assert r.status_code == 200
    doc = r.json()
    assert doc["schema"] == 1
    assert doc["text"] == TEXT


def test_document_missing(db_client: TestClient, db: tuple[str, int]) -> None:
    r = db_client.get(f"/api/documents/{db[1] + 1000}")
    assert r.status_code == 404
    assert_error(r.json(), "K410")


def test_no_db(client: TestClient) -> None:
    for url in ("/api/search?q=المحادثات", "/api/documents/1"):
        r = client.get(url)
        assert r.status_code == 503
        assert_error(r.json(), "K411")


def test_db_missing_file(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "absent.db"))) as c:
        r = c.get("/api/search", params={"q": "المحادثات"})
    assert r.status_code == 503
    assert_error(r.json(), "K401")
