"""Tests for khabar.dates: ISO dates from every written form, never an invented day or month (issue 14)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from khabar.dates import iso_date, parse_date

# (as written, expected ISO) -- own strings, in every form the store meets
CASES: list[tuple[str, str]] = [
    # ISO and numeric, Western digits
    ("2015-07-22", "2015-07-22"),
    ("2015-7-2", "2015-07-02"),
    ("2015-07-22 14:30", "2015-07-22T14:30"),
    ("2015-07-22T14:30:05", "2015-07-22T14:30"),
    ("2015-07-22T09:05:00Z", "2015-07-22T09:05"),
    ("2015-07-22T09:05:00+03:00", "2015-07-22T09:05"),
    ("22/07/2015", "2015-07-22"),
    ("22-7-2015", "2015-07-22"),
    ("2015/07/22", "2015-07-22"),
    ("03/04/2016", "2016-04-03"),  # day first, as Arabic news writes it
    # Arabic-Indic and Persian digits
    ("٢٠١٥-٠٧-٢٢", "2015-07-22"),
    ("٢٢/٠٧/٢٠١٥", "2015-07-22"),
    ("۲۰۱۵-۰۷-۲۲", "2015-07-22"),
    ("٢٣ يوليو ٢٠١٥", "2015-07-23"),
    ("٢٠١٥-٠٧-٢٢ ١٤:٣٠", "2015-07-22T14:30"),
    # Egyptian month names
    ("1 يناير 2016", "2016-01-01"),
    ("14 فبراير 2016", "2016-02-14"),
    ("5 مارس 2016", "2016-03-05"),
    ("9 أبريل 2016", "2016-04-09"),
    ("9 إبريل 2016", "2016-04-09"),
    ("9 ابريل 2016", "2016-04-09"),
    ("17 مايو 2016", "2016-05-17"),
    ("30 يونيو 2016", "2016-06-30"),
    ("23 يوليو 2015", "2015-07-23"),
    ("22 يولية 2015", "2015-07-22"),
    ("11 أغسطس 2016", "2016-08-11"),
    ("11 اغسطس 2016", "2016-08-11"),
    ("2 سبتمبر 2016", "2016-09-02"),
    ("6 أكتوبر 2016", "2016-10-06"),
    ("19 نوفمبر 2016", "2016-11-19"),
    ("31 ديسمبر 2016", "2016-12-31"),
    ("23 يوليو، 2015", "2015-07-23"),
    ("23 يوليو 2015م", "2015-07-23"),
    # Levantine / Iraqi month names
    ("5 كانون الثاني 2016", "2016-01-05"),
    ("14 شباط 2016", "2016-02-14"),
    ("5 آذار 2016", "2016-03-05"),
    ("9 نيسان 2016", "2016-04-09"),
    ("17 أيار 2016", "2016-05-17"),
    ("30 حزيران 2016", "2016-06-30"),
    ("23 تموز 2015", "2015-07-23"),
    ("11 آب 2016", "2016-08-11"),
    ("2 أيلول 2016", "2016-09-02"),
    ("6 تشرين الأول 2016", "2016-10-06"),
    ("19 تشرين الثاني 2016", "2016-11-19"),
    ("31 كانون الأول 2016", "2016-12-31"),
    ("23 يوليو/تموز 2015", "2015-07-23"),
    ("23 تموز/يوليو 2015", "2015-07-23"),
    # Maghrebi month names
    ("3 ماي 2015", "2015-05-03"),
    ("22 جويلية 2015", "2015-07-22"),
    ("4 جانفي 2016", "2016-01-04"),
    ("15 أوت 2016", "2016-08-15"),
    # weekday names and times
    ("الخميس 23 يوليو 2015", "2015-07-23"),
    ("الأربعاء، 22 يوليو 2015", "2015-07-22"),
    ("السبت 5 آذار 2016", "2016-03-05"),
    ("الأحد ٣ يناير ٢٠١٦", "2016-01-03"),
    ("الأربعاء 22 يوليو 2015 10:30 م", "2015-07-22T22:30"),
    ("الأربعاء 22 يوليو 2015 الساعة 10:30 صباحا", "2015-07-22T10:30"),
    ("22 يوليو 2015 - 14:05", "2015-07-22T14:05"),
    # English bylines
    ("Wednesday, July 22, 2015", "2015-07-22"),
    ("22 July 2015", "2015-07-22"),
    # Hijri, converted to Gregorian (Umm al-Qura)
    ("6 شوال 1436 هـ", "2015-07-22"),
    ("6 شوال 1436هـ", "2015-07-22"),
    ("٦ شوال ١٤٣٦ هـ", "2015-07-22"),
    ("1 رمضان 1436 هـ", "2015-06-18"),
    ("1 محرم 1437 هـ", "2015-10-14"),
    ("10 ذو الحجة 1436 هـ", "2015-09-23"),
    ("15 ربيع الأول 1437 هـ", "2015-12-26"),
    ("الخميس 7 شوال 1436 هـ", "2015-07-23"),
    ("06/10/1436 هـ", "2015-07-22"),
]

NOT_DATES = [
    "2015",  # a year alone
    "يوليو 2015",  # no day: never 2015-07-01
    "July 2015",
    "23 يوليو",  # no year: never this year
    "أمس",  # relative: the article's date is not known here
    "الخميس",
    "منذ ساعتين",
    "",
    "   ",
    "ليس تاريخا",
    "2015-13-40",
    "31 فبراير 2016",
]


def test_dates_set_is_large_enough() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_parse_date_forms(raw: str, expected: str) -> None:
    parsed = parse_date(raw)
    assert parsed is not None, raw
    assert parsed.iso == expected
    assert parsed.raw == raw


@pytest.mark.parametrize("raw", NOT_DATES)
def test_parse_date_never_invents(raw: str) -> None:
    assert parse_date(raw) is None


def test_parse_date_hijri_is_marked() -> None:
    parsed = parse_date("6 شوال 1436 هـ")
    assert parsed is not None and parsed.calendar == "hijri" and parsed.day == "2015-07-22"


def test_parse_date_non_strings() -> None:
    assert iso_date(date(2015, 7, 22)) == "2015-07-22"
    assert iso_date(datetime(2015, 7, 22, 14, 30)) == "2015-07-22T14:30"
    assert iso_date(None) is None and iso_date(20150722) is None
    assert iso_date("x" * 500) is None


def test_plain_dates_read_without_dateparser_as_dateparser_reads_them() -> None:
    """``[weekday] day month year`` (Egyptian month names) is read directly: the same date as
    dateparser's for a sample of weekdays, days (impossible ones too), months and years."""
    import random

    import dateparser

    from khabar import dates

    rng = random.Random(16)
    weekdays = ["", *(w + " " for w in dates._WEEKDAYS), "الخميس، "]
    for _ in range(150):
        raw = (
            f"{rng.choice(weekdays)}{rng.choice(['1', '07', '23', '29', '30', '31', '0', '32'])} "
            f"{rng.choice(dates._EGYPTIAN)} {rng.choice(['2015', '2016', '1999', '2100', '0999'])}"
        )
        cleaned = dates._clean(raw)
        assert dates._plain_date().fullmatch(cleaned), raw
        expected = dateparser.parse(cleaned, languages=["ar", "en"], settings=dates._NO_GUESS)
        got = dates.parse_date(raw)
        assert (got.iso if got else None) == (dates._iso(expected, False) if expected else None), raw
