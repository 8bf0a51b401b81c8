"""Small helpers over spaCy's dependency parse, shared by the extractors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kg.model import REFERENCE, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from kg.extract.context import DocContext

FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
FUTURE_LEMMAS = frozenset({"schedule", "plan", "expect", "set", "due", "prepare", "intend", "hope"})
PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
#: Where :func:`doc_text` keeps a Doc's text in ``Doc.user_data``.
_TEXT_KEY = "kg.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc (spaCy joins the tokens' texts on every call).

    Extractors holding only a span reach the whole text through this rather than
    ``span.doc.text``.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return str(text)


def keep_text(doc: Doc, text: str) -> None:
    """Give :func:`doc_text` the string ``doc`` was parsed from, so it is never rebuilt.

    spaCy's tokenizer loses no character (``doc.text == text``); the string is kept only
    when the last token ends where ``text`` does, a cheap check of that.
    """
    end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if end == len(text):
        doc.user_data[_TEXT_KEY] = text


def governing_verb(token: Token) -> Token | None:
    """The nearest verb or auxiliary above ``token`` (itself if it is one)."""
    current = token
    for _ in range(12):
        if current.pos_ in ("VERB", "AUX"):
            return current
        if current.head is current:
            return None
        current = current.head
    return None


def clause_verbs(verb: Token) -> Iterator[Token]:
    """A verb and the verbs it heads through xcomp/conj/aux chains ("is scheduled to attend")."""
    yield verb
    current = verb
    for _ in range(4):
        if current.head is current or current.dep_ not in ("xcomp", "ccomp", "conj", "advcl"):
            break
        current = current.head
        yield current


def tense_of(token: Token) -> str | None:
    """ "past", "future" or None for the clause around ``token``."""
    verb = governing_verb(token)
    if verb is None:
        return None
    for v in clause_verbs(verb):
        if any(c.lower_ in FUTURE_AUX for c in v.children if c.dep_ in ("aux", "auxpass")):
            return "future"
        if v.lemma_ in FUTURE_LEMMAS:
            return "future"
    if verb.tag_ in ("VBD", "VBN") or any(
        c.tag_ == "VBD" for c in verb.children if c.dep_ in ("aux", "auxpass")
    ):
        return "past"
    return None


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, climbing through xcomp/conj to the verb that has one."""
    current = verb
    for _ in range(5):
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0]
        if current.head is current or current.dep_ not in (
            "xcomp",
            "conj",
            "advcl",
            "ccomp",
            "relcl",
            "acl",
            "pcomp",
        ):
            return None
        current = current.head
    return None


def conjuncts(token: Token) -> list[Token]:
    """A token and the tokens coordinated with it ("Biden and Putin").

    Stops after the conjunct that follows "and"/"or": in "between Biden and Putin,
    Sikorski said" the parser often attaches "Sikorski" as one more conjunct.
    """
    out = [token]
    for conj in sorted(token.conjuncts, key=lambda t: t.i):
        if conj.i < token.i:
            continue
        out.append(conj)
        between = token.doc[out[-2].i + 1 : conj.i]
        if any(t.dep_ == "cc" for t in between):
            break
    return out


def all_conjuncts(token: Token) -> list[Token]:
    """A token and every token coordinated with it, in text order, past any "and" (a list
    in brackets: "(Canada, the United States, Japan...)"); :func:`conjuncts` stops there."""
    return sorted([token, *token.conjuncts], key=lambda t: t.i)


def prep_objects(
    heads: Iterable[Token], words: Iterable[str], *, deps: tuple[str, ...] = ("prep",)
) -> list[Token]:
    """The objects of the prepositions ``words`` attached (by ``deps``) to ``heads``, in
    order: "held talks with Sarney" → Sarney, "a win over England" → England."""
    wanted = frozenset(words)
    return [
        obj
        for head in heads
        for prep in head.children
        if prep.dep_ in deps and prep.lower_ in wanted
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]


def mention_for(ctx: DocContext, token: Token, types: Iterable[str]) -> Mention | None:
    """The named mention at a token: for a pronoun or description that coreference linked
    (a ``reference``), its antecedent; else the person a personal pronoun most likely
    refers to. A fact built on it spans the antecedent's sentence too."""
    mention = ctx.mention_of_token(token, types=types)
    if mention is not None and mention.kind == REFERENCE and mention.antecedent is not None:
        return mention.antecedent
    if mention is not None:
        return mention
    if token.lower_ in PRONOUNS and "Person" in set(types):
        return antecedent(ctx, token.idx)
    if "Person" in set(types):
        return surname_of_earlier(ctx, token)
    return None


def surname_of_earlier(ctx: DocContext, token: Token) -> Mention | None:
    """A bare surname NER missed ("Conable will meet…"): the one person named in full
    before it whose name ends with that word."""
    if (
        token.pos_ not in ("PROPN", "NOUN", "ADJ")
        or not token.text[:1].isupper()
        or len(token.text) < 3
    ):
        return None
    earlier = [
        m
        for m in ctx.mentions_between(0, token.idx, types=("Person",))
        if m.kind != REFERENCE and " " in m.name and m.name.split()[-1] == token.text
    ]
    return earlier[-1] if len({m.name for m in earlier}) == 1 else None


def antecedent(ctx: DocContext, char: int, *, window: int = 600) -> Mention | None:
    """The person coreference linked the pronoun at ``char`` to, else the closest person
    mentioned before ``char`` (in this or the previous sentences)."""
    linked = ctx.mention_at(char, types=("Person",))
    if linked is not None and linked.kind == REFERENCE and linked.antecedent is not None:
        return linked.antecedent
    candidates = ctx.mentions_between(max(0, char - window), char, types=("Person",))
    return candidates[-1] if candidates else None
