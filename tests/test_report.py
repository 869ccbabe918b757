"""`kehoach report`: the HTML file a person opens, rendered in a real headless Chromium, offline.

The run is real: the bundled corpus plus one small sub-plan that cites a seed plan with the wrong date, so
the citation graph has an edge inside the corpus and an audit finding of severity error to mark. The
report is written by ``python -m pipeline.report`` (what ``kehoach report`` calls) and opened from disk
with every network request refused; the tests read what the page shows and take screenshots.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from tests.conftest import SEEDS

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency")

SUBPLAN = """LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU
LIÊN ĐOÀN LAO ĐỘNG HUYỆN TAM ĐƯỜNG

Số: 18/KH-LĐLĐ

Tam Đường, ngày 02 tháng 6 năm 2021

KẾ HOẠCH

Tuyên truyền Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng trong công nhân, viên chức, lao động huyện Tam Đường

Thực hiện Kế hoạch số 252/KH-LĐLĐ ngày 25/5/2021 của Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu về đẩy mạnh công tác tuyên truyền Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng, Ban Thường vụ Liên đoàn Lao động huyện ban hành kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Tạo sự thống nhất về nhận thức trong đoàn viên, công nhân, viên chức, lao động của huyện.

2. Công tác tuyên truyền phải thiết thực, hiệu quả, phù hợp với tình hình của cơ sở.

II. THỜI GIAN, NỘI DUNG TUYÊN TRUYỀN

1. Đợt 1: Từ ngày 05/6/2021 đến ngày 31/8/2021

Tuyên truyền kết quả Đại hội XIII của Đảng trên bản tin công đoàn và trang thông tin điện tử của Liên đoàn Lao động huyện.

2. Đợt 2: Từ ngày 01/9/2021 đến hết năm 2021

Tổ chức hội nghị học tập, quán triệt Nghị quyết cho cán bộ công đoàn cơ sở.

III. TỔ CHỨC THỰC HIỆN

1. Ban Tuyên giáo Liên đoàn Lao động huyện

Chủ trì tham mưu Ban Thường vụ triển khai kế hoạch; tổng hợp báo cáo kết quả trước ngày 15/12/2021.

2. Các công đoàn cơ sở trực thuộc

Tổ chức tuyên truyền đến đoàn viên, người lao động.

Nơi nhận:
- LĐLĐ tỉnh (b/c);
- Lưu: VT.

TM. BAN THƯỜNG VỤ
CHỦ TỊCH

Lò Văn Minh
"""
SUBPLAN_ID = "005_tam_duong"
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


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("corpus")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, src / seed.name)
    (src / f"{SUBPLAN_ID}.txt").write_text(SUBPLAN, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    pipeline.extract(src, out=out, jobs=1)
    return out


@pytest.fixture(scope="module")
def report(run_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("report") / "report.html"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.report", str(run_dir), "-o", str(dest)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "report written to" in done.stdout
    return dest


@pytest.fixture(scope="module")
def page(report: Path) -> Iterator[object]:
    """The report open in headless Chromium, with every request other than the file itself refused."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="kh-chromium-") as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        refused: list[str] = []

        def refuse(route: object) -> None:
            refused.append(route.request.url)
            route.abort()

        context.route(re.compile(r"^(?!file://).*"), refuse)
        tab = context.new_page()
        tab.goto(report.as_uri())
        tab.wait_for_selector("#kh-timeline .main-svg", timeout=30_000)
        tab.wait_for_selector("#kh-graph .main-svg", timeout=30_000)
        tab.refused = refused
        yield tab
        context.close()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_report_is_one_file_that_needs_no_network(report: Path, page: object) -> None:
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html), (
        "loads something remotely"
    )
    assert "Plotly.newPlot" in html and len(html) > 1_000_000, "plotly.js is not inlined"
    assert page.refused == [], f"the page tried to fetch {page.refused[:3]}"
    assert page.locator("h1").inner_text().startswith("Báo cáo so sánh kế hoạch")
    for anchor in ("overview", "timeline", "graph", "coverage", "documents"):
        assert page.locator(f"section#{anchor}").count() == 1, anchor


