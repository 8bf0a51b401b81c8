"""Where a graph lives: in memory, in an on-disk Oxigraph store, or behind a SPARQL endpoint.

Every store holds one named graph per document plus the entities graph, and writes a
batch of documents atomically (:class:`~kg.storage.base.Batch`): a build killed at any
moment leaves whole documents only.

    >>> from kg.storage import OxigraphStore
    >>> store = OxigraphStore("kg-store/")         # doctest: +SKIP
"""

from __future__ import annotations

from kg.storage.base import Batch, GraphStore, StoredDocument
from kg.storage.memory import MemoryStore
from kg.storage.oxigraph import OxigraphStore
from kg.storage.remote import RemoteStore

__all__ = [
    "Batch",
    "GraphStore",
    "MemoryStore",
    "OxigraphStore",
    "RemoteStore",
    "StoredDocument",
]
