"""kehoach: tidy tables from Vietnamese plan documents (Kế hoạch).

The data takes one path: ``ingest`` (file → text and page offsets) → ``normalize`` (clean text with an
offset map) → ``segment`` (header block and section tree) → ``extract`` (records with spans) → ``tables``
(DataFrames, CSV, Parquet, SQLite). ``runner`` drives a batch; ``cli`` is the ``kehoach`` command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pandas import DataFrame

__all__ = ["__version__", "extract", "load"]

__version__ = "0.1.0"


def extract(
    *inputs: str | Path, out: str | Path | None = None, progress: bool = False, jobs: int | None = None
) -> dict[str, DataFrame]:
    """Run the pipeline on files or folders and return its tables as pandas DataFrames, by table name.

    ``out``, when given, keeps the tables and texts there, as ``kehoach extract --out`` does (and reuses
    its cache on the next call); otherwise they live in a temporary folder for the call.
    """
    import tempfile

    from pipeline.runner import run

    if out is not None:
        run(list(inputs), out, progress=progress, jobs=jobs)
        return load(out)
    with tempfile.TemporaryDirectory(prefix="kehoach-") as tmp:
        run(list(inputs), tmp, progress=progress, jobs=jobs, use_cache=False)
        return load(tmp)


def load(out_dir: str | Path) -> dict[str, DataFrame]:
    """Read the tables of a finished run (a ``kehoach extract --out`` folder) back as DataFrames."""
    from pipeline.tables import read_tables

    folder = Path(out_dir)
    if not (folder / "documents.parquet").exists() and not (folder / "documents.csv").exists():
        raise FileNotFoundError(f"{folder}: no documents table here; is this a kehoach output folder?")
    return read_tables(folder)
