"""Views of a large entity graph: the most central part, one neighbourhood, filters.

Works on the networkx ``MultiDiGraph`` of :mod:`kg.network.convert` (nodes carry ``label``,
``type``, ``aliases``; edges ``relation``) through its methods only, so this module
imports no graph library. Used by ``kg viz`` (:mod:`kg.network.html`) and ``kg serve``.

    >>> view = select(graph, focus="Jens Stoltenberg", hops=1)   # doctest: +SKIP
    >>> view.graph.number_of_nodes(), view.note                  # doctest: +SKIP

Centrality is PageRank (damping 0.85, facts as directed links, parallel facts
counted) or degree (facts in and out).
"""

from __future__ import annotations

import contextlib
import difflib
import gc
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.model import ENTITY_TYPES

if TYPE_CHECKING:
    import networkx

RANKINGS = ("pagerank", "degree")
#: Graphs with more nodes than this are reduced to their most central nodes by default.
DEFAULT_MAX_NODES = 300
#: The node type drawn, by default, as an attribute of its speaker rather than as a node.
QUOTE_TYPE = "Quote"


@dataclass
class View:
    """A part of a graph and what was left out, in words (``note``) and numbers."""

    graph: networkx.MultiDiGraph
    total_nodes: int
    total_edges: int
    steps: list[str] = field(default_factory=list)
    hint: str = ""

    @property
    def reduced(self) -> bool:
        return (
            self.graph.number_of_nodes() < self.total_nodes
            or self.graph.number_of_edges() < self.total_edges
        )

    @property
    def note(self) -> str | None:
        """One paragraph for the page, or None when nothing was left out."""
        if not self.reduced:
            return None
        shown_nodes, shown_edges = self.graph.number_of_nodes(), self.graph.number_of_edges()
        text = (
            f"Showing {shown_nodes:,} of {self.total_nodes:,} entities and "
            f"{shown_edges:,} of {self.total_edges:,} facts"
        )
        if self.steps:
            text += ": " + "; ".join(self.steps)
        text += "."
        left = self.total_nodes - shown_nodes
        if left:
            text += f" {left:,} entities are left out."
        if self.hint:
            text += " " + self.hint
        return text


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while a large graph is built or copied: its nodes'
    dicts make no cycles, and the collector's passes over them cost a fifth of a view."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def select(
    graph: networkx.MultiDiGraph,
    *,
    top: int | None = None,
    focus: str | Iterable[str] | None = None,
    hops: int = 1,
    types: Collection[str] | None = None,
    relations: Collection[str] | None = None,
    rank: str = "pagerank",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    quotes: bool = False,
    isolated: bool = False,
    hint: str = "",
) -> View:
    """Filter by type and relation, then keep a neighbourhood, then the most central nodes.

    Inverse facts (``participant``/``participantIn``, ``predecessor``/``successor``) are
    one fact, drawn and counted once (:func:`merge_inverses`). Quotes are left out
    unless ``quotes`` (they are attributes of their speakers, see :func:`quotes_by_speaker`),
    and so are entities without any fact unless ``isolated``. ``focus`` names entities
    (label, alias or IRI); ``hops`` is how far to go from them, ignoring edge direction.
    ``top`` keeps the N most central nodes (``rank``: ``pagerank`` or ``degree``);
    ``max_nodes`` (None: no limit) does the same for any graph still larger after
    that. Focus nodes are always kept. ``hint`` is added to the note when something
    was left out (how to see the rest).

    A graph read without its entities that have no fact (``to_networkx(linked_only=True)``)
    counts them per type in ``graph.graph["unlinked"]``: the view and its note are the
    same as from the whole graph, for a view that hides them (no ``focus``, not
    ``isolated``).

        >>> select(graph, top=100, types=["Person", "Organization"]).graph  # doctest: +SKIP
    """
    with bulk():
        return _select(
            graph,
            top=top,
            focus=focus,
            hops=hops,
            types=types,
            relations=relations,
            rank=rank,
            max_nodes=max_nodes,
            quotes=quotes,
            isolated=isolated,
            hint=hint,
        )


