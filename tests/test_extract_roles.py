"""kg/extract/roles.py and the place patterns of kg/extract/relations.py on short texts:
text → facts that must be there, and facts that must not."""

from __future__ import annotations

import pytest
from conftest import fact_table

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # X, the chief executive of Y
            "Maria Lopez, the chief executive of Acme Holdings, said profits rose.",
            {
                ("Maria Lopez", "role", "Chief executive"),
                ("Maria Lopez", "leaderOf", "Acme Holdings"),
            },
        ),
        (  # Y's chief executive, X
            "Barclays' chief executive, John Varley, said profits rose.",
            {("John Varley", "role", "Chief executive"), ("John Varley", "leaderOf", "Barclays")},
        ),
        (  # X, who is now Y's <role>
            "Peter Smith, who is now Barclays' finance director, joined the bank in 1990.",
            {("Peter Smith", "affiliatedWith", "Barclays")},
        ),
        (  # its <role>, X: the organization the text was talking about
            "The World Bank welcomed the decision. Its president, James Wolfensohn, said so.",
            {("James Wolfensohn", "leaderOf", "World Bank")},
        ),
        (  # <party>'s X
            "The mayor, Labour's Ken Livingstone, backed the plan.",
            {("Ken Livingstone", "affiliatedWith", "Labour")},
        ),
        (  # <demonym> <occupation> X
            "Danish midfielder Thomas Gravesen joined Real Madrid.",
            {("Thomas Gravesen", "nationality", "Denmark"), ("Thomas Gravesen", "role", "Midfielder")},
        ),
        (  # a board member of Y
            "Anne Brown, a board member of the Royal Bank of Scotland, resigned.",
            {("Anne Brown", "affiliatedWith", "Royal Bank of Scotland")},
        ),
        (  # party adjectives before people
            "Labour peer Baroness Kennedy said voters were angry.",
            {("Kennedy", "affiliatedWith", "Labour Party")},
        ),
        (
            "Liberal Democrat education spokesman Phil Willis added that more was needed.",
            {("Phil Willis", "affiliatedWith", "Liberal Democrats")},
        ),
        (
            "Tory co-chairman Liam Fox said the plans were costed.",
            {("Liam Fox", "leaderOf", "Conservative Party"), ("Liam Fox", "role", "Co-chairman")},
        ),
        (
            "Theatre impresario Cameron Mackintosh and singer George Michael attended.",
            {("Cameron Mackintosh", "role", "Impresario"), ("George Michael", "role", "Singer")},
        ),
    ],
)  # fmt: skip
def test_role_patterns(extract, text, expected):
    _, facts = extract(text)
    table = fact_table(facts)
    assert expected <= table, f"missing {expected - table}"


def test_party_word_uses_the_documents_name_of_the_party(extract):
    """ "Lib Dem leader" attaches to the party under the name the text gives it elsewhere."""
    mentions, facts = extract(
        "The Liberal Democrats unveiled plans. Lib Dem leader Charles Kennedy said they were fair."
    )
    assert ("Charles Kennedy", "leaderOf", "Liberal Democrats") in fact_table(facts)
    party = next(m for m in mentions if m.extractor == "roles" and m.type == "Organization")
    assert party.text == "Lib Dem"


