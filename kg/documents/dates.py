"""Publication dates in metadata ("2021-06-14", "14 June 2021", ISO datetimes...).

Only whole values from metadata fields; dates inside running text are
`kg.extract.temporal.normalize`'s job.
"""

from __future__ import annotations

import datetime
import re

from kg.documents._data import months

_LEADING_WORD_RE = re.compile(r"^([A-Za-z]{3,9})\.?,?\s+")
_ISO_RE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:$|T)")
_DMY_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_MDY_RE = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_NUMERIC_RE = re.compile(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{4})\b")
#: A value that is one date and nothing else: ISO (with an optional ISO time), compact,
#: "14 June 2021", "June 14, 2021" (an optional weekday first) or "14/06/2021".
_WHOLE_DATE_RE = re.compile(
    r"""
    \d{4}([-/.])\d{1,2}\1\d{1,2}
        (?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?
  | \d{8}
  | (?:[A-Za-z]{3,9}\.?,?\s+)?
    (?: \d{1,2}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?[A-Za-z]{3,9}\.?,?\s+\d{4}
      | [A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4} )
  | \d{1,2}([/.])\d{1,2}\2\d{4}
    """,
    re.VERBOSE,
)


def _make(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _month(name: str) -> int | None:
    return months().get(name.lower().rstrip("."))


def _drop_weekday(text: str) -> str:
    """ "Monday, 14 June 2021" → "14 June 2021" (a leading word that is not a month)."""
    match = _LEADING_WORD_RE.match(text)
    if match and _month(match[1]) is None:
        return text[match.end() :]
    return text


def _numeric(first: int, second: int, year: int) -> datetime.date | None:
    """ "14/06/2021" or "06/14/2021" when only one reading is possible."""
    if first > 12 >= second:
        return _make(year, second, first)
    if second > 12 >= first:
        return _make(year, first, second)
    return None


def parse_date_option(value: str) -> datetime.date | None:
    """A date given on the command line: the whole value must be one date, nothing after it.

    Where metadata may carry a date followed by other words (a time, "updated ..."),
    an option is either a date or a mistake: ``"2021-06-16; DROP"`` is refused, not
    read as 2021-06-16. The forms are those of :func:`parse_date_value`.

    >>> parse_date_option("2021-06-16"), parse_date_option("2021-06-16; DROP")
    (datetime.date(2021, 6, 16), None)
    """
    text = value.strip()
    if not text or not _WHOLE_DATE_RE.fullmatch(text):
        return None
    return parse_date_value(text)


def parse_date_value(value: str) -> datetime.date | None:
    """The calendar date a metadata value names, or None.

    Reads ISO dates and datetimes, ``YYYYMMDD``, "14 June 2021", "June 14, 2021",
    RFC 2822 ("Mon, 14 Jun 2021 10:00:00 GMT") and unambiguous "14/06/2021".
    A datetime gives its date as written, whatever the time zone.

    >>> parse_date_value("June 14, 2021")
    datetime.date(2021, 6, 14)
    """
    text = value.strip()[:100]
    if match := _ISO_RE.match(text):
        return _make(int(match[1]), int(match[3]), int(match[4]))
    if match := _COMPACT_RE.match(text):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    text = _drop_weekday(text)
    if (match := _DMY_RE.match(text)) and (month := _month(match[2])):
        return _make(int(match[3]), month, int(match[1]))
    if (match := _MDY_RE.match(text)) and (month := _month(match[1])):
        return _make(int(match[3]), month, int(match[2]))
    if match := _NUMERIC_RE.match(text):
        return _numeric(int(match[1]), int(match[3]), int(match[4]))
    return None
