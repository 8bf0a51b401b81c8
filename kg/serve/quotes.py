"""A speaker's quotes for the explorer's card: full text, sentence and document of each.

Quotes are attributes of their speakers in the explorer (the network leaves them out
unless asked), so the card lists them. One SPARQL query with the speaker bound as a
value, run through the server's :class:`~kg.serve.runner.QueryRunner`.

    >>> speaker_quotes(runner, "https://example.org/kg/entity/person/jens-stoltenberg")  # doctest: +SKIP
    [{'iri': '...', 'text': 'A strong NATO is good for Europe...', 'documents': [...]}]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote

if TYPE_CHECKING:
    from kg.serve.runner import QueryRunner

#: Quotes listed on one card (the most confident first).
QUOTE_ROWS = 100

QUOTES_QUERY = """
SELECT ?quote ?text ?sentence ?docId ?title ?start ?confidence WHERE {
  ?quote kg:speaker ?speaker .
  OPTIONAL { ?quote kg:quoteText ?text }
  OPTIONAL {
    ?ev rdf:subject ?quote ; rdf:predicate kg:speaker ; rdf:object ?speaker .
    OPTIONAL { ?ev kg:sentence ?sentence }
    OPTIONAL { ?ev kg:startChar ?start }
    OPTIONAL { ?ev kg:confidence ?confidence }
    OPTIONAL { ?ev kg:document ?doc . ?doc dcterms:identifier ?docId . OPTIONAL { ?doc dcterms:title ?title } }
  }
}
"""


def speaker_quotes(runner: QueryRunner, speaker: str, limit: int = QUOTE_ROWS) -> dict[str, Any]:
    """``{"quotes": [...], "quotes_total": n}``: each quote once, with the documents saying it."""
    from rdflib import URIRef

    rows = runner.query(QUOTES_QUERY, {"speaker": URIRef(speaker)}).dicts()
    quotes: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["quote"] or ""
        item = quotes.setdefault(
            iri,
            {"iri": iri, "text": row["text"] or "", "confidence": 0.0, "evidence": []},
        )
        item["confidence"] = max(item["confidence"], _float(row["confidence"]))
        if row["docId"]:
            place = {
                "sentence": row["sentence"] or "",
                "start": _int(row["start"]),
                "document": {
                    "id": row["docId"],
                    "title": row["title"] or row["docId"],
                    "href": document_href(row["docId"], _int(row["start"])),
                },
            }
            if place not in item["evidence"]:
                item["evidence"].append(place)
    ordered = sorted(quotes.values(), key=lambda q: (-q["confidence"], q["text"]))
    return {"quotes": ordered[:limit], "quotes_total": len(ordered)}


def document_href(doc_id: str, start: int | None = None) -> str:
    """The document page, scrolled to (and marking) the sentence at ``start`` when given."""
    href = f"/document/{url_quote(doc_id, safe='')}"
    return f"{href}?at={start}#kg-at" if start is not None else href


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _float(value: str | None) -> float:
    try:
        return float(value) if value is not None else 0.0
    except ValueError:
        return 0.0
