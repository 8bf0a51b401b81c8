"""Benchmark 2: `--workers 2` against one worker, same documents, same on-disk store setup.

    python bench/workers.py [--limit N]

Builds the first N BBC News articles (default 600) into a fresh store twice in this
process (model loaded once; workers are forked from it): with 1 worker, then 2.
Prints both times, the speed-up (target >= 1.7x on 2 cores) and checks the two
stores hold the same number of triples.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from _common import bbc_texts

from kg.graph import KnowledgeGraph
from kg.nlp import load_model


def build(paths: list[Path], workers: int, folder: Path) -> tuple[float, int]:
    started = time.perf_counter()
    with KnowledgeGraph.open(folder / f"store-{workers}", workers=workers) as graph:
        graph.add_documents(paths)
        seconds = time.perf_counter() - started
        return seconds, len(graph)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=600)
    args = parser.parse_args()
    paths = [Path(p) for p, _ in bbc_texts()[: args.limit]]
    load_model()
    print(f"documents: {len(paths)} BBC News articles; cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        one, triples_one = build(paths, 1, Path(tmp))
        print(f"1 worker : {one:7.1f} s  {len(paths) / one:6.2f} docs/s")
        two, triples_two = build(paths, 2, Path(tmp))
        print(f"2 workers: {two:7.1f} s  {len(paths) / two:6.2f} docs/s")
    print(
        f"speed-up: {one / two:.2f}x (target >= 1.7x); same triples: {triples_one == triples_two} ({triples_one:,})"
    )


if __name__ == "__main__":
    main()
