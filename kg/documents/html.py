"""HTML to main text and metadata, with selectolax (lexbor).

Boilerplate elements (scripts, navigation, headers, footers, asides, forms...) are
dropped; paragraph-level elements become blank lines. lexbor is iterative, but its
tree builder gets quadratic on thousands of nested blocks, so very large pages go
through `limit_nesting` first. Nothing here recurses in Python.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kg.documents._data import html_rules
from kg.documents.dates import parse_date_value
from kg.documents.formats import Parsed

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Pages with more tags than this get their nesting limited before parsing.
GUARD_TAGS = 10_000
MAX_DEPTH = 256
#: A single <article>/<main> is the content when it holds this share of the body text.
MIN_CONTENT_SHARE = 0.3
MAX_JSON_LD_NODES = 10_000

PARAGRAPH = "\ue000"
LINE = "\ue001"
_MARKS_RE = re.compile(f" ?[{PARAGRAPH}{LINE}][ {PARAGRAPH}{LINE}]*")
_SPACE_RE = re.compile(r"[ \t\n\r\f\v\xa0]+")
_TAG_RE = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)\b[^<>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][^\s/<>]*)[^<>]*>",
    re.S | re.I,
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Tags that close an open tag of the same name ("<li>a<li>b") or an open <p>.
_SELF_CLOSING_SIBLINGS = frozenset("p li dt dd option tr td th".split())
_CLOSES_P = frozenset("div p ul ol dl table section article aside nav header footer".split())


def limit_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` with tags nested deeper than `max_depth` replaced by ``<br>`` (their end
    tags removed), a cheap approximation of the HTML tree that keeps all text.

    >>> limit_nesting("<div><div><div>x</div></div></div>", 2)
    '<div><div><br>x</div></div>'
    """
    out: list[str] = []
    stack: list[str] = []
    dropped: dict[str, int] = {}
    last = 0
    for match in _TAG_RE.finditer(html):
        name = match[3]
        if not name:
            continue
        name = name.lower()
        replacement = _track(name, bool(match[2]), match.group(), stack, dropped, max_depth)
        if replacement is not None:
            out.append(html[last : match.start()])
            out.append(replacement)
            last = match.end()
    out.append(html[last:])
    return "".join(out)


def _track(
    name: str, closing: bool, tag: str, stack: list[str], dropped: dict[str, int], limit: int
) -> str | None:
    """Update the open-element stack for one tag; the tag's replacement, if any."""
    if closing:
        if dropped.get(name):
            dropped[name] -= 1
            return ""
        if name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name) :]
        return None
    if name in _VOID or tag.endswith("/>"):
        return None
    if stack and (
        (name in _SELF_CLOSING_SIBLINGS and stack[-1] == name)
        or (name in _CLOSES_P and stack[-1] == "p")
    ):
        stack.pop()
    if len(stack) >= limit:
        dropped[name] = dropped.get(name, 0) + 1
        return "<br>"
    stack.append(name)
    return None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def _node_text(node: LexborNode | None) -> str | None:
    return _clean(node.text(deep=True, separator="")) if node is not None else None


def _meta_table(tree: LexborHTMLParser) -> dict[tuple[str, str], str]:
    """(attribute, lower-case value) → content of every <meta> and <link>, first wins."""
    table: dict[tuple[str, str], str] = {}
    for node in tree.css("meta, link"):
        attrs = node.attributes
        content = attrs.get("content") or attrs.get("href")
        if not content:
            continue
        for key in ("property", "name", "itemprop", "http-equiv", "rel"):
            if value := attrs.get(key):
                table.setdefault((key, value.strip().lower()), content.strip())
    return table


def _lookup(table: dict[tuple[str, str], str], rule: str) -> str | None:
    for attribute, value in html_rules()[rule]:
        if found := table.get((attribute, value.lower())):
            return found
    return None


