"""Document metadata from plan-shaped text in the layouts real files have."""

from __future__ import annotations

from pipeline.extractors.metadata import MetadataExtractor
from pipeline.model import RawDocument
from pipeline.normalize import normalize
from pipeline.segment import segment


def meta_of(text: str):
    norm = normalize(RawDocument(text=text, format="txt"))
    doc = segment(norm)
    meta = MetadataExtractor().find(doc)
    for f in meta.fields:  # every value is traceable to its span
        assert norm.text[f.char_start : f.char_end], f
    return meta, norm.text


STATE = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 45/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Ngãi, ngày 12 tháng 3 năm 2025

KẾ HOẠCH
Tuyên truyền phổ biến, giáo dục pháp luật
năm 2025

Căn cứ Kế hoạch số 20-KH/TU ngày 02/01/2025 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân tỉnh ban hành Kế hoạch:

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tư pháp chủ trì.

Nơi nhận:
- Bộ Tư pháp;
- TT Tỉnh ủy;
- Lưu: VT, NC.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Văn Bình
"""

PARTY = """ĐẢNG BỘ TỈNH HÀ TĨNH
ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH
*
Số 112-KH/ĐUK
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Tĩnh, ngày 5 tháng 9 năm 2024

KẾ HOẠCH
Học tập, quán triệt Nghị quyết Hội nghị Trung ương 10
-----
Thực hiện Hướng dẫn số 05-HD/BTGTU, Ban Thường vụ Đảng ủy Khối xây dựng kế hoạch như sau:

I - MỤC ĐÍCH, YÊU CẦU
1. Mục đích
II - TỔ CHỨC THỰC HIỆN
1. Các chi bộ, đảng bộ cơ sở triển khai.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Lê Thị Hoa
Nơi nhận:
- Ban Tuyên giáo Tỉnh ủy,
- Các tổ chức cơ sở đảng,
- Lưu Văn phòng.
"""

NO_HEADER = """KẾ HOẠCH

Đẩy mạnh tuyên truyền an toàn giao thông

Thực hiện Chỉ thị số 23-CT/TW ngày 25/5/2018 của Ban Bí thư, Ban Thường vụ LĐLĐ tỉnh ban hành kế hoạch tuyên truyền như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Đoàn viên, người lao động tỉnh Bình Định chấp hành luật giao thông.
II. NỘI DUNG
Các cấp công đoàn tỉnh Bình Định tổ chức tuyên truyền.

TM. BAN THƯỜNG VỤ
CHỦ TỊCH

Phạm Văn An
"""


def test_state_header() -> None:
    m, _ = meta_of(STATE)
    assert (m.doc_type, m.number, m.symbol) == ("Kế hoạch", "45", "KH-UBND")
    assert (m.issue_date, m.place, m.province) == ("2025-03-12", "Quảng Ngãi", "Quảng Ngãi")
    assert m.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert m.title == "Tuyên truyền phổ biến, giáo dục pháp luật năm 2025"
    assert (m.signer_authority, m.signer_title, m.signer_name) == ("KT. Chủ tịch", "Phó Chủ tịch", "Trần Văn Bình")
    assert m.recipients.split(";") == ["Bộ Tư pháp", "TT Tỉnh ủy", "Lưu: VT, NC"]


def test_party_header_with_superior_organ() -> None:
    m, _ = meta_of(PARTY)
    assert (m.number, m.symbol, m.issue_date) == ("112", "KH/ĐUK", "2024-09-05")
    assert m.parent_organ.lower() == "đảng bộ tỉnh hà tĩnh"
    assert m.issuer.lower() == "đảng ủy khối các cơ quan tỉnh hà tĩnh"
    assert m.province == "Hà Tĩnh"
    assert m.title == "Học tập, quán triệt Nghị quyết Hội nghị Trung ương 10"
    assert (m.signer_authority, m.signer_name) == ("TM. Ban Thường vụ", "Lê Thị Hoa")
    assert len(m.recipients.split(";")) == 3


def test_issuer_from_preamble_and_province_from_body() -> None:
    m, _ = meta_of(NO_HEADER)
    assert m.number == "" and m.issue_date == ""
    assert m.issuer == "Liên đoàn Lao động tỉnh Bình Định"
    assert m.province == "Bình Định"
    assert m.title == "Đẩy mạnh tuyên truyền an toàn giao thông"
    assert m.signer_name == "Phạm Văn An" and m.signer_title == "Chủ tịch"


def test_blank_number_and_day_left_empty_not_invented() -> None:
    text = STATE.replace("Số: 45/KH-UBND", "Số:      /KH-UBND").replace("ngày 12 tháng 3", "ngày    tháng 3")
    m, _ = meta_of(text)
    assert (m.number, m.symbol, m.issue_date, m.place) == ("", "KH-UBND", "", "Quảng Ngãi")


def test_impossible_date_is_not_fixed() -> None:
    m, _ = meta_of(STATE.replace("ngày 12 tháng 3", "ngày 31 tháng 2"))
    assert m.issue_date == ""


def test_a_cited_number_in_a_headerless_copy_is_not_the_plans_number() -> None:
    text = (
        "UBND HUYỆN ĐỨC TRỌNG\nTRƯỜNG TIỂU HỌC KIM ĐỒNG\n"
        "Thực hiện Kế hoạch số 43/KH-PGDĐT về việc tuyên truyền phòng, chống dịch bệnh trên địa bàn huyện\n"
        "Nhà trường tổ chức tuyên truyền đến toàn thể cán bộ, giáo viên, nhân viên và học sinh.\n"
    )
    m, _ = meta_of(text)
    assert (m.number, m.symbol) == ("", "")


def test_chained_authorities_and_the_title_under_them() -> None:
    text = STATE.replace("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    m, _ = meta_of(text)
    assert m.signer_authority == "TM. Ủy ban nhân dân; KT. Chủ tịch"
    assert (m.signer_title, m.signer_name) == ("Phó Chủ tịch", "Trần Văn Bình")


SCHOOL_NOTICE = """PHÒNG GD&ĐT HUYỆN ĐÔNG ANH
TRƯỜNG THCS NGUYỄN HUY TƯỞNG

