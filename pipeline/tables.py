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
from contextlib import contextmanager, suppress
from dataclasses import fields
from pathlib import Path

import pandas as pd

from pipeline.audit import EDGE_COLUMNS, FINDING_COLUMNS
from pipeline.model import Citation, Deadline, Mention, Phase, Repair, Unit


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
    "pages": ["doc_id", "page", "char_start", "char_end", "method", "ocr_confidence", "flagged"],
    "repairs": _columns(Repair),
    "errors": ["source_path", "stage", "error_type", "message"],
    "edges": EDGE_COLUMNS,
    "audit_findings": FINDING_COLUMNS,
}

#: Tables computed over the whole corpus once every document is done (the audit), not per document.
CORPUS_TABLES = ("edges", "audit_findings")

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
    "mentions",
}
#: Real-valued columns.
FLOAT_COLUMNS = {"ocr_confidence"}
#: Boolean columns (written as True/False).
BOOLEAN_COLUMNS = {"start_inferred", "end_inferred", "flagged"}

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
    "repairs": "Corrections of OCR misreadings (numerals, dates, key words): the raw string beside the repair.",
    "edges": "The citation graph: each document a plan cites, and the plan of the corpus it resolves to.",
    "audit_findings": "Problems in how sub-plans cite their parents: check, severity, both values, span.",
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


def _sql_type(col: str) -> str:
    if col in INTEGER_COLUMNS or col in BOOLEAN_COLUMNS:
        return "INTEGER"
    if col in FLOAT_COLUMNS:
        return "REAL"
    return "TEXT"


