"""Named entities from spaCy's NER, cleaned: titles stripped, broken spans mended.

spaCy's small English model makes a few systematic mistakes on news text that
this module repairs with general rules:

* spans across line breaks ("Picula\\n\\nAhead") are cut at the break;
* titles inside a span ("MEP Radoslaw Sikorski", "ICAN Treaty Coordinator") are
  stripped from the name and kept as the mention's role;
* names split around particles ("Ursula von" + "der" + "Leyen") are joined;
* "Long Name (ACRO)" gives the long name, and the acronym as a mention of it;
* country aliases ("US", "the United States") get one canonical name;
* a name right after a job title is a person, whatever label NER gave it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from kg.data import lexicons
from kg.extract.context import DocContext
from kg.extract.cues import cues_for, lower_case_words
from kg.extract.registry import ExtractorSpec
from kg.extract.untagged import CONFIDENCE as UNTAGGED
from kg.extract.untagged import given_name_ends, untagged_names
from kg.model import DEMONYM, EVENT, LOCATION, NAME, ORGANIZATION, PERSON, Mention

LABEL_TYPES: dict[str, str] = {
    "PERSON": PERSON,
    "ORG": ORGANIZATION,
    "GPE": LOCATION,
    "LOC": LOCATION,
    "FAC": LOCATION,
    "EVENT": EVENT,
}

#: How much NER's label is trusted, by label and number of words.
BASE_CONFIDENCE = {PERSON: 0.8, ORGANIZATION: 0.75, LOCATION: 0.8, EVENT: 0.7}

_GLUED_FORMER = re.compile(r"^(?:ex|former)\s*-\s*(?P<rest>\S.*)$", re.IGNORECASE)
_LOCATIVE = re.compile(
    r"\b(?:in|to|from|at|near|into|across|outside|inside)\s+(?:the\s+)?$", re.IGNORECASE
)
_LEADING_DET = re.compile(r"^(?:the|The|THE)\s+")
#: An honorific ending right before a name ("Mrs Howard", "Lord Harris").
_HONORIFIC_BEFORE = re.compile(
    r"(?:^|[\s(\"“])(Mr|Mrs|Ms|Miss|Mister|Sir|Lord|Lady|Dame|Baroness|Baron|Dr|Prof|Rev)\.?\s+$"
)
_TRAILING_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
#: Punctuation around a name; "<" and ">" of a Reuters company tag ("<Donohue Inc>").
_TRAILING_JUNK = re.compile(r"[\s,;:!?\"“”‘’'(\[{<>]+$")
_LEADING_JUNK = re.compile(r"^[\s,;:!?\"“”‘’')\]}.\-–—<>]+")
_ACRONYM = re.compile(r"^(?P<long>.+?)\s*\((?P<acr>[A-Z][A-Za-z0-9&.\-]{1,14})\)?$")
_HAS_UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſ]|[^\W\d_](?<![a-z])", re.UNICODE)
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.\-]*$", re.UNICODE)


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    text = resources.files("kg.data").joinpath("not_names.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


@dataclass(frozen=True)
class RawSpan:
    start: int
    end: int
    label: str


def extract_entities(ctx: DocContext) -> Iterator[Mention]:
    """Cleaned Person, Organization, Location and Event mentions from spaCy's NER."""
    text = ctx.text
    spans = [RawSpan(e.start_char, e.end_char, e.label_) for e in ctx.doc.ents]
    spans = split_listed_names(spans, text)
    spans = join_broken_names(spans, text)
    spans = join_organization_names(spans, text)
    spans = join_instrument_names(spans, text)
    spans = complete_party_names(spans, text)
    ends = given_name_ends(ctx.doc, spans)
    spans = [replace(s, end=ends.get(s.start, s.end)) if s.label == "PERSON" else s for s in spans]
    untagged = untagged_mentions(ctx, spans)
    norp = [
        s
        for s in spans
        if s.label == "NORP" and not any(s.start < m.end and m.start < s.end for m in untagged)
    ]
    spans = [s for s in spans if s.label in LABEL_TYPES]
    mentions = [m for span in spans for m in clean_span(ctx, span)]
    mentions += untagged
    mentions += demonym_places(ctx, norp)
    mentions += titled_names(ctx, spans)
    mentions = split_trailing_persons(ctx, mentions)
    mentions = define_acronyms(ctx, mentions)
    yield from (_person_behind_administration(ctx.text, m) for m in mentions)


