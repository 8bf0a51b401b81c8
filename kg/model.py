"""The internal vocabulary: what extractors produce and resolution consumes.

Plain frozen dataclasses, no library types, so every layer can be tested alone:

    Document ──nlp──► Doc ──extractors──► Mention, Fact (each with Evidence)
             ──resolve──► Entity ──rdf──► triples

Entity types are the local names of the ontology classes (``Person``,
``Organization``, ``Location``, ``Event``, ``Date``, ``Quote``); ``Document``
stands for the document itself (e.g. the subject of ``author``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PERSON = "Person"
ORGANIZATION = "Organization"
LOCATION = "Location"
EVENT = "Event"
DATE = "Date"
QUOTE = "Quote"
DOCUMENT = "Document"

#: What a mention is, beside its type: how later steps may use it.
NAME = "name"  # a proper name (NER or a rule): "Joe Biden", "NATO"
AUTHOR = "author"  # a name taken from the byline metadata
DEMONYM = "demonym"  # an adjective standing for its country: "British" → United Kingdom
DESCRIPTION = "description"  # an event described by a noun or verb: "the summit", "met"
DATE_VALUE = "date"  # a calendar expression with its normalized value
RANGE_END = "range_end"  # the end of a date range ("June 11-13" → the 13th), inside its start
QUOTATION = "quote"  # a direct quotation
DOCUMENT_SELF = "document"  # the document itself (subject of ``author``)
#: A pronoun or description ("he", "the minister") that refers to a named mention: its
#: ``antecedent``. It joins that mention's entity but never gives it a name.
REFERENCE = "reference"
MENTION_KINDS = (
    NAME,
    AUTHOR,
    DEMONYM,
    DESCRIPTION,
    DATE_VALUE,
    RANGE_END,
    QUOTATION,
    DOCUMENT_SELF,
    REFERENCE,
)

#: The confidence under which the HTML network and the explorer hide a fact by default.
#: Confidences are calibrated (:mod:`kg.extract.calibration`): a fact at 0.5 is as likely
#: right as wrong on the news gold set, so the views show the facts more likely right
#: than wrong; ``--min-confidence`` at build time and the views' filter change it.
VIEW_MIN_CONFIDENCE = 0.5
#: The confidence under which a build leaves a fact out by default: one more likely wrong
#: than right is not asserted (``--min-confidence 0`` keeps every fact).
BUILD_MIN_CONFIDENCE = VIEW_MIN_CONFIDENCE

#: Types an entity mention can have (a resolved entity has exactly one of them).
ENTITY_TYPES: tuple[str, ...] = (PERSON, ORGANIZATION, LOCATION, EVENT, DATE, QUOTE)

XsdDateType = Literal["date", "gYearMonth", "gYear", "gMonthDay"]


@dataclass(frozen=True)
class TimeValue:
    """A calendar value as an XSD lexical form, e.g. ``TimeValue("2021-06-16", "date")``."""

    iso: str
    datatype: XsdDateType


@dataclass(frozen=True)
class NormalizedDate:
    """A date expression normalized against a reference date.

    ``timex`` is the TIMEX3-style value (``2021-06-16``, ``1998-W05``, ``1989-Q3``,
    ``PRESENT_REF``, ``XXXX-06-16``); ``start``/``end`` are the XSD values when the
    expression has one (``end`` only for ranges such as "June 11-13").
    """

    timex: str
    start: TimeValue | None = None
    end: TimeValue | None = None


@dataclass(frozen=True)
class Evidence:
    """Where a mention or fact was found: document, sentence, character span, who found it."""

    doc_id: str
    sentence: str
    start: int
    end: int
    extractor: str
    confidence: float


@dataclass(frozen=True)
class Mention:
    """A span of a document that names something.

    ``name`` is the cleaned name (titles and determiners stripped); ``text`` the
    surface form. ``start``/``end`` are character offsets of ``name`` in the document
    text. ``subtype`` refines Event (``Meeting``, ``Summit``...); ``time`` holds the
    normalized value of a Date mention. ``role`` is a job title found inside the span
    ("NATO Secretary General Jens Stoltenberg" → "Secretary General").
    """

    doc_id: str
    text: str
    name: str
    type: str
    start: int
    end: int
    sentence: str = ""
    label: str = ""
    subtype: str | None = None
    time: TimeValue | None = None
    role: str | None = None
    confidence: float = 1.0
    extractor: str = "entities"
    #: True when the text puts it after "in", "to", "from"...: a place, not a person.
    locative: bool = False
    #: What the mention is (one of :data:`MENTION_KINDS`): a name, a demonym, a date...
    kind: str = NAME
    #: For a ``reference``: the named mention it refers to (coreference).
    antecedent: Mention | None = None
    #: The honorific right before a person's name ("mrs" in "Mrs Howard"), lower case.
    honorific: str | None = None
    #: What the words around the name say (see :mod:`kg.extract.cues`): "next:processor",
    #: "article", "possessive", "said", "sentence_start", "headline"...
    cues: frozenset[str] = frozenset()

    @property
    def span(self) -> tuple[str, int, int]:
        """Identity of the mention inside its corpus."""
        return (self.doc_id, self.start, self.end)


@dataclass(frozen=True)
class Fact:
    """A subject–relation–object statement with its evidence.

    ``relation`` is an ontology property local name (``role``, ``leaderOf``...) or, when
    ``open`` is true, a verb lemma (``meet``, ``criticize``) that becomes a
    sub-property of ``relatedTo``. ``object`` is a Mention, or a ``str`` literal
    (a role title, a quotation).
    """

    subject: Mention
    relation: str
    object: Mention | str
    evidence: Evidence
    open: bool = False


@dataclass
class Extraction:
    """Everything the extractors found in one document."""

    doc_id: str
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Entity:
    """One real thing, after resolution: all its mentions, one type, one label.

    ``key`` is the path of its IRI below the entity namespace, e.g. ``person/joe-biden``.
    """

    key: str
    type: str
    label: str
    aliases: set[str] = field(default_factory=set)
    subtype: str | None = None
    time: TimeValue | None = None
    mentions: list[Mention] = field(default_factory=list)
    #: For an unnamed event: its key without the date, under which an undated mention in
    #: one document is linked to the dated event of another (see :mod:`kg.build.link`).
    base_key: str | None = None
