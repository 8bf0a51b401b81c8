"""One system's scores over all articles: entities, events, facts, quotes, error examples.

:func:`score_system` runs the three scorers on every article (entities first: facts and
quotes read their nodes through the entity matching) and sums what they found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from kg.evaluation.examples import ErrorReport
from kg.evaluation.news_data import DocPrediction, GoldArticle, GoldFact, Node
from kg.evaluation.news_entities import (
    CORRECT,
    DUPLICATE,
    FALSE_MERGE,
    IGNORED,
    JUNK,
    WRONG_TYPE,
    EntityResult,
    score_entities,
)
from kg.evaluation.news_facts import FactResult, MappedFact, label, score_facts
from kg.evaluation.news_quotes import QuoteResult, score_quotes
from kg.evaluation.scoring import Score, ScoreTable

#: Error classes, as the report names them.
NODE_ERRORS = {
    JUNK: "junk node",
    WRONG_TYPE: "wrong type",
    DUPLICATE: "duplicate/fragment",
    FALSE_MERGE: "false merge",
}
MISSED = "missed entity"
PERSON_SPLIT = "person split in two"
PEOPLE_MERGED = "false merge of two people"
FP_FACT = "FP fact"
FN_FACT = "FN fact"
WRONG_SPEAKER = "wrong speaker"
NO_SPEAKER = "found quote without a speaker"
MISSED_QUOTE = "missed quote"
SPURIOUS_QUOTE = "spurious quote"
SPEAKERLESS_ATTRIBUTED = "speaker-less quote given a speaker"


@dataclass
class SystemScores:
    """Everything one system got right and wrong, summed over the articles."""

    entities: ScoreTable = field(default_factory=ScoreTable)
    facts: ScoreTable = field(default_factory=ScoreTable)
    quotes: QuoteResult = field(default_factory=QuoteResult)
    events_found: dict[str, list[int]] = field(
        default_factory=lambda: {"named": [0, 0], "unnamed": [0, 0]}
    )
    #: (confidence, correct) of every predicted fact scored, for calibration.
    outcomes: list[tuple[float, bool]] = field(default_factory=list)
    #: Fact counts at each minimum confidence of the sweep.
    sweep: dict[float, Score] = field(default_factory=dict)
    errors: ErrorReport = field(default_factory=ErrorReport)
    missed_by_property: Counter[str] = field(default_factory=Counter)
    false_facts_by_property: Counter[str] = field(default_factory=Counter)
    nodes: Counter[str] = field(default_factory=Counter)


def score_system(
    articles: Sequence[GoldArticle],
    predictions: Mapping[str, DocPrediction],
    *,
    min_confidence: float = 0.0,
    thresholds: Sequence[float] = (),
    examples: int = 10,
) -> SystemScores:
    """Score one system's predictions on every article (a missing one predicted nothing)."""
    scores = SystemScores(errors=ErrorReport(limit=examples))
    for article in articles:
        prediction = predictions.get(article.id, DocPrediction(article.id))
        entities = score_entities(article, prediction)
        facts = score_facts(
            article, prediction.facts, entities.mapping, min_confidence=min_confidence
        )
        quotes = score_quotes(article, prediction.quotes, entities.mapping)
        _add(scores, article, prediction, entities, facts, quotes)
        for threshold in thresholds:
            swept = score_facts(
                article, prediction.facts, entities.mapping, min_confidence=threshold
            )
            scores.sweep[threshold] = scores.sweep.get(threshold, Score()) + swept.table.micro()
    return scores


def _add(
    scores: SystemScores,
    article: GoldArticle,
    prediction: DocPrediction,
    entities: EntityResult,
    facts: FactResult,
    quotes: QuoteResult,
) -> None:
    scores.entities.update(entities.table)
    scores.facts.update(facts.table)
    scores.quotes.add(quotes)
    for kind, (found, total) in entities.events_found.items():
        scores.events_found[kind][0] += found
        scores.events_found[kind][1] += total
    _entity_errors(scores, article, entities)
    _fact_errors(scores, article, prediction, facts)
    _quote_errors(scores, article, prediction, quotes, entities.mapping)


def _example(**fields: object) -> Callable[[], dict]:
    """An error example naming its document (``None`` fields are not shown)."""
    return lambda: fields


