"""The web app: a Starlette application over one KnowledgeGraph, and running it.

    >>> app = create_app(KnowledgeGraph.load("graph.ttl"))           # doctest: +SKIP
    >>> serve_forever(app, host="127.0.0.1", port=8000)               # doctest: +SKIP

Every response carries a strict Content-Security-Policy (scripts, styles and fetches
from this server only), ``nosniff`` and ``no-referrer``, error pages included: an
unexpected exception becomes a one-line 500 (and one line in the log, no traceback).
Requests whose ``Host`` is not this machine are refused while the server listens on a
loopback address (so a web page elsewhere cannot reach it through DNS rebinding). A
client has ``request_timeout`` seconds to send a request and an idle connection is
closed after ``keep_alive`` seconds (:mod:`kg.serve.connections`).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.serve.connections import KEEP_ALIVE_TIMEOUT, REQUEST_TIMEOUT
from kg.serve.runner import WORKERS, Limits

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from kg.graph import KnowledgeGraph

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
#: uvicorn's own error log (stderr under ``kg serve``): one line per failed request.
log = logging.getLogger("uvicorn.error")


@dataclass(frozen=True)
class ServeConfig:
    """How the server behaves: title, limits, SERVICE, which Host headers it answers."""

    title: str = "Knowledge graph"
    limits: Limits = field(default_factory=Limits)
    allow_service: bool = False
    #: Host names accepted in requests; empty means any (a server on a public address).
    allowed_hosts: tuple[str, ...] = LOOPBACK_NAMES
    #: Largest query accepted, in bytes (URL parameter or request body).
    max_query_bytes: int = 100_000
    #: Worker processes that run queries (a slow query leaves the others to the pages).
    workers: int = WORKERS
    #: Seconds a client has to send a whole request; seconds an idle connection stays open.
    request_timeout: float = REQUEST_TIMEOUT
    keep_alive: int = KEEP_ALIVE_TIMEOUT
    #: Curation from the explorer (``kg serve --edit``); the SPARQL endpoint stays read-only.
    edit: bool = False
    #: A graph file to rewrite after each decision (a store keeps them itself).
    save_to: Path | None = None


def create_app(graph: KnowledgeGraph, config: ServeConfig | None = None) -> Starlette:
    """A Starlette app serving ``graph``: explorer, query page, JSON API and ``/sparql``."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException

    from kg.serve.explore import Explorer
    from kg.serve.routes import routes
    from kg.serve.runner import QueryRunner

    config = config or ServeConfig()
    runner = QueryRunner(
        graph, config.limits, allow_service=config.allow_service, workers=config.workers
    )
    extra = []
    if config.edit:
        from kg.serve.curation import routes as curation_routes

        extra = curation_routes()
    app = Starlette(routes=extra + routes(), exception_handlers={HTTPException: _http_error})
    app.state.config = config
    app.state.runner = runner
    app.state.explorer = Explorer(graph, runner)
    app.add_middleware(Guard, allowed_hosts=config.allowed_hosts)
    return app


async def _http_error(request: Any, exc: Any) -> Any:
    """Starlette's own errors (404, 405) as our one-line ``kg: error:`` text."""
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(
        f"kg: error: {' '.join(str(exc.detail).split())}\n",
        status_code=exc.status_code,
        headers=exc.headers,
    )


def allowed_hosts_for(host: str) -> tuple[str, ...]:
    """Loopback names for a loopback bind address, else () (any Host accepted)."""
    return (*LOOPBACK_NAMES, host) if is_loopback(host) else ()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket (``port`` 0: a free port), for :func:`serve_forever`."""
    from kg.errors import KGError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise KGError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def server_config(app: Any, *, log_level: str = "warning") -> Any:
    """uvicorn's configuration for ``app``: its timeouts, no access log, no lifespan."""
    import uvicorn

    from kg.serve.connections import protocol

    config = getattr(getattr(app, "state", None), "config", None) or ServeConfig()
    return uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        http=protocol(config.request_timeout),
        timeout_keep_alive=config.keep_alive,
    )


def serve_forever(app: Any, sock: socket.socket, *, log_level: str = "warning") -> None:
    """Run ``app`` with uvicorn on an already bound socket until interrupted."""
    import uvicorn

    _start_runner(app)
    try:
        uvicorn.Server(server_config(app, log_level=log_level)).run(sockets=[sock])
    finally:
        _close_runner(app)


def _start_runner(app: Any) -> None:
    runner = getattr(getattr(app, "state", None), "runner", None)
    if runner is not None:
        runner.start()


def _close_runner(app: Any) -> None:
    runner = getattr(getattr(app, "state", None), "runner", None)
    if runner is not None:
        runner.close()


@contextmanager
def running(app: Any, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` from a background thread (tests, notebooks); yields its base URL.

    >>> with running(create_app(graph)) as url:   # doctest: +SKIP
    ...     urllib.request.urlopen(url + "sparql?query=ASK{}").read()
    """
    import uvicorn

    from kg.errors import KGError

    sock = bind_socket(host, port)
    server = uvicorn.Server(server_config(app))
    _start_runner(app)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="kg-serve", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise KGError(f"the server on {host}:{port} did not start")
        time.sleep(0.01)
    try:
        yield url_for(sock)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        _close_runner(app)


def url_for(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


class Guard:
    """ASGI middleware: refuse foreign Host headers, add the security headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str] = LOOPBACK_NAMES) -> None:
        self.app = app
        self.allowed = {h.strip("[]").lower() for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.responses import PlainTextResponse

        started: list[bool] = []
        send = self._with_headers(send, started)
        if self.allowed and _host(scope) not in self.allowed:
            response = PlainTextResponse("kg: error: unknown Host header", status_code=400)
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except Exception as exc:  # a bug: one line in the log, a one-line 500, our headers
            log.error(
                "kg serve: %s %s failed: %s: %s",
                scope.get("method"),
                _printable(scope.get("path", "")),
                type(exc).__name__,
                " ".join(str(exc).split())[:300],
            )
            if not started:
                response = PlainTextResponse(
                    "kg: error: internal error (see the server's log)\n", status_code=500
                )
                await response(scope, receive, send)

    @staticmethod
    def _with_headers(send: Send, started: list[bool]) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.append(True)
                names = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        return wrapped


def _printable(text: str) -> str:
    """A path for the log: control characters escaped, so one request is one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)[:200]


def _host(scope: Scope) -> str:
    """The Host header's name without its port (IPv6 brackets dropped)."""
    for name, value in scope.get("headers", []):
        if name == b"host":
            host = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host[1 : host.find("]")] if "]" in host else host
            return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return ""
