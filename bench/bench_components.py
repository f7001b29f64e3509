"""CPU cost of each pipeline component on its own, and of the whole pipeline, in words per CPU-second.

Data: the first N articles (default 500) of SaudiNewsNet's ``2015-07-21.zip`` in file order
(non-empty ``content``; meta ``title``, ``source`` and ``date`` from the record), from
../shared/data/saudinewsnet (CC BY-NC-SA, used here for measurement only). Words are the
whitespace-separated words of the original text.

Each component is timed ON ITS OWN with ``time.process_time`` (CPU seconds of this process,
the fair measure on a machine shared with other jobs): every article is first run through
the pipeline once, untimed, keeping a copy of its Doc as it stands before each component, so
a component is then timed over Docs that already hold what it requires. The whole pipeline
(``Pipeline.analyze``) is timed separately. With ``--repeat R`` each figure is the best of R.
A full garbage collection runs (untimed) before each timed part, so a component pays for the
collections its own allocations cause, not for those the one before it left pending.

``--against REV`` measures another git revision side by side in the same run: it checks REV
out with ``git worktree add /tmp/khabar-REV REV`` (once) and runs this script there in a
subprocess with ``PYTHONPATH`` at that worktree's ``src``; the table shows both and the speed-up.
The issue's baseline is ``b15868e``.

``--long`` adds one very long article (the selection's articles concatenated, blank line
between them, until it has ``--long-words`` words, default 140,000) and prints each component's
CPU milliseconds per 1,000 words on it and on the normal articles it is made of, and their ratio
(target <= 1.2). The components run on it directly, not through ``Pipeline.analyze``, whose work
budget (K131) would cut such a text. Each component runs on the long article right after each of
its R repeats over the normal ones, and the ratio printed is the median of the R ratios of those
pairs, with the lowest and highest: two figures seconds apart drift together when the machine's
speed moves, where best-of-R figures taken minutes apart do not (a component of ~1 ms per 1,000
words read ratios from 1.1 to 1.5 run to run that way). Both figures of a pair find the caches in
the same state: the long article right after the pass over the articles (which ends with the ones
after its head articles), and, between repeats, those later articles run again (untimed), so that
the head articles of the next repeat are not timed right after the long article, which is made of
them and leaves their words in every cache (repair read 2.76 [1.05 - 3.47] that way, 0.98
[0.96 - 1.00] without: glue's bounded caches). Quotes and keywords have no part that grows faster
than the text: they read 1.12 [1.11 - 1.17] and 1.07 [1.05 - 1.17] (``--long --repeat 3``), their
spread of 1.1-1.5 before was the noise of unpaired best-of figures. Use ``--repeat 5`` or more
for a stable median. The ms figures are the best of R.

``--identity BASE`` checks that this tree's summarize, keywords, referents, quotes, classify and
dates give byte-identical Doc JSON to their versions at git revision BASE (their source, and that of
the modules they are made of: ``khabar.dates``, the quotes steps, read with ``git show``, run in
this process on the same Docs, the other components shared), over the N articles (and the long one
with ``--long``); it prints the number of identical Docs.

``--in-run`` adds a second table, timed another way: each component INSIDE one real pipeline pass
per article (``Pipeline.analyze``, its components wrapped so that ``time.process_time`` is read
around each one's ``predict`` + ``set_annotations``), in a fresh process per revision (models
loaded by analysing the first article once, as above), every article analysed exactly once.
So each component finds the caches as a real run leaves them, after the components before it
on this and the earlier articles; nothing warms them with an extra pass. The first table's
untimed pass runs every article through the pipeline before the components are timed, so a
component meets every word of the selection a second time: an unbounded cache (b15868e's) then
answers everything from memory, a bounded one (``KHABAR_MEMO_MAXSIZE``) part of it, and the
first table reads bounded caches as slower than a real run finds them. The whole pipeline is the
sum of the ``analyze`` calls of the same pass; ``(outside components)`` is what is left of it
(Doc creation, the work-budget and sentence-length checks, and the garbage collections that the
components and the pipeline put off until they return: ``khabar.gcpause``). With ``--repeat R`` it is R fresh
processes per revision, taken in turns with the other revision's, each figure the best of R.
``--in-run-only`` prints this table alone (no first table, no ``--long``): a quicker check.
The first table is printed too otherwise, unchanged.

``--identity-pipeline REV`` checks the whole pipeline at once: the Doc JSON of ``Pipeline().analyze``
for each of the N articles here and at git revision REV (a worktree, in a subprocess) must be
byte-identical, so the modules every component shares (glue, folding, offsets) are covered too;
it prints the number of identical Docs. ``--identity-only`` stops after the identity checks.

``--paired BASE`` times those same components here and at BASE in turns on the same Docs
(old, new, old, new ..., best of 3): on a machine shared with other jobs, CPU seconds of two
runs minutes apart can differ by 2x for unchanged code; taken in turns they do not.

    python bench/bench_components.py [--articles 500] [--against b15868e] [--long] [--in-run] [--identity REV]
                                     [--paired REV] [--identity-pipeline REV] [--identity-only]
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import types
import zipfile
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
REPO = Path(__file__).resolve().parent.parent
DAY_FILE = "2015-07-21.zip"
# The components whose speed work is checked for identical output with --identity.
IDENTITY_COMPONENTS = ("keywords", "summarize", "referents", "quotes", "classify", "dates")
# The modules each one imports that are loaded at the revision too (in this order), and each
# component's own source file.
BASE_SUPPORT = {
    "summarize": ("khabar.components.keywords",),
    "dates": ("khabar.dates",),
    "quotes": tuple(f"khabar.components.quotes.{m}" for m in ("view", "frames", "content", "speakers")),
}
BASE_PATHS = {"quotes": "src/khabar/components/quotes/__init__.py"}


def load_selection(data: Path, n: int) -> list[dict[str, Any]]:
    """The first ``n`` articles of SaudiNewsNet 2015-07-21 with non-empty content: ``{"text", "meta"}``."""
    path = data / "saudinewsnet" / "dataset" / DAY_FILE
    if not path.is_file():
        raise SystemExit(f"no {path}: pass --data PATH/TO/shared/data")
    out: list[dict[str, Any]] = []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(zf.namelist()):
            if not name.endswith(".json"):
                continue
            for a in json.loads(zf.read(name)):
                if not a.get("content", "").strip():
                    continue
                meta = {
                    "title": a.get("title", ""),
                    "source": a.get("source", ""),
                    "date": a.get("date_extracted", "")[:10],
                }
                out.append({"text": a["content"], "meta": meta})
                if len(out) == n:
                    return out
    return out


def long_article(records: list[dict[str, Any]], words: int) -> dict[str, Any]:
    """The selection's articles joined by blank lines (repeated if need be) until ``words`` words."""
    parts: list[str] = []
    total = 0
    i = 0
    while total < words and records:
        text = records[i % len(records)]["text"]
        parts.append(text)
        total += len(text.split())
        i += 1
    return {"text": "\n\n".join(parts), "meta": dict(records[0]["meta"]), "articles": min(i, len(records))}


