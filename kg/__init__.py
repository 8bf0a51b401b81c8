"""kg: turn documents into a knowledge graph.

>>> from kg import KnowledgeGraph
>>> graph = KnowledgeGraph.build(["seeds/"])  # doctest: +SKIP
>>> graph.save("graph.ttl")                   # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def __getattr__(name: str) -> object:
    """Import the facade lazily, so ``import kg`` stays cheap."""
    if name == "KnowledgeGraph":
        from kg.graph import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def build(paths, **options):  # type: ignore[no-untyped-def]
    """Build a knowledge graph from files, directories or globs (see KnowledgeGraph.build)."""
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.build(paths, **options)


def load(path, **options):  # type: ignore[no-untyped-def]
    """Load a graph file (see KnowledgeGraph.load)."""
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.load(path, **options)


__all__ = ["KnowledgeGraph", "__version__", "build", "load"]
