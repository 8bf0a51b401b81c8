"""Curation on every store: in memory, on-disk Oxigraph, a remote SPARQL server.

The same decisions on the same corpus (tests/curation_corpus.py, extracted by hand, so
no model is loaded) give the same graph in every store, survive incremental builds,
keep the default graph the exact union of the named graphs, and undo quad for quad.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from curation_corpus import build, d1, d2, iri

from kg.graph import KnowledgeGraph
from kg.rdf.namespace import CURATION_GRAPH

from .conftest import quads

BIDEN, J_BIDEN, BLAIR = iri("person/joe-biden"), iri("person/j.-biden"), iri("person/tony-blair")
GX, NATO = iri("location/gx"), iri("organization/nato")


def data_quads(graph: KnowledgeGraph) -> set[tuple[str, str, str, str]]:
    return {q for q in quads(graph) if q[3] != str(CURATION_GRAPH)}


def union_is_exact(graph: KnowledgeGraph) -> bool:
    """The default graph holds each triple of the named graphs once, and nothing else."""
    union = (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    stray = "ASK { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
    counts = [int(graph.query(q).rows[0][0]) for q in (union, everything)]
    return counts[0] == counts[1] and not graph.query(stray).boolean


@pytest.fixture(params=["memory", "oxigraph", "remote"])
def open_graph(request, tmp_path: Path) -> Iterator[Callable[[], KnowledgeGraph]]:
    """Opens the same store again each call (a new process would do the same)."""
    opened: list[KnowledgeGraph] = []
    if request.param == "memory":
        memory = KnowledgeGraph()

        def again() -> KnowledgeGraph:
            return memory
    elif request.param == "oxigraph":

        def again() -> KnowledgeGraph:
            while opened:
                opened.pop().close()
            opened.append(KnowledgeGraph.open(tmp_path / "store"))
            return opened[-1]
    else:
        url = request.getfixturevalue("oxigraph_server")

        def again() -> KnowledgeGraph:
            return KnowledgeGraph.connect(url)

    yield again
    while opened:
        opened.pop().close()


def test_decisions_build_and_undo_on_every_store(open_graph) -> None:
    graph = open_graph()
    build(graph)
    before = data_quads(graph)
    merge = graph.curate.merge(BIDEN, J_BIDEN, why="same man")
    retype = graph.curate.retype(GX, "Organization", why="a group")
    split = graph.curate.split(BLAIR, label="Cherie Blair", aliases=["Blair"], why="his wife")
    reject = graph.curate.reject(BIDEN, "affiliatedWith", NATO, why="misread")
    assert union_is_exact(graph)

    graph = open_graph()  # what another process sees
    assert [d.id for d in graph.curate.decisions()] == [
        d.id for d in (merge, retype, split, reject)
    ]
    assert graph.find("J. Biden")[0].iri == str(BIDEN)
    assert [e.type for e in graph.find("GX")] == ["Organization"]
    assert graph.find("Cherie Blair")
    assert not graph.query("ASK { ?b kg:affiliatedWith ?n }", b=BIDEN, n=NATO).boolean
    people = graph.stats()["entities"]["Person"]

    # an incremental build: the fragment and the wrong fact again, in new documents
    report = build(graph, d1(doc_id="d5"), d2(doc_id="d6"))
    assert report.not_applying == []
    graph = open_graph()
    assert graph.stats()["entities"]["Person"] == people
    assert not graph.query("ASK { ?b kg:affiliatedWith ?n }", b=BIDEN, n=NATO).boolean
    assert not graph.query("ASK { GRAPH ?g { ?x a kg:Person } }", x=J_BIDEN).boolean
    assert union_is_exact(graph)

    graph.remove_documents(["d5", "d6"])
    for decision in (split, merge, reject, retype):
        graph.curate.undo(decision, why="back")
    graph = open_graph()
    assert data_quads(graph) == before
    assert union_is_exact(graph)


def test_every_store_curates_to_the_same_graph(open_graph, tmp_path: Path) -> None:
    reference = KnowledgeGraph()
    build(reference)
    reference.curate.merge(BIDEN, J_BIDEN, why="x")
    reference.curate.reject(BIDEN, "affiliatedWith", NATO, why="x")
    reference.curate.export(tmp_path / "decisions.ttl")
    graph = open_graph()
    build(graph)
    assert graph.curate.import_file(tmp_path / "decisions.ttl").added == 2
    assert quads(open_graph()) == quads(reference)
