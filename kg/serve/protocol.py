"""The SPARQL 1.1 Protocol's content negotiation: which media type answers a request.

SELECT and ASK results go out as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE
graphs as Turtle, JSON-LD, N-Triples or RDF/XML. The format comes from the ``Accept``
header (q-values honoured), or from ``format`` (or ``output``) parameters that take
precedence: short names (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``n3``,
``jsonld``/``json-ld``, ``ntriples``, ``rdf``/``rdfxml``/``rdf+xml``) or media types,
repeated as clients such as SPARQLWrapper send them (``format=tsv&format=text/tab-separated-values``);
the first value that fits the kind of result is used, and values that fit none are
left to ``Accept``.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.sparql import results
from kg.sparql.run import QueryResult

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
#: Media type → serializer name, in order of preference when the client accepts any.
RESULT_TYPES: dict[str, str] = {
    SPARQL_JSON: "json",
    "application/json": "json",
    SPARQL_XML: "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/plain": "nt",
}
#: ``format=`` parameter values → media type, per kind of result (SELECT/ASK, graphs).
FORMAT_PARAMS: dict[str, tuple[str | None, str | None]] = {
    "json": (SPARQL_JSON, "application/ld+json"),
    "srj": (SPARQL_JSON, None),
    "xml": (SPARQL_XML, "application/rdf+xml"),
    "srx": (SPARQL_XML, None),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "n3": (None, "text/turtle"),  # Turtle is N3
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "nt": (None, "application/n-triples"),
    "rdf": (None, "application/rdf+xml"),
    "rdfxml": (None, "application/rdf+xml"),
    "rdf+xml": (None, "application/rdf+xml"),
}
#: Media types clients name in ``format=`` that we answer with another we offer.
MEDIA_SYNONYMS = {
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs; a missing or empty header accepts anything."""
    ranges = []
    for part in (header or "*/*").split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges or [("*/*", 1.0)]


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers (most specific matching range wins)."""
    ranges = parse_accept(header)
    best: tuple[float, int] | None = None
    chosen = None
    for order, offer in enumerate(offers):
        kind = offer.split("/")[0]
        matches = [
            (3 if media == offer else 2 if media == f"{kind}/*" else 1, q)
            for media, q in ranges
            if media in (offer, f"{kind}/*", "*/*")
        ]
        if not matches:
            continue
        q = max(matches)[1]
        if q > 0 and (best is None or (q, -order) > best):
            best, chosen = (q, -order), offer
    return chosen


def choose_type(result: QueryResult, accept: str | None, formats: Sequence[str] = ()) -> str | None:
    """The media type to answer ``result`` with, or None when nothing acceptable is offered.

    ``formats`` are the request's ``format``/``output`` values, in order.
    """
    for value in formats:
        media = format_media(value, is_graph=result.graph is not None)
        if media is not None:
            return media
    return negotiate(accept, offered(result))


def format_media(value: str, *, is_graph: bool) -> str | None:
    """The media type a ``format=`` value names for this kind of result (None: none fits)."""
    name = value.split(";")[0].strip().lower()
    pair = FORMAT_PARAMS.get(name)
    if pair is not None:
        return pair[1 if is_graph else 0]
    name = MEDIA_SYNONYMS.get(name, name)
    return name if name in (GRAPH_TYPES if is_graph else RESULT_TYPES) else None


def offered(result: QueryResult) -> list[str]:
    return list(GRAPH_TYPES if result.graph is not None else RESULT_TYPES)


def serialize(result: QueryResult, media_type: str) -> bytes:
    """``result`` in ``media_type`` (one of :data:`RESULT_TYPES` or :data:`GRAPH_TYPES`), as
    UTF-8; a QueryError when that format cannot carry it (a lone surrogate outside JSON)."""
    if result.graph is not None:
        name = GRAPH_FORMAT_NAMES[GRAPH_TYPES[media_type]]
        return results.encode(results.write_graph(result, name), name, media_type)
    name = RESULT_TYPES[media_type]
    return results.encode(results.write(result, name), name, media_type)


#: rdflib serializer name → our graph format name.
GRAPH_FORMAT_NAMES = {v: k for k, v in results.GRAPH_FORMATS.items()}
