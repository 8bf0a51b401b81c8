"""The SPARQL 1.1 Protocol, checked by the W3C's own tests and by standard clients.

Against a real `kg serve` app on 127.0.0.1, for both engines (rdflib in memory and an
on-disk Oxigraph store), holding the graphs the tests name:

- the W3C SPARQL 1.1 Protocol tests, kept as data (``data/sparql11_protocol.json``,
  where the few adapted to a read-only endpoint say why);
- SPARQLWrapper with its default settings, for every return format it offers (it sends
  ``format=``, ``output=`` and ``results=`` parameters, some of them twice);
- rdflib's ``SPARQLStore``, with a graph identifier (``default-graph-uri``) and without.
"""

from __future__ import annotations

import http.client
import io
import json
import urllib.parse
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.query import Result

from kg.graph import KnowledgeGraph
from kg.serve import Limits, ServeConfig, create_app
from kg.serve.app import running

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::RuntimeWarning")

DATA = Path(__file__).parent / "data"
CASES = json.loads((DATA / "sparql11_protocol.json").read_text(encoding="utf-8"))["tests"]
FOAF_DOCUMENT = URIRef("http://xmlns.com/foaf/0.1/Document")
GRAPHS = [URIRef(f"http://kasei.us/2009/09/sparql/data/data{i}.rdf") for i in range(4)]
BOOLEAN_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
}
TABULAR_TYPES = {
    **BOOLEAN_TYPES,
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def load_graph(engine: str, folder: Path) -> KnowledgeGraph:
    """The test graphs in memory (from the TriG file) or in a new Oxigraph store."""
    memory = KnowledgeGraph.load(DATA / "sparql11_protocol_data.trig")
    if engine == "memory":
        return memory
    from kg.storage.base import Batch

    store = KnowledgeGraph.open(folder / "store")
    graphs = {g: list(memory.dataset.graph(g)) for g in GRAPHS}
    store.store.write(Batch(graphs=graphs, fresh=set(graphs)))
    return store


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def endpoint(request, tmp_path_factory):
    graph = load_graph(request.param, tmp_path_factory.mktemp(request.param))
    with running(create_app(graph, ServeConfig(limits=Limits(timeout=20)))) as url:
        yield url, graph
    graph.close()


def send(url: str, method: str, params: str, body: bytes | None, headers: dict) -> tuple:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        path = "/sparql" + (f"?{params}" if params else "")
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("content-type") or "", response.read()
    finally:
        connection.close()


def quads(graph: KnowledgeGraph) -> set:
    return set(graph.store.snapshot().quads((None, None, None, None)))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_w3c_protocol(endpoint, case):
    url, graph = endpoint
    before = quads(graph) if case["status"] == "4xx" else None
    body = None if case["body"] is None else case["body"].encode(case["encoding"])
    status, content_type, answer = send(url, case["method"], case["params"], body, case["headers"])
    if case["status"] == "4xx":
        assert 400 <= status < 500, (status, answer)
        assert quads(graph) == before  # nothing changed, whatever was asked
        return
    assert 200 <= status < 400, (status, answer)
    media = content_type.split(";")[0].strip()
    kind = case.get("format")
    if kind == "boolean":
        assert media in BOOLEAN_TYPES, media
        result = Result.parse(io.BytesIO(answer), format=BOOLEAN_TYPES[media])
        if "boolean" in case:
            assert result.askAnswer is case["boolean"]
    elif kind == "tabular":
        assert media in TABULAR_TYPES, media
        rows = list(Result.parse(io.BytesIO(answer), format=TABULAR_TYPES[media]))
        assert [str(row[0]) for row in rows] == ["1"]
    elif kind == "RDF":
        assert media in RDF_TYPES, media
        parsed = Graph().parse(data=answer, format=RDF_TYPES[media])
        for triple in parsed:
            for node in triple:
                if isinstance(node, URIRef):
                    assert urllib.parse.urlsplit(str(node)).scheme, node  # absolute IRIs only


def test_w3c_cases_cover_the_manifest():
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)) == 34
    adapted = [case["name"] for case in CASES if "note" in case]
    assert len(adapted) == 8, adapted  # 7 updates and query_multiple_dataset


