"""Quotes scored per document: found or not, and attributed to the right speaker.

A predicted quote matches a gold quote when the gold quote's first word lies within the
predicted quote's evidence span, or when the predicted text (normalized) starts with or
contains the gold text; each is matched at most once. Predicted quotes under four words
are left out: the guideline does not annotate them.

    >>> from kg.evaluation.news_data import GoldArticle, GoldQuote, NodeQuote
    >>> gold = GoldArticle("d", "", quotes=(GoldQuote(10, "We will win", "e1"),))
    >>> result = score_quotes(gold, [NodeQuote("q1", "We will win this", 9, 30, "n1")], {"n1": "e1"})
    >>> result.found, result.speaker_right
    (1, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg.evaluation.news_data import GoldArticle, GoldQuote, NodeQuote
from kg.evaluation.scoring import match_one_to_one

MIN_WORDS = 4
_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019 "


def normalize_quote(text: str) -> str:
    """Casefolded, white space folded, without surrounding quotation marks."""
    return " ".join(text.split()).strip(_QUOTE_MARKS).casefold()


def quotes_match(gold: GoldQuote, predicted: NodeQuote) -> bool:
    """The gold start inside the predicted span, or the gold text at the start of or inside
    the predicted text."""
    if predicted.start <= gold.start <= predicted.end:
        return True
    wanted, found = normalize_quote(gold.text), normalize_quote(predicted.text)
    return bool(wanted) and (found.startswith(wanted) or wanted in found)


@dataclass(frozen=True)
class SpeakerError:
    """A gold quote whose matched prediction names another speaker (or none)."""

    quote: GoldQuote
    predicted: NodeQuote
    speaker: str | None


@dataclass
class QuoteResult:
    """Counts of one document (or summed), with the quotes that went wrong."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    predicted_matched: int = 0
    with_speaker: int = 0
    with_speaker_found: int = 0
    speaker_right: int = 0
    speakerless: int = 0
    speakerless_attributed: int = 0
    missed: list[GoldQuote] = field(default_factory=list)
    wrong_speakers: list[SpeakerError] = field(default_factory=list)
    unmatched: list[NodeQuote] = field(default_factory=list)

    def add(self, other: QuoteResult) -> QuoteResult:
        """Add another document's counts (returns self)."""
        for name in (
            "gold",
            "found",
            "predicted",
            "predicted_matched",
            "with_speaker",
            "with_speaker_found",
            "speaker_right",
            "speakerless",
            "speakerless_attributed",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def score_quotes(
    article: GoldArticle, quotes: Iterable[NodeQuote], mapping: Mapping[str, str]
) -> QuoteResult:
    """Quote detection and speaker attribution of one document."""
    gold = list(article.quotes)
    predicted = [q for q in quotes if len(q.text.split()) >= MIN_WORDS]
    pairs = match_one_to_one(
        gold, predicted, quotes_match, preference=lambda g, p: -abs(g.start - p.start)
    )
    paired = {gi: predicted[pi] for gi, pi in pairs}
    result = QuoteResult(
        gold=len(gold), found=len(pairs), predicted=len(predicted), predicted_matched=len(pairs)
    )
    matched = {pi for _, pi in pairs}
    result.unmatched = [q for i, q in enumerate(predicted) if i not in matched]
    for gi, quote in enumerate(gold):
        match = paired.get(gi)
        if match is None:
            result.missed.append(quote)
        if quote.speaker is None:
            result.speakerless += 1
            result.speakerless_attributed += match is not None and match.speaker is not None
            continue
        result.with_speaker += 1
        if match is None:
            continue
        result.with_speaker_found += 1
        speaker = mapping.get(match.speaker) if match.speaker else None
        if speaker == quote.speaker:
            result.speaker_right += 1
        else:
            result.wrong_speakers.append(SpeakerError(quote, match, match.speaker))
    return result
