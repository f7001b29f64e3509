"""The longest "word" khabar treats as one: a longer run of non-space characters is noise, not a name.

A page with a line of 200,000 letters and no space (a broken scrape, a hostile input) is one
token. It must not become an entity mention, a referent or a keyword (nor, in the store, a row
of 200k characters repeated in every table). Real words are far shorter: over 11.2 million
letter runs of the ANT corpora (v2.1 and v1.1), the longest real word has 21 letters
(``وتيتراهايدروكانابينول``), 11 runs exceed 20 letters and only 2 exceed 25 (lines of tatweel,
178 and 181 characters) -- ``python bench/bench_word_lengths.py`` prints these figures.
The bound, 40, is about twice the longest real word: room for two or three words glued by a
missing space (``الولاياتالمتحدةالأمريكية``, 24) and for a long Latin hashtag, and far below
any run of noise.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MAX_WORD_CHARS", "has_overlong_word"]

#: the most characters of one whitespace-free word in an entity mention or a keyword
MAX_WORD_CHARS: Final = 40


def has_overlong_word(text: str) -> bool:
    """True when a whitespace-separated word of ``text`` has over :data:`MAX_WORD_CHARS` characters."""
    if len(text) <= MAX_WORD_CHARS:
        return False
    return any(len(word) > MAX_WORD_CHARS for word in text.split())
