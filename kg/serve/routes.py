"""HTTP routes: the pages, the explorer's JSON API, the SPARQL endpoint, static files."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from kg.errors import KGError, QueryError, QueryLimitError, QueryRefusedError

if TYPE_CHECKING:
    import jinja2
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from kg.sparql.run import QueryDataset

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEXT = "text/plain; charset=utf-8"


def routes() -> list[BaseRoute]:
    from starlette.routing import Mount, Route

    from kg.serve.view_routes import view_routes

    return [
        Route("/", explorer_page),
        Route("/query", query_page),
        *view_routes(),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/api/search", api_search),
        Route("/api/overview", api_overview),
        Route("/api/neighbourhood", api_neighbourhood),
        Route("/api/entity", api_entity),
        Route("/api/facets", api_facets),
        Route("/api/examples", api_examples),
        Route("/static/vis/vis-network.min.js", vis_js),
        Route("/static/vis/vis-network.css", vis_css),
        Mount("/static", app=static_files(), name="static"),
    ]


def static_files() -> Any:
    """The files of ``static/``; a path with a control character (``%00``) is not found."""
    from starlette.staticfiles import StaticFiles

    class Static(StaticFiles):
        def lookup_path(self, path: str) -> tuple[str, Any]:
            if any(ord(c) < 0x20 or c == "\x7f" for c in path):
                return "", None
            return super().lookup_path(path)

    return Static(directory=STATIC)


# --- pages ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    from starlette.responses import HTMLResponse

    config = request.app.state.config
    html = (
        _templates()
        .get_template(name)
        .render(title=config.title, edit=getattr(config, "edit", False), **context)
    )
    return HTMLResponse(html, status_code=status)


async def explorer_page(request: Request) -> Response:
    return _page(request, "explorer.html", page="explorer")


async def query_page(request: Request) -> Response:
    return _page(request, "query.html", page="query")


def _is_web_url(value: str | None) -> bool:
    return value is not None and value.lower().startswith(("https://", "http://"))


# --- JSON API ---------------------------------------------------------------------------------


def _json(data: Any, status: int = 200) -> Response:
    from starlette.responses import JSONResponse

    return JSONResponse(data, status_code=status, headers={"cache-control": "no-store"})


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.query_params.get(name, default))
    except ValueError:
        return default
    return max(low, min(high, value))


async def api_search(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    text = request.query_params.get("q", "")[:200]
    limit = _int_param(request, "limit", 20, 1, 100)
    found = await run_in_threadpool(request.app.state.explorer.search, text, limit)
    return _json({"query": text, "results": found})


async def api_overview(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    quotes = request.query_params.get("quotes") == "1"
    return _json(await run_in_threadpool(request.app.state.explorer.overview, quotes=quotes))


async def api_neighbourhood(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    iris = request.query_params.getlist("iri")[:50]
    hops = _int_param(request, "hops", 1, 0, 3)
    quotes = request.query_params.get("quotes") == "1"
    data = await run_in_threadpool(
        request.app.state.explorer.neighbourhood, iris, hops, quotes=quotes
    )
    return _json(data)


async def api_entity(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    iri = request.query_params.get("iri", "")
    try:
        card = await run_in_threadpool(request.app.state.explorer.entity, iri)
    except QueryError as exc:
        return _json({"error": str(exc)}, _status(exc))
    if card is None:
        return _json({"error": f"no entity {iri!r} in this graph"}, 404)
    from kg.serve.quotes import speaker_quotes

    card |= await run_in_threadpool(speaker_quotes, request.app.state.runner, iri)
    return _json(card)


async def api_facets(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    from kg.network.html import load_styles

    styles = load_styles()
    data = await run_in_threadpool(request.app.state.explorer.facets) | {
        "title": request.app.state.config.title,
        "styles": {"types": styles["types"], "other": styles["other"]},
    }
    return _json(data)


async def api_examples(request: Request) -> Response:
    from kg.rdf.namespace import PREFIXES
    from kg.sparql.run import example_queries

    examples = [
        {"name": name, "summary": _summary(text), "query": text}
        for name, text in example_queries().items()
    ]
    return _json({"examples": examples, "prefixes": PREFIXES})


def _summary(text: str) -> str:
    return next(
        (line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), ""
    )


# --- SPARQL 1.1 Protocol ----------------------------------------------------------------------


class ProtocolError(Exception):
    """A request the endpoint answers with an HTTP error (status, one-line message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def sparql(request: Request) -> Response:
    """``/sparql``: query via GET or POST (form or ``application/sparql-query`` body).

    ``default-graph-uri``/``named-graph-uri`` pick the dataset among the store's own
    graphs; relative IRIs resolve against the endpoint's URL; the answer's format comes
    from ``format``/``output`` or ``Accept`` (:mod:`kg.serve.protocol`).
    """
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    from kg.serve import protocol
    from kg.sparql.guard import check_query

    config = request.app.state.config
    try:
        query, params = await _read_query(request, config.max_query_bytes)
        if query is None:
            return _service_description(request)
        check_query(query, allow_service=config.allow_service)
        base = str(request.url.replace(query="", fragment=""))
        result = await run_in_threadpool(
            request.app.state.runner.query, query, dataset=_dataset(params), base=base
        )
        formats = [v for name, v in params if name in FORMAT_NAMES]
        media = protocol.choose_type(result, request.headers.get("accept"), formats)
        if media is None and "text/html" in request.headers.get("accept", ""):
            media = protocol.offered(result)[0]  # a browser: answer with the default
        if media is None:
            raise ProtocolError(
                406,
                f"cannot answer in the formats asked for; available: {', '.join(protocol.offered(result))}",
            )
        body = await run_in_threadpool(protocol.serialize, result, media)
    except ProtocolError as exc:
        return _error(exc.status, str(exc))
    except KGError as exc:
        return _error(_status(exc), str(exc))
    return Response(
        body, media_type=f"{media}; charset=utf-8", headers={"cache-control": "no-store"}
    )


#: Parameters that name the answer's format (SPARQLWrapper sends both, some servers one).
FORMAT_NAMES = ("format", "output")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")


def _dataset(params: list[tuple[str, str]]) -> QueryDataset | None:
    """The protocol's dataset: ``default-graph-uri`` and ``named-graph-uri`` values, if any."""
    from kg.sparql.run import QueryDataset

    default = [v for name, v in params if name == "default-graph-uri"]
    named = [v for name, v in params if name == "named-graph-uri"]
    if not default and not named:
        return None
    for value in (*default, *named):
        if not _IRI.fullmatch(value):
            raise ProtocolError(400, f"not an absolute IRI for a graph: {value[:200]!r}")
    return QueryDataset(tuple(dict.fromkeys(default)), tuple(dict.fromkeys(named)))


async def _read_query(request: Request, limit: int) -> tuple[str | None, list[tuple[str, str]]]:
    """The query text and the other parameters (in order), per the SPARQL 1.1 Protocol.

    Parameters are decoded strictly: percent-escapes that are not UTF-8 are a 400,
    never replaced.
    """
    pairs = _parse_pairs(request.scope.get("query_string", b""), "the URL's query string")
    body_query: str | None = None
    if request.method == "POST":
        kind, charset = _content_type(request.headers.get("content-type", ""))
        if charset not in (None, "utf-8", "utf8"):
            raise ProtocolError(400, f"the request body must be UTF-8, not {charset}")
        body = await _read_body(request, limit)
        if kind == "application/x-www-form-urlencoded":
            pairs += _parse_pairs(body, "the form body")
        elif kind == "application/sparql-query":
            body_query = _decode(body)
        elif kind == "application/sparql-update":
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
        else:
            raise ProtocolError(
                415,
                f"unsupported content type {kind or '(none)'!r}; send "
                "application/x-www-form-urlencoded or application/sparql-query",
            )
    names = [name for name, _ in pairs]
    if "update" in names:
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
    queries = [value for name, value in pairs if name == "query"]
    if body_query is not None:
        queries.append(body_query)
    if len(queries) > 1:
        raise ProtocolError(400, "give one query, not several")
    params = [(name, value) for name, value in pairs if name != "query"]
    if not queries:
        if request.method == "POST":
            raise ProtocolError(400, "no query: send it as the 'query' parameter or as the body")
        return None, params
    if len(queries[0].encode("utf-8", "surrogatepass")) > limit:
        raise ProtocolError(413, f"query too long: more than {limit:,} bytes")
    if not queries[0].strip():
        raise ProtocolError(400, "the query is empty")
    return queries[0], params


def _parse_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    """``name=value`` pairs of a query string or form body; anything but UTF-8 is a 400."""
    try:
        text = raw.decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            400, f"{where} is not UTF-8 (byte 0x{exc.object[exc.start]:02X} after percent-decoding)"
        ) from exc


