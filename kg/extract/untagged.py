"""Names NER left untagged, found by what the text around them says they are.

spaCy's NER misses names it has not seen, most of them in news: bands, newspapers,
companies, rugby players. A run of capitalised words it did not tag (cut at "and", "&"
and "on") becomes a mention here only when a general cue types it:

* a common given name and a surname tagged a singular proper noun: "All Black Aaron
  Mauger" (a person); a person span that is a given name alone takes in the surname
  after it ("Mike" + "Hobday");
* a common noun in apposition right before it that says what it names: "the band X",
  "browser maker X" (``kg/data/name_context.tsv``, ``kg/data/organization_nouns.txt``),
  or a job title before "at": "economist at Swiss Re";
* an acronym defined after it whose letters are its words' initials, the last word an
  organization's or a place's: "Association of Payment Clearing Services (APCS)";
* a party named by its members in the plural: "the Tories" (``kg/data/parties.tsv``);
* an organization word ending it: "Acme Widgets Ltd" (``kg/data/type_heads.tsv``);
* a list of names NER tagged with one label around it: "Edgar Allan Poe, E Nesbit and
  Ambrose Bierce".

A NORP span that is no nationality word ("Netscape") does not hide a name. These
mentions have lower confidence than NER's; resolution still decides whether the cluster
is an entity and of which type (a name can stay evidence and no node).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kg.data import lexicons
from kg.extract.cues import noun_before
from kg.model import LOCATION, ORGANIZATION, PERSON

#: NER labels whose spans are names of their own (a candidate may not overlap them).
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "NORP"})
#: NER labels of works and products: never read as an untagged name.
WORK_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"})
#: Small words allowed inside a capitalised name ("Bank of England").
_LINKS = frozenset({"of", "and", "&", "for", "on", "de", "du", "la", "van", "von", "der"})
_WORD = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*[a-zà-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*$")
_INITIAL = re.compile(r"^[A-Z]\.?$")
_ACRONYM_AFTER = re.compile(r"[ \t]*\([ \t]*(?P<acr>[A-Z][A-Z&]{1,9})[ \t]*\)")
#: "economist at X", "professor at X": the organization someone works at.
_WORKS_AT = re.compile(r"\b(?P<noun>[a-z][a-z\-]{2,20})[ \t]+at[ \t]+(?:the[ \t]+)?$")

CONFIDENCE = 0.6
#: A given name this rare (people per million, US census) is too often another word.
MIN_GIVEN_NAME_FREQUENCY = 100


@dataclass(frozen=True)
class Candidate:
    """A name NER did not tag: where it is, its type and which cue gave it."""

    start: int
    end: int
    type: str
    cue: str
    #: The name it stands for when that is not the text ("Tories" → "Conservative Party").
    name: str | None = None


class Tagged(Protocol):
    """A span NER tagged (character offsets and label)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


def untagged_names(doc: object, spans: Sequence[Tagged]) -> list[Candidate]:
    """Candidates in a parsed spaCy ``Doc`` outside the ``spans`` NER tagged as names."""
    text: str = doc.text  # type: ignore[attr-defined]
    named = [(s.start, s.end) for s in spans if s.label in NAMED_LABELS - {"NORP"}]
    norp = [
        (s.start, s.end) for s in spans if s.label == "NORP" and _nationality(text[s.start : s.end])
    ]
    all_norp = [(s.start, s.end) for s in spans if s.label == "NORP"]
    works = [(s.start, s.end) for s in spans if s.label in WORK_LABELS]
    lower = frozenset(re.findall(r"\b[a-z][a-z\-]{2,}\b", text))
    out: list[Candidate] = []
    for start, end, tokens in capitalised_runs(doc):
        words = [t.text for t in tokens]
        whole = (
            None if _overlaps(named, start, end) else _acronym_long_form(text, start, end, words)
        )
        if whole is not None:
            out.append(whole)
            continue
        for part in _parts(tokens):
            p_start, p_end = part[0].idx, part[-1].idx + len(part[-1].text)
            if _overlaps(named, p_start, p_end) or _inside(norp, p_start, p_end):
                continue  # "Swiss Re" is more than the NORP "Swiss"; "Swiss" alone is not
            if _overlaps(works, p_start, p_end):
                continue
            p_words = [t.text for t in part]
            if len(part) == 1 and (len(p_words[0]) < 2 or part[0].pos_ == "PRON"):
                continue  # "a club I have fond memories of"
            found = (
                _party(p_start, p_end, p_words)
                or _given_name_and_surname(text, p_start, part, lower)
                or _apposition(text, p_start, p_end, p_words, lower)
                or _organization_head(text, p_start, p_end, part, lower)
                or (
                    None
                    if _overlaps(all_norp, p_start, p_end)  # "Albertans": a people
                    else _list_member(text, p_start, p_end, p_words, spans, lower)
                )
            )
            if found is not None:
                out.append(found)
    return out


