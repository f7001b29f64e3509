"""Entities consistent within one article (issue 12, point 2): own sentences, checked on the rules' output.

The tagger's own decisions vary with the model; these tests build the tagger's spans by hand where
the rule, not the model, is under test, and run the whole pipeline where the model reliably tags.
"""

from __future__ import annotations

import pytest

import khabar
from khabar.components.entity_consistency import make_consistent
from khabar.doc import Doc, Span
from khabar.lang.ar.honorifics import is_formula


def segmented(text: str) -> Doc:
    return khabar.analyze(text, components=["segment"])


def span_of(doc: Doc, phrase: str, label: str) -> Span:
    start = doc.text.index(phrase)
    return Span(start, start + len(phrase), label)


def rendered(doc: Doc, spans: list[Span]) -> list[tuple[str, str]]:
    return [(doc.span_text(s), s.label) for s in spans]


@pytest.mark.parametrize(
    "formula",
    ["رحمه الله", "حفظه الله", "رضي الله عنه", "صلى الله عليه وسلم", "الله", "عليه السلام", "رحمها الله"],
)
def test_entity_consistency_formulas_are_no_mentions(formula: str) -> None:
    assert is_formula(formula)
    doc = segmented(f"وقال الشيخ {formula} في خطبته إن الصبر مفتاح الفرج.")
    assert make_consistent(doc, [span_of(doc, formula, "PERS")]) == []


@pytest.mark.parametrize(
    ("text", "tagged", "name"),
    [
        ("استقبل الملك فهد بن عبدالعزيز آل سعود - رحمه الله - الوفد.", "فهد بن عبدالعزيز آل سعود - رحمه الله", "فهد بن عبدالعزيز آل سعود"),
        ("زار الأمير نايف بن عبدالعزيز حفظه الله المعرض.", "نايف بن عبدالعزيز حفظه الله", "نايف بن عبدالعزيز"),
        ("وصل الأمير مقرن بن عبدالعزيز ولي العهد إلى الرياض.", "مقرن بن عبدالعزيز ولي العهد", "مقرن بن عبدالعزيز"),
        ("حضر نايف بن عبدالعزيز وزير الداخلية الحفل.", "نايف بن عبدالعزيز وزير", "نايف بن عبدالعزيز"),
        ("التقى محمد بن زايد ولي ولي العهد بالوفد.", "محمد بن زايد ولي ولي", "محمد بن زايد"),
    ],
)
def test_entity_consistency_formulas_and_titles_are_no_name_parts(text: str, tagged: str, name: str) -> None:
    doc = segmented(text)
    assert rendered(doc, make_consistent(doc, [span_of(doc, tagged, "PERS")])) == [(name, "PERS")]


@pytest.mark.parametrize(
    ("text", "tagged", "facility", "label"),
    [
        ("افتتح وزير الأوقاف مسجد الرحمن في الحي الجديد.", "مسجد الرحمن", "مسجد الرحمن", "LOC"),
        ("نقل المصاب إلى مستشفى الملك خالد الجامعي.", "خالد", "مستشفى الملك خالد", "ORG"),
        ("تخرج في جامعة الإمام محمد بن سعود الإسلامية.", "محمد بن سعود", "جامعة الإمام محمد بن سعود", "ORG"),
        ("هبطت الطائرة في مطار الملك فهد الدولي.", "فهد", "مطار الملك فهد", "LOC"),
        ("فاز بجائزة نجيب محفوظ للرواية.", "نجيب محفوظ", "جائزة نجيب محفوظ", "ORG"),
    ],
)
def test_entity_consistency_facility_named_after_a_person(text: str, tagged: str, facility: str, label: str) -> None:
    doc = segmented(text)
    assert rendered(doc, make_consistent(doc, [span_of(doc, tagged, "PERS")])) == [(facility, label)]


def test_entity_consistency_short_mention_takes_the_full_names_label() -> None:
    doc = segmented("وصل رئيس الوزراء ديفيد كاميرون إلى برلين. وقال كاميرون إن الزيارة ناجحة.")
    full = span_of(doc, "ديفيد كاميرون", "PERS")
    second = doc.text.rindex("كاميرون")
    short = Span(second, second + len("كاميرون"), "LOC")
    got = make_consistent(doc, [full, short])
    assert rendered(doc, got) == [("ديفيد كاميرون", "PERS"), ("كاميرون", "PERS")]


def test_entity_consistency_short_mention_joins_the_referent() -> None:
    doc = khabar.analyze("وصل رئيس الوزراء البريطاني ديفيد كاميرون إلى برلين. وقال كاميرون إن الزيارة ناجحة.")
    people = [r for r in doc.values["referents"] if r["label"] == "PERS"]
    assert [r["name"] for r in people] == ["ديفيد كاميرون"]
    assert len(people[0]["mentions"]) == 2


