"""Typed relations from short patterns: succession, education, location, residence.

* ``predecessor``/``successor``: "His successor Joe Biden", "Biden's predecessor,
  Donald Trump", "X succeeded Y", "X replaced Y as ...";
* ``educatedAt``: "graduated from", "studied at", "a graduate of", "educated at"
  (the subject, or the person the text was just talking about);
* ``locatedIn``: "Cornwall, UK" (place, place), "the Center for European Reform in
  London", "NATO headquarters in Brussels", "London-based X", "X, based in Y";
* ``residence``: "X, who lives in Y", "a resident of Y", "X of Y" after a person only
  when Y is a place and the phrase is not a title ("John Smith of Boston").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.extract.context import DocContext
from kg.extract.geography import can_lie_in, rank
from kg.extract.registry import ExtractorSpec
from kg.extract.syntax import antecedent, mention_for, prep_objects, subject_of
from kg.model import (
    DATE,
    DEMONYM,
    EVENT,
    LOCATION,
    NAME,
    ORGANIZATION,
    PERSON,
    REFERENCE,
    Fact,
    Mention,
)

EXTRACTOR = "relations"
_POSSESSIVE_SUCCESSION = re.compile(
    r"(?P<owner>\b(?:his|her|their)\b|['’]s)\s+(?:(?:immediate|direct|eventual|likely|chosen|designated)\s+)?"
    r"(?P<kind>successor|predecessor)\s*,?\s*(?:(?:was|is|will be)\s+)?$",
    re.IGNORECASE,
)
EDUCATION_VERBS = {
    "graduate": ("from",),
    "study": ("at", "in"),
    "educate": ("at",),
    "enrol": ("at",),
    "enroll": ("at",),
}
_ALUMNUS = re.compile(
    r"\b(?:graduate|alumnus|alumna|alumni|student)\s+of\s+(?:the\s+)?$", re.IGNORECASE
)
_EDUCATED = re.compile(
    r"\b(?:graduated|studied|educated|enrolled)\s+(?:from|at|in)\s+(?:the\s+)?$", re.IGNORECASE
)
_SITE_NOUNS = (
    r"(?:headquarters|HQ|head office|offices?|office|base|campus|plant|factory|embassy|consulate)"
)

if TYPE_CHECKING:
    from spacy.tokens import Token


#: "Nokia, headquartered in Espoo", "Acme, based in Ohio": a place however NER typed it.
_SEATED = re.compile(
    r"\s*,?\s*(?:which\s+is\s+|which\s+has\s+its\s+headquarters\s+)?"
    r"(?:headquartered|based|located|situated)\s+in\s+(?:the\s+)?",
    re.IGNORECASE,
)
#: "Keswick, a market town in Cumbria": an apposition describing a place.
_PLACE_APPOSITION = re.compile(
    r"\s*,\s*(?:an?|the)\s+(?:[a-z-]+\s+){0,3}?(?P<noun>[a-z]+)\s+(?:in|of|near)\s+(?:the\s+)?"
)


def extract_relations(ctx: DocContext) -> Iterator[Mention | Fact]:
    """Succession, education, location and residence facts (no place inside a smaller one,
    no end that is part of a longer mention: "Davis" of "Spain's Davis Cup")."""
    for output in _all(ctx):
        if isinstance(output, Fact) and isinstance(output.object, Mention):
            subject, place = output.subject, output.object
            if _inside_longer(ctx, subject, place) or _inside_longer(ctx, place, subject):
                continue
        if (
            isinstance(output, Fact)
            and output.relation == "locatedIn"
            and output.subject.type == LOCATION
            and isinstance(output.object, Mention)
            and not can_lie_in(output.subject.name, output.object.name)
        ):
            continue
        yield output


def _inside_longer(ctx: DocContext, mention: Mention, other_end: Mention) -> bool:
    """True when a longer named mention, not the fact's ``other_end`` (nor NER's other
    reading of its words: "Tokyo Summit" as an organization), covers ``mention``
    ("Davis" in "Spain's Davis Cup"; "Berlin" in "Berlin Film Festival" is its place)."""
    return any(
        other != other_end
        and (other.start, other.end) != (other_end.start, other_end.end)  # its other typing
        and other.start <= mention.start
        and mention.end <= other.end
        and other.end - other.start > mention.end - mention.start
        and other.kind == NAME
        and other.type in (PERSON, ORGANIZATION, LOCATION, EVENT)
        for other in ctx.mentions_between(mention.start - 80, mention.end + 80)
    )


def _all(ctx: DocContext) -> Iterator[Mention | Fact]:
    yield from _succession(ctx)
    yield from _unique(_education(ctx))
    yield from _seated(ctx)
    yield from _place_apposition(ctx)
    yield from _described_organization(ctx)
    yield from _named_event_place(ctx)
    yield from _organization_of_country(ctx)
    yield from _possessive_place(ctx)
    yield from _including(ctx)
    yield from _location(ctx)
    yield from _copula_location(ctx)
    yield from _demonym_nationality(ctx)
    yield from _residence(ctx)


def _fact(ctx: DocContext, s: Mention, rel: str, o: Mention, confidence: float) -> Fact:
    start, end = min(s.start, o.start), max(s.end, o.end)
    return Fact(s, rel, o, ctx.evidence(start, end, EXTRACTOR, confidence))


def _unique(facts: Iterator[Fact]) -> Iterator[Fact]:
    """Drop repeats of the same (subject, relation, object) found by two patterns."""
    seen: set[tuple[object, ...]] = set()
    for fact in facts:
        key = (fact.subject.start, fact.relation, getattr(fact.object, "start", fact.object))
        if key not in seen:
            seen.add(key)
            yield fact


def _succession(ctx: DocContext) -> Iterator[Fact]:
    text = ctx.text
    for person in [m for m in ctx.mentions if m.type == PERSON]:
        line_start = text.rfind("\n", 0, person.start) + 1
        before = text[max(line_start, person.start - 60) : person.start]
        match = _POSSESSIVE_SUCCESSION.search(before)
        if match is None:
            continue
        owner_at = person.start - len(before) + match.start("owner")
        if match.group("owner").lower() in ("his", "her", "their"):
            owner = antecedent(ctx, owner_at)
        else:
            found = ctx.mentions_between(
                max(line_start, owner_at - 60), owner_at + 1, types=(PERSON,)
            )
            owner = found[-1] if found else None
        if owner is None or owner.name == person.name:
            continue
        kind = match.group("kind").lower()
        # "X's successor Y": Y succeeded X; "X's predecessor Y": Y came before X
        earlier, later = (owner, person) if kind == "successor" else (person, owner)
        yield _fact(ctx, later, "predecessor", earlier, 0.8)
        yield _fact(ctx, earlier, "successor", later, 0.8)
    for token in ctx.tokens:
        if token.lemma_ not in ("succeed", "replace") or token.pos_ != "VERB":
            continue
        subject = subject_of(token)
        objects = [c for c in token.children if c.dep_ == "dobj"]
        if subject is None or not objects:
            continue
        successor = mention_for(ctx, subject, (PERSON,))
        predecessor = mention_for(ctx, objects[0], (PERSON,))
        if successor is None or predecessor is None or successor.name == predecessor.name:
            continue
        if token.lemma_ == "replace" and not any(c.lower_ == "as" for c in token.children):
            continue
        yield _fact(ctx, successor, "predecessor", predecessor, 0.75)
        yield _fact(ctx, predecessor, "successor", successor, 0.75)


def _education(ctx: DocContext) -> Iterator[Fact]:
    for token in ctx.tokens:
        preps = EDUCATION_VERBS.get(_verb_lemma(token))
        if preps and token.pos_ in ("VERB", "NOUN", "PROPN"):
            for obj in prep_objects([token], preps):
                school = ctx.mention_of_token(obj, types=(ORGANIZATION,))
                if school is None:
                    continue
                subject = subject_of(token) if token.pos_ == "VERB" else None
                person = mention_for(ctx, subject, (PERSON,)) if subject is not None else None
                if person is None:
                    person = antecedent(ctx, token.idx, window=200)
                if person is not None:
                    yield _fact(ctx, person, "educatedAt", school, 0.75)
    text = ctx.text
    for school in [m for m in ctx.mentions if m.type == ORGANIZATION]:
        before = text[max(0, school.start - 40) : school.start]
        if _ALUMNUS.search(before) or _EDUCATED.search(before):
            person = antecedent(ctx, school.start, window=200)
            if person is not None:
                yield _fact(ctx, person, "educatedAt", school, 0.65)


def _verb_lemma(token: Token) -> str:
    """The lemma, also for capitalized verbs the tagger took for names ("Graduated From")."""
    lemma: str = token.lemma_.lower()
    if lemma in EDUCATION_VERBS or token.pos_ != "PROPN":
        return lemma
    word: str = token.lower_
    for cut in (1, 2, 3):
        if word.endswith(("ed", "es", "s", "ied")) and word[:-cut] in EDUCATION_VERBS:
            return word[:-cut]
    return "study" if word in ("studied", "studies") else lemma


def _location(ctx: DocContext) -> Iterator[Mention | Fact]:
    text = ctx.text
    places = sorted(
        (m for m in ctx.mentions if m.type == LOCATION and m.kind != DEMONYM),
        key=lambda m: m.start,
    )  # "In Athens, Greek Prime Minister X": a demonym is no place of a comma run
    for chain in _comma_chains(text, places):
        for first, second in zip(chain, chain[1:]):
            if first.name != second.name:
                yield _fact(ctx, first, "locatedIn", second, 0.6)
    for thing in [m for m in ctx.mentions if m.type in (ORGANIZATION, LOCATION)]:
        if thing.kind == REFERENCE and not _names_a_kind_of_place(thing.text):
            continue  # "the main export product in Nigeria": a description of no place
        tail = text[thing.end : thing.end + 60]
        match = re.match(
            rf"(?:['’]s)?\s*(?:{_SITE_NOUNS}\s+)?(?:,\s*)?(?:based\s+)?in\s+(?:the\s+)?", tail
        )
        if match is None or (thing.type == LOCATION and "based" not in match.group(0)):
            if thing.type == ORGANIZATION:
                yield from _based_prefix(ctx, thing)
            continue
        place = ctx.mention_at(thing.end + match.end(), types=(LOCATION,))
        if (
            place is not None
            and place.start == thing.end + match.end()
            and place.name != thing.name
        ):
            site = re.search(_SITE_NOUNS, match.group(0)) is not None or "based" in match.group(0)
            if thing.type == ORGANIZATION and not site and not _is_noun_phrase_end(ctx, thing):
                continue
            yield _fact(ctx, thing, "locatedIn", place, 0.7 if site else 0.55)


def _seated(ctx: DocContext) -> Iterator[Fact]:
    """ "Nokia, headquartered in Espoo", "London's Acme, based in Soho"."""
    text = ctx.text
    for thing in [m for m in ctx.mentions if m.type == ORGANIZATION and m.kind == NAME]:
        match = _SEATED.match(text, thing.end)
        if match is None:
            continue
        place = ctx.mention_at(match.end(), types=(LOCATION, ORGANIZATION))
        if place is not None and place.start == match.end() and place.name != thing.name:
            yield _fact(ctx, thing, "locatedIn", place, 0.8)


def _place_apposition(ctx: DocContext) -> Iterator[Fact]:
    """ "Keswick, a town in Cumbria", "Bolton West, a constituency in Greater Manchester"."""
    from kg.data import lexicons

    text = ctx.text
    for place in [m for m in ctx.mentions if m.kind == NAME and m.type != DATE]:
        match = _PLACE_APPOSITION.match(text, place.end)
        if match is None or match.group("noun") not in lexicons.place_nouns():
            continue
        outer = ctx.mention_at(match.end(), types=(LOCATION,))
        if outer is not None and outer.start == match.end() and outer.name != place.name:
            yield _fact(ctx, place, "locatedIn", outer, 0.75)


#: "US aircraft firm Boeing": a place (name or demonym), up to three modifiers, a noun.
_DESCRIBED = re.compile(
    r"(?P<place>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)\s+(?:[a-z][\w-]*\s+){0,3}?"
    r"(?P<noun>[a-z]+)\s+(?:the\s+)?$"
)


def _described_organization(ctx: DocContext) -> Iterator[Mention | Fact]:
    """ "US aircraft firm Boeing", "Russian oil firm Yukos", "European rival Airbus"."""
    from kg.data import lexicons

    text = ctx.text
    for org in [m for m in ctx.mentions if m.type == ORGANIZATION and m.kind == NAME]:
        line_start = text.rfind("\n", 0, org.start) + 1
        match = _DESCRIBED.search(text[max(line_start, org.start - 60) : org.start])
        if match is None or match.group("noun") not in lexicons.organization_nouns():
            continue
        offset = org.start - len(text[max(line_start, org.start - 60) : org.start])
        place = _place_named(ctx, offset + match.start("place"), offset + match.end("place"))
        if place is not None and place.name != org.name:
            if place not in ctx.mentions:
                yield place
            yield _fact(ctx, org, "locatedIn", place, 0.7)


def _place_named(ctx: DocContext, start: int, end: int) -> Mention | None:
    """A place mention ending at ``end`` that starts in [start, end), or the country a
    demonym or a country's name there stands for (a new mention)."""
    from kg.data import lexicons

    found = [  # a place the lexicons know: NER takes a capitalized "Computer firm" for one
        m
        for m in ctx.mentions_between(start, end, types=(LOCATION,))
        if m.end == end and m.start >= start and rank(m.name) is not None
    ]
    if found:
        return found[-1]
    words = ctx.text[start:end]
    places = lexicons.places()
    for cut in (words, words.split()[-1]):
        country = places.demonyms.get(cut.lower()) or places.canonical.get(cut.lower())
        if country is not None and cut[:1].isupper():
            return _country_mention(ctx, cut, country, end - len(cut))
    return None


