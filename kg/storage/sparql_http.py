"""HTTP to a SPARQL server: form POSTs, credentials, one-line errors.

Queries and updates are POSTed as forms (``query=``, ``update=``): every server takes
them, and Virtuoso answers no other kind of query POST. Credentials come from the
environment (``KG_SPARQL_USER`` and ``KG_SPARQL_PASSWORD``) or from a netrc entry for
the server's host (``~/.netrc``, or the file ``NETRC`` names), never from the command
line; they are sent only when the server asks (HTTP 401), with the scheme it asks for
(Basic, or Digest as Virtuoso's ``/sparql-auth`` does), and never appear in messages.
"""

from __future__ import annotations

import netrc
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from requests import PreparedRequest
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from kg.errors import StoreError

USER_VARIABLE = "KG_SPARQL_USER"
PASSWORD_VARIABLE = "KG_SPARQL_PASSWORD"
#: Seconds to wait for an answer (a large update can take minutes on a busy server).
TIMEOUT_SECONDS = 600
CONNECT_SECONDS = 30


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL without credentials in it, else a StoreError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{shown(url)}: not an http(s) SPARQL endpoint URL")
    if parts.username is not None or parts.password is not None:
        raise StoreError(
            f"{shown(url)}: credentials in the URL are not accepted (they would show in "
            f"process lists and logs); set {USER_VARIABLE} and {PASSWORD_VARIABLE}, or "
            "add a netrc entry for the host"
        )
    return url


def shown(url: str) -> str:
    """``url`` without any user name or password in it, for messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(invalid URL)"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def credentials_for(url: str) -> tuple[str, str] | None:
    """(user, password) for ``url``: the environment first, then netrc; None when neither has them."""
    user = os.environ.get(USER_VARIABLE)
    password = os.environ.get(PASSWORD_VARIABLE)
    if user is not None or password is not None:
        if not user or password is None:
            raise StoreError(
                f"set both {USER_VARIABLE} and {PASSWORD_VARIABLE} (only one of them is set)"
            )
        return user, password
    return _netrc_entry(urlsplit(url).hostname or "")


def _netrc_entry(host: str) -> tuple[str, str] | None:
    given = os.environ.get("NETRC")
    path = Path(given) if given else Path.home() / ".netrc"
    if not path.is_file():
        if given:
            raise StoreError(f"{path}: no such netrc file (named by NETRC)")
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as exc:  # its message may quote a token: not shown
        raise StoreError(f"{path}: not a valid netrc file (line {exc.lineno})") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if entry is None:
        return None
    login, _, password = entry
    return (login or "", password or "")


class SparqlHttp:
    """One server's query and update endpoints, over kept-alive HTTP sessions."""

    def __init__(self, query_url: str, update_url: str) -> None:
        self.query_url = check_url(query_url)
        self.update_url = check_url(update_url)
        self._local = threading.local()  # one session per thread (the writer has its own)
        self._auth: AuthBase | None = None
        self._scheme = ""
        self._lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def query(
        self, text: str, accept: str, params: Mapping[str, str] | None = None
    ) -> requests.Response:
        """POST a query; HttpError when the server refuses it."""
        return self.post(self.query_url, {"query": text, **(params or {})}, accept)

    def update(self, text: str) -> None:
        """POST one update request; HttpError when the server refuses it."""
        self.post(self.update_url, {"update": text}, "*/*")

    def post(
        self, url: str, form: Mapping[str, str], accept: str, *, timeout: float = TIMEOUT_SECONDS
    ) -> requests.Response:
        """POST a form; StoreError when the server cannot be reached or wants other credentials."""
        response = self._send(url, form, accept, timeout)
        if response.status_code == 401:
            self._choose_auth(url, response)
            response = self._send(url, form, accept, timeout)
            if response.status_code == 401:
                raise StoreError(f"{shown(url)}: the server refused the credentials (HTTP 401)")
        if response.status_code >= 400:
            raise HttpError(url, response.status_code, response.text)
        return response

    def _send(
        self, url: str, form: Mapping[str, str], accept: str, timeout: float
    ) -> requests.Response:
        try:
            return self.session.post(
                url,
                data=dict(form),
                headers={"Accept": accept},
                auth=self._auth or _NO_AUTH,  # not the netrc Basic requests would add unasked
                timeout=(CONNECT_SECONDS, timeout),
            )
        except requests.exceptions.RequestException as exc:
            raise StoreError(f"{shown(url)}: cannot reach the endpoint: {_reason(exc)}") from None

    def _choose_auth(self, url: str, response: requests.Response) -> None:
        """Credentials in the scheme a 401 asks for (Basic or Digest)."""
        challenge = response.headers.get("WWW-Authenticate", "")
        scheme = challenge.split(" ", 1)[0].lower()
        credentials = credentials_for(url)
        if credentials is None:
            named = f", {challenge.split(' ', 1)[0]}" if scheme else ""
            raise StoreError(
                f"{shown(url)}: the server asks for credentials (HTTP 401{named}); set "
                f"{USER_VARIABLE} and {PASSWORD_VARIABLE}, or add a netrc entry for "
                f"{urlsplit(url).hostname}"
            )
        with self._lock:
            if self._auth is not None and self._scheme == scheme:
                return
            if scheme == "digest":
                self._auth = HTTPDigestAuth(*credentials)
            elif scheme == "basic":
                self._auth = HTTPBasicAuth(*credentials)
            else:
                raise StoreError(
                    f"{shown(url)}: the server asks for {challenge.split(' ', 1)[0] or 'unnamed'} "
                    "authentication; kg speaks Basic and Digest"
                )
            self._scheme = scheme


class HttpError(Exception):
    """An HTTP error status from the server, with the first line of its message."""

    def __init__(self, url: str, status: int, body: str) -> None:
        self.url = shown(url)
        self.status = status
        self.detail = _detail(body)
        super().__init__(f"{self.url}: HTTP {status} {self.detail}")


def _detail(body: str) -> str:
    """The server's message, without the echo of the request Virtuoso appends."""
    text = body.split("\n\nSPARQL query:", 1)[0]
    return " ".join(text.split())[:300]


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in text:
            return marker
    return text[:200]


class _NoAuth(AuthBase):
    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        return request


_NO_AUTH = _NoAuth()
