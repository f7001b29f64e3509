"""Group entity mentions per real-world referent within one document.

``دونالد ترامب``, ``ترامب`` and ``الرئيس الأمريكى دونالد ترامب`` are one referent;
``كوريا الشمالية`` and ``كوريا الجنوبية`` are two. Mentions are compared on
their folded words (hamza, ى/ي, ة/ه, diacritics; the article ال is ignored):

- a mention whose words equal a referent's name joins it;
- a person or organisation mention whose words form a contiguous part of
  exactly one fuller referent name of the same label joins that referent
  (``ترامب`` -> ``دونالد ترامب``); when several fuller names fit, the one
  mentioned most recently before it wins, else it stands alone;
- places only merge on equal names (``كوريا`` is not ``كوريا الشمالية``).

A title or role written just before a person's name (``وزير الخارجية الأمريكى
مايك بومبيو``, ``المتحدثة باسم البيت الأبيض، سارة ساندرز``) is kept as one of the
referent's descriptions.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from khabar.doc import Doc, Span
from khabar.lang.ar.normalize import fold

NAME = "referents"

# Words that open a title or role before a name (folded: no hamza, ي for ى, ه for ة).
_TITLE_HEADS = frozenset(
    fold(w)
    for w in ["الرئيس", "رئيس", "الزعيم", "زعيم", "وزير", "وزيرة", "الوزير", "رئيسة", "الملك", "ملك", "الأمير", "أمير", "الشيخ", "ولي", "المتحدث", "المتحدثة", "متحدث", "متحدثة", "الناطق", "الناطقة", "السفير", "سفير", "المبعوث", "مبعوث", "الأمين", "أمين", "مدير", "مديرة", "المدير", "المديرة", "نائب", "النائب", "قائد", "القائد", "الجنرال", "اللواء", "العميد", "العقيد", "المستشار", "المستشارة", "مستشار", "مستشارة", "النجم", "النجمة", "المدرب", "مدرب", "اللاعب", "لاعب", "الكاتب", "الكاتبة", "الدكتور", "الدكتورة", "د.", "السيد", "السيدة", "المرشح", "المرشحة", "المفوض", "عضو", "العضو", "محافظ", "المحافظ"]
)
_MAX_TITLE_WORDS = 7


def _key_words(text: str) -> tuple[str, ...]:
    """Folded words of a mention, the article ال removed, for comparison."""
    words = []
    for w in fold(text).split():
        w = w.strip(".,;:!?\"'()")
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
        if w:
            words.append(w)
    return tuple(words)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return 0 < n < len(longer) and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _last_start_before(group: dict[str, Any], entities: list[Span], pos: int) -> int:
    """Start of the group's last mention before ``pos`` (-1 when none)."""
    return max((entities[m].start for m in group["mentions"] if entities[m].start < pos), default=-1)


def _description(doc: Doc, mention: Span, token_starts: list[int]) -> Span | None:
    """The title or role written just before a person mention, if any."""
    tokens = doc["tokens"]
    idx = bisect_left(token_starts, mention.start)  # the mention's first token
    if idx == len(tokens):
        return None
    sentence = tokens[idx].attrs.get("sentence")
    j = idx - 1
    if j >= 0 and doc.span_text(tokens[j]) in ("،", ","):
        j -= 1  # "المتحدثة باسم البيت الأبيض، سارة ساندرز"
    end_tok = j
    best: int | None = None
    while j >= 0 and end_tok - j < _MAX_TITLE_WORDS:
        tok = tokens[j]
        if tok.attrs.get("sentence") != sentence or tok.attrs.get("kind") != "arabic":
            break
        word = fold(doc.span_text(tok))
        if word.startswith("و") and word[1:] in _TITLE_HEADS:
            best = j  # "والرئيس": the conjunction stays out below
            break
        if word in _TITLE_HEADS:
            best = j
        j -= 1
    if best is None or end_tok < best:
        return None
    start = tokens[best].start
    first = doc.span_text(tokens[best])
    if fold(first).startswith("و") and fold(first)[1:] in _TITLE_HEADS:
        start += 1
    return Span(start, tokens[end_tok].end)


def _repaired_text(doc: Doc, span: Span) -> str:
    """The mention as it reads in the repaired view (glued words separated)."""
    return doc.repaired_text(span).strip()


def predict(doc: Doc) -> tuple[list[Span], list[dict[str, Any]]]:
    """Entities with a ``referent`` id, and the referents (id, label, name, mentions, descriptions)."""
    entities = doc["entities"]
    keys = [_key_words(_repaired_text(doc, e)) for e in entities]
    # Fullest mentions first, so short ones can attach to them; ties in text order.
    order = sorted(range(len(entities)), key=lambda i: (-len(keys[i]), entities[i].start))
    groups: list[dict[str, Any]] = []
    member_of: dict[int, int] = {}
    for i in order:
        ent, key = entities[i], keys[i]
        same = [g for g in groups if g["label"] == ent.label and g["key"] == key]
        target = same[0] if same else None
        if target is None and ent.label in ("PERS", "ORG"):
            fits = [g for g in groups if g["label"] == ent.label and _contains(g["key"], key)]
            if len(fits) > 1:  # several fuller names fit: the one mentioned last before this mention
                last = {id(g): _last_start_before(g, entities, ent.start) for g in fits}
                best = max(fits, key=lambda g: last[id(g)])
                fits = [best] if last[id(best)] >= 0 else []
            target = fits[0] if len(fits) == 1 else None
        if target is None:
            target = {"label": ent.label, "key": key, "name_mention": i, "mentions": []}
            groups.append(target)
        target["mentions"].append(i)
        member_of[i] = id(target)
    # Number referents in order of first mention.
    groups.sort(key=lambda g: min(entities[m].start for m in g["mentions"]))
    group_id = {id(g): n for n, g in enumerate(groups)}
    out_entities = [
        Span(e.start, e.end, e.label, {**e.attrs, "referent": group_id[member_of[i]]}) for i, e in enumerate(entities)
    ]
    referents: list[dict[str, Any]] = []
    token_starts = [t.start for t in doc["tokens"]]
    for n, g in enumerate(groups):
        mentions = sorted(g["mentions"], key=lambda m: entities[m].start)
        descriptions: list[dict[str, Any]] = []
        if g["label"] == "PERS":
            seen: set[str] = set()
            for m in mentions:
                d = _description(doc, entities[m], token_starts)
                if d is not None and fold(doc.span_text(d)) not in seen:
                    seen.add(fold(doc.span_text(d)))
                    descriptions.append(d.to_dict(doc.text))
        referents.append(
            {
                "id": n,
                "label": g["label"],
                "name": _repaired_text(doc, entities[g["name_mention"]]),
                "mentions": mentions,
                "descriptions": descriptions,
            }
        )
    return out_entities, referents


def set_annotations(doc: Doc, result: tuple[list[Span], list[dict[str, Any]]]) -> None:
    """Store the entities (with referent ids) and ``doc.values["referents"]``."""
    entities, referents = result
    doc.layers["entities"] = entities
    doc.values["referents"] = referents
