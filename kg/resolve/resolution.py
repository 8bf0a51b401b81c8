"""Entity resolution: one node per real thing.

Mentions are clustered in two passes, with general rules only:

1. within a document: same name (case and spacing folded); a short name that ends a
   longer person name ("Biden" → "Joe Biden", "De Croo" → "Alexander De Croo") when
   exactly one such person exists; an acronym defined in the text or equal to a long
   name's initials ("ICAN", "EU" → "European Union"); a one-word organization name
   that ends exactly one longer one ("Commission" → "European Commission");
2. across documents: same type and label, then the same short-name, acronym and
   alias rules against the whole corpus (and an optional index of entities already in
   a store), merging only when the match is unique.

Each cluster gets one type by a confidence-weighted vote over its mentions (spaCy
often tags "Biden" GPE in one sentence and PERSON in the next), the best full name as
label, the other names as aliases, and a stable key such as ``person/joe-biden``.
Events are keyed by their class, participants and date once those are resolved.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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
from kg.resolve.names import initials, is_acronym, name_words, short_hash, slugify

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


@dataclass(frozen=True)
class KnownEntity:
    """An entity already in a store: its key, type, label and aliases."""

    key: str
    type: str
    label: str
    aliases: frozenset[str] = frozenset()


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


#: The weight of an entity already stored in the type vote and label choice of the cluster
#: that links to it (as strong as a full person name NER typed PERSON).
KNOWN_WEIGHT = 3.0


@dataclass
class _Cluster:
    members: list[Mention]
    #: The stored entity this cluster is linked to, if any (see :func:`_attach_known`).
    known: KnownEntity | None = None

    @property
    def votes(self) -> dict[str, float]:
        votes: dict[str, float] = defaultdict(float)
        for m in self.members:
            # a full name NER tagged PERSON is strong evidence: the short mentions linked to it
            # by the surname rule are often mistagged ("Clarke" ORG beside "Charles Clarke")
            weight = m.confidence * (3.0 if m.type == PERSON and len(m.name.split()) > 1 else 1.0)
            votes[m.type] += weight
        if self.known is not None:
            full_person = self.known.type == PERSON and len(self.known.label.split()) > 1
            votes[self.known.type] += KNOWN_WEIGHT * (3.0 if full_person else 1.0)
        return votes

    @property
    def type(self) -> str:
        votes = self.votes
        return max(votes, key=lambda t: (votes[t], t == PERSON))

    def names(self, entity_type: str | None = None) -> Counter[str]:
        names = Counter(
            m.name for m in self.members if entity_type is None or m.type == entity_type
        )
        if self.known is not None and (entity_type is None or self.known.type == entity_type):
            names[self.known.label] += 1
        return names

    @property
    def label(self) -> str:
        known = [(self.known.label, self.known.type)] if self.known is not None else []
        return best_label(self.members, self.type, known)


def best_label(
    members: Iterable[Mention], entity_type: str, extra: Iterable[tuple[str, str]] = ()
) -> str:
    """The best full name: prefer names NER typed as the entity's type, then longer, then frequent.

    ``extra`` adds (name, type) candidates that are not mentions (a stored entity's label).
    """
    counts: Counter[str] = Counter()
    typed: Counter[str] = Counter()
    for name, kind in [*((m.name, m.type) for m in members), *extra]:
        counts[name] += 1
        if kind == entity_type:
            typed[name] += 1

    def score(name: str) -> tuple[bool, float, int, int, str]:
        words = len(name.split())
        acronym = is_acronym(name)
        size: float
        if entity_type == PERSON:
            size = min(words, 4) - (2 if words > 4 else 0)
        else:
            size = words if not acronym else 0.5
        return (typed[name] > 0, size, counts[name], -len(name), name)

    return max(counts, key=score)


def resolve(extractions: Iterable[Extraction], *, known: Iterable[KnownEntity] = ()) -> Resolution:
    """Resolve every mention of a corpus to an entity (see the module docstring)."""
    extractions = list(extractions)
    clusters: list[_Cluster] = []
    for extraction in extractions:
        named = [
            m
            for m in extraction.mentions
            if m.type in NAMED_TYPES and not _is_event_mention(m) and m.kind != REFERENCE
        ]
        clusters.extend(_cluster_document(named))
    merged = _merge_across_documents(clusters, list(known))
    resolution = Resolution()
    for cluster in merged:
        _add_entity(resolution, cluster)
    for extraction in extractions:
        _resolve_dates_and_quotes(resolution, extraction.mentions)
    _resolve_events(resolution, extractions)
    for extraction in extractions:
        _resolve_references(resolution, extraction.mentions)
    return resolution


def _resolve_references(resolution: Resolution, mentions: Iterable[Mention]) -> None:
    """A pronoun or description joins the entity of the named mention it refers to."""
    for m in mentions:
        if m.kind == REFERENCE and m.antecedent is not None:
            key = resolution.mention_entity.get(mention_key(m.antecedent))
            if key is not None:
                resolution.entities[key].mentions.append(m)
                resolution.mention_entity[mention_key(m)] = key


def _is_event_mention(m: Mention) -> bool:
    """Events found by the event extractor are keyed later, from their participants."""
    return m.type == EVENT and m.kind == DESCRIPTION


def _cluster_document(mentions: list[Mention]) -> list[_Cluster]:
    """Cluster one document's named mentions."""
    uf = _UnionFind()
    by_slug: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        uf.find(i)
        by_slug[slugify(m.name)].append(i)
    for members in by_slug.values():
        for other in members[1:]:
            uf.union(members[0], other)
    clusters = _collect(uf, mentions)
    _link_short_names(uf, mentions, clusters)
    clusters = _collect(uf, mentions)
    _link_acronyms_and_heads(uf, mentions, clusters)
    return [_Cluster([mentions[i] for i in idx]) for idx in _groups(uf, len(mentions))]


def _groups(uf: _UnionFind, size: int) -> list[list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(size):
        groups[uf.find(i)].append(i)
    return list(groups.values())


def _collect(uf: _UnionFind, mentions: list[Mention]) -> dict[int, _Cluster]:
    return {idx[0]: _Cluster([mentions[i] for i in idx]) for idx in _groups(uf, len(mentions))}


def _is_place_name(name: str) -> bool:
    from kg.data.lexicons import places

    return name.lower() in places().canonical


def _link_short_names(
    uf: _UnionFind, mentions: list[Mention], clusters: dict[int, _Cluster]
) -> None:
    """ "Biden" → "Joe Biden": a short name ending exactly one multi-word person name."""
    persons = {
        root: tuple(name_words(c.label))
        for root, c in clusters.items()
        if c.type == PERSON and len(name_words(c.label)) > 1
    }
    for root, cluster in clusters.items():
        if root in persons:
            continue
        words = tuple(name_words(cluster.label))
        if not words or len(words) > 3 or _is_place_name(cluster.label):
            continue
        if not cluster.votes.get(PERSON) and (
            is_acronym(cluster.label) or any(m.locative for m in cluster.members)
        ):
            continue
        matches = [
            r
            for r, full in persons.items()
            if len(full) > len(words) and full[-len(words) :] == words
        ]
        if len(matches) == 1:
            uf.union(matches[0], root)


def _link_acronyms_and_heads(
    uf: _UnionFind, mentions: list[Mention], clusters: dict[int, _Cluster]
) -> None:
    """Acronyms ("EU" → "European Union", "ICAN" defined in parentheses) and head words
    ("Commission" → "European Commission")."""
    long_names = {
        root: c for root, c in clusters.items() if c.type in (ORGANIZATION, LOCATION, EVENT)
    }
    by_initials: dict[str, list[int]] = defaultdict(list)
    by_alias: dict[str, list[int]] = defaultdict(list)
    by_last_word: dict[str, list[int]] = defaultdict(list)
    for root, c in long_names.items():
        for name in set(c.names()):
            if len(name.split()) > 1:
                by_initials[initials(name)].append(root)
                by_last_word[name_words(name)[-1]].append(root)
        for m in c.members:
            if m.text != m.name and is_acronym(m.text):
                by_alias[m.text.replace(".", "").upper()].append(root)
    for root, c in long_names.items():
        label = c.label
        if len(label.split()) != 1:
            continue
        candidates: list[int] = []
        if is_acronym(label):
            key = label.replace(".", "").upper()
            candidates = sorted(set(by_alias.get(key, []))) or sorted(set(by_initials.get(key, [])))
        elif label[:1].isupper() and c.type == ORGANIZATION:
            candidates = sorted(set(by_last_word.get(label.casefold(), [])))
        candidates = [r for r in candidates if uf.find(r) != uf.find(root)]
        if len({uf.find(r) for r in candidates}) == 1:
            uf.union(candidates[0], root)


def _merge_across_documents(clusters: list[_Cluster], known: list[KnownEntity]) -> list[_Cluster]:
    """Merge per-document clusters that name the same thing in different documents."""
    uf = _UnionFind()
    by_label: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, c in enumerate(clusters):
        uf.find(i)
        by_label[(c.type, slugify(c.label))].append(i)
    for members in by_label.values():
        for other in members[1:]:
            uf.union(members[0], other)
    # aliases: a cluster whose label is another cluster's alias (same document taught us)
    alias_index: dict[tuple[str, str], set[int]] = defaultdict(set)
    surname_index: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, c in enumerate(clusters):
        for name in c.names():
            if slugify(name) != slugify(c.label):
                alias_index[(c.type, slugify(name))].add(uf.find(i))
        words = tuple(name_words(c.label))
        if c.type == PERSON and len(words) > 1:
            for k in range(1, min(3, len(words) - 1) + 1):
                surname_index[words[-k:]].add(uf.find(i))
    sizes: Counter[int] = Counter()
    for i, c in enumerate(clusters):
        sizes[uf.find(i)] += len(c.members)
    for i, c in enumerate(clusters):
        label_slug = slugify(c.label)
        roots = {uf.find(r) for r in alias_index.get((c.type, label_slug), set())}
        words = tuple(name_words(c.label))
        if (
            len(words) <= 2
            and not _is_place_name(c.label)
            and (c.type == PERSON or c.votes.get(PERSON))
        ):
            roots |= {uf.find(r) for r in surname_index.get(words, set())}
        roots.discard(uf.find(i))
        roots = _dominant(roots, sizes)
        if len(roots) == 1:
            uf.union(roots.pop(), i)
    merged = [
        _Cluster([m for i in idx for m in clusters[i].members])
        for idx in _groups(uf, len(clusters))
    ]
    return _attach_known(merged, known)


def _dominant(roots: set[int], sizes: Mapping[int, int]) -> set[int]:
    """The one candidate, or the one mentioned at least three times as often as all others
    together ("Blair" → "Tony Blair" in a corpus that also names Cherie Blair once)."""
    if len(roots) <= 1:
        return roots
    counts = {r: sizes.get(r, 0) for r in roots}
    best = max(counts, key=lambda r: counts[r])
    rest = sum(v for r, v in counts.items() if r != best)
    return {best} if counts[best] >= 3 * rest else set()


def _attach_known(clusters: list[_Cluster], known: list[KnownEntity]) -> list[_Cluster]:
    """Give clusters that match an entity already in the store that entity's label."""
    if not known:
        return clusters
    index: dict[tuple[str, str], set[KnownEntity]] = defaultdict(set)
    for entity in known:
        for name in {entity.label, *entity.aliases}:
            index[(entity.type, slugify(name))].add(entity)
        words = name_words(entity.label)
        if entity.type == PERSON and len(words) > 1:
            index[(PERSON, "surname:" + "-".join(words[-1:]))].add(entity)
    for cluster in clusters:
        entity_type, label = cluster.type, cluster.label
        matches = index.get((entity_type, slugify(label)), set())
        if not matches:
            names = {slugify(n) for n in cluster.names()}
            matches = set().union(*(index.get((entity_type, n), set()) for n in names))
        if not matches and entity_type == PERSON and len(name_words(label)) == 1:
            matches = index.get((PERSON, "surname:" + slugify(label)), set())
        if len(matches) == 1:
            cluster.known = next(iter(matches))
    return clusters


def entity_key(entity_type: str, label: str) -> str:
    """The IRI path of an entity: ``person/joe-biden``."""
    return f"{entity_type.lower()}/{slugify(label)}"


def _add_entity(resolution: Resolution, cluster: _Cluster) -> None:
    entity_type = cluster.type
    label = cluster.label
    key = cluster.known.key if cluster.known is not None else entity_key(entity_type, label)
    entity = resolution.entities.get(key)
    if entity is None:
        entity = Entity(key=key, type=entity_type, label=label)
        resolution.entities[key] = entity
    for m in cluster.members:
        entity.mentions.append(m)
        if m.name != entity.label:
            entity.aliases.add(m.name)
        if m.text != m.name and is_acronym(m.text) and m.text != entity.label:
            entity.aliases.add(m.text)
        if m.type == EVENT and m.subtype and not entity.subtype:
            entity.subtype = m.subtype
        resolution.mention_entity[mention_key(m)] = key


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


def _resolve_events(resolution: Resolution, extractions: list[Extraction]) -> None:
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
            entity = Entity(key=key, type=EVENT, label=label, subtype=m.subtype)
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
