"""The vocabulary of the news evaluation: gold articles and what a graph says about each.

Plain frozen dataclasses, so the scorers (``news_entities``, ``news_facts``,
``news_quotes``) are pure functions that tests feed by hand. Names are compared
through :func:`normalize_name`.

    >>> normalize_name("The  Scotsman's")
    'scotsman'
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.model import EVENT, LOCATION, ORGANIZATION, PERSON

#: The entity types scored, headline first.
HEADLINE_TYPES = (PERSON, ORGANIZATION, LOCATION)
ENTITY_TYPES = (*HEADLINE_TYPES, EVENT)
ROLE = "role"
DATE_PROPERTIES = ("date", "startDate", "endDate")
#: Properties whose objects are entities (``participant`` and ``successor`` are
#: read as their inverses, see :func:`kg.evaluation.news_facts.canonical`).
ENTITY_PROPERTIES = (
    "affiliatedWith",
    "leaderOf",
    "nationality",
    "locatedIn",
    "residence",
    "educatedAt",
    "participantIn",
    "participant",
    "predecessor",
    "successor",
)
SCORED_PROPERTIES = (ROLE, *ENTITY_PROPERTIES, *DATE_PROPERTIES)
_POSSESSIVES = ("'s", "\u2019s")


#: Honorifics and styles a name may carry or drop ("Lord Harris", "Harris"): not part of
#: the comparison, so neither side is charged for keeping or stripping them.
_HONORIFICS = frozenset(
    "mr mrs ms miss dr sir dame lord lady baroness baron prof professor rev".split()
)
_EDGE_PUNCTUATION = "!?.,;:'\"“”‘’()[]"


def normalize_name(name: str) -> str:
    """A name as the scorer compares it: casefolded, white space folded, no possessive
    ``'s``, no leading "the", no honorific ("Lord", "Mrs"), no punctuation at the edges
    ("Wham!" = "Wham")."""
    text = " ".join(name.split()).casefold()
    for ending in _POSSESSIVES:
        if text.endswith(ending):
            text = text[: -len(ending)].rstrip()
    if text.startswith("the "):
        text = text[4:].lstrip()
    words = text.split()
    while len(words) > 1 and words[0].rstrip(".") in _HONORIFICS:
        words = words[1:]
    return " ".join(words).strip(_EDGE_PUNCTUATION).strip()


@dataclass(frozen=True)
class GoldEntity:
    """One real thing an article names (see docs/annotation.md); ``country`` is the
    country lexicon's name for a Location that is a country, so a node made from a
    demonym can be recognized."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    optional: bool = False
    implicit: bool = False
    named: bool = True
    country: str | None = None

    @property
    def scored(self) -> bool:
        """Counted as an entity (optional and implicit ones are only used by facts)."""
        return not (self.optional or self.implicit)

    @property
    def types(self) -> frozenset[str]:
        return frozenset((self.type, *self.also))

    @property
    def keys(self) -> frozenset[str]:
        """Its normalized names (none for an unnamed event: it is matched by participants)."""
        if not self.named:
            return frozenset()
        return frozenset(normalize_name(n) for n in (self.name, *self.aliases) if n.strip())


@dataclass(frozen=True)
class GoldFact:
    """``s p o``: ``o`` an entity id, a role text or an ISO date value."""

    s: str
    p: str
    o: str


@dataclass(frozen=True)
class GoldQuote:
    """A quotation: where its first words start in the article, and who said it."""

    start: int
    text: str
    speaker: str | None


@dataclass(frozen=True)
class GoldArticle:
    """One annotated article of the news gold set."""

    id: str
    text: str
    date: str | None = None
    source: str = ""
    entities: tuple[GoldEntity, ...] = ()
    facts: tuple[GoldFact, ...] = ()
    quotes: tuple[GoldQuote, ...] = ()

    def entity(self, entity_id: str) -> GoldEntity | None:
        return next((e for e in self.entities if e.id == entity_id), None)


@dataclass(frozen=True)
class Node:
    """A graph node a document mentions: its class and its names in that document.

    ``country`` is set when the node came from a demonym ("Japanese" → Japan): the
    country lexicon's name for it.
    """

    id: str
    type: str
    names: frozenset[str]
    country: str | None = None

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(normalize_name(n) for n in self.names if n.strip())

    @property
    def label(self) -> str:
        return min(self.names, key=lambda n: (-len(n), n)) if self.names else self.id


@dataclass(frozen=True)
class NodeFact:
    """A fact with evidence in the document: ``o`` is a node id, a role text (``role``)
    or a Date node's ISO value (date properties); ``confidence`` the best evidence's."""

    s: str
    p: str
    o: str
    confidence: float = 1.0


@dataclass(frozen=True)
class NodeQuote:
    """A predicted quote: its text, its evidence span in the document, its speaker node."""

    id: str
    text: str
    start: int
    end: int
    speaker: str | None = None


@dataclass(frozen=True)
class DocPrediction:
    """Everything a system's graph says about one document."""

    doc_id: str
    nodes: tuple[Node, ...] = ()
    facts: tuple[NodeFact, ...] = ()
    quotes: tuple[NodeQuote, ...] = ()
