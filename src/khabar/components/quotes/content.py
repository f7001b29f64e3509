"""Content: the quotation spans of a text and their kind (direct, indirect, mixed).

From the frames, :func:`_find_quotes` reads what each cue introduces: the words in
marks after a verb or a colon (direct), the clause after a complementizer (indirect,
or mixed when it holds a quoted fragment), quotations in marks with a cue after them
or a bare colon before them, and source phrases (``وبحسب المصدر، فإن ...``) with their
content before or after. Each becomes a :class:`_Quote` carrying its anchor token, cue,
explicit speaker if any, and how an implicit speaker is to be found.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from khabar.components.quotes.frames import _Frame
from khabar.components.quotes.view import _COMMAS, SHORT_QUOTE, _fold, _View
from khabar.lang.ar import speech
from khabar.lang.ar.normalize import fold

MAX_SUBJECT_WORDS = 2  # words of a reported clause before its quotation: still direct (أن الولايات المتحدة «...»)
MIN_UNCUED_WORDS = 6  # a quotation with no cue must be this long (shorter ones are names, titles)

_ON_TERMS = ("علي", "حد")  # على حد قوله (folded)


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


class _Taken:
    """Spans already taken by quotations: whether one overlaps a span, or holds an offset.

    Kept as a staircase: the spans no other span covers from the left (none with ``s' <= s`` and
    ``e' >= e``), sorted by start, so their ends rise too and the largest end of a span starting
    before an offset is the end of the last such span before it: one bisect per question (checking
    every pair or source against every quotation does not grow with the square of the text, nor a
    tree's depth with the length of the text). A new span drops the steps it covers.
    """

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        starts, ends = self.starts, self.ends
        k = bisect_right(starts, start)  # the steps at or before ``start`` are below k
        if k and ends[k - 1] >= end:
            return  # covered by a span that starts no later and ends no earlier
        lo = k
        while lo and starts[lo - 1] == start:  # (same start, a smaller end: covered by the new span)
            lo -= 1
        hi = k
        while hi < len(starts) and ends[hi] <= end:
            hi += 1  # steps after it that end no later: covered by the new span
        starts[lo:hi] = [start]
        ends[lo:hi] = [end]

    def _max_end_before(self, t: int) -> int:
        """The largest end of a span that starts before offset ``t`` (-1 when none)."""
        k = bisect_left(self.starts, t)
        return self.ends[k - 1] if k else -1

    def overlaps(self, start: int, end: int) -> bool:
        """True when a span ``(s, e)`` has ``s < end and start < e``."""
        return self._max_end_before(end) > start

    def holds(self, x: int) -> bool:
        """True when a span ``(s, e)`` has ``s <= x < e``."""
        return self._max_end_before(x + 1) > x


def _taken(v: _View, quotes: list[_Quote]) -> _Taken:
    taken = _Taken()
    for q in quotes:
        taken.add(q.start, q.end)
    return taken


def _breaks_clause(v: _View, j: int, j0: int, frames: dict[int, _Frame]) -> bool:
    """True when token ``j`` starts a new clause: a new cue, a narrator add-on, a post-posed source."""
    if j <= j0:
        return False
    prev = v.fold[j - 1]
    f = v.fold[j]
    cue = speech.lookup(f)
    nxt = v.fold[j + 1] if j + 1 < v.n else ""
    # "، معبرين عن شكرهم", "... متهمة الوزيرة بـ", "مشيرا إلى": not "معلقة على ارتفاع" (hanging)
    if (
        cue is not None
        and cue.kind == speech.PARTICIPLE
        and (prev in _COMMAS or j in frames or nxt in cue.preps or j + 1 < v.n and v.is_comp(j + 1))
    ):
        return True
    if cue is not None and cue.kind == speech.VERB and (cue.clitic or prev in _COMMAS):
        return True
    if f in speech.CLAUSE_BREAKS and (prev in _COMMAS or speech.lookup(nxt) is not None):
        return True
    after_mark = j - 1 in v.pair_close
    if (prev in _COMMAS or after_mark) and (
        f in speech.NARRATIVE_AFTER_COMMA or f == "في" and nxt in speech.NARRATOR_AFTER_FI
    ):
        return True  # "، وكانت ... قد", "، في أعقاب ...", '"..." في إشارة إلى'
    joiner = f in speech.CLAUSE_JOINERS or f in ("في", "وفي") and nxt == "حين"
    if (prev in _COMMAS or f in ("بينما", "وبينما")) and joiner and nxt not in speech.NOT_AFTER_JOINER:
        return True  # (بينما opens a clause of its own even without a comma)  # "، كما أعلن ...", "، فيما بدأت ...": the narrator goes on
    # "، وتمنى لهم التوفيق": the speaker's own next act ends the content; a verb with a subject of
    # its own ("، وأظهرت النتائج ...") or a clause ("، واتضح أنه ...") goes on reporting.
    if (
        prev in _COMMAS
        and v.conj_clitic[j]
        and _looks_like_verb(f[1:])
        and f[1:] not in speech.COMPLEMENTIZERS
        and not (nxt.startswith(("ال", "لل")) or j + 1 < v.n and v.is_comp(j + 1))
    ):
        return True
    fr = frames.get(j)
    return fr is not None and fr.cue.kind == speech.SOURCE and prev in _COMMAS


def _looks_like_verb(base: str) -> bool:
    """True when a folded word (its و removed) has the shape of a finite verb: ``تمني``, ``يعمل``, ``قامت``.

    Shape only (no lexicon): an imperfect or derived-form prefix (ي ت ا أ) or a feminine past ending
    (ت), without the article, a feminine or plural noun ending (ة ات ون ين) or the masdar ``تفعيل``
    and plural ``أفعال`` patterns (``تطوير``, ``أسعار``). Used only after ``، و``.
    """
    n = len(base)
    if not 3 <= n <= 6 or base.startswith("ال") or base.endswith(("ه", "ات", "ين", "ون", "اء")):
        return False  # (ة folds to ه)
    if base in speech.NOT_VERBS:
        return False
    if base[0] == "ت":
        return not (n == 5 and base[3] == "ي") and not (n >= 5 and base[2] == "ا")  # تطوير, تقارير
    if base[0] in "اأ":
        return n >= 4 and not (n == 5 and base[3] == "ا")  # أسعار
    if base[0] == "ي":
        return n >= 4
    return n in (4, 5) and base.endswith("ت") and base[-2] != "ا"  # قامت, عادت (not ... ات)


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
            if f == ":" and stop_at_colon or v.ends_sentence(j):
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
    if f in ("و", "ف", "لكن", "ولكن") or f in speech.CLAUSE_BREAKS or f in speech.NARRATOR_PREPS:
        return False
    if speech.lookup(f) is not None:
        return False
    if f in speech.NARRATIVE_AFTER_COMMA:
        return False
    return not (f == "في" and j + 1 < v.n and v.fold[j + 1] in speech.NARRATOR_AFTER_FI)


def _named(v: _View, j: int) -> bool:
    """True for a short quotation at token ``j`` that names something after a naming noun or ``مثل``
    (``مثل «اللوائح الفيدرالية الأمريكية»``, ``بطولة «كوبا أميركا»``): a name, not quoted wording."""
    if j == 0 or v.pairs[v.pair_open[j]].words > SHORT_QUOTE:
        return False
    f = v.fold[j - 1]
    bare = f[1:] if f[:1] in ("و", "ب", "ل", "ك") else f
    return f in speech.NAMING_NOUNS or bare in speech.NAMING_NOUNS or bare in ("مثل", "ومثل")


def _content(v: _View, j0: int, last: int, used: set[int]) -> tuple[str, int, int]:
    """Kind and span of reported content in tokens ``[j0, last]``: indirect, mixed, or direct when one
    quotation is the whole clause (``قال إنه «...»``, ``أن الولايات المتحدة «...»``)."""
    inner = [
        v.pair_open[j]
        for j in range(j0, last + 1)
        if j in v.pair_open and v.pair_open[j] not in used and not _named(v, j)
    ]
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
            close = p.close_tok if p.close_tok is not None else bisect_left(v.start, p.end) - 1
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
                k = v.stray_pair_at(fr.at)
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
            # After أن/إن or a separate preposition (دعا إلى ...) the content starts; a ب phrase is kept whole.
            skip = v.fold[comp_tok] in speech.COMPLEMENTIZERS or v.fold[comp_tok] in fr.cue.complement
            j0 = comp_tok + 1 if skip else comp_tok
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
    taken = _taken(v, quotes)
    for k, p in enumerate(v.pairs):
        if k in used or taken.overlaps(p.start, p.end):
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
        naming = _naming_verb(v, open_tok)
        if naming is not None and not p.stray:
            # 'انتقد النائب ما أسماه بـ"فنادق الأشباح"': the speaker's own words for it, in marks.
            cue = (v.start[naming], v.end[naming])
            quotes.append(_Quote("direct", p.start, p.end, naming, cue, "", None, "clause"))
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


def _naming_verb(v: _View, open_tok: int) -> int | None:
    """The naming verb before a quotation mark (``ما أسماه بـ«``, ``ما وصفه بـ"``, ``ما سماه "``), or None."""
    j = open_tok - 1
    if j >= 0 and v.fold[j] == "ب":
        j -= 1
    if j < 0 or v.sent[j] != v.sent[open_tok]:
        return None
    f = v.fold[j]
    if f in speech.NAMING_VERBS or f in speech.AS_HE_SAID and j > 0 and v.fold[j - 1] in ("ما", "بما"):
        return j
    return None


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
    taken = _taken(v, quotes)
    for i, fr in sorted(frames.items()):
        if fr.cue.kind != speech.SOURCE or fr.speaker is None:
            continue
        head = _fold(v.text[fr.speaker[0] : fr.speaker[1]]).split()
        if not head or head[0] in speech.DATA_WORDS or head[0][1:] in speech.DATA_WORDS:
            continue  # "بحسب الإحصاءات": data, not a speaker
        if taken.holds(v.start[i]):
            continue
        first = v.sent_first.get(v.sent[i], i)
        lo = hi = -1
        if i - first <= 1:  # sentence-initial: the content follows the source phrase
            j = fr.at
            while j < v.n and v.fold[j] in _COMMAS:
                j += 1
            nxt = frames.get(j)
            if nxt is not None and nxt.cue.kind == speech.VERB:
                continue  # "وبحسب الوكالة، قال المتحدث: ...": the verb's own frame gives the quotation
            if j < v.n and v.sent[j] == v.sent[i]:
                lo = j + 1 if v.fold[j] in ("فان", "ان") else j
                hi = _clause_end(v, lo, frames) if lo < v.n else -1
        else:
            at_end = fr.at >= v.n or v.sent[fr.at] != v.sent[i] or v.ends_sentence(fr.at)
            if at_end or v.fold[i - 1] in _COMMAS:  # post-posed: the content precedes it
                lo, hi = first, i - 1
                while hi >= lo and v.kind[hi] == "punct" and hi not in v.pair_close:
                    hi -= 1
                # The clause the source is attached to: after the last comma ("...، وكان عدد ... وفقا لـ"),
                # or the whole sentence when a comma sets the source off ("...، وفقا لوكالة رويترز").
                set_off = v.fold[i - 1] in _COMMAS
                for c in range(hi - 3, lo, -1) if not set_off else ():
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
        if taken.overlaps(start, end):
            continue
        _content(v, lo, hi, used)
        taken.add(start, end)
        quotes.append(_Quote(kind, start, end, i, (fr.cue_start, fr.cue_end), "", fr.speaker, "none"))
