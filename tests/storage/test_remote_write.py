"""Writing batches to a server: operation and request sizes, terms, and the journal that
undoes a batch stopped after any of its operations (on real servers)."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import urllib.request

import pytest
from rdflib import XSD, BNode, Literal, URIRef

import kg.storage.remote as remote
from kg.errors import StoreError
from kg.rdf.namespace import ENTITIES_GRAPH, KG, RDF, RDFS, document_iri, entity_iri, graph_iri
from kg.storage.base import Batch
from kg.storage.memory import MemoryStore
from kg.storage.remote import RemoteStore
from kg.storage.remote_write import (
    J_COMMITTED,
    UNION_GRAPH,
    batch_operations,
    insert_data,
    requests_of,
    rollback_operations,
    term_text,
)
from kg.storage.servers import PROFILES

from .conftest import drop_kg_graphs

VIRTUOSO = PROFILES["virtuoso"]
G = URIRef("https://example.org/kg/graph/x")


def test_insert_data_keeps_each_operation_under_the_server_limit():
    triples = [(URIRef(f"urn:s{i}"), RDFS.label, Literal(f"n{i}")) for i in range(9_500)]
    ops = insert_data({G: triples[:9_000], ENTITIES_GRAPH: triples[9_000:]}, VIRTUOSO)
    sizes = [op.count("\n<urn:s") for op in ops]
    assert len(ops) == 3 and all(size <= 4_000 for size in sizes)
    assert sum(op.count("\n<urn:s") for op in ops) == 9_500
    assert len(insert_data({G: triples}, PROFILES["oxigraph"])) == 1


def test_requests_stay_under_the_byte_limit_and_keep_the_order():
    ops = [f"DROP SILENT GRAPH <urn:g{i}>" + " " * 1_000 for i in range(50)]
    requests = requests_of(ops, 5_000)
    assert all(len(r.encode()) <= 5_000 for r in requests)
    assert " ;\n".join(requests) == " ;\n".join(ops)
    assert requests_of(ops, None) == [" ;\n".join(ops)]


def test_terms_never_carry_xsd_string_blank_nodes_or_cut_iris():
    assert term_text(Literal("x", datatype=XSD.string), VIRTUOSO, G) == '"x"'
    assert term_text(Literal("2", datatype=XSD.integer), VIRTUOSO, G).endswith("#integer>")
    with pytest.raises(StoreError, match="blank node"):
        term_text(BNode(), VIRTUOSO, G)
    long_iri = URIRef("https://example.org/kg/entity/person/" + "a" * 2_000)
    with pytest.raises(StoreError, match=r"longer than virtuoso keeps \(1,879\)"):
        term_text(long_iri, VIRTUOSO, G)
    assert term_text(long_iri, PROFILES["oxigraph"], G) == long_iri.n3()


# -- the journal, on real servers --------------------------------------------------------

PERSON, PLACE, GONE = (entity_iri(k) for k in ("person/ada", "location/paris", "person/gone"))


def _document(doc_id: str, *entities: URIRef, extra: str = "") -> list[tuple]:
    doc = document_iri(doc_id)
    triples = [
        (doc, RDF.type, KG.Document),
        (doc, KG.contentHash, Literal(doc_id + extra)),
        (PERSON, RDF.type, KG.Person),  # stated by several documents: once in the union
    ]
    for entity in entities:
        triples.append((doc, KG.mentions, entity))
    return triples


def _labels(*pairs: tuple[URIRef, str]) -> dict[URIRef, list[tuple]]:
    return {
        node: [(node, RDFS.label, Literal(label)), (node, RDF.type, KG.Person)]
        for node, label in pairs
    }


def _first_batch() -> Batch:
    return Batch(
        graphs={
            graph_iri("a"): _document("a", PERSON, GONE),
            graph_iri("b"): _document("b", PERSON),
            graph_iri("c"): _document("c", PLACE),
        },
        labels=_labels((PERSON, "Ada"), (GONE, "Gone"), (PLACE, "Paris")),
        fresh={graph_iri("a"), graph_iri("b"), graph_iri("c")},
    )


def _second_batch() -> Batch:
    """Replaces a (GONE is no longer mentioned), deletes c, adds d; relabels PERSON."""
    return Batch(
        graphs={
            graph_iri("a"): _document("a", PERSON, extra="v2"),
            graph_iri("d"): _document("d", PERSON, PLACE),
        },
        dropped={graph_iri("c")},
        labels=_labels((PERSON, "Ada Lovelace"), (PLACE, "Paris")),
        prune=True,
        fresh={graph_iri("d")},
    )


def _dump(endpoint: str) -> set[tuple[str, ...]]:
    """Every quad in a graph under kg's base IRI (union, journal and backups included)."""
    query = 'SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://example.org/kg/")) }'
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        rows = json.loads(response.read())["results"]["bindings"]
    out = set()
    for row in rows:
        o = row["o"]
        datatype = o.get("datatype", "")
        datatype = "" if datatype == str(XSD.string) else datatype
        out.add((row["g"]["value"], row["s"]["value"], row["p"]["value"], o["value"], datatype))
    return out


