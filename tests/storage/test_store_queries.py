"""Every example query gives the same rows on the Oxigraph store as in memory, bound or not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal

from kg.graph import KnowledgeGraph
from kg.rdf.namespace import KG
from kg.sparql.run import example_queries

BINDINGS = {
    "evidence": {"name": Literal("Jens Stoltenberg")},
    "evidence_for_fact": {"predicate": KG.leaderOf},
}


@pytest.fixture(scope="module")
def both(seeds_dir, tmp_path_factory):
    memory = KnowledgeGraph.build([seeds_dir])
    store = KnowledgeGraph.open(tmp_path_factory.mktemp("q") / "store")
    store.add_documents([seeds_dir])
    yield memory, store
    store.close()


def _cell(cell: object) -> str:
    value = cell.toPython() if isinstance(cell, Literal) else cell
    return (
        str(value.normalize()) if isinstance(value, Decimal) else str(value)
    )  # Oxigraph: 0.7 for 0.700


def _normal(rows):
    return sorted(tuple(_cell(c) for c in row) for row in rows)


@pytest.mark.parametrize("name", sorted(example_queries()))
def test_example_query_same_rows(both, name):
    memory, store = both
    query = example_queries()[name]
    expected = memory.query(query).rows
    assert expected, f"{name} finds nothing on the seeds"
    assert _normal(store.query(query).rows) == _normal(expected)


@pytest.mark.parametrize("name", sorted(BINDINGS))
def test_bound_example_query_same_rows(both, name):
    memory, store = both
    query = example_queries()[name]
    expected = memory.query(query, BINDINGS[name]).rows
    assert 0 < len(expected) < len(memory.query(query).rows)
    assert _normal(store.query(query, BINDINGS[name]).rows) == _normal(expected)
