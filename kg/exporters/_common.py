"""What the exporters share: flat attribute values and atomic writes."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

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
