"""Lexical evidence that overrides the segmenter's ranker on proclitics: names and stems stay whole.

The ranker of :mod:`khabar.lang.ar.morph` learns from a few thousand gold words, and
names are rare among them, so on its own it cuts names (``لبنان`` -> ``ل`` + ``بنان``,
``وهران`` -> ``و`` + ``هران``) and keeps the proclitic of rare foreign names
(``بليتوانيا``).  This module decides the proclitics of a word from evidence the
project already has, and leaves the rest (suffixes, ordinary words) to the ranker:

1. ``لل`` + X: ``ل`` + ``لX`` when ``لX`` is a word that never takes the article
   (``للبنان``), ``ل`` + ``ال`` + ``لX`` (``للقاء``: the article assimilated) or ``ل`` +
   ``ال`` + X (``للإسكندرية``) by the counts of ``اللX``, ``الX`` and ``لX``;
2. a gazetteer name or a name of the annotated news (ANERcorp) is whole (``وهران``,
   ``بيروت``, ``بلير``), and a proclitic before such a name is split (``بليتوانيا``, ``وبلير``);
3. a word that takes the article itself, about as often as its remainder occurs
   (``البطاقة`` is attested, so ``بطاقة`` is not ``ب`` + ``طاقة``), has no proclitic;
4. a frequent word that never takes the article nor a pronoun and whose remainder is
   rare next to it (``لبنان`` 1,218 times, ``بنان`` 3) is a name: no proclitic;
5. an unknown word whose remainder is a known word or a name has a proclitic; so has
   one whose remainder is a much likelier beginning of a stem under a character model
   of stem spellings (``بفرويد``, ``وجالينوس``; ``برسبوليس`` and ``ويكيميديا`` stay).

Counts are the ANT word counts shipped with the segmenter; names come from
:mod:`khabar.lang.ar.gazetteers`; the character model (``stem_spelling.bin.gz``, packed: a marisa
trie + arrays) is built by ``training/build_stem_spelling.py`` from the ANT words after their
proclitics.
The thresholds were chosen on names that the names bench does not test
(``training/tune_clitic_evidence.py``).
"""

from __future__ import annotations

import array
import hashlib
import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Final, NamedTuple

import marisa_trie  # type: ignore[import-not-found, unused-ignore]  # no type information

from khabar.errors import ResourceError
from khabar.lang.ar import packed
from khabar.lang.ar.stopwords import STOP_WORDS
from khabar.resources import read_json_model, read_model

DET: Final = "ال"

# Surface proclitic strings before a bare stem (no article), longest first, and their segments.
_PLAIN: Final = (
    ("وب", ("و", "ب")), ("ول", ("و", "ل")), ("وك", ("و", "ك")), ("وس", ("و", "س")),
    ("فب", ("ف", "ب")), ("فل", ("ف", "ل")), ("فك", ("ف", "ك")), ("فس", ("ف", "س")),
    ("و", ("و",)), ("ف", ("ف",)), ("ب", ("ب",)), ("ل", ("ل",)), ("ك", ("ك",)),
)
_BY_LENGTH: Final = tuple(sorted(_PLAIN, key=lambda qs: len(qs[0])))
#: The proclitic strings that may stand before a bare stem or name in one token, and none.
PROCLITIC_SURFACES: Final = ("", *(q for q, _segs in _PLAIN))
_PRONOUNS: Final = ("ه", "ها", "هم", "هما", "كم", "نا")

