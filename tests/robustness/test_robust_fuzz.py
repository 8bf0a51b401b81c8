"""Bounded fuzzing (hypothesis) of the document loaders and of the SPARQL endpoint's inputs.

Each property runs a fixed number of generated examples (a few seconds each, so CI
runs them every time; ``KG_FUZZ_EXAMPLES=N`` runs N per property) with no example
database written to disk:

- loaders: structured files, not just random bytes (tests/test_documents.py has those):
  JSONL lines of every shape in three encodings, HTML from a tag grammar with scripts,
  comments, entities, deep nesting and unclosed tags, Unicode text in every encoding the
  loader sniffs. Nothing escapes ``on_error``; every error is one line naming its file;
  every JSONL line becomes a document or an error, exactly once; script text never
  becomes document text; decoded text is the text that was encoded.
- the SPARQL guard, against rdflib's own parser as the oracle: whenever rdflib reads a
  FROM or a SERVICE in a query (spelled with escapes, odd case, long s, prefixed names,
  comments, strings around it), the guard refuses it.
- the endpoint, over HTTP: random methods, parameters, headers and bodies (non-UTF-8,
  repeated, oversized, hostile); every answer is a known status with a one-line error,
  no FROM reads the secret file, no SERVICE reaches the canary, the server stays up.
"""

from __future__ import annotations

import codecs
import http.client
import json
import os
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import Canary

from kg.documents import LoadStats, load_documents, normalize_text
from kg.errors import DocumentError, QueryRefusedError
from kg.sparql.guard import check_query

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: Examples per property: small for CI; ``KG_FUZZ_EXAMPLES=5000`` for a long run.
EXAMPLES = int(os.environ.get("KG_FUZZ_EXAMPLES", "0"))


def budget(default: int) -> int:
    return EXAMPLES or default


