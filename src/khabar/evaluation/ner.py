"""NER evaluation: CoNLL reading, tagging and CoNLL-style entity scores.

Scores count exact matches of (sentence, first token, last token, type), as the
CoNLL-2003 ``conlleval`` script does; an ``I-X`` after ``O`` or after another type
starts a new entity, as in conlleval.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from khabar.errors import InputError
from khabar.evaluation.table import aligned

ENTITY_TYPES = ("PERS", "LOC", "ORG", "MISC")
_VALID_TAGS = frozenset({"O"} | {f"{p}-{t}" for p in "BI" for t in ENTITY_TYPES})


def read_conll(lines: Iterable[str], name: str) -> list[list[tuple[str, str]]]:
    """Read CoNLL-style lines: token first, tag last, a blank line between sentences.

    Args:
        lines: the file's lines (with or without line ends).
        name: the file name, for error messages.

    Returns:
        Sentences of ``(token, tag)`` pairs; a line with a single column gets the tag ``O``.

    Raises:
        InputError: K130 on a tag outside O/B-X/I-X (X in PERS, LOC, ORG, MISC), with the line number.
    """
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        cols = line.split()
        if not cols:
            if current:
                sentences.append(current)
                current = []
            continue
        if cols[0] == "-DOCSTART-":
            continue
        tag = cols[-1] if len(cols) >= 2 else "O"
        if tag not in _VALID_TAGS:
            raise InputError(
                f"{name}:{number}: malformed tag {tag!r} in line {line!r}",
                hint="expected 'TOKEN TAG' with TAG one of O, B-X, I-X and X in " + ", ".join(ENTITY_TYPES),
                code="K130",
            )
        current.append((cols[0], tag))
    if current:
        sentences.append(current)
    return sentences


def tag_conll(sentences: Iterable[Sequence[str] | Sequence[tuple[str, str]]]) -> list[list[str]]:
    """Tag sentences (lists of tokens, or of ``(token, tag)`` pairs whose tags are ignored) with the NER model.

    The sentences are taken as consecutive text: each is tagged with its neighbours in view
    (:func:`khabar.components.ner.tag_sentences`, the model's default window).
    """
    from khabar.components.ner import tag_sentences  # the model loads on first use only

    token_lists = [[item if isinstance(item, str) else item[0] for item in sent] for sent in sentences]
    return tag_sentences(token_lists)


def _chunks(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """``(start, end, type)`` entities of one sentence, conlleval style (an I- after O starts one)."""
    from khabar.components.ner import entity_runs

    return set(entity_runs(tags))


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "predicted": n_pred, "gold": n_gold}


def entity_scores(gold: list[list[str]], pred: list[list[str]]) -> dict[str, Any]:
    """CoNLL-style exact span+type scores.

    Args:
        gold: gold IOB2 tags, one list per sentence.
        pred: predicted tags, same shape.

    Returns:
        ``{"micro": {...}, "types": {"PERS": {...}, ...}, "tokens": n, "sentences": n}`` where each
        score holds precision, recall, f1 (0..1) and the tp/predicted/gold counts.

    Raises:
        ValueError: when the sentence or token counts differ.
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    counts: dict[str, list[int]] = {}
    n_tokens = 0
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"sentence {i}: {len(g)} gold tags but {len(p)} predicted")
        n_tokens += len(g)
        gc, pc = _chunks(g), _chunks(p)
        for chunk in gc | pc:
            c = counts.setdefault(chunk[2], [0, 0, 0])
            c[0] += chunk in gc and chunk in pc
            c[1] += chunk in pc
            c[2] += chunk in gc
    types = {t: _prf(*counts[t]) for t in sorted(counts, key=lambda t: (t not in ENTITY_TYPES, t))}
    total = [sum(c[k] for c in counts.values()) for k in range(3)]
    return {"micro": _prf(*total), "types": types, "tokens": n_tokens, "sentences": len(gold)}


def format_scores(scores: dict[str, Any]) -> str:
    """A small aligned table of the per-type and micro scores (percentages)."""
    rows = [("type", "P", "R", "F1", "gold", "pred", "tp")]
    items = [*scores["types"].items(), ("micro", scores["micro"])]
    for name, s in items:
        rows.append(
            (
                name,
                f"{100 * s['precision']:.1f}",
                f"{100 * s['recall']:.1f}",
                f"{100 * s['f1']:.1f}",
                str(s["gold"]),
                str(s["predicted"]),
                str(s["tp"]),
            )
        )
    lines = aligned(rows)
    lines.append(f"{scores['sentences']} sentences, {scores['tokens']} tokens")
    return "\n".join(lines)
