"""Page text from Tesseract's word table: two-column runs are read one column at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ingest import ocr
from pipeline.ingest.ocr_layout import lines_of, page_text

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def _table(rows: list[list[tuple[str, int]]], par: int = 1) -> dict[str, list]:
    """A word table as pytesseract's ``image_to_data`` gives it: each row one line, each word at its x."""
    data: dict[str, list] = {
        k: [] for k in ("text", "block_num", "par_num", "line_num", "left", "width", "height")
    }
    for n, row in enumerate(rows, start=1):
        for word, x in row:
            data["text"].append(word)
            data["block_num"].append(1)
            data["par_num"].append(par)
            data["line_num"].append(n)
            data["left"].append(x)
            data["width"].append(22 * len(word))
            data["height"].append(40)
    return data


def test_interleaved_header_is_read_column_by_column() -> None:
    """The engine's one block for the whole header: organ and motto alternate on each line."""
    rows = [
        [("BỘ", 120), ("CÔNG", 190), ("AN", 310), (".", 560), ("CỘNG", 1200), ("HÒA", 1320), ("XÃ", 1420)],
        [("CÔNG", 100), ("AN", 220), ("TỈNH", 290), ("LÂM", 400), ("ĐỒNG", 490), ("Độc", 1250), ("lập", 1340)],
        [("Số:", 130), ("91/TTr-CAT", 210), ("Lâm", 1150), ("Đồng,", 1240), ("ngày", 1370), ("03", 1480)],
        [("TỜ", 900), ("TRÌNH", 970)],
    ]
    assert page_text(lines_of(_table(rows))).split("\n") == [
        "BỘ CÔNG AN",
        "CÔNG AN TỈNH LÂM ĐỒNG",
        "Số: 91/TTr-CAT",
        "CỘNG HÒA XÃ",
        "Độc lập",
        "Lâm Đồng, ngày 03",
        "",
        "TỜ TRÌNH",
    ]


def test_prose_wraps_join_but_a_type_line_in_capitals_does_not() -> None:
    left, words = 100, ["các", "đơn", "vị", "triển", "khai", "thực", "hiện", "kế", "hoạch", "này"]
    full = [(w, left + 200 * i) for i, w in enumerate(words)]
    rows = [full, [("theo", left), ("quy", 250), ("định.", 350)], full, [("KẾ", left), ("HOẠCH", 170)]]
    text = page_text(lines_of(_table(rows)))
    assert text.split("\n") == [" ".join(words) + " theo quy định.", " ".join(words), "KẾ HOẠCH"]


def test_a_table_row_with_several_gutters_is_left_as_read() -> None:
    rows = [[("1", 100), ("Sở", 400), ("Y", 470), ("tế", 520), ("Quý", 1000), ("IV", 1100), ("x", 1600)]]
    assert page_text(lines_of(_table(rows))) == "1 Sở Y tế Quý IV x"


@pytest.mark.skipif(not ocr.available(), reason="Tesseract with its Vietnamese model is not installed")
def test_rendered_two_column_header_comes_out_whole() -> None:
    """A header drawn like a printed plan's (organ on the left, motto on the right, 300 dpi) and OCR'd."""
    page = Image.new("L", (2480, 1100), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 50)
    left = ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "Số: 125/KH-UBND"]
    right = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lâm Đồng, ngày 03 tháng 02 năm 2026",
    ]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        draw.text((180, 150 + 80 * i), a, font=font, fill=0)
        draw.text((1150, 150 + 80 * i), b, font=font, fill=0)
    draw.text((1050, 600), "KẾ HOẠCH", font=font, fill=0)
    lines = [line for line in ocr.ocr_image(page, 300).text.split("\n") if line.strip()]
    assert lines.index("ỦY BAN NHÂN DÂN") + 1 == lines.index("TỈNH LÂM ĐỒNG")
    assert lines[-1] == "KẾ HOẠCH"
    assert any(line.startswith("CỘNG HÒA XÃ HỘI") for line in lines)
