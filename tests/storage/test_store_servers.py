"""The seeds on each tested server (Oxigraph server, Virtuoso) answer as in memory: the
example queries, kg stats and entities, the explorer and its endpoint, every export."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from decimal import Decimal

import networkx
import pytest
from rdflib import Literal

from kg.exporters import export
from kg.graph import KnowledgeGraph
from kg.serve import ServeConfig, create_app
from kg.serve.app import running
from kg.sparql.run import example_queries

from .conftest import quads
from .test_store_queries import BINDINGS

#: Builds graphs with the spaCy model.
pytestmark = pytest.mark.slow


def _cell(cell: object) -> str:
    value = cell.toPython() if isinstance(cell, Literal) else cell
    return str(value.normalize()) if isinstance(value, Decimal) else str(value)


def _normal(rows) -> list[tuple[str, ...]]:
    return sorted(tuple(_cell(c) for c in row) for row in rows)


def _get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def _read(fmt: str, path) -> object:
    if fmt == "graphml":
        return networkx.read_graphml(path)
    return networkx.read_gexf(path)


def _rows(path, fmt: str) -> list[tuple[str, ...]]:
    """A CSV file's lines, or a Cypher script's statements with each UNWIND row apart."""
    text = path.read_text("utf-8")
    if fmt != "cypher":
        return sorted((line,) for line in text.splitlines())
    rows = []
    for statement in text.split(";\n"):
        if statement.startswith("UNWIND [") and "] AS row\n" in statement:
            body, rest = statement[len("UNWIND [") :].split("] AS row\n", 1)
            rows += [(rest, row.strip("{}")) for row in body.split("}, {")]
        else:
            rows.append((statement,))
    return sorted(rows)


def _network(graph: networkx.Graph) -> tuple[set, set]:
    def attrs(data: dict) -> tuple:  # GEXF numbers edges in file order: "id" left out
        return tuple(
            sorted(
                (k, _cell(Decimal(str(v))) if isinstance(v, float) else str(v))
                for k, v in data.items()
                if k != "id"
            )
        )

    nodes = {(n, attrs(d)) for n, d in graph.nodes(data=True)}
    edges = {(u, v, attrs(d)) for u, v, d in graph.edges(data=True)}
    return nodes, edges


def test_the_seeds_on_a_server_answer_as_in_memory(seeds_graph, seeds_dir, sparql_server, tmp_path):
    remote = KnowledgeGraph.connect(sparql_server)
    assert remote.add_documents([seeds_dir]).processed == 2
    assert quads(remote) == quads(seeds_graph)
    # A new client, as kg query or kg serve would be.
    remote = KnowledgeGraph.connect(sparql_server)
    for name, text in sorted(example_queries().items()):
        expected = seeds_graph.query(text).rows
        assert expected, name
        assert _normal(remote.query(text).rows) == _normal(expected), name
    for name, values in BINDINGS.items():
        text = example_queries()[name]
        assert _normal(remote.query(text, values).rows) == _normal(
            seeds_graph.query(text, values).rows
        )
    assert remote.stats() == seeds_graph.stats()
    assert remote.entities() == seeds_graph.entities()
    assert remote.entity_count() == seeds_graph.entity_count()
    assert len(remote) == len(seeds_graph)
    assert sorted(remote.document_ids()) == sorted(seeds_graph.document_ids())
    for fmt in ("graphml", "gexf"):
        ours = export(remote, tmp_path / f"remote.{fmt}", fmt)[0]
        theirs = export(seeds_graph, tmp_path / f"memory.{fmt}", fmt)[0]
        assert _network(_read(fmt, ours)) == _network(_read(fmt, theirs)), fmt
    for fmt in ("csv", "cypher"):  # the same rows; their order follows the store's
        ours = export(remote, tmp_path / f"remote-{fmt}", fmt)
        theirs = export(seeds_graph, tmp_path / f"memory-{fmt}", fmt)
        assert [_rows(p, fmt) for p in ours] == [_rows(p, fmt) for p in theirs], fmt
    jsonld = export(remote, tmp_path / "remote.jsonld", "jsonld")[0]
    assert quads(KnowledgeGraph.load(jsonld)) == quads(seeds_graph)


def test_the_explorer_and_its_endpoint_on_a_server(seeds_dir, sparql_server):
    KnowledgeGraph.connect(sparql_server).add_documents([seeds_dir])
    remote = KnowledgeGraph.connect(sparql_server)
    with running(create_app(remote, ServeConfig(title="server"))) as url:
        found = _get_json(f"{url}api/search?q=stoltenberg")["results"]
        assert found[0]["label"] == "Jens Stoltenberg"
        card = _get_json(f"{url}api/entity?" + urllib.parse.urlencode({"iri": found[0]["iri"]}))
        assert card["type"] == "Person" and "Secretary General" in card["roles"]
        assert any("NATO" in e["sentence"] for e in card["evidence"])
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?d a kg:Document }"
        rows = _get_json(f"{url}sparql?" + urllib.parse.urlencode({"query": query}))
        assert rows["results"]["bindings"][0]["n"]["value"] == "2"


def test_the_cli_on_a_server(seeds_dir, sparql_server, run_cli, tmp_path):
    built = run_cli("build", seeds_dir, "--sparql-endpoint", sparql_server, "-q")
    assert built.code == 0, built.stderr
    stats = run_cli("stats", "--sparql-endpoint", sparql_server)
    assert stats.code == 0 and "Person" in stats.stdout, stats.stderr
    meetings = run_cli("query", "--sparql-endpoint", sparql_server, "--example", "meetings")
    assert meetings.code == 0 and "Vladimir Putin" in meetings.stdout, meetings.stderr
    exported = run_cli(
        "export", "--sparql-endpoint", sparql_server, "-f", "graphml", "-o", tmp_path / "g.graphml"
    )
    assert exported.code == 0 and (tmp_path / "g.graphml").stat().st_size > 0, exported.stderr
    people = run_cli("entities", "--sparql-endpoint", sparql_server, "--type", "Person")
    assert people.code == 0 and "Jens Stoltenberg" in people.stdout, people.stderr
    drawn = run_cli("viz", "--sparql-endpoint", sparql_server, "-o", tmp_path / "g.html")
    assert drawn.code == 0 and "Jens Stoltenberg" in (tmp_path / "g.html").read_text("utf-8")
    documents = KnowledgeGraph.connect(sparql_server).document_ids()
    removed = run_cli("remove", documents[0], "--sparql-endpoint", sparql_server)
    assert removed.code == 0, removed.stderr
    assert KnowledgeGraph.connect(sparql_server).document_ids() == documents[1:]
    wrong = run_cli("stats", "--sparql-endpoint", sparql_server, "--server-kind", "graphdb")
    assert wrong.code == 1 and wrong.stderr.count("kg: error:") == 1
    assert "--server-kind graphdb: valid kinds: virtuoso, oxigraph, fuseki, generic" in wrong.stderr