def test_glued_former_country_is_the_country_not_an_organization(extract):
    """ "Ex-US President Donald Trump": no organization "Ex-US", and no leadership now."""
    _, facts = extract("Ex-US President Donald Trump had still questioned the alliance.")
    table = fact_table(facts)
    assert not {t for t in table if t[2] == "Ex-US"}, table
    assert ("Donald Trump", "role", "former President") in table
    assert ("Donald Trump", "nationality", "United States") in table
    assert not any(r in ("affiliatedWith", "residence") for _, r, _ in table), table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("London-based Barclays reported higher profits.", ("Barclays", "locatedIn", "London")),
        (
            "Nokia, headquartered in Espoo, cut 500 jobs.",
            ("Nokia", "locatedIn", "Espoo"),
        ),
        (
            "Sedgefield, a constituency in County Durham, was won by Labour.",
            ("Sedgefield", "locatedIn", "County Durham"),
        ),
        (
            "Floods hit Keswick, a town in Cumbria, on Saturday.",
            ("Keswick", "locatedIn", "Cumbria"),
        ),
        (  # a place or a demonym, modifiers and an organization noun before the name
            "Shares in German carmaker BMW rose on Monday.",
            ("BMW", "locatedIn", "Germany"),
        ),
        (
            "US aircraft firm Boeing has unveiled a new plane.",
            ("Boeing", "locatedIn", "United States"),
        ),
        (  # an event named after its city
            "Leaders will meet again at the Venice Economic Summit in June.",
            ("Venice Economic Summit", "locatedIn", "Venice"),
        ),
    ],
)
def test_place_patterns(extract, text, expected):
    _, facts = extract(text)
    assert expected in fact_table(facts)


@pytest.mark.parametrize(
    ("text", "expected", "wrong"),
    [
        (  # the office's name runs into the title: its secretary leads it
            "U.S. Treasury Secretary James Baker holds talks today.",
            ("James Baker", "leaderOf", "U.S. Treasury"),
            ("James Baker", "affiliatedWith", "U.S. Treasury"),
        ),
        (  # the items of one list of titled people share the first one's organization
            "It led to the resignation of BBC chairman Gavyn Davies, director-general Greg "
            "Dyke and reporter Andrew Gilligan.",
            ("Andrew Gilligan", "affiliatedWith", "BBC"),
            ("Andrew Gilligan", "leaderOf", "BBC"),
        ),
        (
            "West German Finance Minister Gerhard Stoltenberg arrived.",
            ("Gerhard Stoltenberg", "nationality", "West Germany"),
            ("Gerhard Stoltenberg", "nationality", "Germany"),
        ),
        (
            "The Scottish National Party's Holyrood leader Nicola Sturgeon wrote to him.",
            ("Nicola Sturgeon", "leaderOf", "Scottish National Party"),
            ("Nicola Sturgeon", "leaderOf", "Holyrood"),
        ),
        (
            "Guests included actress Barbara Windsor, comic Graham Norton and others.",
            ("Graham Norton", "role", "Comic"),
            ("Barbara Windsor", "role", "Comic"),
        ),
    ],
)
def test_title_attachment(extract, text, expected, wrong):
    _, facts = extract(text)
    table = fact_table(facts)
    assert expected in table and wrong not in table, table


def test_a_capitalized_word_no_lexicon_knows_is_no_place_of_an_organization(extract):
    """ "Computer firm Apple": NER may take "Computer" for a place; no fact comes of it."""
    _, facts = extract("Computer firm Apple has issued a lawsuit to prevent leaks.")
    assert not [t for t in fact_table(facts) if t[1] == "locatedIn"], fact_table(facts)


def test_role_in_apposition_with_coordinated_modifiers_and_a_described_organization(extract):
    _, facts = extract(
        "The plane is a success, said David Learmount, operations and safety editor at "
        "industry magazine Flight International."
    )
    table = fact_table(facts)
    assert ("David Learmount", "role", "Editor") in table, table
    assert ("David Learmount", "affiliatedWith", "Flight International") in table, table


def test_an_event_named_after_a_person_is_not_placed_there(extract):
    # NER may read the chair's surname as a place; no lexicon knows it as one
    _, facts = extract("Ministers gave evidence to the Hutton inquiry last year.")
    assert not [f for f in fact_table(facts) if f[0] == "Hutton inquiry" and f[1] == "locatedIn"]


def test_a_country_is_never_located_in_a_city(extract):
    _, facts = extract("Wales beat Ireland in Cardiff, and France lost to Italy in Paris.")
    located = {(s, o) for s, r, o in fact_table(facts) if r == "locatedIn"}
    assert not located & {("Ireland", "Cardiff"), ("France", "Paris"), ("Wales", "Cardiff")}


