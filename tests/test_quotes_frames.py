"""Quotations on unseen articles (issue 13): speakers, the cue lexicon as data, clause ends, pairing.

Every sentence here is written for the test (none is copied from a corpus); each class of the
issue has several, so a rule that fits one example and not the class fails.
"""

from __future__ import annotations

from typing import Any

import pytest

import khabar
from khabar.components import quotes
from khabar.lang.ar import speech

_PIPELINE: list[khabar.Pipeline] = []


def _quotes(text: str) -> list[dict[str, Any]]:
    if not _PIPELINE:
        _PIPELINE.append(khabar.load(["ner", "referents"]))
    doc = _PIPELINE[0].analyze(text)
    quotes.set_annotations(doc, quotes.predict(doc))
    items = doc.to_dict()["quotes"]
    for q in items:  # every span is a span of the text as received
        assert doc.text[q["start"] : q["end"]] == q["text"]
        for part in ("cue", "speaker"):
            if q[part] is not None:
                assert doc.text[q[part]["start"] : q[part]["end"]] == q[part]["text"]
    return items


def _one(text: str) -> dict[str, Any]:
    items = _quotes(text)
    assert len(items) == 1, items
    return items[0]


def _speaker(q: dict[str, Any]) -> str | None:
    return None if q["speaker"] is None else q["speaker"]["text"]


# ------------------------------------------------------------ 1. speakers
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("أصدرت وزارة الصحة بيانا أكدت فيه أن الوضع تحت السيطرة.", "وزارة الصحة"),
        ("نشرت الشركة تقريرا أوضحت فيه أن الأرباح ارتفعت بنسبة كبيرة.", "الشركة"),
        ("وجه الأمير رسالة إلى المواطنين أكد فيها أن الدولة ماضية في الإصلاح.", "الأمير"),
        ("وقال لي مدير المدرسة إن الطلاب عادوا إلى الفصول.", "مدير المدرسة"),
        ("وأكد لنا رئيس النادي أن الفريق سيشارك في البطولة.", "رئيس النادي"),
    ],
)
def test_prepositional_pronoun_is_never_the_speaker(text: str, speaker: str) -> None:
    q = _one(text)
    assert _speaker(q) == speaker
    assert q["speaker"]["text"] not in speech.PREP_PRONOUNS


@pytest.mark.parametrize(
    "text",
    [
        "وعن أسباب التأخير قال إن الأمطار عطلت الأعمال.",
        "وحول موعد الامتحانات قالت إن الجدول سيعلن قريبا.",
        "وبشأن الرسوم الجديدة أوضح أن القرار لم يصدر بعد.",
    ],
)
def test_topic_phrase_is_not_the_speaker(text: str) -> None:
    q = _one(text)
    topic = text.split()[0]
    assert q["speaker"] is None or topic not in q["speaker"]["text"]


def test_topic_phrase_then_named_speaker() -> None:
    q = _one("وعن موعد افتتاح الجسر قال مدير المشروع إن العمل سينتهي في الربيع.")
    assert _speaker(q) == "مدير المشروع"