#: The NER label a mention of each type would have had (what resolution's features read).
_LABELS = {PERSON: "PERSON", ORGANIZATION: "ORG", LOCATION: "GPE"}


def untagged_mentions(ctx: DocContext, spans: list[RawSpan]) -> list[Mention]:
    """Names NER left untagged that a cue types (:mod:`kg.extract.untagged`)."""
    out = []
    for found in untagged_names(ctx.doc, spans):
        start, end = _trim(ctx.text, found.start, found.end)
        surface = " ".join(ctx.text[start:end].split())
        if start >= end or not _looks_like_name(surface) or _headline_words(ctx, surface):
            continue
        if surface.lower() in lexicons.places().canonical:
            continue  # a country NER missed is a tagging slip, not a new name
        name = found.name or surface
        label = _LABELS[found.type]
        out.append(_mention(ctx, surface, name, found.type, start, end, label, None, UNTAGGED))
    return out


_ACRONYM_AFTER = re.compile(r"\s*\(\s*(?P<acr>[A-Z][A-Za-z0-9&.\-]{1,14})\s*\)")
_ADMINISTRATION = re.compile(r"\s+(?:administration|presidency|White House)\b")


def define_acronyms(ctx: DocContext, mentions: list[Mention]) -> list[Mention]:
    """ "International Campaign ... (ICAN)": every ICAN in the document names the long form,
    whether NER found it or not."""
    text = ctx.text
    defined: dict[str, Mention] = {}
    for m in mentions:
        match = _ACRONYM_AFTER.match(text, m.end)
        if match and len(m.name.split()) > 1 and m.type in (ORGANIZATION, LOCATION, EVENT):
            defined.setdefault(match.group("acr"), m)
    if not defined:
        return mentions
    out = []
    for m in mentions:
        long_form = defined.get(m.name)
        if long_form is not None and m is not long_form:
            m = replace(m, name=long_form.name, type=long_form.type, text=m.text)
        out.append(m)
    taken = [(m.start, m.end) for m in out]
    for acronym, long_form in defined.items():
        for found in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
            if any(a < found.end() and found.start() < b for a, b in taken):
                continue
            out.append(
                _mention(
                    ctx,
                    acronym,
                    long_form.name,
                    long_form.type,
                    found.start(),
                    found.end(),
                    long_form.label,
                    None,
                    0.7,
                )
            )
    return out


def split_trailing_persons(ctx: DocContext, mentions: list[Mention]) -> list[Mention]:
    """ "European Commission Ursula von der Leyen" (one ORG span) → the organization and the
    person, when that person is named on their own elsewhere in the document, or when the
    span is an organization name ending in its organization word followed by a given name
    and a surname ("European Council Charles Michel")."""
    people = {m.name for m in mentions if m.type == PERSON and len(m.name.split()) > 1}
    out: list[Mention] = []
    for m in mentions:
        tail = next(
            (p for p in people if m.type != PERSON and m.name.endswith(" " + p) and m.name != p),
            None,
        ) or (_given_name_tail(m.name) if m.type != PERSON else None)
        if tail is None:
            out.append(m)
            continue
        person_start = ctx.text.rfind(tail.split()[0], m.start, m.end)
        if person_start < 0:
            out.append(m)
            continue
        org_end = ctx.text[:person_start].rstrip().__len__()
        org_name = " ".join(ctx.text[m.start : org_end].split())
        if org_name:
            out.append(replace(m, name=org_name, end=org_end, text=org_name))
        out.append(
            replace(
                m,
                name=tail,
                type=PERSON,
                start=person_start,
                end=person_start + len(tail),
                text=tail,
                label="PERSON",
            )
        )
    return out


def _given_name_tail(name: str) -> str | None:
    """ "Charles Michel" in "European Council Charles Michel": the last two words, a known
    given name and a capitalised surname, after an organization name that ends in its
    organization word."""
    words = name.split()
    if len(words) < 4:
        return None
    given, surname, org_word = words[-2], words[-1], words[-3]
    if not (given[:1].isupper() and surname[:1].isupper() and surname[1:].islower()):
        return None
    if given.casefold() not in lexicons.first_names():
        return None
    if lexicons.type_heads().get(org_word.casefold()) != ORGANIZATION:
        return None
    return f"{given} {surname}"


