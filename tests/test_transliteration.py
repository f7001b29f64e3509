"""Spelling variants of transliterated names (khabar.lang.ar.transliteration): own examples."""

from __future__ import annotations

import pytest

from khabar.lang.ar.transliteration import MARK, variant_key


@pytest.mark.parametrize(
    ("a", "b"),
    [("ميشال", "ميشيل"), ("جوزيف", "جوزف"), ("ترامب", "ترمب"), ("بوتين", "بوتن"), ("أوباما", "اوباما")],
)
def test_transliteration_variants_of_a_foreign_name_share_a_key(a: str, b: str) -> None:
    assert variant_key(a) == variant_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("جمال", "جميل"), ("حسن", "حسين"), ("سعد", "سعيد"), ("محمد", "محمود"), ("سلمان", "سليمان"), ("عبدالله", "عبيدالله")],
)
def test_transliteration_arabic_names_that_differ_in_a_vowel_stay_two(a: str, b: str) -> None:
    assert variant_key(a) != variant_key(b)


def test_transliteration_arabic_words_are_their_own_key_and_keys_never_equal_a_word() -> None:
    assert variant_key("جميل") == "جميل"  # met as الجميل: an Arabic word
    assert variant_key("الدوسري") == "الدوسري"
    assert variant_key("ميشيل").startswith(MARK)
