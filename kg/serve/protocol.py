"""The SPARQL 1.1 Protocol's wire formats: content negotiation and result serializers.

SELECT and ASK results go out as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE
graphs as Turtle, JSON-LD, N-Triples or RDF/XML. The format comes from the ``Accept``
header (q-values honoured), or from a ``format`` parameter that overrides it
(``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``jsonld``, ``ntriples``, ``rdfxml``).
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.query import QueryResult

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
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/plain": "nt",
}
#: ``format=`` parameter values → media type, per kind of result.
FORMAT_PARAMS: dict[str, tuple[str | None, str | None]] = {
    "json": (SPARQL_JSON, "application/ld+json"),
    "xml": (SPARQL_XML, "application/rdf+xml"),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "jsonld": (None, "application/ld+json"),
    "ntriples": (None, "application/n-triples"),
    "rdfxml": (None, "application/rdf+xml"),
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


def choose_type(result: QueryResult, accept: str | None, format: str | None) -> str | None:
    """The media type to answer ``result`` with, or None when nothing acceptable is offered."""
    is_graph = result.graph is not None
    if format:
        pair = FORMAT_PARAMS.get(format.lower())
        return None if pair is None else pair[1 if is_graph else 0]
    offers = list(GRAPH_TYPES if is_graph else RESULT_TYPES)
    return negotiate(accept, offers)


def offered(result: QueryResult) -> list[str]:
    return list(GRAPH_TYPES if result.graph is not None else RESULT_TYPES)


def serialize(result: QueryResult, media_type: str) -> bytes:
    """``result`` in ``media_type`` (one of :data:`RESULT_TYPES` or :data:`GRAPH_TYPES`)."""
    if result.graph is not None:
        fmt = GRAPH_TYPES[media_type]
        if fmt == "json-ld":
            from kg.namespace import PREFIXES

            data = result.graph.serialize(
                format="json-ld", context=dict(PREFIXES), auto_compact=True
            )
        else:
            data = result.graph.serialize(format=fmt)
        return data.encode("utf-8") if isinstance(data, str) else data
    writer = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}[
        RESULT_TYPES[media_type]
    ]
    return writer(result).encode("utf-8")


# --- the four result formats ----------------------------------------------------------------


def json_term(node: Node) -> dict[str, str]:
    """One RDF term as a SPARQL JSON binding."""
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    cell = {"type": "literal", "value": str(node)}
    if isinstance(node, Literal):
        if node.language:
            cell["xml:lang"] = node.language
        elif node.datatype:
            cell["datatype"] = str(node.datatype)
    return cell


def to_json(result: QueryResult) -> str:
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    bindings = [
        {
            var: json_term(node)
            for var, node in zip(result.variables, row, strict=False)
            if node is not None
        }
        for row in result.rows
    ]
    return json.dumps(
        {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}},
        ensure_ascii=False,
    )


def to_xml(result: QueryResult) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'
    ]
    out.extend(f"<variable name={quoteattr(var)}/>" for var in result.variables)
    out.append("</head>")
    if result.kind == "ASK":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            for var, node in zip(result.variables, row, strict=False):
                if node is not None:
                    out.append(f"<binding name={quoteattr(var)}>{_xml_term(node)}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out)


def _xml_term(node: Node) -> str:
    text = escape(_xml_chars(str(node)))
    if isinstance(node, URIRef):
        return f"<uri>{text}</uri>"
    if isinstance(node, BNode):
        return f"<bnode>{text}</bnode>"
    attrs = ""
    if isinstance(node, Literal) and node.language:
        attrs = f" xml:lang={quoteattr(node.language)}"
    elif isinstance(node, Literal) and node.datatype:
        attrs = f" datatype={quoteattr(str(node.datatype))}"
    return f"<literal{attrs}>{text}</literal>"


def _xml_chars(text: str) -> str:
    """Characters XML 1.0 cannot carry (C0 controls but tab/newline/CR, surrogates) as U+FFFD."""
    return "".join(
        "\ufffd"
        if (ord(c) < 0x20 and c not in "\t\n\r")
        or 0xD800 <= ord(c) <= 0xDFFF
        or c in "\ufffe\uffff"
        else c
        for c in text
    )


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV: plain values, CRLF line ends; ASK as one ``_askResult`` column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ASK":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(
            ["" if n is None else f"_:{n}" if isinstance(n, BNode) else str(n) for n in row]
        )
    return buffer.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: a ``?var`` header, then terms in SPARQL syntax separated by tabs."""
    if result.kind == "ASK":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{var}" for var in result.variables)]
    lines.extend("\t".join(tsv_term(node) for node in row) for row in result.rows)
    return "\n".join(lines) + "\n"


def tsv_term(node: Node | None) -> str:
    """A term as SPARQL writes it: ``<iri>``, ``"text"@en``, ``"1"^^<datatype>``, ``_:b``."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    text = str(node)
    for char, code in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = text.replace(char, code)
    quoted = f'"{text}"'
    if isinstance(node, Literal) and node.language:
        return f"{quoted}@{node.language}"
    if isinstance(node, Literal) and node.datatype:
        return f"{quoted}^^<{node.datatype}>"
    return quoted
