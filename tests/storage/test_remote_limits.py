"""What a server cuts is an error, never a silent difference: Virtuoso's result row cap
(ResultSetMaxRows; the packaged virtuoso.ini caps at 10,000 rows)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryError
from kg.rdf.namespace import RDFS, graph_iri
from kg.storage.base import Batch
from kg.storage.remote import RemoteStore

from .virtuoso import Virtuoso, installed, virtuoso_server

#: Starts a Virtuoso server of its own.
pytestmark = pytest.mark.slow

CAP = 20


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory, virtuoso_instance: Virtuoso) -> Iterator[str]:
    """A second server whose results stop at CAP rows (needs the first: same install check)."""
    assert installed()
    with virtuoso_server(tmp_path_factory.mktemp("capped"), max_rows=CAP) as server:
        yield server.sparql


def test_a_cut_result_is_an_error_that_says_how_to_lift_the_cap(capped):
    store = RemoteStore(capped)
    graph = graph_iri("many")
    triples = [(URIRef(f"urn:x:s{i}"), RDFS.label, Literal(f"label {i}")) for i in range(CAP * 2)]
    store.write(Batch(graphs={graph: triples}, fresh={graph}))
    few = store.query(f"SELECT ?s WHERE {{ ?s rdfs:label ?n }} LIMIT {CAP - 1}")
    assert len(few.rows) == CAP - 1
    with pytest.raises(QueryError, match=f"cut the result at {CAP} rows .*ResultSetMaxRows"):
        store.query("SELECT ?s ?n WHERE { ?s rdfs:label ?n }")
    with pytest.raises(QueryError, match="ResultSetMaxRows"):
        store.snapshot()
