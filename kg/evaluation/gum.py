"""Coreference scored on GUM (``gum_coref/``: news, interviews, biographies).

Each document's tokens are joined into one text and run through the shipped pipeline
(every extractor, then resolution), as ``kg build`` would. Two measures, both systems
in the same run:

* **Anaphor accuracy** (the headline): every gold mention that is a third-person
  pronoun or a definite description ("the" + common noun) and whose gold cluster holds
  a *named* person, organization or place (a gold mention of that type whose head is a
  proper noun). It counts right when the named mention our reference points to lies in
  the same gold cluster; an anaphor we leave unlinked counts wrong. Anaphors whose
  cluster names the entity only later (cataphora) are included and reported apart.
* **MUC, B³, CEAF-e** (and their mean, the CoNLL score), restricted to the gold
  clusters that contain a name; the response is every person, organization and place
  entity of the system with its names and references (mentions the gold clusters do
  not hold count against precision).

The **baseline** links each of those anaphors to the nearest preceding named mention
of a compatible type, number and gender (the same names, pronoun table and lexicons).
Use ``--split train`` to develop (rules and weights are chosen on it), ``--split dev``
to report.

    kg eval gum --split dev
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.evaluation.alignment import TokenText
from kg.evaluation.coref_metrics import PRF, b_cubed, ceaf_e, conll_f1, muc
from kg.evaluation.examples import ErrorReport
from kg.evaluation.gum_data import GoldMention, GumDocument, read_folder, token_text
from kg.evaluation.options import Options, header, shared_data_dir
from kg.model import LOCATION, NAME, ORGANIZATION, PERSON, REFERENCE, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from kg.data.lexicons import DescriptionNoun
    from kg.extract.context import DocContext
    from kg.model import Extraction
    from kg.resolve.resolution import Resolution

DATASET = "gum"
FOLDER = "gum_coref"
SPLITS = ("dev", "train")
TARGET = 0.75
MARGIN = 0.15
TARGET_NOTE = (
    "issue 11: pronoun/description → named entity accuracy >= 0.75 on GUM dev, "
    "at least 15 points above the most-recent-compatible-name baseline"
)
#: GUM entity types scored, and ours.
GUM_TYPES = {"person": PERSON, "organization": ORGANIZATION, "place": LOCATION}
SYSTEMS = ("baseline", "pipeline")

Key = tuple[int, int] | tuple[str, int, int]


@dataclass(frozen=True)
class Case:
    """One gold anaphor to link: a pronoun or description in a cluster with a name."""

    doc: str
    mention: GoldMention
    text: str
    kind: str  # "pronoun" or "description"
    cataphoric: bool
    sentence: str = ""

    @property
    def group(self) -> str:
        if self.kind == "pronoun":
            return f"pronoun {self.text.lower()}"
        return f"description ({GUM_TYPES.get(self.mention.type, self.mention.type)})"


@dataclass
class DocumentResult:
    """What both systems did on one document."""

    cases: list[Case] = field(default_factory=list)
    right: dict[str, list[bool]] = field(default_factory=dict)
    answers: dict[str, list[str | None]] = field(default_factory=dict)
    scores: dict[str, list[PRF]] = field(default_factory=dict)
    references: int = 0


# --------------------------------------------------------------------------- gold side


@dataclass(frozen=True)
class GoldView:
    """The gold mentions of one document read against our parse of its text."""

    document: GumDocument
    text: TokenText
    doc: Doc
    roots: dict[GoldMention, int]  # gold mention → index of its head token in our Doc
    named: frozenset[GoldMention]
    clusters: dict[str, list[GoldMention]]

    @classmethod
    def build(cls, document: GumDocument, text: TokenText, doc: Doc) -> GoldView:
        roots: dict[GoldMention, int] = {}
        named: set[GoldMention] = set()
        for m in document.mentions:
            span = _span(doc, text, m.start, m.end)
            if span is None:
                continue
            roots[m] = span.root.i
            if is_name(m, span):
                named.add(m)
        return cls(document, text, doc, roots, frozenset(named), document.clusters())

    def named_clusters(self) -> dict[str, list[GoldMention]]:
        """Clusters holding a named person, organization or place."""
        return {c: ms for c, ms in self.clusters.items() if any(m in self.named for m in ms)}

    def containing(self, start: int, end: int) -> GoldMention | None:
        """The smallest gold mention covering characters ``[start, end)``, else the one
        sharing most of its tokens with them."""
        span = self.text.tokens(start, end)
        if span is None:
            return None
        covering = [
            m for m in self.document.mentions if m.start <= span.start and span.end <= m.end
        ]
        if covering:
            return min(covering, key=lambda m: (m.end - m.start, m.start))
        overlapping = [
            (min(m.end, span.end) - max(m.start, span.start), -(m.end - m.start), m)
            for m in self.document.mentions
            if m.start < span.end and span.start < m.end
        ]
        return max(overlapping, key=lambda o: (o[0], o[1]))[2] if overlapping else None

    def with_root(self, token: int) -> GoldMention | None:
        """The smallest gold mention whose head is our token ``token``."""
        found = [m for m, root in self.roots.items() if root == token]
        return min(found, key=lambda m: m.end - m.start) if found else None


def _span(doc: Doc, text: TokenText, start: int, end: int) -> Span | None:
    first, last = text.chars(start, end)
    return doc.char_span(first, last, alignment_mode="expand")


def is_name(mention: GoldMention, span: Span) -> bool:
    """A person, organization or place mention headed by a proper noun, not a coordination."""
    if mention.type not in GUM_TYPES:
        return False
    root = span.root
    if root.tag_ not in ("NNP", "NNPS"):
        return False
    return not any(t.dep_ == "conj" and t.head.i == root.i for t in span)


def anaphor_kind(span: Span) -> str | None:
    """ "pronoun" (third person), "description" ("the" + common noun head) or None."""
    from kg.extract.coref import PRONOUNS

    if len(span) == 1 and span[0].lower_ in PRONOUNS:
        return "pronoun"
    if span[0].lower_ == "the" and span.root.pos_ == "NOUN":
        return "description"
    return None


def cases_of(view: GoldView) -> list[Case]:
    """The gold anaphors of a document whose cluster holds a named entity."""
    out = []
    for mentions in view.named_clusters().values():
        first_name = min(m.start for m in mentions if m in view.named)
        for m in mentions:
            if m in view.named or m not in view.roots:
                continue
            span = _span(view.doc, view.text, m.start, m.end)
            kind = anaphor_kind(span) if span is not None else None
            if kind is None or span is None:
                continue
            out.append(
                Case(
                    doc=view.document.name,
                    mention=m,
                    text=span.text,
                    kind=kind,
                    cataphoric=first_name > m.start,
                    sentence=" ".join(span.sent.text.split())[:300],
                )
            )
    return sorted(out, key=lambda c: c.mention.start)


# --------------------------------------------------------------------------- systems


def baseline_links(ctx: DocContext, view: GoldView, cases: Sequence[Case]) -> dict[int, Mention]:
    """Most recent compatible name: for each anaphor (ours, and every gold case), the nearest
    preceding named mention of a compatible type, number and gender. Keyed by head token."""
    from kg.extract.coref import PRONOUNS, anaphors
    from kg.extract.gender import gender_of

    names = sorted(
        (m for m in ctx.mentions if m.kind == NAME and m.type in GUM_TYPES.values()),
        key=lambda m: m.start,
    )
    wanted: dict[int, tuple[int, tuple[str, ...], str | None]] = {}
    types: tuple[str, ...]
    for a in anaphors(ctx):
        wanted[a.token] = (a.start, a.types, a.gender)
    nouns = _nouns()
    for case in cases:
        token = view.roots[case.mention]
        if token in wanted:
            continue
        start = (
            view.doc[token].idx if case.kind == "pronoun" else view.text.starts[case.mention.start]
        )
        if case.kind == "pronoun":
            form = PRONOUNS[view.doc[token].lower_]
            types = (PERSON,) if form.gender else (ORGANIZATION, LOCATION)
            wanted[token] = (start, types, form.gender)
        else:
            noun = nouns.get(view.doc[token].lower_)
            types = (noun.type,) if noun else tuple(GUM_TYPES.values())
            wanted[token] = (start, types, noun.gender if noun else None)
    links: dict[int, Mention] = {}
    for token, (start, types, gender) in wanted.items():
        for m in reversed(names):
            if m.end > start or m.type not in types:
                continue
            if gender is not None and gender_of(ctx.text, m) not in (None, gender):
                continue
            links[token] = m
            break
    return links


def _nouns() -> dict[str, DescriptionNoun]:
    from kg.data import lexicons

    return lexicons.description_nouns()


def pipeline_links(view: GoldView, mentions: Iterable[Mention]) -> dict[int, Mention]:
    """Our references, keyed by their head token: the antecedent named mention."""
    links: dict[int, Mention] = {}
    for m in mentions:
        if m.kind != REFERENCE or m.antecedent is None:
            continue
        span = view.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            links[span.root.i] = m.antecedent
    return links


def judge(view: GoldView, case: Case, antecedent: Mention | None) -> bool:
    """Right when the antecedent's gold mention lies in the case's gold cluster."""
    if antecedent is None:
        return False
    gold = view.containing(antecedent.start, antecedent.end)
    return gold is not None and gold.cluster == case.mention.cluster


def response_clusters(
    view: GoldView, resolution: Resolution, links: dict[int, Mention]
) -> list[set[Key]]:
    """Our person/organization/place entities as clusters of gold mention keys.

    Names map to the smallest gold mention covering them, references to the gold mention
    headed by their head token; a mention no gold mention matches keeps a key of its own.
    """
    by_entity: dict[str, set[Key]] = {}
    used: set[Key] = set()
    for key, entity in resolution.entities.items():
        if entity.type not in GUM_TYPES.values():
            continue
        for m in entity.mentions:
            if m.kind == NAME:
                gold = view.containing(m.start, m.end)
                k = _key(gold) if gold is not None else ("ours", m.start, m.end)
                if k not in used:
                    used.add(k)
                    by_entity.setdefault(key, set()).add(k)
    for token, antecedent in links.items():
        linked = resolution.entity_of(antecedent)
        if linked is None or linked.key not in by_entity:
            continue
        gold = view.with_root(token)
        k = _key(gold) if gold is not None else ("ours", token, token + 1)
        if k not in used:
            used.add(k)
            by_entity[linked.key].add(k)
    return list(by_entity.values())


def _key(m: GoldMention) -> Key:
    return (m.start, m.end)


def key_clusters(view: GoldView) -> list[set[Key]]:
    """The gold clusters that hold a name, as sets of mention keys."""
    return [{_key(m) for m in ms} for ms in view.named_clusters().values()]


# --------------------------------------------------------------------------- run


def folder(options: Options) -> Path:
    """The split's folder of GUM; errors name the valid splits."""
    if options.split not in SPLITS:
        raise InputError(f"unknown split {options.split!r} for gum (valid: {', '.join(SPLITS)})")
    base = options.data if options.data is not None else shared_data_dir() / FOLDER
    return Path(base) / options.split


