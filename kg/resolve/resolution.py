"""Entity resolution: one node per real thing, decided document by document.

Each document is resolved on its own (so a graph never depends on which documents
were built together, in what batches or in what order):

1. its named mentions are clustered by the name rules of :mod:`kg.resolve.cluster`;
2. each cluster gets one type from all its mentions (:mod:`kg.resolve.entity_type`), or
   is dropped when it names nothing (a nationality word, a lower-case word);
3. each entity gets the best full name as label, the other names as aliases, and a key
   from its type and label (``person/joe-biden``). The same key in two documents is the
   same node: that is how documents link up, deterministically;
4. dates are keyed by their value, quotes by their text, events by their class,
   participants and date; pronouns and descriptions join the entity they refer to.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kg.data import lexicons
from kg.model import (
    DATE,
    DESCRIPTION,
    EVENT,
    LOCATION,
    ORGANIZATION,
    PERSON,
    QUOTE,
    REFERENCE,
    Entity,
    Extraction,
    Fact,
    Mention,
)
from kg.resolve.cluster import cluster_mentions
from kg.resolve.entity_type import classify
from kg.resolve.forms import clean_label
from kg.resolve.names import is_acronym, short_hash, slugify

MentionKey = tuple[str, int, int, str]
NAMED_TYPES = (PERSON, ORGANIZATION, LOCATION, EVENT)


def mention_key(mention: Mention) -> MentionKey:
    """Identity of a mention: document, span and type."""
    return (mention.doc_id, mention.start, mention.end, mention.type)


@dataclass
class Resolution:
    """The entities of a corpus and which entity each mention refers to."""

    entities: dict[str, Entity] = field(default_factory=dict)
    mention_entity: dict[MentionKey, str] = field(default_factory=dict)

    def entity_of(self, mention: Mention) -> Entity | None:
        key = self.mention_entity.get(mention_key(mention))
        return self.entities.get(key) if key else None


def best_label(members: Iterable[Mention], entity_type: str) -> str:
    """The best full name: a party's own name (``kg/data/parties.tsv``), then names NER
    typed as the entity's type, then longer, then frequent; ties broken by the name
    itself, so the choice never depends on order."""
    counts: Counter[str] = Counter()
    typed: Counter[str] = Counter()
    for m in members:
        name = clean_label(m.name)
        counts[name] += 1
        if m.type == entity_type:
            typed[name] += 1

    parties = frozenset(lexicons.parties().values()) if entity_type == ORGANIZATION else frozenset()

    def score(name: str) -> tuple[bool, bool, bool, bool, bool, float, int, int, str]:
        words = len(name.split())
        size: float
        if entity_type == PERSON:
            size = min(words, 4) - (2 if words > 4 else 0)
        else:
            size = words if not is_acronym(name) else 0.5
        shouting = name.isupper() and not is_acronym(name)  # "BLASTS REAGAN", a headline
        dangling = name.split()[-1].casefold() in _DANGLING  # "Sophie Scholl - The"
        initial = entity_type == PERSON and words > 1 and _INITIAL.fullmatch(name.split()[0])
        return (
            not dangling,
            not shouting,
            not initial,  # "Paul Griffen", not "P Griffen"
            name in parties,  # "Liberal Democrats", not "Liberal Democrat" or "Lib Dems"
            typed[name] > 0 or _given_name_first(name, entity_type),
            size,
            counts[name],
            -len(name),
            name,
        )

    return max(counts, key=score)


#: A given name written as an initial ("P", "J.").
_INITIAL = re.compile(r"[A-Z]\.?")

#: Words a name does not end in: a title of a work cut after its first words.
_DANGLING = frozenset("the a an of and or for to in on at by with - –".split())


def _given_name_first(name: str, entity_type: str) -> bool:
    """A person's full name opening with a known given name ("Bernie Ebbers" that NER
    called ORG is still the best label of the man it calls "Mr Ebbers")."""
    words = name.split()
    return (
        entity_type == PERSON and len(words) > 1 and words[0].casefold() in lexicons.first_names()
    )


def entity_key(entity_type: str, label: str) -> str:
    """The IRI path of an entity: ``person/joe-biden``."""
    return f"{entity_type.lower()}/{slugify(label)}"


def resolve(extractions: Iterable[Extraction]) -> Resolution:
    """Resolve every mention of a corpus, one document at a time (see the module docstring)."""
    resolution = Resolution()
    for extraction in extractions:
        resolve_document(resolution, extraction)
    return resolution


def resolve_document(resolution: Resolution, extraction: Extraction) -> None:
    """Add one document's entities and mention links to ``resolution``."""
    named = [
        m
        for m in extraction.mentions
        if m.type in NAMED_TYPES and not _is_event_mention(m) and m.kind != REFERENCE
    ]
    in_facts = _fact_mentions(extraction.facts)
    for members in cluster_mentions(named):
        entity_type = classify(members, lambda m: mention_key(m) in in_facts)
        if entity_type is not None:
            _add_entity(resolution, members, entity_type)
    _resolve_dates_and_quotes(resolution, extraction.mentions)
    _resolve_events(resolution, [extraction])
    _resolve_references(resolution, extraction.mentions)