def _select(
    graph: networkx.MultiDiGraph,
    *,
    top: int | None,
    focus: str | Iterable[str] | None,
    hops: int,
    types: Collection[str] | None,
    relations: Collection[str] | None,
    rank: str,
    max_nodes: int | None,
    quotes: bool,
    isolated: bool,
    hint: str,
) -> View:
    if rank not in RANKINGS:
        raise KGError(f"unknown ranking {rank!r} (valid: {', '.join(RANKINGS)})")
    if hops < 0:
        raise KGError(f"hops must be 0 or more, not {hops}")
    for name, value in (("top", top), ("max nodes", max_nodes)):
        if value is not None and value < 1:
            raise KGError(f"{name} must be 1 or more, not {value}")
    unlinked: dict[str, int] = dict(graph.graph.get("unlinked") or {})
    graph = merge_inverses(graph)
    total = graph.number_of_nodes() + sum(unlinked.values())
    view = View(graph, total, graph.number_of_edges(), hint=hint)
    current = graph
    if types:
        wanted = check_types(types)
        current = _induced(current, [n for n, t in current.nodes(data="type") if t in wanted])
        unlinked = {kind: count for kind, count in unlinked.items() if kind in wanted}
        view.steps.append("types " + ", ".join(sorted(wanted)))
    if not quotes and not (types and QUOTE_TYPE in check_types(types)):
        kept = [n for n, t in current.nodes(data="type") if t != QUOTE_TYPE]
        quotes_alone = unlinked.pop(QUOTE_TYPE, 0)
        if len(kept) < current.number_of_nodes() or quotes_alone:
            view.steps.append("quotes shown with their speakers, not as nodes")
        if len(kept) < current.number_of_nodes():
            current = _induced(current, kept)
    focus_nodes: list[Any] = []
    if focus is not None:
        names = [focus] if isinstance(focus, str) else list(focus)
        focus_nodes = [node for name in names for node in find_nodes(graph, name)]
        missing = [node for node in focus_nodes if node not in current]
        if missing:
            raise KGError(
                f"{_label(graph, missing[0])} is left out by the type filter "
                f"(it is a {graph.nodes[missing[0]].get('type') or 'node of no type'})"
            )
    if relations:
        wanted_relations = check_relations(current, relations)
        current = _edge_filtered(current, wanted_relations, keep=focus_nodes)
        unlinked = {}  # no fact of those relations either
        view.steps.append("relations " + ", ".join(sorted(wanted_relations)))
    if focus_nodes:
        near = neighbourhood(current, focus_nodes, hops)
        current = _induced(current, near)
        around = ", ".join(sorted({_label(graph, n) for n in focus_nodes}))
        view.steps.append(f"{hops} hop{'s' if hops != 1 else ''} around {around}")
    if not isolated:
        keep = set(focus_nodes)
        degree = dict(current.degree())
        linked = [n for n in current if degree[n] > 0 or n in keep]
        alone = current.number_of_nodes() - len(linked) + sum(unlinked.values())
        if alone:
            view.steps.append(f"{alone:,} entities without facts hidden")
        if len(linked) < current.number_of_nodes():
            current = _induced(current, linked)
    if top is not None and current.number_of_nodes() > top:
        current = _induced(current, most_central(current, top, rank=rank, keep=focus_nodes))
        view.steps.append(f"the {top:,} most central by {_rank_name(rank)}")
    if max_nodes is not None and current.number_of_nodes() > max_nodes:
        current = _induced(current, most_central(current, max_nodes, rank=rank, keep=focus_nodes))
        view.steps.append(
            f"the {max_nodes:,} most central by {_rank_name(rank)} "
            f"(graphs over {max_nodes:,} entities are reduced by default)"
        )
    if not isolated and current.number_of_nodes() < graph.number_of_nodes():
        keep = set(focus_nodes)
        degree = dict(current.degree())
        linked = [n for n in current if degree[n] > 0 or n in keep]
        if len(linked) < current.number_of_nodes():
            current = _induced(current, linked)
    view.graph = current
    return view


# --- facts stated once, quotes as attributes -------------------------------------------


def inverse_relations() -> dict[str, str]:
    """Each relation with an ``owl:inverseOf`` and the one name both are drawn as.

    The alphabetically first of a pair is kept: ``participantIn`` → ``participant``,
    ``successor`` → ``predecessor`` (the ontology declares the pairs).
    """
    from kg.rdf.ontology import inverses

    return {name: min(name, other) for name, other in inverses().items() if other < name}


