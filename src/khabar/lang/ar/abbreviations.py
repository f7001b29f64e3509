"""Arabic abbreviations written with a full stop in news text, as data.

Sentence splitting asks :func:`closes_abbreviation` about every full stop that is
followed by more text, so that ``وأوضح د. ماجد القحطاني: "…"`` stays one sentence
and the quotation keeps its cue. The decision is made from the token before the
stop (a whole token: after a space, a bracket or a quotation mark) and a few words
either side. The token may be

* a **title** before a name (``د.`` دكتور, ``أ.`` أستاذ, ``أ.د.``, ``م.`` مهندس),
  also behind a proclitic (``ود.``, ``وأ.د.``, ``لد.``) unless that spelling is a
  word of its own (``بد`` in ``لا بد.``, ``لا``, ``لم``);
* a **reference** abbreviation (``ص.`` صفحة, ``ص.ب.`` صندوق بريد, ``ت.`` هاتف,
  ``ج.`` جزء, ``مج.`` مجلد, ``ع.`` عدد, ``ط.`` طبعة, ``تح.`` تحقيق, ``د.ب.أ`` ...);
* an **initial**: one Arabic letter, or letters joined by stops (``محمد ع. السيد``,
  ``ق.م``, ``م.د``);
* a Latin **letter** spelled in Arabic (``جون إف. كنيدي``, ``سي. إن. إن``), matched
  as written, since the letter M is ``إم`` while ``أم`` is "mother".

None of them ends a sentence, except where the context says so:

* **after a number** an era, a time of day or a unit (``2015 م.``, ``1436 هـ.``,
  ``500 ق.م.``, ``1290 ق. م.``, ``10 ص.``, ``46 م.د.``, ``4 كيه.``) usually closes the
  sentence, so it may end one (a title does not: ``2015 د. سامي``);
* a letter after a **label noun** is a name, not an initial: ``فيتامين د.``,
  ``المجموعة ب.`` may end a sentence;
* ``إلخ.`` is an abbreviation, but in news text it closes an enumeration at the
  end of a sentence far more often than not, so it is listed as **closing**;
* a letter name that is also a word (``بي`` "with me", ``في``, ``أو``, ``إن``,
  ``أي``) is an initial only inside a chain of letters (``إن. بي. سي``); the last
  letter of a spaced acronym without stops (``بي بي سي.``, ``آي بي إم.``) may end
  a sentence.

Whatever the kind, a stop followed by a number (``ص. 12``), by ``،`` ``؛`` ``:`` or
a closing bracket, or by a dash and a number (a range) does not end a sentence, and
neither does a stop inside a chain (``ق. م.``, ``د. ب. أ``).

Known limits, measured on SaudiNewsNet and ANT: an initial that really ends a
sentence (``بحسب تعبير ه. وأضاف``, ``سامي إيه. وقال``) and a stopped acronym at the
end of one (``أيه.إم.دي. ولم``) keep the two sentences together; an era sign
followed by more of the same sentence (``عام 1950 م. في القاهرة``) cuts it.

Arabic lookups are on folded forms (:func:`khabar.lang.ar.normalize.fold`: hamza
forms, tatweel, diacritics), so ``أ.د``/``ا.د`` and ``هـ``/``ه`` are one entry.
Tables are built on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from khabar.lang.ar.chars import (
    ARABIC_DIGITS,
    CLOSE_BRACKETS,
    DIACRITIC_RANGES,
    OPEN_BRACKETS,
    PERSIAN_DIGITS,
    QUOTE_MARKS,
    TATWEEL,
)
from khabar.lang.ar.normalize import fold

# Kinds of abbreviation.
TITLE = "title"  # before a name; may carry a proclitic
REFERENCE = "reference"  # page, volume, box, phone...: before a number or a name
CLOSING = "closing"  # إلخ: closes an enumeration, usually at a sentence end
INITIALS = "initials"  # one Arabic letter, or letters joined by stops (د.ب.أ)
LETTERS = "letters"  # Latin letters spelled in Arabic (إف، بي، سي)

# Titles written before a person's name.
TITLES: Final[dict[str, str]] = {
    "د": "دكتور",
    "أ": "أستاذ",
    "أ.د": "أستاذ دكتور",
    "م": "مهندس",
    "ش": "شيخ؛ شارع (15 ش. التحرير)",
}

# Abbreviations of references, addresses and agencies.
REFERENCES: Final[dict[str, str]] = {
    "ص": "صفحة",
    "صص": "صفحات",
    "ص.ب": "صندوق بريد",
    "ت": "هاتف؛ توفي (قبل سنة الوفاة)",
    "ف": "فاكس",
    "ج": "جزء",
    "مج": "مجلد",
    "ع": "عدد",
    "ط": "طبعة؛ طريق",
    "تح": "تحقيق",
    "تر": "ترجمة",
    "م.ن": "المصدر نفسه",
    "م.س": "مصدر سابق",
    "ج.م.ع": "جمهورية مصر العربية",
    "ش.م.م": "شركة مساهمة مصرية",
    "د.ب.أ": "وكالة الأنباء الألمانية",
    "أ.ف.ب": "وكالة الصحافة الفرنسية",
    "أ.ش.أ": "وكالة أنباء الشرق الأوسط",
}

# Signs that follow a number: an era, a time of day or a currency. After a
# number they may end a sentence; anywhere else they are titles or initials.
AFTER_NUMBER: Final[dict[str, str]] = {
    "م": "ميلادي؛ مساءً",
    "هـ": "هجري",
    "ق.م": "قبل الميلاد",
    "ب.م": "بعد الميلاد",
    "ص": "صباحاً",
    "م.د": "مليون دينار",
    "أ.د": "ألف دينار",
}

# Abbreviations that close an enumeration; they may end a sentence.
CLOSINGS: Final[dict[str, str]] = {
    "إلخ": "إلى آخره",
    "الخ": "إلى آخره",
}

# Latin letters as spelled in Arabic news (جون إف. كنيدي، سي. إن. إن), matched as
# written (hamza forms kept): the letter M is إم or ام, while أم is "mother".
LETTER_NAMES: Final[str] = """
إيه أيه آيه ايه بي سي دي إي إف اف جي إتش اتش آي أي اي جيه كيه إل ال إم ام إن ان أو او كيو آر أر ار إس أس اس
تي يو في دبليو إكس اكس واي زد
"""
# Letter names that are also Arabic words or name parts (بي "with me", في, أو, إن,
# أي, لي كوان يو): an initial only inside a chain of letters (إن. بي. سي).
LETTER_WORDS: Final[str] = "بي في أو او إن ان أي اي ال ام ار اس يو"

# Nouns after which a single letter is a label (group B, vitamin D), not an initial.
LABEL_NOUNS: Final[str] = """
فيتامين المجموعة مجموعة الفئة فئة الدرجة درجة البند بند الفقرة فقرة الملحق ملحق الجدول جدول الشكل شكل
الخطة خطة النموذج نموذج القسم قسم المرحلة الحرف حرف
"""

# Proclitics that may stand before a title (ود.، وأ.د.) and the spellings they
# make that are words of their own (لا بد.، لا.، لم.).
PROCLITICS: Final[str] = "وفبل"
PROCLITIC_WORDS: Final[str] = "بد لا لأ لم بم فم"

# After a stop, these marks continue the sentence; so does a dash before a number
# (a range: ``1303 ق. م. - 1213``), while a dash before a word opens a list item.
_CONTINUATION: Final[str] = "\u060c,\u061b;:" + CLOSE_BRACKETS
_RANGE = re.compile(rf"[-\u2013\u2014]\s*[0-9{ARABIC_DIGITS}{PERSIAN_DIGITS}]")
_DIGITS = f"0-9{ARABIC_DIGITS}{PERSIAN_DIGITS}"
# A number, maybe behind a proclitic (ب2015) and with separators (1436/1437، 2،9، 10:30).
_NUMBER = re.compile(rf"[{PROCLITICS}]?[{_DIGITS}][{_DIGITS}.,:/\u060c\u066b\u066c-]*")
_LETTER = re.compile("[\u0621-\u063a\u0641-\u064a]")  # a base letter (not a presentation-form sign)
_MARKS = re.compile(f"[{DIACRITIC_RANGES}{TATWEEL}]")
_EDGE = OPEN_BRACKETS + QUOTE_MARKS + "\u060c,:-\u2013\u2014*"


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """What the token before a full stop is."""

    kind: str
    key: str  # folded (letter names: as written), without its proclitic
    after_number: bool  # an era, time or unit sign when a number precedes it
    word: bool = False  # a letter name that is also an Arabic word

    @property
    def piece(self) -> bool:
        """One letter or one letter name (not a chain such as ``د.ب.أ``)."""
        return "." not in self.key and (len(self.key) == 1 or self.kind == LETTERS)


def _folded(words: str) -> frozenset[str]:
    """Folded forms of space-separated words."""
    return frozenset(fold(w) for w in words.split())


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], frozenset[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Lookup tables, built on first use."""
    kinds: dict[str, str] = {}
    for table, kind in ((REFERENCES, REFERENCE), (TITLES, TITLE), (CLOSINGS, CLOSING)):
        kinds.update({fold(k): kind for k in table})
    return (
        kinds,
        _folded(" ".join(AFTER_NUMBER)),
        frozenset(LETTER_NAMES.split()),
        frozenset(LETTER_WORDS.split()),
        _folded(LABEL_NOUNS),
        _folded(PROCLITIC_WORDS),
    )


