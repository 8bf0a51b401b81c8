"""Clustering one document's named mentions: which names name the same thing.

Rules, in order (each general, none about a particular name):

1. the same name (case, spacing and zero-width characters folded), unless the
   honorifics say two people ("Mr Howard", "Mrs Howard"); an organization named by a
   form of a party's name (``kg/data/parties.tsv``: "Lib Dems", "Tories") has the
   party's name;
2. a person's short form joins the one full name it can stand for: the surname
   ("Biden" → "Joe Biden"), a part of a hyphenated surname ("Hughes" → "Jane
   Hughes-Onslow"), the given name or its short form ("Gareth", "Tommy" → "Thomas
   Gravesen"), an honorific with a surname ("Mrs Howard" only to a woman or to nobody
   known to be a man); never a place name unless NER calls the name a person more often
   than anything else ("Paterson", "Vaughan"), never when two full names fit;
3. spelling variants of a full person name with the same surname ("Beverly Hughes",
   "Beverley Hughes"), and a name written with initials joins the one full name they
   begin ("P Griffen" → "Paul Griffen"; not "M Bergamasco" beside "Mauro" and "Mirco");
4. acronyms defined in the text or equal to a long name's initials ("EU" → "European
   Union"; a country before the long name is left out: "FBI" → "US Federal Bureau of
   Investigation"), a one-word organization name ending exactly one longer one
   ("Commission" → "European Commission") or before its "of" ("Bank" → "Bank of
   England"), a web address and its name ("Amazon.com", "Amazon"), and an organization
   name that begins exactly one longer one whose last word is an organization word
   ("Labour" → "Labour Party", "Delta" → "Delta Air Lines", but not "Sony" → "Sony
   Pictures Entertainment"); a name NER called a person counts as an organization here
   when a noun beside it says so ("investment company Baikal" → "Baikal Finance
   Group").

Types are not decided here (see :mod:`kg.resolve.entity_type`): NER often types one
name differently in two sentences, so clustering looks at names, not types, except
that a person rule needs the candidate to look like a person.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.data import lexicons
from kg.model import EVENT, LOCATION, ORGANIZATION, PERSON, Mention
from kg.resolve.entity_type import context_nouns, decide_type
from kg.resolve.forms import (
    clean_label,
    gender_of_honorific,
    gender_of_name,
    given_name_matches,
    hyphen_parts,
    spelling_variants,
    surname_words,
)
from kg.resolve.names import initials, is_acronym, name_words, slugify


class UnionFind:
    """Disjoint sets over 0..n-1, the smaller index as the root (so results do not
    depend on the order unions happen in)."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
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

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return [out[root] for root in sorted(out)]


@dataclass
class Group:
    """Mentions clustered so far, with what the rules need to know about them."""

    members: list[Mention] = field(default_factory=list)
    #: What :meth:`longest` and :meth:`looks_like_person` found (the members of a group
    #: are not changed once it is made; the rules ask these for every pair of groups).
    _known: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def names(self) -> list[str]:
        return [clean_label(m.name) for m in self.members]

    def longest(self) -> str:
        known = self._known.get("longest")
        if known is None:
            known = self._known["longest"] = max(
                self.names(), key=lambda n: (len(n.split()), len(n), n)
            )
        return str(known)

    def person_votes(self) -> float:
        return sum(m.confidence for m in self.members if m.type == PERSON)

    def org_votes(self) -> float:
        return sum(m.confidence for m in self.members if m.type in (ORGANIZATION, EVENT))

    def described_as(self, kind: str) -> bool:
        """A noun beside a mention says what it is ("investment company Baikal")."""
        return kind in set(context_nouns(self.members))

    def looks_like_person(self) -> bool:
        """NER called a mention a person, an honorific stands before one, or the type
        vote of all its mentions says Person ("Bernie Ebbers" that NER called ORG once)."""
        known = self._known.get("person")
        if known is None:
            known = self._known["person"] = (
                self.person_votes() > 0
                or any(m.honorific for m in self.members)
                or (len(self.longest().split()) > 1 and decide_type(self.members) == PERSON)
            )
        return bool(known)

    def gender(self) -> str | None:
        """From honorifics, else from the given name of the longest name; None if unknown
        or contradictory."""
        genders = {g for m in self.members if (g := gender_of_honorific(m.honorific))}
        if len(genders) == 1:
            return genders.pop()
        if genders:
            return None
        return gender_of_name(self.longest())

    def mostly_person(self) -> bool:
        """NER calls the name a person with more weight than anything else."""
        others = sum(m.confidence for m in self.members if m.type != PERSON)
        return self.person_votes() > others

    def is_full_person(self) -> bool:
        """A person named by two words or more ("Lewis-Francis" is one word: a surname)."""
        return self.looks_like_person() and len(self.longest().split()) > 1


