"""Date normalization: a date expression and a reference date → TIMEX3 value and XSD values.

Pure Python (no spaCy, no rdflib). ``normalize_date`` takes the text of a DATE entity
("June 16", "last week", "the third quarter", "two years ago") and the document's
publication date, and returns a :class:`~kg.model.NormalizedDate`::

    >>> normalize_date("June 16", datetime.date(2021, 6, 14)).timex
    '2021-06-16'
    >>> normalize_date("last week", datetime.date(1998, 3, 1)).timex
    '1998-W08'

The expression is cleaned (lower case, number words to digits, possessives, clock times),
then a small list of handlers (one regular expression family each) is tried on it and on
versions with modifiers stripped ("early", "the end of", "Monday *afternoon*"). Every
word list lives in ``kg/data/temporal_words.json``; it is loaded once, lazily.

Values: ``timex`` follows TimeML's TIMEX3 ``value`` (``1998-02-05``, ``1998-W05``,
``1998-Q3``, ``1998-H1``, ``1998-SU``, ``199`` for the 1990s, ``19`` for the 20th century,
``XXXX-06-16`` when the year is unknown, ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``);
ranges are ISO 8601 intervals ``2021-06-11/2021-06-13``. ``start`` is the XSD value of a
day (xsd:date), month (gYearMonth), year (gYear) or month-day without a year (gMonthDay);
``end`` is set only for written ranges ("June 11-13", "between 1990 and 1995"). Weeks,
quarters, seasons, decades and vague references have a ``timex`` but no XSD value.
Durations, ages and sets ("three years", "37 years old", "every week") are not calendar
dates and give ``None``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from kg.model import NormalizedDate, TimeValue

__all__ = [
    "FUTURE",
    "PAST",
    "guess_tense",
    "normalize_date",
    "normalize_in_order",
    "parse_publication_date",
]

PAST = "past"
FUTURE = "future"
_TENSES = (None, PAST, FUTURE)
_WORDS_FILE = Path(__file__).parent / "data" / "temporal_words.json"

#: Granularities, finest first; a period is a granularity plus its first day.
_GRANS = (
    "day",
    "weekend",
    "week",
    "month",
    "season",
    "quarter",
    "half",
    "year",
    "decade",
    "century",
)
_MONTHS_PER = {"month": 1, "quarter": 3, "half": 6, "year": 12, "decade": 120, "century": 1200}
_DAYS_PER = {"day": 1, "week": 7, "weekend": 7}


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class _Lexicon:
    """The word tables of ``temporal_words.json`` and the regular expressions built from them."""

    words: dict
    number_run: re.Pattern[str]
    strip_prefix: re.Pattern[str]
    strip_suffix: re.Pattern[str]
    not_date: re.Pattern[str]
    ignore: re.Pattern[str]
    alt: dict[str, str]


def _alternation(words: object) -> str:
    """A regex alternation of ``words``, longest first so "sept" wins over "sep"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Load the word table and compile the patterns that depend on it (once)."""
    words = json.loads(_WORDS_FILE.read_text(encoding="utf-8"))
    number_words = {**words["cardinals"], **words["ordinals"], **words["multipliers"]}
    word = rf"(?:{_alternation(number_words)})"
    alt = {
        "month": _alternation(words["months"]),
        "weekday": _alternation(words["weekdays"]),
        "season": _alternation(words["seasons"]),
        "unit": _alternation(words["units"]),
        "rel": _alternation(words["relative"]),
        "vague": _alternation(words["vague_plural"]),
        "count": _alternation(words["vague_counts"]),
        "ago": _alternation(words["ago_words"]),
        "decade": _alternation(words["decade_words"]),
    }
    return _Lexicon(
        words=words,
        number_run=re.compile(rf"\b{word}(?:(?:[\s-]+and)?[\s-]+{word})*\b"),
        strip_prefix=re.compile(rf"^(?:{_alternation(words['strip_prefixes'])})[\s-]+(.+)$"),
        strip_suffix=re.compile(rf"^(.+?)[\s,-]+(?:{_alternation(words['strip_suffixes'])})$"),
        not_date=re.compile(rf"\b(?:{_alternation(words['not_dates'])})\b"),
        ignore=re.compile(rf"\b(?:{_alternation(words['ignore_words'])})(?:[\s-]+|$)"),
        alt=alt,
    )


# --------------------------------------------------------------------------- cleaning

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_DECADE_APOS = re.compile(r"(\d0)'s\b")
_POSSESSIVE = re.compile(r"(?<=[a-z0-9])'s\b")
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\b\.?|\b\d{1,2}:\d{2}(?::\d{2})?\b")
_DOTS = re.compile(r"(?<!\d)\.|\.(?!\d)")
_PUNCT = re.compile(r"[,;()\[\]\"]")
_ORDINAL_SUFFIX = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_SPACES = re.compile(r"\s+")
_EDGES = " -/:"
_STRAY_QUOTE = re.compile(r"^'(?!\d)\s*|\s*'$")


def _clean(text: str) -> str:
    """Lower-case, unify dashes and quotes, drop clock times and possessives, spell numbers."""
    s = _DASHES.sub("-", text.translate(_QUOTES)).lower()
    s = _DECADE_APOS.sub(r"\1s", s)
    s = _POSSESSIVE.sub("", s)
    s = _CLOCK.sub(" ", s)
    s = _DOTS.sub(" ", s)
    s = _PUNCT.sub(" ", s)
    s = _lexicon().ignore.sub("", s)
    s = _lexicon().number_run.sub(_number_run_to_digits, s)
    s = _ORDINAL_SUFFIX.sub(r"\1th", s)
    return _STRAY_QUOTE.sub("", _SPACES.sub(" ", s).strip(_EDGES))


def _number_run_to_digits(match: re.Match[str]) -> str:
    """Turn a run of number words into digits: "nineteen ninety-six" → "1996", "eighth" → "8th"."""
    tokens = [t for t in re.split(r"[\s-]+", match.group(0)) if t != "and"]
    words = _lexicon().words
    if tokens == ["oh"]:
        return match.group(0)
    total, current, last_small = 0, 0, False
    for token in tokens:
        if token in words["multipliers"]:
            factor = words["multipliers"][token]
            if factor == 100:
                current = max(current, 1) * 100
            else:
                total, current = total + max(current, 1) * factor, 0
            last_small = False
            continue
        n = words["cardinals"].get(token, words["ordinals"].get(token, 0))
        if last_small and current < 100 and not (current % 10 == 0 and current >= 20 and n < 10):
            current = current * 100 + n  # a year read in pairs: nineteen | ninety-six
        else:
            current += n
        last_small = True
    value = total + current
    return f"{value}th" if tokens[-1] in words["ordinals"] else str(value)


def _stages(s: str) -> Iterator[str]:
    """``s``, then ``s`` with one modifier stripped at a time ("the end of", "early", "night")."""
    lex = _lexicon()
    seen = {s}
    yield s
    while True:
        m = lex.strip_prefix.match(s) or lex.strip_suffix.match(s)
        if m is None or m.group(1) in seen:
            return
        s = m.group(1).strip(_EDGES)
        seen.add(s)
        yield s


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class _Period:
    """A calendar period: a granularity and its first day (``tag`` is a season code)."""

    gran: str
    first: dt.date
    tag: str = ""

    def shift(self, n: int, unit: str | None = None) -> _Period:
        """Move by ``n`` units (default: the period's own granularity)."""
        unit = unit or self.gran
        if unit in _DAYS_PER:
            return replace(self, first=self.first + dt.timedelta(days=n * _DAYS_PER[unit]))
        months = n * _MONTHS_PER.get(unit, 12)
        return replace(self, first=_add_months(self.first, months))

    def at(self, gran: str) -> _Period:
        """The period of granularity ``gran`` that contains this one's first day."""
        return _period_of(self.first, gran)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _period_of(day: dt.date, gran: str) -> _Period:
    """The period of granularity ``gran`` containing ``day``."""
    if gran == "day":
        return _Period("day", day)
    if gran in ("week", "weekend"):
        monday = day - dt.timedelta(days=day.weekday())
        return _Period(gran, monday + dt.timedelta(days=5) if gran == "weekend" else monday)
    if gran in ("month", "quarter", "half"):
        size = _MONTHS_PER[gran]
        return _Period(gran, dt.date(day.year, (day.month - 1) // size * size + 1, 1))
    if gran == "decade":
        return _Period(gran, dt.date(day.year // 10 * 10, 1, 1))
    if gran == "century":
        return _Period(gran, dt.date(max(day.year // 100 * 100, 1), 1, 1))
    return _Period("year", dt.date(day.year, 1, 1))


def _render(p: _Period) -> NormalizedDate:
    """The TIMEX3 value of a period, with its XSD value when XSD has a type for it.

    Weeks, quarters, halves, seasons, decades and centuries have no XSD type: their
    ``start`` is None (``end`` is kept for written ranges such as "June 11-13").
    """
    f = p.first
    if p.gran == "day":
        return NormalizedDate(f.isoformat(), _xsd_date(f))
    if p.gran == "month":
        return NormalizedDate(f"{f.year:04d}-{f.month:02d}", _xsd_month(f.year, f.month))
    if p.gran == "year":
        return NormalizedDate(f"{f.year:04d}", _xsd_year(f.year))
    return NormalizedDate(_period_timex(p))


def _period_timex(p: _Period) -> str:
    """TIMEX3 values without an XSD type: 1998-W05, 1998-W05-WE, 1998-Q3, 1998-SU, 199, 19."""
    f = p.first
    if p.gran in ("week", "weekend"):
        year, week, _ = f.isocalendar()
        return f"{year:04d}-W{week:02d}" + ("-WE" if p.gran == "weekend" else "")
    if p.gran in ("quarter", "half"):
        n = (f.month - 1) // _MONTHS_PER[p.gran] + 1
        return f"{f.year:04d}-{'Q' if p.gran == 'quarter' else 'H'}{n}"
    if p.gran == "season":
        return f"{f.year:04d}-{p.tag}"
    if p.gran == "decade":
        return f"{f.year // 10:03d}"
    return f"{f.year // 100:02d}"


def _xsd_date(d: dt.date) -> TimeValue:
    return TimeValue(d.isoformat(), "date")


def _xsd_month(year: int, month: int) -> TimeValue:
    return TimeValue(f"{year:04d}-{month:02d}", "gYearMonth")


def _xsd_year(year: int) -> TimeValue:
    return TimeValue(f"{year:04d}", "gYear")


_TIMEX_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], _Period]], ...] = (
    (
        re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
        lambda m: _Period("day", dt.date(*map(int, m.groups()))),
    ),
    (
        re.compile(r"(\d{4})-W(\d{2})"),
        lambda m: _Period("week", dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)),
    ),
    (
        re.compile(r"(\d{4})-Q([1-4])"),
        lambda m: _Period("quarter", dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)),
    ),
    (
        re.compile(r"(\d{4})-(\d{2})"),
        lambda m: _Period("month", dt.date(int(m[1]), int(m[2]), 1)),
    ),
    (re.compile(r"(\d{4})"), lambda m: _Period("year", dt.date(int(m[1]), 1, 1))),
)


def _parse_timex(value: str | None) -> _Period | None:
    """A concrete TIMEX3 value (day, week, month, quarter, year) as a period, else None."""
    if not value:
        return None
    for pattern, build in _TIMEX_FORMS:
        m = pattern.fullmatch(value)
        if m:
            try:
                return build(m)
            except ValueError:
                return None
    return None


# --------------------------------------------------------------------------- context


@dataclass(frozen=True)
class _Ctx:
    """What an expression is resolved against."""

    ref: dt.date | None
    tense: str | None
    anchor: _Period | None

    def base(self, anaphoric: bool) -> _Period | None:
        """The anchor for anaphoric words ("the following year"), else the reference day."""
        if anaphoric and self.anchor is not None:
            return self.anchor
        return _Period("day", self.ref) if self.ref else None

    @property
    def current_anchor(self) -> _Period | None:
        """The anchor if it lies in the reference's year: the period a report is about."""
        if self.anchor is None or (self.ref is not None and self.anchor.first.year < self.ref.year):
            return None
        return self.anchor


#: How far (days, about a season) the occurrence the tense points to may be for a month or
#: month-day; beyond it the nearer one wins ("Jan. 2" read in November is next January).
_TENSE_REACH_DAYS = 92


def _choose(
    before: _Period, after: _Period, ref: dt.date, tense: str | None, reach: int | None = None
) -> _Period:
    """Pick the occurrence before or after ``ref`` from the tense, else the nearer one.

    Distances count in the periods' own unit (a month is a month), ties go to the past.
    ``reach`` (days) caps how far the tense may send us when the other one is nearer.
    """
    back, ahead = _distance(before, ref), _distance(after, ref)
    nearer = before if back <= ahead else after
    if before == after or tense is None:
        return nearer
    tensed = before if tense == PAST else after
    too_far = reach is not None and abs((tensed.first - ref).days) > reach
    if too_far and _distance(tensed, ref) > _distance(nearer, ref):
        return nearer
    return tensed


def _distance(p: _Period, ref: dt.date) -> int:
    if p.gran == "month":
        return abs((p.first.year - ref.year) * 12 + p.first.month - ref.month)
    return abs((p.first - ref).days)


def _two_digit_year(yy: int, ref: dt.date | None) -> int:
    """'98 → 1998: the century that puts the year at most 20 years after the reference."""
    if ref is None:
        return 1900 + yy if yy >= 50 else 2000 + yy
    year = ref.year // 100 * 100 + yy
    return year - 100 if year > ref.year + 20 else year


def _year_value(text: str) -> int | None:
    """A four-digit year in a plausible range, or None."""
    if len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2999:
        return int(text)
    return None


# --------------------------------------------------------------------------- handlers
# Each handler takes the cleaned text and the context and returns a NormalizedDate or None.

Handler = Callable[[str, _Ctx], "NormalizedDate | None"]


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """All handler patterns, compiled once from the lexicon's alternations."""
    a = _lexicon().alt
    month, wd, rel = a["month"], a["weekday"], a["rel"]
    yearph = rf"\d{{4}}|'\d{{2}}|(?:{rel}) year|year[- ]ago|year[- ]earlier|prior[- ]year"
    wd_prefix = rf"(?:(?:this |next |last )?(?:coming |past )?(?:{wd}) )?"
    return {
        "vague": re.compile(rf"(?P<v>{a['vague']}) (?P<u>{a['unit']})(?: and (?:{a['unit']}))?"),
        "iso_day": re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:t[\d:.]*(?:z|[+-][\d:]+)?)?"),
        "iso_month": re.compile(r"(\d{4})-(\d{2})"),
        "compact": re.compile(r"(\d{4})(\d{2})(\d{2})"),
        "mdy": re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})"),
        "dmy_dots": re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"),
        "md_slash": re.compile(r"(\d{1,2})/(\d{1,2})"),
        "range_mdd": re.compile(
            rf"(?:between |from )?(?P<m>{month}) (?P<d1>\d{{1,2}})(?:th)?"
            rf"(?: ?- ?| to | through | thru | until | and )(?P<d2>\d{{1,2}})(?:th)?"
            rf"(?: (?P<y>\d{{4}}))?"
        ),
        "range_ddm": re.compile(
            rf"(?:between |from )?(?P<d1>\d{{1,2}})(?:th)?(?: ?- ?| to | through | and )"
            rf"(?P<d2>\d{{1,2}})(?:th)? (?:of )?(?P<m>{month})(?: (?P<y>\d{{4}}))?"
        ),
        "range_years": re.compile(
            r"(?:between |from )?(?P<y1>\d{4})(?P<sep> ?[-/] ?| to | through | and )"
            r"(?P<y2>\d{4}|\d{1,2})"
        ),
        "range_months": re.compile(
            rf"(?:between |from )?(?P<m1>{month}) ?(?:-|to|through|and) ?(?P<m2>{month})"
            rf"(?: (?P<y>\d{{4}}))?"
        ),
        "range_any": re.compile(
            r"(?:between |from )?(?P<a>.+?) (?:-|to|through|thru|until|till|and) (?P<b>.+)"
        ),
        "month_day": re.compile(
            rf"{wd_prefix}(?P<m>{month}) (?P<d>\d{{1,2}})(?:th)?(?: (?:of )?(?P<y>{yearph}))?"
        ),
        "day_month": re.compile(
            rf"{wd_prefix}(?:the )?(?P<d>\d{{1,2}})(?:th)? (?:of )?(?P<m>{month})"
            rf"(?: (?:of )?(?P<y>{yearph}))?"
        ),
        "month_year": re.compile(rf"(?P<m>{month})(?: (?:of |in )?(?P<y>{yearph}))?"),
        "holiday": re.compile(
            rf"(?P<h>{_alternation(_lexicon().words['holidays'])})(?: (?:of )?(?P<y>{yearph}))?"
        ),
        "rel_month": re.compile(rf"(?P<r>{rel})(?: (?P<r2>coming|past))? (?P<m>{month})"),
        "year": re.compile(r"(?:year )?(?P<y>\d{4}|'\d{2})"),
        "weekday": re.compile(rf"(?:(?P<r>{rel}) )?(?:(?P<r2>coming|past) )?(?P<w>{wd})"),
        "deictic": re.compile(_alternation(_lexicon().words["deictic_days"])),
        "quarter": re.compile(
            rf"(?:(?P<y>{yearph}) )?(?:(?P<r>{rel}) )?(?P<n>[1-4])th[ -](?P<u>quarter|half)"
            rf"(?: (?:of|in) (?P<y2>{yearph}))?"
        ),
        "q_short": re.compile(r"(?:(?P<y>\d{4})[ -])?q(?P<n>[1-4])(?: (?P<y2>\d{4}))?"),
        "half_word": re.compile(
            rf"(?P<w>last|latter|second|first|1th|2th) half(?: (?:of|in) (?P<y>{yearph}))?"
        ),
        "year_unit": re.compile(r"(?P<y>\d{4}) (?P<u>quarter|period)"),
        "season": re.compile(
            rf"(?:(?P<r>{rel}) )?(?:(?P<r2>coming|past) )?(?P<s>{a['season']})"
            rf"(?: (?:of |in )?(?P<y>{yearph}))?"
        ),
        "decade": re.compile(r"(?P<c>\d{2})?(?P<d>\d)0s|'(?P<d2>\d)0s"),
        "decade_word": re.compile(rf"(?P<w>{a['decade']})"),
        "century": re.compile(r"(?P<n>\d{1,2})th century"),
        "relative": re.compile(rf"(?:(?P<r>{rel}) )?(?:(?P<r2>coming|past) )?(?P<u>{a['unit']})"),
        "year_back": re.compile(
            r"(?:year[- ]ago|year[- ]earlier|prior[- ]year)(?: (?P<u>quarter|period|month))?"
            r"|(?:last|previous|prior) year (?P<u2>quarter|period|month)"
        ),
        "unit_year_back": re.compile(
            r"(?P<u>quarter|period|month) (?:a year ago|a year earlier|1 year ago|1 year earlier|"
            r"last year|of last year|the year before|the previous year|of the previous year)"
        ),
        "ago": re.compile(
            rf"(?P<n>\d+|an?|{a['count']}) (?P<u>{a['unit']})(?: or so)? (?P<dir>{a['ago']})"
        ),
        "in_n": re.compile(rf"in (?P<n>\d+|an?) (?P<u>{a['unit']})"),
    }


