"""Regenerate the ``KG`` class in kg/rdf/namespace.py from ontology/kg.ttl.

Usage::

    python tools/gen_namespace.py           # rewrite the generated block in place
    python tools/gen_namespace.py --check   # exit 1 if the block is out of date

Only the text between the ``# BEGIN GENERATED`` and ``# END GENERATED`` markers
is replaced; the rest of the module is written by hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "kg.ttl"
MODULE = ROOT / "kg" / "rdf" / "namespace.py"
NAMESPACE = "https://example.org/kg/ontology#"
BEGIN = "# BEGIN GENERATED"
END = "# END GENERATED"

#: Declaration type → heading in the generated class, in output order.
KINDS: dict[URIRef, str] = {
    OWL.Class: "classes",
    OWL.ObjectProperty: "object properties",
    OWL.DatatypeProperty: "datatype properties",
    OWL.AnnotationProperty: "annotation properties",
}


def declared_terms(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    """Heading → sorted (local name, label) of every term the ontology declares."""
    out: dict[str, list[tuple[str, str]]] = {}
    for kind, heading in KINDS.items():
        terms = []
        for subject in set(graph.subjects(RDF.type, kind)):
            if isinstance(subject, URIRef) and str(subject).startswith(NAMESPACE):
                label = graph.value(subject, RDFS.label)
                terms.append((str(subject)[len(NAMESPACE) :], str(label or "")))
        if terms:
            out[heading] = sorted(terms)
    return out


def render(graph: Graph) -> str:
    """The generated block, markers included."""
    version = graph.value(URIRef(NAMESPACE.rstrip("#")), OWL.versionInfo)
    lines = [
        f"{BEGIN} by tools/gen_namespace.py from ontology/kg.ttl; do not edit by hand.",
        "class KG(DefinedNamespace):",
        f'    """The kg ontology (ontology/kg.ttl), version {version}."""',
        "",
        "    _fail = True",
        f'    _NS = Namespace("{NAMESPACE}")',
    ]
    for heading, terms in declared_terms(graph).items():
        lines += ["", f"    # {heading}"]
        lines += [f"    {name}: URIRef  # {label}" for name, label in terms]
    lines += ["", "", END]
    return "\n".join(lines)


def splice(module_text: str, block: str) -> str:
    """Replace the marked block of ``module_text`` with ``block``."""
    start = module_text.index(BEGIN)
    end = module_text.index(END, start) + len(END)
    return module_text[:start] + block + module_text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether it is stale")
    args = parser.parse_args(argv)
    graph = Graph().parse(ONTOLOGY, format="turtle")
    current = MODULE.read_text(encoding="utf-8")
    updated = splice(current, render(graph))
    if args.check:
        if updated != current:
            print(f"{MODULE} is out of date: run python tools/gen_namespace.py", file=sys.stderr)
            return 1
        return 0
    if updated != current:
        MODULE.write_text(updated, encoding="utf-8")
        print(f"rewrote {MODULE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
