"""Precision of a fresh-sample run as judged by a reader.

    python bench/fact_audit/sample.py ../shared/data B 40 > /tmp/b.txt
    python bench/fact_audit/precision.py /tmp/b.txt bench/fact_audit/sample_B.json

The JSON lists, per article id, the facts judged wrong (``"subject | property |
object"``) and those judged right; a fact of the run judged neither is reported as
unjudged. Facts are counted once per article (the same triple found twice is one).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def run_facts(path: Path) -> dict[str, set[str]]:
    """Article id → the distinct "s | p | o" triples a ``sample.py`` output lists."""
    out: dict[str, set[str]] = {}
    doc = None
    in_facts = False
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("######## "):
            doc, in_facts = line[9:].strip(), False
            out[doc] = set()
        elif line.startswith("-------- "):
            in_facts = line.strip() == "-------- facts"
        elif in_facts and doc and line.startswith("  ") and " | " in line:
            s, p, o = line.strip().split(" | ")[:3]
            out[doc].add(f"{s} | {p} | {o}")
    return out


def main(run: Path, judged: Path) -> None:
    facts = run_facts(run)
    judgments = json.loads(judged.read_text("utf-8"))["articles"]
    right = wrong = unjudged = 0
    for doc, triples in facts.items():
        verdicts = judgments.get(doc, {})
        for triple in triples:
            if triple in verdicts.get("wrong", ()):
                wrong += 1
            elif triple in verdicts.get("right", ()):
                right += 1
            else:
                unjudged += 1
                print("unjudged:", doc, triple)
    total = right + wrong
    print(
        f"{len(facts)} articles, {total} facts judged: {right} right, {wrong} wrong, "
        f"precision {right / total if total else 0:.3f} ({unjudged} unjudged)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