@lru_cache(maxsize=4096)
def lookup(token: str) -> Abbreviation | None:
    """The abbreviation ``token`` (the text before its full stop) is, or None.

    >>> lookup("ود").kind
    'title'
    >>> lookup("الوزير") is None
    True
    """
    kinds, after_number, letters, letter_words, _labels, proclitic_words = _tables()
    key = fold(token)
    if not key:
        return None
    kind = kinds.get(key)
    if kind is not None:
        # a single letter after a number is a unit (50 ج.، 10 ص.); a title is not (2015 د. سامي)
        return Abbreviation(kind, key, key in after_number or (len(key) == 1 and kind != TITLE))
    if len(key) > 1 and key[0] in PROCLITICS and kinds.get(key[1:]) == TITLE and key not in proclitic_words:
        return Abbreviation(TITLE, key[1:], False)
    pieces = key.split(".")
    if all(len(p) == 1 and _LETTER.fullmatch(p) for p in pieces):
        return Abbreviation(INITIALS, key, True)  # after a number: a unit (720 ب.، 46 م.د.)
    written = _MARKS.sub("", token)
    pieces = written.split(".")
    if all(p in letters for p in pieces):
        return Abbreviation(LETTERS, written, True, len(pieces) == 1 and written in letter_words)
    return None