def _country_mention(ctx: DocContext, text: str, country: str, start: int) -> Mention:
    """A new mention of ``country`` by ``text`` at ``start`` (a demonym or its name)."""
    return _place_mention(ctx, text, country, start, label="NORP", confidence=0.8, kind=DEMONYM)


def _place_mention(
    ctx: DocContext, text: str, name: str, start: int, *, label: str, confidence: float, kind: str
) -> Mention:
    """A location mention this extractor adds where NER found none: ``text`` at ``start``
    standing for the place ``name``."""
    return Mention(
        doc_id=ctx.doc_id,
        text=text,
        name=name,
        type=LOCATION,
        start=start,
        end=start + len(text),
        sentence=ctx.sentence_text(ctx.sentence_of(start)),
        label=label,
        confidence=confidence,
        extractor=EXTRACTOR,
        kind=kind,
    )


def _named_event_place(ctx: DocContext) -> Iterator[Mention | Fact]:
    """ "the Tokyo Summit", "the Berlin film festival": an event named after its city."""
    from kg.data import lexicons

    text = ctx.text
    heads = lexicons.type_heads()
    named = [
        m
        for m in ctx.mentions
        if m.kind == NAME and (m.type == EVENT or heads.get(m.name.split()[-1].lower()) == EVENT)
    ]
    for event in named:
        words = list(re.finditer(r"\S+", text[event.start : event.end]))
        for count in (2, 1):
            if len(words) <= count or not all(w.group()[:1].isupper() for w in words[:count]):
                continue  # the city's words, then at least one more word of the name
            end = event.start + words[count - 1].end()
            name = text[event.start : end]
            following = words[count].group()
            sponsor = count + 1 < len(words) and rank(following) is not None
            if sponsor or following in lexicons.name_particles():
                break  # "Flora London Marathon" (a sponsor, then the city), "Rio de Janeiro"
            found = ctx.mention_at(event.start, types=(LOCATION,))
            if found is not None and found.start == event.start and found.end == end:
                if rank(name) is None:  # "the Hutton inquiry": named after its chair
                    break
                yield _fact(ctx, event, "locatedIn", found, 0.7)
                break
            place = lexicons.gazetteer().get(name.lower())
            if place is None or place.kind not in ("city", "subdivision"):
                continue
            if (
                place.kind == "city"
                and place.population < _WELL_KNOWN
                and _read_as_a_name(ctx, event)
            ):
                break  # "Rugby World Cup", "Orange ... Film Awards": a sport, a sponsor
            city = Mention(
                doc_id=ctx.doc_id,
                text=name,
                name=name,
                type=LOCATION,
                start=event.start,
                end=end,
                sentence=event.sentence,
                label="GPE",
                confidence=0.7,
                extractor=EXTRACTOR,
            )
            yield city
            yield _fact(ctx, event, "locatedIn", city, 0.7)
            break


