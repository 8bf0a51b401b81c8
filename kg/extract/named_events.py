"""Names of events that NER misses or types as something else.

Three sources, all data in ``kg/data``:

* a list of recurring events whose name ends in no event word (``event_names.tsv``:
  "Six Nations", "Premiership", "Oscars"), matched with their capitals;
* a capitalised name of two words or more ending in an event word (``event_heads.tsv``:
  "Berlin Film Festival", "FA Cup", "Australian Open", "the Power Inquiry"), whatever
  type NER gave it;
* a name followed by an event word in lower case, when that name stands nowhere else in
  the text ("the MacWorld conference", "the Hutton inquiry": the name is the event's,
  not a participant's; a name ending in an organization word, "the North Atlantic
  Alliance summit", still names who meets), and a date before "attacks"/"bombings"
  ("the 11 September attacks").

Each becomes an Event mention (kind ``name``, its class as subtype); one NER already
typed as an event is left alone. :func:`competition` says whether a name is a
competition's, in which teams and players take part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.data import lexicons
from kg.extract.context import DocContext
from kg.model import DATE, DATE_VALUE, EVENT, LOCATION, NAME, ORGANIZATION, PERSON, Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

EXTRACTOR = "events"
CONFIDENCE = 0.75
#: Event words that follow a date in a name ("the 11 September attacks").
DATED_HEADS = frozenset({"attacks", "bombings"})
#: Words that may open a capitalised event name and are not part of it.
_LEADING = frozenset({"the", "this", "last", "next", "a", "an"})


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    cls: str


def named_event_mentions(ctx: DocContext) -> Iterator[Mention]:
    """Event mentions for the event names NER missed or typed otherwise (see the module
    docstring); the longest of overlapping ones."""
    found = [*_listed(ctx.text), *_headed(ctx), *_modified(ctx)]
    events = [(m.start, m.end) for m in ctx.mentions if m.type == EVENT and m.kind == NAME]
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if any(a < f.end and f.start < b for a, b in events):
            continue
        if any(k.start < f.end and f.start < k.end for k in kept):
            continue
        kept.append(f)
    for f in kept:
        text = ctx.text[f.start : f.end]
        name = " ".join(text.split())
        yield Mention(
            doc_id=ctx.doc_id,
            text=text,
            name=name,
            type=EVENT,
            start=f.start,
            end=f.end,
            sentence=ctx.sentence_text(ctx.sentence_of(f.start)),
            label="EVENT",
            subtype=f.cls if f.cls != EVENT else None,
            confidence=CONFIDENCE,
            extractor=EXTRACTOR,
        )


def competition(name: str) -> bool:
    """True when ``name`` is a competition's ("Six Nations", "FA Cup", "Australian Open")."""
    listed = lexicons.event_names().get(" ".join(name.split()))
    if listed is not None:
        return listed[1]
    head = _head_of(name.split())
    return head is not None and head.competition


def _head_of(words: list[str]) -> lexicons.EventHead | None:
    heads = lexicons.event_heads()
    if len(words) >= 2 and (pair := f"{words[-2]} {words[-1]}".lower()) in heads:
        return heads[pair]
    return heads.get(words[-1].lower()) if words else None


@lru_cache(maxsize=1)
def _listed_regex() -> re.Pattern[str]:
    names = sorted(lexicons.event_names(), key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(n) for n in names)})(?![\w-])")


def _listed(text: str) -> Iterator[Found]:
    for match in _listed_regex().finditer(text):
        name = " ".join(match.group().split())
        yield Found(match.start(), match.end(), lexicons.event_names()[name][0])


def _capitalised(token: Token) -> bool:
    """A word of a name: capitalised (not a whole word in capitals, as in a headline,
    unless short like "FA") or a number inside it."""
    text = token.text
    if text[:1].isdigit():
        return True
    if not text[:1].isupper():
        return False
    return not (text.isupper() and len(text) > 3)


