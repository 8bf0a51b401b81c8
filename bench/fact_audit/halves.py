"""News ``dev`` facts and quote speakers on all articles and on each half (odd/even).

    python bench/fact_audit/halves.py [--no-classifier]

A rule is kept only when it helps both halves of ``dev`` as well as the fresh sample
(``bench/fact_audit/README.md``). One graph is built; the halves are scored from it.
"""

from __future__ import annotations

import argparse

from kg.evaluation.news_gold import load_split
from kg.evaluation.news_graph import build_graph, read_predictions
from kg.evaluation.news_score import score_system
from kg.evaluation.options import Options


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-classifier", action="store_true", help="ablate it")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--min-confidence", type=float, help="default: the build's cut-off")
    args = parser.parse_args()
    if args.split not in ("dev",):
        raise SystemExit("dev only: rules are never chosen on another split")
    if args.no_classifier:
        from kg.extract import classifier

        classifier.load_classifier = lambda *a, **k: None  # type: ignore[assignment]
    articles, _ = load_split(Options(split=args.split))
    graph = build_graph(articles)
    predictions = read_predictions(graph, articles)
    from kg.model import BUILD_MIN_CONFIDENCE

    halves = {"all": articles, "odd": articles[1::2], "even": articles[0::2]}
    cut = BUILD_MIN_CONFIDENCE if args.min_confidence is None else args.min_confidence
    print(f"facts at confidence >= {cut}")
    for name, part in halves.items():
        scores = score_system(part, predictions, min_confidence=cut)
        micro = scores.facts.micro()
        q = scores.quotes
        speaker = q.speaker_right / q.with_speaker if q.with_speaker else 0.0
        per = " ".join(
            f"{label}:{s.tp}/{s.tp + s.fp}/{s.tp + s.fn}"
            for label, s in sorted(scores.facts.scores.items())
        )
        print(
            f"{name:4} facts P {micro.precision:.3f} R {micro.recall:.3f} "
            f"(tp {micro.tp} fp {micro.fp} fn {micro.fn})  speaker {speaker:.3f}  "
            f"entities F1 {scores.entities.micro(('Person', 'Organization', 'Location')).f1:.3f}"
        )
        if name == "all":
            print("     tp/pred/gold:", per)


if __name__ == "__main__":
    main()
