"""Job titles around person names: ``role``, ``leaderOf``, ``affiliatedWith``, ``nationality``.

Patterns (all driven by the title lexicon in ``kg/data/titles.tsv`` and the demonym
table in ``kg/data/countries.tsv``):

* before the name: "NATO Secretary General Jens Stoltenberg", "Belgian Prime Minister
  Alexander De Croo", "Ex-US President Donald Trump", "Verts / ALE group co-leader
  Philippe Lamberts", "the President of the European Council Charles Michel";
* apposition after the name: "Ian Bond, director of foreign policy for the Center for
  European Reform", "Tim Wright, ICAN Treaty Coordinator and co-author of the report";
* copula: "Biden is the most Atlanticist US president", "X was chairman of Y";
* a possessive owner: "Acme's chief executive, Maria Lopez", "Peter Smith, who is now
  Barclays' finance director", "its chief executive, Jack Law" (the organization the
  text was talking about: a coreference's antecedent when there is one), "Labour's Ken
  Livingstone" (no title: affiliatedWith);
* a party word before the title (``kg/data/parties.tsv``): "Labour peer Baroness
  Kennedy", "Tory leader Michael Howard", "Liberal Democrat spokesman Phil Willis";
* "Ex-US President Donald Trump": the country, formerly (the entities extractor leaves
  the glued "Ex-" out of the place's mention; it reads as "former" before the title).

A leader title (president, chairman...) attached to an organization or a place gives
``leaderOf``; another title gives ``affiliatedWith`` (organizations) or nothing more
(places); a demonym or a country before the title gives ``nationality``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.data import lexicons
from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec
from kg.model import DEMONYM, LOCATION, NAME, ORGANIZATION, PERSON, REFERENCE, Fact, Mention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

EXTRACTOR = "roles"
ORG_LIKE = (ORGANIZATION, LOCATION)
_FORMER = re.compile(r"(?:\b(?:ex|former)\s*-?\s*)$", re.IGNORECASE)
_CONNECTOR = re.compile(r"^\s*(?:of|for|at|with|in)\s+(?:the\s+)?$", re.IGNORECASE)
_TITLE_OF = re.compile(r"(?P<title>\S.*?)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:.!?\"“”\n]|,\s+(?:who|which|said|says|told|and\s+(?:he|she))\b")
#: "X, [who is now] [the] ...": what may open an apposition after a name.
_APPOSITION_OPENING = re.compile(
    r"\s*,\s*(?:(?:who|which)\s+(?:is|was|has\s+been|had\s+been|became|becomes|remains|will\s+be)\s+)?"
    r"(?:(?:now|currently|also|still|then|later)\s+)?(?:(?:the|a|an)\s+)?",
    re.IGNORECASE,
)
#: "at industry magazine ": a connector, a modifier or two and an organization noun.
_DESCRIBED_CONNECTOR = re.compile(
    r"^\s*(?:of|for|at|with)\s+(?:the\s+|an?\s+)?(?:[a-z][\w-]*\s+){0,2}?(?P<noun>[a-z]+)\s+$"
)
#: " on finance for the liberal ": a topic after the title, then "for/at/with" and at most
#: one lower-case modifier before an organization's name.
_TOPIC_CONNECTOR = re.compile(
    r"^\s+on\s+[a-z][\w-]*(?:\s+(?:and\s+)?[a-z][\w-]*)?\s+(?:for|at|with)\s+(?:the\s+)?"
    r"(?:[a-z][\w-]*\s+)?$"
)
_POSSESSIVE_BEFORE = re.compile(r"(?:['’]s|(?<=s)['’])\s+$")


@dataclass(frozen=True)
class Attachment:
    """What a title hangs on: an organization/place mention and/or a demonym's country."""

    org: Mention | None = None
    country: Mention | None = None
    former: bool = False
    direct: bool = True  # "chairman of NATO" (direct) vs "chairman of NATO's delegation"
    #: Where the words that attach the title start, when not at ``org`` ("its chief ...").
    at: int | None = None


def extract_roles(ctx: DocContext) -> Iterator[Mention | Fact]:
    """Role, leadership, affiliation and nationality facts for every person mention."""
    for person in [m for m in ctx.mentions if m.type == PERSON and m.kind != REFERENCE]:
        if person.text.isupper():
            continue  # "ENVOY ADVISES NAKASONE": a headline in capitals, no name to trust
        yield from _before_name(ctx, person)
        yield from _apposition(ctx, person)
        yield from _of_organization(ctx, person)
        yield from _sits_on(ctx, person)
    yield from _copulas(ctx)


def normalize_role(title: str) -> str:
    """ "secretary  general" → "Secretary general"; keeps the text's capitals otherwise."""
    title = " ".join(title.split())
    title = re.sub(r"\s*-\s*", "-", title)
    return title[:1].upper() + title[1:] if title.islower() else title


