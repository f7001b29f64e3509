"""Farasa-compatible clitic/affix segmentation of single Arabic words.

The design follows Farasa (Abdelali et al., 2016): every word gets a small set of
candidate segmentations enumerated from Arabic morphology (proclitics
``و ف ب ل ك س ال`` in their valid orders, nominal/verbal suffixes followed by
pronouns), and a learnt linear ranker picks one.  The ranker's features are affix
identities, stem length and edges, and corpus statistics of the candidate stem
(how often the stem, ``ال`` + stem, stem + ``ة``... occur in unlabeled news).
Words seen in the gold training data are looked up first.

The model is built by ``training/train_segmenter.py`` and shipped as
``khabar/models/segmenter.bin.gz`` (ranker weights and gold lexicon in the header, the ANT
word counts as a marisa trie + array, see :mod:`khabar.lang.ar.packed`), with the
precomputed choices of ``segmenter_ranked.bin.gz``; both are loaded lazily on first use.

Segments are written as Farasa writes them: ``للبيت`` is ``ل+ال+بيت`` (the ``ال``
is restored), ``مما`` is ``من+ما``.  :func:`segment_word` returns stand-off
:class:`Morph` spans that tile the input word exactly, with the restored form
alongside.
"""

from __future__ import annotations

import array
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, NamedTuple

import marisa_trie  # type: ignore[import-not-found, unused-ignore]  # no type information

from khabar.errors import ResourceError
from khabar.lang.ar import clitic_evidence, packed
from khabar.lang.ar.chars import DIACRITIC_RANGES, LETTER_RANGES, TATWEEL, is_arabic_letter
from khabar.memo import MEMO_MAXSIZE, short_memo
from khabar.resources import read_model
from khabar.slots import maker4
from khabar.wordlen import MAX_WORD_CHARS

MODEL_FILE: Final = "segmenter.bin.gz"
RANKED_FILE: Final = "segmenter_ranked.bin.gz"
MODEL_SCHEMA: Final = 2  # 1: segmenter.json.gz (one JSON object); 2: packed tables
NOT_RANKED: Final = 255  # segmenter_ranked.bin.gz: the word has no precomputed choice
NO_FINAL: Final = 0xFFFF  # segmenter_ranked.bin.gz, "final" section: the word has no precomputed final choice
RANKED_SCHEMA: Final = 2  # 1: the ranker's choices only; 2: also the final (checked) choices as shapes

_MARKS = re.compile(f"[{DIACRITIC_RANGES}{TATWEEL}]")
_LETTERS = re.compile(f"[{LETTER_RANGES}]+")  # the letters of is_arabic_letter: most words are only these

DET: Final = "ال"


@dataclass(frozen=True, slots=True)
class Morph:
    """One segment of a word: ``word[start:end]`` on the surface, ``form`` as Farasa writes it."""

    start: int  # offsets into the input word (code points, end exclusive)
    end: int
    form: str  # underlying form as Farasa writes it (e.g. "ال" for the second ل of "للبيت")
    kind: str  # "prefix" | "stem" | "suffix"


_new_morph: Final = maker4(Morph)  # Morph(start, end, form, kind) by setting its slots (khabar.slots)


# --- Arabic morphology as data -------------------------------------------------------


def _build_proclitics() -> dict[str, tuple[str, ...]]:
    """Surface string -> proclitic segments, e.g. ``"ولل" -> ("و", "ل", "ال")``."""
    table: dict[str, tuple[str, ...]] = {}
    for conj in ("", "و", "ف"):
        for mid in ("", "ب", "ل", "ك", "س"):
            for det in ("", DET):
                if mid == "س" and det:
                    continue  # the future particle only precedes verbs
                segs = tuple(s for s in (conj, mid, det) if s)
                surface = conj + ("لل" if mid == "ل" and det else mid + det)
                table[surface] = segs
    return table


