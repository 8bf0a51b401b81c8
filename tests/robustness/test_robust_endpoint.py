"""The served endpoint under attack and under load, on a real server on 127.0.0.1.

- `kg serve` listens on 127.0.0.1 only (checked in /proc/net and by connecting to this
  machine's other address), and says so when told to listen elsewhere.
- It is read-only: every update route leaves the graph as it was.
- No query makes it read a local file (FROM) or fetch a URL (SERVICE), however the
  keyword is spelled: a canary listener on 127.0.0.1 counts the fetches (must be 0)
  and a secret file's text must never come back.
- Time and size limits answer clearly and free the server, also under a burst.
- Load: 500 requests from 20 concurrent clients (SPARQL and the explorer's API), every
  answer the same as when asked alone, no error, no crash.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import Dataset
from robust_helpers import Canary, kg_env

from kg.graph import KnowledgeGraph
from kg.serve import Limits, ServeConfig, create_app
from kg.serve.app import running

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SMALL = """
@prefix kg: <https://example.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/kg/entity/person/ada> a kg:Person ; rdfs:label "Ada Lovelace" ; kg:role "Analyst" .
<https://example.org/kg/entity/organization/acme> a kg:Organization ; rdfs:label "Acme" .
<https://example.org/kg/entity/person/ada> kg:leaderOf <https://example.org/kg/entity/organization/acme> .
"""


def small_graph() -> KnowledgeGraph:
    dataset = Dataset(default_union=True)
    dataset.default_graph.parse(data=SMALL, format="turtle")
    return KnowledgeGraph(dataset)


def request(
    base: str, path: str, *, body: bytes | None = None, headers: dict | None = None
) -> tuple[int, bytes]:
    """(status, body) of one request on a fresh connection."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.request(
            "POST" if body is not None else "GET", path, body=body, headers=headers or {}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sparql_get(base: str, query: str, **params: str) -> tuple[int, bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return request(base, f"/sparql?{qs}", headers={"Accept": "application/sparql-results+json"})


# --- listening on this machine only ----------------------------------------------------------


def listening_addresses(port: int) -> list[str]:
    """Local addresses with a socket listening on ``port``, from /proc/net/tcp{,6}."""
    found = []
    for name in ("tcp", "tcp6"):
        table = Path(f"/proc/net/{name}")
        if not table.exists():
            continue
        for row in table.read_text().splitlines()[1:]:
            fields = row.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # LISTEN
                found.append(address)
    return found


def other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


@pytest.fixture(scope="module")
def small_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("endpoint") / "small.ttl"
    small_graph().save(path)
    return path


def start_serve(small_file: Path, *extra: str) -> tuple[subprocess.Popen, str, list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(small_file), "--port", "0", *extra],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=kg_env(),
    )  # fmt: skip
    lines = []
    while True:
        line = process.stderr.readline()
        assert line, f"kg serve ended: {lines}"
        lines.append(line.rstrip("\n"))
        if line.startswith("kg: serving"):
            return process, line.split(" at ", 1)[1].split(" ", 1)[0], lines


def test_kg_serve_listens_on_loopback_only(small_file):
    process, url, _ = start_serve(small_file)
    try:
        port = urllib.parse.urlsplit(url).port
        assert url == f"http://127.0.0.1:{port}/"
        assert listening_addresses(port) == ["0100007F"]  # 127.0.0.1, and nothing else
        assert sparql_get(url, "ASK { ?s ?p ?o }")[0] == 200
        elsewhere = other_address()
        if elsewhere:
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection((elsewhere, port), timeout=5).close()
        status, body = request(url, "/sparql?query=ASK%7B%7D", headers={"Host": "evil.example"})
        assert status == 400 and b"unknown Host header" in body
    finally:
        process.terminate()
        process.wait(10)


def test_kg_serve_elsewhere_warns(small_file):
    process, url, lines = start_serve(small_file, "--host", "0.0.0.0")
    try:
        assert any("warning: listening on 0.0.0.0" in line for line in lines), lines
    finally:
        process.terminate()
        process.wait(10)


# --- read-only, no files, no fetches ---------------------------------------------------------


