"""Tests for khabar.lang.ar.glue: restoring spaces lost between Arabic words."""

from __future__ import annotations

import gzip
import math
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import marisa_trie  # type: ignore[import-not-found, unused-ignore]
import pytest
from conftest import REPO, shared_path

from khabar.errors import ResourceError
from khabar.lang.ar import glue
from khabar.lang.ar.glue import restore_spaces, split_glued

# --- the reference article -------------------------------------------------------------


def _expected_seed_offsets(text: str) -> list[int]:
    """The 10 known lost spaces: 7 x الولاياتالمتحدة (2 of them + وكوريا), 1 x إيرانوكوريا."""
    offsets: list[int] = []
    for glued, cuts in (("الولاياتالمتحدة", (8,)), ("إيرانوكوريا", (5,))):
        start = text.find(glued)
        while start != -1:
            offsets.extend(start + c for c in cuts)
            end = start + len(glued)
            if glued == "الولاياتالمتحدة" and text.startswith("وكوريا", end):
                offsets.append(end)
            start = text.find(glued, end)
    return sorted(offsets)


@pytest.mark.shared
def test_glue_seed_restores_exactly_the_ten_lost_spaces(seed_text: str) -> None:
    expected = _expected_seed_offsets(seed_text)
    assert len(expected) == 10
    assert restore_spaces(seed_text) == expected


# --- own examples --------------------------------------------------------------------------

GLUED = [
    ("وزارةالصحة", ["وزارة", "الصحة"]),
    ("رئيسالوزراء", ["رئيس", "الوزراء"]),
    ("منالمتوقع", ["من", "المتوقع"]),
    ("مجلسالأمن", ["مجلس", "الأمن"]),
    ("الأممالمتحدة", ["الأمم", "المتحدة"]),
    ("كرةالقدم", ["كرة", "القدم"]),
    ("علىالرغم", ["على", "الرغم"]),
    ("فيالمدينة", ["في", "المدينة"]),
    ("بعدانتهاء", ["بعد", "انتهاء"]),
    ("الشرقالأوسط", ["الشرق", "الأوسط"]),
    ("كأسالعالم", ["كأس", "العالم"]),
    ("وزارةالخارجيةالأمريكية", ["وزارة", "الخارجية", "الأمريكية"]),
    ("المملكةالعربيةالسعودية", ["المملكة", "العربية", "السعودية"]),
    ("عنطريق", ["عن", "طريق"]),
    ("إلىالمدرسة", ["إلى", "المدرسة"]),
    ("وتظهرالصور", ["وتظهر", "الصور"]),
    # a hamza on alef starts a word; folding alone would read استطاعان as a dual
    ("استطاعأن", ["استطاع", "أن"]),
    ("وأوضحتأن", ["وأوضحت", "أن"]),
    ("يجبأن", ["يجب", "أن"]),
    ("ذاتأهمية", ["ذات", "أهمية"]),
    ("وذلكلأن", ["وذلك", "لأن"]),  # ... or the proclitic before it
    ("العشرالأواخر", ["العشر", "الأواخر"]),
    # an inner ى decides even where the folded token is a known word (علىأن folds to عليان)
    ("علىأن", ["على", "أن"]),
    ("إلىأن", ["إلى", "أن"]),
    ("حتىالآن", ["حتى", "الآن"]),
]


def _pieces(token: str, offsets: tuple[int, ...]) -> list[str]:
    bounds = (0, *offsets, len(token))
    return [token[a:b] for a, b in pairwise(bounds)]


@pytest.mark.parametrize(("token", "words"), GLUED)
def test_glue_split_glued_finds_lost_spaces(token: str, words: list[str]) -> None:
    assert _pieces(token, split_glued(token)) == words