def _facts(
    ctx: DocContext,
    person: Mention,
    title: str,
    attachment: Attachment,
    start: int,
    confidence: float,
    head: str | None = None,
    title_start: int | None = None,
    end: int | None = None,
) -> Iterator[Mention | Fact]:
    kind = lexicons.title_kind(head or title)
    if kind is None or kind == lexicons.HONORIFIC:
        return
    if _names_its_office(attachment, title, title_start):
        kind = lexicons.LEADER  # "U.S. Treasury Secretary": the secretary heads the Treasury
    # "Dutch co-chairman X", "the UK-based co-chairman": a company's title leads no place
    leads_places = kind == lexicons.LEADER and (
        lexicons.title_key(head or title) not in lexicons.organization_leader_titles()
    )
    role = normalize_role(title)
    if attachment.former and not re.match(r"(?i)(ex|former)\b", role):
        role = f"former {role}"
    evidence = ctx.evidence(
        min(start, person.start), max(end or 0, person.end), EXTRACTOR, confidence
    )
    yield Fact(person, "role", role, evidence)
    if attachment.country is not None:
        if attachment.country not in ctx.mentions:
            yield attachment.country
        if is_country(attachment.country.name):
            yield Fact(person, "nationality", attachment.country, _lower(evidence, 0.85))
        if leads_places and attachment.org is None and attachment.direct:
            yield Fact(person, "leaderOf", attachment.country, _lower(evidence, 0.9))
    org = attachment.org
    if org is None:
        return
    if org not in ctx.mentions:
        yield org
    if org.type == LOCATION:
        if attachment.country is None and is_country(org.name):
            yield Fact(person, "nationality", org, _lower(evidence, 0.8))
        if leads_places and attachment.direct:
            yield Fact(person, "leaderOf", org, _lower(evidence, 0.9))
    elif kind == lexicons.LEADER and attachment.direct:
        yield Fact(person, "leaderOf", org, _lower(evidence, 0.95))
    else:
        yield Fact(person, "affiliatedWith", org, _lower(evidence, 0.9))


#: Title heads that name the office they lead when the office's name is in the title.
_OFFICE_HEADS = ("secretary", "minister")


def _names_its_office(attachment: Attachment, title: str, title_start: int | None) -> bool:
    """True when the organization's name runs into the title ("U.S. Treasury Secretary":
    the organization "U.S. Treasury" ends inside the title "Treasury Secretary")."""
    org = attachment.org
    return (
        org is not None
        and org.type == ORGANIZATION
        and title_start is not None
        and org.end > title_start
        and title.lower().split()[-1] in _OFFICE_HEADS
    )


def is_country(name: str) -> bool:
    """True when ``name`` is a country of the lexicon, not a continent or a state of one
    ("London mayor X", "California attorney general X": no nationality)."""
    key = " ".join(name.split()).lower()
    if key not in lexicons.places().canonical:
        return False
    place = lexicons.gazetteer().get(key)
    return (place is None or place.kind != "continent") and key not in lexicons.not_nations()


def _lower(evidence, factor: float):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(evidence, confidence=round(evidence.confidence * factor, 3))


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _before_name(ctx: DocContext, person: Mention) -> Iterator[Mention | Fact]:
    """Titles right before a name: "[ORG|demonym] [modifiers] TITLE Name"."""
    text = ctx.text
    zone_start = max(_line_start(text, person.start), person.start - 150)
    zone = text[zone_start : person.start]
    confidence = 0.9
    zone = _without_honorifics(zone)  # "Labour peer Baroness Kennedy"
    comma = bool(re.search(r",\s*$", zone))
    if comma:  # "Acme's chief executive, Maria Lopez"
        zone = zone[: zone.rstrip().rfind(",")]
        confidence = 0.85
    match = lexicons.title_suffix_regex().search(zone)
    if match and comma and not _in_apposition(ctx, zone_start + match.end("title"), person):
        return  # "claims that he did not trust the prime minister, Mr Brown replied"
    if match:
        title_start = zone_start + match.start("title")
        title_start = _qualified_start(ctx, title_start)
        title = ctx.text[title_start : zone_start + match.end("title")].strip()
        attachment = _attachment_left_of(ctx, title_start)
        if attachment.org is None and attachment.country is None:
            # "BBC chairman Gavyn Davies, director-general Greg Dyke and reporter X"
            shared = _list_attachment(ctx, title_start)
            if shared is not None:
                attachment, confidence = shared, 0.8
        yield from _facts(
            ctx,
            person,
            title,
            attachment,
            attachment_start(attachment, title_start),
            confidence,
            title_start=title_start,
        )
        return
    if confidence < 0.9:
        return
    demonym = _demonym_described(ctx, person)
    if demonym is not None:
        yield from demonym
        return
    owner = _possessive_owner(ctx, zone_start + len(zone.rstrip()) + 1)
    if owner is not None and owner.type == ORGANIZATION and person.kind == NAME:
        # "Labour's Ken Livingstone", "Flight International's Mr Learmount": one of theirs
        evidence = ctx.evidence(owner.start, person.end, EXTRACTOR, 0.75)
        yield Fact(person, "affiliatedWith", owner, evidence)
        return
    # "the President of the European Council Charles Michel"
    org = _mention_ending_at(ctx, person.start, ORG_LIKE)
    if org is None:
        return
    before_org = text[max(zone_start, org.start - 80) : org.start]
    before_org = before_org[_last_line(before_org) :]
    title_of = _TITLE_OF.search(before_org)
    if title_of:
        candidate = lexicons.title_suffix_regex().search(before_org[: title_of.end("title")] + " ")
        if candidate:
            title_start = org.start - len(before_org) + candidate.start("title")
            yield from _facts(
                ctx, person, candidate.group("title"), Attachment(org=org), title_start, 0.85
            )


