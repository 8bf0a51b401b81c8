"""Read commands answered by SPARQL (kg.network.read) against the graph walked triple by
triple (tests/network_walk.py, how kg read it before), on graphs built by hand and on the
seeds; in memory and on an Oxigraph store."""

from __future__ import annotations

import network_walk as walk
import networkx
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef

from kg.graph import KnowledgeGraph
from kg.rdf.namespace import DOCUMENT_BASE, ENTITY_BASE, EVIDENCE_BASE, GRAPH_BASE, KG, REL
from kg.storage.base import Batch
from kg.storage.memory import MemoryStore

E = ENTITY_BASE
BIDEN, J_BIDEN, BIDEN_DUP = E["person/biden"], E["person/joe-biden"], E["person/j-biden"]
PUTIN, NATO, USA = E["person/vladimir-putin"], E["organization/nato"], E["location/united-states"]
SUMMIT, MEETING, JUNE = E["event/nato-summit"], E["event/meeting"], E["date/06-14"]
QUOTE, STRAUSS = E["quote/q1"], E["person/strauss"]
DOC = DOCUMENT_BASE["d1"]
GRAPH = GRAPH_BASE["d1"]


def _entity(node: URIRef, kind: str, *labels: str, **extra: object) -> list[tuple]:
    triples: list[tuple] = [(node, RDF.type, KG[kind])]
    triples += [(node, RDFS.label, Literal(label)) for label in labels[:1]]
    triples += [(node, SKOS.altLabel, Literal(label)) for label in labels[1:]]
    for key, values in extra.items():
        for value in values if isinstance(values, list) else [values]:
            triples.append((node, KG[key], value if isinstance(value, URIRef) else Literal(value)))
    return triples


def _evidence(n: int, s, p, o, confidence: float, sentence: str) -> list[tuple]:
    ev = EVIDENCE_BASE[f"d1/{n}"]
    return [
        (ev, RDF.type, KG.Evidence),
        (ev, RDF.subject, s),
        (ev, RDF.predicate, p),
        (ev, RDF.object, o),
        (ev, KG.confidence, Literal(confidence)),
        (ev, KG.sentence, Literal(sentence)),
    ]


def _batch() -> Batch:
    """Entities of every type, aliases, roles, a date value, an event subtype, sameAs
    (a surname linked to a full name), a fact stored as its inverse, an open relation,
    facts with evidence (two of one fact), a literal fact, mentions."""
    labels = {
        J_BIDEN: _entity(J_BIDEN, "Person", "Joe Biden", "President Biden", role="president"),
        BIDEN: _entity(BIDEN, "Person", "Biden", role="senator"),
        PUTIN: _entity(PUTIN, "Person", "Vladimir Putin", "Putin"),
        STRAUSS: _entity(STRAUSS, "Person", "Johann Strauß"),
        NATO: _entity(NATO, "Organization", "NATO", "North Atlantic Treaty Organization"),
        USA: _entity(USA, "Location", "United States", "US", "USA"),
        SUMMIT: _entity(SUMMIT, "Event", "NATO summit") + [(SUMMIT, RDF.type, KG.Summit)],
        MEETING: _entity(MEETING, "Event", "Meeting") + [(MEETING, RDF.type, KG.Meeting)],
        JUNE: _entity(JUNE, "Date", "June 14", isoValue="2021-06-14"),
        QUOTE: _entity(QUOTE, "Quote", "We will respond."),
    }
    labels[BIDEN].append((BIDEN, OWL.sameAs, J_BIDEN))
    facts = [
        (DOC, RDF.type, KG.Document),
        *[(DOC, KG.mentions, node) for node in labels],
        (J_BIDEN, KG.nationality, USA),
        (BIDEN, KG.leaderOf, USA),  # through sameAs: Joe Biden's
        (BIDEN, KG.participantIn, SUMMIT),  # stored as its inverse, turned round
        (SUMMIT, KG.participant, NATO),
        (NATO, KG.participantIn, SUMMIT),  # both directions stated: one edge
        (SUMMIT, KG.date, JUNE),
        (MEETING, KG.participant, PUTIN),
        (PUTIN, REL["meet"], J_BIDEN),
        (QUOTE, KG.speaker, PUTIN),
        (STRAUSS, REL["visit"], USA),
        (J_BIDEN, KG.quoteText, Literal("not an edge")),
        *_evidence(1, J_BIDEN, KG.nationality, USA, 0.9, "US President Joe Biden"),
        *_evidence(2, J_BIDEN, KG.nationality, USA, 0.7, "Biden, an American"),
        *_evidence(3, PUTIN, REL["meet"], J_BIDEN, 0.6, "Putin met Biden."),
        *_evidence(4, BIDEN, KG.participantIn, SUMMIT, 0.8, "Biden at the summit."),
        *_evidence(5, QUOTE, KG.speaker, PUTIN, 0.75, "Putin said: we will respond."),
        (REL["meet"], RDFS.subPropertyOf, KG.relatedTo),
    ]
    return Batch(graphs={GRAPH: facts}, labels={node: t for node, t in labels.items()})


