"""The on-disk store: same graph as in memory, idempotent rebuilds, replacement, removal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.errors import StoreError
from kg.graph import KnowledgeGraph
from kg.rdf.namespace import ENTITIES_GRAPH, KG, document_iri, graph_iri

from .conftest import TEXTS, quads, triples

#: Builds graphs with the spaCy model (in this process or through the CLI).
pytestmark = pytest.mark.slow


MENTIONED = "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?d kg:mentions ?e } }"
LABELLED = f"SELECT DISTINCT ?e WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e a ?t }} }}"


def ids(graph: KnowledgeGraph) -> set[str]:
    return set(graph.document_ids())


def column(graph: KnowledgeGraph, sparql: str) -> set[str]:
    return {str(row[0]) for row in graph.query(sparql).rows}


def doc_quads(graph: KnowledgeGraph, doc_id: str) -> set[tuple]:
    return {q for q in quads(graph) if q[3] == str(graph_iri(doc_id))}


def test_store_holds_the_same_graph_as_memory(corpus, tmp_path):
    memory = KnowledgeGraph.build([corpus])
    with KnowledgeGraph.open(tmp_path / "store") as store:
        store.add_documents([corpus])
        assert quads(store) == quads(memory)
        assert len(store) == len(memory) == len(triples(memory))
        assert store.stats() == memory.stats()
        people = "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
        assert store.query(people).rows == memory.query(people).rows
        assert "Joe Biden" in {str(r[0]) for r in store.query(people).rows}


def test_union_default_graph_is_a_set(corpus, tmp_path):
    """A fact stated by two documents matches once, as in rdflib's union graph."""
    with KnowledgeGraph.open(tmp_path / "store") as store:
        store.add_documents([corpus])
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Person }"
        distinct = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Person }"
        assert int(store.query(count).rows[0][0]) == int(store.query(distinct).rows[0][0]) > 2


def test_rebuilding_the_same_documents_changes_nothing(corpus, tmp_path):
    with KnowledgeGraph.open(tmp_path / "store") as store:
        first = store.add_documents([corpus])
        before = quads(store)
    with KnowledgeGraph.open(tmp_path / "store") as store:
        again = store.add_documents([corpus])
        assert quads(store) == before
    assert (first.processed, first.unchanged) == (3, 0)
    assert (again.processed, again.unchanged) == (0, 3)


def test_a_changed_file_replaces_its_own_facts_only(corpus, tmp_path):
    with KnowledgeGraph.open(tmp_path / "store") as store:
        store.add_documents([corpus])
        old_ids = ids(store)
        untouched = {i: doc_quads(store, i) for i in old_ids}
        (corpus / "c.txt").write_text(
            "Trade deal\n\nEmmanuel Macron and Boris Johnson agreed a trade deal in London.",
            "utf-8",
        )
        report = store.add_documents([corpus])
        assert (report.processed, report.unchanged) == (1, 2)
        new_ids = ids(store)
        (gone,) = old_ids - new_ids
        (added,) = new_ids - old_ids
        assert not any(str(document_iri(gone)) in q for q in quads(store))
        assert not doc_quads(store, gone)
        for doc_id in new_ids - {added}:
            assert doc_quads(store, doc_id) == untouched[doc_id]
        names = column(store, "SELECT ?n WHERE { ?p a kg:Person ; rdfs:label ?n }")
        assert "Boris Johnson" in names
        assert "Joe Biden" in names  # still in a.txt
        assert "Washington" not in column(
            store, "SELECT ?n WHERE { ?p a kg:Location ; rdfs:label ?n }"
        )


def test_a_jsonl_record_with_an_id_is_replaced_when_its_text_changes(tmp_path):
    records = tmp_path / "news.jsonl"
    records.write_text('{"id": "n1", "text": "Joe Biden visited Paris on Monday."}\n', "utf-8")
    with KnowledgeGraph.open(tmp_path / "store") as store:
        store.add_documents([records])
        records.write_text(
            '{"id": "n1", "text": "Angela Merkel visited Rome on Monday."}\n', "utf-8"
        )
        report = store.add_documents([records])
        assert report.processed == 1 and ids(store) == {"n1"}
        places = column(store, "SELECT ?n WHERE { ?p a kg:Location ; rdfs:label ?n }")
        assert "Rome" in places and "Paris" not in places
        assert column(store, LABELLED) <= column(store, MENTIONED)


