"""Choose the weights of the entity type vote on development data only.

    python bench/tune_typing.py [--gazetteer 0.5 1 2] [--head 1 2 3] [--context-noun 1 2 3] [--no-conll]

Scores each setting on the news gold set's dev split (graph level, PER/ORG/LOC micro
F1) and on the CoNLL-2003 eng.train articles the NER never trained on (every tenth:
the NER's own selection split; strict span F1). eng.testa and the news test split are
never read. The chosen values go into kg/resolve/entity_type.py (WEIGHTS).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools

from kg.evaluation.options import Options
from kg.training.entity_types import conll_carved_dev_f1


def news_dev(options: Options) -> float:
    from kg.evaluation import news

    return float(news.evaluate(dataclasses.replace(options, split="dev"))["headline"]["pipeline"])


def main() -> None:
    import kg.resolve.entity_type as entity_type

    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--gazetteer", type=float, nargs="+", default=[entity_type.WEIGHTS.gazetteer]
    )
    parser.add_argument("--head", type=float, nargs="+", default=[entity_type.WEIGHTS.head_word])
    parser.add_argument(
        "--context-noun", type=float, nargs="+", default=[entity_type.WEIGHTS.context_noun]
    )
    parser.add_argument(
        "--no-conll",
        action="store_true",
        help="news dev only (for NER weights trained on all of eng.train)",
    )
    args = parser.parse_args()
    options = Options(examples=0)
    for gazetteer, head, noun in itertools.product(args.gazetteer, args.head, args.context_noun):
        entity_type.WEIGHTS = dataclasses.replace(
            entity_type.WEIGHTS, gazetteer=gazetteer, head_word=head, context_noun=noun
        )
        conll = "" if args.no_conll else f", CoNLL carved dev {conll_carved_dev_f1(options):.3f}"
        print(
            f"gazetteer={gazetteer} head={head} context noun={noun}: news dev {news_dev(options):.3f}{conll}",
            flush=True,
        )


if __name__ == "__main__":
    main()
