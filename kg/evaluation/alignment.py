"""Token lists ↔ one text: the gold sets come tokenized, our pipeline reads plain text.

Tokens are joined with single spaces and sentences with ``sentence_separator``; each
token's character offsets are kept so a character span found by the pipeline maps back
to the tokens it covers (exactly, or only partly).

    >>> text = TokenText.join([["Joe", "Biden", "spoke", "."], ["He", "left", "."]])
    >>> text.text
    'Joe Biden spoke .\\nHe left .'
    >>> text.tokens(0, 9)
    TokenSpan(start=0, end=2, exact=True)
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from kg.documents import normalize_text


class TokenSpan(NamedTuple):
    """Tokens ``[start, end)`` a character span covers; ``exact`` when it starts and ends
    on their boundaries, or leaves out only punctuation of its first or last token (the
    gold token "Boise." for our "Boise": a tokenization artifact, not a boundary error)."""

    start: int
    end: int
    exact: bool


def clean_token(token: str) -> str:
    """A token as it must appear in the text: normalized like every document, no inner
    whitespace, never empty (so offsets stay aligned)."""
    cleaned = "".join(ch for ch in normalize_text(token) if not ch.isspace())
    return cleaned or "_"


@dataclass(frozen=True)
class TokenText:
    """A text made of tokens, with the character offsets of every token."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    #: Index of the first token of each sentence.
    sentence_starts: tuple[int, ...] = (0,)

    @classmethod
    def join(
        cls, sentences: Sequence[Sequence[str]], *, sentence_separator: str = "\n"
    ) -> TokenText:
        """Join tokenized sentences into one text."""
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        sentence_starts: list[int] = []
        offset = 0
        for s, sentence in enumerate(sentences):
            if s:
                parts.append(sentence_separator)
                offset += len(sentence_separator)
            sentence_starts.append(len(starts))
            for i, token in enumerate(sentence):
                if i:
                    parts.append(" ")
                    offset += 1
                token = clean_token(token)
                parts.append(token)
                starts.append(offset)
                offset += len(token)
                ends.append(offset)
        return cls("".join(parts), tuple(starts), tuple(ends), tuple(sentence_starts))

    def __len__(self) -> int:
        return len(self.starts)

    def chars(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens ``[start, end)``."""
        return self.starts[start], self.ends[end - 1]

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens ``[start, end)``."""
        first, last = self.chars(start, end)
        return self.text[first:last]

    def tokens(self, start: int, end: int) -> TokenSpan | None:
        """The tokens characters ``[start, end)`` overlap, or None when they hold none."""
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end)
        if first >= last:
            return None
        left_out = self.text[self.starts[first] : max(start, self.starts[first])]
        left_out += self.text[min(end, self.ends[last - 1]) : self.ends[last - 1]]
        exact = not any(ch.isalnum() for ch in left_out)
        return TokenSpan(first, last, exact)

    def sentence_of(self, token: int) -> int:
        """The index of the sentence holding ``token``."""
        return max(0, bisect.bisect_right(self.sentence_starts, token) - 1)

    def sentence_text(self, index: int) -> str:
        """The text of sentence ``index``."""
        start = self.sentence_starts[index]
        end = (
            self.sentence_starts[index + 1]
            if index + 1 < len(self.sentence_starts)
            else len(self.starts)
        )
        return self.span_text(start, end) if end > start else ""
