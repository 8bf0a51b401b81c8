"""Issue 14, read side: the read commands on the 2k and 19k Reuters-21578 stores.

    python bench/speed_reads.py [--workdir DIR] [--sizes 2000 all] [--repeat 3]

Builds (or completes, or reuses, when ``--workdir`` holds them) on-disk stores of the first N
Reuters-21578 stories with a body for each of ``--sizes`` (``all``: every one, 19,043),
then times on each, median of ``--repeat`` runs, beside the issue's target (set for
the largest store):

- ``kg stats --store S`` (whole process: start, imports, opening, answer);
- ``kg entities --store S --type Person`` (whole process);
- ``kg serve --store S``: from the process start to the answer of its first request
  for the explorer's index page, then to the answer of a name search;
- ``kg viz --store S --top 200 -o x.html`` (whole process);
- :meth:`KnowledgeGraph.neighbors` of the most connected entity (the call only, on an
  opened store; the entity is the one with the most facts, counted by one query).

Each store's summary (:mod:`kg.network.summary`, what the read commands answer from) is
made first: ``kg build`` leaves it when it writes; a store it leaves unchanged (built by
older code) gets it from the first read, timed here on its own (``summary``).

Wall time is what a user waits; the CPU time of the process (user + system) is printed
beside it, as the machine may be shared (a loaded machine stretches the wall time).
The verdict compares the wall time on the last (largest) store with the target.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from _common import DATA, PYTHON, directory_size_mb, kg_command, measure_child, write_reuters_jsonl

from kg.graph import KnowledgeGraph

#: Target seconds per read (issue 14), on the 19k store.
TARGETS = {
    "kg stats": 2.0,
    "kg entities --type Person": 3.0,
    "kg serve: index page": 5.0,
    "kg serve: search": 5.0,
    "kg viz --top 200": 5.0,
    "neighbors(most connected)": 0.2,
}
#: The entity with the most facts (subject or object of a triple between two entities).
MOST_CONNECTED = """
SELECT ?e (SAMPLE(?name) AS ?label) (COUNT(*) AS ?n) WHERE {
  { ?e ?p ?o } UNION { ?o ?p ?e }
  ?e a ?c . ?o a ?k .
  VALUES ?c { kg:Person kg:Organization kg:Location kg:Event }
  VALUES ?k { kg:Person kg:Organization kg:Location kg:Event kg:Date }
  FILTER(?p != rdf:type && ?p != kg:mentions)
  OPTIONAL { ?e rdfs:label ?name }
} GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1
"""


def build(work: Path, limit: int | None) -> Path:
    """The store of the first ``limit`` stories (all: None). ``kg build`` is incremental:
    on a complete store it checks every story and adds nothing, on a store whose build
    was cut short it adds the rest."""
    jsonl = work / f"reuters-{limit or 'all'}.jsonl"
    count = write_reuters_jsonl(jsonl, limit)
    store = work / f"store-{count}"
    run = measure_child(kg_command("build", jsonl, "--store", store, "-q"))
    if run.code not in (0, 3):
        raise SystemExit(f"kg build failed ({run.code})")
    print(f"store: {store}, {count} stories, kg build took {run.seconds:.1f} s", flush=True)
    return store


def summarize(store: Path) -> None:
    """Make sure the store has the summary of its newest snapshot; print what it took."""
    from kg.network.summary import generation, stored_summary

    with KnowledgeGraph.open(store, read_only=True) as graph:
        gen = generation(graph.store)
        reused = stored_summary(graph.store, compute_missing=False)
        if reused is not None:
            reused.close()
            print(f"summary of {store.name} ({gen}): reused", flush=True)
            return
        started, cpu = time.perf_counter(), time.process_time()
        found = stored_summary(graph.store)
        assert found is not None
        found.close()
        print(
            f"summary of {store.name} ({gen}): computed in {time.perf_counter() - started:.1f} s "
            f"({time.process_time() - cpu:.1f} s CPU)",
            flush=True,
        )


def median(action: Callable[[], tuple[float, float]], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` runs of ``action``."""
    runs = [action() for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def process(*args: object) -> tuple[float, float]:
    """Wall and CPU seconds a kg command takes, start to exit (fails loudly on an error)."""
    run = measure_child(kg_command(*args))
    if run.code != 0:
        raise SystemExit(f"kg {args[0]} failed ({run.code})")
    return run.seconds, run.cpu_seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(store: Path, search: str) -> tuple[float, float]:
    """Seconds from starting ``kg serve`` to the index page, then to a search's answer."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    server = subprocess.Popen(
        [PYTHON, "-m", "kg", "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"kg serve exited ({server.returncode})")
            try:
                with urllib.request.urlopen(url, timeout=60) as answer:
                    answer.read()
                break
            except OSError:
                time.sleep(0.02)
        index = time.perf_counter() - started
        query = urllib.parse.urlencode({"q": search})
        with urllib.request.urlopen(f"{url}api/search?{query}", timeout=120) as answer:
            answer.read()
        return index, time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def neighbors_call(store: Path, iri: str, repeat: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of ``neighbors(iri)`` on an opened read-only store, and
    how many facts it found."""
    with KnowledgeGraph.open(store, read_only=True) as graph:
        walls, cpus, found = [], [], []
        for _ in range(repeat):
            started, cpu = time.perf_counter(), time.process_time()
            found = graph.neighbors(iri)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), len(found)