def _person_behind_administration(text: str, m: Mention) -> Mention:
    """ "the Trump administration": NER often calls the name an organization."""
    if m.type == ORGANIZATION and len(m.name.split()) == 1 and _ADMINISTRATION.match(text, m.end):
        if m.name.lower() not in lexicons.places().canonical and not m.name.isupper():
            return replace(m, type=PERSON, confidence=0.7)
    return m


def demonym_places(ctx: DocContext, spans: list[RawSpan]) -> list[Mention]:
    """ "German", "Belgian": a nationality adjective mentions its country (kg/data/countries.tsv)."""
    text = ctx.text
    demonyms = lexicons.places().demonyms
    found = []
    for span in spans:
        if span.label != "NORP":
            continue
        word = text[span.start : span.end].strip()
        country = demonyms.get(word.lower())
        if country is not None:
            found.append(
                _mention(ctx, word, country, LOCATION, span.start, span.end, "NORP", None, 0.75)
            )
    return found


def titled_names(ctx: DocContext, spans: list[RawSpan]) -> list[Mention]:
    """Names NER missed right after a capitalized job title: "Chancellor Olaf Scholz"."""
    text = ctx.text
    taken = [(s.start, s.end) for s in spans]
    found: list[Mention] = []
    for match in _titled_name_regex().finditer(text):
        start, end = match.start("name"), match.end("name")
        if any(a < end and start < b for a, b in taken):
            continue
        title = match.group("title")
        if lexicons.title_kind(title) in (None, lexicons.HONORIFIC) or not title[:1].isupper():
            continue
        name = " ".join(text[start:end].split())
        if name.lower() in lexicons.places().canonical or not _looks_like_name(name):
            continue
        if _headline_words(ctx, name):
            continue
        found.append(
            _mention(
                ctx,
                text[match.start("title") : end],
                name,
                PERSON,
                start,
                end,
                "TITLE",
                normalize_title(title),
                0.7,
            )
        )
    return found


def normalize_title(title: str) -> str:
    return " ".join(title.split())


@lru_cache(maxsize=1)
def _titled_name_regex() -> re.Pattern[str]:
    role_titles = [t for t, k in lexicons.titles().items() if k != lexicons.HONORIFIC]
    word = r"[A-ZÀ-ÖØ-Þ][\w'’\-]+"
    particles = "|".join(sorted(lexicons.name_particles(), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w-])(?P<title>(?i:{lexicons._phrase_pattern(role_titles)}))[ \t]+"
        rf"(?P<name>{word}(?:[ \t]+(?:(?:{particles})[ \t]+)*{word}){{1,3}})(?![\w-])"
    )


#: A comma or semicolon between two capitalised words of one span ("Hyypia, Traore").
_LIST_SEPARATOR = re.compile(r"[ \t]*[,;][ \t]+(?=[A-Z])")


def split_listed_names(spans: list[RawSpan], text: str) -> list[RawSpan]:
    """Split a span that NER ran across a list ("Nickles, Symms", "G Kerr; S Grimes") into
    one span per name; a company suffix after the comma ("Foo, Inc.") stays."""
    heads = lexicons.type_heads()
    out: list[RawSpan] = []
    for span in spans:
        surface = text[span.start : span.end]
        cuts = list(_LIST_SEPARATOR.finditer(surface))
        parts = []
        begin = 0
        for cut in cuts:
            parts.append((begin, cut.start()))
            begin = cut.end()
        parts.append((begin, len(surface)))
        if not cuts or any(
            heads.get(surface[a:b].strip(" .").lower()) or len(surface[a:b].split()) > 3
            for a, b in parts
        ):
            out.append(span)
            continue
        out += [RawSpan(span.start + a, span.start + b, span.label) for a, b in parts]
    return out


