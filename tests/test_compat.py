"""Tests for khabar.lang.ar.compat and the repair rule ``compat_form``: text in Arabic presentation forms.

The presentation-form texts are made here from ordinary letters by ``shape`` (contextual forms
by the joining rules, lam-alef ligatures), as a PDF shaper does.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import khabar
from khabar.doc import Doc
from khabar.inputs import has_arabic
from khabar.lang.ar.compat import fold_char, fold_text, has_compat
from khabar.store import Store, search


def _form_table() -> dict[tuple[str, str], str]:
    """(letters, 'isolated'|'initial'|'medial'|'final') -> presentation form, from the Unicode data."""
    table: dict[tuple[str, str], str] = {}
    for code in range(0xFE70, 0xFEFD):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition.startswith("<"):
            tag, *codes = decomposition.split()
            table["".join(chr(int(c, 16)) for c in codes), tag.strip("<>")] = chr(code)
    return table


FORMS = _form_table()
_POSITION = {(False, False): "isolated", (False, True): "initial", (True, True): "medial", (True, False): "final"}


def shape(text: str) -> str:
    """Write ``text`` the way a PDF stores it: each letter as its contextual form, لا as one ligature."""
    out: list[str] = []
    joined = False  # the previous letter joins this one
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch == "ل" and nxt in "اأإآ":
            out.append(FORMS["ل" + nxt, "final" if joined else "isolated"])
            joined = False  # alef never joins the letter after it
            i += 2
            continue
        if (ch, "isolated") not in FORMS:
            out.append(ch)
            joined = False
            i += 1
            continue
        joins_next = (ch, "initial") in FORMS and (nxt, "isolated") in FORMS
        out.append(FORMS.get((ch, _POSITION[joined, joins_next]), FORMS[ch, "isolated"]))
        joined = joins_next
        i += 1
    return "".join(out)


def test_compat_shape_helper_writes_contextual_forms() -> None:
    assert shape("محمد") == "\ufee3\ufea4\ufee4\ufeaa"
    assert shape("لا") == "\ufefb" and shape("سلام") == "\ufeb3\ufefc\ufee1"
    assert shape("دار") == "\ufea9\ufe8d\ufead"  # د and ا join nothing after them


# --- folding one character -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "letters"),
    [
        ("\ufefb", "لا"),  # lam-alef isolated
        ("\ufefc", "لا"),  # final
        ("\ufef7", "لأ"),
        ("\ufef9", "لإ"),
        ("\ufef5", "لآ"),
        ("\ufdf2", "الله"),  # the word ligature
        ("\ufe91", "ب"),  # beh initial
        ("\ufe94", "ة"),  # teh marbuta final
        ("\ufbfe", "\u06cc"),  # Farsi yeh initial (Presentation Forms-A)
        ("\ufe76", "\u064e"),  # fatha isolated form: the mark alone, no space before it
        ("\ufe77", "\u064e"),  # fatha medial form: no tatweel
    ],
)
def test_compat_fold_char_gives_ordinary_letters(form: str, letters: str) -> None:
    assert fold_char(form) == letters


@pytest.mark.parametrize("ch", ["\ufdfa", "\ufdfb", "\ufdfd", "\ufd3e", "\ufeff", "a", "ب", "\ufb01", "\uff21"])
def test_compat_fold_char_leaves_the_rest_alone(ch: str) -> None:
    # several-word ligatures, symbols with no letters, the BOM, ordinary letters, non-Arabic ligatures
    assert fold_char(ch) is None


def test_compat_fold_text_origin_points_at_the_source_character() -> None:
    text = "قال " + shape("الأمل") + "."
    folded, origin = fold_text(text)
    assert folded == "قال الأمل."
    assert len(origin) == len(folded) + 1
    assert origin[4] == 4 and origin[5] == 5  # ا ، ل of ﺍﻷ
    assert origin[6] == -1  # the أ inside the lam-alef ligature
    assert origin[-1] == len(text)
    assert has_compat(text) and not has_compat(folded)


# --- the repair rule --------------------------------------------------------------------------

SENTENCES = [
    "لا يزال الطريق مغلقا أمام السيارات بسبب الأمطار.",
    "وأعلنت الشرطة إغلاق الجسر للإصلاح حتى الأسبوع المقبل.",
    "قال اللاعب إن الفريق استعد جيدا للمباراة الأولى.",
    "بسم الله نبدأ هذه الليلة حفلا لإحياء ذكرى الشاعر.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_repair_compat_forms_read_as_ordinary_letters(sentence: str) -> None:
    shaped = shape(sentence)
    assert shaped != sentence
    doc = khabar.analyze(shaped, components=["repair"])
    assert doc.text == shaped
    assert doc.repaired == sentence
    assert {e.rule for e in doc.edits} == {"compat_form"}
    assert all(e.end == e.start + 1 for e in doc.edits)  # one edit per character: offsets stay exact


def test_repair_compat_ligatures_and_mixed_text() -> None:
    text = "قال \ufdf2 أكبر و" + shape("لا") + " شيء 2024"
    doc = khabar.analyze(text, components=["repair"])
    assert doc.repaired == "قال الله أكبر ولا شيء 2024"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_compat_words_are_segmented_like_ordinary_letters(sentence: str) -> None:
    plain = khabar.analyze(sentence, components=["segment"])
    shaped = khabar.analyze(shape(sentence), components=["segment"])
    assert len(shaped["tokens"]) == len(plain["tokens"])
    assert len(shaped["sentences"]) == len(plain["sentences"])
    assert [w.attrs.get("role") for w in shaped["words"]] == [w.attrs.get("role") for w in plain["words"]]
    for layer in ("tokens", "words", "sentences"):
        for s in shaped[layer]:
            assert shaped.text[s.start : s.end] == shaped.span_text(s)


def test_compat_glued_words_are_found_in_presentation_forms() -> None:
    doc = khabar.analyze("قال " + shape("وزارةالصحة") + " أمس", components=["repair"])
    assert doc.repaired == "قال وزارة الصحة أمس"


def test_compat_text_is_arabic_for_the_input_check() -> None:
    assert has_arabic(shape("مرحبا بكم"))
    assert not has_arabic("hello \ufb01 \uff21")


# --- a whole article ----------------------------------------------------------------------------

ARTICLE = (
    "أعلنت وزارة الصحة المغربية في الرباط يوم الخميس أن حملة التطعيم ضد الحصبة ستبدأ الأسبوع المقبل "
    "في كل المدارس الابتدائية. وقال الوزير خالد آيت الطالب في مؤتمر صحفي إن منظمة الصحة العالمية "
    "واليونيسف تدعمان الحملة.\n"
    "وأضاف أن الأطباء والممرضين لا يزالون يتلقون التدريب اللازم، وأن اللقاحات وصلت إلى الدار البيضاء "
    "ومراكش وفاس. وتأمل الوزارة أن تبلغ نسبة التطعيم تسعين بالمئة قبل نهاية العام."
)


@pytest.fixture(scope="module")
def article_docs() -> tuple[Doc, Doc]:
    nlp = khabar.load()
    return nlp.analyze(ARTICLE, {"id": "plain"}), nlp.analyze(shape(ARTICLE), {"id": "shaped"})


def test_compat_article_reads_the_same(article_docs: tuple[Doc, Doc]) -> None:
    plain, shaped = article_docs
    assert shaped.text != ARTICLE and shaped.repaired == plain.repaired
    assert shaped.normalized()[0] == plain.normalized()[0]
    assert len(shaped["sentences"]) == len(plain["sentences"]) == 4
    assert len(shaped["paragraphs"]) == 2


def test_compat_article_has_the_same_topic(article_docs: tuple[Doc, Doc]) -> None:
    plain, shaped = article_docs
    assert shaped.values["topic"] == plain.values["topic"]
    assert shaped.values["categories"] == plain.values["categories"]


def _entity_keys(doc: Doc) -> list[tuple[str, str]]:
    rep = doc.repaired
    to_derived = doc.repaired_map.to_derived
    return [(e.label, rep[to_derived(e.start) : to_derived(e.end)]) for e in doc["entities"]]


def test_compat_article_has_the_same_entities(article_docs: tuple[Doc, Doc]) -> None:
    plain, shaped = article_docs
    assert _entity_keys(plain)  # the article has names: the comparison means something
    assert _entity_keys(shaped) == _entity_keys(plain)


def test_compat_article_has_the_same_keywords(article_docs: tuple[Doc, Doc]) -> None:
    plain, shaped = article_docs
    assert [k.attrs["key"] for k in shaped["keywords"]] == [k.attrs["key"] for k in plain["keywords"]]


def test_compat_words_carry_their_ordinary_letters(article_docs: tuple[Doc, Doc]) -> None:
    plain, shaped = article_docs
    forms = [w.attrs.get("form") or shaped.span_text(w) for w in shaped["words"]]
    assert forms == [w.attrs.get("form") or plain.span_text(w) for w in plain["words"]]


def test_compat_article_is_found_by_the_same_searches(article_docs: tuple[Doc, Doc], tmp_path: Path) -> None:
    plain, shaped = article_docs
    path = tmp_path / "compat.db"
    with Store(path) as store:
        store.add_many([plain, shaped])
    reader = Store.open_readonly(path)
    try:
        for query in ("الحصبة", "التطعيم", "اللقاحات", "لا", '"الدار البيضاء"', "الأطباء", "مراكش"):
            hits = search(reader, query)
            assert {h.ext_id for h in hits} == {"plain", "shaped"}, query
            for hit in hits:  # the snippet is the original text, presentation forms and all
                doc = plain if hit.ext_id == "plain" else shaped
                assert hit.match is None or doc.text[hit.match[0] : hit.match[1]]
    finally:
        reader.close()
