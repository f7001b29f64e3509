"""Repair: record the fixes raw scraped Arabic needs, as edits over the original.

Rules, each an edit with its own ``rule`` name:

- ``junk``: tatweel, zero-width and bidi controls, BOM, soft hyphens (deleted); the tatweel
  of an abbreviation standing alone (``1436 هـ``, ``1436هـ``) is kept;
- ``html_entity``: ``&amp;``, ``&quot;``, ``&#8220;``, ``&#x201C;``, ``&amp;quot;``... (decoded;
  a ``&nbsp;`` next to a space disappears instead of doubling it);
- ``html_tag``: stray inline tags such as ``<br>`` (replaced by a space or a newline);
- ``whitespace``: runs of spaces and tabs (one space), carriage returns (dropped);
- ``escaped_newline``: a literal ``\\n`` or ``\\r\\n`` a scraper left in Arabic text (a newline);
- ``repeated_punct``: ``!!!`` -> ``!``, ``،،`` -> ``،``, ``.....`` -> ``...``;
- ``compat_form``: an Arabic presentation form (``ﻣ``, ``ﻻ``, ``ﷲ``: text copied out of
  PDFs) -> the ordinary letters it stands for (``lang.ar.compat``), one edit per character;
- ``glued_words``: a missing space inside a glued word (``lang.ar.glue``);
- ``space_after_punct``: ``».وأضاف`` -> ``». وأضاف`` (not inside ``أ.د`` or an entity's ``;``);
- ``quote_space``: a space missing before an opening or after a closing mark,
  or a stray one inside the marks (``وغيرها «،`` -> ``وغيرها»،``); a proclitic written onto the
  opening mark stays on it (``و«لن``, ``لـ«الحياة»``, ``الـ"فيتو"``);
- ``quote_direction``: an opening ``»`` becomes ``«`` and a closing ``«`` becomes ``»``.

Quotation marks are paired per paragraph and the pairs are stored in the
``quote_pairs`` layer (marks included; ``open``/``close`` give the mark spans). Marks are
read after entities are decoded and escaped newlines applied (``&#8220;`` opens a
quotation, ``\\n`` ends a paragraph), so a mark's span may be a whole entity.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from khabar.doc import Doc, Edit, Span
from khabar.gcpause import gc_paused
from khabar.lang.ar import compat, glue
from khabar.lang.ar.chars import (
    DIACRITIC_RANGES,
    FAMILY_OF,
    INVISIBLE,
    LETTER_RANGES,
    OPEN_BRACKETS,
    QUOTE_FAMILIES,
    QUOTE_MARKS,
    SPACE_AFTER,
    TATWEEL,
    is_arabic_letter,
)

NAME = "repair"

_JUNK = re.compile(f"[{TATWEEL}{INVISIBLE}]+")
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
# Entities, also escaped twice by a careless scraper (``&amp;quot;``).
_ENTITY = re.compile(r"&(?:amp;)*(?P<body>#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_TAG = re.compile(r"</?(?:br|p|div|span|b|i|em|strong|a|font|u)\b[^<>]{0,200}>", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</?(?:br|p|div)\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]|\r")
_REPEATED = re.compile(r"([!?\u061f\u060c,;\u061b:])\1+|\.{4,}")
_PARAGRAPH = re.compile(r"[^\n]+")
# A literal backslash-n (or backslash-r backslash-n) from JSON escaped twice; not in a Windows
# path or TeX (``C:\\new``, ``\\newline``: a Latin letter or a backslash touches it).
_ESCAPED_NEWLINE = re.compile(r"(?<![A-Za-z\\])(?:(?:\\r)?\\n)+(?![A-Za-z])")
_ARABIC_LETTER = re.compile(f"[{LETTER_RANGES}]")
_ESCAPE_REACH = 40  # an Arabic letter must be this close to an escaped newline
# Sentence punctuation straight before an Arabic letter (a space is missing).
_PUNCT_BEFORE_LETTER = re.compile(f"[{re.escape(SPACE_AFTER)}](?=[{LETTER_RANGES}])")
_WORD_PART = re.compile(f"[{LETTER_RANGES}{DIACRITIC_RANGES}{TATWEEL}]")
_MARKS = re.compile(f"[{DIACRITIC_RANGES}{TATWEEL}]")
_QUOTE_MARK = re.compile(f"[{re.escape(QUOTE_MARKS)}]")
# One letter + tatweel standing alone is an abbreviation (هـ hijri, مـ gregorian): keep it.
_ABBREVIATION_LETTERS = "\u0647\u0645"


@dataclass(frozen=True, slots=True)
class QuotePair:
    """An opening and a closing mark (either may be missing when unpaired)."""

    open: int | None
    close: int | None
    family: str


class _View:
    """The original with some edits applied (entities, escaped newlines): where marks are read.

    ``source(p)`` says where view character ``p`` comes from, so decisions taken on the view
    become edits over the original.
    """

    __slots__ = ("_edits", "_src", "text")

    def __init__(self, text: str, edits: list[Edit]) -> None:
        self._edits = edits
        self._src: list[int] | None = None
        self.text = text
        if edits:
            parts: list[str] = []
            src: list[int] = []
            pos = 0
            for k, e in enumerate(edits):
                parts.append(text[pos : e.start])
                src.extend(range(pos, e.start))
                parts.append(e.replacement)
                src.extend([-1 - k] * len(e.replacement))
                pos = e.end
            parts.append(text[pos:])
            src.extend(range(pos, len(text)))
            self.text = "".join(parts)
            self._src = src

    def edit(self, k: int) -> Edit:
        """The ``k``-th edit applied."""
        return self._edits[k]

    def source(self, p: int) -> tuple[int, int, int]:
        """``(start, end)`` in the original of view character ``p``, and its edit's index (-1: none)."""
        if self._src is None:
            return p, p + 1, -1
        s = self._src[p]
        if s >= 0:
            return s, s + 1, -1
        e = self._edits[-1 - s]
        return e.start, e.end, -1 - s