THÔNG TIN
Hưởng ứng Ngày Pháp luật Việt Nam năm 2024 trong nhà trường

Thực hiện Kế hoạch số 112/KH-PGDĐT của Phòng Giáo dục và Đào tạo về việc hưởng ứng Ngày Pháp luật.

Nhà trường tổ chức cho cán bộ, giáo viên, nhân viên tìm hiểu các văn bản pháp luật mới ban hành.

Các tổ chuyên môn triển khai thực hiện đảm bảo đúng tiến độ và hiệu quả./.

Trần Thị Minh Hạnh
"""


def test_notice_whose_heading_names_no_known_type() -> None:
    """A school's notice headed "THÔNG TIN" (no document type of the decree): its title is still the line
    under the heading; the school's name gets its proper name's capitals; the signer is the name at the
    end, and no header line is taken for a signer's title."""
    meta, _ = meta_of(SCHOOL_NOTICE)
    assert meta.doc_type == ""
    assert meta.title == "Hưởng ứng Ngày Pháp luật Việt Nam năm 2024 trong nhà trường"
    assert meta.issuer == "Trường Trung học cơ sở Nguyễn Huy Tưởng"
    assert meta.signer_name == "Trần Thị Minh Hạnh"
    assert meta.signer_title == ""


def test_the_national_motto_is_never_taken_for_a_heading() -> None:
    text = SCHOOL_NOTICE.replace(
        "THÔNG TIN\n", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
    )
    meta, _ = meta_of(text)
    assert meta.title == ""


def test_header_line_gates_answer_like_the_searches(seed_paths) -> None:
    """The number and date lines are searched only where their words stand; the answers are the searches'."""
    import re
    import sys

    from pipeline.extractors import metadata

    lines = [line for p in seed_paths for line in p.read_text(encoding="utf-8").splitlines()]
    lines += ["NGÀY 3 THÁNG 4 NĂM 2025", "Hà Nội, Ngày 1 tháng 2 năm 2024", "SỐ: 12/KH-UBND", "số 5/QĐ"]
    for line in lines:
        for gated, search in (
            (metadata._date_line, metadata.DATE_LINE),
            (metadata._number_line, metadata.NUMBER_LINE),
        ):
            found, plain = gated(line), search.search(line)
            assert (found and found.span()) == (plain and plain.span()), line
    # The date gate looks for "ngày" in the lower-cased line: no character other than a casing of one of its
    # letters matches that letter when case is ignored (every character is tried, in one scan per letter).
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    for letter in "ngày":
        assert {c.lower() for c in re.findall(letter, every, re.IGNORECASE)} == {letter}
