"""Values bound into query text for engines other than rdflib (Oxigraph, remote servers)."""

from __future__ import annotations

from rdflib import Literal, URIRef

from kg.sparql.bindings import bind_text

IRI = URIRef("http://example.org/x")


def test_projected_variable_keeps_its_column():
    out = bind_text("SELECT ?p ?o WHERE { ?s ?p ?o }", {"p": IRI})
    assert out == f"SELECT (<{IRI}> AS ?p) ?o WHERE {{ ?s <{IRI}> ?o }}"


def test_order_and_group_by_get_a_bracketed_expression():
    out = bind_text("SELECT ?o WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p ?o", {"p": IRI})
    assert out.endswith(f"GROUP BY (<{IRI}>) ORDER BY (<{IRI}>) ?o")


def test_subquery_projection():
    out = bind_text("SELECT ?x WHERE { { SELECT ?p WHERE { ?a ?p ?b } } ?x ?p ?y }", {"p": IRI})
    assert f"SELECT (<{IRI}> AS ?p) WHERE" in out and "?p" not in out.replace("AS ?p", "")


def test_strings_iris_comments_and_other_variables_are_untouched():
    text = 'SELECT ?n WHERE { ?e <http://x/?n> "?n" ; ?nx ?n } # ?n'
    out = bind_text(text, {"n": Literal("v")})
    assert out == 'SELECT ("v" AS ?n) WHERE { ?e <http://x/?n> "?n" ; ?nx "v" } # ?n'


def test_a_hostile_value_stays_one_literal():
    out = bind_text(
        "SELECT ?e WHERE { ?e rdfs:label ?name }", {"name": Literal('x" } ; DROP ALL ; #')}
    )
    assert out == 'SELECT ?e WHERE { ?e rdfs:label "x\\" } ; DROP ALL ; #" }'
