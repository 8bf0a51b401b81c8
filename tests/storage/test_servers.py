"""Server profiles: the kind read from response headers, or given."""

from __future__ import annotations

import pytest

from kg.errors import ParameterError
from kg.storage.servers import PROFILES, detect_kind, server_profile


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ({"Server": "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu  "}, "virtuoso"),
        ({"server": "Oxigraph/0.5.13"}, "oxigraph"),
        ({"Server": "Apache Jena Fuseki (5.1.0)"}, "fuseki"),
        ({"Fuseki-Request-Id": "12"}, "fuseki"),
        ({"Server": "nginx/1.24"}, "generic"),
        ({}, "generic"),
    ],
)
def test_the_kind_comes_from_the_headers(headers, kind):
    assert detect_kind(headers) == kind
    assert server_profile(None, headers) is PROFILES[kind]


def test_a_given_kind_wins_over_the_headers():
    assert server_profile("virtuoso", {"Server": "Oxigraph/0.5"}).kind == "virtuoso"


def test_an_unknown_kind_names_the_valid_ones():
    with pytest.raises(ParameterError, match="virtuoso, oxigraph, fuseki, generic"):
        server_profile("graphdb", {})


def test_only_the_tested_servers_say_so():
    assert {k for k, p in PROFILES.items() if p.tested} == {"virtuoso", "oxigraph"}
    assert PROFILES["fuseki"].describe() == "fuseki (untested)"
