"""Benchmark: what curation costs, on an Oxigraph store of BBC News articles.

    python bench/curation.py [--first 100] [--later 20] [--decisions 10]

Builds the first FIRST BBC News articles into a store and copies it; in the copy makes
DECISIONS decisions (half merges of people who share a surname, half rejections of
the weakest facts), timing each. Then adds the next
LATER articles to both stores: the ratio of the two build times is what re-applying
the decisions after a build costs. Last, undoes every decision and checks the copy
holds the quads the original would hold with the same builds (no decision left).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from _common import bbc_texts

from kg.graph import KnowledgeGraph
from kg.nlp import load_model
from kg.rdf.namespace import CURATION_GRAPH


def merges(graph: KnowledgeGraph, count: int) -> list[tuple[str, str]]:
    """Pairs of people sharing a surname, most mentioned first (what a merge costs does
    not depend on whether it is right)."""
    rows = graph.query(
        "SELECT ?p (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d kg:mentions ?p . ?p a kg:Person } "
        "GROUP BY ?p ORDER BY DESC(?n) ?p"
    ).rows
    ranked = [str(p) for p, _ in rows]
    by_surname: dict[str, list[str]] = {}
    for e in graph.entities(type="Person"):
        if e.iri in ranked and len(e.label.split()) > 1:
            by_surname.setdefault(e.label.split()[-1], []).append(e.iri)
    pairs = []
    for iris in by_surname.values():
        iris.sort(key=ranked.index)
        pairs += [(iris[0], other) for other in iris[1:]]
    used: set[str] = set()
    out = []
    for survivor, merged in sorted(pairs, key=lambda p: ranked.index(p[0])):
        if merged not in used and survivor not in used:
            out.append((survivor, merged))
            used.add(merged)
    return out[:count]


def weakest(graph: KnowledgeGraph, count: int) -> list[tuple]:
    rows = graph.query(
        "SELECT ?s ?p ?o (MAX(?c) AS ?best) WHERE { ?ev rdf:subject ?s ; rdf:predicate ?p ; "
        "rdf:object ?o ; kg:confidence ?c . ?s ?p ?o . ?o a ?type "
        "FILTER(?p IN (kg:affiliatedWith, kg:leaderOf, kg:nationality, kg:residence, kg:locatedIn)) } "
        f"GROUP BY ?s ?p ?o ORDER BY ?best ?s ?p ?o LIMIT {count}"
    ).rows
    return [(s, p, o) for s, p, o, _ in rows]


def data_quads(graph: KnowledgeGraph) -> int:
    return sum(
        1 for q in graph.store.snapshot().quads((None, None, None, None)) if q[3] != CURATION_GRAPH
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=100)
    parser.add_argument("--later", type=int, default=20)
    parser.add_argument("--decisions", type=int, default=10)
    args = parser.parse_args()
    texts = [Path(p) for p, _ in bbc_texts()]
    first, later = texts[: args.first], texts[args.first : args.first + args.later]
    load_model()
    with tempfile.TemporaryDirectory() as tmp:
        plain, curated = Path(tmp) / "plain", Path(tmp) / "curated"
        with KnowledgeGraph.open(plain) as graph:
            graph.add_documents(first)
        shutil.copytree(plain, curated)
        timings: list[float] = []
        decisions = []
        with KnowledgeGraph.open(curated) as graph:
            half = args.decisions // 2
            for survivor, merged in merges(graph, half):
                started = time.perf_counter()
                decisions.append(graph.curate.merge(survivor, merged, why="bench"))
                timings.append(time.perf_counter() - started)
            for fact in weakest(graph, args.decisions - len(decisions)):
                started = time.perf_counter()
                decisions.append(graph.curate.reject(*fact, why="bench"))
                timings.append(time.perf_counter() - started)
        seconds = {}
        for name, folder in (("plain", plain), ("curated", curated)):
            with KnowledgeGraph.open(folder) as graph:
                started = time.perf_counter()
                report = graph.add_documents(later)
                seconds[name] = time.perf_counter() - started
                assert report.processed == len(later), report
        with KnowledgeGraph.open(curated) as graph:
            started = time.perf_counter()
            for decision in reversed(decisions):
                graph.curate.undo(decision, why="bench")
            undo = time.perf_counter() - started
            undone = data_quads(graph)
        with KnowledgeGraph.open(plain) as graph:
            same = data_quads(graph)
    print(f"store: {args.first} BBC News articles; then {len(later)} more")
    print(
        f"decisions: {len(decisions)} ({sum(d.kind == 'merge' for d in decisions)} merges), "
        f"{sum(timings) / max(len(timings), 1):.2f} s each on average, slowest {max(timings, default=0):.2f} s"
    )
    print(
        f"incremental build of {len(later)}: {seconds['plain']:.1f} s without decisions, "
        f"{seconds['curated']:.1f} s with them: ratio {seconds['curated'] / seconds['plain']:.2f}"
    )
    print(f"undo of every decision: {undo:.2f} s; quads {undone:,} (without curation: {same:,})")


if __name__ == "__main__":
    main()
