"""The NER training data, split once and the same way every run.

* **CoNLL-2003** ``eng.train``: split into articles with the evaluation's own splitter
  (:func:`kg.evaluation.conll2003.split_articles`); every 10th article (the 10th, 20th,
  ...) is the selection dev, the rest trains. ``eng.testa`` is never read here.
* **CrossNER politics** ``train.txt``: every 5th sentence (the 5th, 10th, ...) is the
  selection dev, the rest trains. ``dev.txt`` is never read here.
* **Rehearsal** text: Reuters-21578 bodies and BBC News business, entertainment, tech and
  sport articles (not politics), minus every article of the news gold set
  (``bench/news_gold/{dev,test}``: by the source its ``.meta.json`` names, and by text,
  so a duplicate of a gold article under another name is left out too). Every 10th
  rehearsal article is held out to measure how much of the stock model's behaviour the
  fine-tuned one keeps.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kg.errors import InputError
from kg.training.iob import Sentence, read_iob

CONLL_TRAIN = ("conll2003", "eng.train")
CROSSNER_TRAIN = ("crossner_politics", "train.txt")
CONLL_DEV_EVERY = 10
CROSSNER_DEV_EVERY = 5
REHEARSAL_DEV_EVERY = 10
BBC_SECTIONS = ("business", "entertainment", "tech", "sport")
#: The news gold set in a source checkout.
NEWS_GOLD = Path(__file__).resolve().parents[2] / "bench" / "news_gold"
#: Word n-grams shared with a gold article: more than half of an article's n-grams in the
#: gold set make it a copy of a gold article.
SHINGLE = 8

T = TypeVar("T")


def carve(items: Sequence[T], every: int) -> tuple[list[T], list[T]]:
    """``(rest, dev)``: every ``every``-th item (1-based) goes to dev.

    >>> carve("abcdef", 3)
    (['a', 'b', 'd', 'e'], ['c', 'f'])
    """
    rest = [x for i, x in enumerate(items, 1) if i % every]
    dev = [x for i, x in enumerate(items, 1) if not i % every]
    return rest, dev


@dataclass(frozen=True)
class GoldSplits:
    """Gold sentences for training and for model selection (a dev carved from train)."""

    conll_train: list[Sentence]
    conll_dev: list[Sentence]
    crossner_train: list[Sentence]
    crossner_dev: list[Sentence]
    conll_articles: tuple[int, int]  # (training articles, dev articles)

    def describe(self) -> dict[str, str]:
        """What trains and what selects, in words, for TRAINING.txt."""
        train_articles, dev_articles = self.conll_articles
        return {
            "conll_train": (
                f"CoNLL-2003 eng.train without every {CONLL_DEV_EVERY}th article: "
                f"{train_articles} articles, {len(self.conll_train)} sentences"
            ),
            "conll_dev": (
                f"CoNLL-2003 eng.train every {CONLL_DEV_EVERY}th article: "
                f"{dev_articles} articles, {len(self.conll_dev)} sentences"
            ),
            "crossner_train": (
                f"CrossNER politics train.txt without every {CROSSNER_DEV_EVERY}th sentence: "
                f"{len(self.crossner_train)} sentences"
            ),
            "crossner_dev": (
                f"CrossNER politics train.txt every {CROSSNER_DEV_EVERY}th sentence: "
                f"{len(self.crossner_dev)} sentences"
            ),
        }


def data_path(data: Path, parts: tuple[str, str]) -> Path:
    path = data.joinpath(*parts)
    if not path.is_file():
        raise InputError(f"training data not found: {path} (pass --data DIR)")
    return path


def gold_splits(data: Path, limit: int | None = None) -> GoldSplits:
    """Carve the selection dev out of the training files (``limit``: first N sentences of
    each part, for quick runs)."""
    from kg.evaluation.conll2003 import split_articles

    articles = split_articles(read_iob(data_path(data, CONLL_TRAIN)))
    train_articles, dev_articles = carve(articles, CONLL_DEV_EVERY)
    crossner_train, crossner_dev = carve(
        read_iob(data_path(data, CROSSNER_TRAIN)), CROSSNER_DEV_EVERY
    )
    return GoldSplits(
        conll_train=[s for a in train_articles for s in a][:limit],
        conll_dev=[s for a in dev_articles for s in a][:limit],
        crossner_train=crossner_train[:limit],
        crossner_dev=crossner_dev[:limit],
        conll_articles=(len(train_articles), len(dev_articles)),
    )


@dataclass(frozen=True)
class Article:
    """A news article for rehearsal: where it comes from (as the gold set names sources,
    e.g. ``bbc_news/tech/062.txt``, ``reuters21578/reut2-006.sgm#NEWID=6024``) and its text."""

    source: str
    text: str


@dataclass(frozen=True)
class Excluded:
    """Articles that must never be trained on: their sources and their word n-grams."""

    sources: frozenset[str]
    shingles: frozenset[tuple[str, ...]]

    def __contains__(self, article: object) -> bool:
        if not isinstance(article, Article):
            return False
        if article.source in self.sources:
            return True
        grams = shingles(article.text)
        return bool(grams) and len(grams & self.shingles) * 2 > len(grams)


def shingles(text: str) -> set[tuple[str, ...]]:
    """The word n-grams of a text, case and punctuation folded."""
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def news_gold_excluded(folder: Path = NEWS_GOLD) -> Excluded:
    """Sources and text of every article in the news gold set (all splits)."""
    metas = sorted(folder.glob("*/*.meta.json"))
    if not metas:
        raise InputError(f"news gold set not found at {folder}: pass --news-gold DIR")
    sources: set[str] = set()
    grams: set[tuple[str, ...]] = set()
    for meta in metas:
        try:
            sources.add(json.loads(meta.read_text("utf-8"))["source"])
            text = meta.with_name(meta.name.replace(".meta.json", ".txt")).read_text("utf-8")
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
            raise InputError(f"{meta}: cannot read the gold article or its source: {exc}") from exc
        grams |= shingles(text)
    return Excluded(frozenset(sources), frozenset(grams))


def reuters_articles(data: Path) -> Iterator[Article]:
    """Reuters-21578 stories with a body, in file order."""
    files = sorted((data / "reuters21578").glob("reut2-*.sgm"))
    if not files:
        raise InputError(f"Reuters-21578 not found in {data / 'reuters21578'} (pass --data DIR)")
    for path in files:
        raw = path.read_bytes().decode("latin-1")
        for story in re.findall(r"<REUTERS(.*?)</REUTERS>", raw, re.S):
            body = re.search(r"<BODY>(.*?)</BODY>", story, re.S)
            new_id = re.search(r'NEWID="(\d+)"', story)
            if body and new_id:
                text = " ".join(html.unescape(body.group(1)).replace("\x03", " ").split())
                yield Article(f"reuters21578/{path.name}#NEWID={new_id.group(1)}", text)


def bbc_articles(data: Path, section: str) -> Iterator[Article]:
    """BBC News articles of one section, in file order."""
    folder = data / "bbc_news" / section
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError(f"BBC News section not found: {folder} (pass --data DIR)")
    for path in files:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        yield Article(f"bbc_news/{section}/{path.name}", " ".join(text.split()))


def rehearsal_articles(
    data: Path, excluded: Excluded, *, per_source: int
) -> tuple[list[Article], list[Article]]:
    """``(train, held_out)`` rehearsal articles: the first ``per_source`` articles of
    Reuters-21578 and of each BBC section that are not ``excluded`` (nor under 20 words),
    every 10th of each source held out, the sources taken in turn."""
    train: list[list[Article]] = []
    held_out: list[list[Article]] = []
    for stream in (reuters_articles(data), *(bbc_articles(data, s) for s in BBC_SECTIONS)):
        kept: list[Article] = []
        for article in stream:
            if len(kept) >= per_source:
                break
            if len(article.text.split()) >= 20 and article not in excluded:
                kept.append(article)
        rest, dev = carve(kept, REHEARSAL_DEV_EVERY)
        train.append(rest)
        held_out.append(dev)
    return _round_robin(train), _round_robin(held_out)


def _round_robin(groups: list[list[Article]]) -> list[Article]:
    """One article of each group in turn."""
    longest = max((len(g) for g in groups), default=0)
    return [g[i] for i in range(longest) for g in groups if i < len(g)]
