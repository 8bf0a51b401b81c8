"""kg/curate: decisions, applying and undoing them, re-applying them after builds.

The graph is built from a corpus extracted by hand (tests/curation_corpus.py) with the
real resolver and writer, in memory; tests/storage/test_store_curation.py runs the same
on Oxigraph and a remote server, tests/test_curate_rebuild.py on the seeds and BBC news.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from curation_corpus import build, d1, d2, d4, iri
from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Literal, URIRef

from kg.curate.model import active, decisions_from, new_decision
from kg.errors import CurationError
from kg.graph import KnowledgeGraph
from kg.rdf.files import new_dataset
from kg.rdf.namespace import (
    CURATED_GRAPH,
    CURATION_GRAPH,
    ENTITIES_GRAPH,
    KG,
    PATCHES_GRAPH,
    REL,
    SHAPES,
    graph_iri,
)

BIDEN, J_BIDEN = iri("person/joe-biden"), iri("person/j.-biden")
BLAIR, CHERIE = iri("person/tony-blair"), iri("person/cherie-blair")
GX, GX_ORG = iri("location/gx"), iri("organization/gx")
NATO, CORNWALL = iri("organization/nato"), iri("location/cornwall")
PUTIN = iri("person/vladimir-putin")


def quads(graph: KnowledgeGraph) -> set[tuple]:
    """Every quad but the decisions themselves (their history stays after an undo)."""
    return {
        (s, p, o, g)
        for s, p, o, g in graph.store.snapshot().quads((None, None, None, None))
        if g != CURATION_GRAPH
    }


def ask(graph: KnowledgeGraph, sparql: str, **values: object) -> bool:
    return bool(graph.query(f"ASK {{ {sparql} }}", **values).boolean)


def in_the_data(graph: KnowledgeGraph, node: URIRef) -> bool:
    """Whether a document graph or the entities graph names ``node`` (decisions and the
    owl:sameAs that keeps an old IRI resolving are not data)."""
    return ask(
        graph,
        "GRAPH ?g { ?s ?p ?o } FILTER((?s = ?x || ?o = ?x) && ?g NOT IN (?curation, ?curated))",
        x=node,
        curation=CURATION_GRAPH,
        curated=CURATED_GRAPH,
    )


@pytest.fixture(scope="module")
def built() -> Dataset:
    g = KnowledgeGraph()
    build(g)
    return g.dataset


@pytest.fixture
def graph(built: Dataset) -> KnowledgeGraph:
    """The corpus's graph in memory, a fresh copy for each test."""
    copy = new_dataset()
    for s, p, o, g in built.quads((None, None, None, None)):
        copy.graph(g).add((s, p, o))
    return KnowledgeGraph(copy)


# --- the decision model -------------------------------------------------------------------


def test_a_decision_round_trips_through_rdf() -> None:
    decision = new_decision(
        "split",
        "alice",
        "his wife",
        entity=BLAIR,
        new_entity=CHERIE,
        new_label="Cherie Blair",
        new_type="Person",
        aliases=("Blair",),
        documents=(URIRef("https://example.org/kg/document/d4"),),
    )
    (again,) = decisions_from(decision.triples())
    assert again == decision
    assert decision.iri.startswith("https://example.org/kg/decision/") and len(decision.id) == 16


def test_the_iri_is_a_digest_of_what_the_decision_says() -> None:
    when = datetime.datetime(2024, 5, 2, 9, 0, tzinfo=datetime.timezone.utc)
    one = new_decision("delete", "alice", "noise", created=when, entity=NATO)
    assert new_decision("delete", "alice", "noise", created=when, entity=NATO).iri == one.iri
    assert new_decision("delete", "bob", "noise", created=when, entity=NATO).iri != one.iri
    assert new_decision("delete", "alice", "noise", entity=NATO).iri != one.iri  # another time


def test_undo_of_an_undo_puts_the_decision_back_in_force() -> None:
    merge = new_decision("merge", "a", survivor=BIDEN, merged=(J_BIDEN,))
    undo = new_decision("undo", "a", undoes=merge.iri)
    redo = new_decision("undo", "a", undoes=undo.iri)
    assert [d.kind for d in active([merge])] == ["merge"]
    assert [d.kind for d in active([merge, undo])] == ["undo"]
    assert [d.kind for d in active([merge, undo, redo])] == ["merge", "undo"]


