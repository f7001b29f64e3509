"""Quotations: who said what, as spans over the original text.

Three kinds of quotation go to the ``quotes`` layer:

- ``direct``: words inside quotation marks (the marks are excluded from the span),
  or after ``قال: ...`` with no marks;
- ``indirect``: a paraphrase after a speech verb, ``قال إن ...``, ``أشار إلى أن ...``,
  ``تعهدت الحكومة بـ...``, ``وبحسب المصدر، فإن ...``;
- ``mixed``: an indirect quotation with a quoted fragment inside (the fragment is
  not listed again on its own).

Each span carries ``kind``, ``cue`` (the speech verb or source phrase) and
``speaker``: the subject after the verb (VSO, ``وقال بومبيو``), the name after a
title (``المتحدثة باسم البيت الأبيض، سارة ساندرز``), the words before a bare colon
(``الوزير: «...»``), the phrase after ``بحسب``; or, for ``وأضاف``, ``مشيرة إلى أن``
and unattributed quotations, the most recent speaker whose gender agrees with the
verb (``implicit: true``, with the span of the latest earlier mention). Entities
and their referents are used when present, never required.

The work is one pass over the tokens with dictionary look-ups (cues are data in
:mod:`khabar.lang.ar.speech`), so the cost stays linear in the article length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from khabar.doc import Doc, Span
from khabar.lang.ar import speech
from khabar.lang.ar.normalize import fold

NAME = "quotes"

MAX_WINDOW = 20  # tokens between a speech verb and its complementizer, colon or quotation
MAX_SPEAKER_WORDS = 7
MAX_SUBJECT_WORDS = 2  # words of a reported clause before its quotation: still direct (أن الولايات المتحدة «...»)
MIN_UNCUED_WORDS = 6  # a quotation with no cue must be this long (shorter ones are names, titles)
SHORT_QUOTE = 3  # words: a quotation this short inside a speaker phrase is a name (لـ«الشرق الأوسط»)

_SENTENCE_END = frozenset(".!?\u2026") | {"..."}
_COMMAS = frozenset({",", ";", "-", "\u2013", "\u2014"})
_SINGLE_QUOTES = "'\u2018\u2019"
_SINGLE = re.compile(f"[{_SINGLE_QUOTES}]")
_WAS = frozenset({"كان", "وكان", "كانت", "وكانت", "فكان", "فكانت", "كانوا", "وكانوا"})
_HAD = frozenset({"قد", "لقد"})
_ON_TERMS = ("علي", "حد")  # على حد قوله (folded)
_REPORTED = frozenset({"جاء", "ورد", "نشر", "نشرت", "اورد", "اوردت"})


@lru_cache(maxsize=100_000)
def _fold(token: str) -> str:
    return fold(token)


@dataclass(slots=True)
class _Pair:
    """A quotation in marks: token indices of the marks and of its content."""

    open_tok: int | None  # the opening mark (or the colon before a stray closing mark)
    close_tok: int | None
    start: int  # content, in original offsets (marks excluded, spaces trimmed)
    end: int
    words: int
    stray: bool = False


@dataclass(slots=True)
class _Frame:
    """A cue and what follows it: the speaker phrase and how the content is introduced."""

    tok: int
    cue: speech.Cue
    cue_start: int
    cue_end: int
    intro: str  # "that" (أن/إن, or a ب phrase), "colon", "quote", "none"
    at: int  # token of the intro (or where the scan stopped)
    speaker: tuple[int, int] | None = None
    pair: int | None = None


@dataclass(slots=True)
class _Quote:
    kind: str
    start: int
    end: int
    anchor: int  # token the speaker is resolved from (the cue, else the opening mark)
    cue: tuple[int, int] | None
    gender: str
    speaker: tuple[int, int] | None  # explicit speaker
    mode: str  # how to find an implicit speaker: "clause", "verb", "continue", "none"


class _View:
    """Tokens of a Doc as parallel lists, with entities and quotation pairs indexed."""

    def __init__(self, doc: Doc) -> None:
        text = doc.text
        self.text = text
        tokens = doc["tokens"]
        self.n = len(tokens)
        self.start = [t.start for t in tokens]
        self.end = [t.end for t in tokens]
        self.kind = [str(t.attrs.get("kind", "")) for t in tokens]
        self.sent = [int(t.attrs.get("sentence", 0)) for t in tokens]
        self.fold = [_fold(text[s:e]) for s, e in zip(self.start, self.end, strict=True)]
        sentences = doc["sentences"]
        self.sent_para = [int(s.attrs.get("paragraph", 0)) for s in sentences]
        self.sent_first: dict[int, int] = {}
        for i, s in enumerate(self.sent):
            self.sent_first.setdefault(s, i)
        # Tokens that begin with the prepositions ب ل ك (a speaker is never inside them).
        self.prep_clitic = [False] * self.n
        self.conj_clitic = [False] * self.n  # the token starts with the conjunction و or ف
        for w in doc["words"]:
            if w.attrs.get("role") == "proclitic":
                form = w.attrs.get("form") or text[w.start : w.end]
                tok = w.attrs.get("token")
                if not isinstance(tok, int) or not 0 <= tok < self.n:
                    continue
                if form in ("ب", "ل", "ك"):
                    self.prep_clitic[tok] = True
                elif form in ("و", "ف") and w.start == self.start[tok]:
                    self.conj_clitic[tok] = True
        self._entities(doc)
        self._pairs(doc)

    # ------------------------------------------------------------ entities
    def _entities(self, doc: Doc) -> None:
        self.entities = [e for e in doc["entities"] if e.end > e.start]
        self.ent_first: list[int] = []
        self.ent_last: list[int] = []
        self.tok_ent: dict[int, int] = {}
        self.referent_of: dict[tuple[int, int], int] = {}
        self.mentions: dict[int, list[tuple[int, int]]] = {}
        self.referent_by_text: dict[str, int] = {}  # a speaker NER missed, named like a known mention
        for k, e in enumerate(self.entities):
            first = bisect_right(self.end, e.start)
            last = bisect_left(self.start, e.end) - 1
            self.ent_first.append(first)
            self.ent_last.append(last)
            for j in range(first, last + 1):
                self.tok_ent.setdefault(j, k)
            ref = e.attrs.get("referent")
            if isinstance(ref, int):
                self.referent_of[(e.start, e.end)] = ref
                self.mentions.setdefault(ref, []).append((e.start, e.end))
                if e.label in ("PERS", "ORG"):
                    self.referent_by_text.setdefault(_fold(self.text[e.start : e.end]), ref)

    # --------------------------------------------------------------- pairs
    def _pairs(self, doc: Doc) -> None:
        tok_at = {s: i for i, s in enumerate(self.start) if self.kind[i] == "punct"}
        raw: list[tuple[int | None, int | None, int]] = []  # open pos, close pos, end of span
        for q in doc["quote_pairs"]:
            o, c = q.attrs.get("open"), q.attrs.get("close")
            raw.append((o[0] if o else None, c[0] if c else None, q.end))
        if _SINGLE.search(self.text):
            raw.extend(_single_quote_pairs(self.text))
        pairs: list[_Pair] = []
        for o_pos, c_pos, span_end in sorted(raw, key=lambda r: r[0] if r[0] is not None else r[1] or 0):
            o_tok = tok_at.get(o_pos) if o_pos is not None else None
            c_tok = tok_at.get(c_pos) if c_pos is not None else None
            stray = False
            if o_pos is not None and o_tok is None or c_pos is not None and c_tok is None:
                continue
            if o_tok is not None:
                start = self.end[o_tok]
                end = self.start[c_tok] if c_tok is not None else span_end
            elif c_tok is not None:
                # A closing mark with no opening one: the quotation starts after a colon in the
                # same paragraph, else at the paragraph start.
                stray = True
                o_tok = self._stray_open(c_tok)
                start = self.end[o_tok] if o_tok is not None else self._para_start(c_tok)
                end = self.start[c_tok]
            else:
                continue
            while start < end and self.text[start].isspace():
                start += 1
            while end > start and self.text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            if pairs and pairs[-1].start <= start and end <= pairs[-1].end:
                continue  # nested inside the previous quotation
            lo = bisect_left(self.start, start)
            hi = bisect_left(self.start, end)
            words = sum(1 for j in range(lo, hi) if self.kind[j] != "punct")
            pairs.append(_Pair(o_tok, c_tok, start, end, words, stray))
        self.pairs = pairs
        self.pair_open = {p.open_tok: k for k, p in enumerate(pairs) if p.open_tok is not None and not p.stray}
        self.pair_close = {p.close_tok: k for k, p in enumerate(pairs) if p.close_tok is not None}
        # Tokens inside a quotation (a cue there belongs to the quoted speaker's words).
        self.inside = [False] * self.n
        for p in pairs:
            for j in range(bisect_left(self.start, p.start), bisect_left(self.start, p.end)):
                self.inside[j] = True

    def _stray_open(self, close: int) -> int | None:
        sent = self.sent[close]
        para = self.sent_para[sent] if sent < len(self.sent_para) else 0
        j = close - 1
        while j >= 0 and close - j < 80:
            if self.sent[j] < len(self.sent_para) and self.sent_para[self.sent[j]] != para:
                return None
            if self.fold[j] == ":":
                return j
            j -= 1
        return None

    def _para_start(self, close: int) -> int:
        sent = self.sent[close]
        para = self.sent_para[sent] if sent < len(self.sent_para) else 0
        j = close
        while j > 0 and self.sent[j - 1] < len(self.sent_para) and self.sent_para[self.sent[j - 1]] == para:
            j -= 1
        return self.start[j]

    # -------------------------------------------------------------- helpers
    def para(self, tok: int) -> int:
        s = self.sent[tok]
        return self.sent_para[s] if s < len(self.sent_para) else s

    def is_stop(self, j: int) -> bool:
        """A preposition, a ب/ل/ك-prefixed word or a time adverb: the end of a speaker phrase."""
        f = self.fold[j]
        return self.prep_clitic[j] or f in speech.PREPOSITIONS or f in speech.TIME_WORDS

    def is_comp(self, j: int) -> bool:
        return self.fold[j] in speech.COMPLEMENTIZERS and not (
            j > 0 and self.fold[j - 1] in speech.NOT_BEFORE_COMPLEMENTIZER
        )

    def in_pp(self, k: int) -> bool:
        """True when entity ``k`` is the object of a preposition (``لوزارة``, ``في سول``)."""
        first = self.ent_first[k]
        if first < self.n and self.start[first] < self.entities[k].start:
            prefix = self.fold[first][: self.entities[k].start - self.start[first]]
            if any(ch in prefix for ch in "بلك"):
                return True
        return first > 0 and self.fold[first - 1] in speech.PREPOSITIONS

    def short_name_quote(self, j: int) -> int | None:
        """If ``j`` opens a short quotation that names something, the token after it.

        A name in marks follows a preposition or a naming noun (``بـ«الجبانة»``,
        ``صحيفة «الحياة»``) or is followed by more words (``شركة «نتفليكس» للبث``).
        """
        k = self.pair_open.get(j)
        if k is None:
            return None
        p = self.pairs[k]
        if p.close_tok is None or p.words > SHORT_QUOTE:
            return None
        after = p.close_tok + 1
        if j > 0 and self.sent[j - 1] == self.sent[j] and self.names_next(j - 1):
            return after
        if after >= self.n or self.sent[after] != self.sent[j] or self.kind[after] == "punct":
            return None
        return after

    def names_next(self, j: int) -> bool:
        """True when token ``j`` introduces a name rather than speech (a preposition, a naming noun)."""
        f = self.fold[j]
        if f in speech.PREPOSITIONS or f in speech.NAMING_NOUNS:
            return True
        if f[:1] in ("و", "ب", "ل", "ك") and f[1:] in speech.NAMING_NOUNS:
            return True
        return self.prep_clitic[j] and self.kind[j] == "arabic" and len(f) <= 2


def _single_quote_pairs(text: str) -> list[tuple[int | None, int | None, int]]:
    """Pair ' ‘ ’ marks per paragraph from their context (apostrophes inside words are skipped)."""
    out: list[tuple[int | None, int | None, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        pending: int | None = None
        for m in _SINGLE.finditer(text, para.start(), para.end()):
            i = m.start()
            before = text[i - 1] if i > para.start() else " "
            after = text[i + 1] if i + 1 < para.end() else " "
            if (before.isspace() or before in ":(") and after.isalpha() and pending is None:
                pending = i
            elif pending is not None and (after.isspace() or not after.isalnum()) and not before.isspace():
                out.append((pending, i, i + 1))
                pending = None
    return out


# ------------------------------------------------------------------ frames
def _cue_at(v: _View, j: int) -> tuple[speech.Cue, int] | None:
    """The cue starting at token ``j`` and the token where it ends (multi-word sources)."""
    if v.kind[j] != "arabic":
        return None
    f = v.fold[j]
    cue = speech.lookup(f)
    if cue is not None:
        return cue, j
    bare = f[1:] if f[:1] == "و" and f[1:] in speech.SOURCE_PAIRS else f
    need = speech.SOURCE_PAIRS.get(bare)
    if need is not None and j + 1 < v.n and v.fold[j + 1].startswith(need):
        clitic = len(f) - len(bare)
        # "وفقا لوزارة": the cue takes the ل, the speaker starts after it.
        return speech.Cue(bare, speech.SOURCE, "", (), clitic), j + 1
    return None


def _scan(v: _View, i: int, cue: speech.Cue) -> tuple[str, int, int | None]:
    """From a verb at ``i``: ("that"|"colon"|"quote"|"none", token, pair) for what introduces the content."""
    sent = v.sent[i]
    first_comp: int | None = None
    limit = min(v.n, i + 1 + MAX_WINDOW)
    j = i + 1
    while j < limit:
        if v.sent[j] != sent:
            break
        f = v.fold[j]
        if v.kind[j] == "punct":
            if f == ":":
                return ("that", first_comp, None) if first_comp is not None else ("colon", j, None)
            if f in _SENTENCE_END:
                break
            k = v.pair_open.get(j)
            if k is not None:
                after = v.short_name_quote(j)
                p = v.pairs[k]
                if after is None and j > i + 1 and p.words <= SHORT_QUOTE and p.close_tok is not None:
                    after = p.close_tok + 1  # "أعلنت شركة «ويتبريد»، ...": a name, not the speech
                if after is not None:
                    j = after
                    continue
                return ("that", first_comp, None) if first_comp is not None else ("quote", j, k)
            j += 1
            continue
        if cue.preps and f in cue.preps and j + 1 < v.n and v.is_comp(j + 1):
            return "that", j + 1, None
        if v.is_comp(j):
            if not cue.preps:
                return "that", j, None
            if first_comp is None:
                first_comp = j
        elif cue.lemma in speech.BA_COMPLEMENT and v.prep_clitic[j] and f[:1] == "ب" and j > i + 1:
            return "that", j, None
        elif j > i + 1 and (c := speech.lookup(f)) is not None and c.kind != speech.SOURCE:
            break  # another speech verb: its own frame
        j += 1
    if first_comp is not None:
        return "that", first_comp, None
    return "none", j, None


def _phrase(v: _View, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker phrase in tokens ``[lo, hi)``: a leading noun phrase, or a title/source word after a PP."""
    j = lo
    k = v.pair_open.get(j)
    if k is not None and v.pairs[k].words <= SHORT_QUOTE:
        return v.pairs[k].start, v.pairs[k].end  # 'أعلنت "غلينكور" أن': the name in marks
    if j < hi and v.fold[j] in speech.NOT_SPEAKERS:
        return None  # "وتابع قوله"
    if j < hi and (v.is_stop(j) or v.kind[j] == "punct"):
        # A prepositional phrase first ("قال لوكالة الأنباء مسؤول"): look for a speaker head after it.
        while j < hi and not (
            v.kind[j] == "arabic"
            and not v.is_stop(j)
            and (v.fold[j] in speech.TITLE_WORDS or v.fold[j] in speech.ANONYMOUS)
            and v.fold[j] not in speech.DOCUMENTS
            and v.fold[j][2:] not in speech.DOCUMENTS
        ):
            j += 1
        if j >= hi:
            return None
    first = j
    last = -1
    while j < hi and j - first < MAX_SPEAKER_WORDS:
        if v.kind[j] == "punct":
            after = v.short_name_quote(j)
            if after is not None and after <= hi:
                last = after - 1
                j = after
                continue
            break
        if v.is_stop(j) or v.is_comp(j) or v.fold[j] in speech.NOT_SPEAKERS:
            break
        c = speech.lookup(v.fold[j])
        if c is not None and c.kind != speech.SOURCE:
            break
        last = j
        j += 1
    if last < first:
        return None
    head = v.fold[first]
    # "المتحدثة باسم البيت الأبيض، سارة ساندرز": the name after the title, between commas.
    name = _apposition(v, last + 1, hi)
    if name is not None:
        return name
    if head in speech.TITLE_WORDS and j < hi and v.prep_clitic[j]:
        # "نائب المدير العام للشؤون المالية جاسم الهويدي": the name after the title's complement.
        e = j + 1
        while e < hi and e - j < 4 and v.kind[e] == "arabic" and v.fold[e].startswith(("ال", "لل")):
            e += 1
        n = e
        while n < hi and n - e < 3 and v.kind[n] == "arabic" and not v.is_stop(n) and not v.is_comp(n):
            n += 1
        if e < n and not v.fold[e].startswith("ال") and (n >= hi or v.kind[n] == "punct" or v.is_stop(n)):
            return v.start[e], v.end[n - 1]
    if last == first and head in speech.DOCUMENTS and j < hi and v.prep_clitic[j] and v.fold[j][:1] == "ل":
        # "بيان لنقابة المعلمين": the organisation speaks through its statement.
        e = j + 1
        while e < hi and e - j < 4 and v.kind[e] == "arabic" and v.fold[e].startswith("ال") and not v.is_comp(e):
            e += 1
        return v.start[j] + 1, v.end[e - 1]
    return v.start[first], v.end[last]


def _apposition(v: _View, j: int, hi: int) -> tuple[int, int] | None:
    """A short name between commas that ends the speaker window (``...، بريان كلاس:``)."""
    while j < hi and v.fold[j] != ",":
        if v.kind[j] == "punct" and v.fold[j] not in ("-", '"'):
            return None
        j += 1
    if j >= hi:
        return None
    first = j + 1
    k = first
    while k < hi and v.kind[k] == "arabic" and not v.is_stop(k) and not v.is_comp(k):
        k += 1
    n = k - first
    closed = k >= hi or v.fold[k] == ","
    if 1 <= n <= 4 and closed and not v.fold[first].startswith("ال") and v.fold[first] not in speech.RELATIVES:
        return None if speech.lookup(v.fold[first]) is not None else (v.start[first], v.end[k - 1])
    return None


def _preverbal(v: _View, i: int) -> tuple[int, int] | None:
    """The subject written before a verb (SVO): ``ستيفن واغنر، قال``, ``لكن بوتين ومسؤولي فيفا قالوا``."""
    if v.conj_clitic[i] or i == 0:
        return None
    sent = v.sent[i]
    end = i - 1
    if v.fold[end] == ",":
        end -= 1
    for _ in range(2):  # skip one relative clause ("X، الذي يدرّس ...، أكد")
        j = end
        while (
            j >= 0 and end - j < 6 and v.sent[j] == sent and v.fold[j] != "," and v.fold[j] not in speech.CLAUSE_OPENERS
        ):
            j -= 1
        first = j + 1
        if first > end or j >= 0 and v.fold[j] == "و":
            return None  # nothing before the verb, or one conjunct of a list ('و"بيجو" نفت')
        if any(v.fold[t] in speech.CLAUSE_BREAKS for t in range(first, end + 1)):
            return None  # "لكنه أكد": a pronoun subject
        if v.fold[first] in speech.RELATIVES and j >= 0 and v.fold[j] == ",":
            end = j - 1
            continue
        ents = sorted({v.tok_ent[t] for t in range(first, end + 1) if t in v.tok_ent}, key=lambda k: v.ent_first[k])
        for label in ("PERS", "ORG"):
            for k in ents:
                if v.entities[k].label == label and not v.in_pp(k) and v.ent_last[k] <= end:
                    return v.entities[k].start, v.entities[k].end
        plain = all(v.kind[t] in ("arabic", "punct") and not v.is_stop(t) for t in range(first, end + 1))
        if plain and end - first < 4 and speech.lookup(v.fold[first]) is None and v.kind[first] == "arabic":
            return v.start[first], v.end[end]
        return None
    return None


def _entity_start(v: _View, j: int) -> bool:
    k = v.tok_ent.get(j)
    return k is not None and v.ent_first[k] == j and v.entities[k].label in ("PERS", "ORG")


def _genitive(v: _View, k: int, lo: int) -> bool:
    """True for a person named as the complement of a noun (``مستشار خامنئي``), not the head."""
    first = v.ent_first[k]
    if first <= lo:
        return False
    prev = first - 1
    f = v.fold[prev]
    return (
        v.kind[prev] == "arabic"
        and not f.startswith(("ال", "وال"))
        and prev not in v.tok_ent
        and f not in speech.TITLE_WORDS - {"مستشار", "نائب", "مدير", "عضو", "محافظ"}
    )


def _explicit_speaker(v: _View, lo: int, hi: int, lemma: str = "") -> tuple[int, int] | None:
    """The speaker named in tokens ``[lo, hi)``: a person entity, else the leading phrase, else an entity."""
    if lemma == "نقل":  # "نقلت الوكالة عن مسؤول قوله": the speaker follows عن
        for j in range(lo, hi):
            if v.fold[j] == "عن":
                lo = j + 1
                break
    if hi <= lo:
        return None
    candidates = sorted(
        k
        for k in {v.tok_ent[j] for j in range(lo, hi) if j in v.tok_ent}
        if v.ent_last[k] < hi and v.ent_first[k] >= lo and not v.inside[v.ent_first[k]]
    )
    candidates.sort(key=lambda k: v.ent_first[k])
    for k in candidates:
        if v.entities[k].label == "PERS" and not v.in_pp(k) and not _genitive(v, k, lo):
            return v.entities[k].start, v.entities[k].end
    phrase = _phrase(v, lo, hi)
    if phrase is not None:
        # An entity that is the whole phrase, or starts it: keep the entity's own span.
        for k in candidates:
            e = v.entities[k]
            if e.start == phrase[0] and e.end >= phrase[1]:
                return e.start, e.end
        return phrase
    for k in candidates:
        if not v.in_pp(k):
            return v.entities[k].start, v.entities[k].end
    return None


def _frames(v: _View) -> dict[int, _Frame]:
    frames: dict[int, _Frame] = {}
    for i in range(v.n):
        if v.inside[i]:
            continue
        found = _cue_at(v, i)
        if found is None:
            continue
        cue, last = found
        cue_start = v.start[i]  # the conjunction و/ف stays with the cue (وأضاف)
        cue_end = v.end[last]
        if cue.kind == speech.SOURCE:
            lo = last + 1
            if v.fold[last][:1] == "ل" and len(v.fold[last]) > 1 and v.fold[last] != "لسان":
                cue_end = v.start[last] + 1  # "وفقا لوزارة": ل is part of the cue
                lo = last
            hi = lo
            while hi < v.n and v.sent[hi] == v.sent[i] and v.fold[hi] not in _COMMAS | _SENTENCE_END | {":"}:
                hi += 1
            if lo < hi and v.fold[lo] == "ما":  # "بحسب ما جاء في بيان المنظمة", "وفق ما ذكرت"
                lo += 1
                if lo < hi and v.fold[lo] in _REPORTED:
                    lo += 1
            nxt = speech.lookup(v.fold[lo]) if lo < v.n else None
            if nxt is not None and nxt.kind == speech.VERB:  # "حسبما ذكرت الوكالة"
                cue_end = v.end[lo]
                lo += 1
            if (
                lo + 1 < hi
                and v.fold[lo] in speech.PREPOSITIONS
                and v.fold[lo + 1].removeprefix("ال") in speech.DOCUMENTS
            ):
                lo += 2  # "في بيان المنظمة": the statement's author speaks
            speaker = None
            if lo < hi:
                speaker = _explicit_speaker(v, lo, min(hi, lo + MAX_SPEAKER_WORDS))
                if speaker is not None and speaker[0] < cue_end:
                    speaker = (cue_end, speaker[1])
            frames[i] = _Frame(i, cue, cue_start, cue_end, "none", hi, speaker)
            continue
        intro, at, pair = _scan(v, i, cue)
        if i + 1 < v.n and v.fold[i + 1] in cue.preps:
            cue_end = v.end[i + 1]  # "مشيرا إلى"
        if cue.kind == speech.PARTICIPLE:
            if intro == "none" or at > i + 6:
                continue  # "مؤكدا" with no content after it is an adverb of manner
            frames[i] = _Frame(i, cue, cue_start, cue_end, intro, at, None, pair)
            continue
        speaker = _explicit_speaker(v, i + 1, at, cue.lemma)
        if cue.lemma == "وصف" and speaker is not None and v.tok_ent.get(i + 1) is None:
            speaker = None  # "ووصف الادعاءات بأنها ...": the word after وصف is its object
        if speaker is None:
            speaker = _preverbal(v, i)
        if speaker is None and i >= 2 and v.fold[i - 1] in _HAD:
            # "وكان الوزير قد قال إن": the subject sits between كان and قد.
            for j in range(i - 2, max(-1, i - 10), -1):
                if v.fold[j] in _WAS:
                    speaker = _explicit_speaker(v, j + 1, i - 1)
                    break
        frames[i] = _Frame(i, cue, cue_start, cue_end, intro, at, speaker, pair)
    return frames


# ---------------------------------------------------------------- content
def _breaks_clause(v: _View, j: int, j0: int, frames: dict[int, _Frame]) -> bool:
    """True when token ``j`` starts a new clause: a new cue, a narrator add-on, a post-posed source."""
    if j <= j0:
        return False
    prev = v.fold[j - 1]
    f = v.fold[j]
    cue = speech.lookup(f)
    if cue is not None and cue.kind == speech.PARTICIPLE:
        return True
    if cue is not None and cue.kind == speech.VERB and (cue.clitic or prev in _COMMAS):
        return True
    nxt = v.fold[j + 1] if j + 1 < v.n else ""
    if f in speech.CLAUSE_BREAKS and (prev in _COMMAS or speech.lookup(nxt) is not None):
        return True
    after_mark = j - 1 in v.pair_close
    if (prev in _COMMAS or after_mark) and (
        f in speech.NARRATIVE_AFTER_COMMA or f == "في" and nxt in speech.NARRATOR_AFTER_FI
    ):
        return True  # "، وكانت ... قد", "، في أعقاب ...", '"..." في إشارة إلى'
    fr = frames.get(j)
    return fr is not None and fr.cue.kind == speech.SOURCE and prev in _COMMAS


def _clause_end(v: _View, j0: int, frames: dict[int, _Frame], stop_at_colon: bool = True) -> int:
    """Last token of the content that starts at ``j0`` (before the sentence end or the next clause)."""
    sent = v.sent[j0] if j0 < v.n else -1
    last = j0 - 1
    j = j0
    while j < v.n:
        if v.sent[j] != sent:
            break
        k = v.pair_open.get(j)
        if k is not None:
            p = v.pairs[k]
            close = p.close_tok if p.close_tok is not None else bisect_left(v.start, p.end) - 1
            last = max(last, close)
            j = close + 1
            if j < v.n and v.sent[j] != sent and v.sent[j] == v.sent[close]:
                sent = v.sent[close]  # the quotation crossed a sentence end
            continue
        f = v.fold[j]
        if v.kind[j] == "punct":
            if f in _SENTENCE_END or f == ":" and stop_at_colon:
                break
            j += 1
            continue
        if _breaks_clause(v, j, j0, frames):
            break
        last = j
        j += 1
    return last


def _words(v: _View, lo: int, hi: int) -> int:
    return sum(1 for j in range(lo, hi + 1) if v.kind[j] != "punct")


def _continues(v: _View, j: int, sent: int) -> bool:
    """True when the clause goes on at token ``j``, after a closing mark, with more reported words."""
    if j >= v.n or v.sent[j] != sent or v.kind[j] == "punct":
        return False
    f = v.fold[j]
    if f in ("و", "ف") or f in speech.CLAUSE_BREAKS or f in speech.NARRATOR_PREPS or speech.lookup(f) is not None:
        return False
    if f in speech.NARRATIVE_AFTER_COMMA:
        return False
    return not (f == "في" and j + 1 < v.n and v.fold[j + 1] in speech.NARRATOR_AFTER_FI)


def _content(v: _View, j0: int, last: int, used: set[int]) -> tuple[str, int, int]:
    """Kind and span of reported content in tokens ``[j0, last]``: indirect, mixed, or direct when one
    quotation is the whole clause (``قال إنه «...»``, ``أن الولايات المتحدة «...»``)."""
    inner = [v.pair_open[j] for j in range(j0, last + 1) if j in v.pair_open and v.pair_open[j] not in used]
    start, end = v.start[j0], v.end[last]
    if not inner:
        return "indirect", start, end
    used.update(inner)
    p = v.pairs[inner[0]]
    assert p.open_tok is not None  # pairs in pair_open have an opening mark
    lead = v.text[start : v.start[p.open_tok]].split()
    before = len(lead)
    # The whole clause is the quotation, or all of it but a short subject (أن الولايات المتحدة «...»):
    # the marks hold the reported words themselves, so the quotation is direct. A preposition
    # just before the marks means the quotation starts mid-phrase (في «...»): that stays mixed.
    subject_only = before <= MAX_SUBJECT_WORDS and not (lead and fold(lead[-1]) in speech.PREPOSITIONS)
    if len(inner) == 1:
        after = p.close_tok + 1 if p.close_tok is not None else last + 1
        if subject_only and (after > last or not _continues(v, after, v.sent[min(after, v.n - 1)])):
            return "direct", p.start, p.end
        if before > 0 and p.words <= 1:
            return "indirect", start, end  # a name in marks does not make the clause mixed
    return "mixed", start, end


def _find_quotes(v: _View, frames: dict[int, _Frame]) -> list[_Quote]:
    quotes: list[_Quote] = []
    used: set[int] = set()  # pairs already part of a quotation
    covered = -1  # tokens up to here are inside an emitted quotation

    def add_direct(k: int, i: int, fr: _Frame, mode: str) -> None:
        """A direct quotation, and the ones joined to it by و (``قال "..." و"..."``)."""
        nonlocal covered
        while True:
            p = v.pairs[k]
            used.add(k)
            quotes.append(
                _Quote("direct", p.start, p.end, i, (fr.cue_start, fr.cue_end), fr.cue.gender, fr.speaker, mode)
            )
            close = p.close_tok if p.close_tok is not None else bisect_left(v.start, p.end)
            covered = max(covered, close)
            nxt = v.pair_open.get(close + 2) if close + 2 < v.n and v.fold[close + 1] == "و" else None
            if nxt is None or nxt in used:
                return
            k = nxt

    for i in sorted(frames):
        fr = frames[i]
        if i <= covered or fr.cue.kind == speech.SOURCE:
            continue
        mode = "clause" if fr.cue.kind == speech.PARTICIPLE else "verb"
        cue_span = (fr.cue_start, fr.cue_end)
        if fr.intro == "quote" and fr.pair is not None and fr.pair not in used:
            p = v.pairs[fr.pair]
            assert p.open_tok is not None
            after = p.close_tok + 1 if p.close_tok is not None else v.n
            if p.close_tok is not None and _continues(v, after, v.sent[p.close_tok]):
                # 'وقال "لا أستطيع أن أستبعد" إمكانية نشوب حرب': the clause goes on after the marks.
                last = _clause_end(v, p.open_tok, frames)
                kind, start, end = _content(v, p.open_tok, last, used)
                quotes.append(_Quote("mixed", v.start[p.open_tok], end, i, cue_span, fr.cue.gender, fr.speaker, mode))
                covered = max(covered, last)
            else:
                add_direct(fr.pair, i, fr, mode)
        elif fr.intro == "colon":
            j = fr.at + 1
            comp = j < v.n and v.is_comp(j)
            if comp and j + 1 < v.n and (j + 1) in v.pair_open:
                j += 1  # "كتب على موقعه: أن «...»"
            k = v.pair_open.get(j)
            if k is None:
                k = next((n for n, p in enumerate(v.pairs) if p.stray and p.open_tok == fr.at), None)
            if k is not None and k not in used:
                add_direct(k, i, fr, mode)
            elif k is None and j < v.n and v.sent[j] == v.sent[fr.at]:
                if comp:  # "قال: إن ..." is reported, not quoted
                    j0 = j + 1 if v.fold[j] in ("ان", "بان", "فان") else j
                    last = _clause_end(v, j0, frames)
                    if last >= j0:
                        kind, start, end = _content(v, j0, last, used)
                        quotes.append(_Quote(kind, start, end, i, cue_span, fr.cue.gender, fr.speaker, mode))
                        covered = max(covered, last)
                    continue
                last = _clause_end(v, j, frames, stop_at_colon=False)
                if _words(v, j, last) >= 3:  # "وقال الوزير: الحكومة ستعمل ..." (no marks)
                    kind, start, end = _content(v, j, last, used)
                    kind = "direct" if kind == "indirect" else kind
                    quotes.append(_Quote(kind, start, end, i, cue_span, fr.cue.gender, fr.speaker, mode))
                    covered = max(covered, last)
        elif fr.intro == "that":
            comp_tok = fr.at
            j0 = comp_tok + 1 if v.fold[comp_tok] in speech.COMPLEMENTIZERS else comp_tok  # a ب phrase: kept
            if j0 >= v.n or v.sent[j0] != v.sent[comp_tok]:
                continue
            last = _clause_end(v, j0, frames)
            if last < j0:
                continue
            kind, start, end = _content(v, j0, last, used)
            quotes.append(_Quote(kind, start, end, i, cue_span, fr.cue.gender, fr.speaker, mode))
            covered = max(covered, last)
    _source_quotes(v, frames, quotes, used)
    _attribute_pairs(v, frames, quotes, used)
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _attribute_pairs(v: _View, frames: dict[int, _Frame], quotes: list[_Quote], used: set[int]) -> None:
    """Quotations in marks not introduced by a verb: a cue after them, a bare colon, or none."""
    taken = [(q.start, q.end) for q in quotes]
    for k, p in enumerate(v.pairs):
        if k in used or any(s < p.end and p.start < e for s, e in taken):
            continue
        open_tok = p.open_tok
        after = p.close_tok + 1 if p.close_tok is not None else v.n
        while after < v.n and v.fold[after] in _COMMAS:
            after += 1
        near = p.close_tok is not None and after < v.n and after - p.close_tok <= 3
        fr = frames.get(after) if near else None
        anchor = open_tok if open_tok is not None else max(0, (p.close_tok or 0))
        if fr is not None and fr.cue.kind != speech.PARTICIPLE and fr.intro == "none" and p.words >= 2:
            # «...»، قال الوزير / «...»، بحسب المصدر
            mode = "verb" if fr.cue.kind == speech.VERB else "none"
            cue = (fr.cue_start, fr.cue_end)
            quotes.append(_Quote("direct", p.start, p.end, fr.tok, cue, fr.cue.gender, fr.speaker, mode))
            continue
        on_terms = near and after + 2 < v.n and (v.fold[after], v.fold[after + 1]) == _ON_TERMS
        if on_terms and v.fold[after + 2] in speech.AS_HE_SAID:  # «...»، على حد قوله
            cue = (v.start[after], v.end[after + 2])
            quotes.append(_Quote("direct", p.start, p.end, after, cue, "", None, "continue"))
            continue
        if p.words < 1 or open_tok is None:
            continue
        if open_tok > 0 and v.fold[open_tok - 1] == ":" and not p.stray:
            speaker = _colon_speaker(v, open_tok - 1)
            if speaker is not None or p.words >= 3:
                quotes.append(_Quote("direct", p.start, p.end, open_tok, None, "", speaker, "continue"))
            continue
        if p.words < MIN_UNCUED_WORDS or p.stray:
            continue
        if open_tok > 0 and v.names_next(open_tok - 1):
            continue  # "في «...»", "كتاب «...»": a name or a title
        before = v.text[v.start[open_tok] - 1] if v.start[open_tok] > 0 else " "
        if not (before.isspace() or before in "(:\u060c,"):
            continue  # a mark glued to the word before it closes something: the pairing is unsure
        lo, hi = bisect_left(v.start, p.start), bisect_left(v.start, p.end)
        if any(
            (c := speech.lookup(v.fold[j])) is not None and c.clitic and c.kind == speech.VERB for j in range(lo, hi)
        ):
            continue  # narrative ("وأوضح المتحدث أن ...") between two unrelated marks
        quotes.append(_Quote("direct", p.start, p.end, anchor, None, "", None, "continue"))


def _colon_speaker(v: _View, colon: int) -> tuple[int, int] | None:
    """The words before a bare colon (``الوزير: «...»``), when they are short and name someone."""
    sent = v.sent[colon]
    j = colon - 1
    first = colon
    while j >= 0 and colon - j <= 4 and v.sent[j] == sent and v.kind[j] == "arabic" and not v.is_stop(j):
        first = j
        j -= 1
    if first == colon:
        return None
    k = v.tok_ent.get(colon - 1)
    if k is not None and v.ent_last[k] == colon - 1:
        return v.entities[k].start, v.entities[k].end
    if j >= 0 and v.sent[j] == sent and v.kind[j] == "arabic":
        return None  # a longer clause ends at the colon, not a name
    return v.start[first], v.end[colon - 1]


def _source_quotes(v: _View, frames: dict[int, _Frame], quotes: list[_Quote], used: set[int]) -> None:
    """``وبحسب المصدر، فإن ...`` (content after) and ``...، بحسب المصدر.`` (content before)."""
    taken = [(q.start, q.end) for q in quotes]
    for i, fr in sorted(frames.items()):
        if fr.cue.kind != speech.SOURCE or fr.speaker is None:
            continue
        head = _fold(v.text[fr.speaker[0] : fr.speaker[1]]).split()
        if not head or head[0] in speech.DATA_WORDS or head[0][1:] in speech.DATA_WORDS:
            continue  # "بحسب الإحصاءات": data, not a speaker
        if any(s <= v.start[i] < e for s, e in taken):
            continue
        first = v.sent_first.get(v.sent[i], i)
        lo = hi = -1
        if i - first <= 1:  # sentence-initial: the content follows the source phrase
            j = fr.at
            while j < v.n and v.fold[j] in _COMMAS:
                j += 1
            if j < v.n and v.sent[j] == v.sent[i]:
                lo = j + 1 if v.fold[j] in ("فان", "ان") else j
                hi = _clause_end(v, lo, frames) if lo < v.n else -1
        else:
            at_end = fr.at >= v.n or v.sent[fr.at] != v.sent[i] or v.fold[fr.at] in _SENTENCE_END
            if at_end or v.fold[i - 1] in _COMMAS:  # post-posed: the content precedes it
                lo, hi = first, i - 1
                while hi >= lo and v.kind[hi] == "punct" and hi not in v.pair_close:
                    hi -= 1
                # The clause the source is attached to: after the last comma ("...، وكان عدد ... وفقا لـ").
                for c in range(hi - 3, lo, -1):
                    if v.fold[c] in (",", ";") and not v.inside[c]:
                        lo = c + 1
                        break
                if lo <= hi and v.fold[lo] in ("حيث", "اذ"):
                    lo += 1
        if lo < 0 or hi < lo or _words(v, lo, hi) < 3:
            continue
        kind, start, end = _content(v, lo, hi, set(used))
        if lo < i and v.conj_clitic[lo] and start == v.start[lo]:
            start += 1  # "واستغرق العمل ... وفقا للمخرج": the conjunction is the narrator's
        if any(s < end and start < e for s, e in taken):
            continue
        _content(v, lo, hi, used)
        taken.append((start, end))
        quotes.append(_Quote(kind, start, end, i, (fr.cue_start, fr.cue_end), "", fr.speaker, "none"))


# --------------------------------------------------------------- speakers
def _compatible(a: str, b: str) -> bool:
    return not a or not b or a == b


def _resolve(v: _View, quotes: list[_Quote], frames: dict[int, _Frame]) -> list[dict[str, Any] | None]:
    """Speaker objects in quotation order; implicit ones from the history of speakers."""
    order = sorted(range(len(quotes)), key=lambda n: (quotes[n].anchor, quotes[n].start))
    out: list[dict[str, Any] | None] = [None] * len(quotes)
    history: list[tuple[int, tuple[int, int], str]] = []  # (anchor token, span, gender)
    named: dict[int, list[tuple[int, tuple[int, int], str]]] = {}  # speakers named by any cue, per sentence
    for i, fr in frames.items():
        if fr.speaker is not None:
            named.setdefault(v.sent[i], []).append((i, fr.speaker, fr.cue.gender))
    for n in order:
        q = quotes[n]
        if q.speaker is not None:
            out[n] = _speaker_obj(v, q.speaker, implicit=False, before=None)
            history.append((q.anchor, q.speaker, q.gender))
            continue
        if q.mode == "none":
            continue
        span, gender = _implicit(v, q, history, named)
        if span is None:
            continue
        out[n] = _speaker_obj(v, span, implicit=True, before=v.start[q.anchor] if q.anchor < v.n else None)
        history.append((q.anchor, span, gender or q.gender))
    return out


def _implicit(
    v: _View,
    q: _Quote,
    history: list[tuple[int, tuple[int, int], str]],
    named: dict[int, list[tuple[int, tuple[int, int], str]]],
) -> tuple[tuple[int, int] | None, str]:
    anchor = min(q.anchor, v.n - 1)
    sent = v.sent[anchor]
    # 1. An earlier speaker in the same sentence ("قال X ...، مضيفا أن", "على لسان X ...، مضيفا").
    same = [h for h in history if v.sent[min(h[0], v.n - 1)] == sent and h[0] < anchor]
    same += [h for h in named.get(sent, []) if h[0] < anchor]
    for _tok, span, gender in sorted(same, reverse=True):
        if _compatible(gender, q.gender):
            return span, gender
    # 2. The subject of the sentence's main clause ("تعهدت كوريا ... مؤكدة أن", "واجه ترامب ... بعدما قال إنه").
    first = v.sent_first.get(sent, anchor)
    if q.mode in ("clause", "verb") and anchor - first >= 2:
        found = _sentence_subject(v, first, anchor, clause=q.mode == "verb")
        if found is not None:
            return found, ""
    # 3. A person who is the subject of the previous sentence, when that sentence quotes nobody
    #    ("وصعّد وزير الخارجية، بوريس جونسون، من حدة ... . وقال إن ...").
    if q.mode == "verb" and sent > 0 and sent - 1 in v.sent_first:
        prev_first = v.sent_first[sent - 1]
        quoted = any(v.sent[min(h[0], v.n - 1)] == sent - 1 for h in history) or (sent - 1) in named
        if not quoted:
            found = _sentence_subject(v, prev_first, min(first, prev_first + 7), persons_only=True)
            if found is not None:
                return found, ""
    # 4. The most recent speaker whose gender agrees.
    for _tok, span, gender in reversed(history):
        if _compatible(gender, q.gender):
            return span, gender
    # 5. A person named in this or the previous sentence.
    j = anchor - 1
    while j >= 0 and v.sent[j] >= sent - 1:
        k = v.tok_ent.get(j)
        if k is not None and v.entities[k].label == "PERS":
            return (v.entities[k].start, v.entities[k].end), ""
        j -= 1
    return None, ""


def _subject_at(v: _View, j: int, anchor: int) -> tuple[int, int] | None:
    """The subject of a clause that starts at token ``j``: after its verb (VSO) or the clause's first words (SVO)."""
    if j >= anchor or v.kind[j] != "arabic" or v.is_stop(j) or v.is_comp(j):
        return None
    f = v.fold[j]
    s = j if f.startswith(("ال", "وال")) else j + 1  # SVO "الوزير قال" or VSO "واجه ترامب"
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
    ):
        e += 1
    if e == s:
        return None
    name = _apposition(v, e, anchor)
    if name is not None and v.fold[s] in speech.TITLE_WORDS:
        return name
    start = v.start[s] + 1 if s == j and v.conj_clitic[s] else v.start[s]
    return start, v.end[e - 1]


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
        if c > first and end - c > 2:
            found = _subject_at(v, c + 1, end)
            if found is not None:
                return found
    if not persons_only:
        j = first
        if v.fold[j] in speech.DISCOURSE_OPENERS:  # "ومن جانبه، أوضح ...": skip the opener
            for k in range(first, min(anchor, first + 8)):
                if v.fold[k] == ",":
                    j = k + 1
                    break
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
        if persons_only and rank > 0:
            continue
        if rank < best_rank and not v.in_pp(k):
            best, best_rank = (v.entities[k].start, v.entities[k].end), rank
    return best


def _speaker_obj(v: _View, span: tuple[int, int], implicit: bool, before: int | None) -> dict[str, Any]:
    ref = v.referent_of.get(span)
    if ref is None:
        ref = v.referent_by_text.get(_fold(v.text[span[0] : span[1]]))
    if implicit and ref is not None and before is not None:
        # The latest mention of the same referent before the quotation.
        earlier = [m for m in v.mentions.get(ref, []) if m[0] < before]
        if earlier:
            span = max(earlier)
    return {
        "start": span[0],
        "end": span[1],
        "text": v.text[span[0] : span[1]],
        "referent": ref,
        "implicit": implicit,
    }


# ------------------------------------------------------------------- API
def predict(doc: Doc) -> list[Span]:
    """The quotations of ``doc`` (segmented; entities and referents used when present)."""
    if not doc["tokens"]:
        return []
    v = _View(doc)
    frames = _frames(v)
    quotes = _find_quotes(v, frames)
    speakers = _resolve(v, quotes, frames)
    spans: list[Span] = []
    for q, speaker in zip(quotes, speakers, strict=True):
        cue = None if q.cue is None else {"start": q.cue[0], "end": q.cue[1], "text": doc.text[q.cue[0] : q.cue[1]]}
        spans.append(Span(q.start, q.end, "", {"kind": q.kind, "cue": cue, "speaker": speaker}))
    return spans


def set_annotations(doc: Doc, spans: list[Span]) -> None:
    """Store the ``quotes`` layer on ``doc``."""
    doc.layers["quotes"] = spans


def find_quotes(doc: Doc) -> Doc:
    """Run the component on ``doc`` and return it."""
    set_annotations(doc, predict(doc))
    return doc
