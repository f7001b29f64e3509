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
from importlib import resources

from khabar.lang.ar.normalize import fold


def folded_words(words: str) -> frozenset[str]:
    """Folded forms of space-separated words."""
    return frozenset(fold(w) for w in words.split())


_folded = folded_words


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
    complement: tuple[str, ...] = ()  # folded prepositions whose phrase is the content (دعا إلى)
    flags: frozenset[str] = frozenset()  # "object", "ba-object" (see speech_verbs.tsv)


# "يذكر أن" / "يعتبر" are journalistic formulas ("it is worth noting", "is considered"), not speech.
# The verbs are data: ``khabar/data/speech_verbs.tsv`` (lemma, forms by gender, participles, the
# prepositions before أن, the prepositional complement that is the content, flags), read on first use.
VERBS_FILE = "speech_verbs.tsv"


@dataclass(frozen=True, slots=True)
class VerbEntry:
    """One line of the verb lexicon."""

    lemma: str
    masculine: tuple[str, ...]
    feminine: tuple[str, ...]
    plural: tuple[str, ...]
    participles: tuple[str, str, str]  # m, f, p ("" for none)
    preps: tuple[str, ...]  # before the complementizer: أشار إلى أن
    complement: tuple[str, ...]  # the content is this preposition's phrase: دعا إلى, حث على, اتهم بـ
    flags: frozenset[str]
    clitic_only: tuple[str, ...] = ()


def _cells(cell: str) -> tuple[str, ...]:
    return tuple(w for w in cell.split() if w != "-")


