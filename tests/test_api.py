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
from khabar.doc import Doc
from khabar.store import Store
from khabar.store.db import norm_name
from khabar.web import create_app

TEXT = (
    "قال وزير الخارجية في مؤتمر صحفي بالقاهرة إن المحادثات مع الجانب الأردني كانت مثمرة. وأضاف أن الاتفاق سيوقع قريبا."
)
# a second original text: a named speaker mentioned twice, فى, a guillemet quotation glued to the next word
SECOND = (
    "وصل الوزير سامي الحداد إلى عمان أمس فى زيارة رسمية. وقال الحداد للصحفيين :«نريد شراكة حقيقية مع الأردن»."
    "وأضاف أن الاتفاق سيوقع فى مصر."
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
        store.add(khabar.analyze(SECOND, {"id": "a2", "title": "زيارة", "date": "2024-05-01"}))
    return str(path), doc_id


@pytest.fixture(scope="module")
def second_id(db: tuple[str, int]) -> int:
    with Store.open_readonly(db[0]) as store:
        return int(store.execute("SELECT id FROM documents WHERE ext_id = 'a2'").fetchone()[0])


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
    assert {"/api/referents", "/api/referents/{ident}", "/api/quotes"} <= set(paths)
    assert not any(p.startswith(("/search", "/documents", "/analyze", "/referents", "/quotes")) for p in paths)


def test_analyze(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"text": TEXT, "meta": {"id": "x"}})
    assert r.status_code == 200
    doc = r.json()
    assert doc["schema"] == 2
    assert doc["text"] == TEXT
    assert doc["meta"]["id"] == "x"
    tokens = doc["tokens"]  # rows [start, end, kind, sentence] (Doc JSON schema 2)
    assert tokens["fields"][:2] == ["start", "end"] and tokens["rows"]
    assert "وزير" in [TEXT[row[0] : row[1]] for row in tokens["rows"]]
    assert Doc.from_dict(doc).to_dict() == doc
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
        ({"components": ["segment"]}, 400, "K116"),
        ({"text": 5}, 400, "K116"),
    ],
)
def test_analyze_errors(client: TestClient, body: dict[str, Any], status: int, code: str) -> None:
    r = client.post("/api/analyze", json=body)
    assert r.status_code == status
    assert_error(r.json(), code)


def test_analyze_not_json(client: TestClient) -> None:
    r = client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert_error(r.json(), "K116")


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
    body = r.json()
    assert body["hits"] == [] and body["total"] == 0 and body["reason"]  # an empty answer says why


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('"المحادثات', "K404"),  # unbalanced quote
        ("«المحادثات", "K404"),
        ("OR", "K404"),  # bare operator
        ("المحادثات OR", "K404"),
        ("-", "K404"),
        ("unknown:x", "K405"),
        ("date:yesterday", "K405"),
        ("؟؟", "K406"),  # nothing to search for
        ("المحادثات " * 1000, "K408"),  # 10 kB
    ],
)
def test_search_bad_query(db_client: TestClient, query: str, code: str) -> None:
    r = db_client.get("/api/search", params={"q": query})
    assert r.status_code == 400
    assert_error(r.json(), code)


def test_search_bad_limit(db_client: TestClient) -> None:
    r = db_client.get("/api/search", params={"q": "المحادثات", "limit": 0})
    assert r.status_code == 400
    assert_error(r.json(), "K116")


def test_document(db_client: TestClient, db: tuple[str, int]) -> None:
    r = db_client.get(f"/api/documents/{db[1]}")
    assert r.status_code == 200
    doc = r.json()
    assert doc["schema"] == 2
    assert doc["text"] == TEXT


def test_document_missing(db_client: TestClient, db: tuple[str, int]) -> None:
    r = db_client.get(f"/api/documents/{db[1] + 1000}")
    assert r.status_code == 404
    assert_error(r.json(), "K410")


