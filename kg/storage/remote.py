"""A remote store: a SPARQL 1.1 Query + Update server (Oxigraph server and Virtuoso tested).

kg writes named graphs only, keeps the union of the document graphs and the entities
graph as a set in a named graph of its own (:data:`~kg.storage.remote_write.UNION_GRAPH`)
and reads that graph as every query's default graph: named by ``default-graph-uri``
when the query has no GRAPH pattern, else by rewriting the query into
``GRAPH <union> { ... }`` (:mod:`kg.storage.query_scope`; with ``default-graph-uri``,
Oxigraph hides every named graph, as the protocol says, and Virtuoso hides those named
by IRI). So a query gives the same rows as in memory, whatever the server's own default
graph is (Virtuoso's is a multiset union of every graph, its system graphs included).

What differs between servers is in :mod:`kg.storage.servers` (detected from the
``Server`` header, or given); how a batch is written, and how a batch a stopped build
left half-written is undone, in :mod:`kg.storage.remote_write`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import KGError, ParameterError, QueryError, StoreError
from kg.rdf.files import new_dataset
from kg.rdf.namespace import ENTITIES_GRAPH
from kg.sparql.guard import keywords
from kg.sparql.run import QueryDataset, QueryResult, graph_of, plain, run_query
from kg.storage.base import Batch, GraphStore, Quad, StoredDocument
from kg.storage.query_scope import query_form, scoped_to
from kg.storage.remote_write import (
    J_BEGUN,
    J_COMMITTED,
    J_FRESH,
    J_MOVED,
    J_NODE,
    J_STATE,
    JOURNAL,
    STORE_BASE,
    UNION_GRAPH,
    WRITING,
    Journal,
    backup_graph,
    batch_operations,
    clear,
    counts,
    finish_operations,
    marked,
    requests_of,
    rollback_operations,
)
from kg.storage.servers import PROFILES, SERVER_KINDS, ServerProfile, server_profile
from kg.storage.sparql_http import HttpError, SparqlHttp, shown
from kg.storage.sparql_update import union_delta_operations

#: How long to wait for a request of kg's that still runs on the server (the request
#: timeout; ``KG_REMOTE_WRITER_WAIT`` seconds when set: a server whose requests are short).
WAIT_FOR_WRITERS_SECONDS = float(os.environ.get("KG_REMOTE_WRITER_WAIT", "600"))
_log = logging.getLogger("kg.storage.remote")
#: The header Virtuoso sends when it cuts a result at its ResultSetMaxRows.
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
#: run_query's graph argument, unused: the server runs the query.
_NO_GRAPH = Graph()

#: Documents in the store: id, content digest, source file, graph (document graphs only).
DOCUMENTS_QUERY = f"""
SELECT ?g ?id ?digest ?file WHERE {{
  GRAPH ?g {{
    ?d a kg:Document ; dcterms:identifier ?id .
    OPTIONAL {{ ?d kg:contentHash ?digest }}
    OPTIONAL {{ ?d kg:sourceFile ?file }}
  }}
  FILTER({counts("g")} && ?g != <{ENTITIES_GRAPH}>)
}}
"""
#: Every quad of the graphs that count (not the union, the journal or a server's own).
ALL_QUADS = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({counts('g')}) }}"


def update_endpoint_for(query_url: str) -> str:
    """The update endpoint next to a query endpoint: ``…/query`` → ``…/update``, else the same URL."""
    if query_url.rstrip("/").endswith("/query"):
        return query_url.rstrip("/")[: -len("query")] + "update"
    return query_url


class RemoteStore(GraphStore):
    """The graph in a SPARQL server reached over HTTP.

    ``server_kind`` (``virtuoso``, ``oxigraph``, ``fuseki``, ``generic``) says how to
    talk to it; by default it is read from the server's ``Server`` header.
    """

    writes_behind = True  # the request waits on the network, not on Python

    def __init__(
        self, query_url: str, update_url: str | None = None, *, server_kind: str | None = None
    ) -> None:
        if server_kind is not None and server_kind not in PROFILES:
            raise ParameterError(
                "server_kind", server_kind, f"valid kinds: {', '.join(SERVER_KINDS)}"
            )
        self.http = SparqlHttp(query_url, update_url or update_endpoint_for(query_url))
        self.query_url = self.http.query_url
        self.update_url = self.http.update_url
        self.profile: ServerProfile = self._connect(server_kind)
        self._copy: Dataset | None = None
        self._recovered = False

    # -- connecting --------------------------------------------------------------------

    def _connect(self, server_kind: str | None) -> ServerProfile:
        """One ASK, so a wrong URL or a server that is down is one clear error up front;
        its headers name the server."""
        try:
            response = self.http.query("ASK {}", RESULTS_JSON)
        except HttpError as exc:
            raise StoreError(
                f"{exc.url}: not a SPARQL query endpoint (HTTP {exc.status} to ASK {{}})"
            ) from None
        return server_profile(server_kind, response.headers)

    # -- reading -----------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, object] | None = None,
        *,
        allow_service: bool = False,
        dataset: QueryDataset | None = None,
        base: str | None = None,
    ) -> QueryResult:
        """Run SPARQL on the server over the union of all graphs (values bound, never pasted
        in), or over the protocol's ``dataset`` of named graphs."""
        return run_query(
            _NO_GRAPH,
            sparql,
            bindings,
            allow_service=allow_service,
            execute=self._execute,
            dataset=dataset,
            base=base,
        )

    def _execute(self, text: str, dataset: QueryDataset | None = None) -> QueryResult:
        """Run the final query text on the server, over the union graph (or ``dataset``)."""
        form = query_form(text) or "SELECT"
        params: dict[str, Any]
        if dataset is not None:
            params = {
                "default-graph-uri": list(dataset.default),
                "named-graph-uri": list(dataset.named),
            }
        elif "GRAPH" in keywords(text):
            text, params = scoped_to(text, UNION_GRAPH), {}
        else:
            params = {"default-graph-uri": str(UNION_GRAPH)}
        accept = N_TRIPLES if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        try:
            response = self.http.query(text, accept, params)
        except HttpError as exc:
            kind = "refused the query" if exc.status < 500 else "failed on the query"
            raise QueryError(
                f"{exc.url}: the server {kind}: HTTP {exc.status} {exc.detail}"
            ) from None
        if accept == N_TRIPLES:
            triples = _ntriples(response.content)
            self._check_row_cap(response.headers, len(triples))
            return QueryResult(form, graph=graph_of(triples))
        try:
            payload = json.loads(response.content)
        except ValueError as exc:
            raise QueryError(f"{shown(self.query_url)}: not a SPARQL JSON result: {exc}") from None
        if "boolean" in payload:
            return QueryResult("ASK", boolean=bool(payload["boolean"]))
        result = _select_result(payload)
        self._check_row_cap(response.headers, len(result.rows))
        return result

    def _check_row_cap(self, headers: Mapping[str, str], rows: int) -> None:
        cap = headers.get(MAX_ROWS_HEADER)
        if cap is not None and cap.strip().isdigit() and rows >= int(cap):
            raise QueryError(
                f"{shown(self.query_url)}: the server cut the result at {int(cap):,} rows "
                f"({MAX_ROWS_HEADER}); raise its limit (Virtuoso: ResultSetMaxRows in the "
                "[SPARQL] section of virtuoso.ini) or ask for fewer rows"
            )

    def documents(self) -> dict[str, StoredDocument]:
        """The documents in the store, by id (after undoing a batch a stopped build left)."""
        self.recover()
        found: dict[str, StoredDocument] = {}
        for graph, doc_id, digest, file in self.query(DOCUMENTS_QUERY).rows:
            if doc_id is not None:
                found[str(doc_id)] = StoredDocument(
                    str(doc_id),
                    URIRef(str(graph)),
                    str(digest) if digest is not None else None,
                    str(file) if file is not None else None,
                )
        return found

    def snapshot(self) -> Dataset:
        copy = new_dataset()
        for s, p, o, g in self.query(ALL_QUADS).rows:
            if s is not None and p is not None and o is not None and isinstance(g, URIRef):
                copy.graph(g).add((s, p, o))
        return copy

    def read_view(self) -> Dataset:
        """A local copy of every quad (one query), for walks that would be one request per step."""
        if self._copy is None:
            self._copy = self.snapshot()
        return self._copy

    @property
    def dataset(self) -> Dataset:
        """The graph as an rdflib Dataset: the local copy of :meth:`read_view`."""
        return self.read_view()

    @dataset.setter
    def dataset(self, value: Dataset) -> None:
        raise AttributeError("a remote store's dataset is a local copy; write batches instead")

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        return int(str(rows[0][0])) if rows and rows[0][0] is not None else 0

    # -- writing -----------------------------------------------------------------------

    def write(self, batch: Batch) -> None:
        if not batch:
            return
        self._copy = None
        self.recover()
        self._run(batch_operations(batch, self.profile), "update refused")

    def apply_delta(self, removed: Iterable[Quad], added: Iterable[Quad]) -> None:
        """Remove and add single quads (curation), keeping our union graph exact: a removed
        triple leaves it when no document's graph holds it any more."""
        self.wait()
        self._copy = None
        self.recover()
        operations = union_delta_operations(list(removed), list(added), UNION_GRAPH, STORE_BASE)
        if operations:
            self._run(operations, "update refused")

    def recover(self) -> None:
        """Undo the batch a stopped build left half-written (or finish a committed one).

        Runs once per store object, before its first read of the documents or write.
        """
        if self._recovered:
            return
        while True:
            self._wait_for_writers()
            journal = self._journal()
            if journal is None:
                break
            time.sleep(1.0)  # a request received just now may not have marked itself yet
            if not self._writing():
                break
        if journal is not None:
            if journal.state == "committed":
                operations = finish_operations(journal.moved)
            elif journal.state == "begun":
                operations = rollback_operations(journal, self._existing(journal.moved))
            else:
                operations = finish_operations(())
            self._run(operations, "cannot undo the half-written batch of a stopped build")
            self._copy = None
        self._recovered = True

    def _wait_for_writers(self) -> None:
        """Wait while a request of kg's still runs on the server (its client may be dead:
        the server goes on), up to the request timeout; after that its marker is stale
        (the server stopped or failed in the middle) and goes."""
        deadline = time.monotonic() + WAIT_FOR_WRITERS_SECONDS
        told = False
        while self._writing():
            if not told:
                _log.warning(
                    "%s: another kg client's write is marked as running on the server; waiting "
                    "up to %.0f s for it (a client killed mid-request leaves the mark; "
                    "KG_REMOTE_WRITER_WAIT sets the wait)",
                    shown(self.query_url),
                    WAIT_FOR_WRITERS_SECONDS,
                )
                told = True
            if time.monotonic() > deadline:
                self._run([clear(WRITING)], "cannot clear a stale write marker", mark=False)
                return
            time.sleep(0.5)

    def _writing(self) -> bool:
        return bool(self.query(f"ASK {{ GRAPH <{WRITING}> {{ ?s ?p ?o }} }}").boolean)

    def _journal(self) -> Journal | None:
        rows = self.query(
            f"SELECT ?p ?o WHERE {{ GRAPH <{JOURNAL}> {{ <{JOURNAL}> ?p ?o }} }}"
        ).rows
        if not rows:
            return None
        journal = Journal()
        lists = {J_NODE: journal.nodes, J_FRESH: journal.fresh, J_MOVED: journal.moved}
        for predicate, value in rows:
            if predicate == J_STATE and value in (J_BEGUN, J_COMMITTED):
                if journal.state != "committed":
                    journal.state = "committed" if value == J_COMMITTED else "begun"
            elif isinstance(predicate, URIRef) and predicate in lists:
                if isinstance(value, URIRef):
                    lists[predicate].append(value)
        for items in lists.values():
            items.sort()
        return journal

    def _existing(self, graphs: Iterable[URIRef]) -> set[URIRef]:
        """The graphs among ``graphs`` whose backup graph holds triples."""
        found: set[URIRef] = set()
        for graph in graphs:
            asked = self.query(f"ASK {{ GRAPH {backup_graph(graph).n3()} {{ ?s ?p ?o }} }}")
            if asked.boolean:
                found.add(graph)
        return found

    def _run(self, operations: list[str], problem: str, *, mark: bool = True) -> None:
        token = uuid.uuid4().hex
        for request in requests_of(operations, self.profile.max_request_bytes):
            try:
                self.http.update(marked(request, token) if mark else request)
            except HttpError as exc:
                if mark:  # the request stopped with an error: it runs no more
                    with contextlib.suppress(KGError):
                        self.http.update(clear(WRITING))
                raise StoreError(f"{exc.url}: {problem}: HTTP {exc.status} {exc.detail}") from None


