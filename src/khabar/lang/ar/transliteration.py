"""Spelling variants of transliterated foreign names (``ميشال`` / ``ميشيل``, ``جوزيف`` / ``جوزف``, ``ترامب`` / ``ترمب``).

Arabic writes the vowels of a foreign name with the long-vowel letters ا و ي as each writer
hears them, so one person is spelt several ways. Arabic given names vary in the same letters
but are different names (``جمال`` / ``جميل``, ``حسن`` / ``حسين``, ``سعد`` / ``سعيد``): they
are Arabic words, met with the article in running text (``الجميل``, ``الحسن``, ``السعيد``),
while a transliterated name almost never is (``الترامب``, ``الميشال``: at most once in the 7.8
million words of the ANT corpora, counted by ``training/build_lexicon.py``). So
:func:`variant_key` drops the inner long-vowel letters only of words those counts never or
once show after ``ال``; every other word is its own key. Gulf given names often stand without
the article too (``نايف``, ``نواف``, ``طلال``): a name is read as transliterated only when every
word of it is and it has two words or more (:func:`variant_name`), and a key keeps at least
three letters, so ``نايف عبدالله`` and ``نواف عبدالله`` (an Arabic family name; and ``~نف``,
two letters) stay two, and so do a lone ``ميسي`` and ``موسي``.

Callers compare people's names with it (never places: ``غينيا`` and ``غانا`` share a key).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from khabar.lang.ar.glue import _count
from khabar.lang.ar.normalize import fold
from khabar.memo import MEMO_MAXSIZE

# A word seen after the article more often than this in ANT is Arabic (a measured line: ماكرون,
# ماي and ميسي are each seen once after ال by tokenisation noise; محمد, سعود, سالم four times).
MAX_ARTICLE_COUNT: Final = 1
MIN_LETTERS: Final = 4  # shorter words are too often two names at once (جون / جين)
MIN_KEY_LETTERS: Final = 3  # a key of two letters is a root shared by two Arabic names (نايف / نواف: نف)
_VOWEL_LETTERS: Final = frozenset("اوي")
# Arabic names written as one word (عبدالله / عبيدالله are two names) and words with the article.
_ARABIC_COMPOUNDS: Final = ("عبد", "ابو", "ال")
MARK: Final = "~"  # opens a variant key, so that it never equals a plain word


@lru_cache(maxsize=MEMO_MAXSIZE)
def variant_key(word: str) -> str:
    """The key under which spelling variants of a transliterated name meet.

    Args:
        word: one word of a name; it is folded first (hamza forms, ى/ي, ة/ه).

    Returns:
        For a word of at least :data:`MIN_LETTERS` letters that the ANT counts show after ``ال``
        at most :data:`MAX_ARTICLE_COUNT` times: :data:`MARK` + its first letter, its inner
        letters without ا و ي, and its last letter (``ميشيل`` and ``ميشال`` -> ``~مشل``), when
        that keeps :data:`MIN_KEY_LETTERS` letters; any other word: the folded word itself
        (``جميل`` -> ``جميل``, ``نايف`` -> ``نايف``).
    """
    w = fold(word)
    if len(w) < MIN_LETTERS or w.startswith(_ARABIC_COMPOUNDS) or not w.isalpha():
        return w
    inner = "".join(ch for ch in w[1:-1] if ch not in _VOWEL_LETTERS)
    if len(inner) + 2 < MIN_KEY_LETTERS or _count("ال" + w) > MAX_ARTICLE_COUNT:
        return w
    return MARK + w[0] + inner + w[-1]


def variant_name(words: Sequence[str]) -> tuple[str, ...]:
    """A person's name of two words or more (its folded words) with every word by its
    :func:`variant_key` when each of them has one (a transliterated name: ``('ميشال', 'بلاتيني')``
    -> ``('~مشل', '~بلتني')``); otherwise the words as they are (``('نايف', 'عبدالله')``: an
    Arabic name). A lone word is never keyed: alone, ``ميسي`` and ``موسي`` would meet."""
    keys = tuple(variant_key(w) for w in words)
    if len(keys) > 1 and all(k.startswith(MARK) for k in keys):
        return keys
    return tuple(words)
