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