def _fact_mentions(facts: Iterable[Fact]) -> set[MentionKey]:
    """Mentions that are the subject or object of a fact."""
    out = {mention_key(f.subject) for f in facts}
    out |= {mention_key(f.object) for f in facts if isinstance(f.object, Mention)}
    return out


def _add_entity(resolution: Resolution, members: list[Mention], entity_type: str) -> None:
    label = best_label(members, entity_type)
    key = entity_key(entity_type, label)
    entity = resolution.entities.get(key)
    if entity is None:
        entity = Entity(key=key, type=entity_type, label=label)
        resolution.entities[key] = entity
    elif preferred_label(entity.label, label) != entity.label:
        entity.aliases.add(entity.label)
        entity.label = label
    for m in members:
        entity.mentions.append(m)
        name = clean_label(m.name)
        if name != entity.label:
            entity.aliases.add(name)
        if m.text != m.name and is_acronym(m.text) and m.text != entity.label:
            entity.aliases.add(m.text)
        if m.type == EVENT and m.subtype and not entity.subtype:
            entity.subtype = m.subtype
        resolution.mention_entity[mention_key(m)] = key
    entity.aliases.discard(entity.label)


def preferred_label(a: str, b: str) -> str:
    """Of two labels of one key (they differ in case, accents or punctuation only), the one
    to show: not all capitals, with accents, then the smaller string. A total order, so
    the label of an entity never depends on the order documents arrive in.

    >>> preferred_label("JOE BIDEN", "Joe Biden"), preferred_label("Erdogan", "Erdoğan")
    ('Joe Biden', 'Erdoğan')
    """

    def rank(label: str) -> tuple[bool, bool, str]:
        shouting = label.isupper() and not is_acronym(label)
        return (not shouting, not label.isascii(), _reverse(label))

    return max((a, b), key=rank)