def test_no_db(client: TestClient) -> None:
    for url in ("/api/search?q=المحادثات", "/api/documents/1", "/api/referents", "/api/referents/x", "/api/quotes"):
        r = client.get(url)
        assert r.status_code == 503
        assert_error(r.json(), "K411")


def test_db_missing_file(tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "absent.db"))) as c:
        r = c.get("/api/search", params={"q": "المحادثات"})
    assert r.status_code == 503
    assert_error(r.json(), "K401")


def test_referents(db_client: TestClient) -> None:
    r = db_client.get("/api/referents")
    assert r.status_code == 200
    rows = r.json()["referents"]
    assert rows
    for row in rows:
        assert set(row) == {"id", "name", "label", "mentions", "documents", "key"}
        assert row["key"] == norm_name(row["name"]) and isinstance(row["id"], int)
    person = next(row for row in rows if row["name"] == "سامي الحداد")
    assert person == {
        "id": person["id"], "name": "سامي الحداد", "label": "PERS", "mentions": 2, "documents": 1, "key": "سامي الحداد"
    }


def test_referents_label(db_client: TestClient) -> None:
    rows = db_client.get("/api/referents", params={"label": "pers", "limit": 5}).json()["referents"]
    assert rows and all(row["label"] == "PERS" for row in rows)
    assert len(rows) <= 5


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [({"label": "  "}, 400, "K424"), ({"limit": 0}, 400, "K116"), ({"limit": "x"}, 400, "K116")],
)
def test_referents_errors(db_client: TestClient, params: dict[str, Any], status: int, code: str) -> None:
    r = db_client.get("/api/referents", params=params)
    assert r.status_code == status
    assert_error(r.json(), code)


def _check_referent(body: dict[str, Any], doc_text: str, doc_id: int) -> None:
    assert body["key"] == "سامي الحداد" and body["name"] == "سامي الحداد" and body["label"] == "PERS"
    assert body["mention_count"] == 2 and body["documents"] == 1
    assert [m["text"] for m in body["mentions"]] == ["سامي الحداد", "الحداد"]
    for m in body["mentions"]:
        assert m["doc_id"] == doc_id
        assert doc_text[m["start"] : m["end"]] == m["text"]
        context = m["context"]
        assert doc_text[context["start"] : context["end"]] == context["text"]
        assert context["start"] <= m["start"] < m["end"] <= context["end"]
    said = {q["text"]: q for q in body["quotes"]}
    assert "نريد شراكة حقيقية مع الأردن" in said
    quote = said["نريد شراكة حقيقية مع الأردن"]
    assert quote["speaker"] == "الحداد" and quote["kind"] == "direct" and quote["doc_id"] == doc_id
    assert doc_text[quote["start"] : quote["end"]] == quote["text"]
    assert body["quote_count"] == len(body["quotes"])


def test_referent_by_name_key_and_id(db_client: TestClient, second_id: int) -> None:
    doc = db_client.get(f"/api/documents/{second_id}").json()
    local = next(r["id"] for r in doc["referents"] if r["name"] == "سامي الحداد")
    for ident in ("سامي الحداد", "سامى الحداد", "الحداد", f"{second_id}:{local}"):
        r = db_client.get(f"/api/referents/{ident}")
        assert r.status_code == 200, ident
        _check_referent(r.json(), doc["text"], second_id)


def test_referent_limit(db_client: TestClient) -> None:
    body = db_client.get("/api/referents/سامي الحداد", params={"limit": 1}).json()
    assert len(body["mentions"]) == 1 and body["mention_count"] == 2


@pytest.mark.parametrize(
    ("ident", "status", "code"),
    [("لا أحد", 404, "K412"), ("999:0", 404, "K412"), ("ـــ", 400, "K423")],
)
def test_referent_errors(db_client: TestClient, ident: str, status: int, code: str) -> None:
    r = db_client.get(f"/api/referents/{ident}")
    assert r.status_code == status
    assert_error(r.json(), code)


