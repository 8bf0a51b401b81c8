"""Coreference: each rule on a short text of its own (slow: a real spaCy model), the
lexicons and the pure helpers (fast)."""

from __future__ import annotations

import pytest

from kg.data import lexicons
from kg.extract.coref import PRONOUNS, _role_matches
from kg.extract.gender import given_name_gender
from kg.extract.registry import KINDS, extractors
from kg.model import REFERENCE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def references(extract, text: str) -> dict[str, str]:
    """Each reference's text (with its start, when a text repeats) → its antecedent's name."""
    mentions, _ = extract(text)
    out: dict[str, str] = {}
    for m in mentions:
        if m.kind == REFERENCE:
            assert m.antecedent is not None and m.antecedent.kind == "name"
            assert m.name == m.antecedent.name and m.type == m.antecedent.type
            assert 0 < m.confidence <= 1
            key = m.text if m.text not in out else f"{m.text}@{m.start}"
            out[key] = m.antecedent.name
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # gender from given names: she is Mary, he is John
        (
            "Mary Smith met John Brown in Leeds. She said the talks went well, and he agreed.",
            {"She": "Mary Smith", "he": "John Brown"},
        ),
        # gender from an honorific, possessive pronoun
        (
            "Mrs Kowalczyk and Mr Nowak opened the plant. Her speech was short.",
            {"Her": "Kowalczyk"},
        ),
        # subject preference: the subject of the previous sentence, not the object
        (
            "John Brown thanked Peter White on Monday. He then left for Paris.",
            {"He": "John Brown"},
        ),
        # binding: an object pronoun is not the subject of its own clause
        (
            "Peter White arrived late. John Brown criticised him.",
            {"him": "Peter White"},
        ),
        # a reflexive pronoun is the subject of its clause
        (
            "Peter White arrived late. John Brown praised himself.",
            {"himself": "John Brown"},
        ),
        # it/its and they/their to organizations
        (
            "Acme Industries reported a loss. Its shares fell after it cut jobs.",
            {"Its": "Acme Industries", "it": "Acme Industries"},
        ),
        # a chain of pronouns keeps its referent
        (
            "Angela Merkel arrived in Rome. She met the press. She said she was pleased.",
            {"She": "Angela Merkel", "She@50": "Angela Merkel", "she": "Angela Merkel"},
        ),
    ],
)
def test_pronouns(extract, text, expected):
    assert references(extract, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a job title goes to the person the document gave that role
        (
            "Foreign Minister Jane Doe met Carlos Ruiz in Madrid. The minister said talks "
            "would go on.",
            {"The minister": "Jane Doe"},
        ),
        # qualifiers do not change what a title denotes
        (
            "Prime Minister Tony Blair left office in 2007. Peter Mandelson praised him. "
            "The former prime minister smiled.",
            {"him": "Tony Blair", "The former prime minister": "Tony Blair"},
        ),
        # an organization noun goes first to an organization whose name holds it
        (
            "Barclays Bank and Acme Industries signed a deal. The bank said it was pleased.",
            {"The bank": "Barclays Bank", "it": "Barclays Bank"},
        ),
        # "the country" is a country, "the city" a place that is not one
        (
            "Delegates from France arrived in Paris on Monday. The country sent twenty. The city "
            "was full.",
            {"The country": "France", "The city": "Paris"},
        ),
        # a description in apposition is the name it stands beside
        (
            "Acme Industries, the company that makes the engines, cut jobs.",
            {"the company": "Acme Industries"},
        ),
        # in apposition, a possessive determiner and a noun outside the lexicon count too
        (
            "Protesters marched to the nation's capital, Wellington, on Monday.",
            {"the nation's capital": "Wellington"},
        ),
        (
            "The team met the Afghan team's coach, Alireza Mehraban, in Kabul.",
            {"the Afghan team's coach": "Alireza Mehraban"},
        ),
        # an adverb before the determiner
        (
            "Also the president of the region, Roberto Maroni, has reacted to the ruling.",
            {"the president": "Roberto Maroni"},
        ),
        # a name holding the noun wins over a more salient organization
        (
            "The Ford Foundation gave money to a museum on Monday. Acme Industries bought the "
            "building, and Acme Industries will rent the flats out. The foundation agreed.",
            {"The foundation": "Ford Foundation"},
        ),
    ],
)
def test_descriptions(extract, text, expected):
    assert references(extract, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a predicate takes its subject's entity, whatever its noun
        (
            "Jeanne Moreau starred in many films. She was the recipient of several awards.",
            {"She": "Jeanne Moreau", "the recipient": "Jeanne Moreau"},
        ),
        # after "as": the object of the verb when it has one
        (
            "Peter Cook taught Zaha Hadid. He described her as the best pupil.",
            {"He": "Peter Cook", "her": "Zaha Hadid", "the best pupil": "Zaha Hadid"},
        ),
        # venue nouns only coreference reads (coref_description_nouns.tsv)
        (
            "Pacific Standard opened in Brooklyn. Critics sampled the cocktail at the bar.",
            {"the bar": "Pacific Standard"},
        ),
        # a name modifying the noun, of the noun's type, is what the description means
        (
            "Germany wanted to join NATO. Russia opposed the NATO military alliance.",
            {"the NATO military alliance": "NATO"},
        ),
    ],
)
def test_predicates_and_modifying_names(extract, text, expected):
    assert references(extract, text) == expected