def join_broken_names(spans: list[RawSpan], text: str) -> list[RawSpan]:
    """Join a PERSON span with the next span when only name particles lie between them.

    "Ursula von" (PERSON) "der" "Leyen" (GPE) → "Ursula von der Leyen" (PERSON).
    """
    particles = lexicons.name_particles()
    out: list[RawSpan] = []
    for span in spans:
        if out and "PERSON" in (out[-1].label, span.label):
            prev = out[-1]
            gap = text[prev.end : span.start]
            words = gap.split()
            prev_words = text[prev.start : prev.end].split()
            ends_in_particle = bool(prev_words) and prev_words[-1] in particles
            if (
                "\n" not in gap
                and len(gap) <= 12
                and all(word in particles for word in words)
                and (words or ends_in_particle)
            ):
                out[-1] = RawSpan(prev.start, span.end, "PERSON")
                continue
        out.append(span)
    return out


#: "and Skills" after "Department for Education": capitalized words joined by "and"/"&".
_AND_CAPITALIZED = re.compile(r"[ \t]+(?:and|&)[ \t]+(?:[A-Z][\w'’\-]*)(?:[ \t]+[A-Z][\w'’\-]*)*")
_OF_PLACE = re.compile(r"\b(?:of|for)[ \t]+\S+$")


def _complete_organization(name: str, tail: str) -> bool:
    """ "Pakistan International Airlines" (ends in an organization word) or "... and EVA"
    (an acronym follows): two names, not one cut short."""
    words = name.split()
    last_tail = tail.split()[-1]
    return (len(words) > 1 and lexicons.type_heads().get(words[-1].lower()) == "Organization") or (
        last_tail.isupper() and len(last_tail) > 1
    )


def join_organization_names(spans: list[RawSpan], text: str) -> list[RawSpan]:
    """Organization names NER cut at "and": "Department for Education [and Skills]",
    "Police Federation of England [and Wales]".

    An ORG span takes in "and" + capitalized words right after it when those words are not
    a name of their own, or when the span ends in "of/for <place>" and they are a place
    too ("of England and Wales"). Two organizations in a row ("Google and Microsoft") stay
    apart: the second is a name of its own that is not a place.
    """
    out: list[RawSpan] = []
    i = 0
    while i < len(spans):
        span = spans[i]
        match = _AND_CAPITALIZED.match(text, span.end) if span.label == "ORG" else None
        if match is not None and not _complete_organization(
            text[span.start : span.end], match.group()
        ):
            following = [s for s in spans[i + 1 :] if s.start < match.end()]
            tail_is_place = bool(following) and all(s.label in ("GPE", "LOC") for s in following)
            ends_in_place = _OF_PLACE.search(text[span.start : span.end]) is not None
            if not following or (tail_is_place and ends_in_place):
                out.append(RawSpan(span.start, match.end(), span.label))
                i += 1 + len(following)
                continue
        out.append(span)
        i += 1
    return out


#: A capitalised word right after a span ("Liberal" + " Democrat").
_CAPITALIZED_WORD = re.compile(r"[ \t]+[A-Z][a-z]+")


def complete_party_names(spans: list[RawSpan], text: str) -> list[RawSpan]:
    """An organization span NER cut inside a party's name ("Liberal" of "Liberal Democrat
    leader"): it takes in the next one or two capitalised words when the whole is a form
    of a party's name (``kg/data/parties.tsv``)."""
    parties = lexicons.parties()
    out: list[RawSpan] = []
    for span in spans:
        end = span.end
        for _ in range(2):
            word = _CAPITALIZED_WORD.match(text, end) if span.label == "ORG" else None
            if word is None:
                break
            end = word.end()
            if " ".join(text[span.start : end].split()).casefold() in parties:
                span = RawSpan(span.start, end, span.label)
                break
        out.append(span)
    return out


#: Words that end the first part of a treaty's or convention's name.
_INSTRUMENTS = frozenset("treaty convention agreement accord protocol charter pact".split())
_INSTRUMENT_LINK = re.compile(r"[ \t]+(?:on|against|for)[ \t]+(?:the[ \t]+)?")


def join_instrument_names(spans: list[RawSpan], text: str) -> list[RawSpan]:
    """A treaty's name NER cut in two: "United Nations Treaty" + "on the" + "Prohibition of
    Nuclear Weapons" is one name (of the first span's type)."""
    out: list[RawSpan] = []
    i = 0
    while i < len(spans):
        span = spans[i]
        words = text[span.start : span.end].split()
        link = _INSTRUMENT_LINK.match(text, span.end)
        following = spans[i + 1] if i + 1 < len(spans) else None
        if (
            words
            and words[-1].lower() in _INSTRUMENTS
            and link is not None
            and following is not None
            and following.start <= link.end()
            and following.start >= span.end
            and following.label not in ("PERSON", "DATE", "CARDINAL")
        ):
            out.append(RawSpan(span.start, following.end, span.label))
            i += 2
            continue
        out.append(span)
        i += 1
    return out


