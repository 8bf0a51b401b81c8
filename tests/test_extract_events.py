"""kg/extract/events.py: one node per real event, its place and date range; no event from
a noun with one participant and no name."""

from __future__ import annotations

import datetime

import pytest
from conftest import fact_table

from kg.model import EVENT, LOCATION, ORGANIZATION, PERSON, Mention

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def events_of(facts, mentions=()):
    """Event (by its mention) → {relation: {object names}}; events with facts only."""
    out: dict[Mention, dict[str, set[str]]] = {}
    for fact in facts:
        if fact.subject.type == EVENT and not fact.open:
            obj = fact.object if isinstance(fact.object, str) else fact.object.name
            out.setdefault(fact.subject, {}).setdefault(fact.relation, set()).add(obj)
    return out


# -- grouping, on hand-made candidates (no model) ----------------------------------------


def _candidate(cls, name, named, who=(), place=None, date=None):
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from kg.extract.events import Candidate

    doc = Doc(Vocab(), words=["the", "event"])

    def mention(text, type_):
        return Mention("d", text, text, type_, 0, len(text))

    return Candidate(
        anchor=doc[1],
        cls=cls,
        start=0,
        name=name,
        named=named,
        participants=[mention(w, PERSON if " " in w else ORGANIZATION) for w in who],
        places=[mention(place, LOCATION)] if place else [],
        date=Mention("d", date, date, "Date", 0, 1) if date else None,
    )


@pytest.mark.parametrize(
    ("first", "second", "one"),
    [
        # "the NATO summit" ... "the main NATO meeting": one name, compatible classes
        (("Summit", "NATO summit", True, ["NATO"]), ("Meeting", "NATO meeting", True, ["NATO"]), True),
        # "NATO summit" ... "a key meeting with Joe Biden and NATO leaders": its participants
        (("Summit", "NATO summit", True, ["NATO"]), ("Meeting", "meeting", False, ["NATO", "Joe Biden"]), True),
        # "G7 summit" and "NATO summit": two names, two events
        (("Summit", "G7 summit", True, ["G7"]), ("Summit", "NATO summit", True, ["NATO"]), False),
        # Biden meets Putin, then Biden meets Erdoğan: no subset, two meetings
        (("Meeting", "meeting", False, ["Joe Biden", "Vladimir Putin"]), ("Meeting", "meeting", False, ["Joe Biden", "Recep Erdoğan"]), False),
        # a meeting and a visit of the same people are two events
        (("Meeting", "meeting", False, ["Joe Biden", "Vladimir Putin"]), ("Visit", "visit", False, ["Joe Biden"]), False),
    ],
)  # fmt: skip
def test_grouping_by_name_class_and_participants(first, second, one):
    from kg.extract.events import consolidate

    groups = consolidate([_candidate(*first), _candidate(*second)])
    assert (len(groups) == 1) is one


def test_a_different_date_or_place_is_another_event():
    from kg.extract.events import consolidate

    pair = ["Joe Biden", "Vladimir Putin"]
    dated = [
        _candidate("Meeting", "meeting", False, pair, date="--06-16"),
        _candidate("Meeting", "meeting", False, pair, date="--07-01"),
    ]
    placed = [
        _candidate("Meeting", "meeting", False, pair, place="Geneva"),
        _candidate("Meeting", "meeting", False, pair, place="Helsinki"),
    ]
    assert len(consolidate(dated)) == 2
    assert len(consolidate(placed)) == 2


def test_one_unnamed_participant_is_no_event_without_a_place_and_a_date():
    from kg.extract.events import Group, is_event

    alone = Group([_candidate("Trip", "trip", False, ["Joe Biden"])])
    visit = Group([_candidate("Visit", "visit", False, ["Joe Biden"], "Geneva", "--06-16")])
    named = Group([_candidate("Summit", "G7 summit", True, [])])
    assert not is_event(alone)
    assert is_event(visit) and is_event(named)


# -- texts --------------------------------------------------------------------------------