def test_quotes(db_client: TestClient, second_id: int) -> None:
    rows = db_client.get("/api/quotes").json()["quotes"]
    texts = {q["text"] for q in rows}
    assert "نريد شراكة حقيقية مع الأردن" in texts
    assert any("المحادثات مع الجانب الأردني" in t for t in texts)
    for q in rows:
        assert {"doc_id", "ext_id", "title", "date", "kind", "speaker", "cue", "text"} <= set(q)
    # newest document first: the dated one
    assert rows[0]["doc_id"] == second_id


def test_quotes_speaker_and_about(db_client: TestClient) -> None:
    rows = db_client.get("/api/quotes", params={"speaker": "الحداد"}).json()["quotes"]
    assert rows and all(q["ext_id"] == "a2" for q in rows)
    assert {q["title"] for q in rows} == {"زيارة"}
    about = db_client.get("/api/quotes", params={"about": "القاهرة"}).json()["quotes"]
    assert about and all(q["ext_id"] == "a1" for q in about)
    none = db_client.get("/api/quotes", params={"speaker": "الحداد", "about": "كوريا"}).json()["quotes"]
    assert none == []
    assert len(db_client.get("/api/quotes", params={"limit": 1}).json()["quotes"]) == 1


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [({"speaker": "ـــ"}, 400, "K423"), ({"about": "ـــ"}, 400, "K423"), ({"limit": 0}, 400, "K116")],
)
def test_quotes_errors(db_client: TestClient, params: dict[str, Any], status: int, code: str) -> None:
    r = db_client.get("/api/quotes", params=params)
    assert r.status_code == status
    assert_error(r.json(), code)


def test_docs_off(client: TestClient) -> None:
    # FastAPI's /docs and /redoc load scripts from a CDN: not served (the schema is)
    for url in ("/docs", "/redoc"):
        r = client.get(url)
        assert r.status_code == 404
        assert "K501" in r.text


def test_analyze_too_large_chunked(client: TestClient) -> None:
    # no content-length: the limit is enforced while reading
    def chunks() -> Any:
        for _ in range(11):
            yield b"x" * 1_000_000

    r = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert_error(r.json(), "K104")


def test_analyze_takes_the_batch_record_shape(client: TestClient) -> None:
    record = {"text": TEXT, "id": " r-1 ", "title": " &quot;محادثات&quot; ", "date": "2015-07-22", "source": "spa"}
    r = client.post("/api/analyze", json={**record, "components": ["segment"]})
    assert r.status_code == 200, r.text
    meta = r.json()["meta"]
    assert meta["id"] == " r-1 " and meta["title"] == '"محادثات"'  # ids verbatim, titles cleaned as by ingest
    assert meta["date"] == "2015-07-22" and meta["source"] == "spa"
    both = client.post("/api/analyze", json={"text": TEXT, "title": "t", "meta": {"id": "m"}, "components": ["segment"]})
    assert both.status_code == 200 and (both.json()["meta"]["id"], both.json()["meta"]["title"]) == ("m", "t")


@pytest.mark.parametrize("body", [{"text": "", "id": "e", "title": "t"}, {"text": " \n", "meta": {"id": "e"}}])
def test_analyze_record_with_empty_text_is_k101(client: TestClient, body: dict[str, Any]) -> None:
    r = client.post("/api/analyze", json=body)
    assert r.status_code == 400
    assert_error(r.json(), "K101")


@pytest.mark.parametrize(
    ("path", "params"), [("/api/search", {}), ("/api/referents", {"limit": "x"}), ("/api/quotes", {"limit": 0})]
)
def test_validation_errors_are_400_with_a_code_and_one_line(
    db_client: TestClient, path: str, params: dict[str, Any]
) -> None:
    r = db_client.get(path, params=params)
    assert r.status_code == 400
    assert_error(r.json(), "K116")
    assert "\n" not in r.json()["error"]["message"] and r.json()["error"]["hint"]
