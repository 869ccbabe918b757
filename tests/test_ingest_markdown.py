"""The Markdown reader on seed 001 written the way converters write a web page as Markdown.

The fixture is hard-wrapped at 80 columns (so "Mác - Lênin" and "2025 - 2030" get split before the dash),
has the document header as a ``|`` table with a ``|---|---|`` delimiter, ATX and bold headings, links that
wrap across lines, an image, footnote references and escaped characters. The reader must give back the
seed's lines whole: one paragraph per line, header cells column by column, emphasis marks left in.
"""

from __future__ import annotations

import re
import textwrap
import time
from pathlib import Path

import pytest

from pipeline.ingest import markdown as md_reader
from pipeline.ingest import read as read_any
from pipeline.ingest.markdown import markdown_to_text
from pipeline.model import PipelineError

SEED = Path(__file__).resolve().parent.parent / "corpora" / "seeds" / "001_79db2fe38eae3819.txt"

HEADER_MD = """\
| **ĐẢNG BỘ TỈNH YÊN BÁI** | **ĐẢNG CỘNG SẢN VIỆT NAM** |
|---|---|
| **ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH** |  |
| \\* |  |
| Số 279-KH/ĐUK | *Yên Bái, ngày 04 tháng 10 năm 2024* |
"""
HEADER_LINES = [
    "**ĐẢNG BỘ TỈNH YÊN BÁI**",
    "**ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH**",
    "*",
    "Số 279-KH/ĐUK",
    "",
    "**ĐẢNG CỘNG SẢN VIỆT NAM**",
    "*Yên Bái, ngày 04 tháng 10 năm 2024*",
]
#: A Lào Cai header (organ, number | motto, place and date) as it must come out of a Markdown or raw HTML
#: table: column by column, a blank line after each column.
LAO_CAI_HEADER_LINES = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH LÀO CAI",
    "Số: 12/KH-UBND",
    "",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Lào Cai, ngày 5 tháng 3 năm 2026",
    "",
]
LINK = "https://tulieuvankien.dangcongsan.vn/he-thong-van-ban/van-ban-cua-dang/chi-thi-so-35-cttw-10930"


#: Wrap widths at which a greedy wrapper splits seed 001 right before a dash or a year ("năm\n2011. Kết
#: quả", "2025\n- 2030"): lines that read as list items by the letter of Markdown.
HAZARD_WIDTHS = [67, 73, 74, 79, 91]


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> str:
    return textwrap.fill(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )


