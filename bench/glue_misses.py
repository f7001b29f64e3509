"""Missed deletions of the glue repair, by class, on the TUNING samples only.

Reuses bench/bench_repair.py (same articles, same damage): for every deleted space that
``restore_spaces`` does not put back, it looks at the letter run of the damaged text that holds
it and says why, in classes: the run is too short or too long for the model; a piece is one
letter (``و`` standing alone); the run is a known word or name (never split); a piece is a
two-letter word; a piece is unknown to the lexicon; the first piece ends in a non-joining letter
(ا د ذ ر ز و ة ى; the glue does not show in the script); the run was split elsewhere; the split
was found but its margin fell short of the threshold. Prints counts per class and examples.

Seeds 2015, 7 and 99 are the evaluation samples: this script refuses them (look at errors on
the tuning seeds 11, 12 and 13 only). SaudiNewsNet is used for evaluation only; nothing is written.

Usage:
    python bench/glue_misses.py [--seeds 11,12,13] [--articles 2000] [--examples 10] [--class NAME]
"""

from __future__ import annotations

import argparse
import bisect
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
for path in (REPO / "src", REPO / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_repair import EVAL_SEEDS, damage, load_articles

from khabar.lang.ar import glue

NON_JOINING = frozenset("اأإآدذرزوؤةى")


def classify(damaged: str, start: int, end: int, cuts: list[int], predicted: set[int]) -> str:
    """Why the deleted spaces ``cuts`` in the letter run ``damaged[start:end]`` were missed."""
    token = damaged[start:end]
    pieces = [damaged[a:b] for a, b in zip([start, *cuts], [*cuts, end], strict=True)]
    letters = [glue.fold(p) for p in pieces]
    if any(start < p < end for p in predicted):
        return "split elsewhere"
    if len(token) < 2 * glue._MIN_PART:
        return "run too short"
    if len(glue.fold(token)) > glue._MAX_LETTERS:
        return "run too long"
    if any(len(p) == 1 for p in letters):
        return "one-letter piece"
    if glue._is_name(token):
        return "whole run is a name"
    count = glue._count(glue.fold(token))
    if count >= glue._WORD_COUNT:
        return "whole run a frequent word"
    if count >= glue._SAFE_COUNT:
        return "whole run a known word (>=5)"
    if any(len(p) == 2 and p not in glue._FUNCTION_2 for p in letters):
        return "two-letter content piece"
    unknown = [p for p in letters if glue._known_logp(p) is None]
    _, margin, _ = glue._token_analysis(token)
    tag = ""
    if margin == float("-inf"):
        tag = "no split found"
    elif margin <= glue._THRESHOLD:
        tag = "margin short"
    else:
        tag = "split found, context/other"
    if unknown:
        return tag + ", unknown piece" + (" (short)" if any(len(p) < glue._MIN_OOV_PART for p in unknown) else "")
    if pieces[0][-1] in NON_JOINING:
        return tag + ", non-joining end"
    if any(p in glue._FUNCTION_2 for p in letters) or any(len(p) == 3 for p in letters):
        return tag + ", short function/3-letter piece"
    return tag + ", known pieces"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="11,12,13")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--class", dest="only", help="print every example of classes starting with this")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    if set(seeds) & set(EVAL_SEEDS):
        parser.error(f"seeds {sorted(set(seeds) & set(EVAL_SEEDS))} are evaluation samples: do not look at their errors")
    pool = load_articles(args.data)
    classes: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    total = 0
    for seed in seeds:
        rng = random.Random(seed)
        chosen = sorted(rng.sample(range(len(pool)), min(args.articles, len(pool))))
        for idx in chosen:
            damaged, gold = damage(pool[idx], rng)
            predicted = set(glue.restore_spaces(damaged))
            total += len(gold)
            missed = sorted(set(gold) - predicted)
            if not missed:
                continue
            runs = {(m.start(), m.end()) for m in glue.WORD_RE.finditer(damaged)}
            starts = sorted(runs)
            by_run: dict[tuple[int, int], list[int]] = defaultdict(list)
            for off in missed:
                k = bisect.bisect_right(starts, (off, 1 << 30)) - 1
                by_run[starts[k]].append(off)
            for (a, b), cuts in by_run.items():
                gold_in = [g for g in gold if a < g < b]
                name = classify(damaged, a, b, gold_in, predicted)
                classes[name] += len(cuts)
                shown = damaged[a:b]
                for c in sorted(gold_in, reverse=True):
                    shown = shown[:c - a] + "|" + shown[c - a:]
                examples[name].append(f"{damaged[max(0, a - 15):a]} [{shown}] {damaged[b:b + 15]}".replace("\n", " "))
    missed_total = sum(classes.values())
    print(f"seeds {seeds}: {total:,} deleted spaces, {missed_total:,} missed (recall {1 - missed_total / total:.4f})")
    for name, n in classes.most_common():
        print(f"{n:6,}  {name}")
        limit = None if args.only and name.startswith(args.only) else args.examples
        for ex in examples[name][:limit]:
            print("          ", ex)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
