"""NER features: what the CRF passes of :mod:`khabar.components.ner` see of each token.

Word identity and folded form, the clitic split of :func:`khabar.lang.ar.morph.segment_word`
(proclitics, the core without و/ف/ب/ل/ك/ال), prefixes and suffixes, word shape, hand-written
gazetteers (:mod:`khabar.lang.ar.gazetteers`, single words and phrases), word clusters learnt
from unlabeled ANT news and the same for the words at -2..+2. :func:`stack_features` adds the second pass's label
consistency features. Training (``training/train_ner.py``) and tagging share this code.
"""

from __future__ import annotations

import array
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any, Final

import marisa_trie  # type: ignore[import-not-found, unused-ignore]  # no type information

from khabar.lang.ar import gazetteers, morph, packed
from khabar.lang.ar.normalize import fold
from khabar.memo import MEMO_MAXSIZE

# Feature families (the training script ablates them; the shipped model uses ALL_FAMILIES
# unless ner.json says otherwise).
ALL_FAMILIES: Final = ("word", "affix", "clitic", "shape", "gaz", "context", "dist")

STRIPPABLE: Final = frozenset("وفبلك")  # proclitics moved out of an entity span
_NAT_ENDINGS: Final = ("يون", "يين", "يان", "يه", "ي")


# --------------------------------------------------------------------------- gazetteers


def phrase_key(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(fold(w) for w in words)


@lru_cache(maxsize=1)
def _gazetteer_tables() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, ...], str]]:
    """(folded single word -> categories, folded phrase -> category), built on first use."""
    groups: tuple[tuple[str, frozenset[str]], ...] = (
        ("LOC", gazetteers.COUNTRIES | gazetteers.CITIES | gazetteers.PLACE_PHRASES),
        ("NAT", gazetteers.NATIONALITIES),
        ("TTL", gazetteers.PERSON_TITLES | gazetteers.TITLE_PHRASES),
        ("ORGC", gazetteers.ORG_CUES),
        ("ORG", gazetteers.ORGANISATIONS | gazetteers.ORG_PHRASES),
        ("LOCC", gazetteers.LOC_CUES),
        ("MISC", gazetteers.MISC_WORDS),
        ("NAME", gazetteers.GIVEN_NAMES),
    )
    single: dict[str, list[str]] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for cat, entries in groups:
        for entry in sorted(entries):
            words = entry.split()
            if len(words) == 1:
                cats = single.setdefault(fold(entry), [])
                if cat not in cats:
                    cats.append(cat)
            else:
                phrases.setdefault(phrase_key(words), cat)
    return {k: tuple(v) for k, v in single.items()}, phrases


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    """Folded first words of the multi-word gazetteer entries (most tokens start none)."""
    return frozenset(key[0] for key in _gazetteer_tables()[1])


def _gaz_single(nop: str, core: str) -> tuple[str, ...]:
    """Gazetteer categories of one folded word (``nop`` keeps ال, ``core`` drops it)."""
    single = _gazetteer_tables()[0]
    found: list[str] = []
    for key in (nop, core, "ال" + core):
        for cat in single.get(key, ()):
            if cat not in found:
                found.append(cat)
    if "NAT" not in found:
        for end in _NAT_ENDINGS:
            if core.endswith(end) and len(core) > len(end) + 2:
                if "NAT" in single.get(core[: len(core) - len(end)] + "ي", ()):
                    found.append("NAT")
                break
    return tuple(found)


# --------------------------------------------------------------------------- word clusters

LEXICON_SCHEMA: Final = 1


