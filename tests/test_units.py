"""Responsible units from the implementation section, in every shape real plans use.

Items are real sentences from the seed plans or constructed in their style; the expected values are what a
Vietnamese reader of the plan would answer.
"""

from __future__ import annotations

import pytest

from pipeline.extractors.units import UnitExtractor
from pipeline.ingest import read
from pipeline.model import RawDocument, Unit
from pipeline.normalize import normalize
from pipeline.segment import segment
from tests.conftest import realdoc

HEAD = """LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU
Số: 12/KH-LĐLĐ
Lai Châu, ngày 20 tháng 5 năm 2021

KẾ HOẠCH
Tuyên truyền Nghị quyết Đại hội

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của đoàn viên.

"""
TAIL = """
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. BAN THƯỜNG VỤ
CHỦ TỊCH

Nguyễn Văn An
"""


def units_of(section: str, tail: str = TAIL) -> list[Unit]:
    norm = normalize(RawDocument(text=HEAD + section + tail, format="txt"))
    rows = UnitExtractor.default().find(segment(norm))
    for u in rows:  # provenance: every row's span holds its unit
        assert norm.text[u.char_start : u.char_end] == u.unit, u
    return rows


def by_unit(rows: list[Unit]) -> dict[str, Unit]:
    return {u.unit: u for u in rows}


def test_a_heading_line_names_the_unit_and_its_paragraphs_are_tasks() -> None:
    rows = units_of(
        """II. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo và Nữ công
Chủ động liên hệ Ban Tuyên giáo Tỉnh ủy tiếp nhận tài liệu phục vụ tuyên truyền.
Phối hợp với Văn phòng tham mưu tổ chức hội nghị học tập, quán triệt Nghị quyết.
2. Ban Tổ chức - Kiểm tra
Theo dõi, kiểm tra, giám sát việc triển khai kế hoạch tuyên truyền trong các cấp công đoàn.
"""
    )
    assert [u.unit for u in rows] == ["Ban Tuyên giáo và Nữ công", "Ban Tổ chức - Kiểm tra"]
    first = rows[0]
    assert first.section_id == "II.1" and first.role == "implement"
    assert first.tasks.split(";") == [
        "Chủ động liên hệ Ban Tuyên giáo Tỉnh ủy tiếp nhận tài liệu phục vụ tuyên truyền",
        "Phối hợp với Văn phòng tham mưu tổ chức hội nghị học tập, quán triệt Nghị quyết",
    ]


def test_a_unit_that_opens_the_item_before_a_colon_is_the_lead() -> None:
    rows = units_of(
        """II. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông: là cơ quan chủ trì thực hiện Kế hoạch, có trách nhiệm:
- Chủ trì, phối hợp với các sở, ngành, cơ quan liên quan triển khai thực hiện các nhiệm vụ của Kế hoạch.
- Theo dõi, kiểm tra, đôn đốc việc thực hiện của các cơ quan, đơn vị, địa phương.
2. Sở Tư pháp: Lồng ghép tuyên truyền công tác CCHC với công tác phổ biến, giáo dục pháp luật.
"""
    )
    tt, tp = rows
    assert (tt.unit, tt.role) == ("Sở Thông tin và Truyền thông", "lead")
    assert len(tt.tasks.split(";")) == 2 and "có trách nhiệm" not in tt.tasks  # the announcement is no task
    assert (tp.unit, tp.role) == ("Sở Tư pháp", "implement")
    assert tp.tasks.startswith("Lồng ghép tuyên truyền")


def test_a_request_cue_is_not_part_of_the_unit() -> None:
    rows = units_of(
        """II. TỔ CHỨC THỰC HIỆN
1. Đề nghị Ban Tuyên giáo Tỉnh ủy
Chủ trì, phối hợp với Sở Thông tin và Truyền thông định hướng, chỉ đạo công tác tuyên truyền trên địa bàn tỉnh.
2. Giao Công an tỉnh là cơ quan thường trực, có trách nhiệm quản lý và giám sát tổng thể kết quả thực hiện.
"""
    )
    assert [(u.unit, u.role) for u in rows] == [("Ban Tuyên giáo Tỉnh ủy", "lead"), ("Công an tỉnh", "lead")]


