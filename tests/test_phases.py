"""Phases read from whole plans: constructed plans in the genre's layouts (a timeline section, a combined
"THỜI GIAN, NỘI DUNG, HÌNH THỨC" section, "Đợt" items under a content heading, a "lộ trình" of stages, a
plan that only states its own period) and one seed plan read end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extractors import phases
from pipeline.extractors.metadata import MetadataExtractor
from pipeline.ingest import read
from pipeline.model import DocumentRecord, Phase, RawDocument
from pipeline.normalize import normalize
from pipeline.segment import Segmented, segment

SEEDS = Path(__file__).resolve().parents[1] / "corpora" / "seeds"

HEADER = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NINH

Số: 45/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Quảng Ninh, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
{title}

Thực hiện Kế hoạch số 12-KH/TU ngày 05/01/2026 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Tuyên truyền sâu rộng, thường xuyên trước, trong và sau Đại hội; hoàn thành các chỉ tiêu trước ngày 30/6/2026.
2. Bảo đảm thiết thực, hiệu quả.

"""

CLOSING = """
Trên đây là Kế hoạch của Ủy ban nhân dân tỉnh, đề nghị các cơ quan, đơn vị triển khai thực hiện./.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An
"""


def plan(body: str, title: str = "Tuyên truyền các sự kiện chính trị năm 2026") -> Segmented:
    text = HEADER.format(title=title) + body + CLOSING
    return segment(normalize(RawDocument(text=text, format="txt")))


def rows(doc: Segmented, issued: str = "2026-01-10", title: str = "") -> list[Phase]:
    found = phases.find(doc, DocumentRecord(issue_date=issued, title=title))
    for p in found:  # provenance: the row's span holds its label and its boundaries as written
        span = doc.text[p.char_start : p.char_end]
        assert p.label in span
        assert p.start_text in span and p.end_text in span
    return found


def top(found: list[Phase]) -> list[tuple[str, str, str]]:
    return [(p.label, p.start_date, p.end_date) for p in found if not p.parent_phase]


ELECTION = """II. THỜI GIAN, NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN
1. Thời gian và nội dung tuyên truyền
1.1. Từ nay đến trước ngày bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031, tập trung tuyên truyền:
- Ý nghĩa, tầm quan trọng của cuộc bầu cử.
1.2. Trong ngày bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026 - 2031
- Đưa tin về không khí ngày bầu cử.
1.3. Từ sau ngày bầu cử đại biểu Quốc hội khóa XVI đến hết tháng 6/2026
- Tuyên truyền kết quả bầu cử.
2. Hình thức tuyên truyền
2.1. Trên báo chí, cổng thông tin điện tử
2.2. Tuyên truyền miệng
III. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch
Chủ trì tổ chức tuyên truyền cổ động trực quan trong tháng 3/2026.
"""


def test_a_combined_section_with_periods_tied_to_an_election() -> None:
    found = rows(plan(ELECTION))
    assert top(found) == [
        ("1.1", "2026-01-10", "2026-03-14"),
        ("1.2", "2026-03-15", "2026-03-15"),
        ("1.3", "2026-03-16", "2026-06-30"),
    ]
    first, _, third = found
    assert first.start_inferred and first.end_inferred and first.start_event == ""
    assert first.end_event.startswith("ngày bầu cử đại biểu Quốc hội khóa XVI")
    assert third.start_inferred and not third.end_inferred and third.end_grain == "month"
    assert [p.phase_no for p in found] == [1, 2, 3]


def test_without_an_issue_date_nay_keeps_its_text_but_no_date() -> None:
    found = rows(plan(ELECTION), issued="")
    assert found[0].start_date == "" and found[0].start_text == "nay" and not found[0].start_inferred