def _copy_doc(doc: Any) -> Any:
    """A Doc sharing the spans (never mutated) but with its own layer, value and meta dicts."""
    d = copy.copy(doc)
    d.layers = dict(doc.layers)
    d.values = dict(doc.values)
    d.meta = dict(doc.meta)
    return d


def _stages(modules: list[tuple[str, Any]], record: dict[str, Any]) -> list[Any]:
    """Copies of the record's Doc before each component (and the finished Doc last)."""
    from khabar.doc import Doc

    doc = Doc(record["text"], record["meta"])
    copies = []
    for _name, module in modules:
        copies.append(_copy_doc(doc))
        module.set_annotations(doc, module.predict(doc))
    copies.append(doc)
    return copies


def measure(records: list[dict[str, Any]], repeat: int, long: dict[str, Any] | None) -> dict[str, Any]:
    """CPU seconds per component and for the whole pipeline over ``records`` (and the long article)."""
    import importlib

    import khabar
    from khabar.pipeline import COMPONENTS, Pipeline

    names = list(COMPONENTS)
    modules = [(n, importlib.import_module(COMPONENTS[n].module)) for n in names]
    nlp = Pipeline(names)
    nlp.analyze(records[0]["text"], records[0]["meta"])  # loads the models
    words = sum(len(r["text"].split()) for r in records)

    pipeline_s = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        for r in records:
            nlp.analyze(r["text"], r["meta"])
        pipeline_s = min(pipeline_s, time.process_time() - t0)

    stages = [_stages(modules, r) for r in records]
    per_component: dict[str, float] = {}
    # CPU seconds of each component on the articles the long one is made of (its "normal" cost)
    head = long["articles"] if long is not None else 0
    head_component: dict[str, float] = {}
    # the long article: each component right after its own repeat over the articles, so each
    # repeat gives a ratio of two figures taken within seconds of each other (paired)
    long_doc: Any = None
    long_s: dict[str, float] = {}
    long_pairs: dict[str, list[tuple[float, float]]] = {}  # (head articles s, long article s) per repeat
    if long is not None:
        from khabar.doc import Doc

        long_doc = Doc(long["text"], long["meta"])
    clock = time.process_time
    for k, (name, module) in enumerate(modules):
        best: list[float] = []
        long_s[name] = float("inf")
        long_pairs[name] = []
        run: Any = None
        for rep in range(repeat):
            docs = [_copy_doc(s[k]) for s in stages]
            gc.collect()
            times = []
            for d in docs:
                t0 = clock()
                module.set_annotations(d, module.predict(d))
                times.append(clock() - t0)
            if not best or sum(times) < sum(best):
                best = times
            if long_doc is not None:
                del docs
                run = _copy_doc(long_doc)
                # new layer lists: no component reuses what it kept of the run before (doc_terms)
                run.layers = {layer: list(spans) for layer, spans in long_doc.layers.items()}
                gc.collect()
                t0 = clock()
                module.set_annotations(run, module.predict(run))
                spent = clock() - t0
                long_s[name] = min(long_s[name], spent)
                long_pairs[name].append((sum(times[:head]), spent))
                if rep + 1 < repeat:
                    # untimed, the articles after the head ones: the next repeat's head articles find
                    # the caches as this one's did (after the other articles), not warmed by the long
                    # article, which is made of them
                    for d in [_copy_doc(s[k]) for s in stages[head:]]:
                        module.set_annotations(d, module.predict(d))
        per_component[name] = sum(best)
        head_component[name] = sum(best[:head])
        if run is not None:
            long_doc = run  # the next component reads what this one added
    del stages

    out: dict[str, Any] = {
        "khabar": str(Path(khabar.__file__).resolve().parent),
        "articles": len(records),
        "words": words,
        "pipeline_s": pipeline_s,
        "components_s": per_component,
    }
    if long is not None:
        out["long_words"] = len(long["text"].split())
        out["long_s"] = long_s
        out["long_pairs"] = long_pairs
        out["head_articles"] = head
        out["head_words"] = sum(len(r["text"].split()) for r in records[:head])
        out["head_s"] = head_component
    return out


