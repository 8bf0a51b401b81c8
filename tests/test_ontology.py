"""ontology/kg.ttl and kg/namespace.py: the ontology is complete, aligned, and matches KG."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib import namespace as rns
from rdflib.collection import Collection

from kg.rdf.namespace import (
    BASE,
    DOCUMENT_BASE,
    ENTITIES_GRAPH,
    ENTITY_BASE,
    EVIDENCE_BASE,
    GRAPH_BASE,
    KG,
    ONTOLOGY_IRI,
    REL,
    bind_prefixes,
    entity_iri,
    ontology_path,
    queries_dir,
    shapes_path,
)

ROOT = Path(__file__).resolve().parent.parent
NS = "https://example.org/kg/ontology#"
WDT = Namespace("http://www.wikidata.org/prop/direct/")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)

CLASSES = [
    "Person",
    "Organization",
    "Location",
    "Event",
    "Meeting",
    "Summit",
    "Visit",
    "Conference",
    "PressConference",
    "Election",
    "Trip",
    "Date",
    "Document",
    "Quote",
    "Evidence",
]
OBJECT_PROPERTIES = [
    "affiliatedWith",
    "leaderOf",
    "nationality",
    "educatedAt",
    "locatedIn",
    "residence",
    "participant",
    "participantIn",
    "date",
    "startDate",
    "endDate",
    "predecessor",
    "successor",
    "author",
    "mentions",
    "speaker",
    "relatedTo",
    "document",
]
DATATYPE_PROPERTIES = [
    "role",
    "contentHash",
    "sourceFile",
    "quoteText",
    "isoValue",
    "sentence",
    "startChar",
    "endChar",
    "extractor",
    "confidence",
]
WIKIDATA = [
    ("role", "P39"),
    ("affiliatedWith", "P108"),
    ("affiliatedWith", "P463"),
    ("nationality", "P27"),
    ("educatedAt", "P69"),
    ("locatedIn", "P276"),
    ("locatedIn", "P131"),
    ("participant", "P710"),
    ("participantIn", "P1344"),
    ("date", "P585"),
    ("startDate", "P580"),
    ("endDate", "P582"),
    ("predecessor", "P1365"),
    ("successor", "P1366"),
    ("author", "P50"),
    ("residence", "P551"),
    ("leaderOf", "P488"),
    ("leaderOf", "P6"),
    ("leaderOf", "P35"),
]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def declared(onto: Graph) -> set[str]:
    return {
        str(s)[len(NS) :]
        for kind in DECLARATIONS
        for s in onto.subjects(RDF.type, kind)
        if str(s).startswith(NS)
    }


def classes_of(onto: Graph, node: object) -> set[URIRef]:
    """A class, or the members of an owl:unionOf."""
    union = onto.value(node, OWL.unionOf)
    if union is None:
        return {node}
    return set(Collection(onto, union))


def test_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    for prop in (RDFS.label, RDFS.comment, OWL.versionInfo):
        assert onto.value(ONTOLOGY_IRI, prop) is not None, prop


def test_namespace_matches_ontology(onto: Graph) -> None:
    in_namespace = {str(term)[len(NS) :] for term in dir(KG)}
    assert in_namespace == declared(onto)


def test_no_undeclared_kg_terms(onto: Graph) -> None:
    """Every kg: IRI the ontology uses anywhere is declared in it."""
    used = {
        str(node)[len(NS) :]
        for triple in onto
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(NS)
    }
    assert used == declared(onto)


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (CLASSES, OWL.Class),
        (OBJECT_PROPERTIES, OWL.ObjectProperty),
        (DATATYPE_PROPERTIES, OWL.DatatypeProperty),
    ],
)
def test_required_terms(onto: Graph, names: list[str], kind: URIRef) -> None:
    missing = [n for n in names if (URIRef(NS + n), RDF.type, kind) not in onto]
    assert missing == []


def test_nothing_extra(onto: Graph) -> None:
    assert declared(onto) == set(CLASSES + OBJECT_PROPERTIES + DATATYPE_PROPERTIES)


def test_every_term_has_label_and_comment(onto: Graph) -> None:
    for name in declared(onto):
        term = URIRef(NS + name)
        assert isinstance(onto.value(term, RDFS.label), Literal), name
        assert len(str(onto.value(term, RDFS.comment) or "")) > 10, name


def test_every_property_has_domain_and_range(onto: Graph) -> None:
    for name in OBJECT_PROPERTIES + DATATYPE_PROPERTIES:
        term = URIRef(NS + name)
        assert onto.value(term, RDFS.domain) is not None, name
        assert onto.value(term, RDFS.range) is not None, name


@pytest.mark.parametrize(
    ("prop", "domain", "range_"),
    [
        ("affiliatedWith", {"Person"}, {"Organization"}),
        ("leaderOf", {"Person"}, {"Organization", "Location"}),
        ("nationality", {"Person"}, {"Location"}),
        ("educatedAt", {"Person"}, {"Organization"}),
        ("locatedIn", {"Organization", "Location", "Event"}, {"Location"}),
        ("residence", {"Person"}, {"Location"}),
        ("participant", {"Event"}, {"Person", "Organization", "Location"}),
        ("participantIn", {"Person", "Organization", "Location"}, {"Event"}),
        ("date", {"Event"}, {"Date"}),
        ("startDate", {"Event"}, {"Date"}),
        ("endDate", {"Event"}, {"Date"}),
        ("predecessor", {"Person"}, {"Person"}),
        ("successor", {"Person"}, {"Person"}),
        ("author", {"Document"}, {"Person"}),
        ("speaker", {"Quote"}, {"Person", "Organization"}),
        ("document", {"Evidence"}, {"Document"}),
        (
            "mentions",
            {"Document"},
            {"Person", "Organization", "Location", "Event", "Date", "Quote"},
        ),
    ],
)
def test_object_property_domain_and_range(
    onto: Graph, prop: str, domain: set[str], range_: set[str]
) -> None:
    term = URIRef(NS + prop)
    assert classes_of(onto, onto.value(term, RDFS.domain)) == {URIRef(NS + c) for c in domain}
    assert classes_of(onto, onto.value(term, RDFS.range)) == {URIRef(NS + c) for c in range_}


def test_datatype_ranges(onto: Graph) -> None:
    xsd = rns.XSD
    assert onto.value(KG.role, RDFS.range) == xsd.string
    assert onto.value(KG.startChar, RDFS.range) == xsd.integer
    iso = classes_of(onto, onto.value(KG.isoValue, RDFS.range))
    assert iso == {xsd.date, xsd.gYearMonth, xsd.gYear, xsd.gMonthDay}
    confidence = onto.value(KG.confidence, RDFS.range)
    assert onto.value(confidence, OWL.onDatatype) == xsd.decimal
    bounds = {
        (p, o.toPython())
        for facet in Collection(onto, onto.value(confidence, OWL.withRestrictions))
        for p, o in onto.predicate_objects(facet)
    }
    assert bounds == {(xsd.minInclusive, 0), (xsd.maxInclusive, 1)}


def test_event_subclasses(onto: Graph) -> None:
    for name in ("Meeting", "Summit", "Visit", "Conference", "PressConference", "Election", "Trip"):
        assert (URIRef(NS + name), RDFS.subClassOf, KG.Event) in onto, name


def test_inverses(onto: Graph) -> None:
    assert (KG.participantIn, OWL.inverseOf, KG.participant) in onto
    assert (KG.predecessor, OWL.inverseOf, KG.successor) in onto


@pytest.mark.parametrize(
    ("term", "prop", "target"),
    [
        (KG.Evidence, RDFS.subClassOf, RDF.Statement),
        (KG.Evidence, RDFS.subClassOf, PROV.Entity),
        (KG.Document, RDFS.subClassOf, PROV.Entity),
        (KG.Document, RDFS.subClassOf, FOAF.Document),
        (KG.Document, RDFS.subClassOf, SCHEMA.CreativeWork),
        (KG.Person, RDFS.subClassOf, SCHEMA.Person),
        (KG.Person, RDFS.subClassOf, FOAF.Person),
        (KG.Person, RDFS.subClassOf, PROV.Agent),
        (KG.Organization, RDFS.subClassOf, SCHEMA.Organization),
        (KG.Organization, RDFS.subClassOf, FOAF.Organization),
        (KG.Organization, RDFS.subClassOf, PROV.Agent),
        (KG.Location, RDFS.subClassOf, SCHEMA.Place),
        (KG.Event, RDFS.subClassOf, SCHEMA.Event),
        (KG.Quote, RDFS.subClassOf, SCHEMA.Quotation),
        (KG.Date, RDFS.subClassOf, TIME.Instant),
        (KG.document, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (KG.isoValue, rns.SKOS.closeMatch, TIME.inXSDDate),
        (KG.role, RDFS.subPropertyOf, SCHEMA.jobTitle),
        (KG.author, RDFS.subPropertyOf, SCHEMA.author),
        (KG.mentions, RDFS.subPropertyOf, SCHEMA.mentions),
        (KG.startDate, rns.SKOS.closeMatch, SCHEMA.startDate),
        (KG.endDate, rns.SKOS.closeMatch, SCHEMA.endDate),
        (KG.affiliatedWith, rns.SKOS.closeMatch, SCHEMA.worksFor),
        (KG.educatedAt, rns.SKOS.closeMatch, SCHEMA.alumniOf),
        (KG.nationality, rns.SKOS.closeMatch, SCHEMA.nationality),
        (KG.locatedIn, rns.SKOS.closeMatch, SCHEMA.location),
    ],
)
def test_alignment(onto: Graph, term: URIRef, prop: URIRef, target: URIRef) -> None:
    assert (term, prop, target) in onto


@pytest.mark.parametrize(("name", "pid"), WIKIDATA)
def test_wikidata_alignment(onto: Graph, name: str, pid: str) -> None:
    term = URIRef(NS + name)
    expected = rns.SKOS.relatedMatch if name == "leaderOf" else rns.SKOS.closeMatch
    assert (term, expected, WDT[pid]) in onto


def test_leader_of_comment_explains_the_inverse_direction(onto: Graph) -> None:
    assert "inverse" in str(onto.value(KG.leaderOf, RDFS.comment))


def test_misspelled_term_raises() -> None:
    assert KG.leaderOf == URIRef(NS + "leaderOf")
    with pytest.raises(AttributeError):
        _ = KG.leaderof
    with pytest.raises(AttributeError):
        _ = KG["Persons"]


def test_generated_namespace_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_namespace.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_base_iris() -> None:
    assert BASE == "https://example.org/kg/"
    assert REL.meet == URIRef("https://example.org/kg/relation/meet")
    assert ENTITY_BASE["person/joe-biden"] == entity_iri("person/joe-biden")
    assert str(DOCUMENT_BASE) == BASE + "document/"
    assert str(EVIDENCE_BASE) == BASE + "evidence/"
    assert str(GRAPH_BASE) == BASE + "graph/"
    assert ENTITIES_GRAPH == URIRef(BASE + "graph/entities")


def test_bind_prefixes_makes_readable_turtle() -> None:
    ds = bind_prefixes(Dataset())
    graph = ds.graph(GRAPH_BASE["d1"])
    graph.add((entity_iri("person/joe-biden"), KG.participantIn, entity_iri("event/summit")))
    graph.add((entity_iri("person/joe-biden"), REL.meet, entity_iri("person/vladimir-putin")))
    graph.add((DOCUMENT_BASE["d1"], KG.mentions, entity_iri("date/2021-06-16")))
    text = ds.serialize(format="trig")
    for expected in (
        "person:joe-biden",
        "kg:participantIn",
        "event:summit",
        "rel:meet",
        "doc:d1",
        "date:2021-06-16",
    ):
        assert expected in text, text
    bound = {prefix for prefix, _ in ds.namespaces()}
    wanted = {"kg", "rel", "skos", "dcterms", "prov", "xsd", "schema", "organization", "location"}
    assert wanted | {"quote", "evidence"} <= bound


def test_bind_prefixes_replaces_clashing_bindings() -> None:
    graph = Graph()
    graph.bind("kg", "http://example.com/other#")
    bind_prefixes(graph)
    assert dict(graph.namespaces())["kg"] == URIRef(NS)


def test_resource_paths() -> None:
    assert ontology_path().name == "kg.ttl" and ontology_path().is_file()
    assert shapes_path().is_file()
    Graph().parse(shapes_path(), format="turtle")
    assert sorted(p.name for p in queries_dir().glob("*.rq"))


def test_entity_classes_are_listed_once_and_match_the_ontology():
    from kg.model import ENTITY_TYPES
    from kg.rdf.namespace import TYPE_SEGMENTS
    from kg.rdf.ontology import entity_classes

    assert set(ENTITY_TYPES) == set(entity_classes())
    assert set(TYPE_SEGMENTS) == set(ENTITY_TYPES)


def test_the_writer_checks_facts_against_the_ontology_signatures():
    from kg.rdf.ontology import inverses, signature
    from kg.rdf.writer import fits_signature

    assert signature("leaderOf").range == frozenset({"Organization", "Location"})
    assert fits_signature("leaderOf", "Person", "Location")
    assert not fits_signature("speaker", "Quote", "Location")  # a place does not speak
    assert not fits_signature(
        "meet", "Date", "Person", open=True
    )  # open relations link named entities
    assert fits_signature("role", "Person", None)  # a literal
    assert isinstance(inverses(), dict)