def merge_inverses(graph: networkx.MultiDiGraph) -> networkx.MultiDiGraph:
    """The same graph with each inverse fact turned around and kept once.

    ``B participantIn A`` becomes ``A participant B``; when both directions were
    stated, one edge is left (the one with the better confidence). ``graph`` itself
    is returned when it holds no inverse relation.
    """
    inverse = inverse_relations()
    if not any(rel in inverse for _, _, rel in graph.edges(data="relation")):
        return graph
    out = graph.__class__()
    out.add_nodes_from(graph.nodes(data=True))
    best: dict[tuple[Any, Any, str], dict] = {}
    for u, v, data in _edge_data(graph):
        relation = data.get("relation")
        if relation in inverse:
            u, v, data = v, u, {**data, "relation": inverse[relation]}
            if "iri" in data:
                data["iri"] = str(data["iri"])[: -len(str(relation))] + inverse[relation]
        key = (u, v, str(data.get("relation")))
        previous = best.get(key)
        if previous is None or _confidence(data) > _confidence(previous):
            best[key] = data
    for (u, v, relation), data in best.items():
        if graph.is_multigraph():
            out.add_edge(u, v, key=relation, **data)
        else:
            out.add_edge(u, v, **data)
    return out


def quotes_by_speaker(graph: networkx.MultiDiGraph) -> dict[Any, list[dict[str, Any]]]:
    """Each speaker's quotes (node id, text, evidence sentence), most confident first.

    A quote is a node of type Quote with a ``speaker`` fact; its text is its label.
    """
    out: dict[Any, list[dict[str, Any]]] = {}
    for u, v, data in _edge_data(graph):
        if data.get("relation") != "speaker" or graph.nodes[u].get("type") != QUOTE_TYPE:
            continue
        out.setdefault(v, []).append(
            {
                "id": u,
                "text": _label(graph, u),
                "evidence": str(data.get("evidence") or ""),
                "confidence": _confidence(data),
            }
        )
    for quotes in out.values():
        quotes.sort(key=lambda q: (-q["confidence"], q["text"]))
    return out


def _edge_data(graph: networkx.MultiDiGraph) -> Iterable[tuple[Any, Any, dict]]:
    if graph.is_multigraph():
        return ((u, v, d) for u, v, _k, d in graph.edges(keys=True, data=True))
    return graph.edges(data=True)


def _confidence(data: dict) -> float:
    try:
        return float(data.get("confidence") or 0.0)
    except (TypeError, ValueError):
        return 0.0


# --- finding and ranking ---------------------------------------------------------------


def find_nodes(graph: networkx.MultiDiGraph, name: str) -> list[Any]:
    """Nodes whose IRI, label or alias is ``name`` (case-insensitive); KGError if none.

    The error suggests close names, so a typo is one step from the right call.
    """
    if name in graph:
        return [name]
    wanted = name.casefold().strip()
    found = [
        node
        for node, data in graph.nodes(data=True)
        if wanted in {n.casefold() for n in _names(data)}
    ]
    if found:
        return found
    names = sorted({n for _, data in graph.nodes(data=True) for n in _names(data)})
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.6)
    suggestion = f" (did you mean: {', '.join(close)}?)" if close else ""
    raise KGError(f"no entity named {name!r} in the graph{suggestion}")


def check_types(types: Iterable[str]) -> set[str]:
    """Entity type names, checked against the ontology's (case-insensitive)."""
    known = {t.casefold(): t for t in ENTITY_TYPES}
    out = set()
    for name in types:
        if name.casefold() not in known:
            raise KGError(f"unknown entity type {name!r} (valid: {', '.join(ENTITY_TYPES)})")
        out.add(known[name.casefold()])
    return out


def check_relations(graph: networkx.MultiDiGraph, relations: Iterable[str]) -> set[str]:
    """Relation names, each checked against the relations the graph has."""
    present = {data.get("relation") for _, _, data in graph.edges(data=True)}
    out = set()
    for name in relations:
        if name not in present:
            valid = ", ".join(sorted(r for r in present if r)) or "none"
            raise KGError(f"no fact has relation {name!r} (relations in this graph: {valid})")
        out.add(name)
    return out


def centrality(graph: networkx.MultiDiGraph, rank: str = "pagerank") -> dict[Any, float]:
    """A score per node: PageRank or degree."""
    if rank == "degree":
        return {node: float(degree) for node, degree in graph.degree()}
    if rank == "pagerank":
        return pagerank(graph)
    raise KGError(f"unknown ranking {rank!r} (valid: {', '.join(RANKINGS)})")


