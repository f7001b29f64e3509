"""The second quotation development gold (bench/gold/quotes_dev2.jsonl): loader and counts."""

import json
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, shared_path

from khabar.errors import InputError
from khabar.evaluation import quotes as quote_eval

GOLD2 = REPO / "bench" / "gold" / "quotes_dev2.jsonl"


def test_loader_knows_the_ant_v11_corpora(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"corpus": "ant-v1.1-dev", "id": "JA-x-1", "text_sha256": "0", "quotes": []}))
    with pytest.raises(InputError, match="ant-v1.1-jawharafm") as err:
        quote_eval.load_gold(gold, tmp_path)
    assert err.value.code == "K160"
    gold.write_text(json.dumps({"corpus": "ant-v9-dev", "id": "JA-x-1", "text_sha256": "0", "quotes": []}))
    with pytest.raises(InputError, match="unknown corpus"):
        quote_eval.load_gold(gold, tmp_path)


def test_second_gold_loads_with_its_counts() -> None:
    data = shared_path("data")
    items = quote_eval.load_gold(GOLD2, data)
    records = [json.loads(line) for line in GOLD2.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(items) == len(records) >= 20
    assert sum(len(q) for _i, _t, q in items) >= 150
    corpora = [r["corpus"] for r in records]
    assert sum(c.startswith("ant-v1.1-") for c in corpora) >= 5
    # SaudiNewsNet days and outlets: none of the first gold's days, at least 6 outlets, at most 2 articles each
    first = {
        json.loads(line)["id"].split(":")[0]
        for line in (GOLD2.parent / "quotes_dev.jsonl").open(encoding="utf-8")
        if json.loads(line)["corpus"] == "saudinewsnet"
    }
    outlets: dict[str, int] = {}
    for r in records:
        if r["corpus"] != "saudinewsnet":
            continue
        day, index = r["id"].split(":")
        assert day not in first
        with zipfile.ZipFile(data / "saudinewsnet" / "dataset" / f"{day}.zip") as zf:
            source = json.loads(zf.read(f"{day}.json"))[int(index)]["source"]
        outlets[source] = outlets.get(source, 0) + 1
    assert len(outlets) >= 6 and max(outlets.values()) <= 2
    for ident, text, quotes in items:
        prev_end = 0
        for q in quotes:
            assert q["kind"] in {"direct", "indirect", "mixed"}, ident
            assert prev_end <= q["start"] < q["end"] <= len(text), ident
            prev_end = q["end"]
            for s, e in ([q["start"], q["end"]], q["cue"], q["speaker"] or [0, 1]):
                assert text[s:e] == text[s:e].strip() and text[s:e], (ident, q)
            assert not text[q["cue"][0] : q["cue"][1]].startswith(("وقال", "وأضاف", "فقال")), (ident, q)
