from __future__ import annotations

import pytest

import khabar
from khabar.components.segment import split_clitics
from khabar.lang.ar import abbreviations


def texts(doc: khabar.Doc, layer: str) -> list[str]:
    return [doc.span_text(s) for s in doc[layer]]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("انتهى الاجتماع. وبدأت المحادثات.", ["انتهى الاجتماع.", "وبدأت المحادثات."]),
        ("هل انتهى؟ نعم! انتهى", ["هل انتهى؟", "نعم!", "انتهى"]),
        # a full stop after a closing mark, glued to the next sentence
        ("وقال «نعم».وأضاف أنه سيعود", ["وقال «نعم».", "وأضاف أنه سيعود"]),
        # a full stop inside the marks
        ("وقال «انتهى الأمر.» ثم غادر", ["وقال «انتهى الأمر.»", "ثم غادر"]),
        ("ارتفع المؤشر 3.5 بالمئة اليوم", ["ارتفع المؤشر 3.5 بالمئة اليوم"]),
        ("سطر أول\nسطر ثان", ["سطر أول", "سطر ثان"]),
        ("انتظر... ثم تكلم", ["انتظر...", "ثم تكلم"]),
    ],
)
def test_segment_sentences(text: str, sentences: list[str]) -> None:
    assert texts(khabar.analyze(text), "sentences") == sentences


def test_segment_seed_has_13_sentences(seed_text: str) -> None:
    doc = khabar.analyze(seed_text)
    sentences = texts(doc, "sentences")
    assert len(sentences) == 13
    assert len(doc["paragraphs"]) == 1
    assert all(s.endswith((".", "».")) for s in sentences)


def test_segment_glued_words_become_two_tokens_in_original_offsets() -> None:
    text = "زار الوفد الولاياتالمتحدة أمس"
    doc = khabar.analyze(text)
    assert texts(doc, "tokens") == ["زار", "الوفد", "الولايات", "المتحدة", "أمس"]
    tok = doc["tokens"][3]
    assert (tok.start, tok.end) == (text.index("المتحدة"), text.index("المتحدة") + len("المتحدة"))


@pytest.mark.parametrize(
    ("token", "kind"),
    [("الوزير", "arabic"), ("2026", "number"), ("٣٫٥", "number"), ("Reuters", "latin"), ("،", "punct"),
     ("https://example.com/a", "url"), ("info@example.com", "email")],
)
def test_segment_token_kinds(token: str, kind: str) -> None:
    doc = khabar.analyze(f"قال {token} أمس")
    (tok,) = [t for t in doc["tokens"] if doc.span_text(t) == token]
    assert tok.attrs["kind"] == kind


def test_segment_tatweel_stays_inside_the_token_span() -> None:
    text = "قال الـوزير"
    doc = khabar.analyze(text)
    assert texts(doc, "tokens") == ["قال", "الـوزير"]


@pytest.mark.parametrize(
    ("token", "pieces"),
    [
        ("وبالولايات", [("و", "proclitic"), ("ب", "proclitic"), ("ال", "proclitic"), ("ولايات", "base")]),
        ("محادثاتهما", [("محادثات", "base"), ("هما", "enclitic")]),
        ("وسيعود", [("و", "proclitic"), ("س", "proclitic"), ("يعود", "base")]),
        ("للعاصمة", [("ل", "proclitic"), ("ل", "proclitic"), ("عاصمة", "base")]),
        ("كتاب", [("كتاب", "base")]),
    ],
)
def test_segment_clitic_split_words(token: str, pieces: list[tuple[str, str]]) -> None:
    got = [(token[s:e], role) for s, e, role, _form in split_clitics(token)]
    assert got == pieces


def test_segment_words_carry_the_underlying_form_of_the_hidden_article() -> None:
    doc = khabar.analyze("للعاصمة")
    words = doc["words"]
    assert [w.attrs.get("form") for w in words] == [None, "ال", None]
    assert "".join(doc.span_text(w) for w in words) == "للعاصمة"