def most_central(
    graph: networkx.MultiDiGraph, n: int, *, rank: str = "pagerank", keep: Iterable[Any] = ()
) -> list[Any]:
    """The ``n`` most central nodes (ties by label, then id), plus every node in ``keep``."""
    scores = centrality(graph, rank)
    kept = [node for node in dict.fromkeys(keep) if node in graph]
    others = sorted(
        (node for node in graph if node not in set(kept)),
        key=lambda node: (-scores[node], _label(graph, node).casefold(), str(node)),
    )
    return kept + others[: max(n - len(kept), 0)]


def pagerank(
    graph: networkx.MultiDiGraph,
    *,
    damping: float = 0.85,
    tolerance: float = 1e-9,
    max_iter: int = 200,
) -> dict[Any, float]:
    """PageRank by power iteration (numpy); dangling nodes spread their rank evenly."""
    import numpy

    nodes = list(graph.nodes)
    count = len(nodes)
    if count == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = numpy.array([(index[u], index[v]) for u, v in graph.edges()], dtype=numpy.int64)
    sources = pairs[:, 0] if len(pairs) else numpy.zeros(0, dtype=numpy.int64)
    targets = pairs[:, 1] if len(pairs) else numpy.zeros(0, dtype=numpy.int64)
    out_degree = numpy.bincount(sources, minlength=count).astype(float)
    dangling = out_degree == 0
    rank = numpy.full(count, 1.0 / count)
    for _ in range(max_iter):
        share = numpy.divide(rank, out_degree, out=numpy.zeros(count), where=~dangling)
        new = numpy.bincount(targets, weights=share[sources], minlength=count) * damping
        new += (1.0 - damping + damping * rank[dangling].sum()) / count
        done = numpy.abs(new - rank).sum() < tolerance * count
        rank = new
        if done:
            break
    return dict(zip(nodes, rank.tolist(), strict=False))


def neighbourhood(graph: networkx.MultiDiGraph, seeds: Iterable[Any], hops: int) -> list[Any]:
    """Nodes within ``hops`` facts of any seed, in either direction (seeds first)."""
    seen = dict.fromkeys(node for node in seeds if node in graph)
    frontier = list(seen)
    for _ in range(hops):
        following = []
        for node in frontier:
            for other in (*graph.successors(node), *graph.predecessors(node)):
                if other not in seen:
                    seen[other] = None
                    following.append(other)
        if not following:
            break
        frontier = following
    return list(seen)


# --- building subgraphs ----------------------------------------------------------------


def _induced(graph: networkx.MultiDiGraph, nodes: Iterable[Any]) -> networkx.MultiDiGraph:
    """A new graph of the same class with ``nodes`` (in order) and the edges among them."""
    keep = dict.fromkeys(nodes)
    out = graph.__class__()
    data = dict(graph.nodes(data=True))
    out.add_nodes_from((node, data[node]) for node in keep)
    if graph.is_multigraph():
        # The edges in graph.edges() order, from the adjacency itself: a large graph's
        # edge views cost more than the copy.
        for u, around in graph.adjacency():
            if u in keep:
                for v, keyed in around.items():
                    if v in keep:
                        for k, d in keyed.items():
                            out.add_edge(u, v, key=k, **d)
    else:
        out.add_edges_from(
            (u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep
        )
    return out


def _edge_filtered(
    graph: networkx.MultiDiGraph, relations: set[str], *, keep: Iterable[Any] = ()
) -> networkx.MultiDiGraph:
    """Only the facts with one of ``relations``, and the nodes they link (plus ``keep``)."""
    if graph.is_multigraph():
        edges = [e for e in graph.edges(keys=True, data=True) if e[3].get("relation") in relations]
    else:
        edges = [e for e in graph.edges(data=True) if e[2].get("relation") in relations]
    linked = dict.fromkeys(node for edge in edges for node in edge[:2])
    linked.update(dict.fromkeys(node for node in keep if node in graph))
    out = graph.__class__()
    out.add_nodes_from((node, graph.nodes[node]) for node in graph if node in linked)
    out.add_edges_from(edges)
    return out


def _names(data: dict) -> list[str]:
    names = [data.get("label") or ""]
    aliases = data.get("aliases") or []
    names.extend([aliases] if isinstance(aliases, str) else aliases)
    return [str(n) for n in names if n]


def _label(graph: networkx.MultiDiGraph, node: Any) -> str:
    return str(graph.nodes[node].get("label") or node)


def _rank_name(rank: str) -> str:
    return "PageRank" if rank == "pagerank" else "degree"
