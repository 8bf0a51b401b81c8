"""Limits that hold: a query past its time or memory is stopped, and nothing of it goes on.

Against the real `kg serve` and `kg query` commands in subprocesses, for both engines
(rdflib on a graph file, Oxigraph on a store). The process tree of the server is
watched through /proc: after the answers, no CPU is being burnt and memory does not
grow, the pages answer while a runaway query runs, and no worker outlives its query.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from robust_helpers import kg_env, run_kg

from kg.errors import QueryLimitError
from kg.graph import KnowledgeGraph
from kg.sparql.workers import Limits, QueryPool

#: A six-way cross join of 60 triples: 47 billion rows to count, far longer than any limit.
CROSS_JOIN = (
    "SELECT (COUNT(*) AS ?n) WHERE "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?q ?r ?t }"
)
#: A regular expression that backtracks 2^30 times, inside ``re`` (holding the GIL).
REGEX = 'SELECT * { BIND("' + "a" * 30 + '!" AS ?x) FILTER(REGEX(?x, "(a+)+$")) }'
GRAPH = URIRef("https://example.org/kg/graph/limits")


def sixty_triples() -> list[tuple]:
    return [
        (URIRef(f"http://x.example/s{i}"), URIRef("http://x.example/p"), Literal(f"value {i}"))
        for i in range(60)
    ]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory) -> Path:
    dataset = Dataset(default_union=True)
    for triple in sixty_triples():
        dataset.graph(GRAPH).add(triple)
    path = tmp_path_factory.mktemp("limits") / "graph.trig"
    KnowledgeGraph(dataset).save(path)
    return path


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    from kg.storage.base import Batch

    folder = tmp_path_factory.mktemp("limits-store") / "store"
    with KnowledgeGraph.open(folder) as graph:
        graph.store.write(Batch(graphs={GRAPH: sixty_triples()}, fresh={GRAPH}))
    return folder


# --- the process tree -------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from "state" on


def tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _stat(int(name))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) used so far by the live processes of the tree."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in tree(root):
        fields = _stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def rss_mb(root: int) -> float:
    total = 0
    for pid in tree(root):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def wait_for_workers(pid: int, count: int, seconds: float = 90) -> None:
    """Until the server has ``count`` worker processes (they start in the background)."""
    deadline = time.monotonic() + seconds
    while len(tree(pid)) - 1 < count:
        assert time.monotonic() < deadline, f"no {count} workers under {pid}"
        time.sleep(0.2)
    time.sleep(0.5)


# --- kg serve ---------------------------------------------------------------------------------


def serve(*args: object) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", *map(str, args), "--port", "0"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=kg_env(),
    )  # fmt: skip
    lines = []
    while True:
        line = process.stderr.readline()
        assert line, f"kg serve ended: {lines}"
        lines.append(line)
        if line.startswith("kg: serving"):
            threading.Thread(target=process.stderr.read, daemon=True).start()  # drain
            return process, line.split(" at ", 1)[1].split(" ", 1)[0]


def get(url: str, timeout: float = 60) -> tuple[int, bytes, float]:
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read(), time.monotonic() - started


def sparql(url: str, query: str, timeout: float = 60) -> tuple[int, bytes, float]:
    return get(f"{url}sparql?" + urllib.parse.urlencode({"query": query}), timeout)


@pytest.fixture(params=["memory", "oxigraph"])
def target(request, graph_file, store_dir) -> Path:
    return graph_file if request.param == "memory" else store_dir


@pytest.mark.slow  # `kg` commands in subprocesses
def test_timed_out_queries_stop_and_free_cpu_and_memory(target):
    """Defect 1: three timed-out cross joins used to keep three threads burning CPU."""
    process, url = serve(target, "--timeout", "1")
    try:
        assert sparql(url, "ASK { ?s ?p ?o }")[0] == 200
        wait_for_workers(process.pid, 2)  # started: their start-up is not counted below
        answers: list[tuple[int, bytes, float]] = []
        senders = [
            threading.Thread(target=lambda: answers.append(sparql(url, CROSS_JOIN)))
            for _ in range(3)
        ]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(120)
        assert [status for status, _, _ in answers] == [503, 503, 503], answers
        assert all(b"timed out after 1 s" in b or b"server busy" in b for _, b, _ in answers)
        time.sleep(2.0)
        cpu, memory = cpu_seconds(process.pid), rss_mb(process.pid)
        time.sleep(4.0)
        burnt = cpu_seconds(process.pid) - cpu
        grown = rss_mb(process.pid) - memory
        assert burnt < 0.4, f"{burnt:.2f} s of CPU in 4 s after the queries were answered"
        assert grown < 20, f"memory grew by {grown:.0f} MB after the queries were answered"
        assert threads(process.pid) < 20
        status, body, seconds = sparql(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200 and b'"value": "60"' in body
    finally:
        process.terminate()
        process.wait(20)


@pytest.mark.slow  # `kg` commands in subprocesses
def test_a_backtracking_regex_does_not_freeze_the_server(graph_file):
    """Defect 2: rdflib's REGEX runs in ``re`` holding the GIL; every route used to stall."""
    process, url = serve(graph_file, "--timeout", "3")
    try:
        assert get(url)[0] == 200
        wait_for_workers(process.pid, 2)
        outcome: list[tuple[int, bytes, float]] = []
        runaway = threading.Thread(target=lambda: outcome.append(sparql(url, REGEX, 120)))
        runaway.start()
        for _ in range(3):  # while the regex runs (it starts within a second or so)
            time.sleep(0.7)
            status, _, seconds = get(url, timeout=20)
            assert status == 200 and seconds < 2.5, seconds
        status, _, seconds = sparql(url, "ASK { ?s ?p ?o }", timeout=20)
        assert status == 200 and seconds < 2.5, seconds
        runaway.join(60)
        [(status, body, seconds)] = outcome
        assert status == 503 and b"timed out after 3 s" in body
        assert seconds < 10, seconds
        cpu = cpu_seconds(process.pid)
        time.sleep(2.0)
        assert cpu_seconds(process.pid) - cpu < 0.5  # the regex is not running any more
    finally:
        process.terminate()
        process.wait(20)