@pytest.mark.parametrize(
    ("text", "tagged", "label"),
    [
        ("لعب الفريق على ملعب لوفتس رود أمس.", "لوفتس رود", "LOC"),
        ("أرسل المشترك رسالة SMS إلى الرقم.", "رسالة SMS", "MISC"),
        ("حذرت الهيئة من عقار فلوكسيتال المغشوش.", "عقار فلوكسيتال", "MISC"),
    ],
)
def test_entity_consistency_what_is_not_a_person(text: str, tagged: str, label: str) -> None:
    doc = segmented(text)
    assert [s.label for s in make_consistent(doc, [span_of(doc, tagged, "PERS")])] == [label]


def test_entity_consistency_leaves_ordinary_names_alone() -> None:
    doc = segmented("قال وزير الخارجية سامح شكري إن المحادثات مستمرة.")
    spans = [span_of(doc, "سامح شكري", "PERS")]
    assert make_consistent(doc, spans) == spans


def test_entity_consistency_two_people_joined_by_and_are_not_one() -> None:
    doc = segmented("تألق المهاجم سامر ونجم الوسط كريم في المباراة.")
    got = make_consistent(doc, [span_of(doc, "سامر ونجم الوسط كريم", "PERS")])
    assert rendered(doc, got) == [("سامر", "PERS")]


def test_entity_consistency_epithets_of_god_are_no_mentions() -> None:
    doc = segmented("ونسأل العلي القدير أن يحفظ البلاد.")
    assert make_consistent(doc, [span_of(doc, "العلي القدير", "PERS")]) == []


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        ("وصل سمو ولي العهد إلى جدة مساء أمس.", "ولي العهد"),
        ("استقبل سمو الضيوف في القصر.", "سمو"),
        ("وأكد معالي الوزير أن العمل مستمر.", "معالي الوزير"),
        ("وحضر الفريق أول الحفل الختامي.", "الفريق أول"),
        ("وأشاد الحضور بحكمة القائد الحكيم المحنك في كلمته.", "الحكيم المحنك"),
        ("ووصف الكاتب الزعيم بالرجل الشجاع الصبور.", "الشجاع الصبور"),
    ],
)
def test_entity_consistency_descriptions_alone_are_no_person(text: str, tagged: str) -> None:
    doc = segmented(text)
    assert make_consistent(doc, [span_of(doc, tagged, "PERS")]) == []


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        ("زار الملك الحسن الثاني المدينة.", "الحسن الثاني"),
        ("استمع الحضور إلى تلاوة الشيخ الشعراوي.", "الشيخ الشعراوي"),
        ("قال أمين الجميل إن الحوار ضروري.", "أمين الجميل"),
        ("وصل الأمير الوليد بن طلال إلى باريس.", "الوليد بن طلال"),
    ],
)
def test_entity_consistency_a_name_with_the_article_or_a_title_stays(text: str, tagged: str) -> None:
    doc = segmented(text)
    spans = [span_of(doc, tagged, "PERS")]
    assert make_consistent(doc, spans) == spans


@pytest.mark.parametrize(
    ("text", "tagged", "facility", "label"),
    [
        ("أعلنت شركة عبدالرحيم منصور للتجارة أرباحها.", "عبدالرحيم منصور", "شركة عبدالرحيم منصور", "ORG"),
        ("وقعت مجموعة بن لادن عقدا جديدا.", "بن لادن", "مجموعة بن لادن", "ORG"),
        ("دخلت محطة سدير للطاقة الشمسية الخدمة.", "سدير", "محطة سدير", "LOC"),
        ("نزل الوفد في فندق ريتز كارلتون.", "ريتز كارلتون", "فندق ريتز كارلتون", "ORG"),
    ],
)
def test_entity_consistency_company_or_station_named_after_a_person(
    text: str, tagged: str, facility: str, label: str
) -> None:
    doc = segmented(text)
    assert rendered(doc, make_consistent(doc, [span_of(doc, tagged, "PERS")])) == [(facility, label)]


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        ("وقال مدير المستشفى الدكتور سامي العلي إن الحالة مستقرة.", "الدكتور سامي العلي"),
        ("وأكد رئيس الشركة جورج سالم أن الأرباح زادت.", "جورج سالم"),
        ("وقال رئيس النادي فهد المطيري إن المدرب باق.", "فهد المطيري"),
        ("وأوضح مقدم برنامجه عادل الحربي أن الحلقة مؤجلة.", "عادل الحربي"),
    ],
)
def test_entity_consistency_a_person_in_apposition_to_a_definite_noun_stays_a_person(text: str, tagged: str) -> None:
    # with the article or a pronoun, the noun is not the construct head of a facility's name
    doc = segmented(text)
    spans = [span_of(doc, tagged, "PERS")]
    assert make_consistent(doc, spans) == spans


