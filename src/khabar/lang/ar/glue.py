"""Find spaces lost inside glued Arabic words (``الولاياتالمتحدة`` -> ``الولايات|المتحدة``).

Scraped Arabic news loses spaces between words. This module decides, for a run of
Arabic letters, where spaces are missing, and reports *offsets* only: the text is
never rewritten here (repair components record the insertions as edits).

The model is a small word n-gram language model built from the ANT corpus
(``training/build_lexicon.py``; folded unigram and bigram counts). For a token ``T``
it compares

* the best one-word explanation: ``T`` as a known word, as clitics + a known stem
  (``ب+الولايات``, ``محادثات+هما``, ``يستحضر+ان+ها``, ``ل+مشاركت(ة)+ك``), or as an
  unknown word scored by a character n-gram model of word spellings (also from ANT), so
  a plausible unknown name costs less than two words run together; against
* the best segmentation into two or more parts (dynamic programming), scored with a
  bigram model (Dirichlet-smoothed), where each part is a known word or, when long
  enough, itself an unknown word.

A split is kept when it wins by a margin; each cut after the first pays a penalty (two
lost spaces in one token are rarer than one). Word-final letters (ة, ى) inside a token are
orthographic evidence of a boundary and earn a bonus; so, less, does an inner أ/إ/آ (a
hamza on alef mostly starts a word: ``استطاعأن``, with its proclitics: ``أكبروأعقد``), which
folding would otherwise hide (``استطاعان`` reads as a dual). A two-letter part must be a
function word (في, من, ما...) or have been seen beside the part it is cut from, and a token
seen 20 times or more in the counts is never split. One-word explanations obey Arabic
spelling (a definite noun takes no pronoun, ``ل`` + ``ال`` is ``لل``, the future ``س`` only
before an imperfect verb), and a short piece unknown as written may be a proclitic + a known
word (``ف+بكت``). The margin moves with the shape of the split: long pieces (or a frequent
3-letter grammar word) make a chance decomposition unlikely, rare 3-letter pieces and unknown
pieces make it likelier. An unseen word pair costs at most ``_PAIR_FLOOR`` x the unigram
(pairs seen once are pruned from the counts). ``restore_spaces`` also looks at the text for
borderline tokens: the neighbouring words (``عن الولاياتالمتحدة``: a split whose outer parts
fit their neighbours is more likely a real glue) and a cache model of the text's own words
(pieces used elsewhere in it make a split likelier; a token repeated as written is a word).

Lookups fold orthography (ى->ي, أإآ->ا, ة->ه, no diacritics or tatweel), so Egyptian
``فى`` and Gulf ``في`` share statistics; offsets always refer to the original string.
"""

from __future__ import annotations

import array
import math
import re
from collections import Counter
from functools import lru_cache

import marisa_trie  # type: ignore[import-not-found, unused-ignore]  # no type information

from khabar.errors import ResourceError
from khabar.lang.ar.normalize import fold as normalize_fold
from khabar.lang.ar.packed import PackError, pack, unpack
from khabar.memo import MEMO_MAXSIZE
from khabar.resources import read_model

__all__ = ["FORMAT_VERSION", "PROCLITICS", "WORD_RE", "fold", "restore_spaces", "split_glued"]

#: Version of the lexicon file layout written by training/build_lexicon.py.
FORMAT_VERSION = 3
LEXICON_FILE = "ar_lexicon.bin.gz"

# Arabic letters (base block + the extended letters used for Persian/Urdu loans).
LETTERS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06fa-\u06fc"
# Marks that ride on a letter: tatweel, harakat, superscript alef, Quranic marks.
MARKS = "\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
#: A run of Arabic letters (marks may follow any letter).
WORD_RE = re.compile(f"[{LETTERS}][{LETTERS}{MARKS}]*")
_LETTER_RE = re.compile(f"[{LETTERS}]")
_MARK_RE = re.compile(f"[{MARKS}]")
# ة and ى only ever end a word: met inside a token, they mark a lost space after them.
_FINAL_ONLY = frozenset("\u0629\u0649")

# Clitics, folded. A token that is prefix + known stem + suffix is a word, not a glue.
_CONJUNCTIONS = ("", "و", "ف")
_PARTICLES = ("", "ب", "ل", "ك", "س")
_PRONOUNS = ("ه", "ها", "هما", "هم", "هن", "ك", "كم", "كما", "كن", "نا", "ني", "ي")
_INFLECTIONS = ("ان", "ين", "ون", "ات", "تان", "تين", "وا", "يه", "يون", "يين", "يات", "ته", "تها",
                "تهم", "ا", "ت", "تم", "تما", "تن", "ن", "نا")


