"""Direct quotations and who said them (``speaker``, ``quoteText``).

A quotation runs from an opening mark (“, «, „, or " after a space) to its closing mark;
a new opening mark before any closing one ends it (news style: ``said: "One. "Two."``),
and so does a paragraph break (a blank or an indented line: a single line break is a
wrapped line). Quotations under four words are left out. The speaker is, in order:

1. the subject of a verb of saying right after the quotation ("…,” said Stoltenberg;
   "…,” he added; "…,” the minister said) or in the clause that opens it ("Tim Wright
   told reporters: “…”"); a pronoun or a description counts through coreference (the
   ``reference`` mentions of :mod:`kg.extract.coref`), and its evidence then spans
   from the named mention to the quotation; "a Labour spokesman said" speaks for the
   party, "the company said in a statement" for the company;
2. "according to X";
3. a name right after the closing mark on the same line ("…” NATO Secretary General
   Jens Stoltenberg), or ending the text just before the opening mark ("Tim Wright:
   “…");
4. the speaker of the previous quotation when this one continues it (nothing but a
   paragraph break between them, or a quotation that never closed);
5. a verb of saying in the next sentence ("“…” ⏎ Smith said the plan was…"), when that
   sentence quotes nobody else.

A quotation none of these finds keeps no speaker: it is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.data import lexicons
from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec
from kg.model import (
    LOCATION,
    NAME,
    ORGANIZATION,
    PERSON,
    QUOTATION,
    QUOTE,
    REFERENCE,
    Fact,
    Mention,
)

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
    predict promise vow pledge emphasise emphasize recall remark observe caution describe
    continue press complain maintain concede agree boast quip joke recount reveal told""".split()
)
#: Nouns of someone who speaks for an organization ("a Labour spokesman said").
SPOKESPEOPLE = frozenset("spokesman spokeswoman spokesperson representative statement".split())
OPENING = "“«„"
CLOSING = "”»"
MIN_WORDS = 4
MAX_LENGTH = 2000
#: How far (characters) a verb of saying may lie from the quotation it introduces.
REACH = 200
#: How far (characters) the previous quotation's speaker stays the one "he"/"she" means.
LAST_SPEAKER_REACH = 400
#: Pronouns that, after a quotation, name its speaker again ("…,” he added).
SPEAKER_PRONOUNS = frozenset(("he", "she"))
_MARKS = re.compile(f'[{OPENING}{CLOSING}"]')
_PARAGRAPH = re.compile(r"\n(?:[ \t]*\n|[ \t]{2,})")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n[ \t]*\n|\n[ \t]{2,}")


@dataclass(frozen=True)
class Quotation:
    """Characters ``[start, end)`` of a quotation, marks included; ``closed`` when it has a
    closing mark (else it stops where the next one opens or the paragraph ends)."""

    start: int
    end: int
    closed: bool

    def body(self, text: str) -> str:
        return text[self.start + 1 : self.end - 1 if self.closed else self.end].strip(" ,\n\t")


def quotations(text: str) -> list[Quotation]:
    """The quotations of a text, in order (see the module docstring)."""
    out: list[Quotation] = []
    open_at: int | None = None
    breaks = [m.start() for m in _PARAGRAPH.finditer(text)]
    next_break = 0
    # Only the quotation marks are visited: a paragraph break between an open mark and the
    # next mark (or the text's last character, after the loop) closes the quotation there.
    for match in _MARKS.finditer(text):
        i = match.start()
        if open_at is not None:
            while next_break < len(breaks) and breaks[next_break] < open_at:
                next_break += 1
            if next_break < len(breaks) and breaks[next_break] < i:
                out.append(Quotation(open_at, breaks[next_break], False))
                open_at = None
        role = _mark_role(text, i, open_at is not None)
        if role == "open":
            if open_at is not None:
                out.append(Quotation(open_at, _trim_end(text, i), False))
            open_at = i
        elif role == "close" and open_at is not None:
            out.append(Quotation(open_at, i + 1, True))
            open_at = None
    if open_at is not None:
        while next_break < len(breaks) and breaks[next_break] < open_at:
            next_break += 1
        if next_break < len(breaks) and breaks[next_break] < len(text) - 1:
            out.append(Quotation(open_at, breaks[next_break], False))
            open_at = None
    if open_at is not None:
        out.append(Quotation(open_at, len(text.rstrip()), False))
    return [q for q in out if q.end - q.start <= MAX_LENGTH]


