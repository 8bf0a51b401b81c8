"""`kg eval news`: the graph-level scorers on hand-built gold and predictions, the SPARQL
reader on a hand-built graph, the gold loader, and one real run on two articles (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.evaluation.news_calibration import calibration, format_calibration
from kg.evaluation.news_data import (
    DocPrediction,
    GoldArticle,
    GoldEntity,
    GoldFact,
    GoldQuote,
    Node,
    NodeFact,
    NodeQuote,
    normalize_name,
)
from kg.evaluation.news_entities import (
    CORRECT,
    DUPLICATE,
    FALSE_MERGE,
    IGNORED,
    JUNK,
    WRONG_TYPE,
    score_entities,
)
from kg.evaluation.news_facts import roles_match, score_facts
from kg.evaluation.news_quotes import score_quotes
from kg.evaluation.news_score import score_system
from kg.evaluation.options import Options


def person(eid: str, name: str, *aliases: str, **extra: object) -> GoldEntity:
    return GoldEntity(eid, "Person", name, tuple(aliases), **extra)  # type: ignore[arg-type]


def org(eid: str, name: str, *aliases: str, **extra: object) -> GoldEntity:
    return GoldEntity(eid, "Organization", name, tuple(aliases), **extra)  # type: ignore[arg-type]


def place(eid: str, name: str, *aliases: str, **extra: object) -> GoldEntity:
    return GoldEntity(eid, "Location", name, tuple(aliases), **extra)  # type: ignore[arg-type]


def node(nid: str, kind: str, *names: str, country: str | None = None) -> Node:
    return Node(nid, kind, frozenset(names), country)


def kinds(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {v.node.id: v.kind for v in result.verdicts}


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "normalized"),
    [
        ("The Scotsman's", "scotsman"),
        ("Walter\nDegadillo", "walter degadillo"),
        ("  the   BBC ", "bbc"),
        ("Scotland\u2019s", "scotland"),
        ("Theresa May", "theresa may"),  # "the" only as a word of its own
        ("Jones", "jones"),
    ],
)
def test_names_are_normalized(name, normalized):
    assert normalize_name(name) == normalized


# -------------------------------------------------------------------------- entities


def test_a_node_matches_through_any_alias_and_maps_to_its_entity():
    gold = GoldArticle("d", "", entities=(person("e1", "Jack McConnell", "Mr McConnell"),))
    prediction = DocPrediction("d", (node("n1", "Person", "McConnell", "Mr McConnell"),))
    result = score_entities(gold, prediction)
    assert kinds(result) == {"n1": CORRECT}
    assert (result.table["Person"].tp, result.table["Person"].fp, result.table["Person"].fn) == (
        1,
        0,
        0,
    )
    assert result.mapping == {"n1": "e1"}


def test_an_unmatched_node_is_junk_and_the_gold_entity_missed():
    gold = GoldArticle("d", "", entities=(org("e1", "Alcohol Focus Scotland"),))
    prediction = DocPrediction("d", (node("n1", "Organization", "Focus"),))
    result = score_entities(gold, prediction)
    assert kinds(result) == {"n1": JUNK}
    assert result.table["Organization"].fp == 1 and result.table["Organization"].fn == 1
    assert [e.id for e in result.missed] == ["e1"]
    assert result.mapping == {}


def test_optional_and_implicit_entities_are_neither_rewarded_nor_penalized():
    gold = GoldArticle(
        "d",
        "",
        entities=(
            org("e1", "US air force", optional=True),
            place("e2", "Europe", implicit=True),
            place("e3", "Third World", optional=True),
        ),
    )
    prediction = DocPrediction(
        "d",
        (
            node("n1", "Organization", "US air force"),
            node("n2", "Location", "Europe"),
            node("n3", "Person", "Third World"),  # a type the optional entity does not allow
        ),
    )
    result = score_entities(gold, prediction)
    assert kinds(result) == {"n1": IGNORED, "n2": IGNORED, "n3": WRONG_TYPE}
    assert result.table.micro().tp == 0 and result.table.micro().fn == 0
    assert result.table["Person"].fp == 1
    assert result.mapping["n2"] == "e2"  # facts can still use the implicit entity


def test_a_demonym_country_is_matched_through_the_country_lexicon_name():
    gold = GoldArticle(
        "d", "", entities=(place("e1", "US", implicit=True, country="United States"),)
    )
    prediction = DocPrediction(
        "d", (node("n1", "Location", "United States", country="United States"),)
    )
    result = score_entities(gold, prediction)
    assert kinds(result) == {"n1": IGNORED}
    assert result.mapping == {"n1": "e1"}
    # the same node without the demonym origin is junk: the names do not match
    plain = score_entities(gold, DocPrediction("d", (node("n1", "Location", "United States"),)))
    assert kinds(plain) == {"n1": JUNK}


def test_a_demonym_country_beside_the_named_country_is_a_fragment():
    gold = GoldArticle("d", "", entities=(place("e1", "Britain", country="United Kingdom"),))
    prediction = DocPrediction(
        "d",
        (
            node("n1", "Location", "Britain"),
            node("n2", "Location", "United Kingdom", country="United Kingdom"),
        ),
    )
    result = score_entities(gold, prediction)
    assert kinds(result) == {"n1": CORRECT, "n2": DUPLICATE}


def test_wrong_type_is_a_false_positive_and_a_miss_unless_another_node_is_right():
    gold = GoldArticle("d", "", entities=(org("e1", "Yukos"),))
    alone = score_entities(gold, DocPrediction("d", (node("n1", "Person", "Yukos"),)))
    assert kinds(alone) == {"n1": WRONG_TYPE}
    assert alone.table["Person"].fp == 1 and alone.table["Organization"].fn == 1
    assert alone.mapping == {"n1": "e1"}  # one gold entity matched: facts still read it
    both = score_entities(
        gold,
        DocPrediction("d", (node("n1", "Person", "Yukos"), node("n2", "Organization", "YUKOS"))),
    )
    assert both.table["Organization"].tp == 1 and both.table["Organization"].fn == 0
    assert both.table["Person"].fp == 1


def test_also_types_are_accepted():
    gold = GoldArticle("d", "", entities=(org("e1", "Downing Street", also=("Location",)),))
    result = score_entities(gold, DocPrediction("d", (node("n1", "Location", "Downing Street"),)))
    assert kinds(result) == {"n1": CORRECT}
    assert result.table["Organization"].tp == 1  # counted on the gold type
    assert result.table["Location"].fp == 0


def test_a_second_node_for_the_same_person_is_a_duplicate_and_a_split():
    gold = GoldArticle("d", "", entities=(person("e1", "Gareth Thomas", "Thomas", "Gareth"),))
    prediction = DocPrediction(
        "d", (node("n1", "Person", "Gareth"), node("n2", "Person", "Gareth Thomas", "Thomas"))
    )
    result = score_entities(gold, prediction)
    # the node carrying the canonical name is the true positive
    assert kinds(result) == {"n1": DUPLICATE, "n2": CORRECT}
    assert (result.table["Person"].tp, result.table["Person"].fp) == (1, 1)
    assert [e.id for e in result.persons_split] == ["e1"]


def test_a_node_matching_two_people_is_a_false_merge():
    gold = GoldArticle(
        "d",
        "",
        entities=(
            person("e1", "Michael Howard", "Mr Howard"),
            person("e2", "Sandra Howard", "Mrs Howard"),
        ),
    )
    prediction = DocPrediction("d", (node("n1", "Person", "Mr Howard", "Mrs Howard"),))
    result = score_entities(gold, prediction)
    assert kinds(result) == {"n1": FALSE_MERGE}
    assert result.table["Person"].fp == 1 and result.table["Person"].fn == 2
    assert len(result.persons_merged) == 1
    assert "n1" not in result.mapping


def test_unnamed_events_match_by_participants_or_participant_and_place():
    meeting = GoldEntity("v1", "Event", "meeting of A and B", ("talks",), named=False)
    visit = GoldEntity("v2", "Event", "visit of A to Paris", ("visit",), named=False)
    gold = GoldArticle(
        "d",
        "",
        entities=(
            person("e1", "Ann Lee"),
            person("e2", "Bob Roe"),
            place("e3", "Paris"),
            meeting,
            visit,
        ),
        facts=(
            GoldFact("e1", "participantIn", "v1"),
            GoldFact("e2", "participantIn", "v1"),
            GoldFact("e1", "participantIn", "v2"),
            GoldFact("v2", "locatedIn", "e3"),
        ),
    )
    nodes = (
        node("a", "Person", "Ann Lee"),
        node("b", "Person", "Bob Roe"),
        node("p", "Location", "Paris"),
        node("x", "Event", "talks between Ann Lee and Bob Roe"),
        node("y", "Event", "trip"),
        node("z", "Event", "lonely visit"),
    )
    facts = (
        NodeFact("x", "participant", "a"),
        NodeFact("b", "participantIn", "x"),
        NodeFact("y", "participant", "a"),
        NodeFact("y", "locatedIn", "p"),
        NodeFact("z", "participant", "b"),  # one participant, no place: not enough
    )
    result = score_entities(gold, DocPrediction("d", nodes, facts))
    assert result.mapping["x"] == "v1" and result.mapping["y"] == "v2"
    assert kinds(result)["z"] == JUNK
    assert result.events_found["unnamed"] == [2, 2]
    assert (result.table["Event"].tp, result.table["Event"].fp) == (2, 1)


def test_one_participant_without_the_place_is_not_enough_for_an_unnamed_event():
    meeting = GoldEntity("v1", "Event", "visit of Ann Lee to Paris", ("visit",), named=False)
    gold = GoldArticle(
        "d",
        "",
        entities=(person("e1", "Ann Lee"), place("e3", "Paris"), place("e4", "Rome"), meeting),
        facts=(GoldFact("e1", "participantIn", "v1"), GoldFact("v1", "locatedIn", "e3")),
    )
    nodes = (
        node("a", "Person", "Ann Lee"),
        node("r", "Location", "Rome"),
        node("x", "Event", "visit"),
    )
    alone = score_entities(gold, DocPrediction("d", nodes, (NodeFact("x", "participant", "a"),)))
    assert kinds(alone)["x"] == JUNK and alone.events_found["unnamed"] == [0, 1]
    elsewhere = (NodeFact("x", "participant", "a"), NodeFact("x", "locatedIn", "r"))
    assert kinds(score_entities(gold, DocPrediction("d", nodes, elsewhere)))["x"] == JUNK


def test_named_events_match_by_name():
    gold = GoldArticle("d", "", entities=(GoldEntity("v1", "Event", "G8 summit", ("summit",)),))
    result = score_entities(gold, DocPrediction("d", (node("n1", "Event", "the G8 summit"),)))
    assert kinds(result) == {"n1": CORRECT}
    assert result.events_found["named"] == [1, 1]


# ----------------------------------------------------------------------------- facts


@pytest.mark.parametrize(
    ("gold", "predicted", "match"),
    [
        ("Shadow Education Secretary", "Education Secretary", True),
        ("chief executive", "Chief Executive", True),
        ("former chancellor", "Chancellor", True),
        ("ex-chairman", "the chairman", True),
        ("central bank governor", "Governor", True),
        ("chief executive", "executive director", False),
        ("president", "vice president of sales", False),  # last words differ
        ("Prime Minister", "Foreign Minister", False),  # neither is a subset
    ],
)
def test_roles_are_compared_leniently(gold, predicted, match):
    assert roles_match(gold, predicted) is match


PEOPLE = (
    person("e1", "Ann Lee"),
    person("e2", "Bob Roe"),
    org("e3", "Acme"),
    GoldEntity("v1", "Event", "Expo 2020", ()),
    org("e9", "Maybe Ltd", optional=True),
)
MAPPING = {"a": "e1", "b": "e2", "c": "e3", "ev": "v1", "m": "e9"}


def facts_of(gold_facts, predicted, **options):  # type: ignore[no-untyped-def]
    article = GoldArticle("d", "", entities=PEOPLE, facts=tuple(gold_facts))
    return score_facts(article, predicted, MAPPING, **options)


def counts(result, label):  # type: ignore[no-untyped-def]
    score = result.table[label]
    return score.tp, score.fp, score.fn


def test_inverse_facts_are_one_fact():
    result = facts_of(
        [GoldFact("e1", "participantIn", "v1"), GoldFact("e1", "predecessor", "e2")],
        [NodeFact("ev", "participant", "a"), NodeFact("b", "successor", "a")],
    )
    assert counts(result, "participantIn") == (1, 0, 0)
    assert counts(result, "predecessor/successor") == (1, 0, 0)
    reversed_wrongly = facts_of(
        [GoldFact("e1", "predecessor", "e2")], [NodeFact("a", "successor", "b")]
    )
    assert counts(reversed_wrongly, "predecessor/successor") == (0, 1, 1)


def test_affiliation_where_gold_has_leadership_is_neither_right_nor_wrong():
    gold = [GoldFact("e1", "leaderOf", "e3")]
    result = facts_of(gold, [NodeFact("a", "affiliatedWith", "c")])
    assert counts(result, "affiliatedWith") == (0, 0, 0)
    assert counts(result, "leaderOf") == (0, 0, 1)
    other = facts_of(gold, [NodeFact("b", "affiliatedWith", "c")])  # not the leader
    assert counts(other, "affiliatedWith") == (0, 1, 0)


def test_facts_touching_an_optional_entity_are_ignored():
    result = facts_of(
        [GoldFact("e1", "affiliatedWith", "e9")],
        [NodeFact("a", "affiliatedWith", "m"), NodeFact("b", "affiliatedWith", "m")],
    )
    assert result.table.micro().tp + result.table.micro().fp + result.table.micro().fn == 0


def test_dates_compare_iso_values_and_a_gold_date_accepts_a_start_date():
    gold = [GoldFact("v1", "date", "2021-06-16")]
    assert counts(
        facts_of(gold, [NodeFact("ev", "startDate", "2021-06-16")]), "date/startDate/endDate"
    ) == (1, 0, 0)
    assert counts(
        facts_of(gold, [NodeFact("ev", "endDate", "2021-06-16")]), "date/startDate/endDate"
    ) == (0, 1, 1)
    assert counts(
        facts_of(gold, [NodeFact("ev", "date", "2021-06")]), "date/startDate/endDate"
    ) == (0, 1, 1)
    start = [GoldFact("v1", "startDate", "2021-06-11")]
    assert counts(
        facts_of(start, [NodeFact("ev", "date", "2021-06-11")]), "date/startDate/endDate"
    ) == (0, 1, 1)


def test_facts_between_unmatched_nodes_are_false_positives_with_a_reason():
    result = facts_of(
        [], [NodeFact("nobody", "role", "MP"), NodeFact("a", "affiliatedWith", "junk")]
    )
    assert counts(result, "role") == (0, 1, 0)
    assert counts(result, "affiliatedWith") == (0, 1, 0)
    reasons = sorted(s.reason for s in result.scored)
    assert reasons == ["object is no gold entity", "subject is no gold entity"]


def test_a_gold_fact_is_found_once_and_duplicates_collapse():
    result = facts_of(
        [GoldFact("e1", "role", "chief executive")],
        [
            NodeFact("a", "role", "Chief Executive", 0.6),
            NodeFact("a", "role", "chief executive", 0.9),
            NodeFact("a", "role", "executive", 0.5),  # lenient too, but the gold fact is taken
        ],
    )
    assert counts(result, "role") == (1, 1, 0)
    right = [s for s in result.scored if s.correct]
    assert [s.fact.fact.confidence for s in right] == [0.9]  # the best evidence is kept


def test_min_confidence_drops_facts_before_scoring():
    gold = [GoldFact("e1", "affiliatedWith", "e3")]
    predicted = [
        NodeFact("a", "affiliatedWith", "c", 0.55),
        NodeFact("b", "affiliatedWith", "c", 0.95),
    ]
    assert counts(facts_of(gold, predicted), "affiliatedWith") == (1, 1, 0)
    assert counts(facts_of(gold, predicted, min_confidence=0.6), "affiliatedWith") == (0, 1, 1)


# ---------------------------------------------------------------------------- quotes


TEXT = 'Mr Lee said: "We will win this match, and then the cup." Later "Nobody knows who said this one."'


def quote_gold(speakers=("e1", None)):  # type: ignore[no-untyped-def]
    first, second = TEXT.index("We will"), TEXT.index("Nobody")
    return GoldArticle(
        "d",
        TEXT,
        entities=(person("e1", "Ann Lee", "Mr Lee"), person("e2", "Bob Roe")),
        quotes=(
            GoldQuote(first, "We will win this match", speakers[0]),
            GoldQuote(second, "Nobody knows who said", speakers[1]),
        ),
    )


def test_quotes_match_by_span_or_text_and_speakers_are_checked():
    start = TEXT.index('"We')
    predicted = [
        NodeQuote("q1", "We will win this match, and then the cup.", start, start + 44, "a"),
        NodeQuote("q2", "nobody knows who said this one.", 0, 5, "b"),  # matched by its text
        NodeQuote("q3", "the cup", 40, 47, None),  # under four words: not scored
    ]
    result = score_quotes(quote_gold(), predicted, {"a": "e1", "b": "e2"})
    assert (result.gold, result.found, result.predicted, result.predicted_matched) == (2, 2, 2, 2)
    assert (result.with_speaker, result.speaker_right) == (1, 1)
    assert (result.speakerless, result.speakerless_attributed) == (1, 1)


def test_a_quote_cut_short_still_matches_by_its_span():
    start = TEXT.index('"We')
    cut = [NodeQuote("q1", "We will win this", start, start + 17, "a")]  # shorter than the gold
    assert score_quotes(quote_gold(), cut, {"a": "e1"}).found == 1
    elsewhere = [NodeQuote("q1", "We will win this", start + 20, start + 37, "a")]
    assert score_quotes(quote_gold(), elsewhere, {"a": "e1"}).found == 0


def test_a_wrong_or_missing_speaker_counts_against_accuracy():
    start = TEXT.index('"We')
    wrong = [NodeQuote("q1", "We will win this match", start, start + 30, "b")]
    result = score_quotes(quote_gold(("e1", "e2")), wrong, {"b": "e2"})
    assert (result.with_speaker, result.with_speaker_found, result.speaker_right) == (2, 1, 0)
    assert [w.speaker for w in result.wrong_speakers] == ["b"]
    assert len(result.missed) == 1
    far = [NodeQuote("q9", "Something else entirely was said", 0, 10, "a")]
    unmatched = score_quotes(quote_gold(), far, {"a": "e1"})
    assert (unmatched.found, unmatched.predicted_matched, len(unmatched.unmatched)) == (0, 0, 1)


# ----------------------------------------------------------------------- calibration


def test_reliability_bins_and_expected_calibration_error():
    outcomes = [
        (0.95, True),
        (0.95, True),
        (0.95, False),
        (0.95, True),
        (0.65, False),
        (0.65, True),
        (1.0, True),
        (0.7, False),
    ]
    result = calibration(outcomes)
    bins = {round(b.low, 1): b for b in result.bins}
    assert sorted(bins) == [0.6, 0.7, 0.9]  # 0.7 opens its bin, 1.0 closes the last
    assert bins[0.9].count == 5 and bins[0.9].precision == pytest.approx(0.8)
    assert bins[0.9].mean_confidence == pytest.approx(0.96)
    expected = 5 / 8 * abs(0.8 - 0.96) + 2 / 8 * abs(0.5 - 0.65) + 1 / 8 * abs(0.0 - 0.7)
    assert result.ece == pytest.approx(expected)
    assert result.facts == 8


def test_perfectly_calibrated_facts_have_zero_error_and_none_give_an_empty_table():
    assert calibration([(1.0, True), (0.0, False)]).ece == pytest.approx(0.0)
    empty = calibration([])
    assert (empty.bins, empty.ece, empty.facts) == ((), 0.0, 0)
    text = format_calibration({"calibration": calibration([(0.9, True)]).as_dict()})
    assert "ECE 0.100" in text


# --------------------------------------------------------------------- whole systems


def test_a_system_is_scored_over_all_articles_with_examples_naming_the_document():
    first = GoldArticle(
        "doc-1",
        "",
        entities=(person("e1", "Ann Lee"), org("e3", "Acme")),
        facts=(GoldFact("e1", "affiliatedWith", "e3"),),
    )
    second = GoldArticle("doc-2", "", entities=(person("e1", "Bob Roe"),))
    predictions = {
        "doc-1": DocPrediction(
            "doc-1",
            (node("a", "Person", "Ann Lee"), node("c", "Organization", "Acme")),
            (NodeFact("a", "affiliatedWith", "c", 0.55),),
        ),
        # doc-2 predicted nothing: its entity is missed
    }
    scores = score_system([first, second], predictions, thresholds=(0.0, 0.6), examples=5)
    assert scores.entities["Person"].tp == 1 and scores.entities["Person"].fn == 1
    assert scores.sweep[0.0].tp == 1 and scores.sweep[0.6].tp == 0
    assert scores.outcomes == [(0.55, True)]
    missed = scores.errors.as_dict()["examples"]["missed entity"]
    assert missed == [{"document": "doc-2", "gold": "Bob Roe", "type": "Person", "aliases": None}]


# ------------------------------------------------------------------------ gold files


def write_article(
    folder: Path, stem: str, text: str, annotation: dict, date: str | None = None
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / f"{stem}.meta.json").write_text(json.dumps({"id": stem, "source": "x", "date": date}))
    (folder / f"{stem}.json").write_text(json.dumps({"id": stem, **annotation}))


def test_gold_files_are_read_with_quote_offsets_and_countries(tmp_path):
    from kg.evaluation.news_gold import load_split

    text = 'He said "it is fine". Later he said "it is fine" again, in Japan.'
    annotation = {
        "entities": [
            {"id": "e1", "type": "Location", "name": "Japan", "aliases": []},
            {"id": "e2", "type": "Location", "name": "US", "aliases": [], "implicit": True},
            {
                "id": "v1",
                "type": "Event",
                "name": "talks of X",
                "aliases": ["talks"],
                "named": False,
            },
        ],
        "facts": [{"s": "e1", "p": "locatedIn", "o": "e2"}],
        "quotes": [{"text": "it is fine", "occurrence": 2, "speaker": None}],
    }
    write_article(tmp_path / "dev", "a-1", text, annotation, date="1987-03-21")
    articles, folder = load_split(Options(split="dev", data=tmp_path))
    assert folder == tmp_path / "dev"
    (article,) = articles
    assert article.date == "1987-03-21"
    assert article.quotes[0].start == text.index("it is fine", text.index("it is fine") + 1)
    assert article.entity("e2").country == "United States"  # type: ignore[union-attr]
    assert article.entity("v1").keys == frozenset()  # type: ignore[union-attr]


def test_bad_splits_and_missing_folders_are_one_line_input_errors(tmp_path, monkeypatch):
    from kg.evaluation import news_gold

    with pytest.raises(InputError, match=r"unknown split 'train' \(valid: dev, test, calib\)"):
        news_gold.split_dir(Options(split="train"))
    with pytest.raises(InputError, match="news gold split not found"):
        news_gold.split_dir(Options(split="test", data=tmp_path))
    monkeypatch.setattr(news_gold, "DEFAULT_DIR", tmp_path / "nowhere")
    with pytest.raises(InputError, match="pass --data"):
        news_gold.split_dir(Options(split="dev"))


# ----------------------------------------------------------- the SPARQL reader, no model


def test_the_reader_takes_names_facts_and_quotes_per_document_from_the_rdf():
    from rdflib import RDF, RDFS, SKOS, XSD, Literal
    from rdflib.namespace import DCTERMS

    from kg.evaluation.news_graph import read_predictions
    from kg.graph import KnowledgeGraph
    from kg.rdf.files import new_dataset
    from kg.rdf.namespace import (
        ENTITIES_GRAPH,
        EVIDENCE_BASE,
        KG,
        document_iri,
        entity_iri,
        graph_iri,
    )

    text = 'Jack Law, a Japanese banker, said: "We will look at it closely."'
    other = "Mr Law spoke."
    law, japan, quote = (
        entity_iri("person/jack-law"),
        entity_iri("location/japan"),
        entity_iri("quote/q1"),
    )
    dataset = new_dataset()  # the default graph is the union, as in every store
    labels = dataset.graph(ENTITIES_GRAPH)
    labels.add((law, RDFS.label, Literal("Jack Law")))
    labels.add((japan, RDFS.label, Literal("Japan")))
    counter = iter(range(100))

    def evidence(graph, doc_id, s, p, o, start, end, confidence):  # type: ignore[no-untyped-def]
        ev = EVIDENCE_BASE[f"{doc_id}/{next(counter)}"]
        for triple in [
            (ev, RDF.type, KG.Evidence),
            (ev, RDF.subject, s),
            (ev, RDF.predicate, p),
            (ev, RDF.object, o),
            (ev, KG.document, document_iri(doc_id)),
            (ev, KG.startChar, Literal(start, datatype=XSD.integer)),
            (ev, KG.endChar, Literal(end, datatype=XSD.integer)),
            (ev, KG.confidence, Literal(f"{confidence:.3f}", datatype=XSD.decimal)),
        ]:
            graph.add(triple)

    for doc_id, names in (("d1", ()), ("d2", ("Mr Law",))):
        g = dataset.graph(graph_iri(doc_id))
        doc = document_iri(doc_id)
        g.add((doc, RDF.type, KG.Document))
        g.add((doc, DCTERMS.identifier, Literal(doc_id)))
        g.add((doc, KG.mentions, law))
        g.add((law, RDF.type, KG.Person))
        for name in names:
            g.add((law, SKOS.altLabel, Literal(name)))
    g1 = dataset.graph(graph_iri("d1"))
    d1 = document_iri("d1")
    g1.add((d1, KG.mentions, japan))
    g1.add((japan, RDF.type, KG.Location))
    g1.add((law, SKOS.altLabel, Literal("Law")))
    start = text.index("Japanese")
    evidence(g1, "d1", d1, KG.mentions, japan, start, start + len("Japanese"), 0.75)
    evidence(g1, "d1", law, KG.role, Literal("banker"), 0, 20, 0.6)
    evidence(g1, "d1", law, KG.role, Literal("banker"), 0, 27, 0.9)
    evidence(g1, "d1", law, KG.nationality, japan, 0, 27, 0.8)
    evidence(g1, "d1", law, KG.author, japan, 0, 27, 0.8)  # not a scored property
    g1.add((quote, RDF.type, KG.Quote))
    qstart = text.index('"We')
    evidence(
        g1,
        "d1",
        quote,
        KG.quoteText,
        Literal("We will look at it closely."),
        qstart,
        len(text),
        0.9,
    )
    evidence(g1, "d1", quote, KG.speaker, law, qstart, len(text), 0.9)

    articles = [GoldArticle("d1", text), GoldArticle("d2", other)]
    predictions = read_predictions(KnowledgeGraph(dataset), articles)
    first, second = predictions["d1"], predictions["d2"]
    assert {n.id: n.names for n in first.nodes} == {
        str(law): frozenset({"Jack Law", "Law"}),
        str(japan): frozenset({"Japan"}),
    }
    assert {n.id: n.country for n in first.nodes}[str(japan)] == "Japan"  # from "Japanese"
    assert {n.id: n.names for n in second.nodes} == {str(law): frozenset({"Jack Law", "Mr Law"})}
    assert sorted((f.p, f.o, f.confidence) for f in first.facts) == [
        ("nationality", str(japan), 0.8),
        ("role", "banker", 0.9),
    ]
    assert second.facts == () and second.quotes == ()
    (q,) = first.quotes
    assert (q.start, q.speaker) == (qstart, str(law))


# ------------------------------------------------------------------ a real run (slow)


@pytest.mark.slow
def test_the_whole_evaluation_runs_on_two_dev_articles(tmp_path):
    from typer.testing import CliRunner

    from kg.cli.main import app
    from kg.evaluation.news_gold import DEFAULT_DIR

    if not (DEFAULT_DIR / "dev").is_dir():
        pytest.skip(f"news gold set not found at {DEFAULT_DIR}")
    out = tmp_path / "news.json"
    result = CliRunner().invoke(
        app, ["eval", "news", "--split", "dev", "--limit", "2", "--calibration", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "PER/ORG/LOC micro F1" in result.output and "ECE" in result.output
    report = json.loads(out.read_text("utf-8"))
    ids = sorted(
        p.name[: -len(".json")]
        for p in (DEFAULT_DIR / "dev").glob("*.json")
        if not p.name.endswith(".meta.json")
    )[:2]
    assert report["dataset"] == "news" and report["documents"] == 2
    entities = {row["name"]: row for row in report["tables"][0]["rows"]}
    ours, theirs = (
        entities["micro (PER/ORG/LOC)"]["pipeline"],
        entities["micro (PER/ORG/LOC)"]["baseline"],
    )
    assert ours["tp"] + ours["fn"] == theirs["tp"] + theirs["fn"]  # the same gold for both systems
    assert ours["tp"] + ours["fp"] > 0  # the graph held nodes for these articles
    facts = {row["name"]: row for row in report["tables"][2]["rows"]}
    assert facts["micro (all)"]["baseline"]["tp"] + facts["micro (all)"]["baseline"]["fp"] == 0
    assert len(report["thresholds"]) == len(Options().thresholds)
    assert 0.0 <= report["calibration"]["ece"] <= 1.0
    examples = [e for kind in report["errors"]["pipeline"]["examples"].values() for e in kind]
    assert examples and all(e["document"] in ids for e in examples)