def _clitic_tables() -> tuple[tuple[str, ...], dict[str, tuple[int, int]]]:
    """Proclitic strings, and suffix string -> (inflections, pronouns) it is made of."""
    prefixes: set[str] = set()
    for conj in _CONJUNCTIONS:
        for part in _PARTICLES:
            for article in ("", "ال"):
                if part == "س" and article:
                    continue  # the future marker takes verbs, never the article
                prefix = conj + part + article
                if part == "ل" and article:
                    prefix = conj + "لل"  # ل + ال is spelt لل
                if prefix:
                    prefixes.add(prefix)
    suffixes: dict[str, tuple[int, int]] = {}
    for inflection in ("", *_INFLECTIONS):
        for pronoun in ("", *_PRONOUNS):
            if inflection or pronoun:
                shape = (1 if inflection else 0, 1 if pronoun else 0)
                old = suffixes.get(inflection + pronoun)
                if old is None or sum(old) > sum(shape):
                    suffixes[inflection + pronoun] = shape
    return tuple(sorted(prefixes, key=lambda p: (len(p), p))), suffixes


_PREFIXES, _SUFFIXES = _clitic_tables()
_PREFIX_SET = frozenset(_PREFIXES)
#: Proclitic strings that attach to whatever follows (و, ف, ب, ل, ك, ال, لل, وال, بال, ولل...);
#: the future marker س is left out: it only ever attaches to a verb.
PROCLITICS = frozenset(p for p in _PREFIXES if "س" not in p)
_MAX_PREFIX = max(len(p) for p in _PREFIXES)
_MAX_SUFFIX = max(len(s) for s in _SUFFIXES)
# Proclitics alone are never words, though scraped text leaves a few (``ال`` in the counts).
_NOT_PARTS = frozenset(p for p in _PREFIXES if p.endswith(("ال", "لل")))

# Model parameters (log space). Chosen on SaudiNewsNet samples (seeds 11, 12, 13) that
# differ from the reported benchmark samples; see bench/bench_repair.py.
_MU = 1000.0  # Dirichlet prior mass for bigram smoothing
_PAIR_FLOOR = 0.3  # P(w2 | w1) >= this * P(w2): pairs seen once are pruned, so an unseen pair is weak evidence
_LOG_PREFIX = math.log(0.05)  # cost of explaining a token with a proclitic
_LOG_PRONOUN = math.log(0.05)  # ... with a pronoun suffix
_LOG_INFLECTION = math.log(0.02)  # ... with an inflectional suffix
# log P(unknown word) = _OOV_BASE + _OOV_SCALE * log P_char(word): a character n-gram model
# of word spellings, so a plausible unknown name costs less than a run of two words.
_OOV_BASE = -1.0
_OOV_SCALE = 1.0
_CHAR_FLOOR = -12.0  # log P of a letter the character model never saw
_CHAR_ORDER = 5
_MIN_PART = 2  # single letters are clitics, never separate glued words
_MIN_COUNT_2 = 1000  # two-letter parts must be frequent function words (في, من, ما...)
# Two-letter function words (folded) that glue onto their neighbours. Any other two-letter part
# (حل, حد, ظل; transliterations سي, دي) must have been seen beside the part it is cut from:
# ``يضمحل`` is a rare word, not ``يضم حل``.
# Endings a definite noun may take (dual, plural, nisba); pronouns and verb endings it never takes.
_DEFINITE_SUFFIXES = frozenset(("ان", "ين", "ون", "ات", "تان", "تين", "يه", "يون", "يين", "يات"))
_FUNCTION_2 = frozenset((
    "في", "من", "عن", "مع", "ما", "لا", "لم", "لن", "قد", "او", "اي", "ان", "ام", "كل", "هو", "هي",
    "لو", "له", "به", "لك", "لي", "ثم", "اذ", "بل", "ضد", "تم", "بن", "ذا", "ذو", "ذي", "كم", "بد",
    "هل", "هم", "هن", "بي", "بك",
))
_MIN_OOV_PART = 6  # an unknown part must be this long (short unknown bits are noise) ...
_MIN_CLITIC_PART = 4  # ... or this long and proclitics + a known word:
_SHORT_PART_PROCLITICS = frozenset(("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"))
_FINAL_BONUS = 9.0  # a cut right after an inner ة/ى
_THRESHOLD = 6.25  # margin (nats) the split must win by
_CONTEXT_RANGE = 3.0  # borderline band below the threshold where neighbours may decide
# The chance that an unknown word falls apart into known words by accident is high for short
# pieces (many 3-letter words: دفتر|دار, بلاك|بوش) and small for long ones (every piece 5+
# letters): the margin moves with the shortest piece of the split.
# A frequent 3-letter piece is a grammar word (الذي التي هذا على كان بين), no accident.
_LONG_PART = 5
_LONG_PART_BONUS = 3.0
_SHORT_PART_PENALTY = 1.0  # the shortest piece has 3 letters (2-letter ones are function words)
_FREQUENT_SHORT = 5000  # ... unless each 3-letter piece is seen this often
_FREQUENT_SHORT_BONUS = 1.0
# A split that leaves an unknown piece explains the token by two lost-space events and an
# unseen word: less likely than the margin says (mostly foreign names read as word + rest).
_UNKNOWN_PART_PENALTY = 3.5
# Cache model (Kuhn & De Mori 1990): a word used elsewhere in the same text is likelier here.
# P_doc(w) = P(w) + _DOC_WEIGHT * count_in_text(w) / words_in_text; for borderline tokens the
# pieces gain by their other uses in the text and the unsplit token by its own repeats (a
# name or word repeated as written is a word). Band: from _DOC_BELOW under the threshold to
# _DOC_ABOVE over it.
_DOC_WEIGHT = 0.2
_DOC_BELOW = 6.0
_DOC_ABOVE = 3.0
_MAX_LETTERS = 48  # longer runs are not words; do not spend DP time on them
# Fast path: a word seen this often in the corpus is a word. (A split would have to beat
# it by exp(_THRESHOLD) ~ 1400x in bigram evidence, which never happens at this count.)
_SAFE_COUNT = 5
# ... and one seen this often is never split, whatever its letters say (the folded counts
# cannot tell علىأن from عليان, so below it an inner ة/ى still decides).
_WORD_COUNT = 20
_CUT_PENALTY = 3.0  # each cut after the first (two glues in one token are rarer than one)
_HAMZA_BONUS = 6.0  # a cut before an inner أ/إ/آ
_HAMZA_ALEFS = frozenset("\u0623\u0625\u0622")

