"""kg serve: the SPARQL endpoint (protocol, formats, refusals, limits), the explorer's API, the CLI.

Every test talks HTTP to a real uvicorn server on 127.0.0.1 (a free port), started by
the test; the browser tests are in test_serve_browser.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from kg.errors import QueryRefusedError
from kg.graph import KnowledgeGraph
from kg.network.views import merge_inverses
from kg.serve import Limits, ServeConfig, create_app
from kg.serve.app import running
from kg.serve.explore import Explorer, fold
from kg.serve.protocol import negotiate
from kg.serve.runner import QueryRunner
from kg.sparql.guard import check_query

ENTITY = "https://example.org/kg/entity/"
KG = "https://example.org/kg/ontology#"
ADA = ENTITY + "person/ada"
BOB = ENTITY + "person/bob"
STOLTENBERG = ENTITY + "person/jens-stoltenberg"

TINY = """
@prefix kg: <https://example.org/kg/ontology#> .
@prefix rel: <https://example.org/kg/relation/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix person: <https://example.org/kg/entity/person/> .
@prefix organization: <https://example.org/kg/entity/organization/> .
@prefix location: <https://example.org/kg/entity/location/> .
@prefix event: <https://example.org/kg/entity/event/> .
@prefix date: <https://example.org/kg/entity/date/> .
@prefix doc: <https://example.org/kg/document/> .
@prefix ev: <https://example.org/kg/evidence/d1/> .

doc:d1 a kg:Document ; dcterms:identifier "d1" ; dcterms:title "Summit report" ;
    dcterms:source "news/d1.txt" ; dcterms:issued "2021-06-14"^^xsd:date ;
    dcterms:references "https://news.example/d1" ;
    kg:mentions person:ada, person:bob, organization:acme, location:geneva, event:meeting .
person:ada a kg:Person ; rdfs:label "Ada Lovelace" ; skos:altLabel "Lovelace", "Countess" ;
    kg:role "Chief Analyst" ; kg:leaderOf organization:acme ; kg:participantIn event:meeting .
person:bob a kg:Person ; rdfs:label "Bob Erdoğan" ; rel:meet person:ada .
person:carl a kg:Person ; rdfs:label "Carl Lonely" .
organization:acme a kg:Organization ; rdfs:label "Acme Corp" ; kg:locatedIn location:geneva .
location:geneva a kg:Location ; rdfs:label "Geneva" .
event:meeting a kg:Event, kg:Meeting ; rdfs:label "Meeting of Ada and Bob" ;
    kg:participant person:ada, person:bob ; kg:date date:2021-06-16 ; kg:locatedIn location:geneva .
date:2021-06-16 a kg:Date ; rdfs:label "June 16" ; kg:isoValue "2021-06-16"^^xsd:date .
rel:meet rdfs:subPropertyOf kg:relatedTo ; rdfs:label "meet" .
ev:1 a kg:Evidence ; rdf:subject person:ada ; rdf:predicate kg:leaderOf ; rdf:object organization:acme ;
    kg:document doc:d1 ; kg:sentence "Chief Analyst Ada Lovelace leads Acme Corp." ;
    kg:startChar 10 ; kg:endChar 50 ; kg:extractor "titles" ; kg:confidence 0.9 .
ev:2 a kg:Evidence ; rdf:subject person:ada ; rdf:predicate kg:role ; rdf:object "Chief Analyst" ;
    kg:document doc:d1 ; kg:sentence "Chief Analyst Ada Lovelace leads Acme Corp." ;
    kg:startChar 10 ; kg:endChar 24 ; kg:extractor "titles" ; kg:confidence 0.9 .
ev:3 a kg:Evidence ; rdf:subject person:bob ; rdf:predicate rel:meet ; rdf:object person:ada ;
    kg:document doc:d1 ; kg:sentence "Bob Erdoğan met Ada Lovelace in Geneva." ;
    kg:startChar 60 ; kg:endChar 98 ; kg:extractor "open_relations" ; kg:confidence 0.7 .