FUZZ = settings(
    max_examples=budget(120),
    deadline=None,
    database=None,  # nothing written into the working directory
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SCRIPT_MARK = "SCRIPTMARKERZQ"


def load(path: Path) -> tuple[list, list[DocumentError], LoadStats]:
    errors: list[DocumentError] = []
    stats = LoadStats()
    docs = list(load_documents([path], on_error=errors.append, stats=stats))
    for error in errors:
        assert isinstance(error, DocumentError)
        assert "\n" not in str(error) and "\r" not in str(error)
        assert error.source.startswith(str(path)), error
        assert "unexpected error" not in error.problem, error
    assert stats.loaded == len(docs) and stats.failed == len(errors)
    for doc in docs:
        assert doc.text.strip() and doc.text == normalize_text(doc.text)
        assert doc.source.startswith(str(path))
    return docs, errors, stats


# --- JSONL -----------------------------------------------------------------------------------

no_surrogates = st.characters(blacklist_categories=("Cs",))
line_text = st.text(no_surrogates, max_size=40).filter(lambda t: "\n" not in t and "\r" not in t)
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), line_text)
json_value = st.recursive(
    scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(line_text, inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
record = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(line_text, st.integers(), json_value),
        "title": json_value,
        "date": st.one_of(st.sampled_from(["2021-06-14", "June 2021", "nonsense", ""]), json_value),
        "author": json_value,
        "url": json_value,
        "text": st.one_of(
            st.text(no_surrogates, min_size=1, max_size=200),
            st.sampled_from(["NATO leaders met in Brussels.", "   ", ""]),
            json_value,
        ),
    },
)
jsonl_line = st.one_of(
    record.map(lambda r: json.dumps(r, ensure_ascii=False)),
    record.map(lambda r: json.dumps(r)),
    json_value.map(json.dumps),
    line_text,  # not JSON, or JSON by accident
    record.map(lambda r: json.dumps(r)[: max(1, len(json.dumps(r)) // 2)]),  # cut short
    st.just(""),
    st.just("   "),
)


@FUZZ
@given(
    lines=st.lists(jsonl_line, max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_jsonl_every_line_is_a_document_or_one_error(tmp_path_factory, lines, encoding):
    path = tmp_path_factory.mktemp("jsonl") / "feed.jsonl"
    path.write_bytes("\n".join(lines).encode(encoding))
    docs, errors, _ = load(path)
    if any(e.source == str(path) for e in errors):  # a whole-file problem (binary)
        assert docs == []
        return
    numbered = [int(d.source.rsplit(":", 1)[1]) for d in docs]
    numbered += [int(e.source.rsplit(":", 1)[1]) for e in errors]
    expected = [n for n, line in enumerate(lines, 1) if line.strip()]
    assert sorted(numbered) == expected


# --- HTML ------------------------------------------------------------------------------------

#: Elements whose content is markup (not <title> or <textarea>, whose content is text).
TAGS = ["div", "p", "span", "b", "i", "a", "table", "tr", "td", "ul", "li", "h1", "article",
        "main", "nav", "header", "footer", "section", "br", "img", "body", "html"]  # fmt: skip
words = st.lists(st.sampled_from(["NATO", "met", "in", "Geneva", "Joe", "Biden", "said", "."]), max_size=8).map(" ".join)  # fmt: skip
leaf = st.one_of(
    words,
    st.sampled_from(
        ["&amp;", "&lt;script&gt;", "&#x3C;", "&bogus;", "&#0;", "&#x110000;", "< ", ">", "&"]
    ),
    st.sampled_from(
        ["<!-- a comment -->", "<!--", "-->", "<![CDATA[x]]>", "<!DOCTYPE html>", "<?xml?>"]
    ),
    st.sampled_from(
        [
            f"<script>var a = '{SCRIPT_MARK}';</script>",
            f"<script type=module>{SCRIPT_MARK}</script>",
            f"<style>.x{{content:'{SCRIPT_MARK}'}}</style>",
            f"<noscript>{SCRIPT_MARK}</noscript>",
            f"<template>{SCRIPT_MARK}</template>",
        ]
    ),
    st.sampled_from(["</div>", "</p></p>", "</script>", '<img src="x" onerror="y">']),
    st.text(no_surrogates, max_size=20).map(lambda t: t.replace("<", "&lt;")),
)
#: Broken markup that changes how everything after it is read (a browser shows a
#: script after ``<p`` as text), so it only ends a page.
broken_tail = st.sampled_from(["", "<", "<p", "<a href='", "<!--", "<script>", "<![CDATA[", "<div"])
attrs = st.lists(
    st.sampled_from([' class="x"', " id=a", " href='javascript:alert(1)'", ' data-x="<b>"', " hidden", ' style="display:none"']),
    max_size=2,
).map("".join)  # fmt: skip
html_tree = st.recursive(
    leaf,
    lambda inner: st.builds(
        lambda tag, attr, kids, close: f"<{tag}{attr}>{''.join(kids)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS), attrs, st.lists(inner, max_size=4), st.booleans(),
    ),
    max_leaves=30,
)  # fmt: skip


@FUZZ
@given(body=html_tree, tail=broken_tail, depth=st.integers(0, 3000), suffix=st.sampled_from([".html", ".htm"]))  # fmt: skip
def test_html_never_fails_and_script_text_never_becomes_text(
    tmp_path_factory, body, tail, depth, suffix
):
    path = tmp_path_factory.mktemp("html") / f"page{suffix}"
    path.write_text(
        "<body>" + "<div>" * depth + body + "</div>" * (depth // 2) + tail, encoding="utf-8"
    )
    start = time.monotonic()
    docs, errors, _ = load(path)
    assert time.monotonic() - start < 5
    assert len(docs) + len(errors) == 1
    for doc in docs:
        assert SCRIPT_MARK not in doc.text and SCRIPT_MARK not in (doc.title or "")


# --- encodings -------------------------------------------------------------------------------

ENCODED = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-sig": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-32": lambda t: t.encode("utf-32"),
}


@FUZZ
@given(text=st.text(no_surrogates, max_size=300), encoding=st.sampled_from(list(ENCODED)))
def test_decoded_text_is_the_text_that_was_encoded(tmp_path_factory, text, encoding):
    path = tmp_path_factory.mktemp("enc") / "story.txt"
    path.write_bytes(ENCODED[encoding](text))
    docs, errors, _ = load(path)
    if docs:
        assert docs[0].text == normalize_text(text)
        return
    (error,) = errors
    if encoding == "utf-8":  # no BOM: text full of control characters may look binary
        assert error.problem == "empty document" or error.problem.startswith("binary file")
    else:
        assert error.problem == "empty document" and not normalize_text(text).strip()


@FUZZ
@given(text=st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=8, max_size=200))
def test_bomless_utf16_of_ascii_text_is_read(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("utf16") / "story.txt"
    path.write_bytes(("Title line\n" + text).encode("utf-16-le"))
    docs, errors, _ = load(path)
    assert errors == [] and docs[0].text == normalize_text("Title line\n" + text)


# --- the SPARQL guard against rdflib's parser ------------------------------------------------


def rdflib_reads(query: str) -> set[str]:
    """FROM and/or SERVICE when rdflib's parser finds them in ``query`` (the oracle)."""
    from pyparsing import ParseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(query)
    except (ParseException, ValueError, RecursionError):
        return set()
    found, stack = set(), [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if dict.get(item, "datasetClause"):
                found.add("FROM")
            if item.name == "ServiceGraphPattern":
                found.add("SERVICE")
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)
    return found


def spelled(word: str) -> st.SearchStrategy[str]:
    """``word`` with each letter in either case, sometimes a look-alike or an escape."""

    def letter(char: str) -> st.SearchStrategy[str]:
        options = [st.just(char.upper()), st.just(char.lower())]
        if char in "sS":
            options.append(st.just("\u017f"))
        if char in "iI":
            options.append(st.just("\u0131"))
        options += [
            st.sampled_from([f"\\u{ord(c):04X}", f"\\u{ord(c):04x}", f"\\U{ord(c):08X}"])
            for c in (char.upper(), char.lower())
        ]
        return st.one_of(options)

    return st.tuples(*[letter(c) for c in word]).map("".join)


gap = st.one_of(
    st.just(" "), st.sampled_from([" ", "", "\t", "\n", " #c\n", "\r\n", "\\u0020", "\u00a0"])
)  # fmt: skip
#: Valid triples and comments holding the keywords where they are not keywords.
decoy = st.sampled_from(
    ["", '?s ?p "FROM <x>" .', "# SERVICE <x>\n", "?s ?p 'a\\'FROM' .", '?s ?p """\nFROM\n""" .',
     "?from ?service ?o .", "?s ?p ex:from .", "?s ex:a\\' ?o .", "?s ?p <http://x/FROM> ."]
)  # fmt: skip
PROLOGUE = "PREFIX ex: <http://e/> PREFIX : <file:///tmp/> PREFIX é: <file:///tmp/> "


@st.composite
def attack(draw) -> str:
    """A query that may hold FROM or SERVICE, spelled in ways a parser may still read."""
    if draw(st.booleans()):
        head = draw(
            st.sampled_from(["SELECT *", "SELECT ?o", "SELECT (1 AS ?o)", "ASK", "DESCRIBE ?o"])
        )
        target = draw(
            st.sampled_from(["<file:///tmp/x.nt>", ":x.nt", "é:x.nt", "NAMED <file:///tmp/x>"])
        )
        return (
            f"{PROLOGUE}{head}{draw(gap)}{draw(spelled('FROM'))}{draw(gap)}{target}"
            f"{draw(gap)}WHERE {{ {draw(decoy)} ?s ?p ?o }}"
        )
    before = draw(
        st.sampled_from(["", "?s ?p ?o .", "?s ?p ?o", "{ ?a ?b ?c }", "OPTIONAL { ?a ?b ?c }"])
    )
    target = draw(
        st.sampled_from(
            ["<http://127.0.0.1:9/>", ":x", "é:x", "?e", "SILENT <http://127.0.0.1:9/>"]
        )
    )
    return (
        f"{PROLOGUE}SELECT * WHERE {{ {draw(decoy)} {before}{draw(gap)}{draw(spelled('SERVICE'))}"
        f"{draw(gap)}{target} {{ ?s ?p ?o }} }}"
    )


@settings(FUZZ, max_examples=budget(400))
@given(query=attack())
def test_guard_refuses_whatever_rdflib_reads_as_from_or_service(query):
    read = rdflib_reads(query)
    if read:
        with pytest.raises(QueryRefusedError):
            check_query(query)


@FUZZ
@given(query=st.text(max_size=200))
def test_guard_is_total_and_fast(query):
    start = time.monotonic()
    try:
        check_query(query)
    except QueryRefusedError:
        pass
    assert time.monotonic() - start < 0.5
    assert not rdflib_reads(query) or _refused(query)


def _refused(query: str) -> bool:
    try:
        check_query(query)
    except QueryRefusedError:
        return True
    return False


# --- the endpoint over HTTP ------------------------------------------------------------------

SMALL = """
@prefix kg: <https://example.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/kg/entity/person/ada> a kg:Person ; rdfs:label "Ada <b>Lovelace</b>" ; kg:role "Analyst" .
<https://example.org/kg/entity/organization/acme> a kg:Organization ; rdfs:label "Acme" .
<https://example.org/kg/entity/person/ada> kg:leaderOf <https://example.org/kg/entity/organization/acme> .
"""
STATUSES = {200, 400, 403, 404, 405, 406, 413, 415, 503}


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    from rdflib import Dataset

    from kg.graph import KnowledgeGraph
    from kg.serve import Limits, ServeConfig, create_app
    from kg.serve.app import running

    secret = tmp_path_factory.mktemp("fuzz-secret") / "secret.nt"
    secret.write_text('<http://x/s> <http://x/p> "TOP SECRET fuzz" .\n', encoding="utf-8")
    canary = Canary()
    dataset = Dataset(default_union=True)
    dataset.default_graph.parse(data=SMALL, format="turtle")
    graph = KnowledgeGraph(dataset)
    config = ServeConfig(limits=Limits(timeout=2, max_results=1000), max_query_bytes=20_000)
    with running(create_app(graph, config)) as url:
        yield url, secret, canary, graph
    canary.close()


def queries(secret: Path, port: int) -> st.SearchStrategy[str]:
    canary = f"<http://127.0.0.1:{port}/>"
    known = st.sampled_from([
        "SELECT * WHERE { ?s ?p ?o }",
        "ASK { ?s kg:role ?r }",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "DESCRIBE <https://example.org/kg/entity/person/ada>",
        f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * WHERE {{ SERVICE {canary} {{ ?s ?p ?o }} }}",
        f"SELECT * \\u0046ROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
        "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
        "SELECT * WHERE { " + "{" * 300 + " }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }",
    ])  # fmt: skip
    return st.one_of(known, st.text(max_size=300), attack(), known.map(lambda q: q + "x" * 20_001))


@st.composite
def http_request(draw, secret: Path, port: int) -> tuple[str, str, bytes | None, dict[str, str]]:
    query = draw(queries(secret, port))
    params = [("query", query)] * draw(st.integers(0, 2))
    params += draw(st.lists(st.tuples(
        st.sampled_from(["format", "default-graph-uri", "named-graph-uri", "update", "x", "query"]),
        st.one_of(st.sampled_from(["json", "xml", "csv", "tsv", "turtle", "jsonld", "ntriples", "rdfxml", "html"]), st.text(max_size=10)),
    ), max_size=2))  # fmt: skip
    accept = draw(st.one_of(
        st.sampled_from(["*/*", "text/html", "text/csv", "application/sparql-results+json;q=0.1, text/turtle", "image/png", "", "text/*;q=abc"]),
        st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    ))  # fmt: skip
    path = draw(st.sampled_from(["/sparql", "/sparql", "/sparql", "/api/search", "/api/entity", "/api/neighbourhood", "/document/x", "/query"]))  # fmt: skip
    headers = {"Accept": accept}
    method = draw(st.sampled_from(["GET", "POST", "PUT"]))
    body = None
    if method != "GET":
        kind = draw(st.sampled_from(["application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update", "text/plain", ""]))  # fmt: skip
        headers["Content-Type"] = kind
        if kind == "application/x-www-form-urlencoded":
            body = urllib.parse.urlencode(params).encode()
            params = []
        else:
            body = draw(
                st.one_of(st.just(query.encode("utf-8", "surrogatepass")), st.binary(max_size=200))
            )
    qs = urllib.parse.urlencode([(k, v.encode("utf-8", "surrogatepass")) for k, v in params])
    if path.startswith("/api"):
        qs = urllib.parse.urlencode({"q": query[:300], "iri": query[:300], "hops": draw(st.sampled_from(["1", "-5", "x", "99"]))})  # fmt: skip
    return method, f"{path}?{qs}" if qs else path, body, headers


def test_endpoint_fuzz(target):
    url, secret, canary, graph = target
    parts = urllib.parse.urlsplit(url)
    before = set(graph.dataset.quads((None, None, None, None)))
    seen: set[int] = set()

    @settings(FUZZ, max_examples=budget(150))
    @given(item=http_request(secret, canary.port))
    def one(item):
        method, path, body, headers = item
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            status, data = response.status, response.read()
        finally:
            connection.close()
        seen.add(status)
        assert status in STATUSES, (status, data[:200])
        assert b"TOP SECRET" not in data
        if status >= 400 and path.startswith("/sparql"):
            assert data.startswith(b"kg: error: ") and data.count(b"\n") == 1, data[:300]

    one()
    time.sleep(0.3)
    assert canary.hits == 0
    assert set(graph.dataset.quads((None, None, None, None))) == before
    assert {200, 400, 403} <= seen
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request(
        "GET", "/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}
    )
    assert connection.getresponse().status == 200
    connection.close()


# --- document ids from input -----------------------------------------------------------------


@FUZZ
@given(a=st.text(max_size=80), b=st.text(max_size=80))
def test_document_ids_are_valid_iris_and_do_not_collide(a, b):
    """A JSONL ``id`` of any text gives a valid document IRI; two different ids give two
    IRIs, unless one id is already the other's safe form (ids name documents: giving an
    existing document's id replaces that document, by design)."""
    pyoxigraph = pytest.importorskip("pyoxigraph")
    from kg.documents import safe_id
    from kg.rdf.namespace import document_iri, graph_iri

    for value in (a, b):
        token = safe_id(value)
        pyoxigraph.NamedNode(str(document_iri(token)))
        pyoxigraph.NamedNode(str(graph_iri(token)))
    if a != b and safe_id(a) == safe_id(b):
        assert safe_id(a) in (a, b)
