"""Facts scored at graph level, per document: the fact triples with evidence in it.

Subjects and objects are read through the entity matching (a node that matched exactly
one gold entity stands for it); roles are compared leniently (:func:`roles_match`),
dates by ISO value. Inverses are one fact (``participant``/``participantIn``,
``predecessor``/``successor``); a predicted ``affiliatedWith`` where the gold set has
``leaderOf`` for the pair is neither right nor wrong; facts touching an optional gold
entity are ignored. Each gold fact is matched at most once.

    >>> from kg.evaluation.news_data import GoldArticle, GoldFact, NodeFact
    >>> gold = GoldArticle("d", "", facts=(GoldFact("e1", "role", "Shadow Education Secretary"),))
    >>> score_facts(gold, [NodeFact("n1", "role", "education secretary")], {"n1": "e1"}).table["role"].tp
    1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg.evaluation.news_data import (
    DATE_PROPERTIES,
    ROLE,
    SCORED_PROPERTIES,
    GoldArticle,
    GoldFact,
    NodeFact,
)
from kg.evaluation.scoring import ScoreTable, match_one_to_one

#: Properties read as the inverse of another: ``participant(ev, x)`` is ``participantIn(x, ev)``.
INVERSE_OF = {"participant": "participantIn", "successor": "predecessor"}
#: Table rows: the properties scored together.
LABELS = {
    **{p: "date/startDate/endDate" for p in DATE_PROPERTIES},
    "predecessor": "predecessor/successor",
}
#: Where the gold set has the key, the value is not scored (neither right nor wrong).
TOLERATED = {"affiliatedWith": "leaderOf"}
_ROLE_DROPPED = ("former", "ex")


def canonical(p: str, s: str, o: str) -> tuple[str, str, str]:
    """The one direction a fact is scored in: ``successor(b, a)`` → ``predecessor(a, b)``."""
    return (INVERSE_OF[p], o, s) if p in INVERSE_OF else (p, s, o)


def label(p: str) -> str:
    """The table row of a (canonical) property."""
    return LABELS.get(p, p)


def role_words(role: str) -> tuple[str, ...]:
    """A role's words, casefolded, without "former", "ex-" and a leading "the"."""
    words = []
    for word in role.casefold().replace("ex-", " ").split():
        word = word.strip(",.;:'\"()")
        if word and word not in _ROLE_DROPPED:
            words.append(word)
    return tuple(words[1:] if words[:1] == ["the"] else words)


def roles_match(a: str, b: str) -> bool:
    """Equal roles, or one's words a subset of the other's with the same last word.

    >>> roles_match("Education Secretary", "Shadow Education Secretary")
    True
    >>> roles_match("chief executive", "executive director")
    False
    """
    wa, wb = role_words(a), role_words(b)
    if not wa or not wb or wa[-1] != wb[-1]:
        return False
    return set(wa) <= set(wb) or set(wb) <= set(wa)


@dataclass(frozen=True)
class MappedFact:
    """A predicted fact in canonical direction, its ends as gold ids where they map."""

    fact: NodeFact
    s: str | None
    o: str | None

    @property
    def label(self) -> str:
        return label(self.fact.p)


@dataclass(frozen=True)
class ScoredFact:
    """A predicted fact and whether it is in the gold set (``reason`` says why not)."""

    fact: MappedFact
    correct: bool
    reason: str = ""


@dataclass
class FactResult:
    """Counts per property, each predicted fact scored, the gold facts not found."""

    table: ScoreTable = field(default_factory=ScoreTable)
    scored: list[ScoredFact] = field(default_factory=list)
    missed: list[GoldFact] = field(default_factory=list)


def gold_facts(article: GoldArticle) -> list[GoldFact]:
    """The gold facts scored, canonical and without duplicates (none touching an optional entity)."""
    optional = {e.id for e in article.entities if e.optional}
    out: dict[tuple[str, str, str], GoldFact] = {}
    for fact in article.facts:
        p, s, o = canonical(fact.p, fact.s, fact.o)
        if fact.p in SCORED_PROPERTIES and s not in optional and o not in optional:
            out.setdefault((s, p, o), GoldFact(s, p, o))
    return list(out.values())


def map_facts(
    article: GoldArticle,
    facts: Iterable[NodeFact],
    mapping: Mapping[str, str],
    *,
    min_confidence: float = 0.0,
) -> list[MappedFact]:
    """Predicted facts in canonical direction with their ends mapped to gold ids; one per
    distinct mapped fact (the most confident), without the ignored ones."""
    optional = {e.id for e in article.entities if e.optional}
    gold = {(f.s, f.p, f.o) for f in article.facts}
    best: dict[tuple[str, str, str], MappedFact] = {}
    for fact in facts:
        if fact.p not in SCORED_PROPERTIES or fact.confidence < min_confidence:
            continue
        p, s, o = canonical(fact.p, fact.s, fact.o)
        literal = p == ROLE or p in DATE_PROPERTIES
        gs, go = mapping.get(s), (o if literal else mapping.get(o))
        if gs in optional or go in optional:
            continue
        tolerated = TOLERATED.get(p)
        if tolerated and (gs, tolerated, go) in gold and (gs, p, go) not in gold:
            continue
        key = (p, gs or s, " ".join(role_words(o)) if p == ROLE else (go or o))
        mapped = MappedFact(NodeFact(s, p, o, fact.confidence), gs, go)
        if key not in best or best[key].fact.confidence < fact.confidence:
            best[key] = mapped
    return list(best.values())


def _fits(gold: GoldFact, predicted: MappedFact) -> bool:
    p = predicted.fact.p
    if gold.s != predicted.s or label(gold.p) != label(p):
        return False
    if p == ROLE:
        return roles_match(gold.o, predicted.fact.o)
    if p in DATE_PROPERTIES:
        same_property = gold.p == p or (gold.p == "date" and p == "startDate")
        return same_property and gold.o == predicted.fact.o
    return gold.p == p and gold.o == predicted.o


def _exactness(gold: GoldFact, predicted: MappedFact) -> float:
    same = gold.p == predicted.fact.p and gold.o.casefold() == str(predicted.o).casefold()
    return 1.0 if same else 0.5


def score_facts(
    article: GoldArticle,
    facts: Iterable[NodeFact],
    mapping: Mapping[str, str],
    *,
    min_confidence: float = 0.0,
) -> FactResult:
    """True positives, false positives and misses of one document's facts, per property."""
    gold = gold_facts(article)
    predicted = map_facts(article, facts, mapping, min_confidence=min_confidence)
    pairs = match_one_to_one(gold, predicted, _fits, preference=_exactness)
    matched_gold = {gi for gi, _ in pairs}
    matched = {pi for _, pi in pairs}
    result = FactResult()
    for gi, g in enumerate(gold):
        if gi in matched_gold:
            result.table.add(label(g.p), tp=1)
        else:
            result.table.add(label(g.p), fn=1)
            result.missed.append(g)
    for pi, fact in enumerate(predicted):
        if pi in matched:
            result.scored.append(ScoredFact(fact, True))
            continue
        result.table.add(fact.label, fp=1)
        result.scored.append(ScoredFact(fact, False, _reason(fact)))
    return result


def _reason(fact: MappedFact) -> str:
    if fact.s is None:
        return "subject is no gold entity"
    if fact.o is None:
        return "object is no gold entity"
    return "not in the gold set"
