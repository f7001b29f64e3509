"""Quotation evaluation: the development gold, matching and precision/recall/speaker accuracy.

The gold (``bench/gold/quotes_dev.jsonl``) holds offsets only; article texts are
read from ``../shared/data`` and checked against the recorded sha256:

- ``ant-v2.1-train`` / ``ant-v2.1-dev``: ``body.strip()`` where ``body`` lies between
  ``<TEXT>`` and ``</TEXT>`` of the ``<DOC>`` with that ``<DOCNO>`` in
  ``ant-multisource-v2.1/{train,dev}.trec.gz`` (regular expressions, not XML);
- ``ant-v1.1-train`` / ``ant-v1.1-dev``: the same, in ``ant-v1.1-jawharafm/{train,dev}.trec.gz``
  (the second gold, ``quotes_dev2.jsonl``);
- ``saudinewsnet``: ``content`` of element ``i`` of the JSON array in
  ``saudinewsnet/dataset/YYYY-MM-DD.zip`` (id ``YYYY-MM-DD:i``), unchanged.

Scoring (:func:`score`): quotations are compared per class, ``direct`` and
``indirect`` (``mixed`` counts as indirect). A prediction matches a gold quotation
when their content spans overlap by at least half of the longer span; matching
is one-to-one, greedy by overlap. Speaker accuracy is over matched pairs (any
class): the predicted speaker span overlaps the gold speaker span.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import time
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from khabar.errors import InputError

Item = tuple[str, str, list[dict[str, Any]]]  # (id, text, gold quotations)

_DOC = re.compile(r"<DOC>(.*?)</DOC>", re.DOTALL)
_DOCNO = re.compile(r"<DOCNO>(.*?)</DOCNO>", re.DOTALL)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
# corpus name -> (folder under data_dir, TREC file); v1.1 (JawharaFM) has the v2.1 layout
_ANT_FILES = {
    "ant-v2.1-train": ("ant-multisource-v2.1", "train.trec.gz"),
    "ant-v2.1-dev": ("ant-multisource-v2.1", "dev.trec.gz"),
    "ant-v1.1-train": ("ant-v1.1-jawharafm", "train.trec.gz"),
    "ant-v1.1-dev": ("ant-v1.1-jawharafm", "dev.trec.gz"),
}
_SNN_ID = re.compile(r"^(\d{4}-\d{2}-\d{2}):(\d+)$")
CLASSES = ("direct", "indirect")
#: The kinds each scored class holds. ``direct``/``indirect`` group by the marks (mixed with
#: indirect: the figures always given for the first gold, and the pairs speaker accuracy is
#: measured on); ``quoted``/``indirect-only`` are issue 13's classes (quoted = direct + mixed).
KINDS: dict[str, tuple[str, ...]] = {
    "direct": ("direct",),
    "indirect": ("indirect", "mixed"),
    "quoted": ("direct", "mixed"),
    "indirect-only": ("indirect",),
}


def _ant_texts(path: Path, wanted: set[str]) -> dict[str, str]:
    if not path.is_file():
        raise InputError(
            f"ANT corpus file {path} is missing",
            hint="pass --data pointing at ../shared/data (it holds ant-multisource-v2.1/ and ant-v1.1-jawharafm/)",
            code="K160",
        )
    try:
        raw = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read {path}: {exc}", hint="the file should be gzipped UTF-8 TREC", code="K160"
        ) from exc
    out: dict[str, str] = {}
    for m in _DOC.finditer(raw):
        body = m.group(1)
        no = _DOCNO.search(body)
        if no is None or no.group(1).strip() not in wanted:
            continue
        text = _TEXT.search(body)
        out[no.group(1).strip()] = text.group(1).strip() if text else ""
    return out


def _snn_text(folder: Path, ident: str, cache: dict[str, list[Any]]) -> str:
    m = _SNN_ID.match(ident)
    if m is None:
        raise InputError(f"bad SaudiNewsNet id {ident!r}", hint="ids look like 2015-07-21:12", code="K161")
    day, index = m.group(1), int(m.group(2))
    if day not in cache:
        path = folder / f"{day}.zip"
        if not path.is_file():
            raise InputError(
                f"SaudiNewsNet file {path} is missing",
                hint="pass --data pointing at ../shared/data (it holds saudinewsnet/dataset/)",
                code="K160",
            )
        with zipfile.ZipFile(path) as zf:
            name = next((n for n in zf.namelist() if n.endswith(".json")), None)
            if name is None:
                raise InputError(f"{path} holds no JSON file", hint="is this a SaudiNewsNet zip?", code="K160")
            cache[day] = json.loads(zf.read(name))
    articles = cache[day]
    if not 0 <= index < len(articles):
        raise InputError(f"{ident}: no article {index} in {day}.zip", hint="check the gold id", code="K161")
    return str(articles[index].get("content", ""))


def load_gold(gold_path: str | Path, data_dir: str | Path) -> list[Item]:
    """Read the quotation gold and the article texts it points at.

    Args:
        gold_path: ``quotes_dev.jsonl`` or ``quotes_dev2.jsonl``, one JSON object per article.
        data_dir: ``../shared/data`` (holds ``ant-multisource-v2.1/``, ``ant-v1.1-jawharafm/``
            and ``saudinewsnet/``).

    Returns:
        ``(id, text, quotations)`` per article, in file order.

    Raises:
        InputError: K160 when a file is missing or unreadable, K161 for a malformed gold line
            or unknown corpus, K162 when a text's sha256 differs from the gold's.
    """
    gold_path, data = Path(gold_path), Path(data_dir)
    if not gold_path.is_file():
        raise InputError(
            f"gold file {gold_path} is missing", hint="pass --gold bench/gold/quotes_dev.jsonl", code="K160"
        )
    records: list[dict[str, Any]] = []
    for n, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            _ = (obj["corpus"], obj["id"], obj["text_sha256"], obj["quotes"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(
                f"{gold_path}:{n}: not a gold record ({exc.__class__.__name__}: {exc})",
                hint='each line is {"corpus", "id", "text_sha256", "quotes": [...]}',
                code="K161",
            ) from exc
        records.append(obj)
    ant: dict[str, dict[str, str]] = {}
    for corpus, (folder, filename) in _ANT_FILES.items():
        wanted = {str(r["id"]) for r in records if r["corpus"] == corpus}
        if wanted:
            ant[corpus] = _ant_texts(data / folder / filename, wanted)
    snn: dict[str, list[Any]] = {}
    items: list[Item] = []
    for r in records:
        corpus, ident = r["corpus"], str(r["id"])
        if corpus in ant:
            if ident not in ant[corpus]:
                raise InputError(
                    f"{corpus}: no DOCNO {ident}", hint=f"is {_ANT_FILES[corpus][0]} the right release?", code="K161"
                )
            text = ant[corpus][ident]
        elif corpus == "saudinewsnet":
            text = _snn_text(data / "saudinewsnet" / "dataset", ident, snn)
        else:
            raise InputError(
                f"unknown corpus {corpus!r} for {ident}",
                hint="use ant-v2.1-train, ant-v2.1-dev, ant-v1.1-train, ant-v1.1-dev or saudinewsnet",
                code="K161",
            )
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest != r["text_sha256"]:
            raise InputError(
                f"{corpus} {ident}: text sha256 {digest[:12]}... differs from the gold's {str(r['text_sha256'])[:12]}...",
                hint="the shared data is another version than the one annotated",
                code="K162",
            )
        items.append((ident, text, list(r["quotes"])))
    return items


# ------------------------------------------------------------------ scoring
def _overlap(a: Sequence[int], b: Sequence[int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(gold: Sequence[Sequence[int]], pred: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs whose spans overlap by half the longer, greedy by overlap."""
    candidates = []
    for g, gs in enumerate(gold):
        for p, ps in enumerate(pred):
            ov = _overlap(gs, ps)
            if ov > 0 and 2 * ov >= max(gs[1] - gs[0], ps[1] - ps[0]):
                candidates.append((ov, g, p))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _ov, g, p in candidates:
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