def test_units_inside_the_first_sentence() -> None:
    rows = units_of(
        """II. Tổ chức thực hiện:
1. Căn cứ các nội dung của Kế hoạch, các Phòng, đơn vị trực thuộc có trách nhiệm chỉ đạo, tổ chức triển khai thực hiện tốt công tác thông tin, tuyên truyền theo quy định.
2. Văn phòng BQLKKT tỉnh đôn đốc các Phòng, đơn vị trực thuộc trong việc triển khai thực hiện kế hoạch; phối hợp với Phòng Kế hoạch Tổng hợp xây dựng dự toán kinh phí.
3. Tổ Biên tập Trang TTĐT của BQLKKT tỉnh tăng cường công tác thông tin, tuyên truyền trên Trang TTĐT của cơ quan.
4. Văn phòng theo dõi, tổng hợp, tham mưu báo cáo kết quả triển khai về UBND tỉnh (qua Sở Thông tin và Truyền thông) theo quy định.
"""
    )
    got = by_unit(rows)
    assert list(got) == [
        "các Phòng, đơn vị trực thuộc",
        "Văn phòng BQLKKT tỉnh",
        "Tổ Biên tập Trang TTĐT của BQLKKT tỉnh",
        "Văn phòng",
    ]
    assert got["Văn phòng BQLKKT tỉnh"].unit_canonical == "Văn phòng Ban Quản lý Khu kinh tế tỉnh"
    # the predicate is the item's first task; a "; "-clause that opens with a verb is the next one
    assert got["Văn phòng BQLKKT tỉnh"].tasks.split(";")[1].startswith("phối hợp với Phòng Kế hoạch")
    assert got["Văn phòng"].reports_to == "Ủy ban nhân dân tỉnh (qua Sở Thông tin và Truyền thông)"


def test_a_list_of_units_gives_the_item_and_each_member() -> None:
    rows = units_of(
        """II. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch
Chủ trì, phối hợp với các cơ quan, đơn vị liên quan tổ chức tốt công tác tuyên truyền cổ động trực quan.
2. Báo Đắk Lắk, Đài Phát thanh và Truyền hình tỉnh, Tạp chí Chư Yang Sin
- Mở chuyên trang, chuyên mục đẩy mạnh công tác tuyên truyền.
"""
    )
    assert [u.unit for u in rows] == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Báo Đắk Lắk, Đài Phát thanh và Truyền hình tỉnh, Tạp chí Chư Yang Sin",
        "Báo Đắk Lắk",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Tạp chí Chư Yang Sin",
    ]
    item = rows[1]
    assert item.member_of == "" and all(u.member_of == item.unit for u in rows[2:])
    assert all(u.tasks == item.tasks and u.section_id == "II.2" for u in rows[2:])


def test_a_theme_heading_hands_over_to_the_units_of_its_sub_items() -> None:
    rows = units_of(
        """II. NỘI DUNG, GIẢI PHÁP TRỌNG TÂM VÀ PHÂN CÔNG NHIỆM VỤ
1. Tăng cường công tác tuyên truyền, giáo dục, phòng ngừa tội phạm và tệ nạn ma túy
a) Sở Giáo dục và Đào tạo
- Đẩy mạnh công tác tuyên truyền, giáo dục về phòng, chống ma túy trong trường học.
b) Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh
Phối hợp chặt chẽ với Công an tỉnh nâng cao hiệu quả áp dụng các biện pháp xử lý hành chính.
2. Các sở, ban, ngành nghiên cứu, ban hành theo thẩm quyền các hướng dẫn tổ chức thực hiện các Dự án thuộc Chương trình
- Sở Y tế tham mưu triển khai thực hiện các nội dung tại Dự án 6.
- Sở Tư pháp tham mưu triển khai thực hiện các nội dung tại Dự án 8.
"""
    )
    got = by_unit(rows)
    assert got["Sở Giáo dục và Đào tạo"].section_id == "II.1.a"
    assert got["Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh"].role == "coordinate"  # it only "phối hợp"
    assert got["Tòa án nhân dân tỉnh"].member_of == "Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh"
    # a unit's item that gives bullets to other units: each bullet is that unit's, not the item's task
    assert got["Các sở, ban, ngành"].tasks.startswith("nghiên cứu, ban hành theo thẩm quyền")
    assert "Dự án 6" not in got["Các sở, ban, ngành"].tasks
    assert got["Sở Y tế"].tasks == "tham mưu triển khai thực hiện các nội dung tại Dự án 6"


