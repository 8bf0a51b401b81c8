"""Coreference, first step: the third-person pronouns and definite descriptions of a
document that may refer to a named entity (:func:`anaphors`), with what each tells about
its referent (type, gender, number, the noun, an apposed name, the subject it is
predicated of). :mod:`kg.extract.coref` links them.

    >>> PRONOUNS["his"].gender, PRONOUNS["themselves"].reflexive
    ('m', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from kg.data import lexicons
from kg.extract.context import DocContext
from kg.model import LOCATION, NAME, ORGANIZATION, PERSON

if TYPE_CHECKING:
    from spacy.tokens import Token

PRONOUN = "pronoun"
DESCRIPTION = "description"
ENTITY_TYPES = (PERSON, ORGANIZATION, LOCATION)
NON_PERSON = (ORGANIZATION, LOCATION)


@dataclass(frozen=True)
class PronounForm:
    """What a third-person pronoun tells about its referent."""

    gender: str | None  # "m", "f", or None (it, they)
    plural: bool = False
    reflexive: bool = False


#: Third-person pronouns (closed class: grammar, not a lexicon).
PRONOUNS: dict[str, PronounForm] = {
    "he": PronounForm("m"),
    "him": PronounForm("m"),
    "his": PronounForm("m"),
    "himself": PronounForm("m", reflexive=True),
    "she": PronounForm("f"),
    "her": PronounForm("f"),
    "hers": PronounForm("f"),
    "herself": PronounForm("f", reflexive=True),
    "it": PronounForm(None),
    "its": PronounForm(None),
    "itself": PronounForm(None, reflexive=True),
    "they": PronounForm(None, plural=True),
    "them": PronounForm(None, plural=True),
    "their": PronounForm(None, plural=True),
    "theirs": PronounForm(None, plural=True),
    "themselves": PronounForm(None, plural=True, reflexive=True),
}
#: Words before a title that do not change what it denotes ("the former minister").
QUALIFIERS = frozenset(
    "former then late new current outgoing incoming acting interim retired deputy".split()
)
#: Nouns of descriptions that denote a country, and those that denote a smaller place.
COUNTRY_NOUNS = frozenset("country nation state kingdom republic empire".split())
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "attr", "oprd"})
EMBEDDED_DEPS = frozenset({"poss", "compound", "nmod", "amod"})


@dataclass(frozen=True)
class Anaphor:
    """A pronoun or definite description that may refer to a named entity."""

    token: int  # index of its head token in the Doc
    start: int
    end: int
    text: str
    kind: str  # PRONOUN or DESCRIPTION
    types: tuple[str, ...]
    gender: str | None = None
    plural: bool = False
    reflexive: bool = False
    #: A description's noun phrase without determiner or qualifiers ("prime minister").
    noun: str = ""
    #: The noun is a job title (titles.tsv): it must match a role the document gave.
    title: bool = False
    #: A description in apposition to a name ("Acme, the company"): the token of that name.
    apposed_to: int | None = None
    #: A description that is the predicate of a copula ("She was the first woman to..."):
    #: the token of the subject.
    predicate_of: int | None = None
    #: The noun is in no lexicon: only an apposition or a predicate links it.
    open_noun: bool = False


def anaphors(ctx: DocContext) -> list[Anaphor]:
    """Third-person pronouns and definite descriptions of the document, in text order."""
    out: list[Anaphor] = []
    for token in ctx.tokens:
        lower = token.lower_
        if lower in PRONOUNS and token.pos_ in ("PRON", "DET"):
            found = _pronoun(token)
        elif token.pos_ == "NOUN":
            found = _description(ctx, token)
        else:
            found = None
        if found is not None:
            out.append(found)
    return out


def _pronoun(token: Token) -> Anaphor | None:
    form = PRONOUNS.get(token.lower_)
    if form is None or (token.lower_ == "it" and _pleonastic(token)):
        return None
    if form.gender is not None:
        types: tuple[str, ...] = (PERSON,)
    else:
        types = NON_PERSON
    return Anaphor(
        token=token.i,
        start=token.idx,
        end=token.idx + len(token.text),
        text=token.text,
        kind=PRONOUN,
        types=types,
        gender=form.gender,
        plural=form.plural,
        reflexive=form.reflexive,
    )


def _pleonastic(token: Token) -> bool:
    """ "It is likely that...", "it seems", "it was raining": an "it" that refers to nothing."""
    if token.dep_ == "expl":
        return True
    head = token.head
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if head.lemma_ in ("seem", "appear", "happen", "rain", "snow", "matter", "take"):
        return True
    if head.lemma_ == "be":
        return any(c.dep_ in ("ccomp", "xcomp", "csubj") for c in head.children) or any(
            c.dep_ in ("acomp", "attr") and any(g.dep_ in ("xcomp", "ccomp") for g in c.children)
            for c in head.children
        )
    return False


def _description(ctx: DocContext, token: Token) -> Anaphor | None:
    """ "the [qualifiers] NOUN" whose noun can stand for a named entity; in apposition to
    a name, any noun and a possessive determiner ("the nation's capital, Wellington")."""
    if token.tag_ not in ("NN",):
        return None
    left = list(token.lefts)
    first = next((t for t in left if t.dep_ != "advmod"), None)  # "also the president"
    det = _the(first) if first is not None else None
    if det is None and first is not None and first.dep_ == "compound" and first.pos_ == "NOUN":
        det = next((_the(t) for t in first.lefts if _the(t) is not None), None)  # "the match
    if det is None and first is not None and first.dep_ == "poss":
        det = next((_the(t) for t in first.lefts if _the(t) is not None), None)
        if det is None or _apposed_name(ctx, token) is None:
            return None
    if det is None:
        return None
    if _inside_name(ctx, token.idx):
        return None  # part of a name ("the Labour Party")
    apposed = _apposed_name(ctx, token)
    if apposed is None and token.dep_ == "compound" and token.head.pos_ == "PROPN":
        if ctx.mention_of_token(token.head, types=ENTITY_TYPES) is not None:
            apposed = token.head.i  # "the match referee Joel Aguilar"
    predicate = _predicate_subject(token)
    compound = _compound_name(ctx, token) if apposed is None else None
    if apposed is None and predicate is None:
        if any(c.dep_ in ("relcl", "acl") for c in token.rights):
            return None  # "the man who...": introduces someone
        if compound is None and any(
            t.dep_ == "poss" or t.pos_ in ("PROPN", "NUM") for t in left[1:]
        ):
            return None  # "the company's chairman", "the Labour leader", "the 2004 election"
    words = [t.lower_ for t in ctx.doc[det.i + 1 : token.i + 1]]
    while words and words[0] in QUALIFIERS:
        words = words[1:]
    phrase = " ".join(words)
    noun, kind = _noun_of(words)
    types: tuple[str, ...] = (kind.type,) if kind is not None else ENTITY_TYPES
    if kind is None and apposed is not None:
        named = ctx.mention_of_token(ctx.doc[apposed], types=ENTITY_TYPES)
        kind = lexicons.DescriptionNoun(named.type, None) if named is not None else None
        types = (kind.type,) if kind is not None else types
    if kind is None and predicate is None:
        return None  # a predicate takes its subject's type ("She was the recipient of...")
    if compound is not None:  # "the Scientology organization": that organization
        named = ctx.mention_of_token(ctx.doc[compound], types=NON_PERSON)
        if named is not None and kind is not None and kind.type in NON_PERSON:
            apposed = compound  # whatever type NER gave the name ("Scientology" a place)
        elif predicate is None:
            return None
    return Anaphor(
        token=token.i,
        start=det.idx,
        end=token.idx + len(token.text),
        text=ctx.text[det.idx : token.idx + len(token.text)],
        kind=DESCRIPTION,
        types=types,
        gender=kind.gender if kind is not None else None,
        noun=noun if noun else phrase,
        title=noun in lexicons.titles(),
        apposed_to=apposed,
        predicate_of=predicate,
        open_noun=kind is None,
    )


def _the(token: Token) -> Token | None:
    """The token when it is the determiner "the"."""
    return token if token.lower_ == "the" and token.dep_ == "det" else None


def _predicate_subject(token: Token) -> int | None:
    """The token of what ``token`` is said to be: the subject of "be", "become", "remain"
    ("She was the recipient"); after "as", the object ("described her as the best
    pupil") or else the subject ("he served as the head of...")."""
    if token.dep_ == "pobj" and token.head.lower_ == "as" and token.head.dep_ == "prep":
        verb = token.head.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        found = next((c for c in verb.children if c.dep_ == "dobj"), None)
        found = found or next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        return found.i if found is not None else None
    if token.dep_ != "attr" or token.head.lemma_ not in ("be", "become", "remain"):
        return None
    subject = next((c for c in token.head.children if c.dep_ in SUBJECT_DEPS), None)
    return subject.i if subject is not None else None


def _inside_name(ctx: DocContext, char: int) -> bool:
    nearby = ctx.mentions_between(max(0, char - 200), char + 200)
    return any(m.kind == NAME and m.start <= char < m.end for m in nearby)


@lru_cache(maxsize=1)
def description_nouns() -> dict[str, lexicons.DescriptionNoun]:
    """Nouns a definite description may have: ``coref_nouns.tsv`` and the place and venue
    nouns only coreference reads (``coref_description_nouns.tsv``)."""
    text = resources.files("kg.data").joinpath("coref_description_nouns.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and line[0] != "#"][1:]
    more = {r[0]: lexicons.DescriptionNoun(r[1], r[2] if r[2] != "-" else None) for r in rows}
    return {**lexicons.description_nouns(), **more}


def _noun_of(words: Sequence[str]) -> tuple[str, lexicons.DescriptionNoun | None]:
    """The longest title or description noun ending the words, and what it stands for."""
    titles = lexicons.titles()
    nouns = description_nouns()
    for i in range(len(words)):
        candidate = " ".join(words[i:])
        if titles.get(candidate) in (lexicons.LEADER, lexicons.MEMBER):
            known = nouns.get(candidate)
            return candidate, known or lexicons.DescriptionNoun(PERSON, None)
        if candidate in nouns:
            return candidate, nouns[candidate]
    return "", None


def _compound_name(ctx: DocContext, token: Token) -> int | None:
    """The token of a name that modifies the noun ("the Scientology organization")."""
    for child in token.lefts:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            if ctx.mention_of_token(child, types=ENTITY_TYPES) is not None:
                return child.i
    return None


def _apposed_name(ctx: DocContext, token: Token) -> int | None:
    """The token of a name this description is in apposition to ("Acme, the company")."""
    if token.dep_ == "appos" and ctx.mention_of_token(token.head, types=ENTITY_TYPES):
        return token.head.i
    for child in token.children:
        if child.dep_ == "appos" and ctx.mention_of_token(child, types=ENTITY_TYPES):
            return child.i
    for prep in token.rights:  # "the head of NATO, Hoop Scheffer": the parse hangs the
        if prep.dep_ != "prep" or prep.lower_ != "of":  # name on "NATO"
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj" or ctx.mention_of_token(pobj, types=NON_PERSON) is None:
                continue
            for child in pobj.children:
                if child.dep_ == "appos" and ctx.mention_of_token(child, types=(PERSON,)):
                    return child.i
    return None
