"""kg serve on an on-disk store: explorer API and SPARQL endpoint answer from Oxigraph."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from kg.graph import KnowledgeGraph
from kg.serve import ServeConfig, create_app
from kg.serve.app import running

#: Builds graphs with the spaCy model (in this process or through the CLI).
pytestmark = pytest.mark.slow


def get_json(url: str) -> dict:
    request = urllib.request.Request(
        url, headers={"Accept": "application/sparql-results+json, application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_explorer_and_endpoint_on_a_store(corpus, tmp_path):
    with KnowledgeGraph.open(tmp_path / "store") as store:
        store.add_documents([corpus])
        with running(create_app(store, ServeConfig(title="store"))) as url:
            found = get_json(f"{url}api/search?q=merkel")["results"]
            assert found[0]["label"] == "Angela Merkel"
            card = get_json(f"{url}api/entity?" + urllib.parse.urlencode({"iri": found[0]["iri"]}))
            assert card["type"] == "Person" and "Chancellor" in card["roles"]
            assert len(card["documents"]) == 2
            assert any("Vienna" in e["sentence"] for e in card["evidence"])
            query = "SELECT (COUNT(*) AS ?n) WHERE { ?d a kg:Document }"
            rows = get_json(f"{url}sparql?" + urllib.parse.urlencode({"query": query}))
            assert rows["results"]["bindings"][0]["n"]["value"] == "3"


def test_bound_values_cannot_change_a_query_on_a_store(corpus, tmp_path):
    with KnowledgeGraph.open(tmp_path / "store") as store:
        store.add_documents([corpus])
        before = len(store)
        hostile = 'x" } ; DROP ALL ; #'
        result = store.query("SELECT ?e WHERE { ?e rdfs:label ?name }", name=hostile)
        assert result.rows == ()
        assert len(store) == before
        found = store.query("SELECT ?e ?name WHERE { ?e rdfs:label ?name }", name="Angela Merkel")
        assert [str(r[1]) for r in found.rows] == ["Angela Merkel"]
