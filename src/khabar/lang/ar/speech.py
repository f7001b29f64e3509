"""Reported-speech cues as data: speech verbs, their participles and source phrases.

Each verb is listed with its forms (past and present, masculine, feminine and
plural) and the circumstantial participle that continues a clause (``قائلا``,
``مشيرة``). Lookup is on folded forms (:func:`khabar.lang.ar.normalize.fold`:
hamza forms, ى/ي, ة/ه and diacritics), so ``رأى``/``رأي``, ``أضاف``/``اضاف`` and
``قائلاً``/``قائلا`` all match; the clitics و and ف are added here.

Everything is built on first use (no work at import).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from khabar.lang.ar.normalize import fold


def _folded(words: str) -> frozenset[str]:
    """Folded forms of space-separated words."""
    return frozenset(fold(w) for w in words.split())


# Kinds of cue.
VERB = "verb"  # finite verb; the speaker is its subject (VSO: after it)
PARTICIPLE = "participle"  # continues a clause; the speaker is the subject of that clause
SOURCE = "source"  # "according to X": the speaker follows


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue form: ``lemma`` (3rd person masculine past), ``kind``, ``gender`` (m, f, p or "")."""

    lemma: str
    kind: str
    gender: str
    preps: tuple[str, ...] = ()  # folded prepositions that may precede the complementizer
    clitic: int = 0  # length of the و/ف clitic at the start of the surface form


# "يذكر أن" / "يعتبر" are journalistic formulas ("it is worth noting", "is considered"), not speech.
# lemma -> (masculine forms, feminine forms, plural forms, participles m/f/p, prepositions before أن).
# Forms are written as in careful news Arabic; folding takes care of careless spellings.
_VERBS: tuple[
    tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, str, str], tuple[str, ...]], ...
] = (
    ("قال", ("قال", "يقول"), ("قالت", "تقول"), ("قالوا", "يقولون", "قالا", "قالتا"), ("قائلا", "قائلة", "قائلين"), ()),
    ("أضاف", ("أضاف", "يضيف"), ("أضافت", "تضيف"), ("أضافوا",), ("مضيفا", "مضيفة", "مضيفين"), ()),
    ("أكد", ("أكد", "يؤكد"), ("أكدت", "تؤكد"), ("أكدوا",), ("مؤكدا", "مؤكدة", "مؤكدين"), ("على",)),
    ("أوضح", ("أوضح", "يوضح"), ("أوضحت", "توضح"), ("أوضحوا",), ("موضحا", "موضحة", "موضحين"), ()),
    ("أشار", ("أشار", "يشير"), ("أشارت", "تشير"), ("أشاروا",), ("مشيرا", "مشيرة", "مشيرين"), ("إلى",)),
    ("أعلن", ("أعلن", "يعلن"), ("أعلنت", "تعلن"), ("أعلنوا",), ("معلنا", "معلنة", "معلنين"), ("عن",)),
    ("صرح", ("صرح",), ("صرحت",), ("صرحوا",), ("مصرحا", "مصرحة", "مصرحين"), ()),
    ("كتب", ("كتب",), ("كتبت",), ("كتبوا",), ("", "", ""), ()),
    ("ذكر", ("ذكر",), ("ذكرت", "تذكر"), ("ذكروا",), ("ذاكرا", "ذاكرة", ""), ()),
    ("تابع", ("تابع",), ("تابعت",), ("تابعوا",), ("", "", ""), ()),
    ("تعهد", ("تعهد", "يتعهد"), ("تعهدت", "تتعهد"), ("تعهدوا",), ("متعهدا", "متعهدة", "متعهدين"), ()),
    ("اعتبر", ("اعتبر",), ("اعتبرت",), ("اعتبروا",), ("معتبرا", "معتبرة", "معتبرين"), ()),
    ("رأى", ("رأى", "يرى"), ("رأت", "ترى"), ("رأوا",), ("", "", ""), ()),
    ("شدد", ("شدد", "يشدد"), ("شددت", "تشدد"), ("شددوا",), ("مشددا", "مشددة", "مشددين"), ("على",)),
    ("لفت", ("لفت",), ("لفتت",), ("لفتوا",), ("لافتا", "لافتة", "لافتين"), ("إلى",)),
    ("نفى", ("نفى", "ينفي"), ("نفت", "تنفي"), ("نفوا",), ("نافيا", "نافية", "نافين"), ()),
    ("كشف", ("كشف", "يكشف"), ("كشفت", "تكشف"), ("كشفوا",), ("كاشفا", "كاشفة", "كاشفين"), ("عن",)),
    ("أفاد", ("أفاد", "يفيد"), ("أفادت", "تفيد"), ("أفادوا",), ("", "", ""), ()),
    ("بين", ("أبان",), ("بينت", "أبانت"), ("بينوا",), ("مبينا", "مبينة", "مبينين"), ()),
    ("نقل", ("نقل",), ("نقلت",), ("نقلوا",), ("", "", ""), ()),
    ("حذر", ("حذر", "يحذر"), ("حذرت", "تحذر"), ("حذروا",), ("محذرا", "محذرة", "محذرين"), ("من",)),
    ("أردف", ("أردف",), ("أردفت",), ("",), ("", "", ""), ()),
    ("استطرد", ("استطرد",), ("استطردت",), ("",), ("", "", ""), ()),
    ("اختتم", ("اختتم",), ("اختتمت",), ("",), ("", "", ""), ()),
    ("نوه", ("نوه",), ("نوهت",), ("",), ("منوها", "منوهة", ""), ("إلى",)),
    ("أقر", ("أقر",), ("أقرت",), ("أقروا",), ("", "", ""), ()),
    ("اعترف", ("اعترف",), ("اعترفت",), ("اعترفوا",), ("معترفا", "معترفة", ""), ()),
    ("زعم", ("زعم", "يزعم"), ("زعمت", "تزعم"), ("زعموا",), ("زاعما", "زاعمة", ""), ()),
    ("أبلغ", ("أبلغ",), ("أبلغت",), ("أبلغوا",), ("", "", ""), ()),
    ("أعرب", ("",), ("",), ("",), ("معربا", "معربة", ""), ("عن",)),
    ("وصف", ("وصف",), ("وصفت",), ("وصفوا",), ("واصفا", "واصفة", "واصفين"), ()),
    ("علق", ("علق",), ("علقت",), ("علقوا",), ("معلقا", "معلقة", ""), ()),
    ("توقع", ("توقع",), ("توقعت",), ("توقعوا",), ("متوقعا", "متوقعة", ""), ()),
    ("استشهد", ("استشهد",), ("استشهدت",), ("",), ("مستشهدا", "مستشهدة", ""), ()),
    ("استنتج", ("استنتج",), ("استنتجت",), ("",), ("", "", ""), ()),
    ("تساءل", ("تساءل", "يتساءل"), ("تساءلت", "تتساءل"), ("تساءلوا",), ("متسائلا", "متسائلة", ""), ()),
)