@pytest.mark.parametrize(
    ("missing", "words"),
    [(KG.curator, "kg:curator"), (KG.survivor, "survivor")],
)
def test_a_decision_missing_what_its_kind_needs_is_refused(missing: URIRef, words: str) -> None:
    decision = new_decision("merge", "a", survivor=BIDEN, merged=(J_BIDEN,))
    triples = [t for t in decision.triples() if t[1] != missing]
    with pytest.raises(CurationError, match=words):
        decisions_from(triples)


# --- each kind -------------------------------------------------------------------------------


def test_merge_two_fragments_of_one_person(graph: KnowledgeGraph) -> None:
    persons = graph.stats()["entities"]["Person"]
    decision = graph.curate.merge("person/joe-biden", "J. Biden", why="the same man", user="alice")
    assert decision.curator == "alice" and decision.reason == "the same man"
    (biden,) = graph.find("Joe Biden")
    assert biden.iri == str(BIDEN) and "J. Biden" in biden.aliases
    assert graph.find("J. Biden") == [biden]  # the old name finds the survivor
    assert graph.stats()["entities"]["Person"] == persons - 1
    # the fragment's facts are the survivor's, in SPARQL and in networkx
    assert ask(graph, "event:gx-summit kg:participant ?p", p=BIDEN)
    assert not in_the_data(graph, J_BIDEN)
    assert (J_BIDEN, OWL.sameAs, BIDEN) in graph.dataset  # old IRIs still resolve
    assert str(J_BIDEN) not in graph.to_networkx()
    # its evidence now points at the survivor, in the fragment's document graph
    assert ask(graph, "GRAPH ?g { ?ev rdf:object ?p ; rdf:predicate kg:participant }", p=BIDEN)
    assert graph.validate().conforms


def test_split_a_false_merge_by_alias(graph: KnowledgeGraph) -> None:
    graph.curate.split("Tony Blair", label="Cherie Blair", aliases=["Blair"], why="his wife")
    # d4 names him only "Blair": it moves; d3 says "Tony Blair" in the same sentences: it stays
    assert ask(graph, "GRAPH ?g { ?d kg:mentions ?p }", p=CHERIE, g=graph_iri("d4"))
    assert ask(graph, "GRAPH ?g { ?d kg:mentions ?p }", p=BLAIR, g=graph_iri("d3"))
    assert not ask(graph, "GRAPH ?g { ?d kg:mentions ?p }", p=BLAIR, g=graph_iri("d4"))
    (cherie,) = graph.find("Cherie Blair")
    assert cherie.type == "Person"
    assert ask(graph, "?p kg:residence location:london", p=CHERIE)


def test_split_by_document(graph: KnowledgeGraph) -> None:
    graph.curate.split(BLAIR, label="Cherie Blair", documents=["d4"], why="his wife")
    assert ask(graph, "GRAPH ?g { ?d kg:mentions ?p }", p=CHERIE, g=graph_iri("d4"))
    assert ask(graph, "GRAPH ?g { ?d kg:mentions ?p }", p=BLAIR, g=graph_iri("d3"))


def test_retype_a_mistyped_place(graph: KnowledgeGraph) -> None:
    graph.curate.retype("location/gx", "Organization", why="a group of states")
    assert [e.type for e in graph.find("GX")] == ["Organization"]
    assert graph.find("GX")[0].iri == str(GX_ORG)
    assert (GX, OWL.sameAs, GX_ORG) in graph.dataset
    assert not in_the_data(graph, GX)
    # a fact only a place can have is gone: the ontology says locatedIn ends at a Location
    assert not ask(graph, "?c kg:locatedIn ?gx", c=CORNWALL, gx=GX_ORG)
    assert graph.validate().conforms


def test_reject_a_wrong_fact_keeps_its_evidence_marked(graph: KnowledgeGraph) -> None:
    decision = graph.curate.reject(BIDEN, "affiliatedWith", NATO, why="misread")
    assert not ask(graph, "?b kg:affiliatedWith ?n", b=BIDEN, n=NATO)
    rows = graph.query(
        "SELECT ?ev ?d WHERE { ?ev rdf:subject ?b ; rdf:predicate kg:affiliatedWith ; kg:rejectedBy ?d }",
        b=BIDEN,
    ).rows
    assert [r[1] for r in rows] == [decision.iri]
    assert "affiliatedWith" not in {
        a["relation"] for _, _, a in graph.to_networkx().edges(data=True)
    }


def test_reject_an_inverse_fact_rejects_both_directions(graph: KnowledgeGraph) -> None:
    graph.curate.reject("event/gx-summit", "participant", J_BIDEN, why="he was not there")
    assert not ask(graph, "?e kg:participant ?p", p=J_BIDEN)
    assert not ask(graph, "?p kg:participantIn ?e", p=J_BIDEN)