def test_speaker_resolves_through_the_topic_phrase_to_the_previous_subject() -> None:
    items = _quotes("وقال وزير النقل إن المطار سيفتح في الصيف. وعن موعد افتتاح الطريق قال إن الأعمال تسير وفق الخطة.")
    assert len(items) == 2
    assert items[1]["speaker"] is not None and "وزير النقل" in items[1]["speaker"]["text"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("وقال المتحدث باسم الدفاع المدني إن الحريق أخمد، بحسب وكالة الأنباء الرسمية.", "المتحدث"),
        ("وبحسب صحيفة محلية، قال مدير الشرطة إن المتهمين اعتقلوا.", "مدير الشرطة"),
        ("وأكدت السلطات أن الطريق أغلق، وفقا لوكالة الأنباء المحلية.", "السلطات"),
    ],
)
def test_nearest_speech_frame_wins_over_a_framing_source(text: str, speaker: str) -> None:
    items = _quotes(text)
    assert items, text
    assert _speaker(items[0]) is not None and _speaker(items[0]).startswith(speaker)  # type: ignore[union-attr]
    assert all("وكالة" not in (_speaker(q) or "") and "صحيفة" not in (_speaker(q) or "") for q in items)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("وقال رئيس الوزراء البريطاني ديفيد كاميرون إن الاقتصاد يتحسن.", "رئيس الوزراء البريطاني ديفيد كاميرون"),
        ("وقالت وزيرة الخارجية الأسترالية جولي بيشوب إن بلادها تدعم الاتفاق.", "وزيرة الخارجية الأسترالية جولي بيشوب"),
        ("وأكد الرئيس الفرنسي إيمانويل ماكرون أن بلاده ستشارك في القمة.", "الرئيس الفرنسي إيمانويل ماكرون"),
    ],
)
def test_speaker_keeps_title_and_whole_name(text: str, speaker: str) -> None:
    assert _speaker(_one(text)) == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("تناقلت وسائل الإعلام البريطانية أن الملكة ستزور المدينة الأسبوع المقبل.", "وسائل الإعلام البريطانية"),
        ("وتداولت مواقع التواصل الاجتماعي أن المباراة ستؤجل.", "مواقع التواصل الاجتماعي"),
        ("الشركة أعلنت أن المصنع سيغلق مؤقتا.", "الشركة"),
    ],
)
def test_speaker_span_never_includes_the_verb(text: str, speaker: str) -> None:
    q = _one(text)
    assert _speaker(q) == speaker
    assert q["cue"]["text"] not in q["speaker"]["text"]


def test_own_subject_wins_over_a_person_named_earlier() -> None:
    items = _quotes(
        "استقبل الرئيس الفرنسي الوزير سعيد الغامدي أمس. وقال وزير المالية محمد الجدعان إن الميزانية متوازنة."
    )
    assert len(items) == 1
    assert "الجدعان" in (_speaker(items[0]) or "")
    assert "الغامدي" not in (_speaker(items[0]) or "")


# ---------------------------------------------------------- 2. cue lexicon
def test_verb_lexicon_is_data() -> None:
    entries = speech.verbs()
    lemmas = {e.lemma for e in entries}
    assert {"برر", "أوصى", "دعا", "حث", "اتهم", "طالب", "صرخ", "نص", "تناقل"} <= lemmas
    dicts = {e.lemma: e for e in entries}
    assert dicts["دعا"].complement == ("الي", "ل")
    assert "object" in dicts["حث"].flags


def test_parse_verbs_rejects_a_short_line() -> None:
    with pytest.raises(ValueError, match="cells"):
        speech.parse_verbs("قال\tقال\n")


def test_parse_verbs_reads_forms_and_complements() -> None:
    (e,) = speech.parse_verbs("ناشد\tناشد يناشد\tناشدت\tناشدوا\tمناشدا\t-\t-\t\tب\tobject\n")
    assert e.masculine == ("ناشد", "يناشد") and e.participles == ("مناشدا", "", "")
    assert e.complement == ("ب",) and e.flags == frozenset({"object"})