ev:4 a kg:Evidence ; rdf:subject doc:d1 ; rdf:predicate kg:mentions ; rdf:object person:ada ;
    kg:document doc:d1 ; kg:sentence "Chief Analyst Ada Lovelace leads Acme Corp." ;
    kg:startChar 24 ; kg:endChar 36 ; kg:extractor "entities" ; kg:confidence 1.0 .
"""


def tiny_graph() -> KnowledgeGraph:
    dataset = Dataset(default_union=True)
    dataset.default_graph.parse(data=TINY, format="turtle")
    return KnowledgeGraph(dataset)


@pytest.fixture(scope="module")
def tiny() -> KnowledgeGraph:
    return tiny_graph()


@pytest.fixture(scope="module")
def server(tiny):
    with running(create_app(tiny, ServeConfig(title="Tiny"))) as url:
        yield url


@pytest.fixture(scope="module")
def seeds_server(seeds_graph):
    with running(create_app(seeds_graph, ServeConfig(title="Seeds"))) as url:
        yield url


def http(
    url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None
):
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def sparql_get(base: str, query: str, accept: str = "application/sparql-results+json", **params):
    qs = urllib.parse.urlencode({"query": query, **params})
    return http(f"{base}sparql?{qs}", headers={"Accept": accept})


def sparql_form(base: str, query: str, accept: str = "application/sparql-results+json"):
    body = urllib.parse.urlencode({"query": query}).encode()
    headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
    return http(f"{base}sparql", data=body, headers=headers)


def sparql_body(base: str, query: str, accept: str = "application/sparql-results+json"):
    headers = {"Accept": accept, "Content-Type": "application/sparql-query"}
    return http(f"{base}sparql", data=query.encode(), headers=headers)


ROLES = "SELECT ?p ?role WHERE { ?p kg:role ?role } ORDER BY ?p"
LABELS = "SELECT ?e ?label WHERE { ?e rdfs:label ?label } ORDER BY ?e"


def bindings(body: bytes, fmt: str = "json") -> list[dict]:
    """Rows parsed by rdflib's own SPARQL result parsers."""
    result = Result.parse(io.BytesIO(body), format=fmt)
    return [{str(k): v for k, v in row.asdict().items()} for row in result]


def local_rows(graph: KnowledgeGraph, query: str) -> list[dict]:
    result = graph.query(query)
    return [
        {v: n for v, n in zip(result.variables, row, strict=True) if n is not None}
        for row in result.rows
    ]


# --- what the endpoint refuses, as text ----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "delete where { ?s ?p ?o }",
        "PREFIX x: <a:>\nWITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "LOAD <http://example.com/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <a:g>",
        "SELECT * WHERE { SERVICE <http://example.com/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { service\n<http://example.com/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://example.com/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "ASK FROM <https://example.org/kg/graph/d1> { ?s ?p ?o }",
    ],
)
def test_guard_refuses_updates_service_and_from(query):
    with pytest.raises(QueryRefusedError):
        check_query(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?service ?from WHERE { ?service kg:from ?from }",
        "SELECT * WHERE { ?s rdfs:label 'INSERT DATA { <a:b> <a:c> <a:d> }' }",
        'SELECT * WHERE { ?s rdfs:label """DROP\nALL""" }',
        "# DELETE WHERE { ?s ?p ?o } and SERVICE\nASK { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p <http://x.example/SERVICE/FROM> }",
        "SELECT * WHERE { ?s rel:load ?o . ?o rdfs:label ?l FILTER(LANG(?l) = 'en') }",
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
    ],
)
def test_guard_lets_queries_through(query):
    check_query(query)


def test_service_can_be_allowed():
    check_query("SELECT * WHERE { SERVICE <http://x.example/s> { ?s ?p ?o } }", allow_service=True)


@pytest.mark.parametrize(
    ("accept", "offers", "chosen"),
    [
        (None, ["a/json", "a/xml"], "a/json"),
        ("a/xml", ["a/json", "a/xml"], "a/xml"),
        ("a/json;q=0.5, a/xml", ["a/json", "a/xml"], "a/xml"),
        ("a/*;q=0.1, a/xml;q=0", ["a/json", "a/xml"], "a/json"),
        ("text/html", ["a/json", "a/xml"], None),
        ("*/*;q=0.2, text/csv", ["a/json", "text/csv"], "text/csv"),
    ],
)
def test_negotiate(accept, offers, chosen):
    assert negotiate(accept, offers) == chosen


