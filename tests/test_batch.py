"""End to end: `kehoach extract` on a batch with good and bad inputs, and the seed scores against gold."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from tests.conftest import SEEDS, SHARED

BAD = {
    "empty.txt": b"",
    "random.bin": random.Random(0).randbytes(4096),
    "notzip.docx": b"This is not a zip file at all, just text pretending to be a Word file.\n" * 20,
    "english.txt": (
        b"This plan sets out the objectives, the content and the organisation of the campaign for the year. "
        b"All departments shall report their results to the provincial committee before the end of November.\n"
    )
    * 10,
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    src = tmp_path_factory.mktemp("in")
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        (src / seed.name).write_bytes(seed.read_bytes())
    for name, data in BAD.items():
        (src / name).write_bytes(data)
    pdf = next(SEEDS.glob("*.txt")).read_bytes()  # a truncated PDF: a header and half a body
    (src / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n" + pdf[:300])
    out = tmp_path_factory.mktemp("out")
    assert main(["extract", str(src), "--out", str(out), "--quiet"]) == 0
    return src, out


def test_every_bad_input_gets_one_error_row(batch: tuple[Path, Path]) -> None:
    _src, out = batch
    errors = pd.read_csv(out / "errors.csv", dtype=str)
    by_file = {Path(p).name: t for p, t in zip(errors.source_path, errors.error_type, strict=True)}
    assert by_file == {
        "empty.txt": "empty",
        "random.bin": "binary",
        "notzip.docx": "corrupt",
        "english.txt": "not_vietnamese",
        "truncated.pdf": "corrupt",
    }
    assert all(errors.message.str.len() > 10)


def test_good_files_come_out_complete(batch: tuple[Path, Path]) -> None:
    _src, out = batch
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert len(docs) == 2
    sections = pd.read_csv(out / "sections.csv", dtype=str, keep_default_na=False)
    for doc in docs.itertuples():
        text = (out / doc.text_path).read_text(encoding="utf-8")
        assert text
        mine = sections[sections.doc_id == doc.doc_id]
        assert (mine.level == "1").sum() >= 3
        for s in mine.itertuples():
            assert " ".join(text[int(s.heading_start) : int(s.heading_end)].split()) == s.heading
    fields = pd.read_csv(out / "fields.csv", dtype=str, keep_default_na=False)
    for f in fields.itertuples():
        text = (out / f"texts/{f.doc_id}.txt").read_text(encoding="utf-8")
        assert text[int(f.char_start) : int(f.char_end)], f


def test_all_tables_in_three_formats(batch: tuple[Path, Path]) -> None:
    _src, out = batch
    names = ["documents", "sections", "citations", "phases", "units", "errors", "fields", "pages"]
    con = sqlite3.connect(out / "plans.db")
    try:
        in_db = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    finally:
        con.close()
    for name in names:
        csv = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
        pq = pd.read_parquet(out / f"{name}.parquet")
        assert list(csv.columns) == list(pq.columns)
        assert len(csv) == len(pq)
        assert name in in_db
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


def test_exit_status_when_nothing_could_be_processed(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["extract", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "o"), "--quiet"]) == 1


def test_strict_fails_on_any_error(batch: tuple[Path, Path], tmp_path: Path) -> None:
    src, _out = batch
    assert main(["extract", str(src), "--out", str(tmp_path / "o"), "--quiet", "--strict"]) == 1


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="../shared/eval/score.py is absent")
def test_seed_scores_meet_the_foundation_targets(tmp_path: Path) -> None:
    out = tmp_path / "seeds"
    assert main(["extract", str(SEEDS), "--out", str(out), "--quiet"]) == 0
    report = tmp_path / "score.json"
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "eval" / "score.py"),
            "--gold",
            str(SHARED / "gold"),
            "--pred",
            str(out),
            "--json",
            str(report),
        ],
        check=True,
        capture_output=True,
    )
    scores = json.loads(report.read_text())
    assert scores["documents.accuracy"] >= 0.90
    assert scores["sections.f1"] >= 0.95
    assert scores["sections.category_accuracy"] >= 0.90


def test_python_api_extract_and_load_give_the_written_tables(batch: tuple[Path, Path]) -> None:
    import pipeline

    src, out = batch
    frames = pipeline.extract(src)
    loaded = pipeline.load(out)
    assert set(frames) == set(loaded)
    for name, df in frames.items():
        assert list(df.columns) == list(loaded[name].columns), name
        assert len(df) == len(loaded[name]), name
    assert sorted(frames["documents"].doc_id) == sorted(loaded["documents"].doc_id)


def test_load_refuses_a_folder_that_is_not_an_output(tmp_path: Path) -> None:
    import pipeline

    with pytest.raises(FileNotFoundError, match="no documents table"):
        pipeline.load(tmp_path)


def test_audit_command_rewrites_the_audit_tables(batch: tuple[Path, Path], capsys: pytest.CaptureFixture) -> None:
    _src, out = batch
    (out / "edges.csv").unlink()
    assert main(["audit", str(out)]) == 0
    edges = pd.read_csv(out / "edges.csv", dtype=str, keep_default_na=False)
    assert len(edges) >= 1 and set(edges.relation) <= {"basis", "reference"}
    con = sqlite3.connect(out / "plans.db")
    try:
        n = con.execute("select count(*) from audit_findings").fetchone()[0]
    finally:
        con.close()
    assert n == len(pd.read_csv(out / "audit_findings.csv"))
    assert "# Citation audit" in capsys.readouterr().out
    assert (out / "audit.md").read_text(encoding="utf-8").startswith("# Citation audit")


def test_audit_command_on_a_folder_without_tables(tmp_path: Path) -> None:
    assert main(["audit", str(tmp_path)]) == 1


def test_outcomes_are_handed_on_in_task_order_when_few_are_early():
    """Pool workers finish a little out of order; the writer gets the outcomes in task order (so it can
    export tables as rows come) as long as no more than the limit wait for an earlier one."""
    from pipeline.runner import in_order

    finished = [(2, "c"), (0, "a"), (3, "d"), (1, "b"), (5, "f"), (4, "e")]
    assert list(in_order(iter(finished), [0, 1, 2, 3, 4, 5], limit=8)) == sorted(finished)


def test_a_document_far_behind_does_not_hold_up_the_rest():
    """Past the limit the held outcomes go on at once; the late one still comes, and none twice."""
    from pipeline.runner import in_order

    finished = [(1, "b"), (2, "c"), (3, "d"), (4, "e"), (0, "a"), (5, "f")]
    got = list(in_order(iter(finished), [0, 1, 2, 3, 4, 5], limit=2))
    assert got[:3] == [(1, "b"), (2, "c"), (3, "d")]  # released when a third was held
    assert sorted(got) == sorted(finished) and len(got) == len(finished)
    assert got.index((0, "a")) < got.index((5, "f"))
