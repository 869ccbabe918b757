"""OCR of scanned plans and page images, on pages rendered from real plan text (scripts/render_pages.py)."""

from __future__ import annotations

import importlib.util
import random
import shutil
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from pipeline.ingest import ocr, read
from pipeline.ingest.ocr_repair import edit_distance
from pipeline.model import PipelineError
from pipeline.runner import run
from tests.conftest import ROOT, SEEDS, realdoc

pytestmark = pytest.mark.skipif(not ocr.available(), reason="Tesseract with its Vietnamese model is not installed")

_spec = importlib.util.spec_from_file_location("render_pages", ROOT / "scripts" / "render_pages.py")
render = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render)  # type: ignore[union-attr]

#: The header and preamble of a real plan: about one page, numbers, dates and Roman numerals included.
SOURCE = (SEEDS / "002_6f632e44ce525a9e.txt").read_text(encoding="utf-8")[:1400]


def cer(truth: str, read_text: str) -> float:
    """Character error rate after folding whitespace (edit distance over the true length)."""
    a, b = " ".join(truth.split()), " ".join(read_text.split())
    return edit_distance(a, b) / max(len(a), 1)


@pytest.fixture(scope="module")
def clean_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render.save_pdf(render.render_pages(SOURCE), tmp_path_factory.mktemp("scan") / "clean_scan.pdf")


def test_image_only_pdf_is_read_by_ocr(clean_pdf: Path) -> None:
    raw = read(clean_pdf)
    assert raw.format == "pdf-ocr"
    assert set(raw.page_methods) == {"ocr"}
    assert all(c is not None and c > 80 for c in raw.page_confidence)
    assert cer(SOURCE, raw.text) < 0.01
    assert "252/KH-LĐLĐ" in raw.text


def test_degraded_scan_stays_readable(tmp_path: Path) -> None:
    pages = [render.degrade(p, seed=i) for i, p in enumerate(render.render_pages(SOURCE))]
    raw = read(render.save_pdf(pages, tmp_path / "degraded.pdf"))
    assert cer(SOURCE, raw.text) < 0.03


def test_low_resolution_photo_is_upsampled_and_read(tmp_path: Path) -> None:
    page = render.render_pages(SOURCE[:600], dpi=150)[0]
    page.save(tmp_path / "photo.png", dpi=(150, 150))
    raw = read(tmp_path / "photo.png")
    assert raw.format == "image-ocr"
    assert cer(SOURCE[:600], raw.text) < 0.05


def test_page_turned_90_degrees_is_read_upright(tmp_path: Path) -> None:
    page = render.render_pages(SOURCE[:700])[0].rotate(90, expand=True)
    page.save(tmp_path / "turned.png", dpi=(300, 300))
    raw = read(tmp_path / "turned.png")
    assert any("rotated" in n for n in raw.notes)
    assert cer(SOURCE[:700], raw.text) < 0.05


def test_blank_page_and_noise_are_errors_not_silent_output(tmp_path: Path) -> None:
    Image.new("L", (2481, 3507), 255).save(tmp_path / "blank.png", dpi=(300, 300))
    rng = random.Random(1)
    noise = Image.frombytes("L", (800, 600), bytes(rng.randrange(256) for _ in range(800 * 600)))
    noise.save(tmp_path / "noise.png")
    for name in ("blank.png", "noise.png"):
        with pytest.raises(PipelineError) as err:
            read(tmp_path / name)
        assert err.value.error_type == "no_text"
        assert name in err.value.message


def test_batch_records_ocr_pages_and_flags_a_blank_one(clean_pdf: Path, tmp_path: Path) -> None:
    pages = [*render.render_pages(SOURCE[:900]), Image.new("L", (2481, 3507), 255)]
    src = tmp_path / "in"
    src.mkdir()
    render.save_pdf(pages, src / "scan_with_blank.pdf")
    run([src], tmp_path / "out", progress=False, jobs=1)
    table = pd.read_csv(tmp_path / "out" / "pages.csv")
    assert list(table.method) == ["ocr", "ocr"]
    assert list(table.flagged) == [False, True]
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False)
    assert docs.format.tolist() == ["pdf-ocr"]
    assert "page 2: OCR found no text" in docs.warnings[0]
    assert docs.number[0] == "252"


