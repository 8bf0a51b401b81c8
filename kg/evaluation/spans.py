"""Entity spans scored on token boundaries: strict and lenient tables, error classes.

Gold and predicted spans live in one document each (``doc`` is its index). A prediction
is strictly right when its tokens and type equal a gold span's; leniently right when it
overlaps a gold span of the same type (each gold span matched once). Errors are sorted
into classes that say what to fix:

* ``wrong type``: exact span, other type (e.g. ``Organization→Location``);
* ``boundary``: overlaps a gold span of the same type (``longer``, ``shorter``, ``crossing``);
* ``boundary and type``: overlaps a gold span of another type;
* ``spurious`` (a prediction nothing in gold overlaps) / ``missed`` (a gold span nothing
  predicted overlaps).

Where resolution changed a mention's type (type voting), the report counts whether the
vote fixed the extractor's type or broke it, on spans whose boundaries are right.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.evaluation.alignment import TokenText
from kg.evaluation.examples import ErrorReport
from kg.evaluation.labels import predicted_type
from kg.evaluation.predictions import Predicted
from kg.evaluation.scoring import ScoreTable, overlap, score_keys, score_matched


@dataclass(frozen=True)
class GoldSpan:
    doc: int
    start: int
    end: int
    type: str
    label: str = ""


@dataclass(frozen=True)
class PredictedSpan:
    doc: int
    start: int
    end: int
    type: str
    exact: bool = True
    extractor: str = ""
    #: The type before resolution (empty when the system does not resolve).
    raw_type: str = ""


def predicted_spans(
    doc: int,
    mentions: Iterable[Predicted],
    text: TokenText,
    scheme: str,
    types: Iterable[str],
) -> list[PredictedSpan]:
    """Mentions as token spans typed for ``scheme``, only the ``types`` it scores, deduplicated."""
    wanted = set(types)
    spans: dict[tuple[int, int, str, bool], PredictedSpan] = {}
    for m in mentions:
        kind = predicted_type(scheme, m.type)
        tokens = text.tokens(m.start, m.end)
        if kind not in wanted or tokens is None:
            continue
        key = (tokens.start, tokens.end, kind, tokens.exact)
        raw = predicted_type(scheme, m.raw_type) if m.raw_type else ""
        spans.setdefault(key, PredictedSpan(doc, *key, extractor=m.extractor, raw_type=raw))
    return list(spans.values())


def _strict_key(span: GoldSpan | PredictedSpan) -> tuple:
    if isinstance(span, PredictedSpan) and not span.exact:
        return ("partial", span.doc, span.start, span.end, span.type)  # never equal to gold
    return (span.doc, span.start, span.end, span.type)


def strict_table(gold: Sequence[GoldSpan], predicted: Sequence[PredictedSpan]) -> ScoreTable:
    """Exact token boundaries and type."""
    return score_keys(
        (_strict_key(g) for g in gold),
        (_strict_key(p) for p in predicted),
        label=lambda k: str(k[-1]),
    )


def lenient_table(gold: Sequence[GoldSpan], predicted: Sequence[PredictedSpan]) -> ScoreTable:
    """Overlapping tokens and the same type, one-to-one (matched within each document)."""
    table = ScoreTable()
    for doc, (golds, preds) in _by_doc(gold, predicted).items():
        del doc
        table.update(
            score_matched(
                golds,
                preds,
                lambda g, p: g.type == p.type and overlap(g.start, g.end, p.start, p.end) > 0,
                gold_label=lambda g: g.type,
                predicted_label=lambda p: p.type,
                preference=lambda g, p: (
                    overlap(g.start, g.end, p.start, p.end)
                    - abs(g.start - p.start)
                    - abs(g.end - p.end)
                ),
            )
        )
    return table


def recall_by_label(gold: Sequence[GoldSpan], predicted: Sequence[PredictedSpan]) -> dict:
    """Strict recall per original gold label (``politician``, ``election``...)."""
    found = {_strict_key(p) for p in predicted}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for g in gold:
        counts[g.label][0] += 1
        counts[g.label][1] += _strict_key(g) in found
    return {
        label: {"n": n, "found": hit, "recall": round(hit / n, 4) if n else 0.0}
        for label, (n, hit) in sorted(counts.items())
    }


def _by_doc(
    gold: Sequence[GoldSpan], predicted: Sequence[PredictedSpan]
) -> dict[int, tuple[list[GoldSpan], list[PredictedSpan]]]:
    grouped: dict[int, tuple[list[GoldSpan], list[PredictedSpan]]] = defaultdict(lambda: ([], []))
    for g in gold:
        grouped[g.doc][0].append(g)
    for p in predicted:
        grouped[p.doc][1].append(p)
    return grouped


def _boundary_kind(g: GoldSpan, p: PredictedSpan) -> str:
    if p.start <= g.start and g.end <= p.end:
        return "longer"
    if g.start <= p.start and p.end <= g.end:
        return "shorter"
    return "crossing"


def span_errors(
    gold: Sequence[GoldSpan],
    predicted: Sequence[PredictedSpan],
    texts: Sequence[TokenText],
    *,
    ids: Sequence[str],
    focus: Iterable[str] = (),
    limit: int = 10,
) -> dict:
    """Sort every strict error into a class (see the module docstring), with examples.

    Only gold spans and predictions of the ``focus`` types (all by default) are sorted."""
    report = ErrorReport(limit=limit)
    focus = set(focus)
    votes: Counter[str] = Counter()
    for doc, (golds, preds) in sorted(_by_doc(gold, predicted).items()):
        text = texts[doc]
        gold_keys = {_strict_key(g) for g in golds}
        pred_keys = {_strict_key(p) for p in preds}

        def show(span: GoldSpan | PredictedSpan, text: TokenText = text) -> str:
            return f"{text.span_text(span.start, span.end)} [{span.type}]"

        def context(span: GoldSpan | PredictedSpan, doc: int = doc, text: TokenText = text) -> str:
            return f"{ids[doc]}: {text.sentence_text(text.sentence_of(span.start))}"

        gold_types = {(g.start, g.end): g.type for g in golds}
        for p in preds:
            truth = gold_types.get((p.start, p.end)) if p.exact else None
            if truth is not None and p.raw_type and p.raw_type != p.type:
                if p.type == truth:
                    votes["fixed (extractor's type wrong, resolved type right)"] += 1
                elif p.raw_type == truth:
                    votes["broke (extractor's type right, resolved type wrong)"] += 1
                else:
                    votes["changed, both wrong"] += 1
            if _strict_key(p) in gold_keys or (focus and p.type not in focus):
                continue
            same_span = [g for g in golds if (g.start, g.end) == (p.start, p.end) and p.exact]
            touching = [g for g in golds if overlap(g.start, g.end, p.start, p.end)]
            report.by_extractor[p.extractor or "?"] += 1
            near: GoldSpan | None
            if same_span:
                near = same_span[0]
                report.confusions[f"{near.type}→{p.type}"] += 1
                kind = "FP wrong type"
                if p.raw_type and p.raw_type != p.type:
                    kind = "FP wrong type, set by resolution"
            elif any(g.type == p.type for g in touching):
                near = next(g for g in touching if g.type == p.type)
                kind = f"FP boundary ({_boundary_kind(near, p)})"
            elif touching:
                near = touching[0]
                kind = "FP boundary and type"
            else:
                near, kind = None, "FP spurious"

            def fp_example(
                p: PredictedSpan = p, g: GoldSpan | None = near
            ) -> dict[str, str | None]:
                said = (
                    f", extractor said {p.raw_type}" if p.raw_type != p.type and p.raw_type else ""
                )
                return {
                    "predicted": show(p) + f" ({p.extractor}{said})",
                    "gold": show(g) if g else None,
                    "context": context(p),
                }

            report.add(kind, fp_example)
        for g in golds:
            if _strict_key(g) in pred_keys or (focus and g.type not in focus):
                continue
            same = [p for p in preds if (p.start, p.end) == (g.start, g.end) and p.exact]
            overlapping = [p for p in preds if overlap(g.start, g.end, p.start, p.end)]
            found: PredictedSpan | None
            if same:
                found, kind = same[0], "FN wrong type"
            elif any(p.type == g.type for p in overlapping):
                found = next(p for p in overlapping if p.type == g.type)
                kind = f"FN boundary ({_boundary_kind(g, found)})"
            elif overlapping:
                found, kind = overlapping[0], "FN boundary and type"
            else:
                found, kind = None, "FN missed"

            def fn_example(
                g: GoldSpan = g, p: PredictedSpan | None = found
            ) -> dict[str, str | None]:
                return {
                    "gold": show(g),
                    "predicted": show(p) if p else None,
                    "context": context(g),
                }

            report.add(kind, fn_example)
    out = report.as_dict()
    if votes:
        out["resolution_type_votes"] = dict(votes)
    return out