def test_entity_consistency_a_name_starting_with_alef_madda_is_not_an_epithet() -> None:
    doc = segmented("وفازت الطالبة آلاء السعدي بالمركز الأول.")
    spans = [span_of(doc, "آلاء السعدي", "PERS")]
    assert make_consistent(doc, spans) == spans


@pytest.mark.parametrize(
    ("text", "tagged", "entity"),
    [
        ("انطلقت منافسات دوري سامي الجابر للناشئين أمس.", "سامي الجابر", "دوري سامي الجابر"),
        ("يستعد الفريق لمنافسات دوري «سامي الجابر» للناشئين.", "سامي الجابر", "سامي الجابر"),
        ("فاز الهلال بكأس الملك عبدالعزيز للمرة الثالثة.", "عبدالعزيز", "كأس الملك عبدالعزيز"),
    ],
)
def test_entity_consistency_competition_named_after_a_person_is_misc(text: str, tagged: str, entity: str) -> None:
    doc = segmented(text)
    assert rendered(doc, make_consistent(doc, [span_of(doc, tagged, "PERS")])) == [(entity, "MISC")]


def _base_span(doc: Doc, token_start: int, label: str) -> Span:
    """The tagger's mention as the words layer gives it: the base of the token at ``token_start``."""
    token = next(t for t in doc["tokens"] if t.start == token_start)
    i = doc["tokens"].index(token)
    base = next(w for w in doc["words"] if w.attrs.get("token") == i and w.attrs.get("role") == "base")
    return Span(base.start, token.end, label)


@pytest.mark.parametrize("name", ["بلاتيني", "بنزيمة", "بالوتيلي", "ليبرمان"])
def test_entity_consistency_a_cut_short_mention_grows_back_to_the_full_names_last_word(name: str) -> None:
    doc = segmented(f"رشح الاتحاد جان {name} للجائزة. وقال {name} إن الموسم صعب. وأشاد الجمهور و{name} بالفوز.")
    full = span_of(doc, f"جان {name}", "PERS")
    second = _base_span(doc, doc.text.index(f"وقال {name}") + 5, "PERS")
    third = _base_span(doc, doc.text.index(f"و{name} بالفوز"), "PERS")
    assert doc.span_text(second) != name  # the segmenter cut it: the case under test
    got = make_consistent(doc, [full, second, third])
    assert rendered(doc, got) == [(f"جان {name}", "PERS"), (name, "PERS"), (name, "PERS")]


def test_entity_consistency_a_proclitic_before_a_name_stays_outside_it() -> None:
    doc = segmented("وصل المدرب جان كلوب إلى الملعب. ورحب الجمهور بكلوب بحرارة.")
    full = span_of(doc, "جان كلوب", "PERS")
    at = doc.text.index("بكلوب") + 1
    spans = [full, Span(at, at + len("كلوب"), "PERS")]
    assert make_consistent(doc, spans) == spans


def test_entity_consistency_no_mention_grows_into_a_proclitic_and_a_place() -> None:
    # the tagger took "سامي بالمغرب" for a name; the later المغرب must not become بالمغرب
    doc = segmented("التقى الوفد سامي بالمغرب أمس. وعاد الوفد بالمغرب إلى العمل.")
    full = span_of(doc, "سامي بالمغرب", "PERS")
    second = _base_span(doc, doc.text.rindex("بالمغرب"), "LOC")
    got = make_consistent(doc, [full, second])
    assert rendered(doc, got)[1] == (doc.span_text(second), "LOC")


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        ("وسجل البوليفي هدف الفوز في الدقيقة الأخيرة.", "البوليفي"),
        ("وأضاف البرازيلي الهدف الثاني.", "البرازيلي"),
        ("ورد الكولومبي على الانتقادات.", "الكولومبي"),
    ],
)
def test_entity_consistency_a_nationality_alone_is_no_person(text: str, tagged: str) -> None:
    doc = segmented(text)
    assert make_consistent(doc, [span_of(doc, tagged, "PERS")]) == []


def test_entity_consistency_a_family_name_alone_stays_a_person() -> None:
    doc = segmented("وقال الشهري إن الفريق جاهز.")
    spans = [span_of(doc, "الشهري", "PERS")]
    assert make_consistent(doc, spans) == spans