def evaluate(options: Options, per_document: dict[str, DocumentResult] | None = None) -> dict:
    """Score the pipeline and the baseline on one split (see the module docstring);
    ``per_document`` receives each document's result by name (``bench/gum_halves.py``)."""
    from kg.build.pipeline import extract_document, extractors_for
    from kg.documents import document_from_text
    from kg.extract.context import DocContext
    from kg.nlp import load_model, model_name
    from kg.resolve.resolution import resolve

    path = folder(options)
    documents = read_folder(path, options.limit)
    started = time.perf_counter()
    nlp = load_model(options.model)
    chosen = extractors_for()
    texts = [token_text(d.tokens) for d in documents]
    results: list[DocumentResult] = []
    errors = {name: ErrorReport(limit=options.examples) for name in SYSTEMS}
    failures: list[str] = []
    parsed = nlp.pipe((t.text for t in texts), batch_size=options.batch_size)
    for document, text, doc in zip(documents, texts, parsed):
        source = document_from_text(text.text, id=document.name, source=str(path))
        if source.text != text.text:
            raise InputError(f"{document.name}: the text changed when read as a document")
        ctx = DocContext(document=source, doc=doc)
        extraction = extract_document(ctx, chosen)
        failures += extraction.errors
        resolution = resolve([extraction])
        results.append(score_document(document, text, ctx, extraction, resolution, errors))
        if per_document is not None:
            per_document[document.name] = results[-1]
    return report(options, path, model_name(nlp), results, errors, failures, started)


