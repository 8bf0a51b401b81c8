"""Queries in worker processes that can be stopped: past its limit a query is killed.

Neither engine can be interrupted from outside: rdflib evaluates in Python (and a
regular expression such as ``(a+)+$`` runs inside ``re`` holding the GIL, freezing
every thread of the process), Oxigraph in Rust threads. So each query runs in a
worker process of its own store, and a query that runs out of time or memory is
ended with SIGKILL; its worker is replaced and nothing of its work goes on.

- An in-memory graph (or a remote endpoint) reaches its workers by ``fork``: they share
  the parent's pages, and a new worker starts in milliseconds. Each closes the file
  descriptors it inherited (client connections, the listening socket), so it never
  keeps a connection of the server open.
- An Oxigraph store is opened read-only by freshly started workers (``python -m
  kg.sparql.workers``, never a re-import of the caller's script), from the newest
  snapshot (:mod:`kg.storage.snapshots`): no RocksDB state is ever shared across a
  fork, and each query first moves to the newest snapshot a build published.
- Memory: a query whose worker grows by more than ``Limits.max_memory_mb`` (resident
  memory, polled while it runs) is killed too; a worker that kept that much after a
  query is replaced.

    >>> with QueryPool(graph.store, Limits(timeout=5)) as pool:        # doctest: +SKIP
    ...     pool.query("SELECT * WHERE { ?s ?p ?o } LIMIT 3").rows
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import kg.errors
from kg.errors import KGError, QueryError, QueryLimitError
from kg.sparql.run import QueryDataset, QueryResult, graph_of

if TYPE_CHECKING:
    from kg.storage.base import GraphStore

#: ``QueryLimitError.limit`` values, for the HTTP layer to choose a status.
TIME = "time"
SIZE = "size"
MEMORY = "memory"
#: Longest wait for a worker to start (a spawned one imports rdflib and opens the store).
START_SECONDS = 120.0
POLL_SECONDS = 0.05
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Limits:
    """Per-query limits: seconds of work, rows (or triples) of result, memory of the worker.

    ``max_memory_mb`` is how much a worker may grow while it runs one query (None: no limit).
    """

    timeout: float = 15.0
    max_results: int = 50_000
    max_memory_mb: int | None = 1024


def limit_error(message: str, limit: str) -> QueryLimitError:
    error = QueryLimitError(message)
    error.limit = limit  # type: ignore[attr-defined]
    return error


@dataclass(frozen=True)
class Task:
    """One query, as it crosses to a worker (picklable)."""

    sparql: str
    bindings: tuple[tuple[str, object], ...] = ()
    allow_service: bool = False
    dataset: QueryDataset | None = None
    base: str | None = None
    max_results: int = 50_000


class QueryPool:
    """Worker processes for one store, each running one query at a time under :class:`Limits`.

    A query waits for a free worker at most ``timeout`` seconds (then a ``server busy``
    QueryLimitError), then runs at most ``timeout`` seconds.
    """

    def __init__(
        self,
        store: GraphStore,
        limits: Limits | None = None,
        *,
        workers: int = 1,
        allow_service: bool = False,
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.store = store
        self.limits = limits or Limits()
        self.allow_service = allow_service
        self.workers = workers
        self._slots: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(workers):
            self._slots.put(None)
        self._all: set[_Worker] = set()
        self._guard = threading.Lock()
        self._closed = False
        if store.reader_opener() is None:
            _ready_to_fork()  # now, on this thread, before any server thread runs

    # -- use -------------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, object] | None = None,
        *,
        dataset: QueryDataset | None = None,
        base: str | None = None,
    ) -> QueryResult:
        """Run ``sparql`` in a worker; QueryLimitError when a limit is exceeded."""
        task = Task(
            sparql,
            tuple((bindings or {}).items()),
            self.allow_service,
            dataset,
            base,
            self.limits.max_results,
        )
        timeout = self.limits.timeout
        try:
            slot = self._slots.get(timeout=timeout)
        except queue.Empty:
            raise limit_error(
                f"server busy: the query waited {timeout:g} s for earlier queries; try again",
                TIME,
            ) from None
        worker = slot
        try:
            if worker is not None and not worker.alive():
                self._stop(worker)
                worker = None
            if worker is None:
                worker = self._start()
            outcome = worker.run(task, timeout, self.limits.max_memory_mb)
            if worker.grown_mb() > (self.limits.max_memory_mb or float("inf")):
                self._stop(worker)  # kept too much from this query: a fresh one next time
                worker = None
            return outcome
        except _WorkerLost as lost:
            self._stop(lost.worker)
            worker = None
            raise lost.error from None
        finally:
            self._slots.put(worker)

    def start(self) -> None:
        """Start the workers now, in the background (otherwise the first queries do)."""

        def warm() -> None:
            for _ in range(self.workers):  # one slot at a time: queries may use the others
                try:
                    slot = self._slots.get(timeout=START_SECONDS)
                except queue.Empty:
                    return
                try:
                    if slot is None or not slot.alive():
                        slot = self._start()
                except KGError:
                    slot = None  # the first query that needs it reports why
                finally:
                    self._slots.put(slot)
                if slot is None:
                    return

        threading.Thread(target=warm, name="kg-query-warm", daemon=True).start()

    def renew(self) -> None:
        """Replace every worker after the store changed in this process (a curation
        decision): waits for running queries, then the next queries start fresh workers
        that read the new state."""
        taken = [self._slots.get() for _ in range(self.workers)]
        for worker in taken:
            if worker is not None:
                self._stop(worker)
        for _ in taken:
            self._slots.put(None)

    def pids(self) -> list[int]:
        """Process ids of the running workers (for tests and monitoring)."""
        with self._guard:
            return [w.process.pid for w in self._all if w.alive() and w.process.pid]

    def close(self) -> None:
        """Stop every worker."""
        with self._guard:
            self._closed = True
            workers = list(self._all)
        for worker in workers:
            self._stop(worker)

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- workers ----------------------------------------------------------------------------

    def _start(self) -> _Worker:
        with self._guard:
            if self._closed:
                raise QueryError("the query service is closed")
        opener = self.store.reader_opener()
        worker = _Worker.start(self.store, opener)
        with self._guard:
            self._all.add(worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        worker.kill()
        with self._guard:
            self._all.discard(worker)


class _WorkerLost(Exception):
    """A worker was killed (a limit) or died; the query's error to raise."""

    def __init__(self, worker: _Worker, error: KGError) -> None:
        super().__init__(str(error))
        self.worker = worker
        self.error = error


