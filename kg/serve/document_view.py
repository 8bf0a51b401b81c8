"""A document as its reader holds it, with every entity mention marked by type.

The text is read again from the file the build read (``kg:sourceFile``), and used only
when its digest is the one stored (``kg:contentHash``): the mention offsets kept in the
evidence then point exactly into it. Without the file (moved, changed, a remote
store), the evidence sentences are shown instead, with the names of the entities the
document mentions marked where they occur. Rendered by ``document.html``, offline;
every text goes through the template's autoescape.

    >>> marked_document(explorer, "4e7447a6f647f77e", at=2643)["segments"][:2]  # doctest: +SKIP
    [{'text': 'China does not share ...', 'entity': None, 'hit': False}, ...]
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.serve.explore import Explorer

MENTIONS_QUERY = """
SELECT DISTINCT ?entity ?start ?end WHERE {
  ?ev rdf:subject ?doc ; rdf:predicate kg:mentions ; rdf:object ?entity ;
      kg:startChar ?start ; kg:endChar ?end .
}
"""
SOURCE_QUERY = """
SELECT ?file ?hash WHERE { OPTIONAL { ?doc kg:sourceFile ?file } OPTIONAL { ?doc kg:contentHash ?hash } }
"""


def marked_document(
    explorer: Explorer, doc_id: str, at: int | None = None
) -> dict[str, Any] | None:
    """The document page's data: metadata, the text in marked segments, the entity types.

    ``at`` is a character offset from an evidence row: the sentence holding it is
    marked as the hit (``hit``; the first hit segment is where the page scrolls to).
    """
    from rdflib import URIRef

    document = explorer.document(doc_id)
    if document is None:
        return None
    doc = URIRef(document["iri"] or "")
    rows = explorer.runner.query(MENTIONS_QUERY, {"doc": doc}).dicts()
    mentions = [
        (start, end, str(row["entity"]))
        for row in rows
        if row["entity"] in explorer.network
        for start, end in [(_int(row["start"]), _int(row["end"]))]
        if start is not None and end is not None and end > start
    ]
    source = explorer.runner.query(SOURCE_QUERY, {"doc": doc}).dicts()
    text, reason = _original_text(doc_id, source[0] if source else {})
    if text is not None:
        spans = _clean_spans(mentions, len(text))
        hit = _sentence_at(text, document["sentences"], at)
        paragraphs = [_segments(text, spans, hit, explorer)]
        origin = "file"
    else:
        names = _names(explorer, {iri for _, _, iri in mentions})
        paragraphs = [
            _segments(sentence, _matches(sentence, names), None, explorer)
            for sentence in document["sentences"]
        ]
        origin = "sentences"
    types = sorted({seg["entity"]["type"] for para in paragraphs for seg in para if seg["entity"]})
    return document | {
        "paragraphs": paragraphs,
        "origin": origin,
        "origin_reason": reason,
        "types": types,
        "mention_count": sum(1 for para in paragraphs for seg in para if seg["entity"]),
        "has_hit": any(seg["hit"] for para in paragraphs for seg in para),
    }


def _original_text(doc_id: str, source: dict[str, str | None]) -> tuple[str | None, str]:
    """The document's text from its file when the file still holds what was built."""
    from kg.documents import load_documents, text_id

    path = source.get("file")
    if not path:
        return None, "the graph does not say which file this document came from"
    problems: list[str] = []
    try:
        for document in load_documents([path], on_error=lambda e: problems.append(str(e))):
            same = document.digest == source.get("hash") or text_id(document.text) == doc_id
            if document.id == doc_id and same:
                return document.text, ""
    except Exception as exc:  # an unreadable file is shown as such, not as an error page
        return None, f"{path} cannot be read ({type(exc).__name__})"
    if problems:
        return None, problems[0]
    return None, f"{path} no longer holds this document (changed since the graph was built)"


def _clean_spans(mentions: list[tuple[int, int, str]], length: int) -> list[tuple[int, int, str]]:
    """Mentions inside the text, longest first where they overlap, in text order."""
    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for start, end, iri in sorted(mentions, key=lambda m: (-(m[1] - m[0]), m[0], m[2])):
        if end > length or any(start < e and s < end for s, e in taken):
            continue
        chosen.append((start, end, iri))
        taken.append((start, end))
    return sorted(chosen)


def _sentence_at(text: str, sentences: list[str], at: int | None) -> tuple[int, int] | None:
    """The span of the evidence sentence that holds offset ``at`` (or starts nearest it)."""
    if at is None or at < 0:
        return None
    best: tuple[int, int] | None = None
    for sentence in sentences:
        start = text.find(sentence)
        while start >= 0:
            end = start + len(sentence)
            if start <= at < end:
                return start, end
            if best is None or abs(start - at) < abs(best[0] - at):
                best = (start, end)
            start = text.find(sentence, start + 1)
    if best is not None and abs(best[0] - at) < 400:
        return best
    return None


def _segments(
    text: str, spans: list[tuple[int, int, str]], hit: tuple[int, int] | None, explorer: Explorer
) -> list[dict[str, Any]]:
    """The text cut at mention and hit boundaries: plain runs and marked mentions."""
    cuts = {0, len(text)}
    for start, end, _ in spans:
        cuts.update((start, end))
    if hit:
        cuts.update(hit)
    entity_at = {start: (end, iri) for start, end, iri in spans}
    out: list[dict[str, Any]] = []
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    index = 0
    while index < len(points) - 1:
        start = points[index]
        if start in entity_at:
            end, iri = entity_at[start]
            summary = explorer.summary(iri)
            entity = {"iri": iri, "type": summary["type"], "label": summary["label"]}
        else:
            end, entity = points[index + 1], None
        piece = text[start:end]
        if piece:
            in_hit = bool(hit) and hit[0] <= start < hit[1]  # type: ignore[index]
            out.append({"text": piece, "entity": entity, "hit": in_hit})
        while index < len(points) - 1 and points[index] < end:
            index += 1
    return out


def _names(explorer: Explorer, iris: set[str]) -> list[tuple[str, str]]:
    """(name, entity) pairs for matching, longest names first."""
    pairs = []
    for iri in iris:
        summary = explorer.summary(iri)
        if summary["type"] in ("Quote", "Date"):
            continue
        for name in [summary["label"], *summary["aliases"]]:
            if len(name) >= 2:
                pairs.append((name, iri))
    return sorted(pairs, key=lambda p: -len(p[0]))


def _matches(sentence: str, names: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    found = []
    for name, iri in names:
        for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", sentence):
            found.append((match.start(), match.end(), iri))
    return _clean_spans(found, len(sentence))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
