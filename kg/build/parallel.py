"""Extraction in several processes (``--workers N``) or on a Dask cluster (``--dask ADDRESS``).

Documents go out in chunks, a bounded number at a time (memory stays flat), and come
back in input order, so resolution and writing see exactly what one process would:
the output is identical to a one-worker build.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING

from kg.build.pipeline import extract_chunk
from kg.errors import MissingExtraError, StoreError
from kg.model import Extraction

if TYPE_CHECKING:
    from kg.documents import Document

Pair = tuple["Document", Extraction]
#: Documents per unit of work sent to a worker.
CHUNK_SIZE = 16
#: Chunks in flight per worker.
WINDOW_PER_WORKER = 3


def chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _ordered(
    documents: Iterable[Document],
    submit: Callable[[list[Document]], Callable[[], list[Extraction | str]]],
    window: int,
    on_error: Callable[[str], None] | None,
) -> Iterator[Pair]:
    """Submit chunks (at most ``window`` pending) and yield their results in order."""
    pending: deque[tuple[list[Document], Callable[[], list[Extraction | str]]]] = deque()

    def drain_one() -> Iterator[Pair]:
        chunk, wait = pending.popleft()
        for document, result in zip(chunk, wait()):
            if isinstance(result, str):
                if on_error is not None:
                    on_error(result)
                continue
            if on_error is not None:
                for message in result.errors:
                    on_error(message)
            yield document, result

    for chunk in chunks(documents, CHUNK_SIZE):
        pending.append((chunk, submit(chunk)))
        if len(pending) >= window:
            yield from drain_one()
    while pending:
        yield from drain_one()


def extract_in_processes(
    documents: Iterable[Document],
    *,
    workers: int,
    model: str | None,
    extractors: Sequence[str] | None,
    on_error: Callable[[str], None] | None = None,
    min_confidence: float = 0.0,
) -> Iterator[Pair]:
    """Parse and extract in ``workers`` local processes (forked where the OS allows)."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(workers) as pool:

        def submit(chunk: list[Document]) -> Callable[[], list[Extraction | str]]:
            return pool.apply_async(extract_chunk, (chunk, model, extractors, min_confidence)).get

        yield from _ordered(documents, submit, workers * WINDOW_PER_WORKER, on_error)


def extract_on_dask(
    documents: Iterable[Document],
    *,
    address: str,
    model: str | None,
    extractors: Sequence[str] | None,
    on_error: Callable[[str], None] | None = None,
    min_confidence: float = 0.0,
) -> Iterator[Pair]:
    """Parse and extract on a Dask cluster: ``address`` of a scheduler, or ``local``.

    The workers need ``kg`` and the model installed; each loads the model once.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise MissingExtraError("building on Dask", "dask", "dask.distributed") from exc
    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(
                n_workers=os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
        else:
            client = Client(address, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise StoreError(f"Dask scheduler {address}: cannot reach the scheduler: {exc}") from exc
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))

        def submit(chunk: list[Document]) -> Callable[[], list[Extraction | str]]:
            return client.submit(
                extract_chunk, chunk, model, extractors, min_confidence, pure=False
            ).result

        yield from _ordered(documents, submit, workers * WINDOW_PER_WORKER, on_error)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
