"""Records → tidy DataFrames → CSV, Parquet and one SQLite database, written atomically.

The column lists below are the output contract (``CONTRACT.md``) plus the provenance and diagnostic
columns that users asked for; every table is written even when it is empty, so that a notebook or a SQL
query never meets a missing table. Every file is first written beside its destination under a temporary
name and then renamed over it, so an interrupted run never leaves a half-written table over a good one.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from functools import cache
from itertools import chain
from operator import itemgetter
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


def _dtype(col: str) -> str:
    """The pandas dtype of a column in :func:`frame`."""
    if col in INTEGER_COLUMNS:
        return "Int64"
    if col in FLOAT_COLUMNS:
        return "Float64"
    if col in BOOLEAN_COLUMNS:
        return "boolean"
    return "string"


def _empty_frame(name: str) -> pd.DataFrame:
    """``frame(name, [])`` built directly from typed empty arrays (a fifth of the time: no conversion of
    each column after the fact)."""
    return pd.DataFrame({col: pd.array([], dtype=_dtype(col)) for col in COLUMNS[name]})


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
    """Write ``text`` exactly (UTF-8, no newline translation) so offsets stay valid in the file; as
    :func:`atomic_path` does, under a temporary name renamed over ``dest``, with one open and one write
    (a text per document: its folder is made only when the first one finds it missing)."""
    data = text.encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    except FileNotFoundError:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, dest)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


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

    Rows go straight into the tables of a temporary ``plans.db`` beside the output, under a rowid that
    encodes their document's place in the batch and their arrival (:data:`SEQ_SHIFT`), so each table is
    kept in input order by SQLite itself whatever order the documents finished in: nothing is sorted or
    copied at the end. :meth:`finish` exports every table to CSV and Parquet, chunk by chunk, then renames
    the files into place. Until then the previous run's tables are untouched; :meth:`abort` removes the
    temporary files.
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
    #: Bytes per page of ``plans.db``: rows staged as they arrive fill larger pages with less bookkeeping
    #: (measured on 200 plans against the default 4 KB: about 10% less time to stage, an 8% smaller file).
    PAGE_SIZE = 16384

    def __init__(self, out_dir: Path, tables: list[str]) -> None:
        self.out_dir = out_dir
        self.tables = tables
        #: Other files of the run (audit.md), written beforehand and renamed with the tables.
        self._files: list[tuple[Path, Path]] = []
        #: Rows staged so far per table: the arrival part of the next row's rowid.
        self._arrived = dict.fromkeys(tables, 0)
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".plans.db.", suffix=".tmp", dir=out_dir)
        os.close(fd)
        self.db_path = Path(tmp)
        self.con = sqlite3.connect(self.db_path)
        self.con.execute("PRAGMA journal_mode=OFF")
        self.con.execute("PRAGMA synchronous=OFF")
        self.con.execute(f"PRAGMA page_size={self.PAGE_SIZE}")
        for name in tables:
            self.con.execute(_create_table(name))

    def append(self, name: str, rows: list[dict], seq: int) -> None:
        """Add rows of table ``name`` for the document at position ``seq`` of the batch."""
        self.append_rows(name, [(seq, row) for row in rows])

    def append_rows(self, name: str, rows: Iterable[tuple[int, dict]]) -> None:
        """Add ``(seq, row)`` pairs of table ``name``: the export orders rows by ``seq``, then by arrival
        (a corpus table's rows come from many places of the batch at once). A column missing from a row
        is NULL."""
        rows = list(rows)
        rowids = [(seq << SEQ_SHIFT) + k for k, (seq, _row) in enumerate(rows, self._arrived[name])]
        get = _row_getter(name)
        try:
            values = [(rowid, *get(row)) for rowid, (_seq, row) in zip(rowids, rows, strict=True)]
        except KeyError:
            cols = COLUMNS[name]
            values = [
                (rowid, *(row.get(c) for c in cols)) for rowid, (_seq, row) in zip(rowids, rows, strict=True)
            ]
        self._insert(name, values)

    def append_values(self, name: str, values: Sequence[Sequence[Any]], seq: int) -> None:
        """Add rows of table ``name`` for the document at position ``seq``, each a tuple of the table's
        :data:`COLUMNS` in order: what :meth:`append` does without a dict per row."""
        first = (seq << SEQ_SHIFT) + self._arrived[name]
        self._insert(name, [(rowid, *v) for rowid, v in enumerate(values, first)])

    def _insert(self, name: str, values: list[tuple]) -> None:
        """Store ``values`` (the rowid first, then the columns). The sqlite3 module binds plain values as
        :func:`_sql_value` would convert them (a bool is an int; SQLite stores a float NaN as NULL), so
        only rows with anything else (pandas' NA, numpy scalars) are converted value by value."""
        if not values:
            return
        self._arrived[name] += len(values)
        if self._arrived[name] >= 1 << SEQ_SHIFT:
            raise OverflowError(f"more than {1 << SEQ_SHIFT} rows in table {name}")
        if not _PLAIN_TYPES.issuperset(map(type, chain.from_iterable(values))):
            values = [tuple(map(_sql_value, row)) for row in values]
        self.con.executemany(_insert_statement(name), values)

    def select(self, name: str, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
        """The rows staged for table ``name``, in input order, as dicts of ``columns`` and ``_seq`` (the
        document's place in the batch), read chunk by chunk: what the corpus-level audit streams."""
        cols = ", ".join(f'"{c}"' for c in columns)
        keys = ("_seq", *columns)
        for rows in self._fetch(f'SELECT rowid >> {SEQ_SHIFT}, {cols} FROM "{name}" ORDER BY rowid'):
            for row in rows:
                yield dict(zip(keys, row, strict=True))

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple]:
        """Rows of a query over the staged tables (named by :meth:`stage`), read chunk by chunk."""
        for rows in self._fetch(sql, params):
            yield from rows

    @staticmethod
    def stage(name: str) -> str:
        """The quoted name of the table that stages ``name`` until :meth:`finish`, for :meth:`query`. Its
        rowid order is input order (by document, then by arrival): ``rowid >> SEQ_SHIFT`` is the
        document's place in the batch."""
        return f'"{name}"'

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

    def _fetch(self, sql: str, params: Sequence[Any] = (), text: type = str) -> Iterator[list[tuple]]:
        """The rows of a query, :attr:`CHUNK_ROWS` at a time; text as ``str``, or as UTF-8 ``bytes`` for
        Arrow (which takes them as they are, where a ``str`` is decoded here and encoded again there)."""
        cursor = self.con.execute(sql, params)
        try:
            while True:
                self.con.text_factory = text  # read as rows are fetched: other cursors keep ``str``
                try:
                    rows = cursor.fetchmany(self.CHUNK_ROWS)
                finally:
                    self.con.text_factory = str
                if not rows:
                    return
                yield rows
        finally:
            cursor.close()

    def _chunks(self, name: str) -> Iterator[pd.DataFrame]:
        cols = ", ".join(f'"{c}"' for c in COLUMNS[name])
        for rows in self._fetch(f'SELECT {cols} FROM "{name}" ORDER BY rowid'):
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
        """Table ``name`` as CSV and Parquet, read chunk by chunk in input order; Parquet row groups of
        :attr:`ROW_GROUP_ROWS` rows (as when the table was written in chunks of that size, so a narrow
        table's file is the same) or fewer when they reach :attr:`ROW_GROUP_BYTES`.

        No DataFrame is built: each chunk becomes Arrow columns as it comes from SQLite, which give both
        the Parquet row groups and the CSV text, formatted as :func:`frame` and ``DataFrame.to_csv`` /
        ``to_parquet`` format them (which the streaming writer's tests check byte for byte)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        layout = _layout(name)
        group: list[pa.Table] = []
        with pq.ParquetWriter(parquet_path, layout.schema) as parquet, csv_path.open("wb") as fh:
            fh.write(layout.header)
            for rows in self._fetch(layout.select, text=bytes):
                chunk = layout.arrow(rows)
                fh.write(layout.csv(chunk))
                group.append(chunk)
                full = sum(t.nbytes for t in group) >= self.ROW_GROUP_BYTES
                if full or sum(len(t) for t in group) >= self.ROW_GROUP_ROWS:
                    group = _write_row_groups(parquet, group, self.ROW_GROUP_ROWS, last=full)
            if group:
                _write_row_groups(parquet, group, self.ROW_GROUP_ROWS, last=True)

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


#: A staged row's rowid is its document's place in the batch shifted left by this many bits, plus the
#: number of rows of its table that came before it: rowid order is (document, arrival) order, the order
#: of the tables, so SQLite keeps each table in order as rows arrive (a table takes up to 2**32 rows, a
#: batch up to 2**31 documents; the errors of inputs that could not be listed come first, at -1).
SEQ_SHIFT = 32


@cache
def _create_table(name: str) -> str:
    """The CREATE TABLE statement of table ``name`` in ``plans.db``: for a corpus table the one pandas'
    ``to_sql`` writes (INTEGER, TEXT); for the others the one ``CREATE TABLE ... AS SELECT`` from the
    typed columns writes, made by SQLite itself (so the schema is what it always was)."""
    if name in CORPUS_TABLES:
        return _pandas_ddl(name)
    con = sqlite3.connect(":memory:")
    try:
        typed = ", ".join(f'"{c}" {_sql_type(c)}' for c in COLUMNS[name])
        con.execute(f'CREATE TABLE "_typed" ({typed})')
        cols = ", ".join(f'"{c}"' for c in COLUMNS[name])
        con.execute(f'CREATE TABLE "{name}" AS SELECT {cols} FROM "_typed"')
        return con.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    finally:
        con.close()


@cache
def _insert_statement(name: str) -> str:
    """The INSERT of a row of table ``name`` (its rowid first); a corpus table's text is never NULL
    (what pandas wrote when those tables were written whole)."""
    cols = ", ".join(f'"{c}"' for c in COLUMNS[name])
    corpus = name in CORPUS_TABLES
    marks = ", ".join("COALESCE(?, '')" if corpus and _sql_type(c) == "TEXT" else "?" for c in COLUMNS[name])
    return f'INSERT INTO "{name}" (rowid, {cols}) VALUES (?, {marks})'


@dataclass(frozen=True)
class _Layout:
    """How one table's rows go from ``plans.db`` to Parquet and CSV without a DataFrame: each chunk of rows
    becomes Arrow columns (:meth:`arrow`), and these become the CSV text (:meth:`csv`), cell for cell as
    :func:`frame` then ``to_parquet`` and ``to_csv`` have them."""

    #: The Arrow schema ``to_parquet`` gives the table's :func:`frame` (its pandas metadata included, so that
    #: ``read_parquet`` gives back the same dtypes).
    schema: Any
    #: The query of its rows in input order, text columns with NULL as '' (what :func:`frame` holds).
    select: str
    #: Each column's kind: "text", "int", "float" or "bool" (stored as 0/1 in SQLite).
    kinds: tuple[str, ...]
    #: The CSV header line, UTF-8.
    header: bytes

    def arrow(self, rows: list[tuple]) -> Any:
        """A chunk of rows (tuples of the columns) as an Arrow table of :attr:`schema`."""
        import pyarrow as pa

        arrays = []
        for kind, field, values in zip(self.kinds, self.schema, zip(*rows, strict=True), strict=True):
            if kind == "bool":
                arrays.append(pa.array(values, type=pa.int8()).cast(pa.bool_()))
            else:
                arrays.append(pa.array(values, type=field.type))
        return pa.Table.from_arrays(arrays, schema=self.schema)

    def csv(self, table: Any) -> Any:
        """The CSV lines of an Arrow chunk (from :meth:`arrow`) as a buffer of UTF-8: what ``to_csv`` writes
        through the csv module, missing values empty, ints as ``str``, floats as ``repr``, booleans as
        True/False, and text quoted only when it holds a character the csv module quotes on."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.large_string()
        cells = []
        for kind, column in zip(self.kinds, table.columns, strict=True):
            if kind == "text":
                column = column.cast(text)  # a no-op for pandas' strings, which Arrow holds as large ones
                if _may_need_quotes(column):
                    quote = pc.match_substring_regex(column, _csv_quoted_pattern())
                    mark = pa.scalar('"', text)
                    doubled = pc.replace_substring(column, '"', '""')
                    quoted = pc.binary_join_element_wise(mark, doubled, mark, pa.scalar("", text))
                    column = pc.if_else(quote, quoted, column)
                cells.append(column)
            elif kind == "int":
                cells.append(pc.cast(column, text))
            elif kind == "bool":
                cells.append(pc.if_else(column, "True", "False").cast(text))
            else:  # few values (OCR confidences): Python's repr is what the csv module writes
                cells.append(pa.array([None if v is None else repr(v) for v in column.to_pylist()], type=text))
        # missing values (nulls) are empty cells; the line's end goes on its last cell
        end = pa.scalar("\n", text)
        cells[-1] = pc.binary_join_element_wise(cells[-1], pa.scalar("", text), end, null_handling="replace")
        lines = pc.binary_join_element_wise(*cells, pa.scalar(",", text), null_handling="replace")
        if isinstance(lines, pa.ChunkedArray):
            lines = lines.combine_chunks()
        _validity, offsets, data = lines.buffers()
        ends = np.frombuffer(offsets, dtype=np.int64)  # a large_string array's offsets are int64
        return data[int(ends[lines.offset]) : int(ends[lines.offset + len(lines)])]


@cache
def _layout(name: str) -> _Layout:
    """Table ``name``'s :class:`_Layout` (built once per process: its schema comes from an empty frame)."""
    import pyarrow as pa

    cols = COLUMNS[name]
    schema = pa.Schema.from_pandas(_empty_frame(name), preserve_index=False)
    select = f'SELECT {", ".join(_or_empty(c) for c in cols)} FROM "{name}" ORDER BY rowid'
    kinds = tuple({"Int64": "int", "Float64": "float", "boolean": "bool"}.get(_dtype(c), "text") for c in cols)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(cols)
    return _Layout(schema, select, kinds, header.getvalue().encode("utf-8"))


def _may_need_quotes(column: Any) -> bool:
    """Whether any cell of a text column may need quotes: a search of its bytes as a whole (most columns
    hold no comma, quote or line break at all), before the cell-by-cell match."""
    data = b"".join(chunk.buffers()[2] or b"" for chunk in column.chunks)
    return any(ch.encode() in data for ch in _csv_quoted_chars())


@cache
def _csv_quoted_pattern() -> str:
    """The regex class of :func:`_csv_quoted_chars`."""
    return "[" + "".join(f"\\x{ord(ch):02x}" for ch in _csv_quoted_chars()) + "]"


@cache
def _csv_quoted_chars() -> str:
    """The characters for which the csv module (as ``to_csv`` sets it up: minimal quoting, ``\\n`` line
    ends) quotes a field. Asked of the running Python's csv module rather than written down,
    since versions differ (whether a lone ``\\r`` is quoted): only ASCII characters can be special."""
    special = []
    for code in range(128):
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow([f"a{chr(code)}b", "x"])
        if out.getvalue().startswith('"'):
            special.append(chr(code))
    return "".join(special)


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


def _pandas_ddl(name: str, schema: str = "") -> str:
    """The CREATE TABLE statement ``DataFrame.to_sql`` writes for table ``name`` (its exact layout, so that
    the schema in plans.db does not depend on whether a table was written whole or streamed), in the
    attached database ``schema`` if one is named (SQLite stores the statement without it)."""
    cols = ",\n  ".join(f'"{c}" {_sql_type(c)}' for c in COLUMNS[name])
    where = f"{schema}." if schema else ""
    return f'CREATE TABLE {where}"{name}" (\n{cols}\n)'


def _or_empty(col: str) -> str:
    """A column in a SELECT, text columns with NULL as '' (what a DataFrame written whole holds)."""
    return f"COALESCE(\"{col}\", '')" if _sql_type(col) == "TEXT" else f'"{col}"'


#: The types of value the sqlite3 module stores exactly as :func:`_sql_value` would have them.
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


@cache
def _row_getter(name: str) -> itemgetter:
    """The values of table ``name``'s columns, in order, from a row dict (a KeyError if one is missing)."""
    return itemgetter(*COLUMNS[name])


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
