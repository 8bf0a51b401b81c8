"""Word lists for date normalization (``kg/data/temporal_words.json``), loaded once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

PAST = "past"
FUTURE = "future"
_TENSES = (None, PAST, FUTURE)
_WORDS_FILE = "temporal_words.json"

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

    words: dict[str, Any]
    number_run: re.Pattern[str]
    strip_prefix: re.Pattern[str]
    strip_suffix: re.Pattern[str]
    not_date: re.Pattern[str]
    ignore: re.Pattern[str]
    alt: dict[str, str]


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first so "sept" wins over "sep"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Load the word table and compile the patterns that depend on it (once)."""
    words = json.loads(resources.files("kg.data").joinpath(_WORDS_FILE).read_text(encoding="utf-8"))
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