_NEG_INF = float("-inf")


class _Lexicon:
    """The packed tables: one trie of keys per table, values in an array indexed by key id.

    ``uni``: folded word -> count; ``bi``: ``"w1 w2"`` -> count; ``char``: character n-gram
    ``history + letter`` -> log P(letter | history) in thousandths; ``backoff``: history -> log
    weight of the shorter history, in thousandths (the training script rounds both to 3 decimals,
    so ``value / 1000`` is exactly the float of that decimal).
    """

    __slots__ = ("backoff", "backoff_value", "bi", "bi_count", "char", "char_value", "log_total", "total",
                 "uni", "uni_count")

    def __init__(self, tables: dict[str, tuple[marisa_trie.Trie, array.array[int]]]) -> None:
        self.uni, self.uni_count = tables["uni"]
        self.bi, self.bi_count = tables["bi"]
        self.char, self.char_value = tables["char"]
        self.backoff, self.backoff_value = tables["backoff"]
        self.log_total = math.log(max(1, sum(self.uni_count)))
        self.total = math.exp(self.log_total)  # as the smoothing has always divided by it


_LEXICON: _Lexicon | None = None


def fold(word: str) -> str:
    """Matching key: drop marks, fold ى/ي, hamza-alef forms, ة/ه (the matching view's folding)."""
    return normalize_fold(word)


def _lexicon() -> _Lexicon:
    """Load the packaged counts on first use (importing this module does no I/O)."""
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = _read_lexicon()
    return _LEXICON


# The file is a khabar.lang.ar.packed file: for each table, a marisa trie of its keys
# ("<table>.keys") and an array of its values indexed by key id ("<table>.values"); the
# header carries the format and provenance lines ("about").
_TABLES = ("uni", "bi", "char", "backoff")
_TYPECODES = "BbHhIi"  # the packer takes the smallest that holds a table's values
_READ_ERRORS = (PackError, OSError, EOFError, ValueError, KeyError, TypeError, AttributeError)


def pack_lexicon(tables: dict[str, dict[str, int]], about: list[str]) -> bytes:
    """The gzipped lexicon file for ``tables`` (a :mod:`khabar.lang.ar.packed` file).

    Args:
        tables: for each of ``uni``, ``bi``, ``char``, ``backoff``: key -> integer value
            (counts; log values in thousandths).
        about: provenance lines kept in the header.

    Returns:
        Bytes that :func:`unpack_lexicon` reads back; the same tables always give the same bytes.
    """
    sections: dict[str, marisa_trie.Trie | array.array[int]] = {}
    for name in _TABLES:
        table = tables[name]
        trie = marisa_trie.Trie(table)
        values = [0] * len(trie)
        for key, key_id in trie.items():
            values[key_id] = table[key]
        low, high = min(values, default=0), max(values, default=0)
        code = next(c for c in _TYPECODES if _fits(c, low, high))
        sections[name + ".keys"] = trie
        sections[name + ".values"] = array.array(code, values)
    return pack(sections, {"format": FORMAT_VERSION, "about": about})


def _fits(code: str, low: int, high: int) -> bool:
    """True when every value in [low, high] fits typecode ``code``."""
    bits = 8 * array.array(code).itemsize
    if code.islower():
        return -(1 << (bits - 1)) <= low and high < 1 << (bits - 1)
    return low >= 0 and high < 1 << bits