def score(gold: Iterable[dict[str, Any]], pred: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts for one article: per class tp/gold/pred, speakers right/matched, and the matched pairs.

    Gold quotations use ``cue``/``speaker`` as ``[s, e]``; predictions are the JSON of the
    ``quotes`` layer (``speaker`` an object with start/end, or None).
    """
    gold, pred = list(gold), list(pred)
    out: dict[str, Any] = {"speaker_right": 0, "matched": 0, "misses": [], "false": []}
    for cls, kinds in KINDS.items():
        g_idx = [i for i, q in enumerate(gold) if q["kind"] in kinds]
        p_idx = [i for i, q in enumerate(pred) if q["kind"] in kinds]
        pairs = match(
            [(gold[i]["start"], gold[i]["end"]) for i in g_idx], [(pred[i]["start"], pred[i]["end"]) for i in p_idx]
        )
        out[cls] = {"tp": len(pairs), "gold": len(g_idx), "pred": len(p_idx)}
        if cls not in CLASSES:
            continue  # speakers, misses and false alarms once, over direct + indirect
        for g, p in pairs:
            gq, pq = gold[g_idx[g]], pred[p_idx[p]]
            out["matched"] += 1
            gs, ps = gq.get("speaker"), pq.get("speaker")
            if gs and ps and _overlap(gs, (ps["start"], ps["end"])) > 0 or not gs and not ps:
                out["speaker_right"] += 1
        hit_g = {g_idx[g] for g, _p in pairs}
        hit_p = {p_idx[p] for _g, p in pairs}
        out["misses"] += [gold[i] for i in g_idx if i not in hit_g]
        out["false"] += [pred[i] for i in p_idx if i not in hit_p]
    return out


def _prf(tp: int, n_gold: int, n_pred: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "gold": n_gold, "pred": n_pred}


def evaluate(gold_items: Sequence[Item], components: Sequence[str] = ("ner", "referents")) -> dict[str, Any]:
    """Run the quotation component over the gold articles and score it.

    Args:
        gold_items: from :func:`load_gold`.
        components: what runs before ``quotes`` (entities and referents by default).

    Returns:
        ``{"articles", "direct": {precision, recall, f1, tp, gold, pred}, "indirect": {...},
        "quoted": {...}, "indirect-only": {...},
        "speaker_accuracy", "speaker_matched", "seconds", "per_article": [...]}``.
    """
    from khabar.components import quotes
    from khabar.pipeline import Pipeline

    pipeline = Pipeline(components)
    totals = {cls: [0, 0, 0] for cls in KINDS}
    right = matched = 0
    per_article = []
    t0 = time.perf_counter()
    for ident, text, gold in gold_items:
        doc = pipeline.analyze(text)
        pred = [s.to_dict(doc.text) for s in quotes.predict(doc)]
        s = score(gold, pred)
        for cls in KINDS:
            totals[cls][0] += s[cls]["tp"]
            totals[cls][1] += s[cls]["gold"]
            totals[cls][2] += s[cls]["pred"]
        right += s["speaker_right"]
        matched += s["matched"]
        per_article.append({"id": ident, **{c: s[c] for c in CLASSES}, "misses": s["misses"], "false": s["false"]})
    report: dict[str, Any] = {"articles": len(gold_items)}
    for cls in KINDS:
        report[cls] = _prf(*totals[cls])
    report["speaker_accuracy"] = right / matched if matched else 0.0
    report["speaker_matched"] = matched
    report["seconds"] = time.perf_counter() - t0
    report["per_article"] = per_article
    return report


def format_report(report: dict[str, Any]) -> str:
    """A readable table of the report from :func:`evaluate`."""
    lines = [f"quotations on {report['articles']} articles (direct/indirect: mixed counted with indirect;"]
    lines.append("quoted/indirect-only: issue 13's classes, mixed counted with quoted)")
    lines.append(f"{'class':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'gold':>6}{'pred':>6}")
    for cls in KINDS:
        m = report[cls]
        lines.append(
            f"{cls:<14}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{m['tp']:>6}{m['gold']:>6}{m['pred']:>6}"
        )
    lines.append(
        f"speaker accuracy {report['speaker_accuracy']:.3f} over {report['speaker_matched']} matched quotations"
    )
    return "\n".join(lines)
