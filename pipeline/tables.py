"""Records → tidy DataFrames → CSV, Parquet and one SQLite database, written atomically.

The column lists below are the output contract (``CONTRACT.md``) plus the provenance and diagnostic
columns that users asked for; every table is written even when it is empty, so that a notebook or a SQL
query never meets a missing table. Every file is first written beside its destination under a temporary
name and then renamed over it, so an interrupted run never leaves a half-written table over a good one.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import chain, count
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
        fd, tmp = _create_tmp(dest)
    except FileNotFoundError:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_tmp(dest)
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, dest)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


#: The part of a temporary name that tells this process's files apart (see :func:`_create_tmp`).
_TMP_COUNTER = count()


def _create_tmp(dest: Path) -> tuple[int, str]:
    """A new file beside ``dest`` (owner-only, as ``mkstemp`` makes it) and its name: ``mkstemp``'s
    random names cost more Python than the write itself, and this process's id and a counter are unique
    already; a name left by a crashed process of the same id makes the exclusive create fail, and then
    ``mkstemp`` picks one."""
    tmp = f"{dest.parent}{os.sep}.{dest.name}.{os.getpid()}-{next(_TMP_COUNTER)}.tmp"
    try:
        return os.open(tmp, _TMP_FLAGS, 0o600), tmp
    except FileExistsError:
        return tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)


_TMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


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

    While a table's rows come in input order (documents done one after the other), its CSV and Parquet
    files are written from the rows as they are stored (:class:`_Stream`), and :meth:`finish` only closes
    them: nothing is read back. The first row out of order (from a pool of workers), or a value that
    SQLite would store otherwise than Arrow takes it, drops those files, and the table is exported from
    ``plans.db`` as above: the same bytes either way.
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
    #: Rows held (over all tables) before they go into ``plans.db`` together, table by table: a plan's
    #: dozen small inserts cost more in calls than in rows (measured on 200 plans: 15% less time to stage
    #: with a dozen plans per insert, no gain beyond). The rows are the documents' own values, held a
    #: little longer: a few MB at most, whatever the corpus size.
    FLUSH_ROWS = 2_000

    def __init__(self, out_dir: Path, tables: list[str]) -> None:
        self.out_dir = out_dir
        self.tables = tables
        #: Other files of the run (audit.md), written beforehand and renamed with the tables.
        self._files: list[tuple[Path, Path]] = []
        #: Rows staged so far per table: the arrival part of the next row's rowid.
        self._arrived = dict.fromkeys(tables, 0)
        #: Rows (the rowid first) not yet in the database, per table, and how many in all.
        self._pending: dict[str, list[tuple]] = {name: [] for name in tables}
        self._pending_rows = 0
        #: The tables exported as their rows come (None once rows came out of order). The corpus tables
        #: come from many documents at once, and a float column may hold what SQLite stores differently
        #: (-0.0 as 0), so those are always exported from the database.
        self._streams: dict[str, _Stream | None] = {
            name: _Stream() for name in tables if name not in CORPUS_TABLES and "float" not in _kinds(name)
        }
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
        """Stage ``values`` (the rowid first, then the columns): held until :attr:`FLUSH_ROWS` rows are
        waiting, then stored by :meth:`_flush` (which every read calls first)."""
        if not values:
            return
        self._arrived[name] += len(values)
        if self._arrived[name] >= 1 << SEQ_SHIFT:
            raise OverflowError(f"more than {1 << SEQ_SHIFT} rows in table {name}")
        self._pending[name] += values
        self._pending_rows += len(values)
        if self._pending_rows >= self.FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Store the rows held by :meth:`_insert`, table by table, and pass them on to the tables'
        streams."""
        if not self._pending_rows:
            return
        for name, values in self._pending.items():
            if values:
                self._store(name, values)
                self._pending[name] = []
                if self._streams.get(name) is not None:
                    self._follow(name, values)
        self._pending_rows = 0

    def _follow(self, name: str, values: list[tuple]) -> None:
        """Pass stored rows to the table's :class:`_Stream` if they come after its rows, in order; drop the
        stream otherwise. Its rows become Arrow chunks of at least :attr:`CHUNK_ROWS` rows, as in the
        export from the database (each chunk costs a few dozen calls into Arrow whatever its size)."""
        stream = self._streams[name]
        assert stream is not None
        rowids = [row[0] for row in values]
        if rowids[0] <= stream.last or not all(map(operator.lt, rowids, rowids[1:])):
            self._drop_stream(name)
            return
        stream.last = rowids[-1]
        stream.rows += values
        if len(stream.rows) >= self.CHUNK_ROWS:
            self._render(name)

    def _render(self, name: str) -> None:
        """Write the rows a table's stream holds into its files (opened with the first rows), or drop the
        stream if a value is not of its column's plain type (:meth:`_Layout.arrow_values`)."""
        stream = self._streams[name]
        assert stream is not None
        layout = _layout(name)
        chunk = layout.arrow_values(stream.rows)
        if chunk is None:
            self._drop_stream(name)
            return
        stream.rows = []
        if stream.export is None:
            stream.export = _Export(layout, self._tmp(f"{name}.csv"), self._tmp(f"{name}.parquet"), self)
        stream.export.add(chunk)
        self._bound_streams()

    def _bound_streams(self) -> None:
        """Keep the row groups the streams gather within :attr:`ROW_GROUP_BYTES` all together, as the
        export of one table at a time does: the stream holding the most writes its row group early
        (one of fewer rows: the same values), so memory does not grow with the number of tables."""
        exports = [s.export for s in self._streams.values() if s is not None and s.export is not None]
        held = {export: export.held() for export in exports}
        while held and sum(held.values()) > self.ROW_GROUP_BYTES:
            biggest = max(held, key=held.__getitem__)
            biggest.spill()
            del held[biggest]

    def _drop_stream(self, name: str) -> None:
        """Give up exporting a table as its rows come: it is exported from ``plans.db`` at the end."""
        stream = self._streams[name]
        if stream is not None and stream.export is not None:
            stream.export.discard()
        self._streams[name] = None

    def _store(self, name: str, values: list[tuple]) -> None:
        """Insert ``values`` as they are: the sqlite3 module binds plain values as :func:`_sql_value` would
        convert them (a bool is an int; SQLite stores a float NaN as NULL). A value it cannot bind (pandas'
        NA) stops the insert part way: the rows already in are taken out again (by their rowids, which
        are this batch's own) and all of them go in converted value by value.

        Rows go several at a time (:func:`_rows_per_insert`), in one statement of that many rows (the rest
        one by one): SQLite then runs one statement per so many rows, not one per row."""
        insert = _insert_statement(name)
        try:
            step = _rows_per_insert(name)
            whole = len(values) - len(values) % step
            if whole:
                several = _insert_statement(name, step)
                for start in range(0, whole, step):
                    self.con.execute(several, list(chain.from_iterable(values[start : start + step])))
            self.con.executemany(insert, values[whole:])
        except (sqlite3.InterfaceError, sqlite3.ProgrammingError):
            self.con.executemany(f'DELETE FROM "{name}" WHERE rowid = ?', [row[:1] for row in values])
            self.con.executemany(insert, [tuple(map(_sql_value, row)) for row in values])

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
        self._flush()
        self.con.commit()
        return pd.concat([frame(name, []), *self._chunks(name)], ignore_index=True)

    def _fetch(self, sql: str, params: Sequence[Any] = (), text: type = str) -> Iterator[list[tuple]]:
        """The rows of a query, :attr:`CHUNK_ROWS` at a time; text as ``str``, or as UTF-8 ``bytes`` for
        Arrow (which takes them as they are, where a ``str`` is decoded here and encoded again there).
        The rows still held are stored first, so a read sees every row staged."""
        self._flush()
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
        self._flush()
        self.con.commit()
        staged: list[tuple[Path, Path]] = list(self._files)
        try:
            exports = {name: self._streamed(name) for name in self.tables}
            for export in exports.values():  # first: what the streams hold goes before any export begins
                if export is not None:
                    export.close()
            for name, export in exports.items():
                if export is None:
                    export = _Export(_layout(name), self._tmp(f"{name}.csv"), self._tmp(f"{name}.parquet"), self)
                    self._export(name, export)
                    export.close()
                staged += [
                    (export.csv, self.out_dir / f"{name}.csv"),
                    (export.parquet, self.out_dir / f"{name}.parquet"),
                ]
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

    def _streamed(self, name: str) -> _Export | None:
        """The files of a table exported as its rows came, with its last rows written; None if it is to be
        exported from the database (rows out of order, or none at all)."""
        stream = self._streams.get(name)
        if stream is not None and stream.rows:
            self._render(name)
            stream = self._streams[name]
        return None if stream is None else stream.export

    def _export(self, name: str, export: _Export) -> None:
        """Table ``name`` from ``plans.db`` into ``export``, read chunk by chunk in input order.

        No DataFrame is built: each chunk becomes Arrow columns as it comes from SQLite, which give both
        the Parquet row groups and the CSV text, formatted as :func:`frame` and ``DataFrame.to_csv`` /
        ``to_parquet`` format them (which the streaming writer's tests check byte for byte)."""
        try:
            for rows in self._fetch(export.layout.select, text=bytes):
                export.add(export.layout.arrow(rows))
        except BaseException:
            export.discard()
            raise

    def abort(self) -> None:
        """Drop the temporary database and files; the previous outputs stay as they were."""
        self._pending = {name: [] for name in self.tables}
        self._pending_rows = 0
        for name in list(self._streams):
            self._drop_stream(name)
        with suppress(sqlite3.Error):
            self.con.close()
        self.db_path.unlink(missing_ok=True)
        for tmp, _dest in self._files:
            tmp.unlink(missing_ok=True)

    def _tmp(self, name: str) -> Path:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.out_dir)
        os.close(fd)
        return Path(tmp)