class ClusterLexicon(Mapping[str, tuple[str, ...]]):
    """Folded word -> its cluster feature strings (``("128=60", "512=175", ...)``), packed.

    A marisa trie of the words and, per trie id, ``width`` uint16 indexes into the few
    thousand distinct feature strings: the table of ~100,000 words loads in milliseconds
    and a few MB where a dict of tuples took ~0.3 s and ~50 MB. Look-ups happen on the
    Featurizer's per-word cache misses only. Written by :meth:`to_bytes`
    (``ner_lexicon.bin.gz``, ``training/train_ner.py``).
    """

    __slots__ = ("features", "ids", "trie", "width")

    def __init__(self, trie: marisa_trie.Trie, ids: array.array[int], features: Sequence[str], width: int) -> None:
        if width < 1 or len(ids) != len(trie) * width or max(ids, default=0) >= max(1, len(features)):
            raise packed.PackError("word cluster table: sections do not match")
        self.trie = trie
        self.ids = ids
        self.features = tuple(features)
        self.width = width

    def get(self, key: str, default: Any = None) -> Any:
        idx = self.trie.get(key)
        if idx is None:
            return default
        at = idx * self.width
        feats = self.features
        return tuple([feats[i] for i in self.ids[at : at + self.width]])

    def __getitem__(self, key: str) -> tuple[str, ...]:
        found: tuple[str, ...] | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.trie

    def __iter__(self) -> Iterator[str]:
        return iter(self.trie.keys())

    def __len__(self) -> int:
        return len(self.trie)

    @staticmethod
    def to_bytes(lexicon: Mapping[str, Sequence[str]]) -> bytes:
        """The packed file of a word -> feature strings table (every word the same number of
        features, in the same order as given). Deterministic: the same table, the same bytes."""
        widths = {len(v) for v in lexicon.values()}
        if len(widths) > 1:
            raise ValueError(f"words have different numbers of features: {sorted(widths)}")
        width = widths.pop() if widths else 1
        features = sorted({f for v in lexicon.values() for f in v})
        if len(features) > 65_535:
            raise ValueError(f"{len(features)} distinct features do not fit in uint16")
        number = {f: i for i, f in enumerate(features)}
        trie = marisa_trie.Trie(sorted(lexicon))
        ids = array.array("H", bytes(2 * width * len(trie)))
        for word, idx in trie.items():
            ids[idx * width : (idx + 1) * width] = array.array("H", [number[f] for f in lexicon[word]])
        meta = {"schema": LEXICON_SCHEMA, "features": features, "width": width}
        return packed.pack({"words": trie, "ids": ids}, meta)

    @classmethod
    def from_bytes(cls, raw: bytes) -> ClusterLexicon:
        """The table in a file written by :meth:`to_bytes` (PackError when it is not one)."""
        head, sections = packed.unpack(raw)
        if head.get("schema") != LEXICON_SCHEMA:
            raise packed.PackError(f"schema {head.get('schema')!r}, not {LEXICON_SCHEMA}")
        try:
            return cls(sections["words"], sections["ids"], head["features"], int(head["width"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise packed.PackError(f"word cluster table: {exc}") from exc


# --------------------------------------------------------------------------- features


def _shape(token: str) -> str:
    """A coarse shape class of a token."""
    if token.isdigit() or token.replace(".", "").replace(",", "").isdigit():
        return "D"
    has_ar = any("\u0600" <= c <= "\u06ff" for c in token)
    has_lat = any(c.isascii() and c.isalpha() for c in token)
    if has_ar and not has_lat:
        return "A"
    if has_lat and not has_ar:
        return "LU" if token[:1].isupper() else "L"
    if not any(c.isalnum() for c in token):
        return "P"
    return "X"


def _split(token: str) -> tuple[str, str, str]:
    """(proclitics, word without و/ف/ب/ل/ك, core without any proclitic incl. ال), all folded."""
    morphs = morph.segment_word(token)
    pre = [m for m in morphs if m.kind == "prefix"]
    if not pre:
        f = fold(token)
        return "", f, f
    outer = [m for m in pre if m.form in STRIPPABLE]
    core_start = pre[-1].end
    nop_start = outer[-1].end if outer else 0
    nop = fold(token[nop_start:])
    if any(m.form == "ال" for m in pre) and not nop.startswith("ال"):
        nop = "ال" + fold(token[core_start:])  # لل: restore the assimilated ال
    return "+".join(m.form for m in pre), nop, fold(token[core_start:])


_OFFSETS: Final = ("-2", "-1", "+1", "+2")  # the context features' prefixes, in the order of a word's ctx
_WordFeatures = tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]


class Featurizer:
    """Feature strings for sentences of whitespace tokens, with a bounded per-word cache.

    Args:
        families: the feature families to use (see ``ALL_FAMILIES``).
        lexicon: folded word -> distributional feature strings learnt from unlabeled news
            (family ``dist``); words missing from it get none.
        known: the features the loaded models weigh (None: keep every feature).

    The cache keeps the features of the last ``CACHE_SIZE`` to ``2 * CACHE_SIZE`` distinct
    words (two generations: when the newer fills up, the older is dropped), each about
    0.9 KB: with ``known``, a cached feature string is the one object of the ``known``
    table, not a copy per word (``python bench/bench_ner_load.py --cache-sizes ...`` prints
    the speed for other sizes).
    """

    # khabar.memo.MEMO_MAXSIZE (16,384 by default): on NER alone over 1,500 articles 16,384 was
    # measured ~10-25% slower than 32,768; over the whole pipeline the smaller budget costs ~6%
    CACHE_SIZE: int = MEMO_MAXSIZE

    def __init__(
        self,
        families: Iterable[str] = ALL_FAMILIES,
        lexicon: Mapping[str, Sequence[str]] | None = None,
        known: Iterable[str] | None = None,
    ) -> None:
        self.families = frozenset(families)
        self.lexicon: Mapping[str, Sequence[str]] = lexicon or {}
        # Features the loaded models have weights for: the others change no score, so they are
        # dropped before they cost a string conversion and a look-up in crfsuite. Each maps to
        # itself, so that cached features share one string object per feature.
        self.known: dict[str, str] | None = None if known is None else {x: x for x in known}
        # The same table by context offset: a neighbour's feature s -> the known string offset + s
        # (exactly ``known.get(offset + s)``), so a word's context features cost a look-up each and
        # no new string per offset.
        self._near_known: tuple[dict[str, str], ...] | None = None
        if self.known is not None:
            by_offset: dict[str, dict[str, str]] = {off: {} for off in _OFFSETS}
            for x in self.known:
                table = by_offset.get(x[:2])
                if table is not None:
                    table[x[2:]] = x
            self._near_known = tuple(by_offset[off] for off in _OFFSETS)
        unknown = self.families - set(ALL_FAMILIES)
        if unknown:
            raise ValueError(f"unknown feature families: {sorted(unknown)}")
        self._cache: dict[str, _WordFeatures] = {}
        self._older: dict[str, _WordFeatures] = {}
        self._lock = threading.Lock()

    def _word(self, token: str) -> _WordFeatures:
        """(own features, neighbour features for offsets -2,-1,+1,+2, (folded nop key, core))."""
        fam = self.families
        pre, nop, core = _split(token)
        f = fold(token)
        own: list[str] = ["b"]
        near: list[str] = []  # what a neighbour sees of this word
        if "word" in fam:
            own += ["w=" + token, "f=" + f]
            near.append("f=" + f)
        if "clitic" in fam:
            own += ["p=" + pre, "n=" + nop, "c=" + core]
            near += ["c=" + core, "p=" + pre]
        if "affix" in fam:
            own += ["s1=" + f[-1:], "s2=" + f[-2:], "s3=" + f[-3:], "c2=" + core[:2], "c3=" + core[:3]]
            own += ["cs2=" + core[-2:], f"L={min(len(core), 10)}"]
            near.append("s2=" + f[-2:])
        if "shape" in fam:
            shape = _shape(token)
            own.append("sh=" + shape)
            near.append("sh=" + shape)
            if "\u0640" in token:
                own.append("tatweel")
        if "gaz" in fam:
            for cat in _gaz_single(nop, core):
                own.append("g=" + cat)
                near.append("g=" + cat)
        if "dist" in fam:
            dist = self.lexicon.get(f) or self.lexicon.get(nop) or self.lexicon.get(core)
            if dist:
                own += ["d" + x for x in dist]
                near += ["d" + x for x in dist[:2]]
            else:
                own.append("d?")
                near.append("d?")
        known = self.known
        ctx: tuple[tuple[str, ...], ...] = ()
        if "context" in fam:
            if self._near_known is None:
                ctx = tuple(tuple([off + s for s in near]) for off in _OFFSETS)
            else:
                ctx = tuple(tuple([k for k in map(table.get, near) if k is not None]) for table in self._near_known)
        if known is not None:
            get = known.get
            own = [k for k in [get(x) for x in own] if k is not None]
        return tuple(own), ctx, (nop, core)

    def clear_cache(self) -> None:
        """Forget every cached word (benchmarks time a cold cache with it)."""
        with self._lock:
            self._cache, self._older = {}, {}

    def word(self, token: str) -> _WordFeatures:
        """The cached per-word part of the features."""
        hit = self._cache.get(token)
        if hit is None:
            hit = self._older.get(token) or self._word(token)
            with self._lock:
                if len(self._cache) >= self.CACHE_SIZE:
                    self._older = self._cache
                    self._cache = {}
                self._cache[token] = hit
        return hit

    def words(self, tokens: Sequence[str]) -> list[_WordFeatures]:
        """``[self.word(t) for t in tokens]``, a hit in the newer cache generation read without a call."""
        get, word = self._cache.get, self.word
        return [get(t) or word(t) for t in tokens]

    def sentence(self, tokens: Sequence[str], words: Sequence[_WordFeatures] | None = None) -> list[list[str]]:
        """Feature lists, one per token (``words``: :meth:`words` of ``tokens``, when the caller has them)."""
        n = len(tokens)
        if words is None:
            words = self.words(tokens)
        out: list[list[str]] = []
        fam = self.families
        context = "context" in fam
        bigrams = context and "word" in fam
        known = self.known
        phrase_tags = self._phrases(words) if "gaz" in fam else None
        for i, (own, _ctx, keys) in enumerate(words):
            feats = list(own)
            if context:
                if i >= 2:
                    feats += words[i - 2][1][0]
                if i >= 1:
                    feats += words[i - 1][1][1]
                    if bigrams:
                        bg = "bg-=" + words[i - 1][2][1] + "|" + keys[1]
                        if known is None or bg in known:
                            feats.append(bg)
                else:
                    feats.append("BOS")
                if i + 1 < n:
                    feats += words[i + 1][1][2]
                    if bigrams:
                        bg = "bg+=" + keys[1] + "|" + words[i + 1][2][1]
                        if known is None or bg in known:
                            feats.append(bg)
                else:
                    feats.append("EOS")
                if i + 2 < n:
                    feats += words[i + 2][1][3]
            if phrase_tags is not None and phrase_tags[i]:
                feats.append(phrase_tags[i])
                if context:
                    if i >= 1 and phrase_tags[i - 1]:
                        feats.append("-1" + phrase_tags[i - 1])
                    if i + 1 < n and phrase_tags[i + 1]:
                        feats.append("+1" + phrase_tags[i + 1])
            out.append(feats)
        return out

    @staticmethod
    def _phrases(words: Sequence[tuple[Any, Any, tuple[str, ...]]]) -> list[str]:
        """``gp=LOC:B``/``gp=LOC:I`` marks for multi-word gazetteer matches (longest first)."""
        phrases = _gazetteer_tables()[1]
        starts = _phrase_starts()
        n = len(words)
        tags = [""] * n
        i = 0
        while i < n:
            first = words[i][2]
            if first[0] not in starts and "ال" + first[1] not in starts:
                i += 1
                continue
            matched = 0
            for length in (5, 4, 3, 2):
                if i + length > n:
                    continue
                rest = tuple(w[2][0] for w in words[i + 1 : i + length])
                cat = phrases.get((first[0], *rest)) or phrases.get(("ال" + first[1], *rest))
                if cat is None:
                    continue
                tags[i] = f"gp={cat}:B"
                for j in range(i + 1, i + length):
                    tags[j] = f"gp={cat}:I"
                matched = length
                break
            i += matched or 1
        return tags


# --------------------------------------------------------------------------- second pass


def stack_features(
    featurizer: Featurizer,
    sentences: Sequence[Sequence[str]],
    feats: Sequence[list[list[str]]],
    first: Sequence[Sequence[str]],
    window: int | None,
    words: Sequence[Sequence[_WordFeatures]] | None = None,
) -> None:
    """Add the second-pass (label consistency) features to ``feats`` in place.

    For each token: its first-pass tag and those of its neighbours (``t=``, ``t-1=``,
    ``t+1=``), and how the first pass tagged the same word form (folded, without
    proclitics and ال) elsewhere in the window of sentences ``±window`` around it
    (``window=None``: all of ``sentences``, e.g. a whole document): ``x=TYPE`` for each
    entity type seen, ``xm=TYPE`` for the most frequent one, ``xo`` when some other
    occurrence was tagged O. Training computes ``first`` by cross-validation, so these
    features carry what the first model predicts, not what it memorised. ``words`` (optional):
    ``featurizer.words`` of each sentence, when the caller has read them already.
    """
    n_sent = len(sentences)
    keys: list[list[str]] = []
    labels: list[list[str]] = []
    for j, (toks, tags) in enumerate(zip(sentences, first, strict=True)):
        ks = []
        for w in featurizer.words(toks) if words is None else words[j]:
            core = w[2][1]
            ks.append(core if len(core) >= 2 and core.isalpha() else "")
        keys.append(ks)
        labels.append([tag[2:] if tag != "O" else "O" for tag in tags])
    counts: dict[str, dict[str, int]] = {}

    def add(j: int, step: int) -> None:
        for k, lab in zip(keys[j], labels[j], strict=True):
            if k:
                c = counts.setdefault(k, {})
                c[lab] = c.get(lab, 0) + step

    if window is None:
        for j in range(n_sent):
            add(j, 1)
    else:
        for j in range(min(window, n_sent)):
            add(j, 1)
    for s in range(n_sent):
        if window is not None:
            if s + window < n_sent:
                add(s + window, 1)
            if s - window - 1 >= 0:
                add(s - window - 1, -1)
        tags = first[s]
        n = len(tags)
        for i, out in enumerate(feats[s]):
            out.append("t=" + tags[i])
            out.append("t-1=" + (tags[i - 1] if i else "BOS"))
            out.append("t+1=" + (tags[i + 1] if i + 1 < n else "EOS"))
            k = keys[s][i]
            if not k:
                continue
            c = counts.get(k)
            if not c:
                continue
            own = labels[s][i]
            best, best_n = "", 0
            for lab, m in c.items():
                if lab == own:
                    m -= 1
                if m <= 0:
                    continue
                if lab == "O":
                    out.append("xo")
                    continue
                out.append("x=" + lab)
                if m > best_n:
                    best, best_n = lab, m
            if best:
                out.append("xm=" + best)