def score_document(
    document: GumDocument,
    text: TokenText,
    ctx: DocContext,
    extraction: Extraction,
    resolution: Resolution,
    errors: dict[str, ErrorReport] | None = None,
) -> DocumentResult:
    """Both systems' links on one document, judged against its gold clusters."""
    view = GoldView.build(document, text, ctx.doc)
    cases = cases_of(view)
    links = {
        "baseline": baseline_links(ctx, view, cases),
        "pipeline": pipeline_links(view, extraction.mentions),
    }
    result = DocumentResult(cases=cases)
    result.references = sum(1 for m in extraction.mentions if m.kind == REFERENCE)
    gold = key_clusters(view)
    for name in SYSTEMS:
        chosen = [links[name].get(view.roots[c.mention]) for c in cases]
        verdicts = [judge(view, c, a) for c, a in zip(cases, chosen)]
        result.right[name] = verdicts
        result.answers[name] = [a.name if a is not None else None for a in chosen]
        response = response_clusters(view, resolution, links[name])
        result.scores[name] = [muc(gold, response), b_cubed(gold, response), ceaf_e(gold, response)]
        if errors is not None:
            for case, antecedent, right in zip(cases, chosen, verdicts):
                if not right:
                    _error(errors[name], view, case, antecedent)
    return result


