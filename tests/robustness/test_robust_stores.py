"""An on-disk store read while it is written: by the commands, by `kg serve`, after a kill.

A real writer process holds the store the way `kg build` does (open for writing,
batches written as one transaction each, kept open between them); the real `kg`
commands read it from beside, in their own processes. Readers see whole batches only,
never take the writer's lock, and say exactly what to do when there is nothing to
read yet.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from robust_helpers import kg_env, run_kg

from kg.errors import StoreError
from kg.graph import KnowledgeGraph

#: Slow: every test runs several `kg` commands and a writer in subprocesses.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

#: Writes ``count`` documents, one batch each, ``pause`` seconds apart, printing each
#: number; then holds the store open until its stdin closes (or it is killed). A fourth
#: argument sets how often the writer publishes a snapshot (the first write always is).
WRITER = """
import sys, time
from rdflib import RDF, RDFS, Literal, Namespace, URIRef
import kg.storage.oxigraph
from kg.graph import KnowledgeGraph
from kg.rdf.namespace import KG
from kg.storage.base import Batch

DCT = Namespace("http://purl.org/dc/terms/")
path, count, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
if len(sys.argv) > 4:
    kg.storage.oxigraph.PUBLISH_EVERY_SECONDS = float(sys.argv[4])
graph = KnowledgeGraph.open(path)
print("open", flush=True)
for i in range(count):
    doc = URIRef(f"https://example.org/kg/document/doc{i}")
    person = URIRef(f"https://example.org/kg/entity/person/person-{i}")
    name = Literal(f"Person {i}")
    triples = [(doc, RDF.type, KG.Document), (doc, DCT.identifier, Literal(f"doc{i}")),
               (doc, KG.mentions, person), (person, RDF.type, KG.Person), (person, RDFS.label, name)]
    labels = {person: [(person, RDF.type, KG.Person), (person, RDFS.label, name)]}
    g = URIRef(f"https://example.org/kg/graph/doc{i}")
    graph.store.write(Batch(graphs={g: triples}, labels=labels, fresh={g}))
    print(i, flush=True)
    time.sleep(pause)