def test_reject_a_literal_fact(graph: KnowledgeGraph) -> None:
    graph.curate.reject(PUTIN, "role", "President", why="not in this text")
    assert not ask(graph, "?p kg:role ?r", p=PUTIN)


def test_rename_keeps_the_old_label_as_an_alias(graph: KnowledgeGraph) -> None:
    graph.curate.rename("J. Biden", "Joseph Biden", why="full name")
    (entity,) = graph.find("Joseph Biden")
    assert entity.iri == str(J_BIDEN) and "J. Biden" in entity.aliases
    labels = list(graph.dataset.objects(J_BIDEN, RDFS.label))
    assert labels == [Literal("Joseph Biden")]


def test_delete_an_entity_and_its_facts(graph: KnowledgeGraph) -> None:
    decision = graph.curate.delete("organization/nato", why="not in this story")
    assert graph.find("NATO") == []
    assert not ask(graph, "?s kg:affiliatedWith ?n", n=NATO)
    assert not ask(graph, "?d kg:mentions ?n", n=NATO)
    assert ask(graph, "?ev rdf:object ?n ; kg:rejectedBy ?d", n=NATO, d=decision.iri)


def test_a_fact_asserted_in_the_unstored_direction_is_stored_once(graph: KnowledgeGraph) -> None:
    """ "Putin participantIn the GX summit" is written as the summit's participant Putin."""
    graph.curate.assert_fact(PUTIN, "participantIn", "event/gx-summit", why="he came")
    assert ask(graph, "event:gx-summit kg:participant ?p", p=PUTIN)
    assert not ask(graph, "?p kg:participantIn ?e", p=PUTIN)


def test_assert_a_fact_by_hand(graph: KnowledgeGraph) -> None:
    decision = graph.curate.assert_fact(
        "event/gx-summit", "participant", "Vladimir Putin", why="he came"
    )
    assert ask(
        graph,
        "event:gx-summit kg:participant ?p . FILTER NOT EXISTS { ?p kg:participantIn ?e }",
        p=PUTIN,
    )
    assert ask(
        graph,
        "?d kg:curator ?u ; kg:factSubject event:gx-summit",
        d=decision.iri,
        u=Literal(decision.curator),
    )
    graph.curate.assert_fact(BIDEN, "rel:praise", PUTIN, why="he did")
    assert ask(
        graph, "?b rel:praise ?p . rel:praise rdfs:subPropertyOf kg:relatedTo", b=BIDEN, p=PUTIN
    )


# --- undo -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decide",
    [
        lambda g: g.curate.merge(BIDEN, J_BIDEN, why="x"),
        lambda g: g.curate.split(BLAIR, label="Cherie Blair", aliases=["Blair"], why="x"),
        lambda g: g.curate.split(BLAIR, label="Cherie Blair", documents=["d4"], why="x"),
        lambda g: g.curate.rename(J_BIDEN, "Joseph Biden", why="x"),
        lambda g: g.curate.retype(GX, "Organization", why="x"),
        lambda g: g.curate.delete(NATO, why="x"),
        lambda g: g.curate.reject(BIDEN, "affiliatedWith", NATO, why="x"),
        lambda g: g.curate.assert_fact(BIDEN, "leaderOf", NATO, why="x"),
    ],
    ids=[
        "merge",
        "split-alias",
        "split-document",
        "rename",
        "retype",
        "delete",
        "reject",
        "assert",
    ],
)
def test_undo_restores_the_graph_quad_for_quad(graph: KnowledgeGraph, decide) -> None:
    before = quads(graph)
    decision = decide(graph)
    assert quads(graph) != before
    graph.curate.undo(decision.id, why="changed my mind")
    assert quads(graph) == before


def test_undo_in_any_order_and_redo(graph: KnowledgeGraph) -> None:
    before = quads(graph)
    merge = graph.curate.merge(BIDEN, J_BIDEN, why="x")
    after_merge = quads(graph)
    retype = graph.curate.retype(GX, "Organization", why="x")
    reject = graph.curate.reject(BIDEN, "affiliatedWith", NATO, why="x")
    rename = graph.curate.rename(BIDEN, "Joseph R. Biden", why="x")
    undo_merge = graph.curate.undo(merge, why="x")
    assert in_the_data(graph, J_BIDEN)  # the fragment is back
    assert ask(graph, "event:gx-summit kg:participant ?b", b=J_BIDEN)
    graph.curate.undo(rename, why="x")
    graph.curate.undo(reject, why="x")
    graph.curate.undo(retype, why="x")
    assert quads(graph) == before
    graph.curate.undo(undo_merge, why="x")  # undo the undo: the merge is back
    assert quads(graph) == after_merge
    statuses = {s.decision.iri: s for s in graph.curate.statuses()}
    assert statuses[merge.iri].active and not statuses[undo_merge.iri].active
    assert not statuses[rename.iri].active


