"""Entities of one article made consistent with each other and with what Arabic news writes around names.

The tagger decides token by token; an analyst reads the article as a whole. After tagging:

1. religious formulas and ``الله`` are not mentions (``حفظه الله``, ``رحمه الله``,
   ``صلى الله عليه وسلم``), and a formula written after a name is not part of it
   (``سلمان بن عبدالعزيز آل سعود - حفظه الله`` ends at ``سعود``);
2. a title written after a name is not part of it (``محمد بن سلمان ولي ولي العهد`` ends at
   ``سلمان``; the referent keeps titles as descriptions);
3. a facility, institution, company, award or competition named after a person is a place, an
   organisation or an event, not the person (``مسجد الرحمن``, ``مستشفى الملك فهد`` after ``افتتح``,
   ``شركة عبداللطيف جميل``, ``دوري «عبداللطيف جميل»``) — when the noun is in the construct state:
   ``مدير المستشفى الدكتور …`` (the article) names a person in apposition;
4. a one-word mention takes the label of the fuller name it ends in (``ديفيد كاميرون`` is PERS,
   so the later ``كاميرون`` is PERS, not LOC), so that the referents component can join them;
   one that the segmenter cut (``ب`` + ``لاتيني``) grows back to that name (``بلاتيني``);
5. a "person" ending in a transliterated place word is a place (``لوفتس رود``), one with a word
   in Latin letters or headed by a drug or disease noun is MISC (``رسالة SMS``, ``عقار …``), and
   a person ends before a word joined by و (``ميسي والبرازيلي نيمار`` is ``ميسي``);
6. a "person" that is only a description is no mention: titles and forms of address alone
   (``ولي العهد``, ``سمو``), or an epithet of words that all carry the article and none of which
   is a known name (``القائد الحكيم`` is a title and a name-less epithet; ``الحسن الثاني`` keeps
   its name ``حسن``), or a nationality alone (``البوليفي``).

The lists are data in :mod:`khabar.lang.ar.honorifics`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from khabar.doc import Doc, Span
from khabar.lang.ar import gazetteers
from khabar.lang.ar.clitic_evidence import PROCLITIC_SURFACES, name_words
from khabar.lang.ar.honorifics import (
    FACILITY_NOUNS,
    NON_PERSON_HEADS,
    PLACE_TAIL_WORDS,
    RELIGIOUS_FORMULAS,
    TITLE_WORDS,
    TRAILING_TITLES,
)
from khabar.lang.ar.normalize import fold
from khabar.wordlen import has_overlong_word

_DASHES = frozenset("-–—ـ،,()")
# titles that may stand between a facility noun and the name it bears (مستشفى الملك فهد)
_NAME_TITLES = frozenset(fold(w)[2:] for w in ("الملك", "الأمير", "الشيخ", "الإمام", "الرئيس", "السلطان", "الدكتور"))
_MAX_FORMULA_WORDS = 5
_ALLAH = fold("الله")
# first words of the formulas that are a verb or preposition with a pronoun (حفظه، رحمه، عليه):
# never a word of a name, so a name ends before one even when the tagger stopped inside the formula
_FORMULA_HEADS = frozenset(
    f.split()[0]
    for f in RELIGIOUS_FORMULAS
    if " " in f and f.split()[0].endswith(("ه", "ها", "هم", "هما")) and f.split()[0] != fold("الله")
)  # (الله is a word of names: عبد الله)
_NATIONALITIES = frozenset(fold(w) for w in gazetteers.NATIONALITIES)
_PLACES = frozenset(fold(w) for w in gazetteers.COUNTRIES | gazetteers.CITIES)
_CLITIC_ARTICLE = ("بال", "وال", "فال", "كال", "لل")
_QUOTE_MARKS = frozenset("«»\"'“”()")


def _key(word: str) -> str:
    """A word folded, the article dropped: the comparison key of a name word."""
    w = fold(word).strip(".,;:!?\"'()«»")
    return w[2:] if w.startswith("ال") and len(w) > 3 else w


class _Tokens:
    """The tokens of the article with their repaired letters and base words."""

    def __init__(self, doc: Doc, texts: list[str] | None = None) -> None:
        self.spans = doc["tokens"]
        self.starts = [t.start for t in self.spans]
        self.ends = [t.end for t in self.spans]
        self.texts = texts if texts is not None else [doc.repaired_text(t).strip() for t in self.spans]
        self.bases = list(self.texts)
        self.name_starts = list(self.starts)  # after و ف ب ل ك, before the article
        self.conjoined: set[int] = set()  # tokens that start with the conjunction و
        for w in doc["words"]:
            i = int(w.attrs.get("token", -1))
            if not 0 <= i < len(self.bases):
                continue
            form = str(w.attrs.get("form", doc.text[w.start : w.end]))
            if w.attrs.get("role") == "base":
                self.bases[i] = form
            elif w.attrs.get("role") == "proclitic" and form != "ال" and w.start == self.name_starts[i]:
                if form == "و" and w.start == self.starts[i]:
                    self.conjoined.add(i)
                self.name_starts[i] = w.end

    def inside(self, span: Span) -> range:
        """Indexes of the tokens that a span covers."""
        # a span may start inside its first token, after the proclitics (والعراق -> العراق)
        return range(max(0, bisect_right(self.starts, span.start) - 1), bisect_left(self.ends, span.end) + 1)


def _trim(span: Span, toks: _Tokens) -> Span | None:
    """The span without a trailing formula or title (None when nothing of a name is left)."""
    idx = list(toks.inside(span))
    if not idx:
        return span
    words = [" ".join(fold(toks.texts[i]).split()) for i in idx]
    cut = len(idx)
    # a formula at the end: its words, then any dash or comma before it
    for n in range(min(_MAX_FORMULA_WORDS, len(words)), 0, -1):
        if n == 1 and n < len(words) and words[-1] == _ALLAH:
            break  # a lone الله after a word that heads no formula ends a name: عبد الله، نصر الله، فضل الله
        if " ".join(words[-n:]) in RELIGIOUS_FORMULAS:
            cut = len(words) - n
            while cut > 0 and all(ch in _DASHES for ch in words[cut - 1]):
                cut -= 1
            break
    if span.label == "PERS":
        for k in range(1, cut):
            if words[k] in TRAILING_TITLES or " ".join(words[k : k + 2]) in TRAILING_TITLES:
                cut = k
                break
            if idx[k] in toks.conjoined:  # ميسي والبرازيلي نيمار: two people, not one
                cut = k
                break
            if words[k].strip("".join(_DASHES)) in _FORMULA_HEADS:  # آل سعود -حفظه (الله outside the span)
                cut = k
                while cut > 0 and all(ch in _DASHES for ch in words[cut - 1]):
                    cut -= 1
                break
    if cut == 0:
        return None
    if cut == len(idx):
        return span
    return Span(span.start, toks.ends[idx[cut - 1]], span.label, dict(span.attrs))


def _construct_facility(toks: _Tokens, i: int) -> str | None:
    """The label of token ``i`` when it is a facility noun in the construct state, which a name
    follows (``بمستشفى``, ``شركة``), else None. With the article or a pronoun the name after it
    is in apposition, not the facility's name: ``مدير المستشفى الدكتور …``, ``برنامجه``."""
    word = fold(toks.texts[i]).strip(".,;:!?\"'()«»")
    for q in PROCLITIC_SURFACES:
        if word.startswith(q) and word[len(q) :] in FACILITY_NOUNS:
            return FACILITY_NOUNS[word[len(q) :]]
    return None