@pytest.fixture(params=["memory", "oxigraph"])
def graph(request, tmp_path):
    if request.param == "memory":
        store = MemoryStore()
    else:
        from kg.storage.oxigraph import OxigraphStore

        store = OxigraphStore(tmp_path / "store")
    store.write(_batch())
    knowledge = KnowledgeGraph(store=store)
    yield knowledge
    knowledge.close()


@pytest.fixture
def walked():
    """The same graph in memory, for the walk."""
    store = MemoryStore()
    store.write(_batch())
    return store.dataset


def _edges(network: networkx.MultiDiGraph) -> set[tuple]:
    return {
        (u, v, k, tuple(sorted(d.items()))) for u, v, k, d in network.edges(keys=True, data=True)
    }


def test_to_networkx_is_the_walked_graph(graph, walked):
    new, old = graph.to_networkx(), walk.to_networkx(walked)
    assert dict(new.nodes(data=True)) == dict(old.nodes(data=True))
    assert _edges(new) == _edges(old)
    assert list(new.nodes) == sorted(new.nodes)  # IRI order, whatever the store
    assert str(BIDEN) not in new  # collapsed into Joe Biden
    assert new.nodes[str(J_BIDEN)]["aliases"] == ["Biden", "President Biden"]
    assert new.nodes[str(J_BIDEN)]["roles"] == ["president", "senator"]
    assert new.nodes[str(SUMMIT)]["subtype"] == "Summit"
    assert new.nodes[str(JUNE)]["value"] == "2021-06-14"
    nationality = new.edges[str(J_BIDEN), str(USA), "nationality"]
    assert (nationality["confidence"], nationality["evidence"]) == (0.9, "US President Joe Biden")
    assert new.has_edge(str(SUMMIT), str(J_BIDEN), "participant")  # turned, then collapsed
    assert new.number_of_edges(str(SUMMIT), str(NATO)) == 1
    assert new.edges[str(PUTIN), str(J_BIDEN), "meet"]["open"] is True


def test_stats_are_the_walked_counts(graph, walked):
    assert graph.stats() == walk.stats(walked)
    assert graph.stats()["entities"]["Person"] == 3  # Biden is Joe Biden


@pytest.mark.parametrize("kind", [None, "Person", "Event", "Date", "Quote", "Organization"])
def test_entities_are_the_walked_entities(graph, walked, kind):
    nodes = walk.entity_nodes(walked)
    expected = sorted(
        (a["label"].casefold(), str(n), a["type"], tuple(a["aliases"]), tuple(a["roles"]))
        for n, a in nodes.items()
        if kind is None or a["type"] == kind
    )
    found = [
        (e.label.casefold(), e.iri, e.type, e.aliases, e.roles) for e in graph.entities(type=kind)
    ]
    assert found == expected


@pytest.mark.parametrize(
    "name",
    [
        "Joe Biden",
        "biden",  # the merged entity's name, now an alias
        "PRESIDENT BIDEN",
        str(J_BIDEN),
        str(BIDEN),  # merged away: no entity of that IRI, no name either
        "NATO summit",
        "us",
        "Johann Strauss",  # casefold: ß is ss
        "Vladimir Putin",
        "nobody",
    ],
)
def test_neighbors_are_the_walked_neighbors(graph, walked, name):
    found = {(n.relation, n.direction, n.iri, n.label, n.type) for n in graph.neighbors(name)}
    assert found == walk.neighbors(walked, name)


def test_find_by_name_and_alias(graph):
    assert [e.iri for e in graph.find("Biden")] == [str(J_BIDEN)]
    assert [e.iri for e in graph.find("JOHANN STRAUSS")] == [str(STRAUSS)]
    assert graph.find("Biden, Joe") == []


@pytest.mark.parametrize("types", [["Person"], ["Person", "Location"], ["Event", "Date"]])
def test_to_networkx_with_types_is_the_induced_graph(graph, types):
    whole = graph.to_networkx()
    kept = [n for n, t in whole.nodes(data="type") if t in types]
    part = graph.to_networkx(types=types)
    induced = whole.subgraph(kept)
    assert dict(part.nodes(data=True)) == dict(induced.nodes(data=True))
    assert _edges(part) == _edges(induced)


