"""Build the Arabic word-statistics file used to restore missing spaces (khabar.lang.ar.glue).

Data source: the ANT Corpus (Arabic News Texts), train splits only:
  - ant-multisource-v2.1/train.trec.gz  (AlArabiya, BBC Arabic, CNN Arabic, France24, SkyNews Arabia)
  - ant-v1.1-jawharafm/train.trec.gz    (JawharaFM, Tunisia)
Licence: Apache-2.0, plus the authors' citation licence. Cite:
  A. Chouigui, O. Ben Khiroun, B. Elayeb, "ANT Corpus: An Arabic News Text Collection for
  Textual Classification", AICCSA 2017; and "An Arabic Multi-source News Corpus: Experimenting
  on Single-document Extractive Summarization", Arabian Journal for Science and Engineering, 2021.

Only derived counts ship (folded word unigrams and bigrams, and a character n-gram model of
word spellings), never the text. Nothing from SaudiNewsNet (CC BY-NC-SA) is read here: that
corpus is used for evaluation only (bench/).

The file is packed for a fast load (``khabar.lang.ar.glue.pack_lexicon``, a
``khabar.lang.ar.packed`` file: one marisa trie of keys per table and an integer array of
values indexed by key id, gzipped). Character log-probabilities and backoff weights are
stored in thousandths (rounded to 3 decimals, as the TSV of format 2 wrote them). The output
is deterministic: documents are read in file order, exact-duplicate bodies are counted once,
and the gzip header has no name or time.

Usage:
    python training/build_lexicon.py [--data ../shared/data] [--out src/khabar/models/ar_lexicon.bin.gz]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import math
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from khabar.lang.ar.glue import FORMAT_VERSION, WORD_RE, fold, pack_lexicon

CORPORA = ("ant-multisource-v2.1/train.trec.gz", "ant-v1.1-jawharafm/train.trec.gz")
TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
# Unigrams: every word seen at least this often (rare names matter: a known rare word must
# never be split). Bigrams: pruned harder, they are only needed as evidence for a split.
MIN_UNIGRAM = 1
MIN_BIGRAM = 2
# Character model of word spellings (unknown words): n-gram order, and the type count an
# n-gram needs to keep its own probability (rarer ones back off; lowest order always kept).
CHAR_ORDER = 5
MIN_CHAR_NGRAM = 2


def iter_bodies(data: Path) -> Iterator[str]:
    """Yield each distinct <TEXT> body of the ANT train files, in file order."""
    seen: set[bytes] = set()
    for rel in CORPORA:
        path = data / rel
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            raw = fh.read()
        for match in TEXT_RE.finditer(raw):
            body = match.group(1)
            key = hashlib.md5(" ".join(body.split()).encode("utf-8")).digest()
            if key in seen:  # duplicates (same story under two labels) would double-count
                continue
            seen.add(key)
            yield body


def count(data: Path) -> tuple[Counter[str], Counter[tuple[str, str]], int]:
    """Folded unigram and bigram counts; a bigram needs only whitespace between its words."""
    uni: Counter[str] = Counter()
    bi: Counter[tuple[str, str]] = Counter()
    ndocs = 0
    for body in iter_bodies(data):
        ndocs += 1
        prev = ""
        prev_end = -1
        for m in WORD_RE.finditer(body):
            word = fold(m.group())
            uni[word] += 1
            if prev and body[prev_end:m.start()].isspace():
                bi[(prev, word)] += 1
            prev, prev_end = word, m.end()
    return uni, bi, ndocs


def char_model(words: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Interpolated Witten-Bell character n-gram model over word *types*, in backoff form.

    Each distinct word counts once, so the model describes what a word spelling looks like
    (an unknown word is a rare type, not a frequent token). Words are padded as ``^word$``.
    Returns ``(logp, backoff)``: ``logp[h + c]`` is log P(c | h) for the kept n-grams and
    ``backoff[h]`` is the log weight of the lower order when ``h + c`` is not kept.
    """
    counts: Counter[str] = Counter()
    for word in words:
        padded = "^" + word + "$"
        for i in range(1, len(padded)):
            for k in range(min(CHAR_ORDER, i + 1)):
                counts[padded[i - k:i + 1]] += 1
    total: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for gram, n in counts.items():
        total[gram[:-1]] += n
        types[gram[:-1]] += 1
    logp: dict[str, float] = {}
    prob: dict[str, float] = {}
    for gram in sorted(counts, key=lambda g: (len(g), g)):
        hist = gram[:-1]
        if hist:
            p = (counts[gram] + types[hist] * prob[gram[1:]]) / (total[hist] + types[hist])
        else:
            p = counts[gram] / total[""]
        prob[gram] = p
        if len(gram) == 1 or counts[gram] >= MIN_CHAR_NGRAM:
            logp[gram] = math.log(p)
    kept_hist = {g[:-1] for g in logp}
    backoff = {h: math.log(types[h] / (total[h] + types[h])) for h in total if h and h in kept_hist}
    return logp, backoff


def thousandths(value: float) -> int:
    """``value`` rounded to 3 decimals, in thousandths (``-1.2345`` -> ``-1235``).

    Rounded through the decimal string, so ``thousandths(v) / 1000 == float(f"{v:.3f}")`` exactly.
    """
    return int(f"{value:.3f}".replace(".", ""))


def write(out: Path, uni: Counter[str], bi: Counter[tuple[str, str]], ndocs: int) -> None:
    """Write the packed, gzipped lexicon: unigram, bigram, character n-gram and backoff tables."""
    out.parent.mkdir(parents=True, exist_ok=True)
    unis = {w: n for w, n in uni.items() if n >= MIN_UNIGRAM}
    bis = {f"{a} {b}": n for (a, b), n in bi.items() if n >= MIN_BIGRAM}
    char_logp, char_backoff = char_model(sorted(unis, key=lambda w: (-unis[w], w)))
    about = [
        f"khabar ar_lexicon format={FORMAT_VERSION}",
        "folded Arabic word unigram/bigram counts derived from the ANT Corpus train splits",
        "(Chouigui, Ben Khiroun, Elayeb; AICCSA 2017 / AJSE 2021), licence Apache-2.0",
        (f"docs={ndocs} tokens={sum(uni.values())} unigrams={len(unis)} bigrams={len(bis)}"
         f" min_unigram={MIN_UNIGRAM} min_bigram={MIN_BIGRAM}"),
        (f"char model: order={CHAR_ORDER} min_ngram={MIN_CHAR_NGRAM} ngrams={len(char_logp)}"
         f" backoffs={len(char_backoff)} (word types padded ^word$; log values in thousandths)"),
    ]
    tables = {
        "uni": unis,
        "bi": bis,
        "char": {g: thousandths(v) for g, v in char_logp.items()},
        "backoff": {h: thousandths(v) for h, v in char_backoff.items()},
    }
    out.write_bytes(pack_lexicon(tables, about))  # deterministic: gzip mtime 0, no file name
    print(f"wrote {out} ({out.stat().st_size:,} bytes): {len(unis):,} unigrams, {len(bis):,} bigrams,"
          f" {len(char_logp):,} character n-grams from {ndocs:,} ANT documents")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder holding the ANT corpora (default: <repo>/../shared/data)")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "khabar" / "models" / "ar_lexicon.bin.gz",
                        help="output file")
    args = parser.parse_args(argv)
    for rel in CORPORA:
        if not (args.data / rel).exists():
            parser.error(f"{args.data / rel} not found (pass --data)")
    uni, bi, ndocs = count(args.data)
    write(args.out, uni, bi, ndocs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
