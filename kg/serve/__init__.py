"""``kg serve``: a local web app over one graph.

- ``/sparql``: a read-only SPARQL 1.1 Protocol endpoint (:mod:`kg.serve.protocol`,
  refusals in :mod:`kg.sparql.guard`, limits in :mod:`kg.serve.runner`);
- ``/``: the explorer (search, a network that grows by clicking, filters, evidence);
- ``/query``: a SPARQL editor with the example queries and a results table;
- ``/document/ID``: what the graph knows about one document.

Everything the pages load comes from the server itself (vis-network from the
installed pyvis); see :mod:`kg.serve.app`.

    >>> from kg.serve import ServeConfig, create_app   # doctest: +SKIP
"""

from __future__ import annotations

from kg.serve.app import ServeConfig, create_app
from kg.serve.runner import Limits

__all__ = ["Limits", "ServeConfig", "create_app"]