def _content_type(header: str) -> tuple[str, str | None]:
    """A Content-Type's media type and charset (lower case; None when not given)."""
    kind, *params = [part.strip() for part in header.split(";")]
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.lower(), charset


async def _read_body(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body too large: more than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, "the request body is not UTF-8") from exc


def _status(exc: KGError) -> int:
    if isinstance(exc, QueryRefusedError):
        return 403
    if isinstance(exc, QueryLimitError):
        return 503 if getattr(exc, "limit", "") in ("time", "memory") else 400
    return 400 if isinstance(exc, QueryError) else 500


def _error(status: int, message: str) -> Response:
    from starlette.responses import PlainTextResponse

    line = " ".join(message.split())
    return PlainTextResponse(
        f"kg: error: {line}\n", status_code=status, headers={"cache-control": "no-store"}
    )


def _service_description(request: Request) -> Response:
    """A GET without a query: SPARQL service description (Turtle) or a help page."""
    from starlette.responses import Response

    from kg.serve.protocol import negotiate

    accept = request.headers.get("accept")
    if negotiate(accept, ["text/html", "text/turtle"]) == "text/turtle":
        body = _description(str(request.url.replace(query="", fragment="")))
        return Response(body, media_type="text/turtle; charset=utf-8")
    return _page(request, "sparql.html", page="sparql")


def _description(endpoint: str) -> str:
    """The SPARQL 1.1 Service Description of this endpoint, as Turtle."""
    from rdflib import RDF, BNode, Graph, Namespace, URIRef

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("format", formats)
    service = BNode()
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, URIRef(endpoint)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "JSON-LD",
        "N-Triples",
        "RDF_XML",
    ):
        graph.add((service, sd.resultFormat, formats[name]))
    graph.add((service, sd.feature, sd.UnionDefaultGraph))
    return graph.serialize(format="turtle")


# --- vis-network, from the installed pyvis -----------------------------------------------------


async def vis_js(request: Request) -> Response:
    from starlette.responses import Response

    from kg.network.html import vis_assets

    return Response(vis_assets()[0], media_type="text/javascript; charset=utf-8", headers=_cached())


async def vis_css(request: Request) -> Response:
    from starlette.responses import Response

    from kg.network.html import vis_assets

    return Response(vis_assets()[1], media_type="text/css; charset=utf-8", headers=_cached())


def _cached() -> dict[str, str]:
    return {"cache-control": "public, max-age=86400"}