# ------------------------------------------------------------------ abbreviations
# A stop after an abbreviation is not a sentence end; each text below is ONE sentence.
@pytest.mark.parametrize(
    "text",
    [
        # titles before a name
        "وأوضح د. ماجد الحربي أن نتائج الدراسة مشجعة.",
        "استقبل أ. د. نوال العبيدي الوفد الزائر في مكتبها.",
        "افتتح أ.د. ياسر الغامدي المعرض العلمي الأول.",
        "وأشار م. طارق الشهري إلى أن الطريق سيفتح قريبا.",
        "وتحدث الشيخ د. عمر الدوسري عن فضل العلم.",
        "وشارك في الندوة د. هشام البدري وأ. سلمى الراشد وم. نادر الفيفي.",
        "وقال د.فيصل الحمد إن الدواء متوفر في الصيدليات.",
        "حاضر في الدورة ا.د. منصور الحربي لمدة ساعتين.",  # no hamza
        # a title behind a proclitic
        "وحضر الحفل ود. رنا السبيعي وعدد من المسؤولين.",
        "وكرم المدير وأ.د. فهد القرني والطلاب المتفوقين.",
        "ووجهت الدعوة لد. مازن العلي لإلقاء كلمة الافتتاح.",
        "وحضر ود.سامي الأحمد الحفل الختامي.",  # repair spaces the glued stop; still one sentence
        # initials in names, agencies and companies
        "وأكد محمد ع. السيد أن الحملة حققت أهدافها.",
        "واعترف المتهم ن. ك. أمام المحكمة بكل التهم.",
        "وقال مصدر أمني لوكالة (د. ب. أ) إن الحدود مغلقة.",
        "وذكرت وكالة أ. ف. ب أن الرحلات استؤنفت صباحا.",
        "تأسست الشركة ش. م. ل. في بيروت قبل عشرين عاما.",
        "وقال جون إف. كينيدي إن الطريق ما زال طويلا.",
        "ونقلت شبكة سي. إن. إن. عن مصادر محلية أن الهدوء عاد.",
        "وقال متحدث باسم (إف. بي. آي.) إن التحقيق مستمر.",
        # references: page, volume, box, phone, fax, death year
        "ورد النص في ج. 2، ص. 145 من الطبعة الأولى.",
        "راجع ص. 30 من التقرير السنوي لمعرفة التفاصيل.",
        "وترسل الطلبات إلى ص.ب. 4521 الرياض قبل نهاية الشهر.",
        "للحجز ت. 0112345678 أو ف. 0112345679 طوال الأسبوع.",
        "ونشر البحث في مج. 4، ع. 12 من المجلة العلمية.",
        "ذكر المؤرخ الحموي (ت. 1350 هـ) أخبار المدينة بالتفصيل.",
        # an era before a number, in a range or inside brackets does not end the sentence
        "حكم الملك بين 1290 ق. م. و1224 ق. م.",
        "امتد حكمه (1805 م. - 1848 م.) وشهد تغييرات كبيرة.",
        "حكم الملك (1290 ق. م. - 1224 ق. م.) البلاد طويلا.",
    ],
)
def test_segment_abbreviation_stops_do_not_end_sentences(text: str) -> None:
    assert texts(khabar.analyze(text), "sentences") == [text]


# Each case lists sentences; joined with spaces, the text must split back into them.
@pytest.mark.parametrize(
    "sentences",
    [
        # a title sentence followed by a real one: only the real end splits
        ["وأوضح د. ماجد الحربي أن النتائج مشجعة.", "وانتهى المؤتمر مساء أمس."],
        # after a number, an era, a time of day or a unit sign may end a sentence
        ["تأسست المدرسة عام 1965 م.", "وتخرج فيها آلاف الطلاب."],
        ["انتهى العام الدراسي 1445 هـ.", "وبدأت الإجازة الصيفية."],
        ["وصلت القافلة سنة 1300 ه.", "وأقامت في الواحة."],
        ["بنيت القلعة نحو 700 ق.م.", "واستمرت قرونا."],
        ["حكم الملك حتى 1224 ق. م.", "وخلفه ابنه."],
        ["يبدأ الدوام الساعة 7:30 ص.", "وينتهي ظهرا."],
        ["بلغت كلفة المشروع 12 م.د.", "وستنطلق الأشغال قريبا."],
        ["يصور الهاتف بدقة 4 كيه.", "ويتوفر بلونين."],
        # a letter after a label noun is a name, not an initial
        ["تحتاج العظام إلى فيتامين د.", "ويوجد في السمك."],
        ["تأهل المنتخب عن المجموعة ب.", "وسيلعب مباراته المقبلة في جدة."],
        # إلخ closes an enumeration, usually at a sentence end
        ["اشترى الكتب والأقلام والدفاتر إلخ.", "وعاد إلى البيت."],
        # the end of a spaced acronym; letter names that are also words
        ["نقلت الخبر بي بي سي.", "وأكدته مصادر أخرى."],
        ["ثقتهم كبيرة بي.", "ولن أخذلهم أبدا."],
        ["وصل الوفد إلى سانتا في.", "واستقبله المحافظ."],
        # words that look like a title behind a proclitic, or like a letter name
        ["قالت لا.", "ثم غادرت القاعة."],
        ["لم يكن من الرحيل بد.", "وقرر السفر فجرا."],
        ["شكرا لك.", "ونلتقي غدا."],
        ["هذا مهم بالنسبة لي.", "وسأعود قريبا."],
        ["وزعت الهدايا على كل أم.", "وانتهى الحفل مساء."],
        ["وتلا الإمام آية.", "ثم ركع المصلون."],
        # ordinary ends, decimals and ellipses are unchanged
        ["عاد الوفد إلى بلده.", "وبدأت المحادثات."],
        ["ارتفع السهم 3.5 في المئة.", "وتراجع النفط 1.2 دولار."],
        ["انتظر الجميع طويلا...", "ثم بدأ الحفل."],
    ],
)
def test_segment_abbreviation_context_decides(sentences: list[str]) -> None:
    assert texts(khabar.analyze(" ".join(sentences)), "sentences") == sentences


