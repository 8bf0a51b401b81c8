"""Parsing many documents does not grow spaCy's vocabulary: memory zones, same output."""

from __future__ import annotations

import contextlib

from kg.build import pipeline
from kg.build.pipeline import extract_documents
from kg.documents import document_from_text


def _documents(count: int) -> list:
    return [
        document_from_text(
            f"Zorvak Quintel{i} met Ambassador Pelham Drusk{i} in Vexmoor{i} on Monday. "
            f"The pair signed accord {1000 + i * 7}.{i} there.",
            title=f"Story {i}",
        )
        for i in range(count)
    ]


def test_parsing_new_words_leaves_the_vocabulary_as_it_was(nlp):
    documents = _documents(80)
    extract_documents(documents[:2], nlp)  # what every document adds (punctuation...) once
    before = len(nlp.vocab.strings)
    extracted = list(extract_documents(documents, nlp))
    assert len(extracted) == 80
    assert len(nlp.vocab.strings) - before < 20  # 80 documents x 3 new names, none kept
    names = {m.name for _, e in extracted for m in e.mentions}
    numbered = {name for name in names if any(c.isdigit() for c in name)}
    assert len(numbered) > 40  # the new words were parsed (as names), then forgotten


def test_extractions_are_the_same_with_and_without_memory_zones(nlp, monkeypatch):
    documents = _documents(70)  # more than one zone of documents
    zoned = [e for _, e in extract_documents(documents, nlp)]
    monkeypatch.setattr(pipeline, "memory_zone", lambda _nlp: contextlib.nullcontext())
    plain = [e for _, e in extract_documents(documents, nlp)]
    assert zoned == plain