# Nominal / verbal suffixes (first slot) and object / possessive pronouns (second slot).
_SUFFIX_A: Final = ("ة", "ات", "ان", "ين", "ون", "ت", "تا", "تان", "تين", "ي", "و", "وا", "ا", "ن", "تم", "تن", "تما", "نا")
_PRONOUNS: Final = ("ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "ي", "ني", "نا")


def _build_suffixes() -> dict[str, list[tuple[str, ...]]]:
    """Surface string -> every suffix-segment sequence that spells it."""
    table: dict[str, list[tuple[str, ...]]] = {"": [()]}
    seqs: list[tuple[str, ...]] = []
    seqs += [(a,) for a in _SUFFIX_A]
    seqs += [(p,) for p in _PRONOUNS]
    for a in _SUFFIX_A:
        if a == "ة":
            continue  # ta marbuta is word-final; before a pronoun it is written ت
        for p in _PRONOUNS:
            seqs.append((a, p))
    # the dual of a ة noun: مر+ت+ين, سن+ت+ان (Farasa keeps the ت apart)
    seqs += [("ت", "ين"), ("ت", "ان")]
    for seq in seqs:
        table.setdefault("".join(seq), [])
        if seq not in table["".join(seq)]:
            table["".join(seq)].append(seq)
    return table


# Words in which two segments share letters (nun assimilation, أن + لا).
# surface core -> ((form, surface start, surface end), ...)
_CONTRACTIONS: Final[dict[str, tuple[tuple[str, int, int], ...]]] = {
    "مما": (("من", 0, 1), ("ما", 1, 3)),
    "ممن": (("من", 0, 1), ("من", 1, 3)),
    "عما": (("عن", 0, 1), ("ما", 1, 3)),
    "عمن": (("عن", 0, 1), ("من", 1, 3)),
    "ألا": (("أن", 0, 1), ("لا", 1, 3)),
    "كنا": (("كن", 0, 2), ("نا", 2, 3)),
}

_PROCLITICS: Final = _build_proclitics()
_PROCLITIC_SEGMENTS: Final = frozenset(seg for segs in _PROCLITICS.values() for seg in segs)
_SUFFIXES: Final = _build_suffixes()
_MAX_PRE: Final = max(len(s) for s in _PROCLITICS)
_MAX_SUF: Final = max(len(s) for s in _SUFFIXES)
# The pieces of a candidate's Farasa string, built once: "و+ب+" for (و, ب), "+ه" for (ه,), "من+ما" of مما.
_PRE_HEADS: Final = {segs: "".join(s + "+" for s in segs) for segs in _PROCLITICS.values()}
_SUFFIX_KEYS: Final = {k: [(seq, "".join("+" + s for s in seq)) for seq in seqs] for k, seqs in _SUFFIXES.items()}
_CONTRACTION_KEYS: Final = {k: "+".join(form for form, _s, _e in v) for k, v in _CONTRACTIONS.items()}


class Candidate(NamedTuple):
    """One way to split a bare word: proclitics, stem, suffixes, with surface lengths."""

    pre: tuple[str, ...]
    pre_len: int  # surface letters taken by the proclitics
    stem: str  # underlying stem (a leading ل absorbed by لل is restored)
    suf: tuple[str, ...]
    suf_len: int  # surface letters taken by the suffixes
    contraction: str  # key into _CONTRACTIONS, or ""

    def farasa(self) -> str:
        """The Farasa string of this candidate."""
        if self.contraction:
            core = "+".join(form for form, _s, _e in _CONTRACTIONS[self.contraction])
            return "+".join((*self.pre, core))
        return "+".join((*self.pre, self.stem, *self.suf))


def candidates(bare: str) -> list[Candidate]:
    """Every segmentation of an undiacritized Arabic word, one per distinct Farasa string.

    Args:
        bare: the word without diacritics or tatweel.

    Returns:
        Candidates in a deterministic order; the unsegmented word is always first.
    """
    return list(_keyed_candidates(bare).values())


def _keyed_candidates(bare: str) -> dict[str, Candidate]:
    """:func:`candidates` keyed by their Farasa strings (``Candidate.farasa``), in the same order."""
    n = len(bare)
    out: dict[str, Candidate] = {bare: Candidate((), 0, bare, (), 0, "")}  # keyed by the Farasa string

    def add(key: str, cand: Candidate) -> None:
        old = out.get(key)
        # Equal strings from different structures (ل+ه as prefix+stem or stem+suffix):
        # keep the one with the longer stem, then the fewer proclitics.
        if old is None or (len(cand.stem), -len(cand.pre)) > (len(old.stem), -len(old.pre)):
            out[key] = cand

    for p_len in range(min(_MAX_PRE, n - 1) + 1):
        pre = _PROCLITICS.get(bare[:p_len])
        if pre is None:
            continue
        rest = bare[p_len:]
        head = _PRE_HEADS[pre]  # "و+ب+" (the key of the segments before the stem)
        contraction = _CONTRACTIONS.get(rest)
        if contraction is not None:
            add(head + _CONTRACTION_KEYS[rest], Candidate(pre, p_len, rest, (), 0, rest))
        merged = pre and pre[-1] == DET and bare[:p_len].endswith("لل")
        n_rest = len(rest)
        for s_len in range(min(_MAX_SUF, n_rest - 1) + 1):
            seqs = _SUFFIX_KEYS.get(rest[n_rest - s_len :] if s_len else "")
            if not seqs:
                continue
            stem = rest[: n_rest - s_len]
            if len(stem) < 2 and pre:
                continue
            for suf, tail in seqs:
                add(head + stem + tail, Candidate(pre, p_len, stem, suf, s_len, ""))
                if merged:
                    # ل + ال + لعب is written للعب: the stem's own ل merged too.
                    add(head + "ل" + stem + tail, Candidate(pre, p_len, "ل" + stem, suf, s_len, ""))
    return out


# --- features ----------------------------------------------------------------------------


def _bucket(n: int) -> int:
    """Log-scale bucket of a corpus count (0 for unseen)."""
    return min(n.bit_length(), 20)


_VARIANTS: Final = (
    ("", ""),
    (DET, ""),
    ("", "ة"),
    (DET, "ة"),
    ("", "ات"),
    (DET, "ات"),
    ("", "ه"),
    ("", "ها"),
    ("ب", ""),
    ("و", ""),
    ("ل", ""),
    ("", "ي"),
    ("", "ين"),
    ("", "ون"),
    ("", "ا"),
    ("ي", ""),
    ("ت", ""),
    ("", "ت"),
)


# _VARIANTS by shape, for stem_stats: stem + ending, ال + stem + ending, prefix + stem
_STEM_ENDINGS: Final = tuple(b for a, b in _VARIANTS if not a and b)
_DET_ENDINGS: Final = tuple(b for a, b in _VARIANTS if a == DET and b)
_STEM_PREFIXES: Final = tuple(a for a, b in _VARIANTS if a and a != DET and not b)
assert len(_STEM_ENDINGS) + len(_DET_ENDINGS) + len(_STEM_PREFIXES) + 2 == len(_VARIANTS)


def stem_stats(stem: str, counts: Mapping[str, int]) -> tuple[int, int, int]:
    """Corpus evidence for a stem: count bucket, ال+stem count bucket, number of attested variants."""
    if isinstance(counts, packed.TrieCounts) and counts.positive:
        return _packed_stem_stats(stem, counts)
    get = counts.get
    # Packed counts: when no counted word starts with the stem (half the stems of unseen
    # words) or with ال + stem, none of the variants there can be counted: skip their look-ups.
    trie = counts.trie if isinstance(counts, packed.TrieCounts) else None
    c_stem = get(stem, 0)
    variants = int(c_stem > 0)
    if c_stem or trie is None or next(trie.iterkeys(stem), None) is not None:
        for b in _STEM_ENDINGS:
            if get(stem + b, 0) > 0:
                variants += 1
    det_stem = DET + stem
    n_det = 0
    if trie is None or next(trie.iterkeys(det_stem), None) is not None:
        n_det = get(det_stem, 0)
        variants += n_det > 0
        for b in _DET_ENDINGS:
            if get(det_stem + b, 0) > 0:
                variants += 1
    for a in _STEM_PREFIXES:
        if get(a + stem, 0) > 0:
            variants += 1
    c_det = 0 if stem.startswith(DET) else n_det
    return min(c_stem.bit_length(), 20), min(c_det.bit_length(), 20), variants


def _packed_stem_stats(stem: str, counts: packed.TrieCounts) -> tuple[int, int, int]:
    """:func:`stem_stats` on packed counts whose words all count more than 0: a variant is
    attested when the trie holds it (one trie look-up, not a cached count: most variants are
    asked once)."""
    trie = counts.trie
    has = trie.get
    c_stem = counts.get(stem, 0)
    variants = int(c_stem > 0)
    # when no counted word starts with the stem (half the stems of unseen words) or with
    # ال + stem, none of the variants there can be counted: skip their look-ups
    if c_stem or next(trie.iterkeys(stem), None) is not None:
        for b in _STEM_ENDINGS:
            if has(stem + b) is not None:
                variants += 1
    det_stem = DET + stem
    n_det = 0
    if next(trie.iterkeys(det_stem), None) is not None:
        n_det = counts.get(det_stem, 0)
        variants += n_det > 0
        for b in _DET_ENDINGS:
            if has(det_stem + b) is not None:
                variants += 1
    for a in _STEM_PREFIXES:
        if has(a + stem) is not None:
            variants += 1
    c_det = 0 if stem.startswith(DET) else n_det
    return min(c_stem.bit_length(), 20), min(c_det.bit_length(), 20), variants


def run_keys(
    bare: str, cand: Candidate, counts: Mapping[str, int], stats: tuple[int, int, int]
) -> tuple[tuple[Any, ...], ...]:
    """The values each run of :func:`features` is made of, one tuple per run (its number first),
    for a candidate without a contraction (``stats`` = stem_stats of its stem)."""
    pre, suf, stem = cand.pre, cand.suf, cand.stem
    b_stem, b_det, variants = stats
    length = min(len(stem), 9)
    b_word = min(counts.get(bare, 0).bit_length(), 20)  # (_bucket, inline: this is the hot path)
    # the word without its proclitics / without its suffixes
    b_no_pre = min(counts.get(bare[cand.pre_len :], 0).bit_length(), 20) if pre else -1
    b_no_suf = min(counts.get(bare[: len(bare) - cand.suf_len], 0).bit_length(), 20) if suf else -1
    tm = min(counts.get(stem + "ة", 0).bit_length(), 20) if suf and suf[0].startswith("ت") else -1
    return (
        (0, pre, suf, length),  # P S PS L LS LP
        (1, b_stem, pre, suf, length),  # C CS CP CL
        (2, max(-6, min(6, b_stem - b_word)), bool(pre or suf), b_det, suf),  # R A AS
        (3, variants, pre, suf),  # V VS VP
        (4, b_no_pre, b_no_suf, tm, pre, suf),  # NP NS T
        (5, stem[-2:], suf),  # E E2
        (6, stem[:2], pre),  # B B2
    )


def run_features(key: tuple[Any, ...]) -> list[str]:
    """The feature strings of one run of :func:`features`, from its :func:`run_keys` tuple."""
    run = key[0]
    if run == 0:
        _r, pre, suf, length = key
        p, s = "+".join(pre), "+".join(suf)
        return ["P:" + p, "S:" + s, "PS:" + p + "|" + s, f"L:{length}", f"LS:{length}|{s}", f"LP:{length}|{p}"]
    if run == 1:
        _r, b_stem, pre, suf, length = key
        return [f"C:{b_stem}", f"CS:{b_stem}|{'+'.join(suf)}", f"CP:{b_stem}|{'+'.join(pre)}", f"CL:{b_stem}|{length}"]
    if run == 2:
        _r, ratio, split, b_det, suf = key
        return [f"R:{ratio}|{'1' if split else '0'}", f"A:{b_det}", f"AS:{b_det}|{'+'.join(suf)}"]
    if run == 3:
        _r, variants, pre, suf = key
        return [f"V:{variants}", f"VS:{variants}|{'+'.join(suf)}", f"VP:{variants}|{'+'.join(pre)}"]
    if run == 4:
        _r, b_no_pre, b_no_suf, tm, pre, suf = key
        s = "+".join(suf)
        return [f"NP:{b_no_pre}|{'+'.join(pre)}", f"NS:{b_no_suf}|{s}", f"T:{tm}|{s}"]
    if run == 5:
        _r, end, suf = key
        s = "+".join(suf)
        return ["E:" + end[-1:] + "|" + s, "E2:" + end + "|" + s]
    _r, begin, pre = key
    p = "+".join(pre)
    return ["B:" + begin[:1] + "|" + p, "B2:" + begin + "|" + p]


def features(
    bare: str, cand: Candidate, counts: Mapping[str, int], stats: tuple[int, int, int] | None = None
) -> list[str]:
    """Feature strings of one candidate (shared by training and runtime; ``stats`` = stem_stats of its stem).

    Affixes (P, S, PS), stem length (L, LS, LP), the stem's count bucket (C, CS, CP, CL), its
    ratio to the word's (R), the count of ال + stem (A, AS), attested variants (V, VS, VP), the
    word without its proclitics / suffixes (NP, NS), stem + ة before a ت suffix (T), the stem's
    last and first letters (E, E2, B, B2); a contraction has K and P only."""
    if cand.contraction:
        return ["K:" + cand.contraction, "P:" + "+".join(cand.pre)]
    keys = run_keys(bare, cand, counts, stem_stats(cand.stem, counts) if stats is None else stats)
    return [f for key in keys for f in run_features(key)]


def _spelled(bare: str, farasa: str) -> Candidate | None:
    """A candidate for a lexicon entry outside the candidate space whose segments spell the word (ما+زال)."""
    segs = farasa.split("+")
    if "".join(segs) != bare:
        return None
    i = 0
    while i < len(segs) - 1 and segs[i] in _PROCLITIC_SEGMENTS:
        i += 1
    pre = tuple(segs[:i])
    suf = tuple(segs[i + 1 :])
    return Candidate(pre, sum(map(len, pre)), segs[i], suf, sum(map(len, suf)), "")


# --- the model -----------------------------------------------------------------------------

_NAME_SUFFIXES: Final = ((), ("ة",), ("ات",))  # a name is whole, but Farasa splits ة and ات (غز+ة)


def _indefinite_or_pronoun(cand: Candidate) -> bool:
    """Whether a candidate ends in a pronoun or the accusative ا (neither stands with ال)."""
    return any(s == "ا" or s in _PRONOUNS for s in cand.suf)


def _assimilated(bare: str, cand: Candidate) -> bool:
    """Whether the candidate's stem restores a ل that لل absorbed (ل + ال + لقاء = للقاء)."""
    return len(cand.stem) == len(bare) - cand.pre_len - cand.suf_len + 1


def _fits(bare: str, cand: Candidate, want: clitic_evidence.Target) -> bool:
    """Whether a candidate has the proclitics that the lexical evidence asks for."""
    if cand.contraction or cand.pre != want.pre or cand.pre_len != want.pre_len:
        return False
    return _assimilated(bare, cand) == want.assimilated


# A candidate's structure without its letters: (pre, pre_len, suf, suf_len, assimilated, contraction).
# With the word it gives the candidate back (shape_of / from_shape): ~500 shapes cover every ANT word.
Shape = tuple[tuple[str, ...], int, tuple[str, ...], int, bool, bool]


def shape_of(bare: str, cand: Candidate) -> Shape:
    """The shape of ``cand``, a candidate of ``bare`` (:func:`from_shape` inverts it)."""
    return (cand.pre, cand.pre_len, cand.suf, cand.suf_len, _assimilated(bare, cand), bool(cand.contraction))


def from_shape(bare: str, shape: Shape) -> Candidate:
    """The candidate of ``bare`` with this shape."""
    pre, pre_len, suf, suf_len, assimilated, contraction = shape
    if contraction:
        rest = bare[pre_len:]
        return Candidate(pre, pre_len, rest, (), 0, rest)
    stem = bare[pre_len : len(bare) - suf_len]
    return Candidate(pre, pre_len, "ل" + stem if assimilated else stem, suf, suf_len, "")


class SegmenterModel:
    """Ranker weights, corpus counts and the gold lexicon.

    ``counts`` is a dict in training and a :class:`khabar.lang.ar.packed.TrieCounts` when
    loaded from the package; ``ranked`` maps frequent corpus words to the index of their
    best candidate (the same kind of mapping, or None); ``final`` maps them to the shape
    (an index into ``shapes``) of what :meth:`best` returns for them, lexicon and lexical
    evidence applied, and ``rare`` the same for ANT words outside the counts (seen once; both
    None unless loaded from the package).
    """

    __slots__ = ("_stats", "_weight_groups", "counts", "final", "lexicon", "ranked", "rare", "shapes", "weights")

    def __init__(
        self,
        weights: dict[str, float],
        counts: Mapping[str, int],
        lexicon: dict[str, str],
        ranked: Mapping[str, int] | None = None,
    ) -> None:
        self.weights = weights
        self.counts = counts
        self.lexicon = lexicon
        # Frequent corpus words -> index of their best candidate, precomputed with these
        # weights by training/build_segmenter_index.py: the same answer, without ranking.
        self.ranked: Mapping[str, int] = ranked if ranked is not None else {}
        # Frequent corpus words -> their final answer (load_model: when the evidence it was
        # made with is the evidence shipped): best() returns it without any further work.
        self.final: packed.TrieCounts | None = None
        self.rare: packed.TrieCounts | None = None  # the same for words outside the counts (ANT words seen once)
        self.shapes: tuple[Shape, ...] = ()
        self._stats: dict[str, tuple[int, int, int]] = {}  # stem -> stem_stats (stems recur across words)
        # (group, the values its features are made of) -> the weights of those features (see _score)
        self._weight_groups: dict[tuple[object, ...], tuple[float, ...]] = {}

    def best(self, bare: str) -> Candidate:
        """The best candidate for a bare Arabic word: the gold lexicon's, else the ranker's
        checked against the lexical evidence of :mod:`khabar.lang.ar.clitic_evidence`."""
        final = self.final
        if final is not None:
            # the trie itself, not final.get: each word comes here once (segment_word's memo),
            # so final's own cache would only cost; a word it lacks has no ranked choice either
            key_id = final.trie.get(bare)
            if key_id is None:
                rare = self.rare
                if rare is not None:
                    rare_id = rare.trie.get(bare)
                    if rare_id is not None:
                        return from_shape(bare, self.shapes[rare.table[rare_id]])
                return self.computed(bare, ranked=False)
            shape = final.table[key_id]
            if shape != NO_FINAL:
                return from_shape(bare, self.shapes[shape])
        return self.computed(bare)

    def computed(self, bare: str, ranked: bool = True) -> Candidate:
        """:meth:`best` without the precomputed final choices (nor the ranked ones unless ``ranked``)."""
        keyed = _keyed_candidates(bare)
        cands = list(keyed.values())
        known = self.lexicon.get(bare)
        if known is not None:
            cand = keyed.get(known)
            if cand is not None:
                return cand
            direct = _spelled(bare, known)
            if direct is not None:
                return direct
        if ranked:
            return self._checked(bare, cands, self.ranked_choice(bare, cands))
        return self._checked(bare, cands, self._top(bare, cands, cands[0]))

    def ranked_choice(self, bare: str, cands: list[Candidate]) -> Candidate:
        """The ranker's candidate (precomputed for frequent words), before any lexical evidence."""
        idx = self.ranked.get(bare)
        if idx is not None and idx < len(cands):
            return cands[idx]
        return max(cands, key=lambda cand: self._score(bare, cand))

    def _checked(self, bare: str, cands: list[Candidate], best: Candidate) -> Candidate:
        """The ranker's choice, or the best-scoring candidate that the lexical evidence allows."""
        ev = clitic_evidence
        want = ev.target(bare, best.pre, best.suf, self.counts)
        if want is not None:  # proclitics decided by the evidence (and a name's suffixes)
            if _fits(bare, best, want) and not (want.name and best.suf not in _NAME_SUFFIXES):
                return best
            fitting = [cand for cand in cands if _fits(bare, cand, want)]
            if want.name:
                fitting = [cand for cand in fitting if cand.suf in _NAME_SUFFIXES] or fitting
            return self._top(bare, fitting, best)
        same_pre = [cand for cand in cands if cand.pre == best.pre and cand.pre_len == best.pre_len]
        rest = bare[best.pre_len :]
        ending = ev.suffixes_by_evidence(rest, DET in best.pre, self.counts)
        if ending is not None and best.suf[-len(ending) :] != ending:
            return self._top(bare, [cand for cand in same_pre if cand.suf[-len(ending) :] == ending], best)
        if _indefinite_or_pronoun(best) and (DET in best.pre or ev.takes_article(rest, self.counts)):
            # neither a pronoun nor the accusative ا stands with the article
            return self._top(bare, [cand for cand in same_pre if not _indefinite_or_pronoun(cand)], best)
        if best.suf not in _NAME_SUFFIXES and ev.keeps_suffix(bare, best.pre, best.suf_len, self.counts):
            return self._top(bare, [cand for cand in same_pre if cand.suf in _NAME_SUFFIXES], best)
        return best

    def _top(self, bare: str, cands: list[Candidate], default: Candidate) -> Candidate:
        """The best-scoring of ``cands`` (``default`` when there are none)."""
        return max(cands, key=lambda cand: self._score(bare, cand)) if cands else default

    def _score(self, bare: str, cand: Candidate) -> float:
        """The ranker's score of one candidate: the sum of the weights of its :func:`features`.

        The features come in runs that each depend on a few values only (the affixes and the
        stem length, the stem's count bucket, ...): the weights of a run are kept by those
        values, and the score is the sum of the same weights in the same order, so the very
        same float, without building the feature strings of a run seen before."""
        cache = self._stats
        stem = cand.stem
        stats = cache.get(stem)
        if stats is None:
            if len(cache) > 2 * MEMO_MAXSIZE:  # bounded: a long run meets new stems in every article
                cache.clear()
            stats = cache[stem] = stem_stats(stem, self.counts)
        if cand.contraction:
            get = self.weights.get
            return sum([get(f, 0.0) for f in features(bare, cand, self.counts, stats)])
        groups = self._weight_groups
        keys = run_keys(bare, cand, self.counts, stats)
        runs = [groups.get(key) for key in keys]
        if None in runs:
            if len(groups) > 2 * MEMO_MAXSIZE:  # bounded: ~6 MB at 32,768 entries (1x: 5% slower)
                groups.clear()
            get = self.weights.get
            for i, key in enumerate(keys):
                if runs[i] is None:
                    runs[i] = groups[key] = tuple([get(f, 0.0) for f in run_features(key)])
        return sum([w for run in runs if run is not None for w in run])

    def to_bytes(self) -> bytes:
        """The model file (``segmenter.bin.gz``): weights and lexicon in the header, the counts
        as a marisa trie of the words and a uint32 array of their counts by trie id.
        Deterministic: the same model gives the same bytes."""
        trie = marisa_trie.Trie(sorted(self.counts))
        values = array.array("I", bytes(4 * len(trie)))
        for word, idx in trie.items():
            values[idx] = self.counts[word]
        meta = {"schema": MODEL_SCHEMA, "weights": self.weights, "lexicon": self.lexicon}
        return packed.pack({"words": trie, "counts": values}, meta)

    @classmethod
    def from_bytes(cls, raw: bytes) -> SegmenterModel:
        """The model in a file written by :meth:`to_bytes` (no precomputed choices).

        Raises:
            packed.PackError: when ``raw`` is not such a file.
        """
        head, sections = packed.unpack(raw)
        if head.get("schema") != MODEL_SCHEMA:
            raise packed.PackError(f"schema {head.get('schema')!r}, not {MODEL_SCHEMA}")
        try:
            weights, lexicon = head["weights"], head["lexicon"]
            counts = packed.TrieCounts(sections["words"], sections["counts"])
        except KeyError as exc:
            raise packed.PackError(f"no {exc} section") from exc
        if not isinstance(weights, dict) or not isinstance(lexicon, dict):
            raise packed.PackError("weights or lexicon is not an object")
        return cls(weights, counts, lexicon)


def trie_digest(trie: marisa_trie.Trie) -> str:
    """SHA-256 of a trie's bytes: ties ``segmenter_ranked.bin.gz`` to the model whose key ids it uses."""
    return hashlib.sha256(trie.tobytes()).hexdigest()


def ranked_bytes(
    model: SegmenterModel,
    choices: Mapping[str, int],
    final: Mapping[str, Shape],
    evidence_sha256: str,
    rare: Mapping[str, Shape] | None = None,
) -> bytes:
    """The ``segmenter_ranked.bin.gz`` file: per counts-trie id, one uint8 (section ``choice``: the
    ranker's candidate index, NOT_RANKED for none) and one uint16 (section ``final``: an index into
    the header's ``shapes``, NO_FINAL for none); the final choices of ``rare`` words (outside the
    counts: ANT words seen once) as a trie of their own (section ``rare_words``) and a uint16 per
    id of it (section ``rare_final``); ``evidence_sha256`` is the
    :func:`khabar.lang.ar.clitic_evidence.evidence_digest` the final choices were made with.

    ``model`` must have been loaded with :meth:`SegmenterModel.from_bytes` (its counts carry the trie)."""
    counts = model.counts
    if not isinstance(counts, packed.TrieCounts):
        raise TypeError("the model's counts must be packed (SegmenterModel.from_bytes)")
    values = array.array("B", bytes([NOT_RANKED]) * len(counts))
    for word, idx in choices.items():
        if not 0 <= idx < NOT_RANKED:
            raise ValueError(f"candidate index {idx} of {word!r} does not fit")
        key_id = counts.id(word)
        if key_id is None:
            raise ValueError(f"{word!r} has no corpus count")
        values[key_id] = idx
    rare = rare or {}
    if any(counts.id(word) is not None for word in rare):
        raise ValueError("a rare word has a corpus count")
    shapes = sorted(set(final.values()) | set(rare.values()), key=repr)
    if len(shapes) >= NO_FINAL:
        raise ValueError(f"{len(shapes)} shapes do not fit")
    number = {shape: i for i, shape in enumerate(shapes)}
    finals = array.array("H", [NO_FINAL]) * len(counts)
    for word, shape in final.items():
        key_id = counts.id(word)
        if key_id is None:
            raise ValueError(f"{word!r} has no corpus count")
        finals[key_id] = number[shape]
    rare_trie = marisa_trie.Trie(sorted(rare))
    rare_finals = array.array("H", bytes(2 * len(rare_trie)))
    for word, idx in rare_trie.items():
        rare_finals[idx] = number[rare[word]]
    meta = {
        "schema": RANKED_SCHEMA,
        "trie_sha256": trie_digest(counts.trie),
        "evidence_sha256": evidence_sha256,
        "shapes": [[list(pre), pre_len, list(suf), suf_len, assim, contr] for pre, pre_len, suf, suf_len, assim, contr in shapes],
    }
    sections = {"choice": values, "final": finals, "rare_words": rare_trie, "rare_final": rare_finals}
    return packed.pack(sections, meta)


def _unreadable(name: str, detail: str) -> ResourceError:
    return ResourceError(
        f"segmenter model khabar/models/{name} is unreadable ({detail})", hint="reinstall khabar", code="K202"
    )


@lru_cache(maxsize=1)
def load_model() -> SegmenterModel:
    """Load the packaged segmenter model (once; raises ResourceError K202 when missing or corrupt)."""
    try:
        model = SegmenterModel.from_bytes(read_model(MODEL_FILE, code="K202"))
    except packed.PackError as exc:
        raise _unreadable(MODEL_FILE, str(exc)) from exc
    counts = model.counts
    assert isinstance(counts, packed.TrieCounts)  # from_bytes packs them
    try:
        head, sections = packed.unpack(read_model(RANKED_FILE, code="K202"))
        ranked = packed.TrieCounts(counts.trie, sections["choice"], missing=NOT_RANKED)
        final = packed.TrieCounts(counts.trie, sections["final"], missing=NO_FINAL)
        rare = packed.TrieCounts(sections["rare_words"], sections["rare_final"])
        shapes = tuple(
            (tuple(pre), int(pre_len), tuple(suf), int(suf_len), bool(assim), bool(contr))
            for pre, pre_len, suf, suf_len, assim, contr in head["shapes"]
        )
    except (packed.PackError, KeyError, TypeError, ValueError) as exc:
        raise _unreadable(RANKED_FILE, str(exc)) from exc
    if head.get("schema") != RANKED_SCHEMA:
        raise _unreadable(RANKED_FILE, f"schema {head.get('schema')!r}, not {RANKED_SCHEMA}")
    if head.get("trie_sha256") != trie_digest(counts.trie):
        raise _unreadable(RANKED_FILE, f"built for another {MODEL_FILE}")
    model.ranked = ranked
    # The final choices hold only while the names, place words, function words and stem-spelling
    # model they were made with are the shipped ones; otherwise best() computes every answer.
    if head.get("evidence_sha256") == clitic_evidence.evidence_digest():
        model.final, model.rare, model.shapes = final, rare, shapes
    return model


# --- public API ------------------------------------------------------------------------------


def _bare(word: str) -> tuple[str, list[int]] | None:
    """The word without diacritics/tatweel and each bare letter's index, or None if not all-Arabic."""
    found = _bare_letters(word)
    if found is None:
        return None
    bare, index = found
    return bare, list(range(len(word))) if index is None else index


def _bare_letters(word: str) -> tuple[str, list[int] | None] | None:
    """:func:`_bare`, with None for the index of a word that is bare already (letter i at index i)."""
    if _LETTERS.fullmatch(word):
        return word, None
    letters: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(word):
        if _MARKS.match(ch):
            continue
        if not is_arabic_letter(ch):
            return None
        letters.append(ch)
        index.append(i)
    if not letters:
        return None
    return "".join(letters), index


def _morphs_of(cand: Candidate, n: int) -> list[tuple[int, int, str, str]]:
    """(bare start, bare end, form, kind) for each segment of a candidate over a bare word of length n."""
    out: list[tuple[int, int, str, str]] = []
    pos = 0
    pre_end = cand.pre_len
    # ل + ال + لقاء is written للقاء: the article leaves no letter of its own, so it is an
    # empty morph and the stem keeps its whole surface (لقاء, not قاء).
    assimilated = not cand.contraction and len(cand.stem) == n - pre_end - cand.suf_len + 1
    if assimilated:
        pre_end -= 1
    for form in cand.pre:
        # proclitics are one letter each on the surface; ال takes what is left of the
        # proclitic letters (two, one: the second ل of لل, or none when assimilated)
        end = pre_end if form == DET else min(pos + 1, pre_end)
        out.append((pos, end, form, "prefix"))
        pos = end
    if cand.contraction:
        for j, (form, s, e) in enumerate(_CONTRACTIONS[cand.contraction]):
            out.append((pos + s, pos + e, form, "stem" if j == 0 else "suffix"))
        return out
    stem_end = n - cand.suf_len
    out.append((pos, stem_end, cand.stem, "stem"))
    pos = stem_end
    for form in cand.suf:
        out.append((pos, pos + len(form), form, "suffix"))
        pos += len(form)
    return out


def segment_with(model: SegmenterModel, word: str) -> tuple[Morph, ...]:
    """Segment one word with a given model (what :func:`segment_word` does with the packaged one)."""
    if not word:
        return ()
    if len(word) > MAX_WORD_CHARS:
        return (Morph(0, len(word), word, "stem"),)
    bare_index = _bare_letters(word)
    if bare_index is None:
        return (Morph(0, len(word), word, "stem"),)
    return _segment_bare(model, word, *bare_index)


def _segment_bare(model: SegmenterModel, word: str, bare: str, index: list[int] | None) -> tuple[Morph, ...]:
    """:func:`segment_with` of an all-Arabic ``word`` given its ``_bare`` form and letter index."""
    if len(bare) < 2:
        return (Morph(0, len(word), bare, "stem"),)
    cand = model.best(bare)
    parts = _morphs_of(cand, len(bare))
    if index is None:  # (most words) letter i at i: the morphs are the parts
        return tuple([_new_morph(s, e, form, kind) for s, e, form, kind in parts])
    n = len(bare)
    last = len(parts) - 1
    at = range(len(word)) if index is None else index
    morphs: list[Morph] = []
    for k, (s, e, form, kind) in enumerate(parts):
        start = 0 if k == 0 else at[s]
        end = start if s == e else len(word) if k == last or e >= n else at[e]
        morphs.append(Morph(start, end, form, kind))
    return tuple(morphs)


@short_memo(maxsize=200_000)  # tokens over MAX_MEMO_CHARS are not memoised
def segment_word(word: str) -> tuple[Morph, ...]:
    """Split one word into proclitics, stem and suffixes.

    Args:
        word: one word as it appears in text; diacritics and tatweel are allowed and
            stay inside the morph of the letter they follow.

    Returns:
        Morphs whose spans tile ``word`` exactly (contiguous, covering it); only the
        article assimilated in ``لل`` before a stem that starts with ``ل`` (``للقاء`` =
        ``ل`` + ``ال`` + ``لقاء``) is an empty morph.  A word that is not all Arabic
        letters (digits, Latin, punctuation, mixed) is one stem, and so is a "word" of over
        :data:`~khabar.wordlen.MAX_WORD_CHARS` characters (noise: its cost stays linear).

    Raises:
        ResourceError: K202 when the packaged model file is missing.
    """
    return segment_with(load_model(), word)


# Letters that a word-final letter becomes before an attached pronoun: وزارة -> وزارتها,
# مستوى -> مستواه, على -> عليه, أبناء -> أبناؤه / أبنائه.
_BEFORE_PRONOUN: Final = {"ت": "ة", "ا": "ى", "ي": "ى", "ؤ": "ء", "ئ": "ء"}


def word_final_form(base: str) -> str:
    """The underlying, word-final spelling of a base that an attached pronoun follows.

    ``وزارت`` (of ``وزارتها``) -> ``وزارة``; ``مستوا`` -> ``مستوى``; ``أبناؤ`` -> ``أبناء``.
    The alternative is taken only when the news corpus counts of the segmenter model
    attest it more often than the base as written (``قالت`` of ``قالتها`` stays).
    """
    alt_last = _BEFORE_PRONOUN.get(base[-1:])
    if alt_last is None or len(base) < 2:
        return base
    counts = load_model().counts
    alt = base[:-1] + alt_last
    n_alt = counts.get(alt, 0)
    return alt if n_alt >= 2 and n_alt > counts.get(base, 0) else base


# Farasa's segments glued back without restoring the surface (``ل+ال+بيت`` -> ``لالبيت``):
# tools that strip the ``+`` from Farasa output produce these, real text never does.
_NAIVE_LAL: Final = re.compile("^([\u0648\u0641]?)\u0644\u0627\u0644(?=..)")  # ^(و|ف)?لال
_NAIVE_CONTRACTIONS: Final = {"منما": "مما", "منمن": "ممن", "عنما": "عما", "عنمن": "عمن", "أنلا": "ألا", "كننا": "كنا"}


def _surface_from_naive_join(word: str) -> str:
    """The written form of a word built by deleting the ``+`` from Farasa segments."""
    word = _NAIVE_CONTRACTIONS.get(word, word)
    return _NAIVE_LAL.sub("\\1\u0644\u0644", word)


@short_memo(maxsize=200_000)  # tokens over MAX_MEMO_CHARS are not memoised
def farasa_segment(word: str) -> str:
    """The Farasa-scheme segmentation of one word.

    Args:
        word: one word (diacritics allowed; they are dropped from the output).

    Returns:
        Segments joined by ``+``, e.g. ``'و+ال+تلفزيون'`` for ``والتلفزيون``; a
        non-Arabic word comes back unchanged.
    """
    return "+".join(m.form for m in segment_word(_surface_from_naive_join(word)))