WAVES = """II. THỜI GIAN THỰC HIỆN
1. Đợt 1: Từ ngày 15/4/2025 đến ngày 31/5/2025
- Cao điểm: từ ngày 15/5 đến ngày 31/5/2025, tổ chức ra quân đồng loạt.
- Tổ chức lễ phát động tại 13 huyện.
2. Đợt 2: Quý III/2025
3. Đợt 3 (từ tháng 10 đến hết tháng 12/2025)
III. NỘI DUNG
1. Tổ chức tuyên truyền về phòng, chống dịch bệnh năm 2025.
"""


def test_waves_with_a_peak_period_of_their_own() -> None:
    found = rows(plan(WAVES, title="Chiến dịch tiêm chủng năm 2025"), issued="2025-04-01")
    assert top(found) == [
        ("Đợt 1", "2025-04-15", "2025-05-31"),
        ("Đợt 2", "2025-07-01", "2025-09-30"),
        ("Đợt 3", "2025-10-01", "2025-12-31"),
    ]
    peak = [p for p in found if p.parent_phase]
    assert [(p.parent_phase, p.label, p.start_date, p.end_date) for p in peak] == [
        ("1", "Cao điểm", "2025-05-15", "2025-05-31")
    ]
    assert found[2].start_grain == "quarter"


CONGRESS = """II. NỘI DUNG TUYÊN TRUYỀN
1. Nội dung trọng tâm
Tuyên truyền về thành tựu 40 năm đổi mới.
2. Nội dung tuyên truyền theo tiến độ tổ chức đại hội
2.1. Đợt 1: Từ nay đến khi hoàn thành đại hội chi bộ trực thuộc
- Tuyên truyền các dự thảo văn kiện.
2.2. Đợt 2: Tuyên truyền Đại hội đại biểu toàn quốc lần thứ XIV của Đảng
2.2.1. Trước khai mạc Đại hội XIV của Đảng
- Công tác chuẩn bị Đại hội.
2.2.2. Trong thời gian diễn ra Đại hội XIV của Đảng
- Các hoạt động của Đại hội.
2.2.3. Sau Đại hội XIV của Đảng
- Kết quả Đại hội; việc học tập, quán triệt Nghị quyết.
III. HÌNH THỨC TUYÊN TRUYỀN
1. Trên trang thông tin điện tử
"""


def test_waves_under_a_content_heading_with_before_during_after_a_congress() -> None:
    found = rows(plan(CONGRESS), issued="2025-09-20")
    assert top(found) == [("Đợt 1", "2025-09-20", ""), ("Đợt 2", "", "")]
    wave1, wave2 = (p for p in found if not p.parent_phase)
    assert wave1.end_event == "đại hội chi bộ trực thuộc" and wave1.end_date == ""
    assert wave2.start_event == "Đại hội đại biểu toàn quốc lần thứ XIV của Đảng"
    subs = [(p.phase_no, p.parent_phase, p.label, p.start_date, p.end_date) for p in found if p.parent_phase]
    assert subs == [
        (1, "2", "2.2.1", "", "2026-01-18"),
        (2, "2", "2.2.2", "2026-01-19", "2026-01-23"),
        (3, "2", "2.2.3", "2026-01-24", ""),
    ]
    assert all(p.start_inferred or not p.start_date for p in found if p.parent_phase)


STAGES = """II. NHIỆM VỤ, GIẢI PHÁP
1. Hoàn thiện thể chế.
III. LỘ TRÌNH THỰC HIỆN
- Giai đoạn 2026 - 2027: thí điểm tại 05 xã.
- Giai đoạn 2028 - 2030: nhân rộng trên địa bàn toàn tỉnh.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường chủ trì.
"""


def test_stages_of_a_roadmap_written_as_bullets() -> None:
    found = rows(plan(STAGES, title="Chuyển đổi số nông nghiệp giai đoạn 2026 - 2030"))
    assert top(found) == [
        ("Giai đoạn 2026 - 2027", "2026-01-01", "2027-12-31"),
        ("Giai đoạn 2028 - 2030", "2028-01-01", "2030-12-31"),
    ]
    assert found[0].start_grain == "year"


