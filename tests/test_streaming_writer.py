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