NOT_GLUED = [
    # rare transliterated names
    "يونجبيون", "هانوى", "كومجانج", "كايسونج", "واشنطن", "كاليفورنيا", "مانشستر", "بيونغ",
    # clitics + known stem
    "بالولايات", "محادثاتهما", "والرئيس", "للاتفاق", "وبالتالي", "ليتمكنوا", "سيارتهم",
    "والمعلمين", "فاستقبلهم", "بمدينتهم", "لمدرستها", "والمستشفيات", "كتابهما", "ستتعاونان",
    # inflection + pronoun, particle + pronoun, a proclitic is never a part on its own
    "يستحضرانها", "لمشاركتك", "المصابين", "وبمشاركتهم", "فسيكتبونها", "الإفرنجية",
    # ordinary words, Egyptian spelling, short tokens
    "الاستقلال", "بريطانيا", "فى", "الأمريكى", "في", "من",
    # rare real words made of a known word + a two-letter content word (يضم + حل)
    "يضمحل", "تضمحل", "اضمحلال", "يستظل", "ارتحل", "يرتحل",
    # a hamza on alef inside a word
    "بشأن", "الشأن", "طمأنينة", "مسألة", "يتساءلون", "تأكيدات",
    # a token seen often in the counts is a word, however it could be cut
    "عبدالله",
]


@pytest.mark.parametrize("token", NOT_GLUED)
def test_glue_split_glued_keeps_words_whole(token: str) -> None:
    assert split_glued(token) == ()


def test_glue_offsets_skip_diacritics_and_tatweel() -> None:
    # Marks stay with the letter they follow; the space goes before the next letter.
    assert _pieces("مَجْلِسُالأمن", split_glued("مَجْلِسُالأمن")) == ["مَجْلِسُ", "الأمن"]
    assert _pieces("الولاياتـالمتحدة", split_glued("الولاياتـالمتحدة")) == ["الولاياتـ", "المتحدة"]


def test_glue_restore_spaces_offsets_point_into_text() -> None:
    text = "قال 3 مسؤولين (AFP): إن وزارةالصحة أعلنت، منالمتوقع أن يجتمع مجلسالأمن غدا."
    offsets = restore_spaces(text)
    assert [text[o - 1:o + 2] for o in offsets] == ["ةال", "نال", "سال"]
    repaired = "".join(ch if i not in offsets else " " + ch for i, ch in enumerate(text))
    assert "وزارة الصحة" in repaired and "من المتوقع" in repaired and "مجلس الأمن" in repaired


@pytest.mark.parametrize("text", ["", "   ", "Hello world 2024", "مرحبا", "!!!"])
def test_glue_restore_spaces_plain_text_needs_nothing(text: str) -> None:
    assert restore_spaces(text) == []


def test_glue_import_does_no_io() -> None:
    code = "import khabar.lang.ar.glue as g; assert g._LEXICON is None"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_glue_missing_lexicon_raises_resource_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glue, "_LEXICON", None)
    monkeypatch.setattr(glue, "LEXICON_FILE", "missing_lexicon.bin.gz")
    with pytest.raises(ResourceError) as info:
        glue._lexicon()
    assert info.value.code == "K201"
    assert "reinstall" in info.value.hint


def _tiny_tables() -> dict[str, dict[str, int]]:
    return {
        "uni": {"في": 300000, "المدينة": 12, "سلام": 1},
        "bi": {"في المدينة": 7},
        "char": {"^": -1, "س": -2345, "^س": -14189, "م$": 0},
        "backoff": {"^": -105, "س": -3},
    }


def test_glue_pack_lexicon_round_trips_every_value() -> None:
    tables = _tiny_tables()
    unpacked = glue.unpack_lexicon(glue.pack_lexicon(tables, ["test"]))
    assert set(unpacked) == set(tables)
    for name, table in tables.items():
        trie, values = unpacked[name]
        assert {key: values[trie[key]] for key in trie} == table
    # the smallest array type that holds the values: counts >= 65536 need 32 bits, bigrams fit 8
    assert unpacked["uni"][1].typecode == "I" and unpacked["bi"][1].typecode == "B"
    assert unpacked["char"][1].typecode == "h"
    # the bytes depend on the tables only, not on the order their keys came in
    shuffled = {name: dict(reversed(table.items())) for name, table in reversed(tables.items())}
    assert glue.pack_lexicon(tables, ["test"]) == glue.pack_lexicon(shuffled, ["test"])


