"""Issue 14, build path: kg's own CPU on top of parsing, part by part, in one process.

    python bench/speed_parts.py [--per-topic N] [--repeat R]
    PYTHONPATH=OTHER_CHECKOUT python bench/speed_parts.py   # the same for other code

The texts are parsed once (the first N ``politics/`` and N ``business/`` BBC News
articles, as ``bench/speed_build.py`` takes them; default 50 each), then, R times each
(default 3, the fastest kept): every extractor over the parsed Docs (CPU per
extractor), and the resolution, RDF and writes of those extractions into an in-memory
Oxigraph store saved to N-Triples, as ``kg build -o g.nt`` does (CPU of the whole
process, the store's write thread included, and of the main thread alone). What is
timed is CPU time, so a machine shared with other work moves it less than wall time;
running this on two checkouts one after another compares them.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from _common import DATA


def articles(per_topic: int) -> list[Path]:
    """The first ``per_topic`` politics and business articles, sorted by name."""
    folder = DATA / "bbc_news"
    return [
        path
        for topic in ("politics", "business")
        for path in sorted((folder / topic).glob("*.txt"))[:per_topic]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-topic", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import kg
    from kg.build.pipeline import extract_document, extract_documents, extractors_for
    from kg.documents import load_documents
    from kg.documents.prepare import prepare_text
    from kg.extract.context import DocContext
    from kg.extract.registry import ExtractorSpec
    from kg.graph import KnowledgeGraph
    from kg.nlp import load_model
    from kg.storage.oxigraph import OxigraphStore

    nlp = load_model()
    documents = list(load_documents(articles(args.per_topic)))
    texts = [prepare_text(d.text) for d in documents]
    parsed = list(zip(nlp.pipe(texts, batch_size=16), documents, texts, strict=True))
    print(f"kg from {Path(kg.__file__).parent}; {len(documents)} BBC News articles parsed")

    spent: collections.Counter[str] = collections.Counter()

    def timed(spec: ExtractorSpec) -> ExtractorSpec:
        function = spec.function

        def run(ctx: DocContext) -> Iterator[object]:
            started = time.process_time()
            outputs = list(function(ctx) or ())
            spent[spec.name] += time.process_time() - started
            return iter(outputs)

        return ExtractorSpec(spec.name, run, requires=spec.requires, assigns=spec.assigns)

    chosen = [timed(spec) for spec in extractors_for(None)]
    keep = getattr(importlib.import_module("kg.extract.syntax"), "keep_text", None)

    def extract() -> None:
        for doc, document, text in parsed:
            if keep is not None:  # what the pipeline does since it has keep_text
                keep(doc, text)
            extract_document(DocContext(document=document, doc=doc), chosen)

    best = fastest(extract, args.repeat, parts=spent)
    print(f"extractors        : {best.process:6.3f} s CPU")
    for name, seconds in sorted(best.per_part.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<16}: {seconds:6.3f} s")

    pairs = list(extract_documents(iter(documents), nlp))
    with tempfile.TemporaryDirectory() as work:

        def write() -> None:
            graph = KnowledgeGraph(store=OxigraphStore(None))
            graph.builder.add_extractions(iter(pairs))
            graph.save(Path(work) / "g.nt")

        written = fastest(write, args.repeat)
    print(
        f"resolve+RDF+write: {written.process:6.3f} s CPU "
        f"(main thread {written.thread:.3f} s; the rest is the store's write thread)"
    )


class Timing:
    """CPU of one run: the process's, the calling thread's, and per extractor."""

    def __init__(self, process: float, thread: float, per_part: dict[str, float]):
        self.process, self.thread, self.per_part = process, thread, per_part


def fastest(
    work: Callable[[], None], repeat: int, parts: collections.Counter[str] | None = None
) -> Timing:
    """The run with the least process CPU of a warm-up and ``repeat`` timed runs
    (``parts``: a counter the work fills, emptied before each run and kept with it)."""
    work()
    best: Timing | None = None
    for _ in range(repeat):
        if parts is not None:
            parts.clear()
        process, thread = time.process_time(), time.thread_time()
        work()
        elapsed = time.process_time() - process, time.thread_time() - thread
        timing = Timing(*elapsed, dict(parts) if parts is not None else {})
        if best is None or timing.process < best.process:
            best = timing
    assert best is not None
    return best


if __name__ == "__main__":
    main()