def _select_result(payload: dict[str, Any]) -> QueryResult:
    """A SPARQL JSON SELECT result, each distinct term converted once."""
    variables = tuple(payload.get("head", {}).get("vars", ()))
    cache: dict[tuple[str, ...], Node] = {}

    def term(binding: dict[str, str] | None) -> Node | None:
        if binding is None:
            return None
        key = (
            binding.get("type", ""),
            binding.get("value", ""),
            binding.get("datatype", ""),
            binding.get("xml:lang", ""),
        )
        found = cache.get(key)
        if found is None:
            found = cache[key] = _json_term(*key)
        return found

    bindings = payload.get("results", {}).get("bindings", ())
    rows = tuple(tuple(term(row.get(v)) for v in variables) for row in bindings)
    return QueryResult("SELECT", variables, rows)


def _json_term(kind: str, value: str, datatype: str, lang: str) -> Node:
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):  # "typed-literal": Virtuoso's older name
        literal = Literal(value, lang=lang or None, datatype=URIRef(datatype) if datatype else None)
        return plain(literal) or literal
    raise QueryError(f"unknown term type {kind!r} in a SPARQL JSON result")


def _ntriples(body: bytes) -> Graph:
    graph = Graph()
    try:
        graph.parse(data=body.decode("utf-8"), format="nt")
    except Exception as exc:  # rdflib raises several kinds on bad input
        raise QueryError(f"the server's N-Triples cannot be read: {exc}") from None
    return graph
