"""Metadata found in the text itself: a title line and a byline."""

from __future__ import annotations

import re
from functools import cache

from kg.documents._data import bylines

MAX_TITLE = 300
#: How far from each end of the text a byline is looked for.
BYLINE_HEAD_LINES = 6
BYLINE_TAIL_LINES = 10
BYLINE_WINDOW = 4000
MAX_BYLINE = 100

_NAME_END_RE = re.compile(r"\s*(?:[,;|•·(\[]|\s[-–—]\s|\s+and\s+|\s+&\s+).*$", re.IGNORECASE)
_NAME_WORD_RE = re.compile(r"^[^\W\d_][\w'’.-]*$")


def first_line_title(text: str) -> str | None:
    """The first non-empty line, whitespace collapsed, cut at a word near 300 characters."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = " ".join(text[start : min(end, start + 4 * MAX_TITLE)].split())
        if line:
            return _shorten(line)
        start = end + 1
    return None


def _shorten(line: str) -> str:
    if len(line) <= MAX_TITLE:
        return line
    cut = line.rfind(" ", 0, MAX_TITLE)
    return line[: cut if cut > 0 else MAX_TITLE].rstrip() + "…"


@cache
def _prefix_re() -> re.Pattern[str]:
    prefixes = sorted(bylines()["prefixes"], key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in prefixes)
    return re.compile(rf"^(?P<prefix>{alternation})(?:\s*:\s*|\s+)(?P<rest>\S.*)$", re.IGNORECASE)


def _is_name_word(word: str, *, inner: bool) -> bool:
    table = bylines()
    if inner and word in table["name_particles"]:
        return True
    return bool(_NAME_WORD_RE.match(word)) and word[0].isupper()


def byline_name(line: str) -> str | None:
    """The name in a byline line ("By Jane Smith", "Author: Killian Jones"), else None."""
    line = line.strip()
    if len(line) > MAX_BYLINE or not (match := _prefix_re().match(line)):
        return None
    words = _NAME_END_RE.sub("", match["rest"]).rstrip(".:").split()
    table = bylines()
    prefix = " ".join(match["prefix"].lower().split())
    minimum = 2 if prefix in table["prefixes_needing_two_words"] else 1
    if not minimum <= len(words) <= 4 or words[0].lower() in table["not_name_words"]:
        return None
    last = len(words) - 1
    if not all(_is_name_word(w, inner=0 < i < last) for i, w in enumerate(words)):
        return None
    name = " ".join(words)
    return name.title() if name.isupper() and len(name) > 3 else name


def _edge_lines(text: str) -> list[str]:
    """The first and last few non-empty lines, without splitting a huge text."""
    head = [line for line in text[:BYLINE_WINDOW].split("\n") if line.strip()]
    tail = [line for line in text[-BYLINE_WINDOW:].split("\n") if line.strip()]
    if len(text) > BYLINE_WINDOW:
        head, tail = head[:-1], tail[1:]  # the cut lines may be partial
    return head[:BYLINE_HEAD_LINES] + tail[-BYLINE_TAIL_LINES:]


def find_byline(text: str) -> str | None:
    """The author named by a byline line near the start or end of the text.

    >>> find_byline("Title\\n\\nBy Jane Smith\\n\\nBody text.")
    'Jane Smith'
    """
    for line in _edge_lines(text):
        if name := byline_name(line):
            return name
    return None
