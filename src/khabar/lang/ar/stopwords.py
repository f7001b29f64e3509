"""Arabic stop words as data: function words that never lead or end a key phrase.

The list is written in the surface spellings found in news text, including the
Egyptian ones (``فى``, ``أى``, ``الى``, ``علي``). :data:`STOP_WORDS` holds every
entry *folded* (:func:`khabar.lang.ar.normalize.fold`), so membership is tested on
folded, de-cliticised words: ``وقال`` and ``فقال`` are ``قال`` once the
conjunction is split off, and ``فى``/``في`` are one entry.
"""

from __future__ import annotations

from typing import Final

from khabar.lang.ar.normalize import fold

_PARTICLES = """
في فى فيه فيها فيهم من منه منها منهم إلى الى إلي الي إليه اليه إليها على علي عليه عليها عليهم عن عنه عنها
مع معه معها لدى لدي عند عندما حتى حتي منذ مذ خلال بين بينما ضد نحو حول دون سوى سوي غير عبر لدن تجاه إزاء
أن ان إن أنه انه إنه أنها انها إنها أنهم انهم لأن لان كأن لكن لكنه لكنها ولكن بل أو او أم ام ثم إذ اذ إذا اذا
إذن لو لولا لما كلما كي لكي لئلا كيف أين اين متى متي ماذا لماذا هل ما ماذا مما ممن لم لن لا ليس ليست لست
قد لقد سوف كل كلا كلتا بعض أي أى اي ايا أيا أية اية مثل مثلا بعد قبل فوق تحت أمام امام وراء خلف أثناء اثناء
عدة عدم جدا أيضا ايضا فقط تقريبا حيث حين حينما بينهما إلا الا إما اما ربما لعل عسى كذلك هكذا هنا هناك هنالك
ثمة بشأن بشان وفق وفقا طبقا ضمن لدي جراء إثر اثر عقب لأجل اجل أجل نتيجة بسبب رغم برغم مقابل حوالي نحو قرابة
يا أيها ايها فإن فان وإن وان بأن بان لأنه لانه كما بما فيما ريثما طالما أما لذا لذلك لهذا وبالتالي بالتالي
"""

_PRONOUNS = """
هو هي هم هن هما أنا انا نحن أنت انت أنتم انتم أنتن انتن أنتما انتما إياه اياه إياها اياها إياهم اياهم
هذا هذه هذان هذين هاتان هاتين هؤلاء ذلك ذاك تلك أولئك اولئك الذي التي الذين اللذان اللتان اللواتي اللاتي
اللتين اللذين من ما نفس ذات ذاته ذاتها نفسه نفسها نفسهم أنفسهم انفسهم بعضهم بعضها كلهم كلها جميع جميعا
"""

_AUXILIARIES = """
كان كانت كانوا كن يكون تكون يكونون تكونان كنا كنت أصبح اصبح أصبحت اصبحت يصبح تصبح بات باتت ظل ظلت يظل
مازال ما زال لازال لا زال مازالت لايزال لا يزال لاتزال لا تزال صار صارت يصير أضحى اضحى أمسى امسى ليس ليسوا
عاد عادت يعود تعود بدأ بدا بدأت بدات يبدأ يبدا تبدأ تبدا أخذ اخذ أخذت اخذت جعل يجب يمكن يمكنه يمكنها تم تمت
يتم ستتم سيتم وكان وكانت
"""

_REPORTING = """
قال قالت قالوا يقول تقول أضاف اضاف أضافت اضافت يضيف تضيف أكد اكد أكدت اكدت يؤكد تؤكد مؤكدا مؤكدة أشار اشار
أشارت اشارت يشير تشير مشيرا مشيرة أوضح اوضح أوضحت اوضحت يوضح توضح موضحا موضحة ذكر ذكرت يذكر تذكر ذكرها
أعلن اعلن أعلنت اعلنت يعلن تعلن لفت لفتت أفاد افاد أفادت افادت يفيد أبلغ ابلغ أبلغت ابلغت أوضحوا تابع تابعت
أردف اردف أردفت اردفت أعرب اعرب أعربت اعربت صرح صرحت يصرح بين بينت أفادت نقل نقلت وقال وأضاف واضاف
وأكد واكد وأشار واشار
"""

_NUMBER_WORDS = """
صفر واحد واحدة أحد احد إحدى احدى اثنان اثنين اثنتان اثنتين ثلاث ثلاثة أربع اربع أربعة اربعة خمس خمسة ست ستة
سبع سبعة ثمان ثماني ثمانية تسع تسعة عشر عشرة عشرون عشرين ثلاثون ثلاثين أربعون اربعون أربعين اربعين خمسون
خمسين ستون ستين سبعون سبعين ثمانون ثمانين تسعون تسعين مئة مائة مئات مائتي مائتين مئتي مئتين ألف الف آلاف
الاف ألفين الفين مليون ملايين مليار مليارات أول اول أولى اولى ثاني ثانية ثالث ثالثة رابع رابعة خامس خامسة
نصف ربع ثلث
"""

_TIME_AND_FILLERS = """
اليوم أمس امس غدا الآن الان حاليا مؤخرا أي اى خاصة خاصه إضافة اضافة بالإضافة بالاضافة
فضلا علاوة كافة كافه أكثر اكثر أقل اقل أكبر اكبر معظم أغلب اغلب أحيانا احيانا دائما أبدا ابدا ذو ذا ذي
ذوي لدى لها له لهم لهن لهما بها به بهم بهن عليهما منهما عنهم عنهما وهو وهي وهم وهذا وهذه وذلك وتلك فهو فهي
"""

_LATIN = "the a an of in on at to for and or is are was were be by with from as that this it its"


def _entries(*blocks: str) -> frozenset[str]:
    """Fold every whitespace-separated entry of ``blocks`` (the lists above may repeat a word)."""
    return frozenset(fold(word).lower() for block in blocks for word in block.split())


STOP_WORDS: Final[frozenset[str]] = _entries(
    _PARTICLES, _PRONOUNS, _AUXILIARIES, _REPORTING, _NUMBER_WORDS, _TIME_AND_FILLERS, _LATIN
)


def is_stop_word(folded: str) -> bool:
    """True when the folded word ``folded`` is a stop word (pass folded text: ``fold(w)``)."""
    return folded in STOP_WORDS


# Words that are no key phrase alone or together (a phrase made only of them is dropped), kept
# apart from STOP_WORDS, which the segmenter's evidence also reads: ``الله`` alone and the words
# of a date (``يوم الأربعاء``, ``الموافق``, months; not the Hijri months: ``رمضان`` and ``الحج``
# are what news is about). (The links of a genealogy, ``بن``, are keywords' own rule.)
_NOT_KEY_PHRASES = """
الله يوم أيام ايام الموافق الموافقة موافق موافقة صباح مساء ظهر هـ م ه
السبت الأحد الاحد الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة
سبت أحد احد اثنين ثلاثاء أربعاء اربعاء خميس جمعة
يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر
كانون شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين
"""

#: folded words that make no key phrase on their own (:mod:`khabar.components.keywords`)
NOT_KEY_PHRASES: Final[frozenset[str]] = _entries(_NOT_KEY_PHRASES)