#: Population from which a city the gazetteer knows is taken for the city an event is
#: named after even when NER read the whole name as an organization's ("Tokyo Summit").
_WELL_KNOWN = 500_000


def _read_as_a_name(ctx: DocContext, event: Mention) -> bool:
    """True when NER also read the event's words as another type's name (an organization
    "Rugby World Cup"): its first word is then a city only if well known."""
    return any(
        m.kind == NAME and m.type != EVENT and (m.start, m.end) == (event.start, event.end)
        for m in ctx.mentions_between(event.start, event.end)
    )


def _organization_of_country(ctx: DocContext) -> Iterator[Fact]:
    """ "EVA of Taiwan": an organization's name followed by "of" and a country's."""
    from kg.data import lexicons

    text = ctx.text
    countries = set(lexicons.places().canonical.values())
    for org in [m for m in ctx.mentions if m.type == ORGANIZATION and m.kind == NAME]:
        match = re.match(r" of (?:the )?", text[org.end : org.end + 9])
        if match is None:
            continue
        place = ctx.mention_at(org.end + match.end(), types=(LOCATION,))
        if place is not None and place.start == org.end + match.end() and place.name in countries:
            yield _fact(ctx, org, "locatedIn", place, 0.6)


#: "London's West End", "Japan's state Export-Import Bank": a place's possessive, then
#: up to three lower-case modifiers before the name of what lies there.
_POSSESSIVE_PLACE = re.compile(r"['’]s?\s+(?:[a-z][\w-]*\s+){0,3}$")


