"""The handlers: one regular-expression family each, from an expression to a value."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.temporal.clean import _stages
from kg.extract.temporal.lexicon import _GRANS, _MONTHS_PER, FUTURE, PAST, _alternation, _lexicon
from kg.extract.temporal.periods import _Period, _period_of, _render
from kg.model import NormalizedDate, TimeValue

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
        year_text = m["y"] or ""
        return _span(
            _normalize_one(f"{m['m1']} {year_text}".strip(), c),
            _normalize_one(f"{m['m2']} {year_text}".strip(), c),
        )
    m = p["range_any"].fullmatch(s)
    if m:
        left, right = m["a"], m["b"]
        last_year = re.search(r"\b\d{4}$", right)
        if last_year and not re.search(r"\b\d{4}\b", left):
            left = f"{left} {last_year.group(0)}"
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
    direction: int = 1
    if m:
        direction = int(_lexicon().words["ago_words"][m["dir"]])
    else:
        m = p["in_n"].fullmatch(s)
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


def _normalize_one(s: str, ctx: _Ctx) -> NormalizedDate | None:
    """Try every handler on ``s`` and on its stripped versions; the first answer wins."""
    for stage in _stages(s):
        for handler in _HANDLERS:
            found = handler(stage, ctx)
            if found is not None:
                return found
    return None
