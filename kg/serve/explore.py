"""The explorer's data: name search, neighbourhoods, an entity's card, a document's page.

Built once per server from ``KnowledgeGraph.to_networkx()`` (entities and facts, read on a
background thread while the server already answers) and answered from memory, except evidence and documents, which are SPARQL queries with
the entity or document bound as a value (never pasted into the text), run through the
server's :class:`~kg.serve.runner.QueryRunner`.

    >>> explorer = Explorer(graph, runner)      # doctest: +SKIP
    >>> explorer.search("stolten")[0]["label"]  # doctest: +SKIP
    'Jens Stoltenberg'
"""

from __future__ import annotations

import difflib
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from kg.errors import KGError
from kg.network.views import QUOTE_TYPE, merge_inverses, most_central, neighbourhood

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.serve.runner import QueryRunner

#: Graphs up to this size are shown whole on the explorer's first view.
OVERVIEW_NODES = 150
#: At most this many nodes come back for one neighbourhood (the most central are kept).
NEIGHBOURHOOD_NODES = 300
MAX_HOPS = 3
#: Evidence sentences listed on an entity's card.
EVIDENCE_ROWS = 100
FUZZY_CUTOFF = 0.75
DATE_RELATIONS = ("date", "startDate")

EVIDENCE_QUERY = """
SELECT ?s ?p ?o ?sentence ?doc ?docId ?title ?start ?confidence WHERE {
  { ?ev rdf:subject ?entity } UNION { ?ev rdf:object ?entity }
  ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  FILTER NOT EXISTS { ?ev kg:rejectedBy ?decision }
  OPTIONAL { ?ev kg:sentence ?sentence }
  OPTIONAL { ?ev kg:startChar ?start }
  OPTIONAL { ?ev kg:confidence ?confidence }
  OPTIONAL {
    ?ev kg:document ?doc .
    OPTIONAL { ?doc dcterms:identifier ?docId }
    OPTIONAL { ?doc dcterms:title ?title }
  }
}
"""
DOCUMENT_QUERY = """
SELECT ?doc ?title ?source ?issued ?url ?author WHERE {
  ?doc a kg:Document ; dcterms:identifier ?id .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:source ?source }
  OPTIONAL { ?doc dcterms:issued ?issued }
  OPTIONAL { ?doc dcterms:references ?url }
  OPTIONAL { ?doc kg:author ?author }
}
"""
DOCUMENT_SENTENCES_QUERY = """
SELECT DISTINCT ?sentence ?start WHERE {
  ?ev kg:document ?doc ; kg:sentence ?sentence .
  OPTIONAL { ?ev kg:startChar ?start }
}
"""
DOCUMENT_MENTIONS_QUERY = "SELECT DISTINCT ?entity WHERE { ?doc kg:mentions ?entity }"
#: IRIs that curation merged or retyped into another entity (docs/curation.md).
SAME_AS_QUERY = "SELECT ?old ?new WHERE { ?old <http://www.w3.org/2002/07/owl#sameAs> ?new }"


def fold(text: str) -> str:
    """Text for matching: accents dropped, case folded, spaces collapsed ("Erdoğan" → "erdogan")."""
    if text.isascii():  # nothing to decompose (most names): the same, five times faster
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


@dataclass(frozen=True)
class _Data:
    """What the explorer answers from: the network and its indexes."""

    shape: Any  # networkx.MultiDiGraph as read, evidence filled per view (fill_evidence)
    network: Any  # the shape with each fact once
    no_quotes: Any  # the network without quote nodes (a view)
    names: list[tuple[str, str, bool]]  # (folded name, node, is label)
    when: dict[str, str]
    same_as: dict[str, str]


@dataclass(frozen=True)
class _Index:
    """What a name search needs, read from an on-disk store's summary
    (:mod:`kg.network.summary`) before the network is: the entities, their folded
    names and their PageRank in the network (as :meth:`Explorer.scores` computes it)."""

    nodes: dict[str, dict[str, Any]]
    names: list[tuple[str, str, bool]]
    scores: dict[str, float]