def _error(errors: ErrorReport, view: GoldView, case: Case, antecedent: Mention | None) -> None:
    names = sorted(
        {
            view.text.span_text(m.start, m.end)
            for m in view.clusters[case.mention.cluster]
            if m in view.named
        }
    )
    if antecedent is None:
        kind = "cataphora left unlinked" if case.cataphoric else "left unlinked"
    else:
        gold = view.containing(antecedent.start, antecedent.end)
        kind = (
            "linked to a name of another entity"
            if gold is not None
            else "linked to a non-gold name"
        )
    label = f"{case.kind}: {kind}"
    errors.add(
        label,
        lambda: {
            "document": case.doc,
            "anaphor": case.text,
            "gold": " | ".join(names),
            "predicted": antecedent.name if antecedent is not None else None,
            "sentence": case.sentence,
        },
    )


def report(
    options: Options,
    path: Path,
    model: str,
    results: Sequence[DocumentResult],
    errors: dict[str, ErrorReport],
    failures: list[str],
    started: float,
) -> dict:
    """The report dict: accuracy by anaphor class, cluster scores, error classes."""
    accuracy = {name: _accuracy(results, name) for name in SYSTEMS}
    groups = Counter(c.group for r in results for c in r.cases)
    rows = [_accuracy_row("all anaphors", results, lambda c: True)]
    for kind in ("pronoun", "description"):
        for cataphoric in (False, True):
            label = f"{kind}s" + (" (cataphoric)" if cataphoric else "")
            rows.append(_accuracy_row(label, results, _kind_filter(kind, cataphoric)))
    rows += [
        _accuracy_row(group, results, _group_filter(group)) for group, _ in groups.most_common()
    ]
    metric_rows = []
    for i, metric in enumerate(("MUC", "B³", "CEAF-e")):
        metric_rows.append(
            {
                "name": metric,
                **{name: _sum([r.scores[name][i] for r in results]).as_dict() for name in SYSTEMS},
            }
        )
    metric_rows.append(
        {"name": "CoNLL (mean of the three)", **{n: _mean(results, n) for n in SYSTEMS}}
    )
    pipeline, baseline = accuracy["pipeline"], accuracy["baseline"]
    return {
        **header(DATASET, options, path, model=model),
        "documents": len(results),
        "seconds": round(time.perf_counter() - started, 1),
        "systems": {
            "baseline": "nearest preceding named mention of a compatible type, number and gender",
            "pipeline": "kg pipeline: coref extractor (salience, constraints, roles) + resolution",
        },
        "headline": {
            "metric": "pronoun/description → named entity accuracy",
            "baseline": round(baseline, 4),
            "pipeline": round(pipeline, 4),
            "target": TARGET,
            "target_note": TARGET_NOTE,
            "met": pipeline >= TARGET and pipeline - baseline >= MARGIN,
        },
        "references": sum(r.references for r in results),
        "tables": [
            {
                "title": "Anaphors linked to the right named entity",
                "kind": "accuracy",
                "rows": rows,
            },
            {
                "title": "Clusters holding a named person, organization or place (others left out)",
                "rows": metric_rows,
            },
        ],
        "errors": {name: e.as_dict() for name, e in errors.items()},
        "extractor_errors": {"count": len(failures), "examples": failures[:5]},
    }


def _kind_filter(kind: str, cataphoric: bool) -> Callable[[Case], bool]:
    return lambda c: c.kind == kind and c.cataphoric == cataphoric


def _group_filter(group: str) -> Callable[[Case], bool]:
    return lambda c: c.group == group


def accuracy(results: Sequence[DocumentResult], name: str = "pipeline") -> tuple[int, int]:
    """How many anaphors one system linked right, and how many there are."""
    verdicts = [v for r in results for v in r.right[name]]
    return sum(verdicts), len(verdicts)


def _accuracy(results: Sequence[DocumentResult], name: str) -> float:
    verdicts = [v for r in results for v in r.right[name]]
    return sum(verdicts) / len(verdicts) if verdicts else 0.0


def _accuracy_row(
    label: str, results: Sequence[DocumentResult], keep: Callable[[Case], bool]
) -> dict:
    row: dict = {"name": label}
    n = 0
    for name in SYSTEMS:
        verdicts = [v for r in results for c, v in zip(r.cases, r.right[name]) if keep(c)]
        n = len(verdicts)
        row[name] = round(sum(verdicts) / n, 4) if n else 0.0
    row["n"] = n
    return row


def _mean(results: Sequence[DocumentResult], name: str) -> dict[str, float]:
    totals = [_sum([r.scores[name][i] for r in results]) for i in range(3)]
    return {
        "precision": round(sum(t.precision for t in totals) / 3, 4),
        "recall": round(sum(t.recall for t in totals) / 3, 4),
        "f1": round(conll_f1(totals), 4),
    }


def _sum(scores: Sequence[PRF]) -> PRF:
    total = PRF()
    for s in scores:
        total = total + s
    return total
