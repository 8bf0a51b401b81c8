"""Markdown to plain text: markup stripped, words and line structure kept.

Line by line, with regular expressions whose character classes exclude their own
delimiters, so every pattern runs in linear time on hostile input.
"""

from __future__ import annotations

import re

from kg.documents.dates import parse_date_value
from kg.documents.formats import Parsed
from kg.documents.meta import first_line_title

MAX_FRONT_MATTER_LINES = 100

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
_CLOSING_HASHES_RE = re.compile(r"(?:^|[ \t])#+$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE_RE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_LIST_RE = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_TABLE_RULE_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\[\]\n]+\]:[ \t]+\S+.*$")
_BLANK_RUN_RE = re.compile(r"\n{3,}")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
#: (pattern, replacement) applied in order to each line of running text.
_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]\n]+)\]\([^()\n]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^<>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^<>\n]*>"), ""),
    (re.compile(r"(\*\*|__)([^*_\n]+)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])"), r"\1"),
    (re.compile(r"~~([^~\n]+)~~"), r"\1"),
)
#: Escaped characters are parked in the private use area while inline rules run.
_PARK = 0xE000


def _park(match: re.Match[str]) -> str:
    return chr(_PARK + ord(match[1]))


def _unpark(text: str) -> str:
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group()) - _PARK), text)


def _drop_comments(text: str) -> str:
    """Text without ``<!-- ... -->`` comments (an unclosed one is kept)."""
    out, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def _heading_text(match: re.Match[str]) -> str:
    """An ATX heading's text without its optional closing hashes."""
    content = (match[2] or "").rstrip()
    return _CLOSING_HASHES_RE.sub("", content).rstrip()


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """YAML-style ``key: value`` front matter between ``---`` lines, and where the body starts."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    fields: dict[str, str] = {}
    for index, line in enumerate(lines[1 : MAX_FRONT_MATTER_LINES + 1], start=1):
        if line.strip() in ("---", "..."):
            return fields, index + 1
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t")):
            fields.setdefault(key.strip().lower(), value.strip().strip("\"'"))
    return {}, 0


def _inline(line: str) -> str:
    line = _ESCAPE_RE.sub(_park, line)
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    return line


def _strip_lines(lines: list[str]) -> tuple[list[str], str | None]:
    """Body lines without markup, and the first level-1 heading."""
    out: list[str] = []
    heading: str | None = None
    fence: str | None = None
    for line in lines:
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
                out.append("")
            else:
                out.append(line)
            continue
        if match := _FENCE_RE.match(line):
            fence = match[1][0] * len(match[1])
            out.append("")
            continue
        if _RULE_RE.match(line) or _TABLE_RULE_RE.match(line) or _REF_DEF_RE.match(line):
            out.append("")
            continue
        if _SETEXT_RE.match(line) and out and out[-1].strip():
            if heading is None and line.lstrip()[0] == "=":
                heading = out[-1].strip()
            out.append("")
            continue
        line = _LIST_RE.sub(r"\1", _QUOTE_RE.sub("", line))
        if match := _ATX_RE.match(line):
            line = _heading_text(match)
            if heading is None and len(match[1]) == 1:
                heading = _unpark(_inline(line)).strip() or None
        elif line.lstrip().startswith("|"):
            line = " | ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        out.append(_unpark(_inline(line)).rstrip())
    return out, heading


def parse_markdown(text: str) -> Parsed:
    """Plain text of a Markdown document; title from front matter, the first ``#`` heading
    or the first line; date, author and url from front matter.

    >>> parse_markdown("# Talks\\n\\nThe **summit** in [Geneva](https://x.org).").text
    'Talks\\n\\nThe summit in Geneva.'
    """
    text = _drop_comments(text)
    lines = text.split("\n")
    fields, start = _front_matter(lines)
    body_lines, heading = _strip_lines(lines[start:])
    body = _BLANK_RUN_RE.sub("\n\n", "\n".join(body_lines)).strip("\n")
    title = fields.get("title") or heading or first_line_title(body)
    date = parse_date_value(fields["date"]) if fields.get("date") else None
    return Parsed(
        text=body,
        title=title,
        date=date,
        author=fields.get("author") or None,
        url=fields.get("url") or fields.get("link") or None,
    )