def test_a_predicate_noun_outside_the_lexicons_needs_a_named_subject(extract):
    found = references(extract, 'John Brown spoke. "I am the sort of player who likes it."')
    assert "the sort" not in found


def test_the_speaker_is_not_whom_the_quotation_names(extract):
    text = 'Andy Warhol made films. Kevin Allton spoke. He said: "Andy Warhol was a genius."'
    assert references(extract, text).get("He") == "Kevin Allton"


def test_the_subject_of_a_verb_of_saying_is_what_he_means(extract):
    text = "Ahmed Mohamed built a clock. His father Elhassan Mohamed said he would sue."
    assert references(extract, text).get("he") == "Elhassan Mohamed"


def test_a_pronoun_in_a_quotation_is_not_its_speaker(extract):
    text = 'John Brown spoke first. Peter White replied: "He is wrong about the budget."'
    assert references(extract, text) == {"He": "John Brown"}


@pytest.mark.parametrize(
    "text",
    [
        "The weather was bad on Monday. He left early.",  # nobody named
        "Acme Industries grew. It is likely that prices will rise.",  # pleonastic it
        "Acme Industries grew fast. She said nothing.",  # no compatible entity
        "Foreign Minister Jane Doe arrived. The president was absent.",  # no such role
    ],
)
def test_nothing_is_linked_without_a_compatible_name(extract, text):
    found = references(extract, text)
    assert "He" not in found and "It" not in found and "She" not in found
    assert "The president" not in found


def test_references_join_their_antecedents_entity(extract):
    from kg.documents import document_from_text  # noqa: F401  (the fixture builds documents)
    from kg.model import Extraction
    from kg.resolve.resolution import resolve

    mentions, facts = extract("Mary Smith won the race. She thanked her coach.")
    resolution = resolve([Extraction(doc_id=mentions[0].doc_id, mentions=mentions, facts=facts)])
    mary = next(m for m in mentions if m.kind == "name" and m.name == "Mary Smith")
    entity = resolution.entity_of(mary)
    assert entity is not None
    assert {m.text for m in entity.mentions if m.kind == REFERENCE} == {"She", "her"}
    assert entity.label == "Mary Smith"


def test_a_pronoun_before_any_name_goes_to_the_next_one_close_by(extract):
    found = references(extract, "After the trial that freed her, Mary Smith thanked her lawyers.")
    assert len(found) == 2 and set(found.values()) == {"Mary Smith"}  # both "her"
    # two sentences on, the name is too far to be what the pronoun meant
    assert references(extract, "He was late. Nobody noticed. John Brown arrived at noon.") == {}


# --------------------------------------------------------------------------- fast


def test_the_extractor_is_registered_and_runs_before_quotes():
    assert "references" in KINDS
    order = [spec.name for spec in extractors()]
    assert order.index("roles") < order.index("coref") < order.index("quotes")


def test_pronoun_table():
    assert PRONOUNS["she"].gender == "f" and PRONOUNS["him"].gender == "m"
    assert PRONOUNS["they"].plural and PRONOUNS["itself"].reflexive
    assert PRONOUNS["its"].gender is None
    assert "I" not in PRONOUNS and "you" not in PRONOUNS  # third person only


