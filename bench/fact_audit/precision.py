"""Precision of a fresh-sample run as judged by a reader.

    python bench/fact_audit/sample.py ../shared/data B 40 > /tmp/b.txt
    python bench/fact_audit/precision.py /tmp/b.txt bench/fact_audit/sample_B.json

The JSON lists, per article id, the facts judged wrong (``"subject | property |
object"``) and those judged right; a fact of the run judged neither is reported as
unjudged. Facts are counted once per article (the same triple found twice is one).

``--no-events`` leaves out ``participantIn`` and the dates (judged in the events audit).
When the judgments list ``missed`` facts as ``"subject | property | object"``, the run's
share of them is printed too (names compared case-folded, one containing the other;
roles word for word, without "former").
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kg.evaluation.news_facts import role_words

EVENT_PROPERTIES = ("participantIn", "participant", "date", "startDate", "endDate")


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


def _same(a: str, b: str) -> bool:
    a, b = a.casefold().strip(), b.casefold().strip()
    return bool(a) and bool(b) and (a in b or b in a)


def found(missed: str, triples: set[str]) -> bool:
    """True when the run has a triple for a ``missed`` "s | p | o"."""
    s, p, o = (part.strip() for part in missed.split(" | ")[:3])
    for triple in triples:
        ts, tp, to = triple.split(" | ")
        if (
            tp == p
            and _same(s, ts)
            and (role_words(o) == role_words(to) if p == "role" else _same(o, to))
        ):
            return True
    return False


def main(run: Path, judged: Path, no_events: bool = False) -> None:
    facts = run_facts(run)
    if no_events:
        facts = {
            doc: {t for t in triples if t.split(" | ")[1] not in EVENT_PROPERTIES}
            for doc, triples in facts.items()
        }
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
    missed = [(doc, m) for doc, v in judgments.items() for m in v.get("missed", ()) if " | " in m]
    if missed:
        hits = [m for doc, m in missed if found(m, facts.get(doc, set()))]
        print(f"missed facts of the judgments now found: {len(hits)} of {len(missed)}")
        for m in hits:
            print("  found:", m)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("run", type=Path)
    parser.add_argument("judged", type=Path)
    parser.add_argument("--no-events", action="store_true")
    args = parser.parse_args()
    main(args.run, args.judged, args.no_events)
