"""Named entities: PERS, LOC, ORG and MISC spans, tagged by a linear-chain CRF.

The model is trained by ``training/train_ner.py`` on ANERcorp (CAMeL Lab split,
CC BY-SA 4.0; Benajiba & Rosso 2007, Obeid et al. 2020) and shipped as
``khabar/models/ner.crfsuite`` (python-crfsuite). It tags whitespace tokens in the
ANERcorp view with IOB2 tags; :func:`predict` then maps entities to original
offsets and moves a span's start past the proclitics و ف ب ل ك of its first token
(``والعراق`` gives LOC over ``العراق``; ``ال`` stays inside).

Features (shared by training and runtime, :mod:`khabar.components.ner_features`): word
identity and folded form, the clitic split, affixes, shape, hand-written gazetteers, word
clusters learnt from unlabeled ANT news (``ner_lexicon.bin.gz``, a packed
:class:`~khabar.components.ner_features.ClusterLexicon`), the same for the words at
-2..+2. Per-word features are cached.

When the model ships a second pass (``ner.stack.crfsuite``, ner.json ``"stack"``), a second
CRF re-tags with the first pass's tags as extra features: the token's and its neighbours'
first-pass tags and the types the first pass gave the same word form elsewhere in a window
of sentences (:func:`stack_features`), so a name recognised once in an article helps
everywhere else in it. :func:`predict` uses the whole document as the window,
:func:`tag_sentences` a window of neighbouring sentences, :func:`tag_tokens` the sentence.

After the CRF, :func:`apply_rules` makes two gazetteer-driven corrections, in every entry
point (so ``khabar tag`` and ``khabar eval ner`` score what ``analyze`` returns): seats of
power written for the institution (البيت الأبيض، الكرملين، البنتاغون، الإليزيه…) are ORG
although ANERcorp tags البيت الأبيض MISC, and a two-part East-Asian name takes its third part
(مون جاى + إن, where إن also reads as the particle "that").

Speed: the per-word features are cached, and features that no loaded model weighs
(``ner_attributes.txt.gz``, written by the training script) are dropped before they reach
crfsuite.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Final

from khabar.components.entity_consistency import make_consistent, unsplit_names
from khabar.components.ner_features import (
    ALL_FAMILIES,
    STRIPPABLE,
    ClusterLexicon,
    Featurizer,
    _gaz_single,
    phrase_key,
    stack_features,
)
from khabar.doc import Doc, Span
from khabar.errors import ResourceError
from khabar.gcpause import gc_paused
from khabar.lang.ar import gazetteers, packed
from khabar.lang.ar.normalize import fold
from khabar.resources import read_model

NAME = "ner"
MODEL_FILE: Final = "ner.crfsuite"
INFO_FILE: Final = "ner.json"
LEXICON_FILE: Final = "ner_lexicon.bin.gz"  # word clusters (ClusterLexicon)
STACK_FILE: Final = "ner.stack.crfsuite"  # the second pass (optional; ner.json "stack")
ATTRIBUTES_FILE: Final = "ner_attributes.txt.gz"  # features the models weigh (optional; ner.json "attributes")
LABELS: Final = ("PERS", "LOC", "ORG", "MISC")
__all__ = [
    "ALL_FAMILIES",
    "ATTRIBUTES_FILE",
    "INFO_FILE",
    "LABELS",
    "LEXICON_FILE",
    "MODEL_FILE",
    "NAME",
    "STACK_FILE",
    "ClusterLexicon",
    "Featurizer",
    "apply_rules",
    "entity_runs",
    "load_model",
    "predict",
    "set_annotations",
    "stack_features",
    "tag_sentences",
    "tag_tokens",
]


# --------------------------------------------------------------------------- post-rules


@lru_cache(maxsize=1)
def _rule_tables() -> tuple[frozenset[tuple[str, ...]], frozenset[str], frozenset[str], frozenset[str]]:
    """(folded institution phrases, their first words, East-Asian surnames, East-Asian name parts)."""
    institutions = frozenset(phrase_key(e.split()) for e in gazetteers.INSTITUTIONS)
    return (
        institutions,
        frozenset(key[0] for key in institutions),
        frozenset(fold(w) for w in gazetteers.EAST_ASIAN_SURNAMES),
        frozenset(fold(w) for w in gazetteers.EAST_ASIAN_NAME_PARTS),
    )


def _place_after_cue(keys: Sequence[tuple[str, ...]], i: int) -> bool:
    """Whether word ``i`` is a gazetteer place (not a given name) right after a place cue (العاصمة، مدينة…),
    directly or with a nationality between (للعاصمة الفلبينية مانيلا). In the training 90% of ANERcorp
    such a word is gold LOC 271 times and PERS once."""
    cats = _gaz_single(keys[i][0], keys[i][1])
    if "LOC" not in cats or "NAME" in cats:
        return False
    before = _gaz_single(keys[i - 1][0], keys[i - 1][1])
    return "LOCC" in before or (i >= 2 and "NAT" in before and "LOCC" in _gaz_single(keys[i - 2][0], keys[i - 2][1]))


def apply_rules(
    featurizer: Featurizer, tokens: Sequence[str], tags: Sequence[str], words: Sequence[Any] | None = None
) -> list[str]:
    """The CRF's tags with two gazetteer-driven corrections (data in :mod:`khabar.lang.ar.gazetteers`).

    - Seats of power written for the institution (``INSTITUTIONS``: البيت الأبيض، الكرملين…)
      are ORG, whatever the CRF said (ANERcorp tags البيت الأبيض MISC), when the CRF's
      entity covers exactly those tokens or none of them.
    - A one-token PERS that is a gazetteer place (and no given name) right after a place cue,
      or after a cue and a nationality, is LOC (``للعاصمة الفلبينية مانيلا``).
    - A two-token PERS that starts with an East-Asian family name and continues with a name
      part takes a following name part as its third token (``مون جاى`` + ``إن``): ``إن`` is
      also the particle "that", which the CRF prefers; a lone family name never extends.

    ``words`` (optional): ``featurizer.words(tokens)``, when the caller has read them already.
    """
    out = list(tags)
    n = len(tokens)
    institutions, starts, surnames, parts = _rule_tables()
    keys = [w[2] for w in (featurizer.words(tokens) if words is None else words)]
    run_at: set[tuple[int, int]] | None = None
    for i in range(n):
        if keys[i][0] not in starts and "ال" + keys[i][1] not in starts:
            continue
        if run_at is None:
            run_at = {(a, b) for a, b, _label in entity_runs(out)}
        for length in (3, 2, 1):
            if i + length > n:
                continue
            rest = tuple(k[0] for k in keys[i + 1 : i + length])
            if (keys[i][0], *rest) not in institutions and ("ال" + keys[i][1], *rest) not in institutions:
                continue
            if (i, i + length) in run_at or all(t == "O" for t in out[i : i + length]):
                out[i : i + length] = ["B-ORG"] + ["I-ORG"] * (length - 1)
                if i + length < n and out[i + length].startswith("I-"):
                    out[i + length] = "B-" + out[i + length][2:]
            break
    if "B-PERS" not in out and "I-PERS" not in out:  # (an I- after O also starts an entity)
        return out
    for a, b, label in entity_runs(out):
        if label == "PERS" and b - a == 1 and a >= 1 and _place_after_cue(keys, a):
            out[a] = "B-LOC"
            continue
        if label == "PERS" and b - a == 2 and b < n and out[b] == "O":
            first, second, third = keys[a], keys[a + 1], keys[b]
            family = first[0] in surnames or first[1] in surnames
            if family and (second[0] in parts or second[0] in surnames) and third[0] in parts:
                out[b] = "I-PERS"
    return out


# --------------------------------------------------------------------------- model


class _Model:
    """The loaded taggers with their featurizer (one per process; tagging is serialised).

    ``tagger2`` (optional) is the second pass: it sees the first pass's tags as features
    (see :func:`stack_features`); ``window`` is its default sentence window.
    """

    def __init__(
        self, tagger: Any, featurizer: Featurizer, data: bytes, tagger2: Any = None, data2: bytes = b"", window: int = 0
    ) -> None:
        self.tagger = tagger
        # open_inmemory keeps a pointer into this buffer (crfsuite reads the model from it for
        # the tagger's whole life, no copy): the bytes must live as long as the tagger
        self.data = data
        self.tagger2 = tagger2
        self.data2 = data2
        self.window = window
        self.featurizer = featurizer
        self.lock = threading.Lock()

    def tag(self, tokens: Sequence[str]) -> list[str]:
        return self.tag_sentences([tokens], None)[0]

    def tag_sentences(self, sentences: Sequence[Sequence[str]], window: int | None) -> list[list[str]]:
        # Each sentence's per-word features read once, for the features, the second pass's keys
        # and the rules: on a text with more distinct words than the feature cache holds, reading
        # them again after the whole text would compute the evicted ones a second and third time.
        words = [self.featurizer.words(toks) for toks in sentences]
        feats = [self.featurizer.sentence(toks, w) for toks, w in zip(sentences, words, strict=True)]
        with self.lock:
            tags = [list(self.tagger.tag(f)) if f else [] for f in feats]
        if self.tagger2 is not None:
            stack_features(self.featurizer, sentences, feats, tags, window, words)
            with self.lock:
                tags = [list(self.tagger2.tag(f)) if f else [] for f in feats]
        return [apply_rules(self.featurizer, toks, t, w) for toks, t, w in zip(sentences, tags, words, strict=True)]


def _resource_error(detail: str) -> ResourceError:
    return ResourceError(
        f"NER model khabar/models/{MODEL_FILE} is missing or unreadable ({detail})",
        hint="reinstall khabar",
        code="K203",
    )


@lru_cache(maxsize=1)
def load_model() -> _Model:
    """Load the packaged NER model once (ResourceError K203 when it is missing)."""
    try:
        import pycrfsuite  # type: ignore[import-untyped]
    except ImportError as exc:
        raise _resource_error("python-crfsuite is not installed") from exc
    data = read_model(MODEL_FILE, code="K203")
    try:
        info: dict[str, Any] = json.loads(read_model(INFO_FILE, code="K203").decode("utf-8"))
    except ValueError as exc:
        raise _resource_error(exc.__class__.__name__) from exc
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open_inmemory(data)
    except (ValueError, OSError) as exc:
        raise _resource_error("not a crfsuite model") from exc
    families = info.get("families", ALL_FAMILIES)
    lexicon: ClusterLexicon | None = None
    if "dist" in families:
        try:
            lexicon = ClusterLexicon.from_bytes(read_model(LEXICON_FILE, code="K203"))
        except packed.PackError as exc:
            raise _resource_error(f"{LEXICON_FILE}: {exc}") from exc
    known: list[str] | None = None
    if info.get("attributes"):
        try:
            known = gzip.decompress(read_model(ATTRIBUTES_FILE, code="K203")).decode("utf-8").split("\n")
        except (OSError, ValueError) as exc:
            raise _resource_error(f"{ATTRIBUTES_FILE}: {exc.__class__.__name__}") from exc
    featurizer = Featurizer(families, lexicon, known)
    stack = info.get("stack")
    if not stack:
        return _Model(tagger, featurizer, data)
    data2 = read_model(STACK_FILE, code="K203")
    tagger2 = pycrfsuite.Tagger()
    try:
        tagger2.open_inmemory(data2)
    except (ValueError, OSError) as exc:
        raise _resource_error(f"{STACK_FILE}: not a crfsuite model") from exc
    return _Model(tagger, featurizer, data, tagger2, data2, int(stack["window"]))


# --------------------------------------------------------------------------- API


def tag_tokens(tokens: Sequence[str]) -> list[str]:
    """IOB2 tags (B-PERS, I-LOC, O, ...) for one sentence of whitespace tokens (the ANERcorp/CoNLL view).

    The second pass sees only this sentence; :func:`tag_sentences` tags a text's
    sentences jointly, which lets it make the tags of a repeated name consistent.

    Args:
        tokens: the tokens of one sentence.

    Returns:
        One tag per token.

    Raises:
        ResourceError: K203 when the packaged model is missing.
    """
    if not tokens:
        return []
    return load_model().tag(tokens)


def tag_sentences(sentences: Sequence[Sequence[str]], window: int | None = -1) -> list[list[str]]:
    """IOB2 tags for consecutive sentences (e.g. an article or a CoNLL file), tagged jointly.

    The second pass sees how the first tagged the same word form in the sentences within
    ``window`` of each sentence (``-1``: the window the model was trained with; ``None``:
    all of ``sentences``, for one document).

    Args:
        sentences: the sentences, each a sequence of whitespace tokens, in text order.
        window: how many sentences before and after each sentence the second pass sees.

    Returns:
        One list of tags per sentence, one tag per token.

    Raises:
        ResourceError: K203 when the packaged model is missing.
    """
    if not any(sentences):
        return [[] for _ in sentences]
    model = load_model()
    return model.tag_sentences(sentences, model.window if window == -1 else window)


def entity_runs(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, last + 1, label)`` token runs of IOB2 tags (an I- without a B- starts an entity)."""
    runs: list[tuple[int, int, str]] = []
    start = -1
    label = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        if start >= 0 and (prefix != "I" or typ != label):
            runs.append((start, i, label))
            start = -1
        if prefix == "B" or (prefix == "I" and start < 0):
            start, label = i, typ
    return runs


