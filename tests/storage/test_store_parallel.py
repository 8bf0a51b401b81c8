"""--workers N and the Dask backend give exactly the graph one process gives."""

from __future__ import annotations

import pytest

from kg.graph import KnowledgeGraph

from .conftest import quads

#: Builds graphs with the spaCy model (in this process or through the CLI).
pytestmark = pytest.mark.slow


@pytest.fixture()
def bigger_corpus(corpus, seeds_dir):
    for seed in sorted(seeds_dir.glob("*.txt")):
        (corpus / seed.name).write_text(seed.read_text("utf-8"), "utf-8")
    return corpus


def test_two_workers_give_the_same_graph_as_one(bigger_corpus):
    one = KnowledgeGraph(batch_size=2)
    one.add_documents([bigger_corpus])
    two = KnowledgeGraph(batch_size=2, workers=2)
    report = two.add_documents([bigger_corpus])
    assert report.processed == 5 and report.failed == 0
    assert quads(two) == quads(one)


def test_dask_local_cluster_gives_the_same_graph(bigger_corpus, tmp_path):
    from dask.distributed import LocalCluster

    one = KnowledgeGraph()
    one.add_documents([bigger_corpus])
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        with KnowledgeGraph.open(tmp_path / "store", dask=cluster.scheduler_address) as graph:
            report = graph.add_documents([bigger_corpus])
            assert report.processed == 5 and report.failed == 0
            assert quads(graph) == quads(one)


def test_a_document_over_the_model_limit_goes_through_workers_in_windows(bigger_corpus):
    (bigger_corpus / "huge.txt").write_text("word " * 300_000, "utf-8")  # over nlp.max_length
    messages: list[str] = []
    graph = KnowledgeGraph(workers=2)
    report = graph.add_documents([bigger_corpus], on_error=messages.append)
    assert report.processed == 6 and report.failed == 0, messages
    assert messages == []


def test_unreachable_scheduler_is_a_clear_error(bigger_corpus):
    from kg.errors import KGError

    with pytest.raises(KGError, match="cannot reach the scheduler"):
        KnowledgeGraph(dask="tcp://127.0.0.1:9").add_documents([bigger_corpus])
