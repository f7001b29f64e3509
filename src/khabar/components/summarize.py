"""Extractive summary: whole sentences of the article, chosen by centrality and position.

The sentences are those of the ``segment`` component (never another splitter),
so every summary span slices the original text. Each sentence is a bag of
content terms: clitic-split base words, folded, stop words removed, lightly
stemmed (``محادثات`` and ``محادثه`` share a stem), weighted by tf × idf with idf
counted on Arabic news (the table shared with :mod:`khabar.components.keywords`).

A sentence scores ``centrality + POSITION_WEIGHT × position (+ TITLE_WEIGHT × title
cosine)``, damped for very short and very long sentences: centrality is the
cosine between the sentence and the whole article (the centroid, a linear-time
stand-in for a LexRank graph), position is ``1 - index / n`` (news puts the
point first; the weight makes position dominant and centrality reorder
neighbours), the title term counts only when ``doc.meta["title"]`` is given.
Sentences with fewer than ``SHORT_SENTENCE`` content words (datelines, headings)
and with more than ``LONG_SENTENCE`` words are scaled down in proportion; a
sentence with the same content words as an earlier one scores 0.

These choices were measured on EASC (``bench/bench_summary.py``): a LexRank-style
graph, ``1/(1+i)`` or exponential position, MMR redundancy removal and no
stemming all scored lower; the lead of Arabic articles is hard to beat and the
gain over Lead-N there is small (about half a ROUGE point).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from khabar.components.keywords import Term, doc_terms, idf
from khabar.doc import Doc, Span
from khabar.gcpause import gc_paused
from khabar.memo import MAX_MEMO_CHARS, MEMO_MAXSIZE

if TYPE_CHECKING:
    from khabar.pipeline import Pipeline

NAME = "summarize"
DEFAULT_SENTENCES: Final = 3
POSITION_WEIGHT: Final = 4.0
TITLE_WEIGHT: Final = 1.0
# Sentences with fewer content terms, or more words, than these are damped proportionally.
SHORT_SENTENCE: Final = 6
LONG_SENTENCE: Final = 50
# Light stemming: suffixes stripped when at least MIN_STEM letters remain.
_SUFFIXES: Final = ("ات", "ون", "ين", "ان", "ه", "ي")
MIN_STEM: Final = 3


def light_stem(key: str) -> str:
    """Strip one plural/feminine/nisba suffix from a folded base word (``محادثات`` -> ``محادث``)."""
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= MIN_STEM:
            return key[: -len(suffix)]
    return key


def _content(terms: Iterable[Term]) -> list[str]:
    return [light_stem(t.key) for t in terms if t.key and not t.stop]


def _vector(stems: Iterable[str], weights: dict[str, float]) -> dict[str, float]:
    return {s: c * weights[s] for s, c in Counter(stems).items()}


def _norm(a: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in a.values()))


def _cosine(a: dict[str, float], b: dict[str, float], nb: float | None = None) -> float:
    """Cosine of two sparse vectors; ``nb``, when given, is ``b``'s norm, computed once by the
    caller (the centroid's norm recomputed per sentence made long articles quadratic)."""
    na: float | None = None
    if len(a) > len(b):
        a, b, na, nb = b, a, nb, None
    # the smaller vector drives the dot product, in its own order (same sum as ever)
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    if dot == 0.0:
        return 0.0
    return dot / ((_norm(a) if na is None else na) * (_norm(b) if nb is None else nb))


_SEGMENT: Pipeline | None = None


def _title_stems(doc: Doc) -> list[str]:
    """Content stems of ``doc.meta["title"]`` (plain whitespace words, with the clitic split of the segmenter)."""
    global _SEGMENT
    title = doc.meta.get("title")
    if not isinstance(title, str) or not title.strip():
        return []
    if _SEGMENT is None:  # built once: a Pipeline per title cost more than the title's analysis
        from khabar.pipeline import Pipeline

        _SEGMENT = Pipeline(["segment"])
    # keep=False: the article's terms stay kept for keywords, which runs next on the same Doc
    return _content(doc_terms(_SEGMENT.analyze(title), keep=False))


def rank_sentences(doc: Doc) -> list[tuple[int, float]]:
    """Sentence indices of ``doc`` with their scores, best first (ties: earlier first).

    Needs the ``sentences``, ``tokens`` and ``words`` layers (component ``segment``).
    """
    return _rank(doc, _word_count(doc))


# (stem, idf) of the keys met so far: this generation and the one before, MEMO_MAXSIZE // 2
# keys each (the frequent keys stay), shared by the articles of a run.
_KEY_WEIGHTS: list[dict[str, tuple[str, float]]] = [{}, {}]


def _rank(doc: Doc, lengths: list[int]) -> list[tuple[int, float]]:
    """:func:`rank_sentences` given the words per sentence (:func:`_word_count`)."""
    sentences = doc["sentences"]
    if not sentences:
        return []
    n = len(sentences)
    per_sentence: list[list[str]] = [[] for _ in sentences]
    weights: dict[str, float] = {}
    key_weight, older = _KEY_WEIGHTS  # key -> (stem, idf): each key stemmed and looked up once
    get_known, get_weight = key_weight.get, weights.get
    for _start, _end, key, sentence, stop, _form in doc_terms(doc):
        if key and not stop and 0 <= sentence < n:
            known = get_known(key)
            if known is None:
                known = older.get(key)
                if known is None:
                    known = (light_stem(key), idf(key))
                if len(key) <= MAX_MEMO_CHARS:
                    key_weight[key] = known
            stem, key_idf = known
            per_sentence[sentence].append(stem)
            # a stem weighs as its most common spelling: idf is counted on whole base words
            # (the least idf: min(old, new) keeps the old one on a tie, as this does)
            old = get_weight(stem)
            if old is None or key_idf < old:
                weights[stem] = key_idf
    if len(key_weight) >= MEMO_MAXSIZE // 2:
        _KEY_WEIGHTS[:] = [{}, key_weight]
    all_stems = [s for stems in per_sentence for s in stems]
    centroid = _vector(all_stems, weights)
    centroid_norm = _norm(centroid)
    title_stems = _title_stems(doc)
    title = _vector(title_stems, {s: weights.get(s, idf(s)) for s in title_stems})
    title_norm = _norm(title)
    scores = []
    seen: set[tuple[str, ...]] = set()
    for i, stems in enumerate(per_sentence):
        bag = tuple(sorted(stems))
        if bag in seen:  # a repeated sentence adds nothing: rank it last
            scores.append(0.0)
            continue
        seen.add(bag)
        vec = _vector(stems, weights)
        score = _cosine(vec, centroid, centroid_norm) + POSITION_WEIGHT * (1 - i / n)
        if title:
            score += TITLE_WEIGHT * _cosine(vec, title, title_norm)
        score *= min(1.0, len(stems) / SHORT_SENTENCE) * min(1.0, LONG_SENTENCE / max(1, lengths[i]))
        scores.append(score)
    return sorted(((i, round(s, 6)) for i, s in enumerate(scores)), key=lambda p: (-p[1], p[0]))


def _word_count(doc: Doc) -> list[int]:
    """Words (Arabic, Latin, number tokens) per sentence."""
    n = len(doc["sentences"])
    counts = [0] * n
    for tok in doc["tokens"]:
        attrs = tok.attrs
        if attrs.get("kind") in _COUNTED_KINDS:
            i = attrs.get("sentence")
            if isinstance(i, int) and i < n:
                counts[i] += 1
    return counts


_COUNTED_KINDS: Final = frozenset({"arabic", "latin", "number"})


def _choose(
    ranked: Sequence[tuple[int, float]], lengths: Sequence[int], sentences: int | None, words: int | None
) -> list[int]:
    chosen: list[int] = []
    total = 0
    for i, _score in ranked:
        if sentences is not None and len(chosen) >= sentences:
            break
        if words is not None and chosen and total + lengths[i] > words:
            continue  # too long for what is left: a shorter sentence may still fit
        chosen.append(i)
        total += lengths[i]
        if words is not None and total >= words:
            break
    return sorted(chosen)


@gc_paused
def predict(doc: Doc, sentences: int | None = None, words: int | None = None) -> list[Span]:
    """The summary: whole sentences of ``doc``, in article order.

    Args:
        doc: a Doc with the ``segment`` layers.
        sentences: at most this many sentences.
        words: at most this many words (the best sentence is always kept, even when longer).
            With neither budget, up to 3 sentences and never more than half the article
            (rounded up).

    Returns:
        Sentence spans with attributes ``rank`` (1 = best) and ``score``.
    """
    lengths = _word_count(doc)
    ranked = _rank(doc, lengths)
    if not ranked:
        return []
    if sentences is None and words is None:
        sentences = min(DEFAULT_SENTENCES, (len(ranked) + 1) // 2)
    chosen = _choose(ranked, lengths, sentences, words)
    rank_of = {i: (r + 1, s) for r, (i, s) in enumerate(ranked)}
    sents = doc["sentences"]
    return [
        Span(sents[i].start, sents[i].end, "", {"rank": rank_of[i][0], "score": round(rank_of[i][1], 4)})
        for i in chosen
    ]


def set_annotations(doc: Doc, spans: list[Span]) -> None:
    """Store the chosen sentences as the ``summary`` layer."""
    doc.layers["summary"] = spans
