"""Build the list of annotated names the segmenter keeps whole: src/khabar/models/names.json.gz.

    python training/build_name_list.py [--data ../shared/data]

Data: ANERcorp (CAMeL Lab split, CC BY-SA 4.0; the same file and the same first 90% of the
sentences as ``training/train_ner.py``, whose model already ships from them). A word of
three or more Arabic letters (diacritics and tatweel dropped) is a name when it stands
inside a PERS, LOC or ORG span at least ``MIN_SHARE`` of the times it occurs there. Left
out, so that the list holds names and not their clitic-attached forms or common words:

- a word that is a proclitic (و ف ب ل ك, or two: وب ول وك فب فل فك) before a word with
  the article that the ANT counts know better (``بالأردن``, not ``بالاك``), before a
  listed word seen at least as often in a span, or before a gazetteer name (``وبلير`` goes because ``بلير`` is listed), a stop
  word or name link (``وبن``), or a word ``ATTACHED_RATIO`` times as frequent in the ANT
  counts (``لجنوب``, ``ورأس``; not when that word is itself a proclitic + a stop word: the
  count of ``وفي`` says nothing about ``كوفي``); any word starting with ``لل``;
- a stop word, and a word with the article (the segmenter's article rules handle those).

``khabar.lang.ar.clitic_evidence`` reads the list next to the gazetteers: a listed word
keeps its first letters (``بلير`` is not ``ب`` + ``لير``) and a proclitic before a listed
word is split (``وبلير``). Deterministic: sorted output, no randomness. The names bench
draws its test names from the same 90% (``bench/bench_names.py``): its default figure is
in-lexicon by construction; ``--part dev`` (names of the last 10% only) is the held-out one.
Run ``training/write_manifest.py`` afterwards (this script does).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import sys
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

from train_ner import load, split
from write_manifest import main as write_manifest

from khabar.lang.ar.chars import DIACRITIC_RANGES, TATWEEL, is_arabic_letter
from khabar.lang.ar.clitic_evidence import NAMES_FILE, gazetteer_names
from khabar.lang.ar.stopwords import STOP_WORDS

OUT = REPO / "src" / "khabar" / "models" / NAMES_FILE
MIN_SHARE = 0.5  # inside an entity at least half of its occurrences
ATTACHED_RATIO = 20  # a proclitic + a word this many times more frequent is that word, not a name
LABELS = ("PERS", "LOC", "ORG")
_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")
_LINKS = frozenset({"بن", "ابن", "بنت", "أبو", "أبي", "آل"})
_MARKS = re.compile(f"[{DIACRITIC_RANGES}{TATWEEL}]")


def names(sentences: list[list[tuple[str, str]]]) -> dict[str, str]:
    """``{word: label}`` of the words that are mostly inside PERS/LOC/ORG spans (label: the most frequent)."""
    # kept: word -> times inside a span
    seen: collections.Counter[str] = collections.Counter()
    inside: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for sentence in sentences:
        for token, tag in sentence:
            word = _MARKS.sub("", token)
            if len(word) < 3 or not all(is_arabic_letter(ch) for ch in word):
                continue
            seen[word] += 1
            if tag[2:] in LABELS:
                inside[word][tag[2:]] += 1
    kept = {
        w: sum(c.values())
        for w, c in inside.items()
        if sum(c.values()) >= MIN_SHARE * seen[w] and not w.startswith("ال") and w not in STOP_WORDS
    }
    return {
        w: max(sorted(inside[w]), key=lambda label: inside[w][label]) for w in sorted(kept) if not _attached(w, kept)
    }


def _attached(word: str, kept: dict[str, int]) -> bool:
    """Whether ``word`` is a proclitic written before another name or word (the rules of the
    module docstring; ``kept``: word -> times inside a span)."""
    if word.startswith("لل"):
        return True
    counts = _counts()
    for q in _PROCLITICS:
        rest = word[len(q) :]
        if not word.startswith(q) or len(rest) < 2:
            continue
        if rest.startswith("ال") and counts.get(rest, 0) >= max(counts.get(word, 0), 1):
            return True  # (بالأردن; not بالاك, كالديرون)
        if kept.get(rest, 0) >= kept[word] or rest in gazetteer_names():
            return True  # (وبلير; not وقاص: قاص is the rarer name)
        if rest in STOP_WORDS or rest in _LINKS:
            return True  # (وبن)
        if _function_word(rest):
            continue  # the count of وفي says nothing about كوفي
        if counts.get(rest, 0) >= ATTACHED_RATIO * max(counts.get(word, 0), 1):
            return True  # (لجنوب، ورأس)
    return False


def _function_word(word: str) -> bool:
    """A proclitic + a stop word (``وفي``, ``لما``)."""
    return any(word.startswith(q) and word[len(q) :] in STOP_WORDS for q in _PROCLITICS)


@lru_cache(maxsize=1)
def _counts() -> Mapping[str, int]:
    from khabar.lang.ar import morph

    return morph.load_model().counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    train, _dev = split(load(args.data))
    listed = names(train)
    doc = {
        "schema": 1,
        "source": "ANERcorp CAMeL split, first 90% of the sentences (CC BY-SA 4.0)",
        "min_share": MIN_SHARE,
        "names": listed,
    }
    data = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    OUT.write_bytes(gzip.compress(data, mtime=0))
    print(f"{len(listed):,} names -> {OUT} ({OUT.stat().st_size:,} bytes)", file=sys.stderr)
    write_manifest()


if __name__ == "__main__":
    main()