def _nationality(word: str) -> bool:
    """A NORP span that is a nationality word ("Swiss", "Britons"), not a name NER
    mislabelled ("Netscape")."""
    folded = word.casefold()
    demonyms = lexicons.places().demonyms
    return folded in demonyms or folded.rstrip("s") in demonyms


def _party(start: int, end: int, words: list[str]) -> Candidate | None:
    """A party named by its members in the plural ("the Tories", "the Liberal Democrats"):
    the party (``kg/data/parties.tsv``); the singular is an adjective ("Tory MPs")."""
    form = " ".join(words).casefold()
    party = lexicons.parties().get(form)
    if party is None or not form.endswith("s") or form == party.casefold():
        return None
    return Candidate(start, end, ORGANIZATION, "party", party)


def _parts(tokens: list[Any]) -> list[list[Any]]:
    """A run cut at "and", "&" and "on" ("Columbia and Buena Vista" is two names, "Hanks
    on Forrest Gump" none; an acronym's long form is read whole)."""
    parts: list[list[Any]] = [[]]
    for token in tokens:
        if token.text in ("and", "&", "on"):
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


_LIST_BEFORE = re.compile(r"(?:,|,?[ \t]+and)[ \t]+$")
_LIST_AFTER = re.compile(r"^(?:,|[ \t]+and\b)[ \t]+")
#: The type a list of names of one NER label gives a name NER missed in it.
_LIST_TYPES = {"PERSON": PERSON, "ORG": ORGANIZATION}


def _list_member(
    text: str,
    start: int,
    end: int,
    words: list[str],
    spans: Sequence[Tagged],
    lower: frozenset[str],
) -> Candidate | None:
    """A name NER missed in a list of names it tagged with one label: "Edgar Allan Poe,
    E Nesbit and Ambrose Bierce" (two neighbours of the list at least, all people or all
    organizations)."""
    if len(words) > 4 or all(w.casefold() in lower for w in words):
        return None
    by_end = {s.end: s for s in spans}
    by_start = {s.start: s for s in spans}
    labels = []
    before = _LIST_BEFORE.search(text[max(0, start - 8) : start])
    position = start - len(before.group()) if before else -1
    for _ in range(2):  # up to two names before it
        span = by_end.get(position)
        if span is None:
            break
        labels.append(span.label)
        before = _LIST_BEFORE.search(text[max(0, span.start - 8) : span.start])
        position = span.start - len(before.group()) if before else -1
    after = _LIST_AFTER.match(text[end : end + 8])
    if after is not None and (span := by_start.get(end + after.end())) is not None:
        labels.append(span.label)
    if len(labels) < 2 or len(set(labels)) != 1 or labels[0] not in _LIST_TYPES:
        return None
    return Candidate(start, end, _LIST_TYPES[labels[0]], "list")