# --- SPARQL protocol ------------------------------------------------------------------------------


def test_get_form_and_body_give_the_same_rows(server, tiny):
    expected = local_rows(tiny, ROLES)
    assert expected == [{"p": URIRef(ADA), "role": Literal("Chief Analyst")}]
    for send in (sparql_get, sparql_form, sparql_body):
        status, headers, body = send(server, ROLES)
        assert status == 200, body
        assert headers["Content-Type"].startswith("application/sparql-results+json")
        assert bindings(body) == expected


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/json", "application/json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("*/*", "application/sparql-results+json", "json"),
    ],
)
def test_select_formats_parse_back(server, tiny, accept, content_type, fmt):
    status, headers, body = sparql_get(server, LABELS, accept)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == content_type
    expected = local_rows(tiny, LABELS)
    rows = bindings(body, fmt)
    if fmt == "csv":  # CSV keeps values, not term kinds
        expected = [{k: str(v) for k, v in row.items()} for row in expected]
        rows = [{k: str(v) for k, v in row.items()} for row in rows]
    assert rows == expected
    assert any(row["label"] == Literal("Bob Erdoğan") for row in local_rows(tiny, LABELS))


def test_format_parameter_overrides_accept(server):
    status, headers, body = sparql_get(
        server, LABELS, "application/sparql-results+json", format="tsv"
    )
    assert status == 200
    assert headers["Content-Type"].startswith("text/tab-separated-values")
    lines = body.decode().splitlines()
    assert lines[0] == "?e\t?label"
    assert f'<{ADA}>\t"Ada Lovelace"' in lines


def test_csv_is_crlf_and_quotes(server):
    status, _, body = sparql_get(
        server, "SELECT ?s WHERE { ?e kg:sentence ?s } ORDER BY ?s LIMIT 1", "text/csv"
    )
    assert status == 200
    assert body.decode() == "s\r\nBob Erdoğan met Ada Lovelace in Geneva.\r\n"


def test_ask(server):
    for accept, fmt in (
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
    ):
        status, _, body = sparql_get(server, f"ASK {{ <{ADA}> kg:role 'Chief Analyst' }}", accept)
        assert status == 200
        assert Result.parse(io.BytesIO(body), format=fmt).askAnswer is True
    status, _, body = sparql_get(server, "ASK { ?s kg:role 'Pope' }")
    assert json.loads(body) == {"head": {}, "boolean": False}


CONSTRUCT = "CONSTRUCT { ?p kg:role ?r ; rdfs:label ?l } WHERE { ?p kg:role ?r ; rdfs:label ?l }"


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        (None, "turtle"),
    ],
)
def test_construct_formats_parse_back(server, tiny, accept, fmt):
    headers = {"Accept": accept} if accept else {}
    status, answer, body = http(
        f"{server}sparql?" + urllib.parse.urlencode({"query": CONSTRUCT}), headers=headers
    )
    assert status == 200, body
    graph = Graph().parse(data=body.decode(), format=fmt)
    assert len(graph) == 2
    assert isomorphic(graph, tiny.query(CONSTRUCT).graph)
    if fmt == "json-ld":
        assert "@context" in json.loads(body)  # compact, with our prefixes


def test_describe(server):
    status, _, body = sparql_get(server, f"DESCRIBE <{ADA}>", "text/turtle")
    assert status == 200
    graph = Graph().parse(data=body.decode(), format="turtle")
    assert (URIRef(ADA), URIRef(KG + "role"), Literal("Chief Analyst")) in graph


