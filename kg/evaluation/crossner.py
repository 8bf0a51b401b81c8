"""CrossNER politics NER (``dev.txt``): person (politician too), organisation (political
parties too), location (countries too), event (elections too); misc reported apart.

Each sentence is a document of its own (the set has no article boundaries).

    python -m kg.evaluation crossner --limit 100
"""

from __future__ import annotations

from pathlib import Path

from kg.evaluation.conll2003 import iob_document
from kg.evaluation.ner import NerDocument, evaluate_ner
from kg.evaluation.options import Options, data_file
from kg.model import EVENT, LOCATION, ORGANIZATION, PERSON

FOLDER = "crossner_politics"
SPLITS = {"dev": "dev.txt", "train": "train.txt"}
HEADLINE = (PERSON, ORGANIZATION, LOCATION, EVENT)
TARGET = 0.78


def load(options: Options) -> tuple[list[NerDocument], Path]:
    from kg.training.iob import read_iob

    path = data_file(options, FOLDER, SPLITS)
    sentences = read_iob(path)[: options.limit]
    return [iob_document(f"crossner-{i}", [s]) for i, s in enumerate(sentences)], path


def evaluate(options: Options) -> dict:
    """Score both systems on CrossNER politics (issue 10's target: 0.78 on dev)."""
    documents, path = load(options)
    return evaluate_ner(
        "crossner",
        "crossner",
        documents,
        path,
        options,
        headline_types=HEADLINE,
        target=TARGET,
        target_note="issue 10: PER/ORG/LOC/EVENT micro F1 >= 0.78 on dev (issue 3 set none)",
    )