def _start_after_proclitics(doc: Doc, token_index: int, token: Span, words_by_token: dict[int, list[Span]]) -> int:
    """Where an entity starting at ``token`` begins: after its و/ف/ب/ل/ك proclitics.

    When the article's ``ال`` is assimilated (``للأمم``: ل + ال written لل) no offset
    separates the preposition from the entity, so the whole token is kept.
    """
    start = token.start
    for word in words_by_token.get(token_index, []):
        if word.attrs.get("role") != "proclitic":
            break
        surface = doc.text[word.start : word.end]
        form = str(word.attrs.get("form", surface))
        if form == "ال":
            if word.end - word.start < 2:
                return token.start  # لل: the article has one letter or none of its own
            break
        if form not in STRIPPABLE:
            break
        start = word.end
    return start if start < token.end else token.start


@gc_paused
def predict(doc: Doc) -> list[Span]:
    """Entity spans in original offsets, label in {PERS, LOC, ORG, MISC}, over doc["tokens"] grouped by their "sentence" attribute (the segment component has run; tokens are on the repaired view, so a glued الولاياتالمتحدةوكوريا is already 3 tokens and yields LOC الولايات المتحدة + LOC كوريا, each with exact original offsets). Where the first token of an entity carries proclitics و/ف/ب/ل/ك (see doc["words"], role "proclitic", attrs["token"] = token index), the span starts after them (والعراق -> LOC over العراق; keep ال inside). An entity span covering several tokens runs from the first token's start to the last token's end."""
    tokens = doc["tokens"]
    if not tokens:
        return []
    words_by_token: dict[int, list[Span]] = {}
    for word in doc["words"]:
        words_by_token.setdefault(int(word.attrs.get("token", -1)), []).append(word)
    groups: list[list[int]] = []
    current = None
    for i, tok in enumerate(tokens):
        sent = tok.attrs.get("sentence")
        if sent != current or not groups:
            groups.append([])
            current = sent
        groups[-1].append(i)
    spans: list[Span] = []
    # tag the repaired letters (presentation forms folded, tatweel dropped); a repair can put a
    # space inside a token's original stretch: tag the letters only
    # (doc.repaired_text / doc.span_text of each token, the view and its map fetched once)
    original = doc.text
    if not doc.edits:
        texts = ["".join(original[t.start : t.end].split()) for t in tokens]
    else:
        repaired, to_derived = doc.repaired, doc.repaired_map.to_derived
        texts = [
            "".join((repaired[to_derived(t.start) : to_derived(t.end)] or original[t.start : t.end]).split())
            for t in tokens
        ]
    sentences = [[texts[i] for i in group] for group in groups]
    for group, tags in zip(groups, tag_sentences(sentences, None), strict=True):
        for first, last, label in entity_runs(tags):
            if label not in LABELS:
                continue
            t0 = group[first]
            start = _start_after_proclitics(doc, t0, tokens[t0], words_by_token)
            end = tokens[group[last - 1]].end
            spans.append(Span(start, end, label))
    return make_consistent(doc, spans, texts)


def set_annotations(doc: Doc, spans: list[Span]) -> None:
    """Store the entities layer on ``doc``; a token wholly inside a person's name becomes one word of
    the ``words`` layer (:func:`~khabar.components.entity_consistency.unsplit_names`)."""
    doc.layers["entities"] = spans
    words = unsplit_names(doc, spans)
    if words is not None:
        doc.layers["words"] = words
