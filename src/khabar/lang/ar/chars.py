"""Arabic character classes as data: letters, diacritics, junk and punctuation."""

from __future__ import annotations

# Letters of the Arabic block (hamza..yeh, the extended letters used in Persian/Urdu
# loans) and the presentation forms that old PDFs and scrapers still produce.
LETTER_RANGES = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u06ff\ufb50-\ufdfb\ufe70-\ufefc"
# Harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
DIACRITIC_RANGES = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
TATWEEL = "\u0640"
# Characters that carry no text: zero-width, bidi controls, BOM, soft hyphen.
INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"

ARABIC_DIGITS = "\u0660-\u0669"  # ٠-٩
PERSIAN_DIGITS = "\u06f0-\u06f9"  # ۰-۹

# Sentence-final punctuation, Arabic and Latin.
SENTENCE_END = ".!?\u061f\u2026"  # . ! ? ؟ …
# Punctuation after which a space is expected before the next word.
SPACE_AFTER = ".!?\u061f\u2026,\u060c;\u061b:"  # + ، ؛

# Quotation-mark families: each family pairs only with itself.
QUOTE_FAMILIES: dict[str, tuple[str, str, str]] = {
    # family: (marks, canonical opening mark, canonical closing mark)
    "guillemet": ("\u00ab\u00bb", "\u00ab", "\u00bb"),  # « »
    "curly": ("\u201c\u201d\u201e", "\u201c", "\u201d"),  # “ ” „
    "straight": ('"', '"', '"'),
}
QUOTE_MARKS = "".join(marks for marks, _o, _c in QUOTE_FAMILIES.values())
FAMILY_OF = {ch: family for family, (marks, _o, _c) in QUOTE_FAMILIES.items() for ch in marks}

OPEN_BRACKETS = "([{"
CLOSE_BRACKETS = ")]}"


def is_arabic_letter(ch: str) -> bool:
    """True for a letter of the Arabic script (not a diacritic, digit or punctuation)."""
    o = ord(ch)
    return (
        0x0621 <= o <= 0x063A
        or 0x0641 <= o <= 0x064A
        or o in (0x066E, 0x066F, 0x06D5, 0x06FF)
        or 0x0671 <= o <= 0x06D3
        or 0x06FA <= o <= 0x06FC
        or 0xFB50 <= o <= 0xFDFB
        or 0xFE70 <= o <= 0xFEFC
    )
