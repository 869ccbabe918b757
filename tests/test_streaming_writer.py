"""The streaming writer's export, chunk by chunk, must write what one whole DataFrame per table wrote: the
same CSV bytes, equal Parquet, the same plans.db (the corpus tables with the schema pandas gave them). And
the runner's shallow rows must be what ``dataclasses.asdict`` gave."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pytest

from pipeline.runner import _row, process
from pipeline.tables import COLUMNS, TableWriter, frame
from tests.conftest import SEEDS

TEXTS = ["", "Kế hoạch số 173-KH/TU", "Ủy ban nhân dân tỉnh Lai Châu", 'a, b; "c"\nd', "nan", None]


def _value(col: str, rng: random.Random) -> object:
    """A value of the column's kind, missing now and then."""
    from pipeline.tables import BOOLEAN_COLUMNS, FLOAT_COLUMNS, INTEGER_COLUMNS

    if rng.random() < 0.15:
        return None
    if col in INTEGER_COLUMNS:
        return rng.randint(0, 10**6)
    if col in FLOAT_COLUMNS:
        return rng.random() * 100
    if col in BOOLEAN_COLUMNS:
        return rng.random() < 0.5
    return rng.choice(TEXTS)


def _rows(name: str, n: int, seed: int) -> list[tuple[int, dict]]:
    """``n`` rows of table ``name``, each under a document's place in the batch, in a shuffled order (as
    documents finish in a pool)."""
    rng = random.Random(seed)
    rows = [(rng.randint(0, n // 3), {c: _value(c, rng) for c in COLUMNS[name]}) for _ in range(n)]
    rng.shuffle(rows)
    return rows


TABLES = ["documents", "sections", "phases", "pages", "edges", "audit_findings"]


@pytest.fixture
def exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, pd.DataFrame]]:
    """A writer with tiny chunks and row groups, so that every table spans many of both."""
    monkeypatch.setattr(TableWriter, "CHUNK_ROWS", 7)
    monkeypatch.setattr(TableWriter, "ROW_GROUP_ROWS", 20)
    writer = TableWriter(tmp_path, TABLES)
    whole: dict[str, pd.DataFrame] = {}
    for k, name in enumerate(TABLES):
        rows = _rows(name, 95, k)
        for seq, row in rows[:40]:
            writer.append(name, [row], seq)
        writer.append_rows(name, rows[40:])
        ordered = [row for _i, (_seq, row) in sorted(enumerate(rows), key=lambda p: (p[1][0], p[0]))]
        whole[name] = frame(name, ordered)
    writer.finish()
    return tmp_path, whole


def test_chunked_csv_is_the_whole_frames_csv(exported, tmp_path_factory):
    out, whole = exported
    ref = tmp_path_factory.mktemp("ref")
    for name, df in whole.items():
        df.to_csv(ref / f"{name}.csv", index=False, encoding="utf-8")
        assert (out / f"{name}.csv").read_bytes() == (ref / f"{name}.csv").read_bytes(), name


def test_chunked_parquet_equals_the_whole_frame(exported):
    import pyarrow.parquet as pq

    out, whole = exported
    for name, df in whole.items():
        pd.testing.assert_frame_equal(pd.read_parquet(out / f"{name}.parquet"), df, obj=name)
        groups = [
            g.num_rows for g in (pq.ParquetFile(out / f"{name}.parquet").metadata.row_group(i) for i in range(5))
        ]
        assert groups == [20, 20, 20, 20, 15], name  # chunks of 7 gathered into row groups of 20


def test_row_groups_are_bounded_in_bytes_too(tmp_path, monkeypatch):
    """Wide rows (units and their tasks) close a row group before it has its rows: memory is bounded."""
    import pyarrow.parquet as pq

    monkeypatch.setattr(TableWriter, "CHUNK_ROWS", 7)
    monkeypatch.setattr(TableWriter, "ROW_GROUP_BYTES", 1)
    writer = TableWriter(tmp_path, ["units"])
    rows = _rows("units", 30, 0)
    writer.append_rows("units", rows)
    writer.finish()
    meta = pq.ParquetFile(tmp_path / "units.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [7, 7, 7, 7, 2]
    ordered = [row for _i, (_seq, row) in sorted(enumerate(rows), key=lambda p: (p[1][0], p[0]))]
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "units.parquet"), frame("units", ordered))