def unpack_lexicon(raw: bytes) -> dict[str, tuple[marisa_trie.Trie, array.array[int]]]:
    """The tables of a lexicon file: name -> (trie of keys, values indexed by trie id).

    Raises:
        PackError: the bytes are not a packed file of this format, or a table is incomplete.
    """
    header, sections = unpack(raw)
    if header.get("format") != FORMAT_VERSION:
        raise PackError(f"format {header.get('format')}, {FORMAT_VERSION} needed")
    tables: dict[str, tuple[marisa_trie.Trie, array.array[int]]] = {}
    for name in _TABLES:
        trie, values = sections.get(name + ".keys"), sections.get(name + ".values")
        if not isinstance(trie, marisa_trie.Trie) or not isinstance(values, array.array) or len(trie) != len(values):
            raise PackError(f"table {name} is missing or incomplete")
        tables[name] = (trie, values)
    return tables


def _read_lexicon() -> _Lexicon:
    """Read ``khabar/models/ar_lexicon.bin.gz`` (written by training/build_lexicon.py)."""
    raw = read_model(LEXICON_FILE, code="K201")
    try:
        return _Lexicon(unpack_lexicon(raw))
    except _READ_ERRORS as exc:
        raise ResourceError(
            f"Arabic lexicon {LEXICON_FILE} is corrupt or of another format ({exc})",
            hint="reinstall khabar, or rebuild it with training/build_lexicon.py",
            code="K201",
        ) from exc


# Trie lookups cost ~1-2 us against ~0.05 us for a dict: the hot ones sit behind caches.
# Cache sizes: bench/bench_glue.py over 3,000 articles shows each cache's fill and hits; these
# bounds keep the caches to ~60 MB (the 2^17-2^18 entries they had took ~100 MB) while the
# frequent tokens, substrings and n-grams, which make nearly all the hits, stay cached (halving
# the large ones saves ~30 MB more but costs ~40% more misses and ~25% of the speed).
@lru_cache(maxsize=2 * MEMO_MAXSIZE)
def _count(word: str) -> int:
    """Folded unigram count of ``word`` (0 when unseen)."""
    lex = _lexicon()
    key_id = lex.uni.get(word)
    return 0 if key_id is None else lex.uni_count[key_id]


@lru_cache(maxsize=1 << 12)  # few repeats: a bigram is asked about within one token
def _pair_count(first: str, second: str) -> int:
    """Folded bigram count of ``first second`` (0 when unseen or pruned)."""
    lex = _lexicon()
    key_id = lex.bi.get(first + " " + second)
    return 0 if key_id is None else lex.bi_count[key_id]


def _known_logp(word: str) -> float | None:
    """log P(word) if it may stand as a part of a split, else None (uncached: only the cached
    :func:`_part_logp` asks)."""
    count = _count(word)
    if count == 0 or (len(word) == 2 and count < _MIN_COUNT_2 and word not in _FUNCTION_2) or word in _NOT_PARTS:
        return None
    return math.log(count) - _lexicon().log_total


def _char_logp(word: str) -> float:
    """log P_char(word): the character n-gram model of word spellings (backoff form)."""
    padded = "^" + word + "$"
    total = 0.0
    terms_of = _char_terms
    for i in range(1, min(_CHAR_ORDER - 1, len(padded))):  # histories from the start of the word
        for term in terms_of(padded[: i + 1]):
            total += term  # one term at a time, in model order: the sum stays bit-identical
    for i in range(_CHAR_ORDER - 1, len(padded)):  # then full-length ones
        for term in terms_of(padded[i - _CHAR_ORDER + 1 : i + 1]):
            total += term
    return total


@lru_cache(maxsize=MEMO_MAXSIZE)
def _char_terms(gram: str) -> tuple[float, ...]:
    """The log terms for the last letter of ``gram`` after the others: the backoff weights of
    the histories that miss it, then its probability (or the floor for an unseen letter)."""
    lex = _lexicon()
    hist, letter = gram[:-1], gram[-1]
    terms: list[float] = []
    while True:
        key_id = lex.char.get(hist + letter)
        if key_id is not None:
            terms.append(lex.char_value[key_id] / 1000)
            break
        if not hist:
            terms.append(_CHAR_FLOOR)
            break
        key_id = lex.backoff.get(hist)
        terms.append(0.0 if key_id is None else lex.backoff_value[key_id] / 1000)
        hist = hist[1:]
    return tuple(terms)


def _oov_logp(word: str) -> float:
    """log P(word) for a word the counts do not know."""
    return _OOV_BASE + _OOV_SCALE * _char_logp(word)


