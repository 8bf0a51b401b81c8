"""Exports for the tools people already use, one module per format, registered by name.

    graphml   GraphML for Gephi, Cytoscape, yEd (via networkx)
    gexf      GEXF for Gephi (via networkx)
    csv       node and relationship CSV files for ``neo4j-admin database import``
    cypher    a Cypher script that MERGEs the entities and facts into Neo4j
    jsonld    the RDF itself as JSON-LD, with a compact ``@context`` of our prefixes

Each module has ``write(graph, path) -> list[Path]`` taking a
:class:`~kg.graph.KnowledgeGraph`; modules are imported only when used.

    >>> export(graph, "graph.graphml", "graphml")  # doctest: +SKIP
    [PosixPath('graph.graphml')]
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import FormatError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

#: Format name → (module, what it writes).
EXPORTERS: dict[str, tuple[str, str]] = {
    "graphml": ("kg.exporters.graphml", "a .graphml file"),
    "gexf": ("kg.exporters.gexf", "a .gexf file"),
    "csv": ("kg.exporters.neo4j_csv", "a directory with nodes.csv and relationships.csv"),
    "cypher": ("kg.exporters.cypher", "a .cypher script"),
    "jsonld": ("kg.exporters.jsonld", "a .jsonld file"),
}


def export(graph: KnowledgeGraph, path: str | Path, format: str) -> list[Path]:
    """Write ``graph`` in ``format`` at ``path``; returns the files written."""
    if format not in EXPORTERS:
        raise FormatError(f"unknown export format {format!r} (valid: {', '.join(EXPORTERS)})")
    module = import_module(EXPORTERS[format][0])
    return module.write(graph, Path(path))


__all__ = ["EXPORTERS", "export"]