def measure_in_run(records: list[dict[str, Any]]) -> dict[str, Any]:
    """CPU seconds of each component inside one real pipeline pass over ``records`` (see ``--in-run``)."""
    import khabar
    from khabar.pipeline import Pipeline

    clock = time.process_time
    nlp = Pipeline()
    nlp.analyze(records[0]["text"], records[0]["meta"])  # loads the models, as measure() does
    spent: dict[str, float] = {}

    class Timed:
        """A component module whose predict + set_annotations adds its CPU seconds to ``spent``."""

        def __init__(self, name: str, module: Any) -> None:
            self.name, self.module, self.t0 = name, module, 0.0
            spent[name] = 0.0

        def predict(self, doc: Any) -> Any:
            self.t0 = clock()
            return self.module.predict(doc)

        def set_annotations(self, doc: Any, result: Any) -> None:
            self.module.set_annotations(doc, result)
            spent[self.name] += clock() - self.t0

    nlp._modules = [Timed(n, m) for n, m in zip(nlp.names, nlp._modules, strict=True)]
    # the garbage collections of the pass: how many per generation, their CPU seconds in all
    collections = [0, 0, 0]
    gc_s = [0.0, 0.0]  # [start of the running collection, total]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_s[0] = clock()
        else:
            collections[info["generation"]] += 1
            gc_s[1] += clock() - gc_s[0]

    gc.collect()
    gc.callbacks.append(on_gc)
    pipeline_s = 0.0
    for r in records:
        t0 = clock()
        nlp.analyze(r["text"], r["meta"])
        pipeline_s += clock() - t0
    gc.callbacks.remove(on_gc)
    return {
        "khabar": str(Path(khabar.__file__).resolve().parent),
        "articles": len(records),
        "words": sum(len(r["text"].split()) for r in records),
        "pipeline_s": pipeline_s,
        "components_s": spent,
        "gc_collections": collections,
        "gc_s": gc_s[1],
    }


