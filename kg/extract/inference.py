"""Facts that follow from others in the same document, found last.

``locatedIn`` is transitive: "Mediaș is a city in Transylvania" and "Transylvania is
a region of Romania" (two sentences, maybe two extractors) give Mediaș locatedIn
Romania. The derived fact's confidence is the product of the two it rests on, and its
evidence spans both.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.context import DocContext
from kg.extract.geography import can_lie_in
from kg.extract.registry import ExtractorSpec
from kg.model import Fact, Mention

EXTRACTOR = "inference"
MAX_DEPTH = 3


def infer_facts(ctx: DocContext) -> Iterator[Fact]:
    """Transitive ``locatedIn`` within one document."""
    located: list[Fact] = [
        f
        for f in ctx.facts
        if f.relation == "locatedIn" and isinstance(f.object, Mention) and not f.open
    ]
    parents: dict[str, list[Fact]] = {}
    for fact in located:
        parents.setdefault(fact.subject.name, []).append(fact)
    known = {(f.subject.name, _name(f.object)) for f in located}
    frontier = located
    for _ in range(MAX_DEPTH):
        derived: list[Fact] = []
        for fact in frontier:
            for upper in parents.get(_name(fact.object), []):
                key = (fact.subject.name, _name(upper.object))
                if key in known or _name(upper.object) == fact.subject.name:
                    continue
                if not can_lie_in(fact.subject.name, _name(upper.object)):
                    continue
                known.add(key)
                derived.append(_chain(ctx, fact, upper))
        yield from derived
        frontier = derived
        if not derived:
            return


def _chain(ctx: DocContext, lower: Fact, upper: Fact) -> Fact:
    start = min(lower.evidence.start, upper.evidence.start)
    end = max(lower.evidence.end, upper.evidence.end)
    confidence = lower.evidence.confidence * upper.evidence.confidence
    return Fact(
        lower.subject, "locatedIn", upper.object, ctx.evidence(start, end, EXTRACTOR, confidence)
    )


def _name(value: Mention | str) -> str:
    return value.name if isinstance(value, Mention) else value


SPEC = ExtractorSpec(
    EXTRACTOR, infer_facts, requires=("roles", "relations", "events"), assigns=("inferred",)
)
