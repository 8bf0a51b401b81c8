"""kg/shacl.py and ontology/shapes.ttl: small graphs in the layout, one rule broken at a time."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib import namespace as rns

from kg.rdf.namespace import (
    ENTITIES_GRAPH,
    EVIDENCE_BASE,
    KG,
    REL,
    SHAPES,
    document_iri,
    entity_iri,
    graph_iri,
)
from kg.rdf.shacl import ValidationReport, validate

DOC = document_iri("d1")
BIDEN = entity_iri("person/joe-biden")
PUTIN = entity_iri("person/vladimir-putin")
STOLTENBERG = entity_iri("person/jens-stoltenberg")
NATO = entity_iri("organization/nato")
GENEVA = entity_iri("location/geneva")
MEETING = entity_iri("event/meeting-joe-biden-vladimir-putin")
JUNE16 = entity_iri("date/2021-06-16")
QUOTE = entity_iri("quote/3f2a")
EVIDENCE = EVIDENCE_BASE["d1/9c1e"]


def layout() -> Dataset:
    """A small dataset that follows docs/architecture.md."""
    ds = Dataset()
    doc = ds.graph(graph_iri("d1"))
    labels = ds.graph(ENTITIES_GRAPH)
    doc.add((DOC, RDF.type, KG.Document))
    doc.add((DOC, rns.DCTERMS.identifier, Literal("d1")))
    doc.add((DOC, rns.DCTERMS.issued, Literal("2021-06-14", datatype=rns.XSD.date)))
    for entity, cls, label in [
        (BIDEN, KG.Person, "Joe Biden"),
        (PUTIN, KG.Person, "Vladimir Putin"),
        (STOLTENBERG, KG.Person, "Jens Stoltenberg"),
        (NATO, KG.Organization, "NATO"),
        (GENEVA, KG.Location, "Geneva"),
        (MEETING, KG.Event, "meeting of Joe Biden and Vladimir Putin"),
    ]:
        doc.add((entity, RDF.type, cls))
        doc.add((DOC, KG.mentions, entity))
        labels.add((entity, RDFS.label, Literal(label)))
    doc.add((BIDEN, SKOS.altLabel, Literal("Biden")))
    doc.add((BIDEN, KG.role, Literal("President")))
    doc.add((STOLTENBERG, KG.role, Literal("Secretary General")))
    doc.add((STOLTENBERG, KG.leaderOf, NATO))
    doc.add((MEETING, RDF.type, KG.Meeting))
    doc.add((MEETING, KG.participant, BIDEN))
    doc.add((MEETING, KG.participant, PUTIN))
    doc.add((MEETING, KG.locatedIn, GENEVA))
    doc.add((MEETING, KG.date, JUNE16))
    doc.add((JUNE16, RDF.type, KG.Date))
    doc.add((JUNE16, RDFS.label, Literal("June 16")))
    doc.add((JUNE16, KG.isoValue, Literal("2021-06-16", datatype=rns.XSD.date)))
    doc.add((QUOTE, RDF.type, KG.Quote))
    doc.add((QUOTE, KG.quoteText, Literal("A strong NATO is good for Europe.")))
    doc.add((QUOTE, KG.speaker, STOLTENBERG))
    doc.add((BIDEN, REL.meet, PUTIN))
    doc.add((REL.meet, RDFS.subPropertyOf, KG.relatedTo))
    doc.add((REL.meet, RDFS.label, Literal("meet")))
    doc.add((EVIDENCE, RDF.type, KG.Evidence))
    doc.add((EVIDENCE, RDF.subject, STOLTENBERG))
    doc.add((EVIDENCE, RDF.predicate, KG.leaderOf))
    doc.add((EVIDENCE, RDF.object, NATO))
    doc.add((EVIDENCE, KG.document, DOC))
    doc.add((EVIDENCE, KG.sentence, Literal("NATO Secretary General Jens Stoltenberg said ...")))
    doc.add((EVIDENCE, KG.startChar, Literal(0)))
    doc.add((EVIDENCE, KG.endChar, Literal(39)))
    doc.add((EVIDENCE, KG.extractor, Literal("titles")))
    doc.add((EVIDENCE, KG.confidence, Literal(Decimal("0.9"))))
    return ds


def _set(ds: Dataset, s: URIRef, p: URIRef, o: object) -> None:
    """Replace every (s, p, *) in every graph by one triple in the document graph."""
    for graph in ds.graphs():
        graph.remove((s, p, None))
    ds.graph(graph_iri("d1")).add((s, p, o))


def test_layout_conforms() -> None:
    report = validate(layout())
    assert report.conforms, report.text
    assert report.violations == set()
    assert report.warnings == set()


def test_report_is_a_frozen_dataclass() -> None:
    report = validate(layout())
    assert isinstance(report, ValidationReport)
    assert isinstance(report.results_graph, Graph)
    with pytest.raises(AttributeError):
        report.conforms = False  # type: ignore[misc]


def test_plain_graph_and_dataset_agree() -> None:
    ds = layout()
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    assert validate(union).conforms


def test_labels_in_another_named_graph_count() -> None:
    """A named graph on its own lacks the labels: validation must see the union."""
    ds = layout()
    only_doc = Graph()
    for triple in ds.graph(graph_iri("d1")):
        only_doc.add(triple)
    assert not validate(only_doc).conforms
    assert validate(ds).conforms


def _drop_label(ds: Dataset) -> None:
    ds.graph(ENTITIES_GRAPH).remove((NATO, RDFS.label, None))


def _second_label(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).add((NATO, RDFS.label, Literal("North Atlantic Treaty Organization")))


def _confidence_too_high(ds: Dataset) -> None:
    _set(ds, EVIDENCE, KG.confidence, Literal(Decimal("1.5")))


def _confidence_negative(ds: Dataset) -> None:
    _set(ds, EVIDENCE, KG.confidence, Literal(-0.1))


def _confidence_missing(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).remove((EVIDENCE, KG.confidence, None))


def _leader_of_date(ds: Dataset) -> None:
    _set(ds, STOLTENBERG, KG.leaderOf, JUNE16)


def _iso_value_string(ds: Dataset) -> None:
    _set(ds, JUNE16, KG.isoValue, Literal("2021-06-16", datatype=rns.XSD.string))


def _two_iso_values(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).add((JUNE16, KG.isoValue, Literal("2021", datatype=rns.XSD.gYear)))


def _start_after_end(ds: Dataset) -> None:
    _set(ds, EVIDENCE, KG.startChar, Literal(50))


def _start_char_string(ds: Dataset) -> None:
    _set(ds, EVIDENCE, KG.startChar, Literal("0"))


def _evidence_two_subjects(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).add((EVIDENCE, RDF.subject, BIDEN))


def _evidence_without_sentence(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).remove((EVIDENCE, KG.sentence, None))


def _evidence_document_untyped(ds: Dataset) -> None:
    _set(ds, EVIDENCE, KG.document, document_iri("nowhere"))


def _document_without_identifier(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).remove((DOC, rns.DCTERMS.identifier, None))


def _role_not_a_string(ds: Dataset) -> None:
    _set(ds, BIDEN, KG.role, Literal(46))


def _participant_is_a_date(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).add((MEETING, KG.participant, JUNE16))


def _event_date_is_a_place(ds: Dataset) -> None:
    _set(ds, MEETING, KG.date, GENEVA)


def _speaker_is_a_place(ds: Dataset) -> None:
    _set(ds, QUOTE, KG.speaker, GENEVA)


def _author_is_an_organization(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).add((DOC, KG.author, NATO))


def _mentions_untyped(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).add((DOC, KG.mentions, entity_iri("person/nobody")))


def _quote_without_text(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).remove((QUOTE, KG.quoteText, None))


def _alt_label_iri(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).add((BIDEN, SKOS.altLabel, GENEVA))


def _open_relation_to_literal(ds: Dataset) -> None:
    ds.graph(graph_iri("d1")).add((BIDEN, REL.meet, Literal("reporters")))


@pytest.mark.parametrize(
    ("breaks", "shape"),
    [
        (_drop_label, SHAPES.Label),
        (_second_label, SHAPES.Label),
        (_confidence_too_high, SHAPES.EvidenceConfidence),
        (_confidence_negative, SHAPES.EvidenceConfidence),
        (_confidence_missing, SHAPES.EvidenceConfidence),
        (_leader_of_date, SHAPES.LeaderOfRange),
        (_iso_value_string, SHAPES.DateIsoValue),
        (_two_iso_values, SHAPES.DateIsoValue),
        (_start_after_end, SHAPES.EvidenceStartChar),
        (_start_char_string, SHAPES.EvidenceStartChar),
        (_evidence_two_subjects, SHAPES.EvidenceSubject),
        (_evidence_without_sentence, SHAPES.EvidenceSentence),
        (_evidence_document_untyped, SHAPES.EvidenceDocument),
        (_document_without_identifier, SHAPES.DocumentIdentifier),
        (_role_not_a_string, SHAPES.RoleRange),
        (_participant_is_a_date, SHAPES.ParticipantRange),
        (_event_date_is_a_place, SHAPES.DateRange),
        (_speaker_is_a_place, SHAPES.SpeakerRange),
        (_author_is_an_organization, SHAPES.AuthorRange),
        (_mentions_untyped, SHAPES.MentionsRange),
        (_quote_without_text, SHAPES.QuoteText),
        (_alt_label_iri, SHAPES.AltLabel),
        (_open_relation_to_literal, SHAPES.OpenRelationShape),
    ],
)
def test_violation_names_its_shape(breaks: Callable[[Dataset], None], shape: URIRef) -> None:
    ds = layout()
    breaks(ds)
    report = validate(ds)
    assert not report.conforms
    assert shape in report.violations, report.text


def test_only_the_broken_rule_fails() -> None:
    ds = layout()
    _leader_of_date(ds)
    assert validate(ds).violations == {SHAPES.LeaderOfRange}


def test_subclass_instance_satisfies_class_constraint() -> None:
    """sh:class follows rdfs:subClassOf from the ontology: a bare kg:Summit is an Event."""
    ds = layout()
    summit = entity_iri("event/nato-summit")
    doc = ds.graph(graph_iri("d1"))
    doc.add((summit, RDF.type, KG.Summit))
    doc.add((summit, RDFS.label, Literal("NATO summit")))
    doc.add((summit, KG.participant, BIDEN))
    report = validate(ds)
    assert report.conforms, report.text


def test_domain_mismatch_is_only_a_warning() -> None:
    ds = layout()
    ds.graph(graph_iri("d1")).add((NATO, KG.leaderOf, GENEVA))
    report = validate(ds)
    assert report.conforms, report.text
    assert report.warnings == {SHAPES.LeaderOfDomain}


@pytest.mark.parametrize(
    "value",
    [
        Literal("2021-06", datatype=rns.XSD.gYearMonth),
        Literal("2021", datatype=rns.XSD.gYear),
        Literal("--06-16", datatype=rns.XSD.gMonthDay),
    ],
)
def test_every_calendar_datatype_is_accepted(value: Literal) -> None:
    ds = layout()
    _set(ds, JUNE16, KG.isoValue, value)
    assert validate(ds).conforms


@pytest.mark.parametrize("confidence", [Literal(Decimal("0")), Literal(Decimal("1")), Literal(0.5)])
def test_confidence_bounds_are_inclusive(confidence: Literal) -> None:
    ds = layout()
    _set(ds, EVIDENCE, KG.confidence, confidence)
    assert validate(ds).conforms


def test_extra_optional_facts_are_fine() -> None:
    ds = layout()
    doc = ds.graph(graph_iri("d1"))
    doc.add((BIDEN, KG.nationality, entity_iri("location/united-states")))
    doc.add((entity_iri("location/united-states"), RDF.type, KG.Location))
    ds.graph(ENTITIES_GRAPH).add(
        (entity_iri("location/united-states"), RDFS.label, Literal("United States"))
    )
    doc.add((BIDEN, SKOS.altLabel, Literal("Joseph R. Biden", lang="en")))
    doc.add((BIDEN, URIRef("https://example.org/other#shoeSize"), Literal(44)))
    doc.add((DOC, rns.DCTERMS.title, Literal("Biden meets Putin")))
    doc.add((QUOTE, RDFS.label, Literal("A strong NATO ...")))
    assert validate(ds).conforms


def test_validation_is_repeatable() -> None:
    """The cached shapes and ontology graphs are not changed by a run."""
    broken = layout()
    _confidence_too_high(broken)
    first = validate(broken)
    assert validate(layout()).conforms
    assert validate(broken).violations == first.violations


@pytest.mark.parametrize(
    ("inverse", "shape"),
    [
        (KG.participantIn, SHAPES.ParticipantInNotStored),
        (KG.successor, SHAPES.SuccessorNotStored),
    ],
)
def test_a_property_stored_as_its_inverse_is_a_warning(inverse, shape) -> None:
    """kg:participantIn and kg:successor are read as ^kg:participant, ^kg:predecessor."""
    ds = layout()
    ds.graph(graph_iri("d1")).add(
        (BIDEN, inverse, MEETING if inverse == KG.participantIn else PUTIN)
    )
    report = validate(ds)
    assert report.conforms, report.text
    assert report.warnings == {shape}