def _facility(span: Span, toks: _Tokens) -> Span:
    """A person's name that names a facility, with the facility noun, as LOC or ORG."""
    idx = list(toks.inside(span))
    if not idx:
        return span
    first = _construct_facility(toks, idx[0])
    if first is not None and len(idx) > 1:
        return Span(span.start, span.end, first, dict(span.attrs))
    sentence = toks.spans[idx[0]].attrs.get("sentence")
    before = idx[0] - 1
    quoted = False
    while before >= 0 and toks.spans[before].attrs.get("sentence") == sentence:
        label = _construct_facility(toks, before)
        if label is not None:  # بمستشفى الملك فهد: the facility starts at مستشفى
            if quoted:  # دوري «عبداللطيف جميل»: the name as written between the marks
                return Span(span.start, span.end, label, dict(span.attrs))
            return Span(toks.name_starts[before], span.end, label, dict(span.attrs))
        word = _key(toks.bases[before])
        if not word:  # a quotation mark or a bracket: دوري «عبداللطيف جميل»
            if quoted or idx[0] - before >= 2 or not all(ch in _QUOTE_MARKS for ch in toks.texts[before]):
                break
            quoted = True
        elif word not in _NAME_TITLES or idx[0] - before >= 3:
            break
        before -= 1
    return span