def test_plans_db_holds_the_same_rows_and_the_corpus_tables_pandas_schema(exported, tmp_path):
    out, whole = exported
    con = sqlite3.connect(out / "plans.db")
    ref = sqlite3.connect(tmp_path / "ref.db")
    for name, df in whole.items():
        got = pd.read_sql(f'SELECT * FROM "{name}"', con)
        want = frame(name, got.to_dict("records"))
        pd.testing.assert_frame_equal(want, df, obj=name)
    for name in ("edges", "audit_findings"):  # written whole with to_sql before they were streamed
        whole[name].to_sql(name, ref, index=False)
        schema = f"SELECT sql FROM sqlite_master WHERE name = '{name}'"
        assert con.execute(schema).fetchone() == ref.execute(schema).fetchone()
        text = [c for c in COLUMNS[name] if c not in {"mentions", "char_start", "char_end"}]
        nulls = " OR ".join(f'"{c}" IS NULL' for c in text)
        assert con.execute(f'SELECT COUNT(*) FROM "{name}" WHERE {nulls}').fetchone() == (0,)  # '' as pandas


def test_a_file_written_with_the_tables_appears_with_them(tmp_path):
    writer = TableWriter(tmp_path, ["errors"])
    writer.write_file("audit.md", ["# a\n", "b\n"])
    assert not (tmp_path / "audit.md").exists()
    writer.finish()
    assert (tmp_path / "audit.md").read_bytes() == b"# a\nb\n"

    second = TableWriter(tmp_path, ["errors"])
    second.write_file("audit.md", ["changed\n"])
    second.abort()
    assert (tmp_path / "audit.md").read_bytes() == b"# a\nb\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_shallow_rows_are_what_asdict_gave(seed):
    result = process(seed, seed.stem)
    full = asdict(result.document)
    full.pop("fields")
    assert _row(result.document, skip="fields") == full
    for section in result.sections:
        assert _row(section) == asdict(section)
    for records in result.records.values():
        for record in records:
            assert _row(record) == asdict(record)
            assert all(not isinstance(v, (list, dict)) for v in _row(record).values())


def _rows_as_before(result) -> dict[str, list[dict]]:
    """The rows of a document as the runner built them before it staged tuples: dicts from the records."""
    from pipeline.extractors import TABLE_EXTRACTORS
    from pipeline.runner import _page

    doc_id = result.document.doc_id
    sections = []
    for s in result.sections:
        row = _row(s)
        row.update(doc_id=doc_id, category=";".join(s.category), page=_page(result.page_starts, s.char_start))
        sections.append(row)
    fields = [
        {
            "doc_id": doc_id,
            "field": f.name,
            "value": f.value,
            "raw": f.raw,
            "char_start": f.char_start,
            "char_end": f.char_end,
            "page": _page(result.page_starts, f.char_start),
        }
        for f in result.document.fields
    ]
    rows = {"documents": [_row(result.document, skip="fields")], "sections": sections, "fields": fields}
    rows["repairs"] = [_row(x) for x in result.repairs]
    for table in TABLE_EXTRACTORS:
        rows[table] = [_row(rec) for rec in result.records.get(table, [])]
    return rows


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_staged_tuples_are_the_rows_in_column_order(seed):
    """values_of gives each table's columns in COLUMNS order, whatever the records' field order, and on a
    document of several pages the page of each offset."""
    from dataclasses import replace

    from pipeline.runner import values_of

    result = process(seed, seed.stem)
    for starts in (result.page_starts, [0, 40, 40, 900, 5000]):
        result.page_starts = starts
        expected = _rows_as_before(result)
        got = values_of(result)
        for table, rows in expected.items():
            assert got[table] == [tuple(row[c] for c in COLUMNS[table]) for row in rows], table
    result = replace(result, page_methods=["ocr", "text"], page_confidence=[0.5, None], page_starts=[0, 10])
    pages = values_of(result)["pages"]
    assert [p[-2:] for p in pages] == [(0.5, True), (None, False)]


