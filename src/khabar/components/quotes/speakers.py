"""Speakers: the speaker object of each quotation, explicit or resolved from context.

:func:`_resolve` walks the quotations in the order of their anchors (cue or opening
mark), keeping a history of speakers.
An explicit speaker is used as found; for continuations (``وأضاف``, ``مشيرة إلى أن``)
and unattributed quotations it looks, in order, for an earlier speaker in the same
sentence, the subject of the sentence's main clause, the subject of an unquoted
previous sentence, the latest speaker whose gender agrees, then a person named
nearby. Speakers are linked to their entity referents when there are any.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from khabar.components.quotes.content import _looks_like_verb, _Quote
from khabar.components.quotes.frames import _apposition, _Frame, _phrase, _plausible
from khabar.components.quotes.view import _fold, _View
from khabar.lang.ar import speech


def _compatible(a: str, b: str) -> bool:
    return not a or not b or a == b


def _resolve(v: _View, quotes: list[_Quote], frames: dict[int, _Frame]) -> list[dict[str, Any] | None]:
    """Speaker objects in quotation order; implicit ones from the history of speakers."""
    order = sorted(range(len(quotes)), key=lambda n: (quotes[n].anchor, quotes[n].start))
    out: list[dict[str, Any] | None] = [None] * len(quotes)
    history: list[tuple[int, tuple[int, int], str]] = []  # (anchor token, span, gender), anchors in order
    quoted: set[int] = set()  # sentences of the history's anchors
    named: dict[int, list[tuple[int, tuple[int, int], str]]] = {}  # speakers named by any cue, per sentence
    for i, fr in frames.items():
        if fr.speaker is not None and _can_head(_fold(v.text[fr.speaker[0] : fr.speaker[1]].split()[0])):
            named.setdefault(v.sent[i], []).append((i, fr.speaker, fr.cue.gender))
    for n in order:
        q = quotes[n]
        if q.speaker is not None:
            out[n] = _speaker_obj(v, q.speaker, implicit=False, before=None)
            # (a plural subject after a singular VSO verb, "وأكد المصابون": the speaker is plural)
            history.append((q.anchor, q.speaker, "p" if _plural_head(v, q.speaker) else q.gender))
            quoted.add(v.sent[min(q.anchor, v.n - 1)])
            continue
        if q.mode == "none":
            continue
        span, gender = _implicit(v, q, history, named, quoted)
        if span is None:
            continue
        out[n] = _speaker_obj(v, span, implicit=True, before=v.start[q.anchor] if q.anchor < v.n else None)
        history.append((q.anchor, span, gender or q.gender))
        quoted.add(v.sent[min(q.anchor, v.n - 1)])
    return out


def _implicit(
    v: _View,
    q: _Quote,
    history: list[tuple[int, tuple[int, int], str]],
    named: dict[int, list[tuple[int, tuple[int, int], str]]],
    quoted_sents: set[int],
) -> tuple[tuple[int, int] | None, str]:
    """The implicit speaker of ``q`` and its gender; ``history`` in anchor order, ``quoted_sents`` the
    sentences of its anchors."""
    anchor = min(q.anchor, v.n - 1)
    sent = v.sent[anchor]
    # 1. An earlier speaker in the same sentence ("قال X ...، مضيفا أن", "على لسان X ...، مضيفا").
    # (the history's anchors come in token order, so its entries in this sentence are at its end:
    # read back to the sentence before, not the whole history, which grows with the text)
    same = []
    for h in reversed(history):
        h_sent = v.sent[min(h[0], v.n - 1)]
        if h_sent < sent:
            break
        if h_sent == sent and h[0] < anchor:
            same.append(h)
    same += [h for h in named.get(sent, []) if h[0] < anchor]
    for _tok, span, gender in sorted(same, reverse=True):
        if _compatible(gender, q.gender):
            return span, gender
    # 2. The subject of the sentence's main clause ("تعهدت كوريا ... مؤكدة أن", "واجه ترامب ... بعدما قال إنه").
    first = v.sent_first.get(sent, anchor)
    if q.mode in ("clause", "verb") and anchor - first >= 2:
        found = _sentence_subject(v, first, anchor, clause=q.mode == "verb")
        # Right after the sentence's first verb the subject stands (VSO); further in, word order
        # is a weaker guide, and only a phrase that can speak is taken.
        lead = _after_opener(v, first, anchor)
        if found is not None and (found[0] <= v.end[min(lead + 2, v.n - 1)] or _plausible(v, found)):
            return found, ""
    # 3. A person who is the subject of the previous sentence, when that sentence quotes nobody
    #    ("وصعّد وزير الخارجية، بوريس جونسون، من حدة ... . وقال إن ...").
    if q.mode == "verb" and sent > 0 and sent - 1 in v.sent_first:
        prev_first = v.sent_first[sent - 1]
        quoted = (sent - 1) in quoted_sents or (sent - 1) in named
        if not quoted:
            found = _sentence_subject(v, prev_first, min(first, prev_first + 7), persons_only=True)
            if found is not None:
                return found, ""
            if q.gender == "p":
                # "من جانبهم، أشاد إعلاميون بالقرار. وقالوا إن": a plural subject for a plural verb
                found = _sentence_subject(v, prev_first, min(first, prev_first + 9))
                if found is not None and _plural_head(v, found):
                    return found, "p"
    # 4. The most recent speaker whose gender agrees.
    for _tok, span, gender in reversed(history):
        if _compatible(gender, q.gender):
            return span, gender
    # 5. A person named in this or the previous sentence.
    j = anchor - 1
    while j >= 0 and v.sent[j] >= sent - 1:
        k = v.tok_ent.get(j)
        if k is not None and v.entities[k].label == "PERS" and _can_head(v.fold[v.ent_first[k]]):
            return (v.entities[k].start, v.entities[k].end), ""
        j -= 1
    return None, ""


def _subject_at(v: _View, j: int, anchor: int) -> tuple[int, int] | None:
    """The subject of a clause that starts at token ``j``: after its verb (VSO) or the clause's first words (SVO)."""
    if j >= anchor or v.kind[j] != "arabic" or v.is_stop(j) or v.is_comp(j):
        return None
    while j + 1 < anchor and v.fold[j] in speech.PARTICLES:
        j += 1  # "ولا يكاد الجدل يتوقف", "كما علل الخبير": the verb follows the particle
    f = v.fold[j]
    s = j if f.startswith(("ال", "وال")) else j + 1  # SVO "الوزير قال" or VSO "واجه ترامب"
    if s >= anchor or v.inside[s] or _verb_like(v, s) or not _can_head(v.fold[s]):
        return None  # (words inside a quotation are the quoted speaker's, not the narrator's subject)
    k = v.tok_ent.get(s)
    if k is not None and v.ent_first[k] == s and v.ent_last[k] < anchor:
        return v.entities[k].start, v.entities[k].end
    e = s
    while (
        e < anchor
        and e - s < 4
        and v.kind[e] == "arabic"
        and not v.is_stop(e)
        and not v.is_comp(e)
        and speech.lookup(v.fold[e]) is None
        and not (e > s and v.fold[e].endswith("ا") and not v.fold[e].startswith("ال"))  # an object: سيلا
        and not (e > s and _verb_like(v, e))  # "الجدل يتوقف": the clause's verb ends its subject
    ):
        e += 1
    if e == s:
        return None
    name = _apposition(v, e, anchor)
    if name is not None and v.fold[s] in speech.TITLE_WORDS:
        return name
    start = v.start[s] + 1 if s == j and v.conj_clitic[s] else v.start[s]
    return start, v.end[e - 1]


