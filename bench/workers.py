"""Benchmark 2: `--workers 2` against one worker, same documents, same on-disk store setup.

    python bench/workers.py [--limit N] [--workers 2]

Builds the first N BBC News articles (default 600) into a fresh store twice in this
process (model loaded once; workers are forked from it): with 1 worker, then N.
Prints, for each build, the wall time and the CPU time (user + system) of this process
(the parent: reading, resolution, RDF, the store's write thread) and of the workers
(``RUSAGE_CHILDREN``: they are reaped when the build ends). Then two ratios:

- wall: one worker's wall time over N workers' (target >= 1.8x for 2 workers on 2
  cores; it moves with the machine's load);
- CPU: the speed-up the CPU accounting gives when each build keeps its cores busy (one
  core for one worker, N for N): one worker's CPU time over ``max(parent CPU,
  (parent + workers CPU) / N)``. It ignores what one worker's write thread overlaps on
  a second core, and is far less sensitive to other work on a shared machine.

Both stores must hold the same quads (sorted N-Quads compared).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import bbc_texts

from kg.graph import KnowledgeGraph
from kg.nlp import load_model


@dataclass
class Build:
    """Wall and CPU seconds of one build, and a digest of its sorted N-Quads."""

    wall: float
    parent_cpu: float
    workers_cpu: float
    quads: int
    digest: str

    @property
    def cpu(self) -> float:
        return self.parent_cpu + self.workers_cpu


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def build(paths: list[Path], workers: int, folder: Path) -> Build:
    self_before, children_before = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with KnowledgeGraph.open(folder / f"store-{workers}", workers=workers) as graph:
        graph.add_documents(paths)
        wall = time.perf_counter() - started
        parent = _cpu(resource.RUSAGE_SELF) - self_before
        children = _cpu(resource.RUSAGE_CHILDREN) - children_before
        dumped = graph.save(folder / f"graph-{workers}.nq")
    lines = sorted(dumped.read_text(encoding="utf-8").splitlines())
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return Build(wall, parent, children, len(lines), digest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--batches-as-one-worker",
        action="store_true",
        help="the workers' build writes batches of 256 documents, as one worker does "
        "(before issue 14's third round; default: at most kg.build.engine.PARALLEL_BATCH)",
    )
    args = parser.parse_args()
    if args.batches_as_one_worker:
        from kg.build import engine

        engine.PARALLEL_BATCH = 1 << 30
    paths = [Path(p) for p, _ in bbc_texts()[: args.limit]]
    load_model(None)  # the builds' own call (the cache is keyed by the arguments as given)
    print(f"documents: {len(paths)} BBC News articles; cores: {os.cpu_count()}")
    n = args.workers
    with tempfile.TemporaryDirectory() as tmp:
        one = build(paths, 1, Path(tmp))
        print(_line("1 worker ", one, len(paths)))
        many = build(paths, n, Path(tmp))
        print(_line(f"{n} workers", many, len(paths)))
    bound = one.cpu / max(many.parent_cpu, many.cpu / n)
    print(
        f"parent share of the CPU with {n} workers: {many.parent_cpu / many.cpu:.1%}; "
        f"CPU with {n} workers / CPU with 1: {many.cpu / one.cpu:.2f}"
    )
    print(
        f"speed-up wall: {one.wall / many.wall:.2f}x, CPU: {bound:.2f}x (target >= 1.8x)"
        f"; same quads: {one.digest == many.digest} ({one.quads:,})"
    )


def _line(name: str, run: Build, documents: int) -> str:
    return (
        f"{name}: {run.wall:7.1f} s wall {documents / run.wall:6.2f} docs/s  CPU parent "
        f"{run.parent_cpu:6.1f} s  workers {run.workers_cpu:6.1f} s"
    )


if __name__ == "__main__":
    main()
