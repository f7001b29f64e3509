"""Analysis workers: ``analyze --jsonl --workers N``, the shared worker pool, the warm-up, the memo cap."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli.main import main
from khabar.memo import MAX_MEMO_CHARS, MEMO_MAXSIZE, memo_sizes, short_memo
from khabar.pipeline import Pipeline
from khabar.store.ingest import run_in_workers

# Our own sentences; a blank text (K101) and a line that is not JSON (K108) among them.
RECORDS = [
    json.dumps({"id": f"w{i}", "title": "خبر", "text": text}, ensure_ascii=False)
    for i, text in enumerate(
        [
            "قال وزير الخارجية محمد العلي إن المحادثات في عمان كانت مثمرة.",
            "أعلنت وزارة الصحة يوم الاثنين عن افتتاح مستشفى جديد في جدة.",
            "وأضاف المتحدث باسم الحكومة: «سنواصل دعم المزارعين هذا العام».",
            "ارتفعت أسعار الذهب في الأسواق العالمية بعد قرار البنك المركزي.",
            "",
            "فاز المنتخب الوطني على ضيفه بهدفين مقابل هدف في المباراة الودية.",
            "أكدت الأمم المتحدة أن المساعدات وصلت إلى المدينة صباح الثلاثاء.",
            "وأشار التقرير إلى أن عدد الزوار تضاعف خلال الأشهر الستة الماضية.",
        ]
    )
]
RECORDS.insert(3, "not json")
BATCH = ("\n".join(RECORDS) + "\n").encode()


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "khabar", *args], input=stdin, capture_output=True, timeout=600, check=False,
        env={k: v for k, v in os.environ.items() if k != "KHABAR_DEBUG"},
    )


def test_analyze_workers_gives_the_same_lines_in_input_order() -> None:
    one = run("analyze", "--jsonl", "-", stdin=BATCH)
    two = run("analyze", "--jsonl", "-", "--workers", "2", stdin=BATCH)
    assert one.returncode == two.returncode == 1  # two records failed, the batch did not stop
    assert two.stdout == one.stdout
    lines = [json.loads(line) for line in two.stdout.decode().splitlines()]
    assert len(lines) == len(RECORDS)
    assert lines[3]["error"]["code"] == "K108" and lines[5]["error"]["code"] == "K101"
    assert [d["meta"]["id"] for i, d in enumerate(lines) if i not in (3, 5)] == [f"w{i}" for i in range(8) if i != 4]
    errors = [line for line in two.stderr.decode().splitlines() if line.startswith("error")]
    assert errors == [line for line in one.stderr.decode().splitlines() if line.startswith("error")]
    assert len(errors) == 2 and "Traceback" not in two.stderr.decode()


def test_a_record_that_breaks_a_worker_is_its_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.components import segment

    records = tmp_path / "records.jsonl"
    records.write_bytes(BATCH)

    original = segment.predict

    def breaks_on_gold(doc: object) -> object:
        if "الذهب" in doc.text:  # type: ignore[attr-defined]
            raise RuntimeError("boom")
        return original(doc)  # type: ignore[arg-type]

    monkeypatch.delenv("KHABAR_DEBUG", raising=False)
    monkeypatch.setattr(segment, "predict", breaks_on_gold)  # the forked workers inherit it
    result = CliRunner().invoke(
        main, ["analyze", "--jsonl", str(records), "--workers", "2", "--components", "segment"]
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1
    assert len(lines) == len(RECORDS)
    assert lines[4]["error"]["code"] == "K172" and "w3" in lines[4]["error"]["message"]
    assert lines[6]["meta"]["id"] == "w5" and lines[6]["sentences"]  # the batch went on after it


def test_workers_need_jsonl(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("قال الوزير إن الاجتماع ناجح.", encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(article), "--workers", "2"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error K304:") and "--jsonl" in result.stderr
    assert CliRunner().invoke(main, ["analyze", "--jsonl", str(article), "--workers", "0"]).exit_code == 2


def test_help_example_for_workers_runs_as_pasted(tmp_path: Path) -> None:
    help_text = CliRunner().invoke(main, ["analyze", "--help"]).output
    lines = [line.strip() for line in help_text.splitlines()]
    write = next(line for line in lines if line.startswith("printf"))
    command = next(line for line in lines if "--workers 2" in line and line.startswith("khabar"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.run(f"{write} && {command}", shell=True, cwd=tmp_path, env=env, capture_output=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    doc = json.loads((tmp_path / "docs.jsonl").read_text(encoding="utf-8"))
    assert doc["meta"]["id"] == "a1" and doc["entities"] is not None


def test_run_in_workers_keeps_input_order_with_ready_items() -> None:
    items = [(len, "ab"), (None, "ready"), (len, "abcd"), (len, ""), (None, 7)]
    assert list(run_in_workers(items * 5, 2, ("dates",))) == [2, "ready", 4, 0, 7] * 5


def test_run_in_workers_loads_nothing_without_a_task(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Pipeline) -> Pipeline:
        raise AssertionError("no task, nothing to load")

    monkeypatch.setattr(Pipeline, "warm_up", refuse)
    assert list(run_in_workers([(None, 1), (None, "two")], 2, None)) == [1, "two"]


def test_warm_up_loads_the_lazy_models() -> None:
    from khabar.components import classify, ner
    from khabar.lang.ar import morph

    nlp = Pipeline()
    assert nlp.warm_up() is nlp
    for loader in (ner.load_model, classify.load_model, classify.load_source_model, morph.load_model):
        assert loader.cache_info().currsize == 1, loader


def test_memo_caches_are_capped() -> None:
    @short_memo(maxsize=10 * MEMO_MAXSIZE)
    def double(word: str) -> str:
        return word * 2

    assert double.cache_info().maxsize == MEMO_MAXSIZE  # type: ignore[attr-defined]
    assert double("كلمة") == "كلمةكلمة"
    assert double("ب" * (MAX_MEMO_CHARS + 1)) == "ب" * (2 * MAX_MEMO_CHARS + 2)  # computed, not kept
    assert double.cache_info().currsize == 1  # type: ignore[attr-defined]
    name = f"{double.__module__}.{double.__qualname__}"
    assert memo_sizes()[name] == (1, MEMO_MAXSIZE)


def test_memo_share_scales_a_caches_part_of_the_budget() -> None:
    @short_memo(maxsize=10 * MEMO_MAXSIZE, share=4)
    def layout(word: str) -> str:
        return word[::-1]

    @short_memo(maxsize=3, share=4)
    def small(word: str) -> str:
        return word

    assert layout.cache_info().maxsize == 4 * MEMO_MAXSIZE  # type: ignore[attr-defined]
    assert small.cache_info().maxsize == 3  # type: ignore[attr-defined]  # its own maxsize still caps it


def test_memo_cap_from_the_environment() -> None:
    code = "from khabar.components import segment; print(segment.split_clitics.cache_info().maxsize)"
    out = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "KHABAR_MEMO_MAXSIZE": "123"},
        capture_output=True, text=True, check=True, timeout=120,
    )
    assert out.stdout.strip() == "123"