def measure(store: Path, repeat: int, work: Path) -> dict[str, tuple[float, float | None]]:
    """Wall seconds and CPU seconds (None: not one process's) of each read on ``store``."""
    with KnowledgeGraph.open(store, read_only=True) as graph:
        triples = len(graph)
        iri, label, facts = (str(v) for v in graph.query(MOST_CONNECTED).rows[0])
    print(
        f"{store.name}: {triples:,} triples, {directory_size_mb(store):.1f} MB; "
        f"most connected entity: {label} ({facts} facts)",
        flush=True,
    )
    html = work / "speed-reads.html"
    seconds: dict[str, tuple[float, float | None]] = {
        "kg stats": median(lambda: process("stats", "--store", store), repeat),
        "kg entities --type Person": median(
            lambda: process("entities", "--store", store, "--type", "Person"), repeat
        ),
    }
    served = [serve(store, label) for _ in range(repeat)]
    seconds["kg serve: index page"] = (statistics.median(index for index, _ in served), None)
    seconds["kg serve: search"] = (statistics.median(search for _, search in served), None)
    seconds["kg viz --top 200"] = median(
        lambda: process("viz", "--store", store, "--top", 200, "-o", html), repeat
    )
    wall, cpu, found = neighbors_call(store, iri, repeat)
    seconds["neighbors(most connected)"] = (wall, cpu)
    print(f"  neighbors({label!r}): {found} facts", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument(
        "--sizes", nargs="+", default=["2000", "all"], help="stories per store (all: every one)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-speed-reads-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"data: {DATA / 'reuters21578'}; work folder: {work}", flush=True)
    stores = [build(work, None if size == "all" else int(size)) for size in args.sizes]
    for store in stores:
        summarize(store)
    results = [measure(store, args.repeat, work) for store in stores]
    names = [store.name.removeprefix("store-") for store in stores]
    print(f"\nwall seconds (CPU seconds of the process), median of {args.repeat}")
    print(f"{'read':28}", "".join(f"{name + ' docs':>18}" for name in names), f"{'target':>7}")
    for read, target in TARGETS.items():
        cells = "".join(_cell(*result[read]) for result in results)
        verdict = "met" if results[-1][read][0] <= target else "MISSED"
        print(f"{read:28} {cells} {target:7.1f}  {verdict}")


def _cell(wall: float, cpu: float | None) -> str:
    return f"{wall:8.3f} ({cpu:6.3f})" if cpu is not None else f"{wall:8.3f}" + " " * 9


if __name__ == "__main__":
    main()
