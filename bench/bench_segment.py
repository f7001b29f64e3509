"""The segment component: identical words/tokens layers, and its CPU cost cold and warm.

Data: SaudiNewsNet (../shared/data/saudinewsnet, CC BY-NC-SA, used here for measurement
only): the first N articles of ``2015-07-21.zip`` in file order (as in bench_components);
the seed article (../shared/seed/000_f7a595203ed4f7d3.txt); and every string constant with an
Arabic letter in tests/*.py (one text each). Words are whitespace-separated words of the
original text. Prints figures; asserts nothing.

``--dump FILE`` writes one JSON line per text: the four layers of segment (paragraphs,
sentences, ``tokens`` and ``words``) from
``Pipeline(["repair", "segment"])``. ``--compare FILE`` recomputes them and prints how many
texts are identical to those in FILE (dumped by an earlier tree).

``--words BASE`` checks single words, here and at git revision BASE (a worktree, a fresh
process each): every word of the segmenter's ANT counts and every distinct Arabic token of
the first ``--articles`` (default 1500) articles, through ``segment._word_layout``,
``segment.split_clitics``, ``morph.segment_word`` and ``morph.farasa_segment``; it prints the
number of words and whether the SHA-256 of all their answers is the same on both sides.

``--paired BASE`` times ``segment.predict`` with ``time.process_time`` over the repaired Docs
of the first ``--articles`` articles, here and at git revision BASE (a worktree under /tmp),
each in a fresh process (models loaded, caches empty: the "cold" pass, what an ingest sees),
then once more in that process (caches warm), in turns old, new, old, new ... (``--repeat``,
best of R): CPU milliseconds per 1,000 words.

    python bench/bench_segment.py --dump /tmp/seg_base.jsonl [--articles 1000]
    python bench/bench_segment.py --compare /tmp/seg_base.jsonl [--articles 1000]
    python bench/bench_segment.py --words REV [--articles 1500]
    python bench/bench_segment.py --paired REV [--articles 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from bench_components import worktree  # (a sibling script: stdlib imports only)
from saudinewsnet import day_articles

DAY = "2015-07-21"
SEED = REPO.parent / "shared" / "seed" / "000_f7a595203ed4f7d3.txt"


def test_strings() -> list[str]:
    """Every string constant with an Arabic letter in tests/*.py (sorted, distinct)."""
    found: set[str] = set()
    for path in sorted((REPO / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and any("\u0600" <= ch <= "\u06ff" for ch in value):
                found.add(value)
    return sorted(found)


def all_texts(data: Path, n: int) -> list[tuple[str, str]]:
    """(label, text) of the identity set: the articles, the seed, the tests' strings."""
    texts = [(f"snn{i}", t) for i, t in enumerate(day_articles(data, DAY, n))]
    if SEED.is_file():
        texts.append(("seed", SEED.read_text(encoding="utf-8")))
    # a test string is named by its text, so dumps made before a test was added still line up
    texts += [("test:" + hashlib.sha1(t.encode("utf-8")).hexdigest()[:16], t) for t in test_strings()]
    return texts


def layers(texts: list[tuple[str, str]]) -> list[str]:
    """One JSON line per text: label, tokens and words layers."""
    from khabar.pipeline import Pipeline

    nlp = Pipeline(["repair", "segment"])
    out = []
    for label, text in texts:
        d = nlp.analyze(text).to_dict()
        row = {"id": label, **{k: d.get(k) for k in ("paragraphs", "sentences", "tokens", "words")}}
        out.append(json.dumps(row, ensure_ascii=False))
    return out


def child(data: Path, n: int) -> None:
    """Cold then warm CPU seconds of segment.predict in this (fresh) process, as JSON."""
    import khabar
    from khabar.components import segment
    from khabar.doc import Doc
    from khabar.pipeline import Pipeline

    texts = day_articles(data, DAY, n)
    words = sum(len(t.split()) for t in texts)
    repair = Pipeline(["repair"])
    docs: list[Doc] = [repair(Doc(t)) for t in texts]
    segment.predict(repair(Doc("قال")))  # loads the segmenter model (one word in the caches)
    secs = []
    for _ in range(2):
        t0 = time.process_time()
        for doc in docs:
            segment.predict(doc)
        secs.append(time.process_time() - t0)
    print(json.dumps({"khabar": str(Path(khabar.__file__).resolve()), "words": words, "cold": secs[0], "warm": secs[1]}))


def words_child(data: Path, n: int) -> None:
    """Number of words and SHA-256 of their answers (see ``--words``) in this process, as JSON."""
    import khabar
    from khabar.components import segment
    from khabar.lang.ar import morph

    words = sorted(morph.load_model().counts)
    seen = {m.group() for t in day_articles(data, DAY, n) for m in segment._TOKEN.finditer(t) if m.lastgroup == "arabic"}
    words += sorted(seen)
    sha = hashlib.sha256()
    for w in words:
        morphs = [(m.start, m.end, m.form, m.kind) for m in morph.segment_word(w)]
        answers = (w, segment._word_layout(w), segment.split_clitics(w), morphs, morph.farasa_segment(w))
        sha.update(repr(answers).encode("utf-8"))
    out = {"khabar": str(Path(khabar.__file__).resolve()), "words": len(words), "sha256": sha.hexdigest()}
    print(json.dumps(out))


def words_compare(rev: str, data: Path, n: int) -> None:
    got = {name: run_child(tree, data, n, "--words-child") for name, tree in (("old", worktree(rev)), ("new", REPO))}
    old, new = got["old"], got["new"]
    print(f"words: {new['words']:,} here, {old['words']:,} at {rev} (ANT counts + distinct Arabic tokens of {n} articles)")
    print(f"answers (layout, split, morphs, farasa) identical: {old['sha256'] == new['sha256'] and old['words'] == new['words']}")


def run_child(tree: Path, data: Path, n: int, mode: str = "--child") -> dict[str, Any]:
    cmd = [sys.executable, __file__, mode, "--articles", str(n), "--data", str(data)]
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    res: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not res["khabar"].startswith(str(tree)):
        raise SystemExit(f"the run imported khabar from {res['khabar']}, not {tree}")
    return res


def paired(rev: str, data: Path, n: int, repeat: int, new: str | None = None) -> None:
    trees = {"old": worktree(rev), "new": worktree(new) if new else REPO}
    best: dict[str, dict[str, float]] = {}
    words = 0
    for _ in range(repeat):
        for name, tree in trees.items():
            res = run_child(tree, data, n)
            words = res["words"]
            got = best.setdefault(name, {"cold": float("inf"), "warm": float("inf")})
            got["cold"] = min(got["cold"], res["cold"])
            got["warm"] = min(got["warm"], res["warm"])
    print(f"data: SaudiNewsNet {DAY}.zip, first {n} articles, {words:,} words; best of {repeat}, in turns")
    print(f"segment.predict CPU ms per 1,000 words   old ({rev})   new ({new or 'this tree'})   speed-up")
    for kind in ("cold", "warm"):
        old, new = (best[k][kind] / words * 1e6 for k in ("old", "new"))
        print(f"  {kind:<5} (fresh process{', second pass' if kind == 'warm' else ''}) {old:8.1f} {new:8.1f}   {old / new:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=None, help="1000 for --dump/--compare, 500 for --paired")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--paired", metavar="BASE")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--new", metavar="REV", help="with --paired: time REV as the new side (default: this tree)")
    parser.add_argument("--words", metavar="BASE", help="single words: identical answers here and at BASE")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--words-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.data, args.articles or 500)
    elif args.words_child:
        words_child(args.data, args.articles or 1500)
    elif args.words:
        words_compare(args.words, args.data, args.articles or 1500)
    elif args.dump or args.compare:
        texts = all_texts(args.data, args.articles or 1000)
        lines = layers(texts)
        if args.dump:
            args.dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"wrote {len(lines)} texts' segment layers to {args.dump}")
        else:
            old = {json.loads(line)["id"]: line for line in args.compare.read_text(encoding="utf-8").splitlines()}
            new = {label: line for (label, _t), line in zip(texts, lines, strict=True)}
            both = [label for label in new if label in old]
            differ = [label for label in both if old[label] != new[label]]
            n_snn = sum(1 for label, _ in texts if label.startswith("snn"))
            print(f"texts: {n_snn} SaudiNewsNet articles + seed + {len(texts) - n_snn - 1} test strings = {len(lines)}")
            print(f"in both this tree and the file: {len(both)} (file has {len(old)}, this tree {len(new)})")
            print(f"identical segment layers (paragraphs, sentences, tokens, words): {len(both) - len(differ)} of {len(both)}")
            if differ:
                print("  differ:", ", ".join(differ[:10]))
    elif args.paired:
        paired(args.paired, args.data, args.articles or 500, args.repeat, args.new)
    else:
        parser.error("one of --dump, --compare, --words, --paired")


if __name__ == "__main__":
    main()
