"""Fit the fact confidence calibration on the news gold set (never on ``test``).

One command, reproducible::

    python -m kg.training.calibration            # writes kg/models/calibration.json

The articles of ``dev`` and ``calib`` are built into one graph each with calibration off;
every piece of evidence of a scored property (extractor, relation, raw confidence) is
paired with whether its fact is right, as ``kg eval news`` judges it (one fact at a time,
through the entity matching; a fact the scorer neither rewards nor penalizes is left out).
``dev`` is the split the rules were tuned on, so its facts are right more often than on
fresh articles; ``calib`` holds fresh articles no rule was tuned on. Both are pooled for
the fit, and the setting is chosen by the ECE of held-out ``calib`` documents.

Platt scaling, ``sigmoid(a * logit(raw) + b)``, is fitted for all facts (``*``), then for
each extractor shrunk towards that fit, then for each extractor and relation shrunk towards
its extractor's (a penalty ``shrink * |θ - θ_parent|²``, so a group of five facts moves
little and one of two hundred follows its data). The pull, and whether relations get
groups of their own or only extractors do, are chosen by four-fold cross-validation over
the ``calib`` documents (each fold fitted on everything else), repeated over ten shuffles
(the lowest mean held-out ECE). See :mod:`kg.extract.calibration`.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from kg.extract.calibration import CALIBRATED, CALIBRATION_FILE, logit

#: Weight of the pull towards the parent group (in units of facts); the command chooses it
#: among ``SHRINKS`` by held-out documents.
SHRINK = 8.0
#: A group with fewer facts than this gets no parameters of its own.
MIN_FACTS = 5

EVIDENCE_QUERY = """
SELECT ?id ?s ?p ?o ?iso ?extractor ?c WHERE {
  ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      kg:document ?doc ; kg:confidence ?c ; kg:extractor ?extractor .
  ?doc dcterms:identifier ?id .
  OPTIONAL { ?o kg:isoValue ?iso }
}"""

Outcome = tuple[str, str, float, bool, str]  # extractor, relation, raw, right, document
#: Pulls tried, each scored by the ECE of held-out documents (four folds of the split).
SHRINKS = (2.0, 8.0, 32.0, 128.0)
FOLDS = 4
REPEATS = 10


def outcomes(split: str = "dev", data: Path | None = None) -> list[Outcome]:
    """(extractor, relation, raw confidence, right) of every scored piece of evidence."""
    from kg.evaluation.news_data import DATE_PROPERTIES, SCORED_PROPERTIES, NodeFact
    from kg.evaluation.news_entities import score_entities
    from kg.evaluation.news_facts import score_facts
    from kg.evaluation.news_gold import load_split
    from kg.evaluation.news_graph import build_graph, read_predictions
    from kg.evaluation.options import Options
    from kg.extract.calibration import set_active

    if split == "test":
        raise SystemExit("the calibration is never fitted on the test split")
    articles, _ = load_split(Options(split=split, data=data))
    set_active(False)
    try:
        graph = build_graph(articles)
    finally:
        set_active(True)
    predictions = read_predictions(graph, articles)
    mappings = {a.id: score_entities(a, predictions[a.id]).mapping for a in articles}
    by_id = {a.id: a for a in articles}
    out: list[Outcome] = []
    for doc_id, s, p, o, iso, extractor, confidence in graph.query(EVIDENCE_QUERY).rows:
        prop = str(p).rsplit("#", 1)[-1]
        if prop not in SCORED_PROPERTIES or str(doc_id) not in by_id:
            continue
        value = str(iso) if prop in DATE_PROPERTIES and iso is not None else str(o)
        fact = NodeFact(str(s), prop, value, float(str(confidence)))
        result = score_facts(by_id[str(doc_id)], [fact], mappings[str(doc_id)])
        if result.scored:
            out.append(
                (str(extractor), prop, fact.confidence, result.scored[0].correct, str(doc_id))
            )
    return out


def _fit(
    points: Sequence[tuple[float, bool]], prior: tuple[float, float], shrink: float
) -> tuple[float, float]:
    """Platt parameters by Newton's method on the log loss plus the pull to ``prior``."""
    a, b = prior
    xs = [logit(raw) for raw, _ in points]
    ys = [1.0 if right else 0.0 for _, right in points]
    for _ in range(50):
        ga = shrink * (a - prior[0])
        gb = shrink * (b - prior[1])
        haa, hab, hbb = shrink, 0.0, shrink
        for x, y in zip(xs, ys):
            z = a * x + b
            p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
            ga += (p - y) * x
            gb += p - y
            w = p * (1 - p)
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        if det <= 1e-12:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-8:
            break
    return round(a, 4), round(b, 4)


