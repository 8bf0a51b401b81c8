"""Calendar periods (day, week, month, quarter, year...) and their TIMEX3 and XSD values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from kg.extract.temporal.lexicon import _DAYS_PER, _MONTHS_PER
from kg.model import NormalizedDate, TimeValue

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