def test_one_node_for_the_summit_described_three_ways(extract):
    text = (
        "Stoltenberg arrived in Brussels for a key meeting with Joe Biden and NATO. "
        "The NATO summit will address cyberspace. "
        "Biden will meet Recep Tayyip Erdoğan after the main NATO meeting."
    )
    mentions, facts = extract(text)
    events = events_of(facts)
    summits = [e for e in events if e.subtype == "Summit"]
    assert len(summits) == 1, events
    assert {"NATO", "Joe Biden"} <= events[summits[0]]["participant"]
    meetings = [e for e in events if e.subtype == "Meeting"]
    assert [events[m]["participant"] for m in meetings] == [{"Biden", "Recep Tayyip Erdoğan"}]
    references = [m for m in mentions if m.type == EVENT and m.kind == "reference"]
    assert {r.antecedent for r in references} == set(summits)


def test_summit_named_by_its_members_gets_its_place_and_date_range(extract):
    _, facts = extract(
        "Biden will also take part in the summit of the seven leading industrialized "
        "nations (G7) in Cornwall, UK, June 11-13.",
        date=datetime.date(2021, 6, 1),
    )
    events = events_of(facts)
    assert len(events) == 1
    ((event, table),) = events.items()
    assert event.name == "G7 summit" and event.subtype == "Summit"
    assert "Cornwall" in table["locatedIn"]  # and the United Kingdom, by inference
    assert table["startDate"] == {"2021-06-11"} and table["endDate"] == {"2021-06-13"}
    assert "date" not in table  # one range, not two loose dates


def test_a_meeting_of_leaders_is_a_summit(extract):
    _, facts = extract(
        "Biden will take part in the meeting of the heads of state and government of the "
        "NATO member states on June 14th."
    )
    events = events_of(facts)
    assert [(e.name, e.subtype) for e in events] == [("NATO summit", "Summit")]
    assert events_of(facts)[next(iter(events))]["date"] == {"--06-14"}


@pytest.mark.parametrize(
    "text",
    [
        "Biden and Putin spoke. As part of his first trip abroad as president, Biden flew in.",
        "In a brief press conference, Stoltenberg said the alliance was united.",
        "Biden left Brussels for Geneva for a meeting with reporters.",
    ],
)
def test_no_event_from_a_noun_with_one_participant_and_no_name(extract, text):
    _, facts = extract(text)
    assert not events_of(facts)


def test_a_meeting_with_someone_joins_the_meeting_between_the_two(extract):
    _, facts = extract(
        "Biden will leave for Geneva for a meeting with Vladimir Putin on June 16. "
        "On the meeting between Biden and Putin, Sikorski said nothing."
    )
    events = events_of(facts)
    assert len(events) == 1
    assert events[next(iter(events))]["date"] == {"--06-16"}


def test_a_visit_to_a_country_is_its_place(extract):
    _, facts = extract(
        "Richard von Weizsaecker began a visit to Bolivia on March 20, 1987.",
    )
    events = events_of(facts)
    assert [e.subtype for e in events] == ["Visit"]
    table = events[next(iter(events))]
    assert table["locatedIn"] == {"Bolivia"}
    assert table["participant"] == {"Richard von Weizsaecker"}


@pytest.mark.parametrize(
    ("text", "event", "place"),
    [
        # NER takes the conference's own name for a place: the place is the one after it
        (
            "The chip was shown at the International Solid State Circuits Conference in "
            "San Francisco.",
            "International Solid State Circuits Conference",
            "San Francisco",
        ),
        (
            "Flights were cut after the 11 September attacks in the US.",
            "11 September attacks",
            None,
        ),
    ],
)
def test_a_named_events_place_follows_its_name(extract, text, event, place):
    _, facts = extract(text)
    places = {
        f.object.name
        for f in facts
        if f.subject.type == EVENT and f.relation == "locatedIn" and f.subject.name == event
    }
    assert event not in places  # never its own place
    assert places == {place} if place else len(places) == 1