@pytest.mark.parametrize(
    "send",
    [
        lambda base: sparql_get(base, "INSERT DATA { <a:b> <a:c> <a:d> }"),
        lambda base: sparql_form(base, "DELETE WHERE { ?s ?p ?o }"),
        lambda base: http(f"{base}sparql?update=CLEAR%20ALL"),
        lambda base: http(
            f"{base}sparql",
            data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        lambda base: http(
            f"{base}sparql",
            data=b"INSERT DATA { <a:b> <a:c> <a:d> }",
            headers={"Content-Type": "application/sparql-update"},
        ),
    ],
)
def test_updates_are_refused_and_change_nothing(server, tiny, send):
    before = len(tiny.dataset)
    status, headers, body = send(server)
    assert status == 403
    assert headers["Content-Type"].startswith("text/plain")
    assert b"read-only" in body and body.count(b"\n") == 1
    assert len(tiny.dataset) == before


def test_service_is_refused(server):
    status, _, body = sparql_get(
        server, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    )
    assert status == 403
    assert b"SERVICE" in body


def test_from_cannot_read_server_files(server, tmp_path):
    secret = tmp_path / "secret.nt"
    secret.write_text('<a:s> <a:p> "top secret" .\n', encoding="utf-8")
    status, _, body = sparql_get(server, f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}")
    assert status == 403
    assert b"top secret" not in body and b"FROM" in body


def test_dataset_parameters_name_only_the_stores_graphs(server):
    """The tiny graph has no named graph: naming one is a 400, and nothing is loaded."""
    status, _, body = sparql_get(
        server, "ASK {}", **{"default-graph-uri": "https://example.org/kg/graph/d1"}
    )
    assert status == 400 and b"no graph <https://example.org/kg/graph/d1>" in body


@pytest.mark.parametrize(
    ("send", "status", "words"),
    [
        (lambda b: sparql_get(b, "SELECT ?x WHERE {\n  ?x rdfs:label \n}"), 400, b"line 2"),
        (lambda b: sparql_get(b, "   "), 400, b"empty"),
        (
            lambda b: http(
                f"{b}sparql", data=b"query=ASK{}", headers={"Content-Type": "text/plain"}
            ),
            415,
            b"content type",
        ),
        (
            lambda b: http(
                f"{b}sparql",
                data=b"",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ),
            400,
            b"no query",
        ),
        (lambda b: sparql_body(b, "ASK {} #" + "x" * 200_000), 413, b"too large"),
        (lambda b: http(f"{b}sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400, b"one query"),
        (lambda b: sparql_get(b, "ASK {}", "image/png"), 406, b"application/sparql-results+json"),
        (
            lambda b: http(
                f"{b}sparql", data=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}
            ),
            400,
            b"UTF-8",
        ),
    ],
)
def test_bad_requests_get_one_line_errors(server, send, status, words):
    got, headers, body = send(server)
    assert got == status, body
    assert words in body
    assert body.startswith(b"kg: error: ") and body.count(b"\n") == 1


def test_a_browser_gets_json_when_it_asks_for_html(server):
    status, headers, body = sparql_get(
        server, "ASK {}", "text/html,application/xhtml+xml,*/*;q=0.8"
    )
    assert status == 200 and json.loads(body)["boolean"] is True


def test_service_description_and_help_page(server):
    status, headers, body = http(f"{server}sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body.decode(), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(f"{server}sparql")) in graph
    status, headers, body = http(f"{server}sparql", headers={"Accept": "text/html"})
    assert status == 200 and b"SPARQL endpoint" in body


# --- limits ---------------------------------------------------------------------------------------

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def test_timeout_answers_503_and_frees_the_server(tiny):
    config = ServeConfig(limits=Limits(timeout=1.0, max_results=1000))
    with running(create_app(tiny, config)) as url:
        start = time.monotonic()
        status, _, body = sparql_get(url, SLOW)
        elapsed = time.monotonic() - start
        assert status == 503, body
        assert b"timed out after 1 s" in body
        assert elapsed < 5
        status, _, body = sparql_get(url, ROLES)
        assert status == 200 and len(bindings(body)) == 1
        deadline = time.monotonic() + 5
        while any(t.name == "kg-query" and t.is_alive() for t in threading.enumerate()):
            assert time.monotonic() < deadline, "the cancelled query thread is still running"
            time.sleep(0.05)


def test_result_size_limit(tiny):
    config = ServeConfig(limits=Limits(timeout=10, max_results=5))
    with running(create_app(tiny, config)) as url:
        status, _, body = sparql_get(url, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 400
        assert b"result too large" in body and b"LIMIT" in body
        status, _, body = sparql_get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
        assert status == 200 and len(bindings(body)) == 5
        status, _, body = sparql_get(url, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
        assert status == 400 and b"triples" in body


def test_runner_stops_a_query_that_holds_the_gil(tiny):
    """A backtracking regular expression runs in ``re`` holding the GIL: only a kill stops it."""
    from kg.errors import QueryLimitError

    runner = QueryRunner(tiny, Limits(timeout=0.5), workers=1)
    try:
        regex = 'SELECT * { BIND("' + "a" * 40 + '!" AS ?x) FILTER(REGEX(?x, "(a+)+$")) }'
        start = time.monotonic()
        with pytest.raises(QueryLimitError, match="timed out"):
            runner.query(regex)
        assert time.monotonic() - start < 5
        assert runner.query("ASK { ?s ?p ?o }").boolean is True
    finally:
        runner.close()


def test_burst_of_concurrent_queries(server):
    """200 queries from 20 concurrent clients: all answered, all right."""

    def ask(i: int) -> tuple[int, int]:
        status, _, body = sparql_get(
            server, f"SELECT ?e WHERE {{ ?e a kg:Person }} LIMIT {1 + i % 3}"
        )
        return status, len(bindings(body)) if status == 200 else -1

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(ask, range(200)))
    assert answers == [(200, 1 + i % 3) for i in range(200)]


# --- standard clients -----------------------------------------------------------------------------


def test_sparqlwrapper_client(seeds_server):
    from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(f"{seeds_server}sparql")
    client.setQuery(f"SELECT ?role WHERE {{ <{STOLTENBERG}> kg:role ?role }}")
    client.setReturnFormat(JSON)
    roles = {b["role"]["value"] for b in client.query().convert()["results"]["bindings"]}
    assert "Secretary General" in roles
    client.setReturnFormat(XML)
    document = client.query().convert()
    values = [n.firstChild.data for n in document.getElementsByTagName("literal")]
    assert "Secretary General" in values
    client.setReturnFormat(CSV)
    assert "Secretary General" in client.query().convert().decode()
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery(f"ASK {{ <{STOLTENBERG}> kg:leaderOf ?org }}")
    assert client.query().convert()["boolean"] is True
    client.setQuery(
        f"CONSTRUCT {{ <{STOLTENBERG}> kg:role ?r }} WHERE {{ <{STOLTENBERG}> kg:role ?r }}"
    )
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(STOLTENBERG), URIRef(KG + "role"), Literal("Secretary General")) in graph
    client.setQuery("INSERT DATA { <a:b> <a:c> <a:d> }")
    client.setReturnFormat(JSON)
    with pytest.raises(Exception, match="read-only|403|Forbidden"):
        client.query()


def test_rdflib_sparqlstore_client(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(store=SPARQLStore(f"{server}sparql"))
    rows = list(
        remote.query(
            "PREFIX kg: <https://example.org/kg/ontology#> SELECT ?r WHERE { ?p kg:role ?r }"
        )
    )
    assert [str(row[0]) for row in rows] == ["Chief Analyst"]
    assert remote.value(URIRef(ADA), URIRef(KG + "role")) == Literal("Chief Analyst")
    assert (URIRef(BOB), None, URIRef(ADA)) in remote


# --- the explorer's API ---------------------------------------------------------------------------


def api(base: str, path: str, **params):
    query = urllib.parse.urlencode(params, doseq=True)
    status, _, body = http(f"{base}api/{path}?{query}", headers={"Accept": "application/json"})
    return status, json.loads(body)


@pytest.mark.parametrize(
    ("text", "first", "match"),
    [
        ("Ada Lovelace", ADA, "name"),
        ("lovelace", ADA, "name"),  # an alias
        ("ada", ADA, "name"),  # a prefix
        ("Countess", ADA, "name"),
        ("erdogan", BOB, "name"),  # accents folded
        ("Lovelase", ADA, "fuzzy"),
        ("Erdgan", BOB, "fuzzy"),
    ],
)
def test_search(server, text, first, match):
    status, data = api(server, "search", q=text)
    assert status == 200
    assert data["results"][0]["iri"] == first
    assert data["results"][0]["match"] == match


def test_search_finds_nothing_for_nonsense(server):
    assert api(server, "search", q="zzqxw")[1]["results"] == []
    assert api(server, "search", q="")[1]["results"] == []


def test_search_orders_exact_before_prefix(tiny):
    explorer = Explorer(tiny, QueryRunner(tiny))
    labels = [r["label"] for r in explorer.search("a")]
    assert {"Ada Lovelace", "Acme Corp"} <= set(labels)
    assert [r["label"] for r in explorer.search("ada")][0] == "Ada Lovelace"
    assert [r["label"] for r in explorer.search("acme corp")][0] == "Acme Corp"
    assert fold("Recep Tayyip ERDOĞAN") == "recep tayyip erdogan"


def test_entity_card(server):
    status, card = api(server, "entity", iri=ADA)
    assert status == 200
    assert card["label"] == "Ada Lovelace" and card["type"] == "Person"
    assert card["aliases"] == ["Countess", "Lovelace"]
    assert card["roles"] == ["Chief Analyst"]
    relations = {(r["relation"], r["direction"], r["label"]) for r in card["relations"]}
    assert ("leaderOf", "out", "Acme Corp") in relations
    assert ("meet", "in", "Bob Erdoğan") in relations
    sentences = [e["sentence"] for e in card["evidence"]]
    assert sentences == [
        "Chief Analyst Ada Lovelace leads Acme Corp.",
        "Bob Erdoğan met Ada Lovelace in Geneva.",
    ]
    first = card["evidence"][0]
    assert first["document"] == {"id": "d1", "title": "Summit report", "href": "/document/d1"}
    facts = {(f["subject"], f["relation"], f["object"]) for f in first["facts"]}
    assert facts == {
        ("Ada Lovelace", "leaderOf", "Acme Corp"),
        ("Ada Lovelace", "role", "Chief Analyst"),
        ("Summit report", "mentions", "Ada Lovelace"),
    }
    assert card["documents"] == [first["document"]]


def test_entity_unknown_is_404(server):
    status, data = api(server, "entity", iri=ENTITY + "person/nobody")
    assert status == 404 and "nobody" in data["error"]


def test_neighbourhood_and_overview(server, tiny):
    status, data = api(server, "neighbourhood", iri=BOB, hops=1)
    ids = {n["id"] for n in data["nodes"]}
    assert ids == {BOB, ADA, ENTITY + "event/meeting"}
    assert data["seeds"] == [BOB]
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])
    two = {n["id"] for n in api(server, "neighbourhood", iri=BOB, hops=2)[1]["nodes"]}
    assert ENTITY + "organization/acme" in two and ids < two
    whole = api(server, "overview")[1]
    network = merge_inverses(tiny.to_networkx())  # each fact once, either way stated
    assert len(whole["nodes"]) == network.number_of_nodes() == 7
    assert len(whole["edges"]) == network.number_of_edges()
    when = {n["id"]: n["when"] for n in whole["nodes"]}
    assert when[ENTITY + "event/meeting"] == "2021-06-16" == when[ENTITY + "date/2021-06-16"]
    assert when[ADA] is None


def test_facets(server):
    status, data = api(server, "facets")
    assert {t["name"]: t["count"] for t in data["types"]} == {
        "Date": 1,
        "Event": 1,
        "Location": 1,
        "Organization": 1,
        "Person": 3,
    }
    assert {"leaderOf", "meet", "participant"} <= {r["name"] for r in data["relations"]}
    assert data["dates"] == {"min": "2021-06-16", "max": "2021-06-16"}
    assert data["styles"]["types"]["Person"]["color"].startswith("#")


def test_examples(server):
    status, data = api(server, "examples")
    names = [e["name"] for e in data["examples"]]
    assert "meetings" in names and "roles" in names
    assert data["prefixes"]["kg"] == KG


def test_document_page(server):
    status, headers, body = http(f"{server}document/d1")
    assert status == 200
    html = body.decode()
    assert "<h1>Summit report</h1>" in html
    text = re.sub(r"<[^>]+>", "", html)  # the article comes with its names marked
    assert text.index("Chief Analyst Ada Lovelace") < text.index("Bob Erdoğan met")
    assert "/?focus=https%3A//example.org/kg/entity/person/ada" in html
    assert 'href="https://news.example/d1"' in html
    status, _, body = http(f"{server}document/nope")
    assert status == 404 and b"nope" in body


def test_pages_have_strict_headers_and_local_assets(server):
    for path in ("", "query", "sparql", "document/d1"):
        status, headers, body = http(f"{server}{path}", headers={"Accept": "text/html"})
        assert status == 200, path
        csp = headers["Content-Security-Policy"]
        assert (
            "default-src 'none'" in csp
            and "script-src 'self'" in csp
            and "connect-src 'self'" in csp
        )
        assert headers["X-Content-Type-Options"] == "nosniff"
        html = body.decode()
        assert (
            "http://" not in html.replace('href="https://news.example/d1"', "").split("<body", 1)[0]
        )
        assert "<script>" not in html and " style=" not in html
    for asset in (
        "static/vis/vis-network.min.js",
        "static/vis/vis-network.css",
        "static/explorer.js",
        "static/kg.css",
    ):
        status, headers, body = http(f"{server}{asset}")
        assert status == 200 and len(body) > 500, asset


def test_foreign_host_header_is_refused(server):
    status, _, body = http(f"{server}api/facets", headers={"Host": "evil.example"})
    assert status == 400 and b"Host" in body
    status, _, _ = http(f"{server}api/facets", headers={"Host": "localhost:1234"})
    assert status == 200


# --- the command ----------------------------------------------------------------------------------


def test_cli_serve_starts_answers_and_stops(tmp_path, tiny):
    graph_file = tmp_path / "tiny.ttl"
    tiny.save(graph_file)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(graph_file), "--port", "0", "--timeout", "5"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert process.stderr.readline().startswith("kg: loading")
        line = process.stderr.readline()
        assert line.startswith("kg: serving"), line
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        assert url.startswith("http://127.0.0.1:")
        status, data = api(url, "facets")
        assert status == 200 and data["title"] == "tiny.ttl" and data["entities"] == 7
        status, _, body = sparql_get(url, ROLES)
        assert status == 200 and len(bindings(body)) == 1
    finally:
        process.terminate()
        process.wait(10)


def test_cli_serve_errors_are_one_line(tmp_path):
    from typer.testing import CliRunner

    from kg.cli.main import app

    runner = CliRunner()
    result = runner.invoke(app, ["serve", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 1
    assert "missing.ttl" in result.output and "Traceback" not in result.output
    if not hasattr(KnowledgeGraph, "open"):
        result = runner.invoke(app, ["serve", str(tmp_path)])
        assert result.exit_code == 1 and "directory" in result.output
    graph_file = tmp_path / "g.ttl"
    tiny_graph().save(graph_file)
    result = runner.invoke(app, ["serve", str(graph_file), "--timeout", "0"])
    assert result.exit_code == 1 and "--timeout" in result.output


def test_import_is_light():
    code = "import sys, kg.sparql.guard, kg.cli.serve; print(sorted({'starlette', 'uvicorn', 'networkx'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_explorer_views_carry_the_evidence_of_the_full_network(seeds_graph):
    """The explorer reads the network without evidence and asks it per view: each view's
    edges are those drawn from the network with all its evidence, whatever was shown
    before (a fact first seen from one end, then from the other)."""
    from kg.network.html import vis_data
    from kg.network.views import merge_inverses

    full = merge_inverses(seeds_graph.to_networkx())
    explorer = Explorer(seeds_graph, QueryRunner(seeds_graph))
    hubs = sorted(full, key=lambda n: (-full.degree(n), n))[:4]
    views = [explorer.neighbourhood([hub], 1) for hub in hubs]
    views += [explorer.overview(), explorer.neighbourhood(hubs[:2], 2)]
    for view in views:
        sub = full.subgraph([node["id"] for node in view["nodes"]])
        _, expected = vis_data(sub)
        tips = {f"{u} {k} {v}": e["tip"] for (u, v, k), e in zip(sub.edges(keys=True), expected)}
        assert {edge["id"]: edge["tip"] for edge in view["edges"]} == tips
        assert any(row[0] == "evidence" for tip in tips.values() for row in tip)