@pytest.mark.parametrize(
    ("text", "lemma", "content", "speaker"),
    [
        ("وبرر المدير قراره بأن الميزانية لا تكفي لكل المشاريع.", "برر", "الميزانية لا تكفي", "المدير"),
        ("وبررت الوزارة التأخير بأن المقاول انسحب.", "برر", "المقاول انسحب", "الوزارة"),
        ("وأقر الوزير بوجود أخطاء في تنفيذ المشروع.", "أقر", "وجود أخطاء", "الوزير"),
        ("وأوصت اللجنة بأن تعاد دراسة الخطة من جديد.", "أوصى", "تعاد دراسة الخطة", "اللجنة"),
        ("وأوصى الباحثون بزيادة عدد المعلمين في القرى.", "أوصى", "زيادة عدد المعلمين", "الباحثون"),
        ("ودعا الأمين العام إلى وقف القتال فورا في المدينة.", "دعا", "وقف القتال", "الأمين العام"),
        ("ودعت المنظمة إلى حماية المدنيين.", "دعا", "حماية المدنيين", "المنظمة"),
        ("وحث المحافظ المواطنين على الالتزام بتعليمات السلامة.", "حث", "الالتزام بتعليمات", "المحافظ"),
        ("وحثت الوزارة الأسر على تطعيم أطفالها.", "حث", "تطعيم أطفالها", "الوزارة"),
        ("ووصف المعلق المباراة بأنها الأفضل في الموسم.", "وصف", "الأفضل في الموسم", "المعلق"),
        ("واعتبر الخبير أن القرار جاء متأخرا.", "اعتبر", "القرار جاء متأخرا", "الخبير"),
        ("وتوقعت الشركة أن ترتفع المبيعات في الربع المقبل.", "توقع", "ترتفع المبيعات", "الشركة"),
        ("وحذرت المنظمة من أن الجفاف سيضرب المنطقة.", "حذر", "الجفاف سيضرب", "المنظمة"),
        ("ونفى المتحدث أن تكون الحكومة قد تراجعت عن وعودها.", "نفى", "الحكومة قد تراجعت", "المتحدث"),
        ("واتهم النائب الحكومة بإهدار المال العام.", "اتهم", "إهدار المال العام", "النائب"),
        ("واتهمت المعارضة السلطات بتزوير الانتخابات.", "اتهم", "تزوير الانتخابات", "المعارضة"),
        ("ويطالب المعلمون بزيادة الرواتب منذ سنوات.", "طالب", "زيادة الرواتب", "المعلمون"),
        ("وينص القانون الجديد على أن يحصل كل موظف على إجازة سنوية.", "نص", "يحصل كل موظف", "القانون الجديد"),
        ("وتنص اللائحة على أن تغلق المحلات عند الأذان.", "نص", "تغلق المحلات", "اللائحة"),
    ],
)
def test_new_reporting_constructions(text: str, lemma: str, content: str, speaker: str) -> None:
    q = _one(text)
    assert q["kind"] == "indirect"
    assert content in q["text"]
    assert speech.lookup(speech.fold(q["cue"]["text"].split()[0])).lemma == lemma  # type: ignore[union-attr]
    assert _speaker(q) == speaker


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ('وشدد الرئيس على "ضرورة حماية المدنيين في كل الظروف".', "ضرورة حماية المدنيين في كل الظروف", "الرئيس"),
        ('وصرخ المتظاهرون "ارحل ارحل".', "ارحل ارحل", "المتظاهرون"),
        ("وهتف المشجعون «نحن الأبطال».", "نحن الأبطال", "المشجعون"),
    ],
)
def test_quoted_after_new_verbs(text: str, content: str, speaker: str) -> None:
    q = _one(text)
    assert (q["kind"], q["text"], _speaker(q)) == ("direct", content, speaker)


@pytest.mark.parametrize(
    "text",
    [
        "وارتفع عدد الضحايا إلى عشرة أشخاص بحسب مصادر طبية في المستشفى.",
        "وأغلقت المدارس أبوابها، وفقا لمصادر في الوزارة.",
    ],
)
def test_attribution_adjunct_inside_a_sentence(text: str) -> None:
    q = _one(text)
    assert q["kind"] == "indirect" and q["speaker"] is not None and "مصادر" in q["speaker"]["text"]


def test_bare_nouns_shaped_like_verbs_are_not_cues() -> None:
    for noun in ("طالب", "نص", "بين"):
        assert speech.lookup(speech.fold(noun)) is None
    assert _quotes("التحق طالب بجامعة الملك سعود في العام الماضي.") == []


