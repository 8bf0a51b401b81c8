"""Facts of the seed articles that were wrong with high confidence (issue 11): gone, each
for its general cause (tests of the causes on short texts are in test_extract_roles.py,
test_extract_events.py and test_extract_relations.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FACTS = """SELECT ?s ?p ?o ?c WHERE {
  ?ev a kg:Evidence ; rdf:subject ?sn ; rdf:predicate ?p ; rdf:object ?on ; kg:confidence ?c .
  ?sn rdfs:label ?s . OPTIONAL { ?on rdfs:label ?label } BIND (COALESCE(?label, ?on) AS ?o) }"""


@pytest.fixture(scope="module")
def seeds_facts(seeds_graph):
    rows = seeds_graph.query(FACTS).dicts()
    return {(r["s"], r["p"].rsplit("#", 1)[-1], r["o"]): float(r["c"]) for r in rows}


@pytest.mark.parametrize(
    ("subject", "relation", "obj"),
    [
        ("Donald Trump", "leaderOf", "Ex-US"),  # "Ex-US" glued by NER: the country, formerly
        ("Donald Trump", "affiliatedWith", "Ex-US"),  # the classifier leaves titles to rules
        ("EU", "locatedIn", "United States"),  # "EU-US relations": items of one list
        ("NATO", "locatedIn", "United States"),  # "as the United States has in NATO"
        ("Joe Biden", "residence", "India"),  # "Joe Biden, South Africa and India": a list
        ("Ursula von der Leyen", "residence", "India"),
    ],
)
def test_wrong_seed_facts_are_gone(seeds_facts, subject, relation, obj):
    assert (subject, relation, obj) not in seeds_facts


def test_trump_keeps_his_former_title_and_country(seeds_facts):
    assert ("Donald Trump", "role", "former President") in seeds_facts
    assert ("Donald Trump", "nationality", "United States") in seeds_facts


def test_no_wrong_seed_fact_at_0_9_or_above(seeds_facts):
    """Every seeds fact scored 0.9 or more is one a reader takes from the text: roles,
    nationalities and leaders the titles state, who attends the summits and meetings
    (checked by hand, listed here; the list grows when the calibration lifts right facts
    over 0.9, never to admit a wrong one)."""
    right = {
        ("Alexander De Croo", "role", "Prime Minister"),
        ("Charles Michel", "role", "President"),  # "the President of the European Council"
        ("Jens Stoltenberg", "leaderOf", "NATO"),  # "NATO Secretary General"
        ("Ursula von der Leyen", "leaderOf", "European Commission"),  # "Commission President"
        ("Donald Trump", "role", "former President"),
        ("Donald Trump", "nationality", "United States"),
        ("Ian Bond", "role", "Director of foreign policy"),
        ("Jake Sullivan", "role", "Security advisor"),
        ("Jen Psaki", "role", "Spokeswoman"),
        ("Jens Stoltenberg", "role", "Secretary General"),
        ("Joe Biden", "role", "President"),
        ("Philippe Lamberts", "role", "Co-leader"),
        ("Radoskaw Sikorski", "role", "Chairman"),
        ("Radoskaw Sikorski", "role", "MEP"),
        ("Recep Tayyip Erdoğan", "role", "President"),
        ("Tim Wright", "role", "Treaty Coordinator"),
        ("Tim Wright", "role", "Co-author"),  # "co-author of the report"
        ("Ian Bond", "affiliatedWith", "Center for European Reform"),  # "director ... for"
        ("Radoskaw Sikorski", "affiliatedWith", "European Parliament"),  # MEP, its delegation
        ("Tonino Picula", "affiliatedWith", "S&D"),  # "spokesperson for the S&D group"
        # "ICAN Treaty Coordinator"
        (
            "Tim Wright",
            "affiliatedWith",
            "International Campaign for the Abolition of Nuclear Weapons",
        ),
        ("Tonino Picula", "role", "MEP"),
        ("Tonino Picula", "role", "Socialist MEP"),  # "Croatian Socialist MEP Tonino Picula"
        ("Tonino Picula", "role", "Rapporteur"),
        ("Tonino Picula", "role", "Spokesperson"),
        ("Ursula von der Leyen", "role", "President"),
        ("Vladimir Putin", "role", "President"),
        # nationalities the titles state ("Belgian Prime Minister", "US security advisor")
        ("Alexander De Croo", "nationality", "Belgium"),
        ("Jake Sullivan", "nationality", "United States"),
        ("Joe Biden", "nationality", "United States"),
        ("Recep Tayyip Erdoğan", "nationality", "Turkey"),
        ("Tonino Picula", "nationality", "Croatia"),
        ("Vladimir Putin", "nationality", "Russia"),
        # who attends or meets: "Biden is scheduled to attend the EU-US summit", "the
        # meeting of the heads of state and government of the NATO member states"
        ("EU-US summit", "participant", "EU"),
        ("EU-US summit", "participant", "Joe Biden"),
        ("EU-US summit", "participant", "United States"),
        ("G7 summit", "participant", "G7"),
        ("G7 summit", "participant", "Joe Biden"),
        ("NATO summit", "participant", "NATO"),
        ("NATO summit", "participant", "Joe Biden"),
        ("NATO summit", "participant", "Jens Stoltenberg"),
        ("North Atlantic Alliance summit", "participant", "North Atlantic Alliance"),
        ("Meeting of Jens Stoltenberg and Joe Biden", "participant", "Jens Stoltenberg"),
        ("Meeting of Jens Stoltenberg and Joe Biden", "participant", "Joe Biden"),
        ("Meeting of Joe Biden and Recep Tayyip Erdoğan", "participant", "Joe Biden"),
        ("Meeting of Joe Biden and Recep Tayyip Erdoğan", "participant", "Recep Tayyip Erdoğan"),
        ("Meeting of Joe Biden and Vladimir Putin", "participant", "Joe Biden"),
        ("Meeting of Joe Biden and Vladimir Putin", "participant", "Vladimir Putin"),
        # where the events are held: "the summit of the seven leading industrialized nations
        # (G7) in Cornwall", "The first meeting between Biden and Putin is scheduled for June
        # 16 in Geneva", "a meeting with US President Joe Biden in the White House"
        ("G7 summit", "locatedIn", "Cornwall"),
        ("Meeting of Joe Biden and Vladimir Putin", "locatedIn", "Geneva"),
        ("Meeting of Jens Stoltenberg and Joe Biden", "locatedIn", "White House"),
    }
    typed = {"role", "affiliatedWith", "leaderOf", "nationality", "locatedIn", "residence",
             "participant", "date", "startDate", "endDate", "predecessor", "educatedAt"}  # fmt: skip
    confident = {f for f, c in seeds_facts.items() if c >= 0.9 and f[1] in typed}
    assert confident <= right, confident - right