def test_csv_cells_are_what_pandas_writes(tmp_path):
    """Every ASCII character (and some others) in text, missing values of every kind, ints, booleans and
    floats whose repr is tricky: the CSV the writer makes from Arrow is the bytes of ``to_csv``."""
    import numpy as np

    texts = [f"a{chr(c)}b" for c in range(128)] + [chr(c) for c in range(128)]
    texts += ['"', '""', "", " ", 'é,"ư"\n', "\u2028", "Ư\r\nĐ", "x" * 300, None]
    floats = [0.1, 1.0, 1e-05, 1e16, 0.1 + 0.2, 100.0, 1 / 3, 2.5e-300, -2.5, None, float("nan"), pd.NA]
    rows = []
    for i, text in enumerate(texts):
        rows.append(
            {
                "doc_id": text,
                "page": [i, None, pd.NA][i % 3],
                "char_start": -i,
                "char_end": 10**15 + i,
                "method": texts[-1 - i],
                "ocr_confidence": floats[i % len(floats)],
                "flagged": [True, False, None, np.nan][i % 4],
            }
        )
    writer = TableWriter(tmp_path, ["pages"])
    writer.append("pages", rows[:100], 0)
    writer.append_values("pages", [tuple(r[c] for c in COLUMNS["pages"]) for r in rows[100:150]], 1)
    writer.append_rows("pages", [(2, r) for r in rows[150:]])
    writer.finish()
    want = frame("pages", [{k: (None if v is pd.NA or v != v else v) for k, v in r.items()} for r in rows])
    want.to_csv(tmp_path / "want.csv", index=False, encoding="utf-8")
    assert (tmp_path / "pages.csv").read_bytes() == (tmp_path / "want.csv").read_bytes()
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "pages.parquet"), want)


def test_parquet_schema_is_the_one_of_the_frame():
    import pyarrow as pa

    from pipeline.tables import _layout

    for name in COLUMNS:
        want = pa.Schema.from_pandas(frame(name, []), preserve_index=False)
        assert _layout(name).schema.equals(want, check_metadata=True), name


def test_plans_db_tables_have_the_schema_they_always_had(tmp_path):
    """A document table's schema is what ``CREATE TABLE ... AS SELECT`` from the staged rows wrote."""
    writer = TableWriter(tmp_path, ["pages", "errors"])
    writer.finish()
    con = sqlite3.connect(tmp_path / "plans.db")
    schema = dict(con.execute("SELECT name, sql FROM sqlite_master"))
    assert schema["pages"] == (
        "CREATE TABLE pages(\n  doc_id TEXT,\n  page INT,\n  char_start INT,\n  char_end INT,\n  method TEXT,\n"
        "  ocr_confidence REAL,\n  flagged INT\n)"
    )
    assert list(schema) == ["pages", "errors", "_tables"]


def test_rows_keep_the_batch_order_whatever_order_they_come_in(tmp_path):
    """Rowids order the rows by the document's place in the batch (the inputs that could not be listed
    at -1 first), then by arrival; select gives each row's place back."""
    writer = TableWriter(tmp_path, ["errors"])
    for seq, tag in [(5, "e"), (2, "b"), (-1, "a"), (5, "f"), (3, "c"), (2, "b2")]:
        writer.append("errors", [{"source_path": tag}], seq)
    assert [(r["_seq"], r["source_path"]) for r in writer.select("errors", ["source_path"])] == [
        (-1, "a"),
        (2, "b"),
        (2, "b2"),
        (3, "c"),
        (5, "e"),
        (5, "f"),
    ]
    writer.finish()
    assert list(pd.read_csv(tmp_path / "errors.csv").source_path) == ["a", "b", "b2", "c", "e", "f"]


STREAMED = ["documents", "sections", "phases", "units", "errors"]
HOSTILE = [
    *(t for t in TEXTS if t is not None),
    "",
    '"',
    '""',
    ",",
    "\n",
    "\r",
    "a\r\nb",
    "\x00",
    "x\x1fy",
    "Đ,“ư”",
    " lead",
    "trail ",
    "1",
    "NULL",
]


