"""CoNLL04 end-to-end relation extraction (``conll04_dev``): strict relation F1.

A predicted relation is strictly right when both entity spans (exact tokens), both entity
types and the relation label equal a gold relation's; leniently right when both spans
overlap the gold ones and the label is equal. Our facts become CoNLL04 labels through
``kg/data/conll04_relations.tsv`` (Work_For ← affiliatedWith/leaderOf, OrgBased_In and
Located_In ← locatedIn by subject type, Live_In ← residence, Kill ← open relations with
a killing verb). Each sentence is one document. Entities are scored too (Peop/Org/Loc).

    python -m kg.evaluation conll04 --limit 50
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.evaluation.alignment import TokenSpan, TokenText
from kg.evaluation.examples import ErrorReport
from kg.evaluation.labels import MISC, RelationLabel, conll04_relations, label_map
from kg.evaluation.ner import NerDocument, score_ner
from kg.evaluation.options import Options, data_file, header
from kg.evaluation.predictions import Predicted, PredictedFact, Prediction
from kg.evaluation.report import extractor_errors, prf_rows, system_names
from kg.evaluation.runner import Systems
from kg.evaluation.scoring import ScoreTable, overlap, score_keys, score_matched
from kg.model import LOCATION, ORGANIZATION, PERSON

FOLDER = "conll04"
SPLITS = {"dev": "conll04_dev.spert.json", "train": "conll04_train.spert.json"}
SCHEME = "conll04"
LABELS = ("Work_For", "OrgBased_In", "Located_In", "Live_In", "Kill")
ENTITY_TYPES = (PERSON, ORGANIZATION, LOCATION)
TARGET = 0.50
TARGET_NOTE = "issue 3: end-to-end strict relation micro F1 >= 0.50 (SpERT/REBEL reach 0.72-0.75)"


@dataclass(frozen=True)
class Side:
    """One argument of a relation: token span and scored type."""

    start: int
    end: int
    type: str
    exact: bool = True


@dataclass(frozen=True)
class Relation:
    """A gold or predicted relation in one document."""

    doc: int
    head: Side
    label: str
    tail: Side
    confidence: float = 1.0
    source: str = ""

    @property
    def key(self) -> tuple:
        """Strict identity: exact spans, types and label (partial spans never match)."""
        if not (self.head.exact and self.tail.exact):
            return ("partial", id(self))
        return (self.doc, self.head.start, self.head.end, self.head.type, self.label,
                self.tail.start, self.tail.end, self.tail.type)  # fmt: skip


@dataclass(frozen=True)
class GoldSentence:
    id: str
    text: TokenText
    entities: tuple[tuple[int, int, str], ...]
    relations: tuple[tuple[int, str, int], ...]  # (head entity, label, tail entity)


def read_spert(path: Path) -> list[GoldSentence]:
    """Sentences of a SpERT-format file (``tokens``, ``entities``, ``relations``)."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read CoNLL04 file {path}: {exc}") from exc
    sentences = []
    for i, record in enumerate(records):
        sentences.append(
            GoldSentence(
                id=f"conll04-{record.get('orig_id', i)}",
                text=TokenText.join([record["tokens"]]),
                entities=tuple((e["start"], e["end"], e["type"]) for e in record["entities"]),
                relations=tuple((r["head"], r["type"], r["tail"]) for r in record["relations"]),
            )
        )
    return sentences


def gold_relations(sentences: Sequence[GoldSentence]) -> list[Relation]:
    types = label_map(SCHEME)
    out = []
    for doc, sentence in enumerate(sentences):
        sides = [Side(a, b, types.get(t, t)) for a, b, t in sentence.entities]
        out += [Relation(doc, sides[h], label, sides[t]) for h, label, t in sentence.relations]
    return out


def relation_label(fact: PredictedFact, rows: Iterable[RelationLabel]) -> str | None:
    """The CoNLL04 label of one of our facts, or None when it maps to none."""
    name = fact.relation.split("_")[0] if fact.open else fact.relation
    for row in rows:
        if (
            row.open == fact.open
            and row.relation == name
            and row.subject_type == fact.subject.type
            and row.object_type == fact.object.type
        ):
            return row.label
    return None


def baseline_signatures() -> list[tuple[str, str, str, bool]]:
    """One (relation, subject type, object type, open) per label and type pair."""
    seen: dict[tuple[str, str, str], tuple[str, str, str, bool]] = {}
    for row in conll04_relations():
        key = (row.label, row.subject_type, row.object_type)
        seen.setdefault(key, (row.relation, row.subject_type, row.object_type, row.open))
    return list(dict.fromkeys(seen.values()))


