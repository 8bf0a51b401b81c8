"""kg/serve/curation.py over HTTP: edit mode only, JSON from this server's pages only; the
SPARQL endpoint stays read-only; a graph file is rewritten after each decision."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from curation_corpus import build, iri

from kg.graph import KnowledgeGraph
from kg.serve import ServeConfig, create_app
from kg.serve.app import running

BIDEN, J_BIDEN = iri("person/joe-biden"), iri("person/j.-biden")


def request(url: str, body: object = None, *, headers: dict[str, str] | None = None):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    method = "GET" if data is None else "POST"
    all_headers = {"Content-Type": "application/json"} if data is not None else {}
    all_headers.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def graph() -> KnowledgeGraph:
    g = KnowledgeGraph()
    build(g)
    return g


def test_without_edit_there_is_no_curation(graph: KnowledgeGraph) -> None:
    with running(create_app(graph, ServeConfig())) as url:
        status, _ = request(url + "api/curation/decide", {"kind": "delete", "entity": str(BIDEN)})
        assert status in (404, 405)
        status, page = request(url)
        assert status == 200 and b"curation.js" not in page
    assert graph.curate.decisions() == []


def test_decide_list_and_undo(graph: KnowledgeGraph, tmp_path: Path) -> None:
    path = graph.save(tmp_path / "graph.trig")
    with running(create_app(graph, ServeConfig(edit=True, save_to=path))) as url:
        status, page = request(url)
        assert status == 200 and b"/static/curation.js" in page
        payload = {
            "kind": "merge",
            "survivor": str(BIDEN),
            "merged": [str(J_BIDEN)],
            "why": "same",
            "user": "eve",
        }
        status, body = request(
            url + "api/curation/decide", payload, headers={"Origin": url.rstrip("/")}
        )
        assert status == 200, body
        answer = json.loads(body)
        assert answer["focus"] == str(BIDEN) and answer["decision"]["curator"] == "eve"
        # the file on disk holds the decision (what a restart of kg serve reads)
        assert [d.kind for d in KnowledgeGraph.load(path).curate.decisions()] == ["merge"]
        status, body = request(url + f"api/curation/decisions?iri={J_BIDEN}")
        (row,) = json.loads(body)["decisions"]
        assert row["summary"] == "merge J. Biden into Joe Biden" and row["active"]
        status, body = request(url + "api/curation/undo", {"decision": row["id"], "why": "no"})
        assert status == 200 and json.loads(body)["focus"] == str(J_BIDEN)
        status, body = request(url + "api/curation/decisions")
        assert [(d["kind"], d["active"]) for d in json.loads(body)["decisions"]] == [
            ("undo", True),
            ("merge", False),
        ]


@pytest.mark.parametrize(
    ("body", "headers", "status", "words"),
    [
        (
            b"kind=delete",
            {"Content-Type": "application/x-www-form-urlencoded"},
            415,
            "application/json",
        ),
        ({"kind": "delete", "entity": "x"}, {"Origin": "http://evil.example"}, 403, "own pages"),
        (b"{not json", {}, 400, "not JSON"),
        ({"kind": "explode"}, {}, 400, "unknown decision kind"),
        (
            {"kind": "delete", "entity": "person/nobody", "why": "x"},
            {},
            400,
            "no entity person/nobody",
        ),
        ({"kind": "merge", "survivor": str(BIDEN), "merged": "oops"}, {}, 400, "not a list"),
    ],
)
def test_bad_requests_are_refused_with_one_line(graph, body, headers, status, words) -> None:
    with running(create_app(graph, ServeConfig(edit=True))) as url:
        got, answer = request(url + "api/curation/decide", body, headers=headers)
    assert got == status
    message = json.loads(answer)["error"]
    assert words in message and "\n" not in message
    assert graph.curate.decisions() == []


def test_the_sparql_endpoint_stays_read_only_in_edit_mode(graph: KnowledgeGraph) -> None:
    update = f"DELETE WHERE {{ <{BIDEN}> ?p ?o }}".encode()
    with running(create_app(graph, ServeConfig(edit=True))) as url:
        status, _ = request(
            url + "sparql", update, headers={"Content-Type": "application/sparql-update"}
        )
    assert status == 403
    assert graph.find("Joe Biden")
