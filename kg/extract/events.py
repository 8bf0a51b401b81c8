"""Events: meetings, summits, visits, conferences... with participants, place and date.

Named events come from NER and from :mod:`kg.extract.named_events` (names NER misses:
"Six Nations", "the Hutton inquiry"); who takes part in one is the subject of a verb
acting in or at it in its own clause, and for a competition the sides of the matches it
names (the document's matches when it is the only competition named). Descriptions come
from the lexicon ``kg/data/event_nouns.tsv``:

* event nouns: "the NATO summit", "the first meeting between Biden and Putin",
  "a meeting with Vladimir Putin" (plus the subject of the verb around it:
  "Biden attended the G7 summit", "Biden will take part in the meeting");
* event verbs: "Biden will meet Putin in Geneva on June 16" gives one Meeting with
  two participants, Geneva and June 16.

The place is a location attached by "in"/"at" (a visit's also by "to") to the event or
its verb; the date is the closest date in the same clause ("June 11-13" gives a start
and an end date).

One node per real event of a document: every description is a candidate, and the
candidates that tell of one event are grouped (:func:`consolidate`) before anything is
yielded. Two candidates are one event when their classes agree (a summit is a meeting
of leaders), neither their names, dates nor places disagree, and one's participants are
among the other's ("the NATO summit" and "a key meeting with Biden and other NATO
leaders"), or they share their place and one has no participants. A group becomes one
event mention (the others become references to it) with the union of the facts; a
group with no name, one participant and no place and date is no event ("his first
trip abroad" alone tells of nothing a reader would look up).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.data import lexicons
from kg.extract.context import DocContext
from kg.extract.named_events import competition, named_event_mentions
from kg.extract.registry import ExtractorSpec
from kg.extract.syntax import (
    all_conjuncts,
    conjuncts,
    governing_verb,
    mention_for,
    prep_objects,
    subject_of,
)
from kg.model import (
    DATE,
    DATE_VALUE,
    DEMONYM,
    DESCRIPTION,
    EVENT,
    LOCATION,
    NAME,
    ORGANIZATION,
    PERSON,
    RANGE_END,
    REFERENCE,
    Evidence,
    Fact,
    Mention,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

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
        "begin",
        "start",
        "end",
        "make",
        "pay",
        "conclude",
        "complete",
        "undertake",
    }
)
#: Verbs whose "for" names the guest of the event they hold: "X is hosting a dinner for Y".
HOSTING_VERBS = frozenset({"host", "hold"})
#: Verbs whose object takes part with the subject: "X joins Y in a visit to Z".
COMPANY_VERBS = frozenset({"join", "accompany"})
#: Classes that may name one event: "the NATO meeting" is "the NATO summit".
COMPATIBLE = {frozenset({"Meeting", "Summit"})}
#: Of two compatible classes, the one a merged event gets.
PRIORITY = ("Summit", "Meeting")
#: Classes whose "of" complement names the event when it is one organization ("the summit
#: of the seven leading industrialized nations (G7)" is the G7 summit).
NAMED_BY_MEMBER = frozenset({"Summit", "Conference"})
#: Places by which a visit or trip goes "to" somewhere.
TRAVEL = frozenset({"Visit", "Trip"})


@dataclass
class Candidate:
    """One description of an event, before descriptions of the same event are grouped."""

    anchor: Token
    cls: str
    start: int
    name: str
    named: bool
    participants: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    date: Mention | None = None
    end_date: Mention | None = None
    confidence: float = 0.75
    #: The event's name as the entity extractor found it ("Six Nations"), when it has one.
    named_mention: Mention | None = None

    @property
    def end(self) -> int:
        return self.anchor.idx + len(self.anchor.text)


def extract_events(ctx: DocContext) -> Iterator[Mention | Fact]:
    """Event mentions with ``participant``, ``locatedIn`` and ``date``/``startDate``/``endDate``."""
    yield from named_event_mentions(ctx)  # the runner adds each to ``ctx`` as it goes
    for group in consolidate(list(_candidates(ctx))):
        if is_event(group):
            yield from _emit(ctx, group)


def _candidates(ctx: DocContext) -> Iterator[Candidate]:
    words = lexicons.event_words()
    found_named: list[Candidate] = []
    for mention in ctx.mentions:
        if mention.type == EVENT and mention.kind == NAME:
            named = _named_event(ctx, mention)
            if named is not None:
                found_named.append(named)
    by_position = {c.anchor.i: c for c in found_named}
    for token in ctx.tokens:
        if token.i in by_position:
            yield by_position.pop(token.i)
        found: Candidate | None = None
        if token.pos_ in ("NOUN", "PROPN"):
            cls = _noun_class(token, words.nouns)
            if cls and ctx.mention_of_token(token, types=(PERSON, ORGANIZATION)) is None:
                found = _noun_event(ctx, token, cls)
        elif token.pos_ == "VERB" and token.lemma_ in words.verbs:
            found = _verb_event(ctx, token, words.verbs[token.lemma_])
        if found is not None:
            yield found
    yield from by_position.values()


#: Prepositions by which a clause's subject takes part in a named event: "Wales might
#: achieve much in this year's Six Nations", "Sony presented it at the ISSCC".
EVENT_PREPOSITIONS = frozenset({"in", "at", "during"})


def _named_event(ctx: DocContext, mention: Mention) -> Candidate | None:
    """A named event (NER: "the Six Nations") and who takes part in it by the clause around
    it: the subject of a verb that attends it, or acts in or at it; for a competition,
    also the sides of a match or season it names ("his Six Nations career", "Saturday's
    Six Nations contest against Scotland") and, when it is the document's only
    competition, the sides of the matches the document tells of (:func:`_match_sides`)."""
    span = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    head = span.root
    holder = head.head if head.dep_ == "poss" else head  # "in this year's Six Nations"
    participants: list[Mention] = []
    contest = competition(mention.name)
    if contest and head.dep_ in ("compound", "poss", "nmod") and _match_word(head.head):
        holder = head.head  # "his Six Nations career", "the Six Nations contest against X"
        participants.extend(_sides_of(ctx, holder, skip=span))
    verb: Token | None = None
    if holder.dep_ == "pobj" and holder.head.lower_ in EVENT_PREPOSITIONS:
        above = holder.head.head
        verb = above if above.pos_ in ("VERB", "AUX") else None
    elif holder.dep_ == "dobj" and holder.head.lemma_ in PARTICIPATION_VERBS:
        verb = holder.head
    subject = _acting_subject(verb) if verb is not None else None
    if subject is not None:
        participants.extend(
            m
            for t in conjuncts(_relative_antecedent(subject))
            if (m := mention_for(ctx, t, AGENTS)) is not None
        )
    if contest and _only_competition(ctx, mention):
        participants.extend(_match_sides(ctx))
    participants = [m for m in participants if not mention.start <= m.start < mention.end]
    cls = mention.subtype or EVENT
    places = [] if contest else _named_event_places(ctx, mention, span)
    # a competition comes back every year: a date in its clause is another event's
    # ("Italy joined the Six Nations in 2000")
    date, end = (None, None) if contest else _date_of(ctx, head, verb)
    return Candidate(
        head,
        cls,
        mention.start,
        mention.name,
        True,
        participants,
        places,
        date,
        end,
        named_mention=mention,
    )  # fmt: skip ------------------------------------------------------


def _named_event_places(ctx: DocContext, mention: Mention, span: Span) -> list[Mention]:
    """The place of a named event told right after its name: "the International Solid
    State Circuits Conference in San Francisco", "the 11 September attacks in the US" (a
    place attached to the name's head by "in"/"at", not a place inside the name)."""
    return [
        place
        for obj in prep_objects([span.root], ("in", "at"))
        if (place := ctx.mention_of_token(obj, types=(LOCATION,))) is not None
        and place.kind == NAME
        and not mention.start <= place.start < mention.end
    ][:1]


#: Prepositions before the other side of a match: "a win over England", "against Ireland".
OPPONENT_PREPOSITIONS = frozenset({"against", "over"})
#: Types of the sides of a match: clubs and national sides (a country's name).
SIDES = (ORGANIZATION, LOCATION)


def _acting_subject(verb: Token) -> Token | None:
    """Who does what ``verb`` says, in its own clause (or the one it completes: "Italy hope
    to win in the Six Nations"): not the subject of a passive ("the film is shown at the
    festival") nor of a clause above a participle ("proposals outlined at the summit")."""
    current = verb
    for _ in range(4):
        if _negated(current):
            return None
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0] if subjects[0].dep_ == "nsubj" else None
        if current.dep_ not in ("xcomp", "conj") or current.head is current:
            return None  # "proposals outlined at the summit": no one's act above
        current = current.head
    return None