def test_geography_ranks():
    from kg.extract.geography import can_lie_in

    assert can_lie_in("Cardiff", "Wales") and can_lie_in("Geneva", "Switzerland")
    assert not can_lie_in("Ireland", "Cardiff") and not can_lie_in("Europe", "France")
    assert can_lie_in("Nowhereville", "Paris")  # unknown places are not judged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # Name of [described] ORG
            "Brett Lock of gay group OutRage! said so.",
            ("Brett Lock", "affiliatedWith", "OutRage"),
        ),
        (  # Name at ORG
            "The shares fell, said analyst Ray Neidl at Calyon Securities.",
            ("Ray Neidl", "affiliatedWith", "Calyon Securities"),
        ),
        (  # X acts as TITLE for ORG
            "Alastair Campbell returned. Mr Campbell is acting as an adviser for Labour.",
            ("Campbell", "role", "Adviser"),
        ),
        (  # a place's possessive before an organization
            "Japan's state Export-Import Bank last month agreed to lend more.",
            ("Export-Import Bank", "locatedIn", "Japan"),
        ),
        (  # a place's possessive before a place
            "The show had its opening night in London's West End.",
            ("West End", "locatedIn", "London"),
        ),
        (  # "<place> <organization nouns>, including ORG"
            "German carmakers such as BMW, Audi and Volkswagen gained.",
            ("Audi", "locatedIn", "Germany"),
        ),
        (
            "Other US carriers, including United, have sought bankruptcy protection.",
            ("United", "locatedIn", "United States"),
        ),
    ],
)
def test_recall_round_patterns(extract, text, expected):
    _, facts = extract(text)
    assert expected in fact_table(facts)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        (  # "of" the organization's thing, not of the organization
            '"It is Brazil," said ING analyst Gerard Rijk of Inbev\'s strong performance.',
            ("Gerard Rijk", "affiliatedWith", "Inbev"),
        ),
        (  # a verb between the possessive and the name: no "Scotland's Edinburgh"
            "Scotland's first minister visited Edinburgh's Murrayfield stadium.",
            ("Edinburgh", "locatedIn", "Scotland"),
        ),
        (  # a given name first: a person NER typed otherwise
            "Williams survived an early scare to beat Russia's Elena Bovina 1-6 6-1 6-4.",
            ("Elena Bovina", "locatedIn", "Russia"),
        ),
        (  # the name only modifies a noun
            "It has also provided space in London's BT tower for one of the call centres.",
            ("BT", "locatedIn", "London"),
        ),
    ],
)
def test_recall_round_patterns_stay_out(extract, text, wrong):
    _, facts = extract(text)
    triples = {(s, p, o) for s, p, o in fact_table(facts)}
    assert wrong not in {t for t in triples if _roles_or_relations(facts, t)}, triples


def _roles_or_relations(facts, triple) -> bool:
    """True when a fact with this triple comes from the pattern extractors (not the classifier)."""
    return any(
        (f.subject.name, f.relation, getattr(f.object, "name", f.object)) == triple
        and f.evidence.extractor in ("roles", "relations")
        for f in facts
    )


@pytest.mark.parametrize(
    ("text", "expected", "wrong"),
    [
        (  # a title's qualifiers are part of the role
            "Shadow local government secretary Ed Davey said the scheme was unfair.",
            ("Ed Davey", "role", "Shadow local government secretary"),
            ("Ed Davey", "role", "Secretary"),
        ),
        (
            "U.S. trade representative Clayton Yeutter said the deficit must fall.",
            ("Clayton Yeutter", "role", "Trade representative"),
            ("Clayton Yeutter", "role", "Representative"),
        ),
        (  # but not a verb's object before the title
            "Miller also told reporters President Reagan remains opposed to tax rises.",
            ("Reagan", "role", "President"),
            ("Reagan", "role", "reporters President"),
        ),
        (  # nor half a hyphenated compound
            "Mourinho picked him instead of first-choice keeper Petr Cech.",
            ("Petr Cech", "role", "Keeper"),
            ("Petr Cech", "role", "Choice keeper"),
        ),
    ],
)
def test_title_qualifiers(extract, text, expected, wrong):
    _, facts = extract(text)
    table = fact_table(facts)
    assert expected in table and wrong not in table, table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Banned American sprinter Kelli White says she took steroids.", "United States"),
        ("Swedish star Stellan Skarsgard stayed in the role.", "Sweden"),
        ("He will meet Frenchman Arnaud Clement in the first round.", "France"),
        ("England lock Danny Grewcock needs to review his actions.", "England"),
    ],
)
def test_nationality_of_a_described_person(extract, text, expected):
    _, facts = extract(text)
    nationalities = {o for _, r, o in fact_table(facts) if r == "nationality"}
    assert nationalities == {expected}, fact_table(facts)


