"""Where to draw each node, and which nodes belong together, computed before the page opens.

The browser then has nothing to simulate: a page of a few hundred entities is still
the moment it is drawn. Communities are Louvain's (networkx, fixed seed); facts inside
a community pull harder than facts across, so communities sit together.

    >>> drawing = layout(view.graph)                       # doctest: +SKIP
    >>> drawing.positions["https://example.org/kg/entity/person/joe-biden"]  # doctest: +SKIP
    (412.0, -88.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx

#: Distance between linked nodes, in vis-network's canvas units (a label is ~14 high).
SPACING = 120.0
#: How much more a fact inside a community pulls than one across communities.
COMMUNITY_PULL = 3.0
SEED = 7


@dataclass(frozen=True)
class Drawing:
    """Positions (canvas units, centred on 0), a community number per node, centrality."""

    positions: dict[Any, tuple[float, float]]
    communities: dict[Any, int]
    centrality: dict[Any, float]


def layout(graph: networkx.MultiDiGraph, *, positions: bool = True) -> Drawing:
    """Communities, PageRank and (unless ``positions`` is False) a force-directed layout."""
    import networkx as nx

    from kg.network.views import pagerank

    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    communities = community_of(simple)
    scores = pagerank(graph)
    placed = _positions(simple, communities) if positions else {}
    return Drawing(placed, communities, scores)


def community_of(simple: networkx.Graph) -> dict[Any, int]:
    """Louvain communities, numbered from the largest (0); isolated nodes get their own."""
    import networkx as nx

    if simple.number_of_edges() == 0:
        return {node: index for index, node in enumerate(simple.nodes)}
    groups = nx.community.louvain_communities(simple, seed=SEED)
    ordered = sorted(groups, key=lambda group: (-len(group), min(str(n) for n in group)))
    return {node: index for index, group in enumerate(ordered) for node in group}


def _positions(
    simple: networkx.Graph, communities: dict[Any, int]
) -> dict[Any, tuple[float, float]]:
    """Fruchterman-Reingold per connected component; the largest first, the rest in rows beside it."""
    import networkx as nx

    for u, v in simple.edges():
        simple.edges[u, v]["weight"] = COMMUNITY_PULL if communities[u] == communities[v] else 1.0
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    out: dict[Any, tuple[float, float]] = {}
    boxes: list[tuple[dict[Any, tuple[float, float]], float]] = []
    for component in components:
        part = simple.subgraph(component)
        count = len(component)
        if count == 1:
            placed = {next(iter(component)): (0.0, 0.0)}
        else:
            iterations = max(20, min(80, 40_000 // count))  # large drawings get a coarser layout
            raw = nx.spring_layout(part, weight="weight", seed=SEED, iterations=iterations)
            scale = SPACING * math.sqrt(count) * (1.5 if count > 20 else 0.8)
            placed = {n: (float(x) * scale, float(y) * scale) for n, (x, y) in raw.items()}
        radius = max((math.hypot(x, y) for x, y in placed.values()), default=0.0) + SPACING * 0.4
        boxes.append((placed, radius))
    if not boxes:
        return out
    # The largest component on the left; the others to its right, in rows (screens are wide).
    main, main_radius = boxes[0]
    out.update(main)
    width = max(1.4 * main_radius, SPACING * 6)
    left, top = main_radius + SPACING * 0.5, -main_radius
    x, row_height = left, 0.0
    for placed, radius in boxes[1:]:
        size = 2 * radius
        if x + size > left + width and x > left:
            x, top, row_height = left, top + row_height, 0.0
        centre = (x + radius, top + radius)
        out.update({n: (px + centre[0], py + centre[1]) for n, (px, py) in placed.items()})
        x += size
        row_height = max(row_height, size)
    return {n: (round(px, 1), round(py, 1)) for n, (px, py) in out.items()}
