"""The PDF reader on PDFs built here from a real plan, and on the real documents in shared/realdocs.

The generated PDFs are written the way converters write Vietnamese official documents: the two-column
header row by row (so plain stream order glues "Số: ..." to the date), body lines wrapped at the page width,
a document number broken at its hyphen, a scanned page with only a stamp label, a ruled table.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest import ocr
from pipeline.ingest import pdf as pdf_reader
from pipeline.model import PipelineError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "seeds" / "002_6f632e44ce525a9e.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
REALDOCS = ROOT.parent / "shared" / "realdocs"
if not REALDOCS.is_dir():
    REALDOCS = Path("/work/shared/realdocs")

HEADER_LEFT = ["LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "Số: 252/KH-LĐLĐ"]
HEADER_RIGHT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Lai Châu, ngày 20 tháng 5 năm 2021",
]
# Seed 004's own sentence, written with the number broken at the hyphen as converters do.
BROKEN = [
    "Theo đề nghị của Sở Thông tin và Truyền thông tại Tờ trình số 55/TTr-",
    "STTTT ngày 17/6/2021, UBND tỉnh ban hành Kế hoạch tuyên truyền.",
]
STAMP = "SAO Y; LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU; 20/05/2021; 15:40:13; +07:00"

PAGE_W, PAGE_H, MARGIN, LEADING, SIZE = 595.0, 842.0, 57.0, 15.0, 12


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text))


def _seed_body() -> list[str]:
    """The seed's lines from the title on (its first lines are the header, written separately)."""
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines[lines.index("KẾ HOẠCH") :]


def _new_pdf() -> Any:
    """An empty A4 document in DejaVu Serif (skips the test when fpdf2 or the font is missing)."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (test extra) writes the PDFs these tests read")
    if not FONT.is_file():
        pytest.skip(f"{FONT} missing (Debian fonts-dejavu-core)")
    doc = fpdf.FPDF(format="A4", unit="pt")
    doc.set_auto_page_break(False)
    doc.add_font("serif", "", str(FONT))
    doc.set_font("serif", size=SIZE)
    return doc


def _wrap(doc: Any, paragraph: str, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in paragraph.split():
        trial = f"{current} {word}".strip()
        if current and doc.get_string_width(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def _write_header(doc: Any) -> None:
    """Row by row, left cell then right cell, as a converter emits a two-column table."""
    rows = [(HEADER_LEFT[0], HEADER_RIGHT[0]), ("", HEADER_RIGHT[1]), (HEADER_LEFT[1], HEADER_RIGHT[2])]
    doc.set_font_size(11)
    for i, (left, right) in enumerate(rows):
        y = MARGIN + i * 17
        if left:
            doc.set_xy(30, y)
            doc.cell(235, 14, left, align="C")
        doc.set_xy(275, y)
        doc.cell(290, 14, right, align="C")
    doc.set_font_size(SIZE)


def _scan_page(doc: Any, label: str = "") -> None:
    """A page that is only a picture (grey bars standing in for scanned lines), maybe under a stamp label."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (420, 595), 250)
    draw = ImageDraw.Draw(image)
    for y in range(60, 560, 18):
        draw.rectangle((40, y, 380, y + 7), fill=90)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    doc.add_page()
    doc.image(buffer, x=0, y=0, w=PAGE_W, h=PAGE_H)
    if label:
        doc.set_font_size(7)
        doc.set_xy(MARGIN, 20)
        doc.cell(300, 9, label)
        doc.set_font_size(SIZE)


def _build_plan(path: Path) -> list[str]:
    """Write the seed plan over several pages; return the first line written on each page."""
    doc = _new_pdf()
    width = PAGE_W - 2 * MARGIN
    firsts: list[str] = []
    y = PAGE_H  # forces a new page for the first line

    def emit(line: str, align: str = "L") -> None:
        nonlocal y
        if y + LEADING > PAGE_H - MARGIN:
            doc.add_page()
            y = MARGIN
            if not firsts:
                _write_header(doc)
                firsts.append(HEADER_LEFT[0])
                y = MARGIN + 80
            else:
                firsts.append(line)
        doc.set_xy(MARGIN, y)
        doc.cell(width, LEADING, line, align=align)
        y += LEADING

    for paragraph in _seed_body():
        centred = paragraph.isupper() and len(paragraph) < 40
        for line in _wrap(doc, paragraph, width):
            emit(line, "C" if centred else "L")
    _scan_page(doc, STAMP)
    firsts.append("")
    doc.add_page()
    for i, line in enumerate(BROKEN):
        doc.set_xy(MARGIN, MARGIN + i * LEADING)
        doc.cell(width, LEADING, line)
    firsts.append(BROKEN[0])
    doc.output(str(path))
    return firsts


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("pdf") / "plan.pdf"
    return path, _build_plan(path)