def test_nothing_of_curation_is_left_after_everything_is_undone(graph: KnowledgeGraph) -> None:
    decision = graph.curate.merge(BIDEN, J_BIDEN, why="x")
    graph.curate.undo(decision, why="x")
    graphs = {g for *_, g in graph.store.snapshot().quads((None, None, None, None))}
    assert CURATED_GRAPH not in graphs and PATCHES_GRAPH not in graphs
    assert CURATION_GRAPH in graphs  # the history


def test_raw_view_is_the_graph_as_extracted(graph: KnowledgeGraph) -> None:
    before = quads(graph)
    graph.curate.merge(BIDEN, J_BIDEN, why="x")
    graph.curate.reject(BIDEN, "affiliatedWith", NATO, why="x")
    raw = graph.curate.raw_view()
    assert set(raw.quads((None, None, None, None))) == before


# --- refused decisions: one line, naming what is wrong ---------------------------------------


@pytest.mark.parametrize(
    ("decide", "words"),
    [
        (lambda g: g.curate.merge(BIDEN, "person/nobody", why="x"), "no entity person/nobody"),
        (
            lambda g: g.curate.merge(BIDEN, "Nobody At All", why="x"),
            "no entity named 'Nobody At All'",
        ),
        (lambda g: g.curate.merge(BIDEN, BIDEN, why="x"), "cannot be merged into itself"),
        (lambda g: g.curate.retype(GX, "Location", why="x"), "already a Location"),
        (lambda g: g.curate.retype(GX, "Planet", why="x"), "unknown entity type 'Planet'"),
        (lambda g: g.curate.rename(GX, "  ", why="x"), "the label is empty"),
        (lambda g: g.curate.reject(BIDEN, "leaderOf", NATO, why="x"), "is not in the graph"),
        (lambda g: g.curate.reject(BIDEN, "likes", NATO, why="x"), "unknown property 'likes'"),
        (lambda g: g.curate.assert_fact(NATO, "nationality", GX, why="x"), "does not take"),
        (
            lambda g: g.curate.assert_fact(BIDEN, "affiliatedWith", NATO, why="x"),
            "already in the graph",
        ),
        (
            lambda g: g.curate.split(BLAIR, label="Cherie Blair", documents=["d9"], why="x"),
            "no document 'd9'",
        ),
        (
            lambda g: g.curate.split(BLAIR, label="Cherie Blair", aliases=["Tony"], why="x"),
            "no document left",
        ),
        (
            lambda g: g.curate.split(BLAIR, label="Cherie Blair", why="x"),
            "give the documents or the aliases",
        ),
        (lambda g: g.curate.merge("date/2021", BIDEN, why="x"), "no entity date/2021"),
        (lambda g: g.curate.undo("0000000000000000", why="x"), "no decision 0000000000000000"),
    ],
)
def test_a_decision_naming_what_is_not_there_is_refused(graph, decide, words) -> None:
    before = quads(graph)
    with pytest.raises(CurationError, match=words) as caught:
        decide(graph)
    assert "\n" not in str(caught.value)
    assert quads(graph) == before and graph.curate.decisions() == []


def test_undo_twice_is_refused(graph: KnowledgeGraph) -> None:
    decision = graph.curate.merge(BIDEN, J_BIDEN, why="x")
    graph.curate.undo(decision, why="x")
    with pytest.raises(CurationError, match="already undone"):
        graph.curate.undo(decision, why="x")


def test_a_merged_entity_cannot_be_named_again(graph: KnowledgeGraph) -> None:
    graph.curate.merge(BIDEN, J_BIDEN, why="x")
    with pytest.raises(CurationError, match="no entity person/j.-biden"):
        graph.curate.delete(J_BIDEN, why="x")


def test_a_graph_without_named_graphs_cannot_be_curated(graph, tmp_path: Path) -> None:
    graph.save(tmp_path / "flat.ttl")
    flat = KnowledgeGraph.load(tmp_path / "flat.ttl")
    with pytest.raises(CurationError, match="no named graphs"):
        flat.curate.merge(BIDEN, J_BIDEN, why="x")


