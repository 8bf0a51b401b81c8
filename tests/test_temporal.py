"""Date normalization: text + reference + tense → TIMEX3 value and XSD bounds."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.temporal import (
    FUTURE,
    PAST,
    guess_tense,
    normalize_date,
    normalize_in_order,
    parse_publication_date,
)
from kg.model import NormalizedDate, TimeValue

WED = dt.date(2021, 6, 16)  # a Wednesday
D, YM, Y, MD = "date", "gYearMonth", "gYear", "gMonthDay"


def tv(iso: str, datatype: str) -> TimeValue:
    return TimeValue(iso, datatype)  # type: ignore[arg-type]


# text, reference, tense, timex, start, end (None: not checked; a non-range has no end)
CASES = [
    # calendar dates
    ("June 14th", WED, None, "2021-06-14", tv("2021-06-14", D), None),
    ("11 June 2021", None, None, "2021-06-11", tv("2021-06-11", D), None),
    ("June 14, 2021", None, None, "2021-06-14", tv("2021-06-14", D), None),
    ("2021-06-16", None, None, "2021-06-16", tv("2021-06-16", D), None),
    ("2021-06-16T10:00:00Z", None, None, "2021-06-16", tv("2021-06-16", D), None),
    ("Jan. 5", WED, None, "2021-01-05", tv("2021-01-05", D), None),
    ("1/5/98", None, None, "1998-01-05", tv("1998-01-05", D), None),
    ("Saturday, April 25", dt.date(1998, 4, 24), None, "1998-04-25", tv("1998-04-25", D), None),
    ("this coming Sunday, March eighth", dt.date(1998, 3, 5), None, "1998-03-08", None, None),
    ("March 1996", None, None, "1996-03", tv("1996-03", YM), None),
    ("January", WED, None, "2021-01", tv("2021-01", YM), None),
    ("2017", None, None, "2017", tv("2017", Y), None),
    ("fiscal 1989", None, None, "1989", tv("1989", Y), None),
    ("nineteen ninety-six", None, None, "1996", tv("1996", Y), None),
    ("the year two thousand", None, None, "2000", tv("2000", Y), None),
    ("early 1998", None, None, "1998", tv("1998", Y), None),
    ("mid-March", WED, None, "2021-03", tv("2021-03", YM), None),
    ("January this year", dt.date(1998, 2, 19), None, "1998-01", None, None),
    ("June last year", dt.date(1998, 2, 19), None, "1997-06", None, None),
    # year unknown: month-day without a reference
    ("June 16", None, None, "XXXX-06-16", tv("--06-16", MD), None),
    ("16 June", None, None, "XXXX-06-16", tv("--06-16", MD), None),
    ("January", None, None, "XXXX-01", None, None),
    # ranges
    ("June 11-13", WED, None, "2021-06-11/2021-06-13", tv("2021-06-11", D), tv("2021-06-13", D)),
    ("June 11 to 13", None, None, "XXXX-06-11/XXXX-06-13", tv("--06-11", MD), tv("--06-13", MD)),
    ("11-13 June 2021", None, None, "2021-06-11/2021-06-13", tv("2021-06-11", D), None),
    ("June 11 to July 2, 2021", None, None, "2021-06-11/2021-07-02", None, tv("2021-07-02", D)),
    ("between 1990 and 1995", None, None, "1990/1995", tv("1990", Y), tv("1995", Y)),
    ("1990-95", None, None, "1990/1995", tv("1990", Y), tv("1995", Y)),
    ("2003/04", None, None, "2003/2004", tv("2003", Y), tv("2004", Y)),
    ("Christmas Day 2004", None, None, "2004-12-25", tv("2004-12-25", D), None),
    ("Christmas", dt.date(2004, 12, 1), None, "2004-12-25", None, None),
    ("New Year's Eve", None, None, "XXXX-12-31", tv("--12-31", MD), None),
    ("' 1945", None, None, "1945", None, None),
    # relative to the reference
    ("yesterday", WED, None, "2021-06-15", tv("2021-06-15", D), None),
    ("today", WED, None, "2021-06-16", tv("2021-06-16", D), None),
    ("tomorrow", WED, None, "2021-06-17", None, None),
    ("late yesterday", WED, None, "2021-06-15", None, None),
    ("last year", WED, None, "2020", tv("2020", Y), None),
    ("this financial year", WED, None, "2021", None, None),
    ("this year's", WED, None, "2021", tv("2021", Y), None),
    ("the end of the year", WED, None, "2021", tv("2021", Y), None),
    ("next week", WED, None, "2021-W25", None, None),
    ("last week", dt.date(1998, 3, 1), None, "1998-W08", None, None),
    ("this month", WED, None, "2021-06", tv("2021-06", YM), None),
    ("last month", dt.date(1998, 2, 27), None, "1998-01", None, None),
    ("two years ago", WED, None, "2019", tv("2019", Y), None),
    ("10 days ago", dt.date(1998, 3, 22), None, "1998-03-12", None, None),
    ("five months ago", dt.date(1998, 3, 31), None, "1997-10", None, None),
    ("in two weeks", WED, None, "2021-W26", None, None),
    ("the third quarter", WED, None, "2021-Q3", None, None),
    ("third-quarter", dt.date(1989, 11, 2), None, "1989-Q3", None, None),
    ("the third quarter of 1984", None, None, "1984-Q3", None, None),
    ("Q3 2021", None, None, "2021-Q3", None, None),
    ("the first half of 1990", None, None, "1990-H1", None, None),
    ("the latest quarter", dt.date(1989, 10, 26), None, "1989-Q3", None, None),
    ("the year-ago quarter", dt.date(1989, 10, 26), None, "1988-Q3", None, None),
    ("this summer", WED, None, "2021-SU", None, None),
    ("last fall", dt.date(1998, 2, 6), None, "1997-FA", None, None),
    ("the winter of nineteen ninety-four", None, None, "1994-WI", None, None),
    ("the 1990s", None, None, "199", None, None),
    ("the late 1970s", None, None, "197", None, None),
    ("the '90s", dt.date(1998, 1, 1), None, "199", None, None),
    ("the nineties", dt.date(1998, 1, 1), None, "199", None, None),
    ("the 20th century", None, None, "19", None, None),
    ("the last decade", dt.date(1998, 2, 6), None, "198", None, None),
    ("the weekend", dt.date(1990, 8, 13), PAST, "1990-W32-WE", None, None),
    # vague references
    ("now", WED, None, "PRESENT_REF", None, None),
    ("currently", None, None, "PRESENT_REF", None, None),
    ("recently", WED, None, "PAST_REF", None, None),
    ("recent years", WED, None, "PAST_REF", None, None),
    ("the coming months", WED, None, "FUTURE_REF", None, None),
    ("the future", WED, None, "FUTURE_REF", None, None),
    ("several years ago", WED, None, "PAST_REF", None, None),
]


@pytest.mark.parametrize(("text", "ref", "tense", "timex", "start", "end"), CASES)
def test_normalize_date(text, ref, tense, timex, start, end):
    found = normalize_date(text, ref, tense=tense)
    assert found is not None, text
    assert found.timex == timex
    if start is not None:
        assert found.start == start
    if end is not None:
        assert found.end == end
    if "/" not in timex:
        assert found.end is None


@pytest.mark.parametrize(
    "text",
    ["next week", "the weekend", "the third quarter", "the first half of 1990", "this summer"]
    + ["the 1990s", "the 20th century", "now", "recently"],
)
def test_periods_without_an_xsd_type_have_only_a_timex(text):
    found = normalize_date(text, WED)
    assert found is not None and found.start is None and found.end is None


# Weekdays and months relative to Wednesday 2021-06-16, in both tenses and without one.
WEEKDAYS = [
    ("Friday", PAST, "2021-06-11"),
    ("Friday", FUTURE, "2021-06-18"),
    ("Friday", None, "2021-06-18"),  # two days ahead is nearer than five back
    ("Monday", PAST, "2021-06-14"),
    ("Monday", FUTURE, "2021-06-21"),
    ("Monday", None, "2021-06-14"),
    ("on Sunday", PAST, "2021-06-13"),
    ("Monday afternoon", PAST, "2021-06-14"),
    ("Wednesday", PAST, "2021-06-16"),
    ("Wednesday", FUTURE, "2021-06-16"),
    ("last Friday", None, "2021-06-11"),
    ("next Monday", None, "2021-06-21"),
    ("last Wednesday", None, "2021-06-09"),
    ("this coming Sunday", None, "2021-06-20"),
    ("June 18", PAST, "2021-06-18"),  # the tense may not send a day more than a season away
    ("May 20", FUTURE, "2021-05-20"),  # when the other occurrence is nearer
    ("June 20", FUTURE, "2021-06-20"),
    ("June 10", PAST, "2021-06-10"),
    ("July", PAST, "2021-07"),
    ("July", FUTURE, "2021-07"),
    ("April", FUTURE, "2021-04"),
    ("December", None, "2020-12"),  # six months either way: the past wins the tie
    ("December", FUTURE, "2021-12"),  # and the tense breaks it
    ("last May", None, "2021-05"),
    ("last June", None, "2020-06"),
    ("next June", None, "2022-06"),
    ("this September", None, "2021-09"),
]


@pytest.mark.parametrize(("text", "tense", "timex"), WEEKDAYS)
def test_tense_decides_direction(text, tense, timex):
    assert normalize_date(text, WED, tense=tense).timex == timex


def test_weekday_and_quarter_without_reference_keep_what_is_known():
    assert normalize_date("Friday") == NormalizedDate("XXXX-WXX-5")
    assert normalize_date("the third quarter") == NormalizedDate("XXXX-Q3")


@pytest.mark.parametrize(
    "text",
    [
        "three years",
        "seven decades",
        "many years",
        "a year",
        "37 years old",
        "the past three years",
        "every week",
        "weekly",
        "two hours",
        "the age of 5",
        "",
        "   ",
        "Geneva",
        "June and July",
    ],
)
def test_durations_ages_and_non_dates_are_none(text):
    assert normalize_date(text, WED) is None


@pytest.mark.parametrize("text", ["yesterday", "last year", "next week", "two years ago"])
def test_relative_dates_need_a_reference(text):
    assert normalize_date(text) is None


@pytest.mark.parametrize(
    ("text", "anchor", "timex"),
    [
        ("a year earlier", "2021-Q1", "2020-Q1"),
        ("a year earlier", "2021-03-31", "2020-03-31"),
        ("two days later", "2021-03-31", "2021-04-02"),
        ("the following month", "2019-03", "2019-04"),
        ("the following year", "1995-05-22", "1996"),
        ("that year", "1988", "1988"),
        ("the previous Friday", "2021-06-11", "2021-06-04"),
        ("year-earlier", "2021-Q1", "2020-Q1"),
        ("the quarter", "2021-Q1", "2021-Q1"),
        ("a year ago", "2021-Q1", "2020-Q1"),  # a year-ago comparison keeps the quarter
    ],
)
def test_anaphoric_expressions_use_the_anchor(text, anchor, timex):
    assert normalize_date(text, WED, anchor=anchor).timex == timex


def test_normalize_in_order_threads_the_anchor_without_chaining_comparisons():
    texts = ["the third quarter", "a year earlier", "a year earlier", "the quarter", "1995"]
    texts += ["the following year", "yesterday"]
    found = normalize_in_order([(t, None) for t in texts], dt.date(1989, 10, 26))
    assert [d.timex for d in found] == [
        "1989-Q3",
        "1988-Q3",
        "1988-Q3",  # not 1987-Q3: a comparison does not become the anchor
        "1989-Q3",
        "1995",
        "1996",
        "1989-10-25",
    ]


def test_normalize_in_order_keeps_nones_in_place():
    found = list(normalize_in_order([("three years", None), ("June 2021", None)]))
    assert found[0] is None and found[1].timex == "2021-06"


def test_deictic_expressions_ignore_the_anchor():
    assert normalize_date("last year", WED, anchor="1995").timex == "2020"
    assert normalize_date("two years ago", WED, anchor="1995").timex == "2019"


def test_invalid_tense_is_rejected():
    with pytest.raises(ValueError, match="past"):
        normalize_date("June", WED, tense="present")


def test_invalid_calendar_values_are_none():
    assert normalize_date("February 30, 2021") is None
    assert normalize_date("2021-13-01") is None


def test_datetime_reference_is_accepted():
    assert normalize_date("yesterday", dt.datetime(2021, 6, 16, 23, 59)).timex == "2021-06-15"


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_iso_dates_round_trip(day):
    found = normalize_date(day.isoformat())
    assert found == NormalizedDate(day.isoformat(), TimeValue(day.isoformat(), "date"))


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
    st.sampled_from([PAST, FUTURE, None]),
)
def test_weekdays_land_within_a_week_on_the_right_day(ref, name, tense):
    day = dt.date.fromisoformat(normalize_date(name, ref, tense=tense).timex)
    assert day.strftime("%A") == name
    assert abs((day - ref).days) <= 6
    if tense == PAST:
        assert day <= ref
    if tense == FUTURE:
        assert day >= ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-06-14", dt.date(2021, 6, 14)),
        ("2021-06-14T09:30:00Z", dt.date(2021, 6, 14)),
        ("2021-06-14T09:30:00+02:00", dt.date(2021, 6, 14)),
        ("2021-06-14 09:30", dt.date(2021, 6, 14)),
        ("19980108", dt.date(1998, 1, 8)),
        ("14 June 2021", dt.date(2021, 6, 14)),
        ("June 14, 2021", dt.date(2021, 6, 14)),
        ("Monday, June 14, 2021", dt.date(2021, 6, 14)),
        ("Mon, 14 Jun 2021 10:00:00 GMT", dt.date(2021, 6, 14)),
        ("June 2021", None),
        ("2021", None),
        ("yesterday", None),
        ("2021-02-30", None),
        ("not a date", None),
        ("", None),
    ],
)
def test_parse_publication_date(text, expected):
    assert parse_publication_date(text) == expected


@pytest.mark.parametrize(
    ("before", "after", "tense"),
    [
        ("The talks will resume on", "", FUTURE),
        ("The talks are expected to resume", "", FUTURE),
        ("The talks resumed on", "", PAST),
        ("He said the deal, signed", "", PAST),
        ("On", ", the talks broke down.", PAST),
        ("On", ", the talks", None),
        ("", "", None),
    ],
)
def test_guess_tense(before, after, tense):
    assert guess_tense(before, after) == tense