@lru_cache(maxsize=1 << 12)  # asked once per new token or unknown part, rarely again
def _word_logp(key: str) -> float:
    """Best one-word explanation: known word, clitics + known stem, or unknown word."""
    log_total = _lexicon().log_total
    n = len(key)
    best = _oov_logp(key)
    count = _count(key)
    if count:
        best = max(best, math.log(count) - log_total)
    # the suffixes the key may end in, found once for every prefix (best is a max: order is free)
    endings: list[tuple[int, str, tuple[int, int]]] = [(0, "", (0, 0))]
    for cut in range(1, min(_MAX_SUFFIX, n - 2) + 1):
        shape = _SUFFIXES.get(key[n - cut:])
        if shape is not None:
            endings.append((cut, key[n - cut:], shape))
    for plen in range(min(_MAX_PREFIX, n - 2) + 1):
        prefix = key[:plen]
        if plen and prefix not in _PREFIX_SET:
            continue
        for cut, suffix, shape in endings:
            if cut > n - plen - 2:
                break
            if not prefix and not cut:
                continue
            stem = key[plen:n - cut]
            if (prefix or stem.startswith("ال")) and not _clitics_agree(prefix, stem, suffix, shape):
                continue
            stem_count = _count(stem)
            if not stem_count and shape[1] and stem.endswith("ت"):
                stem_count = _count(stem[:-1] + "ه")  # ة is spelt ت before a pronoun
            if not stem_count:
                continue
            score = math.log(stem_count) - log_total
            if prefix:
                score += _LOG_PREFIX
            score += shape[0] * _LOG_INFLECTION + shape[1] * _LOG_PRONOUN
            best = max(best, score)
    # Dual pronouns extend a singular one (ـه -> ـهما, ـت -> ـتما, ـك -> ـكما): a known
    # ``لفخامته`` explains ``لفخامتهما``, which must not become ``لفخامته ما``.
    if n >= 5 and key.endswith("ما") and key[-3] in "هتك":
        base = key[:-2]
        inner = _word_logp(base)
        if inner > _oov_logp(base):
            best = max(best, inner + _LOG_PRONOUN)
    return best


def _clitics_agree(prefix: str, stem: str, suffix: str, shape: tuple[int, int]) -> bool:
    """False for clitics Arabic spelling rules out: a definite noun (``ال`` + a known word, or
    a proclitic ending in ``ال``/``لل``) takes no pronoun and no verb ending (``الفعاليات+ك``,
    ``العند+ا`` are two glued words, not one), and the preposition ``ل`` before the article
    is spelt ``لل`` (``ل+الثاني`` is ``لل`` + ``ثاني``); the future ``س`` comes before an
    imperfect verb only (``سي``, ``ست``, ``سن``, ``سا``), and a verb's ``وا`` loses its alef before
    a pronoun (``كتبوه``, never ``كتبواه``)."""
    if prefix.endswith("س") and not stem.startswith(("ي", "ت", "ن", "ا")):
        return False
    if shape[1] and suffix.startswith("وا"):
        return False
    definite = prefix.endswith(("ال", "لل"))
    if not definite and stem.startswith("ال") and len(stem) > 3:
        definite = _count(stem[2:]) > 0  # not التزام, التهاب...: their rest is no word
        if definite and prefix.endswith("ل") and not prefix.endswith("لل"):
            return False
    return not definite or not suffix or (not shape[1] and suffix in _DEFINITE_SUFFIXES)


def _needs_support(word: str) -> bool:
    """True for a two-letter part that is not a function word (see ``_FUNCTION_2``)."""
    return len(word) == 2 and word not in _FUNCTION_2


@lru_cache(maxsize=2 * MEMO_MAXSIZE)
def _part_logp(word: str) -> tuple[float | None, bool]:
    """Score of ``word`` as one part of a split, and whether it is a known word."""
    known = _known_logp(word)
    if known is not None:
        return known, True
    if len(word) >= _MIN_OOV_PART:
        return _word_logp(word), False
    if len(word) >= _MIN_CLITIC_PART and _count(word) == 0:
        # a short unknown part is a word only as proclitics + a known word (ف+نظرت, و+مشوق)
        best: float | None = None
        for plen in (1, 2):
            prefix, stem = word[:plen], word[plen:]
            if prefix in _SHORT_PART_PROCLITICS and len(stem) >= 3 and _clitics_agree(prefix, stem, "", (0, 0)):
                stem_count = _count(stem)
                if stem_count:
                    logp = math.log(stem_count) - _lexicon().log_total + _LOG_PREFIX
                    best = logp if best is None else max(best, logp)
        if best is not None:
            return best, False
    return None, False


def _bigram_logp(lex: _Lexicon, first: str, second: str) -> float:
    """log P(second | first), Dirichlet-smoothed towards the unigram P(second)."""
    c_first = _count(first)
    c_second = _count(second)
    c_pair = _pair_count(first, second)
    p_second = c_second / lex.total
    return math.log(max((c_pair + _MU * p_second) / (c_first + _MU), _PAIR_FLOOR * p_second))


def _has_score(word: str) -> bool:
    """True when ``_part_logp(word)`` is a number: a part of 6+ letters always is (known, or
    scored as an unknown word), so its costly one-word score is not needed to say so."""
    return len(word) >= _MIN_OOV_PART or _part_logp(word)[0] is not None


def _pair_allowed(prev_word: str, word: str) -> bool:
    """False for two neighbouring parts the DP may not join (a short content word, no evidence)."""
    return not ((_needs_support(word) or _needs_support(prev_word)) and not _pair_count(prev_word, word))


