"""kg/network/summary.py: an on-disk store's summary answers the read commands as the live
queries do, is written when a writer closes, and is never trusted for another snapshot
(after a build, ``kg remove``, a curation, or when foreign or of an older store).

The corpus is extracted by hand (tests/curation_corpus.py): no model is loaded.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from curation_corpus import build, d1, d2, d4, iri

from kg.graph import KnowledgeGraph
from kg.model import ENTITY_TYPES
from kg.network import summary
from kg.storage import snapshots

BIDEN, J_BIDEN, NATO = iri("person/joe-biden"), iri("person/j.-biden"), iri("organization/nato")


def _edges(network) -> set[tuple]:  # type: ignore[no-untyped-def]
    return {
        (u, v, k, tuple(sorted(d.items()))) for u, v, k, d in network.edges(keys=True, data=True)
    }


def _answers(graph: KnowledgeGraph) -> dict[str, object]:
    """What the read commands answer (stats, entities, network, neighbours, find)."""
    from kg.network.convert import to_networkx

    network = to_networkx(graph.store, evidence=False)
    return {
        "stats": graph.stats(),
        "entities": {kind: graph.entities(type=kind) for kind in (None, *ENTITY_TYPES)},
        "nodes": dict(network.nodes(data=True)),
        "edges": _edges(network),
        "neighbors": {
            name: graph.neighbors(name)
            for name in ("Joe Biden", "NATO", "Biden", str(NATO), str(J_BIDEN), "nobody")
        },
        "find": {name: graph.find(name) for name in ("biden", "Tony Blair", "nato")},
    }


def _live(graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The same answers from the live queries (no summary)."""
    with monkeypatch.context() as patch:
        patch.setattr(summary, "generation", lambda source: None)
        return _answers(graph)


def _files(store: Path) -> list[str]:
    return sorted(p.name for p in (store / summary.FOLDER).glob("*.sqlite"))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store built from two documents of the corpus, closed (its summary written)."""
    path = tmp_path / "store"
    with KnowledgeGraph.open(path) as graph:
        build(graph, d1(), d2())
    return path


def test_writer_leaves_the_summary_of_its_snapshot(store: Path) -> None:
    newest = snapshots.newest(store)
    assert newest is not None and _files(store) == [f"{newest.name}.sqlite"]


def test_a_writer_that_reopened_its_store_still_leaves_its_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store reopens itself every so many triples (memory); a session whose last write
    ended in a reopen has still written, so its snapshot gets a summary."""
    from kg.storage import oxigraph

    monkeypatch.setattr(oxigraph, "REOPEN_EVERY_TRIPLES", 1)
    path = tmp_path / "store"
    with KnowledgeGraph.open(path) as graph:
        build(graph, d1(), d2())
    newest = snapshots.newest(path)
    assert newest is not None and _files(path) == [f"{newest.name}.sqlite"]


def test_summary_answers_as_the_live_queries(store: Path, monkeypatch) -> None:
    with KnowledgeGraph.open(store, read_only=True) as graph:
        found = summary.stored_summary(graph.store, compute_missing=False)
        assert found is not None
        found.close()
        answers = _answers(graph)
        assert answers == _live(graph, monkeypatch)
    assert answers["stats"]["entities"]["Person"] >= 2  # type: ignore[index]
    assert any(n.relation for n in answers["neighbors"]["NATO"])  # type: ignore[index]


def test_a_writer_with_unpublished_batches_reads_live(store: Path, monkeypatch) -> None:
    from kg.storage import oxigraph

    old = snapshots.newest(store)
    assert old is not None
    with KnowledgeGraph.open(store) as graph:
        assert summary.generation(graph.store) == old.name  # nothing written: the snapshot
        build(graph, d4())  # a first write is published at once
        newest = snapshots.newest(store)
        assert newest is not None and summary.generation(graph.store) == newest.name != old.name
        monkeypatch.setattr(oxigraph, "PUBLISH_EVERY_SECONDS", 1e9)
        graph.remove_documents(["d2"])
        assert summary.generation(graph.store) is None  # not in any snapshot yet
        assert graph.stats() == _live(graph, monkeypatch)["stats"]