def _docs(seed: int, n_docs: int = 40) -> list[dict[str, list[tuple]]]:
    """Rows of ``n_docs`` documents for :data:`STREAMED`, each a tuple of the table's columns as the
    runner stages them: text (any character, some None), ints and bools (some None)."""
    from pipeline.tables import BOOLEAN_COLUMNS, INTEGER_COLUMNS

    rng = random.Random(seed)

    def value(col: str) -> object:
        if rng.random() < 0.15:
            return None
        if col in INTEGER_COLUMNS:
            return rng.randint(-(10**12), 10**12)
        if col in BOOLEAN_COLUMNS:
            return rng.random() < 0.5
        return rng.choice(HOSTILE) + rng.choice(HOSTILE)

    return [
        {name: [tuple(value(c) for c in COLUMNS[name]) for _ in range(rng.randint(0, 9))] for name in STREAMED}
        for _ in range(n_docs)
    ]


def _plain_row(name: str, text: str) -> tuple:
    """A row of table ``name``: ``text`` in its text columns, 1 in its integer ones, True in its booleans."""
    from pipeline.tables import BOOLEAN_COLUMNS, INTEGER_COLUMNS

    return tuple(1 if c in INTEGER_COLUMNS else True if c in BOOLEAN_COLUMNS else text for c in COLUMNS[name])


def _write(out: Path, docs: list[dict[str, list[tuple]]], order: list[int]) -> TableWriter:
    """Stage ``docs`` in ``order`` (their places in the batch are their indices) and finish."""
    writer = TableWriter(out, STREAMED)
    for k in order:
        for name, values in docs[k].items():
            writer.append_values(name, values, k)
    return writer


def _same_outputs(a: Path, b: Path, tables: list[str]) -> None:
    for name in tables:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name
        pd.testing.assert_frame_equal(
            pd.read_parquet(a / f"{name}.parquet"), pd.read_parquet(b / f"{name}.parquet")
        )
        rows = [sqlite3.connect(p / "plans.db").execute(f'SELECT * FROM "{name}"').fetchall() for p in (a, b)]
        assert rows[0] == rows[1], name