class _Process(Protocol):
    """What the pool needs of a worker process, forked or started fresh."""

    @property
    def pid(self) -> int | None: ...

    @property
    def exitcode(self) -> int | None: ...

    def is_alive(self) -> bool: ...

    def kill(self) -> None: ...

    def join(self, timeout: float | None = None) -> None: ...


class _Fresh:
    """A worker started as ``python -m kg.sparql.workers FD`` (see :func:`_spawn`)."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen

    @property
    def pid(self) -> int | None:
        return self.popen.pid

    @property
    def exitcode(self) -> int | None:
        return self.popen.poll()

    def is_alive(self) -> bool:
        return self.popen.poll() is None

    def kill(self) -> None:
        self.popen.kill()

    def join(self, timeout: float | None = None) -> None:
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            pass


def _fork(store: GraphStore) -> tuple[_Process, Connection]:
    """A worker forked from this process: it inherits ``store`` as it is in memory."""
    _ready_to_fork()
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(
        target=_main, args=(child, None, store), name="kg-query-worker", daemon=True
    )
    with _FORKING, warnings.catch_warnings():  # one fork at a time: a child never
        warnings.simplefilter("ignore", DeprecationWarning)  # inherits another's locks
        process.start()
    child.close()
    return process, parent


_FORK_READY = threading.Lock()
_FORKING = threading.Lock()
_fork_ready = False


def _ready_to_fork() -> None:
    """Import and build rdflib's SPARQL parser here, once, so forked workers start ready.

    Otherwise every new worker would build the grammar again on its first query (a
    second or more), and a query under a short time limit could time out on that alone.
    Under a lock: pyparsing's first use is not safe from two threads at once.
    """
    global _fork_ready
    with _FORK_READY:
        if _fork_ready:
            return
        from rdflib.plugins.sparql import prepareQuery

        prepareQuery("ASK { ?s ?p ?o FILTER(REGEX(STR(?o), 'x')) }")
        _fork_ready = True


def _spawn(opener: Callable[[], GraphStore]) -> tuple[_Process, Connection]:
    """A fresh interpreter running this module, given ``opener`` over a socket pair."""
    ours, theirs = socket.socketpair()
    root = str(Path(__file__).resolve().parents[2])  # the folder holding the kg package
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    try:
        popen = subprocess.Popen(
            [sys.executable, "-m", "kg.sparql.workers", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env=env,
        )
    finally:
        theirs.close()
    connection = Connection(ours.detach())
    connection.send_bytes(pickle.dumps(opener))
    return _Fresh(popen), connection


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, process: _Process, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.started_rss = 0

    @classmethod
    def start(cls, store: GraphStore, opener: Callable[[], GraphStore] | None) -> _Worker:
        process, parent = _fork(store) if opener is None else _spawn(opener)
        worker = cls(process, parent)
        if not parent.poll(START_SECONDS):
            worker.kill()
            raise QueryError(f"the query worker did not start within {START_SECONDS:g} s")
        try:
            message = parent.recv()
        except (EOFError, OSError):
            worker.kill()
            raise QueryError(
                f"the query worker stopped while starting (exit code {process.exitcode})"
            ) from None
        if message[0] != "ready":
            worker.kill()
            raise _error_from(message)
        worker.started_rss = worker.rss()
        return worker

    def alive(self) -> bool:
        return self.process.is_alive()

    def rss(self) -> int:
        """Resident memory of the worker, in bytes (0 when unknown)."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as handle:
                return int(handle.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            return 0

    def grown_mb(self) -> float:
        return max(0, self.rss() - self.started_rss) / 2**20

    def run(self, task: Task, timeout: float, max_memory_mb: int | None) -> QueryResult:
        """Send ``task``, wait for the answer within the limits; the answer as a result."""
        before = self.rss()
        try:
            self.connection.send(task)
        except (OSError, ValueError) as exc:
            raise _WorkerLost(self, QueryError(f"the query worker is gone: {exc}")) from exc
        deadline = time.monotonic() + timeout
        while not self.connection.poll(POLL_SECONDS):
            if not self.alive():
                raise _WorkerLost(self, self._died())
            if time.monotonic() > deadline:
                raise _WorkerLost(
                    self,
                    limit_error(
                        f"query timed out after {timeout:g} s and was stopped; narrow it or add a LIMIT",
                        TIME,
                    ),
                )
            if max_memory_mb is not None and before and self.rss() - before > max_memory_mb * 2**20:
                raise _WorkerLost(
                    self,
                    limit_error(
                        f"query stopped: it needed more than {max_memory_mb:,} MB of memory; "
                        "narrow it or add a LIMIT",
                        MEMORY,
                    ),
                )
        try:
            message = self.connection.recv()
        except (EOFError, OSError):
            raise _WorkerLost(self, self._died()) from None
        if message[0] != "ok":
            raise _error_from(message)
        return _unpacked(message[1])

    def _died(self) -> QueryError:
        self.process.join(1)
        return QueryError(
            f"the query worker stopped unexpectedly (exit code {self.process.exitcode}); try again"
        )

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        try:
            self.connection.close()
        except OSError:
            pass


# --- in the worker ---------------------------------------------------------------------------


def _main(
    connection: Connection,
    opener: Callable[[], GraphStore] | None,
    store: GraphStore | None = None,
) -> None:
    """A worker's life: open the store, answer tasks until the pipe closes."""
    if opener is None:
        _close_inherited_files(keep=connection.fileno())
    try:
        if opener is not None:
            store = opener()
        assert store is not None
        connection.send(("ready",))
    except BaseException as exc:  # reported to the parent, which raises it
        connection.send(_error_message(exc))
        os._exit(1)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            os._exit(0)
        try:
            store.refresh()
            result = store.query(
                task.sparql,
                dict(task.bindings),
                allow_service=task.allow_service,
                dataset=task.dataset,
                base=task.base,
            )
            if len(result) > task.max_results:
                unit = "triples" if result.graph is not None else "rows"
                raise limit_error(
                    f"result too large: {len(result):,} {unit}, more than the "
                    f"{task.max_results:,} allowed; add a LIMIT or narrow the query",
                    SIZE,
                )
            message: tuple[Any, ...] = ("ok", _packed(result))
        except BaseException as exc:
            message = _error_message(exc)
        try:
            connection.send(message)
        except (OSError, ValueError):
            os._exit(0)


def _fresh_main(fd: int) -> None:
    """``python -m kg.sparql.workers FD``: read the opener, then serve like a forked worker."""
    connection = Connection(fd)
    try:
        opener = pickle.loads(connection.recv_bytes())
    except (EOFError, OSError, pickle.UnpicklingError):
        os._exit(1)
    _main(connection, opener)


def _close_inherited_files(keep: int) -> None:
    """Let go of what a fork inherited (the server's sockets, files), but stdio and the pipe.

    Each descriptor is pointed at /dev/null rather than closed: the connection is
    released, and an inherited object that closes "its" descriptor later cannot close
    a new file that happens to get the same number.
    """
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for name in names:
        fd = int(name)
        if fd > 2 and fd not in (keep, null):
            try:
                os.dup2(null, fd)
            except OSError:
                pass
    os.close(null)


def _packed(result: QueryResult) -> tuple[Any, ...]:
    """A result as plain tuples (a CONSTRUCT graph as its triples)."""
    if result.graph is not None:
        return (result.kind, (), (), None, tuple(result.graph))
    return (result.kind, result.variables, result.rows, result.boolean, None)


def _unpacked(packed: tuple[Any, ...]) -> QueryResult:
    kind, variables, rows, boolean, triples = packed
    if triples is not None:
        return QueryResult(kind, graph=graph_of(triples))
    return QueryResult(kind, variables, rows, boolean)


def _error_message(exc: BaseException) -> tuple[str, str, str, str | None]:
    if isinstance(exc, KGError):
        return ("error", type(exc).__name__, str(exc), getattr(exc, "limit", None))
    return ("error", "QueryError", f"SPARQL query failed: {type(exc).__name__}: {exc}", None)


def _error_from(message: tuple[Any, ...]) -> KGError:
    _, name, text, limit = message
    kind = getattr(kg.errors, name, None)
    if not (isinstance(kind, type) and issubclass(kind, KGError)) or kind in (
        kg.errors.ParameterError,
        kg.errors.MissingExtraError,
        kg.errors.DocumentError,
    ):
        kind = QueryError
    error = kind(text)
    if limit is not None:
        error.limit = limit  # type: ignore[attr-defined]
    return error


__all__ = ["Limits", "QueryPool", "Task", "limit_error"]

if __name__ == "__main__":
    _fresh_main(int(sys.argv[1]))