#: Words a title's qualifier may not start with ("new chairman", "current president").
_NOT_QUALIFIERS = frozenset({"new", "current", "present", "newly", "veteran", "top", "then"})


def _in_apposition(ctx: DocContext, title_end: int, person: Mention) -> bool:
    """True when the title ending at ``title_end`` and the name after its comma are one
    noun phrase in the parse (an ``appos`` link between them, either way)."""
    tokens = _tokens_ending_by(ctx, title_end)
    if not tokens:
        return False
    title = tokens[-1]
    names = [t for t in ctx.doc[title.i + 1 : title.i + 12] if person.start <= t.idx < person.end]
    return any(
        (t.dep_ == "appos" and t.head.i == title.i) or (title.dep_ == "appos" and title.head == t)
        for t in names
    )


def _qualified_start(ctx: DocContext, title_start: int) -> int:
    """Where a title's qualifiers start: "Shadow local government [secretary]", "Trade and
    Industry [Secretary]", "U.S. trade [representative]", "Euro [MP]" (at most three
    words that are neither a mention, a demonym nor a party word; a lower-case adjective
    only before a noun)."""
    tokens = _tokens_ending_by(ctx, title_start)
    start = title_start
    taken: list[Token] = []
    for token in reversed(tokens[max(0, len(tokens) - 6) :]):
        if len(taken) >= 3 or "\n" in token.text_with_ws:
            break
        if token.lower_ == "and" and taken:
            taken.append(token)  # "Trade and Industry", "music and marketing"
            continue
        if not _qualifier_word(ctx, token, first=not taken):
            break
        if token.head.i < token.i and token.dep_ != "conj":
            break  # "told reporters [President] Regan": the object of a verb before it
        if ctx.text[token.idx - 1 : token.idx] == "-":
            break  # "first-choice [keeper]": half a compound is no qualifier
        taken.append(token)
        start = token.idx
    if taken and taken[-1].lower_ == "and":  # "X and [Industry Secretary]": not one title
        return int(taken[-2].idx)
    return start


def _qualifier_word(ctx: DocContext, token: Token, *, first: bool) -> bool:
    """True when ``token`` may qualify a title right after it ("local", "Trade")."""
    word = token.text
    if token.is_punct or token.is_stop or token.like_num or not word[:1].isalpha():
        return False
    capital = word[:1].isupper()
    if (
        token.pos_ not in ("NOUN", "PROPN", "ADJ") and not capital
    ) or word.lower() in _NOT_QUALIFIERS:
        return False
    if first and token.pos_ == "ADJ" and word.islower():
        return False  # "new chairman": an adjective right before the title is no qualifier
    if ctx.mention_of_token(token) is not None or (word.isupper() and len(word) > 1):
        return False  # a name, or an acronym NER missed ("WMC chief executive")
    lower = word.lower()
    if (
        lower in lexicons.organization_nouns()
        and token.i > 0
        and _names_something(ctx, token.nbor(-1))
    ):
        return False  # "ALE group co-leader": the group is the organization, not the title
    places = lexicons.places()
    pair = f"{token.nbor(-1).lower_} {lower}" if token.i > 0 else lower
    return (
        pair not in lexicons.parties()  # "Lib Dem"
        and lower not in places.demonyms
        and lower not in places.canonical
        and lower not in lexicons.parties()
        and lower not in lexicons.honorifics()
        and lower not in lexicons.titles()
    )


def _names_something(ctx: DocContext, token: Token) -> bool:
    """True when ``token`` is an acronym or part of a mention ("ALE" of "ALE group")."""
    word = token.text
    return (word.isupper() and len(word) > 1) or ctx.mention_of_token(token) is not None


#: "American sprinter Kelli White", "England lock Danny Grewcock", "Frenchman Arnaud
#: Clement": a demonym or a country, at most three lower-case words, then the name.
_DESCRIBED_PERSON = re.compile(r"^(?:\s+(?P<words>(?:[a-z][\w-]*\s+){1,3}))?$")


