"""Train the sentence-level relation classifier; ship its weights in kg/models/relations.npz.

One command, reproducible::

    pip install -e ".[train]"
    python -m kg.training.relations --data ../shared/data

A multinomial logistic regression (scikit-learn) over the pair features of
:mod:`kg.extract.pair_features`, trained on CoNLL04 ``train`` with gold entity spans:
for every ordered pair of entities whose types can hold a relation, the label is the
gold relation or ``NONE``. The regularization strength is chosen by 3-fold cross-
validation on ``train``; ``dev`` is only reported. Inference needs only numpy
(:mod:`kg.extract.classifier`): the weights are stored as plain arrays, no pickle.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from kg.extract.pair_features import pair_features

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


def candidates(nlp, sentences: list[dict]) -> Iterator[tuple[list[str], str]]:
    """(features, label) for every type-compatible ordered entity pair of every sentence."""
    from spacy.tokens import Doc

    docs = nlp.pipe((Doc(nlp.vocab, words=s["tokens"]) for s in sentences), batch_size=128)
    for sentence, doc in zip(sentences, docs):
        entities = [
            (doc[e["start"] : e["end"]], TYPES[e["type"]])
            for e in sentence["entities"]
            if e["type"] in TYPES
        ]
        gold = {(r["head"], r["tail"]): r["type"] for r in sentence["relations"]}
        positions = [n for n, e in enumerate(sentence["entities"]) if e["type"] in TYPES]
        for i, (span_a, type_a) in zip(positions, entities):
            for j, (span_b, type_b) in zip(positions, entities):
                if i == j or (type_a, type_b) not in SIGNATURES:
                    continue
                yield pair_features(span_a, span_b, type_a, type_b), gold.get((i, j), NONE)


def relation_f1(truth: list[str], predicted: list[str]) -> float:
    """Micro F1 over the non-NONE labels."""
    tp = sum(1 for t, p in zip(truth, predicted) if t == p != NONE)
    fp = sum(1 for t, p in zip(truth, predicted) if p != NONE and p != t)
    fn = sum(1 for t, p in zip(truth, predicted) if t != NONE and p != t)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def train(data: Path, out: Path, *, seed: int) -> dict[str, float]:
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
    vectorizer = DictVectorizer()
    x_train = vectorizer.fit_transform([dict.fromkeys(f, 1) for f, _ in train_set])
    y_train = np.array([label for _, label in train_set])
    best_c, best_score = 1.0, -1.0
    for c in (0.3, 1.0, 3.0, 10.0):
        scores = []
        for fit, held in StratifiedKFold(3, shuffle=True, random_state=seed).split(
            x_train, y_train
        ):
            model = LogisticRegression(C=c, max_iter=2000).fit(x_train[fit], y_train[fit])
            scores.append(relation_f1(list(y_train[held]), list(model.predict(x_train[held]))))
        score = float(np.mean(scores))
        print(f"C={c}: cross-validated relation F1 {score:.4f}", flush=True)
        if score > best_score:
            best_c, best_score = c, score
    model = LogisticRegression(C=best_c, max_iter=2000).fit(x_train, y_train)
    x_dev = vectorizer.transform([dict.fromkeys(f, 1) for f, _ in dev_set])
    dev_score = relation_f1([label for _, label in dev_set], list(model.predict(x_dev)))
    save(out, vectorizer.get_feature_names_out(), model)
    return {"C": best_c, "cv_f1": best_score, "dev_f1_gold_entities": dev_score}


def save(out: Path, features, model) -> None:
    """Weights as plain arrays; features whose weights are all ~0 are dropped."""
    coef = model.coef_.astype(np.float32)
    keep = np.abs(coef).max(axis=0) > 1e-3
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        labels=np.array(model.classes_, dtype=str),
        features=np.array(features, dtype=str)[keep],
        coef=coef[:, keep],
        intercept=model.intercept_.astype(np.float32),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "data"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    scores = train(args.data, args.out, seed=args.seed)
    print(json.dumps(scores, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