def cluster_mentions(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Group one document's named mentions into clusters (see the module docstring)."""
    if not mentions:
        return []
    uf = UnionFind(len(mentions))
    _same_names(uf, mentions)
    _spelling_variants(uf, mentions)
    _initial_forms(uf, mentions)
    _short_person_forms(uf, mentions)
    _acronyms_and_heads(uf, mentions)
    _organization_prefixes(uf, mentions)
    return [[mentions[i] for i in idx] for idx in uf.groups()]


def _groups(uf: UnionFind, mentions: Sequence[Mention]) -> dict[int, Group]:
    out: dict[int, Group] = {}
    for idx in uf.groups():
        out[idx[0]] = Group([mentions[i] for i in idx])
    return out


def _same_names(uf: UnionFind, mentions: Sequence[Mention]) -> None:
    """Rule 1: the same name (a party's forms are its name); two honorifics of different
    genders keep two people apart."""
    by_name: dict[str, list[int]] = defaultdict(list)
    parties = lexicons.parties()
    for i, m in enumerate(mentions):
        name = clean_label(m.name)
        name = _WEB_SUFFIX.sub("", name) or name  # "Amazon.com" is "Amazon"
        if m.type == ORGANIZATION:  # "Lib Dems", "Liberal Democrats": one party
            name = parties.get(name.casefold(), name)
        by_name[slugify(name.rstrip(".") if " " in name else name)].append(i)
    for members in by_name.values():
        genders = {gender_of_honorific(mentions[i].honorific) for i in members} - {None}
        if len(genders) <= 1:
            for other in members[1:]:
                uf.union(members[0], other)
            continue
        # "Mr Howard" and "Mrs Howard": one cluster per gender; a bare "Howard" joins
        # the gender named more often (the person the text is about)
        by_gender: dict[str | None, list[int]] = defaultdict(list)
        for i in members:
            by_gender[gender_of_honorific(mentions[i].honorific)].append(i)
        main = max((g for g in by_gender if g), key=lambda g: (len(by_gender[g]), g))
        for gender, idx in by_gender.items():
            target = by_gender[main][0] if gender is None else idx[0]
            for i in idx:
                uf.union(target, i)


#: A web address's ending ("Amazon.com" names Amazon).
_WEB_SUFFIX = re.compile(r"\.(?:com|net|org|co\.uk)$", re.IGNORECASE)

#: A city this large is taken for a place, not a surname ("Washington", not "Howard").
PLACE_POPULATION = 100_000


def _is_place_name(name: str) -> bool:
    """A country, region or large city: a name that is not taken for a surname."""
    lowered = name.casefold()
    if lowered in lexicons.places().canonical:
        return True
    place = lexicons.gazetteer().get(lowered)
    return place is not None and (place.kind != "city" or place.population >= PLACE_POPULATION)


def _short_person_forms(uf: UnionFind, mentions: Sequence[Mention]) -> None:
    """Rule 2: a surname, part of a hyphenated surname or given name joins the one full
    person name it can stand for, if the genders agree."""
    groups = _groups(uf, mentions)
    full = {root: g for root, g in groups.items() if g.is_full_person()}
    for root, group in groups.items():
        if root in full:
            _surname_alone(uf, root, group, full)
            continue
        name = group.longest()
        words = name_words(name)
        honorific = any(m.honorific for m in group.members)
        if not words or len(words) > 3:
            continue
        if _is_place_name(name) and not (honorific or group.mostly_person()):
            continue
        if (
            not group.looks_like_person()
            and (
                is_acronym(name) or any(m.locative for m in group.members) or group.org_votes() > 0
            )
            and not _bare_word(group, words)
        ):
            continue
        gender = group.gender()
        matches = [
            r
            for r, person in full.items()
            if _short_form_of(words, person.longest())
            and (gender is None or person.gender() in (None, gender))
        ]
        if len({uf.find(r) for r in matches}) == 1:
            uf.union(matches[0], root)


def _surname_alone(uf: UnionFind, root: int, group: Group, full: dict[int, Group]) -> None:
    """A name of several words that is the surname of exactly one longer person name
    ("Van Doren Stern" for "Philip van Doren Stern"): its first word is no given name."""
    words = name_words(group.longest())
    if words[0] in lexicons.first_names() and words[0] not in lexicons.name_particles():
        return  # "John Smith" is no surname of "Peter John Smith"; "Van Doren Stern" is
    matches = {
        uf.find(r)
        for r, person in full.items()
        if r != root
        and len(name_words(person.longest())) > len(words)
        and tuple(name_words(person.longest())[-len(words) :]) == tuple(words)
    } - {uf.find(root)}
    if len(matches) == 1:
        uf.union(matches.pop(), root)


def _bare_word(group: Group, words: list[str]) -> bool:
    """One capitalised word NER typed as an organization or place with nothing else to
    say so (no acronym, no organization or place word, not after "in"/"at"/"from" unless
    a known given name): still a surname or given name if exactly one full person name
    in the document ends or begins with it ("Sivabaek" for "John Sivabaek", "Gavin" for
    "Gavin Henson")."""
    if len(words) != 1 or is_acronym(words[0]) or words[0].casefold() in lexicons.type_heads():
        return False
    # "looked at Gavin": after "at", a known given name is still a given name
    given = words[0].casefold() in lexicons.first_names()
    return given or not any(m.locative for m in group.members)


#: A given name written as one or two initials ("P", "J.", "KP").
_INITIALS = re.compile(r"(?:[A-Z]\.?){1,2}")


def _initial_forms(uf: UnionFind, mentions: Sequence[Mention]) -> None:
    """Rule 3b: a person name written with initials ("P Griffen", "J. Laharrague") joins
    the one full name with the same surname whose given name begins with the initial."""
    groups = _groups(uf, mentions)
    people = {root: g.longest().split() for root, g in groups.items() if g.is_full_person()}
    for root, words in people.items():
        if not _INITIALS.fullmatch(words[0]):
            continue
        matches = {
            uf.find(r)
            for r, other in people.items()
            if r != root
            and len(other) == len(words)
            and not _INITIALS.fullmatch(other[0])
            and other[0][:1] == words[0][:1]
            and [w.casefold() for w in other[1:]] == [w.casefold() for w in words[1:]]
        } - {uf.find(root)}
        if len(matches) == 1:
            uf.union(matches.pop(), root)


def _short_form_of(words: list[str], full_name: str) -> bool:
    """True when ``words`` can be a shorter way to write the person ``full_name``."""
    full = name_words(full_name)
    if len(full) <= len(words):
        return False
    surname = surname_words(full_name)
    if tuple(words) == tuple(full[-len(words) :]) or tuple(words) == surname:
        return True
    if len(full) >= 3 and _contains(full[1:], words):
        return True  # "Lechin", "Paz Estenssoro" for "Juan Lechin Oquendo", "Victor Paz Estenssoro"
    if len(words) == 1:
        if len(surname) == 1 and words[0] in hyphen_parts(surname[0]):
            return True
        return given_name_matches(words[0], full[0])
    return False


def _contains(words: list[str], part: list[str]) -> bool:
    """True when ``part`` is a run of consecutive words of ``words``."""
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))


