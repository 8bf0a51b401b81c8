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
from collections.abc import Iterable, Iterator

from kg.extract.temporal.clean import _clean
from kg.extract.temporal.handlers import _Ctx, _h_range, _h_reference, _normalize_one
from kg.extract.temporal.lexicon import _TENSES, _lexicon
from kg.extract.temporal.periods import _parse_timex
from kg.model import NormalizedDate

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


def normalize_spans(
    text: str, spans: Iterable[tuple[int, int]], reference: dt.date | None = None
) -> list[NormalizedDate | None]:
    """The values of one document's date expressions ``text[start:end]``, in reading order.

    This is what the date extractor ships, and what ``kg eval timebank`` scores: each
    expression gets the tense of the words of its clause (:func:`guess_tense`) and the
    earlier dates of the document as anchors (:func:`normalize_in_order`).

    >>> [d.timex for d in normalize_spans("In May 1995. A year later.", [(3, 11), (13, 25)])]
    ['1995-05', '1996-05']
    """
    from kg.extract.temporal.tense import clause_around, guess_tense

    expressions = []
    for start, end in spans:
        before, after = clause_around(text, start, end)
        expressions.append((text[start:end].strip(), guess_tense(before, after)))
    return list(normalize_in_order(expressions, reference))