def run_in_run(sources: list[Path], args: argparse.Namespace) -> list[dict[str, Any]]:
    """``measure_in_run`` with khabar from each of ``sources``, ``args.repeat`` fresh processes each,
    taken in turns (a, b, a, b ...: a machine shared with other jobs drifts less between the two):
    each CPU figure the best of a source's processes (the garbage collection counts those of its
    fastest whole pass)."""
    cmd = [sys.executable, __file__, "--json-in-run", "--articles", str(args.articles), "--data", str(args.data)]
    runs: list[list[dict[str, Any]]] = [[] for _ in sources]
    for _ in range(max(1, args.repeat)):
        for src, done_runs in zip(sources, runs, strict=True):
            env = {**os.environ, "PYTHONPATH": str(src)}
            done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
            res: dict[str, Any] = json.loads(done.stdout)
            if not res["khabar"].startswith(str(src)):
                raise SystemExit(f"the in-run measurement imported khabar from {res['khabar']}, not {src}")
            done_runs.append(res)
    out = []
    for src_runs in runs:
        best = dict(min(src_runs, key=lambda r: r["pipeline_s"]))
        best["components_s"] = {n: min(r["components_s"][n] for r in src_runs) for n in src_runs[0]["components_s"]}
        out.append(best)
    return out


def worktree(rev: str) -> Path:
    """A checkout of git revision ``rev`` under /tmp (made once)."""
    sha = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", rev], check=True, capture_output=True, text=True
    ).stdout.strip()
    tree = Path(f"/tmp/khabar-{sha}")
    if not tree.exists():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), sha], check=True)
    return tree


# ----------------------------------------------------------------------------- identity
def _git_show(rev: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPO), "show", f"{rev}:{path}"], check=True, capture_output=True, text=True
    ).stdout


def _exec_at(rev: str, path: str, swap: dict[str, types.ModuleType]) -> types.ModuleType:
    """The source at ``path`` and git revision ``rev`` as a fresh module, its imports of the
    module names in ``swap`` answered by those modules (this tree's are put back after)."""
    source = _git_show(rev, path)
    mod_name = f"_khabar_at_{rev}_{path.replace('/', '_')}"
    mod = types.ModuleType(mod_name)
    mod.__file__ = f"{rev}:{path}"
    saved = {key: sys.modules.get(key) for key in swap}
    sys.modules[mod_name] = mod
    sys.modules.update(swap)
    try:
        exec(compile(source, mod.__file__, "exec"), mod.__dict__)  # noqa: S102 - our own source at a git revision
    finally:
        for key, current in saved.items():
            if current is not None:
                sys.modules[key] = current
            else:
                sys.modules.pop(key, None)
    return mod


