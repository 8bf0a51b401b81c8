"""The endpoint's edges: what it answers to odd requests, and what it never does.

On a real uvicorn server on 127.0.0.1 (both engines where a store is involved):

- every result is encodable: a lone surrogate is escaped in JSON and refused (400,
  one line) in formats that cannot carry it, never a 500;
- ``format=`` values and media types, repeated, as clients send them;
- invalid UTF-8 in ``?query=`` or a form is a 400, never silently replaced;
- a CONSTRUCT with relative IRIs gives valid N-Triples (resolved against the endpoint);
- every error page has the security headers; a path with NUL is a 404, and a bug is a
  one-line 500 with one line in the log, no traceback;
- connections that send nothing, half a request or half a body are closed, and so are
  idle kept-alive ones, while the server goes on answering.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import socket
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset

from kg.errors import QueryError
from kg.graph import KnowledgeGraph
from kg.serve import ServeConfig, create_app
from kg.serve.app import SECURITY_HEADERS, Guard, running

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TTL = """
<http://x.example/a> <http://x.example/p> "café" .
<http://x.example/b> <http://x.example/p> <http://x.example/a> .
"""
#: SPARQL's escape for U+D800: rdflib expands it into a lone surrogate in the result.
SURROGATE = 'SELECT ?x WHERE { BIND("a\\uD800b" AS ?x) }'


def small_graph() -> KnowledgeGraph:
    dataset = Dataset(default_union=True)
    dataset.default_graph.parse(data=TTL, format="turtle")
    return KnowledgeGraph(dataset)


@pytest.fixture(scope="module")
def server():
    config = ServeConfig(request_timeout=1.5, keep_alive=1)
    with running(create_app(small_graph(), config)) as url:
        yield url


def request(url: str, path: str, *, method: str = "GET", body: bytes | None = None, headers=None):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def query_path(query: str, **params: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, **params})


def assert_error_page(status: int, headers: dict, body: bytes, expected: int) -> None:
    assert status == expected, (status, body)
    lowered = {name.lower(): value for name, value in headers.items()}
    for name, value in SECURITY_HEADERS:
        assert lowered.get(name.decode()) == value.decode(), (name, headers)
    assert body.startswith(b"kg: error: ") and body.count(b"\n") == 1, body


# --- encodable results --------------------------------------------------------------------------


def test_a_lone_surrogate_is_escaped_in_json(server):
    status, headers, body = request(server, query_path(SURROGATE), headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert status == 200, body
    body.decode("utf-8")  # valid UTF-8
    value = json.loads(body)["results"]["bindings"][0]["x"]["value"]
    assert value == "a\ud800b"  # the same string, escaped as \ud800 in the JSON text


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
def test_a_lone_surrogate_is_refused_where_it_cannot_be_written(server, accept):
    status, headers, body = request(server, query_path(SURROGATE), headers={"Accept": accept})
    assert_error_page(status, headers, body, 400)
    assert b"U+D800" in body and b"application/sparql-results+json" in body


def test_a_lone_surrogate_in_a_graph_is_refused_in_ntriples(server):
    construct = (
        'CONSTRUCT { <http://x.example/s> <http://x.example/p> ?x } WHERE { BIND("\\uDC00" AS ?x) }'
    )
    status, headers, body = request(server, query_path(construct), headers={"Accept": "application/n-triples"})  # fmt: skip
    assert_error_page(status, headers, body, 400)
    status, _, body = request(server, query_path(construct), headers={"Accept": "application/ld+json"})  # fmt: skip
    assert status == 200 and json.loads(body)["http://x.example/p"] == "\udc00"


# --- format parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "media"),
    [
        ([("format", "tsv"), ("format", "text/tab-separated-values")], "text/tab-separated-values"),
        ([("format", "csv"), ("output", "csv")], "text/csv"),
        ([("format", "json"), ("format", "json")], "application/sparql-results+json"),
        ([("format", "html"), ("format", "xml")], "application/sparql-results+xml"),
        ([("output", "application/sparql-results+xml")], "application/sparql-results+xml"),
        ([("format", "turtle")], "application/sparql-results+json"),  # no SELECT in Turtle: Accept
    ],
)
def test_format_parameters_as_clients_send_them(server, params, media):
    path = "/sparql?" + urllib.parse.urlencode([("query", "SELECT * WHERE { ?s ?p ?o }"), *params])
    status, headers, body = request(server, path, headers={"Accept": "*/*"})
    assert status == 200, body
    assert headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("n3", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("rdf+xml", "application/rdf+xml"),
        ("json-ld", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("text/rdf+n3", "text/turtle"),
    ],
)
def test_graph_format_parameters(server, fmt, media):
    path = query_path("CONSTRUCT WHERE { ?s ?p ?o }", format=fmt)
    status, headers, body = request(server, path)
    assert status == 200, body
    assert headers["content-type"].split(";")[0] == media


# --- UTF-8 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=ASK%7B%FF%7D",
        "/sparql?query=SELECT%20%3Fx%20%7B%7D%20%23%C3",  # a UTF-8 sequence cut short
        "/sparql?query=ASK%7B%7D&format=%E9",
    ],
)
def test_invalid_utf8_in_the_query_string_is_refused(server, path):
    status, headers, body = request(server, path)
    assert_error_page(status, headers, body, 400)
    assert b"not UTF-8" in body


def test_invalid_utf8_in_a_form_is_refused(server):
    status, headers, body = request(
        server, "/sparql", method="POST", body=b"query=ASK%7B%FE%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    assert_error_page(status, headers, body, 400)


# --- relative IRIs ------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["memory", "oxigraph"])
def test_relative_iris_in_a_construct_give_valid_ntriples(engine, tmp_path):
    graph = small_graph() if engine == "memory" else KnowledgeGraph.open(tmp_path / "store")
    with running(create_app(graph)) as url:
        path = query_path("CONSTRUCT { <s> <p> <o> , 1 } WHERE {}")
        status, _, body = request(url, path, headers={"Accept": "application/n-triples"})
    graph.close()
    assert status == 200, body
    triples = list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert {t.subject.value for t in triples} == {f"{url}s"}  # resolved against the endpoint
    assert {t.object.value for t in triples} == {f"{url}o", "1"}


def test_relative_iris_without_a_base_are_an_error_not_invalid_output():
    result = small_graph().query("CONSTRUCT { <s> <p> <o> } WHERE {}")
    with pytest.raises(QueryError, match="relative IRI <s>"):
        result.serialize("ntriples")


# --- error pages ----------------------------------------------------------------------------------


def test_a_nul_in_a_static_path_is_not_found(server):
    status, headers, body = request(server, "/static/kg.css%00.js")
    assert_error_page(status, headers, body, 404)
    status, _, _ = request(server, "/static/kg.css")
    assert status == 200


def test_a_bug_is_a_one_line_500_with_the_headers_and_no_traceback(caplog):
    async def broken(scope, receive, send):
        raise RuntimeError("boom\nsecond line")

    messages: list[dict] = []

    async def send(message):
        messages.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/x\x00y",
        "headers": [(b"host", b"127.0.0.1")],
    }
    with caplog.at_level(logging.ERROR, logger="uvicorn.error"):
        # in a thread of its own: a browser fixture may keep an event loop running in this one
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, Guard(broken)(scope, receive, send)).result()
    start, body = messages[0], messages[1]
    assert start["status"] == 500
    names = {name for name, _ in start["headers"]}
    assert {name for name, _ in SECURITY_HEADERS} <= names
    assert body["body"] == b"kg: error: internal error (see the server's log)\n"
    [record] = caplog.records
    assert record.exc_info is None and "\n" not in record.getMessage()
    assert "RuntimeError: boom second line" in record.getMessage()


# --- connections ----------------------------------------------------------------------------------


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    """Whether the server closes ``sock`` (EOF or reset) within ``within`` seconds."""
    sock.settimeout(within)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_unfinished_requests_are_closed_and_the_server_answers_meanwhile(server):
    """Defect 7: 3,000 unfinished requests used to be held open for as long as they liked."""
    parts = urllib.parse.urlsplit(server)
    partial = [
        b"",  # connects, sends nothing
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # headers never end
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\nASK",  # the body never comes
    ]
    sockets = []
    for i in range(300):
        sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        sock.sendall(partial[i % len(partial)])
        sockets.append(sock)
    started = time.monotonic()
    status, _, _ = request(server, query_path("ASK { ?s ?p ?o }"))
    assert status == 200 and time.monotonic() - started < 1.5
    deadline = time.monotonic() + 6
    still_open = [
        s for s in sockets if not _closed_by_server(s, max(0.01, deadline - time.monotonic()))
    ]
    for sock in sockets:
        sock.close()
    assert still_open == [], f"{len(still_open)} of 300 unfinished connections still open"


def test_an_idle_kept_alive_connection_is_closed(server):
    parts = urllib.parse.urlsplit(server)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    sock.settimeout(10)
    assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    assert _closed_by_server(sock, 5)
    assert 0.5 < time.monotonic() - started < 4  # keep_alive=1 s, not at once, not never
    sock.close()


def test_a_slow_but_steady_request_within_the_time_is_answered(server):
    parts = urllib.parse.urlsplit(server)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    for piece in (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"\r\n"):
        sock.sendall(piece)
        time.sleep(0.3)
    sock.settimeout(10)
    assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    sock.close()


def test_kg_serve_uses_the_timeouts(tmp_path):
    """The command's server closes a silent connection too (default request timeout)."""
    from robust_helpers import kg_env  # noqa: F401 - same environment as the other CLI tests

    from kg.serve.app import server_config
    from kg.serve.connections import KEEP_ALIVE_TIMEOUT, REQUEST_TIMEOUT, TimedH11Protocol

    config = server_config(create_app(small_graph()))
    assert config.timeout_keep_alive == KEEP_ALIVE_TIMEOUT
    assert config.http.func is TimedH11Protocol
    assert config.http.keywords == {"request_timeout": REQUEST_TIMEOUT}
    assert Path(__file__).exists()
