"""Coreference within one document: pronouns and definite descriptions → the named mention
they mean, as ``reference`` mentions (:data:`kg.model.REFERENCE`).

* **Pronouns** (he, him, his, himself, she, her, hers, herself; it, its, itself and they,
  them, their, themselves for organizations and places) go to the most *salient*
  compatible entity, salience as in Lappin and Leass (1994): each earlier mention of an
  entity adds a weight for its syntactic role (subject over object over the rest),
  halved at each sentence boundary; a pronoun resolved to an entity counts as one more
  mention of it, so a chain of "he" keeps its referent in focus.
* **Constraints**: the type (he/she a person, it/they an organization or a place), the
  gender (given names, honorifics and gendered nouns: :mod:`kg.extract.gender`,
  ``kg/data/coref_nouns.tsv``, then the pronouns already resolved), number, and binding:
  a non-reflexive object pronoun (never a possessive, whatever the parse says) never
  refers to the subject of its own clause ("Smith praised him"), a reflexive always
  does ("Smith praised himself"); the subject of a verb of saying is none of the
  entities its quotation names. The subject of the
  nearest verb above a pronoun gets a bonus ("Smith said he would go"), a large one
  when the pronoun is the subject of what a verb of saying reports. A possessive in a
  relative clause or a modifier is the name it hangs on ("Merson, who went 4-for-5 in
  his second game", "Dennis Hopper, famous for his role"). "it said" is rather an
  organization than a place. A people named by a plural demonym ("the Palestinians") is
  an entity only "they" may denote.
* **Definite descriptions** ("the minister", "the former prime minister", "the
  company", "the club", "the city") go to an entity of the type their noun allows:
  a job title from ``kg/data/titles.tsv`` to the most recent person the document gave
  that role; "the party", "the bank" first to an organization whose name has the
  noun as its head; "the country" to a country, "the city" to a place that is not one. A
  description in apposition to a name ("Acme, the company that...") is that name, and so
  is one whose noun a name modifies ("the NATO military alliance", "the Scientology
  organization", also "the head of NATO, Hoop Scheffer" and "the match referee Joel
  Aguilar"); an organization noun may take a name NER typed a place and a place noun
  one typed an organization, unless the name is a known place or its head word says
  otherwise; a predicate ("She was the recipient of...", "described her as the best pupil") is its
  subject (or, after "as", the object), whatever its noun.
* **Names**: a surname or a longer form joins the person it shortens or extends,
  whatever type NER gave either ("Padalecki" after "Jared Padalecki"); a full name with
  another given name ("Johann Bernoulli" beside "Daniel Bernoulli") or a name marked
  with the other gender ("Mrs Smith", "Lady Byron") is another person; a person's name
  modifying a noun with a determiner ("the Bernoulli family") names the person but is no
  mention of them (no salience, never the antecedent). Resolution still merges the
  entities.
* **Cataphora**: a pronoun before any compatible name goes to the first one in its
  sentence or the next.

The antecedent is the entity's nearest named mention before the reference. Nothing is
linked when no compatible entity is salient enough: an unresolved pronoun is better
than a wrong one. Finding the anaphors is :mod:`kg.extract.coref_anaphors`.

    >>> PRONOUNS["his"].gender, PRONOUNS["themselves"].reflexive
    ('m', True)
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.data import lexicons
from kg.extract.context import DocContext
from kg.extract.coref_anaphors import (
    COUNTRY_NOUNS,
    DESCRIPTION,
    EMBEDDED_DEPS,
    ENTITY_TYPES,
    NON_PERSON,
    OBJECT_DEPS,
    PRONOUN,
    PRONOUNS,
    SUBJECT_DEPS,
    Anaphor,
    anaphors,
)
from kg.extract.gender import gender_of, given_name_gender
from kg.extract.registry import ExtractorSpec
from kg.model import DEMONYM, LOCATION, NAME, ORGANIZATION, PERSON, REFERENCE, Fact, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

EXTRACTOR = "coref"
__all__ = ["PRONOUNS", "WEIGHTS", "Anaphor", "Resolver", "Weights", "anaphors", "reference"]


@dataclass(frozen=True)
class Weights:
    """Salience weights (tuned on GUM train only: ``kg eval gum --split train``)."""

    recency: float = 100.0
    subject: float = 80.0
    object: float = 50.0
    oblique: float = 0.0
    head: float = 0.0  # not embedded in another noun phrase (a possessor, a compound)
    decay: float = 0.5  # per sentence
    thing_decay: float = 0.2  # per sentence, for it/they and descriptions
    parallel: float = 35.0  # same role as the entity's last mention
    min_pronoun: float = 8.0  # below this salience a pronoun stays unresolved
    min_description: float = 40.0
    title_match: float = 400.0
    name_match: float = 1000.0  # a name holding the noun wins over salience
    window: int = 12  # sentences a mention stays salient
    frequency: float = 60.0  # times log(1 + how often the document names the entity)
    learn_gender: bool = True  # a resolved he/she gives its entity a gender
    type_mismatch: float = 200.0  # subtracted for he/she and a name NER typed otherwise
    unknown_gender: float = 30.0  # subtracted for he/she when the entity's gender is unknown
    surname_merge: bool = True  # a surname or longer form joins the person, whatever NER type
    learned_conflict: float = 1000.0  # subtracted for he/she against the gender learned so far
    cataphora: bool = True  # a pronoun before any compatible name: the next one
    retype_min: int = 2  # names NER typed a person that make a mixed entity a person
    thing_mismatch: float = 0.0  # subtracted for a description and a name of the other type
    place_speaking: float = 100.0  # subtracted for a place as "it"/"they" that says something
    groups: bool = True  # plural demonyms ("the Palestinians") as antecedents of "they"
    plural_match: float = 100.0  # added for a people ("the Palestinians") and "they"
    relative: bool = True  # "X, who ... his": X
    reported_speech: float = 400.0  # more for the subject of "said" over "he" in what was said
    commanding: float = 50.0  # the subject of a verb the anaphor depends on ("X said he...")
    modifier_names: bool = True  # a person's name modifying a noun ("the Smith family") is
    # no mention of the person: neither salience nor an antecedent


WEIGHTS = Weights()


@dataclass
class _Occurrence:
    sentence: int
    token: int
    weight: float
    role: str
    named: Mention | None


@dataclass(eq=False)
class _Entity:
    type: str
    gender: str | None = None
    names: list[Mention] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    #: The head word of each name ("festival" of "Taipei City Lantern Festival").
    heads: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    occurrences: list[_Occurrence] = field(default_factory=list)
    cached_person_like: bool | None = None
    #: A people named by a plural demonym ("the Palestinians"): only "they" denotes it.
    plural: bool = False
    cached_known_place: bool | None = None
    #: he/she resolved to an entity whose names tell no gender: pronoun → count.
    learned: dict[str, int] = field(default_factory=dict)

    @property
    def assumed_gender(self) -> str | None:
        """The gender its names give, else the one most pronouns resolved to it had."""
        if self.gender is not None or not self.learned:
            return self.gender
        return max(self.learned, key=lambda g: self.learned[g])

    def last_name_before(self, char: int, skip: frozenset[int] = frozenset()) -> Mention | None:
        """Its nearest name ending before ``char``, a name starting at a ``skip`` position
        only when it has no other."""
        before = [m for m in self.names if m.end <= char]
        kept = [m for m in before if m.start not in skip] or before
        return kept[-1] if kept else None


def extract_coreference(ctx: DocContext) -> Iterator[Mention]:
    """A ``reference`` mention for every pronoun or description linked to a named mention."""
    resolver = Resolver(ctx)
    for anaphor, antecedent, confidence in resolver.resolve(anaphors(ctx)):
        yield reference(ctx, anaphor, antecedent, confidence)


def reference(ctx: DocContext, anaphor: Anaphor, antecedent: Mention, confidence: float) -> Mention:
    """The ``reference`` mention of an anaphor linked to its antecedent."""
    sentence = ctx.sentence_of(anaphor.start)
    return Mention(
        doc_id=ctx.doc_id,
        text=anaphor.text,
        name=antecedent.name,
        type=antecedent.type,
        start=anaphor.start,
        end=anaphor.end,
        sentence=ctx.sentence_text(sentence),
        label=anaphor.kind,
        confidence=round(confidence, 3),
        extractor=EXTRACTOR,
        kind=REFERENCE,
        antecedent=antecedent,
    )


# --------------------------------------------------------------------------- resolution


class Resolver:
    """Salience-driven linking of one document's anaphors to its named entities."""

    def __init__(self, ctx: DocContext, weights: Weights = WEIGHTS) -> None:
        self.ctx = ctx
        self.weights = weights
        self.doc: Doc = ctx.doc
        self.sentence_starts = ctx.sentence_starts
        self.entities: list[_Entity] = []
        self.of_name: dict[tuple[int, int], _Entity] = {}
        self.pending: list[tuple[int, _Occurrence, _Entity]] = []
        self.quotes = self._quote_speakers()
        #: Start characters of person names that modify a noun: never an antecedent.
        self.modifiers: frozenset[int] = frozenset()
        self._build_entities()

    def _quote_speakers(self) -> list[tuple[int, int, list[int]]]:
        """Each quotation's span and the tokens of the subjects of the speech verbs around
        it ("“...,” said Smith"): the speaker, whom a pronoun inside it does not denote."""
        from kg.extract.quotes import SPEECH_VERBS, quotation_spans

        out = []
        for start, end in quotation_spans(self.ctx.text):
            first = self.ctx.sentence_of(start)
            last = self.ctx.sentence_of(max(start, end - 1))
            speakers = [
                child.i
                for verb in self.doc[first.start : last.end]
                if verb.lemma_ in SPEECH_VERBS and not start <= verb.idx < end
                for child in verb.children
                if child.dep_ in SUBJECT_DEPS and not start <= child.idx < end
            ]
            out.append((start, end, speakers))
        return out

    # -- entities from names

    def _build_entities(self) -> None:
        names = sorted(
            (
                m
                for m in self.ctx.mentions
                if m.kind == NAME and m.type in ENTITY_TYPES and m.end > m.start
            ),
            key=lambda m: (m.start, -m.end),
        )
        roles = _roles_by_mention(self.ctx.facts)
        modifiers: set[int] = set()
        for m in names:
            if any(o.start <= m.start and m.end <= o.end and o is not m for o in names):
                continue  # a name inside a longer one ("Australia" in "Bank of Australia")
            entity = self._entity_for(m)
            token = self._head(m.start, m.end)
            self.of_name[(m.start, m.end)] = entity
            entity.names.append(m)
            entity.words.update(w.lower() for w in m.name.split())
            entity.heads.add(_name_head(m.name))
            entity.roles.update(roles.get((m.start, m.end), ()))
            if m.role:
                entity.roles.add(m.role.lower())
            if entity.gender is None and entity.type == PERSON:
                entity.gender = self._gender_of(m)
            if entity.type == PERSON and self._modifies_noun(token):
                modifiers.add(m.start)  # "the Bernoulli family": not Daniel Bernoulli himself
                continue
            self.pending.append((m.start, self._occurrence(token, m), entity))
        self.modifiers = frozenset(modifiers)
        if self.weights.groups:
            self._build_groups()
        self.pending.sort(key=lambda p: p[0])
        for entity in self.entities:
            if self.weights.surname_merge and entity.type != PERSON:
                self._retype_person(entity)
        for entity in self.entities:
            if entity.type != PERSON or entity.gender is not None:
                continue
            if any(self._organization_like(m) for m in entity.names):
                entity.type = ORGANIZATION

    def _build_groups(self) -> None:
        """A people named by a plural demonym ("the Palestinians", "Saudis"): an entity
        only "they" may denote, kept apart from the country."""
        groups: dict[str, _Entity] = {}
        for m in self.ctx.mentions:
            if m.kind != DEMONYM or m.end <= m.start:
                continue
            token = self._head(m.start, m.end)
            if token.tag_ not in ("NNPS", "NNS") or token.dep_ in ("amod", "compound"):
                continue
            entity = groups.get(m.name)
            if entity is None:
                entity = groups[m.name] = _Entity(type=LOCATION, plural=True)
                self.entities.append(entity)
            entity.names.append(m)
            self.of_name[(m.start, m.end)] = entity
            self.pending.append((m.start, self._occurrence(token, m), entity))

    def _retype_person(self, entity: _Entity) -> None:
        """An entity NER typed otherwise most of the time but a person at least once, with
        no organization or place word in any name ("Padalecki" read as a place): a person."""
        typed = [n for n in entity.names if n.type == PERSON]
        if len(typed) < self.weights.retype_min or not self._person_named(entity):
            return
        entity.type = PERSON
        for m in entity.names:
            entity.gender = entity.gender or self._gender_of(replace(m, type=PERSON))

    def _organization_like(self, m: Mention) -> bool:
        """A "person" NER typed that a plural head or an organization noun belies
        ("Pittsburgh Pirates", "Major League Baseball")."""
        nouns = lexicons.description_nouns()
        words = [w.lower() for w in m.name.split()]
        if any(nouns[w].type != PERSON for w in words if w in nouns):
            return True
        return self._head(m.start, m.end).tag_ == "NNPS"

    def _entity_for(self, m: Mention) -> _Entity:
        """The entity of an earlier name this one repeats or shortens ("Biden" after "Joe
        Biden", whatever type NER gave the short form), else a new one."""
        words = m.name.split()
        own = self._gender_of(m)  # "Lady Byron" is not Lord Byron
        candidates = [e for e in reversed(self.entities) if own is None or e.gender in (None, own)]
        for entity in candidates:
            if any(name.name == m.name and entity.type == m.type for name in entity.names):
                return entity
        found = self._shortened(m, words, candidates) if self.weights.surname_merge else None
        if found is not None:
            return found
        for entity in candidates:
            for name in entity.names:
                other = name.name.split()
                if entity.type == PERSON and len(words) == 1 and len(other) > 1:
                    if words[0] in (other[0], other[-1]):
                        return entity
                if m.type == PERSON == entity.type and len(other) == 1 and other[0] == words[-1]:
                    if not _other_given_name(entity, words):
                        return entity
        cue = self._described_as(m)
        given = given_name_gender(words[0], census_only=True) if len(words) > 1 else None
        if cue is None and given is not None and not _place_or_organization_name(m.name):
            cue = lexicons.DescriptionNoun(PERSON, given)
        honorific = lexicons.honorifics().get(words[0].lower().rstrip(".")) if words else None
        if cue is None and honorific is not None and len(words) > 1:
            cue = lexicons.DescriptionNoun(PERSON, honorific)  # "Mademoiselle du Motel"
        entity = _Entity(type=cue.type if cue else m.type, gender=cue.gender if cue else None)
        self.entities.append(entity)
        return entity

    def _shortened(
        self, m: Mention, words: Sequence[str], candidates: Sequence[_Entity]
    ) -> _Entity | None:
        """The person a surname or a longer form of a name stands for, whatever type NER
        gave either form: "Padalecki" after "Jared Padalecki" (the most often named such
        person, else the first named), "Jenna Marbles Jenna Mourey" after "Jenna Marbles". A full name with
        another given name ("Sherri Padalecki") is another person."""
        if _place_or_organization_name(m.name):
            return None
        best: _Entity | None = None
        for entity in candidates:
            if not self._person_named(entity):
                continue
            longer = [n.name.split() for n in entity.names if len(n.name.split()) > 1]
            if len(words) == 1:
                hit = any(words[0] in (other[0], other[-1]) for other in longer)
            else:
                hit = any(_contains(words, other) or _contains(other, words) for other in longer)
                if not hit and not longer:
                    hit = any(n.name == words[-1] for n in entity.names)
            if hit and (best is None or len(entity.names) >= len(best.names)):
                best = entity
        return best

    def _person_named(self, entity: _Entity) -> bool:
        """A person, or an entity whose names NER may have mistyped: no organization or
        place word in any of them."""
        if entity.type == PERSON:
            return True
        return not any(
            _place_or_organization_name(n.name) or n.name.isupper() for n in entity.names
        )

    def _described_as(self, m: Mention) -> lexicons.DescriptionNoun | None:
        """What an apposition or a copula says the name is: "X, an Australian woman",
        "X is a company" (a type and maybe a gender NER cannot see)."""
        nouns = lexicons.description_nouns()
        head = self._head(m.start, m.end)
        related = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            related.append(head.head)
        if head.dep_ in SUBJECT_DEPS and head.head.lemma_ in ("be", "become"):
            related += [c for c in head.head.children if c.dep_ == "attr"]
        for token in related:
            if token.pos_ == "NOUN" and token.lower_ in nouns:
                return nouns[token.lower_]
        return None

    def _modifies_noun(self, token: Token) -> bool:
        """A name that modifies a common noun with a determiner ("the Bernoulli family",
        "a Santorum cocktail"; not a misparse such as "hand Gavin Henson responsibility")."""
        if not self.weights.modifier_names or token.dep_ != "compound":
            return False
        noun = token.head
        return noun.pos_ == "NOUN" and any(c.dep_ == "det" for c in noun.children)

    def _gender_of(self, m: Mention) -> str | None:
        return gender_of(self.ctx.text, m)

    # -- syntax helpers

    def _head(self, start: int, end: int) -> Token:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return self.doc[self.ctx._token_index(start)]
        return span.root

    def sentence(self, token: int) -> int:
        return max(0, bisect.bisect_right(self.sentence_starts, token) - 1)

    def _occurrence(self, token: Token, named: Mention | None) -> _Occurrence:
        w = self.weights
        role = _role(token.head if token.dep_ == "appos" else token)  # "His father, X, said"
        weight = w.recency + {"subject": w.subject, "object": w.object}.get(role, w.oblique)
        if token.dep_ not in EMBEDDED_DEPS:
            weight += w.head
        return _Occurrence(self.sentence(token.i), token.i, weight, role, named)

    # -- linking

    def resolve(self, found: Sequence[Anaphor]) -> Iterator[tuple[Anaphor, Mention, float]]:
        """Each anaphor that can be linked, its antecedent and a confidence."""
        pending = list(self.pending)
        cursor = 0
        for anaphor in found:
            while cursor < len(pending) and pending[cursor][0] < anaphor.start:
                _, occurrence, entity = pending[cursor]
                entity.occurrences.append(occurrence)
                cursor += 1
            choice = self._choose(anaphor)
            if choice is None and self.weights.cataphora:
                choice = self._cataphor(anaphor, pending[cursor:])
            if choice is None:
                continue
            entity, confidence, antecedent = choice
            antecedent = antecedent or entity.last_name_before(anaphor.start, self.modifiers)
            if antecedent is None:
                continue
            token = self.doc[anaphor.token]
            entity.occurrences.append(self._occurrence(token, None))
            if self.weights.learn_gender and entity.gender is None and anaphor.gender:
                entity.learned[anaphor.gender] = entity.learned.get(anaphor.gender, 0) + 1
            yield anaphor, antecedent, confidence

    def _cataphor(
        self, anaphor: Anaphor, ahead: Sequence[tuple[int, _Occurrence, _Entity]]
    ) -> tuple[_Entity, float, Mention | None] | None:
        """A pronoun before any compatible name ("Church imprisoned her, Valeska Paris
        says"): the first compatible name in its sentence or the next."""
        if anaphor.kind != PRONOUN or anaphor.reflexive:
            return None
        if any(e.occurrences and self._compatible(anaphor, e) for e in self.entities):
            return None
        sentence = self.sentence(anaphor.token)
        for _, occurrence, entity in ahead:
            if occurrence.sentence > sentence + 1:
                break
            if entity.type in anaphor.types and self._compatible(anaphor, entity):
                return entity, 0.5, occurrence.named
        return None

    def _choose(self, anaphor: Anaphor) -> tuple[_Entity, float, Mention | None] | None:
        if anaphor.apposed_to is not None:
            named = self.ctx.mention_of_token(self.doc[anaphor.apposed_to], types=ENTITY_TYPES)
            entity = self.of_name.get((named.start, named.end)) if named else None
            if entity is not None and (
                entity.type in anaphor.types
                or (entity.type in NON_PERSON and set(anaphor.types) <= set(NON_PERSON))
            ):
                return entity, 0.9, named
        if anaphor.predicate_of is not None:
            entity = self._entity_at(self.doc[anaphor.predicate_of])
            if entity is not None and entity.type in anaphor.types:
                return entity, 0.8, None
        if anaphor.open_noun:
            return None
        if anaphor.reflexive:
            entity = self._clause_subject(anaphor)
            if entity is not None:
                return entity, 0.9, None
        if anaphor.kind == PRONOUN and self.weights.relative:
            entity = self._relative_subject(anaphor)
            if entity is not None:
                return entity, 0.8, None
        token = self.doc[anaphor.token]
        sentence = self.sentence(anaphor.token)
        role = _role(token)
        excluded = self._bound(anaphor)
        speaker = (
            anaphor.kind == PRONOUN
            and anaphor.gender is None
            and token.dep_ in SUBJECT_DEPS
            and token.head.lemma_ in _speech_verbs()
        )
        commanding = _commanding_subjects(token) if anaphor.kind == PRONOUN else frozenset()
        reported = (  # "Allton said he had only seen it in film"
            token.dep_ in SUBJECT_DEPS
            and token.head.dep_ == "ccomp"
            and token.head.head.lemma_ in _speech_verbs()
        )
        scored: list[tuple[float, int, _Entity]] = []
        for entity in self.entities:
            if not entity.occurrences or entity in excluded:
                continue
            if not self._compatible(anaphor, entity):
                continue
            score = self._salience(entity, sentence, role, anaphor.gender is None)
            if anaphor.gender is not None and entity.gender is None:
                assumed = entity.assumed_gender
                if assumed is None:
                    score -= self.weights.unknown_gender
                elif assumed != anaphor.gender:
                    score -= self.weights.learned_conflict
            if entity.type not in anaphor.types:
                score -= (
                    self.weights.type_mismatch
                    if anaphor.kind == PRONOUN
                    else self.weights.thing_mismatch
                )
            if entity.plural:
                score += self.weights.plural_match
            if speaker and entity.type == LOCATION:
                score -= self.weights.place_speaking
            if anaphor.kind == DESCRIPTION:
                score += self._description_bonus(anaphor, entity)
            if commanding and any(o.token in commanding for o in entity.occurrences[-4:]):
                score += self.weights.commanding
                if reported:
                    score += self.weights.reported_speech
            last = entity.occurrences[-1].token
            scored.append((score, last, entity))
        if not scored:
            return None
        scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
        best, _, entity = scored[0]
        floor = (
            self.weights.min_pronoun if anaphor.kind == PRONOUN else self.weights.min_description
        )
        if best < floor:
            return None
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        return entity, _confidence(anaphor, best, runner_up), None

    def _salience(self, entity: _Entity, sentence: int, role: str, thing: bool = False) -> float:
        """Lappin-Leass salience; for it/they (``thing``) older mentions fade faster."""
        w = self.weights
        decay = w.thing_decay if thing else w.decay
        total = 0.0
        for occurrence in entity.occurrences:
            distance = sentence - occurrence.sentence
            if distance > w.window:
                continue
            total += occurrence.weight * (decay ** max(0, distance))
        total += w.frequency * math.log1p(len(entity.names))
        if entity.occurrences and entity.occurrences[-1].role == role:
            total += w.parallel * (decay ** max(0, sentence - entity.occurrences[-1].sentence))
        return total

    def _compatible(self, anaphor: Anaphor, entity: _Entity) -> bool:
        if entity.plural and not anaphor.plural:
            return False
        if (
            entity.type not in anaphor.types
            and not self._maybe_person(anaphor, entity)
            and not self._maybe_other_thing(anaphor, entity)
        ):
            return False
        if anaphor.gender is not None and entity.gender not in (None, anaphor.gender):
            return False
        if anaphor.kind == DESCRIPTION and anaphor.types == (LOCATION,):
            is_country = any(n.name.lower() in lexicons.places().canonical for n in entity.names)
            wants_country = anaphor.noun in COUNTRY_NOUNS
            if is_country != wants_country:
                return False
        if anaphor.kind == DESCRIPTION and anaphor.title:
            if entity.roles:  # "the president" is not the foreign minister
                return any(_role_matches(anaphor.noun, r) for r in entity.roles)
            return anaphor.noun in lexicons.description_nouns()
        return True

    def _maybe_other_thing(self, anaphor: Anaphor, entity: _Entity) -> bool:
        """An organization NER typed as a place, or a venue typed as an organization, for a
        description ("the organization" for "Scientology" read as a place): no known place."""
        if anaphor.kind != DESCRIPTION or len(anaphor.types) != 1 or anaphor.title:
            return False
        if self.weights.thing_mismatch >= 1000:
            return False
        if anaphor.types[0] not in NON_PERSON or entity.type not in NON_PERSON:
            return False
        if entity.cached_known_place is None:
            entity.cached_known_place = any(
                n.name.lower() in lexicons.gazetteer()
                or n.name.lower() in lexicons.places().canonical
                for n in entity.names
            )
        if entity.cached_known_place:
            return False
        return all(_head_type(n.name) in (None, anaphor.types[0]) for n in entity.names)

    def _maybe_person(self, anaphor: Anaphor, entity: _Entity) -> bool:
        """A name NER typed as an organization or place that may well be a person's, for
        he/she: no organization or place noun in it, no country, no acronym."""
        if anaphor.kind != PRONOUN or anaphor.gender is None or entity.gender is not None:
            return False
        if self.weights.type_mismatch >= 1000:
            return False
        if entity.type == PERSON:
            return True
        if entity.cached_person_like is None:
            entity.cached_person_like = all(self._person_like(m) for m in entity.names)
        return entity.cached_person_like

    def _person_like(self, m: Mention) -> bool:
        nouns = lexicons.description_nouns()
        if m.name.lower() in lexicons.places().canonical or m.name.isupper():
            return False
        if any(w.lower() in nouns for w in m.name.split()):
            return False
        head = self._head(m.start, m.end)
        return head.tag_ == "NNP"

    def _description_bonus(self, anaphor: Anaphor, entity: _Entity) -> float:
        if anaphor.title and any(_role_matches(anaphor.noun, r) for r in entity.roles):
            return self.weights.title_match
        if anaphor.types != (PERSON,) and anaphor.noun.split()[-1] in entity.heads:
            return self.weights.name_match
        return 0.0

    def _bound(self, anaphor: Anaphor) -> set[_Entity]:
        """Entities a pronoun cannot denote: the subject of its own clause when it is a
        non-reflexive object; the speaker of the quotation it stands in."""
        token = self.doc[anaphor.token]
        out: set[_Entity] = set()
        if anaphor.kind != PRONOUN:
            return out
        for start, end, speakers in self.quotes:
            if start <= anaphor.start < end:
                out.update(e for e in map(self._entity_at, (self.doc[i] for i in speakers)) if e)
            elif anaphor.token in speakers:  # "He said: “Warhol was...”" is not Warhol
                named = self.ctx.mentions_between(start, end, types=ENTITY_TYPES)
                out.update(e for e in (self.of_name.get((m.start, m.end)) for m in named) if e)
        if anaphor.reflexive or token.dep_ not in OBJECT_DEPS or _possessive(token):
            return out
        subject = next((c for c in token.head.children if c.dep_ in SUBJECT_DEPS), None)
        entity = self._entity_at(subject) if subject is not None else None
        if entity is not None:
            out.add(entity)
        return out

    def _relative_subject(self, anaphor: Anaphor) -> _Entity | None:
        """A possessive in a relative clause whose subject is "who" ("Merson, who went
        4-for-5 in his second game"): the name the clause hangs on."""
        token = self.doc[anaphor.token]
        if token.dep_ not in ("poss", "nsubj", "nsubjpass"):
            return None
        head = token.head
        for _ in range(12):
            subjects = [c for c in head.children if c.dep_ in SUBJECT_DEPS and c.i != token.i]
            if subjects:
                if head.dep_ != "relcl" or subjects[0].lower_ not in ("who", "which", "that"):
                    return None
                entity = self._entity_at(head.head)
                if entity is not None and self._compatible(anaphor, entity):
                    return entity
                return None
            if head.dep_ in ("amod", "acl") and head.head.pos_ == "PROPN":
                entity = self._entity_at(head.head)  # "Dennis Hopper, famous for his role"
                if entity is not None and self._compatible(anaphor, entity):
                    return entity
                return None
            if head.head.i == head.i:
                return None
            head = head.head
        return None

    def _clause_subject(self, anaphor: Anaphor) -> _Entity | None:
        token = self.doc[anaphor.token]
        verb = token.head
        for _ in range(3):
            subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is not None:
                entity = self._entity_at(subject)
                if entity is not None and self._compatible(anaphor, entity):
                    return entity
                return None
            if verb.head is verb:
                break
            verb = verb.head
        return None

    def _entity_at(self, token: Token) -> _Entity | None:
        """The entity a token names or already refers to (a resolved pronoun)."""
        for entity in self.entities:
            for occurrence in entity.occurrences:
                if occurrence.token == token.i:
                    return entity
        return None


