"""The document's author ("Author: X", "By X" bylines) and what the byline block says of them.

The author comes from the loader's metadata (``Document.author``); this extractor
finds the name in the text (adding a Person mention when NER missed it), links it
with ``author``, and reads "Function: Chief-Editor"-style lines next to it as roles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec
from kg.model import AUTHOR, DOCUMENT, DOCUMENT_SELF, PERSON, Fact, Mention

EXTRACTOR = "byline"
_ROLE_LINE = re.compile(
    r"^(?:function|position|title|role|job)\s*:\s*(?P<role>[^\n]{2,60})$",
    re.IGNORECASE | re.MULTILINE,
)


def extract_byline(ctx: DocContext) -> Iterator[Mention | Fact]:
    """``author`` (document → person) and byline roles."""
    author = getattr(ctx.document, "author", None)
    if not author:
        return
    text = ctx.text
    found = [m for m in ctx.mentions if m.type == PERSON and m.name == author]
    at = _byline_position(text, author)
    person = min(found, key=lambda m: abs(m.start - at)) if found else None
    if person is None:
        if at < 0:
            return
        person = Mention(
            doc_id=ctx.doc_id,
            text=author,
            name=author,
            type=PERSON,
            start=at,
            end=at + len(author),
            sentence=ctx.sentence_text(ctx.sentence_of(at)),
            label="BYLINE",
            confidence=0.9,
            extractor=EXTRACTOR,
            kind=AUTHOR,
        )
        yield person
    document = Mention(
        doc_id=ctx.doc_id,
        text="",
        name=ctx.doc_id,
        type=DOCUMENT,
        start=0,
        end=0,
        extractor=EXTRACTOR,
        kind=DOCUMENT_SELF,
    )
    yield Fact(document, "author", person, ctx.evidence(person.start, person.end, EXTRACTOR, 0.9))
    block = text[max(0, person.start - 300) : person.end + 300]
    offset = max(0, person.start - 300)
    for match in _ROLE_LINE.finditer(block):
        role = match.group("role").strip().rstrip(".")
        start = offset + match.start("role")
        yield Fact(person, "role", role, ctx.evidence(start, start + len(role), EXTRACTOR, 0.7))


def _byline_position(text: str, author: str) -> int:
    """Where the byline names the author (the last "Author: X"-like line, else any occurrence)."""
    pattern = re.compile(
        rf"^(?:author|by|written by|text)\s*:?\s*({re.escape(author)})\s*$",
        re.IGNORECASE | re.MULTILINE,
    )
    matches = list(pattern.finditer(text))
    if matches:
        return matches[-1].start(1)
    return text.find(author)


SPEC = ExtractorSpec(EXTRACTOR, extract_byline, requires=("names",), assigns=("authors",))