def seed_markdown(width: int = 80) -> tuple[str, list[str]]:
    """Seed 001 as Markdown hard-wrapped at ``width``, and the lines the reader must give back for its body."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    start = lines.index("KẾ HOẠCH")
    body = lines[start:]
    blocks, expected = [HEADER_MD], []
    for n, line in enumerate(body):
        if line == "-----":
            blocks.append("* * *")  # a thematic break: no text
            continue
        if n < 3:
            blocks.append(f"**{line}**")
            expected.append(f"**{line}**")
        elif re.match(r"[IVX]+\. ", line):
            blocks.append(f"## {line}")
            expected.append(line)
        elif re.match(r"\d+(\.\d+)+\. ", line):
            blocks.append(f"**{line}**")
            expected.append(f"**{line}**")
        elif line.startswith("- "):
            escaped = n % 4 == 0  # markdownify-style "\-" for a paragraph that merely starts with a dash
            text = line.replace("Chỉ thị số 35-CT/TW", f"[Chỉ thị số 35-CT/TW]({LINK})")
            if escaped:
                blocks.append(_wrap("\\" + text, width))
            else:
                blocks.append(_wrap(text[2:], width, first="- ", rest="  "))
            expected.append(line)
        else:
            blocks.append(_wrap(line.replace("_", "\\_"), width))
            expected.append(line)
        if n == 5:
            blocks.append("![Ảnh: Hội nghị Ban Thường vụ Đảng ủy Khối](https://yenbai.gov.vn/anh/hoi-nghi.jpg)")
    return "\n\n".join(blocks) + "\n", expected


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize("width", HAZARD_WIDTHS)
def test_fixture_is_hard_wrapped_with_list_like_tails(width: int) -> None:
    source, _ = seed_markdown(width)
    prose = [
        line for line in source.splitlines() if not line.startswith(("|", "!", "#", "**")) and "](" not in line
    ]
    assert max(len(line) for line in prose) <= width
    # Wrapping put a dash or a year with a dot at the start of a line inside a paragraph.
    assert re.search(r"[^\n]\n *(- |\d{4}\. )", source)


@pytest.mark.parametrize("width", [80, *HAZARD_WIDTHS])
def test_seed_markdown_comes_back_one_paragraph_per_line(tmp_path: Path, width: int) -> None:
    source, expected = seed_markdown(width)
    doc = read_any(_write(tmp_path, "ke-hoach-279.md", source))
    assert doc.format == "md"
    assert doc.page_starts == [0]
    lines = doc.text.splitlines()
    assert [line for line in lines[len(HEADER_LINES) :] if line] == expected


def test_header_table_comes_out_column_by_column(tmp_path: Path) -> None:
    source, _ = seed_markdown()
    text = read_any(_write(tmp_path, "ke-hoach-279.md", source)).text
    assert text.splitlines()[: len(HEADER_LINES)] == HEADER_LINES
    assert "|" not in text and "---" not in text


def test_syntax_removed_but_emphasis_kept(tmp_path: Path) -> None:
    source, _ = seed_markdown()
    text = read_any(_write(tmp_path, "ke-hoach-279.md", source)).text
    assert "## " not in text and "](" not in text and "https://" not in text and "Ảnh:" not in text
    assert "\\" not in text
    assert "**KẾ HOẠCH**" in text.splitlines()
    assert "- Tuyên truyền về chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh" in text
    assert "Tuyên truyền sâu rộng Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị" in text


def test_paragraphs_separated_by_blank_lines(tmp_path: Path) -> None:
    source, expected = seed_markdown()
    text = read_any(_write(tmp_path, "ke-hoach-279.md", source)).text
    assert f"\n\n{expected[3]}\n\n{expected[4]}\n\n" in text


def test_data_table_rows_and_footnotes() -> None:
    source = """Phân công nhiệm vụ như sau[^1]:

| STT | Nội dung | Đơn vị chủ trì | Thời gian |
|:---:|----------|----------------|-----------|
| 1 | Treo băng rôn, khẩu hiệu | Văn phòng Đảng ủy Khối | Tháng 10/2024 |
| 2 | Tổ chức hội nghị<br>báo cáo viên | Ban Tuyên giáo | Quý IV/2024 |

[^1]: Kế hoạch số 185-KH/TU ngày 19/9/2024 của Ban Thường vụ
    Tỉnh ủy.
"""
    assert markdown_to_text(source) == (
        "Phân công nhiệm vụ như sau[1]:\n\n"
        "STT | Nội dung | Đơn vị chủ trì | Thời gian\n"
        "1 | Treo băng rôn, khẩu hiệu | Văn phòng Đảng ủy Khối | Tháng 10/2024\n"
        "2 | Tổ chức hội nghị báo cáo viên | Ban Tuyên giáo | Quý IV/2024\n\n"
        "[1] Kế hoạch số 185-KH/TU ngày 19/9/2024 của Ban Thường vụ Tỉnh ủy.\n"
    )


def test_header_cells_with_br_and_a_rule_row() -> None:
    source = """| ỦY BAN NHÂN DÂN<br>TỈNH LÀO CAI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc |
|---|---|
| ------- | --------------- |
| Số: 12/KH-UBND | Lào Cai, ngày 5 tháng 3 năm 2026 |