def _possessive_place(ctx: DocContext) -> Iterator[Fact]:
    """ "London's West End", "Bolivia's state mining company COMIBOL": locatedIn."""
    text = ctx.text
    for thing in [m for m in ctx.mentions if m.type in (ORGANIZATION, LOCATION) and m.kind == NAME]:
        line_start = text.rfind("\n", 0, thing.start) + 1
        zone_start = max(line_start, thing.start - 50)
        match = _POSSESSIVE_PLACE.search(text[zone_start : thing.start])
        if match is None:
            continue
        end = zone_start + match.start()
        place = ctx.mention_at(max(0, end - 1), types=(LOCATION,))
        if (
            place is not None
            and place.kind == NAME
            and place.end == end
            and place.name != thing.name
            and rank(place.name) is not None
            and _only_modifiers(ctx, end, thing.start)
            and not _looks_like_a_person(thing)
            and not _modifies_a_noun(ctx, thing)
        ):
            yield _fact(ctx, thing, "locatedIn", place, 0.7)


def _looks_like_a_person(mention: Mention) -> bool:
    """ "Russia's Elena Bovina" typed a place: a given name first, so no located thing."""
    from kg.data import lexicons

    words = mention.name.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() for w in words)  # not "Royal Bank of Scotland"
        and words[0].lower() in lexicons.first_names()
    )


