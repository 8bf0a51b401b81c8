"""Facts → RDF triples with provenance, in one named graph per document.

The layout is described in ``docs/architecture.md``: every fact triple gets one
``kg:Evidence`` node (an ``rdf:Statement``) per place it was found, with the
document, sentence, character offsets, extractor and confidence; canonical labels
live in the ``graph/entities`` named graph.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from rdflib import DCTERMS, OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg.model import (
    DATE,
    DOCUMENT,
    EVENT,
    NAME,
    PERSON,
    QUOTE,
    REFERENCE,
    Entity,
    Evidence,
    Extraction,
    Fact,
    Mention,
)
from kg.rdf.namespace import (
    ENTITIES_GRAPH,
    EVIDENCE_BASE,
    KG,
    REL,
    document_iri,
    entity_iri,
    graph_iri,
)
from kg.resolve.forms import clean_label, surname_words
from kg.resolve.names import is_acronym, short_hash, slugify
from kg.resolve.resolution import Resolution

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node]

#: Object properties whose values are literals.
LITERAL_RELATIONS = {"role", "quoteText"}


def fits_signature(
    relation: str, subject_type: str | None, object_type: str | None, *, open: bool = False
) -> bool:
    """True when a fact's subject and object types fit the property's domain and range
    as ``ontology/kg.ttl`` declares them (NER said "Washington" spoke: not written)."""
    from kg.rdf.ontology import open_signature, signatures

    sig = open_signature() if open else signatures().get(relation)
    if sig is None:
        return True
    if sig.domain is not None and subject_type not in sig.domain:
        return False
    return sig.range is None or object_type in sig.range


def _class(name: str) -> URIRef:
    return KG[name]


@dataclass(frozen=True)
class DocumentMeta:
    """What the RDF writer needs to know about a document."""

    id: str
    source: str
    title: str | None = None
    date: datetime.date | None = None
    author: str | None = None
    url: str | None = None
    digest: str | None = None
    file: str | None = None


def date_literal(iso: str, datatype: str) -> Literal:
    """An XSD date-like literal, e.g. ``date_literal("--06-16", "gMonthDay")``."""
    return Literal(iso, datatype=XSD[datatype])


def entity_triples(entity: Entity) -> Iterator[Triple]:
    """Type (with superclass), aliases and value triples of one entity."""
    node = entity_iri(entity.key)
    yield node, RDF.type, _class(entity.type)
    if entity.type == EVENT and entity.subtype and entity.subtype != EVENT:
        yield node, RDF.type, _class(entity.subtype)
    if entity.type == DATE and entity.time is not None:
        yield node, KG.isoValue, date_literal(entity.time.iso, entity.time.datatype)


def label_triples(entity: Entity, same_as: str | None = None) -> Iterator[Triple]:
    """The canonical label and type, for the entities graph; a person's surname (for
    linking across documents) and, given ``same_as``, the key of the entity this one is
    the same as (``owl:sameAs``)."""
    node = entity_iri(entity.key)
    yield node, RDFS.label, Literal(entity.label)
    yield node, RDF.type, _class(entity.type)
    key = link_key(entity)
    if key is not None:
        yield node, KG.linkKey, Literal(key)
    if same_as is not None:
        yield node, OWL.sameAs, entity_iri(same_as)


def link_key(entity: Entity) -> str | None:
    """The key under which the entity is looked up for links across documents: a person's
    surname, an unnamed event's class and participants (see :mod:`kg.build.link`)."""
    if entity.type == PERSON:
        return "person:" + surname_of(entity.label)
    if entity.type == EVENT and entity.base_key:
        return "event:" + entity.base_key
    return None


def short_key(link: str) -> str:
    """The key of the node named only by the short form of a link key: the surname-only
    person (``person/trump``), the undated event."""
    kind, _, value = link.partition(":")
    return f"person/{slugify(value)}" if kind == "person" else value


def surname_of(label: str) -> str:
    """A person's surname as the entities graph keeps it: lower case, particles kept."""
    return " ".join(surname_words(label))


