"""Summary evaluation: Arabic-aware ROUGE and the EASC benchmark.

ROUGE here works on *normalized* text, because the EASC reference summaries were
normalized by their authors (alef/hamza forms to bare alef, ``ى``/``ة`` flattened,
diacritics dropped): both sides are folded (:func:`khabar.lang.ar.normalize.fold`,
plus ``ى→ي``/``ة→ه`` which it already does), punctuation becomes space, and the
text is split on whitespace. ROUGE-N is the F-measure of clipped n-gram overlap
counts (Lin 2004), one reference at a time.

EASC protocol (:func:`evaluate_easc`): for each article the word budget is the
median length of its five reference summaries (normalized words). Every system
ranks the sentences of khabar's own splitter; sentences are taken in rank order
and a sentence is added only while the summary stays within the budget (the first
one is always taken, so a summary is never empty); the chosen sentences are put
back in article order. A summary scores the mean over its five references; the
report gives the mean over articles. The human ceiling scores each reference
against the other four.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from khabar.doc import Doc
from khabar.errors import InputError
from khabar.lang.ar.normalize import fold

_NON_WORD = re.compile(r"[^\w]+|_")

# A ranker maps a segmented Doc to sentence indices, best first.
Ranker = Callable[[Doc], list[int]]


def rouge_tokens(text: str) -> list[str]:
    """Normalized words for ROUGE: folded (alef/hamza, ى, ة, diacritics, digits), no punctuation."""
    return _NON_WORD.sub(" ", fold(text)).split()


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n_tokens(candidate: Sequence[str], reference: Sequence[str], n: int) -> float:
    """ROUGE-N F-measure of two token lists (0.0 when either has no n-gram)."""
    cand, ref = _ngrams(candidate, n), _ngrams(reference, n)
    if not cand or not ref:
        return 0.0
    overlap = sum((cand & ref).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(cand.values())
    recall = overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def arabic_rouge_n(candidate: str, reference: str, n: int) -> float:
    """ROUGE-N F-measure of ``candidate`` against ``reference`` after Arabic normalization.

    >>> arabic_rouge_n("أكّد الرئيس", "اكد الرئيس.", 1)
    1.0
    """
    if n < 1:
        raise InputError(f"ROUGE order must be 1 or more, got {n}", hint="use n=1 or n=2", code="K140")
    return rouge_n_tokens(rouge_tokens(candidate), rouge_tokens(reference), n)


SELECTION_RULES = {
    "skip": "rank order; a sentence that would exceed the word budget is skipped, later ones still tried",
    "stop": "rank order; stop before the first sentence that would exceed the word budget",
    "cross": "rank order; the sentence that reaches the word budget is kept, then stop",
}


def select_by_budget(order: Sequence[int], lengths: Sequence[int], budget: int, rule: str = "skip") -> list[int]:
    """Sentences taken in rank ``order`` under a word ``budget``, returned in text order.

    Args:
        order: sentence indices, best first.
        lengths: words per sentence.
        budget: the word budget.
        rule: ``skip`` (default), ``stop`` or ``cross`` (see :data:`SELECTION_RULES`). With
            every rule the first ranked sentence is taken, so a summary is never empty.
    """
    if rule not in SELECTION_RULES:
        raise InputError(
            f"unknown selection rule {rule!r}", hint=f"use one of {', '.join(SELECTION_RULES)}", code="K142"
        )
    chosen: list[int] = []
    total = 0
    for i in order:
        if chosen and total + lengths[i] > budget:
            if rule == "skip":
                continue
            if rule == "stop":
                break
        chosen.append(i)
        total += lengths[i]
        if total >= budget:
            break
    return sorted(chosen)


# ------------------------------------------------------------------ EASC reading
def read_easc(easc_dir: Path) -> list[tuple[str, str, list[str]]]:
    """EASC articles as ``(topic, article text, [5 reference summaries])``, in topic-number order.

    Args:
        easc_dir: the folder holding ``Articles/`` and ``MTurk/`` (``EASC-UTF-8``) or its parent.

    Raises:
        InputError: K141 when the folder does not have the EASC layout.
    """
    root = easc_dir / "EASC-UTF-8" if (easc_dir / "EASC-UTF-8").is_dir() else easc_dir
    articles, refs = root / "Articles", root / "MTurk"
    if not articles.is_dir() or not refs.is_dir():
        raise InputError(
            f"{easc_dir} is not an EASC folder (no Articles/ and MTurk/)",
            hint="pass the EASC-UTF-8 folder of the EASC distribution",
            code="K141",
        )
    out = []
    topics = sorted((p for p in articles.iterdir() if p.is_dir()), key=lambda p: int(p.name.removeprefix("Topic")))
    for topic in topics:
        files = sorted(p for p in topic.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
        summaries = sorted((refs / topic.name).glob("*")) if (refs / topic.name).is_dir() else []
        if len(files) != 1 or not summaries:
            continue
        text = files[0].read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        out.append((topic.name, text, [p.read_text(encoding="utf-8-sig") for p in summaries]))
    return out


# ---------------------------------------------------------------- systems
def lead_ranker(doc: Doc) -> list[int]:
    """Lead-N: sentences in article order."""
    return list(range(len(doc["sentences"])))


def khabar_ranker(doc: Doc) -> list[int]:
    """khabar's summarizer ranking."""
    from khabar.components.summarize import rank_sentences

    return [i for i, _score in rank_sentences(doc)]


class _WhitespaceTokenizer:
    """sumy tokenizer object: words are whitespace-separated tokens (no nltk, nothing downloaded)."""

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return rouge_tokens(sentence)


