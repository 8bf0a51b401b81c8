"""Date mentions: spaCy DATE entities normalized to ISO values (see :mod:`kg.temporal`).

Relative expressions ("Sunday", "next week") are resolved against the document's
publication date when it is known, and the tense of the clause decides between the
last and the next occurrence. A range ("June 11-13") gives two mentions, the start
and the end, and ``ctx.notes["date_range_end"]`` links the first to the second.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.base import DocContext, register
from kg.extract.syntax import tense_of
from kg.model import DATE, Mention, TimeValue

EXTRACTOR = "dates"
RANGE_END = "date_range_end"


@register(EXTRACTOR, after=("entities", "byline"))
def extract_dates(ctx: DocContext) -> Iterator[Mention]:
    """One Date mention per DATE entity that names a calendar date (two for a range)."""
    from kg.temporal import normalize_date

    reference = getattr(ctx.document, "date", None)
    ends = ctx.notes.setdefault(RANGE_END, {})
    for ent in ctx.doc.ents:
        if ent.label_ != "DATE" or "\n" in ent.text.strip():
            continue
        value = normalize_date(ent.text, reference, tense=tense_of(ent.root))
        if value is None or value.start is None:
            continue
        sentence = " ".join(ent.sent.text.split())
        start = _mention(ctx, ent.text, ent.start_char, ent.end_char, value.start, sentence)
        yield start
        if value.end is not None and value.end != value.start:
            last = ent[-1]
            end = _mention(ctx, ent.text, last.idx, last.idx + len(last.text), value.end, sentence)
            ends[(start.start, start.end)] = end
            yield end


def _mention(
    ctx: DocContext, text: str, start: int, end: int, time: TimeValue, sentence: str
) -> Mention:
    return Mention(
        doc_id=ctx.doc_id,
        text=" ".join(text.split()),
        name=time.iso,
        type=DATE,
        start=start,
        end=end,
        sentence=sentence,
        label="DATE",
        time=time,
        confidence=0.85,
        extractor=EXTRACTOR,
    )
