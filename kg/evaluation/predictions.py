"""What a system predicted on one gold document, in one shape for our pipeline and the baseline.

Our pipeline runs through its public functions: :func:`kg.build.pipeline.extract_documents`
(spaCy batching) then :func:`kg.resolve.resolution.resolve` per document, so each mention carries
the type and entity its cluster got. Facts keep only what the RDF writer would write:
entity objects (not literals) whose resolved types fit the property's signature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.model import (
    DATE,
    DESCRIPTION,
    EVENT,
    LOCATION,
    ORGANIZATION,
    PERSON,
    REFERENCE,
    Extraction,
    Mention,
)

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.resolve.resolution import Resolution

#: Mention types the evaluations look at.
SCORED_TYPES = (PERSON, ORGANIZATION, LOCATION, EVENT, DATE)


@dataclass(frozen=True)
class Predicted:
    """A predicted mention: character span, scored type, the entity (cluster) it belongs to."""

    start: int
    end: int
    type: str
    entity: str
    name: str
    extractor: str = "entities"
    #: Index of the sentence (as the system split the text) the mention lies in.
    sentence: int = -1
    #: The type the extractor gave, before resolution voted (empty: the same as ``type``).
    raw_type: str = ""
    #: A nationality adjective standing for its country ("German" → Germany): it links
    #: entities in relation scoring, but is no named-entity span in NER scoring.
    demonym: bool = False
    #: An event told by a common noun or verb ("the elections", "met"): a node of the
    #: graph with its facts, but no named-entity span in NER scoring.
    description: bool = False


@dataclass(frozen=True)
class PredictedFact:
    """A predicted fact between two predicted mentions."""

    subject: Predicted
    relation: str
    object: Predicted
    confidence: float = 1.0
    open: bool = False
    extractor: str = ""


@dataclass
class Prediction:
    """Everything one system predicted on one document."""

    doc_id: str
    mentions: list[Predicted] = field(default_factory=list)
    facts: list[PredictedFact] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def facts_above(self, threshold: float) -> list[PredictedFact]:
        """Facts whose confidence is at least ``threshold``."""
        return [f for f in self.facts if f.confidence >= threshold]


def run_pipeline(
    texts: Sequence[tuple[str, str]],
    nlp: Language,
    *,
    batch_size: int = 32,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Prediction]:
    """Our pipeline on ``(doc_id, text)`` pairs: extraction, then resolution per document."""
    from kg.build.pipeline import extract_documents
    from kg.documents import document_from_text
    from kg.resolve.resolution import resolve

    documents = (document_from_text(text, id=doc_id, source=doc_id) for doc_id, text in texts)
    runs = extract_documents(documents, nlp, batch_size=batch_size)
    for done, ((doc_id, text), (document, extraction)) in enumerate(zip(texts, runs), start=1):
        if document.text != text:
            raise InputError(f"{doc_id}: the document's text differs from the gold tokens' text")
        resolution = resolve([extraction])
        yield _prediction(document.id, extraction, resolution)
        if progress is not None:
            progress(done)


def _prediction(doc_id: str, extraction: Extraction, resolution: Resolution) -> Prediction:
    from kg.rdf.writer import fits_signature

    prediction = Prediction(doc_id=doc_id, errors=list(extraction.errors))
    converted: dict[tuple[int, int, str, str], Predicted] = {}

    def convert(m: Mention) -> Predicted:
        entity = resolution.entity_of(m)
        key = (m.start, m.end, m.type, m.extractor)
        if key not in converted:
            converted[key] = Predicted(
                start=m.start,
                end=m.end,
                type=entity.type if entity is not None else m.type,
                entity=entity.key if entity is not None else f"{m.type}:{m.start}:{m.end}",
                name=m.name,
                extractor=m.extractor,
                raw_type=m.type,
                demonym=m.label == "NORP",
                description=m.kind == DESCRIPTION,
            )
        return converted[key]

    for m in extraction.mentions:
        # names only (a pronoun linked by coreference is no name), and only those that
        # are nodes of the graph (resolution drops nationality words and the like)
        if m.type in SCORED_TYPES and m.kind != REFERENCE and resolution.entity_of(m) is not None:
            prediction.mentions.append(convert(m))
    for fact in extraction.facts:
        if not isinstance(fact.object, Mention):
            continue
        subject, obj = convert(fact.subject), convert(fact.object)
        if not fits_signature(fact.relation, subject.type, obj.type, open=fact.open):
            continue
        prediction.facts.append(
            PredictedFact(
                subject,
                fact.relation,
                obj,
                confidence=fact.evidence.confidence,
                open=fact.open,
                extractor=fact.evidence.extractor,
            )
        )
    return prediction


def entities_of(mentions: Iterable[Predicted]) -> dict[str, list[Predicted]]:
    """Mentions grouped by the entity they belong to."""
    grouped: dict[str, list[Predicted]] = {}
    for m in mentions:
        grouped.setdefault(m.entity, []).append(m)
    return grouped