def _abbreviation_tatweel(text: str, start: int, end: int) -> bool:
    """True when the tatweel at ``text[start]`` ends a one-letter abbreviation (``1436 هـ``)."""
    if start == 0 or text[start - 1] not in _ABBREVIATION_LETTERS:
        return False
    if start >= 2 and _WORD_PART.match(text[start - 2]):
        return False  # the letter is part of a word (العامـ): ordinary tatweel
    return end >= len(text) or not (_WORD_PART.match(text[end]) or text[end] in QUOTE_MARKS)


def _junk_edits(text: str) -> list[Edit]:
    """Edits for invisible characters, HTML tags, whitespace runs and repeated punctuation."""
    edits: list[Edit] = []
    for m in _JUNK.finditer(text):
        start = m.start()
        if text[start] == TATWEEL and _abbreviation_tatweel(text, start, m.end()):
            while start < m.end() and text[start] == TATWEEL:
                start += 1
            if start == m.end():
                continue
        edits.append(Edit(start, m.end(), "", "junk"))
    if "<" in text:
        for m in _TAG.finditer(text):
            edits.append(Edit(m.start(), m.end(), "\n" if _BLOCK_TAG.match(m.group()) else " ", "html_tag"))
    for m in _SPACES.finditer(text):
        replacement = " "
        if m.group() == "\r":  # CRLF loses its CR; a lone CR (old Mac files) is a newline
            replacement = "" if text.startswith("\n", m.end()) else "\n"
        if m.group() != replacement:
            edits.append(Edit(m.start(), m.end(), replacement, "whitespace"))
    for m in _REPEATED.finditer(text):
        edits.append(Edit(m.start(), m.end(), "..." if m.group(0)[0] == "." else m.group(1), "repeated_punct"))
    return edits


