"""Features of an ordered pair of entity spans in one sentence, for the relation classifier.

Used identically when training (gold spans, kg/training/relations.py) and when
extracting (our mentions, kg/extract/classifier.py): types, the words between, the
words around, and the dependency path between the two heads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.data import lexicons

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

MAX_BETWEEN = 12


def _word(token: Token) -> str:
    if token.like_num:
        return "<num>"
    return token.lemma_.lower()


def _path(a: Token, b: Token) -> tuple[list[str], list[str]]:
    """Dependency labels and lemmas from ``a`` up to the common ancestor and down to ``b``."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: n for n, t in enumerate(up_b)}
    common = next((n for n, t in enumerate(up_a) if t.i in index_b), None)
    if common is None:
        return ["<none>"], []
    left = up_a[: common + 1]
    right = up_b[: index_b[up_a[common].i]]
    labels = [f"{t.dep_}^" for t in left[:-1]] + [f"v{t.dep_}" for t in reversed(right)]
    lemmas = [_word(t) for t in left[1:]] + [_word(t) for t in reversed(right[1:])]
    return labels, lemmas


def is_list_pair(first: Span, second: Span) -> bool:
    """True when the two are items of one list ("the EU and the United States", "Biden,
    South Africa and India"): coordinated names hold no relation to each other."""
    if second.root in first.root.conjuncts:
        return True
    left, right = (first, second) if first.start < second.start else (second, first)
    between = first.doc[left.end : right.start]
    return len(between) == 1 and between[0].text in ("-", "/")  # "EU-US relations"


def pair_features(first: Span, second: Span, first_type: str, second_type: str) -> list[str]:
    """Sparse string features of the ordered pair (first → second)."""
    doc = first.doc
    forward = first.start < second.start
    left, right = (first, second) if forward else (second, first)
    between = doc[left.end : right.start]
    features = [
        f"types={first_type}>{second_type}",
        f"order={'fwd' if forward else 'back'}",
        f"gap={min(len(between), 10) // 2}",
    ]
    words = [_word(t) for t in between if not t.is_space]
    if len(words) <= MAX_BETWEEN:
        features += [f"btw={w}" for w in words]
        features.append("btwseq=" + "_".join(words[:6]))
    else:
        features += [f"btwfar={w}" for w in words[:4] + words[-4:]]
    titles = lexicons.titles()
    if any(w in titles for w in words):
        features.append("btw_title")
    if left.start > 0:
        features.append(f"before={_word(doc[left.start - 1])}")
    if right.end < len(doc):
        features.append(f"after={_word(doc[right.end])}")
    features.append(f"h1={first.root.lemma_.lower()}|{first_type}")
    features.append(f"h2={second.root.lemma_.lower()}|{second_type}")
    labels, lemmas = _path(first.root, second.root)
    features.append("path=" + "_".join(labels))
    features.append("pathlen=" + str(min(len(labels), 8)))
    features += [f"pathw={w}" for w in lemmas[:6]]
    features.append("pathfull=" + "_".join(f"{d}:{w}" for d, w in zip(labels, [*lemmas, ""])))
    return [f"{first_type}>{second_type}:{f}" for f in features] + features