@pytest.fixture(scope="module")
def canary():
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "secret.nt"
    path.write_text('<http://x/s> <http://x/p> "TOP SECRET canary text" .\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server():
    graph = small_graph()
    with running(create_app(graph, ServeConfig(title="robust"))) as url:
        yield url, graph


def attacks(secret: Path, port: int) -> list[str]:
    """Ways to spell FROM <secret file> and SERVICE <canary> (each once closed a bypass)."""
    file_iri, folder = secret.as_uri(), secret.parent.as_uri() + "/"
    canary = f"http://127.0.0.1:{port}/sparql"
    where = "WHERE { ?s ?p ?o }"
    service = "{ ?s ?p ?o }"
    return [
        f"SELECT ?o FROM <{file_iri}> {where}",
        f"SELECT ?o from <{file_iri}> {where}",
        f"SELECT ?o FROM NAMED <{file_iri}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"ASK FROM <{file_iri}> {{ ?s ?p ?o }}",
        f"DESCRIBE <http://x/s> FROM <{file_iri}>",
        f"SELECT*FROM<{file_iri}>{where}",
        f"SELECT ?o \\u0046ROM <{file_iri}> {where}",
        f"SELECT ?o \\U00000046ROM <{file_iri}> {where}",
        f"SELECT ?o \\u0066\\u0072om <{file_iri}> {where}",
        f"PREFIX : <{folder}> SELECT ?o FROM:{secret.name} {where}",
        f"PREFIX é: <{folder}> SELECT ?o FROMé:{secret.name} {where}",
        f"SELECT * WHERE {{ SERVICE <{canary}> {service} }}",
        f"SELECT * WHERE {{ service silent <{canary}> {service} }}",
        f"SELECT * WHERE {{ ſERVICE <{canary}> {service} }}",
        f"SELECT * WHERE {{ SERVıCE <{canary}> {service} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{canary}> {service} }}",
        f"SELECT * WHERE {{ ?a ?b ?c .SERVICE <{canary}> {service} }}",
        f"PREFIX : <{canary}#> SELECT * WHERE {{ SERVICE:x {service} }}",
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ex:a\\' . SERVICE <{canary}> {service} . ?x ?y ex:b\\' }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{canary}> }} SERVICE ?e {service} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ OPTIONAL {{ SERVICE <{canary}> {service} }} }}",
    ]


def test_no_spelling_of_from_or_service_gets_through(server, canary, secret):
    url, _ = server
    for query in attacks(secret, canary.port):
        for status, body in (
            sparql_get(url, query),
            request(url, "/sparql", body=query.encode(), headers={"Content-Type": "application/sparql-query"}),
            request(
                url, "/sparql", body=urllib.parse.urlencode({"query": query}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ),
        ):  # fmt: skip
            assert status == 403, (query, status, body)
            assert b"TOP SECRET" not in body
            assert body.startswith(b"kg: error: ") and body.count(b"\n") == 1
    status, body = sparql_get(url, "ASK { ?s ?p ?o }", **{"default-graph-uri": secret.as_uri()})
    assert status == 400 and b"TOP SECRET" not in body
    time.sleep(0.3)
    assert canary.hits == 0


def test_the_python_api_refuses_them_too(canary, secret):
    from kg.errors import QueryRefusedError

    graph = small_graph()
    for query in attacks(secret, canary.port):
        with pytest.raises(QueryRefusedError):
            graph.query(query)
    assert canary.hits == 0


def test_allow_service_lets_service_through(canary):
    config = ServeConfig(allow_service=True, limits=Limits(timeout=5))
    with running(create_app(small_graph(), config)) as url:
        query = (
            f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{canary.port}/> {{ ?s ?p ?o }} }}"
        )
        status, body = sparql_get(url, query)
    assert status == 200, body


UPDATES = [
    ("/sparql", "query", "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"),
    ("/sparql", "query", "DROP ALL"),
    ("/sparql", "query", "\\u0044ROP ALL"),
    ("/sparql", "query", "CLEAR DEFAULT"),
    ("/sparql", "query", "LOAD <file:///etc/hostname>"),
    ("/sparql", "update", "DELETE WHERE { ?s ?p ?o }"),
    ("/sparql", "query", 'x" } ; DROP ALL ; #'),
]


def test_read_only_whatever_is_sent(server):
    url, graph = server
    before = set(graph.dataset.quads((None, None, None, None)))
    for path, name, text in UPDATES:
        form = urllib.parse.urlencode({name: text}).encode()
        for status, body in (
            request(url, f"{path}?{urllib.parse.urlencode({name: text})}"),
            request(url, path, body=form, headers={"Content-Type": "application/x-www-form-urlencoded"}),
            request(url, path, body=text.encode(), headers={"Content-Type": "application/sparql-update"}),
        ):  # fmt: skip
            assert status in (400, 403), (text, status, body)
            assert body.startswith(b"kg: error: ")
    assert set(graph.dataset.quads((None, None, None, None))) == before


# --- limits under a burst --------------------------------------------------------------------

#: An 8-way cross join of the small graph's 6 triples: 1.7 million rows to count, many seconds.
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "?m ?n2 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }"
)