def _expected_after(*batches: Batch) -> set[tuple[str, ...]]:
    """The quads a MemoryStore holds after ``batches``, plus their union as a set."""
    memory = MemoryStore()
    for batch in batches:
        memory.write(batch)
    out = set()
    for s, p, o, g in memory.dataset.quads((None, None, None, None)):
        datatype = str(o.datatype) if isinstance(o, Literal) and o.datatype else ""
        for graph in (str(g.identifier if hasattr(g, "identifier") else g), str(UNION_GRAPH)):
            out.add((graph, str(s), str(p), str(o), datatype))
    return out


def _prefix_run(endpoint: str, stop_after: int) -> None:
    """Write the first batch, then the second up to operation ``stop_after`` only."""
    drop_kg_graphs(endpoint)
    store = RemoteStore(endpoint)
    store.write(_first_batch())
    for op in batch_operations(_second_batch(), store.profile)[:stop_after]:
        store.http.update(op)


def test_a_batch_stopped_after_any_operation_is_undone_then_written(sparql_server):
    first, both = _expected_after(_first_batch()), _expected_after(_first_batch(), _second_batch())
    drop_kg_graphs(sparql_server)
    store = RemoteStore(sparql_server)
    store.write(_first_batch())
    assert _dump(sparql_server) == first
    store.write(_second_batch())
    assert _dump(sparql_server) == both
    assert str(GONE) not in {q[1] for q in both}  # pruned: nothing mentions it any more
    ops = batch_operations(_second_batch(), store.profile)
    committed = next(i for i, op in enumerate(ops) if str(J_COMMITTED) in op) + 1
    for stop_after in range(len(ops) + 1):
        _prefix_run(sparql_server, stop_after)
        recovered = RemoteStore(sparql_server)
        recovered.recover()  # what the next build does first
        assert _dump(sparql_server) == (both if stop_after >= committed else first), stop_after
        recovered.write(_second_batch())
        assert _dump(sparql_server) == both, stop_after


def test_recovery_itself_can_be_stopped_and_run_again(sparql_server):
    ops = batch_operations(_second_batch(), RemoteStore(sparql_server).profile)
    written = f"GRAPH {graph_iri('d').n3()} {{"  # the new documents are in: half-way
    begun_and_moved = next(i for i, op in enumerate(ops) if written in op) + 1
    _prefix_run(sparql_server, begun_and_moved)
    half = RemoteStore(sparql_server)
    journal = half._journal()
    assert journal is not None and journal.state == "begun"
    undo = rollback_operations(journal, half._existing(journal.moved))
    for op in undo[: len(undo) // 2]:
        half.http.update(op)
    again = RemoteStore(sparql_server)
    again.recover()
    assert _dump(sparql_server) == _expected_after(_first_batch())


def test_recovery_waits_for_a_request_still_running_on_the_server(oxigraph_server, monkeypatch):
    """A killed client's request goes on on the server: its marker holds recovery back."""
    _prefix_run(oxigraph_server, 3)  # a begun-to-be journal, as a running request leaves it
    store = RemoteStore(oxigraph_server)
    marker = "INSERT DATA { GRAPH <https://example.org/kg/store/writing> { <urn:a> <urn:b> 1 } }"
    store.http.update(marker)
    threading.Timer(2.0, lambda: store.http.update(marker.replace("INSERT", "DELETE"))).start()
    started = time.monotonic()
    RemoteStore(oxigraph_server).recover()
    assert time.monotonic() - started >= 2.0
    assert _dump(oxigraph_server) == _expected_after(_first_batch())
    # A marker nobody takes out (the server stopped mid-request) is stale after the wait.
    _prefix_run(oxigraph_server, 3)
    store.http.update(marker)
    monkeypatch.setattr(remote, "WAIT_FOR_WRITERS_SECONDS", 1.0)
    RemoteStore(oxigraph_server).recover()
    assert _dump(oxigraph_server) == _expected_after(_first_batch())