def test_page_starts_point_at_each_pages_first_text(plan: tuple[Path, list[str]]) -> None:
    path, firsts = plan
    doc = pdf_reader.read(path)
    assert doc.format == ("pdf-ocr" if ocr.available() else "pdf")  # one page is a scanned image
    assert len(firsts) >= 5, "the plan should span several pages"
    assert len(doc.page_starts) == len(firsts)
    assert doc.page_starts[0] == 0
    for start, first in zip(doc.page_starts, firsts, strict=True):
        if first:
            assert doc.text[start:].startswith(first), (first, doc.text[start : start + 80])
    for start, end in zip(doc.page_starts, doc.page_starts[1:], strict=False):
        assert doc.text[end - len(pdf_reader.PAGE_SEPARATOR) : end] == pdf_reader.PAGE_SEPARATOR
        assert start < end


def test_header_columns_come_out_whole_and_in_column_order(plan: tuple[Path, list[str]]) -> None:
    import pypdfium2

    raw = pypdfium2.PdfDocument(plan[0])
    stream_order = raw[0].get_textpage().get_text_range()
    raw.close()
    assert "Số: 252/KH-LĐLĐ Lai Châu" in stream_order, "the plain text glues the columns together"
    doc = pdf_reader.read(plan[0])
    lines = doc.text.splitlines()
    assert lines[:5] == HEADER_LEFT + HEADER_RIGHT
    assert lines[5] == "KẾ HOẠCH"


def test_body_matches_the_seed_word_for_word(plan: tuple[Path, list[str]]) -> None:
    doc = pdf_reader.read(plan[0])
    expected = _words("\n".join(_seed_body()))
    got = _words(doc.text)
    start = got.index("KẾ")
    assert got[start : start + len(expected)] == expected


def test_number_broken_at_the_hyphen_is_rejoined(plan: tuple[Path, list[str]]) -> None:
    doc = pdf_reader.read(plan[0])
    assert "Tờ trình số 55/TTr-STTTT ngày 17/6/2021, UBND tỉnh" in doc.text
    assert "55/TTr-\n" not in doc.text


def test_scanned_page_is_read_from_its_image_not_its_stamp_label(plan: tuple[Path, list[str]]) -> None:
    """The page is a picture under a stamp label in the text layer: the label is not taken as the page's
    text; the page image is read by OCR (where the printed label is visible, like on a real scan)."""
    path, firsts = plan
    doc = pdf_reader.read(path)
    number = firsts.index("") + 1
    assert any(note.startswith(f"page {number}: ignored") for note in doc.notes)
    if not ocr.available():
        assert doc.warnings == [
            f"page {number}: no text layer (a scanned image) and OCR is not installed "
            "(apt-get install tesseract-ocr tesseract-ocr-vie)"
        ]
        return
    assert doc.page_methods[number - 1] == "ocr"
    assert doc.page_confidence[number - 1] is not None
    assert all(m == "text" for i, m in enumerate(doc.page_methods) if i != number - 1)


def test_truncated_pdf_is_corrupt(plan: tuple[Path, list[str]], tmp_path: Path) -> None:
    data = plan[0].read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(PipelineError) as err:
        pdf_reader.read(cut)
    assert err.value.error_type == "corrupt"
    assert "cut.pdf" in err.value.message


def test_garbage_after_the_signature_is_corrupt(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + "Kế hoạch số 252/KH-LĐLĐ".encode() * 50 + b"\n%%EOF\n")
    with pytest.raises(PipelineError) as err:
        pdf_reader.read(bad)
    assert err.value.error_type == "corrupt"


