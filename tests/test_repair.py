from __future__ import annotations

import pytest

import khabar
from khabar.components.repair import pair_quotes
from khabar.offsets import OffsetMap, Replacement


def repaired(text: str) -> str:
    return khabar.analyze(text, components=["repair"]).repaired


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("الـعـربية", "العربية"),  # tatweel
        ("كلمة\u200bأخرى\u200f", "كلمةأخرى"),  # zero-width and bidi controls
        ("الأهرام &amp; الأخبار", "الأهرام & الأخبار"),
        ("سعر &#1587;", "سعر س"),
        ("ماذا حدث؟؟؟ لا!!!", "ماذا حدث؟ لا!"),
        ("وقال.....", "وقال..."),
        ("كلمة    أخرى\tثالثة", "كلمة أخرى ثالثة"),
        ("سطر\r\nسطر", "سطر\nسطر"),
        ("انتهى الاجتماع.وقال الوزير", "انتهى الاجتماع. وقال الوزير"),
        ("ارتفع بنسبة 3.5 بالمئة", "ارتفع بنسبة 3.5 بالمئة"),
        ("موقع www.example.com للأخبار", "موقع www.example.com للأخبار"),
        ("وقال الوزير :»نعمل بجد».وأضاف", "وقال الوزير : «نعمل بجد». وأضاف"),
        ("وأكد أن «التعاون مستمر «، مشيرا", "وأكد أن «التعاون مستمر»، مشيرا"),
        ("وقال«نعم»ثم غادر", "وقال «نعم» ثم غادر"),
        ("قال <br> الوزير", "قال \n الوزير"),
    ],
)
def test_repair_rules(raw: str, fixed: str) -> None:
    doc = khabar.analyze(raw, components=["repair"])
    assert doc.text == raw
    assert doc.repaired == fixed


def test_repair_leaves_egyptian_spelling_for_normalization() -> None:
    # فى for في is a spelling, not damage: matching folds it, repair does not rewrite it.
    assert repaired("وقال فى بيان") == "وقال فى بيان"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال «نعم» و«لا»", [(4, 8), (11, 14)]),
        ("قال »نعم« و»لا«", [(4, 8), (11, 14)]),  # both directions flipped
        ("قال »نعم» ثم «لا«", [(4, 8), (13, 16)]),
        ('قال "نعم" ثم "لا"', [(4, 8), (13, 16)]),
    ],
)
def test_repair_pairs_quote_marks_whatever_their_direction(text: str, expected: list[tuple[int, int]]) -> None:
    pairs = [(q.open, q.close) for q in pair_quotes(text)]
    assert pairs == expected


def test_repair_unclosed_quote_runs_to_paragraph_end() -> None:
    doc = khabar.analyze("قال «سنواصل العمل\nفقرة أخرى", components=["repair"])
    (pair,) = doc["quote_pairs"]
    assert pair.attrs["close"] is None
    assert doc.span_text(pair) == "«سنواصل العمل"


def test_repair_seed_pairs_twelve_guillemets_into_six_quotations(seed_text: str) -> None:
    doc = khabar.analyze(seed_text, components=["repair"])
    pairs = doc["quote_pairs"]
    assert len(pairs) == 6
    assert all(p.attrs["open"] and p.attrs["close"] for p in pairs)
    marks = sorted(i for p in pairs for i in (p.attrs["open"][0], p.attrs["close"][0]))
    assert marks == [i for i, ch in enumerate(seed_text) if ch in "«»"]
    # every quotation opens with « and closes with » in the repaired view
    assert doc.repaired.count("«") == 6 and doc.repaired.count("»") == 6
    assert "».و" not in doc.repaired


def test_repair_seed_restores_all_glued_words_and_nothing_else(seed_text: str) -> None:
    doc = khabar.analyze(seed_text, components=["repair"])
    glued = [e for e in doc.edits if e.rule == "glued_words"]
    assert len(glued) == 10
    assert "الولاياتالمتحدة" not in doc.repaired
    assert doc.repaired.count("الولايات المتحدة") == 7
    assert "إيران وكوريا" in doc.repaired
    # only spaces are inserted between letters: no other word is split
    assert all(e.start == e.end and e.replacement == " " for e in glued)
    only_glue, _ = OffsetMap.apply(seed_text, [Replacement(e.start, e.end, e.replacement) for e in glued])
    assert len(only_glue.split()) - len(seed_text.split()) == 10


