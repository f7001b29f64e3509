"""Save, or compare against a saved file, the topic outputs over a fixed sample (identity check).

    python bench/topics_identity.py --save /tmp/topics_before.json      # before a change
    python bench/topics_identity.py --compare /tmp/topics_before.json   # after it: counts identical

The sample: 1,000 SaudiNewsNet articles (fixed seed; evaluation only, nothing is written to the
repo) plus the seed article. For each: the Doc JSON ``topic`` and ``categories`` of
``khabar.analyze(text, {title, source}, components=["classify"])``, and ``classify_text`` on the body
alone, with the title, and with the title under each training outlet's name and an unknown one,
and with no Arabic text (the priors). Floats are compared exactly (JSON keeps every bit of a float).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from saudinewsnet import DEFAULT_DATA, load_records

import khabar
from khabar.components.classify import classify_text

SEED = REPO.parent / "shared" / "seed" / "000_f7a595203ed4f7d3.txt"
# The five training outlets (as callers spell them) and one unknown outlet (text-only model).
SOURCES = ("BBC Arabic", "Sky News Arabia", "AlArabiya", "CNN بالعربية", "فرانس 24", "Reuters")


def sample(data: Path, n: int) -> list[dict[str, Any]]:
    records = load_records(data)
    picked = random.Random(16).sample(records, min(n, len(records)))
    picked.append({"content": SEED.read_text(encoding="utf-8"), "title": "", "source": ""})
    return picked


def outputs(record: dict[str, Any]) -> dict[str, Any]:
    text, title, source = record["content"], record.get("title") or None, record.get("source") or None
    doc = khabar.analyze(text, {"title": title or "", "source": source or ""}, components=["classify"]).to_dict()
    out: dict[str, Any] = {"doc_topic": doc["topic"], "doc_categories": doc["categories"]}
    out["body"] = classify_text(text)
    out["title"] = classify_text(text, title)
    for name in SOURCES:
        out["src:" + name] = classify_text(text, title, name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the outputs here")
    group.add_argument("--compare", type=Path, help="compare with outputs saved here")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument("-n", type=int, default=1000, help="SaudiNewsNet articles")
    args = parser.parse_args(argv)
    results = [outputs(r) for r in sample(args.data, args.n)]
    results.append({"prior:" + (s or "none"): classify_text("no Arabic", None, s) for s in (None, *SOURCES)})
    if args.save:
        args.save.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
        print(f"saved outputs of {len(results)} items to {args.save}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    if len(before) != len(results):
        print(f"different sample sizes: {len(before)} saved, {len(results)} now")
        return 1
    fields = same_fields = same_items = 0
    for old, new in zip(before, results, strict=True):
        new = json.loads(json.dumps(new, ensure_ascii=False))  # the same float round trip as the saved side
        same = [old.get(k) == v for k, v in new.items()] + [k in new for k in old]
        fields += len(new)
        same_fields += sum(same[: len(new)])
        same_items += all(same)
    print(
        f"identical: {same_items} of {len(results)} items (articles + seed + priors), {same_fields} of {fields} outputs"
    )
    return 0 if same_items == len(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
