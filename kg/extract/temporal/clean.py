"""Cleaning a date expression: lower case, number words to digits, clock times and modifiers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.temporal.lexicon import _lexicon

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
