"""Train the sentence-level relation classifier; ship its weights in kg/models/relations.npz.

One command, reproducible::

    pip install -e ".[train]"
    python -m kg.training.relations --data ../shared/data

A multinomial logistic regression (scikit-learn) over the pair features of
:mod:`kg.extract.pair_features` (words between, around, the dependency path between the
two heads and its words), trained with gold entity spans: for every ordered pair of
entities of a sentence whose types can hold a relation (list items excepted, see
:func:`~kg.extract.pair_features.is_list_pair`), the label is the gold relation or
``NONE``. Data:

* CoNLL04 ``train``; ``dev`` is never used to fit or choose anything (reported only);
* relation-bearing patterns: sentences of BBC News articles outside the news gold set
  in which our rule extractors (titles, appositions, "-based", "headquartered in", place
  appositions) find a relation the CoNLL04 labels name (``leaderOf``/``affiliatedWith``
  → Work_For, ``locatedIn`` → OrgBased_In / Located_In): the pair gets that label, the
  other pairs of the sentence none (``--patterns N`` articles, 0 to leave them out).

Model selection never sees CoNLL04 ``dev``: the regularization strength, whether the
pattern examples are used, and one probability cut-off per label are chosen on ``train``
alone, each fifth of its pairs held out in turn (out-of-fold probabilities); then the
model is refit on all of ``train``. The cut-offs ship in the
weights file (``thresholds``) and :mod:`kg.extract.classifier` applies them. Inference
needs only numpy: the weights are plain arrays, no pickle.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from kg.extract.pair_features import is_list_pair, pair_features

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "models" / "relations.npz"
TYPES = {"Peop": "Person", "Org": "Organization", "Loc": "Location"}
#: Ordered type pairs that can hold a relation (the only candidates generated).
SIGNATURES = {
    ("Person", "Organization"),
    ("Person", "Location"),
    ("Organization", "Location"),
    ("Location", "Location"),
    ("Person", "Person"),
}
NONE = "NONE"
#: Cut-offs tried per label on the carve.
CUTOFFS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
#: Folds of train: each fifth is held out once to choose C, the patterns and the cut-offs.
FOLDS = 5
#: Our rule relations that name a CoNLL04 label, by the types of their arguments.
PATTERN_LABELS = {
    ("leaderOf", "Person", "Organization"): "Work_For",
    ("affiliatedWith", "Person", "Organization"): "Work_For",
    ("locatedIn", "Organization", "Location"): "OrgBased_In",
    ("locatedIn", "Location", "Location"): "Located_In",
}
PATTERN_EXTRACTORS = ("roles", "relations")

Example = tuple[list[str], str]


def candidates(nlp, sentences: list[dict]) -> Iterator[Example]:
    """(features, label) for every type-compatible ordered entity pair of every sentence."""
    from spacy.tokens import Doc

    docs = nlp.pipe((Doc(nlp.vocab, words=s["tokens"]) for s in sentences), batch_size=128)
    for sentence, doc in zip(sentences, docs):
        entities = [
            (n, doc[e["start"] : e["end"]], TYPES[e["type"]])
            for n, e in enumerate(sentence["entities"])
            if e["type"] in TYPES
        ]
        gold = {(r["head"], r["tail"]): r["type"] for r in sentence["relations"]}
        yield from _pairs(entities, gold)


def _pairs(entities, gold: dict[tuple[int, int], str]) -> Iterator[Example]:
    for i, span_a, type_a in entities:
        for j, span_b, type_b in entities:
            if i == j or (type_a, type_b) not in SIGNATURES or is_list_pair(span_a, span_b):
                continue
            yield pair_features(span_a, span_b, type_a, type_b), gold.get((i, j), NONE)


def pattern_examples(nlp, texts: Sequence[str]) -> Iterator[Example]:
    """Examples from our rule extractors on unannotated news (see the module docstring)."""
    from kg.build.pipeline import extract_document, extractors_for
    from kg.documents import document_from_text
    from kg.extract.context import DocContext
    from kg.model import NAME, Mention

    chosen = extractors_for(["entities", "byline", "dates", "roles", "relations"])
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=16)):
        ctx = DocContext(document=document_from_text(text), doc=doc)
        extraction = extract_document(ctx, chosen)
        found: dict[int, dict[tuple[int, int], str]] = {}
        for fact in extraction.facts:
            if fact.evidence.extractor not in PATTERN_EXTRACTORS or not isinstance(
                fact.object, Mention
            ):
                continue
            label = PATTERN_LABELS.get((fact.relation, fact.subject.type, fact.object.type))
            first, second = ctx.sentence_of(fact.subject.start), ctx.sentence_of(fact.object.start)
            if label is not None and first.start == second.start:
                key = (fact.subject.start, fact.object.start)
                found.setdefault(first.start, {})[key] = label
        for sentence in doc.sents:
            gold = found.get(sentence.start)
            if not gold:
                continue
            mentions = [
                m
                for m in extraction.mentions
                if m.kind == NAME and sentence.start_char <= m.start < sentence.end_char
            ]
            entities = []
            for m in mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and m.type in ("Person", "Organization", "Location"):
                    entities.append((m.start, span, m.type))
            yield from _pairs(entities, gold)


def relation_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Micro F1 over the non-NONE labels."""
    tp = sum(1 for t, p in zip(truth, predicted) if t == p != NONE)
    fp = sum(1 for t, p in zip(truth, predicted) if p != NONE and p != t)
    fn = sum(1 for t, p in zip(truth, predicted) if t != NONE and p != t)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def decide(
    probabilities: np.ndarray, labels: Sequence[str], cutoffs: dict[str, float]
) -> list[str]:
    """The best label of each row when its probability reaches the label's cut-off, else NONE."""
    out = []
    for row in probabilities:
        best = int(row.argmax())
        label = labels[best]
        out.append(label if label != NONE and row[best] >= cutoffs.get(label, 0.5) else NONE)
    return out


