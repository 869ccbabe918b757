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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import fields
from pathlib import Path
from typing import Any

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


def frame(name: str, rows: Sequence[dict] | Sequence[Sequence[Any]]) -> pd.DataFrame:
    """A DataFrame with exactly the table's columns, in order, with stable dtypes. ``rows`` are dicts, or
    tuples of every column in order (as a database cursor gives them: no dict per row to build)."""
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

    #: Rows per chunk of the export and of the reads. A chunk of a wide table (units with their tasks,
    #: sections) costs tens of MB as Python objects, a DataFrame and CSV text whatever the corpus size, so
    #: it sets the peak of the export (measured on 1,000 plans: 244 MB with 50,000 rows, 179 MB with 2,000)
    #: at no cost in time.
    CHUNK_ROWS = 2_000
    #: Rows per Parquet row group: chunks are gathered (as compact Arrow data) up to this many, since
    #: small row groups make a file twice as large...
    ROW_GROUP_ROWS = 50_000
    #: ... or up to this many bytes of Arrow data, whichever comes first: 50,000 rows of units with their
    #: tasks are 70 MB, held twice while a row group is written (measured: +140 MB at 5,000 plans).
    ROW_GROUP_BYTES = 8 << 20

    def __init__(self, out_dir: Path, tables: list[str]) -> None:
        self.out_dir = out_dir
        self.tables = tables
        #: Other files of the run (audit.md), written beforehand and renamed with the tables.
        self._files: list[tuple[Path, Path]] = []
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
        self.append_rows(name, [(seq, row) for row in rows])

    def append_rows(self, name: str, rows: Iterable[tuple[int, dict]]) -> None:
        """Add ``(seq, row)`` pairs of table ``name``: the export orders rows by ``seq``, then by arrival
        (a corpus table's rows come from many places of the batch at once)."""
        cols = COLUMNS[name]
        values = [(seq, *(_sql_value(row.get(c)) for c in cols)) for seq, row in rows]
        if values:
            marks = ", ".join("?" * (len(cols) + 1))
            self.con.executemany(f'INSERT INTO "_stage_{name}" VALUES ({marks})', values)

    def select(self, name: str, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
        """The rows staged for table ``name``, in input order, as dicts of ``columns`` and ``_seq`` (the
        document's place in the batch), read chunk by chunk: what the corpus-level audit streams."""
        cols = ", ".join(f'"{c}"' for c in ("_seq", *columns))
        for rows in self._fetch(f'SELECT {cols} FROM "_stage_{name}" ORDER BY _seq, rowid'):
            for row in rows:
                yield dict(zip(("_seq", *columns), row, strict=True))

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple]:
        """Rows of a query over the staged tables (named by :meth:`stage`), read chunk by chunk."""
        for rows in self._fetch(sql, params):
            yield from rows

    @staticmethod
    def stage(name: str) -> str:
        """The quoted name of the table that stages ``name`` until :meth:`finish`, for :meth:`query`."""
        return f'"_stage_{name}"'

    def write_file(self, name: str, chunks: Iterable[str]) -> None:
        """Write ``chunks`` of text into ``name`` in the output folder, under a temporary name until
        :meth:`finish` renames it with the tables (so a failed run replaces neither)."""
        tmp = self._tmp(name)
        self._files.append((tmp, self.out_dir / name))
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            for chunk in chunks:
                fh.write(chunk)

    def staged(self, name: str) -> pd.DataFrame:
        """Everything staged so far for table ``name``, in input order, as one DataFrame (for small runs
        and the benchmark; the runner's audit streams it with :meth:`select` instead)."""
        self.con.commit()
        return pd.concat([frame(name, []), *self._chunks(name)], ignore_index=True)

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> Iterator[list[tuple]]:
        cursor = self.con.execute(sql, params)
        try:
            while rows := cursor.fetchmany(self.CHUNK_ROWS):
                yield rows
        finally:
            cursor.close()

    def _chunks(self, name: str) -> Iterator[pd.DataFrame]:
        cols = ", ".join(f'"{c}"' for c in COLUMNS[name])
        for rows in self._fetch(f'SELECT {cols} FROM "_stage_{name}" ORDER BY _seq, rowid'):
            yield frame(name, rows)

    def finish(self, extra: dict[str, pd.DataFrame] | None = None) -> None:
        """Export every table and move the outputs into place; ``extra`` tables are written as they are."""
        self.con.commit()
        staged: list[tuple[Path, Path]] = list(self._files)
        try:
            for name in self.tables:
                csv_tmp, pq_tmp = self._tmp(f"{name}.csv"), self._tmp(f"{name}.parquet")
                staged += [(csv_tmp, self.out_dir / f"{name}.csv"), (pq_tmp, self.out_dir / f"{name}.parquet")]
                self._export(name, csv_tmp, pq_tmp)
                self._move_into_place(name)
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

    def _export(self, name: str, csv_path: Path, parquet_path: Path) -> None:
        """Table ``name`` as CSV and Parquet, chunk by chunk in input order; Parquet row groups of
        :attr:`ROW_GROUP_ROWS` rows (as when the table was written in chunks of that size, so a narrow
        table's file is the same) or fewer when they reach :attr:`ROW_GROUP_BYTES`."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        empty = frame(name, [])
        schema = pa.Schema.from_pandas(empty, preserve_index=False)
        group: list[pa.Table] = []
        with pq.ParquetWriter(parquet_path, schema) as parquet:
            empty.to_csv(csv_path, index=False, encoding="utf-8")
            for chunk in self._chunks(name):
                chunk.to_csv(csv_path, mode="a", header=False, index=False, encoding="utf-8")
                group.append(pa.Table.from_pandas(chunk, schema=schema, preserve_index=False))
                full = sum(t.nbytes for t in group) >= self.ROW_GROUP_BYTES
                if full or sum(len(t) for t in group) >= self.ROW_GROUP_ROWS:
                    group = _write_row_groups(parquet, group, self.ROW_GROUP_ROWS, last=full)
            if group:
                _write_row_groups(parquet, group, self.ROW_GROUP_ROWS, last=True)

    def _move_into_place(self, name: str) -> None:
        """The staged rows of ``name`` become its table in ``plans.db``, in input order. The corpus tables
        keep the schema pandas gave them when they were written whole (INTEGER, TEXT; no NULL text)."""
        self.con.execute(f'DROP TABLE IF EXISTS "{name}"')
        order = f'FROM "_stage_{name}" ORDER BY _seq, rowid'
        if name in CORPUS_TABLES:
            self.con.execute(_pandas_ddl(name))
            cols = ", ".join(_or_empty(c) for c in COLUMNS[name])
            self.con.execute(f'INSERT INTO "{name}" SELECT {cols} {order}')
        else:
            cols = ", ".join(f'"{c}"' for c in COLUMNS[name])
            self.con.execute(f'CREATE TABLE "{name}" AS SELECT {cols} {order}')
        self.con.execute(f'DROP TABLE "_stage_{name}"')

    def abort(self) -> None:
        """Drop the temporary database and files; the previous outputs stay as they were."""
        with suppress(sqlite3.Error):
            self.con.close()
        self.db_path.unlink(missing_ok=True)
        for tmp, _dest in self._files:
            tmp.unlink(missing_ok=True)

    def _tmp(self, name: str) -> Path:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
        os.close(fd)
        return Path(tmp)


def _write_row_groups(parquet: Any, tables: list[Any], rows: int, last: bool = False) -> list[Any]:
    """Write Arrow ``tables`` as row groups of ``rows`` rows, each contiguous as if written whole (the same
    file), and return what is left for the next one (everything goes when ``last``). Arrow's freed memory
    then goes back to the system: its allocator keeps it otherwise (measured: +50 MB of RSS for the sections
    of 1,000 plans)."""
    import pyarrow as pa

    table = pa.concat_tables(tables)
    while len(table) >= rows or (last and len(table)):
        parquet.write_table(table.slice(0, rows).combine_chunks(), row_group_size=rows)
        table = table.slice(rows)
    pa.default_memory_pool().release_unused()
    return [table] if len(table) else []


def _pandas_ddl(name: str) -> str:
    """The CREATE TABLE statement ``DataFrame.to_sql`` writes for table ``name`` (its exact layout, so that
    the schema in plans.db does not depend on whether a table was written whole or streamed)."""
    cols = ",\n  ".join(f'"{c}" {_sql_type(c)}' for c in COLUMNS[name])
    return f'CREATE TABLE "{name}" (\n{cols}\n)'


def _or_empty(col: str) -> str:
    """A column in a SELECT, text columns with NULL as '' (what a DataFrame written whole holds)."""
    return f"COALESCE(\"{col}\", '')" if _sql_type(col) == "TEXT" else f'"{col}"'


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
