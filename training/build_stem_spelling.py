"""Build the character model of stem spellings shipped as src/khabar/models/stem_spelling.bin.gz.

    python training/build_stem_spelling.py [--data ../shared/data] [--cache ant_counts.json.gz]
    python training/build_stem_spelling.py --repack OLD_stem_spelling.json.gz   # schema 1 -> packed

Data: the ANT corpora's word counts (Apache-2.0; the same counts as
``training/train_segmenter.py``), words seen at least twice. Each word is split by the
shipped segmenter and what follows its proclitics (``والعراق`` -> ``عراق``, ``لبنان`` ->
``لبنان``) is one training spelling: the model knows how stems and names begin, not how
words with a proclitic do. It counts character n-grams (histories of up to
``ORDER - 1`` letters, ``^`` pads the start, ``$`` ends a word) over distinct spellings;
``khabar.lang.ar.clitic_evidence`` reads it (Witten-Bell interpolation) to decide whether
an unknown word such as ``بفرويد`` is ``ب`` + a name. Deterministic: sorted iteration,
no randomness. Run ``training/write_manifest.py`` after it (this script does).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

from train_segmenter import DEFAULT_DATA, corpus_counts
from write_manifest import main as write_manifest

from khabar.lang.ar import clitic_evidence, morph

OUT = REPO / "src" / "khabar" / "models" / clitic_evidence.SPELLING_FILE


def stem_spellings(counts: dict[str, int]) -> list[str]:
    """Distinct spellings of what follows the proclitics of each counted word, sorted."""
    model = morph.load_model()
    out: set[str] = set()
    for word in sorted(counts):
        if len(word) < 2 or morph._bare(word) is None:
            continue
        rest = word[model.best(word).pre_len :]
        if len(rest) >= 2:
            out.add(rest)
    return sorted(out)


def ngram_counts(spellings: list[str], order: int) -> dict[str, dict[str, int]]:
    """history -> next character -> number of spellings' positions (histories of 0..order-1 letters)."""
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    pad = "^" * (order - 1)
    for spelling in spellings:
        padded = pad + spelling + "$"
        for i in range(order - 1, len(padded)):
            for k in range(order):
                table[padded[i - k : i]][padded[i]] += 1
    return {h: dict(sorted(nxt.items())) for h, nxt in sorted(table.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="cache file for the ANT counts")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--repack", type=Path, help="write a schema-1 stem_spelling.json.gz packed; build nothing")
    args = parser.parse_args(argv)
    if args.repack:
        old = json.loads(gzip.decompress(args.repack.read_bytes()).decode("utf-8"))
        model = clitic_evidence._SpellingModel.from_ngrams(old["ngrams"], int(old["order"]))
        args.out.write_bytes(model.to_bytes())
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) from {args.repack}")
        if args.out == OUT:
            write_manifest()
        return 0
    counts = corpus_counts(args.data, 2, args.cache)
    spellings = stem_spellings(counts)
    table = ngram_counts(spellings, clitic_evidence.SPELLING_ORDER)
    model = clitic_evidence._SpellingModel.from_ngrams(table, clitic_evidence.SPELLING_ORDER)
    args.out.write_bytes(model.to_bytes())  # (schema 1 was this table as gzipped JSON)
    print(f"{len(spellings):,} stem spellings, {len(table):,} histories -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.2f} MB)")
    if args.out == OUT:
        write_manifest()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