def test_segment_initials_at_a_paragraph_end_end_it() -> None:
    text = "انتهى الاجتماع. ت. ع.\nوفي خبر آخر ارتفعت الأسعار."  # a signature
    assert texts(khabar.analyze(text), "sentences") == ["انتهى الاجتماع.", "ت. ع.", "وفي خبر آخر ارتفعت الأسعار."]


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("د", abbreviations.TITLE),
        ("ود", abbreviations.TITLE),
        ("وأ.د", abbreviations.TITLE),
        ("ا.د", abbreviations.TITLE),
        ("ص.ب", abbreviations.REFERENCE),
        ("مج", abbreviations.REFERENCE),
        ("إلخ", abbreviations.CLOSING),
        ("هـ", abbreviations.INITIALS),
        ("ق.م", abbreviations.INITIALS),
        ("إف", abbreviations.LETTERS),
        ("إم", abbreviations.LETTERS),
    ],
)
def test_segment_abbreviation_lookup_kinds(token: str, kind: str) -> None:
    abbr = abbreviations.lookup(token)
    assert abbr is not None and abbr.kind == kind


@pytest.mark.parametrize("token", ["الوزير", "لا", "بد", "لم", "أم", "آية", "عام", "﴾"])
def test_segment_abbreviation_lookup_rejects_words(token: str) -> None:
    assert abbreviations.lookup(token) is None


def test_segment_abbreviation_sentence_spans_slice_back() -> None:
    text = "وقال أ.د.  خالد  العمري إن الأبحاث مستمرة. وأضاف م. سعد أن العمل بدأ."
    doc = khabar.analyze(text)
    assert len(doc["sentences"]) == 2
    for s in doc["sentences"]:
        assert doc.text[s.start : s.end] == doc.span_text(s)


_QUOTE_WITH_TITLE = 'وأوضح د. سامي العتيبي: "نعمل على خطة جديدة".'


def _quotes_of(text: str) -> tuple[khabar.Doc, list[dict[str, object]]]:
    from khabar.components import quotes

    doc = khabar.load(["ner", "referents"]).analyze(text)
    quotes.set_annotations(doc, quotes.predict(doc))
    return doc, doc.to_dict()["quotes"]


def test_segment_title_keeps_the_quotation_in_one_sentence_with_its_speaker() -> None:
    doc, items = _quotes_of(_QUOTE_WITH_TITLE)
    assert texts(doc, "sentences") == [_QUOTE_WITH_TITLE]
    assert len(items) == 1
    (q,) = items
    assert q["kind"] == "direct" and q["text"] == "نعمل على خطة جديدة"
    speaker = q["speaker"]
    assert isinstance(speaker, dict) and "سامي العتيبي" in speaker["text"]


def test_segment_title_keeps_the_quotation_cue() -> None:
    _doc, items = _quotes_of(_QUOTE_WITH_TITLE)
    (q,) = items
    cue = q["cue"]
    assert isinstance(cue, dict) and cue["text"] == "وأوضح"


@pytest.mark.parametrize("enabled", [True, False])
def test_segment_leaves_the_garbage_collector_as_it_found_it(enabled: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from khabar.components import segment

    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        doc = khabar.analyze("وقال الوزير إن المحادثات انتهت.", components=["repair"])
        assert len(segment.predict(doc)["words"]) > 5
        assert gc.isenabled() is enabled

        def broken(_doc: khabar.Doc) -> None:
            assert not gc.isenabled()  # paused during the call
            raise RuntimeError("boom")

        monkeypatch.setattr(segment, "_predict", broken)
        with pytest.raises(RuntimeError):
            segment.predict(doc)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