OWN_PERIOD = """II. NỘI DUNG, NHIỆM VỤ
1. Rà soát, đánh giá thực trạng; hoàn thành trước ngày 30/4/2025.
2. Tổ chức kiểm tra tại các địa phương trong quý III/2025.
III. TỔ CHỨC THỰC HIỆN
1. Thời gian thực hiện Kế hoạch: Từ ngày ký ban hành đến hết năm 2027.
2. Các sở, ngành căn cứ nhiệm vụ được giao tổ chức thực hiện.
"""


def test_a_plan_that_only_states_its_own_period() -> None:
    found = rows(plan(OWN_PERIOD), issued="2025-02-03")
    assert [(p.label, p.start_date, p.end_date, p.start_inferred) for p in found] == [
        ("Thời gian thực hiện Kế hoạch", "2025-02-03", "2027-12-31", True)
    ]
    assert found[0].section_id == "III.1"


TIMELINE_SENTENCE = """II. NỘI DUNG
1. Tuyên truyền về cải cách hành chính.
III. THỜI GIAN TUYÊN TRUYỀN
Thời gian tuyên truyền: Từ ngày 01/5/2025 đến ngày 30/6/2025.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ chủ trì.
"""


def test_a_timeline_section_that_holds_one_sentence() -> None:
    found = rows(plan(TIMELINE_SENTENCE), issued="2025-04-20")
    assert [(p.start_date, p.end_date) for p in found] == [("2025-05-01", "2025-06-30")]


NOT_PHASES = """II. NỘI DUNG
1. Tuyên truyền trước, trong và sau Đại hội Đảng bộ tỉnh.
2. Tổ chức hội nghị sơ kết vào tháng 6/2026.
3. Báo cáo kết quả thực hiện trước ngày 15/12/2026.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
Hằng năm báo cáo Ủy ban nhân dân tỉnh.
"""


def test_a_title_period_a_task_month_and_deadlines_are_not_phases() -> None:
    doc = plan(NOT_PHASES, title="Thực hiện Chiến lược phát triển thanh niên giai đoạn 2026 - 2030")
    assert rows(doc) == []


def test_a_seed_plan_read_end_to_end() -> None:
    path = SEEDS / "001_79db2fe38eae3819.txt"
    if not path.exists():
        pytest.skip("seed corpus absent")
    doc = segment(normalize(read(path)))
    meta = MetadataExtractor().find(doc)
    found = phases.find(doc, meta)
    for p in found:
        assert p.label in doc.text[p.char_start : p.char_end]
    waves = [p for p in found if not p.parent_phase]
    assert [p.label for p in waves] == ["Đợt 1", "Đợt 2", "Đợt 3", "Đợt 4"]
    assert [p.phase_no for p in waves] == [1, 2, 3, 4]
    # "Đợt 1: Từ nay ..." starts on the day the plan was issued
    assert waves[0].start_date == meta.issue_date and waves[0].start_inferred
    # the items before, during and after a congress under a wave are its sub-phases
    assert {p.parent_phase for p in found if p.parent_phase} == {"2", "3", "4"}
    during_xiv = next(p for p in found if p.parent_phase == "4" and p.start_date)
    assert (during_xiv.start_date, during_xiv.end_date) == ("2026-01-19", "2026-01-23")


@pytest.mark.parametrize(
    "line", ["Đợt 1: từ nay", "ĐỢT 2", "Ðợt 3", "đợt 4", "Giai đoạn 2", "GIAI ĐOẠN II", "Tuyên truyền"]
)
def test_label_gate_lets_every_label_through(line: str) -> None:
    """The first-letter gate before the label pattern never hides a line the pattern matches."""
    x = phases.PhaseExtractor()
    folded = phases.comparison_form(line)
    gate = x._may_label(line, phases._Line(start=0, end=len(line), content_start=0))
    assert gate or x._label.match(folded) is None
    assert gate == (line[0].lower() in "đðg")