# Evidence thresholds (see the module docstring; tuned off the names bench).
MIN_DET_COUNT: Final = 3  # ``ال`` + word attested this often ... (rule 3)
DET_SHARE: Final = 10  # ... and at least 1/10 as often as the remainder: the word is a stem
NAME_MIN_COUNT: Final = 5  # rule 4: the whole word is this frequent ...
NAME_RATIO: Final = 30  # ... and this many times more frequent than its remainder
KNOWN_REST: Final = 3  # rule 5: a remainder seen this often is a known word
# Rule 5 on an unknown rest: the nats by which the stem-spelling model must prefer the rest
# to the whole word.  Chosen for the best balanced accuracy on the tuning names (a name
# kept whole vs the same letter + a name split); و before an unknown word is far more
# common in news than a name that starts with و, so it needs less.
SPELLING_GAIN: Final = {"و": 2.0, "ب": 3.0, "ل": 3.0, "ف": 3.0, "ك": 3.0}
SPELLING_FILE: Final = "stem_spelling.bin.gz"
NAMES_FILE: Final = "names.json.gz"
SPELLING_ORDER: Final = 4
ARTICLE_SHARE: Final = 20  # rule 1: the article reading needs 1/20 of the evidence of ل + لX
NAME_BONUS: Final = 1000  # a gazetteer name counts as this many occurrences
PART_MAX_COUNT: Final = 2000  # a word of a multi-word place more frequent than this is a word
PART_SHARE: Final = 10  # a proclitic + such a word is at most a tenth as frequent as the word
_BEFORE_PARTS: Final = frozenset({"و", "ب", "ل", "وب", "ول"})  # (كلاس is not ك + لاس of لاس فيغاس)


class Target(NamedTuple):
    """The proclitics a word must get: segments, surface letters they take, article assimilated."""

    pre: tuple[str, ...]
    pre_len: int
    assimilated: bool = False
    name: bool = False  # the rest is a name: no suffix but ة is split off


@lru_cache(maxsize=1)
def name_parts() -> frozenset[str]:
    """Words of the gazetteers' multi-word places (``بنوم بنه``, ``بوركينا فاسو``), without the article."""
    from khabar.lang.ar import gazetteers
    from khabar.lang.ar.chars import is_arabic_letter

    return frozenset(
        w
        for group in (gazetteers.COUNTRIES, gazetteers.CITIES, gazetteers.PLACE_PHRASES)
        for entry in group
        if " " in entry
        for w in entry.split()
        if len(w) >= 3 and not w.startswith(DET) and all(is_arabic_letter(ch) for ch in w)
    )


def is_name(word: str, counts: Mapping[str, int]) -> bool:
    """A gazetteer name, or a word of a multi-word place that is not a common word: it never
    takes the article and is no function word (``بيونغ``, ``سان`` are names; ``شمال`` of
    ``شمال أفريقيا`` takes the article, ``منه`` of ``هوشي منه`` is a function word)."""
    if word in name_words():
        return True
    if word not in name_parts() or counts.get(word, 0) >= PART_MAX_COUNT:
        return False
    return counts.get(DET + word, 0) < MIN_DET_COUNT and word not in STOP_WORDS


@lru_cache(maxsize=1)
def name_words() -> frozenset[str]:
    """Single-word country, city and given names of the gazetteers (``لبنان``, ``وهران``, ``وليد``)
    and the words that annotated news marks as names (:func:`annotated_names`: ``بلير``, ``سولانا``)."""
    return gazetteer_names() | annotated_names()


@lru_cache(maxsize=1)
def gazetteer_names() -> frozenset[str]:
    """Single-word country, city and given names of :mod:`khabar.lang.ar.gazetteers`."""
    from khabar.lang.ar import gazetteers
    from khabar.lang.ar.chars import is_arabic_letter

    return frozenset(
        w
        for group in (gazetteers.COUNTRIES, gazetteers.CITIES, gazetteers.GIVEN_NAMES)
        for w in group
        if " " not in w and all(is_arabic_letter(ch) for ch in w)
    )


@lru_cache(maxsize=1)
def annotated_names() -> frozenset[str]:
    """Words inside PERS/LOC/ORG spans of ANERcorp at least half the times they occur, without
    their clitic-attached forms (``names.json.gz``, built by ``training/build_name_list.py``;
    ResourceError K202 when missing or corrupt)."""
    doc = read_json_model(NAMES_FILE, "name list", "K202", 1)
    listed = doc.get("names")
    if not isinstance(listed, dict):
        raise ResourceError(f"name list khabar/models/{NAMES_FILE} lacks its names", hint="reinstall khabar", code="K202")
    return frozenset(listed)


