"""Benchmarks 3-5 on Reuters-21578: scale, queries, incremental rebuild.

    python bench/reuters.py [--small 2000] [--large N] [--workdir DIR] [--workers N] [--steps scale,queries]

3. Scale: `kg build` of the first 2,000 and of all 19,043 stories with a body
   (converted to JSONL in --workdir) into on-disk stores: docs/s, triples, store
   size, peak memory of the build process. Target: peak at 19k <= 1.25x peak at 2k.
5. Incremental: `kg build` again on the unchanged 19k store. Target <= 5% of the
   first build's time.
4. Queries: every example query (ontology/queries/*.rq) on the 19k graph, Oxigraph
   store against rdflib's in-memory store holding the same quads, through the same
   KnowledgeGraph.query; medians of --repeat runs (rdflib: half as many). The queries
   that take a value (evidence of one entity, of one relation) run unbound as shipped
   and again bound. Target: each >= 10x faster on Oxigraph, and under 100 ms.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import tempfile
import time
from pathlib import Path

from _common import DATA, directory_size_mb, kg_command, measure_child, write_reuters_jsonl

from kg.graph import KnowledgeGraph
from kg.rdf.namespace import KG
from kg.sparql.run import example_queries


def build(jsonl: Path, store: Path, workers: int) -> tuple[float, float]:
    run = measure_child(kg_command("build", jsonl, "--store", store, "-q", "--workers", workers))
    if run.code not in (0, 3):
        raise SystemExit(f"kg build failed ({run.code})")
    return run.seconds, run.peak_rss_mb


class _TooSlow(BaseException):  # not caught by run_query
    pass


def timed(function, repeat: int, cap: float = 300.0) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of ``function`` in ms; ``inf`` when one run passes ``cap`` seconds."""

    def stop(*_: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    times = []
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, cap)
            try:
                function()
            except _TooSlow:
                return float("inf")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return statistics.median(times)


#: Example queries that take a value, run again with one bound (as users run them).
BOUND = {
    "evidence": ("name", None),  # filled with the most mentioned person's label
    "evidence_for_fact": ("predicate", KG.leaderOf),
}
MOST_MENTIONED = """
SELECT ?name WHERE { ?d kg:mentions ?p . ?p a kg:Person ; rdfs:label ?name FILTER(CONTAINS(?name, " ")) }
GROUP BY ?p ?name ORDER BY DESC(COUNT(?d)) LIMIT 1
"""


def scale(args: argparse.Namespace, work: Path) -> None:
    """Benchmark 3, then 5 on the large store."""
    sizes = {}
    for name, limit in (("small", args.small), ("large", args.large)):
        jsonl = work / f"reuters-{name}.jsonl"
        count = write_reuters_jsonl(jsonl, limit)
        store = work / f"store-{name}"
        shutil.rmtree(store, ignore_errors=True)
        seconds, peak = build(jsonl, store, args.workers)
        with KnowledgeGraph.open(store) as graph:
            triples = len(graph)
        sizes[name] = (count, seconds, peak)
        print(
            f"scale {count:>6} docs: {seconds:8.1f} s  {count / seconds:6.2f} docs/s  {triples:>11,} triples  "
            f"store {directory_size_mb(store):8.1f} MB  peak RSS {peak:7.1f} MB",
            flush=True,
        )
    (n_small, _, peak_small), (n_large, first, peak_large) = sizes["small"], sizes["large"]
    print(
        f"peak memory {n_large} vs {n_small} docs: {peak_large / peak_small:.2f}x (target <= 1.25x)"
    )
    again, _ = build(work / "reuters-large.jsonl", work / "store-large", args.workers)
    print(
        f"incremental: unchanged rebuild {again:.1f} s = {again / first:.1%} of the first build (target <= 5%)",
        flush=True,
    )


def queries(args: argparse.Namespace, work: Path) -> None:
    """Benchmark 4 on the large store."""
    shipped = example_queries()
    runs: list[tuple[str, str, dict[str, object]]] = [(name, q, {}) for name, q in shipped.items()]
    with KnowledgeGraph.open(work / "store-large") as oxigraph:
        person = oxigraph.query(MOST_MENTIONED).rows[0][0]
        for name, (variable, value) in BOUND.items():
            runs.append(
                (
                    f"{name} [{variable}]",
                    shipped[name],
                    {variable: value if value is not None else person},
                )
            )
        fast = {
            label: timed(lambda q=q, b=b: oxigraph.query(q, b), args.repeat) for label, q, b in runs
        }
        rows = {label: len(oxigraph.query(q, b)) for label, q, b in runs}
        started = time.perf_counter()
        memory = KnowledgeGraph(oxigraph.store.snapshot())
    print(
        f"rdflib in-memory copy loaded in {time.perf_counter() - started:.0f} s ({len(memory):,} triples); "
        f"bound values: name = {person}, predicate = kg:leaderOf",
        flush=True,
    )
    print(f"{'query':28} {'rows':>8} {'oxigraph ms':>12} {'rdflib ms':>12} {'speed-up':>9}")
    for label, q, b in runs:
        slow = timed(lambda q=q, b=b: memory.query(q, b), max(1, args.repeat // 2))
        verdict = "ok" if slow / fast[label] >= 10 and fast[label] < 100 else "MISSED"
        shown = f"{slow:12.1f}" if slow != float("inf") else "   > 300,000"
        ratio = (
            f"{slow / fast[label]:8.1f}x"
            if slow != float("inf")
            else f"{300_000 / fast[label]:>7.0f}x+"
        )
        print(
            f"{label:28} {rows[label]:8,} {fast[label]:12.1f} {shown} {ratio}  {verdict}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=None, help="default: all stories with a body")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where the JSONL and stores go (default: a temporary folder)",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--steps",
        default="scale,queries",
        help="scale (3 and 5), queries (4; reuses the --workdir store)",
    )
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"data: {DATA / 'reuters21578'}; work folder: {work}", flush=True)
    steps = {s.strip() for s in args.steps.split(",")}
    if "scale" in steps:
        scale(args, work)
    if "queries" in steps:
        queries(args, work)


if __name__ == "__main__":
    main()
