"""Reading IOB/IOB2-tagged token files (CoNLL-2003, CrossNER): sentences and spans."""

from __future__ import annotations

from pathlib import Path

Sentence = tuple[list[str], list[str]]


def read_iob(path: Path) -> list[Sentence]:
    """Sentences as (words, tags); the tag is the last column, blank lines separate sentences."""
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if words:
                sentences.append((words, tags))
                words, tags = [], []
            continue
        words.append(parts[0])
        tags.append(parts[-1])
    if words:
        sentences.append((words, tags))
    return sentences


def spans_from_iob(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans; accepts IOB1 and IOB2 (an I- after O starts a span)."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    label: str | None = None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label
        if start is not None and not continues:
            spans.append((start, i, label or ""))
            start, label = None, None
        if prefix == "B" or (prefix == "I" and not continues):
            start, label = i, kind
    return spans
