"""A long build's memory: the on-disk store reopened as it grows, heap pages handed back."""

from __future__ import annotations

import sys

import pytest
from rdflib import RDFS, Literal, URIRef

from kg.storage import oxigraph
from kg.storage.base import Batch
from kg.storage.heap import release_free_memory
from kg.storage.oxigraph import OxigraphStore


def _batch(start: int, count: int) -> Batch:
    graphs = {
        URIRef(f"https://example.org/kg/graph/d{i}"): [
            (URIRef(f"https://example.org/kg/document/d{i}"), RDFS.label, Literal(f"Story {i}"))
        ]
        for i in range(start, start + count)
    }
    return Batch(graphs=graphs, fresh=set(graphs))


def _titles(store: OxigraphStore) -> set[str]:
    rows = store.query("SELECT ?t WHERE { GRAPH ?g { ?d rdfs:label ?t } }").rows
    return {str(row[0]) for row in rows}


def _count_reopens(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reopened: list[int] = []
    reopen = OxigraphStore._reopen

    def counted(self: OxigraphStore) -> None:
        reopen(self)
        reopened.append(1)

    monkeypatch.setattr(OxigraphStore, "_reopen", counted)
    return reopened


def test_the_store_is_reopened_after_enough_triples_and_keeps_every_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(oxigraph, "REOPEN_EVERY_TRIPLES", 3)
    reopened = _count_reopens(monkeypatch)
    store = OxigraphStore(tmp_path / "store")
    try:
        store.write(_batch(0, 2))
        assert not reopened  # 2 triples: not yet
        assert len(store.dataset) == 2  # an rdflib view of the store before it is reopened
        store.write(_batch(2, 2))
        assert len(reopened) == 1
        store.write_behind(_batch(4, 2))  # on the writer's thread, as a build does
        store.wait()
        assert len(reopened) == 1  # counted again from the reopening
        assert _titles(store) == {f"Story {i}" for i in range(6)}
        assert len(store.dataset) == 6  # the rdflib view reads the reopened store
    finally:
        store.close()
    reader = OxigraphStore(tmp_path / "store", create=False, read_only=True)
    try:
        assert len(_titles(reader)) == 6
    finally:
        reader.close()


def test_an_in_memory_store_is_never_reopened(monkeypatch):
    monkeypatch.setattr(oxigraph, "REOPEN_EVERY_TRIPLES", 1)
    reopened = _count_reopens(monkeypatch)
    store = OxigraphStore(None)
    store.write(_batch(0, 3))
    assert not reopened
    assert len(_titles(store)) == 3


def test_batch_counts_the_triples_it_inserts():
    batch = _batch(0, 3)
    batch.labels[URIRef("https://example.org/kg/entity/x")] = [
        (URIRef("https://example.org/kg/entity/x"), RDFS.label, Literal("x"))
    ] * 2
    assert batch.triple_count() == 5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_free_pages_between_live_blocks_are_released():
    blocks = [bytearray(10_000) for _ in range(4000)]  # 40 MB of heap chunks
    del blocks[::2]  # 20 MB of holes, each spanning whole pages, between live blocks
    assert release_free_memory() is True
    assert len(blocks) == 2000