def _place_or_organization_name(name: str) -> bool:
    """A name whose last word or whole says it is a place or an organization."""
    lower = name.lower()
    if lower in lexicons.gazetteer() or lower in lexicons.places().canonical:
        return True
    last = lower.split()[-1] if lower.split() else ""
    known = lexicons.description_nouns().get(last)
    return lexicons.type_heads().get(last) is not None or (
        known is not None and known.type != PERSON
    )


def _head_type(name: str) -> str | None:
    """The type a name's head word says ("festival" an event, "centre" a place), if any."""
    head = _name_head(name)
    known = lexicons.description_nouns().get(head)
    return lexicons.type_heads().get(head) or (known.type if known is not None else None)


#: Words after the head of a name ("University of Indiana", "Museum at X").
_HEAD_ENDS = frozenset("of at for in on".split())


def _name_head(name: str) -> str:
    """The lower-case head word of a name: its last word, or the word before its first
    "of"/"at"/... ("university" of "University of Southern Indiana")."""
    words = name.lower().split()
    for i, word in enumerate(words[1:], 1):
        if word in _HEAD_ENDS:
            return words[i - 1]
    return words[-1] if words else ""


def _other_given_name(entity: _Entity, words: Sequence[str]) -> bool:
    """The entity holds a full name with the same surname and another given name
    ("Johann Bernoulli" for "Daniel Bernoulli"): another person of the family."""
    if len(words) < 2:
        return False
    given = words[0].rstrip(".")
    for name in entity.names:
        other = name.name.split()
        if len(other) < 2 or other[-1] != words[-1]:
            continue
        theirs = other[0].rstrip(".")
        if not (theirs.startswith(given) or given.startswith(theirs)):
            return True
    return False


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    """``part`` (two words or more) occurs in ``words`` as a run."""
    n = len(part)
    return n > 1 and any(list(words[i : i + n]) == list(part) for i in range(len(words) - n + 1))