# --- rebuilds ----------------------------------------------------------------------------------


def test_decisions_apply_to_documents_added_later(graph: KnowledgeGraph) -> None:
    graph.curate.merge(BIDEN, J_BIDEN, why="x")
    graph.curate.retype(GX, "Organization", why="x")
    report = build(graph, d2(doc_id="d5"))  # the fragment and the mistyped place, again
    assert report.not_applying == []
    assert not in_the_data(graph, J_BIDEN)
    assert ask(graph, "GRAPH ?g { ?d kg:mentions ?b }", g=graph_iri("d5"), b=BIDEN)
    assert ask(graph, "GRAPH ?g { ?d kg:mentions ?o }", g=graph_iri("d5"), o=GX_ORG)
    assert not ask(graph, "GRAPH ?g { ?x a kg:Location }", g=graph_iri("d5"), x=GX)


def test_a_changed_document_is_curated_again(graph: KnowledgeGraph) -> None:
    graph.curate.merge(BIDEN, J_BIDEN, why="x")
    changed = d2(text=TEXT_D2_CHANGED)
    build(graph, changed)
    assert ask(graph, "GRAPH ?g { ?d kg:mentions ?b }", g=graph_iri("d2"), b=BIDEN)
    assert not in_the_data(graph, J_BIDEN)
    # undo gives the new version of d2 as this build extracted it, not the old one
    raw = set(graph.curate.raw_view().quads((None, None, None, None)))
    assert any("on Friday" in str(o) for _, _, o, _ in raw)
    graph.curate.undo(graph.curate.decisions()[0], why="x")
    assert quads(graph) == raw


TEXT_D2_CHANGED = "GX summit\n\nJ. Biden arrived at the GX summit in Cornwall on Friday. Cornwall hosts the GX this year."


def test_a_rejected_fact_stays_rejected_when_another_document_states_it(graph) -> None:
    graph.curate.reject(BIDEN, "affiliatedWith", NATO, why="misread")
    build(graph, d1(doc_id="d6"))
    assert not ask(graph, "?b kg:affiliatedWith ?n", b=BIDEN, n=NATO)
    assert ask(
        graph,
        "GRAPH ?g { ?ev rdf:subject ?b ; rdf:predicate kg:affiliatedWith } ?ev kg:rejectedBy ?d",
        g=graph_iri("d6"),
        b=BIDEN,
    )


def test_a_rejected_fact_may_come_back_when_restated(graph: KnowledgeGraph) -> None:
    graph.curate.reject(BIDEN, "affiliatedWith", NATO, why="misread", allow_restated=True)
    assert not ask(graph, "?b kg:affiliatedWith ?n", b=BIDEN, n=NATO)
    build(graph, d1(doc_id="d6"))  # another document says it
    assert ask(graph, "GRAPH ?g { ?b kg:affiliatedWith ?n }", g=graph_iri("d6"), b=BIDEN, n=NATO)
    assert not ask(
        graph, "GRAPH ?g { ?b kg:affiliatedWith ?n }", g=graph_iri("d1"), b=BIDEN, n=NATO
    )


def test_decisions_that_no_longer_apply_are_reported(graph: KnowledgeGraph) -> None:
    split = graph.curate.split(BLAIR, label="Cherie Blair", documents=["d4"], why="x")
    merge = graph.curate.merge(BIDEN, J_BIDEN, why="x")
    assert graph.remove_documents(["d4", "d2"]) == 2
    problems = graph.builder.not_applying
    assert len(problems) == 2 and all("no longer applies" in p for p in problems)
    assert any(split.id in p and "no document left" in p for p in problems)
    assert any(merge.id in p and "person/j.-biden" in p for p in problems)
    statuses = {s.decision.iri: s for s in graph.curate.statuses()}
    assert statuses[split.iri].active and statuses[split.iri].problem
    # they are kept, and apply again when their documents come back
    report = build(graph, d2(), d4())
    assert report.not_applying == []
    assert ask(graph, "GRAPH ?g { ?d kg:mentions ?p }", p=CHERIE, g=graph_iri("d4"))


def test_removing_every_document_leaves_only_the_history(graph: KnowledgeGraph) -> None:
    graph.curate.merge(BIDEN, J_BIDEN, why="x")
    graph.curate.rename(BLAIR, "Anthony Blair", why="x")
    graph.remove_documents(["d1", "d2", "d3", "d4"])
    graphs = {g for *_, g in graph.store.snapshot().quads((None, None, None, None))}
    assert graphs == {CURATION_GRAPH}
    build(graph)  # built again from scratch: the decisions apply again
    assert graph.find("Anthony Blair") and graph.find("J. Biden") == graph.find("Joe Biden")


