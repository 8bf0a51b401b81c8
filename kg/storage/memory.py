"""The in-memory store: an rdflib Dataset, saved to and loaded from files."""

from __future__ import annotations

from rdflib import Dataset, URIRef

from kg.rdf.files import new_dataset
from kg.rdf.namespace import ENTITIES_GRAPH, KG
from kg.storage.base import Batch, GraphStore


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

    def _prune(self) -> None:
        labels = self.dataset.graph(ENTITIES_GRAPH)
        for node in set(labels.subjects()):
            if isinstance(node, URIRef) and not any(
                g != ENTITIES_GRAPH
                for _, _, _, g in self.dataset.quads((None, KG.mentions, node, None))
            ):
                labels.remove((node, None, None))