class _Export:
    """A table's CSV and Parquet files being written under temporary names, chunk by chunk in input order:
    Parquet row groups of :attr:`TableWriter.ROW_GROUP_ROWS` rows (as when the table was written in chunks
    of that size, so a narrow table's file is the same) or fewer when they reach
    :attr:`TableWriter.ROW_GROUP_BYTES`."""

    def __init__(self, layout: _Layout, csv_path: Path, parquet_path: Path, sizes: TableWriter) -> None:
        import pyarrow.parquet as pq

        self.layout, self.csv, self.parquet = layout, csv_path, parquet_path
        self._rows, self._bytes = sizes.ROW_GROUP_ROWS, sizes.ROW_GROUP_BYTES
        self._writer = pq.ParquetWriter(parquet_path, layout.schema)
        self._fh = csv_path.open("wb")
        self._fh.write(layout.header)
        self._group: list[Any] = []

    def add(self, chunk: Any) -> None:
        """Write an Arrow chunk (from :meth:`_Layout.arrow` or :meth:`_Layout.arrow_values`)."""
        self._fh.write(self.layout.csv(chunk))
        self._group.append(chunk)
        full = self.held() >= self._bytes
        if full or sum(len(t) for t in self._group) >= self._rows:
            self._group = _write_row_groups(self._writer, self._group, self._rows, last=full)

    def held(self) -> int:
        """Bytes of Arrow data gathered for the next row group."""
        return sum(t.nbytes for t in self._group)

    def spill(self) -> None:
        """Write the rows gathered so far as row groups now."""
        if self._group:
            self._group = _write_row_groups(self._writer, self._group, self._rows, last=True)

    def close(self) -> None:
        """Write what is left and close both files."""
        self.spill()
        self._writer.close()
        self._fh.close()

    def discard(self) -> None:
        """Close both files and remove them."""
        with suppress(Exception):
            self._writer.close()
        self._fh.close()
        self.csv.unlink(missing_ok=True)
        self.parquet.unlink(missing_ok=True)