def sumy_ranker(kind: str) -> Ranker:
    """LexRank or TextRank from the ``sumy`` package, fed khabar's sentences (eval-only dependency)."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence  # type: ignore[import-untyped, import-not-found, unused-ignore]
    from sumy.summarizers.lex_rank import LexRankSummarizer  # type: ignore[import-untyped, import-not-found, unused-ignore]
    from sumy.summarizers.text_rank import TextRankSummarizer  # type: ignore[import-untyped, import-not-found, unused-ignore]

    tokenizer = _WhitespaceTokenizer()

    def rank(doc: Doc) -> list[int]:
        texts = [doc.span_text(s) for s in doc["sentences"]]
        if not texts:
            return []
        # sumy keys ratings by sentence text: make duplicates distinct without changing their words.
        sentences = [Sentence(t + "\u200b" * k, tokenizer) for k, t in enumerate(texts)]
        model = ObjectDocumentModel([Paragraph(sentences)])
        if kind == "lexrank":
            lex = LexRankSummarizer()
            words = [lex._to_words_set(s) for s in model.sentences]
            matrix = lex._create_matrix(words, lex.threshold, lex._compute_tf(words), lex._compute_idf(words))
            scores = list(lex.power_method(matrix, lex.epsilon))
        else:
            ratings = TextRankSummarizer().rate_sentences(model)
            scores = [ratings[s] for s in model.sentences]
        return sorted(range(len(texts)), key=lambda i: (-float(scores[i]), i))

    return rank


def default_systems() -> dict[str, Ranker]:
    """The systems of the EASC report: khabar, Lead-N and (when sumy is installed) LexRank, TextRank."""
    systems: dict[str, Ranker] = {"khabar": khabar_ranker, "Lead-N": lead_ranker}
    try:
        systems["LexRank (sumy)"] = sumy_ranker("lexrank")
        systems["TextRank (sumy)"] = sumy_ranker("textrank")
    except ImportError:
        pass
    return systems


def evaluate_easc(easc_dir: Path, systems: dict[str, Ranker] | None = None, rule: str = "skip") -> dict[str, Any]:
    """Score every system on EASC with the word-budget protocol of this module.

    Args:
        easc_dir: the ``EASC-UTF-8`` folder (or its parent).
        systems: name -> ranker; defaults to :func:`default_systems`.
        rule: the budget rule of :func:`select_by_budget` (the same for every system).

    Returns:
        ``{"articles": n, "systems": {name: {"rouge1", "rouge2", "words", "seconds"}},
        "human": {"rouge1", "rouge2", "words"}}``; ROUGE figures are mean F over articles,
        ``words`` the mean summary length.
    """
    from khabar.pipeline import Pipeline

    systems = default_systems() if systems is None else systems
    data = read_easc(easc_dir)
    if not data:
        raise InputError(f"no EASC articles found under {easc_dir}", hint="check the folder", code="K141")
    segmenter = Pipeline(["segment"])
    sums: dict[str, list[float]] = {name: [0.0, 0.0, 0.0, 0.0] for name in systems}
    human = [0.0, 0.0, 0.0]
    for _topic, text, refs in data:
        doc = segmenter.analyze(text)
        sent_tokens = [rouge_tokens(doc.span_text(s)) for s in doc["sentences"]]
        lengths = [len(t) for t in sent_tokens]
        ref_tokens = [rouge_tokens(r) for r in refs]
        budget = int(statistics.median(len(r) for r in ref_tokens))
        for name, ranker in systems.items():
            t0 = time.perf_counter()
            order = ranker(doc)
            sums[name][3] += time.perf_counter() - t0
            chosen = select_by_budget(order, lengths, budget, rule)
            cand = [w for i in chosen for w in sent_tokens[i]]
            sums[name][0] += statistics.fmean(rouge_n_tokens(cand, r, 1) for r in ref_tokens)
            sums[name][1] += statistics.fmean(rouge_n_tokens(cand, r, 2) for r in ref_tokens)
            sums[name][2] += len(cand)
        if len(ref_tokens) > 1:
            for n in (1, 2):
                human[n - 1] += statistics.fmean(
                    statistics.fmean(rouge_n_tokens(r, o, n) for k, o in enumerate(ref_tokens) if k != j)
                    for j, r in enumerate(ref_tokens)
                )
            human[2] += statistics.fmean(len(r) for r in ref_tokens)
    n = len(data)
    return {
        "articles": n,
        "selection": f"{rule}: {SELECTION_RULES[rule]}",
        "systems": {
            name: {"rouge1": s[0] / n, "rouge2": s[1] / n, "words": s[2] / n, "seconds": s[3]}
            for name, s in sums.items()
        },
        "human": {"rouge1": human[0] / n, "rouge2": human[1] / n, "words": human[2] / n},
    }


def format_report(report: dict[str, Any]) -> str:
    """The EASC report as a plain-text table (ROUGE-1/2 F as percentages)."""
    lines = [
        f"EASC: {report['articles']} articles; {report.get('selection', '')}",
        f"{'system':<22}{'ROUGE-1 F':>10}{'ROUGE-2 F':>10}{'words':>8}{'rank s':>9}",
    ]
    for name, s in report["systems"].items():
        lines.append(
            f"{name:<22}{100 * s['rouge1']:>10.2f}{100 * s['rouge2']:>10.2f}{s['words']:>8.1f}{s['seconds']:>9.2f}"
        )
    h = report["human"]
    lines.append(f"{'human (1 vs other 4)':<22}{100 * h['rouge1']:>10.2f}{100 * h['rouge2']:>10.2f}{h['words']:>8.1f}")
    return "\n".join(lines)