def parse_verbs(text: str) -> tuple[VerbEntry, ...]:
    """The entries of a verb lexicon in the TSV format of ``speech_verbs.tsv`` (``#`` lines are comments).

    Raises ValueError on a line that does not have 10 tab-separated cells.
    """
    out: list[VerbEntry] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 10:
            raise ValueError(f"{VERBS_FILE} line {n}: {len(cells)} cells, expected 10")
        lemma, masc, fem, plur, pm, pf, pp, preps, comp, flags = cells
        parts = tuple("" if c.strip() in ("", "-") else c.strip() for c in (pm, pf, pp))
        words = flags.split()
        clitic_only = tuple(w.split(":", 1)[1] for w in words if w.startswith("clitic-only-m:"))
        out.append(
            VerbEntry(
                lemma.strip(),
                _cells(masc),
                _cells(fem),
                _cells(plur),
                (parts[0], parts[1], parts[2]),
                tuple(fold(w) for w in _cells(preps)),
                tuple(fold(w) for w in _cells(comp)),
                frozenset(w for w in words if ":" not in w),
                clitic_only,
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def verbs() -> tuple[VerbEntry, ...]:
    """The verb lexicon shipped with khabar (read once)."""
    return parse_verbs(resources.files("khabar").joinpath("data", VERBS_FILE).read_text(encoding="utf-8"))


# Source phrases: one token (``بحسب``) or a token plus what must follow (``وفقا`` + ل...).
SOURCE_WORDS = ("بحسب", "حسب", "حسبما")
# Two-token sources: first word -> a required start of the next token.
SOURCE_PAIRS = {"وفقا": "ل", "طبقا": "ل", "نقلا": "عن", "وفق": "ما", "علي": "لسان"}
# "على حد قوله/تعبيره/وصفه": attributes the preceding quotation to the last speaker.
AS_HE_SAID = ("قوله", "قولها", "تعبيره", "تعبيرها", "وصفه", "وصفها", "قولهم", "تعبيرهم")

# Naming verbs with their object pronoun: 'ما أسماه بـ"فنادق الأشباح"' quotes the speaker's words for it.
NAMING_VERBS = _folded(
    "أسماه أسماها أسموه أسمته سماه سماها سمته سموه يسميه يسميها تسميه تسميها يسمونه وصفه وصفها وصفته "
    "وصفوه يصفه يصفها تصفه تصفها اعتبره اعتبرها"
)
# Documents: "بيان لنقابة المعلمين" names the organisation after ل as the speaker.
DOCUMENTS = _folded("بيان تقرير رسالة تغريدة منشور تصريح كلمة مقال")
# Data are not speakers: "بحسب الإحصاءات الرسمية" is not a quotation.
DATA_WORDS = _folded(
    "الإحصاءات إحصاءات الإحصائيات إحصائيات بيانات البيانات الأرقام أرقام التقديرات تقديرات "
    "النتائج نتائج الجدول المؤشرات مؤشرات الدراسات دراسات الأبحاث أبحاث التوقعات السجلات القانون قانون النظام الخطة التوقيت "
    "الترتيب التصنيف قرار القرار توجيهات التوجيهات تعليمات التعليمات لائحة اللائحة الأنظمة الأنظمه"
)
# Subjects of a speech verb that are data, not a source ("وتفيد الأرقام أن"); البيانات may be statements.
DATA_SUBJECTS = _folded(
    "الإحصاءات إحصاءات الإحصائيات إحصائيات الأرقام أرقام المؤشرات مؤشرات التقديرات تقديرات النتائج نتائج"
)
# Bodies that speak (folded, with and without the article): a subject headed by one is a speaker.
SPEAKING_BODIES = _folded(
    "الوزارة وزارة الهيئة هيئة الشركة شركة المنظمة منظمة اللجنة لجنة المجلس مجلس الجمعية جمعية "
    "الحكومة حكومة الرئاسة رئاسة الإدارة إدارة الأمانة أمانة البلدية بلدية المديرية مديرية النيابة "
    "المحكمة الجامعة جامعة الاتحاد اتحاد النادي نادي الحزب حزب الحركة حركة الجماعة جماعة المعهد معهد "
    "المركز مركز الصحيفة صحيفة الوكالة وكالة القناة قناة البنك بنك السفارة سفارة الأمم الشرطة الجيش "
    "الدفاع المتحدث الناطق المسؤول المسؤولون المصادر مصادر المشاركون مشاركون خبراء الخبراء "
    "الباحثون باحثون المعارضة السلطات سلطات ممثلو ممثلون المواطنون مواطنون السكان سكان الأهالي أهالي"
)
DEMONSTRATIVES = _folded("هذا هذه هؤلاء ذلك تلك أولئك هذان هاتان")
# Quantifiers that head an object, not a speaker ("ودعا جميع المستفيدين إلى").
QUANTIFIERS = _folded("جميع كافة كل")
# Words that end a reported clause: narrator add-ons ("، وذلك في ..."), a new clause ("لكنه أكد").
CLAUSE_BREAKS = _folded("وذلك لكنه ولكنه لكنها ولكنها لكنهم ولكنهم")
# After a comma these words open a new clause of the narrator ("، كما أعلن", "، فيما بدأت"), unless
# the next word makes them part of the reported one ("فيما يتعلق بـ", "كما هو الحال").
CLAUSE_JOINERS = _folded("كما وكما فيما وفيما بينما وبينما")
NOT_AFTER_JOINER = _folded("يتعلق يخص يلي هو هي كان كانت يتم سيتم")
# Words shaped like verbs that are not ("، وأكثر من ذلك", "، ويوم الجمعة"), for the clause-end test.
NOT_VERBS = _folded("أكثر أقل أهم أبرز أول أخرى آخر أيضا يوم يومي أي أيا إلي اليوم أمس أحد أمام اثر")
# After a comma, these open the narrator's own clause ("، وكانت طهران قد شهدت", "، وهو إجراء", "، وتم").
NARRATIVE_AFTER_COMMA = _folded("وكان وكانت وكانوا وهو وهي وهم وتم ويأتي وتأتي بعدما وجاء يذكر ويذكر")
# Prepositional add-ons of the narrator after a quotation ("في إشارة إلى", "في رده على", "خلال مؤتمر").
NARRATOR_AFTER_FI = _folded(
    "إشارة رده ردها ردهم تغريدة بيان مقابلة حديث تصريح تصريحات كلمة مؤتمر لقاء اتصال أعقاب سياق "
    "معرض إطار ختام رسالة منشور"
)
NARRATOR_PREPS = _folded("خلال عبر أمام لدى عقب إثر بعد قبل بعدما عندما حين حيث وسط وذلك")

# Prepositions with a pronoun right after a speech verb ("قال لي", "أكدت فيه"): never the speaker.
PREP_PRONOUNS = frozenset(
    fold(p + suffix)
    for p in ("في", "ل", "عن", "من", "إلي", "علي", "مع", "ب", "خلال", "عبر", "لدي")
    for suffix in ("ه", "ها", "هم", "هما", "ي", "نا", "ك", "كم")
) | _folded("لي فيي مني عني معي بي")
# Verbs that issue a statement, letter or interview ("أصدرت الوزارة بيانا أكدت فيه"), folded.
ISSUE_VERBS = _folded(
    "أصدر أصدرت أصدروا نشر نشرت نشروا وجه وجهت بعث بعثت أرسل أرسلت ألقى ألقت أجرى أجرت عقد عقدت "
    "بث بثت أذاع أذاعت وزع وزعت"
)
# Honorific pronouns ("وقال سموه", "وأكد معاليه"): the speaker is the person named before.
HONORIFIC_PRONOUNS = _folded("سموه سموها معاليه معاليها فخامته فضيلته سماحته جلالته فخامتها")
# Particles that stand before a verb, never a subject ("ولا يكاد", "فقد كتب", "لم يعد").
PARTICLES = _folded("لا ولا فلا لم ولم فلم لن ولن قد وقد فقد لقد ما وما سوف وسوف كما")
# Nouns of a statement, interview or letter whose issuer speaks in "... أكدت فيه أن" (folded, no article).
STATEMENTS = _folded(
    "بيان بيانا تقرير تقريرا رسالة رسالته رسالتها تصريح تصريحا تصريحات كلمة كلمته كلمتها مقابلة حوار حوارا "
    "حديث حديثا مؤتمر مؤتمرا تغريدة منشور مقال مقالا خطاب خطابا خطبة دراسة مذكرة"
)
# Definite adjectives that end a speaker phrase, not an object after it ("الأمين العام").
ADJECTIVES = _folded("العام العامة الرسمي الرسمية الأول الأعلى التنفيذي التنفيذية الجديد السابق السابقة")
# Words that follow a speech verb without naming the speaker ("وتابع قوله", "قالتا مازحتين").
NOT_SPEAKERS = _folded("قوله قولها قولهم حديثه حديثها كلامه كلامها تصريحه تصريحها مازحا مازحة")
# Words that open a clause before a preverbal subject ("لكن بوتين ومسؤولي فيفا قالوا").
CLAUSE_OPENERS = _folded("لكن ولكن بينما فيما حيث إذ كما ثم بعدما عندما حين بل و أما")
RELATIVES = _folded("الذي التي الذين اللذين اللتين اللواتي والذي والتي والذين")
# Openers of a sentence that are not its verb ("ومن جانبه،", "وفي سياق متصل،", "بدوره،").
DISCOURSE_OPENERS = _folded("من ومن في وفي بدوره بدورها وبدوره وبدورها إلى وإلى على وعلى وحول حول")

_TOPIC_PREPS = _folded("عن حول بشأن بخصوص في على من إلى الى لدى")


def is_topic_opener(folded_token: str) -> bool:
    """True for a preposition that opens a topic phrase before a verb (``وعن``, ``وحول``, ``بشأن``)."""
    bare = folded_token[1:] if folded_token[:1] in ("و", "ف") and len(folded_token) > 2 else folded_token
    return folded_token in _TOPIC_PREPS or bare in _TOPIC_PREPS


# "من جهته"/"من جانبهم": the side words of an opener that may come without its comma.
SIDE_WORDS = _folded("جانبه جانبها جانبهم جهته جهتها جهتهم ناحيته ناحيتها طرفه طرفها")

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
    "الثلاثاء الأربعاء الخميس الجمعة السبت الآن قد لقد حينئذ وقتها عندئذ"
)
# Nouns that name a work or a label: a quotation right after them is a title, not speech.
NAMING_NOUNS = _folded(
    "صحيفة صحيفه جريدة مجلة وكالة قناة موقع كتاب كتابه رواية فيلم مسلسل برنامج أغنية مسرحية "
    "بعنوان عنوان شعار وسم هاشتاق هاشتاغ حملة مبادرة مشروع عملية تنظيم حركة جماعة حزب شركة "
    "تطبيق مهرجان معرض ملتقى مؤتمر جائزة اسم لقب مصطلح كلمة عبارة وصف تسمية يسمى تسمى المسمى "
    "المسماة المعروف المعروفة نادي"
)
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
            table.setdefault(
                clitic + key, Cue(cue.lemma, cue.kind, cue.gender, cue.preps, 1, cue.complement, cue.flags)
            )

    for e in verbs():
        for forms, gender in ((e.masculine, "m"), (e.feminine, "f"), (e.plural, "p")):
            for form in forms:
                add(form, Cue(e.lemma, VERB, gender, e.preps, 0, e.complement, e.flags))
        for form, gender in zip(e.participles, ("m", "f", "p"), strict=True):
            add(form, Cue(e.lemma, PARTICIPLE, gender, e.preps, 0, e.complement, e.flags))
        for form in e.clitic_only:
            add(form, Cue(e.lemma, VERB, "m", e.preps, 0, e.complement, e.flags), clitic_only=True)
    for form in SOURCE_WORDS:
        add(form, Cue(form, SOURCE, ""))
    return table


@lru_cache(maxsize=8)
def lemmas_with(flag: str) -> frozenset[str]:
    """Lemmas whose lexicon line carries ``flag`` ("object", "ba-object")."""
    return frozenset(e.lemma for e in verbs() if flag in e.flags)


def lookup(folded_token: str) -> Cue | None:
    """The cue for a folded token (``وقالت`` -> قال, verb, f, clitic 1), or None."""
    return cue_table().get(folded_token)