def _live_cells(key: str) -> list[tuple[int, int]] | None:
    """The parts ``(end, start)`` of ``key`` that lie on some whole segmentation into two or more
    scored parts joined by allowed pairs (:func:`_pair_allowed`), in the order the DP scores them
    (end, then start, rising); None when there is no such segmentation. Reads no part's score,
    only whether it has one (:func:`_has_score`)."""
    n = len(key)
    part_logp, function_2, pair_count = _part_logp, _FUNCTION_2, _pair_count
    # A pair needs to have been seen when either part is a short content word (2 letters, not a
    # function word); ``free[i]``: some part ends (forward) or starts (backward) at i that is not one.
    # forward: the parts reachable from the start of the token
    starts_at: list[list[int]] = [[] for _ in range(n + 1)]  # start -> ends of reachable parts
    ending: list[list[int]] = [[] for _ in range(n + 1)]  # end -> starts of reachable parts
    free = [False] * (n + 1)
    for end in range(_MIN_PART, n + 1):
        for start in range(end - _MIN_PART + 1):
            short = end - start == 2
            if start:
                before = ending[start]
                if not before:
                    continue
                word = key[start:end]
                if not short and end - start < _MIN_OOV_PART and part_logp(word)[0] is None:
                    continue  # (_has_score, inline)
                if short:
                    if part_logp(word)[0] is None:
                        continue
                    if word not in function_2:
                        if not any(pair_count(key[p:start], word) for p in before):
                            continue
                        short_content = True
                    else:
                        short_content = False
                        if not free[start] and not any(pair_count(key[p:start], word) for p in before):
                            continue
                else:
                    short_content = False
                    if not free[start] and not any(pair_count(key[p:start], word) for p in before):
                        continue
            else:
                if end == n:
                    continue  # the unsplit token is the alternative, scored apart
                word = key[:end]
                if end < _MIN_OOV_PART and part_logp(word)[0] is None:
                    continue
                short_content = short and word not in function_2
            ending[end].append(start)
            starts_at[start].append(end)
            if not short_content:
                free[end] = True
    if not any(ending[n]):  # (a start of 0 there is the whole token: not a cell)
        return None
    # backward: the reachable parts from which the end of the token is reachable
    live: set[tuple[int, int]] = set()
    free = [False] * (n + 1)
    for end in range(n, _MIN_PART - 1, -1):
        nexts = [nxt for nxt in starts_at[end] if (end, nxt) in live] if end < n else []
        for start in ending[end]:
            word = key[start:end]
            short_content = end - start == 2 and word not in function_2
            if end == n:
                if not start:
                    continue
            elif not (free[end] and not short_content) and not any(pair_count(word, key[end:x]) for x in nexts):
                continue
            live.add((start, end))
            if not short_content:
                free[start] = True
    return sorted((e, s) for s, e in live)


@lru_cache(maxsize=1 << 12)  # _token_analysis caches the tokens; this only adds spelling variants
def _analyse(key: str, finals: tuple[int, ...], hamzas: tuple[int, ...] = ()) -> tuple[tuple[int, ...], float]:
    """Best segmentation of a folded token: (cut offsets, margin over one word).

    ``finals``: positions of an inner ة/ى (a cut after one earns a bonus); ``hamzas``: positions
    of an inner أ/إ/آ (a cut before one earns a smaller bonus: most words start there).
    """
    n = len(key)
    if n < 2 * _MIN_PART or n > _MAX_LETTERS:
        return (), _NEG_INF
    lex = _lexicon()
    count = _count(key)
    if count >= _WORD_COUNT or count >= _SAFE_COUNT and not finals:
        return (), _NEG_INF
    live = _live_cells(key)
    if live is None:
        return (), _NEG_INF
    # best[(start, end)] = (score of key[:end] ending with word key[start:end], prev start, known);
    # ending[i]: the cells that end at i, by start (a part starting at i needs one before it).
    # Only the live cells (on a whole path, _live_cells) are scored: the others never reach a
    # final cell, and a live cell's predecessors through an allowed pair are live too, in the
    # same order, so the scores, the best path and its ties are those of the full table.
    best: dict[tuple[int, int], tuple[float, int, bool]] = {}
    ending: list[list[tuple[int, tuple[float, int, bool]]]] = [[] for _ in range(n + 1)]
    for end, start in live:
        word = key[start:end]
        logp, known = _part_logp(word)
        assert logp is not None  # (a live cell has a score)
        if start == 0:
            first = (logp, -1, known)
            best[(0, end)] = first
            ending[end].append((0, first))
            continue
        bonus = -_CUT_PENALTY
        if (start - 1) in finals:
            bonus += _FINAL_BONUS
        elif start in hamzas:
            bonus += _HAMZA_BONUS
        top: tuple[float, int, bool] | None = None
        for prev_start, prev in ending[start]:
            prev_word = key[prev_start:start]
            if (_needs_support(word) or _needs_support(prev_word)) and not _pair_count(prev_word, word):
                continue  # a short content word with no evidence beside its neighbour
            if known and prev[2]:
                score = prev[0] + _bigram_logp(lex, prev_word, word)
            else:
                score = prev[0] + logp
            score += bonus
            if top is None or score > top[0]:
                top = (score, prev_start, known)
        if top is not None:
            best[(start, end)] = top
            ending[end].append((start, top))
    finals_at_end = [(v[0], k) for k, v in best.items() if k[1] == n and k[0] > 0]
    if not finals_at_end:
        return (), _NEG_INF
    score, cell = max(finals_at_end)
    cuts: list[int] = []
    while cell[0] > 0:
        cuts.append(cell[0])
        cell = (best[cell][1], cell[0])
    # The first cut is paid for by the threshold; each further one by _CUT_PENALTY.
    return tuple(sorted(cuts)), score + _CUT_PENALTY - _word_logp(key)


