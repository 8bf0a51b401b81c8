"""What an entity's mentions say about its type, as named features for a classifier.

One dict per cluster of mentions (one real thing in one document): the NER labels its
mentions got, the shape of its names (words, capitals, acronym, digits), what the
lexicons know (gazetteer kind, given name, surname, honorific, head word, nationality
word) and the context cues of :mod:`kg.extract.cues` ("next:processor", "said",
"article"...). Values are shares of mentions or 0/1 flags, so a name seen ten times and a
name seen once are comparable. :mod:`kg.training.entity_types` learns weights for them;
:mod:`kg.resolve.entity_type` applies the weights.

    >>> sorted(cluster_features([mention])).count("bias")  # doctest: +SKIP
    1
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from kg.data import lexicons
from kg.model import Mention
from kg.resolve.forms import clean_label, gender_of_honorific
from kg.resolve.names import is_acronym, name_words


def cluster_features(members: Sequence[Mention]) -> dict[str, float]:
    """Named features of one cluster (see the module docstring)."""
    from kg.resolve.entity_type import decide_type, type_votes

    n = len(members)
    out: dict[str, float] = {"bias": 1.0, "log_mentions": math.log1p(n)}
    votes = type_votes(members)
    total = sum(votes.values()) or 1.0
    for kind, weight in votes.items():
        out[f"vote:{kind}"] = weight / total
    out[f"voted:{decide_type(members)}"] = 1.0
    for label, count in Counter(m.label for m in members).items():
        out[f"ner:{label}"] = count / n
    for kind, count in Counter(m.type for m in members).items():
        out[f"type:{kind}"] = count / n
    names = sorted({clean_label(m.name) for m in members})
    longest = max(names, key=lambda s: (len(s.split()), len(s), s))
    words = name_words(longest)
    out[f"words:{min(len(words), 4)}"] = 1.0
    raw = longest.replace(" ", "")
    if is_acronym(longest):
        out["acronym"] = 1.0
    if raw.isupper() and len(raw) > 1:
        out["all_caps"] = 1.0
    if any(c.isupper() for c in raw[1:]) and not raw.isupper() and len(words) == 1:
        out["inner_capital"] = 1.0  # "iPod", "PowerMac"
    if any(c.isdigit() for c in raw):
        out["digit"] = 1.0
    if any(not c.isalnum() and c not in "-'’." for c in raw):
        out["symbol"] = 1.0
    _lexicon_features(out, names, words, members)
    for cue, count in Counter(c for m in members for c in m.cues).items():
        out[f"cue:{cue}"] = count / n
    out["locative"] = sum(1 for m in members if m.locative) / n
    if all({"sentence_start", "headline"} & m.cues for m in members):
        out["only_where_capitals_prove_nothing"] = 1.0
    return out


def _lexicon_features(
    out: dict[str, float], names: list[str], words: list[str], members: Sequence[Mention]
) -> None:
    gazetteer = lexicons.gazetteer()
    for name in names:
        place = gazetteer.get(name.casefold())
        if place is not None:
            out[f"gazetteer:{place.kind}"] = 1.0
            if place.population >= 1_000_000:
                out["gazetteer:big_city"] = 1.0
        if name.casefold() in lexicons.places().canonical:
            out["country"] = 1.0
        if name.casefold() in lexicons.places().demonyms:
            out["nationality_word"] = 1.0
    if len(words) > 1:
        head = words[-1]
        out[f"head:{head}"] = 1.0
        kind = lexicons.type_heads().get(head)
        if kind is not None:
            out[f"head_type:{kind}"] = 1.0
    first_names = lexicons.first_names()
    if words and words[0] in first_names:
        out["given_name_first" if len(words) > 1 else "given_name_alone"] = 1.0
    if words and words[-1] in lexicons.surnames():
        out["surname_last" if len(words) > 1 else "surname_alone"] = 1.0
    if any(m.honorific for m in members):
        out["honorific"] = 1.0
        if any(gender_of_honorific(m.honorific) for m in members):
            out["gendered_honorific"] = 1.0
    if any(m.role for m in members):
        out["titled"] = 1.0  # "President X": a title inside the span
