"""Where a graph lives: in memory, in an on-disk Oxigraph store, or behind a SPARQL endpoint.

Every store holds one named graph per document plus the entities graph, and writes a
batch of documents atomically (:class:`~kg.storage.base.Batch`): a build killed at any
moment leaves whole documents only. :func:`open_store` picks the backend from what it is
given; backends are imported only when used (``import kg`` loads no store engine).

    >>> from kg.storage import open_store
    >>> store = open_store("kg-store/")                      # doctest: +SKIP
    >>> store = open_store("http://127.0.0.1:7878/query")    # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.storage.base import Batch, GraphStore, StoredDocument
    from kg.storage.memory import MemoryStore
    from kg.storage.oxigraph import OxigraphStore
    from kg.storage.remote import RemoteStore

#: Backend class name → its module, imported on first use.
_BACKENDS = {
    "Batch": "kg.storage.base",
    "GraphStore": "kg.storage.base",
    "StoredDocument": "kg.storage.base",
    "MemoryStore": "kg.storage.memory",
    "OxigraphStore": "kg.storage.oxigraph",
    "RemoteStore": "kg.storage.remote",
}


def __getattr__(name: str) -> Any:
    if name in _BACKENDS:
        return getattr(import_module(_BACKENDS[name]), name)
    raise AttributeError(f"module 'kg.storage' has no attribute {name!r}")


def open_store(
    target: str | Path | None = None,
    *,
    create: bool = True,
    update_url: str | None = None,
    read_only: bool = False,
    server_kind: str | None = None,
) -> GraphStore:
    """The store ``target`` names: ``None`` a new in-memory store, an ``http(s)://`` URL a
    remote SPARQL endpoint (``update_url`` for its Update service when it is not
    ``…/query`` → ``…/update``; ``server_kind`` when the server's headers do not say
    it, see :mod:`kg.storage.servers`), anything else an on-disk Oxigraph store
    directory (created when missing, unless ``create`` is false; ``read_only`` reads its
    newest snapshot, beside a process that writes it).
    """
    if target is None:
        from kg.storage.memory import MemoryStore

        return MemoryStore()
    text = str(target)
    if text.startswith(("http://", "https://")):
        from kg.storage.remote import RemoteStore

        return RemoteStore(text, update_url, server_kind=server_kind)
    from kg.storage.oxigraph import OxigraphStore

    return OxigraphStore(Path(target), create=create and not read_only, read_only=read_only)


__all__ = [
    "Batch",
    "GraphStore",
    "MemoryStore",
    "OxigraphStore",
    "RemoteStore",
    "StoredDocument",
    "open_store",
]