def test_glue_lexicon_thousandths_give_the_decimal_floats() -> None:
    # Format 2 stored log values as 3-decimal strings; value / 1000 must be that very float.
    for millis in range(-15000, 1):
        text = f"{millis / 1000:.3f}"
        assert millis / 1000 == float(text), text


def test_glue_packed_lexicon_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    packed = glue.pack_lexicon(_tiny_tables(), ["test"])
    monkeypatch.setattr(glue, "read_model", lambda name, code: packed)
    monkeypatch.setattr(glue, "_LEXICON", None)
    for cached in (glue._count, glue._pair_count, glue._char_terms):
        cached.cache_clear()
    try:
        assert glue._count("في") == 300000 and glue._count("غير") == 0
        assert glue._pair_count("في", "المدينة") == 7 and glue._pair_count("المدينة", "في") == 0
        assert glue._lexicon().log_total == math.log(300013)
        # ^س is kept; س after the unseen history م backs off by -0.003 to the unigram -2.345
        assert glue._char_terms("^س") == (-14.189,)
        assert glue._char_terms("مس") == (0.0, -2.345)
        assert glue._char_terms("سز") == (-0.003, glue._CHAR_FLOOR)
    finally:
        for cached in (glue._count, glue._pair_count, glue._char_terms):
            cached.cache_clear()