def _spelling_variants(uf: UnionFind, mentions: Sequence[Mention]) -> None:
    """Rule 3: "Beverly Hughes" and "Beverley Hughes" (same surname, given names one
    letter apart) are one person."""
    groups = _groups(uf, mentions)
    people = [(root, g.longest()) for root, g in groups.items() if g.is_full_person()]
    for i, (root_a, a) in enumerate(people):
        for root_b, b in people[i + 1 :]:
            wa, wb = a.split(), b.split()
            if len(wa) != len(wb) or wa[-1].casefold() != wb[-1].casefold():
                continue
            differing = [
                (x, y) for x, y in zip(wa, wb, strict=True) if x.casefold() != y.casefold()
            ]
            if len(differing) == 1 and spelling_variants(*differing[0]):
                uf.union(root_a, root_b)


def _acronyms_and_heads(uf: UnionFind, mentions: Sequence[Mention]) -> None:
    """Rule 4a: acronyms ("EU" → "European Union", "ICAN" defined in parentheses) and head
    words ("Commission" → "European Commission")."""
    groups = _groups(uf, mentions)
    long_names = {r: g for r, g in groups.items() if not g.is_full_person()}
    by_initials: dict[str, set[int]] = defaultdict(set)
    by_alias: dict[str, set[int]] = defaultdict(set)
    by_last_word: dict[str, set[int]] = defaultdict(set)
    for root, g in long_names.items():
        for name in set(g.names()):
            if len(name.split()) > 1:
                by_initials[initials(name)].add(root)
                words = name_words(name)
                by_last_word[words[-1]].add(root)
                if len(words) > 2 and words[1] == "of":
                    by_last_word[words[0]].add(root)  # "Bank" → "Bank of England"
                country = _country_prefix(name)
                if country:
                    by_initials[initials(name[len(country) :])].add(root)
        for m in g.members:
            if m.text != m.name and is_acronym(m.text):
                by_alias[m.text.replace(".", "").upper()].add(root)
    for root, g in long_names.items():
        label = g.longest()
        if len(label.split()) != 1:
            continue
        candidates: set[int] = set()
        if is_acronym(label):
            key = label.replace(".", "").upper()
            candidates = by_alias.get(key, set()) or by_initials.get(key, set())
        elif label[:1].isupper() and g.org_votes() > g.person_votes():
            candidates = by_last_word.get(label.casefold(), set())
        roots = {uf.find(r) for r in candidates} - {uf.find(root)}
        if len(roots) == 1:
            uf.union(roots.pop(), root)


