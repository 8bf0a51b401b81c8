"""JSON-LD: the RDF itself (named graphs kept), compacted with our prefixes as ``@context``.

{"@context": {"kg": "https://example.org/kg/ontology#", "person": ".../entity/person/", ...},
 "@graph": [{"@id": "person:joe-biden", "@type": "kg:Person", "kg:role": "President"}, ...]}
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.atomic import write_atomic
from kg.rdf.namespace import PREFIXES

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def context() -> dict[str, str]:
    """The ``@context``: prefix → namespace IRI for every namespace of ours."""
    return dict(sorted(PREFIXES.items()))


def write(graph: KnowledgeGraph, path: Path) -> list[Path]:
    """Write ``graph`` as compact JSON-LD to ``path``."""
    payload = _serialize(graph.store.snapshot(), ensure_ascii=False)
    try:
        payload.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: JSON can carry them only as \u escapes
        payload = _serialize(graph.store.snapshot(), ensure_ascii=True)
    data = payload.encode("utf-8")
    return [write_atomic(path, lambda handle: handle.write(data))]


def _serialize(dataset: Any, *, ensure_ascii: bool) -> str:
    text = dataset.serialize(
        format="json-ld", context=context(), auto_compact=True, ensure_ascii=ensure_ascii
    )
    return text.decode("utf-8") if isinstance(text, bytes) else text