def test_screenshots_show_the_report(page: object, tmp_path: Path) -> None:
    """Screenshots of the overview, the timeline and the sub-plan's page (kept in $KEHOACH_SCREENSHOTS if set)."""
    folder = Path(os.environ.get("KEHOACH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    shots = {}
    for anchor in ("overview", "timeline", "graph", f"doc-{SUBPLAN_ID}"):
        page.evaluate(f"document.getElementById('{anchor}').scrollIntoView()")
        page.wait_for_timeout(200)
        shots[anchor] = folder / f"report-{anchor}.png"
        page.screenshot(path=str(shots[anchor]))
    for anchor, shot in shots.items():
        assert png_size(shot) == (1400, 1000), anchor
        assert shot.stat().st_size > 30_000, f"{anchor}: screenshot is nearly blank"


def test_overview_counts_plans_by_province(page: object, run_dir: Path) -> None:
    docs = pipeline.load(run_dir)["documents"]
    rows = page.locator("table.kh-overview-table tbody tr")
    seen = {}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        seen[(cells[0], cells[1])] = int(cells[2])
    expected = docs.groupby(["province", "issuer"]).size().to_dict()
    assert seen == expected
    assert page.locator("table.kh-plans-table tbody tr").count() == len(docs)


def test_timeline_draws_every_dated_phase_and_marks_inferred_boundaries(page: object, run_dir: Path) -> None:
    phases = pipeline.load(run_dir)["phases"]
    dated = phases[(phases["start_date"] != "") | (phases["end_date"] != "")]
    bars = page.locator("#kh-timeline .barlayer path").count()
    assert bars == len(dated)
    inferred = int(
        ((dated["start_date"] != "") & dated["start_inferred"].fillna(False)).sum()
        + ((dated["end_date"] != "") & dated["end_inferred"].fillna(False)).sum()
    )
    assert inferred > 0, "the corpus has inferred boundaries; the test needs some"
    traces = page.locator("#kh-timeline .scatterlayer .trace")
    assert traces.count() == 3
    assert traces.nth(1).locator("path.point").count() == inferred
    legend = page.locator("#kh-timeline .legend").text_content()
    assert "inferred date" in legend and "date written in the text" in legend
    undated = len(phases) - len(dated)
    listed = page.locator("#timeline table.kh-table tbody tr").count()
    assert listed == undated


def test_citation_graph_marks_the_audit_finding(page: object) -> None:
    red = "rgb(214, 39, 40)"
    arrows = page.locator("#kh-graph .annotation-arrow-g path")
    strokes = [arrows.nth(i).evaluate("p => getComputedStyle(p).stroke") for i in range(arrows.count())]
    assert strokes.count(red) == 1, strokes
    error_rows = page.locator("table.kh-findings-table tr.kh-sev-error")
    assert error_rows.count() == 1
    assert "date_differs" in error_rows.inner_text()
    error_rows.locator("a").click()
    assert page.evaluate("location.hash") == f"#doc-{SUBPLAN_ID}"


def test_document_page_highlights_spans_and_links_them_to_rows(page: object, run_dir: Path) -> None:
    tables = pipeline.load(run_dir)
    assert page.locator("article.kh-document").count() == len(tables["documents"])
    doc = page.locator(f"#doc-{SUBPLAN_ID}")
    assert doc.locator(".kh-text mark.kh-token").count() > 20
    text = (run_dir / "texts" / f"{SUBPLAN_ID}.txt").read_text(encoding="utf-8")
    cite = tables["citations"].query("doc_id == @SUBPLAN_ID").iloc[0]
    cited_words = text[cite.char_start : cite.char_end].split()
    basis = doc.locator(".kh-start", has=page.locator(".kh-label", has_text="BASIS")).first
    first_token = basis.locator("xpath=..").evaluate("m => m.firstChild.textContent.trim()")
    assert first_token == cited_words[0]
    finding = doc.locator(".kh-label", has_text="FINDING").first.locator("a")
    target = finding.get_attribute("href")
    assert target == f"#doc-{SUBPLAN_ID}-audit_findings-0"
    assert "date_differs" in page.locator(target).inner_text()
    labels = set(doc.locator(".kh-label").all_inner_texts())
    assert {"BASIS ↗", "FINDING ↗", "PHASE ↗", "SECTION"} <= {label.strip() for label in labels}


def test_report_of_a_run_without_audit_tables_still_has_a_graph(run_dir: Path, tmp_path: Path) -> None:
    from pipeline.report import report_html

    out = tmp_path / "run"
    shutil.copytree(run_dir, out)
    for name in ("edges", "audit_findings"):
        for ext in ("csv", "parquet"):
            (out / f"{name}.{ext}").unlink(missing_ok=True)
    html = report_html(out, doc_ids=[SUBPLAN_ID])
    assert html.count('class="kh-document"') == 1
    assert "date_differs" in html
    assert pd.read_parquet(out / "documents.parquet")["doc_id"].nunique() == 6
