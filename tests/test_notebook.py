"""The quickstart notebook runs from top to bottom."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "quickstart.ipynb"


@pytest.mark.slow
def test_quickstart_notebook_executes(tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    every = [
        out
        for cell in notebook.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    ]
    outputs = "".join(
        out.get("text", "")
        + str(out.get("data", {}).get("text/plain", ""))
        + str(out.get("data", {}).get("text/html", ""))
        for out in every
    )
    assert "Geneva" in outputs and "Secretary General" in outputs
    assert "Joe Biden" in outputs
    # results and the network are rich HTML, and nothing warns on stderr
    html = [str(out["data"]["text/html"]) for out in every if "text/html" in out.get("data", {})]
    assert any("<table" in item and "Secretary General" in item for item in html)
    assert any(item.startswith("<iframe srcdoc=") and "kg-data" in item for item in html)
    assert not [out for out in every if out.get("name") == "stderr"]
    assert not any(
        out.get("output_type") == "error"
        for cell in notebook.cells
        for out in cell.get("outputs", [])
    )
