"""Runs at scale: the same tables whatever the executor, incremental re-runs, resume, time limits."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cache import pipeline_fingerprint
from pipeline.runner import run
from tests.conftest import SEEDS

TABLES = ["documents", "sections", "citations", "phases", "units", "fields", "pages", "errors"]


def _entries(cache: Path) -> int:
    """How many entries the cache folder's database holds (0 before it exists), read with a connection of
    its own, as another process would."""
    if not (cache / "results.sqlite").exists():
        return 0
    con = sqlite3.connect(cache / "results.sqlite", timeout=30)
    try:
        return con.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    except sqlite3.OperationalError:  # created but not yet set up by the run
        return 0
    finally:
        con.close()


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    frames = {}
    for name in TABLES:
        df = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        if "source_path" in df:
            df["source_path"] = df["source_path"].map(lambda p: Path(p).name)
        frames[name] = df
    return frames


def _same(a: Path, b: Path) -> None:
    ta, tb = _tables(a), _tables(b)
    for name in TABLES:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)
    for text in (a / "texts").iterdir():
        assert text.read_bytes() == (b / "texts" / text.name).read_bytes()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("corpus")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, src / seed.name)
    (src / "broken.docx").write_bytes(b"not a zip")
    return src


@pytest.fixture(scope="module")
def serial(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    summary = run([corpus], out, progress=False, jobs=1)
    assert (summary.done, summary.failed) == (5, 1)
    return out


def test_process_pool_gives_the_same_tables(corpus: Path, serial: Path, tmp_path: Path) -> None:
    run([corpus], tmp_path, progress=False, jobs=2)
    _same(serial, tmp_path)


def test_dask_local_cluster_gives_the_same_tables(corpus: Path, serial: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    run([corpus], tmp_path, progress=False, jobs=2, dask="local")
    _same(serial, tmp_path)


def test_rerun_takes_unchanged_files_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    first = run([src], out, progress=False, jobs=1)
    assert first.cached == 0
    extra = src / "new_plan.txt"
    extra.write_text(next(SEEDS.glob("*.txt")).read_text(encoding="utf-8") + "\nThêm một dòng.", encoding="utf-8")
    second = run([src], out, progress=False, jobs=1)
    assert (second.done, second.failed, second.cached) == (6, 1, 6)  # the broken file's error is cached too
    assert "6 unchanged" in str(second)
    forced = run([src], out, progress=False, jobs=1, force=True)
    assert forced.cached == 0
    assert len(pd.read_csv(out / "documents.csv")) == 6


def test_moved_file_keeps_its_cached_result_under_its_new_name(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    run([src], out, progress=False, jobs=1)
    first = sorted(src.glob("0*.txt"))[0]
    first.rename(src / "renamed_plan.txt")
    summary = run([src], out, progress=False, jobs=1)
    assert summary.cached == 6
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert "renamed_plan" in set(docs.doc_id)
    assert (out / "texts" / "renamed_plan.txt").exists()


def test_time_limit_turns_a_slow_document_into_an_errors_row(corpus: Path, tmp_path: Path) -> None:
    summary = run([corpus], tmp_path, progress=False, jobs=1, timeout=0.001, use_cache=False)
    errors = pd.read_csv(tmp_path / "errors.csv", dtype=str, keep_default_na=False)
    assert summary.done == 0
    assert "timeout" in set(errors.error_type)
    assert errors[errors.error_type == "timeout"].message.str.contains("longer than").all()


def test_interrupted_run_resumes_without_loss_or_duplicates(corpus: Path, serial: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(8):  # enough distinct documents that the interrupt lands mid-batch
        for seed in sorted(corpus.glob("*.txt")):
            text = seed.read_text(encoding="utf-8") + f"\nBản sao số {i}.\n"
            (src / f"{i}_{seed.name}").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline.cli", "extract", str(src), "--out", str(out), "-q", "-j", "1"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    cache = out / ".cache"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _entries(cache) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "resume" in err
    assert not (out / "documents.csv").exists()  # no half-written tables
    cached_before = _entries(cache)
    assert 3 <= cached_before < 40
    pipeline_fingerprint.cache_clear()  # as a fresh process would, e.g. after an edit during this session
    summary = run([src], out, progress=False, jobs=1)
    assert summary.cached == cached_before
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert len(docs) == 40 and docs.doc_id.is_unique


def test_a_damaged_cache_entry_is_recomputed_and_the_rest_reused(
    corpus: Path, serial: Path, tmp_path: Path
) -> None:
    """Cached results are read one at a time as their turn comes (a whole cached corpus would not fit in
    memory), so an entry found damaged then is computed with the new files, in its place in the tables."""
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    run([src], out, progress=False, jobs=1)
    assert _entries(out / ".cache") == 6
    con = sqlite3.connect(out / ".cache" / "results.sqlite")
    segment, offset = con.execute("SELECT segment, offset FROM entries ORDER BY key LIMIT 1").fetchone()
    con.close()
    with (out / ".cache" / "segments" / segment).open("r+b") as fh:
        fh.seek(offset)
        fh.write(b"not a pickle")
    (out / "audit.md").unlink()  # an output gone: the tables are rebuilt, from the cache where it is sound
    summary = run([src], out, progress=False, jobs=1)
    assert (summary.done, summary.failed, summary.cached) == (5, 1, 5)
    _same(serial, out)


def test_an_unchanged_corpus_keeps_its_tables_without_rewriting_them(corpus: Path, tmp_path: Path) -> None:
    """Same files, same contents, same pipeline: the run says the tables are up to date and leaves them
    as they are; any change (a file's content, a missing output, --force) rebuilds them."""
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    first = run([src], out, progress=False, jobs=1)
    written = (out / "documents.csv").stat().st_mtime_ns
    again = run([src], out, progress=False, jobs=1)
    assert again.up_to_date and (again.done, again.failed, again.cached) == (first.done, first.failed, 6)
    assert "up to date" in str(again) and "--force" in str(again)
    assert (out / "documents.csv").stat().st_mtime_ns == written
    plan = sorted(src.glob("*.txt"))[0]
    plan.write_text(plan.read_text(encoding="utf-8") + "\nThêm một dòng.", encoding="utf-8")
    changed = run([src], out, progress=False, jobs=1)
    assert not changed.up_to_date and changed.cached == 5
    (out / "units.parquet").unlink()
    assert not run([src], out, progress=False, jobs=1).up_to_date
    assert (out / "units.parquet").exists()
    assert run([src], out, progress=False, jobs=1).up_to_date
    assert not run([src], out, progress=False, jobs=1, force=True).up_to_date
