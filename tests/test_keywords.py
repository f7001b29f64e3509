from __future__ import annotations

import pytest

import khabar
from khabar.components import keywords
from khabar.lang.ar.normalize import fold
from khabar.lang.ar.stopwords import STOP_WORDS, is_stop_word

ARTICLE = (
    "استؤنفت المحادثات بين الحكومة والمعارضة في العاصمة الأردنية عمان بعد توقف دام شهرين. "
    "وقال المتحدث باسم الحكومة إن المحادثات تركز على ملف المعتقلين وملف الانتخابات البرلمانية. "
    "وأكد وفد المعارضة أن ملف المعتقلين يأتي أولا، مشيرا إلى أن محادثات سابقة فشلت بسبب هذا الملف. "
    "ومن المقرر أن تستمر المحادثات في عمان ثلاثة أيام، على أن تعقد جولة أخرى بشأن الانتخابات البرلمانية."
)


def analyze(text: str) -> khabar.Doc:
    return khabar.analyze(text, components=["segment"])


def test_keywords_spans_slice_the_original_and_have_keys() -> None:
    doc = analyze(ARTICLE)
    spans = keywords.predict(doc)
    assert 0 < len(spans) <= 10
    for s in spans:
        text = doc.text[s.start : s.end]
        assert text == s.to_dict(doc.text)["text"]
        assert 1 <= len(s.attrs["key"].split()) <= 3
        assert isinstance(s.attrs["score"], float)
    assert spans[0].attrs["score"] == 1.0
    assert [s.attrs["score"] for s in spans] == sorted((s.attrs["score"] for s in spans), reverse=True)
    keywords.set_annotations(doc, spans)
    assert doc["keywords"] == spans


def test_keywords_definite_and_bare_forms_share_a_key() -> None:
    doc = analyze(ARTICLE)  # "المحادثات" three times, "محادثات" once
    keys = [s.attrs["key"] for s in keywords.predict(doc)]
    assert keys.count("محادثات") == 1
    talks = next(s for s in keywords.predict(doc) if s.attrs["key"] == "محادثات")
    assert talks.attrs["count"] == 4
    assert doc.span_text(talks) == "المحادثات"


def test_keywords_multiword_phrases() -> None:
    keys = {s.attrs["key"] for s in keywords.predict(analyze(ARTICLE))}
    assert "انتخابات برلمانيه" in keys
    assert "ملف معتقلين" in keys


@pytest.mark.parametrize("top", [1, 3, 25])
def test_keywords_stop_words_never_lead_or_end(top: int) -> None:
    doc = analyze(ARTICLE)
    spans = keywords.predict(doc, top=top)
    assert len(spans) <= top
    for s in spans:
        words = s.attrs["key"].split()
        assert words[0] not in STOP_WORDS and words[-1] not in STOP_WORDS
        surface = doc.span_text(s).split()
        assert fold(surface[0]) not in STOP_WORDS and fold(surface[-1]) not in STOP_WORDS


def test_keywords_clitics_removed_from_key() -> None:
    doc = analyze("وبالمحادثات بدأ العام. وللمحادثات شروط. ومحادثاتهما طويلة.")
    spans = keywords.predict(doc)
    talks = [s for s in spans if s.attrs["key"] == "محادثات"]
    assert len(talks) == 1 and talks[0].attrs["count"] == 3
    assert not doc.span_text(talks[0]).startswith("و")


@pytest.mark.parametrize(
    "word", ["فى", "في", "إلى", "الى", "على", "علي", "أى", "قد", "لقد", "كان", "قال", "أضاف", "أكد", "أشار", "ثلاثة"]
)
def test_stopwords_cover_particles_and_reporting_verbs(word: str) -> None:
    assert is_stop_word(fold(word))


def test_keywords_no_arabic_and_empty() -> None:
    assert keywords.predict(analyze("")) == []
    assert keywords.predict(analyze("12 , 45 ... 2019")) == []
    spans = keywords.predict(analyze("Peace talks resumed in Amman. The talks focus on prisoners."))
    assert any(s.attrs["key"] == "talks" for s in spans)
    assert keywords.predict(analyze(ARTICLE), top=0) == []


