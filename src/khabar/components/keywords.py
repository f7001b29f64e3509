"""Key phrases: the 1–3 word phrases an article is about, as spans of the original text.

Every surface token becomes a *term*: its clitic-split base word (from the
``words`` layer), folded, so ``المحادثات``, ``والمحادثات`` and ``محادثاتهما`` all
have the key ``محادثات``. Candidate phrases are runs of one to three content
terms inside a sentence, never crossing punctuation or numbers and never
containing a stop word (:mod:`khabar.lang.ar.stopwords`), so a stop word can
neither lead nor end a phrase.

A phrase scores ``count × Σ idf(word) × cohesion × position``: ``idf`` comes from
document frequencies counted on Arabic news (``models/idf.tsv.gz``, built by
``training/build_idf.py``), cohesion is how often its rarest word occurs *in this
phrase* (phrases of two or more words must occur twice), and position favours
phrases met early. A phrase inside a better one is dropped (``كوريا`` after
``كوريا الشمالية``). Scores are scaled so the best phrase has 1.0.
"""

from __future__ import annotations

import gzip
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Final, NamedTuple

from khabar.doc import Doc, Span
from khabar.errors import ResourceError
from khabar.gcpause import gc_paused
from khabar.lang.ar.honorifics import HOUSE_WORDS, LINEAGE_LINKS, RELIGIOUS_FORMULAS
from khabar.lang.ar.normalize import fold
from khabar.lang.ar.stopwords import NOT_KEY_PHRASES, STOP_WORDS
from khabar.memo import MAX_MEMO_CHARS, MEMO_MAXSIZE
from khabar.resources import read_model
from khabar.wordlen import MAX_WORD_CHARS

NAME = "keywords"
IDF_FILE: Final = "idf.tsv.gz"
IDF_FORMAT: Final = 1
MAX_WORDS: Final = 3
# Proclitics a keyword span skips (ال stays: the span reads "المحادثات", the key "محادثات").
_SKIPPED_PROCLITICS: Final = frozenset({"و", "ف", "ب", "ل", "ك", "س"})
_WORD_KINDS: Final = frozenset({"arabic", "latin"})

_IDF: tuple[int, dict[str, int]] | None = None
# word_key's memo: short words only, emptied when full (a bound on its memory, a few MB).
_KEYS: dict[str, str] = {}
_MAX_KEYS: Final = MEMO_MAXSIZE + MEMO_MAXSIZE // 2  # 24,576 by default


class Term(NamedTuple):
    """One surface token seen as a word: display span, folded de-cliticised key, stop-word flag.

    ``key`` is empty for tokens that are not words (punctuation, numbers, URLs); they
    break phrases. (A tuple: one is made per token, and a tuple is the cheapest object.)
    """

    start: int
    end: int
    key: str
    sentence: int
    stop: bool
    form: str = ""  # the displayed word in its underlying spelling (خطة for the خطت of خطتها)


def word_key(base: str) -> str:
    """The matching key of a base word (clitics already removed): folded, lower-cased, ``ـ`` dropped."""
    key = _KEYS.get(base)
    if key is None:
        key = fold(base).lower()
        if len(base) <= MAX_MEMO_CHARS:
            if len(_KEYS) >= _MAX_KEYS:
                _KEYS.clear()
            _KEYS[base] = key
    return key


# The terms of the last Doc asked for, with what they were computed from: summarize and
# keywords both need them, and the pipeline runs one after the other on the same Doc.
_LAST: tuple[list[Span], list[Span], str, int, int, list[Term]] | None = None


def doc_terms(doc: Doc, keep: bool = True) -> list[Term]:
    """One :class:`Term` per token of ``doc`` (needs the ``tokens`` and ``words`` layers).

    The terms of the last Doc are kept (one Doc's worth): asked again for the same
    ``tokens`` and ``words`` lists and text, the answer is a copy of that list. With
    ``keep=False`` (a title, a side text) they are computed without replacing the kept ones.
    """
    global _LAST
    tokens = doc["tokens"]
    words = doc["words"]
    text = doc.text
    if not keep:
        return _terms(tokens, words, text)
    last = _LAST
    if (
        last is not None
        and last[0] is tokens
        and last[1] is words
        and last[2] is text
        and last[3] == len(tokens)
        and last[4] == len(words)
    ):
        return list(last[5])
    terms = _terms(tokens, words, text)
    _LAST = (tokens, words, text, len(tokens), len(words), terms)
    return list(terms)