def _entity_errors(scores: SystemScores, article: GoldArticle, result: EntityResult) -> None:
    doc = article.id
    errors = scores.errors
    for verdict in result.verdicts:
        scores.nodes[verdict.kind] += 1
        if verdict.kind in (CORRECT, IGNORED):
            continue
        gold = "; ".join(_gold_name(article, g) for g in verdict.gold) or None
        node = verdict.node
        errors.add(
            NODE_ERRORS[verdict.kind],
            _example(document=doc, node=_names(node), type=node.type, gold=gold),
        )
        if verdict.kind == WRONG_TYPE:
            entity = article.entity(verdict.gold[0])
            errors.confusions[f"{entity.type if entity else '?'} → {node.type}"] += 1
    for missed in result.missed:
        aliases = ", ".join(missed.aliases) or None
        errors.add(
            MISSED,
            _example(document=doc, gold=missed.name, type=missed.type, aliases=aliases),
        )
    for split in result.persons_split:
        errors.add(PERSON_SPLIT, _example(document=doc, gold=split.name))
    for merged in result.persons_merged:
        gold = "; ".join(_gold_name(article, g) for g in merged.gold)
        errors.add(PEOPLE_MERGED, _example(document=doc, node=_names(merged.node), gold=gold))


def _fact_errors(
    scores: SystemScores, article: GoldArticle, prediction: DocPrediction, facts: FactResult
) -> None:
    doc = article.id
    nodes = {n.id: n for n in prediction.nodes}
    for scored in facts.scored:
        scores.outcomes.append((scored.fact.fact.confidence, scored.correct))
        if scored.correct:
            continue
        scores.false_facts_by_property[scored.fact.label] += 1
        scores.errors.add(
            FP_FACT,
            _example(
                document=doc,
                fact=_predicted_fact(article, nodes, scored.fact),
                confidence=scored.fact.fact.confidence,
                why=scored.reason,
            ),
        )
    for missed in facts.missed:
        scores.missed_by_property[label(missed.p)] += 1
        scores.errors.add(FN_FACT, _example(document=doc, fact=_gold_fact(article, missed)))


def _quote_errors(
    scores: SystemScores,
    article: GoldArticle,
    prediction: DocPrediction,
    quotes: QuoteResult,
    mapping: Mapping[str, str],
) -> None:
    doc = article.id
    nodes = {n.id: n for n in prediction.nodes}
    errors = scores.errors
    for wrong in quotes.wrong_speakers:
        predicted = _node_name(article, nodes, wrong.speaker, mapping) if wrong.speaker else None
        errors.add(
            WRONG_SPEAKER if wrong.speaker else NO_SPEAKER,
            _example(
                document=doc,
                quote=wrong.quote.text[:60],
                gold=_gold_name(article, wrong.quote.speaker or ""),
                predicted=predicted,
            ),
        )
    for quote in quotes.missed:
        errors.add(MISSED_QUOTE, _example(document=doc, quote=quote.text[:60]))
    for spurious in quotes.unmatched:
        errors.add(SPURIOUS_QUOTE, _example(document=doc, quote=spurious.text[:60]))
    for _ in range(quotes.speakerless_attributed):
        errors.add(SPEAKERLESS_ATTRIBUTED, _example(document=doc))


def _names(node: Node) -> str:
    return " | ".join(sorted(node.names)) or node.id


def _gold_name(article: GoldArticle, entity_id: str) -> str:
    entity = article.entity(entity_id)
    return f"{entity.name} ({entity.type})" if entity else entity_id


def _node_name(
    article: GoldArticle, nodes: Mapping[str, Node], node_id: str, mapping: Mapping[str, str]
) -> str:
    if node_id in mapping:
        return _gold_name(article, mapping[node_id])
    node = nodes.get(node_id)
    return f"{node.label} (no gold entity)" if node else node_id.rsplit("/", 1)[-1]


def _predicted_fact(article: GoldArticle, nodes: Mapping[str, Node], fact: MappedFact) -> str:
    p = fact.fact.p
    subject = _gold_name(article, fact.s) if fact.s else _node_name(article, nodes, fact.fact.s, {})
    if fact.o is not None and article.entity(fact.o) is not None:
        obj = _gold_name(article, fact.o)
    elif p in ("role", "date", "startDate", "endDate"):
        obj = repr(fact.fact.o)
    else:
        obj = _node_name(article, nodes, fact.fact.o, {})
    return f"{subject} {p} {obj}"


def _gold_fact(article: GoldArticle, fact: GoldFact) -> str:
    obj = _gold_name(article, fact.o) if article.entity(fact.o) else repr(fact.o)
    return f"{_gold_name(article, fact.s)} {fact.p} {obj}"