# --- no harm to correct text: proclitics on quotation marks, abbreviations, entities --------


@pytest.mark.parametrize(
    "text",
    [
        "وقال مسؤول لـ«الشرق» إن الاتفاق قريب",  # tatweel-joined preposition
        "استخدمت روسيا الـ\"فيتو\" مرة أخرى",  # tatweel-joined article
        "وصف القرار بـ«التاريخي» أمس",
        "وللـ«مدرسة» دور في التربية",
        "اعتبرها كـ\"بديل\" مؤقت",
        "وقال إنه لن يقبل و«لن نتراجع» أبدا",  # a conjunction written onto the mark
        "ف«الحرية» ليست شعارا",
        "رد ب«هدوء» على الأسئلة",
        "من «الأهلي» و«الزمالك» و«الإسماعيلي»",
        "حضر ممثلو وَ«الاتحاد» الاجتماع",  # a diacritic on the conjunction
    ],
)
def test_repair_keeps_proclitics_on_their_quotation_mark(text: str) -> None:
    doc = khabar.analyze(text, components=["repair"])
    assert not any(e.replacement == " " and e.start == e.end for e in doc.edits), doc.edits
    assert doc.repaired == text.replace("\u0640", "")  # only the tatweel goes


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("وقال مسؤول لـ«الشرق» إن الاتفاق قريب", "«الشرق»"),
        ('استخدمت روسيا الـ"فيتو" مرة أخرى', '"فيتو"'),
        ("وقال و«لن نتراجع» أبدا", "«لن نتراجع»"),
        ('أوضح ل"الرياض" أن', '"الرياض"'),
    ],
)
def test_repair_pairs_marks_after_an_attached_proclitic(text: str, quoted: str) -> None:
    doc = khabar.analyze(text, components=["repair"])
    (pair,) = doc["quote_pairs"]
    assert doc.span_text(pair) == quoted


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("أكد الرئيس«سنواصل العمل» أمس", "أكد الرئيس «سنواصل العمل» أمس"),  # a word, not a proclitic
        ("قالت الوزارة«نعم»", "قالت الوزارة «نعم»"),
        ("«الأهلي»و«الزمالك»", "«الأهلي» و«الزمالك»"),  # a space after the close, none after و
    ],
)
def test_repair_still_separates_words_from_quotation_marks(raw: str, fixed: str) -> None:
    assert repaired(raw) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "توفي عام 1380 هـ في مكة",
        "في 12 رمضان 1436هـ الموافق 29 يونيو 2015م",
        "ولد سنة 1350 هـ.",
        "عام 1436 هـ، وعام 2015 مـ",
        "(1400 هـ)",
    ],
)
def test_repair_keeps_the_tatweel_of_a_standalone_abbreviation(text: str) -> None:
    doc = khabar.analyze(text, components=["repair"])
    assert doc.repaired == text
    assert not doc.edits


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("هـذا الـعـام", "هذا العام"),  # tatweel inside words still goes
        ("مـحـمـد", "محمد"),
        ("الـ«مـدرسة»", "ال«مدرسة»"),
    ],
)
def test_repair_still_deletes_tatweel_inside_words(raw: str, fixed: str) -> None:
    assert repaired(raw) == fixed


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("قال&nbsp;الوزير إن", "قال الوزير إن"),
        ("قال &nbsp;الوزير", "قال الوزير"),  # no double space
        ("قال &nbsp; الوزير", "قال الوزير"),
        ("قال&nbsp;&nbsp;&nbsp;الوزير", "قال الوزير"),
        ("قال &quot;نعم&quot; ثم غادر", 'قال "نعم" ثم غادر'),  # no space after the ;
        ("قال &#8220;نعم&#8221; ثم غادر", "قال “نعم” ثم غادر"),  # decimal
        ("قال &#x201C;نعم&#x201D; ثم غادر", "قال “نعم” ثم غادر"),  # hexadecimal
        ("قال &laquo;نعم&raquo; ثم غادر", "قال «نعم» ثم غادر"),
        ("قال &amp;quot;نعم&amp;quot; ثم", 'قال "نعم" ثم'),  # escaped twice
        ("الأهرام &amp; الأخبار", "الأهرام & الأخبار"),
        ("كلمة&zwnj;أخرى", "كلمةأخرى"),  # an invisible character, decoded, goes
        ("سعر &#1587;", "سعر س"),
        ("رمز &#0; غريب", "رمز &#0; غريب"),  # nothing to read: left alone
        ("قال &raquo;نعم&laquo; ثم", "قال «نعم» ثم"),  # flipped marks, as entities
    ],
)
def test_repair_decodes_html_entities_without_extra_spaces(raw: str, fixed: str) -> None:
    assert repaired(raw) == fixed