def _hamza_cuts(letters: str) -> tuple[int, ...]:
    """Cuts before an inner أ/إ/آ or before its proclitics (``العشر|الأواخر``, ``أكبر|وأعقد``)."""
    cuts: set[int] = set()
    for i, ch in enumerate(letters):
        if ch in _HAMZA_ALEFS and i >= _MIN_PART:
            cuts.add(i)
            for prefix in _PREFIXES:
                j = i - len(prefix)
                if j >= _MIN_PART and letters.startswith(prefix, j):
                    cuts.add(j)
    return tuple(sorted(cuts))


def _is_name(letters: str) -> bool:
    """A gazetteer or annotated name, alone or after proclitics: a word, never two glued
    (``فيينتيان`` is not ``في`` + ``ينتيان``; names from :func:`clitic_evidence.name_words`)."""
    global _NAME_TABLES
    if _NAME_TABLES is None:
        from khabar.lang.ar.clitic_evidence import PROCLITIC_SURFACES, name_words

        _NAME_TABLES = (frozenset(PROCLITIC_SURFACES), max(map(len, PROCLITIC_SURFACES)), name_words())
    surfaces, longest, names = _NAME_TABLES
    # one slice per possible proclitic length, not one startswith per proclitic
    return any(letters[:k] in surfaces and letters[k:] in names for k in range(min(longest, len(letters)) + 1))


_NAME_TABLES: tuple[frozenset[str], int, frozenset[str]] | None = None


@lru_cache(maxsize=2 * MEMO_MAXSIZE)
def _token_analysis(token: str) -> tuple[tuple[int, ...], float, str]:
    """(cut offsets in ``token``, margin, folded key) for a run of Arabic letters."""
    if _MARK_RE.search(token) is None:  # the common case: letters only
        positions: list[int] | range = range(len(token))
        letters = token
    else:
        positions = [i for i, ch in enumerate(token) if _LETTER_RE.match(ch)]
        letters = "".join(token[i] for i in positions)
    key = normalize_fold(letters)
    count = _count(key)
    # a word (as _analyse would say), without the name and hamza look-ups: most tokens
    if count >= _WORD_COUNT or count >= _SAFE_COUNT and "\u0629" not in letters[:-1] and "\u0649" not in letters[:-1]:
        return (), -math.inf, key
    finals = tuple(i for i, ch in enumerate(letters[:-1]) if ch in _FINAL_ONLY)
    if _is_name(letters):
        return (), -math.inf, key
    hamzas = _hamza_cuts(letters)
    cuts, margin = _analyse(key, finals, hamzas)
    if cuts:
        margin += _shape_adjustment(_parts(key, cuts))
    # A cut before folded letter i goes before that letter in the original, so marks
    # (diacritics, tatweel) stay with the letter they follow.
    return tuple(positions[c] for c in cuts), margin, key


def _parts(key: str, cuts: tuple[int, ...]) -> list[str]:
    """The pieces of ``key`` cut before each offset in ``cuts``."""
    bounds = (0, *cuts, len(key))
    return [key[bounds[k]:bounds[k + 1]] for k in range(len(bounds) - 1)]


def _shape_adjustment(parts: list[str]) -> float:
    """Margin correction for the pieces of a split: their shortest length, an unknown piece."""
    shortest = min(len(p) for p in parts)
    adjust = 0.0
    if shortest >= _LONG_PART:
        adjust = _LONG_PART_BONUS
    elif shortest == 3:
        frequent = all(_count(p) >= _FREQUENT_SHORT for p in parts if len(p) == 3)
        adjust = _FREQUENT_SHORT_BONUS if frequent else -_SHORT_PART_PENALTY
    if not all(_part_logp(p)[1] for p in parts):
        adjust -= _UNKNOWN_PART_PENALTY
    return adjust


