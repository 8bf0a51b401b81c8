"""The news gold set, scored at graph level: does the graph hold one node per real thing,
the facts a reader takes from the article, and who said each quote?

All articles of the split go into ONE in-memory graph through the public API
(``KnowledgeGraph.add_documents``), as ``kg build`` would put them; each document is
then read back with SPARQL and scored against its annotation (``docs/annotation.md``):
entities (``news_entities``), facts (``news_facts``), quotes (``news_quotes``). The
baseline is raw spaCy NER, one node per distinct name and type per document.

    python -m kg.evaluation news --split dev
    kg eval news --split test --json news-test.json --calibration
"""

from __future__ import annotations

import time

from kg.evaluation.news_gold import load_split
from kg.evaluation.news_graph import baseline_predictions, build_graph, read_predictions
from kg.evaluation.news_report import (
    calibration_dict,
    checks,
    errors,
    headline,
    tables,
    thresholds,
)
from kg.evaluation.news_score import score_system
from kg.evaluation.options import Options, header
from kg.model import BUILD_MIN_CONFIDENCE

DATASET = "news"


def evaluate(options: Options) -> dict:
    """Build the graph of the split, score it and the baseline (see the module docstring)."""
    from kg.evaluation.baseline import load_baseline_model
    from kg.nlp import load_model, model_name

    articles, path = load_split(options)
    started = time.perf_counter()
    nlp = load_model(options.model)
    seconds: dict[str, float] = {}

    clock = time.perf_counter()
    baseline_nlp = load_baseline_model(nlp, options.baseline_ner)
    baseline = baseline_predictions(articles, baseline_nlp, batch_size=options.batch_size)
    seconds["baseline"] = round(time.perf_counter() - clock, 1)

    clock = time.perf_counter()
    failures: list[str] = []
    graph = build_graph(articles, model=options.model, on_error=failures.append)
    pipeline = read_predictions(graph, articles)
    seconds["pipeline"] = round(time.perf_counter() - clock, 1)

    scores = {
        name: score_system(
            articles,
            predictions,
            min_confidence=options.fact_threshold(BUILD_MIN_CONFIDENCE),
            thresholds=options.thresholds if name == "pipeline" else (),
            examples=options.examples,
        )
        for name, predictions in (("baseline", baseline), ("pipeline", pipeline))
    }
    name = model_name(nlp)
    ner = "stock NER" if options.baseline_ner == "stock" else "our fine-tuned NER, raw"
    return {
        **header(DATASET, options, path, model=name, cutoff=BUILD_MIN_CONFIDENCE),
        "documents": len(articles),
        "seconds": round(time.perf_counter() - started, 1),
        "systems": {
            "baseline": f"spaCy {name} ({ner}): one node per distinct name and type per document, no facts, no quotes",
            "pipeline": f"kg graph on {name}: KnowledgeGraph.add_documents, read back with SPARQL",
            "seconds": seconds,
        },
        "headline": headline(scores),
        "tables": tables(scores),
        "thresholds": thresholds(scores["pipeline"]),
        "calibration": calibration_dict(scores["pipeline"]),
        "checks": {n: checks(s) for n, s in scores.items()},
        "errors": {n: errors(s) for n, s in scores.items()},
        "extractor_errors": {"count": len(failures), "examples": failures[:5]},
    }