#: Possessive forms: never a bound object ("Smith launched his campaign" may be Smith's).
POSSESSIVES = frozenset("his its their theirs hers".split())


def _possessive(token: Token) -> bool:
    """A possessive pronoun, whatever dependency the parse gave it."""
    return token.lower_ in POSSESSIVES or token.tag_ == "PRP$"


def _commanding_subjects(token: Token) -> frozenset[int]:
    """The subject of the nearest verb above ``token`` that has one, in its sentence
    ("Smith said he would go", "Smith sold his car"): the antecedent a pronoun prefers."""
    head = token.head
    for _ in range(12):
        subjects = [c for c in head.children if c.dep_ in SUBJECT_DEPS and c.i != token.i]
        if subjects:  # "His father, John Smith, said he..."
            return frozenset(
                t.i for c in subjects for t in (c, *c.children) if t is c or t.dep_ == "appos"
            )
        if head.head.i == head.i or head.dep_ == "conj":
            break
        head = head.head
    return frozenset()


@lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    from kg.extract.quotes import SPEECH_VERBS

    return frozenset(SPEECH_VERBS)


def _role(token: Token) -> str:
    if token.dep_ in SUBJECT_DEPS:
        return "subject"
    if token.dep_ in OBJECT_DEPS:
        return "object"
    if token.dep_ == "poss":
        return "possessor"
    return "other"