def _demonym_described(ctx: DocContext, person: Mention) -> list[Mention | Fact] | None:
    """Nationality (and a role when the last word is a title) from a demonym or a
    country's name right before a person described by common nouns; None when absent."""
    if person.kind != NAME:
        return None
    text = ctx.text
    zone_start = max(_line_start(text, person.start), person.start - 60)
    places = [
        m
        for m in ctx.mentions_between(zone_start, person.start, types=(LOCATION,))
        if m.end <= person.start and is_country(m.name)
    ]
    if not places:
        return None
    place = places[-1]
    gap = text[place.end : person.start]
    match = _DESCRIBED_PERSON.match(gap) if gap.strip() else None
    noun_demonym = not gap.strip() and place.kind == DEMONYM and gap == " "
    if match is None and not noun_demonym:
        return None
    if place.kind != DEMONYM and match is None:
        return None
    words = (match.group("words") or "").split() if match else []
    if words and not _describes_a_person(words[-1]):
        return None  # "Japanese businessmen called on Takeshita": no person described
    if any(w in lexicons.organization_nouns() for w in words):
        return None  # "Australian building products group James Hardie"
    evidence = ctx.evidence(place.start, person.end, EXTRACTOR, 0.8)
    out: list[Mention | Fact] = [Fact(person, "nationality", place, evidence)]
    if words and lexicons.title_kind(words[-1]) not in (None, lexicons.HONORIFIC):
        role = " ".join(words)
        out.append(Fact(person, "role", normalize_role(role), evidence))
    return out


def _describes_a_person(word: str) -> bool:
    """True when ``word`` is a job title or a noun for a person ("sprinter", "star")."""
    kind = lexicons.title_kind(word)
    return (kind is not None and kind != lexicons.HONORIFIC) or word in lexicons.person_nouns()


#: "John Smith of Barclays", "Brett Lock of gay group OutRage!", "analyst Ray Neidl at
#: Calyon Securities", "Jane Roe, from the Widget Association": right after a name,
#: "of"/"at"/", from", then at most an organization noun with its modifiers before the
#: organization's name.
_OF_ORGANIZATION = re.compile(
    r"(?:[ \t]+(?P<prep>of|at)|[ \t]*,[ \t]*(?P<prep2>from))\s+(?:the\s+)?"
)
_POSSESSIVE_AFTER = re.compile(r"['’]")
_ORGANIZATION_DESCRIPTION = re.compile(r"(?:(?:[a-z][\w-]*\s+){0,2}(?P<noun>[a-z]+)\s+)?")


def _of_organization(ctx: DocContext, person: Mention) -> Iterator[Fact]:
    """ "Name of/at ORG": the person belongs to the organization (``affiliatedWith``)."""
    if person.kind != NAME:
        return
    match = _OF_ORGANIZATION.match(ctx.text, person.end)
    if match is None:
        return
    orgs = ctx.mentions_between(match.end(), match.end() + 80, types=(ORGANIZATION,))
    if not orgs:
        return
    org = min(orgs, key=lambda m: m.start)
    described = _ORGANIZATION_DESCRIPTION.fullmatch(ctx.text, match.end(), org.start)
    if org.kind != NAME or described is None or _POSSESSIVE_AFTER.match(ctx.text, org.end):
        return  # "analyst X of Inbev's strong performance": of the thing, not the firm
    noun = described.group("noun")
    if noun is not None and noun not in lexicons.organization_nouns():
        return
    confidence = 0.75 if match.group("prep") == "of" else 0.7  # "at", ", from"
    yield Fact(
        person, "affiliatedWith", org, ctx.evidence(person.start, org.end, EXTRACTOR, confidence)
    )


#: "X, who sits on the executive of Y", "X, who serves on the board of Y".
_SITS_ON = re.compile(
    r"\s*,\s*who\s+(?:sits|sat|serves|served|has\s+sat|has\s+served)\s+on\s+(?:the\s+)?"
    r"(?:[a-z]+\s+){0,2}?(?:board|executive|committee|council|panel)\s+(?:of|at)\s+(?:the\s+)?",
    re.IGNORECASE,
)


def _sits_on(ctx: DocContext, person: Mention) -> Iterator[Fact]:
    """ "X, who sits on the executive of Y": the person is a member (``affiliatedWith``)."""
    match = _SITS_ON.match(ctx.text, person.end)
    if match is None:
        return
    org = ctx.mention_at(match.end(), types=(ORGANIZATION,))
    if org is not None and org.start == match.end():
        evidence = ctx.evidence(person.start, org.end, EXTRACTOR, 0.8)
        yield Fact(person, "affiliatedWith", org, evidence)


_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)$")