def _after_opener(v: _View, first: int, anchor: int) -> int:
    """The first token after a sentence opener (``من جهتهم، أعرب``, ``من جهتهم أعرب``), else ``first``."""
    if first + 2 < anchor and v.fold[first] in ("من", "ومن") and v.fold[first + 1] in speech.SIDE_WORDS:
        return first + 3 if v.fold[first + 2] == "," else first + 2
    if v.fold[first] in speech.DISCOURSE_OPENERS or speech.is_topic_opener(v.fold[first]):
        for k in range(first, min(anchor, first + 8)):
            if v.fold[k] == ",":
                return min(k + 1, v.n - 1)
    return first


def _plural_head(v: _View, span: tuple[int, int]) -> bool:
    """True when the first word of ``span`` is a sound plural (``إعلاميون``, ``المشاركين``)."""
    words = v.text[span[0] : span[1]].split()
    if not words:
        return False
    f = _fold(words[0])
    stem = f.removeprefix("و").removeprefix("ال")[:-2]
    # (a stem of four letters at least: not أمين, حسين, الأمين)
    return f.endswith(("ون", "ين")) and len(stem) >= 4 and _can_head(f)


def _can_head(f: str) -> bool:
    """False for a folded word that never heads a speaker: an honorific pronoun, data, a quantifier,
    a demonstrative (``هذه المسألة``), a guidance word (``توجيهات الوزارة``)."""
    bare = f[1:] if f[:1] in ("و", "ف") and len(f) > 3 else f
    return bool(f) and not any(
        w in speech.HONORIFIC_PRONOUNS
        or w in speech.DATA_SUBJECTS
        or w in speech.QUANTIFIERS
        or w in speech.DEMONSTRATIVES
        or w in speech.DATA_WORDS
        for w in (f, bare)
    )


def _verb_like(v: _View, j: int) -> bool:
    """True when token ``j`` has the shape of a verb (``يتوقف``, ``وتمنى``), not of a noun."""
    f = v.fold[j]
    base = f[1:] if v.conj_clitic[j] else f
    return not base.startswith("ال") and base[:1] in ("ي", "ت") and _looks_like_verb(base)


