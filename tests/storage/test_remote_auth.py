"""Credentials for servers that ask for them: Digest (Virtuoso's /sparql-auth) and Basic (a
proxy in front of `oxigraph serve`, as nginx would be), from the environment or netrc;
never from the command line, never in a message, never sent to a server that does not ask."""

from __future__ import annotations

import base64
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import Literal

from kg.errors import StoreError
from kg.rdf.namespace import KG, RDF, RDFS, document_iri, entity_iri, graph_iri
from kg.storage.base import Batch
from kg.storage.remote import RemoteStore

from .virtuoso import DBA, Virtuoso

SECRET = "s3cret-Pa55"
PERSON = entity_iri("person/ada-lovelace")


def _batch() -> Batch:
    doc = document_iri("auth")
    return Batch(
        graphs={graph_iri("auth"): [(doc, RDF.type, KG.Document), (doc, KG.mentions, PERSON)]},
        labels={
            PERSON: [(PERSON, RDFS.label, Literal("Ada Lovelace")), (PERSON, RDF.type, KG.Person)]
        },
        fresh={graph_iri("auth")},
    )


def _label(store: RemoteStore) -> list[str]:
    return [str(r[0]) for r in store.query("SELECT ?n WHERE { ?e rdfs:label ?n }").rows]


@pytest.fixture()
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("KG_SPARQL_USER", "KG_SPARQL_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    (tmp_path / "no-netrc").write_text("")


class _Proxy(BaseHTTPRequestHandler):
    """Forwards to the server behind it; asks for Basic credentials when told to."""

    target = ""
    user: tuple[str, str] | None = None
    seen: list[str | None] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        header = self.headers.get("Authorization")
        self.seen.append(header)
        if self.user is not None:
            token = base64.b64encode(":".join(self.user).encode()).decode()
            if header != f"Basic {token}":
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="kg"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        path = self.path.split("?", 1)[0]
        request = urllib.request.Request(
            self.target + path,
            data=body,
            headers={
                k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, headers, payload = response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            status, headers, payload = exc.code, exc.headers, exc.read()
        self.send_response(status)
        for name in ("Content-Type", "Server"):
            if headers.get(name):
                self.send_header(name, headers[name])
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def _proxy(target: str, user: tuple[str, str] | None) -> Iterator[tuple[str, list[str | None]]]:
    seen: list[str | None] = []
    handler = type("Handler", (_Proxy,), {"target": target, "user": user, "seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def basic_proxy(oxigraph_server: str) -> Iterator[tuple[str, list[str | None]]]:
    yield from _proxy(oxigraph_server.rsplit("/", 1)[0], ("kg", SECRET))


@pytest.fixture()
def open_proxy(oxigraph_server: str) -> Iterator[tuple[str, list[str | None]]]:
    yield from _proxy(oxigraph_server.rsplit("/", 1)[0], None)


def test_basic_credentials_from_the_environment(basic_proxy, no_credentials, monkeypatch):
    url, seen = basic_proxy
    with pytest.raises(StoreError, match="asks for credentials .*KG_SPARQL_USER") as refused:
        RemoteStore(url)
    assert SECRET not in str(refused.value)
    monkeypatch.setenv("KG_SPARQL_USER", "kg")
    monkeypatch.setenv("KG_SPARQL_PASSWORD", SECRET)
    store = RemoteStore(url)
    store.write(_batch())
    assert _label(store) == ["Ada Lovelace"]
    assert seen[0] is None  # nothing sent before the server asked
    monkeypatch.setenv("KG_SPARQL_PASSWORD", "wrong")
    with pytest.raises(StoreError, match="refused the credentials") as wrong:
        RemoteStore(url)
    assert "wrong" not in str(wrong.value)


def test_basic_credentials_from_netrc(basic_proxy, no_credentials, monkeypatch, tmp_path):
    url, _ = basic_proxy
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login kg password {SECRET}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert _label(_write(RemoteStore(url))) == ["Ada Lovelace"]
    netrc.write_text(f"machine 127.0.0.1 login kg passwd {SECRET} extra\n")
    with pytest.raises(StoreError) as bad:
        RemoteStore(url)
    assert str(netrc) in str(bad.value) and SECRET not in str(bad.value)


def _write(store: RemoteStore) -> RemoteStore:
    store.write(_batch())
    return store


def test_credentials_go_only_to_a_server_that_asks(open_proxy, monkeypatch):
    url, seen = open_proxy
    monkeypatch.setenv("KG_SPARQL_USER", "kg")
    monkeypatch.setenv("KG_SPARQL_PASSWORD", SECRET)
    assert _label(_write(RemoteStore(url))) == ["Ada Lovelace"]
    assert seen and all(header is None for header in seen)


def test_credentials_in_the_url_are_refused_without_showing_them():
    with pytest.raises(StoreError, match="credentials in the URL are not accepted") as refused:
        RemoteStore(f"http://kg:{SECRET}@127.0.0.1:9/sparql")
    assert SECRET not in str(refused.value)


@pytest.mark.slow
def test_digest_credentials_for_virtuoso(
    virtuoso, virtuoso_instance: Virtuoso, no_credentials, monkeypatch
):
    url = virtuoso_instance.sparql_auth
    with pytest.raises(StoreError, match=r"asks for credentials \(HTTP 401, Digest\)"):
        RemoteStore(url)
    monkeypatch.setenv("KG_SPARQL_USER", DBA[0])
    monkeypatch.setenv("KG_SPARQL_PASSWORD", DBA[1])
    store = RemoteStore(url)
    assert store.profile.kind == "virtuoso"
    store.write(_batch())
    assert _label(store) == ["Ada Lovelace"]
    assert _label(RemoteStore(virtuoso)) == ["Ada Lovelace"]  # the same data, anonymously


@pytest.mark.slow
def test_the_cli_reads_digest_credentials_from_netrc(
    virtuoso, virtuoso_instance, run_cli, tmp_path, monkeypatch
):
    monkeypatch.delenv("KG_SPARQL_USER", raising=False)
    monkeypatch.delenv("KG_SPARQL_PASSWORD", raising=False)
    RemoteStore(virtuoso).write(_batch())
    url = virtuoso_instance.sparql_auth
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {DBA[0]} password {DBA[1]}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    asked = run_cli("query", "--sparql-endpoint", url, "SELECT ?n WHERE { ?e rdfs:label ?n }")
    assert asked.code == 0 and "Ada Lovelace" in asked.stdout, asked.stderr
    netrc.write_text(f"machine 127.0.0.1 login {DBA[0]} password {SECRET}\n")
    refused = run_cli("stats", "--sparql-endpoint", url)
    assert refused.code == 1 and refused.stderr.count("kg: error:") == 1
    assert "refused the credentials" in refused.stderr
    assert SECRET not in refused.stderr + refused.stdout
    assert "password" not in run_cli("build", "--help").stdout.lower()
