"""GraphML (Gephi, Cytoscape, yEd): entities as nodes, facts as edges, via networkx.

List attributes (aliases, roles) become one string joined with ``"; "``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import write_atomic
from kg.exporters._common import flat_graph

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def write(graph: KnowledgeGraph, path: Path) -> list[Path]:
    """Write ``graph`` as GraphML to ``path``."""
    import networkx

    flat = flat_graph(graph.to_networkx())
    return [write_atomic(path, lambda handle: networkx.write_graphml(flat, handle))]
