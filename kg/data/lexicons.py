"""Lexicons kept as data files in ``kg/data/``: titles, countries and demonyms, event words.

Each loader reads its file once (cached) and returns plain dicts and sets.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LEADER = "leader"
MEMBER = "member"
HONORIFIC = "honorific"


def _rows(filename: str) -> list[list[str]]:
    """Rows of a tab-separated data file, without comments and the header line."""
    text = resources.files("kg.data").joinpath(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(lines, delimiter="\t"))
    return rows[1:]


def _words(filename: str) -> frozenset[str]:
    text = resources.files("kg.data").joinpath(filename).read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Lower-case title → kind (``leader``, ``member`` or ``honorific``)."""
    return {row[0].strip(): row[1].strip() for row in _rows("titles.tsv")}


@lru_cache(maxsize=1)
def title_prefixes() -> frozenset[str]:
    """Qualifiers that may precede a title: "former", "acting", "ex-"..."""
    return _words("title_prefixes.txt")


@lru_cache(maxsize=1)
def name_particles() -> frozenset[str]:
    """Lower-case particles inside personal names: "von", "de", "bin"..."""
    return _words("name_particles.txt")


def _phrase_pattern(phrases: list[str]) -> str:
    """Alternation of phrases, longest first, with flexible spaces and hyphens."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        escaped = re.escape(phrase).replace(r"\ ", r"\s+").replace(r"\-", r"\s*-\s*")
        parts.append(escaped)
    return "|".join(parts)


def qualified_title_pattern(*, honorifics: bool) -> str:
    """A title with optional qualifiers ("former", "acting", "ex-"), as a regex fragment."""
    qualifiers = _phrase_pattern([p.rstrip("-") for p in title_prefixes()])
    names = [t for t, kind in titles().items() if honorifics or kind != HONORIFIC]
    return rf"(?:(?:{qualifiers})(?:\s*-\s*|\s+))*(?:{_phrase_pattern(names)})"


@lru_cache(maxsize=1)
def title_suffix_regex() -> re.Pattern[str]:
    """Matches a job title (with optional qualifiers) at the very end of a string."""
    return re.compile(
        rf"(?:(?<=[\s(\[,;:\"“'‘])|^)(?P<title>{qualified_title_pattern(honorifics=False)})\s*$",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def title_prefix_regex() -> re.Pattern[str]:
    """Matches titles and honorifics at the start of a name ("MEP Radoslaw Sikorski")."""
    return re.compile(
        rf"^(?P<title>(?:{qualified_title_pattern(honorifics=True)}(?:\s+|$))+)", re.IGNORECASE
    )


@lru_cache(maxsize=1)
def title_head_regex() -> re.Pattern[str]:
    """Matches a whole string that is a title ("director", "Secretary General")."""
    return re.compile(rf"^{qualified_title_pattern(honorifics=True)}$", re.IGNORECASE)


def title_kind(title: str) -> str | None:
    """``leader``/``member``/``honorific`` for a title, ignoring qualifiers ("former")."""
    words = re.sub(r"\s*-\s*", "-", title.lower()).split()
    table = titles()
    qualifiers = {p.rstrip("-") for p in title_prefixes()}
    while words:
        candidate = " ".join(words)
        if candidate in table:
            return table[candidate]
        head = words[0].rstrip("-")
        if head in qualifiers or head.split("-")[0] in qualifiers:
            rest = words[0].split("-", 1)[1] if "-" in words[0] else ""
            words = ([rest] if rest else []) + words[1:]
            continue
        words = words[1:]
    return None


@dataclass(frozen=True)
class Places:
    """Country names, their aliases and demonyms, all keyed in lower case."""

    canonical: dict[str, str]  # name or alias → canonical name
    demonyms: dict[str, str]  # demonym → canonical name


@lru_cache(maxsize=1)
def places() -> Places:
    canonical: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for row in _rows("countries.tsv"):
        name = row[0].strip()
        aliases = row[1].split("|") if len(row) > 1 and row[1] else []
        canonical[name.lower()] = name
        for alias in aliases:
            canonical[alias.strip().lower()] = name
        for demonym in row[2].split("|") if len(row) > 2 and row[2] else []:
            demonyms[demonym.strip().lower()] = name
    return Places(canonical=canonical, demonyms=demonyms)


@dataclass(frozen=True)
class EventWords:
    nouns: dict[str, str]  # lower-case noun phrase → event class
    verbs: dict[str, str]  # verb lemma → event class


@lru_cache(maxsize=1)
def event_words() -> EventWords:
    nouns: dict[str, str] = {}
    verbs: dict[str, str] = {}
    for word, kind, cls in _rows("event_nouns.tsv"):
        (nouns if kind == "noun" else verbs)[word] = cls
    return EventWords(nouns=nouns, verbs=verbs)


@lru_cache(maxsize=1)
def given_names() -> dict[str, str]:
    """Lower-case given name → the gender it usually marks (``m``/``f``): a cue for he/she."""
    return {row[0].strip(): row[1].strip() for row in _rows("first_names.tsv")}


@dataclass(frozen=True)
class DescriptionNoun:
    """What a definite description's noun can stand for: an entity type, maybe a gender."""

    type: str
    gender: str | None


@lru_cache(maxsize=1)
def description_nouns() -> dict[str, DescriptionNoun]:
    """Lower-case noun → the named entity a description headed by it may refer to."""
    return {
        row[0].strip(): DescriptionNoun(row[1].strip(), row[2].strip() if row[2] != "-" else None)
        for row in _rows("coref_nouns.tsv")
    }