@pytest.mark.parametrize(
    "text",
    [
        "Leading Japanese businessmen called on Noboru Takeshita to act.",  # no description
        "Australian building products group James Hardie has agreed to pay.",  # a company
        "London mayor Ken Livingstone refused to apologise.",  # a city
        "California attorney general Bill Lockyer said he would sue.",  # a state
        "Mr Kilroy-Silk, an MEP for the East Midlands, resigned the whip.",  # a region
    ],
)
def test_no_nationality_but_a_country(extract, text):
    _, facts = extract(text)
    assert not [t for t in fact_table(facts) if t[1] == "nationality"], fact_table(facts)


def test_title_before_a_comma_only_in_apposition(extract):
    """ "... did not trust the prime minister, Mr Brown replied": two clauses, no role."""
    _, facts = extract(
        "Gordon Brown spoke. Asked about claims that he did not trust the prime minister, "
        'Mr Brown replied: "You can see our record."'
    )
    assert not [t for t in fact_table(facts) if t[1] == "role"], fact_table(facts)


def test_apposition_takes_the_party_before_its_title(extract):
    _, facts = extract("Mr Mandelson, a former Labour communications director, told the BBC.")
    table = fact_table(facts)
    assert ("Mandelson", "affiliatedWith", "Labour") in table, table


def test_sitting_on_a_body_is_membership(extract):
    _, facts = extract(
        "Lord Harris, who sits on the executive of the Association of Police Authorities, "
        "said the plans seemed wrong."
    )
    table = fact_table(facts)
    assert ("Harris", "affiliatedWith", "Association of Police Authorities") in table, table


@pytest.mark.parametrize(
    ("text", "expected", "wrong"),
    [
        (  # a place NER missed before "-based", known to the gazetteer
            "With its shares up, Bracknell-based Exel is valued at 2.6bn pounds.",
            ("Exel", "locatedIn", "Bracknell"),
            None,
        ),
        (  # a demonym is no place of a comma run
            "In Athens, Greek Prime Minister Andreas Papandreou said so.",
            ("Andreas Papandreou", "nationality", "Greece"),
            ("Athens", "locatedIn", "Greece"),
        ),
        (  # a place's copula with a noun for a place
            "France is the poorest market in Europe for television.",
            ("France", "locatedIn", "Europe"),
            None,
        ),
    ],
)
def test_place_patterns_and_their_limits(extract, text, expected, wrong):
    _, facts = extract(text)
    table = fact_table(facts)
    assert expected in table and wrong not in table, table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a topic after the title, a modifier before the organization
            "Tom Hale, spokesman on transport for the centrist Reform Alliance Party, objected.",
            ("Tom Hale", "affiliatedWith", "Reform Alliance Party"),
        ),
        (  # a sport's noun before a demonym's person
            "Dutch hurdler Anna Bakker set a national record.",
            ("Anna Bakker", "nationality", "Netherlands"),
        ),
        (  # a demonym before a writer's trade
            "The author, Irish playwright Sean Doyle, defended the play.",
            ("Sean Doyle", "nationality", "Ireland"),
        ),
        (  # a possessive owner of an unusual job title
            "Kim Rowe, Vodafone's futurologist, said phones would shrink.",
            ("Kim Rowe", "affiliatedWith", "Vodafone"),
        ),
    ],
)
def test_affiliation_round_patterns(extract, text, expected):
    _, facts = extract(text)
    assert expected in fact_table(facts)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        (  # the demonym opens an organization's name NER missed: no nationality
            '"Prices will fall," said Ann Poole, senior analyst at South African Permanent Building Society.',
            ("Ann Poole", "nationality", "South Africa"),
        ),
        (  # a country opens an organization's name NER split: no nationality
            '"Rates will rise," said Joe Hart, chief economist at New Zealand Mutual Life Co.',
            ("Joe Hart", "nationality", "New Zealand"),
        ),
        (  # a headline in capitals: no role for a fragment read as a name
            "ENVOY ADVISES NAKASONE TO PREPARE FOR U.S. VISIT\nThe envoy spoke on Monday.",
            ("ADVISES NAKASONE TO PREPARE", "role", "ENVOY"),
        ),
    ],
)
def test_affiliation_round_patterns_stay_out(extract, text, wrong):
    _, facts = extract(text)
    assert wrong not in fact_table(facts)