def base_modules(rev: str) -> dict[str, types.ModuleType]:
    """The IDENTITY_COMPONENTS as they were at ``rev``, as fresh modules, each importing the
    BASE_SUPPORT modules as they were at ``rev`` (summarize the old keywords, quotes its old steps)."""
    import importlib

    # this tree's modules first, so the swaps can put them back (else "this tree" would get the old ones)
    for name in IDENTITY_COMPONENTS:
        for key in BASE_SUPPORT.get(name, ()):
            importlib.import_module(key)
    old_by_key: dict[str, types.ModuleType] = {}  # module name -> its version at rev
    loaded: dict[str, types.ModuleType] = {}
    for name in IDENTITY_COMPONENTS:
        try:
            for key in BASE_SUPPORT.get(name, ()):
                if key not in old_by_key:
                    path = "src/" + key.replace(".", "/") + ".py"
                    old_by_key[key] = _exec_at(rev, path, dict(old_by_key))
            path = BASE_PATHS.get(name, f"src/khabar/components/{name}.py")
            mod = _exec_at(rev, path, dict(old_by_key))
        except subprocess.CalledProcessError:
            continue  # not there at rev (dates before it existed)
        old_by_key[f"khabar.components.{name}"] = mod
        loaded[name] = mod
    return loaded


def identity(rev: str, records: list[dict[str, Any]]) -> tuple[int, int, list[str]]:
    """How many of ``records`` give byte-identical Doc JSON with this tree's components and with
    the IDENTITY_COMPONENTS of ``rev`` (everything else shared); the components compared."""
    import importlib

    from khabar.doc import Doc
    from khabar.pipeline import COMPONENTS

    old = base_modules(rev)
    names = list(COMPONENTS)
    first_mine = min(names.index(n) for n in old)
    new_modules = [importlib.import_module(COMPONENTS[n].module) for n in names]
    same = 0
    for r in records:
        doc = Doc(r["text"], r["meta"])
        for module in new_modules[:first_mine]:
            module.set_annotations(doc, module.predict(doc))
        a, b = _copy_doc(doc), _copy_doc(doc)
        for name, module in zip(names[first_mine:], new_modules[first_mine:], strict=True):
            module.set_annotations(a, module.predict(a))
            other = old.get(name, module)
            other.set_annotations(b, other.predict(b))
        same += a.to_json() == b.to_json()
    return same, len(records), list(old)


def pipeline_digests(records: list[dict[str, Any]]) -> list[str]:
    """SHA-1 of the Doc JSON of the whole pipeline (``Pipeline().analyze``) for each record."""
    import hashlib

    from khabar.pipeline import Pipeline

    nlp = Pipeline()
    return [hashlib.sha1(nlp.analyze(r["text"], r["meta"]).to_json().encode()).hexdigest() for r in records]


def identity_pipeline(rev: str, args: argparse.Namespace, records: list[dict[str, Any]]) -> tuple[int, int]:
    """How many of ``records`` give byte-identical Doc JSON from the whole pipeline here and at git
    revision ``rev`` (a worktree under /tmp, run in a subprocess): every component, and every module
    they share (glue, folding, offsets), compared at once."""
    tree = worktree(rev)
    cmd = [sys.executable, __file__, "--json-digests", "--articles", str(args.articles), "--data", str(args.data)]
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    theirs = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout)
    ours = pipeline_digests(records)
    return sum(a == b for a, b in zip(ours, theirs, strict=True)), len(records)


def paired(rev: str, records: list[dict[str, Any]], repeat: int) -> None:
    """Print words per CPU-second of the IDENTITY_COMPONENTS here and at ``rev``, timed in turns on
    the same Docs in this process (old, new, old, new ...; best of ``repeat``): on a busy machine a
    fairer comparison than two runs minutes apart. ``summarize+keywords`` runs both on each Doc, as
    the pipeline does (the terms computed once here)."""
    import importlib

    from khabar.pipeline import COMPONENTS

    old = base_modules(rev)
    names = list(COMPONENTS)
    modules = [(n, importlib.import_module(COMPONENTS[n].module)) for n in names]
    stages = [_stages(modules, r) for r in records]
    words = sum(len(r["text"].split()) for r in records)
    clock = time.process_time
    groups = [[n] for n in IDENTITY_COMPONENTS if n in old] + [["summarize", "keywords"]]
    print(f"paired, {len(records)} articles, best of {repeat}: words / CPU-s at {rev} -> this tree")
    for group in groups:
        k = names.index(group[0])
        new_mods = [importlib.import_module(COMPONENTS[n].module) for n in group]
        old_mods = [old[n] for n in group]
        best = {"old": float("inf"), "new": float("inf")}
        for _ in range(repeat):
            spent = {"old": 0.0, "new": 0.0}
            gc.collect()
            for i, st in enumerate(stages):
                turns = [("old", old_mods), ("new", new_mods)]
                for side, mods in turns if i % 2 else turns[::-1]:
                    d = _copy_doc(st[k])
                    t0 = clock()
                    for m in mods:
                        m.set_annotations(d, m.predict(d))
                    spent[side] += clock() - t0
            best = {side: min(best[side], spent[side]) for side in best}
        print(
            f"  {'+'.join(group):<20} {words / best['old']:>12,.0f} -> {words / best['new']:>12,.0f}"
            f"   {best['old'] / best['new']:.2f}x"
        )


