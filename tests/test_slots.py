"""khabar.slots: the fast maker gives the very objects the dataclass would."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from khabar.doc import Span
from khabar.lang.ar.morph import Morph
from khabar.slots import maker4


def test_slots_maker4_builds_equal_frozen_objects() -> None:
    span = maker4(Span)(3, 7, "", {"token": 1})
    assert span == Span(3, 7, "", {"token": 1}) and type(span) is Span
    morph = maker4(Morph)(0, 1, "و", "prefix")
    assert morph == Morph(0, 1, "و", "prefix") and hash(morph) == hash(Morph(0, 1, "و", "prefix"))
    with pytest.raises(AttributeError):
        morph.start = 2  # type: ignore[misc]  # still frozen


def test_slots_maker4_refuses_a_class_it_would_leave_half_set() -> None:
    @dataclass(frozen=True, slots=True)
    class Five:
        a: int
        b: int
        c: int
        d: int
        e: int

    @dataclass(frozen=True)
    class NoSlots:
        a: int
        b: int
        c: int
        d: int

    for cls in (Five, NoSlots):
        with pytest.raises(TypeError):
            maker4(cls)