def test_seeds_events_one_node_each(seeds_graph):
    """The G7 summit has Cornwall and June 11-13; no one-participant events; the NATO
    summit of one seed is linked to the dated one of the other."""
    rows = seeds_graph.query(
        """SELECT ?e ?label WHERE { ?e a kg:Event ; rdfs:label ?label .
           FILTER NOT EXISTS { ?e owl:sameAs ?other } }"""
    ).dicts()
    labels = sorted(r["label"] for r in rows)
    for wrong in (
        "Trip of",
        "Summit of Joe Biden",
        "Meeting of Vladimir Putin",
        "Press conference of",
    ):
        assert not any(label.startswith(wrong) for label in labels), labels
    assert labels.count("NATO summit") == 1 and labels.count("G7 summit") == 1, labels
    g7 = seeds_graph.query(
        """SELECT ?place ?start ?end WHERE { ?e rdfs:label "G7 summit" ; kg:locatedIn/rdfs:label ?place ;
           kg:startDate/kg:isoValue ?start ; kg:endDate/kg:isoValue ?end }"""
    ).dicts()
    assert ("Cornwall", "--06-11", "--06-13") in {(r["place"], r["start"], r["end"]) for r in g7}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        (  # the object of "join" takes part too
            "Tony Blair is to join Home Secretary David Blunkett in a visit to Sheffield on Thursday.",
            {"Tony Blair", "David Blunkett"},
        ),
        (  # officials stand for their country
            "US envoy John Bolton is meeting British officials this week.",
            {"John Bolton", "United Kingdom"},
        ),
        (  # a meeting of a body, chaired by someone
            "Gordon Brown will be chairing a meeting of the Commission for Africa in Cape Town.",
            {"Gordon Brown", "Commission for Africa"},
        ),
    ],
)
def test_who_takes_part(extract, text, who):
    _, facts = extract(text)
    events = events_of(facts)
    assert len(events) == 1, events
    assert events[next(iter(events))]["participant"] == who


@pytest.mark.slow
def test_a_spouse_does_not_lend_her_husband_her_visits():
    """ "Mrs Howard will make solo visits": she, not Michael Howard, makes them."""
    from kg.graph import KnowledgeGraph

    text = (
        "Michael Howard's wife, Sandra, is to play a leading role in the campaign.\n\n"
        "Mrs Howard will make a solo visit to Leeds on Monday as well as "
        "accompanying her husband. Mr Howard will host a news conference in London."
    )
    graph = KnowledgeGraph()
    graph.add_text(text, date=datetime.date(2005, 3, 4))
    rows = graph.query(
        """SELECT ?label ?cls WHERE { ?e kg:participant ?p ; a ?cls . ?p rdfs:label ?label }"""
    ).dicts()
    visits = {r["label"] for r in rows if r["cls"].endswith("Visit")}
    assert visits and "Michael Howard" not in visits, rows


# -- named events NER misses, competitions, elections --------------------------------------


def _events_named(mentions):
    return {m.name: m for m in mentions if m.type == EVENT and m.kind == "name"}


def test_named_events_from_the_lexicons(extract):
    """A listed name ("Six Nations"), a capitalised name ending in an event word and a
    name standing only before a lower-case event word are events; the name is not a
    participant ("MacWorld" takes no part in the MacWorld conference)."""
    mentions, facts = extract(
        "Fans expect a new iPod at the MacWorld conference in San Francisco. "
        "He referred to the Hutton inquiry. The film was shown at the Venice Film Festival. "
        "Wales will face England in this year's Six Nations."
    )
    named = _events_named(mentions)
    assert {"MacWorld conference", "Hutton inquiry", "Venice Film Festival", "Six Nations"} <= set(
        named
    ), named
    events = events_of(facts)
    conference = events.get(named["MacWorld conference"], {})
    assert "MacWorld" not in conference.get("participant", set())
    assert conference.get("locatedIn") == {"San Francisco"}
    assert not events.get(named["Hutton inquiry"], {}).get("participant")


def test_a_year_before_an_event_name_is_not_part_of_it(extract):
    mentions, _ = extract("Proposals were outlined at the 1986 Tokyo Summit by the ministers.")
    assert "Tokyo Summit" in _events_named(mentions)


def test_the_sides_of_a_competitions_matches_take_part_in_it(extract):
    """The only competition of a text: who plays against whom in it takes part."""
    mentions, facts = extract(
        "Italy have recorded three wins since they joined the Six Nations in 2000. "
        "Italy opened with a stubborn display against Ireland. "
        "Scotland played extremely well against France in Paris."
    )
    event = _events_named(mentions)["Six Nations"]
    table = events_of(facts)[event]
    assert {"Italy", "Ireland", "Scotland", "France"} <= table["participant"]
    assert "Paris" not in table["participant"]
    assert "date" not in table  # Italy joined in 2000: not the competition's date