# ----------------------------------------------------------------------------- report
def _rate(words: int, seconds: float) -> str:
    return f"{words / seconds:>12,.0f}" if seconds > 0 else f"{'inf':>12}"


def report(results: list[tuple[str, dict[str, Any]]]) -> None:
    """The side-by-side table: words per CPU-second per component, the speed-up over the last column."""
    labels = [label for label, _ in results]
    names: list[str] = []
    for _, res in results:
        names += [n for n in res["components_s"] if n not in names]
    head = f"{'words / CPU-s':<22}" + "".join(f"{lab:>14}" for lab in labels)
    print(head + "".join(f"{'x vs ' + lab:>16}" for lab in labels[1:]))

    def row(title: str, secs: list[float | None], words: list[int]) -> None:
        cells = [f"{'-':>14}" if s is None else "  " + _rate(w, s) for s, w in zip(secs, words, strict=True)]
        line = f"{title:<22}" + "".join(cells)
        for s, w in zip(secs[1:], words[1:], strict=True):  # this tree's speed-up over each other revision
            line += f"{'-':>16}" if not (s and secs[0]) else f"{s / w * words[0] / secs[0]:>15.2f}x"
        print(line)

    words = [res["words"] for _, res in results]
    for n in names:
        row(n, [res["components_s"].get(n) for _, res in results], words)
    for title, skip in (("all but ner", {"ner"}), ("sum of components", set())):
        row(
            title,
            [sum(s for n, s in res["components_s"].items() if n not in skip and n in names) for _, res in results],
            words,
        )
    if all("in_run" in res for _, res in results):
        row(
            "(outside components)",
            [res["pipeline_s"] - sum(res["components_s"].values()) for _, res in results],
            words,
        )
    row("whole pipeline", [res["pipeline_s"] for _, res in results], words)
    if "long_s" in results[0][1]:
        print()
        print(
            "long article: CPU ms per 1,000 words on its articles one by one -> on them as one article (best of R "
            "each); ratio (target <= 1.2): the median of the R paired repeats' ratios, [lowest - highest]"
        )
        for label, res in results:
            print(
                f"  [{label}] one article of {res['long_words']:,} words = the first {res['head_articles']} articles "
                f"({res['head_words']:,} words) joined"
            )
            for n, long_s in res["long_s"].items():
                normal = res["head_s"][n] / res["head_words"] * 1e6
                at_long = long_s / res["long_words"] * 1e6
                ratios = sorted(
                    (lo / res["long_words"]) / (hd / res["head_words"]) if hd > 0 else float("inf")
                    for hd, lo in res.get("long_pairs", {}).get(n, [])
                )
                if ratios:
                    spread = f"ratio {statistics.median(ratios):5.2f} [{ratios[0]:.2f} - {ratios[-1]:.2f}]"
                else:  # (a run of an older version of this script: best over best)
                    spread = f"ratio {at_long / normal if normal > 0 else float('inf'):5.2f}"
                print(f"    {n:<12} {normal:8.2f} -> {at_long:8.2f} ms   {spread}")


