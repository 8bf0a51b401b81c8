"""A remote store: any SPARQL 1.1 Query + Update endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso).

Queries go to the query endpoint as they are; a batch is POSTed to the update endpoint
as one SPARQL Update request (servers apply one request atomically). The endpoint's
default graph holds the union of the named graphs as a set, written by kg itself (see
:mod:`kg.storage.sparql_update`), so no server setting is needed; do not run the server
with a "union default graph" option.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from rdflib import Dataset
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from kg.errors import StoreError
from kg.rdf.namespace import bind_prefixes
from kg.storage.base import Batch, GraphStore, Quad
from kg.storage.sparql_update import batch_update, delta_update

TIMEOUT_SECONDS = 300


def update_endpoint_for(query_url: str) -> str:
    """The update endpoint next to a query endpoint: ``…/query`` → ``…/update``, else the same URL."""
    if query_url.rstrip("/").endswith("/query"):
        return query_url.rstrip("/")[: -len("query")] + "update"
    return query_url


class RemoteStore(GraphStore):
    """The graph in a SPARQL server reached over HTTP."""

    writes_behind = True  # the request waits on the network, not on Python

    def __init__(self, query_url: str, update_url: str | None = None) -> None:
        if not query_url.startswith(("http://", "https://")):
            raise StoreError(f"{query_url}: not an http(s) SPARQL endpoint URL")
        self.query_url = query_url
        self.update_url = update_url or update_endpoint_for(query_url)
        self.dataset: Dataset = bind_prefixes(
            Dataset(store=SPARQLStore(query_url, returnFormat="json"), default_union=True)
        )
        self._copy: Dataset | None = None
        self._check_reachable()

    def _check_reachable(self) -> None:
        """One ASK, so a wrong URL or a server that is down is one clear error up front."""
        url = (
            self.query_url
            + ("&" if "?" in self.query_url else "?")
            + urllib.parse.urlencode({"query": "ASK {}"})
        )
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise StoreError(
                f"{self.query_url}: not a SPARQL query endpoint (HTTP {exc.code} to ASK {{}})"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{self.query_url}: cannot reach the endpoint: {reason}") from exc

    def write(self, batch: Batch) -> None:
        if not batch:
            return
        self._post_update(batch_update(batch))

    def apply_delta(self, removed: Iterable[Quad], added: Iterable[Quad]) -> None:
        self.wait()
        text = delta_update(removed, added)
        if text:
            self._post_update(text)

    def _post_update(self, text: str) -> None:
        """POST one SPARQL Update request (the server applies it atomically)."""
        self._copy = None
        request = urllib.request.Request(
            self.update_url,
            data=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:300]
            raise StoreError(
                f"{self.update_url}: update refused: HTTP {exc.code} {detail}"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{self.update_url}: cannot reach the endpoint: {reason}") from exc

    def read_view(self) -> Dataset:
        """A local copy of every quad (one query), for walks that would be one request per step."""
        if self._copy is None:
            self._copy = self.snapshot()
        return self._copy

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        return int(str(rows[0][0])) if rows and rows[0][0] is not None else 0
