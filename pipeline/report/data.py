"""A finished run, read back whole: its tables, the audit's two tables and every plan's text.

The report and the web UI both start from a ``kehoach extract --out`` folder. The audit tables (``edges``,
``audit_findings``) are read when the run wrote them and computed with :func:`pipeline.audit.audit`
otherwise, so an older output folder still gets a citation graph; when the audit itself is unavailable
they are empty tables with the audit's columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import pipeline

AUDIT_TABLES = ("edges", "audit_findings")


def _audit_columns() -> dict[str, list[str]]:
    try:
        from pipeline.audit import EDGE_COLUMNS, FINDING_COLUMNS
    except ImportError:
        return {"edges": [], "audit_findings": []}
    return {"edges": list(EDGE_COLUMNS), "audit_findings": list(FINDING_COLUMNS)}


def _read(out_dir: Path, name: str) -> pd.DataFrame | None:
    pq, csv = out_dir / f"{name}.parquet", out_dir / f"{name}.csv"
    if pq.exists():
        return pd.read_parquet(pq)
    if csv.exists():
        return pd.read_csv(csv, dtype=str, keep_default_na=False)
    return None


def audit_results(out_dir: str | Path, tables: dict[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """``edges`` and ``audit_findings`` of a run: as stored, else computed, else empty."""
    out = Path(out_dir)
    stored = {name: _read(out, name) for name in AUDIT_TABLES}
    if all(df is not None for df in stored.values()):
        return {k: v for k, v in stored.items() if v is not None}
    try:
        from pipeline.audit import audit
    except ImportError:
        return {name: pd.DataFrame(columns=cols) for name, cols in _audit_columns().items()}
    return audit(tables if tables is not None else pipeline.load(out))


@dataclass
class Run:
    """Everything the report shows, by table name, plus the texts by doc_id."""

    out_dir: Path
    tables: dict[str, pd.DataFrame]
    texts: dict[str, str] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """A table, or an empty one when the run has no such table."""
        return self.tables.get(name, pd.DataFrame())

    def rows(self, name: str, doc_id: str) -> pd.DataFrame:
        """The rows of ``name`` that belong to one plan."""
        df = self.table(name)
        if df.empty or "doc_id" not in df:
            return df
        return df[df["doc_id"] == doc_id]


def read_text(path: Path) -> str:
    """A normalized text exactly as written (no newline translation), so offsets stay valid."""
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def load_run(out_dir: str | Path) -> Run:
    """Read a run's tables, its audit tables and its texts."""
    out = Path(out_dir)
    tables = pipeline.load(out)
    tables.update(audit_results(out, tables))
    texts = {}
    for row in tables["documents"].itertuples():
        path = out / (row.text_path or f"texts/{row.doc_id}.txt")
        if path.is_file():
            texts[row.doc_id] = read_text(path)
    return Run(out, tables, texts)
