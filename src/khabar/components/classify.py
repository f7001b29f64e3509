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

Both models are built by ``training/train_topics.py`` and shipped as
``khabar/models/topics.json.gz`` and ``topics_by_source.json.gz``; each is read lazily
on first use. Runtime is pure Python (no numpy): a dictionary lookup per feature and a softmax.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any, Final, TypeVar

from khabar.doc import Doc
from khabar.errors import ResourceError
from khabar.lang.ar.chars import LETTER_RANGES
from khabar.lang.ar.normalize import fold
from khabar.memo import short_memo
from khabar.resources import read_model

NAME = "classify"
MODEL_FILE: Final = "topics.json.gz"
SOURCE_MODEL_FILE: Final = "topics_by_source.json.gz"
MODEL_SCHEMA: Final = 2
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


@short_memo(maxsize=200_000)  # tokens over MAX_MEMO_CHARS are not memoised
def light_stem(word: str) -> str:
    """The light stem of a folded word: ``والاقتصاديه`` -> ``اقتصاد``."""
    if len(word) > 3 and word[0] == "و":
        word = word[1:]
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


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
    stem_of = {w: light_stem(w) for w in set(words)}  # each distinct word stemmed once
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
_M = TypeVar("_M")


def _linear_scores(
    feats: Counter[str], rows: dict[str, tuple[float, Weights]], n: int, extra: dict[str, Weights] | None = None
) -> list[float]:
    """x . W for the sublinear, L2-normalised tf-idf vector x of ``feats`` over the model vocabulary.

    ``extra`` adds a second weight table (an outlet's own weights) on the same x.
    """
    scores = [0.0] * n
    norm2 = 0.0
    for feat, count in feats.items():
        row = rows.get(feat)
        if row is None:
            continue
        value = (1.0 + math.log(count)) * row[0]
        norm2 += value * value
        weights = row[1]
        for k in range(n):
            scores[k] += value * weights[k]
        if extra is not None:
            more = extra.get(feat)
            if more is not None:
                for k in range(n):
                    scores[k] += value * more[k]
    scale = 1.0 / math.sqrt(norm2) if norm2 > 0.0 else 0.0
    return [s * scale for s in scores]


def _softmax(labels: tuple[str, ...], logits: list[float]) -> dict[str, float]:
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return {label: e / total for label, e in zip(labels, exps, strict=True)}


@dataclass(frozen=True, slots=True)
class TopicModel:
    """Text-only model: vocabulary -> (idf, per-label weights), per-label bias, labels, training prior."""

    labels: tuple[str, ...]
    rows: dict[str, tuple[float, Weights]]
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
    rows: dict[str, tuple[float, Weights]]
    bias: Weights
    source_rows: dict[str, dict[str, Weights]]
    source_bias: dict[str, Weights]

    def probabilities(self, feats: Counter[str], source: str) -> dict[str, float]:
        """The distribution for an article of outlet ``source`` (a key of ``source_bias``)."""
        scores = _linear_scores(feats, self.rows, len(self.labels), self.source_rows[source])
        bias = [a + b for a, b in zip(self.bias, self.source_bias[source], strict=True)]
        return _softmax(self.labels, [s + b for s, b in zip(scores, bias, strict=True)])

    def outlet_prior(self, source: str) -> dict[str, float]:
        """The answer without textual evidence: the outlet's own desk distribution."""
        return _softmax(self.labels, [a + b for a, b in zip(self.bias, self.source_bias[source], strict=True)])


def _rows(doc: dict[str, Any], n: int) -> dict[str, tuple[float, Weights]]:
    """vocabulary -> (idf, weights) from the scaled integers of a model file."""
    w_scale = float(doc["weight_scale"])
    i_scale = float(doc["idf_scale"])
    vocab: list[str] = doc["vocab"]
    idf: list[int] = doc["idf"]
    flat: list[int] = doc["weights"]
    if len(idf) != len(vocab) or len(flat) != n * len(vocab):
        raise ValueError("vocabulary, idf and weight arrays differ in length")
    return {
        feat: (idf[i] * i_scale, tuple(w * w_scale for w in flat[i * n : i * n + n])) for i, feat in enumerate(vocab)
    }


def _floats(values: Any, n: int, what: str) -> Weights:
    out = tuple(float(v) for v in values)
    if len(out) != n:
        raise ValueError(f"{what} length differs from the label count")
    return out


def model_from_json(doc: dict[str, Any]) -> TopicModel:
    """Build a :class:`TopicModel` from the decoded model file (ints scaled back to floats)."""
    labels = tuple(str(x) for x in doc["labels"])
    n = len(labels)
    counts = _floats(doc["prior"], n, "prior")
    total = sum(counts)
    return TopicModel(labels, _rows(doc, n), _floats(doc["bias"], n, "bias"), tuple(c / total for c in counts))


def source_model_from_json(doc: dict[str, Any]) -> SourceTopicModel:
    """Build a :class:`SourceTopicModel` from its decoded model file."""
    labels = tuple(str(x) for x in doc["labels"])
    n = len(labels)
    vocab: list[str] = doc["vocab"]
    w_scale = float(doc["weight_scale"])
    source_rows: dict[str, dict[str, Weights]] = {}
    source_bias: dict[str, Weights] = {}
    for key, part in dict(doc["sources"]).items():
        index: list[int] = part["features"]
        flat: list[int] = part["weights"]
        if len(flat) != n * len(index):
            raise ValueError(f"sources[{key!r}]: feature and weight arrays differ in length")
        source_rows[str(key)] = {
            vocab[j]: tuple(w * w_scale for w in flat[i * n : i * n + n]) for i, j in enumerate(index)
        }
        source_bias[str(key)] = _floats(part["bias"], n, f"sources[{key!r}] bias")
    return SourceTopicModel(labels, _rows(doc, n), _floats(doc["bias"], n, "bias"), source_rows, source_bias)


def _load(name: str, build: Callable[[dict[str, Any]], _M]) -> _M:
    """Read, check and build a packaged model file (ResourceError K205 when missing or corrupt)."""
    raw = read_model(name, code="K205")
    try:
        doc = json.loads(gzip.decompress(raw).decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("schema") != MODEL_SCHEMA:
            raise ValueError("unknown schema")
        return build(doc)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResourceError(
            f"topic model khabar/models/{name} is unreadable ({exc.__class__.__name__}: {exc})",
            hint="reinstall khabar, or rebuild it with `python training/train_topics.py`",
            code="K205",
        ) from exc


@lru_cache(maxsize=1)
def load_model() -> TopicModel:
    """Load the packaged text-only topic model (once; ResourceError K205 when missing or corrupt)."""
    return _load(MODEL_FILE, model_from_json)


@lru_cache(maxsize=1)
def load_source_model() -> SourceTopicModel:
    """Load the packaged outlet-aware topic model (once; ResourceError K205 when missing or corrupt)."""
    return _load(SOURCE_MODEL_FILE, source_model_from_json)


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
