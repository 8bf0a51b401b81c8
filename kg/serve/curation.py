"""Curation from the explorer (``kg serve --edit`` only): decide, undo, see the history.

    GET  /api/curation/decisions[?iri=ENTITY]   the history (of one entity)
    POST /api/curation/decide                    {"kind": "merge", "survivor": ..., "merged": [...], "why": ...}
    POST /api/curation/undo                      {"decision": ID, "why": ...}

Writes are JSON POSTs from this server's own pages: another site's page can send
neither that content type without asking first nor an ``Origin`` of this server. Each
decision runs with the graph lock held, then the explorer's data is rebuilt (and a graph
file rewritten). The SPARQL endpoint stays read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.errors import KGError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

#: Largest request body accepted, in bytes.
MAX_BODY = 20_000


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        Route("/api/curation/decisions", decisions),
        Route("/api/curation/decide", decide, methods=["POST"]),
        Route("/api/curation/undo", undo, methods=["POST"]),
    ]


def _json(data: Any, status: int = 200) -> Response:
    from starlette.responses import JSONResponse

    return JSONResponse(data, status_code=status, headers={"cache-control": "no-store"})


async def decisions(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    iri = request.query_params.get("iri") or None
    try:
        rows = await run_in_threadpool(_history, request, iri)
    except KGError as exc:
        return _json({"error": str(exc)}, 400)
    return _json({"decisions": rows})


async def decide(request: Request) -> Response:
    return await _write(request, _decide)


async def undo(request: Request) -> Response:
    return await _write(request, _undo)


async def _write(request: Request, action: Any) -> Response:
    from starlette.concurrency import run_in_threadpool

    problem = _refused(request)
    if problem is not None:
        return _json({"error": problem[1]}, problem[0])
    body = await request.body()
    if len(body) > MAX_BODY:
        return _json({"error": f"request body too large: more than {MAX_BODY:,} bytes"}, 413)
    try:
        import json

        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _json({"error": "the body is not JSON"}, 400)
    if not isinstance(payload, dict):
        return _json({"error": "the body is not a JSON object"}, 400)
    try:
        result = await run_in_threadpool(_locked, request, action, payload)
    except KGError as exc:
        return _json({"error": " ".join(str(exc).split())}, 400)
    return _json(result)


def _refused(request: Request) -> tuple[int, str] | None:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        return 415, "send the decision as application/json"
    origin = request.headers.get("origin")
    if origin is not None:
        from urllib.parse import urlsplit

        host = request.headers.get("host", "")
        if urlsplit(origin).netloc.lower() != host.lower():
            return 403, "decisions are accepted from this server's own pages only"
    return None


def _locked(request: Request, action: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """Run ``action`` with the graph lock held, then rebuild the explorer's data."""
    state = request.app.state

    def work() -> dict[str, Any]:
        from kg.serve.explore import Explorer

        graph = state.runner.graph
        result: dict[str, Any] = action(graph, payload)
        config = state.config
        if config.save_to is not None:
            graph.save(config.save_to)
        state.explorer = Explorer(graph, state.runner)
        return result

    return state.runner.exclusive(work)


def _text(payload: dict[str, Any], name: str, required: bool = True) -> str:
    value = payload.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise KGError(f"{name!r} is missing or not a string")
    return value


def _texts(payload: dict[str, Any], name: str) -> list[str]:
    value = payload.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KGError(f"{name!r} is not a list of strings")
    return value


def _decide(graph: Any, payload: dict[str, Any]) -> dict[str, Any]:
    from rdflib import Literal

    curate = graph.curate
    kind = _text(payload, "kind")
    why = _text(payload, "why", required=False)
    user = payload.get("user") if isinstance(payload.get("user"), str) else None
    if kind == "merge":
        decision = curate.merge(
            _text(payload, "survivor"), *_texts(payload, "merged"), why=why, user=user
        )
        focus = decision.survivor
    elif kind == "split":
        decision = curate.split(
            _text(payload, "entity"),
            label=_text(payload, "label"),
            type=payload.get("type") or None,
            documents=_texts(payload, "documents"),
            aliases=_texts(payload, "aliases"),
            why=why,
            user=user,
        )
        focus = decision.entity if decision.entity is not None else decision.new_entity
    elif kind == "rename":
        decision = curate.rename(
            _text(payload, "entity"), _text(payload, "label"), why=why, user=user
        )
        focus = decision.entity
    elif kind == "retype":
        decision = curate.retype(
            _text(payload, "entity"), _text(payload, "type"), why=why, user=user
        )
        focus = decision.new_entity
    elif kind == "delete":
        decision = curate.delete(_text(payload, "entity"), why=why, user=user)
        focus = None
    elif kind in ("reject", "assert"):
        obj: Any = _text(payload, "object")
        if payload.get("literal") is True:
            obj = Literal(obj)
        subject, predicate = _text(payload, "subject"), _text(payload, "predicate")
        if kind == "reject":
            decision = curate.reject(
                subject,
                predicate,
                obj,
                why=why,
                user=user,
                allow_restated=payload.get("allow_restated") is True,
            )
        else:
            decision = curate.assert_fact(subject, predicate, obj, why=why, user=user)
        focus = decision.fact.subject
    else:
        raise KGError(
            f"unknown decision kind {kind!r} (valid: merge, split, rename, retype, delete, reject, assert)"
        )
    return {"decision": _row(decision, True, None, lambda iri: str(iri)), "focus": _str(focus)}


def _undo(graph: Any, payload: dict[str, Any]) -> dict[str, Any]:
    decisions = {d.id: d for d in graph.curate.decisions()}
    target = decisions.get(_text(payload, "decision").rsplit("/", 1)[-1])
    decision = graph.curate.undo(
        _text(payload, "decision"),
        why=_text(payload, "why", required=False),
        user=payload.get("user") if isinstance(payload.get("user"), str) else None,
    )
    focus = None
    if target is not None:
        from kg.rdf.namespace import ENTITIES_GRAPH

        candidates = [*target.merged, *sorted(target.entities(), key=str)]
        ask = f"ASK {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e a ?type }} }}"
        focus = next((str(e) for e in candidates if graph.query(ask, {"e": e}).boolean), None)
    return {"decision": _row(decision, True, None, lambda iri: str(iri)), "focus": focus}


def _history(request: Request, iri: str | None) -> list[dict[str, Any]]:
    state = request.app.state
    explorer = state.explorer

    def label(node: Any) -> str:
        from kg.curate.model import short_name

        text = str(node)
        if text in explorer.network:
            return str(explorer.network.nodes[text].get("label") or short_name(node))
        return short_name(node)

    def work() -> list[dict[str, Any]]:
        statuses = state.runner.graph.curate.statuses()
        wanted = explorer.resolve(iri) if iri else None
        rows = []
        for status in reversed(statuses):  # newest first
            named = {str(e) for e in status.decision.entities()}
            if iri is not None and iri not in named and wanted not in named:
                continue
            rows.append(_row(status.decision, status.active, status.problem, label))
        return rows

    return state.runner.exclusive(work)


def _row(decision: Any, active: bool, problem: str | None, label: Any) -> dict[str, Any]:
    return {
        "id": decision.id,
        "iri": str(decision.iri),
        "kind": decision.kind,
        "summary": decision.label or decision.summary(label),
        "curator": decision.curator,
        "created": decision.created.isoformat(),
        "reason": decision.reason,
        "active": active,
        "problem": problem,
        "undoes": decision.undoes.rsplit("/", 1)[-1] if decision.undoes else None,
    }


def _str(node: Any) -> str | None:
    return str(node) if node is not None else None
