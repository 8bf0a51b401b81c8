"""SPARQL results written out: the one writer for ``kg query``, the Python API and ``/sparql``.

SELECT and ASK results follow the W3C SPARQL 1.1 result formats exactly: JSON
(``head`` always present, ``boolean`` for ASK), XML, CSV (plain values, CRLF line ends)
and TSV (terms in SPARQL syntax); ``table`` is an aligned text table for people.
CONSTRUCT and DESCRIBE graphs are written as Turtle, N-Triples, JSON-LD or RDF/XML.

    >>> write(result, "csv")  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
import re
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.rdf.namespace import PREFIXES
from kg.sparql.run import QueryResult

#: Formats for SELECT/ASK results.
RESULT_FORMATS = ("table", "json", "xml", "csv", "tsv")
#: Formats for CONSTRUCT/DESCRIBE graphs (our name → rdflib serializer).
GRAPH_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def write(result: QueryResult, fmt: str = "table") -> str:
    """``result`` as text in ``fmt``: a result format for SELECT/ASK, a graph format for
    CONSTRUCT/DESCRIBE (where a result format such as ``table`` means Turtle)."""
    if result.graph is not None:
        return write_graph(result, fmt if fmt in GRAPH_FORMATS else "turtle")
    writers = {"table": to_table, "json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
    if fmt not in writers:
        raise QueryError(f"unknown output format {fmt!r} (valid: {', '.join(RESULT_FORMATS)})")
    return writers[fmt](result)


def write_graph(result: QueryResult, fmt: str) -> str:
    """A CONSTRUCT/DESCRIBE graph in one of :data:`GRAPH_FORMATS`.

    A relative IRI (``CONSTRUCT { <s> <p> 1 }`` without a base) is a QueryError: no
    graph format can write it as the IRI it is meant to be.
    """
    if result.graph is None:
        raise QueryError("not a graph result")
    if fmt not in GRAPH_FORMATS:
        raise QueryError(f"unknown graph format {fmt!r} (valid: {', '.join(GRAPH_FORMATS)})")
    for triple in result.graph:
        for node in triple:
            if isinstance(node, URIRef) and not _ABSOLUTE_IRI.match(node):
                raise QueryError(
                    f"the result holds the relative IRI <{node}>, which {fmt} cannot write; "
                    "start the query with BASE <...> or use absolute IRIs"
                )
    rdflib_format = GRAPH_FORMATS[fmt]
    try:
        if rdflib_format == "json-ld":  # rdflib's own writer would turn a surrogate into "?"
            from rdflib.plugins.serializers.jsonld import from_rdf

            data = json.dumps(
                from_rdf(result.graph, dict(PREFIXES), auto_compact=True),
                indent=2,
                sort_keys=True,
                ensure_ascii=False,
            )
        else:
            data = result.graph.serialize(format=rdflib_format)
    except UnicodeEncodeError as exc:  # rdflib encodes some formats itself
        raise _unencodable(exc.object[exc.start], fmt) from None
    return data.decode("utf-8") if isinstance(data, bytes) else data


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Formats written as JSON text, where a lone surrogate can be escaped (``\\udXXX``).
JSON_FORMATS = ("json", "jsonld")


def encode(text: str, fmt: str, media_type: str | None = None) -> bytes:
    """``text`` written in ``fmt`` as UTF-8 bytes.

    A lone surrogate (U+D800 to U+DFFF, which rdflib lets a query or a file create)
    has no UTF-8 form: JSON escapes it (``"\\ud800"``, valid JSON that reads back to
    the same string); every other format refuses with a QueryError naming JSON.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        if fmt in JSON_FORMATS:
            escaped = _SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
            return escaped.encode("utf-8")
        raise _unencodable(text[exc.start], media_type or fmt) from None


def _unencodable(char: str, fmt: str) -> QueryError:
    return QueryError(
        f"the result holds U+{ord(char):04X}, a lone surrogate, which {fmt} cannot carry; "
        "ask for JSON (application/sparql-results+json, or --format json), which escapes it"
    )


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


def _short(node: Node | None) -> str:
    text = "" if node is None else str(node)
    if isinstance(node, URIRef):
        for prefix, iri in PREFIXES.items():
            if text.startswith(iri) and len(text) > len(iri):
                return f"{prefix}:{text[len(iri) :]}"
    return " ".join(text.split())


def to_table(result: QueryResult, width: int = 60) -> str:
    """An aligned text table (IRIs shortened with the project's prefixes), or ``true``/``false``."""
    if result.kind == "ASK":
        return "true" if result.boolean else "false"
    header = list(result.variables)
    rows = [[_short(n) for n in row] for row in result.rows]
    rows = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows)
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines)