def test_password_protected_pdf_is_encrypted(plan: tuple[Path, list[str]], tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) encrypts the PDF")
    writer = pypdf.PdfWriter(clone_from=str(plan[0]))
    writer.encrypt(user_password="mật khẩu", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    writer.write(str(locked))
    with pytest.raises(PipelineError) as err:
        pdf_reader.read(locked)
    assert err.value.error_type == "encrypted"


def test_owner_password_only_pdf_is_read(plan: tuple[Path, list[str]], tmp_path: Path) -> None:
    """Restrictions without an open password do not stop reading (every viewer opens such files)."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) encrypts the PDF")
    writer = pypdf.PdfWriter(clone_from=str(plan[0]))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    restricted = tmp_path / "restricted.pdf"
    writer.write(str(restricted))
    assert pdf_reader.read(restricted).text == pdf_reader.read(plan[0]).text


def test_too_many_pages(plan: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    with pytest.raises(PipelineError) as err:
        pdf_reader.read(plan[0])
    assert err.value.error_type == "too_large"


def test_scan_only_pdf_has_no_text(tmp_path: Path) -> None:
    doc = _new_pdf()
    _scan_page(doc)
    _scan_page(doc)
    path = tmp_path / "scan.pdf"
    doc.output(str(path))
    with pytest.raises(PipelineError) as err:
        pdf_reader.read(path)
    assert err.value.error_type == "no_text"
    assert err.value.message.startswith("scan.pdf: no page has a text layer")
    if ocr.available():
        assert err.value.message.endswith("and OCR read no text from its page images")


# --- tables --------------------------------------------------------------------------------------------

TABLE_ABOVE = "2. Hình thức tuyên truyền"
TABLE_BELOW = "III. TỔ CHỨC THỰC HIỆN"


def _seed_table_rows() -> list[tuple[str, str]]:
    """The seed's sub-headings 2.1–2.5 as a two-column schedule: number | form of communication."""
    rows = [("TT", "Hình thức tuyên truyền")]
    for line in SEED.read_text(encoding="utf-8").splitlines():
        match = re.match(r"(2\.\d)\. (.+)", line.strip())
        if match:
            rows.append((match.group(1), match.group(2)))
    return rows


def _build_table_pdf(path: Path) -> list[tuple[str, str]]:
    rows = _seed_table_rows()
    doc = _new_pdf()
    doc.add_page()
    doc.set_xy(MARGIN, MARGIN)
    doc.cell(300, LEADING, TABLE_ABOVE)
    doc.set_xy(MARGIN, MARGIN + 2 * LEADING)
    with doc.table(col_widths=(40, 300), width=340, align="LEFT", first_row_as_headings=False) as table:
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(value)
    doc.set_xy(MARGIN, doc.get_y() + 2 * LEADING)
    doc.cell(300, LEADING, TABLE_BELOW)
    doc.output(str(path))
    return rows


def test_ruled_table_is_written_one_row_per_line(tmp_path: Path) -> None:
    path = tmp_path / "table.pdf"
    rows = _build_table_pdf(path)
    doc = pdf_reader.read(path)
    lines = doc.text.splitlines()
    expected = [f"{number} | {title}" for number, title in rows]
    start = lines.index(expected[0])
    assert lines[start : start + len(rows)] == expected
    assert lines.index(TABLE_ABOVE) < start < lines.index(TABLE_BELOW)
    for _, title in rows[1:]:
        assert doc.text.count(title) == 1, f"{title!r} must not be emitted twice"
    assert any("tables on page(s) 1" in note for note in doc.notes)


def test_table_on_a_rotated_page(tmp_path: Path) -> None:
    """A page drawn sideways and shown upright through /Rotate, as some printers and scanners write
    landscape annexes: pdfium's and pdfplumber's coordinates differ there, and the table must still come
    out row by row."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) rotates the page")
    from pypdf.generic import RectangleObject

    path = tmp_path / "table.pdf"
    rows = _build_table_pdf(path)
    writer = pypdf.PdfWriter(clone_from=str(path))
    page = writer.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    page.add_transformation(pypdf.Transformation((0, 1, -1, 0, height, 0)))  # exact quarter turn
    page.mediabox = page.cropbox = RectangleObject([0, 0, height, width])
    page.rotate(90)
    rotated = tmp_path / "rotated.pdf"
    writer.write(str(rotated))
    lines = pdf_reader.read(rotated).text.splitlines()
    start = lines.index("TT | Hình thức tuyên truyền")
    assert lines[start : start + len(rows)] == [f"{number} | {title}" for number, title in rows]
    assert lines.index(TABLE_ABOVE) < start < lines.index(TABLE_BELOW)


def test_table_with_an_unclosed_cell_keeps_all_its_text(tmp_path: Path) -> None:
    """If pdfplumber cannot close a cell, its text must not vanish: the table is kept as plain text."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) rewrites the page")
    path = tmp_path / "table.pdf"
    rows = _build_table_pdf(path)
    writer = pypdf.PdfWriter(clone_from=str(path))
    page = writer.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    # A floating-point quarter turn leaves some cell frames a hair off the axes, so pdfminer no longer
    # sees rectangles there and pdfplumber (11.x) leaves the "TT" and "2.3" cells unclosed.
    page.add_transformation(pypdf.Transformation().rotate(90).translate(height, 0))
    page.mediabox = page.cropbox = pypdf.generic.RectangleObject([0, 0, height, width])
    page.rotate(90)
    skewed = tmp_path / "skewed.pdf"
    writer.write(str(skewed))
    got = Counter(_words(pdf_reader.read(skewed).text))
    expected = Counter(_words(" ".join(f"{number} {title}" for number, title in rows)))
    assert not expected - got, "table text was lost"