def _reverse(text: str) -> str:
    """A key under which the smaller string sorts last (for ``max``)."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def _resolve_references(resolution: Resolution, mentions: Iterable[Mention]) -> None:
    """A pronoun or description joins the entity of the named mention it refers to."""
    for m in mentions:
        if m.kind == REFERENCE and m.antecedent is not None:
            key = resolution.mention_entity.get(mention_key(m.antecedent))
            if key is not None:
                resolution.entities[key].mentions.append(m)
                resolution.mention_entity[mention_key(m)] = key


def _is_event_mention(m: Mention) -> bool:
    """Events described by a noun or verb are keyed later, from their participants."""
    return m.type == EVENT and m.kind == DESCRIPTION


def _resolve_dates_and_quotes(resolution: Resolution, mentions: Iterable[Mention]) -> None:
    for m in mentions:
        if m.type == DATE and m.time is not None:
            key = f"date/{slugify(m.time.iso)}"
            entity = resolution.entities.setdefault(
                key, Entity(key=key, type=DATE, label=m.time.iso, time=m.time)
            )
        elif m.type == QUOTE:
            key = f"quote/{short_hash(' '.join(m.name.split()).casefold())}"
            entity = resolution.entities.setdefault(
                key, Entity(key=key, type=QUOTE, label=_quote_label(m.name))
            )
        else:
            continue
        entity.mentions.append(m)
        if m.type == DATE and m.text != entity.label:
            entity.aliases.add(m.text)
        resolution.mention_entity[mention_key(m)] = key


def _quote_label(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


EVENT_ROLES = ("participant", "date", "startDate", "endDate")


def _resolve_events(resolution: Resolution, extractions: Sequence[Extraction]) -> None:
    """Key each event mention by class, participants and date; merge undated into dated."""
    described: list[tuple[Mention, str, frozenset[str], str | None]] = []
    for extraction in extractions:
        facts_by_event: dict[MentionKey, list[Fact]] = defaultdict(list)
        for fact in extraction.facts:
            if _is_event_mention(fact.subject):
                facts_by_event[mention_key(fact.subject)].append(fact)
        for m in extraction.mentions:
            if not _is_event_mention(m):
                continue
            facts = facts_by_event.get(mention_key(m), [])
            participants = frozenset(
                k
                for f in facts
                if f.relation == "participant" and isinstance(f.object, Mention)
                if (k := resolution.mention_entity.get(mention_key(f.object)))
            )
            dates = sorted(
                k
                for f in facts
                if f.relation in ("date", "startDate") and isinstance(f.object, Mention)
                if (k := resolution.mention_entity.get(mention_key(f.object)))
            )
            described.append((m, m.subtype or EVENT, participants, dates[0] if dates else None))
    dated: dict[tuple[str, frozenset[str]], set[str | None]] = defaultdict(set)
    for _, cls, participants, date in described:
        if participants:
            dated[(cls, participants)].add(date)
    for m, cls, participants, date in described:
        if date is None and participants:
            known_dates = {d for d in dated[(cls, participants)] if d}
            if len(known_dates) == 1:
                date = known_dates.pop()
        label = _event_label(resolution, m, cls, participants)
        key = _event_key(resolution, m, cls, participants, date)
        entity = resolution.entities.get(key)
        if entity is None:
            # named or not, an undated event is linked to the one dated event of its base
            base = _event_key(resolution, m, cls, participants, None)
            entity = Entity(key=key, type=EVENT, label=label, subtype=m.subtype, base_key=base)
            resolution.entities[key] = entity
        entity.mentions.append(m)
        if m.name != label:
            entity.aliases.add(m.name)
        resolution.mention_entity[mention_key(m)] = key


def _event_key(
    resolution: Resolution, m: Mention, cls: str, participants: frozenset[str], date: str | None
) -> str:
    """ "event/meeting-joe-biden-vladimir-putin-2021-06-16" (class, participants, date)."""
    if m.name and m.name[:1].isupper() or not participants:
        parts = [slugify(m.name)]
    else:
        parts = [slugify(_split_camel(cls))]
        parts += sorted(p.rsplit("/", 1)[-1] for p in participants)
    if date:
        parts.append(date.rsplit("/", 1)[-1])
    return "event/" + "-".join(parts)


def _event_label(resolution: Resolution, m: Mention, cls: str, participants: frozenset[str]) -> str:
    """ "NATO summit" for named events, "Meeting of Joe Biden and Vladimir Putin" otherwise."""
    if m.name and m.name[:1].isupper() and m.name.casefold() != cls.casefold():
        return m.name
    names = sorted(resolution.entities[p].label for p in participants if p in resolution.entities)
    if not names:
        return m.name
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    word = _split_camel(cls)
    return f"{word} of {joined}"


def _split_camel(name: str) -> str:
    out = "".join(f" {c.lower()}" if c.isupper() and i else c for i, c in enumerate(name))
    return out[:1].upper() + out[1:]


def entity_types(resolution: Resolution) -> Mapping[str, int]:
    """Count of entities per type."""
    return Counter(e.type for e in resolution.entities.values())
