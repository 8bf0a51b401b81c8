"""SPARQL: run a query safely with bound values, and write results in the SPARQL 1.1 formats.

- :mod:`kg.sparql.guard`: what is refused before a query runs (updates, FROM, SERVICE).
- :mod:`kg.sparql.bindings`: values bound into the text for engines that cannot bind.
- :mod:`kg.sparql.run`: ``run_query`` and :class:`QueryResult`.
- :mod:`kg.sparql.results`: the one results writer (table, JSON, XML, CSV, TSV, graphs)
  used by ``kg query``, the Python API and the ``/sparql`` endpoint.
"""
