"""The nodes a writer's session changed: what the read summary has to recompute.

Every triple a session adds or deletes has its subject and (an IRI) object recorded,
including the triples a batch deletes without listing them (graphs dropped or replaced,
entity labels reset, entities pruned), which are read before the update runs. The read
summary (:mod:`kg.network.summary`) then recomputes the entities and facts around those
nodes only, instead of the whole store.

Past :data:`LIMIT` nodes (a first build, a large rebuild) the record is given up:
recomputing everything is as cheap then, and the set would only cost memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import OWL, URIRef
from rdflib.term import Node

from kg.rdf.namespace import ENTITIES_GRAPH, KG
from kg.storage.base import Batch, Quad, Triple

#: Beyond this many changed nodes the session's summary is recomputed whole.
LIMIT = 50_000
Rows = Callable[[str], Iterable[tuple[Node | None, ...]]]

_OLD_IN_GRAPHS = (
    "SELECT DISTINCT ?s ?o WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
)
_OLD_LABELS = (
    "SELECT DISTINCT ?s ?o WHERE {{ VALUES ?s {{ {nodes} }} GRAPH <{entities}> {{ ?s ?p ?o }} }}"
)
#: What a prune deletes that the dropped graphs do not tell: the triples of the entities
#: graph's subjects that no document mentions even before the write. Only subjects typed
#: or ``owl:sameAs`` another there can matter to the summary (a build writes each
#: entity's type there with its label, :func:`kg.rdf.writer.label_triples`; merges are
#: ``owl:sameAs``); asking for those first takes 0.5 s of CPU on the 19k Reuters store,
#: every subject 3 s. The default graph is the union of the documents' graphs.
_UNMENTIONED = (
    f"SELECT ?s ?o WHERE {{ {{ SELECT DISTINCT ?s WHERE {{ GRAPH <{ENTITIES_GRAPH}> "
    f"{{ {{ ?s a ?c }} UNION {{ ?s <{OWL.sameAs}> ?x }} }} "
    f"FILTER NOT EXISTS {{ ?d <{KG.mentions}> ?s }} }} }} GRAPH <{ENTITIES_GRAPH}> {{ ?s ?p ?o }} }}"
)


class Changes:
    """The nodes (IRIs, as text) a session's writes touched; None once past :data:`LIMIT`."""

    def __init__(self) -> None:
        self.nodes: set[str] | None = set()

    def _add(self, pairs: Iterable[tuple[Node | None, ...]]) -> None:
        if self.nodes is None:
            return
        for row in pairs:
            self.nodes.update(str(term) for term in row if isinstance(term, URIRef))
        if len(self.nodes) > LIMIT:
            self.nodes = None

    def _add_triples(self, triples: Iterable[Triple]) -> None:
        self._add((s, o) for s, _, o in triples)

    def before_batch(self, batch: Batch, rows: Rows) -> None:
        """Record what ``batch`` will change, reading with ``rows`` (a SELECT on the store
        before the update) the triples it deletes without listing them."""
        replaced = sorted(batch.dropped | (set(batch.graphs) - batch.fresh), key=str)
        for start in range(0, len(replaced), 200):
            if self.nodes is None:
                return
            graphs = " ".join(g.n3() for g in replaced[start : start + 200])
            self._add(rows(_OLD_IN_GRAPHS.format(graphs=graphs)))
        for triples in batch.graphs.values():
            self._add_triples(triples)
        if batch.labels:
            nodes = " ".join(node.n3() for node in batch.labels)
            self._add(rows(_OLD_LABELS.format(nodes=nodes, entities=ENTITIES_GRAPH)))
            self._add((node,) for node in batch.labels)
            for triples in batch.labels.values():
                self._add_triples(triples)
        if batch.prune and self.nodes is not None:
            self._add(rows(_UNMENTIONED))

    def quads(self, quads: Iterable[Quad]) -> None:
        """Record single quads added or removed."""
        self._add((s, o) for s, _, o, _ in quads)