def test_keywords_one_sentence() -> None:
    doc = analyze("بدأت المحادثات النووية في جنيف")
    keys = [s.attrs["key"] for s in keywords.predict(doc)]
    assert "جنيف" in keys and "في" not in keys


def test_keywords_5000_sentences() -> None:
    doc = analyze(" ".join([ARTICLE] * 1250))
    assert len(doc["sentences"]) >= 5000
    spans = keywords.predict(doc)
    assert len(spans) == 10
    assert all(s.end <= len(ARTICLE) for s in spans)  # first occurrences


def test_keywords_seed(seed_text: str) -> None:
    doc = analyze(seed_text)
    spans = keywords.predict(doc)
    keys = [s.attrs["key"] for s in spans]
    assert "كوريا شماليه" in keys
    assert "هانوي" in keys or "قمه هانوي" in keys
    korea = spans[keys.index("كوريا شماليه")]
    assert doc.span_text(korea) == "كوريا الشمالية"


def test_doc_terms_reused_for_the_same_layers_and_recomputed_for_new_ones() -> None:
    from khabar.components.keywords import doc_terms

    doc = khabar.analyze("وقالت الوزارة إن المحادثات ستستأنف غدا في العاصمة.", components=["segment"])
    first = doc_terms(doc)
    assert len(first) == len(doc["tokens"])
    first.clear()  # the caller's list is its own
    again = doc_terms(doc)
    assert len(again) == len(doc["tokens"]) and again is not first
    assert [t.key for t in again if t.key][:2] == ["قالت", "وزاره"]
    doc.layers["tokens"] = doc["tokens"][:3]  # a new layer: terms computed again
    assert len(doc_terms(doc)) == 3
    other = khabar.analyze("المحادثات", components=["segment"])
    assert [t.key for t in doc_terms(other, keep=False)] == ["محادثات"]
    assert [t.key for t in doc_terms(other)] == ["محادثات"]


def test_keywords_unrolled_candidates_match_the_general_loop() -> None:
    """The runs of 1-3 terms found by the unrolled loop are the general loop's: same keys, same
    order, same first occurrence and counts."""
    terms = keywords.doc_terms(analyze(ARTICLE + "\n" + ARTICLE), keep=False)
    fast, general = keywords._candidates(terms), keywords._candidates_any(terms)
    assert any(len(k) == 3 and c.count >= 2 for k, c in fast.items())  # the article has repeated 3-word runs
    assert list(fast) == list(general)
    assert [repr(c) for c in fast.values()] == [repr(c) for c in general.values()]


def _keys(text: str) -> list[str]:
    return [k.attrs["key"] for k in khabar.analyze(text, components=["segment", "keywords"])["keywords"]]


def test_keywords_no_formula_genealogy_link_or_date_phrase() -> None:
    text = (
        "توفي الشيخ الجليل رحمه الله يوم الأربعاء الموافق العاشر من أبريل في مدينته. "
        "وقال ابنه إن والده رحمه الله كان محبا للعلم، وشيع المصلون الشيخ يوم الأربعاء بعد صلاة العصر. "
        "ونعى الأمير خالد بن فهد بن سعد الفقيد، كما نعاه الأمير فيصل بن فهد بن سعد."
    )
    keys = _keys(text)
    for junk in ("رحم", "الله", "رحم الله", "يوم اربعاء", "اربعاء", "موافق", "بن", "بن فهد"):
        assert junk not in keys, (junk, keys)
    assert "شيخ" in keys and "فهد بن سعد" in keys  # the article's words and names are still there


def test_keywords_a_name_holding_allah_stays_a_phrase() -> None:
    text = (
        "أعلن حزب الله اللبناني مشاركته في الحوار. وقال مسؤول في حزب الله إن الحوار ضروري. "
        "ورحب حزب الله بالمبادرة الجديدة للحوار."
    )
    assert "حزب الله" in _keys(text)


def test_keywords_an_overlong_run_of_letters_is_no_keyword() -> None:
    assert _keys("وصل الوفد إلى المدينة " + "ب" * 200 + " أمس.") == [k for k in _keys("وصل الوفد إلى المدينة أمس.")]
