"""Run queries for the server: in worker processes that are killed when a limit is reached.

A thin layer over :class:`kg.sparql.workers.QueryPool`: the server's limits (time,
result size, memory) and its number of workers. A query that runs out of time gets a
:class:`~kg.errors.QueryLimitError` (HTTP 503) and its worker is killed, so no
query outlives its limit and a runaway one (a cross join, a regular expression that
backtracks for ever) never slows the pages down.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from kg.sparql.workers import MEMORY, SIZE, TIME, Limits, QueryPool, limit_error

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.sparql.run import QueryDataset, QueryResult

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


__all__ = ["MEMORY", "SIZE", "TIME", "Limits", "QueryRunner", "limit_error"]
