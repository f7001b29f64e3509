"""Arabic presentation forms (Unicode compatibility characters) and the letters they stand for.

Text copied out of PDFs, and some old word processors, stores *shaped* Arabic: every letter
as the glyph for its position in the word (``ﻣﺤﻤﺪ`` is U+FEE3 U+FEA4 U+FEE4 U+FEAA, not
``محمد``), lam-alef as one ligature (``ﻻ``), and whole words as ligatures (``ﷲ``). To every
matcher, lexicon and model these are unknown symbols. :func:`fold_char` gives the ordinary
letters each one stands for (Unicode NFKC, one character at a time), so the repair component
can record the folding as edits and leave the original text untouched.

Only the Arabic presentation-form blocks are folded (Presentation Forms-A, U+FB50–U+FDFF,
and -B, U+FE70–U+FEFC). Other compatibility characters (full-width Latin, ligatures such as
``ﬁ``, superscripts) are left alone: they do not stop Arabic text from being read.
Left alone too: characters with no decomposition (the ornate parentheses ``﴾﴿``, the
Bismillah ligature U+FDFD) and the two ligatures that stand for several words (U+FDFA
``ﷺ``, U+FDFB ``ﷻ``): folded, one character would become several words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

__all__ = ["COMPAT_RANGES", "fold_char", "fold_text", "has_compat", "iter_folds"]

#: Arabic Presentation Forms-A and -B (U+FEFF, the byte-order mark, is junk, not a form).
COMPAT_RANGES = "\ufb50-\ufdff\ufe70-\ufefe"
_COMPAT_RE = re.compile(f"[{COMPAT_RANGES}]")
_TATWEEL = "\u0640"


@lru_cache(maxsize=2048)
def fold_char(ch: str) -> str | None:
    """The ordinary letters (and marks) a presentation form stands for; None to leave it as is.

    ``ﻻ`` -> ``لا``, ``ﺑ`` -> ``ب``, ``ﷲ`` -> ``الله``; the isolated and medial forms of the
    harakat (``ﹰ`` U+FE70 is NFKC "space + fathatan") lose the space or tatweel that NFKC puts
    before the mark, so a diacritic never splits its word.
    """
    if _COMPAT_RE.fullmatch(ch) is None:
        return None
    folded = unicodedata.normalize("NFKC", ch)
    if folded == ch:
        return None
    folded = folded.lstrip(" " + _TATWEEL)
    if not folded or any(c.isspace() for c in folded):
        return None  # several words in one character: keep it whole
    return folded


def has_compat(text: str) -> bool:
    """True when ``text`` holds at least one Arabic presentation form."""
    return _COMPAT_RE.search(text) is not None


def iter_folds(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, letters)`` for each presentation form in ``text`` that folds."""
    for m in _COMPAT_RE.finditer(text):
        folded = fold_char(m.group())
        if folded is not None:
            yield m.start(), folded


def fold_text(text: str) -> tuple[str, list[int]]:
    """``text`` with every presentation form folded, and where each folded char starts.

    Returns:
        The folded text and a list ``origin`` of ``len(folded) + 1`` entries: ``origin[i]``
        is the offset in ``text`` of the character folded position ``i`` begins, or -1 when
        position ``i`` lies inside the expansion of one character (the ``ا`` of ``ﻻ``).
    """
    parts: list[str] = []
    origin: list[int] = []
    last = 0
    for pos, letters in iter_folds(text):
        parts.append(text[last:pos])
        origin.extend(range(last, pos))
        parts.append(letters)
        origin.append(pos)
        origin.extend([-1] * (len(letters) - 1))
        last = pos + 1
    parts.append(text[last:])
    origin.extend(range(last, len(text) + 1))
    return "".join(parts), origin
