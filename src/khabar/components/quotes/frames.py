"""Frames: the speech cues of a text and the speakers they name explicitly.

A frame is a cue (a speech verb such as ``وقال``, a participle such as ``مشيرا إلى``, or a
source phrase such as ``بحسب``) together with what follows it: the explicit speaker
phrase (VSO subject, a name after a title, a preverbal SVO subject, the phrase after
``بحسب``) and how the content is introduced (a complementizer, a colon, a quotation
mark, or nothing). :func:`_frames` builds one per cue token; the content and speaker
steps read them.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from khabar.components.quotes.view import _COMMAS, SHORT_QUOTE, _View
from khabar.lang.ar import speech
from khabar.lang.ar.normalize import fold

MAX_WINDOW = 20  # tokens between a speech verb and its complementizer, colon or quotation
MAX_SPEAKER_WORDS = 7

_WAS = frozenset({"كان", "وكان", "كانت", "وكانت", "فكان", "فكانت", "كانوا", "وكانوا"})
_HAD = frozenset({"قد", "لقد"})
_REPORTED = frozenset({"جاء", "ورد", "نشر", "نشرت", "اورد", "اوردت"})
_PHRASE_END = _COMMAS | {":"}  # ends a source phrase (بحسب المصدر، ...), as does the sentence end
# Nouns (folded, without the article) that head a source after "وفقا ل": a title, an anonymous
# source, a medium or an institution.
_SOURCE_HEADS = (
    speech.TITLE_WORDS
    | speech.ANONYMOUS
    | speech.folded_words(
        "صحيفة جريدة مجلة وكالة قناة موقع شبكة إذاعة شركة حزب حركة جماعة نادي وزارة هيئة "
        "مكتب منظمة مركز جمعية مجلس اتحاد جامعة معهد بنك سفارة مصادر مصدر مسؤولين خبراء"
    )
)


@dataclass(slots=True)
class _Frame:
    """A cue and what follows it: the speaker phrase and how the content is introduced."""

    tok: int
    cue: speech.Cue
    cue_start: int
    cue_end: int
    intro: str  # "that" (أن/إن, or a ب phrase), "colon", "quote", "none"
    at: int  # token of the intro (or where the scan stopped)
    speaker: tuple[int, int] | None = None
    pair: int | None = None


def _cue_at(v: _View, j: int) -> tuple[speech.Cue, int] | None:
    """The cue starting at token ``j`` and the token where it ends (multi-word sources)."""
    if v.kind[j] != "arabic":
        return None
    f = v.fold[j]
    cue = speech.lookup(f)
    if cue is not None:
        return cue, j
    bare = f[1:] if f[:1] == "و" and f[1:] in speech.SOURCE_PAIRS else f
    need = speech.SOURCE_PAIRS.get(bare)
    if need is not None and j + 1 < v.n and v.fold[j + 1].startswith(need):
        clitic = len(f) - len(bare)
        # "وفقا لوزارة": the cue takes the ل, the speaker starts after it.
        return speech.Cue(bare, speech.SOURCE, "", (), clitic), j + 1
    return None


def _scan(v: _View, i: int, cue: speech.Cue) -> tuple[str, int, int | None]:
    """From a verb at ``i``: ("that"|"colon"|"quote"|"none", token, pair) for what introduces the content."""
    sent = v.sent[i]
    first_comp: int | None = None
    limit = min(v.n, i + 1 + MAX_WINDOW)
    j = i + 1
    while j < limit:
        if v.sent[j] != sent:
            break
        f = v.fold[j]
        if v.kind[j] == "punct":
            if f == ":":
                return ("that", first_comp, None) if first_comp is not None else ("colon", j, None)
            if v.ends_sentence(j):
                break
            k = v.pair_open.get(j)
            if k is not None:
                after = v.short_name_quote(j)
                p = v.pairs[k]
                if (
                    after is None
                    and j > i + 1
                    and p.close_tok is not None
                    and v.fold[j - 1] in speech.PREPOSITIONS
                    and v.fold[j - 1] not in cue.preps  # "شدد على «...»", "أعلن عن «...»": the verb's own
                ):
                    after = p.close_tok + 1  # "دعا مشاركون في «ملتقى ...» الدول إلى": a name after a preposition
                if (
                    after is None
                    and j > i + 1
                    and p.words <= SHORT_QUOTE
                    and p.close_tok is not None
                    # 'وصرخ المتظاهرون "ارحل ارحل".': right after the subject, ending the sentence
                    and not (v.ends_clause_at(p.close_tok + 1) and all(_plain(v, t) for t in range(i + 1, j)))
                    and not v.second_quote_at(p.close_tok + 1)
                ):
                    after = p.close_tok + 1  # "أعلنت شركة «ويتبريد»، ...": a name, not the speech
                if after is not None:
                    j = after
                    continue
                return ("that", first_comp, None) if first_comp is not None else ("quote", j, k)
            j += 1
            continue
        if cue.preps and f in cue.preps and j + 1 < v.n and v.is_comp(j + 1):
            return "that", j + 1, None
        if v.is_comp(j) and not (f.startswith("فان") and v.kind[j - 1] == "arabic"):
            # (فإن right after a word is a condition's answer or a name, "بيرند فان ليندر",
            # never the verb's own complementizer)
            if not cue.preps:
                return "that", j, None
            if first_comp is None:
                first_comp = j
        elif cue.complement and _complement_at(v, j, i, cue):
            return "that", j, None  # "دعا إلى وقف القتال", "تعهدت بخفض الأسعار": the phrase is the content
        elif j > i + 1 and (c := speech.lookup(f)) is not None and c.kind != speech.SOURCE:
            break  # another speech verb: its own frame
        j += 1
    if first_comp is not None:
        return "that", first_comp, None
    return "none", j, None


def _complement_at(v: _View, j: int, i: int, cue: speech.Cue) -> bool:
    """True when token ``j`` opens the prepositional complement that ``cue`` (at ``i``) reports.

    A separate preposition (``إلى``, ``على``) may follow the verb at once (``ودعا إلى``); a ب written
    on its word (``بإهدار``) may not: right after the verb it is the subject's first letter.
    """
    f = v.fold[j]
    if f in cue.complement:
        return j + 1 < v.n and v.sent[j + 1] == v.sent[j] and v.kind[j + 1] == "arabic"
    if not (v.prep_clitic[j] and f[:1] in cue.complement) or f in _NOT_CONTENT_BA:
        return False
    # Right after the verb a ب/ل may be a name's first letter ("واتهم بوتين", "ويطالب بوتبول"): there the
    # complement must look like a verbal noun ("وأوصوا بضرورة", "وتعهدوا باستتباب", "بالعمل").
    if j > i + 1:
        return True
    k = v.tok_ent.get(j)
    if k is not None and v.entities[k].start == v.start[j] + 1:
        return False
    rest = f[1:]
    return rest.startswith(("ال", "ا", "ت")) or rest.endswith(("ه", "ات"))


_NOT_CONTENT_BA = speech.folded_words("باسم بالإجماع بشدة بدوره بدورها بدورهم بالقول بقوله بقولها بعد بين بشأن")


def _phrase(v: _View, lo: int, hi: int) -> tuple[int, int] | None:
    """The speaker phrase in tokens ``[lo, hi)``: a leading noun phrase, or a title/source word after a PP."""
    j = lo
    k = v.pair_open.get(j)
    if k is not None and v.pairs[k].words <= SHORT_QUOTE:
        return v.pairs[k].start, v.pairs[k].end  # 'أعلنت "غلينكور" أن': the name in marks
    if j < hi and v.fold[j] in speech.NOT_SPEAKERS:
        return None  # "وتابع قوله"
    j = min(v.after_title(j), hi)  # "وقالت أ.د. منى الشهري": the name after the abbreviated title
    after = v.short_name_quote(j + 1) if j + 1 < hi and v.is_stop(j) and len(v.fold[j]) <= 2 else None
    if after is not None and after < hi and v.kind[after] == "arabic" and not v.is_stop(after) and not v.is_comp(after):
        j = after  # 'أوضحت لـ"الاقتصادية" تيسير المفرج': past the medium named in marks, the speaker
    if j < hi and (v.is_stop(j) or v.kind[j] == "punct"):
        # A prepositional phrase first ("قال لوكالة الأنباء مسؤول"): look for a speaker head after it.
        while j < hi and not (
            v.kind[j] == "arabic"
            and not v.is_stop(j)
            and (v.fold[j] in speech.TITLE_WORDS or v.fold[j] in speech.ANONYMOUS)
            and v.fold[j] not in speech.DOCUMENTS
            and v.fold[j][2:] not in speech.DOCUMENTS
        ):
            j += 1
        if j >= hi:
            return None
    first = j
    last = -1
    while j < hi and j - first < MAX_SPEAKER_WORDS:
        if v.kind[j] == "punct":
            if v.abbreviation_stop(j) and j > first:  # an initial inside a name: "محمد ع. السيد"
                j += 1
                continue
            after = v.short_name_quote(j)
            if after is not None and after <= hi:
                last = after - 1
                j = after
                continue
            break
        if v.is_stop(j) or v.is_comp(j) or v.fold[j] in speech.NOT_SPEAKERS:
            break
        c = speech.lookup(v.fold[j])
        if c is not None and c.kind != speech.SOURCE:
            break
        last = j
        j += 1
    if last < first:
        return None
    head = v.fold[first]
    # "المتحدثة باسم البيت الأبيض، سارة ساندرز": the name after the title, between commas.
    name = _apposition(v, last + 1, hi)
    if name is not None:
        return name
    if head in speech.TITLE_WORDS and j < hi and v.prep_clitic[j]:
        # "نائب المدير العام للشؤون المالية جاسم الهويدي": the name after the title's complement.
        e = j + 1
        while e < hi and e - j < 4 and v.kind[e] == "arabic" and v.fold[e].startswith(("ال", "لل")):
            e += 1
        e = min(v.after_title(e), hi)  # "رئيس المحكمة بجدة الشيخ د. علي الشهري"
        n = e
        while n < hi and n - e < 3 and v.kind[n] == "arabic" and not v.is_stop(n) and not v.is_comp(n):
            n += 1
        if e < n and not v.fold[e].startswith("ال") and (n >= hi or v.kind[n] == "punct" or v.is_stop(n)):
            return v.start[e], v.end[n - 1]
    if last == first and head in speech.DOCUMENTS and j < hi and v.prep_clitic[j] and v.fold[j][:1] == "ل":
        # "بيان لنقابة المعلمين": the organisation speaks through its statement.
        e = j + 1
        while e < hi and e - j < 4 and v.kind[e] == "arabic" and v.fold[e].startswith("ال") and not v.is_comp(e):
            e += 1
        # (the ل of للهيئة is the preposition on the article: the span keeps the word whole)
        return v.start[j] + (0 if v.fold[j].startswith("لل") else 1), v.end[e - 1]
    return v.start[first], v.end[last]


def _apposition(v: _View, j: int, hi: int) -> tuple[int, int] | None:
    """A short name between commas that ends the speaker window (``...، بريان كلاس:``)."""
    while j < hi and v.fold[j] != ",":
        if v.kind[j] == "punct" and v.fold[j] not in ("-", '"'):
            return None
        j += 1
    if j >= hi:
        return None
    first = min(v.after_title(j + 1), hi)  # "...، د. سامي العتيبي:" names the doctor
    k = first
    person = v.tok_ent.get(first) if first < hi else None
    if person is not None and v.entities[person].label == "PERS" and _ba_in_name(v, person, first):
        k += 1  # "، بريان كلاس:" cut as ب + ريان: the ب is the name's
    else:
        person = None
    while k < hi and v.kind[k] == "arabic" and not v.is_stop(k) and not v.is_comp(k):
        k += 1
    n = k - first
    closed = k >= hi or v.fold[k] == ","
    if 1 <= n <= 4 and closed and not v.fold[first].startswith("ال") and v.fold[first] not in speech.RELATIVES:
        if speech.lookup(v.fold[first]) is not None:
            return None
        if person is not None and v.entities[person].end == v.end[k - 1]:
            return v.with_its_token_start(person)
        return v.start[first], v.end[k - 1]
    return None


def _preverbal(v: _View, i: int) -> tuple[int, int] | None:
    """The subject written before a verb (SVO): ``ستيفن واغنر، قال``, ``لكن بوتين ومسؤولي فيفا قالوا``."""
    if v.conj_clitic[i] or i == 0:
        return None
    sent = v.sent[i]
    end = i - 1
    if v.fold[end] == ",":
        end -= 1
    for _ in range(2):  # skip one relative clause ("X، الذي يدرّس ...، أكد")
        j = end
        while (
            j >= 0 and end - j < 6 and v.sent[j] == sent and v.fold[j] != "," and v.fold[j] not in speech.CLAUSE_OPENERS
        ):
            j -= 1
        first = j + 1
        if first > end or j >= 0 and v.fold[j] == "و":
            return None  # nothing before the verb, or one conjunct of a list ('و"بيجو" نفت')
        if any(v.fold[t] in speech.CLAUSE_BREAKS for t in range(first, end + 1)):
            return None  # "لكنه أكد": a pronoun subject
        if speech.is_topic_opener(v.fold[first]):
            return None  # "وعن موعد افتتاح الطريق قال": a topic phrase, not the subject
        while first <= end and (v.fold[first] in speech.PARTICLES or v.fold[first] in _WAS):
            first += 1  # "فقد كتب", "وكانت إحدى الصحف ذكرت": a particle or كان, not a subject
        rel = next((t for t in range(first + 1, end + 1) if v.fold[t] in speech.RELATIVES), None)
        if rel is not None:
            end = rel - 1  # "بشرى التي حاولت ... قالت": the subject is the antecedent of التي
        if first > end:
            return None
        if v.fold[first] in speech.RELATIVES and j >= 0 and v.fold[j] == ",":
            end = j - 1
            continue
        ents = sorted({v.tok_ent[t] for t in range(first, end + 1) if t in v.tok_ent}, key=lambda k: v.ent_first[k])
        for label in ("PERS", "ORG"):
            for k in ents:
                if v.entities[k].label == label and not v.in_pp(k) and v.ent_last[k] <= end:
                    return v.entities[k].start, v.entities[k].end
        plain = all(v.kind[t] in ("arabic", "punct") and not v.is_stop(t) for t in range(first, end + 1))
        if plain and end - first < 4 and speech.lookup(v.fold[first]) is None and v.kind[first] == "arabic":
            return v.start[first], v.end[end]
        return None
    return None


def _plain(v: _View, j: int) -> bool:
    """A word that can be part of a title or a name: Arabic, no preposition, complementizer or cue."""
    return (
        v.kind[j] == "arabic"
        and not v.is_stop(j)
        and not v.is_comp(j)
        and v.fold[j] not in speech.NOT_SPEAKERS
        and speech.lookup(v.fold[j]) is None
    )


def _whole_name(v: _View, k: int, lo: int, hi: int) -> tuple[int, int]:
    """Person ``k`` with the title before it and the rest of the name after it, within ``[lo, hi)``.

    ``وقال رئيس الوزراء البريطاني ديفيد كاميرون إن``: the speaker is the whole phrase, even when the
    entity is only ``ديفيد`` or ``ديفيد كاميرون``. The rest of a name is taken only when it runs up
    to ``hi`` (the complementizer, colon or mark). The span keeps the entity's referent.
    """
    e = v.entities[k]
    start, end = e.start, e.end
    first, last = v.ent_first[k], v.ent_last[k]
    if lo < first and v.fold[lo] in speech.TITLE_WORDS and all(_plain(v, t) for t in range(lo, first)):
        start = v.start[lo]
    rest = last + 1
    while first == last and rest < hi and rest - last <= 2 and _plain(v, rest) and rest not in v.tok_ent:
        rest += 1
    if rest == hi and rest > last + 1:
        end = v.end[rest - 1]
    if (start, end) != (e.start, e.end):
        ref = v.referent_of.get((e.start, e.end))
        if ref is not None:
            v.referent_of.setdefault((start, end), ref)
    return start, end


def _genitive(v: _View, k: int, lo: int) -> bool:
    """True for a person named as the complement of a noun (``مستشار خامنئي``), not the head."""
    first = v.ent_first[k]
    if first <= lo:
        return False
    prev = first - 1
    f = v.fold[prev]
    return (
        v.kind[prev] == "arabic"
        and not f.startswith(("ال", "وال"))
        and prev not in v.tok_ent
        and f not in speech.TITLE_WORDS - {"مستشار", "نائب", "مدير", "عضو", "محافظ"}
    )


def _source_after_letter(v: _View, tok: int) -> bool:
    """True when token ``tok`` (``لمنديز`` after ``وفقا``) names a source right after its ل.

    A person or organisation that the entities start there (``وفقا لمنديز``) or a noun that heads a
    source (``وفقا لوكالة رويترز``, ``وفقا لوزارة الصحة``); not the article's ل (``للمخرج``, read
    as before: a phrase with a name after it) nor what ``وفقا ل`` means "in accordance with"
    (``وفقا لأحكام الاتفاقية``, ``وفقا لفئة المخيم``), nor a document, whose author is named later.
    """
    k = v.tok_ent.get(tok)
    if k is not None and v.entities[k].start == v.start[tok] + 1 and v.entities[k].label in ("PERS", "ORG"):
        return True
    rest = v.fold[tok][1:]
    return rest in _SOURCE_HEADS and rest not in speech.DOCUMENTS  # "لتقرير أصدره مركز ...": its author


def _ba_in_name(v: _View, k: int, lo: int) -> bool:
    """True when person ``k`` begins one letter into token ``lo`` after a ب taken for a preposition.

    Right after a speech verb the subject comes, not a ب phrase; so ``وأضاف بويتشينكو``, cut by
    the segmenter as ب + ويتشينكو, names ``بويتشينكو``.
    """
    return (
        v.ent_first[k] == lo
        and v.entities[k].start == v.start[lo] + 1
        and v.fold[lo][:1] == "ب"
        and v.kind[lo] == "arabic"
    )


def _explicit_speaker(v: _View, lo: int, hi: int, lemma: str = "", after_verb: bool = False) -> tuple[int, int] | None:
    """The speaker named in tokens ``[lo, hi)``: a person entity, else the leading phrase, else an entity.

    ``after_verb``: ``lo`` follows the speech verb ``lemma`` directly (the VSO subject's place).
    """
    if lemma == "نقل":  # "نقلت الوكالة عن مسؤول قوله": the speaker follows عن
        for j in range(lo, hi):
            if v.fold[j] == "عن":
                lo = j + 1
                break
    if hi <= lo:
        return None
    candidates = sorted(
        k
        for k in {v.tok_ent[j] for j in range(lo, hi) if j in v.tok_ent}
        if v.ent_last[k] < hi and v.ent_first[k] >= lo and not v.inside[v.ent_first[k]]
    )
    candidates.sort(key=lambda k: v.ent_first[k])
    for k in candidates:
        if v.entities[k].label != "PERS" or _genitive(v, k, lo):
            continue
        if not v.in_pp(k):
            return _whole_name(v, k, lo, hi)
        if after_verb and lemma not in speech.lemmas_with("ba-object") and _ba_in_name(v, k, lo):
            # (after اعترف بـ, نوه بـ, وصفه بـ the ب phrase can name a person; after the others a
            # person right behind ب is the subject, and the ب the first letter of the name)
            return v.with_its_token_start(k)
    phrase = _phrase(v, lo, hi)
    if phrase is not None:
        # An entity that is the whole phrase, or starts it: keep the entity's own span.
        for k in candidates:
            e = v.entities[k]
            if e.start == phrase[0] and e.end >= phrase[1]:
                return e.start, e.end
        return phrase
    for k in candidates:
        if not v.in_pp(k):
            return v.entities[k].start, v.entities[k].end
    return None


def _without_object(v: _View, speaker: tuple[int, int], lo: int, lemma: str) -> tuple[int, int] | None:
    """The subject alone when a phrase after a verb with an object runs on into it.

    ``حث المحافظ المواطنين على``, ``وصف المعلق المباراة بأنها``: the last definite word is the
    object, unless it is an adjective (``الأمين العام``, ``المتحدث الرسمي``) or the phrase is one word
    (``ووصف الادعاءات بأنها``: no subject written at all).
    """
    k = v.tok_ent.get(lo)
    if k is not None and v.ent_first[k] == lo and v.entities[k].start == speaker[0]:
        return speaker[0], min(speaker[1], v.entities[k].end)  # a named subject: the object follows it
    first = bisect_left(v.start, speaker[0])
    last = bisect_left(v.start, speaker[1]) - 1
    if first == last:
        # "ووصف الادعاءات بأنها": after وصف a lone definite word is its object ("ويطالب المعلمون" is not)
        definite = v.fold[first].startswith(("ال", "وال"))
        return None if lemma == "وصف" and definite and v.fold[first] not in speech.TITLE_WORDS else speaker
    f = v.fold[last]
    written = v.text[v.start[last] : v.end[last]]
    if not f.startswith("ال"):
        if written.endswith(("ه", "ها", "هم")) and v.fold[first].startswith(("ال", "وال")):
            return speaker[0], v.end[last - 1]  # "برر المدير قراره بأن": a possessed object
        return speaker
    if f in speech.ADJECTIVES or f.endswith(("ي", "يه")):
        return speaker
    return speaker[0], v.end[last - 1]


def _head(v: _View, speaker: tuple[int, int] | None) -> str:
    """The first word of a speaker phrase, folded, without و/ف ("" for none)."""
    words = v.text[speaker[0] : speaker[1]].split() if speaker is not None else []
    if not words:
        return ""
    head = fold(words[0])
    return head[1:] if head[:1] in ("و", "ف") and head[1:] in speech.DATA_SUBJECTS else head


def _plausible(v: _View, span: tuple[int, int]) -> bool:
    """True when a subject read from word order can be a speaker: it holds a person or an
    organisation, or its head is a title, an anonymous source or a speaking body
    (``الوزير``, ``مصدر``, ``الوزارة``); not ``توجيهات الوزارة`` nor a clause's object."""
    lo = bisect_left(v.start, span[0])
    hi = bisect_left(v.start, span[1])
    for j in range(lo, hi):
        k = v.tok_ent.get(j)
        if k is not None and v.entities[k].label in ("PERS", "ORG"):
            return True
    if lo >= v.n:
        return False
    head = v.fold[lo]
    head = head[1:] if v.conj_clitic[lo] else head
    bare = head.removeprefix("ال")
    return any(
        w in speech.TITLE_WORDS or w in speech.ANONYMOUS or w in speech.SPEAKING_BODIES
        for w in (head, bare, "ال" + bare)
    )


def _issuer(v: _View, i: int) -> tuple[int, int] | None:
    """Who speaks in the statement, interview or letter named before verb ``i`` (``... بيانا أكدت فيه``).

    The interviewee after ``مع`` (``أجرت الصحيفة مقابلة مع اللاعب ... قال فيها``), else the subject of
    the clause that issued it (``أصدرت وزارة الصحة بيانا``, ``الشركة نشرت تقريرا``).
    """
    sent = v.sent[i]
    d = i - 1
    while d >= 0 and i - d <= 12 and v.sent[d] == sent:
        if v.fold[d].removeprefix("ال") in speech.STATEMENTS:
            break
        d -= 1
    else:
        return None
    if d < 0 or v.sent[d] != sent or i - d > 12:
        return None
    for m in range(d + 1, i):
        if v.fold[m] == "مع":
            return _explicit_speaker(v, m + 1, i)
    # "بعد أن أصدرت وزارة الرياضة بيانا": the phrase between the issuing verb and the statement
    for c in range(d - 1, max(-1, d - 8), -1):
        if v.sent[c] != sent or v.fold[c] in _PHRASE_END:
            break
        f = v.fold[c]
        if f in speech.ISSUE_VERBS or f[1:] in speech.ISSUE_VERBS and f[:1] in ("و", "ف"):
            return _explicit_speaker(v, c + 1, d) if c + 1 < d else None
    c = d - 1
    while c >= 0 and v.sent[c] == sent and v.fold[c] not in _PHRASE_END:
        c -= 1
    c += 1
    if c >= d:
        return None
    lo = c if v.fold[c].startswith(("ال", "وال")) or c in v.tok_ent else c + 1  # SVO, else VSO
    return _explicit_speaker(v, lo, d) if lo < d else None


def _frames(v: _View) -> dict[int, _Frame]:
    frames: dict[int, _Frame] = {}
    # Only the tokens that can start a cue (a speech word, a source pair's first word) are read.
    table, pairs = speech.cue_table(), speech.SOURCE_PAIRS
    for i, f in enumerate(v.fold):
        if f not in table and f not in pairs and not (f[:1] == "و" and f[1:] in pairs) or v.inside[i]:
            continue
        found = _cue_at(v, i)
        if found is None:
            continue
        cue, last = found
        cue_start = v.start[i]  # the conjunction و/ف stays with the cue (وأضاف)
        cue_end = v.end[last]
        if cue.kind == speech.SOURCE:
            lo = last + 1
            if v.fold[last][:1] == "ل" and len(v.fold[last]) > 1 and v.fold[last] != "لسان":
                cue_end = v.start[last] + 1  # "وفقا لوزارة": ل is part of the cue
                lo = last
                if _source_after_letter(v, last):
                    v.give_letter_to_cue(last)
            hi = lo
            sent = v.sent[i]
            while hi < v.n and v.sent[hi] == sent and v.fold[hi] not in _PHRASE_END and not v.ends_sentence(hi):
                hi += 1
            if hi >= v.n or v.fold[hi] not in _PHRASE_END:
                # No comma: "وبحسب وزارة الصحة فإن ..." ends the phrase at فإن.
                hi = next((j for j in range(lo + 1, hi) if v.fold[j] == "فان"), hi)
            if lo < hi and v.fold[lo] == "ما":  # "بحسب ما جاء في بيان المنظمة", "وفق ما ذكرت"
                lo += 1
                if lo < hi and v.fold[lo] in _REPORTED:
                    lo += 1
            nxt = speech.lookup(v.fold[lo]) if lo < v.n else None
            if nxt is not None and nxt.kind == speech.VERB:  # "حسبما ذكرت الوكالة"
                cue_end = v.end[lo]
                lo += 1
            if (
                lo + 1 < hi
                and v.fold[lo] in speech.PREPOSITIONS
                and v.fold[lo + 1].removeprefix("ال") in speech.DOCUMENTS
            ):
                lo += 2  # "في بيان المنظمة": the statement's author speaks
            speaker = None
            if lo < hi:
                speaker = _explicit_speaker(v, lo, min(hi, lo + MAX_SPEAKER_WORDS))
                if speaker is not None and speaker[0] < cue_end:
                    speaker = (cue_end, speaker[1])
            frames[i] = _Frame(i, cue, cue_start, cue_end, "none", hi, speaker)
            continue
        intro, at, pair = _scan(v, i, cue)
        if i + 1 < v.n and v.fold[i + 1] in cue.preps:
            cue_end = v.end[i + 1]  # "مشيرا إلى"
        if cue.kind == speech.PARTICIPLE:
            if intro == "none" or at > i + 6:
                continue  # "مؤكدا" with no content after it is an adverb of manner
            frames[i] = _Frame(i, cue, cue_start, cue_end, intro, at, None, pair)
            continue
        lo = i + 1
        honorific = False
        while lo < at and (v.fold[lo] in speech.PREP_PRONOUNS or v.fold[lo] in speech.HONORIFIC_PRONOUNS):
            honorific = honorific or v.fold[lo] in speech.HONORIFIC_PRONOUNS
            lo += 1  # "قال لي مدير المدرسة", "أكدت فيه", "وقال سموه": never the speaker's name
        # "وأكد سموه اعتزاز المملكة": after an honorific pronoun (the subject) comes the object
        speaker = None if honorific else _explicit_speaker(v, lo, at, cue.lemma, after_verb=True)
        if speaker is not None and lo > i + 1 and not _plausible(v, speaker):
            speaker = None  # "ونقل إليهم تمنيات القيادة": after قال لي / نقل إليهم, an object, unless it can speak
        if speaker is not None and "object" in cue.flags:
            speaker = _without_object(v, speaker, lo, cue.lemma)
        head = _head(v, speaker)
        if head in speech.DATA_SUBJECTS:
            continue  # "وتفيد الأرقام أن", "كما تفيد مؤشرات أخرى بأن": data, not a speaker
        if head in speech.QUANTIFIERS:
            speaker = None  # "ودعا جميع المستفيدين إلى": the object; the subject is the one before
        if speaker is None and lo > i + 1:
            # "أصدرت وزارة الصحة بيانا أكدت فيه أن": the issuer of the statement speaks.
            speaker = _issuer(v, i)
        if speaker is None:
            speaker = _preverbal(v, i)
        if speaker is None and i >= 2 and v.fold[i - 1] in _HAD:
            # "وكان الوزير قد قال إن": the subject sits between كان and قد.
            for j in range(i - 2, max(-1, i - 10), -1):
                if v.fold[j] in _WAS:
                    speaker = _explicit_speaker(v, j + 1, i - 1)
                    break
        frames[i] = _Frame(i, cue, cue_start, cue_end, intro, at, speaker, pair)
    return frames
