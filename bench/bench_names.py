"""Names test (issue 11): does the ``words`` layer keep names whole under proclitics?

    python bench/bench_names.py [--data ../shared/data] [--show 40] [--json failures.json]

Prints figures and failures; never asserts.

The names
---------
* **gazetteer LOC**: every entry of ``COUNTRIES``, ``CITIES`` (capitals and large cities)
  and ``PLACE_PHRASES`` (multi-word countries, cities and regions) in
  ``khabar.lang.ar.gazetteers``, single- and multi-word, sorted.
* **ANERcorp PERS / ORG**: entity spans of the ANERcorp training file
  (``anercorp/ANERcorp_CamelSplit_train.txt``), first 90% of the sentences only: the
  boundary is ``training/train_ner.split`` itself (the last 10% is the NER dev split).
  A span is kept when

  - every token is Arabic letters (diacritics allowed) and the first token has >= 2;
  - its first token is not a clitic-attached form of another name: it does not start with
    a proclitic (و ف ب ل ك, or two of them: وب ول وك فب فل فك) whose removal leaves a
    token that is itself the first token of some entity span (any type) in the 90%
    (``وبلير`` goes because ``بلير`` starts a span, ``لبنان`` stays because ``بنان``
    does not); ``لل``/``ولل``/``فلل`` + X goes when ``ال`` + X starts a span
    (``للأمم`` -> ``الأمم``);
  - no later token starts with a clitic + article (لل وال بال فال كال), as in
    ``اللجنة الدولية للصليب الأحمر``: those tokens are not bare words;
  - it is not also a gazetteer name (counted once, as a gazetteer name);
  - its first token is not one where ``ال`` is not the article (``الله``, ``الياس``):
    the expected analysis below would be wrong for them.

  A text tagged both PERS and ORG counts as its more frequent type (PERS on a tie).
  The 250 most frequent PERS and 150 most frequent ORG texts are taken (frequency
  descending, then text), or all of them if fewer.

The variants
------------
The proclitics go on the FIRST token only; the other tokens are written as in the name.

* a name without the article: bare, و+, ب+, ل+, وب+ (``لبنان``, ``ولبنان``, ``بلبنان``,
  ``للبنان`` = ل + لبنان, ``وبلبنان``); expected proclitics = exactly those added, base =
  the first token;
* a name with the article (first token starts with ``ال``): bare, و+, ب+, وب+ and ``لل``
  (ل + ال written ``للرياض``; this is the ل variant of such a name); the article is one
  of the expected proclitics in every variant (``الرياض`` = ال + رياض, ``للرياض`` = ل +
  ال (surface ل, form ال) + رياض), base = the first token without ``ال``. The ``لل``
  variant is not made when the rest starts with ``ل`` (``اللاذقية``: ل + ال + ل is
  written with two lams, an ambiguous surface).

Each variant phrase is analysed alone by the real pipeline
(``khabar.load(["segment"])``: repair, then segment). It is correct when the phrase
gives as many tokens as the name has, and

* the first token's words are the expected proclitics (role ``proclitic``, forms in
  order: ``attrs["form"]`` where present, else the surface), then ONE ``base`` whose form
  is the expected base, and nothing after it (no enclitic);
* every other token comes out bare: one base equal to the token, or (token starting
  with ``ال``) ``ال`` + a base equal to the rest (``المتحدة``; ``الله`` as one base).

Base forms are compared without diacritics (``عُمان`` has the form ``عمان``).

Each failure is also put in one class (the first fault found, in this order): the phrase
gives another number of tokens (repair split or joined it); the first token has more
proclitics than expected (letters of the name read as a proclitic, ``ب`` + ``لير``, or an
article read into ``ل`` + a name starting with ``ل``, ``ل`` + ``ال`` + ``لبنان``); fewer (an
added proclitic or the article left on the base); other proclitics; an enclitic split off
the end of the name (``أب`` + ``ها``); another base; a later token not bare.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "training"))

import khabar
from khabar.lang.ar import gazetteers
from khabar.lang.ar.chars import DIACRITIC_RANGES, LETTER_RANGES

ARTICLE = "ال"
N_PERS, N_ORG = 250, 150
VARIANT_TYPES = ("bare", "و", "ب", "ل", "وب", "لل")
PROCLITIC_LETTERS = "وفبلك"
_STRIP = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")  # longest first
_LAM_LAM = ("ولل", "فلل", "لل")
_CLITIC_ARTICLE = ("لل", "وال", "بال", "فال", "كال")
_NOT_ARTICLE = frozenset({"الله", "الياس"})  # first tokens whose ال is part of the word
_WORD = re.compile(f"[{LETTER_RANGES}][{LETTER_RANGES}{DIACRITIC_RANGES}]*")
_DIACRITICS = re.compile(f"[{DIACRITIC_RANGES}]")


@dataclass(frozen=True)
class Name:
    text: str
    source: str  # "gazetteer LOC", "ANERcorp PERS", "ANERcorp ORG"
    freq: int = 0


@dataclass(frozen=True)
class Variant:
    name: Name
    kind: str  # one of VARIANT_TYPES
    text: str
    proclitics: tuple[str, ...]  # expected proclitic forms of the first token, in order
    base: str  # expected base form of the first token


def gazetteer_names() -> tuple[list[Name], dict[str, int]]:
    """Every country, city and place phrase of the gazetteers, and the size of each list."""
    lists = {"COUNTRIES": gazetteers.COUNTRIES, "CITIES": gazetteers.CITIES, "PLACE_PHRASES": gazetteers.PLACE_PHRASES}
    texts = sorted(set().union(*lists.values()))
    return [Name(t, "gazetteer LOC") for t in texts], {k: len(v) for k, v in lists.items()}


def entity_spans(sentences: Iterable[list[tuple[str, str]]]) -> Iterable[tuple[str, list[str]]]:
    """(type, tokens) of each IOB2 entity span (a stray I- starts a span)."""
    for sent in sentences:
        cur: tuple[str, list[str]] | None = None
        for tok, tag in [*sent, ("", "O")]:
            if tag.startswith("I-") and cur is not None and cur[0] == tag[2:]:
                cur[1].append(tok)
                continue
            if cur is not None:
                yield cur
                cur = None
            if tag[:2] in ("B-", "I-"):
                cur = (tag[2:], [tok])


def _is_clitic_form(first: str, starts: set[str]) -> bool:
    """Whether ``first`` is a proclitic + the first token of another span."""
    for p in _LAM_LAM:
        if first.startswith(p) and ARTICLE + first[len(p) :] in starts:
            return True
    return any(first.startswith(p) and len(first) - len(p) >= 2 and first[len(p) :] in starts for p in _STRIP)


def anercorp_names(data: Path, exclude: set[str], part: str = "train") -> tuple[list[Name], dict[str, int], int]:
    """The chosen PERS and ORG names, the count of distinct candidates per type, the sentence count.

    ``part`` "dev" reads the last 10% of the sentences instead (names no one tuned on: the
    segmenter's evidence rules were written while reading failures of the 90% part).
    """
    import train_ner

    train, dev = train_ner.split(train_ner.load(data))
    if part == "dev":
        train = dev
    spans = list(entity_spans(train))
    starts = {toks[0] for _typ, toks in spans}
    counts: Counter[tuple[str, str]] = Counter()
    for typ, toks in spans:
        if typ not in ("PERS", "ORG"):
            continue
        if not all(_WORD.fullmatch(t) for t in toks) or len(_DIACRITICS.sub("", toks[0])) < 2:
            continue
        if toks[0] in _NOT_ARTICLE or _is_clitic_form(toks[0], starts):
            continue
        if any(t.startswith(_CLITIC_ARTICLE) for t in toks[1:]):
            continue
        text = " ".join(toks)
        if text not in exclude:
            counts[(typ, text)] += 1
    by_text: dict[str, tuple[int, str]] = {}
    for (typ, text), n in sorted(counts.items(), key=lambda kv: (kv[0][0] != "PERS", kv[0][1])):
        if text not in by_text or n > by_text[text][0]:
            by_text[text] = (n, typ)
    names: list[Name] = []
    candidates: dict[str, int] = {}
    for typ, limit in (("PERS", N_PERS), ("ORG", N_ORG)):
        pool = sorted(((n, text) for text, (n, t) in by_text.items() if t == typ), key=lambda x: (-x[0], x[1]))
        candidates[typ] = len(pool)
        names += [Name(text, f"ANERcorp {typ}", n) for n, text in pool[:limit]]
    return names, candidates, len(train)


def variants(name: Name) -> list[Variant]:
    """The bare name and its proclitic variants, with the expected analysis of the first token."""
    first, *rest = name.text.split(" ")
    tail = "".join(" " + t for t in rest)
    if first.startswith(ARTICLE) and len(first) > len(ARTICLE):
        stem = first[len(ARTICLE) :]
        out = [
            Variant(name, kind, prefix + first + tail, (*prefix, ARTICLE), stem)
            for kind, prefix in (("bare", ""), ("و", "و"), ("ب", "ب"), ("وب", "وب"))
        ]
        if not stem.startswith("ل"):
            out.append(Variant(name, "لل", "لل" + stem + tail, ("ل", ARTICLE), stem))
        return out
    return [
        Variant(name, kind, prefix + first + tail, tuple(prefix), first)
        for kind, prefix in (("bare", ""), ("و", "و"), ("ب", "ب"), ("ل", "ل"), ("وب", "وب"))
    ]


def _plain(s: str) -> str:
    return _DIACRITICS.sub("", s)


def _show(pieces: list[tuple[str, str]]) -> str:
    return " ".join(f"{role}:{form}" for role, form in pieces)


def check(nlp: khabar.Pipeline, v: Variant) -> tuple[bool, list[list[tuple[str, str]]]]:
    """Analyse the variant; (correct?, per token the (role, form) of its words)."""
    doc = nlp.analyze(v.text)
    got: list[list[tuple[str, str]]] = [[] for _ in doc["tokens"]]
    for w in doc["words"]:
        form = w.attrs.get("form")
        got[int(w.attrs["token"])].append((str(w.attrs["role"]), str(form) if form else doc.text[w.start : w.end]))
    tokens = v.name.text.split(" ")
    if len(got) != len(tokens):
        return False, got
    expected_first = [("proclitic", p) for p in v.proclitics] + [("base", _plain(v.base))]
    if [(r, _plain(f) if r == "base" else f) for r, f in got[0]] != expected_first:
        return False, got
    for tok, pieces in zip(tokens[1:], got[1:]):
        plain = [(r, _plain(f)) for r, f in pieces]
        ok = plain == [("base", _plain(tok))] or (
            tok.startswith(ARTICLE) and plain == [("proclitic", ARTICLE), ("base", _plain(tok[len(ARTICLE) :]))]
        )
        if not ok:
            return False, got
    return True, got


def failure_class(v: Variant, got: list[list[tuple[str, str]]]) -> str:
    """The first fault of a failed variant (see the module docstring)."""
    if len(got) != len(v.name.text.split(" ")):
        return "phrase gives another number of tokens"
    first = got[0]
    procs = [f for r, f in first if r == "proclitic"]
    base = _plain("".join(f for r, f in first if r == "base"))
    want = _plain(v.base)
    if len(procs) > len(v.proclitics):
        if base == want:
            return "extra proclitic, name intact (e.g. ل+ال+لبنان)"
        return "extra proclitic taken from the name's letters"
    if len(procs) < len(v.proclitics):
        if base.startswith(ARTICLE) and base[len(ARTICLE) :] == want:
            return "article left on the base"
        return "added proclitic left on the base"
    if procs != list(v.proclitics):
        return "wrong proclitic"
    if any(r == "enclitic" for r, _f in first):
        return "enclitic split off the name"
    if base != want:
        return "other base"
    return "later token not bare"


def _expected(v: Variant) -> str:
    first = _show([("proclitic", p) for p in v.proclitics] + [("base", v.base)])
    return " | ".join([first, *v.name.text.split(" ")[1:]])


def _first_letter_class(name: Name) -> str:
    if name.text.startswith(ARTICLE):
        return "starts with ال"
    if name.text[0] in PROCLITIC_LETTERS:
        return f"starts with {name.text[0]} (a proclitic letter)"
    return "other first letter"


def _line(label: str, results: list[bool]) -> str:
    n = len(results)
    ok = sum(results)
    return f"  {label:<40} {ok:>5}/{n:<5} {ok / n:.4f}" if n else f"  {label:<40}     0/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--show", type=int, default=40, help="print the first N failures")
    parser.add_argument("--json", type=Path, help="write all failures to this JSON file")
    parser.add_argument("--part", choices=("train", "dev"), default="train",
                        help="ANERcorp names from the first 90%% (default) or the last 10%% of the sentences, "
                        "less those of the first 90%%")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    gaz, list_sizes = gazetteer_names()
    exclude = {n.text for n in gaz}
    if args.part == "dev":
        exclude |= {n.text for n in anercorp_names(args.data, exclude)[0]}
    aner, candidates, n_sent = anercorp_names(args.data, exclude, args.part)
    names = gaz + aner
    print("== names")
    print(f"  gazetteer LOC: {len(gaz)} distinct (COUNTRIES {list_sizes['COUNTRIES']}, CITIES {list_sizes['CITIES']},"
          f" PLACE_PHRASES {list_sizes['PLACE_PHRASES']}; "
          f"{sum(' ' in n.text for n in gaz)} multi-word)")
    for typ, limit in (("PERS", N_PERS), ("ORG", N_ORG)):
        chosen = [n for n in aner if n.source == f"ANERcorp {typ}"]
        print(f"  ANERcorp {typ}: {len(chosen)} of {candidates[typ]} distinct bare names in the {n_sent}"
              f" sentences of the {'last 10%' if args.part == 'dev' else 'first 90%'} (limit {limit}; {sum(' ' in n.text for n in chosen)} multi-word;"
              f" frequency {chosen[-1].freq if chosen else 0}..{chosen[0].freq if chosen else 0})")

    nlp = khabar.load(["segment"])
    all_variants = [v for n in names for v in variants(n)]
    results: list[tuple[Variant, bool, list[list[tuple[str, str]]]]] = []
    for v in all_variants:
        ok, got = check(nlp, v)
        results.append((v, ok, got))
    elapsed = time.perf_counter() - t0

    oks = [ok for _v, ok, _g in results]
    print(f"== variants: {len(results)} ({elapsed:.1f} s in all)")
    print(_line("ALL", oks))
    print("-- by source")
    for source in ("gazetteer LOC", "ANERcorp PERS", "ANERcorp ORG"):
        print(_line(source, [ok for v, ok, _g in results if v.name.source == source]))
    print("-- by variant")
    for kind in VARIANT_TYPES:
        print(_line(kind, [ok for v, ok, _g in results if v.kind == kind]))
    print("-- by first letter of the name")
    for cls in sorted({_first_letter_class(n) for n in names}):
        print(_line(cls, [ok for v, ok, _g in results if _first_letter_class(v.name) == cls]))
    print("-- names with every variant correct")
    per_name: dict[Name, bool] = {}
    for v, ok, _g in results:
        per_name[v.name] = per_name.get(v.name, True) and ok
    print(_line("names", list(per_name.values())))

    failures = [(v, got) for v, ok, got in results if not ok]
    print("== failure classes")
    classes: dict[str, list[Variant]] = {}
    for v, got in failures:
        classes.setdefault(failure_class(v, got), []).append(v)
    for cls, vs in sorted(classes.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        examples = "، ".join(v.text for v in vs[:4])
        print(f"  {len(vs):>5}  {cls}: {examples}")
    print(f"== failures: {len(failures)} (first {min(args.show, len(failures))})")
    for v, got in failures[: args.show]:
        shown = " | ".join(_show(p) for p in got)
        print(f"  [{v.name.source} {v.kind}] {v.text} -> got {shown}  expected {_expected(v)}")
    if args.json:
        rows = [
            {
                "source": v.name.source,
                "name": v.name.text,
                "variant": v.kind,
                "class": failure_class(v, got),
                "text": v.text,
                "got": [[list(p) for p in tok] for tok in got],
                "expected": {"proclitics": list(v.proclitics), "base": v.base, "others": v.name.text.split(" ")[1:]},
            }
            for v, got in failures
        ]
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"all failures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
