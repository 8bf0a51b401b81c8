"""kg: turn documents into a knowledge graph.

>>> from kg import KnowledgeGraph
>>> graph = KnowledgeGraph.build(["seeds/"])  # doctest: +SKIP
>>> graph.save("graph.ttl")                   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def __getattr__(name: str) -> object:
    """Import the facade lazily, so ``import kg`` stays cheap."""
    if name == "KnowledgeGraph":
        from kg.graph import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def build(paths: Iterable[str | Path], **options: Any) -> KnowledgeGraph:
    """Build a knowledge graph from files, directories or globs (see KnowledgeGraph.build)."""
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.build(paths, **options)


def load(path: str | Path, **options: Any) -> KnowledgeGraph:
    """Load a graph file (see KnowledgeGraph.load)."""
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.load(path, **options)


__all__ = ["KnowledgeGraph", "__version__", "build", "load"]
