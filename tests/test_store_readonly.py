"""A store in a read-only directory can be read (issue 15): ``khabar search``, ``khabar entities``
and the HTTP API, with the store's ``-wal``/``-shm`` files absent (closed cleanly) or present (a
writer still open elsewhere).

Root ignores directory permissions, so a ``chmod`` proves nothing when the tests run as root. The
readers therefore run in a subprocess that cannot write the directory: as root, in a private mount
namespace where the directory is a read-only bind mount (``unshare -m``; writes fail with EROFS
even for root), or else as the user ``nobody`` (``setuid`` in ``preexec_fn``); as any other user,
with the directory made ``0o555``. Each test first checks that the subprocess really cannot create
a file there, and skips with the reason when none of these can be arranged.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import khabar
from khabar.store import Store

TEXTS = {
    "amman": "قال وزير الخارجية الأردني أيمن الصفدي في عمان إن المحادثات مستمرة مع الوفد المصري.",
    "health": "أعلنت وزارة الصحة في الأردن عن خطة جديدة لتطوير المستشفيات الحكومية خلال العامين المقبلين.",
}
LATE = "وصل وزير الخارجية الياباني يوشيماسا هاياشي إلى القاهرة لبحث التعاون الاقتصادي."
NOBODY = 65534

Runner = Callable[[list[str]], subprocess.CompletedProcess[str]]

_MOUNT_RO = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", HOME=tempfile.gettempdir())
    src = str(Path(khabar.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    return env


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _cannot_write(run: Runner, folder: Path) -> bool:
    probe = run([sys.executable, "-c", f"open({str(folder / 'probe')!r}, 'w')"])
    return probe.returncode != 0 and not (folder / "probe").exists()


def _runner(folder: Path) -> tuple[Runner, str]:
    """A way to run a command that cannot write ``folder``, and its name; skips when there is none."""

    def plain(args: list[str], preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, capture_output=True, text=True, env=_env(), preexec_fn=preexec, timeout=300, check=False)

    if os.geteuid() != 0:
        folder.chmod(0o555)
        run: Runner = plain
        if _cannot_write(run, folder):
            return run, "chmod 555"
        pytest.skip("a chmod 555 directory is still writable here")
    tried = []
    if shutil.which("unshare") and shutil.which("mount"):

        def in_namespace(args: list[str]) -> subprocess.CompletedProcess[str]:
            wrapped = ["unshare", "-m", "--propagation", "private", "sh", "-c", _MOUNT_RO, "sh", str(folder)]
            return plain(wrapped + args)

        if in_namespace(["true"]).returncode == 0 and _cannot_write(in_namespace, folder):
            return in_namespace, "read-only bind mount"
        tried.append("unshare -m with a read-only bind mount failed (no CAP_SYS_ADMIN?)")
    else:
        tried.append("no unshare/mount")

    def as_nobody(args: list[str]) -> subprocess.CompletedProcess[str]:
        return plain(args, _as_nobody)

    if as_nobody([sys.executable, "-c", "import khabar.store"]).returncode == 0 and _cannot_write(as_nobody, folder):
        return as_nobody, "setuid nobody"
    tried.append(f"user nobody cannot run {sys.executable} with khabar")
    pytest.skip("no way to make a directory read-only for a reader: " + "; ".join(tried))


@pytest.fixture
def folder() -> Iterator[Path]:
    # under /tmp, not pytest's tmp_path: its parents are 0700, closed to the user nobody
    path = Path(tempfile.mkdtemp(prefix="khabar-ro-"))
    path.chmod(0o755)
    store = path / "store"
    store.mkdir()
    store.chmod(0o755)
    try:
        yield store
    finally:
        store.chmod(0o755)
        shutil.rmtree(path)


def _fill(path: Path) -> None:
    nlp = khabar.load()
    with Store(path) as store:
        store.add_many(nlp.analyze(text, {"id": key}) for key, text in TEXTS.items())
    for f in path.parent.glob(path.name + "*"):
        f.chmod(0o644)


def _khabar(*args: str) -> list[str]:
    return [sys.executable, "-m", "khabar", *args]


def _check_cli(run: Runner, db: Path) -> None:
    search = run(_khabar("search", "المحادثات", "--db", str(db), "--format", "json"))
    assert search.returncode == 0, search.stderr
    assert [hit["ext_id"] for hit in json.loads(search.stdout)] == ["amman"]
    entities = run(_khabar("entities", "--db", str(db)))
    assert entities.returncode == 0, entities.stderr
    assert "أيمن الصفدي" in entities.stdout and "الأردن" in entities.stdout
    assert "K403" not in search.stderr + entities.stderr


def test_cli_reads_a_store_in_a_read_only_directory(folder: Path) -> None:
    db = folder / "s.db"
    _fill(db)
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"]  # closed cleanly: no -wal, no -shm
    run, how = _runner(folder)
    _check_cli(run, db)
    assert sorted(p.name for p in folder.iterdir()) == ["s.db"], how  # nothing written beside it


_API = """
import json, sys
from fastapi.testclient import TestClient
from khabar.web import create_app
with TestClient(create_app(sys.argv[1])) as c:
    search = c.get("/api/search", params={"q": "المحادثات"})
    doc = c.get("/api/documents/1")
    page = c.get("/documents/1")
    print(json.dumps({"search": [search.status_code, [h["ext_id"] for h in search.json().get("hits", [])]],
                      "doc": [doc.status_code, doc.json().get("meta", {}).get("id")],
                      "page": [page.status_code, "أيمن الصفدي" in page.text]}))
