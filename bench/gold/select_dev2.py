#!/usr/bin/env python3
"""Seeded article selection for the second quotation development gold (``quotes_dev2.jsonl``).

Candidates: SaudiNewsNet ``content`` from six days the first gold does not use, and ANT v1.1
(JawharaFM) ``body.strip()`` from train and dev. An article qualifies when it has 150-700
whitespace tokens and at least two speech-cue words (see CUES; a leading و/ف and a feminine or
plural verb ending are allowed). Qualifying articles are shuffled with ``random.Random(SEED)``
(SaudiNewsNet and ANT separately, in a fixed sorted order before shuffling) and taken in sample
order: SaudiNewsNet with at most two articles per outlet, ANT as they come.

Usage: python bench/gold/select_dev2.py [--data PATH] [--snn N] [--ant N]
Prints ``corpus  id  outlet  words  cue_words`` for the first N of each list, in sample order.
"""

import argparse
import gzip
import json
import random
import re
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SEED = 13  # issue 13
DAYS = ("2015-08-02", "2015-08-03", "2015-08-04", "2015-08-08", "2015-08-09", "2015-08-11")
CUES = {
    "قال",
    "أكد",
    "أوضح",
    "أشار",
    "أعلن",
    "بحسب",
    "وفقا",
    "دعا",
    "حث",
    "اتهم",
    "طالب",
    "نفى",
    "حذر",
    "اعتبر",
    "توقع",
    "وصف",
    "أوصى",
    "أقر",
    "برر",
    "ينص",
}
FORMS = CUES | {c + "ت" for c in CUES} | {c + "وا" for c in CUES} | {"دعت", "نفت"}
TOKEN = re.compile(r"[\u0621-\u064A]+")


def cue_words(text: str) -> int:
    n = 0
    for tok in TOKEN.findall(text):
        if tok in FORMS or (tok[0] in "وف" and tok[1:] in FORMS):
            n += 1
    return n


def qualifies(text: str) -> bool:
    return 150 <= len(text.split()) <= 700 and cue_words(text) >= 2


def snn_candidates(data: Path) -> list:
    out = []
    for day in DAYS:
        with zipfile.ZipFile(data / "saudinewsnet" / "dataset" / f"{day}.zip") as zf:
            arr = json.loads(zf.read(f"{day}.json"))
        for i, art in enumerate(arr):
            text = art.get("content") or ""
            if qualifies(text):
                out.append(("saudinewsnet", f"{day}:{i}", art.get("source", ""), text))
    return out


def ant_candidates(data: Path) -> list:
    out = []
    for split in ("train", "dev"):
        raw = gzip.decompress((data / "ant-v1.1-jawharafm" / f"{split}.trec.gz").read_bytes()).decode("utf-8")
        for m in re.finditer(r"<DOC>(.*?)</DOC>", raw, re.DOTALL):
            no = re.search(r"<DOCNO>(.*?)</DOCNO>", m.group(1))
            body = re.search(r"<TEXT>(.*?)</TEXT>", m.group(1), re.DOTALL)
            if no and body and qualifies(body.group(1).strip()):
                out.append((f"ant-v1.1-{split}", no.group(1).strip(), "JawharaFM", body.group(1).strip()))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--snn", type=int, default=22)
    ap.add_argument("--ant", type=int, default=8)
    a = ap.parse_args()
    data = Path(a.data)
    snn = sorted(snn_candidates(data), key=lambda c: c[:2])
    ant = sorted(ant_candidates(data), key=lambda c: c[:2])
    random.Random(SEED).shuffle(snn)
    random.Random(SEED).shuffle(ant)
    per_outlet: dict = {}
    picked = []
    for c in snn:
        if len([p for p in picked if p[0] == "saudinewsnet"]) >= a.snn:
            break
        if per_outlet.get(c[2], 0) < 2:
            per_outlet[c[2]] = per_outlet.get(c[2], 0) + 1
            picked.append(c)
    picked += ant[: a.ant]
    print(f"# candidates: saudinewsnet {len(snn)}, ant-v1.1 {len(ant)}; seed {SEED}")
    for corpus, ident, outlet, text in picked:
        print(f"{corpus}\t{ident}\t{outlet}\t{len(text.split())}\t{cue_words(text)}")


if __name__ == "__main__":
    main()