def _match_word(token: Token) -> bool:
    return token.lemma_.lower() in lexicons.event_match_words()


def _relative_antecedent(token: Token) -> Token:
    """ "Kennedy, who is chairing the inquiry": the noun a relative pronoun stands for."""
    if token.tag_ in ("WP", "WDT") or token.lower_ == "that":
        clause = token.head
        if clause.dep_ == "relcl":
            return clause.head
    return token


def _sides_of(
    ctx: DocContext, word: Token, skip: object = None, *, pronouns: bool = True
) -> list[Mention]:
    """Who plays in the match or season ``word`` names: its possessor ("Wales' first win",
    "his career": a pronoun's referent only when ``pronouns``) and the side after
    "against"/"over"."""
    out: list[Mention] = []
    for child in word.children:
        if child.dep_ == "poss" and (skip is None or child not in skip):  # type: ignore[operator]
            found = (
                mention_for(ctx, child, (PERSON, *SIDES))
                if pronouns
                else ctx.mention_of_token(child, types=SIDES)
            )
            if found is not None:
                out.append(found)
        elif child.dep_ == "prep" and child.lower_ in OPPONENT_PREPOSITIONS:
            out.extend(
                m
                for obj in child.children
                if obj.dep_ == "pobj"
                for t in conjuncts(obj)
                if (m := ctx.mention_of_token(t, types=SIDES)) is not None
            )
    return out


