from __future__ import annotations

import pytest

from khabar.offsets import OffsetMap, Replacement


def test_offsets_insertion_maps_spans_around_it() -> None:
    derived, m = OffsetMap.apply("ابجد", [Replacement(2, 2, " ")])
    assert derived == "اب جد"
    assert m.span_to_original(0, 2) == (0, 2)
    assert m.span_to_original(3, 5) == (2, 4)
    assert m.span_to_original(0, 5) == (0, 4)


def test_offsets_deletion_is_tight_at_token_edges() -> None:
    # tatweel at the start and inside a word are dropped in the view
    derived, m = OffsetMap.apply("ـكتـاب", [Replacement(0, 1, ""), Replacement(3, 4, "")])
    assert derived == "كتاب"
    assert m.span_to_original(0, 4) == (1, 6)
    assert m.span_to_original(2, 4) == (4, 6)


def test_offsets_replacement_maps_to_whole_source() -> None:
    derived, m = OffsetMap.apply("a&amp;b", [Replacement(1, 6, "&")])
    assert derived == "a&b"
    assert m.span_to_original(1, 2) == (1, 6)
    assert m.span_to_original(2, 3) == (6, 7)
    assert m.to_derived(6) == 2


def test_offsets_compose_through_two_views() -> None:
    mid, inner = OffsetMap.apply("xـyz", [Replacement(1, 2, "")])
    final, outer = OffsetMap.apply(mid, [Replacement(1, 1, " ")])
    assert final == "x yz"
    assert outer.compose(inner).span_to_original(2, 4) == (2, 4)


def test_offsets_rejects_overlapping_replacements() -> None:
    with pytest.raises(ValueError):
        OffsetMap.apply("abcdef", [Replacement(1, 3, ""), Replacement(2, 4, "")])


def _to_derived_reference(m: OffsetMap, o: int) -> int:
    """The plain linear definition, to check the bisect lookup against."""
    for ds, de, os_, oe, identity in m._pieces:
        if os_ <= o < oe or (o == oe == m.original_length):
            return ds + (o - os_) if identity else (ds if o == os_ else de)
    return m.derived_length


def test_offsets_to_derived_matches_the_linear_definition() -> None:
    import random

    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice("ab ") for _ in range(rng.randint(0, 30)))
        reps, pos = [], 0
        while pos < len(text) and rng.random() < 0.8:
            start = rng.randint(pos, len(text))
            end = min(len(text), start + rng.choice([0, 0, 1, 2, 3]))
            reps.append(Replacement(start, end, rng.choice(["", " ", "xy"])))
            pos = end + (1 if end == start else 0)
        _, m = OffsetMap.apply(text, reps)
        for o in range(len(text) + 1):
            assert m.to_derived(o) == _to_derived_reference(m, o), (text, reps, o)