def predicted_relations(
    doc: int, text: TokenText, facts: Iterable[PredictedFact]
) -> list[Relation]:
    """Our facts that map to a CoNLL04 label, as token-span relations (deduplicated)."""
    rows = conll04_relations()
    found: dict[tuple, Relation] = {}
    for fact in facts:
        label = relation_label(fact, rows)
        head, tail = _side(text, fact.subject), _side(text, fact.object)
        if label is None or head is None or tail is None:
            continue
        relation = Relation(doc, head, label, tail, fact.confidence, _source(fact))
        identity = (doc, head, label, tail)
        if identity not in found or found[identity].confidence < relation.confidence:
            found[identity] = relation
    return list(found.values())


def _side(text: TokenText, mention: Predicted) -> Side | None:
    tokens: TokenSpan | None = text.tokens(mention.start, mention.end)
    if tokens is None:
        return None
    return Side(tokens.start, tokens.end, mention.type, tokens.exact)


def _source(fact: PredictedFact) -> str:
    return f"{fact.relation if not fact.open else 'open:' + fact.relation}/{fact.extractor}"


def strict_table(gold: Sequence[Relation], predicted: Sequence[Relation]) -> ScoreTable:
    return score_keys((g.key for g in gold), (p.key for p in predicted), label=_label_of_key)


def _label_of_key(key: tuple) -> str:
    return key[4] if key[0] != "partial" else "partial"


def lenient_table(gold: Sequence[Relation], predicted: Sequence[Relation]) -> ScoreTable:
    """Both spans overlap and the label is equal (types ignored), matched one-to-one."""
    table = ScoreTable()
    docs = {r.doc for r in [*gold, *predicted]}
    for doc in docs:
        golds = [g for g in gold if g.doc == doc]
        preds = [p for p in predicted if p.doc == doc]
        table.update(
            score_matched(
                golds,
                preds,
                lambda g, p: (
                    g.label == p.label
                    and overlap(g.head.start, g.head.end, p.head.start, p.head.end) > 0
                    and overlap(g.tail.start, g.tail.end, p.tail.start, p.tail.end) > 0
                ),
                gold_label=lambda g: g.label,
                predicted_label=lambda p: p.label,
            )
        )
    return table


def strict_by_label(gold: Sequence[Relation], predicted: Sequence[Relation]) -> ScoreTable:
    """Strict table whose false positives of partial spans still count under their label."""
    table = strict_table(gold, predicted)
    partial = table.scores.pop("partial", None)
    if partial is not None:
        for p in predicted:
            if not (p.head.exact and p.tail.exact):
                table.add(p.label, fp=1)
    return table


def relation_errors(
    sentences: Sequence[GoldSentence],
    gold: Sequence[Relation],
    predicted: Sequence[Relation],
    predictions: Sequence[Prediction],
    *,
    limit: int = 10,
) -> dict:
    """Sort every strict relation error into a class, with examples and per-source counts."""
    report = ErrorReport(limit=limit)
    gold_keys = {g.key for g in gold}
    predicted_keys = {p.key for p in predicted}
    entity_types = label_map(SCHEME)
    sources: Counter[str] = Counter()
    for p in predicted:
        sources[f"{p.label} ← {p.source} {'tp' if p.key in gold_keys else 'fp'}"] += 1

    def show(r: Relation) -> str:
        text = sentences[r.doc].text
        return (
            f"({text.span_text(r.head.start, r.head.end)} [{r.head.type}], {r.label}, "
            f"{text.span_text(r.tail.start, r.tail.end)} [{r.tail.type}])"
        )

    for g in gold:
        if g.key in predicted_keys:
            continue
        sentence = sentences[g.doc]
        spans = {
            (s.start, s.end): s
            for s in _mention_sides(sentence.text, predictions[g.doc].mentions)
            if s.exact
        }
        head, tail = spans.get((g.head.start, g.head.end)), spans.get((g.tail.start, g.tail.end))
        same_pair = [p for p in predicted if p.doc == g.doc and _same_spans(p, g)]
        reversed_pair = [p for p in predicted if p.doc == g.doc and _same_spans(p, g, True)]
        if head is None and tail is None:
            kind = "FN both entities not found"
        elif head is None or tail is None:
            kind = "FN one entity not found"
        elif head.type != g.head.type or tail.type != g.tail.type:
            kind = "FN entity type wrong"
        elif same_pair:
            kind = "FN other label"
        elif reversed_pair:
            kind = "FN reversed direction"
        else:
            kind = "FN no relation predicted"
        report.add(kind, _example("gold", show(g), sentence.text.text))
    for p in predicted:
        if p.key in gold_keys:
            continue
        sentence = sentences[p.doc]
        entities = [(a, b, entity_types.get(t, t)) for a, b, t in sentence.entities]
        exact = {(a, b): t for a, b, t in entities}
        head_type = exact.get((p.head.start, p.head.end)) if p.head.exact else None
        tail_type = exact.get((p.tail.start, p.tail.end)) if p.tail.exact else None
        golds = [g for g in gold if g.doc == p.doc]
        if head_type is None or tail_type is None:
            touches = all(
                any(overlap(a, b, side.start, side.end) for a, b, _ in entities)
                for side in (p.head, p.tail)
            )
            kind = "FP entity boundary" if touches else "FP entity not in gold"
        elif head_type != p.head.type or tail_type != p.tail.type:
            kind = "FP entity type wrong"
        elif any(_same_spans(p, g) for g in golds):
            kind = "FP wrong label"
        elif any(_same_spans(p, g, True) for g in golds):
            kind = "FP reversed direction"
        else:
            kind = "FP no gold relation between them"
        report.by_extractor[p.source] += 1
        shown = show(p) + f" conf {p.confidence:.2f} ({p.source})"
        report.add(kind, _example("predicted", shown, sentence.text.text))
    out = report.as_dict()
    out["predictions_by_relation"] = dict(sorted(sources.items()))
    return out