def fit(
    data: Sequence[Outcome], shrink: float = SHRINK, *, relations: bool = True
) -> dict[str, tuple[float, float]]:
    """Parameters for ``*``, each extractor and (with ``relations``) each
    extractor/relation with enough facts."""
    rows = [r for r in data if r[1] in CALIBRATED]
    groups: dict[str, tuple[float, float]] = {}
    # the global fit is pulled weakly towards the identity (a=1, b=0)
    groups["*"] = _fit([(raw, right) for _, _, raw, right, _ in rows], (1.0, 0.0), 1.0)
    by_extractor: dict[str, list[Outcome]] = defaultdict(list)
    for row in rows:
        by_extractor[row[0]].append(row)
    for extractor, members in sorted(by_extractor.items()):
        if len(members) < MIN_FACTS:
            continue
        parent = _fit([(raw, right) for _, _, raw, right, _ in members], groups["*"], shrink)
        groups[extractor] = parent
        if not relations:
            continue
        by_relation: dict[str, list[Outcome]] = defaultdict(list)
        for row in members:
            by_relation[row[1]].append(row)
        for relation, items in sorted(by_relation.items()):
            if len(items) >= MIN_FACTS:
                points = [(raw, right) for _, _, raw, right, _ in items]
                groups[f"{extractor}/{relation}"] = _fit(points, parent, shrink)
    return groups


def held_out_ece(
    data: Sequence[Outcome],
    shrink: float,
    relations: bool,
    check: Sequence[str] | None = None,
) -> float:
    """Mean ECE of held-out documents: the ``check`` documents (all by default) in four
    folds, each fitted on every other row, over ``REPEATS`` shuffles (small splits make
    one shuffle's figure noisy)."""
    from kg.evaluation.news_calibration import calibration
    from kg.extract.calibration import Calibration

    documents = sorted(set(check) if check is not None else {row[4] for row in data})
    total = 0.0
    for repeat in range(REPEATS):
        order = documents[:]
        random.Random(repeat).shuffle(order)
        scored: list[tuple[float, bool]] = []
        for fold in range(FOLDS):
            held = {d for n, d in enumerate(order) if n % FOLDS == fold}
            table = Calibration(
                fit([r for r in data if r[4] not in held], shrink, relations=relations)
            )
            scored += [
                (table.confidence(r[0], r[1], r[2]), r[3])
                for r in data
                if r[4] in held and r[1] in CALIBRATED
            ]
        total += calibration(scored).ece
    return total / REPEATS


def choose_setting(
    data: Sequence[Outcome], check: Sequence[str] | None = None
) -> tuple[float, bool]:
    """The pull towards the parent group, and whether relations get groups of their own,
    with the lowest held-out ECE over the ``check`` documents."""
    scores = {(s, r): held_out_ece(data, s, r, check) for s in SHRINKS for r in (False, True)}
    for (s, r), ece in scores.items():
        print(f"shrink {s:>6}, relation groups {r!s:5}: held-out ECE {ece:.4f}")
    return min(scores, key=lambda k: (round(scores[k], 4), -k[0], k[1]))


def write(groups: dict[str, tuple[float, float]], path: Path, facts: int, split: str) -> None:
    payload = {
        "about": "Platt scaling of fact confidences, sigmoid(a*logit(raw)+b), by group "
        "(extractor/relation, extractor, *); fitted by python -m kg.training.calibration "
        f"on the news gold set's {split.replace(',', ' + ')} ({facts} pieces of evidence)",
        "groups": {key: list(value) for key, value in sorted(groups.items())},
    }
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--split",
        default="dev,calib",
        help="splits pooled for the fit, comma-separated (default dev,calib; test is refused)",
    )
    parser.add_argument(
        "--check",
        default="calib",
        help="the split whose held-out documents choose the setting (default calib)",
    )
    parser.add_argument("--data", type=Path, help="the news gold set folder")
    parser.add_argument("--out", type=Path, default=CALIBRATION_FILE)
    args = parser.parse_args()
    data: list[Outcome] = []
    check: list[str] = []
    for split in args.split.split(","):
        rows = outcomes(split, args.data)
        data += rows
        if split == args.check:
            check = sorted({row[4] for row in rows})
    shrink, relations = choose_setting(data, check or None)
    groups = fit(data, shrink, relations=relations)
    write(groups, args.out, len(data), args.split)
    for key, (a, b) in sorted(groups.items()):
        members = [r for r in data if key == "*" or key in (r[0], f"{r[0]}/{r[1]}")]
        right = sum(r[3] for r in members)
        print(f"{key:40} a={a:7.3f} b={b:7.3f}  {right}/{len(members)} right")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