def choose_cutoffs(
    probabilities: np.ndarray, labels: Sequence[str], truth: Sequence[str]
) -> dict[str, float]:
    """One cut-off per label, each maximizing micro F1 with the others fixed (two passes)."""
    cutoffs = {str(label): 0.5 for label in labels if label != NONE}
    for _ in range(2):
        for label in list(cutoffs):
            scores = {}
            for value in CUTOFFS:
                trial = {**cutoffs, label: value}
                scores[value] = relation_f1(truth, decide(probabilities, labels, trial))
            cutoffs[label] = max(CUTOFFS, key=lambda v: (scores[v], -abs(v - 0.5)))
    return cutoffs


def _pattern_texts(data: Path, limit: int, seed: int) -> list[str]:
    """BBC News articles outside the news gold set, a fixed sample."""
    if limit <= 0:
        return []
    gold = Path(__file__).resolve().parents[2] / "bench" / "news_gold"
    excluded = {p.name for p in gold.glob("*/*.txt")}
    paths = []
    for path in sorted((data / "bbc_news").glob("*/*.txt")):
        name = f"bbc-{path.parent.name}-{path.stem}.txt"
        if name not in excluded:
            paths.append(path)
    random.Random(seed).shuffle(paths)
    texts = []
    for path in paths[:limit]:
        texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return texts


def train(data: Path, out: Path, *, seed: int, patterns: int = 300) -> dict[str, object]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from kg.nlp import load_model

    nlp = load_model()
    with nlp.select_pipes(disable=["ner"]):
        train_set = list(
            candidates(nlp, json.loads((data / "conll04" / "conll04_train.spert.json").read_text()))
        )
        dev_set = list(
            candidates(nlp, json.loads((data / "conll04" / "conll04_dev.spert.json").read_text()))
        )
    extra = list(pattern_examples(nlp, _pattern_texts(data, patterns, seed)))
    print(f"{len(train_set)} CoNLL04 pairs, {len(extra)} pattern pairs", flush=True)
    vectorizer = DictVectorizer()
    vectorizer.fit([dict.fromkeys(f, 1) for f, _ in train_set + extra])

    def matrix(examples: Sequence[Example]):
        return vectorizer.transform([dict.fromkeys(f, 1) for f, _ in examples])

    def fit(examples: Sequence[Example], c: float) -> LogisticRegression:
        return LogisticRegression(C=c, max_iter=3000).fit(
            matrix(examples), np.array([label for _, label in examples])
        )

    truth = [label for _, label in train_set]
    folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(truth, truth))
    labels = sorted(set(truth))
    best: tuple[float, float, bool, dict[str, float]] = (-1.0, 1.0, False, {})
    for use_patterns in sorted({False, bool(extra)}):
        for c in (1.0, 3.0, 10.0):
            # out-of-fold probabilities: each carved fifth of train scored by a model
            # fitted on the rest (and the pattern examples, when used)
            held_out = np.zeros((len(train_set), len(labels)))
            for fit_rows, held_rows in folds:
                part = [train_set[i] for i in fit_rows] + (extra if use_patterns else [])
                model = fit(part, c)
                columns = [labels.index(str(label)) for label in model.classes_]
                held_out[np.ix_(held_rows, columns)] = model.predict_proba(
                    matrix([train_set[i] for i in held_rows])
                )
            cutoffs = choose_cutoffs(held_out, labels, truth)
            score = relation_f1(truth, decide(held_out, labels, cutoffs))
            print(
                f"C={c} patterns={use_patterns}: held-out relation F1 {score:.4f}, cut-offs {cutoffs}",
                flush=True,
            )
            if score > best[0]:
                best = (score, c, use_patterns, cutoffs)
    score, c, use_patterns, cutoffs = best
    model = fit(train_set + (extra if use_patterns else []), c)
    dev_truth = [label for _, label in dev_set]
    dev_probabilities = model.predict_proba(matrix(dev_set))
    save(out, vectorizer.get_feature_names_out(), model, cutoffs)
    return {
        "C": c,
        "patterns_used": use_patterns,
        "held_out_f1": round(score, 4),
        "cutoffs": cutoffs,
        "pattern_pairs": len(extra),
        "dev_f1_gold_entities": round(
            relation_f1(dev_truth, decide(dev_probabilities, list(model.classes_), cutoffs)), 4
        ),
    }


def feature_bytes(features: list[str]) -> np.ndarray:
    """The feature names as one UTF-8 text, a line each (a fixed-width string array of
    them is 40 MB unpacked, which every build used to read; features hold no line break)."""
    return np.frombuffer("\n".join(features).encode("utf-8"), dtype=np.uint8)


def save(out: Path, features, model, cutoffs: dict[str, float]) -> None:
    """Weights as plain arrays; features whose weights are all ~0 are dropped."""
    coef = model.coef_.astype(np.float32)
    keep = np.abs(coef).max(axis=0) > 1e-3
    labels = [str(label) for label in model.classes_]
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        labels=np.array(labels, dtype=str),
        feature_text=feature_bytes([f for f, kept in zip(features, keep, strict=True) if kept]),
        coef=coef[:, keep],
        intercept=model.intercept_.astype(np.float32),
        thresholds=np.array([cutoffs.get(label, 1.0) for label in labels], dtype=np.float32),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "data"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--patterns", type=int, default=300, help="BBC articles read for pattern examples"
    )
    args = parser.parse_args()
    scores = train(args.data, args.out, seed=args.seed, patterns=args.patterns)
    print(json.dumps(scores, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