# ----------------------------------------------------------- 3. clause ends
@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("وأكد اللاعب أنه يفتقد زملاءه في الفريق، وتمنى لهم التوفيق في البطولة.", "يفتقد زملاءه في الفريق"),
        ("وقال الوزير إن المشروع سينتهي قريبا، كما أعلن عن خطة جديدة للإسكان.", "المشروع سينتهي قريبا"),
        ("وأوضحت المديرة أن الدوام سيبدأ مبكرا، فيما بدأت المدارس استعداداتها.", "الدوام سيبدأ مبكرا"),
        ("وذكرت الشركة أن الأرباح تضاعفت، بينما تراجعت أسهم منافسيها.", "الأرباح تضاعفت"),
        ("وأفاد المتحدث أن الرحلات استؤنفت، وأعرب عن شكره للعاملين.", "الرحلات استؤنفت"),
    ],
)
def test_indirect_content_ends_at_a_new_clause(text: str, content: str) -> None:
    q = _quotes(text)[0]
    assert q["text"] == content


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "وقال المدير إن الأسعار ارتفعت، وأظهرت الأرقام زيادة في الطلب.",
            "الأسعار ارتفعت، وأظهرت الأرقام زيادة في الطلب",
        ),
        ("وأوضح الطبيب أن المريض تحسن، واتضح أنه لم يصب بالعدوى.", "المريض تحسن، واتضح أنه لم يصب بالعدوى"),
        ("وقال الخبير إن المشكلة معقدة، كما سيتم تشكيل لجنة لدراستها.", "المشكلة معقدة، كما سيتم تشكيل لجنة لدراستها"),
    ],
)
def test_indirect_content_goes_on_through_reported_clauses(text: str, content: str) -> None:
    assert _quotes(text)[0]["text"] == content


# --------------------------------------------------------------- 4. pairing
@pytest.mark.parametrize(
    ("text", "n_after"),
    [
        (
            (
                'وقال الوزير "إن الحكومة ستدعم المزارعين. وأضاف المدير العام أن الخطة جاهزة، '
                'وقال "سنبدأ التنفيذ غدا في كل المناطق".'
            ),
            2,
        ),
        (
            (
                "وكتب الناشط “لن نتوقف عن المطالبة بحقوقنا. وفي سياق آخر قالت المعلمة "
                '"الطلاب متحمسون للعام الجديد كثيرا".'
            ),
            1,
        ),
        ('وصرح المدرب "الفريق جاهز تماما. وقال الحارس إن الدفاع قوي هذا الموسم.', 1),
    ],
)
def test_unpaired_mark_does_not_swallow_later_quotations(text: str, n_after: int) -> None:
    items = _quotes(text)
    first_sentence_end = text.index(".")
    assert items[0]["end"] <= first_sentence_end + 1
    assert len([q for q in items if q["start"] > first_sentence_end]) == n_after


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("وقال المدرب «نحن جاهزون للمباراة» و«سنقاتل حتى النهاية من أجل الفوز».", "سنقاتل حتى النهاية من أجل الفوز"),
        ("وكتبت الفنانة «شكرا لكل من ساندني» و«سأعود قريبا إلى المسرح».", "سأعود قريبا إلى المسرح"),
    ],
)
def test_second_quotation_after_wa_is_found(text: str, second: str) -> None:
    items = _quotes(text)
    assert [q["kind"] for q in items] == ["direct", "direct"]
    assert items[1]["text"] == second
    assert items[0]["speaker"] is not None and "«" not in items[0]["speaker"]["text"]


@pytest.mark.parametrize(
    "text",
    [
        'وشن التحالف غارات على مواقع تنظيم "داعش" في شمال البلاد.',
        'وانتشرت ظاهرة "التفحيط" بين الشباب في الأحياء الجديدة.',
        "وافتتحت شركة «المراعي» مصنعا جديدا في المنطقة.",
        'وأعلن تحالف "النور" و"الأمل" عن مرشحيه للانتخابات.',
    ],
)
def test_short_quoted_term_without_speech_is_not_a_quotation(text: str) -> None:
    assert _quotes(text) == []


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ('وانتقد النائب ما أسماه بـ"فنادق الأشباح" في وسط المدينة.', "فنادق الأشباح", "النائب"),
        ('وهاجم الكاتب ما سماه "الإعلام المأجور" في مقاله الأخير.', "الإعلام المأجور", "الكاتب"),
        ("وسخرت الممثلة مما وصفته بـ«نقد المجاملات» في الصحافة.", "نقد المجاملات", "الممثلة"),
    ],
)
def test_scare_quoted_term_in_a_naming_frame_is_a_quotation(text: str, content: str, speaker: str) -> None:
    q = _one(text)
    assert (q["kind"], q["text"]) == ("direct", content)
    assert _speaker(q) == speaker


