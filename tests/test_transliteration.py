"""Spelling variants of transliterated names (khabar.lang.ar.transliteration): own examples."""

from __future__ import annotations

import pytest

from khabar.lang.ar.transliteration import MARK, variant_key, variant_name


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


def test_transliteration_a_name_is_transliterated_only_when_every_word_is() -> None:
    assert variant_name(("ميشال", "بلاتيني")) == variant_name(("ميشيل", "بلاتيني"))
    # Gulf names without the article: an Arabic family name keeps the name as written
    assert variant_name(("نايف", "عبدالله")) != variant_name(("نواف", "عبدالله"))
    assert variant_key("نايف") == "نايف"  # a two-letter root is no key
    assert variant_name(("ميسي",)) == ("ميسي",)  # nor is a lone word
    assert variant_name(("ميشال", "بن", "سعد")) == ("ميشال", "بن", "سعد")