print("done", flush=True)
sys.stdin.read()
graph.close()
"""
COUNT_DOCS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kg:Document }"
#: Every document graph is whole: its five triples, or not there.
HALF_WRITTEN = (
    "SELECT ?g WHERE { GRAPH ?g { ?d a kg:Document } "
    "{ SELECT ?g (COUNT(*) AS ?t) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g } FILTER(?t != 5) }"
)


class Writer:
    """The writer process: started, followed line by line, stopped or killed."""

    def __init__(
        self, store: Path, count: int, pause: float, publish_every: float | None = None
    ) -> None:
        extra = [] if publish_every is None else [str(publish_every)]
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store), str(count), str(pause), *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=kg_env(),
        )  # fmt: skip
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())

    def wait_for(self, line: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while line not in self.lines:
            if self.process.poll() is not None:
                pytest.fail(f"the writer ended: {self.process.stderr.read()}")  # type: ignore[union-attr]
            assert time.monotonic() < deadline, f"writer never printed {line!r}: {self.lines}"
            time.sleep(0.05)

    def finish(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        assert self.process.wait(60) == 0, self.process.stderr.read()  # type: ignore[union-attr]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)


def count_docs(store: Path, cwd: Path) -> int:
    run = run_kg("query", "--store", store, COUNT_DOCS, "--format", "csv", cwd=cwd)
    assert run.code == 0, run.stderr
    return int(run.stdout.splitlines()[1])


def test_every_read_command_works_while_a_writer_holds_the_store(tmp_path):
    """Defect 8: reads used to fail with "store is in use" during a build."""
    store = tmp_path / "store"
    writer = Writer(store, count=4, pause=0.4)
    try:
        writer.wait_for("1")
        seen = count_docs(store, tmp_path)
        assert 1 <= seen <= 4
        half = run_kg("query", "--store", store, HALF_WRITTEN, "--format", "csv", cwd=tmp_path)
        assert half.code == 0 and half.stdout.splitlines() == ["g"], half.stdout
        for args in (
            ["stats", store],
            ["entities", store, "--type", "Person"],
            ["export", store, "-f", "graphml", "-o", tmp_path / "g.graphml"],
            ["viz", store, "-o", tmp_path / "g.html"],
            ["query", store, "--example", "documents", "--format", "csv"],
        ):
            run = run_kg(*args, cwd=tmp_path)
            assert run.code == 0, (args, run.stderr)
            assert "in use" not in run.stderr and "Traceback" not in run.stderr
        assert "Person 0" in run_kg("entities", store, cwd=tmp_path).stdout
        writer.wait_for("done")
        writer.finish()
        assert count_docs(store, tmp_path) == 4  # the writer published what it wrote last
    finally:
        if writer.process.poll() is None:
            writer.kill()


def test_kg_serve_and_a_writer_at_the_same_time(tmp_path):
    """A served store no longer locks builds out, and the endpoint sees what they add."""
    store = tmp_path / "store"
    first = Writer(store, count=1, pause=0)
    first.wait_for("done")
    first.finish()
    serve = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(store), "--port", "0"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=kg_env(),
    )  # fmt: skip
    try:
        while True:
            line = serve.stderr.readline()  # type: ignore[union-attr]
            assert line, "kg serve ended"
            if line.startswith("kg: serving"):
                break
        threading.Thread(target=serve.stderr.read, daemon=True).start()  # type: ignore[union-attr]
        url = line.split(" at ", 1)[1].split(" ", 1)[0]

        def served_count() -> int:
            query = urllib.parse.urlencode({"query": COUNT_DOCS})
            request = urllib.request.Request(
                f"{url}sparql?{query}", headers={"Accept": "application/sparql-results+json"}
            )
            with urllib.request.urlopen(request, timeout=60) as response:
                body = json.loads(response.read())
            return int(body["results"]["bindings"][0]["n"]["value"])

        assert served_count() == 1
        writer = Writer(store, count=3, pause=0.2)  # rewrites doc0..doc2: 3 documents
        writer.wait_for("done")
        writer.finish()
        deadline = time.monotonic() + 20
        while served_count() != 3:
            assert time.monotonic() < deadline, "the endpoint never saw the new documents"
            time.sleep(0.2)
    finally:
        serve.terminate()
        serve.wait(20)


def test_a_store_with_nothing_published_yet_says_what_to_do(tmp_path):
    store = tmp_path / "store"
    writer = Writer(store, count=0, pause=0)
    try:
        writer.wait_for("done")  # open for writing, nothing written yet
        run = run_kg("query", "--store", store, COUNT_DOCS, cwd=tmp_path)
        line = run.assert_clean_failure(1)
        assert "being written by another process" in line
        assert "try again once its first batch is written" in line
    finally:
        writer.finish()


def test_a_killed_writer_leaves_a_store_that_reads_whole(tmp_path):
    store = tmp_path / "store"
    writer = Writer(store, count=6, pause=0, publish_every=3600)  # publishes the first only
    writer.wait_for("done")
    writer.kill()
    assert len(os.listdir(store / ".kg-snapshots")) == 2  # DIRTY and one snapshot
    assert (store / ".kg-snapshots" / "DIRTY").exists()
    assert count_docs(store, tmp_path) == 6  # the reader published what the writer committed
    half = run_kg("query", "--store", store, HALF_WRITTEN, "--format", "csv", cwd=tmp_path)
    assert half.stdout.splitlines() == ["g"]
    assert not (store / ".kg-snapshots" / "DIRTY").exists()


def test_two_writers_still_exclude_each_other(tmp_path):
    store = tmp_path / "store"
    writer = Writer(store, count=1, pause=0)
    try:
        writer.wait_for("done")
        started = time.monotonic()
        with pytest.raises(StoreError, match="being written by another process"):
            KnowledgeGraph.open(store)
        assert time.monotonic() - started < 15
    finally:
        writer.finish()
    KnowledgeGraph.open(store).close()  # free again


def test_old_snapshots_are_removed(tmp_path):
    """Readers keep at most a few snapshots on disk, whatever the number of batches."""
    from kg.storage import snapshots

    store = tmp_path / "store"
    writer = Writer(store, count=8, pause=1.05)  # one snapshot per batch
    writer.wait_for("done", seconds=180)
    writer.finish()
    published = snapshots.snapshots(store)
    assert 1 <= len(published) <= 9
    for old in published[:-3]:  # older than the grace period only when the test is slow
        assert time.time() - int(old.name.split("-")[0]) / 1e9 < snapshots.GRACE_SECONDS + 5
    names = os.listdir(store / ".kg-snapshots")
    assert not [n for n in names if n.startswith(".tmp-")]