def test_lexicons_load():
    assert given_name_gender("Mary") == "f" and given_name_gender("john") == "m"
    assert given_name_gender("Xq") is None
    nouns = lexicons.description_nouns()
    assert nouns["company"].type == "Organization" and nouns["city"].type == "Location"
    assert nouns["actress"].gender == "f" and nouns["minister"].gender is None
    assert {n.type for n in nouns.values()} == {"Person", "Organization", "Location"}


@pytest.mark.parametrize(
    ("noun", "role", "matches"),
    [
        ("minister", "Foreign Minister", True),
        ("prime minister", "Prime Minister", True),
        ("prime minister", "Minister", False),
        ("president", "Vice-President", False),
        ("minister", "Deputy Prime Minister", True),
        ("chief executive", "chief executive", True),
        ("minister", "Ministry spokesman", False),
    ],
)
def test_role_matching(noun, role, matches):
    assert _role_matches(noun, role) is matches


def _context(nlp, text: str, names: list[tuple[str, ...]]):
    """A DocContext whose names are the given (surface, type) pairs, in text order, each
    typed as given: NER's mistakes without depending on them. A third item makes the
    mention a demonym of that country ("Palestinians" → "Palestine")."""
    from kg.documents import document_from_text
    from kg.extract.context import DocContext
    from kg.model import DEMONYM, NAME, Mention

    ctx = DocContext(document=document_from_text(text, id="t"), doc=nlp(text))
    cursor = 0
    for surface, type_, *country in names:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        name, kind = (country[0], DEMONYM) if country else (surface, NAME)
        ctx.add(Mention("t", surface, name, type_, start, cursor, kind=kind))
    return ctx


def _links(nlp, text: str, names: list[tuple[str, ...]], **weights) -> dict[str, str]:
    """Each anaphor's text → the name it was linked to, on a :func:`_context`."""
    from dataclasses import replace

    from kg.extract.coref import WEIGHTS, Resolver, anaphors

    ctx = _context(nlp, text, names)
    resolver = Resolver(ctx, replace(WEIGHTS, **weights))
    return {a.text: m.name for a, m, _ in resolver.resolve(anaphors(ctx))}


ORG, LOC, PER = "Organization", "Location", "Person"


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        # the noun must be the head of the name: "the city" is not the festival
        (
            "The Taipei City Lantern Festival opened on Saturday in Taipei. Crowds filled "
            "the streets, and the city expects six million visitors.",
            [("Taipei City Lantern Festival", ORG), ("Taipei", LOC)],
            {"the city": "Taipei"},
        ),
        # a modifying name NER typed a place still means the organization
        (
            "Daniel Montalvo was charged with taking hard drives from the Scientology "
            "organization.",
            [("Daniel Montalvo", PER), ("Scientology", LOC)],
            {"the Scientology organization": "Scientology"},
        ),
        # and so does "the organization" by salience
        (
            "Daniel Montalvo left Scientology in 2010. He said the organization had "
            "threatened him.",
            [("Daniel Montalvo", PER), ("Scientology", LOC)],
            {"He": "Daniel Montalvo", "the organization": "Scientology", "him": "Daniel Montalvo"},
        ),
        # the parse hangs the name on "NATO"; it is the head's
        (
            "And the head of NATO, Hoop Scheffer, has explained that NATO must guard pipelines.",
            [("NATO", ORG), ("Hoop Scheffer", PER), ("NATO", ORG)],
            {"the head": "Hoop Scheffer"},
        ),
        # a title modifying a name
        (
            "Kim Min-Woo conceded a penalty which the match referee Joel Aguilar awarded Sweden.",
            [("Kim Min-Woo", PER), ("Joel Aguilar", PER), ("Sweden", LOC)],
            {"the match referee": "Joel Aguilar"},
        ),
        # a possessive in a relative clause, in a modifier; a subject under "who"
        (
            "Brock Holt hit four singles. Holt was the first player since Jack Merson, who "
            "went 4-for-5 in his second game.",
            [("Brock Holt", PER), ("Holt", PER), ("Jack Merson", PER)],
            {"the first player": "Holt", "his": "Jack Merson"},
        ),
        (
            "Andy Warhol took a portrait of Dennis Hopper, famous for his role in the film.",
            [("Andy Warhol", PER), ("Dennis Hopper", PER)],
            {"his": "Dennis Hopper"},
        ),
        (
            "Daniel Montalvo left the group. Montalvo met Tom Devocht, who had told Montalvo "
            "he would assist him.",
            [("Daniel Montalvo", PER), ("Montalvo", PER), ("Tom Devocht", PER), ("Montalvo", PER)],
            {"he": "Tom Devocht", "him": "Montalvo"},
        ),
    ],
)
def test_third_round_rules(nlp, text, names, expected):
    assert _links(nlp, text, names) == expected