@pytest.mark.parametrize("damage", ["not gzip", "garbage", "truncated", "format", "trailing", "no table"])
def test_glue_corrupt_lexicon_raises_resource_error(monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    body = gzip.decompress(glue.pack_lexicon(_tiny_tables(), ["test"]))
    if damage == "garbage":
        body = b"not a lexicon at all"
    elif damage == "truncated":
        body = body[:-5]
    elif damage == "format":
        assert b'"format":3' in body
        body = body.replace(b'"format":3', b'"format":2')
    elif damage == "trailing":
        body += b"\0"
    elif damage == "no table":
        body = gzip.decompress(glue.pack({"uni.keys": marisa_trie.Trie(["x"])}, {"format": glue.FORMAT_VERSION}))
    raw = b"\x1f\x8b not gzip" if damage == "not gzip" else gzip.compress(body)
    monkeypatch.setattr(glue, "read_model", lambda name, code: raw)
    monkeypatch.setattr(glue, "_LEXICON", None)
    with pytest.raises(ResourceError) as info:
        glue._lexicon()
    assert info.value.code == "K201"
    assert "rebuild" in info.value.hint


def test_glue_caches_are_bounded() -> None:
    caches = [v for v in vars(glue).values() if hasattr(v, "cache_info")]
    assert len(caches) >= 5
    for cached in caches:
        maxsize = cached.cache_info().maxsize
        assert maxsize is not None and maxsize <= 1 << 16, cached


# --- evaluation gate -------------------------------------------------------------------------

# A regression gate on 1,000 SaudiNewsNet articles drawn with seed 2024. The parameters were
# tuned on seeds 11, 12 and 13 only; this sample was NOT used for tuning (nor were the
# reported bench samples, seeds 2015, 7 and 99: bench/bench_repair.py). False splits vary
# between samples (a few articles glue words themselves): this one measured precision
# 0.968, recall 0.881, 4.26 false splits per 10k when pinned.
GATE_ARTICLES = 1000
GATE_SEED = 2024
GATE_DIGEST = "53a4e911c2e9fd66"  # sha256[:16] of the sampled clean articles
MIN_PRECISION = 0.95
MIN_RECALL = 0.85
MAX_FALSE_PER_10K = 5.0


@pytest.mark.shared
@pytest.mark.slow
def test_glue_evaluation_gate_on_saudinewsnet() -> None:
    data = shared_path("data", "saudinewsnet")
    sys.path.insert(0, str(Path(REPO) / "bench"))
    try:
        import bench_repair
    finally:
        sys.path.pop(0)
    score = bench_repair.evaluate(data.parent, GATE_ARTICLES, GATE_SEED)
    assert score.digest == GATE_DIGEST, "evaluation data changed: re-pin the gate deliberately"
    assert score.precision >= MIN_PRECISION, score
    assert score.recall >= MIN_RECALL, score
    assert score.false_per_10k <= MAX_FALSE_PER_10K, score


@pytest.mark.parametrize("token", ["فيينتيان", "وبفيينتيان", "كيشيناو", "لكيشيناو", "بلاباز"])
def test_glue_never_splits_a_known_name(token: str) -> None:
    # gazetteer capitals whose letters read as في + ينتيان, بلا + باز: a name is one word
    assert split_glued(token) == ()
    assert restore_spaces("زار الوفد " + token + " أمس") == []


# --- recall: spelling rules, piece lengths, the text's own words (issue 11) ----------------------


@pytest.mark.parametrize(
    ("prefix", "stem", "suffix", "agree"),
    [
        ("", "كتاب", "ك", True),  # a bare noun takes a pronoun
        ("ب", "الكتاب", "", True),  # ب before the article
        ("", "الكتاب", "ك", False),  # a definite noun takes no pronoun
        ("ال", "كتاب", "ها", False),
        ("", "الكتاب", "ا", False),  # ... nor a verb ending
        ("", "المدرس", "ون", True),  # ... but a plural ending
        ("لل", "معلم", "ين", True),
        ("ل", "الكتاب", "", False),  # ل before the article is spelt لل
        ("", "التزام", "ه", True),  # التزام starts with ال but is no article + word
    ],
)
def test_glue_clitics_agree_with_arabic_spelling(prefix: str, stem: str, suffix: str, agree: bool) -> None:
    shape = glue._SUFFIXES.get(suffix, (0, 0))
    assert glue._clitics_agree(prefix, stem, suffix, shape) is agree


def test_glue_impossible_clitics_are_no_one_word_explanation() -> None:
    # ل + الكتاب is no word: the token is unknown, not a clitic analysis
    assert glue._word_logp("لالكتاب") == glue._oov_logp("لالكتاب")
    assert glue._word_logp("بالكتاب") > glue._oov_logp("بالكتاب")
    # a definite noun with a pronoun scores below the bare noun with it
    assert glue._word_logp("الكتابك") < glue._word_logp("كتابك") - 3
    assert glue._word_logp("التزامه") > glue._oov_logp("التزامه")  # التزام + ه is a word


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("المشروعكبير", ["المشروع", "كبير"]),  # not المشروعك + بير
        ("الطلابكانوا", ["الطلاب", "كانوا"]),
        ("العاملالجديد", ["العامل", "الجديد"]),  # not العام + لالجديد
        ("الشركةكانت", ["الشركة", "كانت"]),
        ("هلتعلم", ["هل", "تعلم"]),  # هل, هم: two-letter function words
        ("هميعملون", ["هم", "يعملون"]),
    ],
)
def test_glue_splits_after_a_definite_noun_and_function_words(token: str, words: list[str]) -> None:
    assert _pieces(token, split_glued(token)) == words


@pytest.mark.parametrize("token", ["التزامه", "والتهابها", "التزامهم", "لالتزامها"])
def test_glue_keeps_words_that_start_with_alef_lam(token: str) -> None:
    assert split_glued(token) == ()


def _spaced(text: str) -> str:
    offsets = set(restore_spaces(text))
    return "".join(" " + ch if i in offsets else ch for i, ch in enumerate(text))