def _modifies_a_noun(ctx: DocContext, mention: Mention) -> bool:
    """ "London's BT tower": the name only modifies the noun after it."""
    following = re.match(r"\s+([a-z]+)", ctx.text[mention.end : mention.end + 30])
    if following is None:
        return False
    token = ctx.doc[ctx._token_index(mention.end + following.start(1))]
    return token.pos_ == "NOUN"


#: "Other US carriers, including United": a place (name or demonym), up to two
#: modifiers, a plural organization noun, "including"/"such as", then earlier list items.
_INCLUDING = re.compile(
    r"(?P<place>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)\s+(?:[a-z][\w-]*\s+){0,2}?"
    r"(?P<noun>[a-z]+?)(?:e?s),?\s+(?:including|such\s+as)\s+"
    r"(?:[A-Z][^,;.\n]{0,40},\s*)*(?:[A-Z][^,;.\n]{0,40}\s+and\s+)?$"
)


def _including(ctx: DocContext) -> Iterator[Mention | Fact]:
    """ "Other US carriers, including United", "German firms such as BMW": locatedIn."""
    from kg.data import lexicons

    text = ctx.text
    for org in [m for m in ctx.mentions if m.type == ORGANIZATION and m.kind == NAME]:
        zone_start = max(text.rfind("\n", 0, org.start) + 1, org.start - 150)
        match = _INCLUDING.search(text[zone_start : org.start])
        if match is None or match.group("noun") not in lexicons.organization_nouns():
            continue
        place = _place_named(
            ctx, zone_start + match.start("place"), zone_start + match.end("place")
        )
        if place is not None and place.name != org.name:
            if place not in ctx.mentions:
                yield place
            yield _fact(ctx, org, "locatedIn", place, 0.65)


