"""Where the graph lives: an rdflib Dataset in memory, loaded from and saved to files.

Named graphs (one per document, plus the entities graph) are kept by the quad formats
(``.trig``, ``.nq``); triple formats (``.ttl``, ``.nt``, ``.jsonld``) hold their union.
Queries always see the union of all graphs.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.exceptions import ParserError

from kg.atomic import write_atomic
from kg.errors import FormatError, GraphFileError
from kg.rdf.namespace import bind_prefixes

#: File extension → rdflib format name.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
}
QUAD_FORMATS = {"nquads", "trig"}


def format_for(path: str | Path, explicit: str | None = None) -> str:
    """The rdflib format for a path, from its extension unless given."""
    if explicit:
        if explicit in FORMATS.values():
            return explicit
        ext = explicit if explicit.startswith(".") else f".{explicit}"
        if ext in FORMATS:
            return FORMATS[ext]
        raise FormatError(f"unknown format {explicit!r} (valid: {', '.join(FORMATS)})")
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise FormatError(
            f"{path}: unknown graph file extension {ext or '(none)'!r} "
            f"(valid: {', '.join(FORMATS)})"
        )
    return FORMATS[ext]


def new_dataset() -> Dataset:
    """An empty in-memory dataset whose default graph is the union of all graphs."""
    dataset: Dataset = bind_prefixes(Dataset(default_union=True))
    return dataset


def load_dataset(path: str | Path, *, format: str | None = None) -> Dataset:
    """Read a graph file into a new in-memory dataset."""
    path = Path(path)
    fmt = format_for(path, format)
    if not path.exists():
        raise GraphFileError(f"{path}: no such graph file")
    if not path.is_file():
        raise GraphFileError(f"{path}: not a file")
    dataset = new_dataset()
    try:
        if fmt in QUAD_FORMATS:
            dataset.parse(str(path), format=fmt)
        else:
            dataset.default_graph.parse(str(path), format=fmt)
    except (ParserError, SyntaxError, ValueError, UnicodeDecodeError) as exc:
        message = " ".join(str(exc).split())[:300]
        raise GraphFileError(f"{path}: not valid {fmt}: {message}") from exc
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return dataset


def union_of(dataset: Dataset) -> Graph:
    """All triples of a dataset as one plain graph."""
    graph = bind_prefixes(Graph())
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def save_dataset(dataset: Dataset, path: str | Path, *, format: str | None = None) -> Path:
    """Write the dataset to ``path`` atomically (temporary file, then rename)."""
    path = Path(path)
    fmt = format_for(path, format)
    target = dataset if fmt in QUAD_FORMATS else union_of(dataset)
    write_atomic(
        path, lambda handle: target.serialize(destination=handle, format=fmt, encoding="utf-8")
    )
    return path
