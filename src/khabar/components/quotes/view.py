"""The token view the quotation rules read: a Doc's tokens as parallel lists, indexed.

:class:`_View` turns the ``tokens``, ``sentences``, ``words``, ``entities`` and
``quote_pairs`` layers into flat lists (folded forms, sentence and paragraph of each
token, clitic flags), maps entities onto tokens with their referents, and pairs the
quotation marks (including single ``'`` marks and closing marks with no opening one)
into :class:`_Pair` records with their content spans. It also holds the constants and
the cached folding shared by the frame, content and speaker steps.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from khabar.doc import Doc
from khabar.lang.ar import abbreviations, speech
from khabar.lang.ar.normalize import fold
from khabar.memo import MAX_MEMO_CHARS, MEMO_MAXSIZE, short_memo

SHORT_QUOTE = 3  # words: a quotation this short inside a speaker phrase is a name (لـ«الشرق الأوسط»)

_SENTENCE_END = frozenset(".!?\u2026") | {"..."}
_COMMAS = frozenset({",", ";", "-", "\u2013", "\u2014"})
_SINGLE_QUOTES = "'\u2018\u2019"
_SINGLE = re.compile(f"[{_SINGLE_QUOTES}]")


@short_memo(maxsize=100_000)  # tokens over MAX_MEMO_CHARS are not memoised
def _fold(token: str) -> str:
    return fold(token)


_FOLD_BLOCK = 2048  # tokens folded at a time (a long article's token strings are not all made at once)

# Folded tokens of the views built so far (short tokens only; emptied when it reaches
# MEMO_MAXSIZE): a plain dict read in one pass, cheaper than a memoised call per token.
_FOLDED: dict[str, str] = {}


def _fold_all(words: list[str]) -> list[str]:
    """``[fold(w) for w in words]``."""
    get = _FOLDED.get
    out = [get(w) for w in words]
    if None in out:
        if len(_FOLDED) > MEMO_MAXSIZE:
            _FOLDED.clear()
        for i, f in enumerate(out):
            if f is None:
                w = words[i]
                f = out[i] = fold(w)
                if len(w) <= MAX_MEMO_CHARS:
                    _FOLDED[w] = f
    return out  # type: ignore[return-value]  # (no None left)


@dataclass(slots=True)
class _Pair:
    """A quotation in marks: token indices of the marks and of its content."""

    open_tok: int | None  # the opening mark (or the colon before a stray closing mark)
    close_tok: int | None
    start: int  # content, in original offsets (marks excluded, spaces trimmed)
    end: int
    words: int
    stray: bool = False


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
        # Folded a block of tokens at a time: the block's token strings are let go before the next
        # block is cut, so a long text never holds a second copy of all its tokens at once.
        fold: list[str] = []
        starts, ends = self.start, self.end
        for lo in range(0, self.n, _FOLD_BLOCK):
            hi = lo + _FOLD_BLOCK
            fold += _fold_all([text[s:e] for s, e in zip(starts[lo:hi], ends[lo:hi], strict=True)])
        self.fold = fold
        sentences = doc["sentences"]
        self.sent_para = [int(s.attrs.get("paragraph", 0)) for s in sentences]
        self.sent_first: dict[int, int] = {}
        prev = None
        for i, s in enumerate(self.sent):
            if s != prev:  # (a sentence's first token is where its number changes)
                self.sent_first.setdefault(s, i)
                prev = s
        # Tokens that begin with the prepositions ب ل ك (a speaker is never inside them).
        self.prep_clitic = [False] * self.n
        self.cue_letter: set[int] = set()  # tokens whose first letter ends a cue (the ل of وفقا لمنديز)
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
        self._sorted_mentions: dict[int, list[tuple[int, int]]] = {}
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
        self._stray_at: dict[int, int] | None = None
        self._para_first: dict[int, int] | None = None  # token -> first token of its paragraph's run
        raw: list[tuple[int | None, int | None, int]] = []  # open pos, close pos, end of span
        for q in doc["quote_pairs"]:
            o, c = q.attrs.get("open"), q.attrs.get("close")
            raw.append((o[0] if o else None, c[0] if c else None, q.end))
        if _SINGLE.search(self.text):
            raw.extend(_single_quote_pairs(self.text))
        if not raw:  # (no marks: nothing below to index)
            self.pairs = []
            self.pair_open = {}
            self.pair_close = {}
            self.inside = [False] * self.n
            return
        # The punctuation tokens, in order: a pair's words are its tokens less the marks between
        # (two bisects), with no running count over every token of the text.
        kind = self.kind
        puncts = [i for i, k in enumerate(kind) if k == "punct"]
        starts = self.start

        def tok_at(pos: int | None) -> int | None:
            """The punctuation token that starts at offset ``pos``, else None."""
            if pos is None:
                return None
            i = bisect_left(starts, pos)
            return i if i < self.n and starts[i] == pos and kind[i] == "punct" else None

        opens = sorted(r[0] for r in raw if r[0] is not None)
        pairs: list[_Pair] = []
        for o_pos, c_pos, span_end in sorted(raw, key=lambda r: r[0] if r[0] is not None else r[1] or 0):
            o_tok = tok_at(o_pos)
            c_tok = tok_at(c_pos)
            stray = False
            if o_pos is not None and o_tok is None or c_pos is not None and c_tok is None:
                continue
            if o_tok is not None:
                start = self.end[o_tok]
                end = self.start[c_tok] if c_tok is not None else self._unclosed_end(o_tok, span_end, opens)
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
            words = hi - lo - (bisect_left(puncts, hi) - bisect_left(puncts, lo))
            pairs.append(_Pair(o_tok, c_tok, start, end, words, stray))
        self.pairs = pairs
        self.pair_open = {p.open_tok: k for k, p in enumerate(pairs) if p.open_tok is not None and not p.stray}
        self.pair_close = {p.close_tok: k for k, p in enumerate(pairs) if p.close_tok is not None}
        # Tokens inside a quotation (a cue there belongs to the quoted speaker's words): the
        # quotations' token ranges merged first, so overlapping ones cost no more than disjoint ones,
        # then each run marked by one slice (no Python step per token of the text).
        ranges = sorted((bisect_left(self.start, p.start), bisect_left(self.start, p.end)) for p in pairs)
        inside = self.inside = [False] * self.n
        run_lo, run_hi = 0, 0
        for lo, hi in ranges:
            if lo >= hi:
                continue  # (no token)
            if lo > run_hi:
                inside[run_lo:run_hi] = [True] * (run_hi - run_lo)
                run_lo = lo
            run_hi = max(run_hi, hi)
        inside[run_lo:run_hi] = [True] * (run_hi - run_lo)

    def _unclosed_end(self, o_tok: int, span_end: int, opens: list[int]) -> int:
        """Where a quotation whose closing mark is missing ends (an offset).

        Not at the paragraph end, which would swallow the quotations after it: before the next
        opening mark, or at the end of the sentence after which the narrator speaks again (the
        next sentence has a speech verb in its first words: ``... . وأضاف المدير ...``).
        """
        k = bisect_right(opens, self.start[o_tok])
        end = min(span_end, opens[k]) if k < len(opens) else span_end
        s = self.sent[o_tok]
        while s + 1 in self.sent_first:
            nxt = self.sent_first[s + 1]
            if self.start[nxt] >= end:
                break
            stop = min(self.n, nxt + 6)
            if any(self.kind[j] == "arabic" and speech.lookup(self.fold[j]) is not None for j in range(nxt, stop)):
                return min(end, self.end[nxt - 1])
            s += 1
        return end

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
        """The offset of the first token of the run of tokens in ``close``'s paragraph that ends at it.

        Read back token by token to where the paragraph changes; a start found before is reused when
        the walk reaches its token, so the stray marks of a view cost the length of their paragraphs
        together (not a table over every token of the text, which a long text pays in full for one mark).
        """
        if self._para_first is None:
            self._para_first = {}
        found = self._para_first
        para = self.para(close)
        j = close
        while j > 0 and j not in found and self.para(j - 1) == para:
            j -= 1
        first = found.get(j, j)
        found[close] = first
        return self.start[first]

    # -------------------------------------------------------------- helpers
    def sorted_mentions(self, ref: int) -> list[tuple[int, int]]:
        """The (start, end) mentions of referent ``ref``, sorted (computed once per referent)."""
        done = self._sorted_mentions.get(ref)
        if done is None:
            done = self._sorted_mentions[ref] = sorted(self.mentions.get(ref, []))
        return done

    def stray_pair_at(self, tok: int) -> int | None:
        """The first stray pair whose opening token (a colon) is ``tok``, else None."""
        if self._stray_at is None:
            self._stray_at = {}
            for k, p in enumerate(self.pairs):
                if p.stray and p.open_tok is not None:
                    self._stray_at.setdefault(p.open_tok, k)
        return self._stray_at.get(tok)

    def para(self, tok: int) -> int:
        s = self.sent[tok]
        return self.sent_para[s] if s < len(self.sent_para) else s

    def ends_sentence(self, j: int) -> bool:
        """True when token ``j`` is a full stop (``!``, ``?``, ``…``) that ends its sentence.

        The sentences layer decides: the stop of an abbreviation (``وأوضح د. سامي``) is
        inside a sentence and ends nothing; a stop followed only by closing marks
        (``جاهزة.»``) still ends it.
        """
        if self.fold[j] not in _SENTENCE_END:
            return False
        sent = self.sent[j]
        k = j + 1
        while k < self.n and self.sent[k] == sent and self.kind[k] == "punct":
            k += 1
        return k >= self.n or self.sent[k] != sent

    def abbreviation_stop(self, j: int) -> bool:
        """True when token ``j`` is the full stop of an abbreviation inside a sentence (``د.``, ``ع.``)."""
        return (
            self.fold[j] == "."
            and j > 0
            and self.kind[j - 1] == "arabic"
            and self.end[j - 1] == self.start[j]
            and not self.ends_sentence(j)
        )

    def after_title(self, j: int) -> int:
        """The token after the abbreviated titles that start at ``j`` (``د.``, ``أ.د.``, ``وم.``), else ``j``."""
        while j + 1 < self.n and self.kind[j] == "arabic" and self.abbreviation_stop(j + 1):
            abbr = abbreviations.lookup(self.text[self.start[j] : self.end[j]])
            if abbr is None or abbr.kind != abbreviations.TITLE:
                break
            j += 2
        return j

    def is_stop(self, j: int) -> bool:
        """A preposition, a ب/ل/ك-prefixed word or a time adverb: the end of a speaker phrase."""
        f = self.fold[j]
        return self.prep_clitic[j] or f in speech.PREPOSITIONS or f in speech.TIME_WORDS

    def is_comp(self, j: int) -> bool:
        """A complementizer (أن, إن, بأن, فإن, with pronouns), not a conjunction (بعد أن) nor a
        letter of a stopped acronym (``سي.ان.ان``)."""
        if self.fold[j] not in speech.COMPLEMENTIZERS:
            return False
        return j == 0 or not (
            self.fold[j - 1] in speech.NOT_BEFORE_COMPLEMENTIZER
            or self.fold[j - 1] == "."
            and self.end[j - 1] == self.start[j]
        )

    def give_letter_to_cue(self, tok: int) -> None:
        """The ل that token ``tok`` starts with ends a cue (``وفقا لمنديز``): the token is the source
        itself, not a prepositional phrase (:meth:`is_stop`, :meth:`in_pp`)."""
        self.cue_letter.add(tok)
        self.prep_clitic[tok] = False

    def in_pp(self, k: int) -> bool:
        """True when entity ``k`` is the object of a preposition (``لوزارة``, ``في سول``)."""
        first = self.ent_first[k]
        if first < self.n and self.start[first] < self.entities[k].start:
            skip = 1 if first in self.cue_letter else 0
            prefix = self.fold[first][skip : self.entities[k].start - self.start[first]]
            if any(ch in prefix for ch in "بلك"):
                return True
        return first > 0 and self.fold[first - 1] in speech.PREPOSITIONS

    def with_its_token_start(self, k: int) -> tuple[int, int]:
        """Entity ``k`` widened to the start of its first token, under the entity's referent."""
        e = self.entities[k]
        span = (self.start[self.ent_first[k]], e.end)
        ref = self.referent_of.get((e.start, e.end))
        if ref is not None:
            self.referent_of.setdefault(span, ref)
        return span

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
        if self.second_quote_at(after):
            return None  # «نحن جاهزون» و«سنقاتل ...»: two quotations, not a name
        if after >= self.n or self.sent[after] != self.sent[j] or self.kind[after] == "punct":
            return None
        return after

    def second_quote_at(self, j: int) -> bool:
        """True when token ``j`` is the و of ``و«...»`` that opens a second quotation of speech (3+ words;
        ``تحالف "كيو أي إيه" و"غلينكور"`` joins two names)."""
        if j + 1 >= self.n or self.fold[j] != "و" or (j + 1) not in self.pair_open:
            return False
        return self.pairs[self.pair_open[j + 1]].words >= 3

    def ends_clause_at(self, j: int) -> bool:
        """True when nothing of the sentence follows token ``j - 1`` but punctuation ending it."""
        return j >= self.n or self.sent[j] != self.sent[j - 1] or self.ends_sentence(j)

    def names_next(self, j: int) -> bool:
        """True when token ``j`` introduces a name rather than speech (a preposition, a naming noun)."""
        f = self.fold[j]
        if f in speech.PREPOSITIONS or f in speech.NAMING_NOUNS:
            return True
        if f[:1] in ("و", "ب", "ل", "ك") and f[1:] in speech.NAMING_NOUNS:
            return True
        return self.prep_clitic[j] and self.kind[j] == "arabic" and len(f) <= 2


def _single_quote_pairs(text: str) -> list[tuple[int | None, int | None, int]]:
    """Pair ' ‘ ’ marks per paragraph from their context (apostrophes inside words are skipped).

    A paragraph is a run of characters without a line break; only the marks are visited (each
    one's paragraph bounds found from it), not every paragraph of the text.
    """
    out: list[tuple[int | None, int | None, int]] = []
    para_start, para_end = 0, -1
    pending: int | None = None
    for m in _SINGLE.finditer(text):
        i = m.start()
        if i > para_end:  # the first mark of another paragraph
            para_start = text.rfind("\n", 0, i) + 1
            para_end = text.find("\n", i)
            if para_end < 0:
                para_end = len(text)
            pending = None
        before = text[i - 1] if i > para_start else " "
        after = text[i + 1] if i + 1 < para_end else " "
        if (before.isspace() or before in ":(") and after.isalpha() and pending is None:
            pending = i
        elif pending is not None and (after.isspace() or not after.isalnum()) and not before.isspace():
            out.append((pending, i, i + 1))
            pending = None
    return out
