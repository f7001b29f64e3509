"""The quotation step's look-ups that keep it linear on long texts give the answers of the plain scans."""

from __future__ import annotations

import random

import khabar
from khabar.components.quotes.content import _Taken
from khabar.components.quotes.view import _single_quote_pairs, _View


def test_taken_answers_as_a_scan_over_every_span() -> None:
    rng = random.Random(7)
    for _ in range(200):
        taken = _Taken()
        spans: list[tuple[int, int]] = []
        for _ in range(rng.randrange(1, 25)):
            s = rng.randrange(0, 100)
            e = s + rng.randrange(0, 30)  # empty spans too
            taken.add(s, e)
            spans.append((s, e))
            for _ in range(10):
                a = rng.randrange(0, 110)
                b = a + rng.randrange(0, 20)
                assert taken.overlaps(a, b) == any(s2 < b and a < e2 for s2, e2 in spans), (spans, a, b)
                assert taken.holds(a) == any(s2 <= a < e2 for s2, e2 in spans), (spans, a)
        # the staircase holds only spans no other covers: starts and ends both rise
        assert taken.starts == sorted(set(taken.starts))
        assert taken.ends == sorted(set(taken.ends))


def test_taken_empty_holds_nothing() -> None:
    taken = _Taken()
    assert not taken.overlaps(0, 10)
    assert not taken.holds(0)


def test_stray_closing_marks_start_at_their_paragraph() -> None:
    # Closing marks with no opening one and no colon before them: each quotation starts at the
    # first word of its paragraph (two in the second paragraph share the walk back).
    text = (
        "المدينة تستعد لموسم جديد من المهرجانات الصيفية» حسب المنظمين.\n"
        "خبر أول عن الطقس في المدينة.\n"
        "الحكومة ستعمل على بناء المدارس الجديدة» بحسب المصدر. ثم جاء وفد كبير» إلى المدينة.\n"
        "فقرة أخيرة هنا."
    )
    doc = khabar.load(["segment"]).analyze(text)
    v = _View(doc)
    second = text.index("الحكومة")
    starts = [(p.start, text[p.end]) for p in v.pairs if p.stray]
    assert starts == [(0, "»"), (second, "»"), (second, "»")]


def test_single_marks_pair_within_a_paragraph_only() -> None:
    # An opening ' left open at a line break does not pair with a mark of the next paragraph;
    # an apostrophe inside a word opens nothing.
    text = "قال: 'نحن هنا' اليوم.\nكتب 'بداية بلا نهاية\nثم 'سطر' و's آخر' O'Neil"
    first, second = text.index("'نحن"), text.index("'سطر")
    assert _single_quote_pairs(text) == [(first, first + 8, first + 9), (second, second + 4, second + 5)]
