"""Run queries for the server: in worker processes that are killed when a limit is reached.

A thin layer over :class:`kg.sparql.workers.QueryPool`: the server's limits (time,
result size, memory) and its number of workers. A query that runs out of time gets a
:class:`~kg.errors.QueryLimitError` (HTTP 503) and its worker is killed, so no
query outlives its limit and a runaway one (a cross join, a regular expression that
backtracks for ever) never slows the pages down.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from kg.sparql.workers import MEMORY, SIZE, TIME, Limits, QueryPool, limit_error

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.sparql.run import QueryDataset, QueryResult

T = TypeVar("T")

#: Worker processes per served store: a slow query leaves one free for the pages.
WORKERS = 2


class QueryRunner:
    """Runs SPARQL on one KnowledgeGraph under :class:`Limits`, in worker processes."""

    def __init__(
        self,
        graph: KnowledgeGraph,
        limits: Limits | None = None,
        *,
        allow_service: bool = False,
        workers: int = WORKERS,
    ) -> None:
        self.graph = graph
        self.limits = limits or Limits()
        self.allow_service = allow_service
        self.pool = QueryPool(
            graph.store, self.limits, workers=workers, allow_service=allow_service
        )
        self._lock = threading.Lock()

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, object] | None = None,
        *,
        dataset: QueryDataset | None = None,
        base: str | None = None,
    ) -> QueryResult:
        """``graph.query`` with the limits; QueryLimitError when one is exceeded."""
        return self.pool.query(sparql, bindings, dataset=dataset, base=base)

    def start(self) -> None:
        """Start the workers in the background, before the first query needs them."""
        self.pool.start()

    def close(self) -> None:
        self.pool.close()

    def exclusive(self, work: Callable[[], T]) -> T:
        """Call ``work`` (a write: a curation decision) in this process, one at a time and
        never cut short; the query workers are then renewed so they read the result."""
        with self._lock:
            result = work()
            self.pool.renew()
            return result


__all__ = ["MEMORY", "SIZE", "TIME", "Limits", "QueryRunner", "limit_error"]
