"""Benchmark 6: the 2k Reuters build into SPARQL servers against the embedded store.

    python bench/servers.py [--docs 2000] [--workdir DIR] [--steps build,write]

build: `kg build` of the first --docs Reuters-21578 stories (JSONL) into the embedded
   Oxigraph store, into a private Virtuoso 7.2 (virtuoso-t on 127.0.0.1, its own
   database; tests/storage/virtuoso.py starts it) and into `oxigraph serve`, one after
   the other in one run: documents per second of each, the ratio to the embedded store,
   the same graph everywhere (quads compared), and the longest IRI written (Virtuoso
   keeps 1,879 characters).
write: the writing alone, for one batch of 256 stories parsed once: kg's update
   requests (named graphs, union graph, journal) against posting the same document
   graphs through Virtuoso's Graph Store endpoint (/sparql-graph-crud), its bulk path.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from _common import ROOT, kg_command, measure_child, write_reuters_jsonl

from kg.graph import KnowledgeGraph
from kg.storage.base import Batch
from kg.storage.memory import MemoryStore
from kg.storage.remote import RemoteStore
from kg.storage.remote_write import insert_data, requests_of

sys.path.insert(0, str(ROOT / "tests"))
from storage.conftest import _free_port, drop_kg_graphs, quads  # noqa: E402
from storage.virtuoso import virtuoso_server  # noqa: E402

LONGEST_IRI = """
SELECT (MAX(?n) AS ?longest) WHERE {
  { ?x ?p ?o } UNION { ?s ?p ?x FILTER(isIRI(?x)) } UNION { ?s ?x ?o }
  BIND(STRLEN(STR(?x)) AS ?n)
}
"""


def oxigraph_server(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = _free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(directory), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("oxigraph serve did not start")


def timed_build(jsonl: Path, *target: object) -> float:
    run = measure_child(kg_command("build", jsonl, *target, "-q"))
    if run.code not in (0, 3):
        raise SystemExit(f"kg build {' '.join(map(str, target))} failed ({run.code})")
    return run.seconds


def build(args: argparse.Namespace, work: Path, jsonl: Path, count: int) -> None:
    print(f"documents: {count} Reuters-21578 stories")
    rows: list[tuple[str, float]] = []
    seconds = timed_build(jsonl, "--store", work / "embedded")
    rows.append(("embedded Oxigraph store", seconds))
    with KnowledgeGraph.open(work / "embedded") as embedded:
        expected = quads(embedded)
        longest = embedded.query(LONGEST_IRI).rows[0][0]
    with virtuoso_server(work / "virtuoso") as virtuoso:
        seconds = timed_build(jsonl, "--sparql-endpoint", virtuoso.sparql)
        rows.append(("Virtuoso 7.2 (virtuoso-t)", seconds))
        same_virtuoso = quads(KnowledgeGraph.connect(virtuoso.sparql)) == expected
    process, url = oxigraph_server(work / "oxigraph-server")
    try:
        seconds = timed_build(jsonl, "--sparql-endpoint", url)
        rows.append(("Oxigraph server (oxigraph serve)", seconds))
        same_oxigraph = quads(KnowledgeGraph.connect(url)) == expected
    finally:
        process.terminate()
        process.wait(30)
    base = rows[0][1]
    for name, seconds in rows:
        print(
            f"{name:33s}: {seconds:7.1f} s  {count / seconds:6.2f} docs/s  "
            f"({base / seconds:.2f} of the embedded store's rate)"
        )
    print(
        f"same quads as the embedded store: Virtuoso {same_virtuoso}, Oxigraph server {same_oxigraph}"
    )
    print(f"quads: {len(expected):,}; longest IRI: {longest} characters (Virtuoso keeps 1,879)")


class Recording(MemoryStore):
    """A memory store that keeps the batches the builder hands it."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[Batch] = []

    def write(self, batch: Batch) -> None:
        self.batches.append(batch)
        super().write(batch)


def _best(repeat: int, reset, function) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        reset()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def write(args: argparse.Namespace, work: Path, jsonl: Path) -> None:
    """One batch as kg writes it, and its document graphs alone: INSERT DATA against the
    Graph Store endpoint."""
    with jsonl.open(encoding="utf-8") as handle:
        part = work / "batch.jsonl"
        part.write_text("".join(next(handle) for _ in range(256)), encoding="utf-8")
    recording = Recording()
    KnowledgeGraph(store=recording, batch_size=256).add_documents([part])
    batch = recording.batches[0]
    triples = sum(len(t) for t in batch.graphs.values())
    print(f"one batch: {len(batch.graphs)} stories, {triples:,} triples in document graphs")
    with virtuoso_server(work / "virtuoso-write") as virtuoso:
        store = RemoteStore(virtuoso.sparql)
        reset = lambda: drop_kg_graphs(virtuoso.sparql)  # noqa: E731
        whole = _best(args.repeat, reset, lambda: store.write(batch))
        inserts = requests_of(
            insert_data(batch.graphs, store.profile), store.profile.max_request_bytes
        )
        insert_only = _best(args.repeat, reset, lambda: [store.http.update(r) for r in inserts])
        endpoint = virtuoso.sparql.rsplit("/", 1)[0] + "/sparql-graph-crud"

        def graph_store() -> None:
            for graph, content in batch.graphs.items():
                body = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in content)
                url = endpoint + "?" + urllib.parse.urlencode({"graph-uri": str(graph)})
                request = urllib.request.Request(
                    url, data=body.encode(), headers={"Content-Type": "application/n-triples"}
                )
                with urllib.request.urlopen(request, timeout=300) as response:
                    response.read()

        bulk = _best(args.repeat, reset, graph_store)
    print(f"kg's whole batch (document graphs, entities, union graph, journal): {whole:.2f} s")
    print(f"document graphs by INSERT DATA ({len(inserts)} requests): {insert_only:.2f} s")
    print(
        f"document graphs by Graph Store POST ({len(batch.graphs)} requests): {bulk:.2f} s "
        f"({insert_only / bulk:.2f}x the speed of INSERT DATA)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--steps", default="build,write")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="kg-bench-servers-"))
    work.mkdir(parents=True, exist_ok=True)
    for leftover in ("embedded", "virtuoso", "virtuoso-write", "oxigraph-server"):
        shutil.rmtree(work / leftover, ignore_errors=True)
    jsonl = work / f"reuters-{args.docs}.jsonl"
    count = write_reuters_jsonl(jsonl, args.docs)
    steps = set(args.steps.split(","))
    if "build" in steps:
        build(args, work, jsonl, count)
    if "write" in steps:
        write(args, work, jsonl)


if __name__ == "__main__":
    main()
