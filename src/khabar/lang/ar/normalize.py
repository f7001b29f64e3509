"""Orthographic folding for matching: a view of the text, never a rewrite.

``normalize`` returns the folded text with an :class:`~khabar.offsets.OffsetMap`
back to its input, so a match found in the folded text points at the exact
characters of the source. ``fold`` is the map-free version for keys.
"""

from __future__ import annotations

import re

from khabar.lang.ar.chars import DIACRITIC_RANGES, INVISIBLE, TATWEEL
from khabar.offsets import OffsetMap, Replacement

# One-to-one foldings (same length, so positions do not move).
_FOLD_TABLE = str.maketrans(
    {
        "\u0622": "\u0627",  # آ -> ا
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u06cc": "\u064a",  # Persian ی -> ي
        "\u06a9": "\u0643",  # Persian ک -> ك
        "\u0629": "\u0647",  # ة -> ه
        "\u060c": ",",  # ، -> ,
        "\u061b": ";",  # ؛ -> ;
        "\u061f": "?",  # ؟ -> ?
        "\u066a": "%",  # ٪ -> %
        "\u066b": ".",  # decimal separator
        "\u066c": ",",  # thousands separator
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        **{chr(0x0660 + i): str(i) for i in range(10)},  # ٠-٩
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # ۰-۹
        **{chr(ord("A") + i): chr(ord("a") + i) for i in range(26)},
    }
)
# Characters dropped by folding: diacritics, tatweel, invisible controls.
_DROP = re.compile(f"[{DIACRITIC_RANGES}{TATWEEL}{INVISIBLE}]+")


def _char_set(ranges: str) -> list[str]:
    """The characters of a regex class body made of single characters and ``a-b`` ranges."""
    out: list[str] = []
    i = 0
    while i < len(ranges):
        if i + 2 < len(ranges) and ranges[i + 1] == "-":
            out += map(chr, range(ord(ranges[i]), ord(ranges[i + 2]) + 1))
            i += 3
        else:
            out.append(ranges[i])
            i += 1
    return out


# _FOLD_TABLE that also deletes what _DROP matches: fold in one pass (the folded characters are
# never dropped ones, so dropping first or together gives the same string).
_FOLD_DROP_TABLE: dict[int, str | int | None] = {
    **_FOLD_TABLE,
    **dict.fromkeys(map(ord, _char_set(DIACRITIC_RANGES + TATWEEL + INVISIBLE))),
}
# ... and maps the other characters of news text to themselves: str.translate pays for a
# character missing from its table (a KeyError raised and cleared inside) about twice what it
# pays for one found, and a missing character is left as it is, so the output is the same.
for _block in (range(0x250), range(0x600, 0x700), range(0x2000, 0x2070), range(0xFB50, 0xFE00), range(0xFE70, 0xFF00)):
    for _code in _block:
        _FOLD_DROP_TABLE.setdefault(_code, _code)


def fold(text: str) -> str:
    """Fold ``text`` for matching (no offset map): alef forms, ى, ة, digits, marks."""
    return text.translate(_FOLD_DROP_TABLE)


def normalize(text: str) -> tuple[str, OffsetMap]:
    """Fold ``text`` for matching and return the view with its map back to ``text``.

    >>> normalize("فى الأمريكى")[0]
    'في الامريكي'
    """
    drops = [Replacement(m.start(), m.end(), "") for m in _DROP.finditer(text)]
    stripped, mapping = OffsetMap.apply(text, drops)
    return stripped.translate(_FOLD_DROP_TABLE), mapping  # (nothing left to drop: as _FOLD_TABLE)
