"""CoNLL-2003 English NER (``eng.testa``): PER/ORG/LOC entity F1, MISC reported apart.

The shared copy has no ``-DOCSTART-`` lines, so articles are found again from the
Reuters layout: a short dateline sentence ending in an ISO date ("LONDON 1996-08-30")
follows each article's headline. Each article is one document (sentences on their own
lines), so resolution and type voting see the whole article as they would in use.

    python -m kg.evaluation conll2003 --limit 20
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from kg.evaluation.alignment import TokenText
from kg.evaluation.ner import NerDocument, evaluate_ner
from kg.evaluation.options import Options, data_file
from kg.model import LOCATION, ORGANIZATION, PERSON

FOLDER = "conll2003"
SPLITS = {"dev": "eng.testa", "testa": "eng.testa", "train": "eng.train"}
HEADLINE = (PERSON, ORGANIZATION, LOCATION)
TARGET = 0.88
TARGET_NOTE = (
    "issue 10: PER/ORG/LOC micro F1 >= 0.88 with NER weights selected on data that is not "
    "eng.testa (the shipped weights' epoch was selected on it: docs/evaluation.md); issue 3 asked 0.80"
)
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
DATELINE_MAX_TOKENS = 6

Sentence = tuple[list[str], list[str]]


def is_dateline(words: Sequence[str]) -> bool:
    """ "LONDON 1996-08-30": a few words ending in an ISO date."""
    return 1 < len(words) <= DATELINE_MAX_TOKENS and bool(_ISO_DATE.fullmatch(words[-1]))


def split_articles(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    """Group sentences into articles: a new one starts at the headline before each dateline."""
    starts = {0}
    for i, (words, _) in enumerate(sentences):
        if i > 0 and is_dateline(words):
            starts.add(i - 1)
    ordered = sorted(starts)
    bounds = zip(ordered, [*ordered[1:], len(sentences)])
    return [list(sentences[a:b]) for a, b in bounds if b > a]


def iob_document(doc_id: str, sentences: Sequence[Sentence]) -> NerDocument:
    """One document from IOB-tagged sentences, one sentence per line."""
    from kg.training.iob import spans_from_iob

    text = TokenText.join([words for words, _ in sentences], sentence_separator="\n")
    spans: list[tuple[int, int, str]] = []
    for index, (_, tags) in enumerate(sentences):
        offset = text.sentence_starts[index]
        spans += [(offset + a, offset + b, label) for a, b, label in spans_from_iob(tags)]
    return NerDocument(doc_id, text, tuple(spans))


def load(options: Options) -> tuple[list[NerDocument], Path]:
    """The articles of the chosen split (the first ``limit`` of them)."""
    from kg.training.iob import read_iob

    path = data_file(options, FOLDER, SPLITS)
    articles = split_articles(read_iob(path))[: options.limit]
    return [iob_document(f"conll2003-{i}", a) for i, a in enumerate(articles)], path


def evaluate(options: Options) -> dict:
    """Score both systems on CoNLL-2003 (see the module docstring)."""
    documents, path = load(options)
    return evaluate_ner(
        "conll2003",
        "conll2003",
        documents,
        path,
        options,
        headline_types=HEADLINE,
        target=TARGET,
        target_note=TARGET_NOTE,
    )