class _SpellingModel:
    """Character n-grams of stem spellings with Witten-Bell interpolation (``^`` pads, ``$`` ends).

    Packed: one marisa trie holds ``"h" + history`` (its id indexes ``counts``: the history's
    total, and ``types``: how many distinct letters follow it) and ``"n" + history + "\t" +
    letter`` (its id indexes ``counts``: how often the letter follows the history).
    """

    __slots__ = ("counts", "order", "trie", "types")

    def __init__(self, trie: marisa_trie.Trie, counts: array.array[int], types: array.array[int], order: int) -> None:
        if not len(trie) == len(counts) == len(types) or order < 1:
            raise packed.PackError("stem spelling model: sections do not match")
        self.trie = trie
        self.counts = counts
        self.types = types
        self.order = order

    @classmethod
    def from_ngrams(cls, ngrams: Mapping[str, Mapping[str, int]], order: int) -> _SpellingModel:
        """The model of a ``history -> next letter -> count`` table (training)."""
        keys = [f"h{h}" for h in ngrams] + [f"n{h}\t{c}" for h, nxt in ngrams.items() for c in nxt]
        trie = marisa_trie.Trie(sorted(keys))
        counts = array.array("I", bytes(4 * len(trie)))
        types = array.array("I", bytes(4 * len(trie)))
        for h, nxt in ngrams.items():
            idx = trie["h" + h]
            counts[idx], types[idx] = sum(nxt.values()), len(nxt)
            for c, n in nxt.items():
                counts[trie[f"n{h}\t{c}"]] = n
        return cls(trie, counts, types, order)

    def to_bytes(self) -> bytes:
        """The packed model file (deterministic)."""
        sections = {"keys": self.trie, "counts": self.counts, "types": self.types}
        return packed.pack(sections, {"schema": 2, "order": self.order})

    @classmethod
    def from_bytes(cls, raw: bytes) -> _SpellingModel:
        """The model in a file written by :meth:`to_bytes` (PackError when it is not one)."""
        head, sections = packed.unpack(raw)
        if head.get("schema") != 2:
            raise packed.PackError(f"schema {head.get('schema')!r}, not 2")
        try:
            return cls(sections["keys"], sections["counts"], sections["types"], int(head["order"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise packed.PackError(f"stem spelling model: {exc}") from exc

    def logp(self, word: str) -> float:
        """log P(word) as a stem spelling."""
        trie, counts, types = self.trie, self.counts, self.types
        padded = "^" * (self.order - 1) + word + "$"
        root = trie.get("h")
        uniform = 1.0 / max(1, (types[root] if root is not None else 1) + 1)
        total = 0.0
        for i in range(self.order - 1, len(padded)):
            prob = uniform
            for k in range(self.order):
                hist = padded[i - k : i]
                idx = trie.get("h" + hist)
                seen = counts[idx] if idx is not None else 0
                if not seen:
                    break
                weight = seen / (seen + types[idx])
                nxt = trie.get(f"n{hist}\t{padded[i]}")
                prob = weight * (counts[nxt] if nxt is not None else 0) / seen + (1 - weight) * prob
            total += math.log(prob)
        return total


@lru_cache(maxsize=1)
def _spelling_model() -> _SpellingModel:
    """Load the packaged stem-spelling model once (ResourceError K202 when missing or corrupt)."""
    try:
        return _SpellingModel.from_bytes(read_model(SPELLING_FILE, code="K202"))
    except packed.PackError as exc:
        raise ResourceError(
            f"stem spelling model khabar/models/{SPELLING_FILE} is unreadable ({exc})", hint="reinstall khabar", code="K202"
        ) from exc


def evidence_digest() -> str:
    """SHA-256 of the data :func:`target` reads besides the counts: the name lists, the multi-word
    place words, the function words and the stem-spelling model file. Ties the segmenter's
    precomputed final choices (``segmenter_ranked.bin.gz``) to the evidence they were made with."""
    sha = hashlib.sha256()
    for group in (name_words(), name_parts(), STOP_WORDS):
        sha.update("\n".join(sorted(group)).encode("utf-8") + b"\0")
    sha.update(hashlib.sha256(read_model(SPELLING_FILE, code="K202")).digest())
    return sha.hexdigest()


@lru_cache(maxsize=4096)
def spelling_gain(word: str, q_len: int) -> float:
    """How much likelier (nats) ``word[q_len:]`` is than ``word`` as the spelling of a stem."""
    model = _spelling_model()
    return model.logp(word[q_len:]) - model.logp(word)


def _with_article(segs: tuple[str, ...], q_len: int, rest: str, name: bool) -> Target:
    """The target for proclitics ``segs`` before ``rest``, taking its article when it has one."""
    if rest.startswith(DET) and len(rest) > 3:
        return Target((*segs, DET), q_len + 2, name=name)
    return Target(segs, q_len, name=name)


def _lam_lam(conj: str, x: str, counts: Mapping[str, int]) -> Target | None:
    """Rule 1: ``(و|ف)لل`` + x."""
    c = counts.get
    a_name, d_name = is_name(DET + x, counts), is_name("ل" + x, counts)
    a = c(DET + x, 0) + (NAME_BONUS if a_name else 0)  # ل + ال + x
    b = c(DET + "ل" + x, 0)  # ل + ال + لx (assimilated)
    d = c("ل" + x, 0) + (NAME_BONUS if d_name else 0)  # ل + لx
    segs = (conj, "ل") if conj else ("ل",)
    if d and max(a, b) * ARTICLE_SHARE < d:
        return Target(segs, len(conj) + 1, name=d_name)
    if b > a:
        return Target((*segs, DET), len(conj) + 2, assimilated=True)
    if a:
        return Target((*segs, DET), len(conj) + 2, name=a_name)
    return None


def keeps_suffix(bare: str, pre: tuple[str, ...], suf_len: int, counts: Mapping[str, int]) -> bool:
    """Whether the letters a suffix split would cut off belong to a name (``بيروت``, not
    ``بيرو`` + ``ت``).  (Frequency alone was tried and cut fewer stems than it saved:
    ``أعطاها`` is rare as ``أعطا``.)"""
    if not suf_len or pre not in ((), (DET,)):
        return False
    return is_name(bare[len(DET) :] if pre else bare, counts)


# Farasa writes the tens and "two" with their case ending apart (عشر+ين, اثن+ان).
_NUMBER_STEMS: Final = ("عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع", "اثن", "اثنت")
_NUMBER_ENDINGS: Final = {"ين": ("ين",), "ون": ("ون",), "ان": ("ان",)}
MIN_WEAK_VERB: Final = 20  # a past verb in ت whose stem + ى is this frequent (ألغت: ألغى)
MIN_PRONOUN_STEM: Final = 20  # a stem seen this often (and more often than with the pronoun) takes one
# Pronouns split off by evidence; ي is not one of them: it also ends nisba adjectives (عربي).
_OBJECT_PRONOUNS: Final = ("هما", "هم", "ها", "ه")


def suffixes_by_evidence(rest: str, definite: bool, counts: Mapping[str, int]) -> tuple[str, ...] | None:
    """The last suffixes of ``rest`` (a word without its proclitics, ``definite`` when they end
    in the article) when the evidence is clear, else None (the ranker splits what precedes them).

    * the tens and اثنان: ``خمسين`` -> ``ين`` (Farasa's convention);
    * the ا of the indefinite accusative on a stem that takes the article (``ردا``: ``الرد``);
    * ت of a past verb whose stem ends in ى (``ألغت``: ``ألغى``);
    * ون of an imperfect verb whose singular is attested (``يرمون``: ``يرمي``);
    * a pronoun after a stem that is commoner alone (``عمره``), with ة spelt ت (``صحته``).
    """
    c = counts.get
    for ending, suf in _NUMBER_ENDINGS.items():
        if rest.endswith(ending) and rest[: -len(ending)] in _NUMBER_STEMS:
            return suf
    if len(rest) < 3 or rest.startswith(DET):
        return None
    stem = rest[:-1]
    if rest.endswith("ا") and not stem.endswith("ا"):
        noun = stem[:-1] + "ء" if stem.endswith(("ئ", "ؤ")) else stem
        if c(DET + noun, 0) >= MIN_DET_COUNT:
            return ("ا",)
    if definite or len(rest) < 4:
        return None  # verbs never follow the article, nor pronouns
    for p in _OBJECT_PRONOUNS:
        if not rest.endswith(p) or len(rest) - len(p) < 2:
            continue
        stem = rest[: -len(p)]
        if stem.endswith("ت") and c(stem[:-1] + "ة", 0) >= MIN_PRONOUN_STEM > c(stem, 0) // 2:
            return ("ت", p)  # صحته: صحة + ه
        n_stem = c(stem, 0)
        if n_stem >= MIN_PRONOUN_STEM and n_stem >= c(rest, 0):
            return (p,)  # عمره: عمر + ه (the stem alone is the commoner word)
        break
    if rest.endswith("ت") and c(stem + "ى", 0) >= MIN_WEAK_VERB and c(DET + rest[:-1] + "ة", 0) == 0:
        return ("ت",)
    if rest[0] in "يت" and rest.endswith("ون") and len(rest) >= 5:
        base = rest[:-2]
        if c(base, 0) >= KNOWN_REST or c(base + "ي", 0) >= KNOWN_REST:
            return ("ون",)
    return None


def takes_article(rest: str, counts: Mapping[str, int]) -> bool:
    """Whether ``ال`` + rest is attested: then rest does not end in a pronoun or the ا of the
    indefinite accusative, which never stand with the article (``السيدا``: ``سيدا`` is whole)."""
    return not rest.startswith(DET) and counts.get(DET + rest, 0) >= MIN_DET_COUNT


def _takes_pronoun(word: str, counts: Mapping[str, int]) -> bool:
    """Whether the counts attest ``word`` with an attached pronoun (ة is spelt ت before it)."""
    stem = word[:-1] + "ت" if word.endswith("ة") else word
    return any(counts.get(stem + p, 0) for p in _PRONOUNS)


def target(
    bare: str, pre: tuple[str, ...], suf: tuple[str, ...], counts: Mapping[str, int]
) -> Target | None:
    """The proclitics ``bare`` must have, or None to keep the ranker's.

    Args:
        bare: the word without diacritics or tatweel (Arabic letters only).
        pre, suf: the proclitic and suffix segments the ranker chose.
        counts: word counts of unlabeled news (the segmenter model's).
    """
    if len(bare) < 3:
        return None
    c = counts.get
    conj = bare[0] if bare[0] in "وف" and bare[1:3] == "لل" else ""
    if bare[len(conj) :].startswith("لل") and len(bare) - len(conj) > 3:
        return _lam_lam(conj, bare[len(conj) + 2 :], counts)
    if is_name(bare, counts):  # rule 2
        return Target((DET,), 2, name=True) if bare.startswith(DET) and len(bare) > 3 else Target((), 0, name=True)
    n_word = c(bare, 0)
    takes_det = c(DET + bare, 0) >= MIN_DET_COUNT  # اللسان: لسان is a word, not ل + سان
    for q, segs in _BY_LENGTH:  # the longest name first: وبيونغ is و + بيونغ
        rest = bare[len(q) :]
        if takes_det or not bare.startswith(q) or len(rest) < 2 or not is_name(rest, counts):
            continue
        if rest in name_words():
            # (لدينا is ل + دينا only if the name دينا were the likelier reading)
            if n_word <= c(rest, 0) + NAME_BONUS // 10:
                return _with_article(segs, len(q), rest, True)
        elif q in _BEFORE_PARTS and n_word * PART_SHARE <= c(rest, 0):
            return _with_article(segs, len(q), rest, True)
    plain = tuple(s for s in pre if s != DET)
    if plain:
        rest = bare[len(plain) :]
        n_det = c(DET + bare, 0)
        if n_det >= MIN_DET_COUNT and n_det * DET_SHARE >= c(rest, 0):  # rule 3
            return Target((), 0)
        if (
            not suf
            and not rest.startswith(DET)
            and n_word >= NAME_MIN_COUNT
            and c(rest, 0) * NAME_RATIO < n_word
            and not _takes_pronoun(bare, counts)
        ):  # rule 4
            return Target((), 0)
        return None
    if n_word or bare.startswith(DET):  # rule 5 is for unknown words only
        return None
    for q, segs in _PLAIN:
        rest = bare[len(q) :]
        if not bare.startswith(q) or len(rest) < 2:
            continue
        if c(rest, 0) >= KNOWN_REST or (len(q) == 1 and len(rest) > 2 and spelling_gain(bare, 1) >= SPELLING_GAIN[q]):
            return _with_article(segs, len(q), rest, is_name(rest, counts))
    return None
