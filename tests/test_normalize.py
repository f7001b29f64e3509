from __future__ import annotations

import pytest

from khabar.lang.ar.normalize import fold, normalize


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("فى", "في"),
        ("أإآٱا", "ااااا"),
        ("مدرسة", "مدرسه"),
        ("مُحَمَّدٌ", "محمد"),
        ("الـــعربية", "العربيه"),
        ("٢٠١٩ و۲۰۲۰", "2019 و2020"),
        ("قال: «نعم»، لماذا؟", 'قال: "نعم", لماذا?'),
        ("NEWS", "news"),
    ],
)
def test_normalize_folds_for_matching(raw: str, folded: str) -> None:
    assert fold(raw) == folded
    assert normalize(raw)[0] == folded


def test_normalize_map_points_at_original_characters() -> None:
    raw = "مُحَمَّدٌ قالَ"
    folded, m = normalize(raw)
    start = folded.index("قال")
    s, e = m.span_to_original(start, start + 3)
    assert raw[s:e] == "قال"
    assert raw[slice(*m.span_to_original(0, 4))] == "مُحَمَّد"  # tight: the final tanween is dropped


def test_fold_in_one_pass_equals_drop_then_translate() -> None:
    """fold's one table (drops + foldings + identity entries) gives, for every character and for
    mixed text, what dropping the marks and then translating gives."""
    import re

    from khabar.lang.ar import normalize as n

    drop = re.compile(n._DROP.pattern)

    def two_steps(text: str) -> str:
        return drop.sub("", text).translate(n._FOLD_TABLE)

    for code in range(0x30000):
        ch = chr(code)
        if not 0xD800 <= code <= 0xDFFF:
            assert n.fold(ch) == two_steps(ch), hex(code)
    mixed = "فى الأمريكىّ «ABC» ٢٠١٥\u200fـة\u064b إلى ۱ ﻻ"
    assert n.fold(mixed) == two_steps(mixed) == "في الامريكي \"abc\" 2015ه الي 1 ﻻ"
