"""Group entity mentions per real-world referent within one document.

``دونالد ترامب``, ``ترامب`` and ``الرئيس الأمريكى دونالد ترامب`` are one referent;
``كوريا الشمالية`` and ``كوريا الجنوبية`` are two. Mentions are compared on
their folded words (hamza, ى/ي, ة/ه, diacritics; the article ال is ignored):

- a mention whose words equal a referent's name joins it;
- a person or organisation mention whose words form a contiguous part of
  exactly one fuller referent name of the same label joins that referent
  (``ترامب`` -> ``دونالد ترامب``); when several fuller names fit, the one
  mentioned most recently before it wins, else it stands alone;
- places only merge on equal names (``كوريا`` is not ``كوريا الشمالية``);
- people's names are compared with transliterated words spelt alike
  (:func:`~khabar.lang.ar.transliteration.variant_name`: ``ميشال بلاتيني`` is
  ``ميشيل بلاتيني``; ``جمال`` is not ``جميل``, ``نايف عبدالله`` not ``نواف عبدالله``).

A title or role written just before a person's name (``وزير الخارجية الأمريكى
مايك بومبيو``, ``المتحدثة باسم البيت الأبيض، سارة ساندرز``) is kept as one of the
referent's descriptions.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from operator import attrgetter
from typing import Any

from khabar.doc import Doc, Span
from khabar.gcpause import gc_paused
from khabar.lang.ar.normalize import fold
from khabar.lang.ar.transliteration import variant_name

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


def _parts(key: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every contiguous part of ``key`` shorter than it (the keys a fuller name can absorb)."""
    n = len(key)
    return {key[i : i + k] for k in range(1, n) for i in range(n - k + 1)}


def _part_starts(
    index: dict[tuple[str, tuple[str, ...]], list[tuple[int, int]]],
    part: tuple[str, tuple[str, ...]],
    fits: list[dict[str, Any]],
) -> list[tuple[int, int]]:
    """The sorted (start, group number) of every mention so far of the groups that hold ``part``
    (built on first use, then kept up to date as mentions join those groups)."""
    starts = index.get(part)
    if starts is None:
        starts = index[part] = sorted((s, g["n"]) for g in fits for s in g["starts"])
    return starts


_START = attrgetter("start")


def _description(doc: Doc, mention: Span) -> Span | None:
    """The title or role written just before a person mention, if any."""
    tokens = doc["tokens"]
    # the mention's first token (a search, not a list of all token starts: a long text's
    # cost stays with its mentions)
    idx = bisect_left(tokens, mention.start, key=_START)
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


def _repaired_texts(doc: Doc, spans: list[Span]) -> list[str]:
    """Each mention as it reads in the repaired view (glued words separated), stripped:
    ``doc.repaired_text(span).strip()``, with the repaired view and its map read once."""
    if not doc.edits:
        text = doc.text
        return [text[s.start : s.end].strip() for s in spans]
    repaired = doc.repaired
    to_derived = doc.repaired_map.to_derived
    return [repaired[to_derived(s.start) : to_derived(s.end)].strip() for s in spans]


@gc_paused
def predict(doc: Doc) -> tuple[list[Span], list[dict[str, Any]]]:
    """Entities with a ``referent`` id, and the referents (id, label, name, mentions, descriptions)."""
    entities = doc["entities"]
    texts = _repaired_texts(doc, entities)
    key_of: dict[str, tuple[str, ...]] = {}  # (a name is mentioned many times)
    keys = []
    for t in texts:
        key = key_of.get(t)
        if key is None:
            key = key_of[t] = _key_words(t)
        keys.append(key)
    # a transliterated name spelt two ways is one person (ميشال / ميشيل بلاتيني): people's
    # names meet under their variant key too
    variant_of: dict[tuple[str, ...], tuple[str, ...]] = {}
    variants = []
    for k, e in zip(keys, entities):
        if e.label != "PERS":
            variants.append(k)
            continue
        v = variant_of.get(k)
        if v is None:
            v = variant_of[k] = variant_name(k)
        variants.append(v)
    # Fullest mentions first, so short ones can attach to them; ties in text order.
    order = sorted(range(len(entities)), key=lambda i: (-len(keys[i]), entities[i].start))
    groups: list[dict[str, Any]] = []
    member_of: dict[int, int] = {}
    # Indexes instead of scans over all groups (linear in the mentions): the group of each
    # (label, key), per (label, part) the groups whose key holds that part, and, once two
    # groups hold a part, the starts of all their mentions with the group of each (so "the one
    # mentioned last before" is one search, not one per group: a long text has many).
    by_key: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    by_part: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    part_starts: dict[tuple[str, tuple[str, ...]], list[tuple[int, int]]] = {}
    for i in order:
        ent, key, variant = entities[i], keys[i], variants[i]
        target = by_key.get((ent.label, key)) or by_key.get((ent.label, variant))
        if target is None and ent.label in ("PERS", "ORG"):
            fits = by_part.get((ent.label, key), [])
            if len(fits) > 1:  # several fuller names fit: the one mentioned last before this mention
                starts = _part_starts(part_starts, (ent.label, key), fits)
                before = bisect_left(starts, (ent.start, -1))
                fits = [groups[starts[before - 1][1]]] if before else []
            target = fits[0] if len(fits) == 1 else None
        if target is None:
            target = {"label": ent.label, "key": key, "name_mention": i, "mentions": [], "starts": [], "n": len(groups)}
            target["parts"] = _parts(key) if ent.label in ("PERS", "ORG") else ()
            groups.append(target)
            by_key[(ent.label, key)] = target
            by_key.setdefault((ent.label, variant), target)
            for part in target["parts"]:
                by_part.setdefault((ent.label, part), []).append(target)
        target["mentions"].append(i)
        insort(target["starts"], ent.start)
        for part in target["parts"]:
            indexed = part_starts.get((ent.label, part))
            if indexed is not None:
                insort(indexed, (ent.start, target["n"]))
        member_of[i] = id(target)
    # Number referents in order of first mention.
    groups.sort(key=lambda g: g["starts"][0])
    group_id = {id(g): n for n, g in enumerate(groups)}
    out_entities = [
        Span(e.start, e.end, e.label, {**e.attrs, "referent": group_id[member_of[i]]}) for i, e in enumerate(entities)
    ]
    referents: list[dict[str, Any]] = []
    for n, g in enumerate(groups):
        mentions = sorted(g["mentions"], key=lambda m: entities[m].start)
        descriptions: list[dict[str, Any]] = []
        if g["label"] == "PERS":
            seen: set[str] = set()
            for m in mentions:
                d = _description(doc, entities[m])
                if d is not None and fold(doc.span_text(d)) not in seen:
                    seen.add(fold(doc.span_text(d)))
                    descriptions.append(d.to_dict(doc.text))
        referents.append(
            {
                "id": n,
                "label": g["label"],
                "name": texts[g["name_mention"]],
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
