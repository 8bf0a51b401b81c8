"""Draw fresh news articles outside the gold set and print what the graph says of them.

    python bench/fact_audit/sample.py ../shared/data A 40 > /tmp/audit_A.txt

Articles: BBC News (all five sections) and Reuters-21578 stories of 150 to 700 words,
none in ``bench/news_gold`` (dev, test, calib), drawn with a seed per sample name. For
each article its text, then each fact (subject, property, object, confidence, the
sentence of its evidence) and each quote with its speaker, for a reader to judge.
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
import zlib
from pathlib import Path

from kg.evaluation.news_data import SCORED_PROPERTIES

GOLD = Path(__file__).resolve().parent.parent / "news_gold"
FACTS = """
SELECT ?id ?sl ?p ?o ?ol ?c ?sent WHERE {
  ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      kg:document ?doc ; kg:confidence ?c .
  VALUES ?p { %s }
  ?doc dcterms:identifier ?id .
  OPTIONAL { ?ev kg:sentence ?sent }
  OPTIONAL { ?s rdfs:label ?sl }
  OPTIONAL { ?o rdfs:label ?ol }
}"""
QUOTES = """
SELECT ?id ?text ?start ?spl WHERE {
  ?ev a kg:Evidence ; rdf:subject ?q ; rdf:predicate kg:quoteText ; rdf:object ?text ;
      kg:document ?doc ; kg:startChar ?start .
  ?doc dcterms:identifier ?id .
  OPTIONAL { ?sev a kg:Evidence ; rdf:subject ?q ; rdf:predicate kg:speaker ;
             rdf:object ?sp ; kg:document ?doc . OPTIONAL { ?sp rdfs:label ?spl } }
}"""


def _gold_reader():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("news_gold_select", GOLD / "select.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fresh_articles(
    data: Path, sample: str, n: int, *, judged: Path | None = None, seed: str | None = None
) -> list[tuple[str, str, str | None]]:
    """``n`` articles in no gold split nor read before (``looked_at.txt``), three quarters BBC (all sections), a quarter
    Reuters, drawn with the seed ``seed`` (default: the sample's name); a sample already
    judged (``judged``, default ``sample_<name>.json`` here) keeps its articles."""
    reader = _gold_reader()
    judged = judged or Path(__file__).resolve().parent / f"sample_{sample}.json"
    if judged.is_file():
        ids = list(json.loads(judged.read_text("utf-8"))["articles"])
        pool = {i: (i, t, d) for i, t, d in _all_articles(data, reader)}
        return [pool[i] for i in ids]
    taken = {p.name.split(".")[0] for p in GOLD.glob("*/*.txt")} | _looked_at()
    articles = [a for a in _all_articles(data, reader) if a[0] not in taken]
    bbc = [a for a in articles if a[0].startswith("bbc-")]
    reuters = [a for a in articles if a[0].startswith("reuters-")]
    rng = random.Random(zlib.crc32((seed or sample).encode()))
    return rng.sample(bbc, n - n // 4) + rng.sample(reuters, n // 4)


def _looked_at() -> set[str]:
    """Ids already read in an earlier audit (``bench/news_gold/looked_at.txt``)."""
    path = GOLD / "looked_at.txt"
    lines = path.read_text("utf-8").splitlines() if path.is_file() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _all_articles(data: Path, reader) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    """Every BBC article and Reuters story of 150 to 700 words, in file order."""
    out: list[tuple[str, str, str | None]] = []
    for section in reader.SECTIONS:
        for f in sorted((data / "bbc_news" / section).glob("*.txt")):
            text = f.read_text("utf-8", "replace")
            if 150 <= len(text.split()) <= 700:
                out.append((f"bbc-{section}-{f.stem}", text, None))
    out += [(i, t, d) for i, t, d, _ in reader.reuters_all(data)]
    return out


def main(data: Path, sample: str, n: int) -> None:
    from kg.documents import document_from_text
    from kg.graph import KnowledgeGraph

    articles = fresh_articles(data, sample, n)
    graph = KnowledgeGraph()
    graph.add_documents([document_from_text(t, id=i, date=d, source=i) for i, t, d in articles])
    props = " ".join(f"kg:{p}" for p in SCORED_PROPERTIES)
    facts: dict[str, set[tuple[str, ...]]] = {}
    for doc_id, sl, p, o, ol, c, sent in graph.query(FACTS % props).rows:
        row = (str(sl), str(p).rsplit("#", 1)[-1], str(ol or o), f"{float(str(c)):.2f}")
        facts.setdefault(str(doc_id), set()).add((*row, " ".join(str(sent or "").split())))
    quotes: dict[str, set[tuple[int, str, str]]] = {}
    for doc_id, text, start, speaker in graph.query(QUOTES).rows:
        quotes.setdefault(str(doc_id), set()).add(
            (int(str(start)), " ".join(str(text).split())[:70], str(speaker))
        )
    for doc_id, text, _ in articles:
        print(f"\n######## {doc_id}\n{text.strip()}\n-------- facts")
        for s, p, o, c, sent in sorted(facts.get(doc_id, ())):
            print(f"  {s} | {p} | {o} | {c}   [{sent[:160]}]")
        print("-------- quotes")
        for _, q, speaker in sorted(quotes.get(doc_id, ())):
            print(f"  {speaker} <- {q}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
