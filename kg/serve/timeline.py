"""The explorer's timeline: dated facts and the dates documents mention, on one axis.

What has a year goes on the axis: a fact whose object is a date (an event's ``date``),
and each date entity with the documents and sentences that mention it. What has no
year (``--06-16``, a day of a year not known) and documents without a publication date
are counted and said as such, never placed at an invented year.

    >>> timeline(explorer)["items"][0]    # doctest: +SKIP
    {'when': '2021-06-16', 'start': 2021.45, 'label': 'June 16', 'facts': [...], ...}
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kg.serve.quotes import document_href

if TYPE_CHECKING:
    from kg.serve.explore import Explorer

#: Sentences kept per date (the page lists them when a date is chosen).
SENTENCES_PER_DATE = 5

DOCUMENT_DATES_QUERY = """
SELECT ?doc ?issued WHERE { ?doc a kg:Document . OPTIONAL { ?doc dcterms:issued ?issued } }
"""
FULL_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def position(value: str) -> tuple[float, float] | None:
    """Where an ISO date, year-month or year starts and ends on the axis, in years (None: no year)."""
    match = FULL_DATE.match(value.strip())
    if not match:
        return None
    year = int(match.group(1))
    if match.group(3):
        try:
            day = datetime.date(year, int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
        start = year + (day.timetuple().tm_yday - 1) / 366
        return start, start + 1 / 366
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        return year + (month - 1) / 12, year + month / 12
    return float(year), year + 1.0


def timeline(explorer: Explorer) -> dict[str, Any]:
    """Items on the axis, what could not be placed, and the span of document dates."""
    network = explorer.network
    items: dict[str, dict[str, Any]] = {}
    undated_values: dict[str, str] = {}
    for node, data in network.nodes(data=True):
        if data.get("type") != "Date" or not data.get("value"):
            continue
        value = str(data["value"])
        placed = position(value)
        if placed is None:
            undated_values[node] = value
            continue
        items[node] = {
            "iri": node,
            "when": value,
            "start": round(placed[0], 4),
            "end": round(placed[1], 4),
            "label": str(data.get("label") or value),
            "facts": [],
            "documents": 0,
            "sentences": [],
        }
    for source, target, relation in network.edges(data="relation"):
        if target in items and source in network:
            items[target]["facts"].append({"relation": relation, **explorer.summary(source)})
    seen_docs: dict[str, set[str]] = {}
    runner = explorer.runner
    rows = runner.run(lambda: list(date_mentions(runner.graph.dataset, list(items))))
    for row in rows:
        item = items.get(row["date"] or "")
        if item is None or not row["docId"]:
            continue
        docs = seen_docs.setdefault(item["iri"], set())
        docs.add(row["docId"])
        if len(item["sentences"]) < SENTENCES_PER_DATE and row["sentence"]:
            start = _int(row["start"])
            item["sentences"].append(
                {
                    "sentence": row["sentence"],
                    "document": {
                        "id": row["docId"],
                        "title": row["title"] or row["docId"],
                        "href": document_href(row["docId"], start),
                    },
                }
            )
    for iri, docs in seen_docs.items():
        items[iri]["documents"] = len(docs)
    issued = [row["issued"] for row in explorer.runner.query(DOCUMENT_DATES_QUERY).dicts()]
    dated = sorted(value for value in issued if value)
    ordered = sorted(items.values(), key=lambda i: (i["start"], i["label"]))
    return {
        "items": ordered,
        "span": {"min": ordered[0]["when"], "max": ordered[-1]["when"]} if ordered else None,
        "without_year": len(undated_values),
        "without_year_examples": sorted(set(undated_values.values()))[:5],
        "documents": {
            "total": len(issued),
            "undated": len(issued) - len(dated),
            "first": dated[0] if dated else None,
            "last": dated[-1] if dated else None,
        },
    }


def date_mentions(dataset: Any, dates: list[str]) -> Iterator[dict[str, str | None]]:
    """Where each date is mentioned: document id and title, sentence, offset.

    Triple lookups from each date (bound) outward: the same rows as a SPARQL join, without
    the join order rdflib's engine picks for it (seconds per date on a 40k-triple graph).
    """
    from rdflib import RDF, URIRef
    from rdflib.namespace import DCTERMS

    from kg.rdf.namespace import KG

    titles: dict[Any, tuple[str | None, str | None]] = {}
    for date in dates:
        for evidence in dataset.subjects(RDF.object, URIRef(date)):
            if (evidence, RDF.predicate, KG.mentions) not in dataset:
                continue
            doc = dataset.value(evidence, KG.document)
            if doc is None:
                continue
            if doc not in titles:
                ident, title = (
                    dataset.value(doc, DCTERMS.identifier),
                    dataset.value(doc, DCTERMS.title),
                )
                titles[doc] = (str(ident) if ident else None, str(title) if title else None)
            sentence, start = (
                dataset.value(evidence, KG.sentence),
                dataset.value(evidence, KG.startChar),
            )
            yield {
                "date": date,
                "docId": titles[doc][0],
                "title": titles[doc][1],
                "sentence": str(sentence) if sentence is not None else None,
                "start": str(start) if start is not None else None,
            }


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