def test_remove_deletes_the_document_and_entities_left_without_evidence(corpus, tmp_path):
    with KnowledgeGraph.open(tmp_path / "store") as store:
        store.add_documents([corpus])
        by_file = {
            Path(str(r[1])).name: str(r[0])
            for r in store.query(
                "SELECT ?id ?f WHERE { ?d dcterms:identifier ?id ; kg:sourceFile ?f }"
            ).rows
        }
        biden = store.find("Joe Biden")[0].iri
        sources = "SELECT DISTINCT ?doc WHERE { ?ev rdf:subject|rdf:object ?e ; kg:document ?doc }"
        assert len(store.query(sources, e=URIRef(biden)).rows) == 2  # a.txt and c.txt
        assert store.remove_documents([by_file["a.txt"]]) == 1
        assert ids(store) == {by_file["b.txt"], by_file["c.txt"]}
        assert not any(str(document_iri(by_file["a.txt"])) in q for q in quads(store))
        # Biden is still in c.txt: kept, with c.txt's evidence only.
        assert [str(r[0]) for r in store.query(sources, e=URIRef(biden)).rows] == [
            str(document_iri(by_file["c.txt"]))
        ]
        assert column(store, LABELLED) == column(store, MENTIONED)
        store.remove_documents(list(ids(store)))
        assert len(store) == 0


def test_entities_shared_by_documents_keep_the_union_of_their_evidence(corpus, tmp_path):
    with KnowledgeGraph.open(tmp_path / "store") as store:
        for name in sorted(TEXTS):  # one build per file
            store.add_documents([corpus / name])
        merkel = store.find("Angela Merkel")
        assert len(merkel) == 1
        docs = store.query(
            "SELECT DISTINCT ?doc WHERE { ?doc kg:mentions ?e }", e=URIRef(merkel[0].iri)
        ).rows
        assert len(docs) == 2


def test_kg_remove_and_build_commands_on_a_store(corpus, tmp_path, run_cli):
    store = tmp_path / "store"
    first = run_cli("build", corpus, "--store", store, "-q")
    assert first.code == 0 and "3 processed" in first.stderr
    again = run_cli("build", corpus, "--store", store, "-q")
    assert again.code == 0 and "0 processed" in again.stderr and "3 unchanged" in again.stderr
    listed = run_cli("query", "--store", store, "--example", "documents", "--format", "csv")
    doc_id = listed.stdout.splitlines()[1].split(",")[0]
    removed = run_cli("remove", doc_id, "missing-id", "--store", store)
    assert removed.code == 3
    assert (
        "removed 1 document" in removed.stderr and "missing-id: no such document" in removed.stderr
    )
    stats = run_cli("stats", store)
    assert "Document                       2" in stats.stdout


def test_a_store_in_use_gets_a_clear_error(corpus, tmp_path):
    with KnowledgeGraph.open(tmp_path / "store"):
        with pytest.raises(StoreError, match="being written by another process"):
            KnowledgeGraph.open(tmp_path / "store")
    KnowledgeGraph.open(tmp_path / "store").close()  # closed: free again


def test_not_a_store_directory(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("x", "utf-8")
    with pytest.raises(StoreError, match="not a store directory"):
        KnowledgeGraph.open(tmp_path / "notes")
    with pytest.raises(StoreError, match="no such store"):
        KnowledgeGraph.open(tmp_path / "missing", create=False)


def test_saving_a_store_writes_its_named_graphs(corpus, tmp_path):
    with KnowledgeGraph.open(tmp_path / "store") as store:
        store.add_documents([corpus])
        store.save(tmp_path / "out.trig")
        expected = quads(store)
    loaded = KnowledgeGraph.load(tmp_path / "out.trig")
    assert quads(loaded) == expected
    assert oct(os.stat(tmp_path / "out.trig").st_mode & 0o777) != "0o600"


def test_min_confidence_leaves_out_weaker_facts(corpus):
    everything = KnowledgeGraph.build([corpus])
    strict = KnowledgeGraph(min_confidence=0.8)
    strict.add_documents([corpus])
    confidences = "SELECT ?c WHERE { ?ev a kg:Evidence ; kg:confidence ?c ; rdf:predicate ?p FILTER(?p != kg:mentions) }"
    kept = [float(r[0]) for r in strict.query(confidences).rows]
    assert kept and min(kept) >= 0.8
    assert len(kept) < len(everything.query(confidences).rows)
    assert KG.mentions  # mentions are kept whatever their confidence