class TableWriter:
    """Streams the rows of a batch to disk as documents finish, so memory does not grow with the corpus.

    Rows go into a temporary SQLite file beside the output, tagged with their document's place in the
    batch; :meth:`finish` exports every table in input order (whatever order the documents finished in)
    to CSV, Parquet and ``plans.db``, chunk by chunk, then renames the files into place. Until then the
    previous run's tables are untouched; :meth:`abort` removes the temporary file.
    """

    CHUNK_ROWS = 50_000

    def __init__(self, out_dir: Path, tables: list[str]) -> None:
        self.out_dir = out_dir
        self.tables = tables
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".plans.db.", suffix=".tmp", dir=out_dir)
        os.close(fd)
        self.db_path = Path(tmp)
        self.con = sqlite3.connect(self.db_path)
        self.con.execute("PRAGMA journal_mode=OFF")
        self.con.execute("PRAGMA synchronous=OFF")
        for name in tables:
            cols = ", ".join(f'"{c}" {_sql_type(c)}' for c in COLUMNS[name])
            self.con.execute(f'CREATE TABLE "_stage_{name}" (_seq INTEGER, {cols})')

    def append(self, name: str, rows: list[dict], seq: int) -> None:
        """Add rows of table ``name`` for the document at position ``seq`` of the batch."""
        if not rows:
            return
        cols = COLUMNS[name]
        marks = ", ".join("?" * (len(cols) + 1))
        values = [(seq, *(_sql_value(row.get(c)) for c in cols)) for row in rows]
        self.con.executemany(f'INSERT INTO "_stage_{name}" VALUES ({marks})', values)

    def staged(self, name: str) -> pd.DataFrame:
        """Everything staged so far for table ``name``, in input order (for the corpus-level audit)."""
        self.con.commit()
        return pd.concat([frame(name, []), *self._chunks(name)], ignore_index=True)

    def _chunks(self, name: str) -> Iterator[pd.DataFrame]:
        cols = ", ".join(f'"{c}"' for c in COLUMNS[name])
        cursor = self.con.execute(f'SELECT {cols} FROM "_stage_{name}" ORDER BY _seq, rowid')
        while rows := cursor.fetchmany(self.CHUNK_ROWS):
            yield frame(name, [dict(zip(COLUMNS[name], r, strict=True)) for r in rows])

    def finish(self, extra: dict[str, pd.DataFrame] | None = None) -> None:
        """Export every table and move the outputs into place; ``extra`` tables are written as they are."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.con.commit()
        staged: list[tuple[Path, Path]] = []
        try:
            for name in self.tables:
                csv_tmp, pq_tmp = self._tmp(f"{name}.csv"), self._tmp(f"{name}.parquet")
                staged += [(csv_tmp, self.out_dir / f"{name}.csv"), (pq_tmp, self.out_dir / f"{name}.parquet")]
                empty = frame(name, [])
                schema = pa.Schema.from_pandas(empty, preserve_index=False)
                with pq.ParquetWriter(pq_tmp, schema) as parquet:
                    empty.to_csv(csv_tmp, index=False, encoding="utf-8")
                    for chunk in self._chunks(name):
                        chunk.to_csv(csv_tmp, mode="a", header=False, index=False, encoding="utf-8")
                        parquet.write_table(pa.Table.from_pandas(chunk, schema=schema, preserve_index=False))
                cols = ", ".join(f'"{c}"' for c in COLUMNS[name])
                self.con.execute(f'DROP TABLE IF EXISTS "{name}"')
                self.con.execute(
                    f'CREATE TABLE "{name}" AS SELECT {cols} FROM "_stage_{name}" ORDER BY _seq, rowid'
                )
                self.con.execute(f'DROP TABLE "_stage_{name}"')
            for name, df in (extra or {}).items():
                df = frame(name, df.to_dict("records")) if name in COLUMNS else df
                csv_tmp, pq_tmp = self._tmp(f"{name}.csv"), self._tmp(f"{name}.parquet")
                staged += [(csv_tmp, self.out_dir / f"{name}.csv"), (pq_tmp, self.out_dir / f"{name}.parquet")]
                df.to_csv(csv_tmp, index=False, encoding="utf-8")
                df.to_parquet(pq_tmp, index=False)
                df.to_sql(name, self.con, index=False, if_exists="replace")
            pd.DataFrame([{"table_name": k, "description": v} for k, v in TABLE_DESCRIPTIONS.items()]).to_sql(
                "_tables", self.con, index=False, if_exists="replace"
            )
            self.con.commit()
            self.con.execute("VACUUM")
            self.con.close()
            staged.append((self.db_path, self.out_dir / "plans.db"))
            for tmp, dest in staged:
                os.replace(tmp, dest)
        except BaseException:
            for tmp, _dest in staged:
                tmp.unlink(missing_ok=True)
            self.abort()
            raise

    def abort(self) -> None:
        """Drop the temporary database; the previous outputs stay as they were."""
        with suppress(sqlite3.Error):
            self.con.close()
        self.db_path.unlink(missing_ok=True)

    def _tmp(self, name: str) -> Path:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
        os.close(fd)
        return Path(tmp)


def _sql_value(value: object) -> object:
    """A value SQLite stores as is: booleans as 0/1, pandas' missing values as NULL."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value != value:
        return None
    return value


def write_corpus_tables(out_dir: Path, frames: dict[str, pd.DataFrame]) -> None:
    """Write tables computed after the fact (``kehoach audit``) into an existing output folder: CSV and
    Parquet atomically, and into a copy of ``plans.db`` that then replaces the original."""
    import shutil

    for name, df in frames.items():
        df = frame(name, df.to_dict("records")) if name in COLUMNS else df
        with atomic_path(out_dir / f"{name}.csv") as tmp:
            df.to_csv(tmp, index=False, encoding="utf-8")
        with atomic_path(out_dir / f"{name}.parquet") as tmp:
            df.to_parquet(tmp, index=False)
    db = out_dir / "plans.db"
    with atomic_path(db) as tmp:
        if db.exists():
            shutil.copyfile(db, tmp)
        con = sqlite3.connect(tmp)
        try:
            for name, df in frames.items():
                df = frame(name, df.to_dict("records")) if name in COLUMNS else df
                df.to_sql(name, con, index=False, if_exists="replace")
            con.commit()
        finally:
            con.close()
