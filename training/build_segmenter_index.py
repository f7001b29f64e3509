"""Precompute the segmenter's choices for frequent corpus words: src/khabar/models/segmenter_ranked.bin.gz.

For every ANT word the shipped segmenter model carries counts for, two answers, each
stored per id of the model's word trie (tied to that trie by its SHA-256):

* ``choice``: the index of the best-ranked candidate (words outside the gold lexicon; one
  byte, 255 for none), what ``morph.SegmenterModel.ranked_choice`` returns without scoring;
* ``final``: the shape of what ``morph.SegmenterModel.best`` returns, the gold lexicon and the
  lexical evidence of ``khabar.lang.ar.clitic_evidence`` applied (two bytes: an index into the
  header's list of shapes, 65535 for none). A word found there costs one look-up at run time.
  The evidence it was made with (name lists, place words, function words, stem-spelling model)
  is recorded by its digest; the runtime ignores the final choices when that differs;
* ``rare_words`` + ``rare_final``: the same final answers for the ANT words outside the counts
  (seen once: 82,690 words, about a quarter of the words of running news that the counts
  lack), a trie of their own. The ANT corpora are read from ../shared/data (Apache-2.0; only
  the word list ships, as with the counts).

Every stored answer is checked against the computation it replaces, so the answers are
identical. Run after training/train_segmenter.py (which calls this), and again after any
change to the evidence, ``clitic_evidence``'s rules or ``SegmenterModel.best``
(tests/test_morph.py checks a sample of the final choices against the computed ones):

    python training/build_segmenter_index.py [--data ../shared/data]
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

from write_manifest import main as write_manifest

from khabar.lang.ar import clitic_evidence, morph


def _words(model: morph.SegmenterModel) -> list[str]:
    """The model's corpus words of two or more Arabic letters (no marks), most frequent first."""
    return [
        word
        for word, _count in sorted(model.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(word) >= 2 and morph._bare(word) == (word, list(range(len(word))))
    ]


def build(model: morph.SegmenterModel) -> list[tuple[str, int]]:
    """(word, best candidate index) for the model's corpus words outside its lexicon, most frequent first."""
    plain = morph.SegmenterModel(model.weights, model.counts, model.lexicon)  # no precomputed index
    rows = []
    for word in _words(model):
        if word in model.lexicon:
            continue
        cands = morph.candidates(word)
        rows.append((word, cands.index(plain.ranked_choice(word, cands))))  # lexical evidence applies at run time
    return rows


def build_final(model: morph.SegmenterModel, choices: dict[str, int]) -> dict[str, morph.Shape]:
    """word -> shape of ``best(word)`` (lexicon and lexical evidence applied) for the model's corpus words."""
    ranked = morph.SegmenterModel(model.weights, model.counts, model.lexicon, choices)
    final = {}
    for word in _words(model):
        cand = ranked.computed(word)
        shape = morph.shape_of(word, cand)
        if morph.from_shape(word, shape) != cand:
            raise AssertionError(f"the shape of {word!r} does not give its candidate back: {cand}")
        final[word] = shape
    return final


def rare_words(model: morph.SegmenterModel, data: Path) -> list[str]:
    """The ANT words outside the model's counts (seen once; the counts keep two or more), two or
    more Arabic letters, sorted."""
    from train_segmenter import corpus_counts  # (train_segmenter imports this module)

    every = corpus_counts(data, 1)
    return [
        word
        for word in sorted(every)
        if word not in model.counts and len(word) >= 2 and morph._bare(word) == (word, list(range(len(word))))
    ]


def build_rare(model: morph.SegmenterModel, words: list[str]) -> dict[str, morph.Shape]:
    """word -> shape of ``best(word)`` for words outside the model's counts."""
    final = {}
    for word in words:
        cand = model.computed(word, ranked=False)  # (no ranked choice: not a counted word)
        shape = morph.shape_of(word, cand)
        if morph.from_shape(word, shape) != cand:
            raise AssertionError(f"the shape of {word!r} does not give its candidate back: {cand}")
        final[word] = shape
    return final


def main(out: Path = REPO / "src" / "khabar" / "models" / morph.RANKED_FILE, data: Path = DEFAULT_DATA) -> None:
    model = morph.SegmenterModel.from_bytes((REPO / "src" / "khabar" / "models" / morph.MODEL_FILE).read_bytes())
    rows = build(model)
    choices = dict(rows)
    final = build_final(model, choices)
    rare = build_rare(model, rare_words(model, data))
    out.write_bytes(morph.ranked_bytes(model, choices, final, clitic_evidence.evidence_digest(), rare))
    n_shapes = len(set(final.values()) | set(rare.values()))
    print(
        f"wrote {out} ({len(rows):,} ranked words, {len(final):,} + {len(rare):,} rare final choices in "
        f"{n_shapes} shapes, {out.stat().st_size / 1e6:.2f} MB)"
    )
    write_manifest()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder (the ANT corpora)")
    main(data=parser.parse_args().data)
