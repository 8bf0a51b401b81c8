"""What the product's graph says about each gold article, read back with SPARQL.

:func:`build_graph` runs the shipped path: the articles as `Document`s (the article id
as document id, the metadata date when the source gives one) through
``KnowledgeGraph.add_documents`` into one in-memory graph. :func:`read_predictions`
then reads, per document, the nodes it mentions (class, ``rdfs:label``, the
``skos:altLabel`` s of its named graph), the facts with evidence in it and its quotes,
as the plain dataclasses of :mod:`kg.evaluation.news_data`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from kg.evaluation.news_data import (
    DATE_PROPERTIES,
    ENTITY_TYPES,
    SCORED_PROPERTIES,
    DocPrediction,
    GoldArticle,
    Node,
    NodeFact,
    NodeQuote,
    normalize_name,
)
from kg.rdf.namespace import ENTITIES_GRAPH

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.evaluation.predictions import Predicted
    from kg.graph import KnowledgeGraph

_TYPES = " ".join(f"kg:{t}" for t in ENTITY_TYPES)
_PROPERTIES = " ".join(f"kg:{p}" for p in SCORED_PROPERTIES)

NODES_QUERY = f"""
SELECT ?id ?e ?type ?label WHERE {{
  ?doc a kg:Document ; dcterms:identifier ?id ; kg:mentions ?e .
  ?e a ?type .
  VALUES ?type {{ {_TYPES} }}
  OPTIONAL {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e rdfs:label ?label }} }}
}}"""
ALIASES_QUERY = """
SELECT ?id ?e ?alias WHERE {
  GRAPH ?g { ?doc a kg:Document ; dcterms:identifier ?id ; kg:mentions ?e . ?e skos:altLabel ?alias }
}"""
MENTION_SPANS_QUERY = """
SELECT ?id ?e ?start ?end WHERE {
  ?ev a kg:Evidence ; rdf:subject ?doc ; rdf:predicate kg:mentions ; rdf:object ?e ;
      kg:startChar ?start ; kg:endChar ?end .
  ?doc dcterms:identifier ?id .
}"""
FACTS_QUERY = f"""
SELECT ?id ?s ?p ?o ?iso (MAX(?c) AS ?confidence) WHERE {{
  ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      kg:document ?doc ; kg:confidence ?c .
  VALUES ?p {{ {_PROPERTIES} }}
  ?doc dcterms:identifier ?id .
  OPTIONAL {{ ?o kg:isoValue ?iso }}
}}
GROUP BY ?id ?s ?p ?o ?iso"""
QUOTES_QUERY = """
SELECT ?id ?q ?text ?start ?end ?speaker WHERE {
  ?ev a kg:Evidence ; rdf:subject ?q ; rdf:predicate kg:quoteText ; rdf:object ?text ;
      kg:document ?doc ; kg:startChar ?start ; kg:endChar ?end .
  ?doc dcterms:identifier ?id .
  OPTIONAL {
    ?sev a kg:Evidence ; rdf:subject ?q ; rdf:predicate kg:speaker ; rdf:object ?speaker ;
         kg:document ?doc .
  }
}"""


def build_graph(
    articles: Sequence[GoldArticle],
    *,
    model: str | None = None,
    on_error: Callable[[str], None] | None = None,
) -> KnowledgeGraph:
    """One in-memory graph of all ``articles``, built as ``kg build`` would but with every
    fact kept (the scorer applies the cut-off, so one build serves the whole sweep)."""
    from kg.documents import document_from_text
    from kg.graph import KnowledgeGraph

    documents = [
        document_from_text(a.text, id=a.id, date=a.date, source=a.source or a.id) for a in articles
    ]
    graph = KnowledgeGraph(model=model, min_confidence=0.0)
    graph.add_documents(documents, on_error=on_error)
    return graph


def read_predictions(
    graph: KnowledgeGraph, articles: Sequence[GoldArticle]
) -> dict[str, DocPrediction]:
    """Nodes, facts and quotes of each article's document, read with SPARQL."""
    texts = {a.id: a.text for a in articles}
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    types: dict[tuple[str, str], str] = {}
    for doc_id, iri, cls, label in graph.query(NODES_QUERY).rows:
        key = (str(doc_id), str(iri))
        types[key] = _local(cls)
        if label is not None:
            names[key].add(str(label))
    for doc_id, iri, alias in graph.query(ALIASES_QUERY).rows:
        names[(str(doc_id), str(iri))].add(str(alias))
    countries = _demonym_countries(graph, texts, types)
    nodes: dict[str, list[Node]] = defaultdict(list)
    for key, kind in sorted(types.items()):
        nodes[key[0]].append(Node(key[1], kind, frozenset(names[key]), countries.get(key)))
    facts: dict[str, list[NodeFact]] = defaultdict(list)
    for doc_id, subject, p, o, iso, confidence in graph.query(FACTS_QUERY).rows:
        prop = _local(p)
        value = str(iso) if prop in DATE_PROPERTIES and iso is not None else str(o)
        facts[str(doc_id)].append(NodeFact(str(subject), prop, value, float(str(confidence))))
    quotes: dict[str, list[NodeQuote]] = defaultdict(list)
    for doc_id, q, text, start, end, speaker in graph.query(QUOTES_QUERY).rows:
        quotes[str(doc_id)].append(
            NodeQuote(str(q), str(text), int(str(start)), int(str(end)), _str(speaker))
        )
    return {
        a.id: DocPrediction(
            a.id,
            tuple(nodes.get(a.id, ())),
            tuple(sorted(facts.get(a.id, ()), key=lambda f: (f.s, f.p, f.o))),
            tuple(sorted(quotes.get(a.id, ()), key=lambda q: (q.start, q.id))),
        )
        for a in articles
    }


