"""Context cues of a name (kg.extract.cues) and what the type vote makes of them."""

from __future__ import annotations

import dataclasses

import pytest

from kg.extract.cues import cues_for
from kg.model import LOCATION, ORGANIZATION, Mention
from kg.resolve.entity_type import decide_type


@pytest.mark.parametrize(
    "text",
    [
        "LA PAZ, March 23 - Bolivia's top union leader joined a strike.",
        "LONDON (Reuters) - Shares fell.",
        "Washington, Feb. 2, 1987 -- The Treasury said.",
        "Intro line.\nTOKYO, 3 March - Prices rose.",
    ],
)
def test_a_news_dateline_is_a_cue(text):
    start = text.rfind("\n") + 1
    end = start + len(text[start:].split(",")[0].split(" (")[0])
    assert "dateline" in cues_for(text, start, end, is_sentence_start=True)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The strike in La Paz, March 23 - ended.", "La Paz"),  # not at the start of a line
        ("LA PAZ said on March 23 that it would.", "LA PAZ"),  # no dateline follows
    ],
)
def test_no_dateline_elsewhere(text, name):
    start = text.index(name)
    assert "dateline" not in cues_for(text, start, start + len(name), is_sentence_start=False)


def test_a_dateline_outweighs_ner_calling_the_place_an_organization():
    text = "LA PAZ, March 23 - Bolivia's top union leader joined a strike."
    cues = cues_for(text, 0, 6, is_sentence_start=True)
    mention = Mention(
        doc_id="d", text="LA PAZ", name="LA PAZ", type=ORGANIZATION, start=0, end=6, cues=cues
    )
    assert decide_type([mention]) == LOCATION
    assert decide_type([dataclasses.replace(mention, cues=frozenset())]) == ORGANIZATION