def _decode_entity(m: re.Match[str]) -> str | None:
    """What an entity stands for (None: leave it); ``&amp;quot;`` is read as ``&quot;``."""
    raw = m.group()
    decoded = html.unescape("&" + m.group("body") + ";")
    if decoded == "&" + m.group("body") + ";":
        decoded = html.unescape(raw)  # &amp;foo; -> &foo;
        if decoded == raw:
            return None
    if "\ufffd" in decoded:
        return None  # &#0;, a lone surrogate: nothing to read
    out = []
    for ch in decoded:
        if ch == "\n":
            out.append(ch)
        elif ch == "\r" or _INVISIBLE.match(ch) or unicodedata.category(ch) == "Cc" and not ch.isspace():
            continue
        elif ch.isspace():
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _entity_edits(text: str) -> list[Edit]:
    """Decode named and numeric HTML entities; a decoded space next to a space is dropped."""
    edits: list[Edit] = []
    if "&" not in text:
        return edits
    space_at = -1  # end of the last entity whose reading ends in a space (or after one)
    for m in _ENTITY.finditer(text):
        decoded = _decode_entity(m)
        if decoded is None:
            continue
        end = m.end()
        if decoded == " ":
            before_space = space_at == m.start() or m.start() > 0 and text[m.start() - 1].isspace()
            after_space = end < len(text) and text[end].isspace()
            if before_space or after_space:
                decoded = ""
            if before_space and after_space:  # " &nbsp; ": one space, not two
                while end < len(text) and text[end] in " \t":
                    end += 1
        edits.append(Edit(m.start(), end, decoded, "html_entity"))
        after_space = space_at == m.start() or text[m.start() - 1 : m.start()].isspace()
        if decoded.endswith(" ") or decoded == "" and after_space:
            space_at = end
    return edits


def _escaped_newline_edits(text: str) -> list[Edit]:
    """A literal ``\\n`` between Arabic text becomes a line break (paragraphs split there)."""
    edits: list[Edit] = []
    if "\\" not in text:
        return edits
    for m in _ESCAPED_NEWLINE.finditer(text):
        near = text[max(0, m.start() - _ESCAPE_REACH) : m.end() + _ESCAPE_REACH]
        if _ARABIC_LETTER.search(near):
            edits.append(Edit(m.start(), m.end(), "\n" * m.group().count("\\n"), "escaped_newline"))
    return edits


def _paragraph_separator_edits(text: str) -> list[Edit]:
    """U+2029 PARAGRAPH SEPARATOR (Word, some CMS exports) reads as a line break: paragraphs split there."""
    if "\u2029" not in text:
        return []
    return [Edit(m.start(), m.end(), "\n", "paragraph_separator") for m in re.finditer("\u2029", text)]


def _compat_edits(text: str) -> list[Edit]:
    """One edit per Arabic presentation form: the ordinary letters it stands for."""
    return [Edit(pos, pos + 1, letters, "compat_form") for pos, letters in compat.iter_folds(text)]


def _glue_edits(text: str, has_compat: bool) -> list[Edit]:
    """Spaces lost between glued words, found on the letters (presentation forms folded)."""
    if not has_compat:
        return [Edit(p, p, " ", "glued_words") for p in glue.restore_spaces(text)]
    folded, origin = compat.fold_text(text)
    # A cut inside a ligature (between the ل and ا of ﻻ) has no place in the original: skipped.
    return [Edit(origin[p], origin[p], " ", "glued_words") for p in glue.restore_spaces(folded) if origin[p] >= 0]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or is_arabic_letter(ch)


def _attached_proclitic(text: str, i: int, start: int = 0) -> bool:
    """True when the mark at ``i`` carries a proclitic written onto it (``و«``, ``لـ«``, ``الـ"``)."""
    k = i
    while k > start and _WORD_PART.match(text[k - 1]):
        k -= 1
    return k < i and _MARKS.sub("", text[k:i]) in glue.PROCLITICS


