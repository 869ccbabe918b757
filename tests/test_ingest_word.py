"""The Word readers on real content: a DOCX built from a real seed plan, the real files, and bad inputs.

The seed plan (279-KH/ĐUK, Yên Bái) is laid out as Word lays out a real plan: its header in a borderless
two-column table, its numbered headings as *automatic* numbering (the typed "I. " / "2.1. " removed and
a numbering definition added), its "- " items as a bullet list, a schedule as a data table and the
recipients in a closing table. The reader must give the seed's own lines back.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from pipeline.ingest import read as ingest_read
from pipeline.ingest import word, word97
from pipeline.model import PipelineError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "seeds" / "001_79db2fe38eae3819.txt"
REALDOCS = Path(os.environ.get("KEHOACH_REALDOCS", ROOT.parent / "shared" / "realdocs"))
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# One multi-level list as Vietnamese plans number their sections: I. / 1. / 2.1. / 2.2.1.
# Levels 2 and 3 repeat the parent numbers, like Word's "%2.%3." outline lists. Plus a bullet list whose
# glyph is a Symbol-font private-use character, as Word writes it.
NUMBERING_XML = f"""
<w:numbering {W_NS}>
  <w:abstractNum w:abstractNumId="90">
    <w:multiLevelType w:val="multilevel"/>
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3."/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3.%4."/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="91">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>
  <w:num w:numId="91"><w:abstractNumId w:val="91"/></w:num>
</w:numbering>
"""

FOOTNOTE = (
    "Kế hoạch số 185-KH/TU ngày 19/9/2024 của Ban Thường vụ Tỉnh ủy về tuyên truyền đại hội đảng bộ "
    "các cấp tiến tới đại hội đại biểu toàn quốc lần thứ XIV của Đảng"
)
FOOTNOTES_XML = f"""
<w:footnotes {W_NS}>
  <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>
  </w:footnote>
  <w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {FOOTNOTE}</w:t></w:r>
  </w:p></w:footnote>
</w:footnotes>
"""

_ROMAN = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X)"
_LEVELS = [
    (re.compile(r"^\d+\.\d+\.\d+\.\s+"), 3),
    (re.compile(r"^\d+\.\d+\.\s+"), 2),
    (re.compile(r"^\d+\.\s+"), 1),
    (re.compile(rf"^{_ROMAN}\.\s+"), 0),
]
_CITED = "Căn cứ Kế hoạch số 185-KH/TU ngày 19/9/2024"


def _seed() -> tuple[list[str], list[str], list[str], list[str]]:
    """Header left column, header right column, body lines ('' = empty line), recipients."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    start = lines.index("KẾ HOẠCH")
    header = [x for x in lines[:start] if x]
    number = next(i for i, x in enumerate(header) if x.startswith("Số"))
    end = lines.index("Nơi nhận:")
    return header[: number + 1], header[number + 1 :], lines[start:end], [x for x in lines[end:] if x]


def _add_numbering(doc: docx.document.Document, xml: str) -> None:
    """Add the list definitions of a ``w:numbering`` fragment to the document's numbering part (abstract
    definitions must precede every ``w:num``)."""
    numbering = doc.part.numbering_part.element
    new = parse_xml(xml)
    first_num = numbering.find(qn("w:num"))
    for el in new.findall(qn("w:abstractNum")):
        first_num.addprevious(el)
    for el in new.findall(qn("w:num")):
        numbering.append(el)


def _numbered(doc: docx.document.Document, text: str, num_id: int, ilvl: int) -> None:
    p = doc.add_paragraph(text)
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _cited_paragraph(doc: docx.document.Document, text: str) -> None:
    """The basis paragraph with tracked changes (a wrong date deleted, the right one inserted) and a
    footnote reference right after the cited date."""
    assert text.startswith(_CITED)
    head, tail = "Căn cứ Kế hoạch số 185-KH/TU ", text[len(_CITED) :]
    p = doc.add_paragraph(head)
    for xml in (
        f'<w:del {W_NS} w:id="1" w:author="VP" w:date="2024-10-03T00:00:00Z"><w:r>'
        f"<w:delText>ngày 18/9/2024</w:delText></w:r></w:del>",
        f'<w:ins {W_NS} w:id="2" w:author="VP" w:date="2024-10-03T00:00:00Z"><w:r>'
        f"<w:t>ngày 19/9/2024</w:t></w:r></w:ins>",
        f'<w:r {W_NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>',
        f'<w:r {W_NS}><w:t xml:space="preserve">{tail}</w:t></w:r>',
    ):
        p._p.append(parse_xml(xml))


