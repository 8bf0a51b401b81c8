"""The loaders' data files in ``kg/data/`` (``documents_*``), each read once."""

from __future__ import annotations

import csv
import json
from functools import cache
from importlib import resources
from typing import Any


def _read(filename: str) -> str:
    return resources.files("kg").joinpath("data", filename).read_text(encoding="utf-8")


def rows(filename: str) -> list[list[str]]:
    """Rows of a tab-separated data file, without comment lines and the header."""
    lines = [line for line in _read(filename).splitlines() if line and not line.startswith("#")]
    return list(csv.reader(lines, delimiter="\t"))[1:]


@cache
def json_table(filename: str) -> dict[str, Any]:
    """A JSON data file as a dict."""
    return json.loads(_read(filename))


@cache
def extensions() -> dict[str, str]:
    """Lower-case extension (with the dot) → format name (``txt``, ``md``, ``html``, ``jsonl``)."""
    return {ext: fmt for ext, fmt in rows("documents_extensions.tsv")}


@cache
def binary_signatures() -> tuple[tuple[tuple[tuple[int, bytes], ...], str], ...]:
    """((offset, magic bytes) parts, file kind) for each known binary format."""
    table = []
    for signature, name in rows("documents_binary_signatures.tsv"):
        parts = []
        for part in signature.split():
            offset, hexdigits = part.split(":")
            parts.append((int(offset), bytes.fromhex(hexdigits)))
        table.append((tuple(parts), name))
    return tuple(table)


@cache
def months() -> dict[str, int]:
    """Lower-case month name or abbreviation → month number."""
    return {name: int(number) for name, number in rows("documents_months.tsv")}


def bylines() -> dict[str, Any]:
    """Byline prefixes, name particles and words that are never names."""
    return json_table("documents_bylines.json")


def html_rules() -> dict[str, Any]:
    """Which elements the HTML reader drops, which end paragraphs, which meta tags it reads."""
    return json_table("documents_html.json")
