"""Topic evaluation: TREC-SGML reading, classification and accuracy / macro-F1 scores.

The ANT corpus files (``train.trec.gz``, ``dev.trec.gz``) are concatenated
TREC-style ``<DOC>`` records. They are not well-formed XML (raw ``&`` and quotes
occur in the text), so fields are read with regular expressions.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from khabar.errors import InputError
from khabar.evaluation.table import aligned

_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.DOTALL)
_FIELDS = ("DOCNO", "CAT", "TITLE", "TEXT", "SRC")
_FIELD = {name: re.compile(rf"<{name}>(.*?)</{name}>", re.DOTALL) for name in _FIELDS}


class Record(NamedTuple):
    """One labelled article of a TREC file; ``source`` is its ``<SRC>`` outlet ("" when absent)."""

    docid: str
    label: str
    title: str
    text: str
    source: str = ""


def _field(body: str, name: str) -> str:
    m = _FIELD[name].search(body)
    return m.group(1).strip() if m else ""


def parse_trec(data: str, name: str = "<string>") -> list[Record]:
    """Parse TREC-SGML text into :class:`Record` s (``docid, label, title, text, source``).

    Raises:
        InputError: K150 when the text holds no ``<DOC>`` record.
    """
    records = [Record(*(_field(body, name) for name in _FIELDS)) for body in _DOC.findall(data)]
    if not records:
        raise InputError(
            f"{name}: no <DOC> records found",
            hint="expected a TREC-style file such as ANT's dev.trec.gz (<DOC><DOCNO>..</DOCNO><CAT>..</CAT>...)",
            code="K150",
        )
    return records


def read_trec(path: str | Path) -> list[Record]:
    """Read a TREC-SGML file (gzip or plain UTF-8) into :class:`Record` s.

    Args:
        path: e.g. ``ant-multisource-v2.1/dev.trec.gz``; gzip is detected from the content.

    Returns:
        One record per ``<DOC>``, in file order; the label is the ``<CAT>`` field.

    Raises:
        InputError: K150 when the file cannot be read, is not UTF-8 or holds no records.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        data = raw.decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read {p}: {exc.__class__.__name__}: {exc}",
            hint="give a readable UTF-8 TREC file (optionally gzipped)",
            code="K150",
        ) from exc
    return parse_trec(data, str(p))


def classify_records(records: Iterable[Record], with_source: bool = False) -> list[str]:
    """The predicted topic of each record (title and text; with its outlet too when ``with_source``)."""
    from khabar.components.classify import classify_text  # the model loads on first use only

    out: list[str] = []
    for r in records:
        scores = classify_text(r.text, r.title or None, r.source if with_source else None)
        out.append(max(scores, key=lambda k: scores[k]))
    return out


def scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Accuracy, macro-F1, per-label P/R/F1 and the confusion matrix.

    Args:
        gold: gold labels.
        pred: predicted labels, same length.
        labels: label order for the table; defaults to the sorted union of both.

    Returns:
        ``{"n", "accuracy", "macro_f1", "labels", "per_label": {label: {precision, recall, f1, support}},
        "confusion": [[count gold i predicted j]]}``.

    Raises:
        ValueError: when the lengths differ.
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    names = list(labels) if labels is not None else sorted(set(gold) | set(pred))
    for extra in sorted((set(gold) | set(pred)) - set(names)):
        names.append(extra)
    index = {name: i for i, name in enumerate(names)}
    confusion = [[0] * len(names) for _ in names]
    for g, p in zip(gold, pred, strict=True):
        confusion[index[g]][index[p]] += 1
    per_label: dict[str, dict[str, float]] = {}
    for i, name in enumerate(names):
        tp = confusion[i][i]
        n_gold = sum(confusion[i])
        n_pred = sum(row[i] for row in confusion)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[name] = {"precision": precision, "recall": recall, "f1": f1, "support": n_gold}
    n = len(gold)
    correct = sum(confusion[i][i] for i in range(len(names)))
    present = [name for name in names if per_label[name]["support"] > 0]
    macro = sum(per_label[name]["f1"] for name in present) / len(present) if present else 0.0
    return {
        "n": n,
        "accuracy": correct / n if n else 0.0,
        "macro_f1": macro,
        "labels": names,
        "per_label": per_label,
        "confusion": confusion,
    }


def evaluate(records: Sequence[Record], with_source: bool = False) -> dict[str, Any]:
    """Classify ``records`` with the packaged models and score them against their labels (see :func:`scores`).

    ``with_source`` gives each record's ``<SRC>`` outlet to the classifier (the outlet-aware
    model answers for the five training outlets).
    """
    from khabar.components.classify import LABELS

    pred = classify_records(records, with_source)
    return scores([r.label for r in records], pred, LABELS)


def known_outlets(records: Iterable[Record]) -> int:
    """How many records name one of the outlets the outlet-aware model knows."""
    from khabar.components.classify import source_key

    return sum(1 for r in records if r.source and source_key(r.source) is not None)


def format_report(report: dict[str, Any]) -> str:
    """A readable table: per-label P/R/F1, accuracy, macro-F1 and the confusion matrix (rows gold)."""
    names: list[str] = report["labels"]
    rows = [("label", "P", "R", "F1", "support")]
    for name in names:
        s = report["per_label"][name]
        rows.append(
            (name, f"{100 * s['precision']:.1f}", f"{100 * s['recall']:.1f}", f"{100 * s['f1']:.1f}", str(s["support"]))
        )
    lines = aligned(rows)
    lines.append(
        f"accuracy {100 * report['accuracy']:.2f}%  macro-F1 {100 * report['macro_f1']:.2f}%  ({report['n']} documents)"
    )
    lines.append("")
    lines.append("confusion (rows gold, columns predicted):")
    short = [name[:6] for name in names]
    width = max(6, *(len(str(c)) for row in report["confusion"] for c in row))
    label_w = max(len(n) for n in names)
    lines.append(" " * label_w + "  " + "  ".join(s.rjust(width) for s in short))
    for name, row in zip(names, report["confusion"], strict=True):
        lines.append(name.ljust(label_w) + "  " + "  ".join(str(c).rjust(width) for c in row))
    return "\n".join(lines)