def clean_span(ctx: DocContext, span: RawSpan) -> Iterator[Mention]:
    """Turn one NER span into zero, one or two mentions (a long name and its acronym)."""
    text = ctx.text
    start, end = span.start, span.end
    surface = text[start:end]
    if "\n" in surface:  # a span across a line break: keep the first line only
        surface = surface.split("\n", 1)[0]
        end = start + len(surface)
    start, end = _trim(text, start, end)
    if start >= end:
        return
    if text[start:end].lower() in _not_names():
        return
    start = _from_inner_honorific(ctx, start, end)
    entity_type = LABEL_TYPES[span.label]
    confidence = BASE_CONFIDENCE[entity_type]
    role: str | None = None

    acronym = _ACRONYM.match(text[start:end])
    if acronym:
        long_end = start + acronym.end("long")
        acr_start, acr_end = start + acronym.start("acr"), start + acronym.end("acr")
        yield from clean_span(ctx, RawSpan(start, long_end, span.label))
        long_name = " ".join(text[start:long_end].split())
        long_name = _LEADING_DET.sub("", long_name)
        yield _mention(
            ctx,
            text[acr_start:acr_end],
            long_name,
            entity_type,
            acr_start,
            acr_end,
            span.label,
            None,
            confidence * 0.95,
        )
        return

    name_start = start
    prefix = lexicons.title_prefix_regex().match(text[start:end])
    if (
        prefix
        and span.label != "PERSON"
        and len(text[start + prefix.end() : end].split()) == 1
        and lexicons.title_kind(prefix.group("title").strip()) != lexicons.HONORIFIC
    ):
        prefix = None  # "General Motors" is a company, not General Motors; "Mr Ebbers" a man
    if prefix and prefix.end() < end - start:
        title = prefix.group("title").strip()
        if lexicons.title_kind(title) != lexicons.HONORIFIC:
            role = _strip_honorifics(title)
        name_start = start + prefix.end()
        entity_type, confidence = PERSON, max(confidence, 0.85)
    elif prefix:  # the whole span is a title: not a name
        return
    name_end = end
    if entity_type == PERSON:
        name_start, name_end, trailing = _trim_person(ctx, name_start, end)
        role = role or trailing
        if name_start >= name_end:
            return
        name_start = _extend_left(ctx, name_start)
        start = min(start, name_start)
    if entity_type != PERSON:
        suffix = lexicons.title_suffix_regex().search(text[name_start:name_end])
        if suffix and suffix.start() > 0:
            name_end = name_start + suffix.start()
            name_start, name_end = _trim(text, name_start, name_end)
    if _HEADLINE_POSSESSIVE.search(text[name_start:name_end]):
        name_end -= 2  # "NAKASONE'S PARTY": the possessive of a name in a capitalised headline
    name = " ".join(text[name_start:name_end].split())
    if not _looks_like_name(name) or _common_word_opening_sentence(ctx, name_start, name_end):
        return
    if _headline_words(ctx, name):
        return
    if entity_type != PERSON and _nationality_and_leaning(name):
        return
    if entity_type != PERSON and _after_title(text, name_start) and _is_short_name(name):
        entity_type, confidence = PERSON, 0.9
    former = _GLUED_FORMER.match(text[name_start:name_end])
    if former and entity_type != PERSON:
        # "Ex-US President": the country, formerly (kg.extract.roles reads the "Ex-" as
        # "former"); "Ex-Labour" or "ex-Soviet" alone names nothing
        name = " ".join(former.group("rest").split())
        if name.lower() not in lexicons.places().canonical:
            return
        start = name_start = name_start + former.start("rest")
    canonical = lexicons.places().canonical.get(name.lower())
    if canonical and entity_type != PERSON:
        name, entity_type, confidence = canonical, LOCATION, max(confidence, 0.9)
    surface = " ".join(text[start:end].split())
    yield _mention(
        ctx, surface, name, entity_type, name_start, name_end, span.label, role, confidence
    )


