"""Repair: record the fixes raw scraped Arabic needs, as edits over the original.

Rules, each an edit with its own ``rule`` name:

- ``junk``: tatweel, zero-width and bidi controls, BOM, soft hyphens (deleted);
- ``html_entity``: ``&amp;``, ``&quot;``, ``&#1587;``... (decoded);
- ``html_tag``: stray inline tags such as ``<br>`` (replaced by a space or a newline);
- ``whitespace``: runs of spaces and tabs (one space), carriage returns (dropped);
- ``repeated_punct``: ``!!!`` -> ``!``, ``،،`` -> ``،``, ``.....`` -> ``...``;
- ``glued_words``: a missing space inside a glued word (``lang.ar.glue``);
- ``space_after_punct``: ``».وأضاف`` -> ``». وأضاف``;
- ``quote_space``: a space missing before an opening or after a closing mark,
  or a stray one inside the marks (``وغيرها «،`` -> ``وغيرها»،``);
- ``quote_direction``: an opening ``»`` becomes ``«`` and a closing ``«`` becomes ``»``.

Quotation marks are paired per paragraph and the pairs are stored in the
``quote_pairs`` layer (marks included; ``open``/``close`` give the mark spans).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from khabar.doc import Doc, Edit, Span
from khabar.lang.ar import glue
from khabar.lang.ar.chars import (
    FAMILY_OF,
    INVISIBLE,
    OPEN_BRACKETS,
    QUOTE_FAMILIES,
    QUOTE_MARKS,
    SPACE_AFTER,
    TATWEEL,
    is_arabic_letter,
)

NAME = "repair"

_JUNK = re.compile(f"[{TATWEEL}{INVISIBLE}]+")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_TAG = re.compile(r"</?(?:br|p|div|span|b|i|em|strong|a|font|u)\b[^<>]{0,200}>", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"</?(?:br|p|div)\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]|\r")
_REPEATED = re.compile(r"([!?\u061f\u060c,;\u061b:])\1+|\.{4,}")
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class QuotePair:
    """An opening and a closing mark (either may be missing when unpaired)."""

    open: int | None
    close: int | None
    family: str


def _junk_edits(text: str) -> list[Edit]:
    """Edits for invisible characters, HTML debris, whitespace runs and repeated punctuation."""
    edits: list[Edit] = []
    for m in _JUNK.finditer(text):
        edits.append(Edit(m.start(), m.end(), "", "junk"))
    if "&" in text:
        for m in _ENTITY.finditer(text):
            decoded = html.unescape(m.group())
            if decoded != m.group():
                decoded = " " if decoded == "\u00a0" else decoded
                edits.append(Edit(m.start(), m.end(), decoded, "html_entity"))
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


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or is_arabic_letter(ch)


def _mark_context(text: str, i: int, start: int, end: int) -> str:
    """'open', 'close' or '?' from the characters around the mark at ``i``."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    left_open = before.isspace() or before in OPEN_BRACKETS or before in ":\u061b;"
    right_word = _is_word_char(after)
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
    from its context (space or colon before and a letter after: opening; a
    letter or full stop before and a space or punctuation after: closing) and,
    where the context says nothing, from the alternation open, close, open...
    """
    end = len(text) if end is None else end
    pairs: list[QuotePair] = []
    pending: dict[str, int] = {}  # family -> position of the unclosed opening mark
    for i in range(start, end):
        ch = text[i]
        if ch not in QUOTE_MARKS:
            continue
        family = FAMILY_OF[ch]
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


def _quote_edits(text: str, pairs: list[QuotePair]) -> list[Edit]:
    """Direction and spacing fixes around paired marks."""
    edits: list[Edit] = []
    for pair in pairs:
        _marks, canon_open, canon_close = QUOTE_FAMILIES[pair.family]
        if pair.open is not None:
            i = pair.open
            if text[i] != canon_open:
                edits.append(Edit(i, i + 1, canon_open, "quote_direction"))
            if i > 0 and not text[i - 1].isspace() and text[i - 1] not in OPEN_BRACKETS + QUOTE_MARKS:
                edits.append(Edit(i, i, " ", "quote_space"))
            if pair.close is not None and text[i + 1 : i + 2] == " ":
                edits.append(Edit(i + 1, i + 2, "", "quote_space"))
        if pair.close is not None:
            j = pair.close
            if text[j] != canon_close:
                edits.append(Edit(j, j + 1, canon_close, "quote_direction"))
            if pair.open is not None and j > 0 and text[j - 1] == " " and pair.open < j - 1:
                edits.append(Edit(j - 1, j, "", "quote_space"))
            if j + 1 < len(text) and _is_word_char(text[j + 1]):
                edits.append(Edit(j + 1, j + 1, " ", "quote_space"))
    return edits


def _punct_space_edits(text: str) -> list[Edit]:
    """Insert the space missing after sentence punctuation before an Arabic word."""
    edits: list[Edit] = []
    for i in range(len(text) - 1):
        ch = text[i]
        if ch not in SPACE_AFTER:
            continue
        nxt = text[i + 1]
        if nxt in QUOTE_MARKS:
            continue  # the quote rules decide around marks
        # Only before an Arabic letter: "3.5", "10:30", "www.x.com", "U.S." stay as they are.
        if is_arabic_letter(nxt) and not text.startswith("\u0646\u062a", i + 1):  # العربية.نت
            edits.append(Edit(i + 1, i + 1, " ", "space_after_punct"))
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


def predict(doc: Doc) -> tuple[list[Edit], list[Span]]:
    """Compute the repairs and the quote pairs of ``doc`` (nothing is written to it)."""
    text = doc.text
    edits = _junk_edits(text)
    edits += [Edit(p, p, " ", "glued_words") for p in glue.restore_spaces(text)]
    pairs: list[QuotePair] = []
    for para in _PARAGRAPH.finditer(text):
        pairs.extend(pair_quotes(text, para.start(), para.end()))
    edits += _quote_edits(text, pairs)
    edits += _punct_space_edits(text)
    spans = []
    for pair in pairs:
        first = pair.open if pair.open is not None else pair.close
        last = pair.close if pair.close is not None else pair.open
        assert first is not None and last is not None  # a pair has at least one mark
        if pair.close is None:  # unclosed: the quotation runs to the end of its paragraph
            nl = text.find("\n", first)
            last = (nl if nl != -1 else len(text)) - 1
        spans.append(
            Span(
                first,
                last + 1,
                "",
                {
                    "family": pair.family,
                    "open": None if pair.open is None else [pair.open, pair.open + 1],
                    "close": None if pair.close is None else [pair.close, pair.close + 1],
                },
            )
        )
    return _merge(edits), spans


def set_annotations(doc: Doc, result: tuple[list[Edit], list[Span]]) -> None:
    """Store the edits and the ``quote_pairs`` layer on ``doc``."""
    edits, pairs = result
    doc.set_edits(edits)
    doc.layers["quote_pairs"] = pairs


def repair(doc: Doc) -> Doc:
    """Run the component on ``doc`` and return it."""
    set_annotations(doc, predict(doc))
    return doc
