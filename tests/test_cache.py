"""The per-document result cache: entries that round-trip, are never trusted when damaged or cut short,
are written by several processes at once, survive a run killed outright, and are retargeted exactly."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cache import ResultCache
from pipeline.runner import Rows, run
from pipeline.tables import COLUMNS
from tests.conftest import SEEDS


def _entry(name: str) -> tuple[bytes, bytes]:
    """A value and a text, different for every name, tens of KB like a plan's."""
    value = pickle.dumps({"documents": [(name, len(name))], "sections": [(name, i) for i in range(500)]})
    text = f"Kế hoạch {name}\n".encode() * 1000
    return value, text


def _index(cache: Path) -> sqlite3.Connection:
    return sqlite3.connect(cache / ResultCache.DATABASE, timeout=30)


def _where(cache: Path, key: str) -> tuple[Path, int, int, int]:
    """An entry's segment file, offset and sizes, from the index."""
    con = _index(cache)
    try:
        segment, offset, size, text_size = con.execute(
            "SELECT segment, offset, size, text_size FROM entries WHERE key = ?", (key,)
        ).fetchone()
    finally:
        con.close()
    return cache / ResultCache.SEGMENTS / segment, offset, size, text_size


def _copied(files: list[Path], folder: Path) -> Path:
    """``folder``, made, holding copies of ``files``: a corpus of its own for one test."""
    folder.mkdir()
    for path in files:
        shutil.copy(path, folder / path.name)
    return folder


def test_an_entry_round_trips_and_outlives_its_process_files(tmp_path: Path) -> None:
    store = ResultCache(tmp_path)
    assert store.get("a") is None and not store.has("a") and len(store) == 0
    store.put("a", *_entry("a"))
    store.put("b", b"error", b"")
    assert store.has("a") and store.get("a") == _entry("a") and store.get("b") == (b"error", b"")
    store.close()
    again = ResultCache(tmp_path)
    assert len(again) == 2 and again.get("a") == _entry("a")
    again.put("a", *_entry("a2"))  # a key written again: the later entry wins
    assert again.get("a") == _entry("a2") and len(again) == 2
    again.close()


def test_damaged_or_cut_short_entries_are_never_trusted(tmp_path: Path) -> None:
    store = ResultCache(tmp_path)
    for name in "abc":
        store.put(name, *_entry(name))
    store.close()
    segment, offset, size, text_size = _where(tmp_path, "a")
    with segment.open("r+b") as fh:  # one byte of a's text flipped on disk
        fh.seek(offset + size + text_size // 2)
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 1]))
    segment, offset, size, text_size = _where(tmp_path, "c")
    with segment.open("r+b") as fh:  # c cut short, as by a kill in the middle of writing it
        fh.truncate(offset + size + text_size - 1)
    store = ResultCache(tmp_path)
    assert store.has("a") and store.get("a") is None
    assert store.get("b") == _entry("b")
    assert store.get("c") is None
    segment.unlink()  # the whole segment gone
    store.close()
    assert ResultCache(tmp_path).get("b") is None
    ResultCache(tmp_path).close()


def test_an_index_that_is_not_a_database_is_started_again(tmp_path: Path) -> None:
    store = ResultCache(tmp_path)
    store.put("a", *_entry("a"))
    store.close()
    (tmp_path / ResultCache.DATABASE).write_bytes(b"this is not a SQLite database at all" * 100)
    store = ResultCache(tmp_path)
    assert store.get("a") is None and len(store) == 0
    store.put("a", *_entry("a"))
    assert store.get("a") == _entry("a")
    store.close()


def _write_many(folder: str, prefix: str, n: int) -> None:
    store = ResultCache(Path(folder))
    for i in range(n):
        store.put(f"{prefix}{i}", *_entry(f"{prefix}{i}"))


def test_processes_write_at_once_and_a_fork_shares_nothing_open(tmp_path: Path) -> None:
    """Pool workers are forked from a process that has the cache open and write their own entries, all at
    once: every entry of every process must come back whole."""
    store = ResultCache(tmp_path)
    store.put("parent-before", *_entry("parent-before"))  # the index and a segment are open at the fork
    ctx = multiprocessing.get_context("fork")
    children = [ctx.Process(target=_write_many, args=(str(tmp_path), f"child{c}-", 40)) for c in range(3)]
    for child in children:
        child.start()
    _write_many(str(tmp_path), "parent-", 40)
    for child in children:
        child.join(60)
        assert child.exitcode == 0
    names = ["parent-before"] + [
        f"{who}{i}" for who in ("parent-", "child0-", "child1-", "child2-") for i in range(40)
    ]
    assert len(store) == len(names)
    for name in names:
        assert store.get(name) == _entry(name), name
    assert len(list((tmp_path / ResultCache.SEGMENTS).glob("*.bin"))) == 5  # one per writer, the parent's two
    store.close()


def test_collect_deletes_the_segments_no_entry_points_to(tmp_path: Path) -> None:
    store = ResultCache(tmp_path)
    store.put("a", *_entry("a"))
    store.put("b", *_entry("b"))
    store.close()  # the next entries go to a new segment
    store.put("a", *_entry("a2"))
    store.collect()
    assert len(list((tmp_path / ResultCache.SEGMENTS).glob("*.bin"))) == 2  # b still points to the first
    store.put("b", *_entry("b2"))
    store.collect()
    assert len(list((tmp_path / ResultCache.SEGMENTS).glob("*.bin"))) == 1
    assert store.get("a") == _entry("a2") and store.get("b") == _entry("b2")
    store.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open descriptors in /proc")