_MODIFIER_POS = frozenset({"ADJ", "NOUN", "PUNCT"})


def _only_modifiers(ctx: DocContext, start: int, end: int) -> bool:
    """True when the words in [start, end) only modify the name after them (no verb:
    "Scotland's first minister visited Edinburgh's" is no "Scotland's Edinburgh")."""
    return all(
        token.pos_ in _MODIFIER_POS or token.tag_ == "POS"
        for token in ctx.doc
        if start <= token.idx < end
    )


def _comma_chains(text: str, places: list[Mention]) -> Iterator[list[Mention]]:
    """Runs of places joined by commas that read as a hierarchy ("Mediaș, Transylvania,
    Romania"), not a list ("China, Russia and Iran": an "and"/"or" ends a list)."""
    chain: list[Mention] = []
    for place in places:
        if chain and re.fullmatch(r",\s*", text[chain[-1].end : place.start]):
            chain.append(place)
            continue
        if len(chain) > 1 and not _ends_a_list(text, chain):
            yield chain
        chain = [place]
    if len(chain) > 1 and not _ends_a_list(text, chain):
        yield chain


#: What may follow the last place of a comma run when the run is a list: more items, then
#: "and"/"or" ("Canada, the United States, Japan, Britain, West Germany, France and Italy").
_LIST_TAIL = re.compile(
    r"(?:\s+[A-Z][\w.-]*)*(?:,\s*(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)*,?\s*(?:and|or)\b"
)


def _ends_a_list(text: str, chain: list[Mention]) -> bool:
    before = text[max(0, chain[0].start - 3) : chain[0].start]
    after = text[chain[-1].end : chain[-1].end + 120]
    return bool(_LIST_TAIL.match(after)) or before.rstrip().endswith((",", "("))


def _copula_location(ctx: DocContext) -> Iterator[Fact]:
    """ "Mediaș is a city in Transylvania", "Acme is a company based in Ohio"."""
    for token in ctx.tokens:
        if token.dep_ != "attr" or token.head.lemma_ != "be":
            continue
        subject = subject_of(token.head)
        thing = (
            ctx.mention_of_token(subject, types=(LOCATION, ORGANIZATION))
            if subject is not None
            else None
        )
        if thing is None:
            continue
        place = _place_of_attribute(ctx, token)
        if place is not None and place.name != thing.name:
            yield _fact(ctx, thing, "locatedIn", place, 0.65)


def _place_of_attribute(ctx: DocContext, attribute) -> Mention | None:  # type: ignore[no-untyped-def]
    """The first place in "a city in X" / "a company based in X" under an attribute noun."""
    for prep in attribute.subtree:
        if prep.dep_ != "prep" or prep.lower_ not in ("in", "of", "near"):
            continue
        if prep.head.i != attribute.i and prep.head.lemma_ not in (
            "base",
            "locate",
            "situate",
            "headquarter",
        ):
            continue
        if prep.head.i == attribute.i and not _place_or_organization_noun(attribute):
            continue  # "Cocoa was the main export product in Nigeria": no place of a thing
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            place = ctx.mention_of_token(obj, types=(LOCATION,))
            if place is not None:
                return place
    return None


def _names_a_kind_of_place(description: str) -> bool:
    """True when a description's last word is a place or organization noun ("the bank")."""
    from kg.data import lexicons

    words = description.lower().split()
    return bool(words) and words[-1] in lexicons.place_nouns() | lexicons.organization_nouns()


def _place_or_organization_noun(token) -> bool:  # type: ignore[no-untyped-def]
    """True when ``token`` names a kind of place or organization ("city", "firm")."""
    from kg.data import lexicons

    words = {token.lower_, token.lemma_.lower()}
    kinds = lexicons.place_nouns() | lexicons.organization_nouns() | _PLACE_ROLES
    return bool(words & kinds)


