"""Entity recognition scored on token-level gold sets (CoNLL-2003, CrossNER), both systems.

Each gold document is a :class:`NerDocument` (token text and gold spans); our pipeline
and the baseline read its text, their mentions map back to tokens, and both are scored
strictly (exact tokens and type) and leniently (overlap and type), per type and
micro/macro over the headline types. Types that are not ours (MISC) get their own row
and stay out of the headline.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.evaluation.alignment import TokenText
from kg.evaluation.labels import MISC, label_map
from kg.evaluation.options import Options, header
from kg.evaluation.predictions import Prediction
from kg.evaluation.report import extractor_errors, prf_rows, system_names
from kg.evaluation.runner import Systems
from kg.evaluation.scoring import ScoreTable
from kg.evaluation.spans import (
    GoldSpan,
    PredictedSpan,
    lenient_table,
    predicted_spans,
    recall_by_label,
    span_errors,
    strict_table,
)


@dataclass(frozen=True)
class NerDocument:
    """One gold document: its id, token text, and gold ``(start, end, label)`` token spans."""

    id: str
    text: TokenText
    spans: tuple[tuple[int, int, str], ...]


def gold_spans(documents: Sequence[NerDocument], scheme: str) -> list[GoldSpan]:
    """Gold spans typed by the scheme's label map; unmapped labels raise nothing, they are
    kept under their own name (and reported apart)."""
    types = label_map(scheme)
    return [
        GoldSpan(i, start, end, types.get(label, label), label)
        for i, document in enumerate(documents)
        for start, end, label in document.spans
    ]


def score_ner(
    documents: Sequence[NerDocument],
    predictions: Sequence[Prediction],
    scheme: str,
    *,
    focus: Sequence[str] = (),
    limit: int = 10,
) -> tuple[ScoreTable, ScoreTable, dict, dict]:
    """Strict table, lenient table, recall per gold label and error classes of one system."""
    gold = gold_spans(documents, scheme)
    types = {g.type for g in gold} | set(label_map(scheme).values())
    predicted: list[PredictedSpan] = []
    for i, (document, prediction) in enumerate(zip(documents, predictions, strict=True)):
        named = [m for m in prediction.mentions if not (m.demonym or m.description)]
        predicted += predicted_spans(i, named, document.text, scheme, types)
    errors = span_errors(
        gold,
        predicted,
        [d.text for d in documents],
        ids=[d.id for d in documents],
        focus=focus,
        limit=limit,
    )
    return (
        strict_table(gold, predicted),
        lenient_table(gold, predicted),
        recall_by_label(gold, predicted),
        errors,
    )


def evaluate_ner(
    dataset: str,
    scheme: str,
    documents: Sequence[NerDocument],
    path: Path,
    options: Options,
    *,
    headline_types: Sequence[str],
    target: float | None,
    target_note: str = "",
) -> dict:
    """Run both systems on ``documents`` and build the report."""
    systems = Systems.load(options)
    texts = [(d.id, d.text.text) for d in documents]
    started = time.perf_counter()
    runs = systems.run(texts, options)
    scored = {
        name: score_ner(
            documents, predictions, scheme, focus=headline_types, limit=options.examples
        )
        for name, predictions in runs.items()
    }
    all_types = sorted(
        set(label_map(scheme).values()), key=lambda t: (t == MISC, t not in headline_types, t)
    )
    apart = [t for t in all_types if t not in headline_types]
    headline_name = "/".join(_short(t) for t in headline_types)
    strict = {name: s[0] for name, s in scored.items()}
    lenient = {name: s[1] for name, s in scored.items()}
    pipeline_f1 = strict["pipeline"].micro(headline_types).f1
    baseline_f1 = strict["baseline"].micro(headline_types).f1
    return {
        **header(dataset, options, path, model=systems.model_name),
        "documents": len(documents),
        "gold_spans": sum(len(d.spans) for d in documents),
        "seconds": round(time.perf_counter() - started, 1),
        "systems": system_names(systems),
        "headline": {
            "metric": f"{headline_name} micro F1, strict",
            "baseline": round(baseline_f1, 4),
            "pipeline": round(pipeline_f1, 4),
            "target": target,
            "met": None if target is None else pipeline_f1 >= target,
            "target_note": target_note,
        },
        "tables": [
            {
                "title": "Entities, strict (exact token boundaries and type)",
                "rows": prf_rows(strict, headline_types, apart, headline_name),
            },
            {
                "title": "Entities, lenient (overlapping tokens, same type)",
                "rows": prf_rows(lenient, headline_types, apart, headline_name),
            },
            {
                "title": "Recall per gold label (strict)",
                "kind": "recall",
                "rows": [
                    {"name": label, **{name: s[2].get(label) for name, s in scored.items()}}
                    for label in scored["pipeline"][2]
                ],
            },
        ],
        "errors": {name: s[3] for name, s in scored.items()},
        "extractor_errors": extractor_errors(runs["pipeline"]),
    }


def _short(entity_type: str) -> str:
    return {"Person": "PER", "Organization": "ORG", "Location": "LOC", "Event": "EVENT"}.get(
        entity_type, entity_type
    )
