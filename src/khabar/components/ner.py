"""Named entities: PERS, LOC, ORG and MISC spans, tagged by a linear-chain CRF.

The model is trained by ``training/train_ner.py`` on ANERcorp (CAMeL Lab split,
CC BY-SA 4.0; Benajiba & Rosso 2007, Obeid et al. 2020) and shipped as
``khabar/models/ner.crfsuite`` (python-crfsuite). It tags whitespace tokens in the
ANERcorp view with IOB2 tags; :func:`predict` then maps entities to original
offsets and moves a span's start past the proclitics و ف ب ل ك of its first token
(``والعراق`` gives LOC over ``العراق``; ``ال`` stays inside).

Features (shared by training and runtime, see :class:`Featurizer`): word identity
and folded form, the clitic split of :func:`khabar.lang.ar.morph.segment_word`
(proclitics, the core without و/ف/ب/ل/ك/ال), prefixes and suffixes, word shape,
hand-written gazetteers (:mod:`khabar.lang.ar.gazetteers`, single words and
phrases), word clusters learnt from unlabeled ANT news (``ner_lexicon.tsv.gz``: the
ids of the word's cluster at 128/512/32/2048 clusters, from PPMI + SVD + k-means, see
``training/train_ner.py``), and the same for the words at -2..+2 (neighbours see the
128 and 512 clusters). Per-word features are cached, so a sentence costs a few
dictionary look-ups per token.

When the model ships a second pass (``ner.stack.crfsuite``, ner.json ``"stack"``), a second
CRF re-tags with the first pass's tags as extra features: the token's and its neighbours'
first-pass tags and the types the first pass gave the same word form elsewhere in a window
of sentences (:func:`stack_features`), so a name recognised once in an article helps
everywhere else in it. :func:`predict` uses the whole document as the window,
:func:`tag_sentences` a window of neighbouring sentences, :func:`tag_tokens` the sentence.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Final

from khabar.doc import Doc, Span
from khabar.errors import ResourceError
from khabar.lang.ar import gazetteers, morph
from khabar.lang.ar.normalize import fold
from khabar.resources import read_model

NAME = "ner"
MODEL_FILE: Final = "ner.crfsuite"
INFO_FILE: Final = "ner.json"
LEXICON_FILE: Final = "ner_lexicon.tsv.gz"
STACK_FILE: Final = "ner.stack.crfsuite"  # the second pass (optional; ner.json "stack")
LABELS: Final = ("PERS", "LOC", "ORG", "MISC")

# Feature families (the training script ablates them; the shipped model uses ALL_FAMILIES
# unless ner.json says otherwise).
ALL_FAMILIES: Final = ("word", "affix", "clitic", "shape", "gaz", "context", "dist")

_STRIPPABLE: Final = frozenset("وفبلك")  # proclitics moved out of an entity span
_NAT_ENDINGS: Final = ("يون", "يين", "يان", "يه", "ي")


# --------------------------------------------------------------------------- gazetteers


def _phrase_key(words: Sequence[str]) -> tuple[str, ...]:
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
                phrases.setdefault(_phrase_key(words), cat)
    return {k: tuple(v) for k, v in single.items()}, phrases


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
    outer = [m for m in pre if m.form in _STRIPPABLE]
    core_start = pre[-1].end
    nop_start = outer[-1].end if outer else 0
    nop = fold(token[nop_start:])
    if any(m.form == "ال" for m in pre) and not nop.startswith("ال"):
        nop = "ال" + fold(token[core_start:])  # لل: restore the assimilated ال
    return "+".join(m.form for m in pre), nop, fold(token[core_start:])


class Featurizer:
    """Feature strings for sentences of whitespace tokens, with a per-word cache.

    Args:
        families: the feature families to use (see ``ALL_FAMILIES``).
        lexicon: folded word -> distributional feature strings learnt from unlabeled news
            (family ``dist``); words missing from it get none.
    """

    def __init__(
        self, families: Iterable[str] = ALL_FAMILIES, lexicon: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.families = frozenset(families)
        self.lexicon: Mapping[str, Sequence[str]] = lexicon or {}
        unknown = self.families - set(ALL_FAMILIES)
        if unknown:
            raise ValueError(f"unknown feature families: {sorted(unknown)}")
        self._cache: dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    def _word(self, token: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]:
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
        ctx: tuple[tuple[str, ...], ...] = ()
        if "context" in fam:
            ctx = tuple(tuple(f"{off}{s}" for s in near) for off in ("-2", "-1", "+1", "+2"))
        return tuple(own), ctx, (nop, core)

    def word(self, token: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]:
        """The cached per-word part of the features."""
        hit = self._cache.get(token)
        if hit is None:
            hit = self._word(token)
            with self._lock:
                if len(self._cache) > 300_000:
                    self._cache.clear()
                self._cache[token] = hit
        return hit

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        """Feature lists, one per token."""
        n = len(tokens)
        words = [self.word(t) for t in tokens]
        out: list[list[str]] = []
        context = "context" in self.families
        phrase_tags = self._phrases(words) if "gaz" in self.families else None
        for i, (own, _ctx, _keys) in enumerate(words):
            feats = list(own)
            if context:
                if i >= 2:
                    feats += words[i - 2][1][0]
                if i >= 1:
                    feats += words[i - 1][1][1]
                    if "word" in self.families:
                        feats.append("bg-=" + words[i - 1][2][1] + "|" + _keys[1])
                else:
                    feats.append("BOS")
                if i + 1 < n:
                    feats += words[i + 1][1][2]
                    if "word" in self.families:
                        feats.append("bg+=" + _keys[1] + "|" + words[i + 1][2][1])
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
        n = len(words)
        tags = [""] * n
        i = 0
        while i < n:
            matched = 0
            for length in (5, 4, 3, 2):
                if i + length > n:
                    continue
                rest = tuple(w[2][0] for w in words[i + 1 : i + length])
                first = words[i][2]
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
) -> None:
    """Add the second-pass (label consistency) features to ``feats`` in place.

    For each token: its first-pass tag and those of its neighbours (``t=``, ``t-1=``,
    ``t+1=``), and how the first pass tagged the same word form (folded, without
    proclitics and ال) elsewhere in the window of sentences ``±window`` around it
    (``window=None``: all of ``sentences``, e.g. a whole document): ``x=TYPE`` for each
    entity type seen, ``xm=TYPE`` for the most frequent one, ``xo`` when some other
    occurrence was tagged O. Training computes ``first`` by cross-validation, so these
    features carry what the first model predicts, not what it memorised.
    """
    n_sent = len(sentences)
    keys: list[list[str]] = []
    labels: list[list[str]] = []
    for toks, tags in zip(sentences, first, strict=True):
        ks = []
        for t in toks:
            core = featurizer.word(t)[2][1]
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
        self.data = data  # open_inmemory reads this buffer for the tagger's whole life
        self.tagger2 = tagger2
        self.data2 = data2
        self.window = window
        self.featurizer = featurizer
        self.lock = threading.Lock()

    def tag(self, tokens: Sequence[str]) -> list[str]:
        return self.tag_sentences([tokens], None)[0]

    def tag_sentences(self, sentences: Sequence[Sequence[str]], window: int | None) -> list[list[str]]:
        feats = [self.featurizer.sentence(toks) for toks in sentences]
        with self.lock:
            first = [list(self.tagger.tag(f)) if f else [] for f in feats]
        if self.tagger2 is None:
            return first
        stack_features(self.featurizer, sentences, feats, first, window)
        with self.lock:
            return [list(self.tagger2.tag(f)) if f else [] for f in feats]


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
    lexicon: dict[str, tuple[str, ...]] = {}
    if "dist" in families:
        try:
            text = gzip.decompress(read_model(LEXICON_FILE, code="K203")).decode("utf-8")
        except (OSError, ValueError) as exc:
            raise _resource_error(f"{LEXICON_FILE}: {exc.__class__.__name__}") from exc
        for line in text.splitlines():
            word, _, feats = line.partition("\t")
            lexicon[word] = tuple(feats.split(" "))
    stack = info.get("stack")
    if not stack:
        return _Model(tagger, Featurizer(families, lexicon), data)
    data2 = read_model(STACK_FILE, code="K203")
    tagger2 = pycrfsuite.Tagger()
    try:
        tagger2.open_inmemory(data2)
    except (ValueError, OSError) as exc:
        raise _resource_error(f"{STACK_FILE}: not a crfsuite model") from exc
    return _Model(tagger, Featurizer(families, lexicon), data, tagger2, data2, int(stack["window"]))


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
            if surface != "ال":
                return token.start  # لل
            break
        if form not in _STRIPPABLE:
            break
        start = word.end
    return start if start < token.end else token.start


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
    # a repair can put a space inside a token's original stretch: tag the letters only
    sentences = [["".join(doc.text[tokens[i].start : tokens[i].end].split()) for i in group] for group in groups]
    for group, tags in zip(groups, tag_sentences(sentences, None), strict=True):
        for first, last, label in entity_runs(tags):
            if label not in LABELS:
                continue
            t0 = group[first]
            start = _start_after_proclitics(doc, t0, tokens[t0], words_by_token)
            end = tokens[group[last - 1]].end
            spans.append(Span(start, end, label))
    return spans


def set_annotations(doc: Doc, spans: list[Span]) -> None:
    """Store the entities layer on ``doc``."""
    doc.layers["entities"] = spans
