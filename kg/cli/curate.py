"""`kg curate`: correct the graph (merge, split, rename, retype, delete, reject, assert),
undo, list, export and import decisions. Each command wraps a ``graph.curate`` method."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from kg.cli.common import (
    EndpointOption,
    StoreOption,
    UpdateEndpointOption,
    console,
    handle_errors,
    open_graph,
    stdout,
    warning,
)

app = typer.Typer(
    name="curate",
    help="Correct the graph; decisions are kept with who, when and why, and survive rebuilds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

GraphOption = Annotated[
    Path | None,
    typer.Option(
        "--graph",
        "-g",
        help="A graph file to rewrite in place (.trig or .nq: curation needs named graphs) or a store directory",
        readable=False,
    ),
]
WhyOption = Annotated[str, typer.Option("--why", help="Why (kept with the decision)")]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user", help="Who decides (default: KG_USER, the kg config file, the login name)"
    ),
]
ENTITY_HELP = (
    "An entity: IRI, key (person/joe-biden), prefixed name (person:joe-biden) or a unique name"
)


@contextmanager
def _curated(
    graph: Path | None,
    store: Path | None,
    endpoint: str | None,
    update_endpoint: str | None,
    *,
    write: bool = True,
) -> Iterator[Any]:
    """The graph to curate; a graph file is checked first and rewritten after a change."""
    from kg.errors import CurationError
    from kg.rdf.files import QUAD_FORMATS, format_for
    from kg.storage.oxigraph import is_store_directory

    is_file = graph is not None and not graph.is_dir() and not is_store_directory(graph)
    if is_file and format_for(graph) not in QUAD_FORMATS:  # type: ignore[arg-type]
        raise CurationError(
            f"{graph}: curation needs the named graphs of a .trig or .nq file, or a store "
            "(build with -o graph.trig)"
        )
    knowledge = open_graph(graph, store, endpoint, update_endpoint)
    try:
        yield knowledge
        if write and is_file and graph is not None:
            knowledge.save(graph)
    finally:
        knowledge.close()


def _done(knowledge: Any, decision: Any) -> None:
    console.print(
        f"kg: {decision.kind} decided ({decision.id}): {decision.title}; "
        f"{knowledge.entity_count()} entities, {len(knowledge)} triples",
        markup=False,
    )


@app.command("merge")
@handle_errors
def merge(
    survivor: Annotated[str, typer.Argument(help="The entity that stays. " + ENTITY_HELP)],
    merged: Annotated[list[str], typer.Argument(help="Entities that are the same thing")],
    why: WhyOption = ...,  # type: ignore[assignment]
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    user: UserOption = None,
) -> None:
    """Merge entities into one: their facts and names move to SURVIVOR (owl:sameAs keeps their IRIs).

    Example: kg curate merge person/joe-biden person/biden --why "the same man" --store kg-store/
    """
    with _curated(graph, store, endpoint, update_endpoint) as knowledge:
        _done(knowledge, knowledge.curate.merge(survivor, *merged, why=why, user=user))


@app.command("split")
@handle_errors
def split(
    entity: Annotated[str, typer.Argument(help=ENTITY_HELP)],
    label: Annotated[str, typer.Option("--label", help="The other entity's name")],
    why: WhyOption = ...,  # type: ignore[assignment]
    type: Annotated[
        str | None, typer.Option("--type", help="Its type (default: the entity's)")
    ] = None,
    document: Annotated[
        list[str] | None,
        typer.Option("--document", help="A document (id) whose mentions belong to it; repeat"),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option(
            "--alias",
            help="A name that belongs to it: documents naming the entity only so move; repeat",
        ),
    ] = None,
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    user: UserOption = None,
) -> None:
    """Split a false merge: what some documents (or some names) say belongs to another entity.

    Example: kg curate split person/tony-blair --alias Blair --document 0a1b2c --label "Cherie Blair" --why "his wife" -g graph.trig
    """
    with _curated(graph, store, endpoint, update_endpoint) as knowledge:
        decision = knowledge.curate.split(
            entity,
            label=label,
            type=type,
            documents=document or (),
            aliases=alias or (),
            why=why,
            user=user,
        )
        _done(knowledge, decision)


@app.command("rename")
@handle_errors
def rename(
    entity: Annotated[str, typer.Argument(help=ENTITY_HELP)],
    label: Annotated[str, typer.Argument(help="The canonical name")],
    why: WhyOption = ...,  # type: ignore[assignment]
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    user: UserOption = None,
) -> None:
    """Choose an entity's canonical label (the old one stays an alias).

    Example: kg curate rename "Radoskaw Sikorski" "Radosław Sikorski" --why "spelling" -g graph.trig
    """
    with _curated(graph, store, endpoint, update_endpoint) as knowledge:
        _done(knowledge, knowledge.curate.rename(entity, label, why=why, user=user))


@app.command("retype")
@handle_errors
def retype(
    entity: Annotated[str, typer.Argument(help=ENTITY_HELP)],
    type: Annotated[str, typer.Argument(help="Person, Organization, Location or Event")],
    why: WhyOption = ...,  # type: ignore[assignment]
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    user: UserOption = None,
) -> None:
    """Give an entity another type (it takes the IRI of its name under that type).

    Example: kg curate retype location/g7 Organization --why "a group of states" -g graph.trig
    """
    with _curated(graph, store, endpoint, update_endpoint) as knowledge:
        _done(knowledge, knowledge.curate.retype(entity, type, why=why, user=user))


@app.command("delete")
@handle_errors
def delete(
    entity: Annotated[str, typer.Argument(help=ENTITY_HELP)],
    why: WhyOption = ...,  # type: ignore[assignment]
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    user: UserOption = None,
) -> None:
    """Delete an entity and its facts (their evidence stays, marked rejected).

    Example: kg curate delete organization/ex-us --why "not an organization" -g graph.trig
    """
    with _curated(graph, store, endpoint, update_endpoint) as knowledge:
        _done(knowledge, knowledge.curate.delete(entity, why=why, user=user))


@app.command("reject")
@handle_errors
def reject(
    subject: Annotated[str, typer.Argument(help=ENTITY_HELP)],
    predicate: Annotated[str, typer.Argument(help="leaderOf, kg:leaderOf, rel:meet or an IRI")],
    obj: Annotated[str, typer.Argument(metavar="OBJECT", help="An entity, or a value (a role)")],
    why: WhyOption = ...,  # type: ignore[assignment]
    allow_restated: Annotated[
        bool,
        typer.Option(
            "--allow-restated",
            help="A document that states the fact again brings it back (default: it stays rejected)",
        ),
    ] = False,
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    user: UserOption = None,
) -> None:
    """Reject a wrong fact: out of the graph and queries, its evidence kept and marked rejected.

    Example: kg curate reject person/donald-trump leaderOf organization/ex-us --why "misread" -g graph.trig
    """
    with _curated(graph, store, endpoint, update_endpoint) as knowledge:
        decision = knowledge.curate.reject(
            subject, predicate, obj, why=why, user=user, allow_restated=allow_restated
        )
        _done(knowledge, decision)


@app.command("assert")
@handle_errors
def assert_(
    subject: Annotated[str, typer.Argument(help=ENTITY_HELP)],
    predicate: Annotated[str, typer.Argument(help="leaderOf, kg:leaderOf, rel:meet or an IRI")],
    obj: Annotated[str, typer.Argument(metavar="OBJECT", help="An entity, or a value (a role)")],
    why: WhyOption = ...,  # type: ignore[assignment]
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    user: UserOption = None,
) -> None:
    """Assert a fact by hand (you are its source).

    Example: kg curate assert person/jens-stoltenberg role "Secretary General" --why "his title" -g graph.trig
    """
    with _curated(graph, store, endpoint, update_endpoint) as knowledge:
        _done(knowledge, knowledge.curate.assert_fact(subject, predicate, obj, why=why, user=user))


@app.command("undo")
@handle_errors
def undo(
    decision: Annotated[str, typer.Argument(help="The decision's id (kg curate list) or IRI")],
    why: WhyOption = ...,  # type: ignore[assignment]
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
    user: UserOption = None,
) -> None:
    """Take a decision back (the graph is as if it had not been made; an undo can be undone).

    Example: kg curate undo 3f2a9c0d1e2b4a5f --why "they are two people" -g graph.trig
    """
    with _curated(graph, store, endpoint, update_endpoint) as knowledge:
        _done(knowledge, knowledge.curate.undo(decision, why=why, user=user))


@app.command("list")
@handle_errors
def list_(
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """List the decisions, oldest first: in force, undone, or no longer applying (and why).

    Example: kg curate list --store kg-store/
    """
    with _curated(graph, store, endpoint, None, write=False) as knowledge:
        statuses = knowledge.curate.statuses()
    rows = [
        {
            "id": s.decision.id,
            "iri": str(s.decision.iri),
            "kind": s.decision.kind,
            "created": s.decision.created.isoformat(),
            "curator": s.decision.curator,
            "reason": s.decision.reason,
            "summary": s.decision.title,
            "status": "undone" if not s.active else ("not applying" if s.problem else "in force"),
            "problem": s.problem,
        }
        for s in statuses
    ]
    if as_json:
        stdout.print(json.dumps(rows, indent=2, ensure_ascii=False), markup=False)
        return
    if not rows:
        console.print("kg: no decisions", markup=False)
    for row in rows:
        when = row["created"][:19].replace("T", " ")
        status = row["status"] + (f": {row['problem']}" if row["problem"] else "")
        why = f"  — {row['reason']}" if row["reason"] else ""
        stdout.print(
            f"{row['id']}  {when}  {row['curator']:12} {status:10}  {row['summary']}{why}",
            markup=False,
        )


@app.command("export")
@handle_errors
def export(
    path: Annotated[Path, typer.Argument(help="The decisions file to write (Turtle)")],
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Write every decision to a Turtle file, one block each, to share and review.

    Example: kg curate export decisions.ttl --store kg-store/
    """
    with _curated(graph, store, endpoint, None, write=False) as knowledge:
        count = len(knowledge.curate.decisions())
        knowledge.curate.export(path)
    console.print(f"kg: {count} decision(s) → {path}", markup=False)


@app.command("import")
@handle_errors
def import_(
    path: Annotated[Path, typer.Argument(help="A decisions file (kg curate export)")],
    graph: GraphOption = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    update_endpoint: UpdateEndpointOption = None,
) -> None:
    """Add the decisions of a file and apply them (those already here are left alone).

    Example: kg curate import decisions.ttl --store kg-store/
    """
    with _curated(graph, store, endpoint, update_endpoint) as knowledge:
        report = knowledge.curate.import_file(path)
        for outcome in report.not_applying:
            warning(
                f"decision {outcome.decision.id} ({outcome.decision.title}) does not apply: {outcome.problem}"
            )
        console.print(
            f"kg: {report.added} decision(s) imported, {report.already} already here; "
            f"{knowledge.entity_count()} entities, {len(knowledge)} triples",
            markup=False,
        )
