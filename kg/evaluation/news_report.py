"""The news evaluation's report: the same dict shape as every ``kg eval`` report
(headline, tables, thresholds, errors, systems), plus calibration and checks."""

from __future__ import annotations

from collections.abc import Mapping

from kg.evaluation.news_calibration import calibration
from kg.evaluation.news_data import HEADLINE_TYPES
from kg.evaluation.news_facts import label
from kg.evaluation.news_score import (
    PEOPLE_MERGED,
    PERSON_SPLIT,
    SPEAKERLESS_ATTRIBUTED,
    SystemScores,
)
from kg.evaluation.report import prf_rows
from kg.evaluation.scoring import ratio
from kg.model import EVENT

#: Fact rows, in the guideline's order.
FACT_ROWS = tuple(
    dict.fromkeys(
        label(p)
        for p in (
            "role",
            "affiliatedWith",
            "leaderOf",
            "nationality",
            "locatedIn",
            "residence",
            "educatedAt",
            "participantIn",
            "date",
            "predecessor",
        )
    )
)
HEADLINE_NAME = "PER/ORG/LOC"
TARGET_NOTE = "graph-level news gold set; targets: no person split in two, no two people merged"


def headline(scores: Mapping[str, SystemScores]) -> dict:
    """PER/ORG/LOC micro F1 of the graph's nodes (no target: the set is new)."""
    return {
        "metric": f"{HEADLINE_NAME} micro F1, graph level (nodes per document)",
        **{name: round(s.entities.micro(HEADLINE_TYPES).f1, 4) for name, s in scores.items()},
        "target": None,
        "met": None,
        "target_note": TARGET_NOTE,
    }


def tables(scores: Mapping[str, SystemScores]) -> list[dict]:
    """Entities, events, facts, quotes: both systems side by side."""
    return [
        {
            "title": "Entities, graph level (per document: one node per real thing)",
            "rows": prf_rows(
                {n: s.entities for n, s in scores.items()}, HEADLINE_TYPES, (EVENT,), HEADLINE_NAME
            ),
        },
        {
            "title": "Gold events found (named by name, unnamed by participants and place)",
            "kind": "recall",
            "rows": [
                {"name": kind, **{n: _recall(*s.events_found[kind]) for n, s in scores.items()}}
                for kind in ("named", "unnamed")
            ],
        },
        {
            "title": "Facts with evidence in the document (ends through the entity matching)",
            "rows": prf_rows({n: s.facts for n, s in scores.items()}, FACT_ROWS, (), "all"),
        },
        {
            "title": "Quotes",
            "kind": "accuracy",
            "rows": _quote_rows(scores),
        },
    ]


def _recall(found: int, total: int) -> dict:
    return {"recall": round(ratio(found, total), 4), "found": found, "n": total}


def _quote_rows(scores: Mapping[str, SystemScores]) -> list[dict]:
    ours = scores["pipeline"].quotes

    def row(name: str, n: int, value: str, whole: str) -> dict:
        return {
            "name": name,
            "n": n,
            **{
                system: round(ratio(getattr(s.quotes, value), getattr(s.quotes, whole)), 4)
                for system, s in scores.items()
            },
        }

    return [
        row("detection recall", ours.gold, "found", "gold"),
        row(
            "detection precision (pipeline quotes)",
            ours.predicted,
            "predicted_matched",
            "predicted",
        ),
        row(
            "speaker accuracy (gold quotes with a speaker)",
            ours.with_speaker,
            "speaker_right",
            "with_speaker",
        ),
        row(
            "speaker accuracy (of those found)",
            ours.with_speaker_found,
            "speaker_right",
            "with_speaker_found",
        ),
    ]


def thresholds(scores: SystemScores) -> list[dict]:
    """The pipeline's fact micro P/R/F1 at each minimum confidence."""
    return [{"min_confidence": t, **score.as_dict()} for t, score in sorted(scores.sweep.items())]


def checks(scores: SystemScores) -> dict:
    """Counts the targets name (each should be 0), and the speaker-less quotes attributed."""
    counts = scores.errors.counts
    return {
        PERSON_SPLIT: counts.get(PERSON_SPLIT, 0),
        PEOPLE_MERGED: counts.get(PEOPLE_MERGED, 0),
        SPEAKERLESS_ATTRIBUTED: scores.quotes.speakerless_attributed,
        "gold quotes without a speaker": scores.quotes.speakerless,
    }


def errors(scores: SystemScores) -> dict:
    """Error classes with examples naming the document, and counts by property."""
    out = scores.errors.as_dict()
    out["node_verdicts"] = dict(scores.nodes.most_common())
    if scores.missed_by_property:
        out["missed_by_property"] = dict(scores.missed_by_property.most_common())
    if scores.false_facts_by_property:
        out["false_facts_by_property"] = dict(scores.false_facts_by_property.most_common())
    return out


def calibration_dict(scores: SystemScores) -> dict:
    """Reliability bins and ECE of the pipeline's scored facts."""
    return calibration(scores.outcomes).as_dict()