# Forms that only count with the و/ف clitic (bare ``بين`` is the preposition "between").
_CLITIC_ONLY = {"بين": ("m",)}

# Source phrases: one token (``بحسب``) or a token plus what must follow (``وفقا`` + ل...).
SOURCE_WORDS = ("بحسب", "حسب", "حسبما")
# Two-token sources: first word -> a required start of the next token.
SOURCE_PAIRS = {"وفقا": "ل", "طبقا": "ل", "نقلا": "عن", "وفق": "ما", "علي": "لسان"}
# "على حد قوله/تعبيره/وصفه": attributes the preceding quotation to the last speaker.
AS_HE_SAID = ("قوله", "قولها", "تعبيره", "تعبيرها", "وصفه", "وصفها", "قولهم", "تعبيرهم")

# Documents: "بيان لنقابة المعلمين" names the organisation after ل as the speaker.
DOCUMENTS = _folded("بيان تقرير رسالة تغريدة منشور تصريح كلمة مقال")
# Data are not speakers: "بحسب الإحصاءات الرسمية" is not a quotation.
DATA_WORDS = _folded(
    "الإحصاءات إحصاءات الإحصائيات إحصائيات بيانات البيانات الأرقام أرقام التقديرات تقديرات "
    "النتائج نتائج الجدول المؤشرات مؤشرات التوقعات السجلات القانون قانون النظام الخطة التوقيت "
    "الترتيب التصنيف قرار القرار"
)
# Words that end a reported clause: narrator add-ons ("، وذلك في ..."), a new clause ("لكنه أكد").
CLAUSE_BREAKS = _folded("وذلك لكنه ولكنه لكنها ولكنها لكنهم ولكنهم")
# After a comma, these open the narrator's own clause ("، وكانت طهران قد شهدت", "، وهو إجراء", "، وتم").
NARRATIVE_AFTER_COMMA = _folded("وكان وكانت وكانوا وهو وهي وهم وتم ويأتي وتأتي بعدما وجاء يذكر ويذكر")
# Prepositional add-ons of the narrator after a quotation ("في إشارة إلى", "في رده على", "خلال مؤتمر").
NARRATOR_AFTER_FI = _folded(
    "إشارة رده ردها ردهم تغريدة بيان مقابلة حديث تصريح تصريحات كلمة مؤتمر لقاء اتصال أعقاب سياق "
    "معرض إطار ختام رسالة منشور"
)
NARRATOR_PREPS = _folded("خلال عبر أمام لدى عقب إثر بعد قبل بعدما عندما حين حيث وسط وذلك")

# Words that follow a speech verb without naming the speaker ("وتابع قوله", "قالتا مازحتين").
NOT_SPEAKERS = _folded("قوله قولها قولهم حديثه حديثها كلامه كلامها تصريحه تصريحها مازحا مازحة")
# Words that open a clause before a preverbal subject ("لكن بوتين ومسؤولي فيفا قالوا").
CLAUSE_OPENERS = _folded("لكن ولكن بينما فيما حيث إذ كما ثم بعدما عندما حين بل و أما")
RELATIVES = _folded("الذي التي الذين اللذين اللتين اللواتي")
# Openers of a sentence that are not its verb ("ومن جانبه،", "وفي سياق متصل،", "بدوره،").
DISCOURSE_OPENERS = _folded("من ومن في وفي بدوره بدورها وبدوره وبدورها إلى وإلى على وعلى وحول حول")