@pytest.mark.parametrize(("seed", "group_bytes"), [(0, 8 << 20), (1, 8 << 20), (2, 3000)])
def test_tables_written_as_rows_come_are_the_ones_read_back(tmp_path, monkeypatch, seed, group_bytes):
    """Documents staged in input order are exported as they come (in several chunks and row groups, the
    streams holding little enough together that they write some early); staged out of order, from
    plans.db at the end: the same files either way, and what whole frames give."""
    monkeypatch.setattr(TableWriter, "CHUNK_ROWS", 13)
    monkeypatch.setattr(TableWriter, "FLUSH_ROWS", 11)
    monkeypatch.setattr(TableWriter, "ROW_GROUP_ROWS", 30)
    monkeypatch.setattr(TableWriter, "ROW_GROUP_BYTES", group_bytes)
    docs = _docs(seed)
    streamed = _write(tmp_path / "in_order", docs, list(range(len(docs))))
    assert all(streamed._streams[name] is not None for name in STREAMED)
    streamed.finish()
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    read_back = _write(tmp_path / "shuffled", docs, order)
    assert all(read_back._streams[name] is None for name in STREAMED)
    read_back.finish()
    _same_outputs(tmp_path / "in_order", tmp_path / "shuffled", STREAMED)
    for name in STREAMED:
        whole = frame(name, [v for doc in docs for v in doc[name]])
        whole.to_csv(tmp_path / "whole.csv", index=False, encoding="utf-8")
        assert (tmp_path / "in_order" / f"{name}.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "in_order" / f"{name}.parquet"), whole)


@pytest.mark.parametrize(
    ("table", "column", "odd"),
    [
        ("sections", "level", 3.0),
        ("sections", "level", 2.5),
        ("sections", "level", True),
        ("sections", "level", "7"),
        ("sections", "level", float("nan")),
        ("sections", "level", pd.NA),
        ("sections", "heading", 5),
        ("sections", "heading", 1.5),
        ("sections", "heading", b"12"),
        ("sections", "heading", pd.NA),
        ("phases", "start_inferred", 1),
        ("phases", "start_inferred", 2),
        ("phases", "start_inferred", float("nan")),
    ],
    ids=lambda v: repr(v)[:8],
)
def test_a_value_sqlite_stores_otherwise_sends_the_table_to_plans_db(tmp_path, monkeypatch, table, column, odd):
    """A value of another type than its column's, which SQLite would convert (an int in a text column is
    stored as text, 3.0 in an integer one as 3), or Arrow would not take, stops the export as rows come:
    the table is read back from plans.db, as SQLite stored it; the same files as when it is never streamed."""
    monkeypatch.setattr(TableWriter, "CHUNK_ROWS", 5)
    monkeypatch.setattr(TableWriter, "FLUSH_ROWS", 3)
    docs = _docs(7, 12)
    row = dict(zip(COLUMNS[table], _plain_row(table, "x"), strict=True))
    docs[6][table].append(tuple({**row, column: odd}.values()))
    streamed = TableWriter(tmp_path / "in_order", STREAMED)
    read_back = TableWriter(tmp_path / "shuffled", STREAMED)
    for writer, order in ((streamed, range(12)), (read_back, reversed(range(12)))):
        for k in order:
            for name, values in docs[k].items():
                writer.append_values(name, values, k)
    streamed.finish()
    read_back.finish()
    _same_outputs(tmp_path / "in_order", tmp_path / "shuffled", STREAMED)


def test_a_late_row_sends_the_table_to_plans_db(tmp_path, monkeypatch):
    """A row staged for a document before the last one taken (a pool's worker was late) drops the files
    written so far; the table is exported from plans.db, in input order; other tables go on streaming."""
    monkeypatch.setattr(TableWriter, "CHUNK_ROWS", 5)
    monkeypatch.setattr(TableWriter, "FLUSH_ROWS", 3)
    docs = _docs(3, 30)
    writer = _write(tmp_path / "late", docs, list(range(20)))
    writer.append_values("sections", [_plain_row("sections", "late")], 4)
    assert writer._streams["sections"] is not None  # still held, not yet stored
    writer.select("sections", ["doc_id"])  # a read stores what is held first
    list(writer.select("sections", ["doc_id"]))
    assert writer._streams["sections"] is None and writer._streams["units"] is not None
    for k in range(20, 30):
        for name, values in docs[k].items():
            writer.append_values(name, values, k)
    writer.finish()
    assert sorted(p.name for p in (tmp_path / "late").iterdir() if p.name.startswith(".")) == []
    docs[4]["sections"].append(_plain_row("sections", "late"))
    _write(tmp_path / "ref", docs, list(reversed(range(30)))).finish()
    _same_outputs(tmp_path / "late", tmp_path / "ref", STREAMED)


def test_an_aborted_stream_leaves_no_files(tmp_path, monkeypatch):
    monkeypatch.setattr(TableWriter, "CHUNK_ROWS", 5)
    monkeypatch.setattr(TableWriter, "FLUSH_ROWS", 3)
    docs = _docs(1, 20)
    writer = _write(tmp_path, docs, list(range(20)))
    assert any(p.name.startswith(".sections.csv.") for p in tmp_path.iterdir())  # written as rows came
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_several_rows_per_insert_store_what_one_per_insert_stores(tmp_path, monkeypatch):
    """Rows go into plans.db many per statement: the same rows, rowids and types as one per statement."""
    import pipeline.tables as tables

    docs = _docs(5, 60)
    _write(tmp_path / "many", docs, list(range(60))).finish()
    monkeypatch.setattr(tables, "_rows_per_insert", lambda name: 1)
    _write(tmp_path / "one", docs, list(range(60))).finish()
    for name in STREAMED:
        sql = f'SELECT rowid, *, {", ".join(f"typeof({c!r})" for c in COLUMNS[name])} FROM "{name}"'
        a, b = (sqlite3.connect(tmp_path / d / "plans.db").execute(sql).fetchall() for d in ("many", "one"))
        assert a == b and len(a) > 50, name
