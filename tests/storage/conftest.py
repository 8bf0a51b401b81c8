"""Fixtures for the store tests: small corpora on disk, a real Oxigraph server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import XSD, Literal

from kg.graph import KnowledgeGraph

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
