"""Extractors by name, with explicit contracts: what each one needs and what it produces.

An extractor is a plain function from a :class:`~kg.extract.context.DocContext` to an
iterable of :class:`~kg.model.Mention` and :class:`~kg.model.Fact`. Its
:class:`ExtractorSpec` declares the kinds of output it ``requires`` (it reads them from
the context) and ``assigns`` (it yields them), as spaCy's components do; the run order
follows from those declarations, never from another extractor's name.

The built-in extractors are looked up lazily: :data:`BUILTIN` maps a name to the
module that holds its ``SPEC``, imported only when the extractor is asked for. Add your
own with :func:`register`::

    from kg.extract.registry import ExtractorSpec, register

    def acquisitions(ctx):
        ...
        yield Fact(buyer, "acquire", target, ctx.evidence(start, end, "acquisitions", 0.7), open=True)

    register(ExtractorSpec("acquisitions", acquisitions, requires=("names",), assigns=("relations",)))

Output kinds: ``names`` (people, organizations, places, named events), ``demonyms``,
``authors``, ``dates``, ``roles`` (titles, leadership, affiliation), ``events``,
``quotes``, ``relations`` (typed facts), ``open_relations`` (verb facts), ``inferred``,
``references`` (pronouns and descriptions linked to a named mention: coreference).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kg.errors import ExtractorError
from kg.extract.context import DocContext, Output
from kg.model import Fact, Mention

ExtractorFunction = Callable[[DocContext], Iterable[Output]]

#: Output kinds an extractor may declare.
KINDS = frozenset(
    {
        "names",
        "demonyms",
        "authors",
        "dates",
        "roles",
        "events",
        "quotes",
        "relations",
        "open_relations",
        "inferred",
        "references",
    }
)

#: Built-in extractor name → the module whose ``SPEC`` describes it (in default run order).
BUILTIN: dict[str, str] = {
    "entities": "kg.extract.entities",
    "byline": "kg.extract.byline",
    "dates": "kg.extract.dates",
    "events": "kg.extract.events",
    "roles": "kg.extract.roles",
    "relation_classifier": "kg.extract.classifier",
    "open_relations": "kg.extract.open_relations",
    "quotes": "kg.extract.quotes",
    "relations": "kg.extract.relations",
    "coref": "kg.extract.coref",
    "inference": "kg.extract.inference",
}


@dataclass(frozen=True)
class ExtractorSpec:
    """An extractor and its contract: the output kinds it reads and the ones it yields."""

    name: str
    function: ExtractorFunction
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = sorted(set(self.requires + self.assigns) - KINDS)
        if unknown:
            raise ExtractorError(
                f"extractor {self.name!r} declares unknown output kinds {unknown} "
                f"(valid: {', '.join(sorted(KINDS))})"
            )


_CUSTOM: dict[str, ExtractorSpec] = {}


def register(spec: ExtractorSpec) -> ExtractorSpec:
    """Make an extractor of your own available by name (it runs by default from then on)."""
    if spec.name in BUILTIN:
        raise ExtractorError(f"extractor name {spec.name!r} is taken by a built-in extractor")
    _CUSTOM[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Forget an extractor added with :func:`register`."""
    _CUSTOM.pop(name, None)


def available() -> list[str]:
    """Names of every extractor, built-in first."""
    return [*BUILTIN, *_CUSTOM]


def spec_of(name: str) -> ExtractorSpec:
    """The spec of the extractor called ``name`` (its module imported now if built in)."""
    if name in _CUSTOM:
        return _CUSTOM[name]
    if name not in BUILTIN:
        raise ExtractorError(f"unknown extractor {name!r} (valid: {', '.join(available())})")
    spec: ExtractorSpec = importlib.import_module(BUILTIN[name]).SPEC
    return spec


def extractors(names: Iterable[str] | None = None) -> list[ExtractorSpec]:
    """The extractors to run, ordered by their contracts; unknown names raise ExtractorError."""
    chosen = [spec_of(name) for name in (available() if names is None else list(names))]
    return ordered(chosen)


def ordered(specs: list[ExtractorSpec]) -> list[ExtractorSpec]:
    """Each extractor after every other one that assigns a kind it requires.

    Among extractors free to run, the given order is kept. A cycle is an error.
    """
    providers = {
        spec.name: {
            other.name
            for other in specs
            if other is not spec and set(other.assigns) & set(spec.requires)
        }
        for spec in specs
    }
    order: list[ExtractorSpec] = []
    placed: set[str] = set()
    pending = list(specs)
    while pending:
        ready = next((s for s in pending if providers[s.name] <= placed), None)
        if ready is None:
            cycle = ", ".join(s.name for s in pending)
            raise ExtractorError(f"extractors depend on each other in a cycle: {cycle}")
        order.append(ready)
        placed.add(ready.name)
        pending.remove(ready)
    return order


def run(
    ctx: DocContext, specs: Iterable[ExtractorSpec]
) -> Iterator[tuple[str, Output | ExtractorError]]:
    """Run extractors on one document; a crash becomes an ExtractorError, the rest go on.

    Every fact's confidence is calibrated here, the one place all facts pass
    (:mod:`kg.extract.calibration`), so later extractors and the writer see the same value.
    """
    from kg.extract.calibration import calibrate

    for spec in specs:
        try:
            for output in spec.function(ctx) or ():
                if isinstance(output, Mention):
                    ctx.add(output)
                elif isinstance(output, Fact):
                    output = calibrate(output)
                    ctx.facts.append(output)
                yield spec.name, output
        except Exception as exc:  # noqa: BLE001 - one extractor must not stop the others
            yield (
                spec.name,
                ExtractorError(
                    f"extractor {spec.name!r} failed on document {ctx.doc_id}: "
                    f"{exc.__class__.__name__}: {exc}"
                ),
            )