def _list_attachment(ctx: DocContext, title_start: int, depth: int = 0) -> Attachment | None:
    """The organization of the list item before a bare title ("BBC chairman Gavyn Davies,
    director-general Greg Dyke"): the items of one list of titled people share it."""
    text = ctx.text
    join = _LIST_JOIN.search(text[max(0, title_start - 8) : title_start])
    if join is None or depth > 4:
        return None
    end = title_start - (len(text[max(0, title_start - 8) : title_start]) - join.start())
    before = [
        m for m in ctx.mentions_between(max(0, end - 80), end, types=(PERSON,)) if m.end == end
    ]
    if not before:
        return None
    previous = before[-1]
    zone_start = max(_line_start(text, previous.start), previous.start - 150)
    match = lexicons.title_suffix_regex().search(
        _without_honorifics(text[zone_start : previous.start])
    )
    if match is None:
        return None
    start = zone_start + match.start("title")
    attachment = _attachment_left_of(ctx, start)
    if attachment.org is not None and attachment.org.type == ORGANIZATION:
        return Attachment(org=attachment.org, direct=attachment.direct, at=attachment.org.start)
    if attachment.org is None and attachment.country is None:
        return _list_attachment(ctx, start, depth + 1)
    return None


def _last_line(text: str) -> int:
    return text.rfind("\n") + 1


def attachment_start(attachment: Attachment, default: int) -> int:
    if attachment.at is not None:
        return min(default, attachment.at)
    starts = [m.start for m in (attachment.org, attachment.country) if m is not None]
    return min([default, *starts])


def _possessor(ctx: DocContext, mention: Mention) -> Mention | None:
    """ "The SNP's Holyrood leader": the organization owning the body the title names
    leads through it (the gold convention: leader of its group is leader of the party)."""
    owner = _possessive_owner(ctx, mention.start)
    return owner if owner is not None and owner.type == ORGANIZATION else None


def _without_honorifics(zone: str) -> str:
    """The text before a name without the honorifics that end it ("peer Baroness " → "peer ")."""
    while True:
        words = zone.rstrip().rsplit(None, 1)
        if len(words) < 2 or words[1].lower() not in lexicons.honorifics():
            return zone
        zone = zone[: zone.rstrip().rfind(words[1])]


def _possessive_owner(ctx: DocContext, pos: int) -> Mention | None:
    """The organization or place right before ``pos`` with a possessive ("Labour's ")."""
    before = ctx.text[max(0, pos - 4) : pos]
    found = _POSSESSIVE_BEFORE.search(before)
    if found is None:
        return None
    end = pos - (len(before) - found.start())
    candidates = ctx.mentions_between(max(0, end - 120), end, types=ORG_LIKE)
    candidates = [m for m in candidates if m.end == end]
    return max(candidates, key=lambda m: m.end - m.start) if candidates else None


def _referent_organization(ctx: DocContext, token) -> Mention | None:  # type: ignore[no-untyped-def]
    """What "its"/"their" stands for: the antecedent coreference gives, else the last
    organization named before it in this or the previous sentence."""
    reference = ctx.mention_at(token.idx)
    if reference is not None and reference.kind == REFERENCE and reference.antecedent is not None:
        antecedent = reference.antecedent
        return antecedent if antecedent.type == ORGANIZATION else None
    sentence = token.sent
    start = sentence.start_char
    if sentence.start > 0:
        start = token.doc[sentence.start - 1].sent.start_char
    found = [
        m for m in ctx.mentions_between(start, token.idx, types=(ORGANIZATION,)) if m.kind == NAME
    ]
    return found[-1] if found else None


def _party_mention(ctx: DocContext, tokens) -> Mention | None:  # type: ignore[no-untyped-def]
    """A party named by a party word ("Tory", "Liberal Democrat") at ``tokens``: a mention
    with the name the document gives the party elsewhere, or the party's own name."""
    if not all(t.text[:1].isupper() for t in tokens):
        return None
    party = lexicons.parties().get(" ".join(t.lower_ for t in tokens))
    if party is None:
        return None
    forms = {form for form, name in lexicons.parties().items() if name == party}
    named = [
        m
        for m in ctx.mentions
        if m.type == ORGANIZATION and m.kind == NAME and m.name.lower() in forms | {party.lower()}
    ]
    name = max((m.name for m in named), key=lambda n: (len(n), n), default=party)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    return Mention(
        doc_id=ctx.doc_id,
        text=ctx.text[start:end],
        name=name,
        type=ORGANIZATION,
        start=start,
        end=end,
        sentence=ctx.sentence_text(ctx.sentence_of_token(tokens[0].i)),
        label="NORP",
        confidence=0.8,
        extractor=EXTRACTOR,
    )


def _mention_ending_at(ctx: DocContext, pos: int, types: tuple[str, ...]) -> Mention | None:
    """A mention ending right before ``pos`` (only spaces or a possessive between)."""
    text = ctx.text
    end = pos
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    for suffix in ("’s", "'s"):
        if text[:end].endswith(suffix):
            end -= len(suffix)
    candidates = ctx.mentions_between(max(0, end - 120), end, types=types)
    candidates = [
        m for m in candidates if m.end == end or text[m.end : end].strip() in ("’s", "'s", ")")
    ]
    return max(candidates, key=lambda m: m.end - m.start) if candidates else None