def _only_competition(ctx: DocContext, mention: Mention) -> bool:
    """True when no other competition is named in the document."""
    return all(
        m.name == mention.name
        for m in ctx.mentions
        if m.type == EVENT and m.kind == NAME and competition(m.name)
    )


def _match_sides(ctx: DocContext) -> list[Mention]:
    """The sides of the matches a document tells of: the possessor and opponent of a match
    word ("Wales' win over England", "a display against Ireland"), the subject and object
    of "beat"/"face"/"play" ("Italy beat Scotland"); clubs and countries only."""
    out: list[Mention] = []
    for token in ctx.tokens:
        if not _match_word(token) or _negated(token):
            continue
        if token.pos_ == "NOUN":
            out.extend(m for m in _sides_of(ctx, token, pronouns=False) if m.kind == NAME)
        elif token.pos_ == "VERB":
            subject = subject_of(token)
            sides = [c for c in token.children if c.dep_ == "dobj"]
            sides += prep_objects([token], OPPONENT_PREPOSITIONS)
            if not sides:
                continue  # "Wales played well": no match named
            for side in ([subject] if subject is not None else []) + sides:
                out.extend(
                    m
                    for t in conjuncts(side)
                    if (m := ctx.mention_of_token(t, types=SIDES)) is not None and m.kind == NAME
                )
    return out


def _who(mention: Mention) -> str:
    """What identifies a participant inside one document: a person's surname, a name."""
    words = mention.name.casefold().split()
    return words[-1] if mention.type == PERSON and words else " ".join(words)


def _stem(candidate: Candidate) -> str | None:
    """A named event's name without its event words: "NATO summit", "NATO meeting" → "nato"."""
    if not candidate.named:
        return None
    nouns = lexicons.event_words().nouns
    words = [w for w in candidate.name.casefold().split() if w not in nouns]
    return " ".join(words) or None


def _compatible(a: str, b: str) -> bool:
    return a == b or frozenset({a, b}) in COMPATIBLE


@dataclass
class Group:
    """Descriptions of one event, in text order."""

    members: list[Candidate]

    @property
    def cls(self) -> str:
        classes = {m.cls for m in self.members}
        return next((c for c in PRIORITY if c in classes), self.members[0].cls)

    @property
    def who(self) -> set[str]:
        return {_who(p) for m in self.members for p in m.participants}

    @property
    def stems(self) -> set[str]:
        return {s for m in self.members if (s := _stem(m)) is not None}

    @property
    def dates(self) -> set[str]:
        return {m.date.name for m in self.members if m.date is not None}

    @property
    def places(self) -> set[str]:
        return {p.name for m in self.members for p in m.places[:1]}

    def accepts(self, candidate: Candidate) -> bool:
        """True when ``candidate`` tells of this event (see the module docstring)."""
        if not _compatible(self.cls, candidate.cls):
            return False
        stem = _stem(candidate)
        if stem is not None and self.stems:
            return stem in self.stems  # two names: the same name or two events
        date = candidate.date.name if candidate.date is not None else None
        if date is not None and self.dates and date not in self.dates:
            return False
        place = candidate.places[0].name if candidate.places else None
        if place is not None and self.places and place not in self.places:
            return False
        if self.cls == ELECTION == candidate.cls and (stem is None or not self.stems):
            return True  # "the general election" ... "the election": one election
        mine, theirs = self.who, {_who(p) for p in candidate.participants}
        if mine and theirs:
            return mine <= theirs or theirs <= mine
        return place is not None and place in self.places