def _run_pages(pattern: str, pages: list[int], tmp_path: Path) -> tuple[pd.Series, Path]:
    """Extract some pages of a real scan in ``../shared/realdocs`` (skipped when absent) as one PDF; the
    document's row and the output folder."""
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(realdoc(pattern))
    writer = pypdf.PdfWriter()
    for page in pages:
        writer.add_page(reader.pages[page])
    src = tmp_path / "in"
    src.mkdir()
    with (src / "pages.pdf").open("wb") as fh:
        writer.write(fh)
    run([src], tmp_path / "out", progress=False, jobs=1)
    return pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False).iloc[
        0
    ], tmp_path / "out"


def test_real_scan_first_page(tmp_path: Path) -> None:
    doc, out = _run_pages("12_*scan.pdf", [0], tmp_path)
    assert doc.symbol == "KH-BCA-C04"  # the number itself is handwritten: left empty, not guessed
    assert doc.number == ""
    assert doc.issuer == "Bộ Công an"
    assert "Hội nghị" in doc.title
    repairs = pd.read_csv(out / "repairs.csv", dtype=str, keep_default_na=False)
    text = (out / "texts" / "pages.txt").read_text(encoding="utf-8")
    assert len(repairs)
    for r in repairs.itertuples():
        assert text[int(r.char_start) : int(r.char_end)] == r.repaired
        assert r.raw != r.repaired


def test_real_scan_section_tree_across_pages(tmp_path: Path) -> None:
    """Plan 589's printed pages (the backs are blank): "III." on page 2 of these is read as "I." by the
    engine, and "VI. TỔ CHỨC THỰC HIỆN" carries a stray mark; the numeral sequence across pages and the
    known headings put both right, and say so in the repairs table."""
    doc, out = _run_pages("12_*scan.pdf", [0, 2, 4, 6], tmp_path)
    sections = pd.read_csv(out / "sections.csv", dtype=str, keep_default_na=False)
    top = sections[sections.level == "1"]
    assert top.label.tolist() == ["I", "II", "III", "IV", "V", "VI"]
    assert top.category.tolist()[-1] == "implementation"
    assert doc.numbering_anomalies == ""
    repairs = pd.read_csv(out / "repairs.csv", dtype=str, keep_default_na=False)
    assert "roman_sequence" in set(repairs.rule)


def test_real_scan_two_column_header(tmp_path: Path) -> None:
    """A Tờ trình whose header the engine reads as one block, the organ and the national motto interleaved
    line by line: the columns are taken apart, so the issuer and its parent organ come out whole."""
    doc, _ = _run_pages("08_*scan.pdf", [0], tmp_path)
    assert doc.doc_type == "Tờ trình"
    assert doc.issuer == "Công an tỉnh Lâm Đồng"
    assert doc.parent_organ == "Bộ Công an"
    assert doc.title.lower().startswith("về việc ban hành kế hoạch")


def test_phone_photo_of_a_school_notice(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(realdoc("14_*photo.png"), src / "photo.png")
    run([src], tmp_path / "out", progress=False, jobs=1)
    doc = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False).iloc[0]
    assert doc.format == "image-ocr"
    assert doc.issuer.lower().startswith("trường mn-th sao mai")
    assert doc.parent_organ.startswith("Ủy ban nhân dân quận Tây")
    # the red stamp over the signature makes the engine's layout skip it as a picture; read again, it
    # gives the signer's name
    assert doc.signer_name.startswith("Nguyễn Thị Tr") and doc.signer_name.endswith("Giang")
    citations = pd.read_csv(tmp_path / "out" / "citations.csv", dtype=str, keep_default_na=False)
    assert "43/KH-PGDĐT" in set(citations.cited_number)


def test_deskew_levels_a_turned_page_and_leaves_a_straight_one() -> None:
    from pipeline.ingest.ocr_preprocess import deskew, skew_angle, upsample

    page = render.render_pages(SOURCE)[0]
    assert deskew(page)[1] == 0.0
    turned = page.rotate(2.0, fillcolor=255)
    assert abs(skew_angle(turned) + 2.0) <= 0.2
    low = page.resize((page.width // 2, page.height // 2))
    assert upsample(low, 150)[1] == pytest.approx(2.0)
    assert upsample(page, 300)[1] == 1.0
