"""notebooks/compare_provinces.ipynb runs from top to bottom on the bundled corpus, so it never rots.

It is executed with nbclient in a kernel of this very Python (the project's virtual environment), from
the notebooks folder as a person would open it. Its outputs are then checked against the tables: the
phases-by-province table names every province that has phases, the audit findings are listed, and the
timeline is drawn as an image.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest

import pipeline
from tests.conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = ROOT / "notebooks" / "compare_provinces.ipynb"


@pytest.fixture(scope="module")
def executed() -> dict[str, list[dict]]:
    """The notebook, executed; the outputs of each tagged cell, by tag."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    # jupyter_client runs a spec whose command is a bare "python"/"python3" with sys.executable
    bare = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
    assert spec.argv[0] in bare or Path(spec.argv[0]).resolve() == Path(sys.executable).resolve(), (
        f"the python3 kernel would run {spec.argv[0]}, not this environment's Python"
    )
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, if any cell fails
    outputs: dict[str, list[dict]] = {}
    for cell in nb.cells:
        for tag in cell.get("metadata", {}).get("tags", []):
            outputs[tag] = cell.get("outputs", [])
    return outputs


def first(outputs: list[dict], mime: str) -> str:
    found = [o["data"][mime] for o in outputs if mime in o.get("data", {})]
    assert found, f"no {mime} output"
    return found[0]


def test_every_code_cell_ran_without_error(executed: dict) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), (
        "commit the notebook without outputs; CI produces them"
    )
    for tag, outputs in executed.items():
        assert not [o for o in outputs if o.get("output_type") == "error"], tag
    assert {"table-sizes", "phases-by-province", "audit-findings", "timeline"} <= set(executed)


def test_phases_by_province_table_names_every_province_with_phases(executed: dict) -> None:
    html = first(executed["phases-by-province"], "text/html")
    seeds = pipeline.extract(ROOT / "corpora", jobs=1)
    provinces = set(seeds["documents"].merge(seeds["phases"], on="doc_id")["province"])
    assert provinces, "the corpus has phases"
    for province in provinces:
        assert f"<th>{province}</th>" in html, province
    assert "with_inferred_boundary" in html


def test_audit_findings_are_listed(executed: dict) -> None:
    html = first(executed["audit-findings"], "text/html")
    assert "parent_not_in_corpus" in html
    assert "Citation audit" in first(executed["audit-findings"], "text/markdown")


def test_timeline_is_drawn(executed: dict) -> None:
    png = base64.b64decode(first(executed["timeline"], "image/png"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 20_000