def consolidate(candidates: list[Candidate]) -> list[Group]:
    """Group the descriptions of one event: each joins the latest group that accepts it."""
    groups: list[Group] = []
    for candidate in candidates:
        home = next((g for g in reversed(groups) if g.accepts(candidate)), None)
        if home is None:
            groups.append(Group([candidate]))
        else:
            home.members.append(candidate)
    return groups


def is_event(group: Group) -> bool:
    """A named event, two participants, or one participant with a place and a date."""
    if any(m.named for m in group.members) or len(group.who) >= 2:
        return True
    dated = any(m.date is not None for m in group.members)
    return len(group.who) == 1 and bool(group.places) and dated


def _emit(ctx: DocContext, group: Group) -> Iterator[Mention | Fact]:
    cls = group.cls
    named = [m for m in group.members if m.named]
    head = next((m for m in named if m.cls == cls), named[0] if named else group.members[0])
    event = head.named_mention
    if event is None:
        event = _event_mention(ctx, head, cls, DESCRIPTION)
        yield event
    for member in group.members:
        if member is not head:
            yield _event_mention(ctx, member, cls, REFERENCE, antecedent=event)
    seen: set[str] = set()
    placed = dated = False
    for member in [head, *(m for m in group.members if m is not head)]:
        sentence = ctx.sentence_of_token(member.anchor.i)
        evidence = ctx.evidence(
            sentence.start_char, sentence.end_char, EXTRACTOR, member.confidence
        )
        for mention in member.participants:
            if _who(mention) not in seen:
                seen.add(_who(mention))
                yield Fact(event, "participant", mention, _spanning(ctx, evidence, mention))
        if member.places and not placed:
            placed = True
            yield Fact(event, "locatedIn", member.places[0], evidence)
        if member.date is not None and not dated:
            dated = True
            if member.end_date is not None:
                yield Fact(event, "startDate", member.date, evidence)
                yield Fact(event, "endDate", member.end_date, evidence)
            else:
                yield Fact(event, "date", member.date, evidence)


def _spanning(ctx: DocContext, evidence: Evidence, mention: Mention) -> Evidence:
    """The evidence widened to the sentence of a participant named elsewhere (reached
    through a pronoun: "He will meet Putin" keeps the sentence that names him)."""
    if evidence.start <= mention.start < evidence.end:
        return evidence
    start, end = min(evidence.start, mention.start), max(evidence.end, mention.end)
    return ctx.evidence(start, end, evidence.extractor, evidence.confidence)


def _event_mention(
    ctx: DocContext, candidate: Candidate, cls: str, kind: str, antecedent: Mention | None = None
) -> Mention:
    """The mention of a candidate, from its first word to its anchor (noun or verb)."""
    name = candidate.name
    if kind == DESCRIPTION and candidate.cls != cls and not candidate.named:
        name = _phrase_of_class(cls)
    return Mention(
        doc_id=ctx.doc_id,
        text=" ".join(ctx.text[candidate.start : candidate.end].split()),
        name=name,
        type=EVENT,
        start=candidate.start,
        end=candidate.end,
        sentence=ctx.sentence_text(ctx.sentence_of_token(candidate.anchor.i)),
        label="EVENT",
        subtype=cls,
        confidence=candidate.confidence,
        extractor=EXTRACTOR,
        kind=kind,
        antecedent=antecedent,
    )


def _phrase_of_class(cls: str) -> str:
    nouns = lexicons.event_words().nouns
    return next((w for w, c in nouns.items() if c == cls), cls.lower())


# -- descriptions ----------------------------------------------------------------------


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


