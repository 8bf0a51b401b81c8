"""The graph as a network: networkx conversion, views of large graphs, the HTML page.

- :mod:`kg.network.convert`: RDF → networkx ``MultiDiGraph`` (entities as nodes, facts as edges).
- :mod:`kg.network.views`: the most central part, one neighbourhood, filters.
- :mod:`kg.network.html`: the interactive page (pyvis / vis-network, inlined, offline).
"""
