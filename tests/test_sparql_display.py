"""Query results in Python and notebooks: iteration, DataFrames, HTML, the network inline."""

from __future__ import annotations

import datetime

import pytest
from rdflib import Dataset, Literal, URIRef

from kg.graph import KnowledgeGraph
from kg.rdf.namespace import KG

PERSON = URIRef("https://example.org/kg/entity/person/ada")


@pytest.fixture
def graph() -> KnowledgeGraph:
    data = Dataset()
    g = data
    g.add((PERSON, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), KG.Person))
    g.add(
        (
            PERSON,
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("Ada <b>Lovelace</b>"),
        )
    )
    g.add((PERSON, KG.role, Literal("Countess")))
    return KnowledgeGraph(data)


QUERY = """SELECT ?p ?name ?n ?day ?missing WHERE {
  ?p rdfs:label ?name . BIND(3 AS ?n) BIND("1815-12-10"^^xsd:date AS ?day) OPTIONAL { ?p kg:none ?missing } }"""


def test_rows_iterate_as_named_tuples_of_python_values(graph):
    rows = list(graph.query(QUERY))
    assert len(rows) == 1
    row = rows[0]
    assert row.p == str(PERSON) and row.name == "Ada <b>Lovelace</b>"
    assert row.n == 3 and row.day == datetime.date(1815, 12, 10) and row.missing is None
    assert list(graph.query("ASK { ?p kg:role 'Countess' }")) == [True]
    assert len(list(graph.query("CONSTRUCT { ?p kg:role ?r } WHERE { ?p kg:role ?r }"))) == 1


def test_to_dataframe(graph):
    pytest.importorskip("pandas")
    frame = graph.query(QUERY).to_dataframe()
    assert list(frame.columns) == ["p", "name", "n", "day", "missing"]
    assert frame.loc[0, "n"] == 3 and frame.loc[0, "name"] == "Ada <b>Lovelace</b>"


def test_to_dataframe_without_pandas_names_the_extra(graph, monkeypatch):
    import builtins

    from kg.errors import MissingExtraError

    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(MissingExtraError, match=r"pip install 'kg\[dataframe\]'"):
        graph.query(QUERY).to_dataframe()


def test_html_table_escapes_every_value(graph):
    html = graph.query(QUERY)._repr_html_()
    assert "<th>name</th>" in html and "Ada &lt;b&gt;Lovelace&lt;/b&gt;" in html
    assert "<b>" not in html
    assert repr(graph.query(QUERY)) == "<QueryResult SELECT: 1 rows of p, name, n, day, missing>"


def test_network_inline_is_an_escaped_sandboxed_frame(graph):
    html = graph.show(title="</iframe><script>x</script>")._repr_html_()
    assert html.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in html
    assert "<script>x" not in html and html.count("<iframe") == 1
    assert "&lt;script id=&quot;kg-data&quot;" in html
