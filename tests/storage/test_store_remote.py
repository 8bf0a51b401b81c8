"""A remote store: build, query, rebuild and remove against a real `oxigraph serve` and Virtuoso."""

from __future__ import annotations

import pytest

from kg.graph import KnowledgeGraph

from .conftest import quads

#: Builds graphs with the spaCy model (in this process or through the CLI).
pytestmark = pytest.mark.slow


def test_build_query_rebuild_remove_on_a_server(corpus, sparql_server, tmp_path):
    memory = KnowledgeGraph.build([corpus])
    remote = KnowledgeGraph.connect(sparql_server)
    first = remote.add_documents([corpus])
    assert first.processed == 3
    assert quads(remote) == quads(memory)
    people = "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
    assert remote.query(people).rows == memory.query(people).rows
    assert remote.stats() == memory.stats()
    # A second client sees the same graph; rebuilding changes nothing.
    again = KnowledgeGraph.connect(sparql_server).add_documents([corpus])
    assert (again.processed, again.unchanged) == (0, 3)
    assert quads(KnowledgeGraph.connect(sparql_server)) == quads(memory)
    (corpus / "b.txt").write_text("Summit ends\n\nAngela Merkel met Mario Draghi in Rome.", "utf-8")
    changed = KnowledgeGraph.connect(sparql_server)
    assert changed.add_documents([corpus]).processed == 1
    names = {str(r[0]) for r in changed.query(people).rows}
    assert "Mario Draghi" in names
    assert len(changed.document_ids()) == 3
    assert changed.remove_documents(changed.document_ids()) == 3
    assert len(KnowledgeGraph.connect(sparql_server)) == 0


def test_cli_build_and_query_against_the_server(corpus, sparql_server, run_cli):
    built = run_cli("build", corpus, "--sparql-endpoint", sparql_server, "-q")
    assert built.code == 0, built.stderr
    assert "3 processed" in built.stderr
    asked = run_cli(
        "query",
        "--sparql-endpoint",
        sparql_server,
        "SELECT ?n WHERE { ?p a kg:Person ; rdfs:label ?n }",
    )
    assert asked.code == 0 and "Joe Biden" in asked.stdout


def test_unreachable_endpoint_is_one_line(corpus, run_cli):
    run = run_cli("build", corpus, "--sparql-endpoint", "http://127.0.0.1:9/query", "-q")
    assert run.code == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.count("kg: error:") == 1 and "127.0.0.1:9" in run.stderr