# ---------------------------------------------------------------- 5. display
def test_cli_table_shows_indirect_without_marks_and_direct_inside_them() -> None:
    from rich.console import Console

    from khabar.cli.render import quotes_table

    if not _PIPELINE:
        _PIPELINE.append(khabar.load(["ner", "referents"]))
    doc = _PIPELINE[0].analyze("وقال المدير إن الموسم كان ناجحا. وأضاف «سنعود أقوى في العام المقبل».")
    quotes.set_annotations(doc, quotes.predict(doc))
    console = Console(record=True, width=400, highlight=False)
    quotes_table(doc, console)
    out = console.export_text()
    assert "«سنعود أقوى في العام المقبل»" in out
    assert "الموسم كان ناجحا" in out and "«الموسم" not in out


def test_web_templates_mark_only_direct_quotations() -> None:
    from pathlib import Path

    templates = Path(khabar.__file__).parent / "web" / "templates"
    for name in ("_doc.html", "quotes.html", "referent.html"):
        source = (templates / name).read_text(encoding="utf-8")
        assert '{% if q.kind == "direct" %}«{{ q.text }}»{% else %}{{ q.text }}{% endif %}' in source, name


# ------------------------------------------------- 1b. implicit speakers
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            (
                "وكانت البطولة مقررة في المدينة، لكنها نقلت بعد أن أصدرت وزارة الرياضة بيانا مطلع الشهر أكدت فيه أنه "
                "تقرر التأجيل."
            ),
            "وزارة الرياضة",
        ),
        ("وأصدرت هيئة الطيران المدني أمس بيانا أوضحت فيه أن الرحلات ستعود.", "هيئة الطيران المدني"),
    ],
)
def test_issuer_of_the_statement_speaks(text: str, speaker: str) -> None:
    assert _speaker(_one(text)) == speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "أما المحامي سالم العتيبي، فقد كتب على صفحته قائلا “الحرية لا تتجزأ أبدا في أي مجتمع”.",
            "المحامي سالم العتيبي",
        ),
        ("أما الكاتبة هند الشمري، فقد علقت على القرار قائلة «هذا يوم حزين للثقافة».", "الكاتبة هند الشمري"),
    ],
)
def test_topic_of_amma_is_the_speaker(text: str, speaker: str) -> None:
    q = _one(text)
    assert q["speaker"] is not None and speaker in q["speaker"]["text"]
    assert q["speaker"]["text"] not in speech.PARTICLES


@pytest.mark.parametrize(
    "text",
    [
        "وقال الوزير إن الخطة جاهزة. واطلع على المشروع، مؤكدا سموه أن العمل مستمر.",
        "وقال الوزير إن الخطة جاهزة. وقال سموه إن العمل مستمر.",
    ],
)
def test_honorific_pronoun_resolves_to_the_person_before(text: str) -> None:
    items = _quotes(text)
    assert len(items) == 2
    assert _speaker(items[1]) == "الوزير"


@pytest.mark.parametrize(
    "text",
    [
        "وتفيد الأرقام الرسمية أن البطالة تراجعت.",
        "كما تشير المؤشرات إلى أن النمو سيتسارع.",
    ],
)
def test_data_are_not_speakers(text: str) -> None:
    assert _quotes(text) == []


def test_quantified_object_is_not_the_speaker() -> None:
    items = _quotes("وقال المتحدث إن الخدمة متاحة. ودعا جميع المستفيدين إلى الإبلاغ عن المخالفات.")
    assert len(items) == 2
    assert _speaker(items[1]) == "المتحدث"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("وأكد المصابون أن الإصابات لن تثنيهم، معبرين عن شكرهم للقيادة.", "الإصابات لن تثنيهم"),
        ("وأكدت المرشحة أن السجين هرب أمس متهمة الوزيرة بالتساهل.", "السجين هرب أمس"),
        ("وقال الشاهد إنها كانت معلقة على ارتفاع كبير.", "كانت معلقة على ارتفاع كبير"),
    ],
)
def test_participle_ends_content_only_as_a_new_frame(text: str, content: str) -> None:
    assert _quotes(text)[0]["text"] == content


