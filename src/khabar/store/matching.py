"""The matching view of an article: the words search matches on, with original offsets.

Each word of the REPAIRED text gets a key -- clitics stripped, folded, lower-cased -- so
``الولايات`` finds a glued ``الولاياتالمتحدة``, ``فى`` finds ``في`` and ``المحادثات`` finds
``محادثات``; its span is mapped back to the original text, which never changes. The same
keys index the store (``documents_fts``) and parse queries.
"""

from __future__ import annotations

import hashlib
import re
import sys
import zlib
from array import array
from dataclasses import dataclass
from typing import Final

from khabar.components.keywords import word_key
from khabar.components.segment import split_clitics
from khabar.doc import Doc
from khabar.lang.ar.chars import DIACRITIC_RANGES, LETTER_RANGES, TATWEEL
from khabar.lang.ar.normalize import fold
from khabar.memo import short_memo
from khabar.wordlen import MAX_WORD_CHARS

_WORD: Final = re.compile(
    rf"(?P<arabic>[{LETTER_RANGES}][{LETTER_RANGES}{DIACRITIC_RANGES}{TATWEEL}]*)|(?P<other>[^\W_]+)"
)
_SPACES: Final = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class IndexTerm:
    """One indexed word: its matching key and its span in the ORIGINAL text."""

    key: str
    start: int
    end: int


@short_memo(maxsize=100_000)  # tokens over MAX_MEMO_CHARS are not memoised
def term_key(word: str, arabic: bool = True) -> str:
    """The index key of one word: clitics stripped (Arabic), folded, lower-cased.

    ``والمحادثات`` -> ``محادثات``; ``فى`` -> ``في``; a lone clitic gives ``""``. A word over
    :data:`~khabar.wordlen.MAX_WORD_CHARS` characters is no word (a run of letters with no space):
    its key is its first MAX_WORD_CHARS characters, folded, never segmented (segmenting a
    2.6-million-letter token took 19 s); a query holding the same run finds it by the same key.
    """
    if len(word) > MAX_WORD_CHARS:
        return word_key(word[:MAX_WORD_CHARS])
    if not arabic:
        return word_key(word)
    pieces = split_clitics(word)
    bases = [form for _s, _e, role, form in pieces if role == "base"]
    if not bases:
        return ""
    if len(bases[0]) < 3:
        # a one- or two-letter base before a "pronoun" is usually a mis-split name (فيينا -> في+ينا):
        # keep the suffixes so it does not collide with a particle
        return word_key("".join(form for _s, _e, role, form in pieces if role != "proclitic"))
    return word_key(bases[0])


def text_terms(text: str) -> list[tuple[str, int, int]]:
    """``(key, start, end)`` for every word of ``text`` (offsets into ``text``)."""
    out: list[tuple[str, int, int]] = []
    for m in _WORD.finditer(text):
        key = term_key(m.group(), m.lastgroup == "arabic")
        if key:
            out.append((key, m.start(), m.end()))
    return out


def index_terms(doc: Doc) -> list[IndexTerm]:
    """The matching view of ``doc``: words of the REPAIRED text, mapped back to the original.

    Within the work budget (:func:`khabar.pipeline.work_prefix`) words are clitic-split as the
    analysis splits them; past it (the part of an over-long text left unanalysed, K131) each word
    is only folded and lower-cased (``والمحادثات`` stays ``والمحادثات``): still found by its whole
    form, at the cost of a regular expression, never of the segmenter.
    """
    from khabar.pipeline import work_prefix

    to_orig = doc.repaired_map.span_to_original
    repaired = doc.repaired
    cut = work_prefix(doc.text)
    if cut is None:
        return [IndexTerm(key, *to_orig(s, e)) for key, s, e in text_terms(repaired)]
    # The edits all lie in the analysed part: the rest is the same text, shifted by ``delta``.
    delta = len(repaired) - len(doc.text)
    rcut = cut + delta
    terms = [IndexTerm(key, *to_orig(s, e)) for key, s, e in text_terms(repaired[:rcut])]
    for m in _WORD.finditer(repaired, rcut):
        key = word_key(m.group()[:MAX_WORD_CHARS])
        if key:
            terms.append(IndexTerm(key, m.start() - delta, m.end() - delta))
    return terms


def pack_term_spans(terms: list[IndexTerm]) -> bytes:
    """The terms' original ``(start, end)`` as stored: start deltas and lengths, int32 little-endian, zlib.

    Deltas keep the numbers small so they compress about 4x; they are signed because
    two repaired words can map back into one replaced stretch of the original.
    """
    flat = array("i")
    prev_start = 0
    for t in terms:
        flat.append(t.start - prev_start)
        flat.append(t.end - t.start)
        prev_start = t.start
    if sys.byteorder == "big":
        flat.byteswap()
    return zlib.compress(flat.tobytes(), 6)


def term_span_array(blob: bytes) -> array[int]:
    """The stored ``[delta0, length0, delta1, length1, ...]`` of :func:`pack_term_spans`."""
    flat = array("i")
    flat.frombytes(zlib.decompress(blob))
    if sys.byteorder == "big":
        flat.byteswap()
    return flat


def unpack_term_spans(blob: bytes) -> list[tuple[int, int]]:
    """Inverse of :func:`pack_term_spans`: the original ``(start, end)`` of every indexed term."""
    flat = term_span_array(blob)
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(0, len(flat) - 1, 2):
        start += flat[i]
        out.append((start, start + flat[i + 1]))
    return out


def norm_name(name: str) -> str:
    """A name as matched by filters: folded, lower-cased, spaces collapsed."""
    return _SPACES.sub(" ", fold(name).lower()).strip()


def content_hash(text: str) -> str:
    """The identity of an article: sha256 of its original text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