def _trim_end(text: str, at: int) -> int:
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at


def _mark_role(text: str, i: int, inside: bool) -> str:
    """ "open", "close" or "none" for the quotation mark at ``i``."""
    ch = text[i]
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in CLOSING:
        return "close"
    if ch in OPENING:
        # "“" also closes in some texts: after a word, before a space or punctuation
        if inside and not before.isspace() and (after.isspace() or after in ".,;:!?"):
            return "close"
        return "open"
    opens = (before.isspace() or before in "([{—–-:") and not after.isspace()
    closes = not before.isspace()
    if inside:
        if closes:
            return "close"
        return "open" if opens else "none"
    return "open" if opens else ("close" if closes else "none")


def quotation_spans(text: str) -> Iterator[tuple[int, int]]:
    """Character spans of the quotations in a text, marks included."""
    for q in quotations(text):
        yield q.start, q.end


@dataclass(frozen=True)
class Attribution:
    """Who said a quotation, how sure we are, and where the evidence starts and ends."""

    speaker: Mention
    confidence: float
    start: int
    end: int


def extract_quotes(ctx: DocContext) -> Iterator[Mention | Fact]:
    """Quote mentions with their text and speaker."""
    text = ctx.text
    # short scare quotes ("off the mark") are no quotations and bound no other one
    found = [q for q in quotations(text) if len(q.body(text).split()) >= MIN_WORDS]
    previous: tuple[Quotation, Attribution | None] | None = None
    for index, q in enumerate(found):
        body = q.body(text)
        attribution = _attribute(ctx, q, found, index, previous)
        quote = Mention(
            doc_id=ctx.doc_id,
            text=body,
            name=" ".join(body.split()),
            type=QUOTE,
            start=q.start,
            end=q.end,
            sentence=ctx.sentence_text(ctx.sentence_of(q.start)),
            label="QUOTE",
            confidence=0.9,
            extractor=EXTRACTOR,
            kind=QUOTATION,
        )
        yield quote
        yield Fact(quote, "quoteText", quote.name, ctx.evidence(q.start, q.end, EXTRACTOR, 0.9))
        if attribution is not None:
            evidence = ctx.evidence(
                attribution.start, attribution.end, EXTRACTOR, attribution.confidence
            )
            yield Fact(quote, "speaker", attribution.speaker, evidence)
        previous = (q, attribution)


def _attribute(
    ctx: DocContext,
    q: Quotation,
    found: list[Quotation],
    index: int,
    previous: tuple[Quotation, Attribution | None] | None,
) -> Attribution | None:
    text = ctx.text
    after_limit = found[index + 1].start if index + 1 < len(found) else len(text)
    before_limit = found[index - 1].end if index else 0
    last = _last_speaker(ctx, previous, q)
    if last is None:  # "Fox said X was “abusive”. “…,” he said."
        reported = _verb_previous_sentence(ctx, q, before_limit, names_only=True)
        last = reported[0] if reported is not None and reported[0].type == PERSON else None
    speaker = _verb_after(ctx, q, after_limit, last) or _verb_before(ctx, q, before_limit, last)
    if speaker is not None:
        return _attribution(q, *speaker)
    for finder in (_according_to, _name_after, _name_before):
        named = finder(ctx, q.start, q.end)
        if named is not None:
            return _attribution(q, named, 0.7)
    if previous is not None and previous[1] is not None and _continues(text, previous[0], q):
        earlier = previous[1]
        return Attribution(
            earlier.speaker, round(earlier.confidence * 0.9, 3), min(earlier.start, q.start), q.end
        )
    later = _verb_next_sentence(ctx, q, after_limit)
    if later is not None:
        return _attribution(q, later[0], 0.6)
    reported = _verb_previous_sentence(ctx, q, before_limit)
    if reported is not None:
        return _attribution(q, reported[0], 0.6)
    return None


