"""The runner's streaming audit must give exactly what :func:`pipeline.audit.audit` gives on whole frames:
the same edges, the same findings in the same order, the same audit.md. The corpus is the audit tests' one
(a parent, sub-plans citing it right and wrong in every way, a cycle, other years and provinces), plus
phases that fall outside the parent's window, plans cited by number and by date and issuer."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline.audit import _components, _path, audit, summary_markdown
from pipeline.runner import audit_staged, run
from pipeline.tables import COLUMNS, TableWriter, frame, read_tables
from tests.test_audit import CORPUS, write_corpus

#: Top-level phases for the parent and two sub-plans (one inside the window, one past it), a sub-phase that
#: must not count, and phases of a plan no edge touches.
PHASES = [
    ("parent", 1, "", "Đợt 1", "2024-09-01", "2024-12-31"),
    ("parent", 2, "", "Đợt 2", "2025-01-01", "2025-06-30"),
    ("right", 1, "", "1", "2024-09-10", "2025-03-31"),
    ("right", 2, "1", "1.1", "2024-08-01", "2024-08-31"),
    ("wrong_date", 1, "", "Đợt 1", "2024-09-10", "2025-12-31"),
    ("wrong_style", 1, "", "Đợt 1", "2024-08-01", "2025-01-31"),
    ("other_year", 1, "", "Đợt 1", "2020-01-01", "2030-12-31"),
]


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    folder = write_corpus(tmp_path_factory.mktemp("corpus"), CORPUS)
    frames = pipeline.extract(folder, jobs=1)
    names = ["doc_id", "phase_no", "parent_phase", "label", "start_date", "end_date"]
    phases = [dict(zip(names, p, strict=True)) for p in PHASES]
    for k, row in enumerate(phases):
        row.update(char_start=10 * k, char_end=10 * k + 5)
    frames["phases"] = frame("phases", phases)
    return frames


def staged_run(tables: dict[str, pd.DataFrame], out: Path) -> dict[str, pd.DataFrame]:
    """Stage ``tables`` as the runner does (each plan's rows under its place in the batch), run the
    streaming audit, export, and read the results back."""
    writer = TableWriter(out, ["documents", "citations", "phases", "edges", "audit_findings"])
    seq = {doc_id: i for i, doc_id in enumerate(tables["documents"]["doc_id"])}
    for name in ("documents", "citations", "phases"):
        for doc_id, rows in tables[name].groupby("doc_id", sort=False):
            writer.append(name, rows.to_dict("records"), seq[doc_id])
    audit_staged(writer)
    writer.finish()
    return read_tables(out)


def test_streaming_audit_equals_the_audit_of_whole_frames(tables, tmp_path):
    expected = audit(tables)
    got = staged_run(tables, tmp_path)
    for name in ("edges", "audit_findings"):
        want = frame(name, expected[name].to_dict("records"))
        pd.testing.assert_frame_equal(got[name], want, obj=name)
    checks = set(got["audit_findings"]["check"])
    # the corpus exercises every kind of finding, including those made across edges
    assert {"cycle", "phase_outside_parent", "number_differs", "date_differs", "parent_not_in_corpus"} <= checks
    assert (tmp_path / "audit.md").read_text(encoding="utf-8") == summary_markdown(expected)


def test_findings_of_an_edge_keep_their_order_across_the_two_passes(tables, tmp_path):
    """A sub-plan with an own-check finding and a phase finding: the own check first, as audit() has it."""
    got = staged_run(tables, tmp_path)["audit_findings"]
    checks = list(got.loc[got["doc_id"] == "wrong_style", "check"])
    assert checks == ["number_written_differently", "phase_outside_parent"]


def test_the_runner_streams_its_audit(tmp_path, monkeypatch):
    """The runner never loads a whole staged table as a DataFrame, and its outputs equal audit()'s."""

    def refuse(self, name):
        raise AssertionError(f"staged({name!r}) loads a whole table")

    monkeypatch.setattr(TableWriter, "staged", refuse)
    corpus = {k: CORPUS[k] for k in ("parent", "right", "wrong_date", "wrong_number", "cycle_a", "cycle_b")}
    out = tmp_path / "out"
    run([write_corpus(tmp_path / "in", corpus)], out, progress=False, jobs=1, use_cache=False)
    tables = read_tables(out)
    expected = audit(tables)
    for name in ("edges", "audit_findings"):
        pd.testing.assert_frame_equal(tables[name], frame(name, expected[name].to_dict("records")), obj=name)
    assert (out / "audit.md").read_text(encoding="utf-8") == summary_markdown(expected)
    assert set(tables) == set(COLUMNS)


def test_an_empty_run_has_an_empty_audit(tmp_path):
    writer = TableWriter(tmp_path, ["documents", "citations", "phases", "edges", "audit_findings"])
    audit_staged(writer)
    writer.finish()
    got = read_tables(tmp_path)
    assert got["edges"].empty and got["audit_findings"].empty
    empty = audit({"documents": pd.DataFrame(), "citations": pd.DataFrame()})
    assert (tmp_path / "audit.md").read_text(encoding="utf-8") == summary_markdown(empty)


@pytest.mark.parametrize("seed", range(30))
def test_cycle_search_within_components_finds_the_same_paths(seed):
    """Searching only inside the strongly connected component gives the very path (not only a path of the
    same length) that the search over the whole graph gives, for every edge of random graphs."""
    rng = random.Random(seed)
    nodes = [f"d{i:02d}" for i in range(rng.randint(2, 25))]
    graph: dict[str, set[str]] = {}
    for _ in range(rng.randint(1, 60)):
        a, b = rng.choice(nodes), rng.choice(nodes)
        if a != b:
            graph.setdefault(a, set()).add(b)
    component = _components(graph)
    for a, targets in graph.items():
        for b in targets:
            whole = _path(graph, b, a)  # the search the audit used to run from every edge
            if component.get(b) != component.get(a):
                assert whole == []
                continue
            inside = _path(graph, b, a, lambda n, c=component[a]: component.get(n) == c)
            assert inside == whole and inside


def test_components_of_a_long_chain_do_not_recurse():
    """A citation chain longer than Python's recursion limit, closed into one cycle."""
    n = 5000
    graph = {f"p{i}": {f"p{i + 1}"} for i in range(n)}
    graph[f"p{n}"] = {"p0"}
    component = _components(graph)
    assert len(set(component.values())) == 1 and len(component) == n + 1
