"""Benchmark 1: `kg build` throughput against plain `nlp.pipe` of the same model.

    python bench/extraction_overhead.py [--limit N] [--model NAME]

Both run in this process on the same BBC News texts (../shared/data/bbc_news, 2,225
articles), after the model is loaded: first plain spaCy (``nlp.pipe``, every text
parsed, nothing else), then the whole build (read files, parse, extract, resolve,
write to an on-disk store). Target: ratio of throughputs >= 0.80.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _common import DATA, bbc_texts

from kg.graph import KnowledgeGraph
from kg.nlp import load_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    articles = bbc_texts()[: args.limit]
    paths = [Path(p) for p, _ in articles]
    texts = [t for _, t in articles]
    nlp = load_model(args.model)
    print(
        f"model: {nlp.meta.get('name')} {nlp.meta.get('version')}, pipes: {', '.join(nlp.pipe_names)}"
    )
    print(f"documents: {len(texts)} BBC News articles, {sum(map(len, texts)):,} characters")

    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    plain = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with KnowledgeGraph.open(Path(tmp) / "store", model=args.model) as graph:
            report = graph.add_documents(paths)
            triples = len(graph)
        ours = time.perf_counter() - started

    n = len(texts)
    print(f"plain nlp.pipe : {plain:8.1f} s  {n / plain:7.2f} docs/s")
    print(
        f"kg build       : {ours:8.1f} s  {report.processed / ours:7.2f} docs/s  ({report.processed} processed, {report.unchanged} duplicates, {report.failed} failed, {triples:,} triples)"
    )
    ratio = (report.processed / ours) / (n / plain)  # duplicates (skipped by id) not counted for us
    print(
        f"throughput ratio kg/plain: {ratio:.2f} (target >= 0.80); overhead on top of parsing: {ours / plain - 1:.0%}"
    )
    print(f"data: {DATA / 'bbc_news'}")


if __name__ == "__main__":
    main()