# Complementizers introducing reported content (folded), with attached pronouns.
_PRONOUNS = ("", "ه", "ها", "هم", "هما", "هن", "ني", "نا", "ك", "كم")
COMPLEMENTIZERS = frozenset(fold(base + p) for base in ("أن", "إن", "بأن", "فإن") for p in _PRONOUNS)
# Words after which أن/إن is a conjunction, not a complementizer ("بعد أن التقى").
NOT_BEFORE_COMPLEMENTIZER = _folded(
    "بعد قبل منذ دون بدون حتى إلا بدل بدلا عوضا لابد يجب يمكن ينبغي أجل كي لكي ما لا إما"
)

# Prepositions and adverbs that end a speaker phrase (folded).
PREPOSITIONS = _folded(
    "في فى على عن من إلى الى خلال عبر أمام لدى مع منذ بعد قبل أثناء عقب إثر حول ضمن تجاه عند "
    "بين وسط لـ ل بـ ب كـ ك داخل خارج قرب نحو بحق ضد"
)
TIME_WORDS = _folded(
    "أمس اليوم الليلة غدا مساء صباح ظهر أيضا كذلك مجددا أخيرا سابقا حينها الأحد الاثنين الإثنين "
    "الثلاثاء الأربعاء الخميس الجمعة السبت الآن قد لقد"
)
# Nouns that name a work or a label: a quotation right after them is a title, not speech.
NAMING_NOUNS = _folded(
    "صحيفة صحيفه جريدة مجلة وكالة قناة موقع كتاب كتابه رواية فيلم مسلسل برنامج أغنية مسرحية "
    "بعنوان عنوان شعار وسم هاشتاق هاشتاغ حملة مبادرة مشروع عملية تنظيم حركة جماعة حزب شركة "
    "تطبيق مهرجان معرض ملتقى مؤتمر جائزة اسم لقب مصطلح كلمة عبارة وصف تسمية يسمى تسمى المسمى "
    "المسماة المعروف المعروفة نادي"
)
# Verbs whose reported content can be a ب phrase ("تعهدت الحكومة بخفض الأسعار").
BA_COMPLEMENT = frozenset({"تعهد"})
# Anonymous and collective sources that head a speaker phrase (folded).
ANONYMOUS = _folded(
    "مصدر مصادر المصدر المصادر مسؤول مسؤولة مسؤولون مسؤولين المسؤول مسئول مسئولون شهود شاهد "
    "سكان مراقبون خبراء محللون دبلوماسي دبلوماسيون ناشطون ناشط مواطنون بيان البيان تقرير "
    "التقرير الوكالة الوزارة الحكومة الشرطة الجيش مراسل أحد"
)
# Words that open a title or role before a name (folded), for "المتحدثة باسم ...، سارة ساندرز".
TITLE_WORDS = _folded(
    "الرئيس رئيس رئيسة الزعيم زعيم وزير وزيرة الوزير الوزيرة الملك الأمير الشيخ المتحدث "
    "المتحدثة متحدث متحدثة الناطق الناطقة السفير سفير المبعوث الأمين مدير مديرة المدير المديرة "
    "نائب قائد القائد الجنرال اللواء العميد العقيد المستشار مستشار الدكتور الدكتورة السيد "
    "السيدة المرشح المرشحة عضو محافظ المحافظ الخبير المحلل الكاتب الكاتبة المدرب اللاعب النجم "
    "النجمة أستاذ الأستاذ رئيسة"
)


@lru_cache(maxsize=1)
def cue_table() -> dict[str, Cue]:
    """Folded surface form (with و/ف clitics) -> :class:`Cue`, built on first use."""
    table: dict[str, Cue] = {}

    def add(form: str, cue: Cue, clitic_only: bool = False) -> None:
        if not form:
            return
        key = fold(form)
        if not clitic_only:
            table.setdefault(key, cue)
        for clitic in ("و", "ف"):
            table.setdefault(clitic + key, Cue(cue.lemma, cue.kind, cue.gender, cue.preps, 1))

    for lemma, masc, fem, plur, parts, preps in _VERBS:
        folded_preps = tuple(fold(p) for p in preps)
        for forms, gender in ((masc, "m"), (fem, "f"), (plur, "p")):
            for form in forms:
                add(form, Cue(lemma, VERB, gender, folded_preps))
        for form, gender in zip(parts, ("m", "f", "p"), strict=True):
            add(form, Cue(lemma, PARTICIPLE, gender, folded_preps))
    for form in _CLITIC_ONLY:
        add(form, Cue(form, VERB, "m"), clitic_only=True)
    for form in SOURCE_WORDS:
        add(form, Cue(form, SOURCE, ""))
    return table


def lookup(folded_token: str) -> Cue | None:
    """The cue for a folded token (``وقالت`` -> قال, verb, f, clitic 1), or None."""
    return cue_table().get(folded_token)