_HEADLINE_POSSESSIVE = re.compile(r"^[^a-z]*[A-Z]{2}['’]S$")
_INNER_HONORIFIC = re.compile(r"(?<=\s)(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady|Dame)\.?\s+[A-Z]")
_FUNCTION_POS = frozenset({"ADP", "DET", "SCONJ", "CCONJ", "ADV", "PRON", "AUX", "VERB", "PART"})


def _from_inner_honorific(ctx: DocContext, start: int, end: int) -> int:
    """ "Under Mr Ebbers": a span whose words before an honorific are function words or
    verbs starts at the honorific (then it names a person)."""
    match = _INNER_HONORIFIC.search(ctx.text, start, end)
    if match is None:
        return start
    span = ctx.doc.char_span(start, match.start(), alignment_mode="expand")
    if span is None or not len(span) or any(t.pos_ not in _FUNCTION_POS for t in span):
        return start
    return match.start()


def _mention(
    ctx: DocContext,
    surface: str,
    name: str,
    entity_type: str,
    start: int,
    end: int,
    label: str,
    role: str | None,
    confidence: float,
) -> Mention:
    sentence = ctx.sentence_of(start)
    before = ctx.text[max(0, start - 12) : start]
    honorific = _HONORIFIC_BEFORE.search(ctx.text[max(0, start - 14) : start])
    first = sentence[0]
    opens = first.idx >= start or not ctx.text[first.idx : start].strip(" \"'“‘(")
    cues = cues_for(ctx.text, start, end, is_sentence_start=opens, lower_words=_lower_words(ctx))
    return Mention(
        doc_id=ctx.doc_id,
        text=surface,
        name=name,
        type=entity_type,
        start=start,
        end=end,
        sentence=ctx.sentence_text(sentence),
        label=label,
        role=role,
        confidence=round(confidence, 3),
        locative=_LOCATIVE.search(before) is not None,
        kind=DEMONYM if label == "NORP" else NAME,
        honorific=honorific.group(1).lower().rstrip(".") if honorific else None,
        cues=cues,
    )


def _lower_words(ctx: DocContext) -> frozenset[str]:
    """The document's lower-case words, computed once per document."""
    cached = ctx.__dict__.get("_lower_words")
    if cached is None:
        cached = ctx.__dict__["_lower_words"] = lower_case_words(ctx.text)
    return cached


