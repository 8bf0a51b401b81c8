"""Read commands on a Reuters-21578 Oxigraph store: how long a user waits for each.

    python bench/read_commands.py [--docs 500] [--workdir DIR] [--repeat 3]

Builds (or, when ``--workdir`` already holds it, opens) an on-disk Oxigraph store of the
first ``--docs`` Reuters-21578 stories with a body (read from ``../shared/data``), then
times, through the Python API the commands call:

- ``kg stats`` (:meth:`KnowledgeGraph.stats`),
- ``kg entities --type Person`` (:meth:`KnowledgeGraph.entities`),
- :meth:`KnowledgeGraph.neighbors` of the most connected entity,
- :meth:`KnowledgeGraph.to_networkx` (the whole graph, and with a type filter),

each on a freshly opened read-only store (what a command does), median of ``--repeat``
runs. The whole ``kg stats`` process is timed once as well (imports and opening included).
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import DATA, directory_size_mb, kg_command, measure_child, write_reuters_jsonl

from kg.graph import KnowledgeGraph


def build(work: Path, docs: int) -> Path:
    """The store of the first ``docs`` stories, built unless the work folder has it."""
    store = work / f"store-{docs}"
    if store.is_dir() and any(store.iterdir()):
        print(f"store: {store} (reused)", flush=True)
        return store
    jsonl = work / f"reuters-{docs}.jsonl"
    count = write_reuters_jsonl(jsonl, docs)
    run = measure_child(kg_command("build", jsonl, "--store", store, "-q"))
    if run.code not in (0, 3):
        raise SystemExit(f"kg build failed ({run.code})")
    print(f"store: {store}, {count} stories built in {run.seconds:.1f} s", flush=True)
    return store


def timed(store: Path, action: Callable[[KnowledgeGraph], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds of ``action`` on a freshly opened read-only store, and its last result."""
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        with KnowledgeGraph.open(store, read_only=True) as graph:
            result = action(graph)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def most_connected(store: Path) -> tuple[str, str]:
    """The IRI and label of the entity with the most facts (counted once, untimed)."""
    with KnowledgeGraph.open(store, read_only=True) as graph:
        network = graph.to_networkx()
    node = max(network, key=lambda n: (network.degree(n), str(n)))
    return node, network.nodes[node]["label"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary folder")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-read-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"data: {DATA / 'reuters21578'}; work folder: {work}", flush=True)
    store = build(work, args.docs)
    with KnowledgeGraph.open(store, read_only=True) as graph:
        size = len(graph)
    print(f"{size:,} triples, store {directory_size_mb(store):.1f} MB", flush=True)
    iri, label = most_connected(store)
    steps: list[tuple[str, Callable[[KnowledgeGraph], Any], Callable[[Any], str]]] = [
        ("stats", lambda g: g.stats(), lambda r: f"{sum(r['entities'].values()):,} entities"),
        (
            "entities --type Person",
            lambda g: g.entities(type="Person"),
            lambda r: f"{len(r):,} people",
        ),
        (
            f"neighbors({label!r})",
            lambda g: g.neighbors(iri),
            lambda r: f"{len(r):,} facts",
        ),
        (
            "to_networkx()",
            lambda g: g.to_networkx(),
            lambda r: f"{r.number_of_nodes():,} nodes, {r.number_of_edges():,} edges",
        ),
        (
            "to_networkx(types=Person,Organization)",
            lambda g: g.to_networkx(types=["Person", "Organization"]),
            lambda r: f"{r.number_of_nodes():,} nodes, {r.number_of_edges():,} edges",
        ),
    ]
    if "types" not in inspect.signature(KnowledgeGraph.to_networkx).parameters:
        steps.pop()  # a kg without filters in to_networkx (for a before/after comparison)
    print(f"{'read':44} {'seconds':>8}  result")
    for name, action, describe in steps:
        seconds, result = timed(store, action, args.repeat)
        print(f"{name:44} {seconds:8.3f}  {describe(result)}", flush=True)
    run = measure_child(kg_command("stats", "--store", store))
    print(f"{'kg stats --store (whole process)':44} {run.seconds:8.3f}  exit {run.code}")


if __name__ == "__main__":
    main()