def _schedule_rows(body: list[str]) -> list[tuple[str, str, str]]:
    rows = []
    for line in body:
        m = re.match(r"^2\.(\d)\. (Đợt \d): (.+)$", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3).strip()))
    return rows


def _add_schedule(doc: docx.document.Document, rows: list[tuple[str, str, str]], unit: str) -> None:
    table = doc.add_table(rows=len(rows) + 1, cols=4)
    for i, text in enumerate(("STT", "Đợt", "Thời gian")):
        table.cell(0, i).text = text
    table.cell(0, 3).text = "Đơn vị"
    table.cell(0, 3).add_paragraph("phụ trách")
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    merged = table.cell(1, 3).merge(table.cell(len(rows), 3))
    merged.text = unit


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    left, right, body, recipients = _seed()
    doc = docx.Document()
    _add_numbering(doc, NUMBERING_XML)
    footnotes = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, FOOTNOTES_XML.encode(), doc.part.package)
    doc.part.relate_to(footnotes, RT.FOOTNOTES)

    header = doc.add_table(rows=1, cols=2)
    for cell, lines in zip(header.rows[0].cells, (left, right), strict=True):
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)

    for line in body:
        if not line:
            doc.add_paragraph("")
        elif line.startswith(_CITED):
            _cited_paragraph(doc, line)
        elif line.startswith("- "):
            _numbered(doc, line[2:], 91, 0)
        else:
            for pattern, level in _LEVELS:
                if pattern.match(line):
                    _numbered(doc, pattern.sub("", line), 90, level)
                    break
            else:
                doc.add_paragraph(line)
        if line.startswith("2. Nội dung tuyên truyền cụ thể"):
            _add_schedule(doc, _schedule_rows(body), "Ban Tuyên giáo Đảng ủy khối")

    closing = doc.add_table(rows=len(recipients), cols=2)
    for i, line in enumerate(recipients):
        closing.cell(i, 0).text = line
    path = tmp_path_factory.mktemp("seed") / "279-KH-DUK.docx"
    doc.save(str(path))
    return path


@pytest.fixture(scope="module")
def seed_text(seed_docx: Path) -> str:
    return word.read(seed_docx).text


