"""A build into Virtuoso killed with SIGKILL at random moments: the next client finds
whole documents only, and the next build completes the graph of an uninterrupted build.

Virtuoso applies a request's operations one by one (Oxigraph server applies a batch's
one request in one transaction, as the embedded store does: test_store_crash.py)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from kg.graph import KnowledgeGraph
from kg.rdf.namespace import graph_iri
from kg.storage import remote

from .conftest import drop_kg_graphs, quads
from .test_store_crash import BATCH, by_graph, twelve_documents  # noqa: F401 (fixture)

#: Builds graphs with the spaCy model.
pytestmark = pytest.mark.slow


def test_killed_builds_into_virtuoso_resume_to_the_uninterrupted_graph(
    twelve_documents,  # noqa: F811
    virtuoso,
    monkeypatch,
):
    # a killed client leaves its write marked on the server; its requests here take a
    # second, so the next client need not wait the default ten minutes to call it stale
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "KG_REMOTE_WRITER_WAIT": "20"}
    monkeypatch.setattr(remote, "WAIT_FOR_WRITERS_SECONDS", 20.0)  # this process's clients too
    command = [
        sys.executable,
        "-m",
        "kg",
        "build",
        str(twelve_documents),
        "--sparql-endpoint",
        virtuoso,
        "--batch-size",
        BATCH,
        "-q",
    ]
    started = time.monotonic()
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=900)
    duration = time.monotonic() - started
    expected = quads(KnowledgeGraph.connect(virtuoso))
    expected_graphs = by_graph(expected)
    drop_kg_graphs(virtuoso)
    rng = random.Random(int(os.environ.get("KG_CRASH_SEED", time.time())))
    kills = rounds = 0
    partial = False
    while not (kills >= 2 and partial) and rounds < 20:
        rounds += 1
        process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            process.wait(timeout=rng.uniform(0.5 * duration, 0.95 * duration))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait(30)
            kills += 1
        opened = KnowledgeGraph.connect(virtuoso)
        documents = opened.document_ids()  # the next client undoes a half-written batch first
        for graph, content in by_graph(quads(opened)).items():
            if graph.startswith(str(graph_iri(""))) and not graph.endswith("/entities"):
                assert content == expected_graphs[graph], f"half-written {graph}"
        assert len(documents) <= 12
        partial |= 0 < len(documents) < 12
        if len(documents) == 12 and not (kills >= 2 and partial):
            drop_kg_graphs(virtuoso)  # complete before enough kills: start again
    assert kills >= 1 and partial, "no kill landed mid-build: nothing was tested"
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, finished.stderr
    done = KnowledgeGraph.connect(virtuoso)
    assert len(done.document_ids()) == 12
    assert quads(done) == expected