def test_slow_queries_in_a_burst_time_out_and_the_server_recovers():
    config = ServeConfig(limits=Limits(timeout=1.0, max_results=1000))
    with running(create_app(small_graph(), config)) as url:
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda _: sparql_get(url, SLOW), range(8)))
        elapsed = time.monotonic() - start
        assert {status for status, _ in answers} == {503}
        words = {b"timed out after 1 s" in body or b"server busy" in body for _, body in answers}
        assert words == {True}
        assert elapsed < 8, elapsed
        status, body = sparql_get(url, "SELECT ?r WHERE { ?p kg:role ?r }")
        assert status == 200 and b"Analyst" in body
        deadline = time.monotonic() + 6
        while any(t.name == "kg-query" and t.is_alive() for t in threading.enumerate()):
            assert time.monotonic() < deadline, "a timed-out query thread is still running"
            time.sleep(0.05)
        status, body = sparql_get(url, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 200
        config_small = ServeConfig(limits=Limits(timeout=5, max_results=2))
    with running(create_app(small_graph(), config_small)) as url:
        status, body = sparql_get(url, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 400 and b"result too large" in body and b"add a LIMIT" in body


# --- load ------------------------------------------------------------------------------------


def load_requests(graph: KnowledgeGraph) -> list[tuple[str, bytes | None, dict]]:
    """A mixed workload: SPARQL reads in every form and format, refusals, errors, the API."""
    people = [e.iri for e in graph.entities(type="Person")][:10]
    names = [e.label for e in graph.entities()][:10]
    json_accept = {"Accept": "application/sparql-results+json"}
    form = {"Content-Type": "application/x-www-form-urlencoded", **json_accept}
    body = {"Content-Type": "application/sparql-query", "Accept": "text/csv"}
    out: list[tuple[str, bytes | None, dict]] = []
    for i in range(10):
        person = people[i % len(people)]
        out += [
            ("/sparql?" + urllib.parse.urlencode({"query": f"SELECT ?p ?r WHERE {{ ?p kg:role ?r }} ORDER BY ?p ?r LIMIT {i + 1}"}), None, json_accept),
            ("/sparql", urllib.parse.urlencode({"query": f"SELECT ?l WHERE {{ <{person}> rdfs:label ?l }}"}).encode(), form),
            ("/sparql", b"SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type } GROUP BY ?type ORDER BY ?type", body),
            ("/sparql?" + urllib.parse.urlencode({"query": f"ASK {{ <{person}> a kg:Person }}"}), None, json_accept),
            ("/sparql?" + urllib.parse.urlencode({"query": f"CONSTRUCT {{ <{person}> ?p ?o }} WHERE {{ <{person}> ?p ?o }}"}), None, {"Accept": "application/n-triples"}),
            ("/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p }"}), None, json_accept),
            ("/sparql?" + urllib.parse.urlencode({"query": "DROP ALL"}), None, json_accept),
            ("/api/search?" + urllib.parse.urlencode({"q": names[i % len(names)][:4]}), None, {}),
            ("/api/entity?" + urllib.parse.urlencode({"iri": person}), None, {}),
            ("/api/neighbourhood?" + urllib.parse.urlencode({"iri": person, "hops": 1}), None, {}),
        ]  # fmt: skip
    return out * 5  # 500


def _sorted_lines(data: bytes) -> list[bytes]:
    return sorted(data.splitlines())


@pytest.mark.slow
def test_load_500_requests_from_20_clients(seeds_graph):
    work = load_requests(seeds_graph)
    assert len(work) == 500
    with running(create_app(seeds_graph, ServeConfig(title="load"))) as url:
        expected = {}
        for path, data, headers in work[:100]:  # each distinct request once, alone
            expected[(path, data)] = request(url, path, body=data, headers=headers)
        assert {status for status, _ in expected.values()} == {200, 400, 403}
        local = threading.local()
        times: list[float] = []
        problems: list[str] = []

        def send(item: tuple[str, bytes | None, dict]) -> None:
            path, data, headers = item
            parts = urllib.parse.urlsplit(url)
            if getattr(local, "connection", None) is None:
                local.connection = http.client.HTTPConnection(
                    parts.hostname, parts.port, timeout=60
                )
            start = time.perf_counter()
            try:
                local.connection.request(
                    "POST" if data is not None else "GET", path, body=data, headers=headers
                )
                response = local.connection.getresponse()
                answer = (response.status, response.read())
            except (OSError, http.client.HTTPException) as exc:
                local.connection.close()
                local.connection = None
                problems.append(f"{path}: {type(exc).__name__}: {exc}")
                return
            times.append(time.perf_counter() - start)
            want = expected[(path, data)]
            if answer[0] != want[0] or _sorted_lines(answer[1]) != _sorted_lines(want[1]):
                problems.append(f"{path}: {answer[0]} {answer[1][:120]!r} != {want[0]}")

        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=20) as pool:
            list(pool.map(send, work))
        elapsed = time.monotonic() - start
        assert problems == [], problems[:5]
        assert len(times) == 500
        assert request(url, "/sparql?query=ASK%7B%7D")[0] == 200  # still up
    report = {
        "requests": 500,
        "clients": 20,
        "seconds": round(elapsed, 2),
        "per_second": round(500 / elapsed, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(statistics.quantiles(times, n=20)[-1] * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }
    print("load:", json.dumps(report))
    if os.environ.get("KG_LOAD_REPORT"):
        Path(os.environ["KG_LOAD_REPORT"]).write_text(json.dumps(report), encoding="utf-8")