def test_to_networkx_with_relations(graph):
    part = graph.to_networkx(relations=["participant", "meet"])
    assert {k for _, _, k in part.edges(keys=True)} == {"participant", "meet"}
    assert part.number_of_nodes() == graph.to_networkx().number_of_nodes()


def test_duplicate_edge_keeps_the_most_confident():
    """Two facts that give one edge once sameAs is collapsed: the more confident is kept,
    among equals the first sentence (not whichever the store returned first)."""
    batch = _batch()
    facts = batch.graphs[GRAPH]
    facts += [(BIDEN, KG.nationality, USA)]
    facts += _evidence(6, BIDEN, KG.nationality, USA, 0.95, "Biden of the US")
    store = MemoryStore()
    store.write(batch)
    edge = KnowledgeGraph(store=store).to_networkx().edges[str(J_BIDEN), str(USA), "nationality"]
    assert (edge["confidence"], edge["evidence"]) == (0.95, "Biden of the US")


def test_plain_rdflib_graph(walked):
    from kg.network.convert import to_networkx

    assert _edges(to_networkx(walked)) == _edges(walk.to_networkx(walked))


def test_seeds_read_through_sparql(seeds_graph):
    """On the seeds: the same nodes, stats and neighbours as the walk; each edge the most
    confident of the facts that give it."""
    dataset = seeds_graph.dataset
    new, old = seeds_graph.to_networkx(), walk.to_networkx(dataset)
    assert dict(new.nodes(data=True)) == dict(old.nodes(data=True))
    assert {(u, v, k) for u, v, k in new.edges(keys=True)} == {
        (u, v, k) for u, v, k in old.edges(keys=True)
    }
    candidates: dict[tuple, list[dict]] = {}
    for s, o, attrs in walk.fact_edges(dataset, walk.entity_nodes(dataset)):
        candidates.setdefault((str(s), str(o), attrs["relation"]), []).append(attrs)
    for u, v, k, attrs in new.edges(keys=True, data=True):
        best = min(candidates[(u, v, k)], key=lambda a: (-a["confidence"], a["evidence"]))
        assert attrs == best
    assert seeds_graph.stats() == walk.stats(dataset)
    for name in ("Jens Stoltenberg", "Biden", "NATO", "Vladimir Putin"):
        found = {
            (n.relation, n.direction, n.iri, n.label, n.type) for n in seeds_graph.neighbors(name)
        }
        assert found == walk.neighbors(dataset, name)


@pytest.mark.parametrize(
    "among", [None, [J_BIDEN, USA, SUMMIT], [PUTIN, QUOTE], [NATO, SUMMIT, JUNE, MEETING]]
)
def test_evidence_filled_for_some_nodes_is_the_full_read(graph, among):
    """A network read without evidence, then filled for some nodes (what kg viz and the
    explorer do for the part they show), has there the edges of the full read."""
    from kg.network.convert import fill_evidence, to_networkx

    full = graph.to_networkx()
    shape = to_networkx(graph.store, evidence=False)
    assert {(u, v, k) for u, v, k in shape.edges(keys=True)} == {
        (u, v, k) for u, v, k in full.edges(keys=True)
    }
    assert all(d["evidence"] == "" and d["confidence"] == 0.0 for *_, d in shape.edges(data=True))
    nodes = list(full) if among is None else [str(node) for node in among]
    fill_evidence(graph.store, shape, nodes)
    inside = _edges(full.subgraph(nodes))
    assert inside and _edges(shape.subgraph(nodes)) == inside
    nationality = shape.edges[str(J_BIDEN), str(USA), "nationality"]
    filled = among is None or (J_BIDEN in among and USA in among)
    assert nationality["evidence"] == ("US President Joe Biden" if filled else "")


def test_seeds_page_drawn_with_evidence_of_its_part_only(seeds_graph):
    """kg viz reads the network's shape, then the evidence of the part it draws: the page
    is the one drawn from the network with all its evidence."""
    from kg.network.html import render_page

    full = seeds_graph.to_networkx()
    views: list[dict] = [
        {"top": 12},
        {"focus": "NATO", "hops": 1},
        {"top": 8, "quotes": True},
        {"types": ["Person", "Location"], "max_nodes": 10},
        {"relations": ["leaderOf", "participant"], "isolated": True},
        {},
    ]
    for view in views:
        shape, evidence = seeds_graph._view_network(view)
        assert render_page(shape, evidence=evidence, **view) == render_page(full, **view)
    shape, _ = seeds_graph._view_network({})
    assert all(shape.degree(n) > 0 for n in shape)  # entities without facts: counted only
    alone = shape.graph["unlinked"]
    assert alone and sum(alone.values()) == full.number_of_nodes() - shape.number_of_nodes()