def _attachment_left_of(ctx: DocContext, title_start: int) -> Attachment:
    """The organization, place or demonym a title at ``title_start`` hangs on."""
    tokens = _tokens_ending_by(ctx, title_start)
    if not tokens:
        return Attachment()
    i = len(tokens) - 1
    skipped = 0
    org: Mention | None = None
    country: Mention | None = None
    while i >= 0 and skipped <= 2:
        token = tokens[i]
        possessive = token.text in ("'", "’") and i > 0 and tokens[i - 1].text.endswith("s")
        if "\n" in token.text or (
            token.is_punct and token.text not in ("-", "/", "’s", "'s") and not possessive
        ):
            break
        if possessive or token.text in ("’s", "'s"):
            i -= 1
            continue
        mention = ctx.mention_of_token(token, types=ORG_LIKE)
        if i > 0 and country is None and org is None:  # "West German Finance Minister"
            words = f"{tokens[i - 1].text} {token.text}"
            two = lexicons.places().demonyms.get(words.lower())
            if two is not None and words[:1].isupper():
                country = _country_mention(ctx, tokens[i - 1], two, end=token.idx + len(token.text))
                i -= 2
                break
        demonym = lexicons.places().demonyms.get(token.text.lower())
        if demonym is None and token.text[:1].isupper():
            demonym = lexicons.places().canonical.get(token.text.lower())
        if mention is not None and org is None:
            if _based_there(ctx, mention):
                return Attachment()  # "UK-based co-chairman X": based there, nothing more
            org = _possessor(ctx, mention) or mention
            i = _token_index_before(tokens, org.start)
            continue
        if org is None and token.tag_ == "PRP$" and token.lower_ in ("its", "their"):
            owner = _referent_organization(ctx, token)
            if owner is not None:
                return Attachment(org=owner, at=token.idx)
            break
        party = None
        if org is None:
            pair = list(tokens[i - 1 : i + 1]) if i > 0 else []
            party = (_party_mention(ctx, pair) if pair else None) or _party_mention(ctx, [token])
        if party is not None:
            org = party
            i = _token_index_before(tokens, party.start)
            continue
        if demonym and country is None:
            country = _country_mention(ctx, token, demonym)
            i -= 1
            break
        if token.pos_ in ("NOUN", "PROPN", "ADJ") and not token.is_stop and org is None:
            skipped += 1
            i -= 1
            continue
        break
    start = min([m.start for m in (org, country) if m is not None], default=title_start)
    former = bool(_FORMER.search(ctx.text[max(0, start - 12) : start]))
    return Attachment(org=org, country=country, former=former)


def _tokens_ending_by(ctx: DocContext, char: int) -> Span:
    """The tokens that end at or before ``char``: a prefix of the document (token ends
    grow with their starts), found by bisection rather than a walk over every token."""
    doc = ctx.doc
    k = bisect.bisect_right(ctx.token_starts, char)
    while k > 0 and doc[k - 1].idx + len(doc[k - 1].text) > char:
        k -= 1
    return doc[:k]


def _token_index_before(tokens, char: int) -> int:  # type: ignore[no-untyped-def]
    for j in range(len(tokens) - 1, -1, -1):
        if tokens[j].idx < char:
            return j
    return -1


def _country_mention(  # type: ignore[no-untyped-def]
    ctx: DocContext, token, country: str, *, start: int | None = None, end: int | None = None
) -> Mention:
    start = token.idx if start is None else start
    end = token.idx + len(token.text) if end is None else end
    existing = ctx.mention_at(start, types=(LOCATION,))
    if existing is not None and existing.name == country:
        return existing
    return Mention(
        doc_id=ctx.doc_id,
        text=ctx.text[start:end],
        name=country,
        type=LOCATION,
        start=start,
        end=end,
        sentence=ctx.sentence_text(ctx.sentence_of_token(token.i)),
        label="NORP",
        confidence=0.85,
        extractor=EXTRACTOR,
        kind=DEMONYM,
    )


