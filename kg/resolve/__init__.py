"""Entity resolution: mentions → one entity per real thing, with one type and one label.

- :mod:`kg.resolve.names`: name normalization (slugs, matching keys, initials).
- :mod:`kg.resolve.resolution`: clustering within and across documents, type votes, keys.
"""
