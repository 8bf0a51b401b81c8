"""Typed relations from the trained sentence-level classifier (kg/models/relations.npz).

For each ordered pair of Person/Organization/Location mentions in a sentence whose
types can hold a relation, the classifier (trained by kg/training/relations.py)
gives a probability per relation; the best one above its cut-off (chosen on a part of
CoNLL04 train and shipped in the weights file) becomes a fact with that probability as
its confidence. Pairs the rule extractors already decided, and items of one list, are
left to the rules:

    Work_For → affiliatedWith      OrgBased_In, Located_In → locatedIn
    Live_In → residence            Kill → open relation "kill"
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kg.extract.context import DocContext
from kg.extract.geography import can_lie_in
from kg.extract.pair_features import is_list_pair, pair_features
from kg.extract.pair_filters import unrelated
from kg.extract.registry import ExtractorSpec
from kg.model import LOCATION, NAME, ORGANIZATION, PERSON, Fact, Mention

EXTRACTOR = "relation_classifier"
WEIGHTS = Path(__file__).resolve().parent.parent / "models" / "relations.npz"
#: Cut-off of a label the weights file gives none for.
THRESHOLD = 0.5
MAX_MENTIONS = 12  # pairs grow quadratically: long lists of names are skipped
SIGNATURES = {
    (PERSON, ORGANIZATION),
    (PERSON, LOCATION),
    (ORGANIZATION, LOCATION),
    (LOCATION, LOCATION),
    (PERSON, PERSON),
}
#: Classifier label → (relation, open?)
RELATIONS = {
    "Work_For": ("affiliatedWith", False),
    "OrgBased_In": ("locatedIn", False),
    "Located_In": ("locatedIn", False),
    "Live_In": ("residence", False),
    "Kill": ("kill", True),
}

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


@dataclass(frozen=True)
class Classifier:
    labels: tuple[str, ...]
    index: dict[str, int]
    coef: np.ndarray
    intercept: np.ndarray
    #: Label → the probability a fact needs (chosen when training).
    thresholds: dict[str, float]

    def probabilities(self, features: list[str]) -> np.ndarray:
        columns = [self.index[f] for f in set(features) if f in self.index]
        scores = self.coef[:, columns].sum(axis=1) + self.intercept
        scores = np.exp(scores - scores.max())
        result: np.ndarray = scores / scores.sum()
        return result


@lru_cache(maxsize=1)
def load_classifier(path: Path = WEIGHTS) -> Classifier | None:
    """The shipped weights, or None when the file is absent (the extractor then does nothing)."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        if "feature_text" in data.files:  # one UTF-8 text, a feature a line
            features = data["feature_text"].tobytes().decode("utf-8").split("\n")
        else:  # weights saved before: a fixed-width string array
            features = data["features"].tolist()
        labels = tuple(str(label) for label in data["labels"])
        cutoffs = data["thresholds"] if "thresholds" in data.files else [THRESHOLD] * len(labels)
        return Classifier(
            labels=labels,
            index={f: i for i, f in enumerate(features)},
            coef=data["coef"].astype(np.float64),
            intercept=data["intercept"].astype(np.float64),
            thresholds={label: float(c) for label, c in zip(labels, cutoffs)},
        )


def extract_classified_relations(ctx: DocContext) -> Iterator[Fact]:
    """Facts the classifier is confident about, one per entity pair at most."""
    classifier = load_classifier()
    if classifier is None:
        return
    for sentence in ctx.sentences:
        mentions = [
            m
            for m in ctx.mentions_between(
                sentence.start_char, sentence.end_char, types=(PERSON, ORGANIZATION, LOCATION)
            )
            if m.kind == NAME
        ]
        if len(mentions) < 2 or len(mentions) > MAX_MENTIONS:
            continue
        spans = {
            id(m): ctx.doc.char_span(m.start, m.end, alignment_mode="expand") for m in mentions
        }
        ruled = _ruled_pairs(ctx, sentence.start_char, sentence.end_char)
        for first in mentions:
            for second in mentions:
                if (
                    first is second
                    or (first.type, second.type) not in SIGNATURES
                    or first.name == second.name
                    or _decided(ruled, first, second)
                ):
                    continue
                yield from _classify(
                    ctx,
                    classifier,
                    first,
                    second,
                    spans[id(first)],
                    spans[id(second)],
                    claimed=_claimed(ruled, first, second),
                )


def _ruled_pairs(ctx: DocContext, start: int, end: int) -> list[Fact]:
    """Facts the rules found in this sentence (titles, appositions, place patterns)."""
    return [
        f
        for f in ctx.facts
        if not f.open
        and f.evidence.extractor != EXTRACTOR
        and f.evidence.start < end
        and f.evidence.end > start
    ]


def _decided(ruled: list[Fact], first: Mention, second: Mention) -> bool:
    """True when a rule already read what links the pair: a fact between the two, or a
    title phrase of ``first`` that spans ``second`` ("Ex-US President Donald Trump": the
    rules say what "Ex-US" is to him; the classifier would guess)."""
    for fact in ruled:
        if fact.subject.span != first.span and fact.subject.span != second.span:
            continue
        other = second if fact.subject.span == first.span else first
        if isinstance(fact.object, Mention) and fact.object.span == other.span:
            return True
        person = fact.subject
        if (
            fact.relation == "role"
            and fact.evidence.start < other.end
            and other.end <= person.start
            and fact.evidence.end <= person.end  # a title before the name, not after it
        ):
            return True
    return False


def _claimed(ruled: list[Fact], first: Mention, second: Mention) -> bool:
    """True when a rule tied ``second`` to a person other than ``first`` by a title."""
    return any(
        f.relation in ("affiliatedWith", "leaderOf")
        and isinstance(f.object, Mention)
        and f.object.span == second.span
        and f.subject.span != first.span
        and f.subject.type == PERSON
        for f in ruled
    )


def _acts(place: Token) -> bool:
    """True when a place (or the list it is in) is the subject or object of a verb: it
    acts or is acted on ("as the United States has in NATO", "to support Joe Biden, South
    Africa and India"), and is nobody's location."""
    head = place
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    return head.dep_ in ("nsubj", "nsubjpass", "dobj")


def _classify(
    ctx: DocContext,
    classifier: Classifier,
    first: Mention,
    second: Mention,
    a: Span | None,
    b: Span | None,
    *,
    claimed: bool = False,
) -> Iterator[Fact]:
    if a is None or b is None or a.start < b.end and b.start < a.end or is_list_pair(a, b):
        return
    probabilities = classifier.probabilities(pair_features(a, b, first.type, second.type))
    best = int(probabilities.argmax())
    label = classifier.labels[best]
    if label not in RELATIONS or probabilities[best] < classifier.thresholds.get(label, THRESHOLD):
        return
    relation, is_open = RELATIONS[label]
    if (
        relation == "locatedIn"
        and first.type == LOCATION
        and not can_lie_in(first.name, second.name)
    ):
        return
    if relation in ("locatedIn", "residence") and _acts(b.root):
        return
    if unrelated(relation, a, b, claimed=claimed):  # kg/extract/pair_filters.py
        return
    start, end = min(first.start, second.start), max(first.end, second.end)
    evidence = ctx.evidence(start, end, EXTRACTOR, float(probabilities[best]))
    yield Fact(first, relation, second, evidence, open=is_open)


SPEC = ExtractorSpec(
    EXTRACTOR,
    extract_classified_relations,
    requires=("names", "roles", "relations"),  # after the rules: a pair they decided is skipped
    assigns=("relations",),
)