def test_clean_rejoins_only_document_numbers() -> None:
    assert pdf_reader.clean("theo Kế hoạch số 589/KH-BCA-\r\nC04 ngày 02/10/2025") == (
        "theo Kế hoạch số 589/KH-BCA-C04 ngày 02/10/2025"
    )
    assert pdf_reader.clean("Quyết định số 12/QĐ-  \n  UBND ngày") == "Quyết định số 12/QĐ-UBND ngày"
    kept = "giai đoạn 2021 -\n2030, Quyết định số 12/KH-\nỦy ban nhân dân tỉnh"
    assert pdf_reader.clean(kept) == kept
    assert pdf_reader.clean("Ho\u0300a") == "Hòa"


# --- real documents ------------------------------------------------------------------------------------


def _realdoc(prefix: str) -> Path:
    found = sorted(REALDOCS.glob(f"{prefix}_*.pdf"))
    if not found:
        pytest.skip(f"{REALDOCS}/{prefix}_*.pdf is absent (shared/realdocs not checked out)")
    return found[0]


def test_real_born_digital_totrinh_with_cid_fonts() -> None:
    doc = pdf_reader.read(_realdoc("15"))
    assert doc.page_starts == [0]
    assert doc.warnings == []
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "\r" not in doc.text
    assert doc.text.splitlines()[:7] == [
        "UBND TỈNH LÂM ĐỒNG",
        "SỞ NỘI VỤ",
        "Số: /TTr-SNV",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lâm Đồng, ngày tháng năm",
        "TỜ TRÌNH",
    ]
    for phrase in (
        "Kính gửi: Ủy ban nhân dân tỉnh",
        "Nghị quyết số 76/NQ-CP ngày 15/7/2021",
        "Công văn số 3803/SNV-CCHC&VTLT ngày 26/12/2025",
        "Chỉ số PAR Index, SIPAS",
        "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nTrần Hữu Tuấn",
    ):
        assert phrase in doc.text


def test_real_scan_is_read_by_ocr_not_by_its_stamp_label(tmp_path: Path) -> None:
    """08's first page is a scan whose text layer holds only a "SAO Y; ..." stamp label: the label is
    ignored (and noted), the page image is read by OCR."""
    if not ocr.available():
        pytest.skip("Tesseract with its Vietnamese model is not installed")
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(_realdoc("08")).pages[0])
    first = tmp_path / "08_first_page.pdf"
    with first.open("wb") as fh:
        writer.write(fh)
    doc = pdf_reader.read(first)
    assert doc.format == "pdf-ocr" and doc.page_methods == ["ocr"]
    assert any(note.startswith("page 1: ignored") for note in doc.notes)
    assert "Kính gửi" in doc.text and "TỜ TRÌNH" in doc.text
