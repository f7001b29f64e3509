"""Topic classification: what an article is about, as a distribution over six news desks.

The labels are the ANT v2.1 corpus desks (``culture``, ``economy``,
``internationalNews``, ``middleEast``, ``sport``, ``technology``). The model is a
multinomial logistic regression over sublinear tf-idf features of the folded,
light-stemmed text: word stems, stem bigrams, title stems and a few style
features (punctuation, hashtags, length) that tell news sources apart, which
matters because each source files stories under its own set of desks.

Each outlet files stories under its own desks (AlArabiya has no middleEast desk, so
its Iraq stories are internationalNews). When the caller knows the outlet
(``meta["source"]``) and it is one of the five training sources, a second, outlet-aware
model answers: the same features scored by shared weights plus that outlet's own weights
and desk bias (feature augmentation, Daume III 2007), so each outlet's desk habits are
learnt, not just its desk prior. Any other or missing source uses the text-only model.

Both models are built by ``training/train_topics.py`` and shipped packed (:func:`pack_model`) as
``khabar/models/topics.bin.gz`` and ``topics_by_source.bin.gz``: the vocabulary as a marisa
trie, idf and weights as int16 arrays by trie id (the scaled integers training rounds to; an
outlet's rows come with their trie ids, turned at load into an int32 slot array by id). Each
file is read lazily on first use, in well under a tenth of a second, with no dict of the
vocabulary built. Runtime is pure Python (no numpy): a trie lookup per feature, its weights
read as ``int * scale`` (the floats the JSON model files gave, so every probability is the
same float), and a softmax.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any, Final, TypeVar

import marisa_trie  # type: ignore[import-not-found, unused-ignore]  # no type information

from khabar.doc import Doc
from khabar.errors import ResourceError
from khabar.gcpause import gc_paused
from khabar.lang.ar import packed
from khabar.lang.ar.chars import LETTER_RANGES
from khabar.lang.ar.normalize import fold
from khabar.memo import MAX_MEMO_CHARS, MEMO_MAXSIZE, short_memo
from khabar.resources import read_model

NAME = "classify"
MODEL_FILE: Final = "topics.bin.gz"
SOURCE_MODEL_FILE: Final = "topics_by_source.bin.gz"
MODEL_SCHEMA: Final = 3
LABELS: tuple[str, ...] = ("culture", "economy", "internationalNews", "middleEast", "sport", "technology")

# Words: runs of letters (after folding, so diacritics and tatweel are gone); digits and
# the underscore of hashtags (#محمد_خان) separate words.
_WORD = re.compile(r"[^\W\d_]+")
_PUNCT = re.compile(r"[^\w\s]|_")
_HASHTAG = re.compile(r"#([^\W\d_]+)")
_ARABIC_LETTER = re.compile(f"[{LETTER_RANGES}]")
# Light stemming (after Larkey's Light10, on folded text so ة is ه and ى is ي):
# و, then one article-bearing prefix, then suffixes while a two-letter stem is left.
_PREFIXES: Final = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES: Final = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
# Outlet names (folded, lower-case, without spaces or punctuation) -> the training source key.
# Latin names may sit inside a longer string (www.bbc.com); Arabic ones must start it,
# because "العربية" is also the word "Arabic" (سي إن إن بالعربية is CNN, not AlArabiya).
_LATIN_SOURCE_NAMES: Final = (
    ("alarabiya", "alarabiya"),
    ("alarabia", "alarabiya"),
    ("bbc", "bbc"),
    ("cnn", "cnn"),
    ("france24", "france24"),
    ("skynews", "skynews"),
)
_ARABIC_SOURCE_NAMES: Final = (
    ("بيبيسي", "bbc"),
    ("سيانان", "cnn"),
    ("فرانس24", "france24"),
    ("سكاينيوز", "skynews"),
    ("العربيه", "alarabiya"),
)
# Articles longer than this many words are cut: the lead carries the topic, and the cap
# bounds the time a 5,000-sentence text can take.
MAX_WORDS: Final = 5000


def _light_stem(word: str) -> str:
    """:func:`light_stem` without its memo."""
    if len(word) > 3 and word[0] == "و":
        word = word[1:]
    if word.startswith(_PREFIXES):  # (one C call says whether any prefix can apply)
        for prefix in _PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                word = word[len(prefix) :]
                break
    if word.endswith(_SUFFIXES):  # (no suffix at the end: none can be stripped, one after another)
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                word = word[: -len(suffix)]
    return word


#: light_stem, memoised (tokens over MAX_MEMO_CHARS are not)
light_stem = short_memo(maxsize=200_000)(_light_stem)
light_stem.__doc__ = """The light stem of a folded word: ``والاقتصاديه`` -> ``اقتصاد``."""

# The stems of an article's words, read from two plain dicts (this generation and the one
# before, MEMO_MAXSIZE // 2 words each, so the frequent words stay): one dict look-up per
# distinct word instead of a memoised call.
_STEMS: list[dict[str, str]] = [{}, {}]


def _stems_of(words: set[str]) -> dict[str, str]:
    """``{w: light_stem(w) for w in words}``."""
    new, old = _STEMS
    out: dict[str, str] = {}
    for w in words:
        stem = new.get(w)
        if stem is None:
            stem = old.get(w)
            if stem is None:
                stem = _light_stem(w)
            if len(w) <= MAX_MEMO_CHARS:
                new[w] = stem
        out[w] = stem
    if len(new) >= MEMO_MAXSIZE // 2:
        _STEMS[:] = [{}, new]
    return out


def _clear_stems(clear_memo: Any = light_stem.cache_clear) -> None:  # type: ignore[attr-defined]
    """Empty both stem caches (``light_stem.cache_clear``: a bench's cold pass)."""
    clear_memo()
    _STEMS[:] = [{}, {}]


light_stem.cache_clear = _clear_stems  # type: ignore[attr-defined]


def features(text: str, title: str | None = None) -> Counter[str]:
    """Feature counts of an article (shared by training and runtime).

    Args:
        text: the article body.
        title: its headline, if known (adds ``T:`` title-stem features).

    Returns:
        Counts of stems, ``a_b`` stem bigrams, ``T:`` title stems, ``P:`` punctuation marks,
        ``H:`` hashtag words, ``NL:`` line-count and ``LEN:`` length buckets.
    """
    folded = fold(text)
    words = _WORD.findall(folded)
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
    stem_of = _stems_of(set(words))  # each distinct word stemmed once
    stems = [stem_of[w] for w in words]
    feats: Counter[str] = Counter(stems)
    feats.update([a + "_" + b for a, b in pairwise(stems)])
    feats.update("P:" + p for p in _PUNCT.findall(folded, 0, 100_000))
    feats.update("H:" + h for h in _HASHTAG.findall(folded, 0, 100_000))
    feats[f"NL:{min(folded.count(chr(10)), 10)}"] += 1
    feats[f"LEN:{min(len(stems).bit_length(), 12)}"] += 1
    if title:
        folded_title = fold(title)
        feats.update("T:" + light_stem(w) for w in _WORD.findall(folded_title)[:100])
        feats.update("TP:" + p for p in _PUNCT.findall(folded_title)[:100])
    return feats


def source_key(name: str) -> str | None:
    """The training source an outlet name refers to (``"Sky News Arabia"`` -> ``"skynews"``), else None."""
    squeezed = "".join(ch for ch in fold(name).lower() if ch.isalnum())
    for needle, key in _LATIN_SOURCE_NAMES:
        if needle in squeezed:
            return key
    for needle, key in _ARABIC_SOURCE_NAMES:
        if squeezed.startswith(needle):
            return key
    return None


Weights = tuple[float, ...]
# Packed model files: magic, header length (uint32 LE), JSON header, then the sections it lists
# (the vocabulary trie, little-endian int16 idf / weights indexed by the trie's key ids, then per
# outlet the int32 trie ids of its rows and its int16 weights).
_ITEMSIZE: Final = {"h": 2, "i": 4}


class FeatureTable:
    """The packed vocabulary of a model: a marisa trie gives each feature an id in [0, len);
    ``idf[id]`` and ``weights[id * n : id * n + n]`` are scaled integers, turned into floats
    (``int * scale``, as the JSON model files were read) only when a feature is scored.
    """

    __slots__ = ("idf", "idf_scale", "n", "vocab", "weight_scale", "weights")

    def __init__(
        self,
        vocab: marisa_trie.Trie,
        idf: array[int],
        weights: array[int],
        n: int,
        idf_scale: float,
        weight_scale: float,
    ) -> None:
        if len(idf) != len(vocab) or len(weights) != n * len(vocab):
            raise ValueError("vocabulary, idf and weight arrays differ in length")
        self.vocab = vocab
        self.idf = idf
        self.weights = weights
        self.n = n
        self.idf_scale = idf_scale
        self.weight_scale = weight_scale

    def __len__(self) -> int:
        return len(self.vocab)

    def row(self, feat: str) -> tuple[float, Weights, int] | None:
        """``(idf, per-label weights, trie id)`` of a feature as floats; None when it is not in the vocabulary."""
        i = self.vocab.get(feat)
        if i is None:
            return None
        n, scale = self.n, self.weight_scale
        return self.idf[i] * self.idf_scale, tuple([w * scale for w in self.weights[i * n : i * n + n]]), i


class OutletRows:
    """An outlet's own weights: ``slots[id]`` (id of the shared trie) is the row in ``weights``, or -1."""

    __slots__ = ("n", "rows", "slots", "weight_scale", "weights")

    def __init__(self, slots: array[int], weights: array[int], n: int, weight_scale: float) -> None:
        if len(weights) % n:
            raise ValueError("outlet weight array is not whole rows")
        self.slots = slots
        self.weights = weights
        self.n = n
        self.weight_scale = weight_scale
        self.rows = len(weights) // n

    def __len__(self) -> int:
        return self.rows

    def get(self, i: int) -> Weights | None:
        """The outlet's weights (floats) for the feature of trie id ``i``, None when it has none."""
        j = self.slots[i]
        if j < 0:
            return None
        n, scale = self.n, self.weight_scale
        return tuple([w * scale for w in self.weights[j * n : j * n + n]])


_M = TypeVar("_M")


def _linear_scores(feats: Counter[str], rows: FeatureTable, n: int, extra: OutletRows | None = None) -> list[float]:
    """x . W for the sublinear, L2-normalised tf-idf vector x of ``feats`` over the model vocabulary.

    ``extra`` adds a second weight table (an outlet's own weights) on the same x. Weights are
    read from the int arrays as ``value * (int * scale)``: the floats of the dict-of-floats
    loader, with no float per feature kept between articles (and faster: the arrays are small).
    """
    scores = [0.0] * n
    norm2 = 0.0
    lookup = rows.vocab.get
    idf, idf_scale = rows.idf, rows.idf_scale
    weights, w_scale = rows.weights, rows.weight_scale
    if extra is not None:
        slots, more, more_scale = extra.slots, extra.weights, extra.weight_scale
    for feat, count in feats.items():
        i = lookup(feat)
        if i is None:
            continue
        value = (1.0 + math.log(count)) * (idf[i] * idf_scale)
        norm2 += value * value
        base = i * n
        for k in range(n):
            scores[k] += value * (weights[base + k] * w_scale)
        if extra is not None:
            j = slots[i]
            if j >= 0:
                base = j * n
                for k in range(n):
                    scores[k] += value * (more[base + k] * more_scale)
    scale = 1.0 / math.sqrt(norm2) if norm2 > 0.0 else 0.0
    return [s * scale for s in scores]


def _softmax(labels: tuple[str, ...], logits: list[float]) -> dict[str, float]:
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return {label: e / total for label, e in zip(labels, exps, strict=True)}


@dataclass(frozen=True, slots=True)
class TopicModel:
    """Text-only model: packed vocabulary -> (idf, per-label weights), per-label bias, labels, training prior."""

    labels: tuple[str, ...]
    rows: FeatureTable
    bias: Weights
    prior: Weights

    def probabilities(self, feats: Counter[str]) -> dict[str, float]:
        """Softmax of the linear scores of sublinear, L2-normalised tf-idf features."""
        scores = _linear_scores(feats, self.rows, len(self.labels))
        return _softmax(self.labels, [s + b for s, b in zip(scores, self.bias, strict=True)])


@dataclass(frozen=True, slots=True)
class SourceTopicModel:
    """Outlet-aware model: shared rows as in :class:`TopicModel`, plus per outlet its own
    weights (for some features) and its own desk bias; logits = x.(W + W_outlet) + b + b_outlet."""

    labels: tuple[str, ...]
    rows: FeatureTable
    bias: Weights
    source_rows: dict[str, OutletRows]
    source_bias: dict[str, Weights]

    def probabilities(self, feats: Counter[str], source: str) -> dict[str, float]:
        """The distribution for an article of outlet ``source`` (a key of ``source_bias``)."""
        scores = _linear_scores(feats, self.rows, len(self.labels), self.source_rows[source])
        bias = [a + b for a, b in zip(self.bias, self.source_bias[source], strict=True)]
        return _softmax(self.labels, [s + b for s, b in zip(scores, bias, strict=True)])

    def outlet_prior(self, source: str) -> dict[str, float]:
        """The answer without textual evidence: the outlet's own desk distribution."""
        return _softmax(self.labels, [a + b for a, b in zip(self.bias, self.source_bias[source], strict=True)])


def _int_array(code: str, values: Any, what: str) -> array[int]:
    try:
        return array(code, values)
    except (OverflowError, TypeError) as exc:
        raise ValueError(f"{what}: not {8 * _ITEMSIZE[code]}-bit integers ({exc})") from exc


def pack_model(doc: dict[str, Any]) -> bytes:
    """The packed model file (gzip bytes, deterministic) of a model in the JSON form training builds.

    ``doc`` holds ``labels``, ``bias``, ``weight_scale``, ``idf_scale``, ``vocab`` (features), ``idf``
    (ints, idf / idf_scale) and ``weights`` (ints, ``len(labels)`` per feature), then either ``prior``
    (text-only model: training counts per label) or ``sources`` (outlet-aware model: per outlet
    ``features`` (indices into vocab), ``weights`` and ``bias``). Raises ValueError on inconsistent arrays.
    """
    labels = [str(x) for x in doc["labels"]]
    n = len(labels)
    vocab: list[str] = doc["vocab"]
    trie = marisa_trie.Trie(vocab)
    if len(trie) != len(vocab) or len(doc["idf"]) != len(vocab) or len(doc["weights"]) != n * len(vocab):
        raise ValueError("vocabulary (repeated features?), idf and weight arrays differ in length")
    ids = [trie[feat] for feat in vocab]  # the trie numbers keys its own way: arrays follow its ids
    idf = [0] * len(vocab)
    weights = [0] * (n * len(vocab))
    for i, key_id in enumerate(ids):
        idf[key_id] = doc["idf"][i]
        weights[key_id * n : key_id * n + n] = doc["weights"][i * n : i * n + n]
    sections: dict[str, Any] = {
        "vocab": trie,
        "idf": _int_array("h", idf, "idf"),
        "weights": _int_array("h", weights, "weights"),
    }
    header: dict[str, Any] = {
        "schema": MODEL_SCHEMA,
        "labels": labels,
        "bias": [float(b) for b in doc["bias"]],
        "weight_scale": float(doc["weight_scale"]),
        "idf_scale": float(doc["idf_scale"]),
    }
    if "prior" in doc:
        header["prior"] = list(doc["prior"])
    if "sources" in doc:
        header["sources"] = {}
        for key, part in doc["sources"].items():
            index: list[int] = part["features"]
            if len(part["weights"]) != n * len(index):
                raise ValueError(f"sources[{key!r}]: feature and weight arrays differ in length")
            outlet_ids = [ids[j] for j in index]  # row r of the outlet's weights is for trie id outlet_ids[r]
            header["sources"][str(key)] = {"bias": [float(b) for b in part["bias"]]}
            sections[f"ids:{key}"] = _int_array("i", outlet_ids, f"sources[{key!r}] ids")
            sections[f"weights:{key}"] = _int_array("h", part["weights"], f"sources[{key!r}]")
    if "trained_on" in doc:
        header["trained_on"] = doc["trained_on"]
    return packed.pack(sections, meta=header)


def _unpack(raw: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, {section name: trie or array}) of a packed model file (:mod:`khabar.lang.ar.packed`);
    ValueError (PackError) when malformed or of another schema."""
    header, parts = packed.unpack(raw)
    if header.get("schema") != MODEL_SCHEMA:
        raise ValueError("unknown schema")
    for name, values in parts.items():
        if isinstance(values, array) and values.itemsize != _ITEMSIZE.get(values.typecode):
            raise ValueError(f"section {name!r}: array type {values.typecode!r} is not the size written")
    return header, parts


def _floats(values: Any, n: int, what: str) -> Weights:
    out = tuple(float(v) for v in values)
    if len(out) != n:
        raise ValueError(f"{what} length differs from the label count")
    return out


def _table(header: dict[str, Any], parts: dict[str, Any], n: int) -> FeatureTable:
    return FeatureTable(
        parts["vocab"], parts["idf"], parts["weights"], n, float(header["idf_scale"]), float(header["weight_scale"])
    )


def model_from_bytes(raw: bytes) -> TopicModel:
    """Build a :class:`TopicModel` from a packed model file (see :func:`pack_model`); ValueError when malformed."""
    header, parts = _unpack(raw)
    labels = tuple(str(x) for x in header["labels"])
    n = len(labels)
    counts = _floats(header["prior"], n, "prior")
    total = sum(counts)
    return TopicModel(
        labels, _table(header, parts, n), _floats(header["bias"], n, "bias"), tuple(c / total for c in counts)
    )


def source_model_from_bytes(raw: bytes) -> SourceTopicModel:
    """Build a :class:`SourceTopicModel` from a packed model file; ValueError when malformed."""
    header, parts = _unpack(raw)
    labels = tuple(str(x) for x in header["labels"])
    n = len(labels)
    rows = _table(header, parts, n)
    source_rows: dict[str, OutletRows] = {}
    source_bias: dict[str, Weights] = {}
    for key, part in dict(header["sources"]).items():
        ids = parts[f"ids:{key}"]
        if len(ids) and (min(ids) < 0 or max(ids) >= len(rows)):
            raise ValueError(f"sources[{key!r}]: a feature id beyond the vocabulary")
        # trie id -> the outlet's row, -1 for none: built here (the file keeps only the outlet's ids)
        slots = array("i", [-1]) * len(rows)
        for row, i in enumerate(ids):
            slots[i] = row
        weights = parts[f"weights:{key}"]
        if len(weights) != n * len(ids):
            raise ValueError(f"sources[{key!r}]: id and weight arrays differ in length")
        source_rows[str(key)] = OutletRows(slots, weights, n, rows.weight_scale)
        source_bias[str(key)] = _floats(part["bias"], n, f"sources[{key!r}] bias")
    return SourceTopicModel(labels, rows, _floats(header["bias"], n, "bias"), source_rows, source_bias)


def model_from_json(doc: dict[str, Any]) -> TopicModel:
    """The :class:`TopicModel` of a model in the JSON form training builds (packed, then read back)."""
    return model_from_bytes(pack_model(doc))


def source_model_from_json(doc: dict[str, Any]) -> SourceTopicModel:
    """The :class:`SourceTopicModel` of a model in the JSON form training builds (packed, then read back)."""
    return source_model_from_bytes(pack_model(doc))


def _load(name: str, build: Callable[[bytes], _M]) -> _M:
    """Read, check and build a packaged model file (ResourceError K205 when missing or corrupt)."""
    raw = read_model(name, code="K205")
    try:
        return build(raw)
    except (OSError, EOFError, RuntimeError, ValueError, KeyError, TypeError, IndexError) as exc:
        # RuntimeError: marisa's own check of the trie bytes; EOFError: a gzip stream cut short
        raise ResourceError(
            f"topic model khabar/models/{name} is unreadable ({exc.__class__.__name__}: {exc})",
            hint="reinstall khabar, or rebuild it with `python training/train_topics.py`",
            code="K205",
        ) from exc


@lru_cache(maxsize=1)
def load_model() -> TopicModel:
    """Load the packaged text-only topic model (once; ResourceError K205 when missing or corrupt)."""
    return _load(MODEL_FILE, model_from_bytes)


@lru_cache(maxsize=1)
def load_source_model() -> SourceTopicModel:
    """Load the packaged outlet-aware topic model (once; ResourceError K205 when missing or corrupt)."""
    return _load(SOURCE_MODEL_FILE, source_model_from_bytes)


def classify_text(text: str, title: str | None = None, source: str | None = None) -> dict[str, float]:
    """The topic distribution of one article.

    Args:
        text: the article body (any length). Without a single Arabic letter in text or
            title there is no evidence, and the answer is the training prior (the
            outlet's desk distribution when the source is known).
        title: its headline, if known.
        source: the outlet's name, if known (``"SkyNews"``, ``"BBC Arabic"``,
            ``"فرانس 24"``); the five training outlets get the outlet-aware model,
            any other name the text-only one.

    Returns:
        ``{label: probability}`` over :data:`LABELS`, summing to 1.

    Raises:
        ResourceError: K205 when a packaged model is missing or corrupt.
    """
    key = source_key(source) if source else None
    no_text = _ARABIC_LETTER.search(text) is None and (not title or _ARABIC_LETTER.search(title) is None)
    if key is not None:
        outlet_model = load_source_model()
        if key in outlet_model.source_bias:
            if no_text:
                return outlet_model.outlet_prior(key)
            return outlet_model.probabilities(features(text, title), key)
    model = load_model()
    if no_text:
        return dict(zip(model.labels, model.prior, strict=True))
    return model.probabilities(features(text, title))


@gc_paused
def predict(doc: Doc) -> dict[str, float]:
    """The topic distribution of ``doc`` (its repaired text; ``meta["title"]`` and ``meta["source"]`` when given)."""
    title = doc.meta.get("title")
    source = doc.meta.get("source")
    return classify_text(
        doc.repaired, title if isinstance(title, str) else None, source if isinstance(source, str) else None
    )


def set_annotations(doc: Doc, categories: dict[str, float]) -> None:
    """Store ``categories`` (rounded to 4 places) and the best label as ``topic`` in ``doc.values``."""
    doc.values["categories"] = {label: round(p, 4) for label, p in categories.items()}
    doc.values["topic"] = max(categories, key=lambda k: categories[k]) if categories else ""