def _not_a_person(span: Span, toks: _Tokens) -> Span:
    """A "person" that ends in a transliterated place word is a place (``لوفتس رود``); one with a
    word in Latin letters (``رسالة SMS``) or headed by a drug or disease noun is MISC."""
    idx = list(toks.inside(span))
    if len(idx) > 1 and " ".join(fold(toks.texts[idx[-1]]).split()) in PLACE_TAIL_WORDS:
        return Span(span.start, span.end, "LOC", dict(span.attrs))
    heads = len(idx) > 1 and _key(toks.bases[idx[0]]) in NON_PERSON_HEADS
    if heads or any(toks.spans[i].attrs.get("kind") == "latin" for i in idx):
        return Span(span.start, span.end, "MISC", dict(span.attrs))
    return span


def _description_only(span: Span, toks: _Tokens) -> bool:
    """Whether a "person" is only titles (``ولي العهد``) or a name-less epithet (``الحكيم المحنك``)."""
    idx = list(toks.inside(span))
    if not idx:
        return False
    keys = [_key(toks.bases[i]) for i in idx]
    if all(k in TITLE_WORDS for k in keys):
        return True
    if len(idx) == 1 and _definite(toks, idx[0]) and _nationality(keys[0]):
        return True  # البوليفي: the Bolivian, a description
    if len(idx) < 2 or any(k in TITLE_WORDS for k in keys):
        return False  # a title and an article-word is a name: الشيخ الشعراوي
    names = name_words()
    return all(_definite(toks, i) and k not in names for i, k in zip(idx, keys, strict=True))


def _nationality(key: str) -> bool:
    """Whether a word without the article is a nationality adjective: listed, or a place of the
    gazetteers with the nisba ي (بوليفي from بوليفيا, برازيلي from البرازيل)."""
    if key in _NATIONALITIES:
        return True
    if not key.endswith("ي") or len(key) < 4:
        return False
    stem = key[:-1]
    return any(form in _PLACES for form in (stem, key + "ا", "ال" + stem))


def _definite(toks: _Tokens, i: int) -> bool:
    """Whether token ``i`` carries the article after any proclitics (``الحكيم``, ``بالحكيم``)."""
    word = toks.texts[i]  # not folded: آلاء has no article
    return any(word.startswith(q + "ال") for q in PROCLITIC_SURFACES) or word.startswith("لل")


def _clitic_and_name(word: str) -> bool:
    """Whether ``word`` is a proclitic, the article and a known name (``بالمغرب``): no name to grow
    a mention into, though a tagged "name" may end in it (``بالوتيلي`` is one name)."""
    if not word.startswith(_CLITIC_ARTICLE):
        return False
    rest = "ال" + word[2:] if word.startswith("لل") else word[1:]
    return rest in name_words() or _key(rest) in name_words()


def _regrown(span: Span, toks: _Tokens, i: int, last_word: dict[str, str], text: str) -> Span:
    """A one-word mention that the segmenter cut into a name (``ب`` + ``لاتيني``) grown back to the
    name, when a fuller name of the article ends in the uncut word (``ميشيل بلاتيني``)."""
    word = toks.texts[i]
    start = toks.starts[i]
    if span.start <= start or text[start : toks.ends[i]] != word:
        return span
    for q in sorted(PROCLITIC_SURFACES, key=len):  # بلاتيني itself before ب + لاتيني
        rest = word[len(q) :]
        if not word.startswith(q) or _clitic_and_name(rest):
            continue
        label = last_word.get(_key(rest))
        if label is not None and start + len(q) < span.start:
            return Span(start + len(q), span.end, label, dict(span.attrs))
    return span