def test_repair_pairs_quotation_marks_written_as_entities() -> None:
    text = "وقال الوزير &#8220;سنبني المدارس&#8221; ثم غادر"
    doc = khabar.analyze(text, components=["repair"])
    (pair,) = doc["quote_pairs"]
    assert doc.span_text(pair) == "&#8220;سنبني المدارس&#8221;"
    assert text[slice(*pair.attrs["open"])] == "&#8220;"
    assert text[slice(*pair.attrs["close"])] == "&#8221;"


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("الدكتور أ.د.محمد يحاضر", "الدكتور أ.د.محمد يحاضر"),  # one-letter abbreviations stay joined
        ("ص.ب 1234", "ص.ب 1234"),
        ("انتهى الاجتماع.وقال", "انتهى الاجتماع. وقال"),
    ],
)
def test_repair_space_after_punctuation_not_inside_abbreviations(raw: str, fixed: str) -> None:
    assert repaired(raw) == fixed


# --- literal \n left by scrapers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("انتهى الاجتماع.\\nوقال الوزير إن", "انتهى الاجتماع.\nوقال الوزير إن"),
        ("انتهى الاجتماع.\\r\\nوقال الوزير", "انتهى الاجتماع.\nوقال الوزير"),
        ("الفقرة الأولى\\n\\nالفقرة الثانية", "الفقرة الأولى\n\nالفقرة الثانية"),
        ("عدد السكان 2015\\n\\r\\nوفي العام التالي", "عدد السكان 2015\n\nوفي العام التالي"),
        ("قال: \\n«لن نتراجع»", "قال: \n«لن نتراجع»"),
    ],
)
def test_repair_escaped_newline_becomes_a_line_break(raw: str, fixed: str) -> None:
    doc = khabar.analyze(raw, components=["repair"])
    assert doc.repaired == fixed
    assert {e.rule for e in doc.edits} == {"escaped_newline"}


@pytest.mark.parametrize(
    "text",
    [
        "احفظ الملف في C:\\new\\folder ثم أغلقه",  # a Windows path
        "اكتب الأمر \\newline في ملف لاتك",  # TeX
        "in C code printf(\"a\\n\") prints a line",  # no Arabic near it
        "الرمز a\\n يعني سطرا جديدا",  # a Latin letter touches it
    ],
)
def test_repair_escaped_newline_not_in_paths_code_or_tex(text: str) -> None:
    doc = khabar.analyze(text, components=["repair"])
    assert not any(e.rule == "escaped_newline" for e in doc.edits)


def test_repair_escaped_newlines_split_paragraphs_and_sentences() -> None:
    text = "أعلنت الوزارة فتح باب التسجيل\\nويستمر التسجيل أسبوعين\\nوتعلن النتائج بعد شهر"
    doc = khabar.analyze(text, components=["segment"])
    assert len(doc["paragraphs"]) == 3
    assert len(doc["sentences"]) == 3
    assert [doc.span_text(p) for p in doc["paragraphs"]] == text.split("\\n")


def test_repair_unclosed_quotation_ends_at_an_escaped_newline() -> None:
    text = "قال «سنواصل العمل\\nفقرة أخرى"
    doc = khabar.analyze(text, components=["repair"])
    (pair,) = doc["quote_pairs"]
    assert doc.span_text(pair) == "«سنواصل العمل"