def document_quads(
    meta: DocumentMeta, extraction: Extraction, resolution: Resolution
) -> list[Quad]:
    """All quads one document contributes, in its own named graph."""
    graph = graph_iri(meta.id)
    doc = document_iri(meta.id)
    triples: list[Triple] = list(_document_metadata(meta))
    seen_entities: set[str] = set()
    for mention in extraction.mentions:
        entity = resolution.entity_of(mention)
        if entity is None:
            continue
        node = entity_iri(entity.key)
        if entity.key not in seen_entities:
            seen_entities.add(entity.key)
            triples.extend(entity_triples(entity))
            triples.append((doc, KG.mentions, node))
            triples.extend(_evidence(doc, KG.mentions, node, _mention_evidence(mention), meta.id))
        for alias in mention_names(mention):
            triples.append((node, SKOS.altLabel, Literal(alias)))
    for fact in extraction.facts:
        triples.extend(_fact_triples(fact, doc, resolution, meta.id))
    return [(s, p, o, graph) for s, p, o in dict.fromkeys(triples)]


def mention_names(mention: Mention) -> list[str]:
    """The names a mention gives its entity in this document's graph (``skos:altLabel``).

    Every name the document uses, the label's form included, so a document's graph never
    depends on what other documents say (the canonical label is in the entities graph):
    the cleaned name, an acronym as written, and the surface form when it is another
    proper name ("Britain" for the United Kingdom, "Mr Blair"). Pronouns and
    descriptions give no name; dates give their text, quotes nothing.
    """
    if mention.kind == REFERENCE or mention.type == QUOTE:
        return []
    if mention.type == DATE:
        return [mention.text] if mention.text else []
    names = [clean_label(mention.name)]
    text = clean_label(mention.text)
    proper = text[:1].isupper() and "\n" not in mention.text and len(text) <= 2 * len(names[0]) + 12
    if text and text != names[0] and (is_acronym(text) or (mention.kind == NAME and proper)):
        names.append(text)
    return [n for n in names if n]


def _document_metadata(meta: DocumentMeta) -> Iterator[Triple]:
    doc = document_iri(meta.id)
    yield doc, RDF.type, KG.Document
    yield doc, DCTERMS.identifier, Literal(meta.id)
    yield doc, DCTERMS.source, Literal(meta.source)
    if meta.title:
        yield doc, DCTERMS.title, Literal(meta.title)
    if meta.date is not None:
        yield doc, DCTERMS.issued, Literal(meta.date.isoformat(), datatype=XSD.date)
    if meta.url:
        yield doc, DCTERMS.references, Literal(meta.url)
    if meta.digest:
        yield doc, KG.contentHash, Literal(meta.digest)
    if meta.file:
        yield doc, KG.sourceFile, Literal(meta.file)


def _mention_evidence(mention: Mention) -> Evidence:
    return Evidence(
        doc_id=mention.doc_id,
        sentence=mention.sentence,
        start=mention.start,
        end=mention.end,
        extractor=mention.extractor,
        confidence=mention.confidence,
    )


def _node_of(mention: Mention, resolution: Resolution, doc: URIRef) -> URIRef | None:
    if mention.type == DOCUMENT:
        return doc
    entity = resolution.entity_of(mention)
    return entity_iri(entity.key) if entity else None


def _type_of(value: Mention | str, resolution: Resolution) -> str | None:
    if not isinstance(value, Mention):
        return None
    if value.type == DOCUMENT:
        return DOCUMENT
    entity = resolution.entity_of(value)
    return entity.type if entity else None


def predicate_of(fact: Fact) -> URIRef:
    """The property IRI of a fact: an ontology term, or ``rel:<lemma>`` for open relations."""
    if fact.open:
        return REL[slugify(fact.relation)]
    term: URIRef = getattr(KG, fact.relation)
    return term