def _noun_event(ctx: DocContext, noun: Token, cls: str) -> Candidate | None:
    participants: list[Mention] = []
    places: list[Mention] = []
    start = noun.idx
    named = False
    for left in noun.lefts:
        if left.dep_ in ("det", "poss") and left.tag_ != "NNP":
            if left.dep_ == "poss":
                owner = mention_for(ctx, left, (PERSON, ORGANIZATION))
                if owner is not None:
                    participants.append(owner)
            continue
        if left.dep_ == "compound" and left.tag_ == "NNP" and ctx.mention_of_token(left) is None:
            # "the G7 summit" where NER saw no name: a proper-noun modifier names it
            named, start = True, min(start, left.idx)
        for token in left.subtree:
            mention = ctx.mention_of_token(token, types=AGENTS)
            if mention is None or mention in participants + places:
                continue
            if mention.start <= noun.idx < mention.end:
                continue  # "the ISSCC conference" typed a place by NER: the event itself
            if mention.type == LOCATION and (_is_site(mention) or cls in TRAVEL):
                places.append(mention)  # "White House meeting", "UK tour"
            else:
                participants.append(mention)
                named = True  # "the NATO summit", "the EU-US summit": named after who meets
            start = min(start, mention.start)
    with_someone = False
    members: list[Mention] = []
    acronym: str | None = None
    for prep in noun.children:
        if prep.dep_ != "prep":
            continue
        word = prep.lower_
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            if word in ("between", "with", "among"):
                with_someone = with_someone or word == "with"
                participants.extend(
                    m for t in conjuncts(obj) if (m := _party_of(ctx, t, AGENTS)) is not None
                )
                participants.extend(_bracketed_members(ctx, obj))
            elif word == "of":
                members = _mentions_in_subtree(ctx, obj, AGENTS, depth=5)
                participants.extend(members)
                cls = lexicons.event_members().get(obj.lemma_.lower(), cls)
                acronym = acronym or _bracketed_acronym(obj)
            elif word in ("in", "at") or (word == "to" and cls in TRAVEL):
                places.extend(_mentions_in_subtree(ctx, obj, (LOCATION,), depth=1))
    if not places:
        places.extend(_places_below(ctx, noun, cls))
    verb = governing_verb(noun)
    if verb is not None and not _negated(verb) and (with_someone or _takes_part(noun, verb)):
        subject = subject_of(verb)
        if subject is not None:
            participants.extend(
                m for t in conjuncts(subject) if (m := mention_for(ctx, t, (PERSON, ORGANIZATION)))
            )
        if noun.dep_ == "dobj" and not with_someone:  # "he held talks on Sunday with Sarney"
            participants.extend(
                m
                for obj in prep_objects([verb], ("with",))
                for t in conjuncts(obj)
                if (m := _party_of(ctx, t, AGENTS)) is not None
            )
        if noun.dep_ == "dobj" and verb.lemma_ in HOSTING_VERBS:  # "hosting a dinner for X"
            participants.extend(
                m
                for obj in prep_objects([verb, noun], ("for",), deps=("dative", "prep"))
                for t in conjuncts(obj)
                if (m := mention_for(ctx, t, (PERSON, ORGANIZATION))) is not None
            )
        if verb.lemma_ in COMPANY_VERBS:  # "Blair is to join Blunkett in a visit to Sheffield"
            participants.extend(
                m
                for c in verb.children
                if c.dep_ == "dobj"
                for t in conjuncts(c)
                if (m := mention_for(ctx, t, (PERSON, ORGANIZATION))) is not None
            )
    if verb is not None and noun.dep_ in ("nsubj", "nsubjpass"):
        places.extend(_verb_places(ctx, verb))
    date, end = _date_of(ctx, noun, verb)
    election = cls == ELECTION and not (participants or named) and _one_election(noun, date)
    if not (participants or places or named or election):
        return None
    phrase = _phrase(noun) if _noun_class(noun, lexicons.event_words().nouns) == cls else None
    phrase = phrase or _phrase_of_class(cls)
    known = ctx.mention_of_token(noun, types=(EVENT,))
    if known is not None and known.kind == NAME:
        # "the MacWorld conference": words of its own name take no part in it
        participants = [m for m in participants if not known.start <= m.start < known.end]
        return Candidate(
            noun, cls, known.start, known.name, True, participants, places, date, end,
            named_mention=known,
        )  # fmt: skip
    if named:
        name = " ".join(ctx.text[start : noun.idx + len(noun.text)].split())
    elif (
        cls in NAMED_BY_MEMBER and len(orgs := [m for m in members if m.type == ORGANIZATION]) == 1
    ):
        name, named = f"{orgs[0].name} {phrase}", True
    elif cls in NAMED_BY_MEMBER and acronym is not None:
        name, named = f"{acronym} {phrase}", True
    elif election:  # "the general election": one election, named by its words
        name, named = _election_name(noun), True
    else:
        name = phrase
    return Candidate(noun, cls, start, name, named, participants, places, date, end)


