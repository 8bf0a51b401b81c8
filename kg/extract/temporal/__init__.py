"""Date expressions → TIMEX3 and XSD values (pure Python; used by the date extractor).

One module per concern: ``lexicon`` (word lists), ``clean`` (normalizing the text),
``periods`` (calendar arithmetic and values), ``handlers`` (one pattern family each),
``normalize`` (the public entry points), ``tense`` (past or future from the words
around a date), ``publication`` (a document's date from its metadata).

    >>> from kg.extract.temporal import normalize_date
    >>> normalize_date("June 16", datetime.date(2021, 6, 14)).timex  # doctest: +SKIP
    '2021-06-16'
"""

from __future__ import annotations

from kg.extract.temporal.lexicon import FUTURE, PAST
from kg.extract.temporal.normalize import normalize_date, normalize_in_order, normalize_spans
from kg.extract.temporal.publication import parse_publication_date
from kg.extract.temporal.tense import guess_tense

__all__ = [
    "FUTURE",
    "PAST",
    "guess_tense",
    "normalize_date",
    "normalize_in_order",
    "normalize_spans",
    "parse_publication_date",
]
