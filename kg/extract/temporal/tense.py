"""A crude tense from the words around a date (past, future or unknown)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from kg.extract.temporal.lexicon import FUTURE, PAST, _lexicon

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|'ll")
#: Characters of text read on each side of a date for its tense.
CONTEXT = 120
_CLAUSE_END = re.compile(r"[.!?;]\s+(?=[A-Z\"`'])|\n\s*\n")


def clause_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The text of the sentence before and after ``text[start:end]``, at most
    :data:`CONTEXT` characters each side."""
    left = text[max(0, start - CONTEXT) : start]
    cut = list(_CLAUSE_END.finditer(left))
    if cut:
        left = left[cut[-1].end() :]
    right = text[end : end + CONTEXT]
    stop = _CLAUSE_END.search(right)
    if stop:
        right = right[: stop.start() + 1]
    return left, right


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


def _tense_of(words: list[str], i: int, markers: dict[str, Any]) -> str | None:
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