def test_glue_pieces_used_elsewhere_in_the_text_decide_a_borderline_token() -> None:
    # أوالجمعية alone is borderline and stays; in a text about the association it is أو الجمعية
    alone = "قال إن الدعم سيصل إلى الأسر أوالجمعية نفسها."
    assert restore_spaces(alone) == []
    text = "أعلنت الجمعية الخيرية برنامجها. وقال رئيس الجمعية إن الدعم سيصل إلى الأسر أوالجمعية نفسها."
    assert "الأسر أو الجمعية نفسها" in _spaced(text)
    text = "وصل المعلم إلى المنزل. كان المنزل قديما، وقال إن المنزلكان مهجورا."
    assert "إن المنزل كان مهجورا" in _spaced(text)
    assert restore_spaces("زار الوفد المنزلكان القديم.") == []


def test_glue_a_token_repeated_in_the_text_is_a_word() -> None:
    # once, البيتكبير is split; written the same way four times it is the text's own word
    assert _spaced("البيتكبير وجميل.") == "البيت كبير وجميل."
    assert restore_spaces("البيتكبير ثم البيتكبير ثم البيتكبير والبيتكبير") == []


def test_glue_short_pieces_weigh_less_than_long_ones() -> None:
    # the same margin from the model counts more when every piece is long
    long_parts = glue._shape_adjustment([glue.fold("الاقتصادية"), glue.fold("العالمية")])
    short_parts = glue._shape_adjustment(["بيت", "كبير"])
    unknown_part = glue._shape_adjustment([glue.fold("الاقتصادية"), "زرقنطيسي"])
    assert long_parts > 0 > short_parts
    assert unknown_part < long_parts


@pytest.mark.parametrize(
    ("token", "words"),
    [
        # a short piece unknown as written is a word as a proclitic + a known word (ف + بكت)
        ("فبكتطويلا", ["فبكت", "طويلا"]),
        ("فركضتسريعا", ["فركضت", "سريعا"]),
        ("فنامتمبكرا", ["فنامت", "مبكرا"]),  # not فنامتم + بكرا
    ],
)
def test_glue_short_piece_with_a_proclitic_is_a_word(token: str, words: list[str]) -> None:
    assert _pieces(token, split_glued(token)) == words


@pytest.mark.parametrize(
    ("prefix", "stem", "suffix", "agree"),
    [
        ("س", "يعمل", "", True),  # the future marker before an imperfect verb
        ("وس", "نعمل", "", True),
        ("س", "كتاب", "", False),  # ... never before a noun
        ("", "كتب", "وه", True),  # كتبوه: the alef of وا drops before a pronoun
        ("", "كتب", "واه", False),
    ],
)
def test_glue_future_marker_and_plural_alef(prefix: str, stem: str, suffix: str, agree: bool) -> None:
    shape = glue._SUFFIXES.get(suffix, (0, 0))
    assert glue._clitics_agree(prefix, stem, suffix, shape) is agree


def _segmentation_cells(key: str) -> set[tuple[int, int]]:
    """Brute force: the parts ``(start, end)`` of every whole segmentation of ``key`` into two or
    more parts that each have a score, neighbours joined by allowed pairs."""
    cells: set[tuple[int, int]] = set()

    def walk(start: int, parts: list[tuple[int, int]]) -> None:
        if start == len(key):
            if len(parts) >= 2:
                cells.update(parts)
            return
        for end in range(start + 2, len(key) + 1):
            word = key[start:end]
            if not glue._has_score(word):
                continue
            if parts and not glue._pair_allowed(key[parts[-1][0] : parts[-1][1]], word):
                continue
            walk(end, [*parts, (start, end)])

    walk(0, [])
    return cells


@pytest.mark.parametrize(
    "token",
    ["الولاياتالمتحدة", "فيالمنطقة", "منذالعام", "المستشفيات", "وزارةالصحة", "بينماارتفعت", "كتابمن", "عنالحرب"],
)
def test_glue_dp_scores_exactly_the_parts_of_whole_segmentations(token: str) -> None:
    """The DP's cheap first pass keeps the parts on some whole segmentation, and only those."""
    key = glue.fold(token)
    live = glue._live_cells(key)
    expected = _segmentation_cells(key)
    assert (set() if live is None else {(s, e) for e, s in live}) == expected
    assert live is None or live == sorted(live)  # end, then start, rising: the DP's order
