"""What every extractor shares: the per-document context, the protocol and the registry.

An extractor is a plain function from a :class:`DocContext` to an iterable of
:class:`~kg.model.Mention` and :class:`~kg.model.Fact`. Register one by name::

    from kg.extract import register

    @register("acquisitions", after=("entities",))
    def acquisitions(ctx):
        ...
        yield Fact(subject, "acquire", obj, ctx.evidence(start, end, "acquisitions", 0.7), open=True)

Extractors run in registration order (``after`` moves one behind the ones it needs),
and each sees the mentions added by the ones before it.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from kg.errors import ExtractorError
from kg.model import Evidence, Fact, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kg.documents import Document

Output = Mention | Fact


class Extractor(Protocol):
    """A callable that finds mentions and facts in one parsed document."""

    def __call__(self, ctx: DocContext) -> Iterable[Output]: ...


@dataclass
class DocContext:
    """One parsed document and what the extractors found in it so far."""

    document: Document
    doc: Doc
    mentions: list[Mention] = field(default_factory=list)
    #: Facts found so far (extractors that reason over facts run last).
    facts: list[Fact] = field(default_factory=list)
    #: Notes extractors leave for later ones (e.g. the end of a date range).
    notes: dict[str, dict] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    _sorted: list[Mention] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return self.document.id

    @functools.cached_property
    def text(self) -> str:
        """The parsed text (``Doc.text`` rebuilds the string on every call; this is kept)."""
        return self.doc.text

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
        """The spaCy sentence holding character ``char``."""
        token = self.doc[self._token_index(char)]
        return token.sent

    def _token_index(self, char: int) -> int:
        starts = self._token_starts
        return max(0, bisect.bisect_right(starts, char) - 1)

    @property
    def _token_starts(self) -> list[int]:
        cached = self.__dict__.get("_token_start_cache")
        if cached is None:
            cached = [t.idx for t in self.doc]
            self.__dict__["_token_start_cache"] = cached
        return cached

    def evidence(self, start: int, end: int, extractor: str, confidence: float) -> Evidence:
        """Evidence for the characters ``[start, end)``: the sentence(s) around them."""
        first = self.sentence_of(start)
        last = self.sentence_of(max(start, end - 1))
        text = self.text[first.start_char : last.end_char]
        return Evidence(
            doc_id=self.doc_id,
            sentence=" ".join(text.split()),
            start=start,
            end=end,
            extractor=extractor,
            confidence=round(min(1.0, max(0.0, confidence)), 3),
        )


@dataclass(frozen=True)
class Registered:
    name: str
    function: Extractor
    after: tuple[str, ...]


_REGISTRY: dict[str, Registered] = {}


def register(name: str, *, after: tuple[str, ...] = ()) -> Callable[[Extractor], Extractor]:
    """Register an extractor under ``name`` (decorator)."""

    def decorator(function: Extractor) -> Extractor:
        _REGISTRY[name] = Registered(name, function, after)
        return function

    return decorator


def registered_names() -> list[str]:
    """Names of all registered extractors, in the order they run."""
    return [r.name for r in _ordered(list(_REGISTRY.values()))]


def resolve_extractors(names: Iterable[str] | None = None) -> list[Registered]:
    """The extractors to run, in order; unknown names raise ExtractorError."""
    if names is None:
        return _ordered(list(_REGISTRY.values()))
    chosen = []
    for name in names:
        if name not in _REGISTRY:
            valid = ", ".join(sorted(_REGISTRY))
            raise ExtractorError(f"unknown extractor {name!r} (valid: {valid})")
        chosen.append(_REGISTRY[name])
    return _ordered(chosen)


def _ordered(items: list[Registered]) -> list[Registered]:
    """Registration order, moved so that each runs after the ones it names in ``after``."""
    order: list[Registered] = []
    placed: set[str] = set()
    pending = list(items)
    names = {r.name for r in items}
    while pending:
        progressed = False
        for item in list(pending):
            if all(dep in placed or dep not in names for dep in item.after):
                order.append(item)
                placed.add(item.name)
                pending.remove(item)
                progressed = True
        if not progressed:
            cycle = ", ".join(r.name for r in pending)
            raise ExtractorError(f"extractors depend on each other in a cycle: {cycle}")
    return order


def iter_outputs(
    ctx: DocContext, extractors: Iterable[Registered]
) -> Iterator[tuple[str, Output | ExtractorError]]:
    """Run extractors on one document; a crash becomes an ExtractorError, the rest go on."""
    for item in extractors:
        try:
            for output in item.function(ctx) or ():
                if isinstance(output, Mention):
                    ctx.add(output)
                elif isinstance(output, Fact):
                    ctx.facts.append(output)
                yield item.name, output
        except Exception as exc:  # noqa: BLE001 - one extractor must not stop the others
            yield (
                item.name,
                ExtractorError(
                    f"extractor {item.name!r} failed on document {ctx.doc_id}: "
                    f"{exc.__class__.__name__}: {exc}"
                ),
            )