def test_build_remove_and_curation_each_leave_a_true_summary(store: Path, monkeypatch) -> None:
    steps = [
        lambda g: g.curate.merge(J_BIDEN, BIDEN, why="the same man"),
        lambda g: build(g, d4()),
        lambda g: g.remove_documents(["d2"]),
        lambda g: g.curate.rename(NATO, "North Atlantic Alliance", why="test"),
    ]
    before = None
    for step in steps:
        with KnowledgeGraph.open(store) as graph:
            step(graph)
        newest = snapshots.newest(store)
        assert newest is not None and f"{newest.name}.sqlite" in _files(store)
        with KnowledgeGraph.open(store, read_only=True) as graph:
            assert graph.store.snapshot_path == newest  # type: ignore[attr-defined]
            answers = _answers(graph)
            assert answers == _live(graph, monkeypatch)
        assert answers != before
        before = answers
    labels = {e.label for e in answers["find"]["nato"]}  # type: ignore[index]
    assert labels == {"North Atlantic Alliance"}
    people = {e.iri for e in answers["entities"]["Person"]}  # type: ignore[index]
    assert len(people & {str(BIDEN), str(J_BIDEN)}) == 1  # merged


def test_a_summary_of_another_snapshot_is_not_trusted(store: Path, monkeypatch) -> None:
    """A stale file under the current snapshot's name (copied, or left by an older
    version) is detected by the generation it holds, and recomputed."""
    old = snapshots.newest(store)
    assert old is not None
    with KnowledgeGraph.open(store) as graph:
        graph.curate.rename(NATO, "The Alliance", why="test")
    new = snapshots.newest(store)
    assert new is not None and new != old
    folder = store / summary.FOLDER
    shutil.copy(folder / f"{old.name}.sqlite", folder / f"{new.name}.sqlite")
    assert summary.Summary.open(folder / f"{new.name}.sqlite", new.name) is None
    with KnowledgeGraph.open(store, read_only=True) as graph:
        assert {e.label for e in graph.find("the alliance")} == {"The Alliance"}
        answers = _answers(graph)
        assert answers == _live(graph, monkeypatch)
    assert summary.Summary.open(folder / f"{new.name}.sqlite", new.name) is not None


def test_a_store_without_summary_computes_it_on_first_use(store: Path, monkeypatch) -> None:
    shutil.rmtree(store / summary.FOLDER)
    with KnowledgeGraph.open(store, read_only=True) as graph:
        assert graph.neighbors("NATO") == _live(graph, monkeypatch)["neighbors"]["NATO"]  # type: ignore[index]
        assert _files(store) == []  # neighbours alone answer live, computing nothing
        stats = graph.stats()
        assert _files(store) == [f"{graph.store.snapshot_path.name}.sqlite"]  # type: ignore[attr-defined]
        assert stats == _live(graph, monkeypatch)["stats"]


def test_summaries_of_removed_snapshots_are_removed(store: Path) -> None:
    first = snapshots.newest(store)
    assert first is not None
    shutil.rmtree(first)  # as snapshots.collect does once newer ones exist
    with KnowledgeGraph.open(store) as graph:
        build(graph, d4())
    newest = snapshots.newest(store)
    assert newest is not None and _files(store) == [f"{newest.name}.sqlite"]


def test_explorer_search_from_the_summary_is_the_network_search(store: Path, monkeypatch) -> None:
    """The explorer answers a name search from the summary's index (before the network
    is read), with the results and order of the search over the network."""
    from kg.serve.explore import Explorer
    from kg.serve.runner import QueryRunner

    queries = ("biden", "Joe Biden", "nato", "gx", "bidn", "putin", "e", "cornwall")
    with KnowledgeGraph.open(store, read_only=True) as graph:
        quick = Explorer(graph, QueryRunner(graph))
        found = {text: quick.search(text, limit=3) for text in queries}
        assert quick._index is not None
        with monkeypatch.context() as patch:
            patch.setattr(summary, "generation", lambda source: None)
            slow = Explorer(graph, QueryRunner(graph))
            assert {text: slow.search(text, limit=3) for text in queries} == found
            assert slow._index is None
    assert found["bidn"] and found["bidn"][0]["match"] == "fuzzy"
    assert [r["label"] for r in found["Joe Biden"]][:1] == ["Joe Biden"]