KẾ HOẠCH
"""
    assert markdown_to_text(source).splitlines() == [*LAO_CAI_HEADER_LINES, "KẾ HOẠCH"]


def test_wrapped_dash_is_not_a_list_item() -> None:
    """A paragraph filled to the wrap width and split before "- Lênin" is one paragraph."""
    source = (
        "- Tuyên truyền về chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, sự ra đời và trưởng thành của Đảng\n"
        "Cộng sản Việt Nam, Đảng bộ tỉnh qua các kỳ đại hội; phát triển kinh tế - xã hội và chủ nghĩa Mác\n"
        "- Lênin.\n"
        "- Mục tiếp theo;\n"
    )
    assert markdown_to_text(source).splitlines() == [
        "- Tuyên truyền về chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, sự ra đời và trưởng thành của Đảng "
        "Cộng sản Việt Nam, Đảng bộ tỉnh qua các kỳ đại hội; phát triển kinh tế - xã hội và chủ nghĩa Mác - Lênin.",
        "- Mục tiếp theo;",
    ]


def test_tight_list_items_stay_apart_and_links_unwrap() -> None:
    source = """Nơi nhận:
- Thường trực Tỉnh ủy,
- Ban Tuyên giáo Tỉnh ủy
- Lưu Văn phòng ĐUK.

Xem [[1]](#_ftn1) và [toàn văn][kh], Đảng[1][2], ![x](a.png) <https://yenbai.gov.vn>

[kh]: https://yenbai.gov.vn/kh-279.pdf
"""
    assert markdown_to_text(source) == (
        "Nơi nhận:\n- Thường trực Tỉnh ủy,\n- Ban Tuyên giáo Tỉnh ủy\n- Lưu Văn phòng ĐUK.\n\n"
        "Xem [1] và toàn văn, Đảng[1][2], https://yenbai.gov.vn\n"
    )


def test_setext_heading_quote_and_code() -> None:
    source = "Kế hoạch\n========\n\n> Trích dẫn một\n> dòng\n\n```\nmã  giữ nguyên\n```\n"
    assert markdown_to_text(source) == "Kế hoạch\n\nTrích dẫn một dòng\n\nmã  giữ nguyên\n"


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    source, expected = seed_markdown()
    data = b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode("utf-8")
    doc = md_reader.read(_write(tmp_path, "bom.md", data))
    assert [line for line in doc.text.splitlines()[len(HEADER_LINES) :] if line] == expected


def test_not_utf8_is_an_encoding_or_converted_error(tmp_path: Path) -> None:
    junk = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xFF, 0xFE, 0xC0, 0xC1] * 300)
    with pytest.raises(PipelineError) as err:
        md_reader.read(_write(tmp_path, "junk.md", junk))
    assert err.value.error_type in {"encoding", "binary"}
    assert "junk.md" in err.value.message


def test_only_syntax_is_no_text(tmp_path: Path) -> None:
    with pytest.raises(PipelineError) as err:
        md_reader.read(_write(tmp_path, "empty.md", "![ảnh](a.png)\n\n---\n\n[x]: http://a.b\n"))
    assert err.value.error_type == "no_text"


def test_large_file_is_fast(tmp_path: Path) -> None:
    source, _ = seed_markdown()
    path = _write(tmp_path, "big.md", source * 3)
    started = time.perf_counter()
    md_reader.read(path)
    assert time.perf_counter() - started < 0.5


def test_raw_html_header_table_left_by_the_converter() -> None:
    """Converters keep a table Markdown cannot express (cells with several lines) as raw HTML."""
    source = """<table>
<tr><td><p>ỦY BAN NHÂN DÂN</p><p>TỈNH LÀO CAI</p><p>Số: 12/KH-UBND</p></td>
<td><p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b></p><p>Độc lập - Tự do - Hạnh phúc</p>
<p><i>Lào Cai, ngày 5 tháng 3 năm 2026</i></p></td></tr>
</table>

**KẾ HOẠCH**
"""
    assert markdown_to_text(source).splitlines() == [*LAO_CAI_HEADER_LINES, "**KẾ HOẠCH**"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PipelineError) as err:
        md_reader.read(tmp_path / "absent.md")
    assert err.value.error_type == "missing"
