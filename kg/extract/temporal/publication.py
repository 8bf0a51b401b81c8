"""A document's publication date from the forms metadata gives it in."""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from kg.extract.temporal.normalize import normalize_date

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