def given_name_ends(doc: object, spans: Sequence[Tagged]) -> dict[int, int]:
    """PERSON spans that are one known given name, by start, with the end that takes in
    the capitalised surname right after it when NER left that word out or gave it another
    label ("Mike" + "Hobday")."""
    text: str = doc.text  # type: ignore[attr-defined]
    lower = frozenset(re.findall(r"\b[a-z][a-z\-]{2,}\b", text))
    named = [(s.start, s.end) for s in spans if s.label in NAMED_LABELS]
    out: dict[int, int] = {}
    for span in spans:
        word = text[span.start : span.end]
        following = re.match(r"[ \t]+(\S+?)(?=[\s,.;:!?\"”)]|['’]s\b|$)", text[span.end :])
        if (
            span.label == "PERSON"
            and _given_name(word)
            and following is not None
            and _is_surname(following.group(1), lower)
        ):
            end = span.end + following.end(1)
            if not _overlaps(named, span.end + following.start(1), end):
                out[span.start] = end
    return out


def capitalised_runs(doc: object) -> Iterator[tuple[int, int, list[Any]]]:
    """Maximal runs of capitalised words on one line (with "of", "and" ... inside), as
    (start, end, tokens); a run never crosses a sentence or a line."""
    tokens = list(doc)  # type: ignore[call-overload]
    i = 0
    while i < len(tokens):
        if not _capitalised(tokens[i].text):
            i += 1
            continue
        j = i + 1
        while (
            j < len(tokens)
            and not tokens[j].is_sent_start
            and "\n" not in tokens[j - 1].whitespace_
        ):
            if _capitalised(tokens[j].text):
                j += 1
            elif (
                tokens[j].text in _LINKS
                and j + 1 < len(tokens)
                and _capitalised(tokens[j + 1].text)
                and not tokens[j + 1].is_sent_start
            ):
                j += 2
            else:
                break
        start, end = tokens[i].idx, tokens[j - 1].idx + len(tokens[j - 1].text)
        yield start, end, tokens[i:j]
        i = j


def _capitalised(word: str) -> bool:
    """A word that can be part of a name (not a month or a weekday)."""
    return bool(_WORD.match(word) or _INITIAL.match(word)) and word.casefold() not in _CALENDAR


def _overlaps(ranges: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in ranges)


def _given_name(word: str) -> bool:
    """A common enough given name ("Mike", "Aaron"; not "Lang")."""
    frequency = lexicons.first_name_frequencies().get(word.casefold(), 0)
    return frequency >= MIN_GIVEN_NAME_FREQUENCY


