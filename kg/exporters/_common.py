"""What the exporters share: flat attribute values and atomic writes."""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kg.errors import OutputError

if TYPE_CHECKING:
    import networkx

#: Separator for list values (aliases, roles) in formats that only hold scalars.
LIST_SEPARATOR = "; "
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text every format can carry: lone surrogates and XML-illegal controls become U+FFFD."""
    return _XML_UNSAFE.sub("\ufffd", text)


def flat_value(value: Any) -> str | float | bool | None:
    """A list as one string, None and NaN as None, other scalars kept."""
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(str(v) for v in value) if isinstance(value, (set, frozenset)) else value
        return clean_text(LIST_SEPARATOR.join(str(v) for v in items))
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    return clean_text(str(value))


def flat_graph(graph: networkx.MultiDiGraph) -> networkx.MultiDiGraph:
    """A copy with scalar attributes only (GraphML and GEXF hold no lists); None dropped."""
    out = graph.__class__()
    for node, data in graph.nodes(data=True):
        out.add_node(clean_text(str(node)), **_flat(data))
    for source, target, key, data in graph.edges(keys=True, data=True):
        out.add_edge(clean_text(str(source)), clean_text(str(target)), key=key, **_flat(data))
    return out


def _flat(data: dict) -> dict:
    flat = {name: flat_value(value) for name, value in data.items()}
    return {name: value for name, value in flat.items() if value is not None}


def write_atomic(path: Path, write: Callable[[IO[bytes]], None]) -> Path:
    """Call ``write`` on a temporary file next to ``path``, then rename it into place."""
    return write_atomic_many([(path, write)])[0]


def write_atomic_many(files: list[tuple[Path, Callable[[IO[bytes]], None]]]) -> list[Path]:
    """Write every file to a temporary file first, then rename them all into place.

    A failure while writing (a full disk, a size limit) leaves every previous file as it
    was: nothing is renamed until all the data is on disk (flushed and fsynced).
    """
    for path, _ in files:
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            problem = "is not a directory" if folder.exists() else "does not exist"
            raise OutputError(f"{path}: cannot write: {folder} {problem}")
    temporary: list[tuple[str, Path]] = []
    try:
        for path, write in files:
            folder = path.parent if str(path.parent) else Path(".")
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
            except OSError as exc:
                raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
            temporary.append((tmp, path))
            try:
                with os.fdopen(fd, "wb") as handle:
                    write(handle)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, 0o644)
            except OSError as exc:
                raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
        for tmp, path in temporary:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        for tmp, _ in temporary:
            Path(tmp).unlink(missing_ok=True)
        raise
    return [path for path, _ in files]
