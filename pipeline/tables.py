"""Records → tidy DataFrames → CSV, Parquet and one SQLite database, written atomically.

The column lists below are the output contract (``CONTRACT.md``) plus the provenance and diagnostic
columns that users asked for; every table is written even when it is empty, so that a notebook or a SQL
query never meets a missing table. Every file is first written beside its destination under a temporary
name and then renamed over it, so an interrupted run never leaves a half-written table over a good one.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path

import pandas as pd

from pipeline.model import Citation, Deadline, Mention, Phase, Unit


def _columns(record: type) -> list[str]:
    """The columns of a record's table: its fields, in order (one source of truth for both)."""
    return [f.name for f in fields(record)]


COLUMNS: dict[str, list[str]] = {
    "documents": [
        "doc_id",
        "source_path",
        "format",
        "text_path",
        "doc_type",
        "number",
        "symbol",
        "issue_date",
        "place",
        "issuer",
        "province",
        "title",
        "signer_name",
        "signer_title",
        "signer_authority",
        "recipients",
        "issuer_as_written",
        "parent_organ",
        "encoding",
        "notes",
        "warnings",
        "pages",
        "chars",
        "numbering_anomalies",
    ],
    "sections": [
        "doc_id",
        "section_id",
        "parent_id",
        "level",
        "label",
        "heading",
        "category",
        "char_start",
        "char_end",
        "heading_start",
        "heading_end",
        "marker",
        "anomaly",
        "page",
    ],
    "citations": _columns(Citation),
    "phases": _columns(Phase),
    "deadlines": _columns(Deadline),
    "units": _columns(Unit),
    "mentions": _columns(Mention),
    "fields": ["doc_id", "field", "value", "raw", "char_start", "char_end", "page"],
    "pages": ["doc_id", "page", "char_start", "char_end", "method", "ocr_confidence"],
    "errors": ["source_path", "stage", "error_type", "message"],
}

#: Integer columns, so that empty tables and CSV round trips keep their types.
INTEGER_COLUMNS = {
    "level",
    "char_start",
    "char_end",
    "heading_start",
    "heading_end",
    "page",
    "pages",
    "chars",
    "phase_no",
}
#: Real-valued columns.
FLOAT_COLUMNS = {"ocr_confidence"}
#: Boolean columns (written as True/False).
BOOLEAN_COLUMNS = {"start_inferred", "end_inferred"}

TABLE_DESCRIPTIONS = {
    "documents": "One row per plan: who issued it, its number, date, place, title and signer.",
    "sections": "The section tree of each plan: numbered headings and bullets with their spans.",
    "citations": "Documents each plan cites: type, number, date, issuer, subject, relation (basis/reference).",
    "phases": "The periods into which each plan divides its work, with their date ranges.",
    "deadlines": "Deadlines and recurrences stated for tasks elsewhere in each plan.",
    "units": "Units given responsibilities in the implementation section, with role and tasks.",
    "mentions": "Organizations named anywhere else in each plan.",
    "fields": "Provenance of every documents value: where in the text it was read.",
    "pages": "Where each page starts and ends in the normalized text, and how its text was obtained.",
    "errors": "One row per input that could not be processed, with the stage and the reason.",
}


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A DataFrame with exactly the table's columns, in order, with stable dtypes."""
    columns = COLUMNS[name]
    df = pd.DataFrame(rows, columns=columns)
    for col in columns:
        if col in INTEGER_COLUMNS:
            df[col] = pd.array(df[col], dtype="Int64")
        elif col in FLOAT_COLUMNS:
            df[col] = pd.array(df[col], dtype="Float64")
        elif col in BOOLEAN_COLUMNS:
            df[col] = pd.array(df[col], dtype="boolean")
        else:
            df[col] = df[col].astype("string").fillna("")
    return df


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it over ``dest`` only if the block succeeds."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, dest)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(dest: Path, text: str) -> None:
    """Write ``text`` exactly (UTF-8, no newline translation) so offsets stay valid in the file."""
    with atomic_path(dest) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def write_tables(frames: dict[str, pd.DataFrame], out_dir: Path) -> None:
    """Write every table as CSV and Parquet, and all of them into ``plans.db``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, df in frames.items():
        with atomic_path(out_dir / f"{name}.csv") as tmp:
            df.to_csv(tmp, index=False, encoding="utf-8")
        with atomic_path(out_dir / f"{name}.parquet") as tmp:
            df.to_parquet(tmp, index=False)
    with atomic_path(out_dir / "plans.db") as tmp:
        con = sqlite3.connect(tmp)
        try:
            for name, df in frames.items():
                df.to_sql(name, con, index=False, if_exists="replace")
            pd.DataFrame([{"table_name": k, "description": v} for k, v in TABLE_DESCRIPTIONS.items()]).to_sql(
                "_tables", con, index=False, if_exists="replace"
            )
            con.commit()
        finally:
            con.close()


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """Read a finished run's tables back from its Parquet files (CSV where Parquet is missing)."""
    frames = {}
    for name in COLUMNS:
        pq, csv = out_dir / f"{name}.parquet", out_dir / f"{name}.csv"
        if pq.exists():
            frames[name] = pd.read_parquet(pq)
        elif csv.exists():
            frames[name] = pd.read_csv(csv, dtype=str, keep_default_na=False)
    return frames