#: What a place is "in" a bigger one as: "France is the poorest market in Europe", "a
#: country in Africa" (besides the place nouns of the lexicon).
_PLACE_ROLES = frozenset(
    {"market", "economy", "country", "nation", "kingdom", "republic", "territory", "enclave"}
)


_DEMONYM_COPULA = re.compile(
    r"(?:\s*\([^()\n]{0,200}\))?(?:,\s*|\s+(?:is|was|is now|was once|became|remains)\s+(?:(?:already|still|also|now|once)\s+)?)(?:an?|the)\s+(?:former\s+|retired\s+|well-known\s+|leading\s+)?"
    r"(?P<demonym>[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)\s+[a-z]"
)


def _demonym_nationality(ctx: DocContext) -> Iterator[Mention | Fact]:
    """ "X is a German skeleton racer", "X, a French citizen, ...": nationality."""
    from kg.data import lexicons

    text = ctx.text
    demonyms = lexicons.places().demonyms
    for person in [m for m in ctx.mentions if m.type == PERSON]:
        match = _DEMONYM_COPULA.match(text, person.end)
        if match is None:
            continue
        country = demonyms.get(match.group("demonym").lower())
        if country is None:
            continue
        start = match.start("demonym")
        place = ctx.mention_at(start, types=(LOCATION,))
        if place is None or place.name != country:
            place = _country_mention(ctx, match.group("demonym"), country, start)
            yield place
        yield _fact(ctx, person, "nationality", place, 0.75)


def _is_noun_phrase_end(ctx: DocContext, mention: Mention) -> bool:
    """True when "ORG in PLACE" reads as one noun phrase ("the bank in Frankfurt")."""
    token = ctx.doc[ctx._token_index(max(mention.start, mention.end - 1))]
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is not None and following.dep_ == "prep" and following.head.i == token.i


def _based_prefix(ctx: DocContext, org: Mention) -> Iterator[Mention | Fact]:
    """ "London-based Center for European Reform"."""
    text = ctx.text
    match = re.search(r"-based\s+(?:the\s+)?$", text[max(0, org.start - 20) : org.start])
    if match is None:
        return
    at = org.start - 20 + match.start() if org.start >= 20 else match.start()
    place = ctx.mention_at(max(0, at - 1), types=(LOCATION,))
    if place is None:
        place = _gazetteer_place_before(ctx, at)
        if place is None:
            return
        yield place
    yield _fact(ctx, org, "locatedIn", place, 0.7)


#: "Bracknell" in "Bracknell-based": one to three capitalized words right before ``at``.
_PLACE_WORDS = re.compile(r"(?:(?<=\s)|^)(?P<place>[A-Z][\w.']*(?:[ -][A-Z][\w.']*){0,2})$")


def _gazetteer_place_before(ctx: DocContext, at: int) -> Mention | None:
    """A place the lexicons know named right before ``at`` that NER missed ("Bracknell-
    based Exel"), as a new mention; None when the words are no known place."""
    match = _PLACE_WORDS.search(ctx.text[max(0, at - 40) : at])
    if match is None:
        return None
    words = match.group("place")
    if rank(words) is None:
        return None
    return _place_mention(
        ctx, words, words, at - len(words), label="GPE", confidence=0.7, kind=NAME
    )


def _residence(ctx: DocContext) -> Iterator[Fact]:
    text = ctx.text
    for person in [m for m in ctx.mentions if m.type == PERSON]:
        tail = text[person.end : person.end + 60]
        match = re.match(
            r"(?:,\s*(?:who|which)\s+(?:lives|lived|resides|resided)\s+in|,\s*(?:a|an)\s+(?:resident|native)\s+of"
            r"|\s+of)\s+(?:the\s+)?",
            tail,
        )
        if match is None:
            continue
        place = ctx.mention_at(person.end + match.end(), types=(LOCATION,))
        if place is not None and place.start == person.end + match.end():
            confidence = 0.5 if match.group(0).strip().startswith("of") else 0.75
            yield _fact(ctx, person, "residence", place, confidence)


SPEC = ExtractorSpec(
    EXTRACTOR,
    extract_relations,
    requires=("names", "roles", "references"),
    assigns=("relations", "demonyms"),
)
