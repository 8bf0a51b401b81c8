"""Coreference scores over clusters of mentions: MUC, B³ and CEAF-e (and their mean).

A clustering is a list of sets of hashable mention keys. Key and response may hold
different mentions (a mention only one side has is "twinless"): MUC and B³ count it as
the CoNLL-2012 scorer does, CEAF-e aligns whole clusters one to one (Kuhn-Munkres).

    >>> key = [{1, 2, 3}, {4, 5}]
    >>> response = [{1, 2}, {3, 4, 5}]
    >>> round(muc(key, response).f1, 3), round(b_cubed(key, response).f1, 3)
    (0.667, 0.733)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence, Set
from dataclasses import dataclass

Clusters = Sequence[Set[Hashable]]


@dataclass(frozen=True)
class PRF:
    """Precision and recall as numerator/denominator pairs (so documents add up)."""

    p_num: float = 0.0
    p_den: float = 0.0
    r_num: float = 0.0
    r_den: float = 0.0

    @property
    def precision(self) -> float:
        return self.p_num / self.p_den if self.p_den else 0.0

    @property
    def recall(self) -> float:
        return self.r_num / self.r_den if self.r_den else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(
            self.p_num + other.p_num,
            self.p_den + other.p_den,
            self.r_num + other.r_num,
            self.r_den + other.r_den,
        )

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _muc_side(key: Clusters, response: Clusters) -> tuple[float, float]:
    """MUC recall of ``key`` against ``response``: links kept over links needed."""
    where = {m: i for i, cluster in enumerate(response) for m in cluster}
    num = den = 0.0
    for cluster in key:
        if not cluster:
            continue
        parts = {where.get(m, ("alone", m)) for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num, den


def muc(key: Clusters, response: Clusters) -> PRF:
    """Vilain et al. (1995): the links of each side the other side keeps."""
    r_num, r_den = _muc_side(key, response)
    p_num, p_den = _muc_side(response, key)
    return PRF(p_num, p_den, r_num, r_den)


def _b_cubed_side(key: Clusters, response: Clusters) -> tuple[float, float]:
    where = {m: i for i, cluster in enumerate(response) for m in cluster}
    num = den = 0.0
    for cluster in key:
        if not cluster:
            continue
        counts: dict[int, int] = {}
        for m in cluster:
            if m in where:
                counts[where[m]] = counts.get(where[m], 0) + 1
        num += sum(c * c for c in counts.values()) / len(cluster)
        den += len(cluster)
    return num, den


def b_cubed(key: Clusters, response: Clusters) -> PRF:
    """Bagga and Baldwin (1998): per mention, the overlap of its key and response clusters."""
    r_num, r_den = _b_cubed_side(key, response)
    p_num, p_den = _b_cubed_side(response, key)
    return PRF(p_num, p_den, r_num, r_den)


def ceaf_e(key: Clusters, response: Clusters) -> PRF:
    """Luo (2005), entity-based: the best one-to-one alignment of clusters, φ4 similarity."""
    key = [c for c in key if c]
    response = [c for c in response if c]
    if not key or not response:
        return PRF(0.0, float(len(response)), 0.0, float(len(key)))
    similarity = [[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key]
    best = sum(similarity[i][j] for i, j in assignment(similarity))
    return PRF(best, float(len(response)), best, float(len(key)))


def conll_f1(scores: Sequence[PRF]) -> float:
    """The CoNLL-2012 score: the mean F1 of MUC, B³ and CEAF-e."""
    return sum(s.f1 for s in scores) / len(scores) if scores else 0.0


def assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Row/column pairs of maximal total weight, each row and column used once.

    The Hungarian algorithm (Kuhn-Munkres, O(n³)) on the square matrix padded with zeros.

    >>> assignment([[1, 0], [1, 0.5]])
    [(0, 0), (1, 1)]
    """
    rows, cols = len(weights), len(weights[0]) if weights else 0
    n = max(rows, cols)
    if n == 0:
        return []
    top = max((w for row in weights for w in row), default=0.0)
    cost = [
        [top - (weights[i][j] if i < rows and j < cols else 0.0) for j in range(n)]
        for i in range(n)
    ]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    match = [0] * (n + 1)  # match[column] = row (1-based), 0 when free
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, n + 1):
                if used[j]:
                    continue
                current = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if current < minv[j]:
                    minv[j], way[j] = current, j0
                if minv[j] < delta:
                    delta, j1 = minv[j], j
            for j in range(n + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    pairs = [(match[j] - 1, j - 1) for j in range(1, n + 1) if match[j]]
    return sorted((i, j) for i, j in pairs if i < rows and j < cols)