def _headed(ctx: DocContext) -> Iterator[Found]:
    """ "Berlin Film Festival", "FA Cup": capitalised words ending in a capitalised head."""
    heads = lexicons.event_heads()
    doc = ctx.doc
    proper: frozenset[str] | None = None  # read from the whole text once, when first needed
    for token in ctx.tokens:
        key = token.lower_
        first = token.i
        if token.i > 0 and f"{doc[token.i - 1].lower_} {key}" in heads:
            key, first = f"{doc[token.i - 1].lower_} {key}", token.i - 1  # "Grand Prix"
        head = heads.get(key)
        if head is None or not head.capital or not _capitalised(token):
            continue
        if token.i + 1 < len(doc) and _capitalised(doc[token.i + 1]) and doc[token.i + 1].is_alpha:
            continue  # "League Cup", "Open University": the name goes on
        start = first
        sentence_start = ctx.sentence_of_token(token.i).start
        while start - 1 >= sentence_start and _name_word(doc[start - 1]):
            start -= 1
        while start < first and (doc[start].lower_ in _LEADING or doc[start].like_num):
            start += 1  # "the 1986 Tokyo Summit" is the Tokyo Summit
        if start == first:
            continue  # a head alone ("the Cup") or after a year only
        if start == sentence_start:
            proper = _proper_words(ctx) if proper is None else proper
            if doc[start].lower_ not in proper:
                continue  # a sentence's first word is capitalised anyway
        yield Found(doc[start].idx, token.idx + len(token.text), head.cls)


def _name_word(token: Token) -> bool:
    return _capitalised(token) and token.tag_ != "POS" and token.text not in ("'", "’")


def _proper_words(ctx: DocContext) -> frozenset[str]:
    """Words the document also writes capitalised inside a sentence (names, not just a
    sentence's first word)."""
    starts = set(ctx.sentence_starts)
    return frozenset(t.lower_ for t in ctx.tokens if t.i not in starts and t.text[:1].isupper())


def _modified(ctx: DocContext) -> Iterator[Found]:
    """ "the MacWorld conference", "the Hutton inquiry", "the 11 September attacks"."""
    heads = lexicons.event_heads()
    doc = ctx.doc
    for token in ctx.tokens:
        head = heads.get(token.lower_)
        if head is None or not head.lower or not token.text.islower():
            continue
        before = token.i - 1
        if before >= 0 and doc[before].pos_ == "NOUN" and doc[before].text.islower():
            before -= 1  # "Berlin film festival"
        if before < 0:
            continue
        prev = doc[before]
        name = ctx.mention_of_token(prev, types=(PERSON, ORGANIZATION, LOCATION))
        if name is not None and name.kind == NAME and name.end <= prev.idx + len(prev.text):
            if _only_before_event_words(ctx, name) and not _organization_name(name.name):
                yield Found(name.start, token.idx + len(token.text), head.cls)
            continue
        date = ctx.mention_of_token(prev, types=(DATE,))
        if date is not None and date.kind == DATE_VALUE and token.lower_ in DATED_HEADS:
            yield Found(date.start, token.idx + len(token.text), head.cls)


def _organization_name(name: str) -> bool:
    """ "North Atlantic Alliance", "Labour Party": a name ending in an organization word
    names who meets at its summit or conference, not the event."""
    words = name.split()
    return len(words) > 1 and lexicons.type_heads().get(words[-1].lower()) == ORGANIZATION


def _only_before_event_words(ctx: DocContext, mention: Mention) -> bool:
    """True when every occurrence of the mention's words in the text comes right before
    an event word (maybe after one lower-case noun): the name is the event's own."""
    heads = lexicons.event_heads()
    surface = ctx.text[mention.start : mention.end]
    for match in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", ctx.text):
        after = ctx.text[match.end() : match.end() + 40].split()
        words = [w.strip(".,;:'\"()").lower() for w in after[:2]]
        if not words or not (words[0] in heads or (len(words) > 1 and words[1] in heads)):
            return False
    return True
