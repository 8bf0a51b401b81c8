"""The RDF layer: ontology terms and IRIs, facts → triples, graph files, SHACL.

Only this package (and the stores) import rdflib.

- :mod:`kg.rdf.namespace`: the ``KG`` vocabulary, base IRIs, prefixes.
- :mod:`kg.rdf.ontology`: entity classes and property signatures read from ``ontology/kg.ttl``.
- :mod:`kg.rdf.writer`: resolved entities and facts → quads with provenance.
- :mod:`kg.rdf.files`: graph files in and out (Turtle, N-Triples, N-Quads, TriG, JSON-LD).
- :mod:`kg.rdf.shacl`: validation against ``ontology/shapes.ttl``.
"""