def _terms(tokens: list[Span], words: list[Span], text: str) -> list[Term]:
    n = len(tokens)
    # The words of each token, in layer order: the word itself when it is the only one (most
    # tokens: a bare base word), else a list.
    pieces: list[Span | list[Span] | None] = [None] * n
    for w in words:
        i = w.attrs.get("token")
        if isinstance(i, int) and 0 <= i < n:
            p = pieces[i]
            if p is None:
                pieces[i] = w
            elif type(p) is list:
                p.append(w)
            else:
                pieces[i] = [p, w]  # type: ignore[list-item]  # (p is a Span here)
    keys = _KEYS
    new = tuple.__new__  # a Term without its Python-level __new__ (one per token)
    stop_words = STOP_WORDS
    word_kinds = _WORD_KINDS
    terms: list[Term] = []
    append = terms.append
    for tok, ws in zip(tokens, pieces, strict=True):
        attrs = tok.attrs
        sentence = attrs.get("sentence", 0)
        if type(sentence) is not int:
            sentence = int(sentence)
        if not ws or attrs.get("kind") not in word_kinds:
            append(new(Term, (tok.start, tok.end, "", sentence, True, "")))
            continue
        if type(ws) is not list:
            w_attrs = ws.attrs  # type: ignore[union-attr]
            if w_attrs.get("role") != "base":
                append(new(Term, (tok.start, tok.end, "", sentence, True, "")))  # a bare clitic such as a lone و
                continue
            t_start, t_end = tok.start, tok.end
            if "form" not in w_attrs and ws.start == t_start and ws.end == t_end:  # type: ignore[union-attr]
                # the base word is the whole token as written: its key is the surface's
                surface = text[t_start:t_end]
                key = keys.get(surface) or word_key(surface)
                stop = key in stop_words or len(key) < 2
                append(new(Term, (t_start, t_end, key, sentence, stop, surface)))
                continue
            ws = [ws]  # type: ignore[list-item]
        b = None
        for w in ws:
            if w.attrs.get("role") == "base":
                b = w
                break
        if b is None:  # a bare clitic such as a lone و
            append(new(Term, (tok.start, tok.end, "", sentence, True, "")))
            continue
        b_start = b.start
        b_attrs = b.attrs
        base_form = str(b_attrs["form"]) if "form" in b_attrs else text[b_start : b.end]
        key = keys.get(base_form) or word_key(base_form)
        start = b_start
        if len(ws) > 1:
            for w in ws:
                if w.attrs.get("role") != "proclitic" or w.end > b_start:
                    continue
                if text[w.start : w.end] == "ال" and str(w.attrs.get("form", "ال")) == "ال":
                    start = w.start  # keep the article in the displayed span
        stop = key in stop_words or len(key) < 2
        if not stop:
            surface = text[tok.start : tok.end]
            if surface != base_form:  # else its key is the base word's
                stop = (keys.get(surface) or word_key(surface)) in stop_words
        append(new(Term, (start, b.end, key, sentence, stop, text[start:b_start] + base_form)))
    return terms


def _load_idf() -> tuple[int, dict[str, int]]:
    """Read the packaged document-frequency table once (ResourceError K206 when missing or corrupt)."""
    global _IDF
    if _IDF is None:
        raw = read_model(IDF_FILE, code="K206")
        lines = gzip.decompress(raw).decode("utf-8").splitlines()
        head = lines[0].split("\t") if lines else []
        if len(head) != 3 or head[0] != "#idf" or head[1] != str(IDF_FORMAT):
            raise ResourceError(
                f"{IDF_FILE} has an unexpected header (format {IDF_FORMAT} needed)",
                hint="rebuild it with training/build_idf.py and run training/write_manifest.py",
                code="K206",
            )
        counts: dict[str, int] = {}
        for line in lines[1:]:
            key, _, df = line.partition("\t")
            counts[key] = int(df)
        _IDF = (int(head[2]), counts)
    return _IDF


def idf(key: str) -> float:
    """Smoothed inverse document frequency of a word key in Arabic news (unseen words get the maximum)."""
    n_docs, counts = _load_idf()
    return math.log((n_docs + 1) / (counts.get(key, 0) + 1))


