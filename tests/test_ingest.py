"""Bulk ingestion: every input kind, errors reported in-stream, idempotence, workers, resumability."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from khabar.errors import KhabarError
from khabar.inputs import Article
from khabar.pipeline import Pipeline
from khabar.store import Store
from khabar.store.ingest import IngestProgress, IngestReport, count_records, ingest, is_stored, iter_records

TEXTS = [
    "قال وزير الخارجية إن المحادثات مع الوفد كانت مثمرة.",
    "أعلنت وزارة الصحة في الرياض عن افتتاح مستشفى جديد.",
    "ارتفعت أسعار النفط اليوم بعد قرار منظمة أوبك.",
    "فاز المنتخب السعودي على نظيره الياباني بهدفين.",
    "افتتح أمير المنطقة معرض الكتاب الدولي في جدة.",
    "أكد المتحدث باسم الحكومة أن الميزانية ستصدر قريبا.",
]


def _articles(records: list[Article | KhabarError]) -> list[Article]:
    return [r for r in records if isinstance(r, Article)]


def _errors(records: list[Article | KhabarError]) -> list[KhabarError]:
    return [r for r in records if isinstance(r, KhabarError)]


def _stored(db: Path) -> list[tuple[str | None, str]]:
    with Store(db) as store:
        rows = store.execute("SELECT ext_id, text FROM documents ORDER BY id").fetchall()
    return [(r[0], r[1]) for r in rows]


def _jsonl(records: list[dict[str, str]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# ------------------------------------------------------------------ reading
def test_txt_and_html(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    page = (
        f"<!DOCTYPE html><html><head><title>خبر</title><script>x()</script></head><body><p>{TEXTS[1]}</p></body></html>"
    )
    (tmp_path / "b.html").write_text(page, encoding="utf-8")
    recs = list(iter_records([str(tmp_path / "a.txt"), str(tmp_path / "b.html")]))
    arts = _articles(recs)
    assert [a.text for a in arts] == [TEXTS[0], TEXTS[1]]
    assert arts[1].meta["title"] == "خبر" and arts[1].meta["extracted_from"] == "html"


def test_directory_recursive_sorted(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text(TEXTS[1], encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text(TEXTS[2], encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXTS[3], encoding="utf-8")
    assert [a.text for a in _articles(list(iter_records([str(tmp_path)])))] == TEXTS[:3]


def test_jsonl_with_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(
        json.dumps({"text": TEXTS[0], "id": "x1", "source": "واس"}, ensure_ascii=False)
        + "\n{not json\n\n"
        + json.dumps({"title": "no text"})
        + "\n"
        + json.dumps({"text": TEXTS[1]}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    recs = list(iter_records([str(path)]))
    assert [a.text for a in _articles(recs)] == TEXTS[:2]
    assert _articles(recs)[0].meta == {"id": "x1", "source": "واس"}
    errs = _errors(recs)
    assert [e.code for e in errs] == ["K108", "K109"]
    assert "r.jsonl line 2" in errs[0].message and "line 4" in errs[1].message


def test_saudinewsnet_json_array(tmp_path: Path) -> None:
    items = [
        {
            "title": "عنوان",
            "content": TEXTS[0],
            "date_extracted": "2015-07-21",
            "source": "aawsat",
            "url": "http://x/1",
        },
        {"text": TEXTS[1], "id": "own", "author": "كاتب", "date": "2015-07-22"},
        {"title": "no text"},
        {"content": "   "},
    ]
    path = tmp_path / "2015-07-21.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    recs = list(iter_records([str(path)]))
    arts = _articles(recs)
    assert [a.text for a in arts] == TEXTS[:2]
    assert arts[0].meta == {
        "id": f"{path}:0",
        "title": "عنوان",
        "source": "aawsat",
        "url": "http://x/1",
        "date": "2015-07-21",
    }
    assert arts[1].meta == {"id": "own", "author": "كاتب", "date": "2015-07-22"}
    errs = _errors(recs)
    assert [e.code for e in errs] == ["K109", "K101"]
    assert "item 2" in errs[0].message and "item 3" in errs[1].message


def test_json_not_a_list_or_not_json(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("[{", encoding="utf-8")
    (tmp_path / "b.json").write_text("42", encoding="utf-8")
    errs = _errors(list(iter_records([str(tmp_path)])))
    assert [e.code for e in errs] == ["K108", "K109"]
    assert "a.json" in errs[0].message and "b.json" in errs[1].message


def test_zip_members_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "corpus.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("docs/a.txt", TEXTS[0])
        zf.writestr("docs/b.jsonl", _jsonl([{"text": TEXTS[1], "id": "j1"}]))
        zf.writestr("docs/c.json", json.dumps([{"content": TEXTS[2]}], ensure_ascii=False))
        zf.writestr("__MACOSX/docs/._a.txt", "junk")
        zf.writestr("docs/", "")
    arts = _articles(list(iter_records([str(path)])))
    assert [a.text for a in arts] == TEXTS[:3]
    assert arts[0].meta["id"] == f"{path}:docs/a.txt"
    assert arts[2].meta["id"] == f"{path}:docs/c.json:0"


def test_gzip_by_inner_extension(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(_jsonl([{"text": TEXTS[0]}]).encode()))
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(json.dumps([{"text": TEXTS[1]}]).encode()))
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(TEXTS[2].encode()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("d.txt", TEXTS[3])
    (tmp_path / "e.zip.gz").write_bytes(gzip.compress(buf.getvalue()))
    recs = list(iter_records([str(tmp_path)]))
    assert not _errors(recs)
    assert [a.text for a in _articles(recs)] == TEXTS[:4]


def test_corrupt_archives_are_one_error_each(tmp_path: Path) -> None:
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    (tmp_path / "bad.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    good = gzip.compress(TEXTS[0].encode())
    (tmp_path / "cut.txt.gz").write_bytes(good[: len(good) // 2])
    recs = list(iter_records([str(tmp_path)]))
    errs = _errors(recs)
    assert len(recs) == 3 and len(errs) == 3
    assert {e.code for e in errs} == {"K170"}
    assert all(str(tmp_path) in e.message for e in errs)


def test_missing_file_is_an_error_not_a_raise(tmp_path: Path) -> None:
    errs = _errors(list(iter_records([str(tmp_path / "nope.txt")])))
    assert [e.code for e in errs] == ["K106"]


# ------------------------------------------------------------------ storing
def _corpus(tmp_path: Path) -> list[str]:
    """Six articles across txt, html, jsonl (with a bad line), json, zip (plus a corrupt zip) and gz."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    (d / "b.html").write_text(f"<html><body><p>{TEXTS[1]}</p></body></html>", encoding="utf-8")
    (d / "c.jsonl").write_text(_jsonl([{"text": TEXTS[2], "id": "c"}]) + "oops\n", encoding="utf-8")
    (d / "d.json").write_text(json.dumps([{"content": TEXTS[3]}], ensure_ascii=False), encoding="utf-8")
    with zipfile.ZipFile(d / "e.zip", "w") as zf:
        zf.writestr("e.txt", TEXTS[4])
    (d / "f.txt.gz").write_bytes(gzip.compress(TEXTS[5].encode()))
    (d / "g.zip").write_bytes(b"not a zip at all")
    return [str(d)]


