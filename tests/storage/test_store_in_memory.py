"""The in-memory Oxigraph store a one-off `kg build -o FILE` uses: same graph, same files."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kg.graph import KnowledgeGraph
from kg.storage.oxigraph import OxigraphStore

from .conftest import quads

#: Builds graphs with the spaCy model.
pytestmark = pytest.mark.slow


def _file_triples(path: Path) -> set[tuple[str, str, str]]:
    graph = Graph()
    graph.parse(path)
    return {(s.n3(), p.n3(), o.n3()) for s, p, o in graph}


def _file_quads(path: Path) -> set[tuple[str, str, str, str]]:
    dataset = Dataset()
    dataset.parse(path, format="nquads" if path.suffix == ".nq" else "trig")
    return {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in dataset.quads()}  # type: ignore[union-attr]


def test_in_memory_oxigraph_holds_and_saves_the_rdflib_graph(corpus, tmp_path):
    rdflib_graph = KnowledgeGraph.build([corpus])
    oxigraph = KnowledgeGraph(store=OxigraphStore(None))
    oxigraph.add_documents([corpus])
    assert quads(oxigraph) == quads(rdflib_graph)
    assert len(oxigraph) == len(rdflib_graph)
    assert oxigraph.entity_count() == rdflib_graph.entity_count() > 3
    for name in ("g.nt", "g.ttl", "g.nq", "g.trig", "g.jsonld"):
        rdflib_graph.save(tmp_path / f"rdflib-{name}")
        oxigraph.save(tmp_path / name)
        read = _file_quads if name.endswith((".nq", ".trig")) else _file_triples
        assert read(tmp_path / name) == read(tmp_path / f"rdflib-{name}")
    assert "@prefix kg:" in (tmp_path / "g.ttl").read_text(encoding="utf-8")
    oxigraph.close()


def test_kg_build_without_a_store_writes_no_store_directory(corpus, tmp_path, run_cli):
    out = tmp_path / "out" / "g.nt"
    out.parent.mkdir()
    result = run_cli("build", corpus, "-o", out, "-q")
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["g.nt"]
    assert len(_file_triples(out)) > 50