# --- kg query --timeout -----------------------------------------------------------------------


def kg_query_processes(marker: str) -> list[int]:
    """Live processes whose command line holds ``marker`` (a query's own text)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                command = Path(f"/proc/{name}/cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in command:
                found.append(int(name))
    return found


@pytest.mark.slow  # `kg` commands in subprocesses
@pytest.mark.parametrize("engine", ["memory", "oxigraph"])
def test_kg_query_timeout_stops_the_query(engine, graph_file, store_dir, tmp_path):
    marker = f"kg-timeout-{engine}-{os.getpid()}"
    query = f"# {marker}\n{CROSS_JOIN}"
    where = [graph_file] if engine == "memory" else ["--store", store_dir]
    started = time.monotonic()
    run = run_kg("query", *where, query, "--timeout", "1", cwd=tmp_path, timeout=120)
    elapsed = time.monotonic() - started
    line = run.assert_clean_failure(1)
    assert "timed out after 1 s" in line
    assert elapsed < 60, elapsed
    assert kg_query_processes(marker) == []  # no worker left behind


@pytest.mark.slow  # `kg` commands in subprocesses
def test_kg_query_without_timeout_still_answers(graph_file, tmp_path):
    run = run_kg("query", graph_file, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--timeout", "30", "--format", "csv", cwd=tmp_path)  # fmt: skip
    assert run.code == 0 and run.stdout.splitlines() == ["n", "60"], run.stderr


# --- memory -------------------------------------------------------------------------------------


def test_a_query_that_needs_too_much_memory_is_stopped(graph_file):
    """An ORDER BY over 216,000 rows makes rdflib hold them all: over 60 MB, it is killed."""
    graph = KnowledgeGraph.load(graph_file)
    big = "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?a ?b ?c ?x ?y ?z"
    with QueryPool(graph.store, Limits(timeout=120, max_memory_mb=60, max_results=10)) as pool:
        started = time.monotonic()
        with pytest.raises(QueryLimitError, match="more than 60 MB") as caught:
            pool.query(big)
        assert caught.value.limit == "memory"  # type: ignore[attr-defined]
        assert time.monotonic() - started < 100
        assert pool.query("ASK { ?s ?p ?o }").boolean is True  # a new worker answers
        assert len(pool.pids()) == 1


def test_a_worker_is_killed_not_abandoned(graph_file):
    graph = KnowledgeGraph.load(graph_file)
    with QueryPool(graph.store, Limits(timeout=0.5)) as pool:
        assert pool.query("ASK { ?s ?p ?o }").boolean is True
        [first] = pool.pids()
        with pytest.raises(QueryLimitError, match="timed out after 0.5 s"):
            pool.query(REGEX)
        assert not Path(f"/proc/{first}").exists() or _stat(first)[0] == "Z"
        assert pool.query("ASK { ?s ?p ?o }").boolean is True
        [second] = pool.pids()
        assert second != first
    assert not Path(f"/proc/{second}").exists()  # closed with the pool
