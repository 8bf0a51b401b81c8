"""Benchmarks 3-5 on Reuters-21578: scale, queries, incremental rebuild.

    python bench/reuters.py [--small 2000] [--large 19043] [--workdir DIR] [--workers N]

3. Scale: `kg build` of the first 2,000 and of all 19,043 stories with a body
   (converted to JSONL in --workdir) into on-disk stores: docs/s, triples, store
   size, peak memory of the build process. Target: peak at 19k <= 1.2x peak at 2k.
5. Incremental: `kg build` again on the unchanged 19k store. Target <= 5% of the
   first build's time.
4. Queries: every example query (ontology/queries/*.rq) on the 19k graph, Oxigraph
   store against rdflib's in-memory store holding the same quads; medians of
   --repeat runs. Target: each >= 10x faster on Oxigraph, and under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _common import DATA, directory_size_mb, kg_command, measure_child, write_reuters_jsonl

from kg.graph import KnowledgeGraph
from kg.query import example_queries


def build(jsonl: Path, store: Path, workers: int) -> tuple[float, float]:
    run = measure_child(kg_command("build", jsonl, "--store", store, "-q", "--workers", workers))
    if run.code not in (0, 3):
        raise SystemExit(f"kg build failed ({run.code})")
    return run.seconds, run.peak_rss_mb


def timed(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of ``function`` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=None, help="default: all stories with a body")
    parser.add_argument("--workdir", type=Path, default=None, help="where the JSONL and stores go (default: a temporary folder)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"data: {DATA / 'reuters21578'}; work folder: {work}")

    sizes = {}
    for name, limit in (("small", args.small), ("large", args.large)):
        jsonl = work / f"reuters-{name}.jsonl"
        count = write_reuters_jsonl(jsonl, limit)
        store = work / f"store-{name}"
        seconds, peak = build(jsonl, store, args.workers)
        with KnowledgeGraph.open(store) as graph:
            triples = len(graph)
        sizes[name] = (count, seconds, peak, triples, directory_size_mb(store), jsonl, store)
        print(f"scale {count:>6} docs: {seconds:8.1f} s  {count / seconds:6.2f} docs/s  {triples:>11,} triples  "
              f"store {sizes[name][4]:8.1f} MB  peak RSS {peak:7.1f} MB")
    (n_small, _, peak_small, *_), (n_large, first, peak_large, _, _, jsonl, store) = sizes["small"], sizes["large"]
    print(f"peak memory {n_large} vs {n_small} docs: {peak_large / peak_small:.2f}x (target <= 1.2x)")

    again, _ = build(jsonl, store, args.workers)
    print(f"incremental: unchanged rebuild {again:.1f} s = {again / first:.1%} of the first build (target <= 5%)")

    queries = example_queries()
    with KnowledgeGraph.open(store) as oxigraph:
        fast = {name: timed(lambda q=q: oxigraph.query(q), args.repeat) for name, q in queries.items()}
        started = time.perf_counter()
        memory = KnowledgeGraph(oxigraph.store.snapshot())
    print(f"rdflib in-memory copy loaded in {time.perf_counter() - started:.0f} s ({len(memory):,} triples)")
    print(f"{'query':22} {'oxigraph ms':>12} {'rdflib ms':>12} {'speed-up':>9}")
    for name, q in queries.items():
        slow = timed(lambda q=q: memory.query(q), max(1, args.repeat // 2))
        verdict = "ok" if slow / fast[name] >= 10 and fast[name] < 100 else "MISSED"
        print(f"{name:22} {fast[name]:12.1f} {slow:12.1f} {slow / fast[name]:8.1f}x  {verdict}")


if __name__ == "__main__":
    main()