def _h_reference(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "now" → PRESENT_REF, "recently" → PAST_REF, "coming months" → FUTURE_REF."""
    words = _lexicon().words
    if s in words["references"]:
        return NormalizedDate(words["references"][s])
    m = _patterns()["vague"].fullmatch(s)
    if m and m["u"].endswith("s"):
        return NormalizedDate(words["vague_plural"][m["v"]])
    return None


def _h_iso(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "2021-06-16", "2021/06/16", "20210616", "2021-06", ISO datetimes."""
    p = _patterns()
    m = p["iso_day"].fullmatch(s) or p["compact"].fullmatch(s)
    if m:
        return _day(int(m[1]), int(m[2]), int(m[3]))
    m = p["iso_month"].fullmatch(s)
    if m and 1 <= int(m[2]) <= 12:
        return _render(_Period("month", dt.date(int(m[1]), int(m[2]), 1)))
    return None


def _h_numeric(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "1/5/98" (US month/day/year unless the first number exceeds 12), "16.06.2021", "6/16"."""
    p = _patterns()
    m = p["mdy"].fullmatch(s)
    if m:
        first, second, year = int(m[1]), int(m[2]), m[3]
        month, day = (second, first) if first > 12 else (first, second)
        y = int(year) if len(year) == 4 else _two_digit_year(int(year), c.ref)
        return _day(y, month, day)
    m = p["dmy_dots"].fullmatch(s)
    if m:
        return _day(int(m[3]), int(m[2]), int(m[1]))
    m = p["md_slash"].fullmatch(s)
    if m:
        return _month_day(int(m[1]), int(m[2]), None, c)
    return None


def _day(year: int, month: int, day: int) -> NormalizedDate | None:
    try:
        return _render(_Period("day", dt.date(year, month, day)))
    except ValueError:
        return None


def _h_range(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "June 11-13", "11-13 June 2021", "1990-95", "between 1990 and 1995", "June to July"."""
    if " and " in s and not s.startswith("between "):
        return None  # "June and July" are two dates; "between June and July" is a range
    p = _patterns()
    months = _lexicon().words["months"]
    m = p["range_mdd"].fullmatch(s) or p["range_ddm"].fullmatch(s)
    if m:
        month, year = months[m["m"]], (int(m["y"]) if m["y"] else None)
        return _span(
            _month_day(month, int(m["d1"]), year, c), _month_day(month, int(m["d2"]), year, c)
        )
    m = p["range_years"].fullmatch(s)
    if m:
        return _year_range(m, c)
    m = p["range_months"].fullmatch(s)
    if m:
        year = m["y"] or ""
        return _span(
            _normalize_one(f"{m['m1']} {year}".strip(), c),
            _normalize_one(f"{m['m2']} {year}".strip(), c),
        )
    m = p["range_any"].fullmatch(s)
    if m:
        left, right = m["a"], m["b"]
        year = re.search(r"\b\d{4}$", right)
        if year and not re.search(r"\b\d{4}\b", left):
            left = f"{left} {year.group(0)}"
        return _span(_normalize_one(left, c), _normalize_one(right, c))
    return None


def _year_range(m: re.Match[str], c: _Ctx) -> NormalizedDate | None:
    y1, y2 = int(m["y1"]), m["y2"]
    if len(y2) < 4:
        if len(y2) == 2 and m["sep"].strip() == "-" and int(y2) <= 12:
            return None  # 2021-06 is a month, not a range
        size = 10 ** len(y2)
        end = y1 // size * size + int(y2)  # 1990-95, 2003/04, 2003-4
        if end <= y1:
            return None
    else:
        end = int(y2)
    return _span(_render(_Period("year", dt.date(y1, 1, 1))), _year_nd(end))


def _year_nd(year: int) -> NormalizedDate | None:
    return _render(_Period("year", dt.date(year, 1, 1))) if 1 <= year <= 9999 else None


def _span(a: NormalizedDate | None, b: NormalizedDate | None) -> NormalizedDate | None:
    """The interval from ``a`` to ``b``, if both are calendar values in that order."""
    if a is None or b is None or a.start is None or b.start is None:
        return None
    end = b.end or b.start
    if a.start.datatype == end.datatype and a.start.iso > end.iso:
        return None
    return NormalizedDate(f"{a.timex}/{b.timex}", a.start, end)


def _h_calendar(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "June 16", "16 June 2021", "Saturday, April 25", "March 1996", "January this year"."""
    p = _patterns()
    months = _lexicon().words["months"]
    m = p["month_day"].fullmatch(s) or p["day_month"].fullmatch(s)
    if m:
        year = _year_of(m["y"], c) if m["y"] else None
        if m["y"] and year is None:
            return None
        return _month_day(months[m["m"]], int(m["d"]), year, c)
    m = p["month_year"].fullmatch(s)
    if m:
        return _month(months[m["m"]], m["y"], c)
    m = p["rel_month"].fullmatch(s)
    if m:
        return _rel_month(months[m["m"]], m["r"], m["r2"], c)
    m = p["year"].fullmatch(s)
    if m:
        year = _year_of(m["y"], c)
        return _year_nd(year) if year else None
    return None


def _year_of(phrase: str, c: _Ctx) -> int | None:
    """The year a phrase names: "1998", "'98", "this year", "last year", "year-ago"."""
    if phrase.startswith("'"):
        return _two_digit_year(int(phrase[1:]), c.ref)
    if phrase[0].isdigit():
        return _year_value(phrase)
    if phrase.endswith(("ago", "earlier", "prior year", "prior-year")):
        base = c.base(anaphoric=True)
        return base.first.year - 1 if base else None
    word = phrase.split()[0]
    offset = _lexicon().words["relative"][word]
    base = c.base(anaphoric=word in _anaphoric_rel())
    return base.first.year + offset if base else None


@lru_cache(maxsize=1)
def _anaphoric_rel() -> frozenset[str]:
    """Relative words that point from the discourse anchor, not from the reference."""
    return frozenset({"following", "previous", "preceding", "prior", "subsequent", "that", "same"})


def _month_day(month: int, day: int, year: int | None, c: _Ctx) -> NormalizedDate | None:
    """A day of a month: with its year, resolved near the reference, or --MM-DD."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is not None:
        return _day(year, month, day)
    if c.ref is None:
        if day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
            return None
        md = f"{month:02d}-{day:02d}"
        return NormalizedDate(f"XXXX-{md}", TimeValue(f"--{md}", "gMonthDay"))
    candidates = []
    for y in (c.ref.year - 1, c.ref.year, c.ref.year + 1):
        try:
            candidates.append(_Period("day", dt.date(y, month, day)))
        except ValueError:
            continue
    before = [p for p in candidates if p.first <= c.ref]
    after = [p for p in candidates if p.first >= c.ref]
    if not before or not after:
        return _render((before or after)[-1 if before else 0]) if candidates else None
    return _render(_choose(before[-1], after[0], c.ref, c.tense, _TENSE_REACH_DAYS))


def _month(month: int, year_phrase: str | None, c: _Ctx) -> NormalizedDate | None:
    """A month: with its year, the nearest one to the reference, or XXXX-MM."""
    if year_phrase:
        year = _year_of(year_phrase, c)
        return _render(_Period("month", dt.date(year, month, 1))) if year else None
    if c.ref is None:
        return NormalizedDate(f"XXXX-{month:02d}")
    this = _Period("month", dt.date(c.ref.year, month, 1))
    current = _period_of(c.ref, "month")
    if this == current:
        return _render(this)
    before = this if this.first < current.first else this.shift(-12)
    after = this if this.first > current.first else this.shift(12)
    return _render(_choose(before, after, current.first, c.tense, _TENSE_REACH_DAYS))


def _rel_month(month: int, rel: str, rel2: str | None, c: _Ctx) -> NormalizedDate | None:
    """Reads "last May" (the May before this month), "next March", "this September"."""
    if c.ref is None:
        return None
    offset = _lexicon().words["relative"][rel]
    if rel2:
        offset = -1 if rel2 == "past" else 1
    current = _period_of(c.ref, "month")
    this = _Period("month", dt.date(c.ref.year, month, 1))
    if offset < 0:
        return _render(this if this.first < current.first else this.shift(-12))
    if offset > 0:
        return _render(this if this.first > current.first else this.shift(12))
    return _render(this)


def _h_holiday(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads fixed-date holidays: "Christmas", "Christmas Day 2004", "New Year's Eve"."""
    m = _patterns()["holiday"].fullmatch(s)
    if not m:
        return None
    month, day = _lexicon().words["holidays"][m["h"]]
    year = _year_of(m["y"], c) if m["y"] else None
    if m["y"] and year is None:
        return None
    return _month_day(month, day, year, c)


def _h_weekday(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "Friday", "last Friday", "next Monday", "this coming Sunday"."""
    m = _patterns()["weekday"].fullmatch(s)
    if not m:
        return None
    weekday = _lexicon().words["weekdays"][m["w"]]
    if c.ref is None:
        return NormalizedDate(f"XXXX-WXX-{weekday + 1}")
    ref = c.ref
    if m["r"] in _anaphoric_rel() and c.anchor is not None and c.anchor.gran == "day":
        ref = c.anchor.first  # "the previous Friday": the Friday before the anchor day
    back = (ref.weekday() - weekday) % 7
    before = _Period("day", ref - dt.timedelta(days=back))
    after = _Period("day", ref + dt.timedelta(days=(weekday - ref.weekday()) % 7))
    offset = _lexicon().words["relative"].get(m["r"], 0) if m["r"] else 0
    if m["r2"]:
        return _render(before if m["r2"] == "past" else after)
    if offset < 0:
        return _render(before if back else before.shift(-7))
    if offset > 0:
        return _render(after if after.first != ref else after.shift(7))
    return _render(_choose(before, after, ref, c.tense))


def _h_deictic(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "today", "yesterday", "tomorrow", "tonight"."""
    if c.ref is None or not _patterns()["deictic"].fullmatch(s):
        return None
    offset = _lexicon().words["deictic_days"][s]
    return _render(_Period("day", c.ref + dt.timedelta(days=offset)))


def _h_quarter(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "the third quarter", "third-quarter 1989", "Q3 2021", "the first half of 1990"."""
    p = _patterns()
    m = p["quarter"].fullmatch(s) or p["q_short"].fullmatch(s)
    if m:
        gran = m.groupdict().get("u") or "quarter"
        phrase = m["y"] or m["y2"] or (f"{m['r']} year" if m.groupdict().get("r") else None)
        return _part_of_year(gran, int(m["n"]), phrase, c)
    m = p["half_word"].fullmatch(s)
    if m:
        n = 1 if m["w"] in ("first", "1th") else 2
        return _part_of_year("half", n, m["y"], c)
    m = p["year_unit"].fullmatch(s)
    if m:
        year = int(m["y"])
        if c.anchor is not None and c.anchor.gran == "quarter":
            return _render(_Period("quarter", c.anchor.first.replace(year=year)))
        return _year_nd(year)
    return None


def _part_of_year(gran: str, n: int, phrase: str | None, c: _Ctx) -> NormalizedDate | None:
    if phrase:
        year = _year_of(phrase, c)
    elif c.ref is not None:
        year = c.ref.year
    else:
        letter = "Q" if gran == "quarter" else "H"
        return NormalizedDate(f"XXXX-{letter}{n}")
    if year is None or (gran == "half" and n > 2):
        return None
    return _render(_Period(gran, dt.date(year, (n - 1) * _MONTHS_PER[gran] + 1, 1)))


def _h_season(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "this summer", "last fall", "the winter of 1994", "summer"."""
    m = _patterns()["season"].fullmatch(s)
    if not m:
        return None
    tag = _lexicon().words["seasons"][m["s"]]
    if m["y"]:
        year = _year_of(m["y"], c)
    elif c.ref is None:
        return NormalizedDate(f"XXXX-{tag}")
    else:
        year = c.ref.year + _season_offset(tag, m["r"], m["r2"], c.ref)
    if year is None:
        return None
    first = _lexicon().words["season_months"][tag][0]
    return _render(_Period("season", dt.date(year, first, 1), tag))


def _season_offset(tag: str, rel: str | None, rel2: str | None, ref: dt.date) -> int:
    """Years to add to the reference year: "last summer" in March is last year's."""
    offset = _lexicon().words["relative"].get(rel, 0) if rel else 0
    if rel2:
        offset = -1 if rel2 == "past" else 1
    start, _ = _lexicon().words["season_months"][tag]
    if offset < 0:
        return 0 if start < ref.month else -1
    if offset > 0:
        return 0 if start > ref.month else 1
    return 0


def _h_decade(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "the 1990s", "the '90s", "the nineties", "the 20th century"."""
    p = _patterns()
    m = p["decade"].fullmatch(s)
    if m and m["c"]:
        return _render(_Period("decade", dt.date(int(m["c"]) * 100 + int(m["d"]) * 10, 1, 1)))
    digit = (int(m["d"] if m["d"] is not None else m["d2"])) if m else None
    w = p["decade_word"].fullmatch(s)
    if w:
        digit = _lexicon().words["decade_words"][w["w"]]
    if digit is not None:
        return _render(_Period("decade", dt.date(_decade_year(digit, c.ref), 1, 1)))
    m = p["century"].fullmatch(s)
    if m and 1 <= int(m["n"]) <= 30:
        return _render(_Period("century", dt.date(max((int(m["n"]) - 1) * 100, 1), 1, 1)))
    return None


def _decade_year(digit: int, ref: dt.date | None) -> int:
    """The '90s: the latest such decade that has begun by the reference year."""
    if ref is None:
        return 2000 + digit * 10 if digit == 0 else 1900 + digit * 10
    year = ref.year // 100 * 100 + digit * 10
    return year - 100 if year > ref.year else year


def _h_relative(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "last week", "this month", "next year", "the quarter", "the following year"."""
    m = _patterns()["relative"].fullmatch(s)
    if not m:
        return None
    unit = _lexicon().words["units"][m["u"]]
    if m["u"].endswith("s") and m["u"] != unit or unit == "fortnight":
        return None  # "last years", "the coming weeks" are not one period
    rel = m["r"]
    anaphoric = rel in _anaphoric_rel() or (unit == "period" and rel is None)
    base = c.base(anaphoric=anaphoric)
    if base is None:
        return None
    if unit == "period":
        unit = c.anchor.gran if c.anchor is not None and anaphoric else "quarter"
    if unit == "season":
        return None
    offset = _lexicon().words["relative"].get(rel, 0) if rel else 0
    if m["r2"]:
        offset = -1 if m["r2"] == "past" else 1
    return _render(_relative_period(base, unit, offset, rel, c))


def _relative_period(base: _Period, unit: str, offset: int, rel: str | None, c: _Ctx) -> _Period:
    if unit == "quarter" and rel is None:
        if c.current_anchor is not None and c.current_anchor.gran == "quarter":
            return c.current_anchor
        offset = 0 if c.tense == FUTURE else -1  # "the quarter" in a report: the last one
    if unit == "weekend" and rel is None and base.gran == "day":
        this = base.at("weekend")
        if base.first.weekday() >= 5:
            return this
        return _choose(this.shift(-1), this, base.first, c.tense)
    return base.at(unit).shift(offset)


def _h_year_back(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "year-earlier", "the year-ago quarter", "the quarter a year ago".

    A year before the current period: the anchor when it is a period of the reference's
    year (the one being reported on), else the reference's last quarter, month or year.
    """
    p = _patterns()
    m = p["year_back"].fullmatch(s) or p["unit_year_back"].fullmatch(s)
    if not m:
        return None
    unit = m["u"] or m.groupdict().get("u2")
    anchor = c.current_anchor
    if anchor is not None and (unit in (None, "period") or anchor.gran == unit):
        return _render(anchor.shift(-1, "year"))
    if c.ref is None:
        return None
    if unit in ("quarter", "period"):
        return _render(_period_of(c.ref, "quarter").shift(-1).shift(-1, "year"))
    return _render(_period_of(c.ref, unit or "year").shift(-1, "year"))


def _h_ago(s: str, c: _Ctx) -> NormalizedDate | None:
    """Reads "two years ago", "10 days earlier", "a year later", "in three weeks", "several years ago"."""
    p = _patterns()
    m = p["ago"].fullmatch(s)
    direction = None
    if m:
        direction = _lexicon().words["ago_words"][m["dir"]]
    else:
        m = p["in_n"].fullmatch(s)
        if m:
            direction = 1
    if not m:
        return None
    unit = _lexicon().words["units"][m["u"]]
    if unit in ("period", "season", "half", "fortnight", "weekend"):
        return None
    if m["n"] in _lexicon().words["vague_counts"]:
        return NormalizedDate("PAST_REF" if direction < 0 else "FUTURE_REF")
    n = 1 if m["n"] in ("a", "an") else int(m["n"])
    anaphoric = m.groupdict().get("dir") in _lexicon().words["anaphoric_words"]
    return _shifted(n * direction, unit, anaphoric, c)


def _shifted(n: int, unit: str, anaphoric: bool, c: _Ctx) -> NormalizedDate | None:
    """The period ``n`` units from the anchor (keeping its granularity) or from the reference."""
    anchor = c.anchor if anaphoric else c.current_anchor
    fine = _GRANS.index
    if anchor is not None and (anaphoric or (anchor.gran == "quarter" and unit == "year")):
        gran = anchor.gran if fine(anchor.gran) <= fine(unit) else unit
        return _render(anchor.at(gran).shift(n, unit))
    if c.ref is None:
        return None
    return _render(_period_of(c.ref, unit).shift(n, unit))


#: Handlers in the order they are tried on each stage of the expression.
_HANDLERS: tuple[Handler, ...] = (
    _h_reference,
    _h_iso,
    _h_numeric,
    _h_deictic,
    _h_calendar,
    _h_holiday,
    _h_weekday,
    _h_quarter,
    _h_season,
    _h_decade,
    _h_year_back,
    _h_ago,
    _h_relative,
)


# --------------------------------------------------------------------------- public API


def normalize_date(
    text: str,
    reference: dt.date | None = None,
    *,
    tense: str | None = None,
    anchor: str | None = None,
) -> NormalizedDate | None:
    """Normalize a date expression against ``reference`` (the document's date).

    ``tense`` ("past", "future" or None) decides whether a bare weekday, month or
    month-day points back or forward; without it the nearest occurrence wins.
    ``anchor`` is the TIMEX3 value of the previous date in the discourse, used by
    anaphoric expressions ("a year earlier", "the following month", "that quarter").
    Returns None for durations, ages and anything that is not a calendar date.

    >>> normalize_date("Friday", datetime.date(2021, 6, 14), tense="past").timex
    '2021-06-11'
    >>> normalize_date("June 11-13").start
    TimeValue(iso='--06-11', datatype='gMonthDay')
    """
    if tense not in _TENSES:
        raise ValueError(f"tense must be one of 'past', 'future' or None, not {tense!r}")
    if isinstance(reference, dt.datetime):
        reference = reference.date()
    s = _clean(text)
    if not s:
        return None
    ctx = _Ctx(reference, tense, _parse_timex(anchor))
    found = _h_reference(s, ctx) or _h_range(s, ctx)
    if found is not None:
        return found
    if _lexicon().not_date.search(s):
        return None
    return _normalize_one(s, ctx)


def normalize_in_order(
    expressions: Iterable[tuple[str, str | None]], reference: dt.date | None = None
) -> Iterator[NormalizedDate | None]:
    """Normalize one document's ``(text, tense)`` date expressions in reading order.

    Each expression gets as ``anchor`` the last concrete date before it that did not
    itself need an anchor, so "a year earlier" after "the third quarter" is the third
    quarter of the year before, and comparisons do not chain.

    >>> [d.timex for d in normalize_in_order([("May 1995", None), ("a year later", None)])]
    ['1995-05', '1996-05']
    """
    anchor: str | None = None
    for text, tense in expressions:
        found = normalize_date(text, reference, tense=tense, anchor=anchor)
        yield found
        if found is None or not _parse_timex(found.timex):
            continue
        if anchor is None or normalize_date(text, reference, tense=tense) == found:
            anchor = found.timex


def _normalize_one(s: str, ctx: _Ctx) -> NormalizedDate | None:
    """Try every handler on ``s`` and on its stripped versions; the first answer wins."""
    for stage in _stages(s):
        for handler in _HANDLERS:
            found = handler(stage, ctx)
            if found is not None:
                return found
    return None


_PUB_ISO = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[t\s][\d:.,]+(?:z|[+-][\d:]+)?)?\s*", re.I)
_PUB_COMPACT = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:[t\s]?[\d:]*)?\s*", re.I)


def parse_publication_date(text: str) -> dt.date | None:
    """A full calendar date from a metadata value, else None.

    Accepts ISO dates and datetimes, ``20210614``, RFC 2822 ("Mon, 14 Jun 2021 10:00:00
    GMT") and written dates ("14 June 2021", "June 14, 2021"). A month or year alone is
    not a publication date.

    >>> parse_publication_date("June 14, 2021")
    datetime.date(2021, 6, 14)
    """
    if not text or not text.strip():
        return None
    m = _PUB_ISO.fullmatch(text) or _PUB_COMPACT.fullmatch(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, AttributeError):
        pass
    found = normalize_date(text)
    if found is not None and found.start is not None and found.start.datatype == "date":
        if found.end is None:
            return dt.date.fromisoformat(found.start.iso)
    return None


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|'ll")


def guess_tense(before: str, after: str = "") -> str | None:
    """A crude tense for a date from the words of its clause, without a parser.

    The marker nearest to the date wins: "will", "next", "expected to" → "future";
    "was", "said", irregular past forms, words in -ed → "past"; none → None.

    >>> guess_tense("The talks will resume on", "")
    'future'
    """
    markers = _lexicon().words["tense_markers"]
    left = _WORD.findall(before.lower())
    right = _WORD.findall(after.lower())
    for distance in range(max(len(left), len(right))):
        for words, i in ((left, len(left) - 1 - distance), (right, distance)):
            if 0 <= i < len(words):
                found = _tense_of(words, i, markers)
                if found:
                    return found
    return None


def _tense_of(words: list[str], i: int, markers: dict) -> str | None:
    word = words[i]
    pair = f"{word} {words[i + 1]}" if i + 1 < len(words) else ""
    if word in _future_words() or pair in _future_words():
        return FUTURE
    if word in _past_words():
        return PAST
    if word.endswith(markers["past_suffix"]) and len(word) > 4 and word not in markers["not_past"]:
        return PAST
    return None


@lru_cache(maxsize=1)
def _future_words() -> frozenset[str]:
    return frozenset(_lexicon().words["tense_markers"]["future"])


@lru_cache(maxsize=1)
def _past_words() -> frozenset[str]:
    return frozenset(_lexicon().words["tense_markers"]["past"])
