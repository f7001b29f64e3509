"""Religious formulas, name-trailing titles and facility nouns: Arabic knowledge as data.

Used by :mod:`khabar.components.entity_consistency` to keep the entities of one article
consistent. Every list is written by hand for khabar; entries are in ordinary spelling and
are compared folded (:func:`khabar.lang.ar.normalize.fold`).
"""

from __future__ import annotations

from typing import Final

from khabar.lang.ar.normalize import fold


def _folded(words: str) -> frozenset[str]:
    return frozenset(" ".join(fold(item).split()) for item in words.split("،") if item.strip())


# Formulas written after a name (``الملك سلمان - حفظه الله -``, ``الشيخ ... رحمه الله``) or
# after the Prophet's name: never a person, never part of one.
RELIGIOUS_FORMULAS: Final = _folded(
    """
    الله، رحمه الله، رحمها الله، رحمهم الله، رحمهما الله، يرحمه الله، حفظه الله، حفظها الله، حفظهم الله،
    حفظهما الله، رعاه الله، رعاها الله، أيده الله، وفقه الله، سلمه الله، شفاه الله، تغمده الله، رضي الله عنه،
    رضي الله عنها، رضي الله عنهم، رضي الله عنهما، صلى الله عليه وسلم، صلى الله عليه وآله وسلم، عليه السلام،
    عليها السلام، عليهم السلام، جل جلاله، عز وجل، سبحانه وتعالى، تبارك وتعالى، طيب الله ثراه، غفر الله له،
    عفا الله عنه، أطال الله عمره، أعزه الله، نصره الله، العلي القدير، الله العلي القدير، رب العالمين،
    الله تعالى، الله عز وجل، الله سبحانه، المولى عز وجل، الباري عز وجل
    """
)

# Common nouns that head the name of a drug, a disease or a virus (``عقار روزجليتازون``): never a person.
NON_PERSON_HEADS: Final = _folded("عقار، عقاري، دواء، لقاح، فيروس، مرض، متلازمة، سلالة، مبيد، مركب")

# Words that start a title or office written AFTER a name (``محمد بن سلمان ولي ولي العهد``):
# a person's name ends before them.
TRAILING_TITLES: Final = _folded(
    """
    ولي، ولي العهد، ولي ولي العهد، وزير، وزيرة، رئيس، رئيسة، نائب، أمير، الأمير، الملك، خادم، أمين، مدير،
    مديرة، سفير، محافظ، قائد، المتحدث، الناطق، رئيس مجلس، عضو، مستشار، مستشارة
    """
)

# Titles written before a name, dropped when names are compared across documents (``الملك سلمان``).
LEADING_TITLES: Final = _folded(
    """
    الملك، الأمير، الأميرة، الشيخ، الشيخة، الرئيس، السلطان، الإمام، الدكتور، الدكتورة، د.، المهندس، اللواء،
    العميد، الفريق، العقيد، السيد، السيدة، سمو، صاحب، معالي، فضيلة
    """
)

# Words of titles, ranks and forms of address (``ولي العهد``, ``سمو``, ``الفريق أول``): a "person"
# made of these words alone is a description, not a name. Words that are also common given
# names (أمين، أمير، سلطان) are not here.
TITLE_WORDS: Final = frozenset(
    w[2:] if w.startswith("ال") and len(w) > 3 else w
    for w in _folded(
        """
        ولي، العهد، الملك، الملكة، الأمير، الأميرة، الملكي، الشيخ، الشيخة، الرئيس، رئيس، رئيسة، الوزير، وزير،
        وزيرة، نائب، العاهل، خادم، الحرمين، الشريفين، سمو، السمو، سموه، صاحب، جلالة، فخامة، معالي، سعادة، دولة،
        فضيلة، سماحة، الإمام، الدكتور، دكتور، الدكتورة، د.، المهندس، اللواء، العميد، الفريق، العقيد، المشير،
        ركن، أول، السيد، السيدة، الوزراء، العام، المتحدث، الناطق، المستشار، المدير، مدير، المحافظ، محافظ، القائد
        """
    )
)

# Nouns of a facility, an institution, a company, an award or a competition named after a person
# (``مسجد الرحمن``, ``مستشفى الملك فهد``, ``شركة عبداللطيف جميل``, ``كأس الملك``): label of the whole name.
FACILITY_NOUNS: Final = {
    **dict.fromkeys(
        _folded("مسجد، جامع، مطار، شارع، طريق، ميناء، مدينة، حي، جسر، ملعب، استاد، ستاد، برج، حديقة، قاعدة، ميدان، قصر، محطة"),
        "LOC",
    ),
    **dict.fromkeys(
        _folded(
            "مستشفى، جامعة، كلية، معهد، مدرسة، مركز، مجمع، مؤسسة، جمعية، جائزة، مكتبة، مستوصف، أكاديمية، "
            "كرسي، صندوق، برنامج، مشروع، قاعة، شركة، مجموعة، مصنع، بنك، مصرف، فندق، نادي"
        ),
        "ORG",
    ),
    # competitions and events named after a person or a sponsor (دوري عبداللطيف جميل, كأس الملك)
    **dict.fromkeys(_folded("دوري، كأس، بطولة، مهرجان، سباق، ماراثون، مسابقة، ملتقى"), "MISC"),
}


# Transliterated words that end the name of a street, a ground or a building (``لوفتس رود``,
# ``ماديسون سكوير``): the name is a place, not a person.
PLACE_TAIL_WORDS: Final = _folded("رود، ستريت، أفنيو، افينيو، بارك، ستاديوم، أرينا، ارينا، سكوير، سنتر، تاور، بوليفارد، بلازا")


def is_formula(text: str) -> bool:
    """Whether ``text`` (a mention, any spelling) is a religious formula or الله."""
    return " ".join(fold(text).split()) in RELIGIOUS_FORMULAS

# The links of a genealogy: ``بن`` (son of) and its spellings, and ``آل`` (the house of). A name
# goes on after them (``محمد بن سلمان``, ``آل سعود``); compared folded, as every list here.
LINEAGE_LINKS: Final = _folded("بن، ابن، بنت")
HOUSE_WORDS: Final = _folded("آل")
