"""`kehoach serve`: Datasette over a real run, driven in a real headless Chromium on 127.0.0.1.

The bundled corpus, plus one short plan that cites no basis (so that canned query has a row to show), is
extracted into a temporary folder, ``python -m pipeline.serve`` (what ``kehoach
serve`` calls) serves it on a free local port, and the tests look at the pages as a person would: a
facet and what clicking it does, a full-text search and its hit, the auditors' canned queries and their
rows, a span shown in its context, the bilingual descriptions. Expected values come from the tables.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline.serve import prepare
from pipeline.serve.database import own_text_segments
from pipeline.serve.metadata import column_description
from pipeline.tables import COLUMNS
from tests.conftest import SEEDS

pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency")
pytest.importorskip("datasette", reason="datasette is a dependency of kehoach serve")

NO_BASIS_ID = "006_no_basis"
NO_BASIS = """ỦY BAN NHÂN DÂN
TỈNH ĐIỆN BIÊN

Số: 41/KH-UBND

Điện Biên, ngày 15 tháng 3 năm 2022

KẾ HOẠCH

Tổ chức Ngày hội đọc sách năm 2022 trên địa bàn tỉnh

I. MỤC ĐÍCH, YÊU CẦU

1. Khuyến khích phong trào đọc sách trong cán bộ, học sinh và nhân dân.

II. THỜI GIAN THỰC HIỆN

Từ ngày 01/4/2022 đến ngày 30/4/2022.

III. KINH PHÍ

Kinh phí thực hiện từ nguồn ngân sách tỉnh năm 2022.

IV. TỔ CHỨC THỰC HIỆN

1. Sở Văn hóa, Thể thao và Du lịch

Chủ trì tổ chức Ngày hội; báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 15/5/2022.