# ------------------------------------------------- 4b. names in marks, بينما
def test_quotation_after_a_preposition_in_the_subject_is_a_name() -> None:
    q = _one("ودعا مشاركون في «ملتقى السياحة والتراث الأول» الحكومات إلى دعم المتاحف المحلية.")
    assert q["kind"] == "indirect" and q["text"].startswith("دعم المتاحف")
    assert _speaker(q) == "مشاركون"


def test_name_in_marks_does_not_make_the_content_mixed() -> None:
    q = _one("وأوضحت الهيئة أن المواصفات تتوافق مع لوائح عالمية مثل «اللوائح الأوروبية الموحدة» وغيرها.")
    assert q["kind"] == "indirect"
    q = _one('وقال الناقد إن الفيلم "سطحي جدا" ولا يستحق الجائزة.')
    assert q["kind"] == "mixed"  # quoted wording, not a name


def test_bainama_ends_the_content_without_a_comma() -> None:
    q = _quotes("ودعا الإمام الحكومة إلى محاربة الفساد بينما خرج الآلاف إلى الشوارع.")[0]
    assert q["text"] == "محاربة الفساد"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('وأوضحت لـ"الرياض" هند الحربي المتحدثة باسم الوزارة، أن المدارس ستفتح.', "هند الحربي"),
        ("وقال لـ«الوطن» سامي العنزي مدير الفرع إن الخدمة ستعود.", "سامي العنزي"),
    ],
)
def test_speaker_after_a_medium_named_in_marks(text: str, speaker: str) -> None:
    assert _speaker(_one(text)) == speaker


def test_plural_verb_takes_the_plural_subject_of_the_previous_sentence() -> None:
    items = _quotes("من جانبهم، أشاد معلمون بقرار الوزارة. وقالوا إن القرار سيخدم الطلاب.")
    assert len(items) == 1 and _speaker(items[0]) == "معلمون"


def test_zada_reports() -> None:
    q = _one("وزاد وزير الداخلية أن الأمن مستتب في المدينة.")
    assert (q["text"], _speaker(q)) == ("الأمن مستتب في المدينة", "وزير الداخلية")


def test_opener_without_comma_then_subject() -> None:
    items = _quotes("من جهتهم أعرب أهالي الحي عن شكرهم للمسؤولين، مؤكدين أن الخدمات تحسنت كثيرا.")
    assert len(items) == 1 and _speaker(items[0]) == "أهالي الحي"


def test_continuation_skips_a_plural_speaker_for_a_singular_participle() -> None:
    items = _quotes(
        "وقال الأمير خالد إن الدولة تقف مع الأسر. وأكد المصابون أن معنوياتهم عالية. "
        "وبعد أن تفقد المكان، اطلع على الأضرار، مؤكدا أن الإعمار سيبدأ قريبا."
    )
    assert len(items) == 3
    assert "خالد" in (_speaker(items[2]) or "")


def test_object_after_a_prepositional_pronoun_is_not_the_speaker() -> None:
    items = _quotes("وقال الوزير إن المستشفى جاهز. ونقل إليهم تحيات القيادة بأن يعجل الله شفاءهم.")
    assert len(items) == 2
    assert "تحيات" not in (_speaker(items[1]) or "")
    q = _one("وقال لي مدير المدرسة إن الطلاب عادوا إلى الفصول.")
    assert _speaker(q) == "مدير المدرسة"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("ويطالب بوريس الشركة بتعويض كبير عن الأضرار.", "تعويض كبير عن الأضرار"),
        ("وأوصوا بضرورة التعاون بين الجامعات.", "ضرورة التعاون بين الجامعات"),
    ],
)
def test_ba_right_after_the_verb_is_a_name_unless_a_verbal_noun(text: str, content: str) -> None:
    assert content in _one(text)["text"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("وكانت إحدى الصحف المحلية ذكرت أن الوزارة أغلقت المكاتب.", "إحدى الصحف المحلية"),
        ("سارة التي روت قصتها للطالبات قالت إن المدرسة أنقذتها.", "سارة"),
    ],
)
def test_preverbal_subject_without_kana_or_its_relative_clause(text: str, speaker: str) -> None:
    assert _speaker(_one(text)) == speaker
