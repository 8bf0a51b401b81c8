"""A build killed with SIGKILL at random moments: the store opens, holds whole documents only,
and the next build completes it to exactly the graph of an uninterrupted build."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.graph import KnowledgeGraph
from kg.rdf.namespace import graph_iri

from .conftest import quads

#: Builds graphs with the spaCy model (in this process or through the CLI).
pytestmark = pytest.mark.slow


BATCH = "2"


@pytest.fixture()
def twelve_documents(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for index in range(6):
        for seed in sorted(seeds_dir.glob("*.txt")):
            text = seed.read_text(encoding="utf-8")
            (corpus / f"{index}-{seed.name}").write_text(f"{text}\nEdition {index}.\n", "utf-8")
    return corpus


def by_graph(all_quads: set[tuple]) -> dict[str, set[tuple]]:
    graphs: dict[str, set[tuple]] = {}
    for quad in all_quads:
        graphs.setdefault(quad[3], set()).add(quad)
    return graphs


@pytest.mark.slow
def test_killed_builds_resume_to_the_uninterrupted_graph(twelve_documents, tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}

    def command(store: Path) -> list[str]:
        return [
            sys.executable,
            "-m",
            "kg",
            "build",
            str(twelve_documents),
            "--store",
            str(store),
            "--batch-size",
            BATCH,
            "-q",
        ]

    started = time.monotonic()  # the uninterrupted build, timed: kills land inside its span
    subprocess.run(
        command(tmp_path / "reference"), env=env, check=True, capture_output=True, timeout=600
    )
    duration = time.monotonic() - started
    with KnowledgeGraph.open(tmp_path / "reference") as reference:
        expected = quads(reference)
    expected_graphs = by_graph(expected)
    store = tmp_path / "store"
    rng = random.Random(int(os.environ.get("KG_CRASH_SEED", time.time())))
    kills = rounds = 0
    partial = False  # a kill left some documents in and some out
    while not (kills >= 2 and partial) and rounds < 20:
        rounds += 1
        process = subprocess.Popen(command(store), env=env, stderr=subprocess.DEVNULL)
        try:  # most of the first half is start-up (imports, the model); batches land after
            process.wait(timeout=rng.uniform(0.5 * duration, 0.95 * duration))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait(30)
            kills += 1
        with KnowledgeGraph.open(store) as opened:  # opens and answers
            assert opened.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
            documents = opened.document_ids()
            for graph, content in by_graph(quads(opened)).items():
                if graph.startswith(str(graph_iri(""))) and not graph.endswith("/entities"):
                    assert content == expected_graphs[graph], f"half-written {graph}"
            assert len(documents) <= 12
            partial |= 0 < len(documents) < 12
        if len(documents) == 12 and not (kills >= 2 and partial):
            shutil.rmtree(store)  # complete before enough kills: start again
    assert kills >= 1 and partial, "no kill landed mid-build: nothing was tested"
    finished = subprocess.run(command(store), env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    with KnowledgeGraph.open(store) as done:
        assert len(done.document_ids()) == 12
        assert quads(done) == expected
