"""Snapshot of the NER and words layers, to check that a change leaves them identical.

    python bench/ner_snapshot.py save OUT.jsonl [--articles 1000] [--data ../shared/data]
    python bench/ner_snapshot.py compare A.jsonl B.jsonl

``save`` analyses the seed article (``../shared/seed/000_f7a595203ed4f7d3.txt``) and
``--articles`` SaudiNewsNet articles (drawn with seed 13, evaluation only; nothing derived
ships) with components ``ner`` (which pulls in repair and segment) and writes one JSON line
per article: its entities (start, end, label) and its words (start, end, attrs).
``compare`` prints how many articles have identical entities and identical words.
Run ``save`` with an old checkout on ``PYTHONPATH`` to snapshot the old code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from saudinewsnet import DEFAULT_DATA, load_articles

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "000_f7a595203ed4f7d3.txt"


def save(out: Path, n: int, data: Path) -> None:
    """Write the snapshot of the seed + ``n`` SaudiNewsNet articles to ``out``."""
    import khabar

    texts = ([SEED.read_text(encoding="utf-8")] if SEED.exists() else []) + load_articles(data, n, 13)
    nlp = khabar.load(["ner"])
    with out.open("w", encoding="utf-8") as fh:
        for text in texts:
            doc = nlp.analyze(text)
            row = {
                "entities": [[s.start, s.end, s.label] for s in doc["entities"]],
                "words": [[s.start, s.end, s.label, sorted(s.attrs.items())] for s in doc["words"]],
            }
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(texts)} articles written to {out} (khabar from {Path(khabar.__file__).parent})")


def compare(a: Path, b: Path) -> None:
    """Print the number of articles whose entities / words are identical in ``a`` and ``b``."""
    rows_a = [json.loads(line) for line in a.read_text(encoding="utf-8").splitlines()]
    rows_b = [json.loads(line) for line in b.read_text(encoding="utf-8").splitlines()]
    if len(rows_a) != len(rows_b):
        print(f"different article counts: {len(rows_a)} vs {len(rows_b)}")
    pairs = list(zip(rows_a, rows_b, strict=False))
    same_ents = sum(x["entities"] == y["entities"] for x, y in pairs)
    same_words = sum(x["words"] == y["words"] for x, y in pairs)
    n_ents = sum(len(x["entities"]) for x, _ in pairs)
    n_words = sum(len(x["words"]) for x, _ in pairs)
    print(f"articles: {len(pairs)}; entities identical in {same_ents} ({n_ents:,} entities); ", end="")
    print(f"words identical in {same_words} ({n_words:,} words)")
    for i, (x, y) in enumerate(pairs):
        if x != y:
            print(f"first difference: article {i}")
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_save = sub.add_parser("save")
    p_save.add_argument("out", type=Path)
    p_save.add_argument("--articles", type=int, default=1000)
    p_save.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p_cmp = sub.add_parser("compare")
    p_cmp.add_argument("a", type=Path)
    p_cmp.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.cmd == "save":
        save(args.out, args.articles, args.data)
    else:
        compare(args.a, args.b)


if __name__ == "__main__":
    main()