ELECTION = "Election"


def _one_election(noun: Token, date: Mention | None) -> bool:
    """ "the general election", "the election on 2 November", "elections next month": one
    election (the article or a date makes it one), described by lower-case words only
    ("the US election" is named by its participant; "an election" is any)."""
    if any(c.dep_ in ("compound", "amod") and not c.text.islower() for c in noun.lefts):
        return False
    determiners = [c for c in noun.lefts if c.dep_ in ("det", "poss")]
    definite = any(d.lower_ in ("the", "this", "next", "last") for d in determiners)
    return definite or (not determiners and date is not None)


def _election_name(noun: Token) -> str:
    """ "general election", "parliamentary elections", "election": the election's words."""
    words = [c.lower_ for c in noun.lefts if c.dep_ in ("amod", "compound") and c.text.islower()]
    return " ".join([*words, noun.lower_])


def _party_of(ctx: DocContext, token: Token, types: tuple[str, ...]) -> Mention | None:
    """Who ``token`` names: its mention (or a pronoun's antecedent), else the group a
    common noun of people belongs to ("finance ministers of the G8", "British officials")."""
    mention = mention_for(ctx, token, types)
    if mention is not None or token.pos_ != "NOUN" or token.lemma_ not in lexicons.group_nouns():
        return mention
    frontier = [c for c in token.children if c.dep_ in ("compound", "amod", "poss", "prep")]
    for _ in range(3):  # "British officials", "ministers of the G8"; not a clause below
        for t in frontier:
            found = ctx.mention_of_token(t, types=(ORGANIZATION, LOCATION))
            if found is not None:
                return found
        frontier = [
            c
            for t in frontier
            for c in t.children
            if c.dep_ in ("pobj", "compound", "amod") and t.lower_ not in ("in", "at", "near")
        ]
    return None


def _bracketed_members(ctx: DocContext, token: Token) -> list[Mention]:
    """ "G-7 participants (Canada, the United States, Japan...)": the members listed in
    brackets after a group."""
    out: list[Mention] = []
    for child in token.children:
        if child.dep_ == "appos" and child.i > 0 and child.doc[child.i - 1].text == "(":
            out.extend(
                m
                for t in all_conjuncts(child)
                if (m := ctx.mention_of_token(t, types=AGENTS)) is not None
            )
    return out


def _bracketed_acronym(token: Token) -> str | None:
    """ "the seven leading industrialized nations (G7)": the short name in brackets."""
    for child in token.children:
        if (
            child.dep_ == "appos"
            and child.i > 0
            and child.doc[child.i - 1].text == "("
            and 2 <= len(child.text) <= 8
            and child.text[:1].isupper()
            and not child.text[1:].islower()
        ):
            return child.text
    return None


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
            if mention is not None and mention not in found and not _nationality(ctx, t, mention):
                found.append(mention)
            # a place phrase inside ("nations in Cornwall") is where, not who
            next_frontier.extend(
                c for c in t.children if not (c.dep_ == "prep" and c.lower_ in ("in", "at", "near"))
            )
        frontier = next_frontier
    return found


def _nationality(ctx: DocContext, token: Token, mention: Mention) -> bool:
    """ "West German president Richard von Weizsaecker": a demonym before a person's name
    or title says where the person is from; the country takes no part."""
    if mention.kind != DEMONYM:
        return False
    above = token.head
    for _ in range(3):
        if ctx.mention_of_token(above, types=(PERSON,)) is not None:
            return True
        above = above.head
    return False


def _places_below(ctx: DocContext, noun: Token, cls: str) -> list[Mention]:
    """ "the summit of the G7 in Cornwall": an "in"/"at" place a little below the noun."""
    words = ("in", "at", "to") if cls in TRAVEL else ("in", "at")
    for token in noun.subtree:
        if token.dep_ == "prep" and token.lower_ in words and token.i > noun.i:
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


