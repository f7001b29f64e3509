"""The ``dates`` layer: date expressions in the text, normalized relative to the article's date.

Two kinds of span, both over the ORIGINAL text (label ``DATE``):

* full dates as written (``23 يوليو 2015``, ``الخميس 23 تموز 2015``, ``6 شوال 1436 هـ``,
  ``٢٠١٥-٠٧-٢٢``): ``attrs["value"]`` is the ISO date (:func:`khabar.dates.find_dates`),
  ``attrs["calendar"]`` ``gregorian`` or ``hijri``;
* relative words (``اليوم``, ``أمس``, ``أول أمس``, ``غدا``, ``بعد غد``) and weekday names
  (``الخميس``, ``يوم الخميس``, ``الأحد المقبل``): ``attrs["relative"]`` is True and ``attrs["value"]``
  the ISO date counted from the article's ``meta["date"]`` -- a bare weekday is the latest such day
  on or before the article's date, as news reports what happened; ``المقبل``/``القادم`` the next,
  ``الماضي`` the last before -- or None when the article has no date. A proclitic و/ف is left out.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Final

from khabar.dates import find_dates, parse_date
from khabar.doc import Doc, Span

_LETTER: Final = "\u0621-\u064a"
# offsets in days from the article's date
_RELATIVE: Final = (
    ("أول أمس", -2),
    ("أول امس", -2),
    ("أمس الأول", -2),
    ("امس الاول", -2),
    ("بعد غد", 2),
    ("البارحة", -1),
    ("أمس", -1),
    ("امس", -1),
    ("اليوم", 0),
    ("غدا", 1),
    ("غداً", 1),
    ("غدًا", 1),
)
# Python's weekday(): Monday = 0
_WEEKDAYS: Final = (
    ("الاثنين", 0),
    ("الإثنين", 0),
    ("الثلاثاء", 1),
    ("الأربعاء", 2),
    ("الاربعاء", 2),
    ("الخميس", 3),
    ("الجمعة", 4),
    ("السبت", 5),
    ("الأحد", 6),
    ("الاحد", 6),
)
_WORDS: Final = re.compile(
    rf"(?<![{_LETTER}])[وف]?(?P<expr>(?:يوم\s+)?(?P<weekday>{'|'.join(w for w, _ in _WEEKDAYS)})"
    rf"(?:\s+(?P<when>المقبل|القادم|الماضي))?"
    rf"|(?P<relative>{'|'.join(re.escape(w) for w, _ in _RELATIVE)}))(?![{_LETTER}])"
)
_OFFSETS: Final = dict(_RELATIVE)
_WEEKDAY_NUMBERS: Final = dict(_WEEKDAYS)


def _article_date(doc: Doc) -> date | None:
    parsed = parse_date(doc.meta.get("date"))
    return date.fromisoformat(parsed.day) if parsed else None


def _weekday(anchor: date, weekday: int, when: str | None) -> date:
    """The day named: ``المقبل``/``القادم`` the next one after the anchor, ``الماضي`` the last one before
    it, bare the latest on or before it."""
    if when in ("المقبل", "القادم"):
        return anchor + timedelta(days=(weekday - anchor.weekday() - 1) % 7 + 1)
    if when == "الماضي":
        return anchor - timedelta(days=(anchor.weekday() - weekday - 1) % 7 + 1)
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def predict(doc: Doc) -> list[Span]:
    """Date expressions of ``doc.text``, full dates first where they overlap a relative word."""
    text = doc.text
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for start, end, parsed in find_dates(text):
        spans.append(Span(start, end, "DATE", {"value": parsed.iso, "calendar": parsed.calendar}))
        taken.append((start, end))
    anchor = _article_date(doc)
    for m in _WORDS.finditer(text):
        start, end = m.start("expr"), m.end("expr")
        if any(s < end and start < e for s, e in taken):
            continue
        value: str | None = None
        attrs: dict[str, Any] = {"relative": True}
        if m.group("weekday"):
            attrs["weekday"] = m.group("weekday")
            if anchor is not None:
                value = _weekday(anchor, _WEEKDAY_NUMBERS[m.group("weekday")], m.group("when")).isoformat()
        elif anchor is not None:
            value = (anchor + timedelta(days=_OFFSETS[m.group("relative")])).isoformat()
        attrs["value"] = value
        spans.append(Span(start, end, "DATE", attrs))
    spans.sort(key=lambda s: (s.start, s.end))
    return spans


def set_annotations(doc: Doc, spans: list[Span]) -> None:
    """Store the expressions as the ``dates`` layer."""
    doc.layers["dates"] = spans