def _collapse(lines: list[str]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# --------------------------------------------------------------------------------------------------
# The seed plan as a DOCX
# --------------------------------------------------------------------------------------------------


def test_seed_docx_gives_back_the_seed_lines_in_order(seed_docx: Path, seed_text: str) -> None:
    left, right, body, recipients = _seed()
    schedule = [
        "STT | Đợt | Thời gian | Đơn vị phụ trách",
        *(
            f"{n} | {d} | {t} | Ban Tuyên giáo Đảng ủy khối" if i == 0 else f"{n} | {d} | {t} |"
            for i, (n, d, t) in enumerate(_schedule_rows(body))
        ),
    ]
    k = next(i for i, x in enumerate(body) if x.startswith("2. Nội dung tuyên truyền cụ thể")) + 1
    # a blank line only where the seed has an empty line, and between the header's two columns
    expected = [*left, "", *right, *body[:k], *schedule, *body[k:], *recipients, "", f"[1] {FOOTNOTE}"]
    assert seed_text == _collapse(expected)
    doc = word.read(seed_docx)
    assert doc.format == "docx"
    assert doc.page_starts == [0]
    assert any("footnote" in n for n in doc.notes)


def test_seed_header_lines_stay_whole_and_columns_stay_apart(seed_text: str) -> None:
    lines = seed_text.split("\n")
    assert lines[:6] == [
        "ĐẢNG BỘ TỈNH YÊN BÁI",
        "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
        "*",
        "Số 279-KH/ĐUK",
        "",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
    ]
    assert "Yên Bái,  ngày 04 tháng 10 năm 2024" in lines


def test_seed_automatic_numbers_are_visible(seed_text: str) -> None:
    lines = seed_text.split("\n")
    for heading in (
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG TUYÊN TRUYỀN",
        "III. HÌNH THỨC TUYÊN TRUYỀN CHỦ YẾU",
        "IV. TỔ CHỨC THỰC HIỆN",
        "2.1. Đợt 1: Từ nay đến khi hoàn thành đại hội chi, đảng bộ cơ sở",
        "2.2.1. Trước khai mạc Đại hội Đảng bộ Khối lần thứ X",
        "2.4.3. Sau Đại hội XIV của Đảng",
        "4. Các chi, đảng bộ cơ sở, các đoàn thể Khối",
    ):
        assert heading in lines
    # the level-1 counter restarts under each Roman heading
    iv = lines.index("IV. TỔ CHỨC THỰC HIỆN")
    assert lines[iv + 2] == "1. Ban Tuyên giáo Đảng ủy khối"
    bullet = (
        "- Đôn đốc, kiểm tra các chi, đảng bộ cơ sở, các đoàn thể khối trong triển khai thực hiện Kế hoạch này."
    )
    assert bullet in lines  # a Symbol-font bullet glyph shows as "- "


def test_seed_revisions_and_footnote(seed_text: str) -> None:
    assert "18/9/2024" not in seed_text  # deleted revision
    assert "19/9/2024 của Ban Thường vụ Tỉnh ủy" in seed_text  # inserted revision, no footnote digit glued
    assert seed_text.endswith(f"[1] {FOOTNOTE}")


def test_dispatch_through_sniffing(seed_docx: Path, seed_text: str) -> None:
    assert ingest_read(seed_docx).text == seed_text


def test_style_numbering_start_restart_and_override(tmp_path: Path) -> None:
    """Numbering that comes from paragraph styles, start values, lvlRestart=0 and startOverride."""
    doc = docx.Document()
    xml = f"""<w:numbering {W_NS}>
      <w:abstractNum w:abstractNumId="80">
        <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:lvlRestart w:val="0"/><w:numFmt w:val="lowerLetter"/>
          <w:lvlText w:val="%2)"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="80"><w:abstractNumId w:val="80"/></w:num>
      <w:num w:numId="81"><w:abstractNumId w:val="80"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
    </w:numbering>"""
    _add_numbering(doc, xml)
    doc.add_paragraph("Mục đích", style="List Number")
    doc.add_paragraph("Yêu cầu", style="List Number")
    doc.add_paragraph("Tuyên truyền trên báo chí", style="List Bullet")
    for text, num, lvl in (
        ("Đợt 3", 80, 0),
        ("Trước đại hội", 80, 1),
        ("Trong đại hội", 80, 1),
        ("Đợt 4", 80, 0),
        ("Sau đại hội", 80, 1),  # lvlRestart=0: the letters run on
        ("Nội dung", 81, 0),  # the same list definition with its start overridden: a list of its own
    ):
        _numbered(doc, text, num, lvl)
    path = tmp_path / "numbers.docx"
    doc.save(str(path))
    assert word.read(path).text.split("\n") == [
        "1. Mục đích",
        "2. Yêu cầu",
        "- Tuyên truyền trên báo chí",
        "3. Đợt 3",
        "a) Trước đại hội",
        "b) Trong đại hội",
        "4. Đợt 4",
        "c) Sau đại hội",
        "1. Nội dung",
    ]


def test_text_box_read_once_and_hidden_text_skipped(tmp_path: Path) -> None:
    """A "DỰ THẢO" (draft) stamp in a text box, written twice as Word does (DrawingML + VML fallback)."""
    ns = (
        f'{W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    box = "<w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent>"
    doc = docx.Document()
    p = doc.add_paragraph("KẾ HOẠCH")
    p._p.append(
        parse_xml(
            f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}'
            f"</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}"
            "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    p = doc.add_paragraph("Tuyên truyền Cải cách hành chính năm 2026")
    p._p.append(parse_xml(f"<w:r {W_NS}><w:rPr><w:vanish/></w:rPr><w:t> (bản nháp số 2)</w:t></w:r>"))
    path = tmp_path / "du-thao.docx"
    doc.save(str(path))
    assert word.read(path).text == "KẾ HOẠCH\nDỰ THẢO\nTuyên truyền Cải cách hành chính năm 2026"


def test_doc_list_numbers_are_put_back() -> None:
    """antiword's DocBook gives lists without their numbers; the Word 97 reader restores them."""
    xml = """<?xml version="1.0" encoding="utf-8"?>
<book><chapter><title/>
  <orderedlist numeration='upperroman'><listitem><para>
MỤC ĐÍCH, YÊU CẦU
  </para></listitem></orderedlist>
  <orderedlist numeration='arabic'><listitem><para>
Nắm chắc tình hình tội phạm, tệ nạn ma túy
  </para></listitem><listitem><para>

  </para></listitem><listitem><para>
Kết hợp chặt chẽ giữa phòng và chống
  </para></listitem></orderedlist>
  <para>
Nội dung cụ thể như sau:
  </para>
  <orderedlist numeration='upperroman'><listitem><para>
CHỈ TIÊU XÂY DỰNG XÃ, PHƯỜNG, ĐẶC KHU KHÔNG MA TÚY NĂM 2026
  </para></listitem></orderedlist>
  <itemizedlist mark='bullet'><listitem><para>
Các địa bàn cấp xã còn lại
  </para></listitem></itemizedlist>
  <orderedlist numeration='arabic'><listitem><para>
Công tác tham mưu, triển khai thực hiện
  </para></listitem></orderedlist>
</chapter></book>"""
    assert word97._from_docbook(xml) == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Nắm chắc tình hình tội phạm, tệ nạn ma túy",
        "",
        "3. Kết hợp chặt chẽ giữa phòng và chống",
        "Nội dung cụ thể như sau:",
        "II. CHỈ TIÊU XÂY DỰNG XÃ, PHƯỜNG, ĐẶC KHU KHÔNG MA TÚY NĂM 2026",
        "- Các địa bàn cấp xã còn lại",
        "1. Công tác tham mưu, triển khai thực hiện",
    ]


# --------------------------------------------------------------------------------------------------
# The real files (not in the repository)
# --------------------------------------------------------------------------------------------------


def _real(prefix: str) -> Path:
    if not REALDOCS.is_dir():
        pytest.skip(f"real documents folder {REALDOCS} is absent (it lives in shared/, not in the repo)")
    found = sorted(REALDOCS.glob(f"{prefix}_*"))
    if not found:
        pytest.skip(f"no {prefix}_* file in {REALDOCS}")
    return found[0]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _header_order(lines: list[str], place: str) -> None:
    organ = lines.index("ỦY BAN NHÂN DÂN")
    assert lines[organ + 1] == "TỈNH LÂM ĐỒNG"
    number = next(i for i, x in enumerate(lines) if re.fullmatch(r"Số:\s+/KH-UBND", x))
    motto = lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    date = next(
        i for i, x in enumerate(lines) if re.fullmatch(rf"{place}, ngày\s+tháng\s+(\d\d\s+)?năm 20\d\d", x)
    )
    assert organ < number < motto < date < lines.index("KẾ HOẠCH")


def _has_headings(lines: list[str], *headings: str) -> None:
    for heading in headings:
        assert heading in lines


def _closing_block(lines: list[str], first_recipients: list[str], signer: str) -> None:
    """The first recipients right after "Nơi nhận:", and the signature block last, after a blank line."""
    start = lines.index("Nơi nhận:")
    assert lines[start + 1 : start + 1 + len(first_recipients)] == first_recipients
    assert lines[-4:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", signer]


def test_real_01_header_tables_and_signature() -> None:
    doc = ingest_read(_real("01"))
    lines = _lines(doc.text)
    assert doc.format == "docx"
    _header_order(lines, "Lâm Đồng")
    assert lines[lines.index("KẾ HOẠCH") + 1] == "Tuyên truyền Cải cách hành chính năm 2026"
    _has_headings(
        lines, "I. MỤC ĐÍCH, YÊU CẦU", "II. ĐỐI TƯỢNG, NỘI DUNG VÀ HÌNH THỨC TUYÊN TRUYỀN", "IV. TỔ CHỨC THỰC HIỆN"
    )
    assert "TT | Nội dung | Trách nhiệm thực hiện | Thời gian (Năm 2026)" in lines
    assert any(x.startswith("11 | Giải đáp") and x.endswith("ngày 11 tháng 12") for x in lines)
    recipients = lines.index("Nơi nhận:")
    assert lines[recipients + 1] == "- Bộ Nội vụ;"
    assert lines[recipients + 10] == "- Lưu: VT, NC.Châu"
    assert lines[recipients + 11 :] == ["", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Ngọc Phúc"]


def test_real_03_signature_mid_document_and_annex() -> None:
    lines = _lines(word.read(_real("03")).text)
    _header_order(lines, "Lâm Đồng")
    assert any("Kế hoạch số 9669/KH-UBND ngày 24/12/2025" in x for x in lines)
    _has_headings(
        lines,
        "I. MỤC ĐÍCH, YÊU CẦU",
        "V. TỔ CHỨC THỰC HIỆN",
        "VI. KINH PHÍ",
        "VIII. ĐÁNH GIÁ CHUNG, KIẾN NGHỊ, ĐỀ XUẤT",
    )
    start = lines.index("Nơi nhận:")
    end = lines.index("", start)
    assert len(lines[start + 1 : end]) == 5
    assert lines[end + 1 : end + 5] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Ngọc Phúc"]
    assert lines.index("Nguyễn Ngọc Phúc") < lines.index("Phụ lục I")
    assert "STT | Đơn vị được kiểm tra | Thời gian kiểm tra" in lines
    assert any(
        x.startswith("1 | Sở Nông nghiệp và Môi trường") and x.endswith("| Từ tháng 3 đến tháng 9/2026")
        for x in lines
    )


def test_real_05_line_breaks_in_recipients() -> None:
    lines = _lines(word.read(_real("05")).text)
    _header_order(lines, "Lâm Đồng")
    _has_headings(
        lines, "I. MỤC ĐÍCH, YÊU CẦU", "II. CHỈ TIÊU CHỦ YẾU THỰC HIỆN ĐẾN NĂM 2030", "IV. TỔ CHỨC THỰC HIỆN"
    )
    _closing_block(lines, ["- Thường trực Tỉnh ủy;", "- Thường trực HĐND tỉnh;"], "Nguyễn Minh")


def test_real_07_doc_same_shape_as_docx() -> None:
    path = _real("07")
    if shutil.which("antiword") is None:
        pytest.skip("antiword is not installed (apt-get install antiword)")
    doc = ingest_read(path)
    assert doc.format == "doc"
    lines = _lines(doc.text)
    _header_order(lines, "Lâm Đồng")
    assert "Độc lập – Tự do – Hạnh phúc" in lines
    _has_headings(
        lines, "I. MỤC ĐÍCH, YÊU CẦU", "III. GIẢI PHÁP THỰC HIỆN VÀ PHÂN CÔNG NHIỆM VỤ", "1.1. Các sở, ban, ngành"
    )
    _closing_block(lines, ["- V01, C04 - Bộ Công an;", "- Thường trực Tỉnh ủy;"], "Nguyễn Minh")
    # the file stores some diacritics decomposed; the reader gives NFC only
    assert not re.search("[\u0300-\u036f]", doc.text)
    assert "decomposed diacritics normalized to NFC" in doc.notes


# --------------------------------------------------------------------------------------------------
# Bad inputs
# --------------------------------------------------------------------------------------------------


def _error(path: Path, reader=word.read) -> PipelineError:
    with pytest.raises(PipelineError) as info:
        reader(path)
    return info.value


def test_random_bytes_docx_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(os.urandom(4096))
    assert _error(path).error_type == "corrupt"


def test_zip_without_document_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("noi-dung.txt", SEED.read_text(encoding="utf-8"))
    assert _error(path).error_type == "corrupt"


def test_truncated_docx_is_corrupt(seed_docx: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes(seed_docx.read_bytes()[: seed_docx.stat().st_size // 2])
    assert _error(path).error_type == "corrupt"


def test_damaged_document_xml_is_corrupt(seed_docx: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(seed_docx) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    assert _error(path).error_type == "corrupt"


def test_zip_bomb_is_refused(seed_docx: Path, tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(seed_docx) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item.filename))
        with dst.open("word/document.xml", "w") as fh:
            chunk = b" " * 2**20
            for _ in range(word.MAX_XML_PART_BYTES // 2**20 + 1):
                fh.write(chunk)
    assert path.stat().st_size < 2 * 2**20
    assert _error(path).error_type == "too_large"


def test_document_without_text_is_no_text(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("")
    doc.add_table(rows=2, cols=2)
    path = tmp_path / "empty.docx"
    doc.save(str(path))
    assert _error(path).error_type == "no_text"


def _ole(path: Path, streams: list[str]) -> Path:
    """A minimal, well-formed OLE compound file (v3, 512-byte sectors) holding empty streams."""
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *([free] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, end, *([free] * 126))

    def entry(name: str, kind: int, right: int, child: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBBIII", len(raw), kind, 1, free, right, child)
            + bytes(36)
            + struct.pack("<III", end, 0, 0)
        )

    entries = [entry("Root Entry", 5, free, 1 if streams else free)]
    for i, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, i + 1 if i < len(streams) else free, free))
    directory = b"".join(entries).ljust(512, b"\x00")
    path.write_bytes(header + fat + directory)
    return path


def test_password_protected_docx_is_encrypted(tmp_path: Path) -> None:
    # Word saves a password-protected DOCX as an OLE file with these streams; the sniffer sends OLE
    # files to the Word 97 reader, which must say "encrypted", not "corrupt".
    path = _ole(tmp_path / "ke-hoach.docx", ["EncryptionInfo", "EncryptedPackage"])
    assert word97.ole_has_stream(path, "EncryptedPackage")
    with pytest.raises(PipelineError) as info:
        ingest_read(path)
    assert info.value.error_type == "encrypted"
    assert _error(path).error_type == "encrypted"  # the DOCX reader called directly says the same


def test_plain_ole_is_not_taken_for_encrypted(tmp_path: Path) -> None:
    path = _ole(tmp_path / "x.doc", ["WordDocument"])
    assert not word97.ole_has_stream(path, "EncryptedPackage")
    assert word97.ole_has_stream(path, "WordDocument")


def test_encrypted_word97_is_encrypted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # antiword's own words for a password-protected .doc, from a stand-in program.
    fake = tmp_path / "antiword"
    fake.write_text("#!/bin/sh\necho 'Encrypted documents are not supported' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(word97.shutil, "which", lambda name: str(fake))
    path = _ole(tmp_path / "mat-khau.doc", ["WordDocument", "1Table"])
    assert _error(path, word97.read).error_type == "encrypted"


def test_random_doc_is_corrupt_with_antiwords_message(tmp_path: Path) -> None:
    if shutil.which("antiword") is None:
        pytest.skip("antiword is not installed (apt-get install antiword)")
    path = tmp_path / "ke-hoach.doc"
    path.write_bytes(os.urandom(4096))
    error = _error(path, word97.read)
    assert error.error_type == "corrupt"
    assert "is not a Word Document" in error.message


def test_missing_antiword_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word97.shutil, "which", lambda name: None)
    error = _error(_ole(tmp_path / "x.doc", ["WordDocument"]), word97.read)
    assert error.error_type == "converter_missing"
    assert "apt-get install antiword" in error.message
