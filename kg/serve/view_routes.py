"""Routes of the explorer's views: the timeline, and documents with their entities marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.errors import QueryError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute


def view_routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        Route("/document/{doc_id:path}", document_page),
        Route("/api/timeline", api_timeline),
    ]


async def api_timeline(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    from kg.serve.routes import _json, _status
    from kg.serve.timeline import timeline

    state = request.app.state
    try:
        if getattr(state, "timeline", None) is None:
            state.timeline = await run_in_threadpool(timeline, state.explorer)
    except QueryError as exc:
        return _json({"error": str(exc)}, _status(exc))
    return _json(state.timeline)


async def document_page(request: Request) -> Response:
    """The document's text with its entity mentions marked; ``?at=N`` marks a sentence."""
    from starlette.concurrency import run_in_threadpool

    from kg.serve.document_view import marked_document
    from kg.serve.routes import _is_web_url, _page, _status

    doc_id = request.path_params["doc_id"]
    try:
        at = int(request.query_params.get("at", ""))
    except ValueError:
        at = None
    try:
        document = await run_in_threadpool(marked_document, request.app.state.explorer, doc_id, at)
    except QueryError as exc:
        return _page(request, "error.html", status=_status(exc), page="document", message=str(exc))
    if document is None:
        return _page(
            request,
            "error.html",
            status=404,
            page="document",
            message=f"no document {doc_id!r} in this graph",
        )
    url = document["url"] if _is_web_url(document["url"]) else None
    return _page(request, "document.html", page="document", document=document, web_url=url)
