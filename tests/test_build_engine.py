"""The build engine and the facade, fed hand-made extractions (no spaCy model)."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from kg.build.engine import Builder, BuildOptions
from kg.documents import document_from_text
from kg.errors import ParameterError
from kg.graph import KnowledgeGraph
from kg.model import LOCATION, ORGANIZATION, PERSON, Evidence, Extraction, Fact, Mention
from kg.rdf.namespace import ENTITIES_GRAPH, KG, entity_iri, graph_iri
from kg.storage.memory import MemoryStore

TEXT = "Jens Stoltenberg leads NATO. Stoltenberg spoke in Brussels."


def mention(doc_id: str, name: str, kind: str, start: int, confidence: float = 0.9) -> Mention:
    return Mention(
        doc_id=doc_id,
        text=name,
        name=name,
        type=kind,
        start=start,
        end=start + len(name),
        sentence=TEXT,
        confidence=confidence,
    )


def extracted(text: str = TEXT, *, source: str = "a.txt"):
    """One document and what an extractor could have found in it."""
    document = document_from_text(text, source=source)
    d = document.id
    full = mention(d, "Jens Stoltenberg", PERSON, 0)
    nato = mention(d, "NATO", ORGANIZATION, text.index("NATO"))
    short = mention(d, "Stoltenberg", PERSON, text.index("Stoltenberg spoke"))
    place = mention(d, "Brussels", LOCATION, text.index("Brussels"))
    evidence = Evidence(d, text, 0, 27, "test", 0.8)
    weak = Evidence(d, text, 0, 27, "test", 0.3)
    facts = [Fact(full, "leaderOf", nato, evidence), Fact(short, "residence", place, weak)]
    return document, Extraction(d, [full, nato, short, place], facts)


def test_extractions_are_resolved_and_written_in_one_named_graph_per_document():
    store = MemoryStore()
    document, extraction = extracted()
    report = Builder(store).add_extractions([(document, extraction)])
    assert report.processed == 1
    graph = store.dataset.graph(graph_iri(document.id))
    person = entity_iri("person/jens-stoltenberg")
    assert (person, KG.leaderOf, entity_iri("organization/nato")) in graph
    assert (person, RDF.type, KG.Person) in graph
    # "Stoltenberg" joined the full name: one node, the short form an alias
    labels = store.dataset.graph(ENTITIES_GRAPH)
    assert (person, RDFS.label, Literal("Jens Stoltenberg")) in labels
    assert not any(str(s).endswith("/person/stoltenberg") for s in store.dataset.subjects())


def test_batch_size_is_a_parameter_error_named_for_python():
    with pytest.raises(ParameterError, match="batch_size=0"):
        BuildOptions(batch_size=0)
    with pytest.raises(ParameterError, match="min_confidence=1.5"):
        KnowledgeGraph(min_confidence=1.5)


def test_batches_are_short_when_other_processes_extract() -> None:
    """With workers or Dask the parent writes batches of at most PARALLEL_BATCH (so its
    work overlaps the parsing); one process keeps the batch size asked for."""
    from kg.build.engine import PARALLEL_BATCH

    assert BuildOptions().write_batch_size == 256
    assert BuildOptions(workers=2).write_batch_size == PARALLEL_BATCH < 256
    assert BuildOptions(dask="local").write_batch_size == PARALLEL_BATCH
    assert BuildOptions(workers=2, batch_size=8).write_batch_size == 8


def test_unchanged_documents_are_skipped_and_a_changed_file_replaces_its_version():
    store = MemoryStore()
    builder = Builder(store)
    first, extraction = extracted()
    builder.add_extractions([(first, extraction)])
    report = builder.add([first])  # same id and digest: skipped before any parsing
    assert report.unchanged == 1 and report.processed == 0
    changed, extraction2 = extracted(TEXT + " NATO met.", source="a.txt")
    changed = document_from_text(TEXT + " NATO met.", source="a.txt", file="a.txt")
    first_with_file = document_from_text(TEXT, source="a.txt", file="a.txt")
    store2 = MemoryStore()
    b2 = Builder(store2)
    b2.add_extractions([(first_with_file, extraction)])
    b2.add_extractions([(changed, Extraction(changed.id, extraction2.mentions[:1], []))])
    graphs = {str(g.identifier) for g in store2.dataset.graphs()}
    assert str(graph_iri(changed.id)) in graphs
    assert str(graph_iri(first_with_file.id)) not in graphs  # the earlier version is gone


def test_remove_prunes_entities_nothing_mentions():
    store = MemoryStore()
    builder = Builder(store)
    document, extraction = extracted()
    builder.add_extractions([(document, extraction)])
    assert builder.remove([document.id]) == 1
    assert (entity_iri("organization/nato"), None, None) not in store.dataset
    assert builder.stored_documents() == {}


def test_facade_reads_what_the_engine_wrote():
    graph = KnowledgeGraph()
    document, extraction = extracted()
    graph.builder.add_extractions([(document, extraction)])
    people = graph.entities("Person")
    assert [p.label for p in people] == ["Jens Stoltenberg"]
    assert "Stoltenberg" in people[0].aliases
    assert graph.document_ids() == [document.id]
    assert any(
        n.relation == "leaderOf" and n.label == "NATO" for n in graph.neighbors("Stoltenberg")
    )
    stats = graph.stats()
    assert stats["documents"] == {"Document": 1}
    assert stats["relations"]["leaderOf"] == 1


def test_networkx_conversion_has_entities_as_nodes_and_facts_as_edges():
    graph = KnowledgeGraph()
    document, extraction = extracted()
    graph.builder.add_extractions([(document, extraction)])
    network = graph.to_networkx()
    person = str(entity_iri("person/jens-stoltenberg"))
    assert network.nodes[person]["type"] == "Person"
    relations = {d["relation"] for _, _, d in network.out_edges(person, data=True)}
    assert "leaderOf" in relations
    assert all(isinstance(n, str) or isinstance(n, URIRef) for n in network.nodes)
