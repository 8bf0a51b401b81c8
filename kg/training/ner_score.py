"""Score NER weight folders on the selection devs carved from the training files.

    python -m kg.training.ner_score --data ../shared/data stock kg/models/ner DIR...

Prints PER/ORG/LOC strict micro F1 on the CoNLL-2003 dev carved from ``eng.train`` and
PER/ORG/LOC/EVENT on the CrossNER dev carved from ``train.txt`` (as the training command
selects); ``stock`` is spaCy's own NER. ``eng.testa`` and CrossNER ``dev.txt`` are never
read. (The whole pipeline on news ``dev``: ``KG_NER=DIR kg eval news --split dev``.)
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.errors import InputError, KGError
from kg.training.ner import BASE_MODEL, CONLL_COARSE, CROSSNER_COARSE, DEFAULT_DATA, evaluate
from kg.training.ner_data import GoldSplits, gold_splits


def carved_scores(weights: str, splits: GoldSplits) -> tuple[float, float]:
    """``(CoNLL carved dev F1, CrossNER carved dev F1)`` of the weights in a folder
    (``"stock"``: the base model's own NER)."""
    import spacy

    nlp = spacy.load(BASE_MODEL)
    if weights != "stock":
        if not (Path(weights) / "model").is_file():
            raise InputError(f"{weights}: no NER weights there (a folder with 'model')")
        ner: Any = nlp.get_pipe("ner")
        ner.from_disk(weights, exclude=["vocab"])
    with nlp.select_pipes(enable=["ner"]):
        return (
            evaluate(nlp, splits.conll_dev, CONLL_COARSE),
            evaluate(nlp, splits.crossner_dev, CROSSNER_COARSE),
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("weights", nargs="+", help="weight folders, or 'stock'")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N dev sentences")
    args = parser.parse_args(argv)
    try:
        splits = gold_splits(args.data, args.limit)
        for weights in args.weights:
            conll, crossner = carved_scores(weights, splits)
            print(f"{weights}: CoNLL carved dev {conll:.4f}, CrossNER carved dev {crossner:.4f}")
    except KGError as exc:
        parser.exit(1, f"{parser.prog}: error: {exc}\n")


if __name__ == "__main__":
    main()