def _sentence_subject(
    v: _View, first: int, anchor: int, persons_only: bool = False, clause: bool = False
) -> tuple[int, int] | None:
    """The subject of the main clause before ``anchor``, read from word order, else an entity."""
    if not persons_only and clause:
        # The clause just before ", وقال": "بدا المسؤول مطمئنا، وقال"
        end = anchor - 1 if anchor > first and v.fold[anchor - 1] == "," else anchor
        c = end - 1
        while c > first and v.fold[c] != ",":
            c -= 1
        # (a clause of its own starts with its verb: not "، أمانة حائل ما آلت إليه", an object running on)
        if c > first and end - c > 2 and (c + 1) not in v.tok_ent and not v.fold[c + 1].startswith("ال"):
            found = _subject_at(v, c + 1, end)
            if found is not None:
                return found
    if not persons_only:
        j = first
        while j < anchor and (v.inside[j] or v.kind[j] == "punct"):
            j += 1  # the end of a quotation that began in the sentence before is not the narrator's
        if j >= anchor:
            return None
        if j + 2 < anchor and v.fold[j] in ("من", "ومن") and v.fold[j + 1] in speech.SIDE_WORDS:
            j += 3 if v.fold[j + 2] == "," else 2  # "من جهتهم أعرب ذوو الشهداء": with or without its comma
        elif v.fold[j] in speech.DISCOURSE_OPENERS or speech.is_topic_opener(v.fold[j]):
            # "ومن جانبه، أوضح ...": skip the opener; "وعن موعد الافتتاح قال": a topic, no subject here
            for k in range(j, min(anchor, j + 8)):
                if v.fold[k] == ",":
                    j = k + 1
                    break
            else:
                return None
        elif v.fold[j] in ("اما", "واما") and j + 1 < anchor:
            # "أما المحامي فلان، فقد كتب ... قائلا": the topic of أما is the subject
            comma = next((c for c in range(j + 1, min(anchor, j + 10)) if v.fold[c] == ","), None)
            if comma is not None and comma > j + 1:
                last = v.tok_ent.get(comma - 1)
                if last is not None and v.ent_last[last] == comma - 1 and v.ent_first[last] > j:
                    return v.start[j + 1], v.entities[last].end
                return v.start[j + 1], v.end[comma - 1]
        elif v.fold[j] in speech.PARTICLES and j + 1 < anchor:  # "كما علل الخبير ذلك": particle, verb, subject
            return _subject_at(v, j, anchor)
        elif v.fold[j] in speech.CLAUSE_OPENERS and j + 1 < anchor:  # "لكن روسيل كذب ..."
            ent = v.tok_ent.get(j + 1)
            if ent is not None and v.ent_first[ent] == j + 1 and v.entities[ent].label in ("PERS", "ORG"):
                return v.entities[ent].start, v.entities[ent].end
            j += 1
            return _phrase(v, j, min(anchor, j + 3)) if v.fold[j][:2] != "ال" else _subject_at(v, j, anchor)
        found = _subject_at(v, j, anchor)
        if found is not None:
            return found
    best: tuple[int, int] | None = None
    best_rank = 9
    seen: set[int] = set()
    for j in range(first, anchor):
        found_k = v.tok_ent.get(j)
        if found_k is None or found_k in seen or v.inside[j]:
            continue
        k = found_k
        seen.add(k)
        rank = {"PERS": 0, "ORG": 1, "LOC": 2}.get(v.entities[k].label, 9)
        if persons_only and rank > 0 or not _can_head(v.fold[v.ent_first[k]]):
            continue  # (nor "سموه اعتزاز", an honorific pronoun tagged as a name)
        if rank < best_rank and not v.in_pp(k):
            best, best_rank = (v.entities[k].start, v.entities[k].end), rank
    return best


def _speaker_obj(v: _View, span: tuple[int, int], implicit: bool, before: int | None) -> dict[str, Any]:
    ref = v.referent_of.get(span)
    if ref is None:
        ref = v.referent_by_text.get(_fold(v.text[span[0] : span[1]]))
    if implicit and ref is not None and before is not None:
        # The latest mention of the same referent before the quotation.
        # (not a mention that starts with an honorific pronoun, "سموه": not an explicit mention)
        # (read back from ``before`` in the sorted mentions, by index, no copy of the earlier ones: the
        # first that fits is the latest)
        mentions = v.sorted_mentions(ref)
        for k in range(bisect_left(mentions, (before,)) - 1, -1, -1):
            m = mentions[k]
            words = v.text[m[0] : m[1]].split()
            if _can_head(_fold(words[0] if words else "")):
                span = m
                break
    return {
        "start": span[0],
        "end": span[1],
        "text": v.text[span[0] : span[1]],
        "referent": ref,
        "implicit": implicit,
    }