def _mention_sides(text: TokenText, mentions: Iterable[Predicted]) -> list[Side]:
    return [s for m in mentions if (s := _side(text, m)) is not None]


def _same_spans(p: Relation, g: Relation, swapped: bool = False) -> bool:
    ph, pt = (p.tail, p.head) if swapped else (p.head, p.tail)
    return (ph.start, ph.end, pt.start, pt.end) == (
        g.head.start,
        g.head.end,
        g.tail.start,
        g.tail.end,
    )


def evaluate(options: Options) -> dict:
    """Score both systems on CoNLL04 (see the module docstring)."""
    path = data_file(options, FOLDER, SPLITS)
    sentences = read_spert(path)[: options.limit]
    systems = Systems.load(options)
    started = time.perf_counter()
    runs = systems.run(
        [(s.id, s.text.text) for s in sentences], options, signatures=baseline_signatures()
    )
    gold = gold_relations(sentences)
    ner_documents = [
        NerDocument(s.id, s.text, tuple((a, b, t) for a, b, t in s.entities)) for s in sentences
    ]
    strict: dict[str, ScoreTable] = {}
    lenient: dict[str, ScoreTable] = {}
    entities: dict[str, ScoreTable] = {}
    errors: dict[str, dict] = {}
    relations: dict[str, list[Relation]] = {}
    for name, predictions in runs.items():
        threshold = options.fact_threshold() if name == "pipeline" else 0.0
        predicted = [
            r
            for doc, (s, p) in enumerate(zip(sentences, predictions, strict=True))
            for r in predicted_relations(doc, s.text, p.facts_above(threshold))
        ]
        relations[name] = predicted
        strict[name] = strict_by_label(gold, predicted)
        lenient[name] = lenient_table(gold, predicted)
        entities[name], _, _, entity_errors = score_ner(
            ner_documents, predictions, SCHEME, focus=ENTITY_TYPES, limit=options.examples
        )
        errors[name] = relation_errors(
            sentences, gold, predicted, predictions, limit=options.examples
        )
        errors[name]["entities"] = entity_errors
    headline_f1 = {name: table.micro(LABELS).f1 for name, table in strict.items()}
    return {
        **header("conll04", options, path, model=systems.model_name),
        "documents": len(sentences),
        "gold_relations": len(gold),
        "seconds": round(time.perf_counter() - started, 1),
        "systems": system_names(systems),
        "headline": {
            "metric": "relation micro F1, strict (spans, types, label)",
            "baseline": round(headline_f1["baseline"], 4),
            "pipeline": round(headline_f1["pipeline"], 4),
            "target": TARGET,
            "met": headline_f1["pipeline"] >= TARGET,
            "target_note": TARGET_NOTE,
        },
        "tables": [
            {
                "title": "Relations, strict (exact spans and types, label)",
                "rows": prf_rows(strict, LABELS),
            },
            {
                "title": "Relations, lenient (overlapping spans, label)",
                "rows": prf_rows(lenient, LABELS),
            },
            {
                "title": "Entities, strict (exact tokens and type)",
                "rows": prf_rows(entities, ENTITY_TYPES, (MISC,), "PER/ORG/LOC"),
            },
        ],  # fmt: skip
        "thresholds": threshold_sweep(gold, sentences, runs["pipeline"], options.thresholds),
        "errors": errors,
        "extractor_errors": extractor_errors(runs["pipeline"]),
    }


def threshold_sweep(
    gold: Sequence[Relation],
    sentences: Sequence[GoldSentence],
    predictions: Sequence[Prediction],
    thresholds: Iterable[float],
) -> list[dict]:
    """Strict micro precision/recall/F1 of the pipeline at each minimum confidence."""
    rows = []
    for threshold in thresholds:
        predicted = [
            r
            for doc, (s, p) in enumerate(zip(sentences, predictions, strict=True))
            for r in predicted_relations(doc, s.text, p.facts_above(threshold))
        ]
        rows.append({"min_confidence": threshold,
                     **strict_by_label(gold, predicted).micro(LABELS).as_dict()})  # fmt: skip
    return rows


def _example(role: str, shown: str, context: str) -> Callable[[], dict[str, str]]:
    """An error example, built when the report asks for it."""
    return lambda: {role: shown, "context": context}