def _bare(token: str) -> str:
    """``token`` without the brackets and quote marks around it."""
    return token.strip(_EDGE + CLOSE_BRACKETS)


def _piece(token: str, stopped: bool) -> Abbreviation | None:
    """``token`` as one letter or letter name, with (``stopped``) or without its full stop."""
    if stopped != token.endswith(".") or token == ".":
        return None
    abbr = lookup(token[:-1] if stopped else token)
    return abbr if abbr is not None and abbr.piece else None


def _number_distance(before: list[str]) -> int:
    """1 when the last of ``before`` is a number, 2 when one letter piece stands between (``1303 ق. م.``), else 0."""
    for distance in (1, 2):
        if len(before) < distance:
            return 0
        token = before[-distance].lstrip(_EDGE)
        if _NUMBER.fullmatch(token):
            return distance
        if not (_piece(token, True) or _piece(token, False)):
            return 0
    return 0


def _is_label(token: str) -> bool:
    """True for a label noun such as ``المجموعة`` (``وبالمجموعة`` too)."""
    labels = _tables()[4]
    key = fold(_bare(token))
    while key and key not in labels and key[0] in PROCLITICS:
        key = key[1:]
    return key in labels


def closes_abbreviation(before: str, after: str) -> bool:
    """True when a full stop between ``before`` and ``after`` closes an abbreviation, not a sentence.

    Args:
        before: the text before the stop, starting at a token boundary (a few words suffice).
        after: the text after the stop in the same paragraph (a few words suffice).

    Returns:
        False when the stop may end a sentence (no abbreviation, or the context says so).

    >>> closes_abbreviation("وأوضح د", " ماجد القحطاني")
    True
    >>> closes_abbreviation("تأسست المدينة عام 1950 م", " وكانت صغيرة")
    False
    """
    tokens = before.split()
    following = after.split(maxsplit=1)
    if not tokens or not following or before[-1:].isspace():
        return False
    abbr = lookup(tokens[-1].lstrip(_EDGE))
    if abbr is None:
        return False
    if following[0][0] in _CONTINUATION or _RANGE.match(after.lstrip()):
        return True
    if _NUMBER.match(following[0]):
        return True  # ص. 12، ت. 0112، 1290 ق. م. و1224 ق. م.
    previous = [t.lstrip(_EDGE) for t in tokens[:-1]]
    if abbr.kind == CLOSING:
        return False
    if abbr.piece:
        nxt = following[0].strip(_EDGE + CLOSE_BRACKETS)
        stopped_next = _piece(nxt, True)
        open_next = _piece(nxt, False)
        if stopped_next or (open_next and not open_next.word and nxt != "\u0648"):
            return True  # a chain goes on: ق. م.، د. ب. أ، سي. إن. إن
    distance = _number_distance(previous)
    if (distance == 1 and abbr.after_number) or distance == 2:
        return False  # an era, time or unit after a number: 2015 م.، 1436 هـ.، 500 ق. م.، 4 م د.
    if abbr.piece and previous and _is_label(previous[-1]):
        return False  # فيتامين د.، المجموعة ب.
    if abbr.kind == LETTERS and abbr.piece:
        if previous and _piece(previous[-1], True):
            return True  # inside a chain: سي. إن. إن.
        if previous and _piece(previous[-1], False):
            return False  # the end of a spaced acronym: بي بي سي.
        return not abbr.word
    return True