def _inside(ranges: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` lies within one of the ranges."""
    return any(a <= start and end <= b for a, b in ranges)


def _is_surname(word: str, lower: frozenset[str]) -> bool:
    """A capitalised word that can be a surname: no common word of the text, no place,
    no organization or place head ("Street", "Party"), no title, no month or weekday."""
    folded = word.casefold()
    return (
        bool(_WORD.match(word))
        and not word.isupper()
        and folded not in lower
        and folded not in lexicons.gazetteer()
        and folded not in lexicons.places().canonical
        and folded not in lexicons.places().demonyms
        and folded not in lexicons.type_heads()
        and folded not in lexicons.titles()
        and folded not in _CALENDAR
    )


_CAPITAL_BEFORE = re.compile(r"[A-Z][\w'’&.\-]*[ \t]+$")
_WORK_BEFORE = re.compile(r"\b(?:on|in)[ \t]+$")
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday christmas easter".split()
)


def _given_name_and_surname(
    text: str, start: int, tokens: list[Any], lower: frozenset[str]
) -> Candidate | None:
    """The last two words of a run, a known given name and a surname tagged a singular
    proper noun: "Aaron Mauger" (also at the end of "All Black Aaron Mauger"); not "Star
    Wars"."""
    words = [t.text for t in tokens]
    if len(words) < 2 or any(w in _LINKS for w in words[-2:]) or tokens[-1].tag_ != "NNP":
        return None
    last = tokens[-1]
    if last.dep_ in ("compound", "amod") and last.head.i > last.i:
        return None  # "the Roman Catholic missionary": it modifies the noun after it
    given, surname = words[-2], words[-1]
    folded = given.casefold()
    if (
        not _given_name(given)
        or folded in lower
        or folded in lexicons.titles()
        or folded in _CALENDAR
        or folded in lexicons.places().canonical
        or not _is_surname(surname, lower)
    ):
        return None
    end = start + len(" ".join(words))
    given_start = end - len(given) - 1 - len(surname)
    if text[given_start:end] != f"{given} {surname}":
        return None
    if _WORK_BEFORE.search(text[max(0, given_start - 12) : given_start]):
        return None  # "worked on Forrest Gump", "starred in Ray Donovan": works, often
    if len(words) > 2 and _given_name(words[-3]):
        return None  # "Jack Daniel Smith"? too unsure where the name begins
    return Candidate(given_start, end, PERSON, "given_name")


def _apposition(
    text: str, start: int, end: int, words: list[str], lower: frozenset[str]
) -> Candidate | None:
    """A name right after a common noun that says what it is: "the band Queen",
    "newspaper The Scotsman", "economist at Swiss Re"."""
    if len(words) > 5 or all(w.casefold() in lower for w in words if w not in _LINKS):
        return None
    works_at = _WORKS_AT.search(text[max(0, start - 40) : start])
    if works_at is not None and lexicons.titles().get(works_at.group("noun")) == lexicons.MEMBER:
        return Candidate(start, end, ORGANIZATION, "works_at")
    noun = noun_before(text, start)
    if noun is None or text[start - 1 : start] != " " or "," in text[max(0, start - 3) : start]:
        return None
    kind = _noun_type(noun)
    if kind is None:
        return None
    return Candidate(start, end, kind, f"before:{noun}")


#: Organization heads too often part of a phrase that names nothing ("The Force").
_WEAK_HEADS = frozenset({"force", "service", "services", "government", "administration", "news"})


def _organization_head(
    text: str, start: int, end: int, tokens: list[Any], lower: frozenset[str]
) -> Candidate | None:
    """ "Internal Revenue Service", "Acme Widgets Ltd": a run of two words or more that
    ends in an organization word (``kg/data/type_heads.tsv``), not opening a sentence
    unless it has three words, and with a word before the head that is neither a common
    word of the text nor a country or nationality ("British Government" describes)."""
    words = [t.text for t in tokens]
    if words and words[0] == "The":
        tokens, words = tokens[1:], words[1:]
        start = tokens[0].idx if tokens else end
    head = words[-1].casefold() if words else ""
    if (
        len(words) < 2
        or lexicons.type_heads().get(head) != ORGANIZATION
        or head in _WEAK_HEADS
        or (tokens[0].is_sent_start and len(words) < 3)
    ):
        return None
    if _CAPITAL_BEFORE.search(text[max(0, start - 30) : start]):
        return None  # "KinderCare | Learning Centers Inc": the run was cut inside a name
    places = lexicons.places()
    others = [w.casefold() for w in words[:-1] if w not in _LINKS]
    if all(w in lower or w in places.canonical or w in places.demonyms for w in others):
        return None
    return Candidate(start, end, ORGANIZATION, "head")


def _noun_type(noun: str) -> str | None:
    """What a name after this common noun names (None: the noun says nothing sure)."""
    if noun in lexicons.organization_nouns():
        return ORGANIZATION
    kind = lexicons.name_context().get((noun, "before"))
    if kind in (ORGANIZATION, LOCATION, PERSON):
        return kind
    return None


def _acronym_long_form(text: str, start: int, end: int, words: list[str]) -> Candidate | None:
    """ "Association of Payment Clearing Services (APCS)": the run before an acronym in
    brackets whose letters are the initials of its words (small words skipped), when its
    last word is an organization's or a place's (``kg/data/type_heads.tsv``); a disease, a
    treaty or a measure defined so stays no name."""
    match = _ACRONYM_AFTER.match(text, end)
    if match is None:
        return None
    acronym = match.group("acr").replace("&", "")
    significant = [w for w in words if w not in _LINKS]
    for first in range(len(significant)):
        if "".join(w[0] for w in significant[first:]).upper() == acronym:
            begin = text.find(significant[first], start, end)
            kind = lexicons.type_heads().get(significant[-1].casefold())
            if kind not in (ORGANIZATION, LOCATION):
                return None  # "Bovine Spongiform Encephalopathy (BSE)", "... Value (ODV)"
            return Candidate(begin, end, kind, "acronym")
    return None
