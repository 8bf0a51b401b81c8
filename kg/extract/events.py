"""Events: meetings, summits, visits, conferences... with participants, place and date.

Two sources, both from the lexicon ``kg/data/event_nouns.tsv``:

* event nouns: "the NATO summit", "the first meeting between Biden and Putin",
  "a meeting with Vladimir Putin" (plus the subject of the verb around it:
  "Biden attended the G7 summit", "Biden will take part in the meeting");
* event verbs: "Biden will meet Putin in Geneva on June 16" gives one Meeting with
  two participants, Geneva and June 16.

The place is a location attached by "in"/"at" to the event or its verb; the date is
the closest date in the same clause ("June 11-13" gives a start and an end date).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.data import lexicons
from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec
from kg.extract.syntax import conjuncts, governing_verb, mention_for, subject_of
from kg.model import (
    DATE,
    DATE_VALUE,
    DESCRIPTION,
    EVENT,
    LOCATION,
    ORGANIZATION,
    PERSON,
    RANGE_END,
    Fact,
    Mention,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

EXTRACTOR = "events"
AGENTS = (PERSON, ORGANIZATION, LOCATION)
#: Verbs whose subject takes part in the event that is their object.
PARTICIPATION_VERBS = frozenset(
    {
        "attend",
        "host",
        "hold",
        "join",
        "participate",
        "take",
        "chair",
        "address",
        "lead",
        "arrive",
        "open",
        "boycott",
        "skip",
        "convene",
        "organize",
        "organise",
    }
)


def extract_events(ctx: DocContext) -> Iterator[Mention | Fact]:
    """Event mentions with ``participant``, ``locatedIn`` and ``date``/``startDate``/``endDate``."""
    words = lexicons.event_words()
    for token in ctx.doc:
        if token.pos_ in ("NOUN", "PROPN"):
            cls = _noun_class(token, words.nouns)
            if cls and ctx.mention_of_token(token, types=(PERSON, ORGANIZATION)) is None:
                yield from _noun_event(ctx, token, cls)
        elif token.pos_ == "VERB" and token.lemma_ in words.verbs:
            yield from _verb_event(ctx, token, words.verbs[token.lemma_])


def _noun_class(token: Token, nouns: dict[str, str]) -> str | None:
    if token.i > 0:
        pair = f"{token.doc[token.i - 1].lower_} {token.lower_}"
        if pair in nouns:
            return nouns[pair]
    if token.i + 1 < len(token.doc):
        following = f"{token.lower_} {token.doc[token.i + 1].lower_}"
        if following in nouns:  # "press" of "press conference": the head comes next
            return None
    return nouns.get(token.lower_)


def _noun_event(ctx: DocContext, noun: Token, cls: str) -> Iterator[Mention | Fact]:
    participants: list[Mention] = []
    places: list[Mention] = []
    start = noun.idx
    for left in noun.lefts:
        if left.dep_ in ("det", "poss") and left.tag_ != "NNP":
            if left.dep_ == "poss":
                owner = mention_for(ctx, left, (PERSON, ORGANIZATION))
                if owner is not None:
                    participants.append(owner)
            continue
        for token in left.subtree:
            mention = ctx.mention_of_token(token, types=AGENTS)
            if mention is None or mention in participants + places:
                continue
            if mention.type == LOCATION and _is_site(mention):
                places.append(mention)
            else:
                participants.append(mention)
            start = min(start, mention.start)
    named = start < noun.idx
    with_someone = False
    for prep in noun.children:
        if prep.dep_ != "prep":
            continue
        word = prep.lower_
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            if word in ("between", "with", "among"):
                with_someone = with_someone or word == "with"
                participants.extend(
                    m for t in conjuncts(obj) if (m := mention_for(ctx, t, AGENTS)) is not None
                )
            elif word == "of":
                participants.extend(_mentions_in_subtree(ctx, obj, AGENTS, depth=5))
            elif word in ("in", "at"):
                places.extend(_mentions_in_subtree(ctx, obj, (LOCATION,), depth=1))
    if not places:
        places.extend(_places_below(ctx, noun))
    verb = governing_verb(noun)
    if verb is not None and not _negated(verb) and (with_someone or _takes_part(noun, verb)):
        subject = subject_of(verb)
        if subject is not None:
            participants.extend(
                m for t in conjuncts(subject) if (m := mention_for(ctx, t, (PERSON, ORGANIZATION)))
            )
    if verb is not None and noun.dep_ in ("nsubj", "nsubjpass"):
        places.extend(_verb_places(ctx, verb))
    if not (participants or places or named):
        return
    phrase = _phrase(noun, cls)
    if named:
        name = " ".join(ctx.text[start : noun.idx + len(noun.text)].split())
    elif not participants and places:
        name = f"{phrase} in {places[0].name}"
    else:
        name = phrase
    event = _event_mention(ctx, noun, start, name, cls, 0.75)
    yield event
    yield from _event_facts(ctx, event, noun, verb, participants, places)


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _mentions_in_subtree(
    ctx: DocContext, token: Token, types: tuple[str, ...], *, depth: int
) -> list[Mention]:
    """Mentions at ``token`` and below it, at most ``depth`` levels down."""
    found: list[Mention] = []
    frontier = [token]
    for _ in range(depth + 1):
        next_frontier: list[Token] = []
        for t in frontier:
            mention = ctx.mention_of_token(t, types=types)
            if mention is not None and mention not in found:
                found.append(mention)
            # a place phrase inside ("nations in Cornwall") is where, not who
            next_frontier.extend(
                c for c in t.children if not (c.dep_ == "prep" and c.lower_ in ("in", "at", "near"))
            )
        frontier = next_frontier
    return found


def _places_below(ctx: DocContext, noun: Token) -> list[Mention]:
    """ "the summit of the G7 in Cornwall": an "in"/"at" place a little below the noun."""
    for token in noun.subtree:
        if token.dep_ == "prep" and token.lower_ in ("in", "at") and token.i > noun.i:
            places = [
                m
                for obj in token.children
                if obj.dep_ == "pobj"
                if (m := ctx.mention_of_token(obj, types=(LOCATION,))) is not None
            ]
            if places:
                return places[:1]
    return []


def _is_site(mention: Mention) -> bool:
    """A location modifying an event noun is its site ("White House meeting", "Geneva talks"),
    unless it is a country or group taking part ("G7 summit", "EU-US summit")."""
    return (
        mention.name.lower() not in lexicons.places().canonical
        and not any(ch.isdigit() for ch in mention.name)
        and len(mention.name) > 3
    )


def _phrase(noun: Token, cls: str) -> str:
    if (
        noun.i > 0
        and f"{noun.doc[noun.i - 1].lower_} {noun.lower_}" in lexicons.event_words().nouns
    ):
        return f"{noun.doc[noun.i - 1].lower_} {noun.lower_}"
    return noun.lower_


def _takes_part(noun: Token, verb: Token) -> bool:
    """True when the subject of ``verb`` takes part in the event ``noun``."""
    if verb.lemma_ not in PARTICIPATION_VERBS:
        return False
    if noun.dep_ == "dobj" and noun.head == verb:
        return True
    head = noun.head
    return (
        noun.dep_ == "pobj"
        and head.dep_ == "prep"
        and head.head.i in (verb.i, *[c.i for c in verb.children])
    )


def _verb_places(ctx: DocContext, verb: Token) -> list[Mention]:
    places = []
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    mention = ctx.mention_of_token(obj, types=(LOCATION,))
                    if mention is not None:
                        places.append(mention)
    return places


def _verb_event(ctx: DocContext, verb: Token, cls: str) -> Iterator[Mention | Fact]:
    """ "Biden will meet Putin in Geneva": subject and object(s) are participants."""
    participants: list[Mention] = []
    places: list[Mention] = []
    subject = subject_of(verb)
    if subject is not None:
        for token in conjuncts(subject):
            mention = mention_for(ctx, token, (PERSON, ORGANIZATION))
            if mention is not None:
                participants.append(mention)
    for child in verb.children:
        targets: list[Token] = []
        if child.dep_ == "dobj":
            targets = conjuncts(child)
        elif child.dep_ == "prep" and child.lower_ == "with":
            targets = [t for obj in child.children if obj.dep_ == "pobj" for t in conjuncts(obj)]
        for token in targets:
            if cls == "Visit":
                place = ctx.mention_of_token(token, types=(LOCATION,))
                if place is not None:
                    places.append(place)
                    continue
            mention = mention_for(ctx, token, (PERSON, ORGANIZATION))
            if mention is not None:
                participants.append(mention)
    places.extend(_verb_places(ctx, verb))
    if len(participants) < (1 if cls == "Visit" else 2):
        return
    if cls == "Visit" and not places:
        return
    event = _event_mention(ctx, verb, verb.idx, cls.lower(), cls, 0.7)
    yield event
    yield from _event_facts(ctx, event, verb, verb, participants, places)


def _event_mention(
    ctx: DocContext, anchor: Token, start: int, name: str, cls: str, confidence: float
) -> Mention:
    """An event mention from ``start`` to the end of its anchor word (noun or verb)."""
    end = anchor.idx + len(anchor.text)
    return Mention(
        doc_id=ctx.doc_id,
        text=" ".join(ctx.text[start:end].split()),
        name=name,
        type=EVENT,
        start=start,
        end=end,
        sentence=" ".join(anchor.sent.text.split()),
        label="EVENT",
        subtype=cls,
        confidence=confidence,
        extractor=EXTRACTOR,
        kind=DESCRIPTION,
    )


def _event_facts(
    ctx: DocContext,
    event: Mention,
    anchor: Token,
    verb: Token | None,
    participants: list[Mention],
    places: list[Mention],
) -> Iterator[Fact]:
    evidence = ctx.evidence(
        anchor.sent.start_char, anchor.sent.end_char, EXTRACTOR, event.confidence
    )
    seen: set[tuple[int, int]] = set()
    for mention in participants:
        if mention is None or (mention.start, mention.end) in seen:
            continue
        seen.add((mention.start, mention.end))
        yield Fact(event, "participant", mention, evidence)
    for place in places[:1]:
        yield Fact(event, "locatedIn", place, evidence)
    date = _closest_date(ctx, anchor, verb)
    if date is not None:
        end = _range_end(ctx, date)
        if end is not None:
            yield Fact(event, "startDate", date, evidence)
            yield Fact(event, "endDate", end, evidence)
        else:
            yield Fact(event, "date", date, evidence)


def _closest_date(ctx: DocContext, anchor: Token, verb: Token | None) -> Mention | None:
    """The date nearest the event in its clause (the verb's subtree, or the noun's)."""
    core = anchor.pos_ == "VERB" or anchor.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")
    scope = verb if verb is not None and core else anchor
    lo = min(t.idx for t in scope.subtree)
    hi = max(t.idx + len(t.text) for t in scope.subtree)
    if not (lo <= anchor.idx < hi):
        lo, hi = anchor.sent.start_char, anchor.sent.end_char
    dates = [m for m in ctx.mentions_between(lo, hi, types=(DATE,)) if m.kind == DATE_VALUE]
    if not dates:
        return None
    return min(dates, key=lambda m: abs(m.start - anchor.idx))


def _range_end(ctx: DocContext, date: Mention) -> Mention | None:
    """The end of the range that ``date`` starts ("June 11-13" → the 13th), if it is one."""
    inside = ctx.mentions_between(date.start, date.end, types=(DATE,))
    return next((m for m in inside if m.kind == RANGE_END), None)


SPEC = ExtractorSpec(EXTRACTOR, extract_events, requires=("names", "dates"), assigns=("events",))
