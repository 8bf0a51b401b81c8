"""The type of an entity, decided once from all its mentions, and whether it is one at all.

Every mention votes for the type NER gave it, weighted by its confidence (a full name NER
typed PERSON counts three times: short forms linked to it are often mistyped). Then
evidence about the name itself, read from lexicons kept as data, adds weight:

- a place in the gazetteer (countries, subdivisions, cities; ``kg/data/gazetteer.tsv``)
  or a name that ends in a place word ("Stadium", "Valley") → Location;
- a name ending in an organization word ("Party", "Group", "Council") → Organization, in
  an event word ("Festival", "Championship", "Election") → Event;
- an honorific ("Mr", "Baroness"), or a first word that is a known given name or an
  initial in a name of two or three words ("Gordon Ross", "G Ross") → Person;
- the text putting a name after "in", "at", "from", or a news dateline after it
  ("LA PAZ, March 23 -") → Location;
- the nouns beside a name (``kg/data/name_context.tsv``, and the organization and place
  nouns of ``coref_nouns.tsv``): "investment company X", "record companies X and Y",
  "pop duo X", "X shares", "X journalist" → that type; "the film X", "the X console", a
  name alone in quotation marks, a name with a capitalised function word inside
  ("Knights Of The Old Republic"), a name ending in a model code ("PowerMac G4") → NONE,
  a work or a product (no entity); "X-based", "MP for X", "the city of X" → Location;
  "shares in X", "a stake in X", "X's chief executive" → Organization (not a place,
  though "in" stands before it); "her role in X", "starred in X" → NONE, a work (not a
  place either).

Single words that NER calls a person but that are neither a known given name nor a
surname nor written with an honorific lose half their weight ("Jammins"), all of it when
a noun beside them says something else ("firm Yukos"); so do single words NER calls a
place that no gazetteer knows and that never stand after "in"/"at"/"from". An acronym
with a digit ("G7") is no place. The weights were chosen with ``bench/tune_typing.py`` on
the news gold set's dev split and the CoNLL-2003 eng.train articles the NER never trained
on (every tenth); see docs/evaluation.md.

A cluster is not an entity (its mentions stay as evidence only) when all its names are
nationality words ("Welsh", "Britons"), page furniture, a single lower-case word, an
abbreviation of a common noun ("CEO", "PR"; ``kg/data/abbreviations.txt``), or one word
the text also writes in lower case that no lexicon knows as a name ("Theatre").
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kg.data import lexicons
from kg.extract.cues import singular
from kg.model import DEMONYM, EVENT, LOCATION, ORGANIZATION, PERSON, Mention
from kg.resolve.forms import clean_label, gender_of_honorific
from kg.resolve.names import is_acronym, name_words
from kg.resolve.type_model import NONE

if TYPE_CHECKING:
    from kg.resolve.type_model import TypeModel


@dataclass(frozen=True)
class TypeWeights:
    """How much each kind of evidence counts (chosen on dev; see the module docstring)."""

    full_person_name: float = 3.0
    gazetteer: float = 0.5
    head_word: float = 2.0
    honorific: float = 2.0
    given_name: float = 1.0
    locative: float = 0.5
    dateline: float = 2.0
    unknown_single_word: float = 0.5
    with_article: float = 0.3
    context_noun: float = 3.0


WEIGHTS = TypeWeights()


def type_votes(members: Sequence[Mention], weights: TypeWeights | None = None) -> dict[str, float]:
    """The weight of each type for one cluster (see the module docstring)."""
    weights = weights or WEIGHTS
    names = {clean_label(m.name) for m in members}
    longest = max(names, key=lambda n: (len(n.split()), len(n), n))
    words = name_words(longest)
    single = len(words) == 1
    head = head_type(longest)
    votes: dict[str, float] = defaultdict(float)
    surnames = {
        name_words(m.name)[-1] for m in members if m.type == PERSON and len(m.name.split()) > 1
    }
    for m in members:
        if m.type == PERSON and _acronym_in_running_text(m):
            votes[ORGANIZATION] += m.confidence  # "NAWG", "BBC": people are not initials
            continue
        if (
            m.type != PERSON
            and " " not in m.name.strip()
            and (name_words(m.name) or [""])[-1] in surnames
        ):
            continue  # "Herrington" NER called ORG beside "John Herrington": a short form
        full_name = m.type == PERSON and len(m.name.split()) > 1 and head is None
        votes[m.type] += m.confidence * (weights.full_person_name if full_name else 1.0)
    gazetteer = lexicons.gazetteer()
    place = any(n.casefold() in gazetteer for n in names)
    if place:
        votes[LOCATION] += weights.gazetteer
    if head is not None:
        votes[head] += weights.head_word
    if any(gender_of_honorific(m.honorific) or m.honorific for m in members):
        votes[PERSON] += weights.honorific
    if 2 <= len(words) <= 3 and (
        words[0] in lexicons.first_names() or _INITIAL.fullmatch(longest.split()[0])
    ):
        votes[PERSON] += weights.given_name  # "Gordon Ross", "G Ross"
    if votes.get(PERSON) and any(m.text[:4].casefold() == "the " for m in members):
        votes[PERSON] *= weights.with_article  # "the Scotsman": people take no article
    if any("dateline" in m.cues for m in members):
        votes[LOCATION] += weights.dateline
    if _title_of_a_work(longest) or _model_number(longest):
        votes[NONE] += weights.context_noun
    described = set()
    for kind in context_nouns(members):
        votes[kind] += weights.context_noun
        described.add(kind)
    if head is None and _country_and_common_word(longest, members):
        votes[NONE] += weights.context_noun
    members_of = sum(1 for m in members if {"of:member", "of:members"} & m.cues)
    if members_of:  # "members of King Crimson", "the only Asian member of OPEC": a group
        votes[ORGANIZATION] += weights.context_noun * members_of
    if head is None and not place and _owned_work(members):
        votes[NONE] += weights.context_noun
    if single and not place and _part_of_title(members):
        votes[NONE] += weights.context_noun
    locatives = sum(1 for m in members if m.locative and not {"holding_in", "role_in"} & m.cues)
    if locatives:
        votes[LOCATION] += weights.locative * locatives
    if single:
        word = words[0]
        known_person = (
            word in lexicons.first_names()
            or word in lexicons.surnames()
            or any(m.honorific for m in members)
        )
        if votes.get(PERSON) and not known_person:
            # "firm Yukos": what the text calls it outweighs NER on a word no lexicon knows
            votes[PERSON] *= 0.0 if described - {PERSON} else weights.unknown_single_word
        if votes.get(LOCATION) and not place and not locatives:
            votes[LOCATION] *= 0.0 if described - {LOCATION} else weights.unknown_single_word
    if single and is_acronym(longest) and any(ch.isdigit() for ch in longest):
        # "G7", "G20": a group (of countries), not a place
        votes[ORGANIZATION] += votes.pop(LOCATION, 0.0)
    return dict(votes)


#: A given name written as its initial ("G Ross", "P. Griffen").
_INITIAL = re.compile(r"[A-Z]\.?")


def _country_and_common_word(name: str, members: Sequence[Mention]) -> bool:
    """ "U.S. Cattle", "Indonesian Energy" (Minister): a country or nationality word and one
    common word, written in lower case elsewhere in the text or opening a job title; no
    name ("Indian Express" stays)."""
    words = name.split()
    if len(words) != 2:
        return False
    first = words[0].casefold()
    places = lexicons.places()
    if first not in places.canonical and first not in places.demonyms:
        return False
    titles = lexicons.titles()
    return all(
        "last_lower_elsewhere" in m.cues
        or any(c.startswith("next_cap:") and c.partition(":")[2] in titles for c in m.cues)
        for m in members
    )


def _acronym_in_running_text(m: Mention) -> bool:
    """An acronym of three capitals or more outside a headline ("NAWG", not "REAGAN" in
    "REAGAN SEEKS MORE AID")."""
    bare = m.name.replace(".", "")
    return is_acronym(m.name) and bare.isupper() and len(bare) >= 3 and "headline" not in m.cues


def _owned_work(members: Sequence[Mention]) -> bool:
    """A mention NER did not call a person follows a company's or a person's "'s"
    ("Microsoft's Xbox", "Michael Moore's Fahrenheit 9/11"): a product or a work. An owner
    that is a place ("Tehran's new airport") says nothing."""
    owned = [
        cue.partition(":")[2]
        for m in members
        if m.type != PERSON and not _before_a_noun(m)
        for cue in m.cues
        if cue.startswith("owner:")
    ]
    if not owned:
        return False
    gazetteer, places = lexicons.gazetteer(), lexicons.places()
    return not any(
        o.casefold() in gazetteer
        or o.casefold() in places.canonical
        or o.casefold() in places.demonyms
        or o.casefold() in _CALENDAR  # "Saturday's Western Mail"
        for o in owned
    )


_CALENDAR = frozenset(
    n.casefold() for n in [*calendar.day_name, *calendar.month_name, "Today", "Yesterday"] if n
)
#: Words after a name that show it is not a noun's modifier ("Apple's iPod could").
_FUNCTION_AFTER = frozenset(
    "and or but is was are were has had have could can will would which that who to in on "
    "for with as at by from than".split()
)


def _before_a_noun(m: Mention) -> bool:
    """A lower-case word after the name that may be the noun it modifies ("the Party's
    Holyrood leader", "Media's NOP World market research unit")."""
    return any(c.startswith("next:") and c.partition(":")[2] not in _FUNCTION_AFTER for c in m.cues)


def _part_of_title(members: Sequence[Mention]) -> bool:
    """A one-word name after a job title and "of" ("Secretary of State", "Minister of
    Finance"): part of the title, unless it is a place ("Governor of Texas")."""
    titles = lexicons.titles()
    return all(
        "lower_elsewhere" in m.cues
        and any(c.startswith("of:") and c.partition(":")[2] in titles for c in m.cues)
        for m in members
    )


def head_type(name: str) -> str | None:
    """The type the head word of a name of two words or more suggests
    (``kg/data/type_heads.tsv``): its last word ("Labour Party"), else an organization
    word before "of" ("National Association of Wheat Growers", "Bank of England")."""
    words = [w.rstrip(".") for w in name_words(name)]
    if len(words) < 2:
        return None
    heads = lexicons.type_heads()
    kind = heads.get(words[-1])
    if (
        kind is None
        and "of" in words[1:-1]
        and heads.get(words[words.index("of") - 1]) == ORGANIZATION
    ):
        kind = ORGANIZATION  # place and event words before "of" name many things ("Congress of X")
    return kind


#: Function words a proper name writes in lower case ("Bank of England") and the title of
#: a work in capitals ("Knights Of The Old Republic").
_FUNCTION_WORDS = frozenset("Of The And A An In On At To For With From".split())


def _title_of_a_work(name: str) -> bool:
    """A name of three words or more with a capitalised function word inside it."""
    words = name.split()
    return len(words) >= 3 and not name.isupper() and any(w in _FUNCTION_WORDS for w in words[1:])


#: Cues that say what a name is: a title or nickname in quotation marks, a place ("X-based",
#: "MP for X"), a company ("shares in X", "X's chief executive").
_CUE_TYPES = {
    "quoted": NONE,
    "role_in": NONE,
    "place_of": LOCATION,
    "holding_in": ORGANIZATION,
    "award_suffix": NONE,
}


def _model_number(name: str) -> bool:
    """A name ending in a model code of letters and digits ("PowerMac G4", "Airbus A380"):
    a product ("Channel 4", "Group of 24" end in a plain number)."""
    words = name.split()
    last = words[-1] if len(words) > 1 else ""
    return any(c.isdigit() for c in last) and any(c.isalpha() for c in last)


def context_nouns(members: Sequence[Mention]) -> Iterator[str]:
    """What the nouns beside each mention say it names (``kg/data/name_context.tsv``): a
    noun before it ("investment company X"), after it ("X shares", "X journalist"), and a
    product noun after it only with "the" before ("the X console"); a name alone in
    quotation marks is a title or a nickname; the noun before "of" and the name ("the
    resort of X" a place, "a new version of X" a product). Places the lexicons
    know are not read from nouns after them ("UK staff", "London stocks"), nor is a
    nationality word ("Australian star X")."""
    lexicon = lexicons.name_context()
    countries = lexicons.places().canonical
    gazetteer = lexicons.gazetteer()
    for m in members:
        if m.kind == DEMONYM:
            continue  # "Australian star X": the nouns describe the person, not the country
        place = m.name.casefold() in countries or m.name.casefold() in gazetteer
        for cue in m.cues:
            where, _, noun = cue.partition(":")
            if cue in _CUE_TYPES:
                if not (cue in ("holding_in", "role_in") and place):  # "investment in Iran"
                    yield _CUE_TYPES[cue]
                continue
            if where == "before":
                kind = lexicon.get((noun, "before"))
            elif where == "of":  # "the resort of X", "a new version of X"
                kind = lexicon.get((noun, "of"))
            elif where == "next" and not place:
                kind = lexicon.get((singular(noun), "after"))
                if kind == NONE and "article" not in m.cues:
                    kind = None
                kind = lexicon.get((singular(noun), "after_always"), kind)
            else:
                kind = None
            if kind is not None:
                yield kind


def decide_type(members: Sequence[Mention], weights: TypeWeights | None = None) -> str:
    """The type with the most weight (ties: Person, Organization, Location, Event, NONE:
    a work or a product)."""
    votes = type_votes(members, weights)
    order = {PERSON: 3, ORGANIZATION: 2, LOCATION: 1, EVENT: 0}
    return max(votes, key=lambda t: (votes[t], order.get(t, -1)))


def classify(
    members: Sequence[Mention],
    in_facts: Callable[[Mention], bool],
    model: TypeModel | None | Literal["shipped"] = "shipped",
    none_threshold: float | None = None,
) -> str | None:
    """The entity's type, or None when the cluster names nothing.

    The weighted vote decides events (the classifier knows people, organizations and
    places); for the rest the trained classifier (:mod:`kg.resolve.type_model`; the
    shipped weights unless ``model`` is given) decides, from the vote and its features
    and the context cues; without weights, the vote does.
    """
    if not is_entity(members, in_facts):
        return None
    voted = decide_type(members)
    if voted == NONE:
        return None
    if voted == EVENT or all(m.kind == DEMONYM for m in members):
        return voted
    from kg.resolve.features import cluster_features
    from kg.resolve.type_model import load_type_model

    if model == "shipped":
        model = load_type_model()
    if model is None:
        return voted
    threshold = model.none_threshold if none_threshold is None else none_threshold
    probabilities = model.probabilities(cluster_features(members))
    if probabilities.get(NONE, 0.0) >= threshold:
        return None
    typed = {t: p for t, p in probabilities.items() if t not in (NONE, EVENT)}
    return max(typed, key=lambda t: (typed[t], t)) if typed else voted


def is_entity(members: Sequence[Mention], in_facts: Callable[[Mention], bool]) -> bool:
    """False for clusters that name nothing: nationality words, lower-case words,
    abbreviations of common nouns, common words (also a headline word in capitals), names
    opening with a preposition, and a country evoked only by a demonym ("Japanese") that
    no fact needs."""
    if all(m.kind == DEMONYM for m in members):
        return any(in_facts(m) for m in members)
    names = {clean_label(m.name) for m in members}
    demonyms = lexicons.places().demonyms
    if all(n.casefold() in demonyms or _plural_demonym(n.casefold(), demonyms) for n in names):
        return False
    if all(n.replace(".", "").upper() in lexicons.abbreviations() for n in names):
        return False  # "CEO", "PR", "GCSE": a common noun written short
    if all(_common_word(m) or _shouted_word(m) for m in members):
        return False  # "Theatre", "Power": a common word the text also writes in lower case
    if all((n.split() or [""])[0].casefold() in _NOT_FIRST for n in names):
        return False  # "TO HEAD", "Your": a name does not open with a preposition
    return any(any(ch.isupper() for ch in n) or not n.isascii() for n in names)


def _common_word(m: Mention) -> bool:
    """One word the document also writes in lower case, that no lexicon knows as a name
    (a place, a given name or surname, a party) and that is no acronym."""
    word = m.name.casefold()
    return (
        "lower_elsewhere" in m.cues
        and not is_acronym(m.name)
        and word not in lexicons.gazetteer()
        and word not in lexicons.first_names()
        and word not in lexicons.surnames()
        and word not in lexicons.parties()
        and m.honorific is None
    )


#: Words no name opens with: prepositions, conjunctions, possessive determiners ("HEAD TO
#: HEAD" read as "TO HEAD", "Your computer" as "Your"); "The" and "Her" open names.
_NOT_FIRST = frozenset("to of and or in on at for with from by your my our their".split())


def _shouted_word(m: Mention) -> bool:
    """One word of four letters or more in capitals on a headline, which the document
    also writes in lower case and no lexicon knows as a name ("ACID" of "... ON ACID
    RAIN" beside "acid rain"): a headline word, not an acronym."""
    word = m.name.strip()
    return (
        " " not in word
        and len(word) >= 4
        and word.isalpha()
        and word.isupper()
        and "headline" in m.cues
        and "lower_elsewhere" in m.cues
        and word.casefold() not in lexicons.gazetteer()
        and word.casefold() not in lexicons.places().canonical
        and word.casefold() not in lexicons.first_names()
        and word.casefold() not in lexicons.surnames()
    )


def _plural_demonym(word: str, demonyms: dict[str, str]) -> bool:
    """ "Britons", "Danes": a nationality noun in the plural (or "Dane" for "Danish")."""
    return (word.endswith("s") and word[:-1] in demonyms) or (word + "s") in demonyms
