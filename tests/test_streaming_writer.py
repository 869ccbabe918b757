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