@dataclass
class _Stream:
    """A table exported as its rows are stored (:meth:`TableWriter._follow`): its files once it has rows,
    the rows not yet written, and the rowid of the last row taken (the next must come after it)."""

    export: _Export | None = None
    rows: list[tuple] = field(default_factory=list)
    last: int = -(1 << 63)


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
def _insert_statement(name: str, rows: int = 1) -> str:
    """The INSERT of ``rows`` rows of table ``name`` (each its rowid first, then its columns); a corpus
    table's text is never NULL (what pandas wrote when those tables were written whole)."""
    cols = ", ".join(f'"{c}"' for c in COLUMNS[name])
    corpus = name in CORPUS_TABLES
    marks = ", ".join("COALESCE(?, '')" if corpus and _sql_type(c) == "TEXT" else "?" for c in COLUMNS[name])
    return f'INSERT INTO "{name}" (rowid, {cols}) VALUES ' + ", ".join([f"(?, {marks})"] * rows)


@cache
def _rows_per_insert(name: str) -> int:
    """Rows per INSERT statement of :meth:`TableWriter._store`: 50 (measured on 200 plans: 10 rows save 7%
    of the time to store, 50 rows 15%, 200 rows less again), fewer if that many rows of the table would
    bind more values than the 999 SQLite took before version 3.32."""
    return max(1, min(50, 999 // (len(COLUMNS[name]) + 1)))


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
        """A chunk of rows (tuples of the columns) as an Arrow table of :attr:`schema`. Text comes as UTF-8
        ``bytes`` (:meth:`TableWriter._fetch`): taken as binary and then checked as UTF-8 all at once,
        which costs half of checking each value as it is taken."""
        import pyarrow as pa

        arrays = []
        binary = pa.large_binary()
        for kind, spec, values in zip(self.kinds, self.schema, zip(*rows, strict=True), strict=True):
            if kind == "text":
                arrays.append(pa.array(values, type=binary).cast(spec.type))
            elif kind == "bool":
                arrays.append(pa.array(values, type=pa.int8()).cast(pa.bool_()))
            else:
                arrays.append(pa.array(values, type=spec.type))
        return pa.Table.from_arrays(arrays, schema=self.schema)

    def arrow_values(self, rows: list[tuple]) -> Any:
        """Staged rows (the rowid first, then the columns as given to the writer) as the Arrow table
        :meth:`arrow` makes of them once stored and read back; None if a value is one that SQLite might
        store as something else than Arrow takes it (an int as text, a float or a numpy scalar in an
        integer column). Arrow takes only ``str``, bytes and None as text, which SQLite stores as they
        are; an integer or boolean column must hold ints or bools and None only (Arrow would take a
        float or a numpy scalar there)."""
        import pyarrow as pa

        arrays = []
        columns = list(zip(*rows, strict=True))[1:]
        try:
            for kind, spec, values in zip(self.kinds, self.schema, columns, strict=True):
                if kind != "text" and not _PLAIN[kind].issuperset(map(type, values)):
                    return None
                array = pa.array(values, type=spec.type)
                if array.null_count and kind == "text":
                    array = array.fill_null("")  # what the export's COALESCE reads
                arrays.append(array)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
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
                special = _quoted_chars_in(column)
                cells.append(_quote(column.combine_chunks(), special) if special else column)
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
    """Table ``name``'s :class:`_Layout` (built once per process)."""
    cols = COLUMNS[name]
    schema = _schema(name)
    select = f'SELECT {", ".join(_or_empty(c) for c in cols)} FROM "{name}" ORDER BY rowid'
    kinds = _kinds(name)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(cols)
    return _Layout(schema, select, kinds, header.getvalue().encode("utf-8"))


def _kinds(name: str) -> tuple[str, ...]:
    """Each column's kind in the export: "text", "int", "float" or "bool" (stored as 0/1 in SQLite)."""
    return tuple(
        {"Int64": "int", "Float64": "float", "boolean": "bool"}.get(_dtype(c), "text") for c in COLUMNS[name]
    )


#: The types of value an integer or boolean column takes as it is (Arrow and SQLite alike), None missing.
_PLAIN = {"int": frozenset({int, type(None)}), "bool": frozenset({bool, type(None)})}


def _schema(name: str) -> Any:
    """The Arrow schema ``to_parquet`` gives table ``name``'s :func:`frame`, pandas metadata and all: put
    together from what ``Schema.from_pandas`` says of one column of each dtype, since asking it of each
    table's empty frame costs more than the export of a small batch (tested equal for every table)."""
    import pyarrow as pa

    kinds, meta = _schema_parts()
    schema = pa.schema([pa.field(c, kinds[_dtype(c)][0]) for c in COLUMNS[name]])
    columns = [{**kinds[_dtype(c)][1], "name": c, "field_name": c} for c in COLUMNS[name]]
    # the layout of pyarrow's own ``json.dumps`` of the metadata, the columns' entries in its key order
    return schema.with_metadata({b"pandas": json.dumps({**meta, "columns": columns}).encode("utf8")})


@cache
def _schema_parts() -> tuple[dict[str, tuple[Any, dict]], dict]:
    """Per dtype of :func:`frame`'s columns, the Arrow type and the pandas metadata entry of a column of
    it (names to fill in), and the rest of the pandas metadata: from a frame of one column per dtype."""
    import pyarrow as pa

    dtypes = sorted({_dtype(c) for cols in COLUMNS.values() for c in cols})
    sample = pa.Schema.from_pandas(pd.DataFrame({d: pd.array([], dtype=d) for d in dtypes}), preserve_index=False)
    meta = json.loads(sample.metadata[b"pandas"])
    entries = {entry["name"]: entry for entry in meta["columns"]}
    return {d: (sample.field(d).type, entries[d]) for d in dtypes}, meta


def _quoted_chars_in(column: Any) -> str:
    """The characters of :func:`_csv_quoted_chars` that a text column may hold: a search of its bytes as
    a whole (most columns hold no comma, quote or line break at all), before the cell-by-cell match."""
    data = b"".join(chunk.buffers()[2] or b"" for chunk in column.chunks)
    return "".join(ch for ch in _csv_quoted_chars() if ch.encode() in data)


def _quote(column: Any, special: str) -> Any:
    """A text column's cells as the csv module writes them: a cell that holds one of the characters
    ``special`` (those of :func:`_csv_quoted_chars` its bytes hold) in quotes, its quotes doubled. Only
    those cells are rebuilt, by one substring match per character the column holds at all (the cells
    of a column that needs any quoting are mostly plain)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    quote = None
    for ch in special:
        found = pc.match_substring(column, ch)
        quote = found if quote is None else pc.or_(quote, found)
    cells = pc.filter(column, quote)
    if '"' in special:
        cells = pc.replace_substring(cells, '"', '""')
    mark, empty = pa.scalar('"', column.type), pa.scalar("", column.type)
    return pc.replace_with_mask(column, quote, pc.binary_join_element_wise(mark, cells, mark, empty))


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
