"""Date mentions: spaCy DATE entities normalized to ISO values (see :mod:`kg.extract.temporal`).

Relative expressions ("Sunday", "next week") are resolved against the document's
publication date when it is known, the tense of the clause decides between the last and
the next occurrence, and anaphoric ones ("a year later") take the document's earlier
dates as anchors (:func:`kg.extract.temporal.normalize_spans`, which TimeBank scores).
A range ("June 11-13") gives two mentions: the start, over the whole expression, and the
end (kind ``range_end``) over its last word, inside it.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec
from kg.model import DATE, DATE_VALUE, RANGE_END, Mention, TimeValue

EXTRACTOR = "dates"


def extract_dates(ctx: DocContext) -> Iterator[Mention]:
    """One Date mention per DATE entity that names a calendar date (two for a range)."""
    from kg.extract.temporal import normalize_spans

    reference = getattr(ctx.document, "date", None)
    ents = [e for e in ctx.doc.ents if e.label_ == "DATE" and "\n" not in e.text.strip()]
    values = normalize_spans(ctx.text, [(e.start_char, e.end_char) for e in ents], reference)
    for ent, value in zip(ents, values, strict=True):
        if value is None or value.start is None:
            continue
        sentence = ctx.sentence_text(ctx.sentence_of_token(ent.start))
        yield _mention(
            ctx, ent.text, ent.start_char, ent.end_char, value.start, sentence, DATE_VALUE
        )
        if value.end is not None and value.end != value.start:
            last = ent[-1]
            end = last.idx + len(last.text)
            yield _mention(ctx, ent.text, last.idx, end, value.end, sentence, RANGE_END)


def _mention(
    ctx: DocContext, text: str, start: int, end: int, time: TimeValue, sentence: str, kind: str
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
        kind=kind,
    )


SPEC = ExtractorSpec(EXTRACTOR, extract_dates, requires=("names", "authors"), assigns=("dates",))
