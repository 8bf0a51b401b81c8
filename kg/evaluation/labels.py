"""The evaluation's mapping files in ``kg/data/``: label maps, CoNLL04 relations, Wikidata
properties and party words, read once each.

* ``eval_labels.tsv``: gold labels of each data set and spaCy's labels → scored types;
* ``conll04_relations.tsv``: our relations → CoNLL04 labels;
* ``wikidata_properties.tsv``: our relations → Wikidata properties (Re-DocRED);
* ``eval_party_words.txt``: words that make an organization a political party.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from kg.errors import InputError

#: Scored types that are not ontology types: reported apart, never in a headline.
MISC = "MISC"


def _rows(filename: str) -> list[dict[str, str]]:
    """Rows of a tab-separated file of ``kg/data`` as dicts keyed by its header."""
    try:
        text = resources.files("kg.data").joinpath(filename).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"evaluation mapping file kg/data/{filename} unreadable: {exc}") from exc
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t")
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


@cache
def label_map(scheme: str, side: str = "gold") -> dict[str, str]:
    """``{label: scored type}`` of a scheme (``conll2003``, ``spacy``...) and side."""
    found = {
        row["label"]: row["type"]
        for row in _rows("eval_labels.tsv")
        if row["scheme"] == scheme and row["side"] == side
    }
    if not found and side == "gold":
        raise InputError(f"no gold labels for {scheme!r} in kg/data/eval_labels.tsv")
    return found


def predicted_type(scheme: str, our_type: str) -> str:
    """The type one of our types is scored as on a data set (``Event`` → ``MISC`` on CoNLL-2003)."""
    return label_map(scheme, "predicted").get(our_type, our_type)


@dataclass(frozen=True)
class RelationLabel:
    """One row of ``conll04_relations.tsv``."""

    relation: str
    subject_type: str
    object_type: str
    label: str
    open: bool


@lru_cache(maxsize=1)
def conll04_relations() -> tuple[RelationLabel, ...]:
    return tuple(
        RelationLabel(
            row["relation"],
            row["subject_type"],
            row["object_type"],
            row["label"],
            row["open"] == "yes",
        )
        for row in _rows("conll04_relations.tsv")
    )


@dataclass(frozen=True)
class PropertyRule:
    """One row of ``wikidata_properties.tsv``: which Wikidata triple a fact predicts."""

    relation: str
    subject_type: str
    object_type: str
    object_kind: str
    properties: tuple[str, ...]
    inverse: bool
    scorable: bool
    note: str

    def fits(self, subject_type: str, object_type: str, object_kind: str) -> bool:
        return (
            self.subject_type in ("*", subject_type)
            and self.object_type in ("*", object_type)
            and self.object_kind in ("*", object_kind)
        )


@lru_cache(maxsize=1)
def property_rules() -> tuple[PropertyRule, ...]:
    rules = []
    for row in _rows("wikidata_properties.tsv"):
        if row["direction"] not in ("forward", "inverse"):
            raise InputError(f"wikidata_properties.tsv: bad direction {row['direction']!r}")
        rules.append(
            PropertyRule(
                relation=row["relation"],
                subject_type=row["subject_type"],
                object_type=row["object_type"],
                object_kind=row["object_kind"],
                properties=tuple(row["properties"].split("|")),
                inverse=row["direction"] == "inverse",
                scorable=row["scorable"] == "yes",
                note=row["note"],
            )
        )
    return tuple(rules)


def mapped_properties() -> list[str]:
    """Every Wikidata property the mapping names, scorable or not, in file order."""
    return list(dict.fromkeys(p for rule in property_rules() for p in rule.properties))


@lru_cache(maxsize=1)
def party_words() -> frozenset[str]:
    text = resources.files("kg.data").joinpath("eval_party_words.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )
