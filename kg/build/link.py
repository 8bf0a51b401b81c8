"""Links across documents: "Trump" in one article is "Donald Trump" of another, an undated
"meeting of Biden and Putin" is the dated one another article reports.

Resolution works one document at a time, so a document that names a person only by the
surname gives a node of its own (``person/trump``), and an event it does not date has a
key without the date. Every such entity carries a link key in the entities graph
(``kg:linkKey``: ``person:trump``, ``event:event/meeting-joe-biden-vladimir-putin``).
After each batch, every link key the batch touches is looked at again over the whole
store: when exactly one fuller node shares the key (one person of that surname named in
full, one dated event), the short node gets ``owl:sameAs`` to it in the entities graph;
when none or several do, it gets no link. The links are a function of the set of stored
entities, so they depend neither on batches nor on the order documents arrive in, and
the documents' own graphs are never rewritten. The views (``entities()``, the network,
statistics, exports) show linked nodes as one; SPARQL sees ``owl:sameAs``.

    >>> decide_links({"person:trump": {"person/trump", "person/donald-trump"}})
    {'person/trump': 'person/donald-trump'}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import URIRef

from kg.model import Entity
from kg.rdf.namespace import ENTITIES_GRAPH, ENTITY_BASE, entity_iri
from kg.rdf.writer import label_triples, link_key, short_key
from kg.storage.base import GraphStore, Triple

ENTITIES_BY_LINK_KEY_QUERY = f"""
SELECT ?e ?label ?type ?key WHERE {{
  VALUES ?key {{ %s }}
  GRAPH <{ENTITIES_GRAPH}> {{ ?e kg:linkKey ?key ; rdfs:label ?label ; a ?type }}
}}
"""
KEYS_PER_QUERY = 300


def decide_links(members: Mapping[str, set[str]]) -> dict[str, str]:
    """Link key → entity keys sharing it; returns short node key → the one fuller key."""
    links: dict[str, str] = {}
    for link, keys in members.items():
        short = short_key(link)
        fuller = sorted(keys - {short})
        if short in keys and len(fuller) == 1:
            links[short] = fuller[0]
    return links


def entity_links(store: GraphStore, batch: Iterable[Entity]) -> dict[URIRef, list[Triple]]:
    """The entities-graph triples of every short node whose link key the batch touches,
    with its ``owl:sameAs`` link when there is one (see the module docstring)."""
    entities: dict[str, tuple[Entity, str]] = {}  # key → (entity, link key)
    for entity in batch:
        link = link_key(entity)
        if link is not None:
            entities[entity.key] = (entity, link)
    wanted = sorted({link for _, link in entities.values()})
    for i in range(0, len(wanted), KEYS_PER_QUERY):
        values = " ".join(_literal(k) for k in wanted[i : i + KEYS_PER_QUERY])
        for node, label, cls, found in store.query(ENTITIES_BY_LINK_KEY_QUERY % values).rows:
            key = _key(node)
            if key is None or key in entities or label is None or cls is None or found is None:
                continue
            kind = str(cls).rsplit("#", 1)[-1]
            entities[key] = (Entity(key=key, type=kind, label=str(label)), str(found))
    members: dict[str, set[str]] = {}
    for key, (_, link) in entities.items():
        members.setdefault(link, set()).add(key)
    links = decide_links(members)
    out: dict[URIRef, list[Triple]] = {}
    for link, keys in members.items():
        short = short_key(link)
        if short not in keys:
            continue
        entity, _ = entities[short]
        if entity.type == "Event":
            entity.base_key = short
        out[entity_iri(short)] = list(label_triples(entity, links.get(short)))
    return out


def _key(node: object) -> str | None:
    text = str(node)
    base = str(ENTITY_BASE)
    return text[len(base) :] if isinstance(node, URIRef) and text.startswith(base) else None


def _literal(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