def test_a_full_rebuild_with_imported_decisions_equals_the_curated_graph(graph, tmp_path) -> None:
    graph.curate.merge(BIDEN, J_BIDEN, why="x")
    graph.curate.split(BLAIR, label="Cherie Blair", aliases=["Blair"], why="x")
    graph.curate.retype(GX, "Organization", why="x")
    graph.curate.reject(BIDEN, "affiliatedWith", NATO, why="x")
    graph.curate.export(tmp_path / "decisions.ttl")
    again = KnowledgeGraph()
    build(again)
    report = again.curate.import_file(tmp_path / "decisions.ttl")
    assert (report.added, report.already, report.not_applying) == (4, 0, [])
    assert set(again.store.snapshot().quads((None, None, None, None))) == set(
        graph.store.snapshot().quads((None, None, None, None))
    )
    assert again.curate.import_file(tmp_path / "decisions.ttl").already == 4


# --- files ---------------------------------------------------------------------------------------


def test_the_decisions_file_has_one_block_per_decision(graph, tmp_path: Path) -> None:
    graph.curate.merge(BIDEN, J_BIDEN, why="the same man", user="alice")
    graph.curate.reject(PUTIN, "role", "President", why='he said "no"', user="bob")
    text = graph.curate.export(tmp_path / "d.ttl").read_text(encoding="utf-8")
    blocks = [b for b in text.split("\n\n") if "a kg:Decision" in b]
    assert len(blocks) == 2
    assert blocks[0].startswith("# merge J. Biden into Joe Biden (alice")
    assert "kg:survivor person:joe-biden" in blocks[0] and "kg:factValue" in blocks[1]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("this is not turtle", "not valid Turtle"),
        (
            '@prefix kg: <https://example.org/kg/ontology#> . <x:a> kg:reason "r" .',
            "no decisions in it",
        ),
        (
            "@prefix kg: <https://example.org/kg/ontology#> .\n<https://example.org/kg/decision/x> a kg:Decision, kg:MergeDecision ; kg:survivor <https://example.org/kg/entity/person/a> ; kg:merged <https://example.org/kg/entity/person/b> .",
            "kg:curator",
        ),
    ],
)
def test_a_bad_decisions_file_is_one_line_naming_it(graph, tmp_path, text, words) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CurationError, match=words) as caught:
        graph.curate.import_file(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_decisions_are_saved_with_the_graph(graph, tmp_path: Path) -> None:
    before = quads(graph)
    graph.curate.merge(BIDEN, J_BIDEN, why="x")
    graph.save(tmp_path / "g.trig")
    loaded = KnowledgeGraph.load(tmp_path / "g.trig")
    (decision,) = loaded.curate.decisions()
    assert decision.kind == "merge"
    loaded.curate.undo(decision, why="x")
    assert quads(loaded) == before


# --- shapes ----------------------------------------------------------------------------------------


def test_shapes_cover_the_decisions(graph: KnowledgeGraph) -> None:
    decision = graph.curate.merge(BIDEN, J_BIDEN, why="x")
    assert graph.validate().conforms
    graph.dataset.graph(CURATION_GRAPH).remove((decision.iri, KG.curator, None))
    report = graph.validate()
    assert not report.conforms and SHAPES.DecisionCurator in report.violations


def test_open_relation_subjects_keep_their_signature(graph: KnowledgeGraph) -> None:
    graph.curate.retype(BIDEN, "Organization", why="x")  # rel:meet still links two entities
    assert ask(graph, "?s rel:meet ?o", s=iri("organization/joe-biden"), o=PUTIN)
    assert graph.validate().conforms


def test_entities_graph_and_aliases_after_a_merge(graph: KnowledgeGraph) -> None:
    graph.curate.merge(BIDEN, J_BIDEN, why="x")
    entities = graph.dataset.graph(ENTITIES_GRAPH)
    assert (J_BIDEN, None, None) not in entities
    assert (BIDEN, SKOS.altLabel, Literal("J. Biden")) in graph.dataset.graph(CURATED_GRAPH)
    assert list(graph.dataset.objects(BIDEN, RDF.type)) == [KG.Person]
    assert (REL.meet, RDFS.subPropertyOf, KG.relatedTo) in graph.dataset
