#!/usr/bin/env python3
"""Validate and pretty-print the quotation-extraction development gold.

Loads every article text from the shared corpora (ANT v2.1 and ANT v1.1
JawharaFM TREC files, SaudiNewsNet zips), checks the recorded sha256, checks that every span lies
inside the text and is non-empty, and prints each quotation for review.

Usage: python bench/gold/check_gold.py [--data PATH] [--gold FILE] [--quiet]
(--gold defaults to quotes_dev.jsonl; the second gold is --gold bench/gold/quotes_dev2.jsonl)
"""
import argparse
import collections
import gzip
import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
KINDS = {"direct", "indirect", "mixed"}
ANT_FOLDERS = {"ant-v2.1": "ant-multisource-v2.1", "ant-v1.1": "ant-v1.1-jawharafm"}


def load_ant(data: Path, folder: str, split: str, wanted: set) -> dict:
    raw = gzip.decompress((data / folder / f"{split}.trec.gz").read_bytes()).decode("utf-8")
    out = {}
    for m in re.finditer(r"<DOC>(.*?)</DOC>", raw, re.DOTALL):
        doc = m.group(1)
        no = re.search(r"<DOCNO>(.*?)</DOCNO>", doc)
        if not no or no.group(1).strip() not in wanted:
            continue
        body = re.search(r"<TEXT>(.*?)</TEXT>", doc, re.DOTALL)
        out[no.group(1).strip()] = body.group(1).strip() if body else ""
    return out


def load_snn(data: Path, ids: set) -> dict:
    out, by_day = {}, collections.defaultdict(set)
    for i in ids:
        day, idx = i.split(":")
        by_day[day].add(int(idx))
    for day, idxs in by_day.items():
        zf = zipfile.ZipFile(data / "saudinewsnet" / "dataset" / f"{day}.zip")
        arr = json.loads(zf.read(zf.namelist()[0]).decode("utf-8"))
        for idx in idxs:
            out[f"{day}:{idx}"] = arr[idx]["content"]
    return out


def load_texts(data: Path, records: list) -> dict:
    want = collections.defaultdict(set)
    for r in records:
        want[r["corpus"]].add(r["id"])
    texts = {}
    for corpus, ids in want.items():
        release, _, split = corpus.rpartition("-")
        if release in ANT_FOLDERS and split in ("train", "dev"):
            got = load_ant(data, ANT_FOLDERS[release], split, ids)
        elif corpus == "saudinewsnet":
            got = load_snn(data, ids)
        else:
            raise SystemExit(f"unknown corpus {corpus}")
        texts.update({(corpus, k): v for k, v in got.items()})
    return texts


def show(text, span, n=60):
    if span is None:
        return "-"
    s = text[span[0]:span[1]].replace("\n", " ")
    return s if len(s) <= n else s[:n] + "…"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--gold", default=str(HERE / "quotes_dev.jsonl"))
    ap.add_argument("--quiet", action="store_true", help="only errors and counts")
    a = ap.parse_args()
    records = [json.loads(line) for line in Path(a.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = load_texts(Path(a.data), records)
    errors = 0
    kinds = collections.Counter()
    implicit = 0
    corpora = collections.Counter()
    by_corpus = collections.Counter()

    def err(msg):
        nonlocal errors
        errors += 1
        print("ERROR:", msg)

    seen = set()
    for r in records:
        key = (r["corpus"], r["id"])
        if key in seen:
            err(f"duplicate article {key}")
        seen.add(key)
        corpora[r["corpus"]] += 1
        text = texts.get(key)
        if text is None:
            err(f"{key}: text not found")
            continue
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != r["text_sha256"]:
            err(f"{key}: sha256 mismatch")
            continue
        if not a.quiet:
            print(f"\n=== {r['corpus']} {r['id']} ({len(text)} chars, {len(r['quotes'])} quotes)")
        prev_end = -1
        for j, q in enumerate(r["quotes"]):
            tag = f"{key} #{j}"
            if q["kind"] not in KINDS:
                err(f"{tag}: bad kind {q['kind']}")
            if not isinstance(q.get("implicit"), bool):
                err(f"{tag}: implicit must be bool")
            spans = {"content": [q["start"], q["end"]], "cue": q["cue"], "speaker": q["speaker"]}
            for name, sp in spans.items():
                if sp is None:
                    if name == "content":
                        err(f"{tag}: missing content")
                    continue
                s, e = sp
                if not (0 <= s < e <= len(text)):
                    err(f"{tag}: {name} span {sp} out of range or empty")
                elif text[s:e] != text[s:e].strip():
                    err(f"{tag}: {name} span has surrounding whitespace")
            if q["start"] < prev_end:
                err(f"{tag}: overlaps previous quotation")
            prev_end = max(prev_end, q["end"])
            if q["implicit"] and q["speaker"] is None:
                err(f"{tag}: implicit without speaker")
            kinds[q["kind"]] += 1
            by_corpus[(r["corpus"], q["kind"])] += 1
            implicit += bool(q["implicit"])
            if not a.quiet:
                print(f"  [{j:2}] {q['kind']:8} {'IMPL' if q['implicit'] else '    '} "
                      f"cue={show(text, q['cue'], 25)} | spk={show(text, q['speaker'], 35)}\n"
                      f"       » {show(text, [q['start'], q['end']])}")
    total = sum(kinds.values())
    print(f"\narticles: {len(records)} ({dict(corpora)})")
    print(f"quotations: {total}  by kind: {dict(kinds)}  implicit speakers: {implicit}")
    for corpus in sorted(corpora):
        row = {k: by_corpus[(corpus, k)] for k in sorted(KINDS)}
        print(f"  {corpus}: {corpora[corpus]} articles, {sum(row.values())} quotations {row}")
    print(f"errors: {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
