"""Topic classification: what an article is about, as a distribution over six news desks.

The labels are the ANT v2.1 corpus desks (``culture``, ``economy``,
``internationalNews``, ``middleEast``, ``sport``, ``technology``). The model is a
multinomial logistic regression over sublinear tf-idf features of the folded,
light-stemmed text: word stems, stem bigrams, title stems and a few style
features (punctuation, hashtags, length) that tell news sources apart, which
matters because each source files stories under its own set of desks.

Each outlet files stories under its own desks (AlArabiya has no middleEast desk, so
its Iraq stories are internationalNews). When the caller knows the outlet
(``meta["source"]``) and it is one of the five training sources, the text's
distribution is reweighted by that outlet's desk prior, P(label | source) / P(label);
any other or missing source leaves the text-only answer unchanged.

The model is built by ``training/train_topics.py`` and shipped as
``khabar/models/topics.json.gz``; it is read lazily on first use. Runtime is pure
Python (no numpy): a dictionary lookup per feature and a softmax.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any, Final

from khabar.doc import Doc
from khabar.errors import ResourceError
from khabar.lang.ar.chars import LETTER_RANGES
from khabar.lang.ar.normalize import fold
from khabar.resources import read_model

NAME = "classify"
MODEL_FILE: Final = "topics.json.gz"
MODEL_SCHEMA: Final = 1
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


@lru_cache(maxsize=200_000)
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
    stems = [light_stem(w) for w in words]
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


@dataclass(frozen=True, slots=True)
class TopicModel:
    """Vocabulary -> (idf, per-label weights), per-label bias, label order, training prior.

    ``source_factors`` maps a training source key to P(label | source) / P(label) per label.
    """

    labels: tuple[str, ...]
    rows: dict[str, tuple[float, tuple[float, ...]]]
    bias: tuple[float, ...]
    prior: tuple[float, ...]
    source_factors: dict[str, tuple[float, ...]] = field(default_factory=dict)

    def probabilities(self, feats: Counter[str], source: str | None = None) -> dict[str, float]:
        """Softmax of the linear scores of sublinear, L2-normalised tf-idf features.

        ``source`` (a key of ``source_factors``) reweights the result by that outlet's desk prior.
        """
        n = len(self.labels)
        scores = [0.0] * n
        norm2 = 0.0
        rows = self.rows
        for feat, count in feats.items():
            row = rows.get(feat)
            if row is None:
                continue
            value = (1.0 + math.log(count)) * row[0]
            norm2 += value * value
            weights = row[1]
            for k in range(n):
                scores[k] += value * weights[k]
        scale = 1.0 / math.sqrt(norm2) if norm2 > 0.0 else 0.0
        logits = [s * scale + b for s, b in zip(scores, self.bias, strict=True)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        factors = self.source_factors.get(source) if source is not None else None
        if factors is not None:
            exps = [e * f for e, f in zip(exps, factors, strict=True)]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps, strict=True)}


def model_from_json(doc: dict[str, Any]) -> TopicModel:
    """Build a :class:`TopicModel` from the decoded model file (ints scaled back to floats)."""
    labels = tuple(str(x) for x in doc["labels"])
    n = len(labels)
    w_scale = float(doc["weight_scale"])
    i_scale = float(doc["idf_scale"])
    vocab: list[str] = doc["vocab"]
    idf: list[int] = doc["idf"]
    flat: list[int] = doc["weights"]
    if len(idf) != len(vocab) or len(flat) != n * len(vocab):
        raise ValueError("vocabulary, idf and weight arrays differ in length")
    rows = {
        feat: (idf[i] * i_scale, tuple(w * w_scale for w in flat[i * n : i * n + n])) for i, feat in enumerate(vocab)
    }
    bias = tuple(float(b) for b in doc["bias"])
    total = float(sum(doc["prior"]))
    prior = tuple(float(p) / total for p in doc["prior"])
    if len(bias) != n or len(prior) != n:
        raise ValueError("bias or prior length differs from the label count")
    factors: dict[str, tuple[float, ...]] = {}
    for key, counts in dict(doc.get("source_counts", {})).items():
        if len(counts) != n:
            raise ValueError(f"source_counts[{key!r}] length differs from the label count")
        # +0.5 smoothing: a desk the outlet never used gets a small factor, not zero.
        smoothed = [float(c) + 0.5 for c in counts]
        total_s = sum(smoothed)
        factors[str(key)] = tuple(c / total_s / p for c, p in zip(smoothed, prior, strict=True))
    return TopicModel(labels, rows, bias, prior, factors)


@lru_cache(maxsize=1)
def load_model() -> TopicModel:
    """Load the packaged topic model (once; raises ResourceError K205 when missing or corrupt)."""
    raw = read_model(MODEL_FILE, code="K205")
    try:
        doc = json.loads(gzip.decompress(raw).decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("schema") != MODEL_SCHEMA:
            raise ValueError("unknown schema")
        return model_from_json(doc)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResourceError(
            f"topic model khabar/models/{MODEL_FILE} is unreadable ({exc.__class__.__name__}: {exc})",
            hint="reinstall khabar, or rebuild it with `python training/train_topics.py`",
            code="K205",
        ) from exc


def classify_text(text: str, title: str | None = None, source: str | None = None) -> dict[str, float]:
    """The topic distribution of one article.

    Args:
        text: the article body (any length). Without a single Arabic letter in text or
            title there is no evidence, and the answer is the training prior (the
            source's desk distribution when the source is known).
        title: its headline, if known.
        source: the outlet's name, if known (``"SkyNews"``, ``"BBC Arabic"``,
            ``"فرانس 24"``); only the five training outlets change the answer.

    Returns:
        ``{label: probability}`` over :data:`LABELS`, summing to 1.

    Raises:
        ResourceError: K205 when the packaged model is missing or corrupt.
    """
    model = load_model()
    key = source_key(source) if source else None
    if _ARABIC_LETTER.search(text) is None and (not title or _ARABIC_LETTER.search(title) is None):
        factors = model.source_factors.get(key) if key is not None else None
        if factors is None:
            return dict(zip(model.labels, model.prior, strict=True))
        weights = [p * f for p, f in zip(model.prior, factors, strict=True)]
        return {label: w / sum(weights) for label, w in zip(model.labels, weights, strict=True)}
    return model.probabilities(features(text, title), key)


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