@dataclass(slots=True)
class _Candidate:
    keys: tuple[str, ...]
    start: int
    end: int
    first: int  # sentence of the first occurrence
    i: int  # its first and last term, as first met (its form is read from them when it is chosen)
    j: int
    count: int = 0


def _candidates(terms: list[Term]) -> dict[tuple[str, ...], _Candidate]:
    """Every run of 1–3 content terms inside one sentence, with its first occurrence and count."""
    if MAX_WORDS != 3:
        return _candidates_any(terms)
    # The loop of _candidates_any unrolled for runs of at most 3 (the same candidates, met in the
    # same order): a term read by index, each key tuple built once.
    found: dict[tuple[str, ...], _Candidate] = {}
    get = found.get
    n = len(terms)
    for i, first in enumerate(terms):
        if first[4]:  # .stop
            continue
        start, sentence, key = first[0], first[3], first[2]
        keys: tuple[str, ...] = (key,)
        cand = get(keys)
        if cand is None:
            cand = found[keys] = _Candidate(keys, start, first[1], sentence, i, i)
        cand.count += 1
        if i + 1 == n:
            continue
        t = terms[i + 1]
        if t[4] or t[3] != sentence:
            continue
        keys = (key, t[2])
        cand = get(keys)
        if cand is None:
            cand = found[keys] = _Candidate(keys, start, t[1], sentence, i, i + 1)
        cand.count += 1
        if i + 2 == n:
            continue
        u = terms[i + 2]
        if u[4] or u[3] != sentence:
            continue
        keys = (key, t[2], u[2])
        cand = get(keys)
        if cand is None:
            cand = found[keys] = _Candidate(keys, start, u[1], sentence, i, i + 2)
        cand.count += 1
    return found


def _candidates_any(terms: list[Term]) -> dict[tuple[str, ...], _Candidate]:
    """:func:`_candidates` for any MAX_WORDS."""
    found: dict[tuple[str, ...], _Candidate] = {}
    get = found.get
    n = len(terms)
    for i, first in enumerate(terms):
        if first.stop:
            continue
        sentence = first.sentence
        keys: tuple[str, ...] = ()
        for j in range(i, min(i + MAX_WORDS, n)):
            t = terms[j]
            if t.stop or t.sentence != sentence:
                break
            keys = (*keys, t.key)
            cand = get(keys)
            if cand is None:
                cand = found[keys] = _Candidate(keys, first.start, t.end, sentence, i, j)
            cand.count += 1
    return found


def _form(terms: list[Term], cand: _Candidate) -> str:
    """The candidate's words in their underlying spelling, as first met."""
    return " ".join(x.form for x in terms[cand.i : cand.j + 1])


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    """True when ``inner`` is a contiguous part of ``outer``."""
    k = len(inner)
    return any(outer[i : i + k] == inner for i in range(len(outer) - k + 1))


# Religious formulas of two words or more, folded, by the index of الله in them: their words are
# no key phrase (رحمه الله gave رحم), while a name holding الله stays one (حزب الله، نصر الله).
_ALLAH: Final = fold("الله")
# the links of a genealogy, and أبو: a phrase never ends with one, nor starts with بن / بنت (بن فهد
# is half a name; ابن بطوطة، آل مكتوم، أبو مازن are whole ones)
_NAME_LINKS: Final = LINEAGE_LINKS | HOUSE_WORDS | {fold("أبو")}
_CUT_NAME_STARTS: Final = frozenset(fold(w) for w in ("بن", "بنت"))
_FORMULAS: Final = tuple(
    (words, words.index(_ALLAH))
    for words in sorted({tuple(f.split()) for f in RELIGIOUS_FORMULAS if " " in f})
    if _ALLAH in words
)


def _formula_terms(doc: Doc, terms: list[Term]) -> set[int]:
    """Indexes of the terms (one per token) that stand inside a religious formula around ``الله``
    (the token's folded text, a و or ف before its first word allowed)."""
    if not any(t[2] == _ALLAH for t in terms):
        return set()
    tokens, text = doc["tokens"], doc.text
    out: set[int] = set()
    for i, t in enumerate(terms):
        if t[2] != _ALLAH:
            continue
        for words, at in _FORMULAS:
            first = i - at
            if first < 0 or first + len(words) > len(tokens):
                continue
            span = range(first, first + len(words))
            read = [fold(text[tokens[k].start : tokens[k].end]) for k in span]
            if read[0] != words[0] and read[0][:1] in ("و", "ف"):
                read[0] = read[0][1:]
            if read == list(words):
                out.update(span)
    return out