def run_against(rev: str, args: argparse.Namespace) -> dict[str, Any]:
    """This script's measurement run at git revision ``rev`` (a worktree under /tmp), in a subprocess."""
    tree = worktree(rev)
    cmd = [sys.executable, __file__, "--json", "--articles", str(args.articles), "--data", str(args.data)]
    cmd += ["--repeat", str(args.repeat)]
    if args.long:
        cmd += ["--long", "--long-words", str(args.long_words)]
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    res: dict[str, Any] = json.loads(done.stdout)
    if not res["khabar"].startswith(str(tree)):
        raise SystemExit(f"the {rev} run imported khabar from {res['khabar']}, not {tree}")
    return res


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=1, help="best of R timings per figure")
    parser.add_argument("--against", action="append", default=[], metavar="REV", help="also measure git revision REV")
    parser.add_argument("--long", action="store_true", help="also the cost per 1,000 words on one long article")
    parser.add_argument("--long-words", type=int, default=140_000)
    parser.add_argument("--identity", metavar="BASE", help="check byte-identical Doc JSON against revision BASE")
    parser.add_argument("--paired", metavar="BASE", help="time the identity components here and at BASE in turns")
    parser.add_argument(
        "--identity-pipeline", metavar="REV", help="check byte-identical whole-pipeline Doc JSON against revision REV"
    )
    parser.add_argument("--identity-only", action="store_true", help="stop after the identity checks (no timing)")
    parser.add_argument("--in-run", action="store_true", help="also time each component inside one real pass")
    parser.add_argument("--in-run-only", action="store_true", help="only the --in-run table")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # the --against subprocess
    parser.add_argument("--json-in-run", action="store_true", help=argparse.SUPPRESS)  # an --in-run process
    parser.add_argument("--json-digests", action="store_true", help=argparse.SUPPRESS)  # --identity-pipeline
    args = parser.parse_args()

    records = load_selection(args.data, args.articles)
    if args.json_in_run:
        print(json.dumps(measure_in_run(records)))
        return
    if args.json_digests:
        print(json.dumps(pipeline_digests(records)))
        return
    long = long_article(records, args.long_words) if args.long else None
    if args.json:
        print(json.dumps(measure(records, args.repeat, long)))
        return
    words = sum(len(r["text"].split()) for r in records)
    print(f"data: SaudiNewsNet {DAY_FILE}, first {len(records)} articles, {words:,} words; CPU time (process_time)")
    if args.identity:
        same, n, compared = identity(args.identity, records + ([long] if long else []))
        print(
            f"identity vs {args.identity} ({', '.join(compared)}): {same}/{n} Docs byte-identical JSON"
            + (" (the last one the long article)" if long else "")
        )
    if args.identity_pipeline:
        same, n = identity_pipeline(args.identity_pipeline, args, records)
        print(f"identity of the whole pipeline vs {args.identity_pipeline}: {same}/{n} Docs byte-identical JSON")
    if args.identity_only:
        return
    if args.paired:
        paired(args.paired, records, max(args.repeat, 3))
        if not args.against and not args.long:
            return
    if not args.in_run_only:
        results = [("this tree", measure(records, args.repeat, long))]
        for rev in args.against:
            results.append((rev, run_against(rev, args)))
        try:
            load = os.getloadavg()[0]
            print(
                f"load average (1 min) at the end: {load:.1f} on {os.cpu_count()} CPUs (CPU time is the fair measure)"
            )
        except OSError:
            pass
        report(results)
    if args.in_run or args.in_run_only:
        print()
        print(
            f"in one real pipeline pass per article (fresh process per revision, best of {args.repeat}): words / CPU-s"
        )
        labels = ["this tree", *args.against]
        sources = [REPO / "src", *(worktree(rev) / "src" for rev in args.against)]
        in_run = list(zip(labels, run_in_run(sources, args), strict=True))
        for _, res in in_run:
            res["in_run"] = True
        try:
            print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        except OSError:
            pass
        report(in_run)
        for label, res in in_run:
            print(
                f"  [{label}] garbage collections in its fastest pass (generation 0/1/2): "
                f"{'/'.join(map(str, res['gc_collections']))}, {res['gc_s']:.2f} CPU-s"
            )


if __name__ == "__main__":
    main()
