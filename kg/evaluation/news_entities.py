"""Entities scored at graph level, per document: each predicted node against the gold
entities its names match.

A node matches a gold entity when one of its names (normalized) is one of the entity's
name and aliases. Each node gets one verdict:

- ``junk``: it matches nothing. A node made from a demonym ("Japanese" → Japan) that
  matches nothing by name matches the gold country of the same name in the country
  lexicon: ignored when that country is implicit, a candidate otherwise;
- ``false merge``: it matches two or more gold entities;
- ``wrong type``: it matches one, of a type not in the entity's ``type``/``also``;
- ``ignored``: it matches one optional or implicit entity, of a fitting type;
- ``correct``: a candidate for that gold entity. The first candidate is the true
  positive, every other one a ``duplicate`` (a second node for the same thing).

Unnamed gold events (``"named": false``) are matched apart, one to one, to predicted
events left unmatched by name that share two participants with them, or one and the
place. True positives and misses count on the gold type, false positives on the node's.

    >>> from kg.evaluation.news_data import GoldArticle, GoldEntity, DocPrediction, Node
    >>> gold = GoldArticle("d", "", entities=(GoldEntity("e1", "Person", "Jack Law", ("Mr Law",)),))
    >>> result = score_entities(gold, DocPrediction("d", (Node("n1", "Person", frozenset({"Law", "Mr Law"})),)))
    >>> result.table["Person"].tp, result.mapping
    (1, {'n1': 'e1'})
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kg.evaluation.news_data import (
    ENTITY_TYPES,
    DocPrediction,
    GoldArticle,
    GoldEntity,
    GoldFact,
    Node,
    NodeFact,
    normalize_name,
)
from kg.evaluation.scoring import ScoreTable, match_one_to_one
from kg.model import EVENT, LOCATION, PERSON

CORRECT = "correct"
DUPLICATE = "duplicate/fragment"
JUNK = "junk"
WRONG_TYPE = "wrong type"
FALSE_MERGE = "false merge"
IGNORED = "ignored"
PARTICIPATION = ("participantIn", "participant")


@dataclass(frozen=True)
class Verdict:
    """What one predicted node is: a kind above and the gold entities its names match."""

    node: Node
    kind: str
    gold: tuple[str, ...] = ()


@dataclass
class EntityResult:
    """Scores of one document (or a sum of several), with what the fact scorer needs.

    ``mapping`` sends each node that matched exactly one gold entity (of any type,
    unnamed events included) to that entity's id.
    """

    table: ScoreTable = field(default_factory=ScoreTable)
    verdicts: list[Verdict] = field(default_factory=list)
    missed: list[GoldEntity] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    #: Gold events found, named and unnamed: (found, total).
    events_found: dict[str, list[int]] = field(
        default_factory=lambda: {"named": [0, 0], "unnamed": [0, 0]}
    )
    #: Gold persons with two or more person nodes; nodes merging two gold persons.
    persons_split: list[GoldEntity] = field(default_factory=list)
    persons_merged: list[Verdict] = field(default_factory=list)


def score_entities(article: GoldArticle, prediction: DocPrediction) -> EntityResult:
    """Verdicts, per-type counts and the node → gold mapping of one document."""
    result = EntityResult()
    by_key: dict[str, set[str]] = defaultdict(set)
    for entity in article.entities:
        for key in entity.keys:
            by_key[key].add(entity.id)
    countries = {e.country: e for e in article.entities if e.country and e.type == LOCATION}
    nodes = [n for n in prediction.nodes if n.type in ENTITY_TYPES]
    pending_events: list[Node] = []
    for node in nodes:
        matched = sorted({g for key in node.keys for g in by_key.get(key, ())})
        verdict = _verdict(node, [article.entity(g) for g in matched], countries)
        if verdict.kind == JUNK and node.type == EVENT:
            pending_events.append(node)
            continue
        result.verdicts.append(verdict)
        if len(verdict.gold) == 1:
            result.mapping[node.id] = verdict.gold[0]
    for node, event in _match_unnamed_events(
        article, pending_events, prediction.facts, result.mapping
    ):
        if event is None:
            result.verdicts.append(Verdict(node, JUNK))
        else:
            result.verdicts.append(Verdict(node, CORRECT, (event.id,)))
            result.mapping[node.id] = event.id
    _count(article, result)
    return result


def _verdict(
    node: Node, matched: list[GoldEntity | None], countries: Mapping[str, GoldEntity]
) -> Verdict:
    entities = [e for e in matched if e is not None]
    if not entities and node.country is not None and node.country in countries:
        entities = [countries[node.country]]  # "Japanese" → Japan: the country it evokes
    ids = tuple(e.id for e in entities)
    if not entities:
        return Verdict(node, JUNK)
    if len(entities) > 1:
        return Verdict(node, FALSE_MERGE, ids)
    entity = entities[0]
    if node.type not in entity.types:
        return Verdict(node, WRONG_TYPE, ids)
    return Verdict(node, CORRECT if entity.scored else IGNORED, ids)


def _count(article: GoldArticle, result: EntityResult) -> None:
    candidates: dict[str, list[Verdict]] = defaultdict(list)
    for verdict in result.verdicts:
        if verdict.kind == CORRECT:
            candidates[verdict.gold[0]].append(verdict)
        elif verdict.kind in (JUNK, WRONG_TYPE, FALSE_MERGE):
            result.table.add(verdict.node.type, fp=1)
        if verdict.kind == FALSE_MERGE:
            people = [g for g in verdict.gold if _type(article, g) == PERSON]
            if len(people) > 1:
                result.persons_merged.append(verdict)
    for entity in article.entities:
        if not entity.scored:
            continue
        # the node carrying the gold name is the true positive, the others duplicates
        found = sorted(
            candidates.get(entity.id, []),
            key=lambda v: (normalize_name(entity.name) not in v.node.keys, -len(v.node.names)),
        )
        if entity.type == EVENT:
            counts = result.events_found["named" if entity.named else "unnamed"]
            counts[0] += bool(found)
            counts[1] += 1
        if not found:
            result.table.add(entity.type, fn=1)
            result.missed.append(entity)
            continue
        result.table.add(entity.type, tp=1)
        for extra in found[1:]:
            result.table.add(extra.node.type, fp=1)
            index = result.verdicts.index(extra)
            result.verdicts[index] = Verdict(extra.node, DUPLICATE, extra.gold)
        if entity.type == PERSON and sum(v.node.type == PERSON for v in found) > 1:
            result.persons_split.append(entity)


def _type(article: GoldArticle, entity_id: str) -> str | None:
    entity = article.entity(entity_id)
    return entity.type if entity else None


# -- unnamed events --------------------------------------------------------------------


@dataclass(frozen=True)
class EventProfile:
    """Who takes part in an event and where it is, as gold entity ids."""

    participants: frozenset[str]
    places: frozenset[str]

    def fits(self, other: EventProfile) -> bool:
        """Two shared participants, or one and the place."""
        shared = self.participants & other.participants
        return len(shared) >= 2 or (len(shared) == 1 and bool(self.places & other.places))

    def overlap(self, other: EventProfile) -> float:
        return len(self.participants & other.participants) + 0.5 * len(self.places & other.places)


def event_profile(
    event: str, facts: Iterable[GoldFact | NodeFact], to_gold: Callable[[str], str | None]
) -> EventProfile:
    """The participants and places of ``event`` in ``facts``, mapped by ``to_gold``."""
    participants: set[str | None] = set()
    places: set[str | None] = set()
    for fact in facts:
        if fact.p == "participantIn" and fact.o == event:
            participants.add(to_gold(fact.s))
        elif fact.p == "participant" and fact.s == event:
            participants.add(to_gold(fact.o))
        elif fact.p == "locatedIn" and fact.s == event:
            places.add(to_gold(fact.o))
    return EventProfile(
        frozenset(p for p in participants if p is not None),
        frozenset(p for p in places if p is not None),
    )


def _match_unnamed_events(
    article: GoldArticle,
    pending: Sequence[Node],
    facts: Iterable[NodeFact],
    mapping: Mapping[str, str],
) -> list[tuple[Node, GoldEntity | None]]:
    """Each event node no name matched, with the unnamed gold event it was paired with."""
    events = [e for e in article.entities if e.type == EVENT and not e.named and e.scored]
    facts = list(facts)
    gold = [event_profile(e.id, article.facts, lambda x: x) for e in events]
    predicted = [event_profile(n.id, facts, mapping.get) for n in pending]
    pairs = match_one_to_one(
        gold, predicted, lambda g, p: g.fits(p), preference=lambda g, p: g.overlap(p)
    )
    paired = {pi: events[gi] for gi, pi in pairs}
    return [(node, paired.get(i)) for i, node in enumerate(pending)]
