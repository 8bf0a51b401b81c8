"""The network in a notebook: an object Jupyter draws as the offline page in a frame.

``_repr_html_`` returns an ``<iframe srcdoc=...>`` holding the whole page (escaped as an
attribute), sandboxed to run its own scripts only; nothing is written to disk and
nothing loads from the network. Going through ``_repr_html_`` rather than
``IPython.display.HTML`` keeps IPython's iframe warning away.

    >>> graph.show(focus="Jens Stoltenberg", hops=2)   # doctest: +SKIP
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class NetworkView:
    """A rendered network page, shown inline by Jupyter, saved with :meth:`save`."""

    page: str
    height: int = 640

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
            f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #ddd" '
            'sandbox="allow-scripts" title="Knowledge graph network"></iframe>'
        )

    def save(self, path: str) -> str:
        """Write the page to ``path`` (the same file ``kg viz`` writes)."""
        from pathlib import Path

        from kg.atomic import write_bytes_atomic

        write_bytes_atomic(Path(path), self.page.encode("utf-8"))
        return path
