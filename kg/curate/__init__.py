"""Curation: people correct the graph, and their corrections survive every rebuild.

- :mod:`kg.curate.model`: a decision (merge, split, rename, retype, delete, reject,
  assert, undo) as a small RDF resource: who, when, why, what it changes.
- :mod:`kg.curate.apply`: applying decisions to the quads they touch, as extracted (a
  pure function, run after every build too).
- :mod:`kg.curate.state`: reading those quads from a store, restoring them as
  extracted, writing the curated result and its bookkeeping in one atomic step.
- :mod:`kg.curate.curator`: :class:`~kg.curate.curator.Curator`, the API behind
  ``graph.curate`` and ``kg curate``.
- :mod:`kg.curate.files`: decision files (Turtle, one block per decision) to export,
  review and import.

The layout in the store and what happens on rebuild are described in docs/curation.md.
"""
