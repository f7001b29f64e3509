"""A killed ingest loses nothing and duplicates nothing.

A real ``khabar ingest`` process is killed with SIGKILL at a seeded random moment while it
writes, then run again to completion. The store must pass SQLite's and FTS5's integrity
checks, hold every article exactly once, and have the same layer rows as an uninterrupted
ingest of the same input. A second ingest of the same input adds nothing.

The fixture articles are original text written for this test: a few sentences about an
imaginary city council, recombined with a seeded generator so every article differs.
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from khabar.store.ingest import ingest

N_ARTICLES = 36
BATCH = 2  # small transactions: many commit points for the kill to fall between or inside
KILL_SEED = 20240611
LAYER_TABLES = ("documents", "sentences", "entities", "referents", "quotes", "keywords")
RUN_TIMEOUT = 300  # seconds; a hung ingest fails the test instead of hanging the suite

PEOPLE = ("سامي الخطيب", "ليلى النجار", "عمر الحداد", "هدى الصباغ", "يوسف القاضي", "منى العطار")
ROLES = ("رئيس المجلس البلدي", "مديرة التخطيط", "المتحدث باسم البلدية", "عضو لجنة المالية")
PLACES = ("مدينة الواحة", "حي النخيل", "قرية السدرة", "منطقة الساحل الشرقي", "وادي الريحان")
PROJECTS = ("شبكة الحافلات", "مكتبة عامة", "حديقة للأطفال", "محطة لتحلية المياه", "سوق شعبي")
DAYS = ("الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس")
OPENINGS = (
    "ناقش المجلس البلدي في {place} يوم {day} خطة لإنشاء {project} بتكلفة {n} مليون.",
    "وافقت لجنة المالية في {place} على تمويل {project} بعد جلسة طويلة يوم {day}.",
    "أعلنت بلدية {place} أن العمل في {project} سيبدأ مطلع الشهر المقبل.",
)
MIDDLES = (
    "وقال {person} {role} إن المشروع سيخدم نحو {n} ألف نسمة.",
    "وأكد {person} أن الأعمال ستنتهي قبل نهاية العام.",
    "وأضاف {person}: «نريد أن يجد كل مواطن خدمة قريبة من بيته».",
    "وأشارت {person} إلى أن السكان طالبوا بالمشروع منذ سنوات.",
    "وشارك في الاجتماع ممثلون عن الجمعيات الأهلية وأصحاب المحلات.",
    "وتضمنت الخطة توفير {n} فرصة عمل لشباب {place}.",
)
CLOSINGS = (
    "ومن المنتظر أن يعرض المشروع على السكان في لقاء مفتوح.",
    "ويأتي القرار بعد دراسة أعدتها جامعة {place} عن احتياجات الأحياء.",
    "وختم {person} بالقول: «سنعلن كل التفاصيل على موقع البلدية»",
)


def fixture_articles(n: int, seed: int = 5) -> list[dict[str, str]]:
    """``n`` distinct original articles (``id``, ``title``, ``text``) built from the sentences above."""
    rng = random.Random(seed)
    articles: list[dict[str, str]] = []
    for i in range(n):

        def fill(template: str) -> str:
            return template.format(
                place=rng.choice(PLACES),
                project=rng.choice(PROJECTS),
                day=rng.choice(DAYS),
                person=rng.choice(PEOPLE),
                role=rng.choice(ROLES),
                n=rng.randint(2, 90),
            )

        middle = rng.sample(MIDDLES, k=rng.randint(3, 5))
        paragraphs = [
            " ".join([fill(rng.choice(OPENINGS)), *(fill(s) for s in middle[:2])]),
            " ".join([*(fill(s) for s in middle[2:]), fill(rng.choice(CLOSINGS))]),
        ]
        project = rng.choice(PROJECTS)
        articles.append(
            {"id": f"kill-{i:03}", "title": f"{project} في {rng.choice(PLACES)}", "text": "\n\n".join(paragraphs)}
        )
    assert len({a["text"] for a in articles}) == n, "the generator must give distinct articles"
    return articles


def write_jsonl(path: Path, articles: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    return path


def ingest_cmd(source: Path, db: Path) -> list[str]:
    return [
        sys.executable, "-m", "khabar", "ingest", str(source),
        "--db", str(db), "--batch", str(BATCH), "--workers", "1", "--no-progress",
    ]  # fmt: skip


def stored_count(db: Path) -> int:
    """Documents committed so far, read the way a second process sees them (0 while none)."""
    if not db.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:  # schema not created yet, or a lock held for a moment
        return 0


def kill_mid_ingest(source: Path, db: Path, n: int, seed: int) -> tuple[int, int]:
    """Run ``khabar ingest`` and SIGKILL it at a seeded random moment after its first commit.

    The moment is the earlier of a random delay (0–1.5 s) and a random number of stored
    documents (1..n-3), so the kill always lands inside the run, between or inside
    transactions. Returns ``(returncode, documents stored when killed)``.
    """
    rng = random.Random(seed)
    delay = rng.uniform(0.0, 1.5)
    target = rng.randint(1, n - 3)
    proc = subprocess.Popen(ingest_cmd(source, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while stored_count(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        first_commit = time.monotonic()
        while proc.poll() is None and time.monotonic() - first_commit < delay and stored_count(db) < target:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    return proc.returncode, stored_count(db)


@dataclass(frozen=True)
class Snapshot:
    """What a store holds, in terms an uninterrupted and a resumed ingest must agree on."""

    integrity: str
    fts_integrity_ok: bool
    table_counts: dict[str, int]
    fts_rows: int
    hashes: list[str]
    ext_ids: list[str]
    per_doc_layers: dict[str, tuple[int, ...]]


def snapshot(db: Path) -> Snapshot:
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        try:
            conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
            fts_ok = True
        except sqlite3.DatabaseError:
            fts_ok = False
        counts = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in LAYER_TABLES}
        fts_rows = int(conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0])
        hashes = sorted(str(r[0]) for r in conn.execute("SELECT content_hash FROM documents"))
        ext_ids = sorted(str(r[0]) for r in conn.execute("SELECT ext_id FROM documents"))
        per_doc: dict[str, tuple[int, ...]] = {}
        for doc_id, digest in conn.execute("SELECT id, content_hash FROM documents"):
            per_doc[str(digest)] = tuple(
                int(conn.execute(f"SELECT count(*) FROM {t} WHERE doc_id = ?", (doc_id,)).fetchone()[0])
                for t in LAYER_TABLES[1:]
            )
    return Snapshot(integrity, fts_ok, counts, fts_rows, hashes, ext_ids, per_doc)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The fixture input, an uninterrupted reference store, and a killed-then-resumed store."""
    tmp = tmp_path_factory.mktemp("kill")
    articles = fixture_articles(N_ARTICLES)
    source = write_jsonl(tmp / "articles.jsonl", articles)

    reference_db = tmp / "reference.db"
    reference = ingest([str(source)], str(reference_db), batch=BATCH)
    assert (reference.added, reference.failed) == (N_ARTICLES, 0), reference.errors

    killed_db = tmp / "killed.db"
    returncode, stored_at_kill = kill_mid_ingest(source, killed_db, N_ARTICLES, KILL_SEED)
    after_kill = snapshot(killed_db)

    resumed = subprocess.run(
        ingest_cmd(source, killed_db), check=False, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    return {
        "articles": articles,
        "source": source,
        "reference": snapshot(reference_db),
        "killed_db": killed_db,
        "returncode": returncode,
        "stored_at_kill": stored_at_kill,
        "after_kill": after_kill,
        "resumed": resumed,
    }


def test_ingest_killed_then_resumed_loses_and_duplicates_nothing(runs: dict[str, object]) -> None:
    articles = runs["articles"]
    assert isinstance(articles, list)
    # the kill landed inside the run: the process did not finish, some but not all articles were stored
    assert runs["returncode"] == -signal.SIGKILL
    stored_at_kill = runs["stored_at_kill"]
    assert isinstance(stored_at_kill, int) and 0 < stored_at_kill < N_ARTICLES

    after_kill = runs["after_kill"]
    assert isinstance(after_kill, Snapshot)
    assert after_kill.integrity == "ok" and after_kill.fts_integrity_ok
    # a killed transaction leaves nothing half-written: every stored document has all its rows
    assert after_kill.fts_rows == after_kill.table_counts["documents"]

    resumed = runs["resumed"]
    assert isinstance(resumed, subprocess.CompletedProcess)
    assert resumed.returncode == 0, resumed.stderr
    added = N_ARTICLES - after_kill.table_counts["documents"]
    assert f"{added} added, {N_ARTICLES - added} already stored, 0 failed" in resumed.stderr

    final = snapshot(Path(str(runs["killed_db"])))
    reference = runs["reference"]
    assert isinstance(reference, Snapshot)
    assert final.integrity == "ok" and final.fts_integrity_ok
    expected_hashes = sorted(hashlib.sha256(a["text"].encode("utf-8")).hexdigest() for a in articles)
    assert final.hashes == expected_hashes  # every article, each exactly once
    assert final.ext_ids == sorted(a["id"] for a in articles)
    assert final.fts_rows == N_ARTICLES
    assert final.table_counts == reference.table_counts
    assert final.per_doc_layers == reference.per_doc_layers


def test_ingest_second_run_adds_nothing(runs: dict[str, object]) -> None:
    db = Path(str(runs["killed_db"]))
    before = snapshot(db)
    again = subprocess.run(
        ingest_cmd(Path(str(runs["source"])), db), check=False, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    assert again.returncode == 0, again.stderr
    assert f"0 added, {N_ARTICLES} already stored, 0 failed" in again.stderr
    assert snapshot(db) == before


def test_fixture_articles_are_distinct() -> None:
    articles = fixture_articles(N_ARTICLES)
    assert len({a["text"] for a in articles}) == len({a["id"] for a in articles}) == N_ARTICLES
    assert fixture_articles(N_ARTICLES) == articles  # seeded: the same input every run