def _mark_context(text: str, i: int, start: int, end: int) -> str:
    """'open', 'close' or '?' from the characters around the mark at ``i``."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    left_open = before.isspace() or before in OPEN_BRACKETS or before in ":\u061b;"
    right_word = _is_word_char(after)
    if not left_open and right_word and (before == TATWEEL or is_arabic_letter(before)):
        left_open = _attached_proclitic(text, i, start)
    left_word = _is_word_char(before) or before in ".!?\u061f\u2026"
    right_open = after.isspace() or not right_word
    if left_open and right_word:
        return "open"
    if left_word and right_open:
        return "close"
    return "?"


def pair_quotes(text: str, start: int = 0, end: int | None = None) -> list[QuotePair]:
    """Decide which marks in ``text[start:end]`` open and which close, and pair them.

    Direction is not trusted (scrapers flip ``«`` and ``»``); each mark is read
    from its context (space, colon or a proclitic such as ``و`` before and a letter
    after: opening; a letter or full stop before and a space or punctuation after:
    closing) and, where the context says nothing, from the alternation open, close, open...
    """
    end = len(text) if end is None else end
    pairs: list[QuotePair] = []
    pending: dict[str, int] = {}  # family -> position of the unclosed opening mark
    for m in _QUOTE_MARK.finditer(text, start, end):  # the marks only, not every character
        i = m.start()
        family = FAMILY_OF[m.group()]
        context = _mark_context(text, i, start, end)
        opened = pending.get(family)
        if opened is None:
            if context == "close":
                pairs.append(QuotePair(None, i, family))
            else:
                pending[family] = i
        elif context == "open":
            # A new quotation opens before the last one closed: the last stays unclosed.
            pairs.append(QuotePair(opened, None, family))
            pending[family] = i
        else:
            pairs.append(QuotePair(opened, i, family))
            del pending[family]
    pairs.extend(QuotePair(p, None, fam) for fam, p in pending.items())
    pairs.sort(key=lambda q: q.open if q.open is not None else q.close or 0)
    return pairs


def _change(view: _View, p: int, replacement: str, rule: str, edits: list[Edit], override: dict[int, str]) -> None:
    """Make view character ``p`` read ``replacement``: an edit, or a new reading of its entity."""
    s, e, k = view.source(p)
    if k < 0:
        edits.append(Edit(s, e, replacement, rule))
    elif len(view.edit(k).replacement) == 1:  # an entity that decodes to one character
        override.setdefault(k, replacement)


def _quote_edits(view: _View, pairs: list[QuotePair], override: dict[int, str]) -> list[Edit]:
    """Direction and spacing fixes around paired marks (positions in the view)."""
    text = view.text
    edits: list[Edit] = []
    for pair in pairs:
        _marks, canon_open, canon_close = QUOTE_FAMILIES[pair.family]
        if pair.open is not None:
            i = pair.open
            if text[i] != canon_open:
                _change(view, i, canon_open, "quote_direction", edits, override)
            if (
                i > 0
                and not text[i - 1].isspace()
                and text[i - 1] not in OPEN_BRACKETS + QUOTE_MARKS
                and not _attached_proclitic(text, i)
            ):
                s = view.source(i)[0]
                edits.append(Edit(s, s, " ", "quote_space"))
            if pair.close is not None and text[i + 1 : i + 2] == " ":
                _change(view, i + 1, "", "quote_space", edits, override)
        if pair.close is not None:
            j = pair.close
            if text[j] != canon_close:
                _change(view, j, canon_close, "quote_direction", edits, override)
            if pair.open is not None and j > 0 and text[j - 1] == " " and pair.open < j - 1:
                _change(view, j - 1, "", "quote_space", edits, override)
            if j + 1 < len(text) and _is_word_char(text[j + 1]):
                e = view.source(j)[1]
                edits.append(Edit(e, e, " ", "quote_space"))
    return edits


def _punct_space_edits(view: _View) -> list[Edit]:
    """Insert the space missing after sentence punctuation before an Arabic word."""
    text = view.text
    edits: list[Edit] = []
    for m in _PUNCT_BEFORE_LETTER.finditer(text):
        i = m.start()
        if text.startswith("\u0646\u062a", i + 1):  # العربية.نت
            continue
        if text[i] == "." and i > 0 and is_arabic_letter(text[i - 1]) and (i < 2 or not _WORD_PART.match(text[i - 2])):
            continue  # أ.د، ص.ب، ق.م: one-letter abbreviations
        e = view.source(i)[1]
        edits.append(Edit(e, e, " ", "space_after_punct"))
    return edits


def _collide(a: Edit, b: Edit) -> bool:
    """True when two edits touch the same characters (``a`` starts no later than ``b``)."""
    if b.start == b.end:  # an insertion collides with a replacement around it, or a twin
        return a.start < b.start < a.end or (a.start == a.end == b.start)
    return a.end > b.start and a.start != a.end


def _merge(edits: list[Edit]) -> list[Edit]:
    """Sort edits by position; where two collide keep the one listed first (higher priority)."""
    rank = {id(e): i for i, e in enumerate(edits)}
    kept: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end, rank[id(e)])):
        if kept and _collide(kept[-1], e):
            if rank[id(e)] < rank[id(kept[-1])]:
                kept[-1] = e
            continue
        kept.append(e)
    out: list[Edit] = []
    for e in kept:  # a swap above can, rarely, collide with the edit before it
        if not (out and _collide(out[-1], e)):
            out.append(e)
    return out


@gc_paused
def predict(doc: Doc) -> tuple[list[Edit], list[Span]]:
    """Compute the repairs and the quote pairs of ``doc`` (nothing is written to it)."""
    text = doc.text
    entities = _entity_edits(text)
    newlines = _escaped_newline_edits(text) + _paragraph_separator_edits(text)
    view_edits = sorted(entities + newlines, key=lambda e: e.start)
    view = _View(text, view_edits)
    has_compat = compat.has_compat(text)
    edits = _junk_edits(text)
    edits += _compat_edits(text) if has_compat else []
    edits += _glue_edits(text, has_compat)
    pairs: list[QuotePair] = []
    para_end: list[int] = []  # the end of each pair's paragraph (no scan per unclosed mark)
    for para in _PARAGRAPH.finditer(view.text):
        found = pair_quotes(view.text, para.start(), para.end())
        pairs.extend(found)
        para_end.extend([para.end()] * len(found))
    override: dict[int, str] = {}
    late = _quote_edits(view, pairs, override)
    late += _punct_space_edits(view)
    # Entities and escaped newlines first: they outrank every other rule where two collide.
    decoded = [e if k not in override else Edit(e.start, e.end, override[k], e.rule) for k, e in enumerate(view_edits)]
    spans = []
    for pair, end in zip(pairs, para_end, strict=True):
        first = pair.open if pair.open is not None else pair.close
        last = pair.close if pair.close is not None else pair.open
        assert first is not None and last is not None  # a pair has at least one mark
        if pair.close is None:  # unclosed: the quotation runs to the end of its paragraph
            last = end - 1
        o_first = view.source(first)
        o_last = view.source(last)
        spans.append(
            Span(
                o_first[0],
                o_last[1],
                "",
                {
                    "family": pair.family,
                    "open": None if pair.open is None else list(view.source(pair.open)[:2]),
                    "close": None if pair.close is None else list(view.source(pair.close)[:2]),
                },
            )
        )
    return _merge(decoded + edits + late), spans


def set_annotations(doc: Doc, result: tuple[list[Edit], list[Span]]) -> None:
    """Store the edits and the ``quote_pairs`` layer on ``doc``."""
    edits, pairs = result
    doc.set_edits(edits)
    doc.layers["quote_pairs"] = pairs


def repair(doc: Doc) -> Doc:
    """Run the component on ``doc`` and return it."""
    set_annotations(doc, predict(doc))
    return doc
