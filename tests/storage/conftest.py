"""Fixtures for the store tests: small corpora on disk, real Oxigraph and Virtuoso servers."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import XSD, Literal

from kg.graph import KnowledgeGraph
from kg.storage.remote import update_endpoint_for

from .virtuoso import Virtuoso, installed, virtuoso_server

#: Short news texts of our own: shared people and places across documents.
TEXTS = {
    "a.txt": "Talks in Vienna\n\nUS President Joe Biden met German Chancellor Angela Merkel in Vienna on Monday. "
    "Biden said the talks were useful.",
    "b.txt": "Summit ends\n\nAngela Merkel, the German Chancellor, left Vienna on Tuesday. "
    "Merkel met French President Emmanuel Macron in Paris.",
    "c.txt": "Trade deal\n\nEmmanuel Macron and Joe Biden agreed a trade deal in Washington. "
    "The European Union welcomed it.",
}


def write_corpus(directory: Path, texts: dict[str, str] = TEXTS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def quads(graph: KnowledgeGraph) -> set[tuple[str, str, str, str]]:
    """Every quad of the named graphs, as strings (comparable across stores)."""
    return {
        (str(s), str(p), _canonical(o), str(g.identifier if hasattr(g, "identifier") else g))
        for s, p, o, g in graph.store.snapshot().quads((None, None, None, None))
    }


def _canonical(node: object) -> str:
    """A term as text; decimals by value (Oxigraph writes "0.7" for "0.700")."""
    if isinstance(node, Literal) and node.datatype == XSD.decimal:
        return str(Decimal(str(node)).normalize())
    return str(node)


def triples(graph: KnowledgeGraph) -> set[tuple[str, str, str]]:
    return {(s, p, o) for s, p, o, _ in quads(graph)}


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """A real `oxigraph serve` on 127.0.0.1 (PyPI package oxigraph); yields its query URL."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(binary).exists():
        pytest.fail("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    process = subprocess.Popen(
        [
            binary,
            "serve",
            "--location",
            str(tmp_path / "server-data"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"oxigraph serve did not start: {process.stderr.read().decode()[:500]}")
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(10)


#: Set by .ci/run: a missing virtuoso-t fails the Virtuoso tests instead of skipping them.
REQUIRE_VIRTUOSO = "KG_REQUIRE_VIRTUOSO"


@pytest.fixture(scope="session")
def virtuoso_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """One private Virtuoso server for the test session (see tests/storage/virtuoso.py)."""
    if not installed():
        message = (
            "virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource-7-bin; "
            "bash .ci/run installs it)"
        )
        if os.environ.get(REQUIRE_VIRTUOSO):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture()
def virtuoso(virtuoso_instance: Virtuoso) -> str:
    """The session's Virtuoso with none of kg's graphs in it; yields its SPARQL endpoint."""
    drop_kg_graphs(virtuoso_instance.sparql)
    return virtuoso_instance.sparql


def drop_kg_graphs(endpoint: str) -> None:
    """Drop every graph under kg's base IRI (the server's own graphs stay)."""
    query = 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://example.org/kg/")) }'
    found = _post(endpoint, {"query": query}, "application/sparql-results+json")
    graphs = [row["g"]["value"] for row in json.loads(found)["results"]["bindings"]]
    if graphs:
        update = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
        _post(update_endpoint_for(endpoint), {"update": update}, "*/*")


def _post(url: str, form: dict[str, str], accept: str) -> bytes:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form).encode(), headers={"Accept": accept}
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return bytes(response.read())


#: Each tested server kind → the fixture that gives an empty one.
SERVER_FIXTURES = {"oxigraph": "oxigraph_server", "virtuoso": "virtuoso"}


@pytest.fixture(params=["oxigraph", pytest.param("virtuoso", marks=pytest.mark.slow)])
def sparql_server(request: pytest.FixtureRequest) -> str:
    """The query endpoint of each tested server kind in turn, empty (Virtuoso's tests are
    slow: the server takes 5-20 s to start, once per session)."""
    return str(request.getfixturevalue(SERVER_FIXTURES[request.param]))


class CliRun:
    def __init__(self, process: subprocess.CompletedProcess[str]) -> None:
        self.code = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr


@pytest.fixture()
def run_cli(tmp_path: Path):
    """Run ``python -m kg ARGS`` as a user would; returns code, stdout and stderr."""

    def run(*args: object, timeout: float = 300) -> CliRun:
        command = [sys.executable, "-m", "kg", *map(str, args)]
        env = {**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "200"}
        return CliRun(
            subprocess.run(
                command, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=timeout
            )
        )

    return run