def _last_speaker(
    ctx: DocContext, previous: tuple[Quotation, Attribution | None] | None, q: Quotation
) -> Mention | None:
    """The person who spoke the previous quotation, when nobody else is named since: news
    style's "he added" after a quotation is that speaker's, whatever person came before."""
    if previous is None or previous[1] is None or previous[1].speaker.type != PERSON:
        return None
    earlier, attribution = previous[0], previous[1]
    if q.start - earlier.end > LAST_SPEAKER_REACH:
        return None
    since = _named(ctx.mentions_between(earlier.end, q.start, types=(PERSON,)))
    if any(m.name != attribution.speaker.name for m in since):
        return None
    return attribution.speaker


def _verb_previous_sentence(
    ctx: DocContext, q: Quotation, limit: int, *, names_only: bool = False
) -> tuple[Mention, float] | None:
    """ "Smith said the plan would work. “We are ready.”": reported speech in the sentence
    before a quotation that opens its own sentence."""
    text = ctx.text
    head = text[max(limit, q.start - 2 * REACH) : q.start]
    ends = list(_SENTENCE_END.finditer(head))
    if not ends or head[ends[-1].end() :].strip():
        return None  # the quotation does not open a sentence
    first = ends[-2].end() if len(ends) > 1 else 0
    offset = q.start - len(head)
    return _speech_subject(
        ctx, q, offset + first, offset + ends[-1].start(), 0.6, names_only=names_only
    )


def _attribution(q: Quotation, speaker: Mention, confidence: float) -> Attribution:
    """The evidence spans the quotation and the speaker's named mention (through a
    pronoun, that mention lies in an earlier sentence)."""
    return Attribution(speaker, confidence, min(speaker.start, q.start), max(speaker.end, q.end))


def _continues(text: str, previous: Quotation, q: Quotation) -> bool:
    """This quotation goes on with the previous one: nothing but white space between them
    (the previous one never closed, or a paragraph break separates them), or only the
    clause that attributed the previous one ("“…,” Jones said. “…”"), also before a
    paragraph break."""
    between = text[previous.end : q.start]
    if not between.strip(" \n\t"):
        return not previous.closed or "\n" in between
    brk = _PARAGRAPH.search(between)
    if brk is not None:  # "“…,” Jones said. ⏎⏎ “…”": a paragraph that opens with a quotation
        if between[brk.start() :].strip():
            return False
        between = between[: brk.start()] + " "
    if len(between) > 120:
        return False
    ends = list(_SENTENCE_END.finditer(between))
    return len(ends) == 1 and not between[ends[0].end() :].strip()


def _verb_after(
    ctx: DocContext, q: Quotation, limit: int, last: Mention | None = None
) -> tuple[Mention, float] | None:
    """ "…,” said Smith / he said / the minister added."""
    text = ctx.text
    if _ends_sentence(text, q):
        return None  # "…office.” T-Mobile said it…": a new sentence, not the attribution
    stop = _SENTENCE_END.search(text, q.end)
    end = min(limit, stop.end() if stop else len(text), q.end + REACH)
    if end == limit and text[q.end : limit].rstrip().endswith(":"):
        return None  # the clause after it introduces the next quotation
    return _speech_subject(ctx, q, q.end, end, 0.85, last=last)


def _ends_sentence(text: str, q: Quotation) -> bool:
    """True when the quotation closes with a full stop and a new sentence follows it
    ("He added: “…out of the office.” T-Mobile said…"); "…?” Smith asked" stays open."""
    return (
        q.closed
        and text[q.start : q.end - 1].rstrip().endswith(".")
        and re.match(r"[ \t]+[A-Z]", text[q.end : q.end + 3]) is not None
    )


def _verb_before(
    ctx: DocContext, q: Quotation, limit: int, last: Mention | None = None
) -> tuple[Mention, float] | None:
    """ "Smith told reporters: “…”", "He added that “…”"."""
    text = ctx.text
    start = max(limit, q.start - REACH)
    ends = list(_SENTENCE_END.finditer(text, start, q.start))
    if ends:
        start = ends[-1].end()
    return _speech_subject(ctx, q, start, q.start, 0.85, last=last, backwards=True)


