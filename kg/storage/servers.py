"""What kg needs to know about a SPARQL server: one :class:`ServerProfile` per kind.

Servers differ in ways that change what a client must send (measured on Virtuoso 7.2.5
and Oxigraph 0.5; see docs/architecture.md, "Remote servers"):

- whether one update request with several operations is one transaction;
- how large one operation and one request may be;
- whether IRIs come back intact.

The kind is detected from the ``Server`` header of the server's first answer, or given
(``kind``): ``virtuoso``, ``oxigraph``, ``fuseki`` or ``generic``. Only Virtuoso and
Oxigraph server are tested; the others get cautious settings.

    >>> detect_kind({"Server": "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"})
    'virtuoso'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kg.errors import ParameterError


@dataclass(frozen=True)
class ServerProfile:
    """How to talk to one kind of SPARQL server."""

    kind: str
    #: Covered by kg's tests (the README lists the others as untested).
    tested: bool
    #: One update request with several operations is applied all or nothing.
    atomic_requests: bool
    #: At most this many triples in one INSERT DATA operation (None: no limit known).
    max_operation_triples: int | None = None
    #: At most this many bytes of update text in one request (None: no limit known).
    max_request_bytes: int | None = None
    #: IRIs longer than this are not kept intact (None: no limit known).
    max_iri_length: int | None = None

    def describe(self) -> str:
        return self.kind if self.tested else f"{self.kind} (untested)"


PROFILES: dict[str, ServerProfile] = {
    # Virtuoso 7.2: a request runs its operations one by one (a failure leaves the
    # earlier ones applied); an INSERT DATA of ~5,000 triples exhausts the SPARQL
    # compiler's memory; requests over 10 MB are refused; IRIs over ~1,880 characters
    # come back cut to 1,879.
    "virtuoso": ServerProfile(
        "virtuoso",
        tested=True,
        atomic_requests=False,
        max_operation_triples=4_000,
        max_request_bytes=5_000_000,
        max_iri_length=1_879,
    ),
    # Oxigraph server 0.5: one request is one transaction; a 17 MB request is accepted.
    "oxigraph": ServerProfile("oxigraph", tested=True, atomic_requests=True),
    # Apache Jena Fuseki (TDB2 runs an update request in one transaction): not tested.
    "fuseki": ServerProfile("fuseki", tested=False, atomic_requests=True),
    # Anything else: assume requests are not atomic, and keep them moderate.
    "generic": ServerProfile(
        "generic",
        tested=False,
        atomic_requests=False,
        max_operation_triples=4_000,
        max_request_bytes=5_000_000,
    ),
}

SERVER_KINDS = tuple(PROFILES)


def detect_kind(headers: Mapping[str, str]) -> str:
    """The server kind its HTTP response headers name (``generic`` when none does)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    server = lowered.get("server", "").lower()
    if "virtuoso" in server:
        return "virtuoso"
    if "oxigraph" in server:
        return "oxigraph"
    if "fuseki" in server or "fuseki-request-id" in lowered:
        return "fuseki"
    return "generic"


def server_profile(kind: str | None, headers: Mapping[str, str]) -> ServerProfile:
    """The profile of ``kind``, or of the kind ``headers`` name when ``kind`` is None."""
    if kind is None:
        return PROFILES[detect_kind(headers)]
    if kind not in PROFILES:
        raise ParameterError("server_kind", kind, f"valid kinds: {', '.join(SERVER_KINDS)}")
    return PROFILES[kind]
