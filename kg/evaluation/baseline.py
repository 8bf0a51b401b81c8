"""The baseline every run scores beside our pipeline: what a naive glue script gets.

Entities are raw spaCy NER spans with a plain label map (``kg/data/eval_labels.tsv``,
scheme ``spacy``), clustered by identical text; relations are naive sentence-level
co-occurrence: every ordered pair of entities in a sentence whose types a relation
allows is predicted as that relation (see :func:`cooccurrence`).

The baseline model is the same spaCy package as our pipeline's, loaded as published
(``stock``) or with our fine-tuned NER weights (``finetuned``), but without any of our
components or rules. It is the one place outside ``kg/nlp.py`` that loads spaCy itself,
because it measures spaCy as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from kg.errors import ModelError
from kg.evaluation.labels import label_map
from kg.evaluation.predictions import Predicted, PredictedFact, Prediction

if TYPE_CHECKING:
    from spacy.language import Language

#: (relation, subject type, object type, open?) triples a co-occurring pair may get.
Signature = tuple[str, str, str, bool]


def load_baseline_model(pipeline_nlp: Language, ner: str = "stock") -> Language:
    """The spaCy package ``pipeline_nlp`` was loaded from, as published (or with our NER)."""
    import spacy

    from kg.nlp import model_name, use_finetuned_ner

    name = model_name(pipeline_nlp)
    try:
        nlp = spacy.load(name, exclude=["lemmatizer"])
    except (OSError, ImportError, ValueError) as exc:
        raise ModelError(f"baseline model {name} does not load: {exc}") from exc
    if ner == "finetuned" and not use_finetuned_ner(nlp):
        raise ModelError(f"our fine-tuned NER weights do not fit {name}")
    return nlp


def run_baseline(
    texts: Sequence[tuple[str, str]],
    nlp: Language,
    *,
    signatures: Iterable[Signature] = (),
    batch_size: int = 32,
) -> Iterator[Prediction]:
    """Raw spaCy entities and co-occurrence facts for each ``(doc_id, text)`` pair."""
    spacy_types = label_map("spacy", "predicted")
    signatures = tuple(signatures)
    pairs = ((text, doc_id) for doc_id, text in texts)
    for doc, doc_id in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        sentence_index = {sent.start: i for i, sent in enumerate(doc.sents)}
        mentions = [
            Predicted(
                start=ent.start_char,
                end=ent.end_char,
                type=spacy_types[ent.label_],
                entity=f"{spacy_types[ent.label_]}:{' '.join(ent.text.split()).casefold()}",
                name=ent.text,
                extractor="spacy",
                sentence=sentence_index.get(ent.sent.start, -1),
            )
            for ent in doc.ents
            if ent.label_ in spacy_types
        ]
        yield Prediction(doc_id, mentions, list(cooccurrence(mentions, signatures)))


def cooccurrence(
    mentions: Sequence[Predicted],
    signatures: Iterable[Signature],
    *,
    same_sentence: Callable[[Predicted, Predicted], bool] | None = None,
) -> Iterator[PredictedFact]:
    """Every ordered pair of distinct entities in one sentence, as every relation whose
    signature fits their types.

    >>> a = Predicted(0, 3, "Person", "p", "Ann", sentence=0)
    >>> b = Predicted(12, 16, "Organization", "o", "ACME", sentence=0)
    >>> [f.relation for f in cooccurrence([a, b], [("affiliatedWith", "Person", "Organization", False)])]
    ['affiliatedWith']
    """
    signatures = tuple(signatures)
    same = same_sentence or (lambda a, b: a.sentence == b.sentence)
    for subject in mentions:
        for obj in mentions:
            if subject.entity == obj.entity or not same(subject, obj):
                continue
            for relation, subject_type, object_type, is_open in signatures:
                if subject.type == subject_type and obj.type == object_type:
                    yield PredictedFact(
                        subject, relation, obj, 1.0, open=is_open, extractor="cooccurrence"
                    )