"""


def test_api_reads_a_store_in_a_read_only_directory(folder: Path) -> None:
    pytest.importorskip("fastapi")
    db = folder / "s.db"
    _fill(db)
    run, _how = _runner(folder)
    proc = run([sys.executable, "-c", _API, str(db)])
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.splitlines()[-1])
    assert got == {"search": [200, ["amman"]], "doc": [200, "amman"], "page": [200, True]}


def test_store_with_a_writer_still_open_is_read_in_a_read_only_directory(folder: Path) -> None:
    db = folder / "s.db"
    _fill(db)
    with Store(db) as writer:
        writer.conn.execute("PRAGMA wal_autocheckpoint = 0")  # the new document stays in the -wal file
        writer.add(khabar.load().analyze(LATE, {"id": "late"}))
        for f in folder.iterdir():
            f.chmod(0o644)
        assert {p.name for p in folder.iterdir()} == {"s.db", "s.db-wal", "s.db-shm"}
        run, _how = _runner(folder)
        _check_cli(run, db)
        late = run(_khabar("search", "هاياشي", "--db", str(db), "--format", "json"))
        assert late.returncode == 0, late.stderr
        assert [hit["ext_id"] for hit in json.loads(late.stdout)] == ["late"]  # read from the -wal


def test_store_copied_without_its_wal_index_is_a_coded_error(folder: Path) -> None:
    db = folder / "s.db"
    staging = folder.parent / "staging.db"
    _fill(staging)
    with Store(staging) as writer:
        writer.conn.execute("PRAGMA wal_autocheckpoint = 0")
        writer.add(khabar.load().analyze(LATE, {"id": "late"}))
        shutil.copy(staging, db)  # the store and its log, without the -shm index
        shutil.copy(staging.with_name("staging.db-wal"), folder / "s.db-wal")
    for f in folder.iterdir():
        f.chmod(0o644)
    run, _how = _runner(folder)
    proc = run(_khabar("search", "هاياشي", "--db", str(db)))
    # not the store as it was before the log (an immutable read would miss the late document)
    assert proc.returncode == 1
    assert "error K401" in proc.stderr and "s.db-wal" in proc.stderr and "Traceback" not in proc.stderr
