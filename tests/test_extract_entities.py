"""Entity mentions: NER spans cleaned by general rules (tests on sentences of our own)."""

from __future__ import annotations

import pytest

from kg.model import LOCATION, ORGANIZATION, PERSON

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def names(mentions, entity_type=None):
    return {m.name for m in mentions if entity_type is None or m.type == entity_type}


@pytest.mark.parametrize(
    ("text", "name", "entity_type", "role"),
    [
        ("Spokeswoman Jen Psaki said the talks went well.", "Jen Psaki", PERSON, "Spokeswoman"),
        ("Yesterday MEP Radoslaw Sikorski spoke to reporters.", "Radoslaw Sikorski", PERSON, "MEP"),
        (
            "He met Commission President Ursula von der Leyen in Brussels.",
            "Ursula von der Leyen",
            PERSON,
            None,
        ),
        ("Scot Nick Smith came second in Glasgow.", "Nick Smith", PERSON, None),
        ("Troops left the United States on Monday.", "United States", LOCATION, None),
        ("The talks were held in the US capital.", "United States", LOCATION, None),
    ],
)
def test_cleaned_names(extract, text, name, entity_type, role):
    mentions, _ = extract(text)
    found = [m for m in mentions if m.name == name]
    assert found, f"{name!r} not among {names(mentions)}"
    assert found[0].type == entity_type
    if role:
        assert found[0].role == role


def test_span_across_line_break_is_cut(extract):
    text = "The interview was given by MEP Tonino Picula\n\nAhead of the visit, nothing changed."
    mentions, _ = extract(text)
    assert all("\n" not in m.name for m in mentions)
    assert not any("Ahead" in m.name for m in mentions)


def test_page_furniture_is_not_an_entity(extract):
    mentions, _ = extract("The vote was close.\n\nAbout Author\n\nLeave A Reply")
    assert not any(m.name.lower() in {"about author", "about", "leave a reply"} for m in mentions)


def test_acronym_in_parentheses_names_the_long_form(extract):
    text = (
        "The International Campaign for the Abolition of Nuclear Weapons (ICAN) released a report. "
        "ICAN said the treaty matters."
    )
    mentions, _ = extract(text)
    acronyms = [m for m in mentions if m.text == "ICAN" and m.name != "ICAN"]
    assert acronyms and acronyms[0].name.startswith("International Campaign")
    assert acronyms[0].type == ORGANIZATION


def test_title_only_span_is_dropped(extract):
    mentions, _ = extract("The MEP said nothing, and the Senator left.")
    assert not any(m.name in {"MEP", "Senator"} for m in mentions)


def _resolved_types(extract, text):
    from kg.model import Extraction
    from kg.resolve.resolution import resolve

    mentions, facts = extract(text)
    resolution = resolve([Extraction(doc_id=mentions[0].doc_id, mentions=mentions, facts=facts)])
    return {e.label: e.type for e in resolution.entities.values() if e.type != "Date"}


def test_what_the_text_calls_a_name_decides_its_type(extract):
    text = (
        "The deal was signed by record companies Brellix and Quonsar on Monday. "
        "Quonsar said sales rose. Shares in Quonsar fell 3% in London."
    )
    types = _resolved_types(extract, text)
    assert types.get("Quonsar") == ORGANIZATION, types
    assert types.get("London") == LOCATION, types


def test_works_products_and_abbreviations_are_no_nodes(extract):
    text = (
        'Fans chanted "Red Dragonhood" as Apple showed the Zoomac G4 to PR staff. '
        "Knights Of The Old Republic sold well, Apple chief executive Steve Jobs said."
    )
    types = _resolved_types(extract, text)
    assert types.get("Steve Jobs") == PERSON, types
    assert not {"Red Dragonhood", "Zoomac G4", "PR", "Knights Of The Old Republic"} & set(types)


def test_a_span_across_a_list_of_names_is_split():
    from kg.extract.entities import RawSpan, split_listed_names

    text = "Dudek, Finnan, Carragher (Biscan 67); Acme Holdings, Inc. rose."
    spans = [RawSpan(0, 24, "ORG"), RawSpan(38, 57, "ORG")]
    parts = [text[s.start : s.end] for s in split_listed_names(spans, text)]
    assert parts == ["Dudek", "Finnan", "Carragher", "Acme Holdings, Inc."]


def test_a_possessive_in_a_capitalised_headline_is_not_part_of_the_name(extract):
    mentions, _ = extract("NAKASONE'S PARTY LOSES SEATS\nYasuhiro Nakasone said the vote hurt.")
    assert "NAKASONE'S" not in {m.name for m in mentions}


def test_an_organization_span_cut_inside_a_party_name_is_completed():
    from kg.extract.entities import RawSpan, complete_party_names

    text = "The Liberal Democrat leader spoke; Liberal Arts Group and Labour Party too."
    at = [text.index("Liberal"), text.index("Liberal Arts"), text.index("Labour")]
    spans = [RawSpan(a, a + (6 if a == at[2] else 7), "ORG") for a in at]
    done = complete_party_names(spans, text)
    assert [text[s.start : s.end] for s in done] == ["Liberal Democrat", "Liberal", "Labour Party"]


def test_the_brackets_of_a_company_tag_are_no_part_of_the_name():
    from kg.extract.entities import _trim

    text = "It bought a stake in <Dunmore Inc> last week."
    start, end = _trim(text, text.index("<"), text.index(">") + 1)
    assert text[start:end] == "Dunmore Inc"


def test_an_adverb_opening_the_sentence_and_party_words_are_cut_from_a_person(nlp):
    from kg.documents import document_from_text
    from kg.extract import DocContext
    from kg.extract.entities import _trim_person

    text = "Meanwhile Lib Dem leader Jane Marlow spoke. Meanwhile Lib Dem Jane Marlow left."
    ctx = DocContext(document=document_from_text(text), doc=nlp(text))
    start = text.index("Meanwhile Lib Dem leader")
    new_start, new_end, _ = _trim_person(ctx, start, start + len("Meanwhile Lib Dem"))
    assert new_start == new_end  # nothing left: no person
    start = text.rindex("Meanwhile")
    new_start, new_end, _ = _trim_person(ctx, start, len(text) - len(" left."))
    assert text[new_start:new_end] == "Jane Marlow"


def test_a_company_name_ending_in_technologies_is_complete_before_and():
    from kg.extract.entities import RawSpan, join_organization_names

    text = "Firms such as Enfold X1 Technologies and X-Buddy sell tools."
    start = text.index("Enfold")
    end = text.index(" and")
    joined = join_organization_names([RawSpan(start, end, "ORG")], text)
    assert [text[s.start : s.end] for s in joined] == ["Enfold X1 Technologies"]