# --- SPARQLWrapper with its defaults -------------------------------------------------------

SELECT = "SELECT ?g WHERE { GRAPH ?g { ?g a <http://xmlns.com/foaf/0.1/Document> } } ORDER BY ?g"
CONSTRUCT = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }"


@pytest.mark.parametrize("fmt", ["xml", "json", "csv", "tsv"])
def test_sparqlwrapper_select_in_every_format(endpoint, fmt):
    from SPARQLWrapper import SPARQLWrapper

    url, _ = endpoint
    client = SPARQLWrapper(f"{url}sparql")
    client.setQuery(SELECT)
    client.setReturnFormat(fmt)
    converted = client.query().convert()
    if fmt == "json":
        values = [b["g"]["value"] for b in converted["results"]["bindings"]]
    elif fmt == "xml":
        values = [n.firstChild.data for n in converted.getElementsByTagName("uri")]
    elif fmt == "csv":
        values = converted.decode().splitlines()[1:]
    else:
        values = [line.strip("<>") for line in converted.decode().splitlines()[1:]]
    assert values == [str(g) for g in GRAPHS]


@pytest.mark.parametrize("fmt", ["xml", "rdf+xml", "turtle", "n3", "json-ld", "rdf"])
def test_sparqlwrapper_construct_in_every_format(endpoint, fmt):
    from SPARQLWrapper import SPARQLWrapper

    url, _ = endpoint
    client = SPARQLWrapper(f"{url}sparql")
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(fmt)
    converted = client.query().convert()
    if isinstance(converted, Graph):
        parsed = converted
    else:  # Turtle and N3 come back as text
        parsed = Graph().parse(data=converted, format="turtle")
    assert set(parsed.subjects(RDF.type, FOAF_DOCUMENT)) == set(GRAPHS)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_sparqlwrapper_ask(endpoint, fmt):
    from SPARQLWrapper import SPARQLWrapper

    url, _ = endpoint
    client = SPARQLWrapper(f"{url}sparql")
    client.setQuery(f"ASK {{ <{GRAPHS[2]}> a <{FOAF_DOCUMENT}> }}")
    client.setReturnFormat(fmt)
    converted = client.query().convert()
    answer = (
        converted["boolean"]
        if fmt == "json"
        else converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    )
    assert answer is True


# --- rdflib's SPARQLStore -------------------------------------------------------------------


def test_rdflib_sparqlstore_without_a_graph_identifier(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    url, _ = endpoint
    remote = Graph(store=SPARQLStore(f"{url}sparql"))
    assert set(remote.subjects(RDF.type, FOAF_DOCUMENT)) == set(GRAPHS)
    rows = remote.query(SELECT)
    assert [row[0] for row in rows] == GRAPHS


def test_rdflib_sparqlstore_with_a_graph_identifier(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    url, _ = endpoint
    for graph in GRAPHS:
        remote = Graph(store=SPARQLStore(f"{url}sparql"), identifier=graph)
        assert set(remote.subjects(RDF.type, FOAF_DOCUMENT)) == {graph}
        assert len(remote) == 1
        assert (graph, RDF.type, FOAF_DOCUMENT) in remote
        assert (GRAPHS[0 if graph != GRAPHS[0] else 1], None, None) not in remote
    missing = Graph(
        store=SPARQLStore(f"{url}sparql"), identifier=URIRef("http://nowhere.example/g")
    )
    with pytest.raises(Exception):  # noqa: B017 - SPARQLStore wraps the 400 in its own error
        len(missing)


def test_literal_kinds_survive_the_round_trip(endpoint):
    """Datatypes and languages come back as sent, through SPARQLStore's parser."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    url, _ = endpoint
    remote = Graph(store=SPARQLStore(f"{url}sparql"))
    row = next(iter(remote.query('SELECT ("x"@en AS ?a) (2 AS ?b) ("y" AS ?c) {}')))
    assert row[0] == Literal("x", lang="en") and row[1] == Literal(2) and row[2] == Literal("y")