def make_consistent(doc: Doc, spans: list[Span], token_texts: list[str] | None = None) -> list[Span]:
    """The entity spans of ``doc`` after the rules of the module docstring, in text order.

    Args:
        doc: a Doc with the ``tokens`` and ``words`` layers.
        spans: entity spans as the tagger gives them (original offsets, labels PERS LOC ORG MISC).
        token_texts: each token's repaired letters when the caller has them (the tagger does).

    Returns:
        New spans (never overlapping), in text order; a mention holding a "word" over
        :data:`~khabar.wordlen.MAX_WORD_CHARS` characters (noise) is none.
    """
    spans = [s for s in spans if not has_overlong_word(doc.text[s.start : s.end])]
    if not spans:
        return spans
    toks = _Tokens(doc, token_texts)
    kept: list[Span] = []
    for span in spans:
        trimmed = _trim(span, toks)
        if trimmed is None:
            continue
        if trimmed.label == "PERS" and _description_only(trimmed, toks):
            continue
        if trimmed.label == "PERS":
            trimmed = _facility(trimmed, toks)
        if trimmed.label == "PERS":
            trimmed = _not_a_person(trimmed, toks)
        kept.append(trimmed)
    # a one-word mention takes the label of the fuller name whose last word it is
    last_word: dict[str, str] = {}
    for span in kept:
        idx = list(toks.inside(span))
        if len(idx) > 1 and span.label in ("PERS", "ORG"):
            last_word.setdefault(_key(toks.texts[idx[-1]]), span.label)
    out: list[Span] = []
    for span in sorted(kept, key=lambda s: (s.start, -s.end)):
        idx = list(toks.inside(span))
        if len(idx) == 1:
            label = last_word.get(_key(toks.bases[idx[0]]))
            if label is None:
                span = _regrown(span, toks, idx[0], last_word, doc.text)
            elif label != span.label:
                span = Span(span.start, span.end, label, dict(span.attrs))
        if out and span.start < out[-1].end:  # a facility grown over an entity before it
            if span.end - span.start > out[-1].end - out[-1].start:
                out[-1] = span
            continue
        out.append(span)
    return out


_ARTICLE = "ال"


def unsplit_names(doc: Doc, entities: list[Span]) -> list[Span] | None:
    """``doc``'s ``words`` layer with the clitic splits inside person names undone, or None when none is.

    The segmenter reads a word alone, and a transliterated name often reads as a clitic and a
    word (``بلاتيني`` = ``ب`` + ``لاتيني``, ``بيربوك``, ``أنالينا`` = ``أنالي`` + ``نا``,
    ``بلينكن``). The tagger, reading the sentence, put the whole token inside a person's name:
    a token that lies wholly inside a PERS mention is one word (keywords then read the name, not
    ``لاتيني``). A token holding the article stays split (``ال`` + ``جبير``: a name word with the
    article), and so does one whose pieces carry an underlying form (a repaired letter).

    Args:
        doc: a Doc with its ``words`` layer (original offsets, ``attrs["token"]``, ``role``).
        entities: its entity mentions, in text order.
    """
    words = doc.layers.get("words") or []
    people = [e for e in entities if e.label == "PERS"]
    if not people or not words:
        return None
    text = doc.text
    starts = [w.start for w in words]
    merged: dict[int, Span] = {}  # index of a token's first word -> its one word
    dropped: set[int] = set()
    for person in people:
        i = bisect_left(starts, person.start)
        while i < len(words) and words[i].start < person.end:
            token = words[i].attrs.get("token")
            j = i
            while j + 1 < len(words) and words[j + 1].attrs.get("token") == token:
                j += 1
            pieces = words[i : j + 1]
            if (
                j > i
                and (i == 0 or words[i - 1].attrs.get("token") != token)  # the token starts inside the name
                and pieces[-1].end <= person.end
                and all(w.attrs.get("form") is None for w in pieces)
                and all(text[w.start : w.end] != _ARTICLE for w in pieces)
            ):
                merged[i] = Span(pieces[0].start, pieces[-1].end, words[i].label, {"token": token, "role": "base"})
                dropped.update(range(i + 1, j + 1))
            i = j + 1
    if not merged:
        return None
    return [merged.get(k, w) for k, w in enumerate(words) if k not in dropped]
