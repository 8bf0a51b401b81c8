"""Train the entity type classifier; ship its weights in kg/models/entity_types.npz.

One command, reproducible::

    pip install -e ".[train]"
    python -m kg.training.entity_types --data ../shared/data

Our own pipeline (the spaCy model with our NER, the ``entities`` extractor and the
clustering of :mod:`kg.resolve.cluster`) runs on CoNLL-2003 ``eng.train``; every
cluster of names becomes one example: its features (:mod:`kg.resolve.features`) and the
gold type of the spans its mentions match (PER → Person, ORG → Organization, LOC →
Location; MISC, a span no gold entity matches → NONE, "not an entity": nationality words,
works, products, fragments). A multinomial logistic regression (scikit-learn) learns the
weights; its strength is chosen on a dev split carved from ``eng.train`` (every tenth
article), never on ``eng.testa``. Inference needs only numpy
(:mod:`kg.resolve.entity_type`): plain arrays, no pickle.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from kg.model import LOCATION, NAME, ORGANIZATION, PERSON

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "models" / "entity_types.npz"
NONE = "NONE"
LABELS = {"PER": PERSON, "ORG": ORGANIZATION, "LOC": LOCATION, "MISC": NONE}
DEV_EVERY = 10
STRENGTHS = (0.1, 0.3, 1.0, 3.0)


def examples(data: Path, limit: int | None = None) -> Iterator[tuple[int, dict[str, float], str]]:
    """(article index, features, label) for every cluster of every CoNLL-2003 train article."""
    from kg.build.pipeline import extract_document, extractors_for
    from kg.documents import document_from_text
    from kg.evaluation.conll2003 import iob_document, split_articles
    from kg.extract.context import DocContext
    from kg.nlp import load_model
    from kg.resolve.cluster import CLUSTERED_TYPES, cluster_mentions
    from kg.resolve.features import cluster_features
    from kg.training.iob import read_iob

    nlp = load_model()
    chosen = extractors_for(["entities"])
    articles = split_articles(read_iob(data / "conll2003" / "eng.train"))[:limit]
    documents = [iob_document(f"train-{i}", a) for i, a in enumerate(articles)]
    texts = [d.text.text for d in documents]
    for index, (document, doc) in enumerate(zip(documents, nlp.pipe(texts, batch_size=32))):
        tokens = document.text
        gold = {
            (tokens.starts[a], tokens.ends[b - 1]): LABELS.get(label, NONE)
            for a, b, label in document.spans
        }
        source = document_from_text(tokens.text, id=document.id)
        extraction = extract_document(DocContext(document=source, doc=doc), chosen)
        named = [m for m in extraction.mentions if m.type in CLUSTERED_TYPES and m.kind == NAME]
        for members in cluster_mentions(named):
            yield index, cluster_features(members), _label(members, gold)


def _label(members: Sequence[object], gold: dict[tuple[int, int], str]) -> str:
    """The gold type most of the cluster's mentions match (a gold span inside the mention
    or around it, sharing most of its characters), else NONE."""
    votes: Counter[str] = Counter()
    for m in members:
        start, end = m.start, m.end  # type: ignore[attr-defined]
        for (a, b), label in gold.items():
            overlap = min(end, b) - max(start, a)
            if overlap > 0 and overlap >= 0.6 * max(end - start, b - a):
                votes[label] += 1
    return votes.most_common(1)[0][0] if votes else NONE


def train(data: Path, out: Path, *, limit: int | None = None) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    began = time.time()
    rows = list(examples(data, limit))
    print(f"{len(rows)} clusters from CoNLL-2003 train in {time.time() - began:.0f}s", flush=True)
    train_rows = [r for r in rows if r[0] % DEV_EVERY != 0]
    dev_rows = [r for r in rows if r[0] % DEV_EVERY == 0]
    vectorizer = DictVectorizer()
    x_train = vectorizer.fit_transform([f for _, f, _ in train_rows])
    y_train = [label for _, _, label in train_rows]
    x_dev = vectorizer.transform([f for _, f, _ in dev_rows])
    y_dev = [label for _, _, label in dev_rows]
    scores: dict[str, float] = {}
    best: tuple[float, float] = (-1.0, STRENGTHS[0])
    for strength in STRENGTHS:
        model = LogisticRegression(C=strength, max_iter=2000)
        model.fit(x_train, y_train)
        accuracy = float(np.mean(model.predict(x_dev) == np.array(y_dev)))
        scores[f"dev accuracy C={strength}"] = accuracy
        print(f"C={strength}: dev accuracy {accuracy:.4f}", flush=True)
        best = max(best, (accuracy, strength))
    model = LogisticRegression(C=best[1], max_iter=2000)
    model.fit(vectorizer.transform([f for _, f, _ in rows]), [label for _, _, label in rows])
    names = np.array(vectorizer.get_feature_names_out())
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        labels=np.array(model.classes_),
        features=names,
        coef=model.coef_.astype(np.float32),
        intercept=model.intercept_.astype(np.float32),
    )
    scores["chosen C"] = best[1]
    scores["dev accuracy"] = best[0]
    (out.with_suffix(".json")).write_text(
        json.dumps(
            {
                "trained on": "CoNLL-2003 eng.train clusters of our pipeline (all articles)",
                "strength chosen on": f"every {DEV_EVERY}th eng.train article (held out while choosing)",
                "labels": Counter(label for _, _, label in rows),
                **scores,
            },
            indent=2,
        )
        + "\n",
        "utf-8",
    )
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.training.entity_types")
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "data"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--limit", type=int, default=None, help="Use only the first N articles")
    args = parser.parse_args(argv)
    print(json.dumps(train(args.data, args.out, limit=args.limit), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
