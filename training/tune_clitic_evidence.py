"""Choose the thresholds of khabar.lang.ar.clitic_evidence on names the names bench does not test.

    python training/tune_clitic_evidence.py [--data ../shared/data]

Names: the gazetteers' single-word places and given names, and the words of ANERcorp
entities in the first 90% of the sentences, except every word of the names that
``bench/bench_names.py`` tests (its ANERcorp figure is then on names never used here).
Only words the segmenter's counts do not know are scored (rule 5 is for unknown words):
each written bare (must keep its first letter) and after و، ب، ل، ف، ك (must lose
it). For each proclitic letter the script prints, for thresholds of the spelling gain,
how many of both kinds come out right. Prints figures; writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))
sys.path.insert(0, str(REPO / "bench"))

import bench_names
import train_ner

from khabar.lang.ar import clitic_evidence, morph

DEFAULT_DATA = REPO.parent / "shared" / "data"


def tuning_names(data: Path) -> list[str]:
    """Bare single words of names that the names bench does not test (see the module docstring)."""
    held_out, _candidates, _n = bench_names.anercorp_names(data, set())
    excluded = {w for name in held_out for w in name.text.split()}
    train, _dev = train_ner.split(train_ner.load(data))
    spans = list(bench_names.entity_spans(train))
    starts = {toks[0] for _typ, toks in spans}
    words = set(clitic_evidence.name_words())
    for _typ, toks in spans:
        for tok in toks:
            bare = morph._bare(tok)
            if tok in excluded or bare is None or len(bare[0]) < 3 or tok in bench_names._NOT_ARTICLE:
                continue
            if bench_names._is_clitic_form(tok, starts) or tok.startswith(bench_names._CLITIC_ARTICLE):
                continue
            words.add(bare[0])
    return sorted(w for w in words - excluded if not w.startswith("ال"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    counts = morph.load_model().counts
    names = tuning_names(args.data)
    print(f"{len(names)} tuning names")
    # (letter, kind) -> spelling gains; kind "bare": a name starting with the letter; "split": letter + name
    gains: dict[tuple[str, str], list[float]] = defaultdict(list)
    for name in names:
        for q in "وبلفك":
            if name.startswith(q) and not counts.get(name) and not counts.get(name[1:]):
                gains[(q, "bare")].append(clitic_evidence.spelling_logp(name[1:]) - clitic_evidence.spelling_logp(name))
            word = q + name
            if not counts.get(word) and not counts.get(name):
                gains[(q, "split")].append(clitic_evidence.spelling_logp(name) - clitic_evidence.spelling_logp(word))
    for q in "وبلفك":
        bare, split = gains[(q, "bare")], gains[(q, "split")]
        print(f"{q}: {len(bare)} unknown names starting with it, {len(split)} unknown names after it")
        for t in (-99, -2, -1, 0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 99):
            ok_bare = sum(g < t for g in bare)
            ok_split = sum(g >= t for g in split)
            total = len(bare) + len(split)
            print(f"   gain >= {t:5}: bare kept {ok_bare}/{len(bare)}, split {ok_split}/{len(split)}, "
                  f"all {(ok_bare + ok_split) / max(1, total):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