def test_ingest_stores_good_and_reports_bad(tmp_path: Path) -> None:
    paths = _corpus(tmp_path)
    db = tmp_path / "news.db"
    seen: list[int] = []
    report = ingest(paths, str(db), batch=4, progress=seen.append)
    assert isinstance(report, IngestReport)
    assert (report.added, report.skipped, report.failed) == (6, 0, 2)
    assert len(report.errors) == 2
    assert any("K108" in e and "c.jsonl line 2" in e for e in report.errors)
    assert any("K170" in e and "g.zip" in e for e in report.errors)
    assert all("\n" not in e for e in report.errors)
    assert seen == sorted(seen) and seen[-1] == 8
    assert sorted(text for _id, text in _stored(db)) == sorted(TEXTS)

    again = ingest(paths, str(db))
    assert (again.added, again.skipped, again.failed) == (0, 6, 2)
    assert len(_stored(db)) == 6


def test_duplicates_within_one_run_are_stored_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXTS[0], encoding="utf-8")
    report = ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], str(tmp_path / "x.db"))
    assert (report.added, report.skipped) == (1, 1)


def test_workers_match_serial(tmp_path: Path) -> None:
    paths = _corpus(tmp_path)
    one = ingest(paths, str(tmp_path / "one.db"), workers=1, batch=2)
    two = ingest(paths, str(tmp_path / "two.db"), workers=2, batch=2)
    assert (one.added, one.skipped, one.failed) == (two.added, two.skipped, two.failed) == (6, 0, 2)
    assert one.errors == two.errors
    assert _stored(tmp_path / "one.db") == _stored(tmp_path / "two.db")
    with Store(tmp_path / "one.db") as a, Store(tmp_path / "two.db") as b:
        assert a.get(1).to_json() == b.get(1).to_json()


def test_resume_skips_stored_before_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "in"
    d.mkdir()
    for i, text in enumerate(TEXTS):
        (d / f"{i}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "news.db"
    first = ingest([str(d / f"{i}.txt") for i in range(3)], str(db))  # an "interrupted" run
    assert first.added == 3

    analysed: list[str] = []
    original = Pipeline.analyze

    def counting(self: Pipeline, text: str, meta: object = None) -> object:
        analysed.append(text)
        return original(self, text, meta)  # type: ignore[arg-type]

    monkeypatch.setattr(Pipeline, "analyze", counting)
    report = ingest([str(d)], str(db))
    assert (report.added, report.skipped, report.failed) == (3, 3, 0)
    assert analysed == TEXTS[3:]
    with Store(db) as store:
        assert all(is_stored(store, t) for t in TEXTS)


def test_ingest_progress_carries_a_total(tmp_path: Path) -> None:
    paths = _corpus(tmp_path)
    assert count_records(paths) == 8  # 6 articles and 2 per-record errors
    assert count_records(["-", *paths]) is None  # stdin can be read only once
    seen: list[IngestProgress] = []
    legacy: list[int] = []
    report = ingest(paths, str(tmp_path / "news.db"), batch=4, progress=legacy.append, on_progress=seen.append)
    assert [p.done for p in seen] == legacy  # both callbacks fire together
    assert all(p.total == 8 and p.added + p.skipped + p.failed == p.done for p in seen)
    last = seen[-1]
    assert (last.done, last.added, last.skipped, last.failed) == (8, report.added, report.skipped, report.failed)
    assert last.fraction == 1.0 and seen[0].fraction is not None and 0 < seen[0].fraction < 1
    assert IngestProgress(0, None, 0, 0, 0).fraction is None


def test_ingest_skips_its_own_store_inside_the_input_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    db = str(tmp_path / "news.db")
    first = ingest([str(tmp_path)], db)
    again = ingest([str(tmp_path)], db)  # news.db, news.db-wal... now lie in the folder
    assert (first.added, first.failed) == (1, 0)
    assert (again.added, again.skipped, again.failed) == (0, 1, 0), again.errors