Nơi nhận:
- Các sở, ban, ngành;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Lê Thành Đô
"""
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """Debian's Chromium (scripts/install-system.sh --test installs it); never a downloaded browser."""
    found = os.environ.get("KEHOACH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("Chromium not found: run `bash scripts/install-system.sh --test` (Debian package chromium)")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("corpus")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, src / seed.name)
    (src / f"{NO_BASIS_ID}.txt").write_text(NO_BASIS, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    pipeline.extract(src, out=out, jobs=1)
    return out


@pytest.fixture(scope="module")
def tables(run_dir: Path) -> dict[str, pd.DataFrame]:
    return pipeline.load(run_dir)


@pytest.fixture(scope="module")
def server(run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m pipeline.serve`` on a free port of 127.0.0.1; its base URL, until the module ends."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.serve", str(run_dir), "--host", "127.0.0.1", "--port", str(port)],
            stdout=fh,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited ({proc.returncode}):\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/plans.json", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within 60 s:\n{log.read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="kh-chromium-") as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        yield tab
        context.close()


def column_values(page: object, column: str) -> list[str]:
    """The text of every cell of one column of the Datasette table on the page."""
    return [t.strip() for t in page.locator(f"table.rows-and-columns td.col-{column}").all_inner_texts()]


def test_database_is_named_plans_and_tables_are_described_in_two_languages(page: object, server: str) -> None:
    page.goto(f"{server}/plans")
    assert page.locator("h1").inner_text().strip().startswith("plans")
    page.goto(f"{server}/plans/citations")
    description = page.locator(".metadata-description").inner_text()
    assert "Các văn bản mà kế hoạch viện dẫn" in description and "Documents each plan cites" in description
    page.locator("details.kh-column-descriptions summary").click()
    described = page.locator("dl.column-descriptions").inner_text()
    assert "Ngày ban hành văn bản được viện dẫn — Issue date of the cited document" in described


def test_facet_by_province_filters_the_plans(page: object, server: str, tables: dict) -> None:
    docs = tables["documents"]
    page.goto(f"{server}/plans/documents_view")
    facet = page.locator(".facet-info[data-column=province]")
    shown = {li.locator("a").inner_text().strip() for li in facet.locator("li").all()}
    assert shown == set(docs["province"])
    years = {li.locator("a").inner_text().strip() for li in page.locator(".facet-info[data-column=year] li").all()}
    assert years == {d[:4] for d in docs["issue_date"] if d}
    province = sorted(docs["province"])[0]
    facet.get_by_role("link", name=province, exact=True).click()
    page.wait_for_url("**province=*")
    assert column_values(page, "doc_id") == docs[docs["province"] == province]["doc_id"].tolist()


def test_full_text_search_finds_the_section(page: object, server: str, tables: dict) -> None:
    page.goto(f"{server}/plans/section_texts")
    page.locator("input#_search").fill("tuyên truyền miệng")
    page.locator("input#_search").press("Enter")
    page.wait_for_url("**_search=*")
    assert "where search matches" in page.locator("h3").first.inner_text()
    headings = column_values(page, "heading")
    assert "Tuyên truyền miệng" in headings
    sections = tables["sections"]
    hit = sections[sections["heading"] == "Tuyên truyền miệng"].iloc[0]
    assert hit["doc_id"] in column_values(page, "doc_id")


def test_folded_search_finds_words_without_their_tone_marks(page: object, server: str) -> None:
    page.goto(f"{server}/plans/section_texts?_search=tuyen+truyen+mieng")
    assert "Tuyên truyền miệng" in column_values(page, "heading")


def test_canned_query_citations_with_findings(page: object, server: str, run_dir: Path) -> None:
    with sqlite3.connect(run_dir / "plans.db") as con:
        findings = pd.read_sql("SELECT * FROM audit_findings", con)
    assert len(findings) > 0
    page.goto(f"{server}/plans/citations_with_findings")
    assert "Citations with audit findings" in page.locator("h1").inner_text()
    assert page.locator("table.rows-and-columns tbody tr").count() == len(findings)
    assert set(column_values(page, "check")) == set(findings["check"])
    marks = page.locator("td.col-context mark.kh-span").all_inner_texts()
    assert len(marks) == len(findings) and all("Kế hoạch" in m or "Tờ trình" in m for m in marks)


def test_canned_query_phases_by_province_and_year(page: object, server: str, tables: dict) -> None:
    phases, docs = tables["phases"], tables["documents"]
    top = phases[phases["parent_phase"] == ""].merge(docs[["doc_id", "province"]], on="doc_id")
    top = top.assign(year=top["start_date"].str[:4])
    expected = {
        (r.province, r.year or ""): n
        for r, n in zip(
            top.groupby(["province", "year"]).size().index.to_frame().itertuples(),
            top.groupby(["province", "year"]).size(),
            strict=True,
        )
    }
    page.goto(f"{server}/plans/phases_by_province_and_year")
    rows = page.locator("table.rows-and-columns tbody tr")
    seen = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        year = row.locator("td.col-year").inner_text().strip()
        seen[(row.locator("td.col-province").inner_text().strip(), year)] = int(
            row.locator("td.col-phases").inner_text()
        )
    assert seen == expected


def test_canned_queries_plans_without_basis_and_units_by_plan(page: object, server: str, tables: dict) -> None:
    cites = tables["citations"]
    with_basis = set(cites[cites["relation"] == "basis"]["doc_id"])
    page.goto(f"{server}/plans/plans_without_basis")
    assert column_values(page, "doc_id") == [NO_BASIS_ID]
    assert set(tables["documents"]["doc_id"]) - with_basis == {NO_BASIS_ID}
    page.goto(f"{server}/plans/units_by_plan")
    assert page.locator("table.rows-and-columns tbody tr").count() == len(tables["units"])
    assert set(column_values(page, "role")) == set(tables["units"]["role"])


def test_a_span_is_shown_in_its_context(page: object, server: str, tables: dict, run_dir: Path) -> None:
    cite = tables["citations"].iloc[0]
    text = (run_dir / "texts" / f"{cite.doc_id}.txt").read_text(encoding="utf-8")
    page.goto(f"{server}/plans/citations_in_context?doc_id={cite.doc_id}&char_start={cite.char_start}")
    cell = page.locator("td.col-context").first
    assert cell.locator("mark.kh-span").inner_text() == text[cite.char_start : cite.char_end].strip()
    around = cell.inner_text()
    assert text[max(0, cite.char_start - 40) : cite.char_start].split()[-1] in around
    assert text[cite.char_end : cite.char_end + 40].split()[0] in around


def test_screenshots_of_what_a_person_sees(page: object, server: str, tmp_path: Path) -> None:
    """Screenshots of a facet, a search, a canned query and a context view ($KEHOACH_SCREENSHOTS if set)."""
    folder = Path(os.environ.get("KEHOACH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    pages = {
        "serve-facets": "/plans/documents_view",
        "serve-search": "/plans/section_texts?_search=tuy%C3%AAn+truy%E1%BB%81n+mi%E1%BB%87ng",
        "serve-findings": "/plans/citations_with_findings",
        "serve-context": "/plans/citations_in_context",
    }
    for name, path in pages.items():
        page.goto(server + path)
        shot = folder / f"{name}.png"
        page.screenshot(path=str(shot))
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1400, 1000)
        assert len(data) > 30_000, f"{name}: screenshot is nearly blank"


def test_prepare_is_repeatable_and_leaves_the_contract_tables_alone(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    shutil.copytree(run_dir, out)
    with sqlite3.connect(out / "plans.db") as con:
        before = {t: pd.read_sql(f'SELECT * FROM "{t}"', con) for t in COLUMNS}
    prepare(out)
    db, meta = prepare(out)
    assert meta.is_file()
    with sqlite3.connect(db) as con:
        for name, df in before.items():
            pd.testing.assert_frame_equal(pd.read_sql(f'SELECT * FROM "{name}"', con), df)
        assert con.execute("SELECT count(*) FROM texts").fetchone()[0] == len(before["documents"])
        hits = con.execute(
            "SELECT count(*) FROM section_texts_fts WHERE section_texts_fts MATCH 'kinh phi'"
        ).fetchone()[0]
    assert hits > 0


def test_every_column_is_described() -> None:
    from pipeline.audit import EDGE_COLUMNS, FINDING_COLUMNS

    tables = {**COLUMNS, "edges": EDGE_COLUMNS, "audit_findings": FINDING_COLUMNS}
    missing = [f"{t}.{c}" for t, cols in tables.items() for c in cols if not column_description(t, c)]
    assert missing == []


def test_own_text_leaves_out_the_children() -> None:
    assert own_text_segments([(10, 20), (25, 30)], 0, 40) == [(0, 10), (20, 25), (30, 40)]
    assert own_text_segments([(0, 40)], 0, 40) == []


def test_serve_without_a_run_says_what_to_do(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.serve", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "kehoach extract" in done.stderr
