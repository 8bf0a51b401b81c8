"""ontology/queries/*.rq: each parses, and returns the expected rows on a small graph in the layout."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib import namespace as rns
from rdflib.plugins.sparql import prepareQuery

from kg.rdf.namespace import (
    ENTITIES_GRAPH,
    EVIDENCE_BASE,
    KG,
    PREFIXES,
    REL,
    document_iri,
    entity_iri,
    graph_iri,
    queries_dir,
)
from kg.rdf.shacl import validate

QUERIES = sorted(queries_dir().glob("*.rq"))

S_NATO = "NATO Secretary General Jens Stoltenberg welcomed the talks."
S_BIDEN = "US President Joe Biden met Russian President Vladimir Putin in Geneva on June 16."
S_PARTY = "Biden, a Democrat, won the election in 2020."
S_SUMMIT = "The NATO summit ran from June 14 to June 15."


class Builder:
    """Adds entities to the entities graph and facts, with evidence, to a document graph."""

    def __init__(self, doc_id: str = "d1") -> None:
        self.ds = Dataset(default_union=True)
        self.doc_id = doc_id
        self.doc = document_iri(doc_id)
        self.graph = self.ds.graph(graph_iri(doc_id))
        self.labels = self.ds.graph(ENTITIES_GRAPH)
        self.graph.add((self.doc, RDF.type, KG.Document))
        self.graph.add((self.doc, rns.DCTERMS.identifier, Literal(doc_id)))

    def entity(self, key: str, label: str, *types: URIRef) -> URIRef:
        iri = entity_iri(key)
        for cls in types:
            self.graph.add((iri, RDF.type, cls))
        self.labels.add((iri, RDFS.label, Literal(label)))
        self.graph.add((self.doc, KG.mentions, iri))
        return iri

    def fact(
        self, s: URIRef, p: URIRef, o: URIRef | Literal, sentence: str, extractor: str
    ) -> None:
        self.graph.add((s, p, o))
        start = len(sentence) // 4
        key = hashlib.sha1(f"{s}{p}{o}{sentence}".encode()).hexdigest()[:12]
        ev = EVIDENCE_BASE[f"{self.doc_id}/{key}"]
        for predicate, value in [
            (RDF.type, KG.Evidence),
            (RDF.subject, s),
            (RDF.predicate, p),
            (RDF.object, o),
            (KG.document, self.doc),
            (KG.sentence, Literal(sentence)),
            (KG.startChar, Literal(start)),
            (KG.endChar, Literal(start + 10)),
            (KG.extractor, Literal(extractor)),
            (KG.confidence, Literal(Decimal("0.8"))),
        ]:
            self.graph.add((ev, predicate, value))


def sample() -> Dataset:
    b = Builder()
    biden = b.entity("person/joe-biden", "Joe Biden", KG.Person)
    putin = b.entity("person/vladimir-putin", "Vladimir Putin", KG.Person)
    stoltenberg = b.entity("person/jens-stoltenberg", "Jens Stoltenberg", KG.Person)
    nato = b.entity("organization/nato", "NATO", KG.Organization)
    democrats = b.entity("organization/democratic-party", "Democratic Party", KG.Organization)
    us = b.entity("location/united-states", "United States", KG.Location)
    geneva = b.entity("location/geneva", "Geneva", KG.Location)
    meeting = b.entity("event/meeting-biden-putin", "Biden-Putin meeting", KG.Event, KG.Meeting)
    talks = b.entity("event/meeting-nato", "NATO talks", KG.Event, KG.Meeting)
    summit = b.entity("event/nato-summit", "NATO summit", KG.Event, KG.Summit)
    election = b.entity("event/election-2020", "2020 election", KG.Event, KG.Election)
    b.entity("event/press-conference", "press conference", KG.Event, KG.PressConference)
    june16 = b.entity("date/2021-06-16", "June 16", KG.Date)
    june14 = b.entity("date/2021-06-14", "June 14", KG.Date)
    june15 = b.entity("date/2021-06-15", "June 15", KG.Date)
    y2020 = b.entity("date/2020", "2020", KG.Date)
    for node, value, datatype in [
        (june16, "2021-06-16", rns.XSD.date),
        (june14, "2021-06-14", rns.XSD.date),
        (june15, "2021-06-15", rns.XSD.date),
        (y2020, "2020", rns.XSD.gYear),
    ]:
        b.graph.add((node, KG.isoValue, Literal(value, datatype=datatype)))

    b.fact(stoltenberg, KG.role, Literal("Secretary General"), S_NATO, "titles")
    b.fact(stoltenberg, KG.leaderOf, nato, S_NATO, "titles")
    b.fact(biden, KG.role, Literal("President"), S_BIDEN, "titles")
    b.fact(biden, KG.leaderOf, us, S_BIDEN, "titles")
    b.fact(biden, KG.affiliatedWith, democrats, S_PARTY, "appositions")
    b.fact(putin, KG.role, Literal("President"), S_BIDEN, "titles")

    b.fact(meeting, KG.participant, biden, S_BIDEN, "events")
    b.fact(meeting, KG.participant, putin, S_BIDEN, "events")
    b.fact(meeting, KG.locatedIn, geneva, S_BIDEN, "events")
    b.fact(meeting, KG.date, june16, S_BIDEN, "events")
    for person in (biden, putin, stoltenberg):
        b.fact(talks, KG.participant, person, S_NATO, "events")
    b.fact(talks, KG.startDate, june14, S_NATO, "events")
    undated = b.entity("event/meeting-undated", "White House meeting", KG.Event, KG.Meeting)
    b.fact(undated, KG.participant, stoltenberg, S_PARTY, "events")
    b.fact(undated, KG.participant, biden, S_PARTY, "events")
    b.fact(summit, KG.startDate, june14, S_SUMMIT, "events")
    b.fact(summit, KG.endDate, june15, S_SUMMIT, "events")
    b.fact(election, KG.date, y2020, S_PARTY, "events")
    b.fact(biden, REL.meet, putin, S_BIDEN, "verbs")
    b.graph.add((REL.meet, RDFS.subPropertyOf, KG.relatedTo))

    for key, speaker, text in [
        ("quote/a1", stoltenberg, "We stand together."),
        ("quote/a2", biden, "It was a good meeting."),
        ("quote/a3", stoltenberg, "A strong NATO is good for Europe."),
    ]:
        quote = b.entity(key, text[:12], KG.Quote)
        b.fact(quote, KG.quoteText, Literal(text), S_NATO, "quotes")
        b.fact(quote, KG.speaker, speaker, S_NATO, "quotes")
    return b.ds


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return sample()


def run(ds: Dataset, query_file: str, **bindings: object) -> list[tuple[object, ...]]:
    query = prepareQuery((queries_dir() / query_file).read_text(encoding="utf-8"))
    rows = ds.query(query, initBindings=bindings)
    return [tuple(_plain(v) for v in row) for row in rows]


def _plain(value: object) -> object:
    """Literals as Python values (str for strings), IRIs as prefixed names, None as None."""
    if value is None:
        return None
    if isinstance(value, Literal):
        return str(value) if value.datatype in (None, rns.XSD.string) else value.toPython()
    text = str(value)
    for prefix, iri in PREFIXES.items():
        if text.startswith(iri) and prefix in ("kg", "rel", "doc"):
            return f"{prefix}:{text[len(iri) :]}"
    return text


def test_sample_graph_is_valid(dataset: Dataset) -> None:
    """The fixture graph itself follows the layout, so the rows below mean something."""
    report = validate(dataset)
    assert report.conforms, report.text


def test_every_query_is_tested() -> None:
    assert {q.name for q in QUERIES} == {
        "roles.rq",
        "meetings.rq",
        "events_by_date.rq",
        "quotes_by_speaker.rq",
        "evidence.rq",
        "evidence_for_fact.rq",
        "entity_types.rq",
        "documents.rq",
        "participation.rq",
    }


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_query_parses_and_has_a_header(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), "a query starts with a comment saying what it answers"
    assert not re.search(r"\bGRAPH\s*[?<$]", text, re.IGNORECASE), "queries use the union graph"
    prepareQuery(text)


def test_roles_pair_a_role_with_the_place_in_the_same_sentence(dataset: Dataset) -> None:
    rows = {(r[1], r[2], r[3], r[5]) for r in run(dataset, "roles.rq")}
    assert rows == {
        ("Jens Stoltenberg", "Secretary General", "kg:leaderOf", "NATO"),
        ("Joe Biden", "President", "kg:leaderOf", "United States"),
        ("Vladimir Putin", "President", None, None),
    }


def test_meetings_list_each_pair_once(dataset: Dataset) -> None:
    rows = [r[1:] for r in run(dataset, "meetings.rq")]
    assert rows == [
        ("White House meeting", "Jens Stoltenberg", "Joe Biden", None, None),
        ("NATO talks", "Jens Stoltenberg", "Joe Biden", None, date(2021, 6, 14)),
        ("NATO talks", "Jens Stoltenberg", "Vladimir Putin", None, date(2021, 6, 14)),
        ("NATO talks", "Joe Biden", "Vladimir Putin", None, date(2021, 6, 14)),
        ("Biden-Putin meeting", "Joe Biden", "Vladimir Putin", "Geneva", date(2021, 6, 16)),
    ]


def test_events_by_date_are_ordered_and_typed(dataset: Dataset) -> None:
    rows = [(str(r[0]), r[1] and str(r[1]), r[2], r[4]) for r in run(dataset, "events_by_date.rq")]
    assert rows == [
        ("2020", None, "kg:Election", "2020 election"),
        ("2021-06-14", "2021-06-15", "kg:Summit", "NATO summit"),
        ("2021-06-14", None, "kg:Meeting", "NATO talks"),
        ("2021-06-16", None, "kg:Meeting", "Biden-Putin meeting"),
    ]


def test_quotes_are_grouped_by_speaker(dataset: Dataset) -> None:
    rows = [(r[1], r[3]) for r in run(dataset, "quotes_by_speaker.rq")]
    assert rows == [
        ("Jens Stoltenberg", "A strong NATO is good for Europe."),
        ("Jens Stoltenberg", "We stand together."),
        ("Joe Biden", "It was a good meeting."),
    ]


def test_evidence_for_a_bound_name(dataset: Dataset) -> None:
    rows = run(dataset, "evidence.rq", name=Literal("Jens Stoltenberg"))
    assert [(r[0], r[1], r[2], r[3], r[4], r[7]) for r in rows] == [
        ("Jens Stoltenberg", "kg:leaderOf", "NATO", "d1", S_NATO, "titles"),
        ("Jens Stoltenberg", "kg:role", "Secretary General", "d1", S_NATO, "titles"),
    ]
    assert all(r[8] == Decimal("0.8") and r[5] < r[6] for r in rows)


def test_evidence_unbound_lists_every_labelled_subject(dataset: Dataset) -> None:
    names = {r[0] for r in run(dataset, "evidence.rq")}
    assert {"Joe Biden", "Vladimir Putin", "Jens Stoltenberg", "NATO summit"} <= names


def test_evidence_for_a_bound_predicate(dataset: Dataset) -> None:
    rows = run(dataset, "evidence_for_fact.rq", predicate=KG.leaderOf)
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        ("kg:leaderOf", "Jens Stoltenberg", "NATO", S_NATO),
        ("kg:leaderOf", "Joe Biden", "United States", S_BIDEN),
    ]


def test_evidence_for_an_open_relation(dataset: Dataset) -> None:
    rows = run(dataset, "evidence_for_fact.rq", predicate=REL.meet)
    assert [(r[1], r[2], r[7]) for r in rows] == [("Joe Biden", "Vladimir Putin", "verbs")]


def test_entity_types_are_counted(dataset: Dataset) -> None:
    counts = dict(run(dataset, "entity_types.rq"))
    assert counts == {
        "kg:Event": 6,
        "kg:Person": 3,
        "kg:Date": 4,
        "kg:Quote": 3,
        "kg:Location": 2,
        "kg:Organization": 2,
        "kg:Meeting": 3,
        "kg:Summit": 1,
        "kg:Election": 1,
        "kg:PressConference": 1,
    }
    assert list(counts)[0] == "kg:Event"


def test_participation_reads_the_stored_direction_backwards(dataset: Dataset) -> None:
    """One row per participant and event, from kg:participant alone (^kg:participant)."""
    rows = [(r[1], r[3], r[4]) for r in run(dataset, "participation.rq")]
    assert ("Vladimir Putin", "Biden-Putin meeting", "kg:Meeting") in rows
    assert ("Jens Stoltenberg", "NATO talks", "kg:Meeting") in rows
    assert len(rows) == len(set(rows)) == 7
    assert not list(dataset.triples((None, KG.participantIn, None)))
