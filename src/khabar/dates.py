"""Dates of articles as ISO 8601, parsed from what records and pages carry, never invented.

``parse_date("الخميس 23 يوليو 2015")`` -> ``ParsedDate("2015-07-23", ...)``. Accepted forms:

* ISO and numeric dates (``2015-07-22``, ``22/07/2015``: day first, as Arabic news writes them),
  with Western or Arabic-Indic digits (``٢٠١٥-٠٧-٢٢``), and a time when one is written
  (``2015-07-22 14:30``, ``10:30 م``);
* Arabic month names of every series: ``يناير``... (Egypt), ``كانون الثاني``... (Levant, Iraq),
  ``جانفي``... (Maghreb), and the doubled ``يوليو/تموز``; weekday names; English names;
* Hijri dates marked ``هـ`` or naming a Hijri month (``6 شوال 1436 هـ``), converted to Gregorian
  by hijridate (Umm al-Qura).

Parsing is done by dateparser (``languages=["ar", "en"]``, absolute dates only) with every part
required: a string without a day, a month and a year (``يوليو 2015``, ``أمس``) gives None rather
than a guessed ``2015-07-01``. Only the month names dateparser does not know (the Levantine and
Maghrebi series) are rewritten to the Egyptian ones first. dateparser and hijridate are imported
on first use: importing khabar stays cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Final

__all__ = ["ParsedDate", "find_dates", "iso_date", "parse_date"]

_DIGITS: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_EGYPTIAN: Final = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
                    "نوفمبر", "ديسمبر")  # fmt: skip
# The month series dateparser's Arabic data lacks, by month number (Levant/Iraq, then Maghreb).
_LEVANT: Final = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
                  "تشرين الأول", "تشرين الثاني", "كانون الأول")  # fmt: skip
_MAGHREB: Final = ("جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر",
                   "نوفمبر", "ديسمبر")  # fmt: skip
_ISO: Final = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_TIME: Final = re.compile(r"\d{1,2}:\d{2}")
_HIJRI_MARK: Final = re.compile(r"(\d{3,4})\s*(?:هـ|ه|هجري(?:ة)?)(?![\u0621-\u064a])")
_SPACES: Final = re.compile(r"\s+")
_HAMZA: Final = str.maketrans("أإآ", "ااا")
_NO_GUESS: Final[dict[str, Any]] = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["custom-formats", "absolute-time"],
    "DATE_ORDER": "DMY",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """An ISO 8601 date (``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM`` when a time was written) and its source."""

    iso: str
    raw: str
    calendar: str = "gregorian"  # or "hijri" when converted

    @property
    def day(self) -> str:
        """The ``YYYY-MM-DD`` part."""
        return self.iso[:10]


def _fold(s: str) -> str:
    return _SPACES.sub(" ", s.translate(_HAMZA).replace("ـ", "")).strip()


@lru_cache(maxsize=1)
def _month_rewrites() -> list[tuple[re.Pattern[str], str]]:
    """Levantine and Maghrebi month names -> the Egyptian ones dateparser knows (longest first)."""
    pairs: dict[str, str] = {}
    for series in (_LEVANT, _MAGHREB):
        for n, name in enumerate(series):
            if name not in _EGYPTIAN:
                pairs[_fold(name)] = _EGYPTIAN[n]
    out = []
    for name in sorted(pairs, key=len, reverse=True):
        # a doubled name (يوليو/تموز, تموز (يوليو)) keeps one
        out.append(
            (re.compile(rf"(?:\s*[/(]\s*)?(?<![\u0621-\u064a]){re.escape(name)}(?![\u0621-\u064a])\)?"), pairs[name])
        )
    return out


@lru_cache(maxsize=1)
def _hijri_months() -> dict[str, int]:
    """Hijri month names (hijridate's, folded, with common variants) -> month number."""
    from hijridate import Hijri

    names: dict[str, int] = {}
    for m in range(1, 13):
        name = _fold(Hijri(1440, m, 1).month_name("ar"))
        names[name] = m
        names[name.replace("ى", "ي")] = m
        names[name.replace("الثاني", "الاخر").replace("الاخرة", "الثانية")] = m
    return names


def _clean(raw: str) -> str:
    s = _fold(raw.translate(_DIGITS)).replace("،", " ").replace("|", " ")
    for pattern, name in _month_rewrites():
        s = pattern.sub(" " + name, s)
    # the doubled Egyptian/Levantine form, once rewritten, reads "يوليو يوليو"
    for name in _EGYPTIAN:
        f = _fold(name)
        s = re.sub(rf"{f}(?:\s*[/(]?\s*{f}\)?)+", f, s)
    s = re.sub(r"(\d{4})\s*م(?![\u0621-\u064a])", r"\1", s)  # 2015م: Gregorian mark
    return _SPACES.sub(" ", s).strip()


def _iso(value: datetime, has_time: bool) -> str:
    return value.strftime("%Y-%m-%dT%H:%M") if has_time else value.strftime("%Y-%m-%d")


def _hijri(s: str, raw: str) -> ParsedDate | None:
    months = _hijri_months()
    month_re = "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True))
    m = re.search(rf"(\d{{1,2}})\s+({month_re})\s+(\d{{3,4}})", s)
    if m:
        day, month, year = int(m.group(1)), months[m.group(2)], int(m.group(3))
    else:
        m = re.search(r"(\d{1,2})[/-](\d{1,2})[/-](\d{3,4})", s) or None
        if m is None:
            m2 = re.search(r"(\d{3,4})[/-](\d{1,2})[/-](\d{1,2})", s)
            if m2 is None:
                return None
            year, month, day = int(m2.group(1)), int(m2.group(2)), int(m2.group(3))
        else:
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    from hijridate import Hijri

    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return ParsedDate(date(g.year, g.month, g.day).isoformat(), raw, "hijri")


def parse_date(raw: object) -> ParsedDate | None:
    """The ISO date of ``raw`` (a string as a record or page gives it), or None when it names no full date.

    Args:
        raw: the date as written: ``"23 يوليو 2015"``, ``"٢٠١٥-٠٧-٢٢"``, ``"6 شوال 1436 هـ"``...

    Returns:
        A :class:`ParsedDate`, or None when the string lacks a day, a month or a year, or is no date.
    """
    if isinstance(raw, datetime):
        return ParsedDate(_iso(raw, bool(raw.hour or raw.minute)), raw.isoformat())
    if isinstance(raw, date):
        return ParsedDate(raw.isoformat(), raw.isoformat())
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 200:
        return None
    return _parse_text(raw)


@lru_cache(maxsize=1024)  # an outlet's dates repeat (every article of a day carries its date)
def _parse_text(raw: str) -> ParsedDate | None:
    """:func:`parse_date` of a non-blank string of at most 200 characters."""
    s = _clean(raw)
    iso = _ISO.fullmatch(s)
    if iso:
        y, mo, d, hh, mm, ss = iso.groups()
        try:
            value = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        except ValueError:
            return None
        return ParsedDate(_iso(value, hh is not None), raw)
    months = _hijri_months()
    if _HIJRI_MARK.search(s) or any(
        re.search(rf"(?<![\u0621-\u064a]){re.escape(n)}(?![\u0621-\u064a])", s) for n in months
    ):
        return _hijri(s, raw)
    plain = _plain_date().fullmatch(s)
    if plain:  # [weekday] day month year, the month by its Egyptian name: what dateparser reads it as
        try:
            value = datetime(int(plain.group(3)), _MONTH_NUMBER[plain.group(2)], int(plain.group(1)))
        except ValueError:
            pass  # (31 فبراير: dateparser says what it is)
        else:
            return ParsedDate(_iso(value, False), raw)
    import dateparser

    value = dateparser.parse(s, languages=["ar", "en"], settings=_NO_GUESS)
    if value is None:
        return None
    return ParsedDate(_iso(value, bool(_TIME.search(s))), raw)


# The month names as _clean leaves them (hamza folded) -> month number.
_MONTH_NUMBER: Final = {_fold(name): number for number, name in enumerate(_EGYPTIAN, 1)}


@lru_cache(maxsize=1)
def _plain_date() -> re.Pattern[str]:
    """A cleaned ``[weekday] day month year`` with an Egyptian month name: read without dateparser
    (it reads these as the day, month and year written, the weekday unchecked; importing it costs
    a tenth of a second and parsing a date a millisecond). Checked against dateparser on every
    weekday x day x month for several years (tests/test_dates.py samples them)."""
    weekdays = "|".join(sorted({_fold(w) for w in _WEEKDAYS}, key=len, reverse=True))
    months = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
    return re.compile(rf"(?:(?:{weekdays}) )?([0-9]{{1,2}}) ({months}) ([0-9]{{4}})")


def iso_date(raw: object) -> str | None:
    """The ISO string of :func:`parse_date`, or None."""
    parsed = parse_date(raw)
    return parsed.iso if parsed else None


_WEEKDAYS: Final = (
    "السبت",
    "الأحد",
    "الاحد",
    "الإثنين",
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الاربعاء",
    "الخميس",
    "الجمعة",
)
_HIJRI_NAMES: Final = ("محرم", "صفر", "ربيع الأول", "ربيع الاول", "ربيع الثاني", "ربيع الآخر", "ربيع الاخر",
                       "جمادى الأولى", "جمادى الاولى", "جمادى الآخرة", "جمادى الاخرة", "جمادى الثانية", "رجب",
                       "شعبان", "رمضان", "شوال", "ذو القعدة", "ذي القعدة", "ذو الحجة", "ذي الحجة")  # fmt: skip
_EXTRA_NAMES: Final = ("إبريل", "ابريل", "اغسطس", "اكتوبر", "يولية", "يونية")


@lru_cache(maxsize=1)
def _finder() -> re.Pattern[str]:
    """Written dates in running text: [weekday] day month[/month] year [هـ|م], and numeric dates."""
    names = {*_EGYPTIAN, *_LEVANT, *_MAGHREB, *_HIJRI_NAMES, *_EXTRA_NAMES}
    month = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    day = r"[0-9٠-٩]{1,2}"
    year = r"[0-9٠-٩]{4}"
    weekday = "|".join(_WEEKDAYS)
    named = (
        rf"(?:(?:{weekday})\s*[،,]?\s*)?{day}\s+(?:{month})(?:\s*[/(]\s*(?:{month})\s*\)?)?\s*[،,]?\s*{year}"
        rf"(?:\s*(?:هـ|م)(?![\u0621-\u064a]))?"
    )
    numeric = rf"{year}-[0-9٠-٩]{{1,2}}-[0-9٠-٩]{{1,2}}|{day}/[0-9٠-٩]{{1,2}}/{year}(?:\s*هـ)?"
    return re.compile(rf"(?<![\w/-])(?:{named}|{numeric})(?![\w/-])")


def find_dates(text: str) -> list[tuple[int, int, ParsedDate]]:
    """Full dates written in ``text``: ``(start, end, parsed)`` with offsets into ``text``, in order.

    Only what names a day, a month and a year is found (``23 يوليو 2015``, ``6 شوال 1436 هـ``,
    ``٢٠١٥-٠٧-٢٢``); relative words (``أمس``) are not dates here.
    """
    out: list[tuple[int, int, ParsedDate]] = []
    for m in _finder().finditer(text):
        parsed = parse_date(m.group())
        if parsed is not None:
            out.append((m.start(), m.end(), parsed))
    return out
