"""Open relations: subject–verb–object triples between entities, the verb lemma as predicate.

"G7 leaders criticized China" → (G7, criticize, China); "Biden was greeted by
Alexander De Croo" → (Alexander De Croo, greet, Biden); "Biden traveled to Belgium" →
(Biden, travel_to, Belgium). They become sub-properties of ``kg:relatedTo``, kept
apart from the typed relations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec
from kg.extract.syntax import conjuncts, mention_for
from kg.model import LOCATION, ORGANIZATION, PERSON, Fact, Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

EXTRACTOR = "open_relations"
ARGUMENTS = (PERSON, ORGANIZATION, LOCATION)
SKIP_LEMMAS = frozenset({"be", "have", "do", "say", "tell", "add", "according", "accord"})
PREPOSITIONS = frozenset({"to", "with", "against", "from", "for", "on", "into", "at", "in"})


def extract_open_relations(ctx: DocContext) -> Iterator[Fact]:
    """One open fact per (subject entity, verb, object entity) in a clause."""
    for verb in ctx.tokens:
        if verb.pos_ != "VERB" or verb.lemma_.lower() in SKIP_LEMMAS:
            continue
        if any(c.dep_ == "neg" for c in verb.children):
            continue
        subjects, objects = _arguments(ctx, verb)
        lemma = verb.lemma_.lower()
        for subject in subjects:
            for obj, prep in objects:
                if subject.name == obj.name:
                    continue
                relation = f"{lemma}_{prep}" if prep else lemma
                start, end = min(subject.start, obj.start), max(subject.end, obj.end)
                evidence = ctx.evidence(start, end, EXTRACTOR, 0.6)
                yield Fact(subject, relation, obj, evidence, open=True)


def _arguments(ctx: DocContext, verb: Token) -> tuple[list[Mention], list[tuple[Mention, str]]]:
    subjects: list[Mention] = []
    objects: list[tuple[Mention, str]] = []
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    subject_tokens = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subject_tokens and verb.dep_ == "conj":  # "... and was greeted by X"
        subject_tokens = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    patients: list[Mention] = []
    for token in subject_tokens:
        for t in conjuncts(token):
            mention = mention_for(ctx, t, ARGUMENTS)
            if mention is not None:
                (patients if passive else subjects).append(mention)
    for child in verb.children:
        if child.dep_ == "dobj":
            objects.extend(
                (m, "") for t in conjuncts(child) if (m := mention_for(ctx, t, ARGUMENTS))
            )
        elif child.dep_ == "agent" and passive:
            for obj in (c for c in child.children if c.dep_ == "pobj"):
                subjects.extend(m for t in conjuncts(obj) if (m := mention_for(ctx, t, ARGUMENTS)))
        elif child.dep_ == "prep" and child.lower_ in PREPOSITIONS and not passive:
            for obj in (c for c in child.children if c.dep_ == "pobj"):
                objects.extend(
                    (m, child.lower_)
                    for t in conjuncts(obj)
                    if (m := ctx.mention_of_token(t, types=ARGUMENTS)) is not None
                )
    if passive:
        objects = [(m, "") for m in patients] + objects
    return subjects, objects


SPEC = ExtractorSpec(
    EXTRACTOR,
    extract_open_relations,
    requires=("names", "roles", "events"),
    assigns=("open_relations",),
)