def split_glued(token: str) -> tuple[int, ...]:
    """Offsets inside ``token`` where a space is missing; ``()`` if none.

    Args:
        token: a run of Arabic letters, possibly with diacritics or tatweel
            (e.g. ``الولاياتالمتحدة``).

    Returns:
        Sorted offsets into ``token``; a space belongs before each one
        (``(8,)`` for ``الولاياتالمتحدة``).

    Raises:
        ResourceError: the packaged lexicon is missing or corrupt (K201).
    """
    if len(token) < 2 * _MIN_PART:
        return ()
    offsets, margin, _ = _token_analysis(token)
    return offsets if margin > _THRESHOLD else ()


def _pmi(lex: _Lexicon, first: str, second: str) -> float:
    """log P(second | first) - log P(second); 0 when either word is unknown (no evidence)."""
    c_second = _count(second)
    if not c_second or not first or not _count(first):
        return 0.0
    return _bigram_logp(lex, first, second) - (math.log(c_second) - lex.log_total)


def _context_gain(key: str, cuts: tuple[int, ...], prev: str, nxt: str) -> float:
    """How much better the outer parts fit their neighbours than the unsplit token does."""
    lex = _lexicon()
    first, last = key[:cuts[0]], key[cuts[-1]:]
    return (_pmi(lex, prev, first) - _pmi(lex, prev, key)
            + _pmi(lex, last, nxt) - _pmi(lex, key, nxt))


def restore_spaces(text: str) -> list[int]:
    """Offsets in ``text`` where a space must be inserted.

    Args:
        text: any text; only runs of Arabic letters are examined.

    Returns:
        Sorted offsets into ``text``; a space belongs before each one.

    Raises:
        ResourceError: the packaged lexicon is missing or corrupt (K201).
    """
    # Each distinct token is analysed once; most texts have none that could be cut, and then
    # nothing more is done (no match object per token, no positions).
    tokens = WORD_RE.findall(text)
    floor = _THRESHOLD - _DOC_BELOW
    candidates: dict[str, tuple[tuple[int, ...], float, str]] = {}
    for token in dict.fromkeys(tokens):  # (first-use order: the caches see the text's order)
        if len(token) >= 2 * _MIN_PART:
            found = _token_analysis(token)
            if found[1] > floor:
                candidates[token] = found
    out: list[int] = []
    if not candidates:
        return out
    # Where each token starts: at the first occurrence of it after the token before (the gaps
    # between tokens hold no letter, and a token starts with one): no match object per token.
    starts: list[int] = []
    pos = 0
    find = text.find
    for token in tokens:
        pos = find(token, pos)
        starts.append(pos)
        pos += len(token)
    doc: Counter[str] | None = None  # folded word -> uses in the text, made on first need
    for i, token in enumerate(tokens):
        candidate = candidates.get(token)
        if candidate is None:
            continue
        offsets, margin, key = candidate
        if margin <= _THRESHOLD + _DOC_ABOVE:
            cut_keys = tuple(len(fold(token[:o])) for o in offsets)
            if doc is None:
                doc = Counter()
                for word, uses in Counter(tokens).items():
                    doc[_fold_cached(word)] += uses
            margin += _doc_gain(key, cut_keys, doc, len(tokens))
            if _THRESHOLD - _CONTEXT_RANGE < margin <= _THRESHOLD:
                prev = _neighbour_key(text, tokens, starts, i - 1, starts[i], before=True)
                nxt = _neighbour_key(text, tokens, starts, i + 1, starts[i] + len(token), before=False)
                margin += _context_gain(key, cut_keys, prev, nxt)
            if margin <= _THRESHOLD:
                continue
        start = starts[i]
        out.extend(start + o for o in offsets)
    return out


_fold_cached = lru_cache(maxsize=MEMO_MAXSIZE)(normalize_fold)


def _doc_gain(key: str, cuts: tuple[int, ...], doc: Counter[str], n_words: int) -> float:
    """Cache-model evidence (see ``_DOC_WEIGHT``): log P_doc / P of each piece used elsewhere
    in the text, less the same for the unsplit token's other occurrences."""
    gain = 0.0
    for part in _parts(key, cuts):
        uses = doc.get(part, 0)
        if uses:
            logp = _part_logp(part)[0]
            gain += _log1p_exp(math.log(_DOC_WEIGHT * uses / n_words) - (_word_logp(part) if logp is None else logp))
    repeats = doc.get(key, 0) - 1  # the token itself is one of them
    if repeats > 0:
        gain -= _log1p_exp(math.log(_DOC_WEIGHT * repeats / n_words) - _word_logp(key))
    return gain


def _log1p_exp(x: float) -> float:
    """log(1 + e^x) without overflow (unknown words have log P down to several hundred)."""
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def _neighbour_key(text: str, tokens: list[str], starts: list[int], j: int, edge: int, before: bool) -> str:
    """Folded neighbour word ``tokens[j]`` (at ``starts[j]``) when only whitespace separates it from
    the token whose edge is at ``edge``, else ''."""
    if j < 0 or j >= len(tokens):
        return ""
    gap = text[starts[j] + len(tokens[j]) : edge] if before else text[edge : starts[j]]
    if not gap or not gap.isspace():
        return ""
    return fold(tokens[j])