def test_a_heading_that_links_units_gives_each_its_role() -> None:
    rows = units_of(
        """II. PHÂN CÔNG NHIỆM VỤ
1. Sở Tài chính chủ trì, phối hợp các sở, ban, ngành
- Tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí thực hiện Chương trình.
2. Bộ Chỉ huy Quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng và đề nghị Bộ Tư lệnh Vùng Cảnh sát biển 3
Tuyên truyền, vận động Nhân dân khu vực biên giới chấp hành nghiêm pháp luật.
"""
    )
    assert [(u.unit, u.role) for u in rows] == [
        ("Sở Tài chính", "lead"),
        ("các sở, ban, ngành", "coordinate"),
        ("Bộ Chỉ huy Quân sự tỉnh", "implement"),
        ("lực lượng Bộ đội Biên phòng", "implement"),
        ("Bộ Tư lệnh Vùng Cảnh sát biển 3", "implement"),
    ]
    assert rows[3].member_of.startswith("Bộ Chỉ huy Quân sự tỉnh chỉ đạo")


def test_a_qualified_heading_is_the_unit_as_written() -> None:
    rows = units_of(
        """II. TỔ CHỨC THỰC HIỆN
1. Các cơ quan, đơn vị được kiểm tra
a) Chuẩn bị xây dựng báo cáo theo nội dung đề cương kiểm tra.
2. Tiểu ban Tuyên truyền, phục vụ Đại hội X Đảng bộ Khối
- Xây dựng và ban hành kế hoạch chi tiết về công tác tuyên truyền Đại hội.
"""
    )
    assert [u.unit for u in rows] == [
        "Các cơ quan, đơn vị được kiểm tra",
        "Tiểu ban Tuyên truyền, phục vụ Đại hội X Đảng bộ Khối",
    ]


def test_reports_to_and_the_closing_paragraph() -> None:
    rows = units_of(
        """II. TỔ CHỨC THỰC HIỆN
1. Liên đoàn Lao động tỉnh
- Tham mưu UBND tỉnh báo cáo Ban Thường vụ Tỉnh ủy định kỳ hằng năm.
2. LĐLĐ các huyện, thành phố, Công đoàn Ngành, Công đoàn Viên chức và CĐCS trực thuộc
- Bám sát các nội dung Kế hoạch của LĐLĐ tỉnh, chủ động chỉ đạo, triển khai thực hiện.

Ban Thường vụ LĐLĐ tỉnh đề nghị LĐLĐ các huyện, thành phố, Công đoàn Ngành, Công đoàn Viên chức và CĐCS trực thuộc nghiêm túc triển khai thực hiện và báo cáo kết quả về LĐLĐ tỉnh (qua Ban Tuyên giáo - Nữ công) theo quy định. /.
"""
    )
    got = by_unit(rows)
    # the closing paragraph is nobody's task; its report line is every unit's that has none of its own
    item = got["LĐLĐ các huyện, thành phố, Công đoàn Ngành, Công đoàn Viên chức và CĐCS trực thuộc"]
    assert "nghiêm túc" not in item.tasks
    assert item.reports_to == "Liên đoàn Lao động tỉnh (qua Ban Tuyên giáo - Nữ công)"
    assert got["CĐCS trực thuộc"].unit_canonical == "Công đoàn cơ sở trực thuộc"
    assert got["LĐLĐ các huyện, thành phố"].member_of == item.unit
    # "tham mưu UBND tỉnh báo cáo ..." is the UBND's report; the target of the closing is the unit itself
    assert got["Liên đoàn Lao động tỉnh"].reports_to == ""


def test_the_lead_units_of_an_annexed_task_table() -> None:
    tail = (
        TAIL
        + """
PHỤ LỤC
DANH MỤC NHIỆM VỤ
(Kèm theo Kế hoạch số 12/KH-LĐLĐ)
STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành
1 | Tổ chức hội nghị quán triệt | Sở Nội vụ | Sở Tài chính | Quý I/2026
2 | Xây dựng chuyên mục tuyên truyền | Báo và Phát thanh, Truyền hình tỉnh | Sở Văn hóa, Thể thao và Du lịch | Hằng tháng
"""
    )
    rows = units_of("II. TỔ CHỨC THỰC HIỆN\n1. Các sở, ban, ngành triển khai thực hiện Kế hoạch.\n", tail)
    table = [u for u in rows if u.section_id.startswith("PL")]
    assert [(u.unit, u.role, u.tasks) for u in table] == [
        ("Sở Nội vụ", "lead", "Tổ chức hội nghị quán triệt"),
        ("Báo và Phát thanh, Truyền hình tỉnh", "lead", "Xây dựng chuyên mục tuyên truyền"),
    ]


def test_no_implementation_section_no_units() -> None:
    assert units_of("II. NỘI DUNG TUYÊN TRUYỀN\n1. Sở Nội vụ tuyên truyền về cải cách hành chính.\n") == []