def test_a_place_is_a_less_likely_speaker_than_an_organization(nlp):
    text = "The Guardian reported that Britain had changed the rules. It said critics were wrong."
    names = [("The Guardian", ORG), ("Britain", LOC)]
    assert _links(nlp, text, names, place_speaking=0) == {"It": "Britain"}
    assert _links(nlp, text, names) == {"It": "The Guardian"}


def test_a_people_named_by_a_plural_demonym_is_they(nlp):
    text = "Israel met the Palestinians. They want a state. Its army waited."
    names = [("Israel", LOC), ("Palestinians", LOC, "Palestine")]
    found = _links(nlp, text, names)
    assert found["They"] == "Palestine" and found["Its"] == "Israel"  # never "its"
    assert _links(nlp, text, names, plural_match=0)["They"] == "Israel"


def test_a_surname_joins_a_mistyped_full_name_not_a_relative(nlp):
    from kg.extract.coref import Resolver

    text = (
        "Jared Tristan Padalecki is an actor. His mother Sherri Padalecki was a teacher. "
        "Padalecki grew up in Texas. Padalecki later moved west."
    )
    ctx = _context(
        nlp,
        text,
        [
            ("Jared Tristan Padalecki", "Organization"),
            ("Sherri Padalecki", "Person"),
            ("Padalecki", "Person"),
            ("Texas", "Location"),
            ("Padalecki", "Person"),
        ],
    )
    entities = Resolver(ctx).entities
    actor = next(e for e in entities if any(n.name.startswith("Jared") for n in e.names))
    assert [n.name for n in actor.names].count("Padalecki") == 2
    assert actor.type == "Person"  # named a person twice, no organization word
    mother = next(e for e in entities if any(n.name.startswith("Sherri") for n in e.names))
    assert mother is not actor and mother.gender == "f"


def test_a_full_name_with_another_given_name_is_a_relative(nlp):
    from kg.extract.coref import Resolver

    text = "Bernoulli was born in 1700. Daniel Bernoulli studied. Johann Bernoulli taught."
    ctx = _context(
        nlp,
        text,
        [("Bernoulli", "Person"), ("Daniel Bernoulli", "Person"), ("Johann Bernoulli", "Person")],
    )
    entities = Resolver(ctx).entities
    assert len(entities) == 2
    assert [n.name for n in entities[0].names] == ["Bernoulli", "Daniel Bernoulli"]


def test_a_name_marked_with_the_other_gender_is_another_person(nlp):
    from kg.extract.coref import Resolver

    text = "John Marbles films dogs. His dog Mr. Marbles barks. Mrs. Marbles laughs."
    ctx = _context(
        nlp,
        text,
        [("John Marbles", "Person"), ("Marbles", "Person"), ("Marbles", "Person")],
    )
    entities = Resolver(ctx).entities
    assert [e.gender for e in entities] == ["m", "f"]  # Mr. Marbles may be John, not Mrs.


def test_world_given_names_and_honorifics_give_a_gender():
    from kg.extract.gender import cue_gender

    assert given_name_gender("Barack") == "m" and given_name_gender("Zahā") == "f"
    assert given_name_gender("Barack", census_only=True) is None
    assert cue_gender("Mrs.") == "f" and cue_gender("actress") == "f" and cue_gender("Dr") is None


def test_a_longer_form_joins_the_name_it_holds(nlp):
    from kg.extract.coref import Resolver

    text = "Jenna Marbles posts videos. Jenna Marbles Jenna Mourey was born in 1986."
    ctx = _context(
        nlp, text, [("Jenna Marbles", "Person"), ("Jenna Marbles Jenna Mourey", "Person")]
    )
    assert len(Resolver(ctx).entities) == 1


