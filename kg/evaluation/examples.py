"""Error classes with counts and a few examples each: what the report says to fix."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ErrorReport:
    """Counts of each error class, type confusions, false positives per extractor, examples.

    ``add`` takes the example as a callable so examples past ``limit`` cost nothing.
    """

    limit: int = 10
    counts: Counter[str] = field(default_factory=Counter)
    confusions: Counter[str] = field(default_factory=Counter)
    by_extractor: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, example: Callable[[], dict]) -> None:
        self.counts[kind] += 1
        if len(self.examples[kind]) < self.limit:
            self.examples[kind].append(example())

    def as_dict(self) -> dict:
        out: dict = {"counts": dict(sorted(self.counts.items()))}
        if self.confusions:
            out["type_confusions"] = dict(self.confusions.most_common(12))
        if self.by_extractor:
            out["false_positives_by_extractor"] = dict(self.by_extractor.most_common())
        out["examples"] = dict(sorted(self.examples.items()))
        return out
