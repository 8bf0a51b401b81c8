"""The build engine: documents → parsed and extracted → resolved → written to a store.

- :mod:`kg.build.pipeline`: parse with spaCy and run the extractors, one document at a time.
- :mod:`kg.build.parallel`: the same in worker processes or on Dask, results in input order.
- :mod:`kg.build.engine`: incremental builds (skip unchanged, replace changed), batches,
  resolution against the stored entities, atomic writes.
"""
