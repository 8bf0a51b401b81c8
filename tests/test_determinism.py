"""The graph does not depend on how a build is cut up: batch sizes, workers, order, increments."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.graph import KnowledgeGraph

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "bench" / "news_gold" / "dev").glob("bbc-politics-*.txt"))[:3] + sorted(
    (ROOT / "seeds").glob("*.txt")
)


def quads(graph: KnowledgeGraph) -> set[tuple[str, ...]]:
    return {
        tuple(str(t) for t in q) for q in graph.store.snapshot().quads((None, None, None, None))
    }


@pytest.fixture(scope="module")
def one_shot() -> set[tuple[str, ...]]:
    graph = KnowledgeGraph()
    graph.add_documents(ARTICLES)
    return quads(graph)


@pytest.mark.parametrize("batch_size", [1, 2, 256])
def test_batch_size_does_not_change_the_graph(one_shot, batch_size):
    graph = KnowledgeGraph(batch_size=batch_size)
    graph.add_documents(ARTICLES)
    assert quads(graph) == one_shot


def test_two_workers_give_the_same_graph(one_shot):
    graph = KnowledgeGraph(workers=2, batch_size=2)
    graph.add_documents(ARTICLES)
    assert quads(graph) == one_shot


def test_an_incremental_build_in_any_order_equals_a_one_shot_build(one_shot, tmp_path):
    with KnowledgeGraph.open(tmp_path / "store") as graph:
        for article in reversed(ARTICLES):
            graph.add_documents([article])
        graph.add_documents(ARTICLES)  # all unchanged now: nothing moves
        assert quads(graph) == one_shot


def test_a_surname_alone_is_linked_to_the_one_full_name_of_another_document():
    graph = KnowledgeGraph()
    graph.add_text("Trump criticised the alliance on Tuesday.", title="a")
    graph.add_text("Former President Donald Trump spoke in Ohio.", title="b")
    people = {e.label: e for e in graph.entities("Person")}
    assert "Trump" not in people and "Trump" in people["Donald Trump"].aliases
    # a second Trump in full makes the surname ambiguous: the link goes away
    graph.add_text("Melania Trump visited a school.", title="c")
    labels = {e.label for e in graph.entities("Person")}
    assert {"Trump", "Donald Trump", "Melania Trump"} <= labels