def _apposition(ctx: DocContext, person: Mention) -> Iterator[Mention | Fact]:
    """ "Name, [ORG] title [of|for ORG] [and title for ORG]" after a name."""
    text = ctx.text
    after = text[person.end : person.end + 250]
    if not re.match(r"\s*,\s*", after):
        return
    clause_end = _CLAUSE_END.search(after, 1)
    clause = after[: clause_end.start() if clause_end else len(after)]
    base = person.end
    comma = _APPOSITION_OPENING.match(clause)
    if comma is None:
        return
    position = base + comma.end()
    # "Tim Wright, ICAN Treaty Coordinator": an organization before the title
    lead_org = ctx.mention_at(position, types=ORG_LIKE)
    if lead_org is not None and _based_there(ctx, lead_org):
        lead_org = None  # "X, the UK-based co-chairman": based there, no place's title
    for title_match in _titles_in(clause[comma.end() :]):
        t_start = position + title_match.start()
        t_end = position + title_match.end()
        if _names_a_person_next(ctx, t_end):
            break  # "actress Barbara Windsor, comic Graham Norton": Norton's title
        title = head = title_match.group(0)
        if lead_org is not None and lead_org.start == position and lead_org.end <= t_start:
            attachment = Attachment(org=lead_org)
        else:
            attachment = _attachment_right_of(ctx, t_end, base + len(clause))
            t_start = _prefixed_start(text, t_start, position)  # "deputy editor of X"
            head = text[t_start:t_end]
            title = _title_with_complement(text, head, t_end, attachment)
            if attachment.org is None and t_start > position:
                # "Mr Mandelson, a former Labour communications director"
                t_start = max(position, _qualified_start(ctx, t_start))
                left = _attachment_left_of(ctx, t_start)
                if all(m is None or m.start >= position for m in (left.org, left.country)):
                    attachment = left
                title = text[t_start:t_end]
        yield from _facts(ctx, person, title, attachment, person.start, 0.8, head=head)


def _prefixed_start(text: str, start: int, floor: int) -> int:
    """Where the title at ``start`` starts with the qualifiers of the title-prefix lexicon
    before it ("deputy", "senior"), never before ``floor``."""
    prefixes = lexicons.title_qualifiers()
    while True:
        found = re.search(r"([A-Za-z]+)-?\s*$", text[floor:start])
        if found is None or found.group(1).lower() not in prefixes:
            return start
        start = floor + found.start()


def _based_there(ctx: DocContext, mention: Mention) -> bool:
    """True when a place is the first half of "<place>-based" ("UK-based")."""
    return mention.type == LOCATION and bool(
        re.match(r"\s*-\s*based\b", ctx.text[mention.end : mention.end + 12])
    )


def _names_a_person_next(ctx: DocContext, end: int) -> bool:
    """True when a person's name follows the title ending at ``end`` (with a space)."""
    gap = re.match(r"[ \t]+", ctx.text[end : end + 4])
    if gap is None:
        return False
    found = ctx.mention_at(end + gap.end(), types=(PERSON,))
    return found is not None and found.start == end + gap.end()


def _titles_in(clause: str) -> Iterator[re.Match[str]]:
    """Title words at the head of each coordinated part of an appositive clause."""
    pattern = _title_anywhere()
    for match in pattern.finditer(clause):
        before = clause[: match.start()]
        if (
            before.strip()
            and not re.search(r"(?:\band|,|\bparliamentary|\bsenior|\bjoint)\s*$", before.strip())
            and not _only_modifiers(before)
        ):
            continue
        yield match


#: Words that open a phrase of their own, never a title's modifier ("X, from TV producer Y").
_NOT_MODIFIERS = frozenset({"from", "with", "into", "over", "about", "after", "before"})


def _only_modifiers(text: str) -> bool:
    """True when ``text`` is a short run of capitalized words or adjectives ("ICAN Treaty")."""
    words = text.split()
    if any(w in _NOT_MODIFIERS for w in words):
        return False
    if len(words) == 3 and words[1] == "and":  # "operations and safety editor"
        words = [words[0], words[2]]
    return 0 < len(words) <= 3 and all(w[:1].isupper() or w.islower() and len(w) > 3 for w in words)


_TITLE_ANYWHERE: re.Pattern[str] | None = None


def _title_anywhere() -> re.Pattern[str]:
    global _TITLE_ANYWHERE
    if _TITLE_ANYWHERE is None:
        role_titles = [t for t, k in lexicons.titles().items() if k != lexicons.HONORIFIC]
        _TITLE_ANYWHERE = re.compile(
            rf"(?<![\w-])(?:{lexicons._phrase_pattern(role_titles)})(?![\w-])", re.IGNORECASE
        )
    return _TITLE_ANYWHERE


