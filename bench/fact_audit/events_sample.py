"""Fresh articles for judging events: each article, then every event node the graph
gives for it with its class, participants, place and dates.

    python bench/fact_audit/events_sample.py ../shared/data E1 36 > /tmp/events_E1.txt

Articles (three quarters BBC, a quarter Reuters, 150 to 700 words) are drawn with a seed
per sample name among those in no news gold split and not in
``bench/news_gold/looked_at.txt``; a sample judged already (``events-<name>.json`` here)
keeps its articles. Judgments go in ``events-<name>.json`` (see the README).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVENTS = """
SELECT ?id ?e ?label ?cls WHERE {
  ?doc a kg:Document ; dcterms:identifier ?id ; kg:mentions ?e .
  ?e a kg:Event ; a ?cls ; rdfs:label ?label .
}"""
OUT = """
SELECT ?id ?e ?p ?ol ?iso ?c WHERE {
  ?ev a kg:Evidence ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o ;
      kg:document ?doc ; kg:confidence ?c .
  ?doc dcterms:identifier ?id .
  ?e a kg:Event .
  VALUES ?p { kg:participant kg:locatedIn kg:date kg:startDate kg:endDate }
  OPTIONAL { ?o rdfs:label ?ol }
  OPTIONAL { ?o kg:isoValue ?iso }
}"""
IN = """
SELECT ?id ?e ?p ?ol ?iso ?c WHERE {
  ?ev a kg:Evidence ; rdf:subject ?o ; rdf:predicate ?p ; rdf:object ?e ;
      kg:document ?doc ; kg:confidence ?c .
  ?doc dcterms:identifier ?id .
  ?e a kg:Event .
  VALUES ?p { kg:participantIn }
  OPTIONAL { ?o rdfs:label ?ol }
  BIND(?nothing AS ?iso)
}"""


def draw(data: Path, sample: str, n: int) -> list[tuple[str, str, str | None]]:
    """``n`` fresh articles (see the module docstring): ``sample.py``'s draw, with this
    script's own judged file and seed."""
    from fact_audit_sample import fresh_articles  # type: ignore[import-not-found]

    return fresh_articles(  # type: ignore[no-any-return]
        data, sample, n, judged=HERE / f"events-{sample}.json", seed=f"events-{sample}"
    )


def main(data: Path, sample: str, n: int) -> None:
    from kg.documents import document_from_text
    from kg.graph import KnowledgeGraph

    articles = draw(data, sample, n)
    graph = KnowledgeGraph()
    graph.add_documents([document_from_text(t, id=i, date=d, source=i) for i, t, d in articles])
    events: dict[str, dict[str, tuple[str, set[str]]]] = {}
    for doc_id, e, label, cls in graph.query(EVENTS).rows:
        entry = events.setdefault(str(doc_id), {}).setdefault(str(e), (str(label), set()))
        entry[1].add(str(cls).rsplit("#", 1)[-1])
    facts: dict[tuple[str, str], set[str]] = {}
    rows = [*graph.query(OUT).rows, *graph.query(IN).rows]
    for doc_id, e, p, ol, iso, c in rows:
        value = str(iso) if iso is not None else str(ol)
        prop = str(p).rsplit("#", 1)[-1].replace("participantIn", "participant")
        facts.setdefault((str(doc_id), str(e)), set()).add(f"{prop} {value} ({float(str(c)):.2f})")
    for doc_id, text, date in articles:
        print(f"\n######## {doc_id} (date {date})\n{' '.join(text.split())}\n-------- events")
        for e, (label, classes) in sorted(events.get(doc_id, {}).items(), key=lambda x: x[1][0]):
            kinds = ",".join(sorted(classes - {"Event"})) or "Event"
            print(f"  [{kinds}] {label}")
            for fact in sorted(facts.get((doc_id, e), ())):
                print(f"      {fact}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    import importlib.util

    spec = importlib.util.spec_from_file_location("fact_audit_sample", HERE / "sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules["fact_audit_sample"] = module
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