def _names_of(nodes: Iterable[tuple[str, dict[str, Any]]]) -> list[tuple[str, str, bool]]:
    """(folded name, node, is label) for each label and alias, in node order."""
    names: list[tuple[str, str, bool]] = []
    for node, data in nodes:
        names.append((fold(str(data.get("label") or "")), node, True))
        for alias in data.get("aliases") or []:
            names.append((fold(str(alias)), node, False))
    return names


class Explorer:
    """Search and neighbourhoods over one graph, for the explorer page's JSON API.

    The network is read on a background thread from the moment the explorer is made,
    so the server answers pages at once; a request that needs the network waits for it.
    A store with a summary (:mod:`kg.network.summary`) gives it in a second: it is read
    when a request first needs it, and a name search reads only the summary's index.
    """

    def __init__(self, graph: KnowledgeGraph, runner: QueryRunner) -> None:
        self.runner = runner
        self._scores: dict[str, float] | None = None
        self._data: _Data | None = None
        self._failed: BaseException | None = None
        self._ready = threading.Event()
        self._index: _Index | None = None
        self._index_lock = threading.Lock()
        self._started = False
        self._start_lock = threading.Lock()
        self._knowledge = graph
        self._filled: set[tuple[str, str, str]] = set()  # edges whose evidence was read
        self._fill_lock = threading.Lock()
        self._store = graph.store
        self._summarized = _has_summary(graph.store)
        if not self._summarized:
            self._start()

    def _start(self) -> None:
        """Start reading the network on a background thread (once)."""
        with self._start_lock:
            if not self._started:
                self._started = True
                threading.Thread(
                    target=self._load, args=(self._knowledge,), name="kg-explorer-load", daemon=True
                ).start()

    def _load(self, graph: KnowledgeGraph) -> None:
        from kg.network.convert import to_networkx

        try:
            shape = to_networkx(graph.store, evidence=False)  # evidence: per view
            network = merge_inverses(shape)  # each fact once, either way stated
            names = _names_of(network.nodes(data=True))
            self._data = _Data(
                shape=shape,
                network=network,
                no_quotes=network.subgraph(
                    [n for n, t in network.nodes(data="type") if t != QUOTE_TYPE]
                ),
                names=names,
                when=_dates(network),
                same_as={
                    str(old): str(new)
                    for old, new in graph.query(SAME_AS_QUERY).rows
                    if str(new) in network and str(old) not in network
                },
            )
        except BaseException as exc:  # raised again to every request that needs the data
            self._failed = exc
        finally:
            self._ready.set()

    def _search_index(self) -> _Index | None:
        """The summary's search index, read on first use (None: no summary)."""
        if not self._summarized:
            return None
        with self._index_lock:
            if self._index is None:
                self._index = _index_of(self._store)
                self._summarized = self._index is not None
            return self._index

    def _loaded(self) -> _Data:
        """The network and its indexes, once read (waits for the background read)."""
        self._start()
        self._ready.wait()
        if self._data is None:
            raise KGError(f"the explorer could not read the graph: {self._failed}")
        return self._data

    @property
    def network(self) -> Any:
        return self._loaded().network

    @property
    def _no_quotes(self) -> Any:
        return self._loaded().no_quotes

    @property
    def _names(self) -> list[tuple[str, str, bool]]:
        return self._loaded().names

    @property
    def _when(self) -> dict[str, str]:
        return self._loaded().when

    @property
    def _same_as(self) -> dict[str, str]:
        return self._loaded().same_as

    def resolve(self, iri: str) -> str:
        """The entity an IRI names now (an IRI curation merged away names the survivor)."""
        return self._same_as.get(iri, iri)

    # -- search ----------------------------------------------------------------------

    def search(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """Entities by name: exact, then prefix (of the name or a word), substring, fuzzy."""
        query = fold(text)
        if not query:
            return []
        index = self._search_index()
        if index is not None:  # from the summary: the network need not be read yet
            names, scores, nodes = index.names, index.scores, index.nodes
        else:
            names, scores, nodes = self._names, self.scores(), self.network.nodes
        best: dict[str, tuple[int, float]] = {}
        for name, node, is_label in names:
            rank = _match_rank(query, name, is_label)
            if rank is not None and (node not in best or rank < best[node][0]):
                best[node] = (rank, 1.0)
        if len(best) < limit and len(query) >= 3:
            for node, ratio in _fuzzy(query, names):
                if node not in best:
                    best[node] = (9, ratio)
        ordered = sorted(
            best,
            key=lambda n: (
                nodes[n].get("type") == QUOTE_TYPE,  # entities before quotes
                best[n][0],
                -best[n][1],
                -scores.get(n, 0.0),
                _label_of(n, nodes[n]).casefold(),
            ),
        )
        return [
            _summary_of(node, nodes[node]) | {"match": "fuzzy" if best[node][0] == 9 else "name"}
            for node in ordered[:limit]
        ]

    # -- networks ----------------------------------------------------------------------

    def _graph(self, quotes: bool) -> Any:
        """The network with quote nodes, or without them (quotes are on their speakers)."""
        return self.network if quotes else self._no_quotes

    def overview(self, limit: int = OVERVIEW_NODES, *, quotes: bool = False) -> dict[str, Any]:
        """The whole graph when small, else its ``limit`` most central entities."""
        graph = self._graph(quotes)
        nodes = list(graph)
        note = None
        if len(nodes) > limit:
            nodes = most_central(graph, limit)
            note = (
                f"Showing the {limit:,} most central of {len(self.network):,} entities "
                "(PageRank). Search for a name to see any entity's neighbourhood."
            )
        return self._payload(nodes, note=note)

    def neighbourhood(
        self,
        iris: list[str],
        hops: int = 1,
        limit: int = NEIGHBOURHOOD_NODES,
        *,
        quotes: bool = False,
    ) -> dict[str, Any]:
        """Entities within ``hops`` facts of ``iris`` (unknown IRIs are ignored)."""
        iris = [self.resolve(iri) for iri in iris]
        graph = (
            self.network
            if quotes or any(i in self.network and i not in self._no_quotes for i in iris)
            else self._no_quotes
        )
        seeds = [iri for iri in iris if iri in graph]
        hops = max(0, min(hops, MAX_HOPS))
        nodes = neighbourhood(graph, seeds, hops)
        note = None
        if len(nodes) > limit:
            note = f"{len(nodes) - limit:,} more neighbours not shown (the most central are)."
            sub = graph.subgraph(nodes)
            nodes = most_central(sub, limit, keep=seeds)
        return self._payload(nodes, note=note) | {"seeds": seeds}

    def _payload(self, nodes: list[str], *, note: str | None) -> dict[str, Any]:
        from kg.network.html import vis_data

        sub = self._with_evidence(nodes)
        vis_nodes, vis_edges = vis_data(sub)
        for item in vis_nodes:
            item["when"] = self._when.get(item["id"])
        for item, (source, target, key) in zip(vis_edges, sub.edges(keys=True), strict=False):
            item["id"] = f"{source} {key} {target}"
        return {"nodes": vis_nodes, "edges": vis_edges, "note": note, "total": len(self.network)}

    def _with_evidence(self, nodes: list[str]) -> Any:
        """The network among ``nodes``, its facts with their evidence (asked of the store
        for the nodes not shown before: queries bound to them)."""
        from kg.network.convert import fill_evidence

        data = self._loaded()
        shape = data.shape.subgraph(nodes)
        with self._fill_lock:
            ends = {
                end
                for u, v, key in shape.edges(keys=True)
                if (u, v, key) not in self._filled
                for end in (u, v)
            }
            if ends:
                fill_evidence(self._store, data.shape, ends)
                self._filled.update(data.shape.subgraph(ends).edges(keys=True))
        part = merge_inverses(shape)
        out = data.network.subgraph(nodes).copy()
        for u, v, key, attrs in out.edges(keys=True, data=True):
            attrs.update(part.edges[u, v, key])
        return out

    def facets(self) -> dict[str, Any]:
        """Entity types and relations with counts, and the span of the full dates known."""
        types = Counter(data.get("type") or "Other" for _, data in self.network.nodes(data=True))
        relations = Counter(rel for _, _, rel in self.network.edges(data="relation"))
        full = sorted(d for d in self._when.values() if d and d[0].isdigit())
        return {
            "types": [{"name": t, "count": c} for t, c in sorted(types.items())],
            "relations": [{"name": r, "count": c} for r, c in sorted(relations.items())],
            "dates": {"min": full[0] if full else None, "max": full[-1] if full else None},
            "entities": len(self.network),
            "facts": self.network.number_of_edges(),
        }

    def scores(self) -> dict[str, float]:
        if self._scores is None:
            from kg.network.views import pagerank

            self._scores = pagerank(self.network)
        return self._scores

    # -- one entity ---------------------------------------------------------------------

    def summary(self, node: str) -> dict[str, Any]:
        return _summary_of(node, self.network.nodes[node])

    def entity(self, iri: str) -> dict[str, Any] | None:
        """An entity's card: names, roles, relations, evidence sentences and documents."""
        iri = self.resolve(iri)
        if iri not in self.network:
            return None
        from rdflib import URIRef

        data = self.network.nodes[iri]
        card = self.summary(iri) | {
            "subtype": data.get("subtype"),
            "value": data.get("value"),
            "when": self._when.get(iri),
            "relations": self._relations(iri),
        }
        result = self.runner.query(EVIDENCE_QUERY, {"entity": URIRef(iri)})
        card |= self._evidence(result.dicts())
        return card

    def _relations(self, iri: str) -> list[dict[str, Any]]:
        """Facts linking the entity to others; quotes are listed apart (``kg.serve.quotes``)."""
        graph = self._graph(iri not in self._no_quotes)
        rows = []
        for _, other, data in graph.out_edges(iri, data=True):
            rows.append(self._relation_row(data, "out", other))
        for other, _, data in graph.in_edges(iri, data=True):
            rows.append(self._relation_row(data, "in", other))
        return sorted(rows, key=lambda r: (r["relation"], r["direction"], r["label"].casefold()))

    def _relation_row(self, data: dict, direction: str, other: str) -> dict[str, Any]:
        return {
            "relation": data.get("relation") or "relatedTo",
            "direction": direction,
            "open": bool(data.get("open")),
            **self.summary(other),
        }

    def _evidence(self, rows: list[dict[str, str | None]]) -> dict[str, Any]:
        """Evidence rows grouped by (document, sentence), each with the facts it supports."""
        from kg.network.convert import local_name

        sentences: dict[tuple[str, str], dict[str, Any]] = {}
        documents: dict[str, dict[str, Any]] = {}
        for row in rows:
            doc_id = row["docId"] or ""
            if doc_id and doc_id not in documents:
                documents[doc_id] = _document_link(doc_id, row["title"])
            key = (doc_id, row["sentence"] or "")
            item = sentences.setdefault(
                key,
                {
                    "sentence": row["sentence"] or "",
                    "document": documents.get(doc_id),
                    "start": _int(row["start"]),
                    "facts": [],
                },
            )
            fact = {
                "subject": self._name_of(row["s"], row["title"]),
                "relation": local_name(URIRef(row["p"])) if row["p"] else "",
                "object": self._name_of(row["o"], row["title"]),
                "iris": [row["s"], row["p"], row["o"]],
            }
            if fact not in item["facts"]:
                item["facts"].append(fact)
        ordered = sorted(
            sentences.values(),
            key=lambda i: (
                i["document"] is None,
                str(i["document"] and i["document"]["title"]),
                i["start"] or 0,
            ),
        )
        return {
            "evidence": ordered[:EVIDENCE_ROWS],
            "evidence_total": len(ordered),
            "documents": sorted(
                documents.values(), key=lambda d: (d["title"] or d["id"]).casefold()
            ),
        }

    def _name_of(self, value: str | None, title: str | None) -> str:
        if value is None:
            return ""
        if value in self.network:
            return self._label(value)
        if "/document/" in value:
            return title or value.rsplit("/", 1)[-1]
        return value

    # -- one document ---------------------------------------------------------------------

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """A document's metadata, the entities it mentions and its evidence sentences."""
        from rdflib import Literal

        found = self.runner.query(DOCUMENT_QUERY, {"id": Literal(doc_id)}).dicts()
        if not found:
            return None
        meta = found[0]
        from rdflib import URIRef

        doc = URIRef(meta["doc"] or "")
        mentioned = self.runner.query(DOCUMENT_MENTIONS_QUERY, {"doc": doc}).dicts()
        entities = sorted(
            (self.summary(r["entity"] or "") for r in mentioned if r["entity"] in self.network),
            key=lambda e: (e["type"], e["label"].casefold()),
        )
        lines = self.runner.query(DOCUMENT_SENTENCES_QUERY, {"doc": doc}).dicts()
        starts: dict[str, int] = {}
        for line in lines:
            text = line["sentence"] or ""
            start = _int(line["start"])
            if text and (text not in starts or (start is not None and start < starts[text])):
                starts[text] = start if start is not None else 10**12
        author = meta["author"]
        return {
            "id": doc_id,
            "iri": meta["doc"],
            "title": meta["title"] or doc_id,
            "source": meta["source"],
            "issued": meta["issued"],
            "url": meta["url"],
            "author": self._label(author) if author and author in self.network else author,
            "entities": entities,
            "sentences": sorted(starts, key=lambda s: (starts[s], s)),
        }

    # -- helpers --------------------------------------------------------------------------

    def _label(self, node: str) -> str:
        return _label_of(node, self.network.nodes[node])


def _has_summary(store: Any) -> bool:
    """Whether the store has a summary already (none is computed here)."""
    from kg.network.summary import stored_summary

    found = stored_summary(store, compute_missing=False)
    if found is None:
        return False
    found.close()
    return True


def _index_of(store: Any) -> _Index | None:
    """The search index from the store's summary (None: a store without one)."""
    from kg.network.summary import stored_summary

    found = stored_summary(store)
    if found is None:
        return None
    with found:
        nodes = found.entities()
        return _Index(nodes, _names_of(nodes.items()), found.ranks())


def _fuzzy(query: str, names: list[tuple[str, str, bool]]) -> Iterable[tuple[str, float]]:
    matcher = difflib.SequenceMatcher(a=query)
    for name, node, _ in names:
        for candidate in (name, *name.split()):
            matcher.set_seq2(candidate)
            if (
                matcher.real_quick_ratio() >= FUZZY_CUTOFF
                and matcher.quick_ratio() >= FUZZY_CUTOFF
                and matcher.ratio() >= FUZZY_CUTOFF
            ):
                yield node, matcher.ratio()
                break


def _label_of(node: str, data: dict[str, Any]) -> str:
    return str(data.get("label") or node.rsplit("/", 1)[-1])


def _summary_of(node: str, data: dict[str, Any]) -> dict[str, Any]:
    """An entity as a search result or a relation lists it."""
    return {
        "iri": node,
        "label": _label_of(node, data),
        "type": data.get("type") or "Other",
        "aliases": list(data.get("aliases") or []),
        "roles": list(data.get("roles") or []),
    }


def _dates(network: Any) -> dict[str, str]:
    """ISO value per Date node, and per event (its date, else its start date)."""
    when = {
        node: str(data["value"])
        for node, data in network.nodes(data=True)
        if data.get("type") == "Date" and data.get("value")
    }
    events: dict[str, str] = {}
    for relation in reversed(DATE_RELATIONS):
        for source, target, rel in network.edges(data="relation"):
            if rel == relation and target in when:
                events[source] = when[target]
    when.update(events)
    return when


def _match_rank(query: str, name: str, is_label: bool) -> int | None:
    """0 exact label, 1 exact alias, 2/3 prefix of label/alias, 4 prefix of a word, 5 substring."""
    if not name:
        return None
    if name == query:
        return 0 if is_label else 1
    if name.startswith(query):
        return 2 if is_label else 3
    if any(word.startswith(query) for word in name.split()[1:]):
        return 4
    if query in name:
        return 5
    return None


def _document_link(doc_id: str, title: str | None) -> dict[str, Any]:
    from urllib.parse import quote

    return {"id": doc_id, "title": title or doc_id, "href": f"/document/{quote(doc_id, safe='')}"}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
