"""Build the document-frequency table behind keyword and summary term weights (idf.tsv.gz).

Data source: the ANT Corpus v2.1 (multi-source Arabic news: AlArabiya, BBC Arabic, CNN Arabic,
France24, SkyNews Arabia), train split only: ant-multisource-v2.1/train.trec.gz.
Licence: Apache-2.0, plus the authors' citation licence. Cite:
  A. Chouigui, O. Ben Khiroun, B. Elayeb, "ANT Corpus: An Arabic News Text Collection for
  Textual Classification", AICCSA 2017; and "An Arabic Multi-source News Corpus: Experimenting
  on Single-document Extractive Summarization", Arabian Journal for Science and Engineering, 2021.

Only derived counts ship: for each word key (the clitic-split base word, folded, exactly as
khabar.components.keywords.doc_terms computes it at run time) the number of distinct
documents it occurs in. Keys seen in fewer than MIN_DF documents are pruned (at run time an
unseen key gets the highest idf, which is what a rare word would get anyway). Nothing from
SaudiNewsNet (CC BY-NC-SA) is read here.

Deterministic: documents in file order, exact-duplicate bodies counted once, entries sorted
by (-df, key), gzip written with mtime 0.

Usage:
    python training/build_idf.py [--data ../shared/data] [--out src/khabar/models/idf.tsv.gz]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from khabar.components.keywords import IDF_FORMAT, word_key
from khabar.components.segment import _TOKEN, split_clitics

CORPUS = "ant-multisource-v2.1/train.trec.gz"
TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
MIN_DF = 3


def iter_bodies(data: Path) -> Iterator[str]:
    """Yield each distinct <TEXT> body of the ANT multi-source train file, in file order."""
    seen: set[bytes] = set()
    with gzip.open(data / CORPUS, "rt", encoding="utf-8") as fh:
        raw = fh.read()
    for match in TEXT_RE.finditer(raw):
        body = match.group(1)
        digest = hashlib.md5(" ".join(body.split()).encode("utf-8")).digest()
        if digest in seen:
            continue
        seen.add(digest)
        yield body


def body_keys(body: str, cache: dict[str, str]) -> set[str]:
    """The distinct word keys of one body (Arabic base words and Latin words; numbers skipped)."""
    keys: set[str] = set()
    for m in _TOKEN.finditer(body):
        kind = m.lastgroup
        surface = m.group()
        if kind == "latin":
            keys.add(word_key(surface))
        elif kind == "arabic":
            key = cache.get(surface)
            if key is None:
                base = [form for _s, _e, role, form in split_clitics(surface) if role == "base"]
                key = cache[surface] = word_key(base[0]) if base else ""
            if key:
                keys.add(key)
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "khabar" / "models" / "idf.tsv.gz")
    args = parser.parse_args()
    df: Counter[str] = Counter()
    cache: dict[str, str] = {}
    n_docs = 0
    for body in iter_bodies(args.data):
        df.update(body_keys(body, cache))
        n_docs += 1
    kept = sorted(((k, c) for k, c in df.items() if c >= MIN_DF and "\t" not in k), key=lambda kc: (-kc[1], kc[0]))
    text = io.StringIO()
    text.write(f"#idf\t{IDF_FORMAT}\t{n_docs}\n")
    for key, count in kept:
        text.write(f"{key}\t{count}\n")
    args.out.write_bytes(gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{n_docs:,} documents, {len(df):,} keys, {len(kept):,} kept (df >= {MIN_DF}) -> {args.out}")
    print(f"{args.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