@lru_cache(maxsize=1)
def _affiliation_words() -> frozenset[str]:
    text = resources.files("kg.data").joinpath("affiliation_words.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _trim_person(ctx: DocContext, start: int, end: int) -> tuple[int, int, str | None]:
    """Drop words NER folded into a person's name: leading party words, nationality
    words before a full name, an adverb opening the sentence, verbs and prepositions
    ("Tory Liam Fox", "Scot Nick Smith", "Meanwhile Lib Dem", "Entering Westminster"), trailing post-nominal titles
    ("Andrew Nicol QC", returned as the role)."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return start, end, None
    tokens = list(span)
    particles = lexicons.name_particles()
    affiliations = _affiliation_words()
    demonyms = lexicons.places().demonyms
    while (
        tokens
        and (
            tokens[0].lower_ in affiliations
            or (tokens[0].lower_ in demonyms and len(tokens) > 2)  # "Scot Nick Smith"
            or (tokens[0].is_sent_start and tokens[0].pos_ == "ADV")  # "Meanwhile Lib Dem"
            or tokens[0].pos_ in ("ADP", "DET", "PRON", "AUX", "PUNCT", "SCONJ")
            or tokens[0].tag_ in ("VBG", "VBD", "VBN")
            or not tokens[0].text[:1].isupper()
            and tokens[0].lower_ not in particles
        )
    ):
        tokens.pop(0)
    trailing: list[str] = []
    titles = lexicons.titles()
    while (
        len(tokens) > 1
        and tokens[-1].text.isupper()  # "Andrew Nicol QC"; "Kristin King" keeps her surname
        and titles.get(tokens[-1].lower_.rstrip(".")) in (lexicons.MEMBER, lexicons.LEADER)
    ):
        trailing.insert(0, tokens.pop().text)
    if not tokens:
        return start, start, None
    new_start = max(start, tokens[0].idx)
    new_end = min(end, tokens[-1].idx + len(tokens[-1].text))
    return new_start, new_end, " ".join(trailing) or None


def _extend_left(ctx: DocContext, start: int, limit: int = 2) -> int:
    """Take in given names NER left out: "MEP Tonino Picula" when NER found only "Picula"."""
    doc = ctx.doc
    index = ctx._token_index(start)
    titles = lexicons.titles()
    places = lexicons.places()
    taken = 0
    original = start
    while index > 0 and taken < limit:
        token = doc[index - 1]
        if (
            token.tag_ != "NNP"
            or token.ent_type_
            or not token.text[:1].isupper()
            or token.is_sent_start
            or token.whitespace_ != " "
            or token.lower_ in titles
            or token.lower_ in places.demonyms
            or token.lower_ in places.canonical
        ):
            break
        start = token.idx
        index -= 1
        taken += 1
    if start == original:
        return start
    # only between a job title and the name ("MEP Tonino Picula"): "Tory Liam Fox" stays
    before = doc[index - 1] if index > 0 else None
    if before is None or before.lower_ not in titles:
        return original
    return start


def _common_word_opening_sentence(ctx: DocContext, start: int, end: int) -> bool:
    """ "Challenges remain ...": one capitalized common noun opening a sentence is no name."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    token = span[0]
    return bool(token.is_sent_start) and token.tag_ in ("NNS", "NN", "VBZ", "VBG", "JJ", "RB")


#: Political leanings written as adjectives: "a Croatian Socialist MEP" describes a person.
_LEANINGS = frozenset(
    "socialist conservative liberal democrat democratic republican communist centrist".split()
)


def _nationality_and_leaning(name: str) -> bool:
    """ "Croatian Socialist", "French Conservative": a nationality word and a political
    leaning, no organization word; the party would be named ("Scottish Labour" stays)."""
    words = name.casefold().split()
    demonyms = lexicons.places().demonyms
    return (
        len(words) >= 2
        and words[-1] in _LEANINGS
        and all(w in demonyms or w in _LEANINGS for w in words)
        and any(w in demonyms for w in words)
    )


def _headline_words(ctx: DocContext, name: str) -> bool:
    """A headline in capitals read as a name ("LEADER JOINS MINERS FAST"): two words or
    more, all in capitals, most of them written in lower case elsewhere in the document
    (not "LA PAZ", "NEW YORK" or "UNITED STATES")."""
    words = name.split()
    if len(words) < 2 or not name.isupper() or name.lower() in lexicons.places().canonical:
        return False
    lower = _lower_words(ctx)
    common = sum(word.lower().strip(".,'’") in lower for word in words)
    return common * 2 > len(words)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past leading determiners/punctuation and trailing possessives."""
    for _ in range(3):
        chunk = text[start:end]
        lead = _LEADING_JUNK.match(chunk) or _LEADING_DET.match(chunk)
        if lead:
            start += lead.end()
            continue
        tail = _TRAILING_JUNK.search(chunk) or _TRAILING_POSSESSIVE.search(chunk)
        if tail and tail.start() < len(chunk):
            end = start + tail.start()
            continue
        break
    return start, end


def _strip_honorifics(title: str) -> str | None:
    words = [w for w in title.split() if lexicons.titles().get(w.lower()) != lexicons.HONORIFIC]
    return " ".join(words) or None


def _looks_like_name(name: str) -> bool:
    """A name has letters, a capital, and is not page furniture ("About Author")."""
    if not name or name.lower() in _not_names():
        return False
    if not any(ch.isalpha() for ch in name):
        return False
    return any(ch.isupper() for ch in name) or not name.isascii()


def _is_short_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words)


def _after_title(text: str, start: int) -> bool:
    """True when a job title ends right before ``start`` on the same line."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 80) : start]
    if not before.endswith((" ", "\t")):
        return False
    match = lexicons.title_suffix_regex().search(before)
    if match is not None and match.group("title")[:1].isupper():
        return True
    last = before.split()[-1:] if before.strip() else []
    return (
        bool(last)
        and lexicons.titles().get(last[0].lower()) == lexicons.HONORIFIC
        and last[0][:1].isupper()
    )


SPEC = ExtractorSpec("entities", extract_entities, requires=(), assigns=("names", "demonyms"))
