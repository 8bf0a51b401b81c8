"""A small news corpus extracted by hand, for the curation tests.

Mentions and facts are written here as an extractor would give them (spaCy's rule
tests build ``Doc``s by hand the same way); the real resolver and RDF writer turn them
into a graph, so the tests need no model and run in the fast lane. The corpus holds
what curation is for:

* two fragments of one person: "Joe Biden" (d1) and "J. Biden" (d2);
* a false merge: "Tony Blair" (d3) and "Blair" in d4, who is Cherie Blair;
* a place typed as a place that is an organization: "GX" (d2), with a fact only a
  place can have ("Cornwall locatedIn GX");
* a wrong fact: "Joe Biden affiliatedWith NATO" (d1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from kg.documents import Document, document_from_text
from kg.model import Evidence, Extraction, Fact, Mention
from kg.rdf.namespace import ENTITY_BASE

TEXTS = {
    "d1": "Talks in Geneva\n\nJoe Biden met Vladimir Putin in Geneva. "
    "Biden joined NATO, officials said. President Vladimir Putin left.",
    "d2": "GX summit\n\nJ. Biden arrived at the GX summit in Cornwall. Cornwall hosts the GX this year.",
    "d3": "Tony Blair spoke\n\nTony Blair spoke in London. Blair said the talks went well.",
    "d4": "Gallery opens\n\nBlair opened a gallery in London on Monday.",
}


def iri(key: str) -> URIRef:
    return ENTITY_BASE[key]


@dataclass
class Text:
    """One document and what an extractor found in it."""

    doc_id: str
    text: str
    extraction: Extraction = field(init=False)

    def __post_init__(self) -> None:
        self.extraction = Extraction(doc_id=self.doc_id)

    @property
    def document(self) -> Document:
        return document_from_text(self.text, id=self.doc_id, source=f"{self.doc_id}.txt")

    def sentence(self, start: int) -> str:
        begin = max(self.text.rfind(". ", 0, start) + 2, self.text.rfind("\n", 0, start) + 1)
        end = self.text.find(".", start)
        return self.text[begin : end + 1 if end >= 0 else len(self.text)]

    def mention(self, name: str, type: str, occurrence: int = 0, **extra: object) -> Mention:
        start = -1
        for _ in range(occurrence + 1):
            start = self.text.index(name, start + 1)
        mention = Mention(
            doc_id=self.doc_id,
            text=name,
            name=name,
            type=type,
            start=start,
            end=start + len(name),
            sentence=self.sentence(start),
            confidence=0.9,
            **extra,  # type: ignore[arg-type]
        )
        self.extraction.mentions.append(mention)
        return mention

    def fact(
        self, subject: Mention, relation: str, obj: Mention | str, *, open: bool = False
    ) -> Fact:
        fact = Fact(
            subject=subject,
            relation=relation,
            object=obj,
            evidence=Evidence(
                doc_id=self.doc_id,
                sentence=subject.sentence,
                start=subject.start,
                end=obj.end if isinstance(obj, Mention) else subject.end,
                extractor="hand",
                confidence=0.8,
            ),
            open=open,
        )
        self.extraction.facts.append(fact)
        return fact


def d1(text: str = TEXTS["d1"], doc_id: str = "d1") -> Text:
    t = Text(doc_id, text)
    biden = t.mention("Joe Biden", "Person")
    putin = t.mention("Vladimir Putin", "Person")
    t.mention("Geneva", "Location")
    t.mention("Biden", "Person", occurrence=1)
    nato = t.mention("NATO", "Organization")
    putin2 = t.mention("Vladimir Putin", "Person", occurrence=1, role="President")
    t.fact(biden, "meet", putin, open=True)
    t.fact(biden, "affiliatedWith", nato)
    t.fact(putin2, "role", "President")
    return t


def d2(text: str = TEXTS["d2"], doc_id: str = "d2") -> Text:
    t = Text(doc_id, text)
    biden = t.mention("J. Biden", "Person")
    summit = t.mention("GX summit", "Event")
    gx = t.mention("GX", "Location", occurrence=1)
    cornwall = t.mention("Cornwall", "Location")
    t.fact(summit, "participant", biden)
    t.fact(summit, "locatedIn", cornwall)
    t.fact(t.mention("Cornwall", "Location", occurrence=1), "locatedIn", gx)
    return t


def d3(text: str = TEXTS["d3"], doc_id: str = "d3") -> Text:
    t = Text(doc_id, text)
    blair = t.mention("Tony Blair", "Person")
    london = t.mention("London", "Location")
    t.mention("Blair", "Person", occurrence=1)
    t.fact(blair, "residence", london)
    return t


def d4(text: str = TEXTS["d4"], doc_id: str = "d4") -> Text:
    t = Text(doc_id, text)
    blair = t.mention("Blair", "Person")
    london = t.mention("London", "Location")
    t.fact(blair, "residence", london)
    return t


def corpus(*texts: Text) -> list[tuple[Document, Extraction]]:
    """(document, extraction) pairs for ``Builder.add_extractions``; the four texts by default."""
    return [(t.document, t.extraction) for t in (texts or (d1(), d2(), d3(), d4()))]


def build(graph, *texts: Text):  # type: ignore[no-untyped-def]
    """Add the corpus to a KnowledgeGraph (any store) with the real resolver and writer."""
    return graph.builder.add_extractions(corpus(*texts))