def test_entries_spread_over_many_segments_are_read_with_few_descriptors(tmp_path: Path) -> None:
    """Every run adds segments: reading them all back must not hold a descriptor open for each."""
    from pipeline.cache import _MAX_READERS

    store = ResultCache(tmp_path)
    names = [f"k{i}" for i in range(_MAX_READERS + 8)]
    for name in names:
        store.put(name, *_entry(name))
        store.close()  # the next entry goes to a new segment, as after many runs
    store.open()
    before = len(os.listdir("/proc/self/fd"))
    for name in names:
        assert store.get(name) == _entry(name)
    assert len(os.listdir("/proc/self/fd")) <= before + _MAX_READERS
    store.close()


def test_rows_cross_a_pipe_as_the_pickle_their_cache_entry_was_made_of() -> None:
    values = {"documents": [("d", "x.txt")], "sections": [("d", 1), ("d", 2)]}
    pickled = pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)
    sent = pickle.dumps(Rows(values, pickled))
    assert pickled in sent
    assert pickle.loads(sent).values == values
    assert pickle.loads(pickle.dumps(Rows(values))).values == values


def _all_tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False) for name in COLUMNS}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight copies of each seed plan, each made distinct, and a file that fails."""
    src = tmp_path_factory.mktemp("plans")
    for i in range(8):
        for seed in sorted(SEEDS.glob("*.txt")):
            text = seed.read_text(encoding="utf-8") + f"\nBản sao số {i}.\n"
            (src / f"{i}_{seed.name}").write_text(text, encoding="utf-8")
    (src / "broken.docx").write_bytes(b"not a zip")
    return src


def test_renamed_files_give_the_tables_and_texts_of_a_fresh_run(plans: Path, tmp_path: Path) -> None:
    """A cached result is retargeted to its file's new name and path: every table (every doc_id column,
    the documents row's source_path and text_path) and every text as a run without the cache gives."""
    src = _copied([*sorted(plans.glob("*.txt"))[:5], plans / "broken.docx"], tmp_path / "src")
    out = tmp_path / "out"
    run([src], out, progress=False, jobs=1)
    renamed = sorted(src.glob("*.txt"))[:3]
    for i, plan in enumerate(renamed):
        plan.rename(src / f"renamed_{i}.txt")
    (src / "sub").mkdir()
    shutil.move(src / "broken.docx", src / "sub" / "broken.docx")
    summary = run([src], out, progress=False, jobs=1)
    assert summary.cached == 6
    fresh = tmp_path / "fresh"
    run([src], fresh, progress=False, jobs=1, use_cache=False)
    cached, expected = _all_tables(out), _all_tables(fresh)
    for name in COLUMNS:
        pd.testing.assert_frame_equal(cached[name], expected[name], obj=name)
    assert {"renamed_0", "renamed_1", "renamed_2"} <= set(cached["documents"].doc_id)
    for text in (fresh / "texts").iterdir():
        assert (out / "texts" / text.name).read_bytes() == text.read_bytes()


def test_a_cached_text_is_rewritten_only_when_it_differs(plans: Path, tmp_path: Path) -> None:
    src = _copied(sorted(plans.glob("*.txt"))[:3], tmp_path / "src")
    out = tmp_path / "out"
    run([src], out, progress=False, jobs=1)
    texts = sorted((out / "texts").iterdir())
    kept, gone, changed = texts
    before = kept.stat()
    gone.unlink()
    changed.write_text("sửa tay", encoding="utf-8")
    shutil.copy(sorted(plans.glob("*.txt"))[3], src / "new.txt")  # so that the run is not "up to date"
    assert run([src], out, progress=False, jobs=1).cached == 3
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    fresh = tmp_path / "fresh"
    run([src], fresh, progress=False, jobs=1, use_cache=False)
    for text in (fresh / "texts").iterdir():
        assert (out / "texts" / text.name).read_bytes() == text.read_bytes()


def _entries(cache: Path) -> int:
    """How many entries the index holds, read as another process would (0 before it is set up)."""
    if not (cache / ResultCache.DATABASE).exists():
        return 0
    con = _index(cache)
    try:
        return con.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def test_a_run_killed_outright_resumes_without_loss_or_duplicates(plans: Path, tmp_path: Path) -> None:
    """``kill -9`` of the whole process tree (the command and its pool's workers) in the middle of a run:
    the entries committed before are reused, none is half there, and the tables come out as an
    uninterrupted run's."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline.cli", "extract", str(plans), "--out", str(out), "-q", "-j", "2"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, start_new_session=True)
    cache = out / ".cache"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _entries(cache) < 4:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "documents.csv").exists()
    committed = _entries(cache)
    assert 4 <= committed < 41
    summary = run([plans], out, progress=False, jobs=1)
    assert summary.cached == committed
    assert (summary.done, summary.failed) == (40, 1)
    fresh = tmp_path / "fresh"
    run([plans], fresh, progress=False, jobs=1, use_cache=False)
    cached, expected = _all_tables(out), _all_tables(fresh)
    for name in COLUMNS:
        pd.testing.assert_frame_equal(cached[name], expected[name], obj=name)
    assert cached["documents"].doc_id.is_unique


def test_a_cache_folder_of_an_earlier_version_is_ignored(plans: Path, tmp_path: Path) -> None:
    src = _copied(sorted(plans.glob("*.txt"))[:2], tmp_path / "src")
    out = tmp_path / "out"
    old = out / ".cache" / "ab"
    old.mkdir(parents=True)
    (old / "ab12-0123456789abcdef.pkl").write_bytes(b"an entry of an earlier version")
    (out / ".cache" / "manifest.json").write_text('{"inputs": []}', encoding="utf-8")
    summary = run([src], out, progress=False, jobs=1)
    assert (summary.done, summary.cached) == (2, 0)
    assert run([src], out, progress=False, jobs=1).up_to_date
