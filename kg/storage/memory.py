"""The in-memory store: an rdflib Dataset, saved to and loaded from files."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kg.rdf.files import new_dataset
from kg.rdf.namespace import ENTITIES_GRAPH, KG
from kg.storage.base import Batch, GraphStore, Quad, Triple


class MemoryStore(GraphStore):
    """A store in memory (the default for one-off builds); see :mod:`kg.rdf.files` for files."""

    def __init__(self, dataset: Dataset | None = None) -> None:
        self.dataset = dataset if dataset is not None else new_dataset()

    def write(self, batch: Batch) -> None:
        for graph in batch.dropped | set(batch.graphs):
            self.dataset.remove_graph(self.dataset.graph(graph))
        for graph, triples in batch.graphs.items():
            context = self.dataset.graph(graph)
            for triple in triples:
                context.add(triple)
        labels = self.dataset.graph(ENTITIES_GRAPH)
        for node, triples in batch.labels.items():
            labels.remove((node, None, None))
            for triple in triples:
                labels.add(triple)
        if batch.prune:
            self._prune()

    def snapshot(self) -> Dataset:
        return self.dataset

    def match(
        self,
        subject: Node | None = None,
        predicate: Node | None = None,
        obj: Node | None = None,
        graph: URIRef | None = None,
        *,
        limit: int | None = None,
    ) -> list[Quad]:
        found: list[Quad] = []
        for s, p, o, g in self.dataset.quads((subject, predicate, obj, graph)):  # type: ignore[arg-type]
            if g is None or g == DATASET_DEFAULT_GRAPH_ID:
                continue
            found.append((s, p, o, URIRef(str(g))))
            if limit is not None and len(found) >= limit:
                break
        return found

    def quads_with(self, nodes: Collection[Node]) -> list[Quad]:
        found: dict[Quad, None] = {}
        for node in nodes:
            for pattern in ((node, None, None, None), (None, None, node, None)):
                for s, p, o, g in self.dataset.quads(pattern):
                    if g is not None and g != DATASET_DEFAULT_GRAPH_ID:
                        found[(s, p, o, URIRef(str(g)))] = None
        return list(found)

    def quads_of(self, subjects: Collection[Node], predicates: Collection[Node]) -> list[Quad]:
        found: dict[Quad, None] = {}
        for subject in subjects:
            for predicate in predicates:
                for s, p, o, g in self.dataset.quads((subject, predicate, None, None)):
                    if g is not None and g != DATASET_DEFAULT_GRAPH_ID:
                        found[(s, p, o, URIRef(str(g)))] = None
        return list(found)

    def graph_triples(self, graph: URIRef) -> list[Triple]:
        return [(s, p, o) for s, p, o, _ in self.dataset.quads((None, None, None, graph))]  # type: ignore[arg-type]

    def apply_delta(self, removed: Iterable[Quad], added: Iterable[Quad]) -> None:
        touched: set[URIRef] = set()
        for s, p, o, g in removed:
            self.dataset.graph(g).remove((s, p, o))
            touched.add(g)
        for s, p, o, g in added:
            self.dataset.graph(g).add((s, p, o))
        for g in touched:  # a graph left empty goes, as SPARQL stores drop it
            if not any(True for _ in self.dataset.quads((None, None, None, g))):  # type: ignore[arg-type]
                self.dataset.remove_graph(g)

    def _prune(self) -> None:
        labels = self.dataset.graph(ENTITIES_GRAPH)
        for node in set(labels.subjects()):
            if isinstance(node, URIRef) and not any(
                g != ENTITIES_GRAPH
                for _, _, _, g in self.dataset.quads((None, KG.mentions, node, None))
            ):
                labels.remove((node, None, None))
