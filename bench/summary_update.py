"""Issue 14: the read summary a writer leaves, updated against computed whole.

    python bench/summary_update.py STORE [--document ID]

**Changes STORE**: removes one document (``--document``, default the first by id) as
``kg remove`` does, then adds the same document's graph back (its triples, read before
the removal, written as a build writes a batch). For each of the two writes it prints
the CPU and wall time of the summary the writer leaves on closing (updated from the
previous snapshot's summary, :func:`kg.network.summary.update`) and of the summary of
the same snapshot computed from scratch (:func:`kg.network.summary.compute`, what every
write cost before), and whether the two are identical. Work on a copy of a store.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kg.graph import KnowledgeGraph
from kg.network import summary
from kg.storage import snapshots
from kg.storage.base import Batch

T = TypeVar("T")


def timed(call: Callable[[], T]) -> tuple[T, float, float]:
    """What ``call`` returns, its CPU seconds (this process) and wall seconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    found = call()
    return found, time.process_time() - cpu, time.perf_counter() - wall


def rows(data: summary.SummaryData) -> tuple[object, ...]:
    facts = [(key, f.attrs, f.origin, f.count) for key, f in data.facts.items()]
    return list(data.nodes.items()), facts, data.stats, list(data.ranks.items()), data.open


def stored(store: Path) -> summary.SummaryData:
    newest = snapshots.newest(store)
    assert newest is not None
    found = summary.Summary.open(store / summary.FOLDER / f"{newest.name}.sqlite", newest.name)
    assert found is not None, "the writer left no summary"
    with found:
        return found.data()


def write_and_compare(store: Path, name: str, write: Callable[[KnowledgeGraph], None]) -> None:
    spent: list[float] = []
    refresh = summary.refresh

    def timed_refresh(source: object) -> None:
        _, cpu, wall = timed(lambda: refresh(source))
        spent.extend((cpu, wall))

    summary.refresh = timed_refresh  # type: ignore[assignment]
    try:
        with KnowledgeGraph.open(store) as graph:
            write(graph)
    finally:
        summary.refresh = refresh  # type: ignore[assignment]
    with KnowledgeGraph.open(store, read_only=True) as graph:
        whole, cpu, wall = timed(lambda: summary.compute(graph.store))
    same = rows(stored(store)) == rows(whole)
    print(
        f"{name:<22} summary updated: {spent[0]:6.2f} s CPU {spent[1]:6.2f} s wall   "
        f"computed whole: {cpu:6.2f} s CPU {wall:6.2f} s wall   identical: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--document", help="the document to remove and add back")
    args = parser.parse_args()
    with KnowledgeGraph.open(args.store, read_only=True) as graph:
        documents = graph.store.documents()
        doc_id = args.document or min(documents)
        graph_iri = documents[doc_id].graph
        triples = graph.store.graph_triples(graph_iri)
        found, cpu, wall = timed(lambda: summary.stored_summary(graph.store))
        assert found is not None
        found.close()
    print(
        f"store: {args.store}, {len(documents)} documents; document {doc_id}: {len(triples)} triples"
    )
    print(f"summary of the store as it was: {cpu:.2f} s CPU, {wall:.2f} s wall (or read)")
    write_and_compare(args.store, "kg remove (1 doc)", lambda g: g.remove_documents([doc_id]))
    write_and_compare(
        args.store,
        "add it back (1 doc)",
        lambda g: g.store.write(Batch(graphs={graph_iri: triples}, fresh={graph_iri})),
    )


if __name__ == "__main__":
    main()