def _verb_next_sentence(ctx: DocContext, q: Quotation, limit: int) -> tuple[Mention, float] | None:
    """A speech verb in the sentence after the quotation, naming its subject."""
    text = ctx.text
    stop = _SENTENCE_END.search(text, q.end)
    if stop is None or stop.start() - q.end > 3:
        return None  # the quotation does not end its sentence
    start = stop.end()
    following = _SENTENCE_END.search(text, start)
    end = min(limit, following.end() if following else len(text), start + REACH)
    if end < start + 10:
        return None
    found = _speech_subject(ctx, q, start, end, 0.6, names_only=True)
    return found


def _speech_subject(
    ctx: DocContext,
    q: Quotation,
    start: int,
    end: int,
    confidence: float,
    *,
    names_only: bool = False,
    last: Mention | None = None,
    backwards: bool = False,
) -> tuple[Mention, float] | None:
    """The speaker named by the subject of a verb of saying among characters [start, end):
    the verb the quotation hangs on first, then the nearest (``backwards``: before it)."""
    if end <= start:
        return None
    span = ctx.doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return None
    verbs = [t for t in span if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX")]
    for token in _governing_first(ctx, q, verbs[::-1] if backwards else verbs):
        for child in _subjects(token):
            if child.dep_ not in ("nsubj", "nsubjpass") or q.start <= child.idx < q.end:
                continue
            found = _speaker_of(ctx, child, last)
            if found is None:
                continue
            speaker, through = found
            if names_only and through != NAME:
                continue
            factor = 1.0 if through == NAME else 0.9
            return speaker, round(confidence * factor, 3)
    return None


def _subjects(verb: Token) -> list[Token]:
    """The verb's own children, or those of the verb it is coordinated with when it has no
    subject of its own ("He hinted at discontent, and said: “…”")."""
    own = list(verb.children)
    if verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in own):
        return [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return own


def _governing_first(ctx: DocContext, q: Quotation, verbs: list[Token]) -> list[Token]:
    """The verbs the quotation's words depend on ("…, Blair said it was “…”") before the
    others ("When the government announced…"), each group in the given order."""
    inside = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    if inside is None:
        return verbs
    heads = {a.i for t in inside for a in t.ancestors}
    return [v for v in verbs if v.i in heads] + [v for v in verbs if v.i not in heads]


def _speaker_of(
    ctx: DocContext, token: Token, last: Mention | None = None
) -> tuple[Mention, str] | None:
    """The named mention a subject token stands for, and how (a name or a reference)."""
    if last is not None and token.lower_ in SPEAKER_PRONOUNS:
        return last, REFERENCE
    found = _subject_mention(ctx, token)
    if found is None and _is_title_description(token):
        described = last or _only_person_before(ctx, token)
        if described is not None:
            return described, REFERENCE  # "…,” said the lock forward
    if found is None or found[0].type == PERSON:
        return found
    # "Juan Lechin, the secretary general of the Labour Organization, told...": the parse
    # took the organization for the subject; the clause opens with the person
    start = token.sent.start_char
    opening = _named(ctx.mentions_between(start, token.idx, types=(PERSON,)))
    if opening and re.match(r",|\s+of\s", ctx.text[opening[0].end : opening[0].end + 4]):
        if not ctx.text[start : opening[0].start].strip(' \n\t"“'):
            return opening[0], NAME
    return found


def _is_title_description(token: Token) -> bool:
    """ "the lock forward", "the minister": a definite job title standing for a person."""
    words = [t for t in token.subtree if t.i <= token.i]
    if not words or words[0].lower_ != "the" or len(words) > 4:
        return False
    doc = token.doc
    following = doc[token.i + 1] if token.i + 1 < token.sent.end else None
    ends = [token.i + 1, token.i] if following is not None and following.is_alpha else [token.i]
    for end in ends:  # the parse may cut a title in two ("the lock | forward")
        kind = lexicons.title_kind(doc[words[1].i : end + 1].text)
        if kind is not None and kind != lexicons.HONORIFIC:
            return True
    return False


def _only_person_before(ctx: DocContext, token: Token) -> Mention | None:
    """The one person named in the two sentences before ``token``'s (and in it, before it)."""
    sentence = token.sent
    first = sentence.start
    for _ in range(2):
        if first > 0:
            first = token.doc[first - 1].sent.start
    start = token.doc[first].idx
    line = ctx.text.rfind("\n\n", start, token.idx)
    people = _named(
        ctx.mentions_between(line + 2 if line >= 0 else start, token.idx, types=(PERSON,))
    )
    names = {m.name for m in people}
    return people[-1] if len(names) == 1 else None


def _subject_mention(ctx: DocContext, token: Token) -> tuple[Mention, str] | None:
    mention = ctx.mention_of_token(token, types=SPEAKER_CANDIDATES)
    if mention is not None and mention.kind == REFERENCE and mention.antecedent is not None:
        return mention.antecedent, REFERENCE
    if mention is not None and mention.kind == NAME:
        return mention, NAME
    for child in token.subtree:  # "a proud coach Mike Ruddock", "Flight International's X"
        if child.i != token.i and child.dep_ in ("compound", "appos", "poss", "npadvmod"):
            named = ctx.mention_of_token(child, types=(PERSON,))
            if named is not None and named.kind == NAME and token.lower_ not in SPOKESPEOPLE:
                return named, NAME
    if mention is None and token.text[:1].isupper() and token.pos_ in ("PROPN", "ADJ", "NOUN"):
        # a surname NER missed ("Conable said"), after the full name
        earlier = _named(ctx.mentions_between(0, token.idx, types=SPEAKERS))
        same = [m for m in earlier if m.name.split()[-1] == token.text]
        if same:
            return same[-1], NAME
    if token.lower_ in SPOKESPEOPLE:
        for child in token.subtree:
            org = ctx.mention_of_token(child, types=(ORGANIZATION,))
            if org is not None and org.kind == NAME:
                return org, NAME
            if org is not None and org.antecedent is not None:
                return org.antecedent, REFERENCE
    return None


def _according_to(ctx: DocContext, start: int, end: int) -> Mention | None:
    sentence = ctx.sentence_of(start)
    match = re.search(r"\baccording to\b", sentence.text, re.IGNORECASE)
    if match is None:
        return None
    at = sentence.start_char + match.end()
    found = _named(ctx.mentions_between(at, at + 80, types=SPEAKERS))
    return next((m for m in found if m.type == PERSON), found[0] if found else None)


def _named(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.kind == NAME]


def _name_after(ctx: DocContext, start: int, end: int) -> Mention | None:
    text = ctx.text
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    tail = text[end:line_end]
    if len(tail) > 120 or not tail.strip(" ,.;:"):
        return None
    persons = _named(ctx.mentions_between(end, line_end, types=(PERSON,)))
    if not persons:
        return None
    between = text[end : persons[0].start].strip(" ,;:—–-")
    if between and not lexicons.title_suffix_regex().search(between):
        return None  # only a title may stand between ("” Chancellor Olaf Scholz")
    return persons[0] if len(tail.strip(" ,.;:")) < 100 else None


#: What comes before the one spoken to ("The MP told BBC News: “…”"): not the speaker.
_ADDRESSEE = re.compile(r"\b(?:told|tells|tell|telling|to)\s+(?:the\s+)?$", re.IGNORECASE)


def _name_before(ctx: DocContext, start: int, end: int) -> Mention | None:
    text = ctx.text
    head = text[max(0, start - 200) : start].rstrip()
    if not head.endswith(":"):
        return None
    line_start = text.rfind("\n", 0, start) + 1
    found = _named(
        ctx.mentions_between(max(line_start, start - 200), start, types=SPEAKER_CANDIDATES)
    )
    found = [m for m in found if not _ADDRESSEE.search(text[max(0, m.start - 20) : m.start])]
    persons = [m for m in found if m.type == PERSON]
    organizations = [m for m in found if m.type == ORGANIZATION]
    candidates = persons or organizations
    return candidates[-1] if candidates else None


SPEC = ExtractorSpec(
    EXTRACTOR, extract_quotes, requires=("names", "roles", "references"), assigns=("quotes",)
)