#: Words before a title that make it another office ("vice president" is no president).
OTHER_OFFICE = frozenset("vice deputy assistant associate junior co under".split())


def _role_matches(noun: str, role: str) -> bool:
    """ "minister" matches the role "Foreign Minister", not "Deputy Minister"."""
    role_words = role.lower().replace("-", " ").split()
    noun_words = noun.lower().replace("-", " ").split()
    n = len(noun_words)
    if n == 0 or role_words[-n:] != noun_words:
        return False
    return len(role_words) == n or role_words[-n - 1] not in OTHER_OFFICE


def _roles_by_mention(facts: Sequence[Fact]) -> dict[tuple[int, int], set[str]]:
    out: dict[tuple[int, int], set[str]] = {}
    for fact in facts:
        if fact.relation == "role" and isinstance(fact.object, str):
            key = (fact.subject.start, fact.subject.end)
            out.setdefault(key, set()).add(fact.object.lower())
    return out


def _confidence(anaphor: Anaphor, best: float, runner_up: float) -> float:
    """How sure a link is: its class's accuracy on GUM train, lower when a rival is close."""
    base = 0.85 if anaphor.gender is not None else 0.65
    if anaphor.kind == DESCRIPTION:
        base = 0.75 if anaphor.title else 0.6
    margin = (best - runner_up) / best if best > 0 else 0.0
    return base * (0.8 + 0.2 * math.tanh(3 * margin))


SPEC = ExtractorSpec(
    EXTRACTOR, extract_coreference, requires=("names", "roles"), assigns=("references",)
)
