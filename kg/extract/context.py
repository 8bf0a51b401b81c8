"""What an extractor sees: one parsed document and the mentions and facts found so far.

A :class:`DocContext` indexes mentions by position so that an extractor can ask
"which person is at this token" or "which places lie in this sentence" cheaply.
Extractors read it and yield new outputs; the registry (:mod:`kg.extract.registry`)
adds those to the context in the order the extractors' contracts require.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.extract.syntax import doc_text
from kg.model import Evidence, Fact, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kg.documents import Document

Output = Mention | Fact


@dataclass
class DocContext:
    """One parsed document and what the extractors found in it so far."""

    document: Document
    doc: Doc
    mentions: list[Mention] = field(default_factory=list)
    #: Facts found so far (extractors that reason over facts run last).
    facts: list[Fact] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    _sorted: list[Mention] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.document.id

    @functools.cached_property
    def text(self) -> str:
        """The parsed text (``Doc.text`` rebuilds the string on every call; this is kept)."""
        return doc_text(self.doc)

    @functools.cached_property
    def tokens(self) -> list[Token]:
        """The document's tokens, made once (iterating a ``Doc`` makes new ones each time)."""
        return list(self.doc)

    def add(self, mention: Mention) -> None:
        """Record a mention so later extractors can find it by position."""
        self.mentions.append(mention)
        index = bisect.bisect(self._starts, mention.start)
        self._starts.insert(index, mention.start)
        self._sorted.insert(index, mention)

    def mentions_between(self, start: int, end: int, *, types: Iterable[str] = ()) -> list[Mention]:
        """Mentions lying inside the characters ``[start, end)``, in text order."""
        wanted = set(types)
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [m for m in self._sorted[lo:hi] if m.end <= end and (not wanted or m.type in wanted)]

    def mention_at(self, char: int, *, types: Iterable[str] = ()) -> Mention | None:
        """The mention covering character ``char`` (the shortest one if several do)."""
        wanted = set(types)
        hi = bisect.bisect_right(self._starts, char)
        best: Mention | None = None
        for m in self._sorted[max(0, hi - 12) : hi]:
            if m.start <= char < m.end and (not wanted or m.type in wanted):
                if best is None or (m.end - m.start) < (best.end - best.start):
                    best = m
        return best

    def mention_of_token(self, token: Token, *, types: Iterable[str] = ()) -> Mention | None:
        return self.mention_at(token.idx, types=types)

    def sentence_of(self, char: int) -> Span:
        """The spaCy sentence holding character ``char`` (what ``Token.sent`` gives, looked
        up in the document's sentences, made once, instead of walking the tokens each time)."""
        return self.sentence_of_token(self._token_index(char))

    def sentence_of_token(self, index: int) -> Span:
        """The sentence holding the token at ``index``."""
        starts = self.sentence_starts
        return self.sentences[bisect.bisect_right(starts, index) - 1]

    @functools.cached_property
    def sentences(self) -> list[Span]:
        """The document's sentences, made once (``Doc.sents`` makes new spans each time)."""
        return list(self.doc.sents)

    @functools.cached_property
    def sentence_starts(self) -> list[int]:
        """The first token of each sentence, in order."""
        return [s.start for s in self.sentences]

    @functools.cached_property
    def _sentence_texts(self) -> dict[tuple[int, int], str]:
        """Normalised sentence texts by character range, filled by :meth:`sentence_text`."""
        return {}

    def sentence_text(self, sentence: Span) -> str:
        """A sentence's text, whitespace runs made single spaces (kept per sentence)."""
        cache = self._sentence_texts
        key = (sentence.start_char, sentence.end_char)
        text = cache.get(key)
        if text is None:
            text = cache[key] = " ".join(self.text[key[0] : key[1]].split())
        return text

    def _token_index(self, char: int) -> int:
        starts = self._token_starts
        return max(0, bisect.bisect_right(starts, char) - 1)

    @property
    def token_starts(self) -> list[int]:
        """Each token's start character, in document order (computed once)."""
        return self._token_starts

    @property
    def _token_starts(self) -> list[int]:
        cached = self.__dict__.get("_token_start_cache")
        if cached is None:
            cached = [t.idx for t in self.tokens]
            self.__dict__["_token_start_cache"] = cached
        return cached

    def evidence(self, start: int, end: int, extractor: str, confidence: float) -> Evidence:
        """Evidence for the characters ``[start, end)``: the sentence(s) around them."""
        first = self.sentence_of(start)
        last = self.sentence_of(max(start, end - 1))
        if first.start == last.start:
            sentence = self.sentence_text(first)
        else:
            sentence = " ".join(self.text[first.start_char : last.end_char].split())
        return Evidence(
            doc_id=self.doc_id,
            sentence=sentence,
            start=start,
            end=end,
            extractor=extractor,
            confidence=round(min(1.0, max(0.0, confidence)), 3),
        )