def _country_prefix(name: str) -> str | None:
    """The country word(s) opening a longer name ("US" in "US Federal Bureau of
    Investigation"), or None."""
    words = name.split()
    for n in (2, 1):
        head = " ".join(words[:n])
        folded = head.casefold()
        canonical = lexicons.places().canonical
        if len(words) > n + 1 and (folded in canonical or folded.rstrip(".") in canonical):
            return head
    return None


def _organization_prefixes(uf: UnionFind, mentions: Sequence[Mention]) -> None:
    """Rule 4b: an organization name that begins exactly one longer organization name
    ("Labour" → "Labour Party", "Delta" → "Delta Air Lines")."""
    groups = _groups(uf, mentions)
    orgs = {
        r: g
        for r, g in groups.items()
        if (g.org_votes() > g.person_votes() or g.described_as(ORGANIZATION))
        and not g.is_full_person()
    }
    longer = {r: name_words(g.longest().rstrip(".")) for r, g in orgs.items()}
    heads = lexicons.type_heads()
    for root, g in orgs.items():
        words = longer[root]
        if not words or is_acronym(g.longest()):
            continue
        if any(m.locative for m in g.members) and _is_place_name(g.longest()):
            continue  # "in Delta" is the place; "to Mitsui officials" still the company
        matches = {
            uf.find(r)
            for r, other in longer.items()
            if _begins_organization(words, other, heads)
            or _country_and(other_words=words, words=other)
        } - {uf.find(root)}
        if len(matches) == 1:
            uf.union(matches.pop(), root)


def _begins_organization(words: list[str], other: list[str], heads: dict[str, str]) -> bool:
    """ "Labour" begins "Labour Party", "Mitsui" begins "Mitsui Co Ltd": one or two words
    more, the last an organization word."""
    return (
        len(words) < len(other) <= len(words) + 2
        and tuple(other[: len(words)]) == tuple(words)
        and heads.get(other[-1]) == ORGANIZATION
    )


def _country_and(other_words: list[str], words: list[str]) -> bool:
    """ "US Supreme Court" is "Supreme Court" with its country before it (``words`` is the
    country-prefixed name, ``other_words`` the name without)."""
    n = len(words) - len(other_words)
    if n < 1 or len(other_words) < 2 or words[n:] != other_words:
        return False
    return " ".join(words[:n]) in lexicons.places().canonical


#: Types a cluster may end up with (events named by NER take part in clustering too).
CLUSTERED_TYPES = (PERSON, ORGANIZATION, LOCATION, EVENT)