@pytest.mark.parametrize(
    ("text", "tagged", "name"),
    [
        ("وصل الملك فهد بن عبدالعزيز آل سعود -حفظه الله- إلى جدة.", "فهد بن عبدالعزيز آل سعود -حفظه", "فهد بن عبدالعزيز آل سعود"),
        ("ذكر الشيخ عبدالله بن باز رحمه الله في فتواه.", "عبدالله بن باز رحمه", "عبدالله بن باز"),
        ("روى أبو هريرة رضي الله عنه الحديث.", "أبو هريرة", "أبو هريرة"),
    ],
)
def test_entity_consistency_a_name_ends_before_a_formula_the_tagger_cut(text: str, tagged: str, name: str) -> None:
    doc = segmented(text)
    assert rendered(doc, make_consistent(doc, [span_of(doc, tagged, "PERS")])) == [(name, "PERS")]


def test_entity_consistency_abd_allah_written_apart_is_one_name() -> None:
    doc = segmented("قال الرئيس علي عبد الله صالح إن الحوار مستمر.")
    spans = [span_of(doc, "علي عبد الله صالح", "PERS")]
    assert make_consistent(doc, spans) == spans


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("وصل الشيخ سعد بن عبد الله إلى المطار مساء أمس.", "سعد بن عبد الله"),
        ("قال المحامي كريم عبد الله للصحفيين إن القضية تأجلت.", "كريم عبد الله"),
        ("التقى الوفد بالنائب حسين فضل الله في مكتبه.", "حسين فضل الله"),
    ],
)
def test_entity_consistency_a_name_ending_in_allah_keeps_it(text: str, name: str) -> None:
    # الله after a word that heads no formula is the end of a theophoric name, not a formula
    doc = segmented(text)
    assert rendered(doc, make_consistent(doc, [span_of(doc, name, "PERS")])) == [(name, "PERS")]


def test_entity_consistency_a_formula_ending_in_allah_is_still_cut() -> None:
    doc = segmented("وصل الأمير سعد بن عبد الله رحمه الله إلى المدينة.")
    tagged = span_of(doc, "سعد بن عبد الله رحمه الله", "PERS")
    assert rendered(doc, make_consistent(doc, [tagged])) == [("سعد بن عبد الله", "PERS")]


def _words_read(doc: Doc, words: list[Span]) -> str:
    return " ".join(doc.text[w.start : w.end] + ("" if w.attrs["role"] == "base" else "+") for w in words)


def test_entity_consistency_a_token_inside_a_persons_name_is_one_word() -> None:
    from khabar.components.entity_consistency import unsplit_names

    doc = segmented("وصل المدرب الفرنسي ميشيل بلاتيني إلى جدة وقال بلينكن إن الزيارة مهمة.")
    split_before = _words_read(doc, doc["words"])
    assert "ب+ لاتيني" in split_before  # the segmenter alone reads ب + لاتيني
    spans = [span_of(doc, "ميشيل بلاتيني", "PERS"), span_of(doc, "جدة", "LOC")]
    words = unsplit_names(doc, spans)
    assert words is not None
    after = _words_read(doc, words)
    assert "بلاتيني" in after.split() and "لاتيني" not in after.split()
    assert after.replace("بلاتيني", "ب+ لاتيني") == split_before  # nothing else changed


def test_entity_consistency_words_outside_people_and_with_the_article_stay_split() -> None:
    from khabar.components.entity_consistency import unsplit_names

    doc = segmented("وقال وزير الخارجية عادل الجبير إن بلاده ستدعم العراق والأردن.")
    spans = [span_of(doc, "عادل الجبير", "PERS"), span_of(doc, "العراق", "LOC"), span_of(doc, "الأردن", "LOC")]
    assert unsplit_names(doc, spans) is None  # ال + جبير stays; places are not touched
    # a mention that starts after a proclitic leaves that token split
    doc = segmented("ورحب الوزير ببلينكن في الرياض.")
    token = doc.text.index("ببلينكن")
    assert unsplit_names(doc, [Span(token + 1, token + len("ببلينكن"), "PERS")]) is None


def test_entity_consistency_the_pipeline_keeps_names_whole_for_keywords() -> None:
    text = (
        "قال رئيس الاتحاد ميشيل بلاتيني إنه سيترشح للرئاسة. وأكد بلاتيني أن لديه دعما واسعا. "
        "وكرر ميشيل بلاتيني أن القرار نهائي."
    )
    doc = khabar.analyze(text)
    people = [doc.span_text(e) for e in doc["entities"] if e.label == "PERS"]
    assert "ميشيل بلاتيني" in people
    words = {doc.text[w.start : w.end] for w in doc["words"]}
    assert "بلاتيني" in words and "لاتيني" not in words
    assert "لاتيني" not in {k.attrs["key"] for k in doc["keywords"]}


def test_entity_consistency_an_overlong_run_is_no_mention() -> None:
    doc = segmented("قال " + "ب" * 300 + " إن الاجتماع انتهى.")
    start = doc.text.index("ب" * 300)
    assert make_consistent(doc, [Span(start, start + 300, "ORG")]) == []