@pytest.mark.parametrize(
    ("text", "expected", "wrong"),
    [
        (  # a possessive place qualifies the organization: the organization is attached
            "It was led by Ann Grey, director general of the UK's Federation of Small Retailers.",
            ("Ann Grey", "leaderOf", "Federation of Small Retailers"),
            ("Ann Grey", "nationality", "United Kingdom"),
        ),
        (  # a place before an organization noun: the organization, and the deputy kept
            "Tom Reed, deputy editor of UK magazine Gadget World, said the phone would sell.",
            ("Tom Reed", "affiliatedWith", "Gadget World"),
            ("Tom Reed", "nationality", "United Kingdom"),
        ),
        (
            "Tom Reed, deputy editor of UK magazine Gadget World, said the phone would sell.",
            ("Tom Reed", "role", "Deputy editor"),
            ("Tom Reed", "role", "Editor"),
        ),
    ],
)
def test_a_place_qualifying_the_organization_of_a_title(extract, text, expected, wrong):
    _, facts = extract(text)
    table = fact_table(facts)
    assert expected in table and wrong not in table, table


def test_from_an_organization_after_a_comma_is_membership(extract):
    _, facts = extract(
        '"Sales are up," Ann Kerr, from the Consumer Technology Association, told us.'
    )
    assert ("Ann Kerr", "affiliatedWith", "Consumer Technology Association") in fact_table(facts)


def test_from_before_an_organization_noun_is_no_title(extract):
    _, facts = extract('"It is hard," said Tom Lane, from TV producer Bluefin Media Limited.')
    assert ("Tom Lane", "role", "Producer") not in fact_table(facts)


@pytest.mark.parametrize(
    ("text", "expected", "wrong"),
    [
        (  # a company's title after a demonym: the nationality, no country led
            "Dutch co-chairman Jan de Wit will become non-executive chairman.",
            ("Jan de Wit", "nationality", "Netherlands"),
            ("Jan de Wit", "leaderOf", "Netherlands"),
        ),
        (  # a state's title after a demonym still leads the country
            "Belgian Prime Minister Luc Janssens called for a plan.",
            ("Luc Janssens", "leaderOf", "Belgium"),
            ("Luc Janssens", "affiliatedWith", "Belgium"),
        ),
        (  # "<place>-based": where the person works, neither a nationality nor a place led
            "Under the plans, Pierre Dumas, the UK-based co-chairman, will become chief executive.",
            ("Pierre Dumas", "role", "Co-chairman"),
            ("Pierre Dumas", "nationality", "United Kingdom"),
        ),
        (
            "Under the plans, Pierre Dumas, the UK-based co-chairman, will become chief executive.",
            ("Pierre Dumas", "role", "Co-chairman"),
            ("Pierre Dumas", "leaderOf", "United Kingdom"),
        ),
    ],
)
def test_company_titles_lead_no_country(extract, text, expected, wrong):
    _, facts = extract(text)
    table = fact_table(facts)
    assert expected in table and wrong not in table, table