def stored_fact(fact: Fact) -> Fact:
    """The fact in the direction the graph stores (``successor(a, b)`` → ``predecessor(b, a)``;
    see ``kg:storedAsInverse`` in the ontology): each fact is written once."""
    from kg.rdf.ontology import stored_direction

    stored = None if fact.open else stored_direction().get(fact.relation)
    if stored is None or not isinstance(fact.object, Mention):
        return fact
    return replace(fact, subject=fact.object, relation=stored, object=fact.subject)


def _fact_triples(fact: Fact, doc: URIRef, resolution: Resolution, doc_id: str) -> Iterator[Triple]:
    fact = stored_fact(fact)
    subject = _node_of(fact.subject, resolution, doc)
    if subject is None or not fits_signature(
        fact.relation,
        _type_of(fact.subject, resolution),
        _type_of(fact.object, resolution),
        open=fact.open,
    ):
        return
    if isinstance(fact.object, Mention):
        obj: Node | None = _node_of(fact.object, resolution, doc)
    else:
        text = " ".join(str(fact.object).split())
        obj = Literal(text) if text else None
    if obj is None or obj == subject:
        return
    predicate = predicate_of(fact)
    if fact.open:
        yield predicate, RDFS.subPropertyOf, KG.relatedTo
        yield predicate, RDFS.label, Literal(fact.relation)
    yield subject, predicate, obj
    yield from _evidence(subject, predicate, obj, fact.evidence, doc_id)


#: The terms every evidence node uses, looked up once (rdflib's namespaces are slow).
_EVIDENCE_TERMS = (
    RDF.type,
    KG.Evidence,
    RDF.subject,
    RDF.predicate,
    RDF.object,
    KG.document,
    KG.sentence,
    KG.startChar,
    KG.endChar,
    KG.extractor,
    KG.confidence,
)


@lru_cache(maxsize=1 << 14)
def _text_literal(text: str) -> Literal:
    """A plain literal; the same sentence or extractor name recurs in many evidence nodes."""
    return Literal(text)


@lru_cache(maxsize=1 << 14)
def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


@lru_cache(maxsize=1024)
def _confidence(value: float) -> Literal:
    return Literal(decimal_text(value), datatype=XSD.decimal)


def _evidence(
    subject: Node, predicate: Node, obj: Node, evidence: Evidence, doc_id: str
) -> tuple[Triple, ...]:
    """The evidence node's ten triples (a tuple: made tens of thousands of times a build)."""
    a, evidence_class, rdf_subject, rdf_predicate, rdf_object, *fields = _EVIDENCE_TERMS
    document, sentence, start, end, extractor, confidence = fields
    node = EVIDENCE_BASE[
        f"{doc_id}/{short_hash(str(subject), str(predicate), str(obj), str(evidence.start), str(evidence.end), evidence.extractor)}"
    ]
    return (
        (node, a, evidence_class),
        (node, rdf_subject, subject),
        (node, rdf_predicate, predicate),
        (node, rdf_object, obj),
        (node, document, document_iri(doc_id)),
        (node, sentence, _text_literal(evidence.sentence)),
        (node, start, _integer(int(evidence.start))),
        (node, end, _integer(int(max(evidence.start, evidence.end)))),
        (node, extractor, _text_literal(evidence.extractor)),
        (node, confidence, _confidence(float(evidence.confidence))),
    )


def decimal_text(value: float) -> str:
    """A decimal in canonical form, as every store keeps it ("0.75", "1", "0"): the same
    quads in memory, on disk and on a server."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def entities_quads(entities: Iterable[Entity]) -> list[Quad]:
    """Canonical labels and types, in the entities named graph."""
    return [(s, p, o, ENTITIES_GRAPH) for e in entities for s, p, o in label_triples(e)]


def union_graph(quads: Iterable[Quad]) -> Graph:
    """A plain Graph holding the triples of all quads (for Turtle, N-Triples, JSON-LD)."""
    graph = Graph()
    for s, p, o, _ in quads:
        graph.add((s, p, o))
    return graph
