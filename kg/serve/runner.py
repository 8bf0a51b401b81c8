"""Run queries for the server: one at a time, within a time limit and a result-size limit.

rdflib's evaluation is pure Python and cannot be told to stop, so each query runs in
a thread of its own; when the time is up the thread is sent an exception
(``PyThreadState_SetAsyncExc``) that unwinds it at its next bytecode, and the caller
gets a :class:`~kg.errors.QueryLimitError`. Queries are serialized by a lock (rdflib
is not safe for concurrent queries); a caller that cannot get the lock within the
time limit gets a QueryLimitError too, so a burst of clients waits rather than fails.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from kg.errors import QueryLimitError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.sparql.run import QueryResult

T = TypeVar("T")

#: ``QueryLimitError.limit`` values, for the HTTP layer to choose a status.
TIME = "time"
SIZE = "size"
#: After a timeout, how long to wait for the cancelled thread before giving up on it.
CANCEL_GRACE_SECONDS = 5.0


class _Cancelled(BaseException):
    """Raised inside a query thread whose time is up (not an Exception: no one catches it)."""


@dataclass(frozen=True)
class Limits:
    """Per-query limits: seconds of work and rows (or triples) of result."""

    timeout: float = 15.0
    max_results: int = 50_000


def limit_error(message: str, limit: str) -> QueryLimitError:
    error = QueryLimitError(message)
    error.limit = limit  # type: ignore[attr-defined]
    return error


class QueryRunner:
    """Runs SPARQL (and other graph work) on one KnowledgeGraph under :class:`Limits`."""

    def __init__(
        self, graph: KnowledgeGraph, limits: Limits | None = None, *, allow_service: bool = False
    ) -> None:
        self.graph = graph
        self.limits = limits or Limits()
        self.allow_service = allow_service
        self._lock = threading.Lock()

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None) -> QueryResult:
        """``graph.query`` with the limits; QueryLimitError when one is exceeded."""
        result = self.run(
            lambda: self.graph.query(sparql, bindings, allow_service=self.allow_service)
        )
        if len(result) > self.limits.max_results:
            unit = "triples" if result.graph is not None else "rows"
            raise limit_error(
                f"result too large: {len(result):,} {unit}, more than the "
                f"{self.limits.max_results:,} allowed; add a LIMIT or narrow the query",
                SIZE,
            )
        return result

    def exclusive(self, work: Callable[[], T]) -> T:
        """Call ``work`` with the graph lock held and no time limit (a write: never cut short)."""
        with self._lock:
            return work()

    def run(self, work: Callable[[], T]) -> T:
        """Call ``work`` with the graph lock held and the time limit applied."""
        timeout = self.limits.timeout
        start = time.monotonic()
        if not self._lock.acquire(timeout=timeout):
            raise limit_error(
                f"server busy: the query waited {timeout:g} s for earlier queries; try again",
                TIME,
            )
        try:
            return _call_with_timeout(
                work, max(timeout - (time.monotonic() - start), 0.01), allowed=timeout
            )
        finally:
            self._lock.release()


def _call_with_timeout(work: Callable[[], T], timeout: float, *, allowed: float) -> T:
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except _Cancelled:
            outcome["cancelled"] = True
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="kg-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        _cancel(thread)
        raise limit_error(f"query timed out after {allowed:g} s; narrow it or add a LIMIT", TIME)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _cancel(thread: threading.Thread) -> None:
    """Raise _Cancelled in ``thread`` until it ends (code may swallow one), for a while."""
    deadline = time.monotonic() + CANCEL_GRACE_SECONDS
    while thread.is_alive() and time.monotonic() < deadline:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread.ident or 0), ctypes.py_object(_Cancelled)
        )
        thread.join(0.05)
