"""Precompute the segmenter's choice for frequent corpus words: src/khabar/models/segmenter_ranked.bin.gz.

For every ANT word the shipped segmenter model carries counts for (and that is not in
its gold lexicon), store the index of the best-ranked candidate: one byte per id of the
model's word trie (255 for none), tied to that trie by its SHA-256. At run time
``morph.SegmenterModel.best`` returns that candidate without scoring, so the answer is
identical and most words of running text skip the ranker. Run after
training/train_segmenter.py (which calls this):

    python training/build_segmenter_index.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

from write_manifest import main as write_manifest

from khabar.lang.ar import morph


def build(model: morph.SegmenterModel) -> list[tuple[str, int]]:
    """(word, best candidate index) for the model's corpus words, most frequent first."""
    plain = morph.SegmenterModel(model.weights, model.counts, model.lexicon)  # no precomputed index
    rows = []
    for word, _count in sorted(model.counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(word) < 2 or word in model.lexicon or morph._bare(word) != (word, list(range(len(word)))):
            continue
        cands = morph.candidates(word)
        rows.append((word, cands.index(plain.ranked_choice(word, cands))))  # lexical evidence applies at run time
    return rows


def main(out: Path = REPO / "src" / "khabar" / "models" / morph.RANKED_FILE) -> None:
    model = morph.SegmenterModel.from_bytes((REPO / "src" / "khabar" / "models" / morph.MODEL_FILE).read_bytes())
    rows = build(model)
    out.write_bytes(morph.ranked_bytes(model, dict(rows)))
    print(f"wrote {out} ({len(rows):,} words, {out.stat().st_size / 1e6:.2f} MB)")
    write_manifest()


if __name__ == "__main__":
    main()