def test_viz_page_from_the_summary_is_the_live_page(store: Path, monkeypatch) -> None:
    from kg.network.html import render_page

    views: list[dict] = [
        {"top": 3},
        {"focus": "NATO", "hops": 1},
        {},
        {"isolated": True},
        {"types": ["Person", "Location"]},
        {"relations": ["participant"]},
        {"quotes": True, "top": 4},
    ]
    with KnowledgeGraph.open(store, read_only=True) as graph:
        full = graph.to_networkx()  # every entity, with all evidence: the oracle
        shape, _ = graph._view_network({})
        assert shape.graph["unlinked"] == {"Location": 1}  # an entity without facts, counted
        for view in views:
            pages = [render_page(full, **view)]
            for live in (False, True):
                with monkeypatch.context() as patch:
                    if live:
                        patch.setattr(summary, "generation", lambda source: None)
                    shape, evidence = graph._view_network(view)
                    pages.append(render_page(shape, evidence=evidence, **view))
            assert pages[0] == pages[1] == pages[2], view


def _stored(store: Path) -> summary.SummaryData:
    newest = snapshots.newest(store)
    assert newest is not None
    found = summary.Summary.open(store / summary.FOLDER / f"{newest.name}.sqlite", newest.name)
    assert found is not None
    with found:
        return found.data()


def _as_rows(data: summary.SummaryData) -> tuple[object, ...]:
    """Everything a summary holds, in its order (a dict's order compared too)."""
    facts = [(key, f.attrs, f.origin, f.count) for key, f in data.facts.items()]
    return list(data.nodes.items()), facts, data.stats, list(data.ranks.items()), data.open


def test_a_writer_updates_the_summary_it_started_from(store: Path, monkeypatch) -> None:
    """After an added document, a curation and a removed one, the summary each writer
    leaves is updated from the previous one (the nodes its writes changed), and is the
    summary computed from scratch, order and floats included."""
    updates: list[bool] = []
    update = summary.update

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = update(*args, **kwargs)
        updates.append(found is not None)
        return found

    monkeypatch.setattr(summary, "update", spy)
    steps = [
        lambda g: build(g, d4()),
        lambda g: g.curate.merge(J_BIDEN, BIDEN, why="the same man"),
        lambda g: g.remove_documents(["d2"]),
        lambda g: build(g, d2()),
        lambda g: g.curate.rename(NATO, "North Atlantic Alliance", why="test"),
    ]
    before = _as_rows(_stored(store))
    for step in steps:
        with KnowledgeGraph.open(store) as graph:
            step(graph)
        stored = _as_rows(_stored(store))
        with KnowledgeGraph.open(store, read_only=True) as graph:
            assert stored == _as_rows(summary.compute(graph.store))
        assert stored != before
        before = stored
    assert updates == [True] * len(steps)


def test_a_writer_that_changed_too_much_computes_the_summary_whole(
    store: Path, monkeypatch
) -> None:
    from kg.storage import changes

    monkeypatch.setattr(changes, "LIMIT", 3)  # past it, the changed nodes are not kept
    monkeypatch.setattr(summary, "update", lambda *args: pytest.fail("not to be updated"))
    with KnowledgeGraph.open(store) as graph:
        build(graph, d4())
        assert graph.store.changes is not None and graph.store.changes.nodes is None  # type: ignore[attr-defined]
    with KnowledgeGraph.open(store, read_only=True) as graph:
        assert _as_rows(_stored(store)) == _as_rows(summary.compute(graph.store))