def test_every_seed_plan_has_units_whose_spans_hold_them(seed_paths) -> None:
    for path in seed_paths:
        norm = normalize(read(path))
        rows = UnitExtractor.default().find(segment(norm))
        assert rows, path.name
        assert all(norm.text[u.char_start : u.char_end] == u.unit for u in rows), path.name
        assert all(u.role in ("lead", "coordinate", "implement") for u in rows)


def test_a_real_plan_organised_by_theme() -> None:
    path = realdoc("05_*.docx")
    norm = normalize(read(path))
    rows = UnitExtractor.default().find(segment(norm))
    assert all(norm.text[u.char_start : u.char_end] == u.unit for u in rows)
    units = {u.unit for u in rows}
    for name in (
        "Công an tỉnh",
        "Sở Y tế",
        "Ngân hàng Nhà nước khu vực X",
        "Chi cục Hải quan khu vực XIII",
        "Sở Tư pháp",
    ):
        assert name in units, name
    standing = [u for u in rows if u.unit == "Công an tỉnh" and u.section_id == "IV.3"]
    assert standing and standing[0].role == "lead"  # "Giao Công an tỉnh là cơ quan thường trực"


@pytest.mark.parametrize(
    "heading", ["IV. TỔ CHỨC THỰC HIỆN", "IV. Tổ chức thực hiện:", "III - PHÂN CÔNG NHIỆM VỤ"]
)
def test_the_implementation_heading_in_any_case_and_numeral(heading: str) -> None:
    rows = units_of(f"{heading}\n1. Sở Nội vụ\nTheo dõi, đôn đốc việc thực hiện Kế hoạch.\n")
    assert [u.unit for u in rows] == ["Sở Nội vụ"]


def test_a_section_written_as_plain_paragraphs() -> None:
    rows = units_of(
        """II. TỔ CHỨC THỰC HIỆN
Giao Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan triển khai thực hiện Kế hoạch này.
Các sở, ban, ngành, UBND các huyện căn cứ chức năng, nhiệm vụ tổ chức thực hiện; báo cáo kết quả về Sở Nội vụ trước ngày 15/12.
Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan phản ánh về Sở Nội vụ để tổng hợp.
"""
    )
    assert [(u.unit, u.role, u.reports_to) for u in rows] == [
        ("Sở Nội vụ", "lead", ""),
        ("Các sở, ban, ngành, UBND các huyện", "implement", "Sở Nội vụ"),
        ("Các sở, ban, ngành", "implement", "Sở Nội vụ"),
        ("UBND các huyện", "implement", "Sở Nội vụ"),
    ]
    assert rows[1].tasks.split(";")[1].startswith("báo cáo kết quả về Sở Nội vụ")


def test_a_two_row_table_header_and_merged_lead_cells() -> None:
    tail = (
        TAIL
        + """
PHỤ LỤC I
(Kèm theo Kế hoạch số 12/KH-LĐLĐ)
STT | Nhiệm vụ | Cơ quan thực hiện | | Thời gian
 | | Chủ trì | Phối hợp |
I | Tuyên truyền | | |
1 | Mở chuyên mục trên báo, đài | Sở Văn hóa, Thể thao và Du lịch; Báo và Phát thanh, Truyền hình tỉnh | Sở Nội vụ | Hằng quý
2 | Tổ chức tọa đàm | | Sở Tư pháp | Quý II
"""
    )
    rows = units_of("II. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ theo dõi việc thực hiện.\n", tail)
    table = [(u.unit, u.tasks, u.member_of != "") for u in rows if u.section_id.startswith("PL")]
    assert table == [
        ("Sở Văn hóa, Thể thao và Du lịch", "Mở chuyên mục trên báo, đài", True),
        ("Báo và Phát thanh, Truyền hình tỉnh", "Mở chuyên mục trên báo, đài", True),
        ("Sở Văn hóa, Thể thao và Du lịch", "Tổ chức tọa đàm", True),
        ("Báo và Phát thanh, Truyền hình tỉnh", "Tổ chức tọa đàm", True),
    ]


def test_an_items_line_is_found_by_bisection_like_a_scan_of_the_lines() -> None:
    """``_LineIndex.at`` answers by bisection what a scan of the lines answers: the last line that starts at
    or before the offset, or the first line before any of them."""
    from pipeline.extractors.units import _LineIndex

    doc = segment(normalize(RawDocument(text=HEAD + "II. TỔ CHỨC THỰC HIỆN\n" + TAIL, format="txt")))
    index = _LineIndex(doc.lines)
    for offset in range(-1, len(doc.text) + 2):
        before = [ln for ln in doc.lines if ln.start <= offset]
        assert index.at(offset) is (before[-1] if before else doc.lines[0]), offset