@gc_paused
def predict(doc: Doc, top: int = 10) -> list[Span]:
    """The ``top`` key phrases of ``doc``, best first (needs the ``segment`` layers).

    Args:
        doc: a Doc with ``tokens`` and ``words`` layers.
        top: how many phrases to return at most.

    Returns:
        One span per phrase, over its first occurrence, with attributes ``key``
        (folded, de-cliticised words joined by spaces), ``score`` (best = 1.0),
        ``count`` (occurrences in the article) and, where the words read otherwise in
        their underlying spelling, ``form`` (``خطة`` for the ``خطت`` of ``خطتها``).
    """
    if top <= 0:
        return []
    terms = doc_terms(doc)
    for idx in _formula_terms(doc, terms):
        terms[idx] = terms[idx]._replace(stop=True)  # (a copy: summarize's terms keep theirs)
    found = _candidates(terms)
    word_count: dict[str, int] = defaultdict(int)
    for keys, cand in found.items():
        if len(keys) == 1:
            word_count[keys[0]] = cand.count
    cands = {
        keys: cand
        for keys, cand in found.items()
        if not all(key in NOT_KEY_PHRASES for key in keys)
        and keys[0] not in _CUT_NAME_STARTS
        and keys[-1] not in _NAME_LINKS
        and not any(len(key) > MAX_WORD_CHARS for key in keys)
    }
    if not cands:
        return []
    # (-score, start, -words, n) orders as the sort by (-score, start, -words) did: no two
    # candidates share a start and a length; a heap pops the best few without sorting them all.
    ranked: list[tuple[float, int, int, int]] = []
    by_n: list[_Candidate] = []
    n_docs, df = _load_idf()
    idfs: dict[str, float] = {}  # idf(key), looked up once per word
    positions: dict[int, float] = {}  # the position factor, computed once per sentence
    log = math.log
    for keys, cand in cands.items():
        count = cand.count
        if len(keys) == 1:
            k = keys[0]
            cohesion = count / word_count[k]
            weight = idfs.get(k)
            if weight is None:
                weight = idfs[k] = log((n_docs + 1) / (df.get(k, 0) + 1))  # as idf(k)
        else:
            if count < 2:
                continue
            if len(set(keys)) < len(keys):
                continue  # "محادثات محادثات": a repetition, not a phrase
            cohesion = count / min(word_count[k] for k in keys)
            for k in keys:
                if k not in idfs:
                    idfs[k] = log((n_docs + 1) / (df.get(k, 0) + 1))  # as idf(k)
            weight = sum(idfs[k] for k in keys)
        position = positions.get(cand.first)
        if position is None:
            position = positions[cand.first] = 1.0 / math.log2(2 + cand.first)
        ranked.append((-(count * weight * cohesion * position), cand.start, -len(keys), len(by_n)))
        by_n.append(cand)
    heapq.heapify(ranked)
    chosen: list[tuple[float, _Candidate]] = []
    while ranked and len(chosen) < top:
        neg_score, _, _, n = heapq.heappop(ranked)
        cand = by_n[n]
        if any(_contains(c.keys, cand.keys) for _, c in chosen):
            continue
        chosen.append((-neg_score, cand))
    best = chosen[0][0] if chosen and chosen[0][0] > 0 else 1.0
    text = doc.text
    spans = []
    for s, c in chosen:
        attrs: dict[str, object] = {"key": " ".join(c.keys), "score": round(s / best, 4), "count": c.count}
        form = _form(terms, c)
        if form != text[c.start : c.end]:
            attrs["form"] = form  # خطة where the first occurrence reads خطت (خطتها)
        spans.append(Span(c.start, c.end, "", attrs))
    return spans


def set_annotations(doc: Doc, spans: list[Span]) -> None:
    """Store the phrases as the ``keywords`` layer."""
    doc.layers["keywords"] = spans