def _attachment_right_of(ctx: DocContext, t_end: int, clause_end: int) -> Attachment:
    """ "director of/for/at ORG": the first organization or place after a title."""
    text = ctx.text
    mentions = ctx.mentions_between(t_end, clause_end, types=ORG_LIKE)
    for k, m in enumerate(mentions):
        owned = _owned_organization(ctx, m, mentions[k + 1 :])
        if owned is not None:  # "of the UK's CBI", "of UK magazine Mac Format"
            between = text[t_end : m.start]
            connector = re.fullmatch(r"\s+(of|for|at|with)\s+(?:the\s+)?", between, re.IGNORECASE)
            if connector is None:
                return Attachment()
            gap = text[m.end : owned.start]
            direct = connector.group(1).lower() in ("of", "at") and bool(
                re.fullmatch(r"['’]s\s+", gap)
            )
            return Attachment(org=owned, direct=direct)
        if m.type == LOCATION and re.match(r"[ \t]+[A-Z]", text[m.end : m.end + 2]):
            return Attachment()  # "at South African Mutual Life": a name NER split or missed
        between = text[t_end : m.start]
        connector = re.search(r"\b(of|for|at|with|in)\s+(?:the\s+)?$", between, re.IGNORECASE)
        if connector is None and m.type == ORGANIZATION and _TOPIC_CONNECTOR.match(between):
            return Attachment(org=m, direct=False)  # "spokesman on finance for the liberal X"
        if connector is None:  # "editor at industry magazine Flight International"
            connector = _DESCRIBED_CONNECTOR.search(between)
            if connector is None or connector.group("noun") not in lexicons.organization_nouns():
                return Attachment()
            return Attachment(org=m, direct=False)
        direct = connector.group(1).lower() in ("of", "at") and between.strip().lower() in (
            "of",
            "of the",
            "at",
            "at the",
        )
        tail = text[m.end : m.end + 3]
        if tail.startswith(("’s", "'s")) or re.match(r"\s+[a-z]", text[m.end : m.end + 3]):
            direct = False
        return Attachment(org=m, direct=direct)
    return Attachment()


#: Between a place and the organization it qualifies: a possessive ("the UK's CBI") or
#: an organization noun ("UK magazine Mac Format", "US private equity group Newbridge").
_PLACE_QUALIFIES = re.compile(r"['’]s\s+|\s+(?:[a-z][\w-]*\s+){0,2}(?P<noun>[a-z]+)\s+")


def _owned_organization(ctx: DocContext, place: Mention, after: list[Mention]) -> Mention | None:
    """The organization a place right before it qualifies ("the UK's [CBI]"), if any."""
    if place.type != LOCATION or not after or after[0].type != ORGANIZATION:
        return None
    gap = _PLACE_QUALIFIES.fullmatch(ctx.text, place.end, after[0].start)
    if gap is None:
        return None
    noun = gap.group("noun")
    if noun is not None and noun not in lexicons.organization_nouns():
        return None
    return after[0]


def _title_with_complement(text: str, title: str, t_end: int, attachment: Attachment) -> str:
    """ "director" + " of foreign policy" when the complement is not the organization."""
    complement = re.match(
        r"\s+of\s+([a-z][a-z\s-]{2,40}?)(?=\s+(?:for|at|with|in|,)\b|[,;.]|$)",
        text[t_end : t_end + 60],
    )
    if complement and (attachment.org is None or attachment.org.start > t_end + complement.end()):
        return f"{title} of {complement.group(1).strip()}"
    return title


def _copulas(ctx: DocContext) -> Iterator[Mention | Fact]:
    """ "X is/was (the) TITLE (of ORG)", "X acts as TITLE" from the dependency parse."""
    head_regex = lexicons.title_head_regex()
    for token in ctx.tokens:
        verb = _copula_verb(token)
        if verb is None:
            continue
        if not head_regex.match(token.text) and not head_regex.match(
            " ".join(t.text for t in token.lefts if t.dep_ == "compound") + " " + token.text
        ):
            continue
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects:
            continue
        person = ctx.mention_of_token(subjects[0], types=(PERSON,))
        if person is None:
            continue
        compounds = [t for t in token.lefts if t.dep_ == "compound" and not ctx.mention_of_token(t)]
        found = lexicons.title_suffix_regex().search(
            " ".join([t.text for t in compounds] + [token.text])
        )
        if found is None:
            continue
        title = found.group("title")
        org = None
        direct = True
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "at", "for"):
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    org = ctx.mention_of_token(objects[0], types=ORG_LIKE)
                    direct = child.lower_ in ("of", "at")
        if org is None:
            for left in token.lefts:
                left_org = ctx.mention_of_token(left, types=ORG_LIKE)
                if left_org is not None:
                    org = left_org
        yield from _facts(
            ctx,
            person,
            title,
            Attachment(org=org, direct=direct),
            person.start,
            0.7,
            end=token.idx + len(token.text),
        )


#: Verbs by which "as TITLE" gives the subject's role: "Mr Campbell is acting as an adviser".
_AS_VERBS = frozenset({"act", "serve", "work"})


def _copula_verb(token: Token) -> Token | None:
    """The verb whose subject holds the title ``token``: "X is/was TITLE", "X serves as
    TITLE"; None when ``token`` is no such complement."""
    if token.dep_ == "attr" and token.head.lemma_ == "be":
        return token.head
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "as" and head.head.lemma_ in _AS_VERBS:
        return head.head
    return None


SPEC = ExtractorSpec(
    EXTRACTOR, extract_roles, requires=("names", "authors", "dates"), assigns=("roles", "demonyms")
)