def test_sides_stay_with_their_match_when_two_competitions_are_named(extract):
    mentions, facts = extract(
        "Chelsea lead the Premiership. Arsenal beat Rotherham in the FA Cup on Saturday."
    )
    named = _events_named(mentions)
    premiership = events_of(facts).get(named["Premiership"], {})
    assert "Rotherham" not in premiership.get("participant", set())


def test_a_named_events_participant_acts_in_its_own_clause(extract):
    """A relative pronoun's noun chairs the inquiry; a film shown at a festival and
    proposals outlined at a summit take no part."""
    mentions, facts = extract(
        "Labour peer Baroness Kennedy, who is chairing the Power Inquiry, spoke. "
        "The film A Different Story is being shown at the Berlin Film Festival."
    )
    named = _events_named(mentions)
    events = events_of(facts)
    assert events[named["Power Inquiry"]]["participant"] == {"Kennedy"}
    assert not events.get(named["Berlin Film Festival"], {}).get("participant")


@pytest.mark.parametrize(
    ("text", "who"),
    [
        (  # a demonym before a person is the person's country, not a participant
            "West German president Richard von Weizsaecker met Bolivian president "
            "Victor Paz Estenssoro in La Paz.",
            {"Richard von Weizsaecker", "Victor Paz Estenssoro"},
        ),
        (  # the members listed in brackets after a group
            "There have been discussions between G-7 participants (Canada, the United "
            "States and Japan), he said.",
            {"Canada", "United States", "Japan"},
        ),
        (  # "see" a named person, planned: a meeting
            "Baker is expected to see Japanese Finance Minister Kiichi Miyazawa and "
            "British Chancellor Nigel Lawson.",
            {"Baker", "Kiichi Miyazawa", "Nigel Lawson"},
        ),
        (  # the guest of a dinner someone hosts
            "Tony Blair is hosting a dinner tonight for Gordon Brown.",
            {"Tony Blair", "Gordon Brown"},
        ),
        (  # "with" on the verb that holds the talks
            "Richard von Weizsaecker arrived. He held brief talks on Sunday with "
            "Brazilian President Jose Sarney.",
            {"Richard von Weizsaecker", "Jose Sarney"},
        ),
    ],
)
def test_who_takes_part_in_unnamed_meetings(extract, text, who):
    _, facts = extract(text)
    events = events_of(facts)
    assert len(events) == 1, events
    assert events[next(iter(events))]["participant"] == who


def test_the_general_election_is_one_election_and_an_election_is_none(extract):
    mentions, _ = extract(
        "Tony Blair says his standing will be an issue in the general election. "
        "Labour is confident of winning the election."
    )
    elections = [m for m in mentions if m.type == EVENT and m.subtype == "Election"]
    assert [m.kind for m in elections] == ["description", "reference"], elections
    assert elections[0].name == "general election"
    mentions, _ = extract("Voters would like an election every year.")
    assert not [m for m in mentions if m.type == EVENT]


@pytest.mark.parametrize(
    "text",
    ["Fans saw Henson score twice.", "Blair will see Brown as a rival.", "Blair saw Brown."],
)
def test_seeing_someone_is_a_meeting_only_when_planned(extract, text):
    _, facts = extract(text)
    assert not events_of(facts)


@pytest.mark.parametrize(
    "text",
    [
        "Baker will revive plans first drawn up at the 1986 Tokyo Summit.",
        "The ministers will revive plans first drawn up at the Tokyo Summit.",
    ],
)
def test_an_event_named_after_its_city_is_placed_there(extract, text):
    # NER also reads "Tokyo Summit" as an organization: that reading does not hide the city
    _, facts = extract(text)
    assert ("Tokyo Summit", "locatedIn", "Tokyo") in fact_table(facts)


@pytest.mark.parametrize(
    "text",
    [
        "Paula Radcliffe will run in the Flora London Marathon this year.",  # a sponsor first
        "The film was shown at the Rio de Janeiro Film Festival.",  # the city's name goes on
        # a sponsor that is also a small town's name, in a name NER reads as an organization
        "The 2005 Orange British Academy Film Awards are being held in London.",
    ],
)
def test_no_place_from_the_first_word_of_a_longer_name(extract, text):
    _, facts = extract(text)
    wrong = ("Flora", "Rio", "Orange")
    assert not [f for f in fact_table(facts) if f[1] == "locatedIn" and f[2] in wrong]