def test_a_place_is_not_a_surname(nlp):
    from kg.extract.coref import Resolver

    text = "The University of Texas grew. Texas voted."
    ctx = _context(nlp, text, [("University of Texas", "Organization"), ("Texas", "Location")])
    assert len(Resolver(ctx).entities) == 2


def test_a_learned_gender_is_the_majority_and_names_come_first():
    from kg.extract.coref import _Entity

    entity = _Entity(type="Person")
    assert entity.assumed_gender is None
    entity.learned.update({"m": 1, "f": 3})
    assert entity.assumed_gender == "f"
    entity.gender = "m"
    assert entity.assumed_gender == "m"


@pytest.mark.parametrize(
    ("words", "part", "holds"),
    [
        ("Jenna Marbles Jenna Mourey", "Jenna Marbles", True),
        ("Jenna Marbles Jenna Mourey", "Jenna Mourey", True),
        ("Jenna Marbles", "Jenna Mourey", False),
        ("Jenna Marbles", "Marbles", False),  # one word is a surname, not a longer form
    ],
)
def test_contains(words, part, holds):
    from kg.extract.coref import _contains

    assert _contains(words.split(), part.split()) is holds


def test_the_subject_of_said_is_the_he_of_what_was_said(nlp):
    text = (
        "Andy Warhol took photos. Andy Warhol met stars, and Andy Warhol kept the prints. "
        "Kevin Allton said he had only seen them in film."
    )
    names = [
        ("Andy Warhol", PER),
        ("Andy Warhol", PER),
        ("Andy Warhol", PER),
        ("Kevin Allton", PER),
    ]
    assert _links(nlp, text, names, reported_speech=0) == {"he": "Andy Warhol"}
    assert _links(nlp, text, names) == {"he": "Kevin Allton"}


def test_a_name_modifying_a_noun_is_not_the_person(nlp):
    text = (
        "Daniel Bernoulli studied fluids in Basel. The Bernoulli family was large, and he stayed."
    )
    names = [("Daniel Bernoulli", PER), ("Basel", LOC), ("Bernoulli", PER)]
    assert _links(nlp, text, names) == {"he": "Daniel Bernoulli"}  # not "Bernoulli" of the family
    assert _links(nlp, text, names, modifier_names=False) == {"he": "Bernoulli"}


def test_a_misparsed_object_without_determiner_stays_a_mention(nlp):
    from kg.extract.coref import Resolver

    text = "Tom Hart gave Gavin Price responsibility for the kicks."  # "Price" a compound
    ctx = _context(nlp, text, [("Tom Hart", PER), ("Gavin Price", PER)])
    assert ctx.doc[4].dep_ == "compound"  # the parse this guards against
    assert Resolver(ctx).modifiers == frozenset()


def test_a_possessive_is_never_a_bound_object(nlp):
    """A parse may make "his" the object ("launched his Keep Going campaign"); binding
    keeps only object forms (him, her, them) from the subject of their clause."""
    from spacy.tokens import Doc

    from kg.documents import document_from_text
    from kg.extract.context import DocContext
    from kg.extract.coref import Resolver, _possessive, anaphors
    from kg.model import NAME, Mention

    words = ["Jack", "Smith", "launched", "his", "campaign", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        spaces=[True, True, True, True, False, False],
        tags=["NNP", "NNP", "VBD", "PRP", "NN", "."],
        pos=["PROPN", "PROPN", "VERB", "PRON", "NOUN", "PUNCT"],
        deps=["compound", "nsubj", "ROOT", "dobj", "npadvmod", "punct"],
        heads=[1, 2, 2, 2, 2, 2],
    )
    assert _possessive(doc[3]) and not _possessive(Doc(nlp.vocab, words=["him"])[0])
    ctx = DocContext(document=document_from_text(doc.text, id="t"), doc=doc)
    ctx.add(Mention("t", "Jack Smith", "Jack Smith", PER, 0, 10, kind=NAME))
    found = {a.text: m.name for a, m, _ in Resolver(ctx).resolve(anaphors(ctx))}
    assert found == {"his": "Jack Smith"}
