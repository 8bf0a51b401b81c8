"""HTTP connections that cannot be held open: a request must arrive in time.

uvicorn closes a kept-alive connection that stays idle after a response, but not a
connection that never sends a whole request: one that sends nothing, half its headers
or half its body is kept for ever, and a few thousand of them starve the server
(slowloris). :class:`TimedH11Protocol` gives every request ``request_timeout``
seconds from its first byte (or from the connection's start) to arrive in full,
headers and body, and closes the connection otherwise.

    >>> uvicorn.Config(app, http=protocol(request_timeout=10))   # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

#: Seconds a client has to send a whole request (headers and body).
REQUEST_TIMEOUT = 10.0
#: Seconds an idle kept-alive connection stays open after a response.
KEEP_ALIVE_TIMEOUT = 5


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with a deadline for receiving each request."""

    def __init__(self, *args: Any, request_timeout: float = REQUEST_TIMEOUT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_timeout = request_timeout
        self._request_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_request_timer()  # a connection that sends nothing is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_request_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._request_timer is None and self.conn.their_state is not h11.DONE:
            self._start_request_timer()
        super().data_received(data)
        if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR):
            self._stop_request_timer()  # the whole request is in

    def _start_request_timer(self) -> None:
        self._stop_request_timer()
        self._request_timer = self.loop.call_later(self.request_timeout, self._request_too_slow)

    def _stop_request_timer(self) -> None:
        if self._request_timer is not None:
            self._request_timer.cancel()
            self._request_timer = None

    def _request_too_slow(self) -> None:
        self._request_timer = None
        if self.conn.their_state is h11.DONE or self.transport.is_closing():
            return
        self.transport.close()  # connection_lost tells a waiting app "http.disconnect"


def protocol(request_timeout: float = REQUEST_TIMEOUT) -> Any:
    """The protocol factory to give ``uvicorn.Config(http=...)``."""
    return functools.partial(TimedH11Protocol, request_timeout=request_timeout)