def _json_ld(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    """Every JSON object inside ``application/ld+json`` scripts, walked without recursion."""
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            stack: list[Any] = [json.loads(script.text())]
        except (ValueError, RecursionError):
            continue
        seen = 0
        while stack and seen < MAX_JSON_LD_NODES:
            item = stack.pop()
            seen += 1
            if isinstance(item, dict):
                yield item
                stack.extend(reversed(list(item.values())))
            elif isinstance(item, list):
                stack.extend(reversed(item))


def _ld_author(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def _first_author(value: str | None) -> str | None:
    """One name from an author field: no URL, no "By ", the first of several."""
    if not value or value.startswith(("http://", "https://", "/")):
        return None
    value = re.sub(r"^by\s+", "", value.strip(), flags=re.I)
    return _clean(re.split(r"\s*(?:[,;|&]|\sand\s)\s*", value, maxsplit=1)[0])


def _metadata(tree: LexborHTMLParser) -> dict[str, str | None]:
    """Title, date, author and url from meta tags, then JSON-LD."""
    table = _meta_table(tree)
    found = {
        "title": _lookup(table, "title_meta"),
        "date": _lookup(table, "date_meta"),
        "author": _first_author(_lookup(table, "author_meta")),
        "url": _lookup(table, "url_meta"),
    }
    if None in (found["date"], found["author"]):
        for item in _json_ld(tree):
            if found["date"] is None and isinstance(item.get("datePublished"), str):
                found["date"] = item["datePublished"]
            if found["author"] is None:
                found["author"] = _first_author(_ld_author(item.get("author")))
    return found


def _drop_boilerplate(tree: LexborHTMLParser) -> None:
    """Remove dropped elements, innermost first so no freed node is touched again.

    ``<html>`` and ``<body>`` stay whatever their attributes say (``<html hidden>`` is
    an anti-flicker trick, and lexbor cannot remove the root).
    """
    for selector in html_rules()["drop"]:
        for node in reversed(tree.css(selector)):
            if node.parent is None or node.tag in ("html", "body"):
                continue
            node.decompose()


def _content_root(tree: LexborHTMLParser) -> LexborNode | None:
    """The single <article> or <main> when it holds most of the text, else <body>."""
    body = tree.body or tree.root
    if body is None:
        return None
    articles = tree.css("article")
    candidate = articles[0] if len(articles) == 1 else tree.css_first("main")
    if candidate is not None:
        share = len(candidate.text(deep=True).strip()) / max(1, len(body.text(deep=True).strip()))
        if share >= MIN_CONTENT_SHARE:
            return candidate
    return body


def _title(tree: LexborHTMLParser, root: LexborNode | None, meta_title: str | None) -> str | None:
    """The content's <h1>, else og:title and friends, else <title>, else any <h1>."""
    heading = root.css_first("h1") if root is not None else None
    return (
        _node_text(heading)
        or _clean(meta_title)
        or _node_text(tree.css_first("title"))
        or _node_text(tree.css_first("h1"))
    )


def _block_text(root: LexborNode) -> str:
    """Text of `root`, paragraphs separated by blank lines, lines by newlines."""
    rules = html_rules()
    for mark, tags in ((PARAGRAPH, rules["paragraphs"]), (LINE, rules["lines"])):
        for node in root.css(", ".join(tags)):
            node.insert_before(mark)
            node.insert_after(mark)
    raw = _SPACE_RE.sub(" ", root.text(deep=True, separator=""))
    text = _MARKS_RE.sub(lambda m: "\n\n" if PARAGRAPH in m.group() else "\n", raw)
    return text.strip()


def parse_html(html: str) -> Parsed:
    """Main text and metadata of an HTML page.

    >>> parse_html("<title>T</title><nav>Menu</nav><p>One.</p><p>Two.</p>").text
    'One.\\n\\nTwo.'
    """
    from selectolax.lexbor import LexborHTMLParser

    html = html.replace(PARAGRAPH, "").replace(LINE, "")
    if html.count("<") > GUARD_TAGS:
        html = limit_nesting(html)
    tree = LexborHTMLParser(html)
    meta = _metadata(tree)
    _drop_boilerplate(tree)
    root = _content_root(tree)
    date_value = meta["date"]
    return Parsed(
        text=_block_text(root) if root is not None else "",
        title=_title(tree, root, meta["title"]),
        date=parse_date_value(date_value) if date_value else None,
        author=meta["author"],
        url=_clean(meta["url"]),
    )
