"""Memory of a long build, batch by batch: what grows with the store.

    python bench/build_memory.py STORIES.jsonl --store DIR [--batch-size 256]

Builds the documents into a fresh on-disk store (one worker) and prints, after every
batch is written: documents so far, resident memory (RSS), the C heap in use and free
(glibc's ``mallinfo2``: RocksDB, spaCy and large Python objects), and the peak RSS so
far. A floor that climbs batch after batch is memory that grows with the corpus; the
rise during a batch and back is the write's transient. Linux with glibc only.
"""

from __future__ import annotations

import argparse
import ctypes
import resource
import shutil
import time
from pathlib import Path

from kg.graph import KnowledgeGraph
from kg.storage import oxigraph
from kg.storage.base import Batch


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _heap() -> tuple[float, float]:
    """C heap in use and free, in MB."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20, info.fordblks / 2**20


def _rss() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stories", type=Path)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()
    shutil.rmtree(args.store, ignore_errors=True)
    written = 0
    started = time.perf_counter()
    write = oxigraph.OxigraphStore.write

    def logged(self: oxigraph.OxigraphStore, batch: Batch) -> None:
        nonlocal written
        write(self, batch)
        written += len(batch.graphs)
        used, free = _heap()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{written:7,} docs {time.perf_counter() - started:7.0f} s  RSS {_rss():5.0f} MB  "
            f"heap in use {used:5.0f} MB  free {free:5.0f} MB  peak RSS {peak:5.0f} MB",
            flush=True,
        )

    oxigraph.OxigraphStore.write = logged  # type: ignore[method-assign]
    with KnowledgeGraph.open(args.store, batch_size=args.batch_size) as graph:
        graph.add_documents([args.stories])


if __name__ == "__main__":
    main()
