"""A query scoped to the union graph gives the rows it gives with that graph as its
default graph (Oxigraph's engine as the judge), inner GRAPH patterns included; and so
does a remote store on each tested server."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from kg.sparql.run import _with_prefixes, example_queries
from kg.storage.query_scope import query_form, scoped_to
from kg.storage.remote import RemoteStore

UNION = URIRef("https://example.org/kg/store/union")
DATA = """
PREFIX kg: <https://example.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
INSERT DATA {
  GRAPH <https://example.org/kg/graph/a> {
    <https://example.org/kg/document/a> a kg:Document ; dcterms:identifier "a" ;
        kg:mentions <https://example.org/kg/entity/person/x> .
    <https://example.org/kg/entity/person/x> a kg:Person ; kg:role "Mayor {of} #1" .
  }
  GRAPH <https://example.org/kg/graph/b> {
    <https://example.org/kg/document/b> a kg:Document ; dcterms:identifier "b" ;
        kg:mentions <https://example.org/kg/entity/person/x> .
    <https://example.org/kg/entity/person/x> a kg:Person .
  }
  GRAPH <https://example.org/kg/graph/entities> {
    <https://example.org/kg/entity/person/x> rdfs:label "X" ; a kg:Person .
  }
  GRAPH <https://example.org/kg/store/union> {
    <https://example.org/kg/document/a> a kg:Document ; dcterms:identifier "a" ;
        kg:mentions <https://example.org/kg/entity/person/x> .
    <https://example.org/kg/document/b> a kg:Document ; dcterms:identifier "b" ;
        kg:mentions <https://example.org/kg/entity/person/x> .
    <https://example.org/kg/entity/person/x> a kg:Person ; kg:role "Mayor {of} #1" ;
        rdfs:label "X" .
  }
  <urn:default> <urn:only> "in the store's own default graph" .
}
"""

QUERIES = {
    "graph variable": "SELECT ?g ?id WHERE { GRAPH ?g { ?d dcterms:identifier ?id } }",
    "mixed": "SELECT ?e ?label ?role WHERE { GRAPH <https://example.org/kg/graph/entities> "
    "{ ?e rdfs:label ?label } OPTIONAL { ?e kg:role ?role } }",
    "braces in strings and comments": 'SELECT ?e WHERE { # a } comment {\n ?e kg:role "Mayor {of} #1" . '
    "GRAPH ?g { ?e a kg:Person } }",
    "subquery": "SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } } "
    "GRAPH ?g { ?d a kg:Document } }",
    "trailing values": "SELECT ?d ?g WHERE { GRAPH ?g { ?d a kg:Document } } VALUES ?g "
    "{ <https://example.org/kg/graph/a> }",
    "ask": "ASK { ?s <urn:only> ?o }",
    "construct": "CONSTRUCT { ?d <urn:in> ?g } WHERE { GRAPH ?g { ?d a kg:Document } ?d kg:mentions ?e }",
    "construct where": "CONSTRUCT WHERE { ?d kg:mentions ?e }",
    "exists": "SELECT ?d WHERE { ?d a kg:Document FILTER EXISTS { GRAPH ?g { ?d kg:mentions ?x } } }",
    "no where keyword": "SELECT * { ?s <urn:only> ?o }",
    **{f"example {name}": text for name, text in example_queries().items()},
}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.update(DATA)
    return store


def _rows(result: object) -> object:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return sorted(tuple(str(s[n]) for n in names) for s in result)
    return sorted(f"{t.subject} {t.predicate} {t.object}" for t in result)  # CONSTRUCT


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_scoped_query_reads_the_union_as_its_default_graph(store, name):
    text = _with_prefixes(QUERIES[name])
    expected = _rows(store.query(text, default_graph=ox.NamedNode(str(UNION))))
    scoped = scoped_to(text, UNION)
    assert scoped != text
    assert _rows(store.query(scoped)) == expected


def test_the_store_default_graph_is_what_an_unscoped_query_reads(store):
    text = "SELECT ?o WHERE { ?s <urn:only> ?o }"
    assert _rows(store.query(text)) != _rows(store.query(scoped_to(text, UNION)))


def test_describe_without_where_is_left_alone():
    text = "DESCRIBE <https://example.org/kg/entity/person/x>"
    assert scoped_to(text, UNION) == text
    assert query_form(text) == "DESCRIBE"


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("PREFIX select: <urn:x#> SELECT ?s WHERE { ?s select:p ?o }", "SELECT"),
        ("# ASK\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ('ASK { ?s ?p "SELECT" }', "ASK"),
        ("INSERT DATA { }", None),
    ],
)
def test_the_query_form_ignores_prefixes_comments_and_strings(text, form):
    assert query_form(text) == form


@pytest.fixture()
def served_data(sparql_server: str) -> RemoteStore:
    """The same data on a server; the store's own default-graph triple in another graph
    (Virtuoso has no writable default graph, and its default graph would show it)."""
    store = RemoteStore(sparql_server)
    other = 'GRAPH <urn:x:other> { <urn:default> <urn:only> "in another graph" . } }'
    store.http.update(
        DATA.replace('<urn:default> <urn:only> "in the store\'s own default graph" .\n}', other)
    )
    yield store
    store.http.update("DROP SILENT GRAPH <urn:x:other>")


def _n3(term: object) -> str:
    return "None" if term is None else term.n3()  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_server_answers_over_the_union_graph(store, served_data, name):
    """The remote store's own path (protocol parameter or rewrite) on each tested server."""
    text = _with_prefixes(QUERIES[name])
    expected = _rows(store.query(text, default_graph=ox.NamedNode(str(UNION))))
    result = served_data.query(QUERIES[name])
    if result.kind == "ASK":
        assert result.boolean == expected
    elif result.graph is not None:
        assert sorted(" ".join(_n3(x) for x in t) for t in result.graph) == expected
    else:
        assert sorted(tuple(_n3(c) for c in row) for row in result.rows) == expected
