"""Cost of the glued-word model (khabar.lang.ar.glue): load time, memory, speed, and output identity.

Data: SaudiNewsNet articles (../shared/data/saudinewsnet, CC BY-NC-SA, used here for measurement
only) drawn with a fixed seed from all the daily zips, after the seed article
(../shared/seed/000_f7a595203ed4f7d3.txt) when it is there. Prints figures; asserts nothing.

Measured in one process, with ``time.process_time`` (CPU seconds) and VmRSS:
  * loading the lexicon (``glue._lexicon()``): CPU seconds and the RSS it adds;
  * ``restore_spaces`` over every text: CPU seconds, words/s, RSS afterwards and the fill of
    each of glue's caches (they are bounded: see the ``lru_cache`` sizes in glue.py).

``--save FILE`` writes every text's ``restore_spaces`` offsets and, for every distinct Arabic
token, ``_token_analysis`` (cuts, margin as ``repr``, folded key); ``--compare FILE`` counts the
texts and tokens whose outputs are identical to such a file. To compare two versions, run the
older one first with its ``src`` on ``PYTHONPATH`` (e.g. a ``git worktree`` of an older commit)::

    PYTHONPATH=/tmp/old/src python bench/bench_glue.py --save /tmp/glue_old.json.gz
    python bench/bench_glue.py --compare /tmp/glue_old.json.gz

    python bench/bench_glue.py [--articles 3000] [--seed 5] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from saudinewsnet import DEFAULT_DATA, load_articles

SEED_ARTICLE = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "000_f7a595203ed4f7d3.txt"


def rss_mb() -> float:
    """Resident set size of this process, in MB (VmRSS; 0.0 where /proc is absent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def outputs(glue: Any, texts: list[str]) -> dict[str, Any]:
    """restore_spaces per text and the analysis of every distinct Arabic token (floats as repr)."""
    tokens = sorted({m.group() for text in texts for m in glue.WORD_RE.finditer(text)})
    analysis = {}
    for token in tokens:
        cuts, margin, key = glue._token_analysis(token)
        analysis[token] = [list(cuts), repr(margin), key]
    return {"spaces": [glue.restore_spaces(text) for text in texts], "analysis": analysis}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--save", type=Path, help="write the outputs to this .json.gz file")
    parser.add_argument("--compare", type=Path, help="count outputs identical to this --save file")
    args = parser.parse_args()

    texts = load_articles(args.data, args.articles, args.seed)
    if SEED_ARTICLE.exists():
        texts.insert(0, SEED_ARTICLE.read_text(encoding="utf-8"))
    words = sum(len(t.split()) for t in texts)

    from khabar.lang.ar import clitic_evidence, glue

    clitic_evidence.name_words()  # the name list glue consults is another model: load it first
    print(f"glue: {glue.__file__} (lexicon file {glue.LEXICON_FILE})")
    rss0, cpu0 = rss_mb(), time.process_time()
    glue._lexicon()
    cpu1, rss1 = time.process_time(), rss_mb()
    print(f"lexicon load: {cpu1 - cpu0:.3f} CPU-s, RSS +{rss1 - rss0:.1f} MB (process {rss1:.1f} MB)")

    cpu0 = time.process_time()
    for text in texts:
        glue.restore_spaces(text)
    cpu = time.process_time() - cpu0
    print(f"data: SaudiNewsNet, {len(texts)} texts (seed {args.seed}, seed article first), {words:,} words")
    print(f"restore_spaces: {cpu:.2f} CPU-s, {words / cpu:,.0f} words/s; RSS after: {rss_mb():.1f} MB")
    for name in sorted(vars(glue)):
        info = getattr(getattr(glue, name), "cache_info", None)
        if info is not None:
            ci = info()
            print(f"  cache {name}: {ci.currsize:,} / {ci.maxsize:,} entries, {ci.hits:,} hits, {ci.misses:,} misses")

    if args.save or args.compare:
        out = outputs(glue, texts)
        if args.save:
            with gzip.open(args.save, "wt", encoding="utf-8") as fh:
                json.dump(out, fh, ensure_ascii=False)
            print(f"saved {len(out['spaces'])} texts, {len(out['analysis']):,} tokens to {args.save}")
        if args.compare:
            with gzip.open(args.compare, "rt", encoding="utf-8") as fh:
                ref = json.load(fh)
            same_texts = sum(a == b for a, b in zip(out["spaces"], ref["spaces"], strict=True))
            same_tokens = sum(ref["analysis"].get(t) == v for t, v in out["analysis"].items())
            print(f"identical restore_spaces: {same_texts} / {len(ref['spaces'])} texts"
                  f" ({sum(map(len, out['spaces']))} insertions here, {sum(map(len, ref['spaces']))} there)")
            print(f"identical token analyses (cuts, margin, key): {same_tokens:,} / {len(ref['analysis']):,}"
                  f" (here {len(out['analysis']):,})")


if __name__ == "__main__":
    main()
