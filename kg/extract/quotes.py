"""Direct quotations and who said them (``speaker``, ``quoteText``).

A quotation is text between quotation marks (“…”, "…", «…», a stray closing mark
counts as closing) of at least four words. Its speaker is, in order of trust:

1. the subject of a speech verb in the same sentence ("…,” said Stoltenberg;
   "Stoltenberg told reporters: “…”"), a pronoun resolved to the last person named;
2. "according to X";
3. a name right after the closing mark on the same line ("…” NATO Secretary
   General Jens Stoltenberg);
4. a name ending the text just before the opening mark ("Tim Wright … said: “…");
5. the speaker of the previous quotation when this one continues it in the next
   paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec
from kg.extract.syntax import mention_for
from kg.model import LOCATION, ORGANIZATION, PERSON, QUOTATION, QUOTE, Fact, Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

EXTRACTOR = "quotes"
SPEAKERS = (PERSON, ORGANIZATION)
#: NER sometimes types a speaker's surname as a place; resolution fixes the type and the
#: RDF writer drops a speaker that still is not a person or an organization.
SPEAKER_CANDIDATES = (PERSON, ORGANIZATION, LOCATION)
SPEECH_VERBS = frozenset(
    """say tell add warn state announce declare explain insist note argue claim stress write
    ask reply respond comment urge call conclude acknowledge admit confirm deny suggest
    predict promise vow pledge emphasise emphasize recall remark observe caution describe""".split()
)
OPENING = '“"«„'
CLOSING = '”"»“'
_QUOTE = re.compile(r"[“\"«„](?P<body>[^“”\"«»„\n]{8,1500}?)(?:[”\"»“]|(?=\n))")
MIN_WORDS = 4


def quotation_spans(text: str) -> Iterator[tuple[int, int]]:
    """Character spans of the quotations in a text, marks included."""
    for match in _QUOTE.finditer(text):
        yield match.start(), match.end()


def extract_quotes(ctx: DocContext) -> Iterator[Mention | Fact]:
    """Quote mentions with their text and speaker."""
    text = ctx.text
    previous: tuple[int, Mention | None] = (-1, None)
    for match in _QUOTE.finditer(text):
        body = match.group("body").strip(" ,")
        if len(body.split()) < MIN_WORDS:
            continue
        start, end = match.start(), match.end()
        speaker, confidence = _speaker(ctx, start, end)
        if speaker is None and previous[1] is not None:
            if _continues(text, previous[0], start):
                speaker, confidence = previous[1], 0.6
            elif start - previous[0] < 400 and _opens_paragraph(text, start):
                speaker, confidence = previous[1], 0.45
        quote = Mention(
            doc_id=ctx.doc_id,
            text=body,
            name=" ".join(body.split()),
            type=QUOTE,
            start=start,
            end=end,
            sentence=" ".join(ctx.sentence_of(start).text.split()),
            label="QUOTE",
            confidence=0.9,
            extractor=EXTRACTOR,
            kind=QUOTATION,
        )
        yield quote
        evidence = ctx.evidence(start, end, EXTRACTOR, 0.9)
        yield Fact(quote, "quoteText", quote.name, evidence)
        if speaker is not None:
            yield Fact(quote, "speaker", speaker, ctx.evidence(start, end, EXTRACTOR, confidence))
        previous = (end, speaker)


def _continues(text: str, previous_end: int, start: int) -> bool:
    """True when only a paragraph break separates this quotation from the previous one."""
    between = text[previous_end:start]
    return (
        previous_end >= 0 and len(between) < 40 and "\n" in between and not between.strip(" \n\t.,")
    )


def _opens_paragraph(text: str, start: int) -> bool:
    return text[:start].rstrip(" \t").endswith("\n") or start == 0


def _speaker(ctx: DocContext, start: int, end: int) -> tuple[Mention | None, float]:
    for finder, confidence in (
        (_speech_verb_subject, 0.85),
        (_according_to, 0.85),
        (_name_after, 0.75),
        (_name_before, 0.7),
    ):
        speaker = finder(ctx, start, end)
        if speaker is not None:
            return speaker, confidence
    return None, 0.0


def _outside(token: Token, start: int, end: int) -> bool:
    return token.idx < start or token.idx >= end


def _speech_verb_subject(ctx: DocContext, start: int, end: int) -> Mention | None:
    first, last = ctx.sentence_of(start), ctx.sentence_of(max(start, end - 1))
    if first.start > 0 and _opens_sentence(first, start):
        previous = ctx.doc[first.start - 1].sent
        if "\n" not in ctx.text[previous.end_char : first.start_char]:
            first = previous
    window = ctx.doc[max(0, first.start - 1) : min(len(ctx.doc), last.end + 1)]
    after_end = ctx.sentence_of(min(len(ctx.text) - 1, end))
    tokens = list(window) + [t for t in after_end if t.i >= window.end]
    for token in tokens:
        if token.lemma_ not in SPEECH_VERBS or token.pos_ not in ("VERB", "AUX"):
            continue
        if not _outside(token, start, end) or abs(_distance(token, start, end)) > 240:
            continue
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass") and _outside(child, start, end):
                speaker = mention_for(ctx, child, SPEAKER_CANDIDATES)
                if speaker is not None:
                    return speaker
    return None


def _opens_sentence(sentence, start: int) -> bool:  # type: ignore[no-untyped-def]
    """True when the quotation starts its sentence (so the previous one may introduce it)."""
    return sentence.start_char >= start - 2


def _distance(token: Token, start: int, end: int) -> int:
    return start - token.idx if token.idx < start else token.idx - end


def _according_to(ctx: DocContext, start: int, end: int) -> Mention | None:
    sentence = ctx.sentence_of(start)
    match = re.search(r"\baccording to\b", sentence.text, re.IGNORECASE)
    if match is None:
        return None
    at = sentence.start_char + match.end()
    found = ctx.mentions_between(at, at + 80, types=SPEAKERS)
    return next((m for m in found if m.type == PERSON), found[0] if found else None)


def _name_after(ctx: DocContext, start: int, end: int) -> Mention | None:
    text = ctx.text
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    tail = text[end:line_end]
    if len(tail) > 120:
        return None
    persons = ctx.mentions_between(end, line_end, types=(PERSON,))
    return persons[-1] if persons and len(tail.strip(" ,.;:")) < 100 else None


def _name_before(ctx: DocContext, start: int, end: int) -> Mention | None:
    text = ctx.text
    head = text[max(0, start - 200) : start].rstrip()
    if not head.endswith((":", ",")):
        return None
    line_start = text.rfind("\n", 0, start) + 1
    found = ctx.mentions_between(max(line_start, start - 200), start, types=SPEAKER_CANDIDATES)
    persons = [m for m in found if m.type == PERSON]
    organizations = [m for m in found if m.type == ORGANIZATION]
    return (persons or organizations or [None])[-1]


SPEC = ExtractorSpec(
    EXTRACTOR, extract_quotes, requires=("names", "roles", "references"), assigns=("quotes",)
)
