"""Who met whom across BBC politics articles: Meeting events with two participants or more.

    python bench/meetings.py                 # the first 100 articles of bbc_news/politics
    python bench/meetings.py --limit 50 --sample 20

Builds the articles into one in-memory graph (as ``kg build`` would) and counts the
``kg:Meeting`` nodes with at least two participants (an undated meeting that another
article dates is counted once, as the dated one), with a sample of them and their
evidence sentence to judge precision by hand. Run it on another checkout
(``PYTHONPATH=../main python bench/meetings.py``) for a before/after.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA  # noqa: E402

QUERY = """
SELECT ?event ?label (COUNT(DISTINCT ?p) AS ?n) (GROUP_CONCAT(DISTINCT ?name; separator=" | ") AS ?who)
       (SAMPLE(?sentence) AS ?evidence) WHERE {
  ?event a kg:Meeting ; kg:participant ?p .
  ?p rdfs:label ?name .
  FILTER NOT EXISTS { ?event owl:sameAs ?other }
  OPTIONAL { ?event rdfs:label ?label }
  OPTIONAL { ?ev rdf:subject ?event ; rdf:predicate kg:participant ; kg:sentence ?sentence }
}
GROUP BY ?event ?label
HAVING (COUNT(DISTINCT ?p) >= 2)
ORDER BY ?event
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--sample", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from kg.graph import KnowledgeGraph

    paths = sorted((DATA / "bbc_news" / "politics").glob("*.txt"))[: args.limit]
    graph = KnowledgeGraph()
    graph.add_documents(paths)
    rows = graph.query(QUERY).dicts()
    print(f"{len(paths)} articles: {len(rows)} meetings with two participants or more")
    for row in random.Random(args.seed).sample(rows, min(args.sample, len(rows))):
        print(f"- {row['label']}  [{row['who']}]")
        print(f"    {str(row['evidence'] or '')[:220]}")


if __name__ == "__main__":
    main()