def _demonym_countries(
    graph: KnowledgeGraph, texts: dict[str, str], types: dict[tuple[str, str], str]
) -> dict[tuple[str, str], str]:
    """Location nodes whose first mention in a document is a demonym ("Japanese"), with
    the country lexicon's name for it."""
    from kg.data.lexicons import places

    demonyms = places().demonyms
    out: dict[tuple[str, str], str] = {}
    for doc_id, iri, start, end in graph.query(MENTION_SPANS_QUERY).rows:
        key = (str(doc_id), str(iri))
        if types.get(key) != "Location" or str(doc_id) not in texts:
            continue
        surface = texts[str(doc_id)][int(str(start)) : int(str(end))].strip().lower()
        if surface in demonyms:
            out[key] = demonyms[surface]
    return out


def baseline_predictions(
    articles: Sequence[GoldArticle], nlp: Language, *, batch_size: int = 32
) -> dict[str, DocPrediction]:
    """Raw spaCy NER as a graph: one node per distinct (normalized text, type) per
    document, no facts, no quotes (see :mod:`kg.evaluation.baseline`)."""
    from kg.evaluation.baseline import run_baseline

    texts = [(a.id, a.text) for a in articles]
    out: dict[str, DocPrediction] = {}
    for prediction in run_baseline(texts, nlp, batch_size=batch_size):
        out[prediction.doc_id] = DocPrediction(
            prediction.doc_id, tuple(_nodes(prediction.mentions))
        )
    return out


def _nodes(mentions: Iterable[Predicted]) -> Iterable[Node]:
    grouped: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in mentions:
        if m.type in ENTITY_TYPES and normalize_name(m.name):
            grouped[(normalize_name(m.name), m.type)].add(" ".join(m.name.split()))
    for (key, entity_type), surfaces in sorted(grouped.items()):
        yield Node(f"{entity_type}:{key}", entity_type, frozenset(surfaces))


def _local(node: object) -> str:
    """The local name of an ontology IRI: ``kg:Person`` → ``Person``."""
    return str(node).rsplit("#", 1)[-1]


def _str(node: object | None) -> str | None:
    return None if node is None else str(node)