def _phrase(noun: Token) -> str:
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
    return [
        m
        for obj in prep_objects([verb], ("in", "at"))
        if (m := ctx.mention_of_token(obj, types=(LOCATION,))) is not None
    ]


def _verb_event(ctx: DocContext, verb: Token, cls: str) -> Candidate | None:
    """ "Biden will meet Putin in Geneva": subject and object(s) are participants."""
    if _negated(verb) or (verb.lemma_ in PLANNED_ONLY and not _planned_meeting(ctx, verb)):
        return None
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
            if cls in TRAVEL:
                place = ctx.mention_of_token(token, types=(LOCATION,))
                if place is not None:
                    places.append(place)
                    continue
            mention = _party_of(ctx, token, AGENTS if cls not in TRAVEL else (PERSON, ORGANIZATION))
            if mention is not None:
                participants.append(mention)
    places.extend(_verb_places(ctx, verb))
    if len(participants) < (1 if cls in TRAVEL else 2):
        return None
    if cls in TRAVEL and not places:
        return None
    date, end = _date_of(ctx, verb, verb)
    return Candidate(
        verb, cls, verb.idx, cls.lower(), False, participants, places, date, end, confidence=0.7
    )


#: Verbs that tell of a meeting only when it is planned, between named people: "Baker is
#: expected to see Miyazawa", "He will see Suharto on Tuesday" (not "fans saw Henson score").
PLANNED_ONLY = frozenset({"see"})


def _planned_meeting(ctx: DocContext, verb: Token) -> bool:
    """ "will see X", "to see X": a future or infinitive verb whose object is a named
    person, with no clause or "as" after it ("see Blair as an asset", "see him win")."""
    planned = any(
        c.dep_ == "aux" and c.lower_ in ("will", "to", "'ll", "shall") for c in verb.children
    )
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    clause = any(
        c.dep_ in ("ccomp", "xcomp", "oprd", "acomp") or (c.dep_ == "prep" and c.lower_ == "as")
        for c in verb.children
    )
    named = bool(objects) and all(
        (m := ctx.mention_of_token(t, types=(PERSON,))) is not None and m.kind == NAME
        for t in conjuncts(objects[0])
    )
    return planned and named and not clause


def _date_of(
    ctx: DocContext, anchor: Token, verb: Token | None
) -> tuple[Mention | None, Mention | None]:
    """The event's date, and the end of its range when the date is one ("June 11-13")."""
    date = _closest_date(ctx, anchor, verb)
    if date is None:
        return None, None
    return date, _range_end(ctx, date)


def _closest_date(ctx: DocContext, anchor: Token, verb: Token | None) -> Mention | None:
    """The date nearest the event in its clause (the verb's subtree, or the noun's); a date
    that starts inside that clause counts even when the parser hung its end elsewhere."""
    core = anchor.pos_ == "VERB" or anchor.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")
    scope = verb if verb is not None and core else anchor
    sentence = ctx.sentence_of_token(anchor.i)
    lo = min(t.idx for t in scope.subtree)
    hi = max(t.idx + len(t.text) for t in scope.subtree)
    if not (lo <= anchor.idx < hi):
        lo, hi = sentence.start_char, sentence.end_char
    sentence_end = sentence.end_char
    # "Conable, who flew in yesterday, will meet…": a relative clause dates its own verb
    asides = [
        (min(t.idx for t in r.subtree), max(t.idx + len(t.text) for t in r.subtree))
        for r in scope.subtree
        if r.dep_ == "relcl" and anchor not in r.subtree
    ]
    dates = [
        m
        for m in ctx.mentions_between(lo, sentence_end, types=(DATE,))
        if m.kind == DATE_VALUE and m.start < hi and not any(a <= m.start < b for a, b in asides)
    ]
    if not dates:
        return None
    return min(dates, key=lambda m: abs(m.start - anchor.idx))


def _range_end(ctx: DocContext, date: Mention) -> Mention | None:
    """The end of the range that ``date`` starts ("June 11-13" → the 13th), if it is one."""
    inside = ctx.mentions_between(date.start, date.end, types=(DATE,))
    return next((m for m in inside if m.kind == RANGE_END), None)


SPEC = ExtractorSpec(
    EXTRACTOR, extract_events, requires=("names", "dates", "references"), assigns=("events",)
)
