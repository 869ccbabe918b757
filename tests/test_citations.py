"""Citations read from plans: the seeds' own sentences in plan layouts, and constructed ones in their style.

Expected values are what a Vietnamese reader takes each sentence to say: which document is cited, of which
type, number, date and issuer (in full, with the province the citing plan is in), and whether the plan
rests on it.
"""

from __future__ import annotations

import pytest

from pipeline.extractors import finder
from pipeline.extractors.citation_spacy import SPANS_KEY, citations_doc
from pipeline.extractors.citations import find
from pipeline.extractors.metadata import MetadataExtractor
from pipeline.ingest import read
from pipeline.model import Citation, RawDocument
from pipeline.normalize import normalize
from pipeline.segment import segment
from tests.conftest import realdoc


def cite(text: str) -> tuple[list[Citation], str]:
    norm = normalize(RawDocument(text=text, format="txt"))
    doc = segment(norm)
    found = find(doc, MetadataExtractor().find(doc))
    for c in found:  # provenance: the span holds the number as written
        assert c.cited_number.replace(" ", "") in norm.text[c.char_start : c.char_end].replace(" ", ""), c
    return found, norm.text


def by_number(found: list[Citation]) -> dict[str, Citation]:
    return {c.cited_number: c for c in found}


def plan(header: str, preamble: str, body: str = "1. Tuyên truyền sâu rộng.", notes: str = "") -> str:
    return f"""{header}

KẾ HOẠCH
Tuyên truyền đại hội đảng bộ các cấp

{preamble}

I. MỤC ĐÍCH, YÊU CẦU
{body}
II. TỔ CHỨC THỰC HIỆN
1. Các đơn vị tổ chức thực hiện.

Nơi nhận:
- Như trên;
- Lưu VT.
TM. BAN THƯỜNG VỤ
CHỦ TỊCH

Nguyễn Văn An
{notes}"""


LDLD_DAK_NONG = """LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐẮK NÔNG
Số: 25/KH-LĐLĐ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đắk Nông, ngày 10 tháng 9 năm 2024"""

DUK_YEN_BAI = """ĐẢNG BỘ TỈNH YÊN BÁI
ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH
*
Số 279-KH/ĐUK
ĐẢNG CỘNG SẢN VIỆT NAM
Yên Bái, ngày 04 tháng 10 năm 2024"""

UBND_DAK_LAK = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK
Số: 120/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Đắk Lắk, ngày 25 tháng 6 năm 2021"""

BQL_KON_TUM = """BAN QUẢN LÝ KHU KINH TẾ
TỈNH KON TUM
Số: 17/KH-BQLKKT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Kon Tum, ngày 10 tháng 02 năm 2020"""


def test_party_plan_cited_with_number_date_issuer_and_subject():
    found, text = cite(
        plan(
            LDLD_DAK_NONG,
            "Thực hiện Kế hoạch số 173-KH/TU, ngày 26/8/2024 của Ban Thường vụ Tỉnh ủy về tuyên truyền Đại hội "
            "Đảng bộ các cấp, Đại hội đại biểu Đảng bộ tỉnh Đắk Nông lần thứ XIII và Đại hội Đại biểu toàn quốc lần "
            "thứ XIV của Đảng, Ban Thường vụ Liên đoàn Lao động tỉnh ban hành Kế hoạch tuyên truyền với các nội "
            "dung, như sau:",
        )
    )
    assert len(found) == 1
    c = found[0]
    assert (c.cited_type, c.cited_number, c.cited_date) == ("Kế hoạch", "173-KH/TU", "2024-08-26")
    # "Tỉnh ủy" in a Đắk Nông plan is the Tỉnh ủy of Đắk Nông
    assert c.cited_issuer == "Ban Thường vụ Tỉnh ủy Đắk Nông"
    assert c.cited_issuer_as_written == "Ban Thường vụ Tỉnh ủy"
    assert c.relation == "basis" and c.location == "preamble"
    assert c.cited_subject.startswith("tuyên truyền Đại hội Đảng bộ các cấp")
    assert c.cited_subject.endswith("lần thứ XIV của Đảng")  # the plan's own issuing clause is not the subject
    assert (c.number_style, c.number_seq, c.number_type_code, c.number_issuer_code) == ("party", "173", "KH", "TU")
    assert text[c.char_start : c.char_end] == "Kế hoạch số 173-KH/TU, ngày 26/8/2024 của Ban Thường vụ Tỉnh ủy"


def test_list_without_so_and_the_plans_own_organ_by_its_short_name():
    found, _ = cite(
        plan(
            DUK_YEN_BAI,
            "Căn cứ Kế hoạch số 185-KH/TU ngày 19/9/2024 của Ban Thường vụ Tỉnh ủy về tuyên truyền đại hội đảng bộ "
            "các cấp tiến tới đại hội đại biểu toàn quốc lần thứ XIV của Đảng, Kế hoạch 273-KH/ĐUK ngày 14/8/2024 "
            "của Ban Thường vụ Đảng ủy Khối về tổ chức đại hội chi bộ, đảng bộ các cấp trong Đảng bộ Khối cơ quan "
            "và doanh nghiệp tỉnh tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng, Ban Thường vụ Đảng ủy "
            "Khối xây dựng kế hoạch thực hiện như sau:",
        )
    )
    cited = by_number(found)
    assert set(cited) == {"185-KH/TU", "273-KH/ĐUK"}
    assert cited["185-KH/TU"].cited_issuer == "Ban Thường vụ Tỉnh ủy Yên Bái"
    assert cited["273-KH/ĐUK"].cited_date == "2024-08-14"
    # "Đảng ủy Khối" in the Khối's own plan is that Khối, named in full
    assert cited["273-KH/ĐUK"].cited_issuer.lower() == (
        "ban thường vụ đảng ủy khối cơ quan và doanh nghiệp tỉnh yên bái"
    )
    assert {c.relation for c in found} == {"basis"}
    assert {c.via for c in found} == {""}  # siblings in a list, not a chain
    assert not cited["185-KH/TU"].cited_subject.endswith("Kế hoạch")


def test_nested_chain_both_basis_inner_via_outer():
    found, _ = cite(
        plan(
            BQL_KON_TUM,
            "Thực hiện Kế hoạch số 189/KH-UBND, ngày 20/01/2020 của UBND tỉnh về việc triển khai thực hiện Kế hoạch "
            "số 116-KH/TU, ngày 26/11/2019 của Ban Thường vụ Tỉnh ủy về tuyên truyền đại hội đảng bộ các cấp tiến "
            "tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng. Ban Quản lý Khu kinh tế tỉnh xây dựng kế hoạch "
            "triển khai thực hiện như sau:",
        )
    )
    outer, inner = found
    assert (outer.cited_number, outer.number_style, outer.cited_issuer) == (
        "189/KH-UBND",
        "state",
        "Ủy ban nhân dân tỉnh Kon Tum",
    )
    assert (inner.cited_number, inner.cited_date) == ("116-KH/TU", "2019-11-26")
    assert outer.relation == inner.relation == "basis"
    assert inner.via == outer.citation_key and outer.via == ""
    assert outer.cited_subject.startswith("triển khai thực hiện Kế hoạch số 116-KH/TU")


def test_footnotes_take_the_relation_of_their_mark():
    found, _ = cite(
        plan(
            BQL_KON_TUM,
            "Thực hiện Kế hoạch số 189/KH-UBND, ngày 20/01/2020 của UBND tỉnh về tuyên truyền đại hội đảng bộ các "
            "cấp. Ban Quản lý Khu kinh tế tỉnh xây dựng kế hoạch như sau:",
            body="1. Các chỉ thị, hướng dẫn của Trung ương, của tỉnh về đại hội đảng bộ các cấp[1].\n"
            "2. Văn phòng tham mưu UBND tỉnh[2].",
            notes="\n[1] Chỉ thị số 35-CT/TW,ngày 30-5-2019 của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại "
            "hội đại biểu toàn quốc lần thứ XIII của Đảng; Kế hoạch số 100-KH/TU, ngày 03-7-2019 của Tỉnh ủy “về "
            "chuẩn bị, tổ chức đại hội đảng bộ các cấp”…\n"
            "[2] Mục 1, phần V, Kế hoạch số 189/KH-UBND, ngày 20/01/2020 của UBND tỉnh và Mục 2, Văn bản số "
            "136/STTTT-TTBCXB, ngày 04/02/2020 của Sở Thông tin và Truyền thông.\n",
        )
    )
    cited = [(c.cited_number, c.location, c.relation) for c in found]
    assert cited == [
        ("189/KH-UBND", "preamble", "basis"),
        ("35-CT/TW", "footnote", "reference"),
        ("100-KH/TU", "footnote", "reference"),
        ("189/KH-UBND", "footnote", "basis"),  # the same document as the preamble's: basis in every mention
        ("136/STTTT-TTBCXB", "footnote", "reference"),
    ]
    c = by_number(found)
    assert c["35-CT/TW"].cited_date == "2019-05-30" and c["35-CT/TW"].cited_issuer == "Bộ Chính trị"
    assert c["100-KH/TU"].cited_issuer == "Tỉnh ủy Kon Tum"
    assert c["100-KH/TU"].cited_subject == "chuẩn bị, tổ chức đại hội đảng bộ các cấp"
    # "của UBND tỉnh và Mục 2": the issuer ends before "và"
    assert found[3].cited_issuer_as_written == "UBND tỉnh"
    assert found[3].citation_key == found[0].citation_key
    assert c["136/STTTT-TTBCXB"].cited_type == "Văn bản"
    assert c["136/STTTT-TTBCXB"].cited_issuer == "Sở Thông tin và Truyền thông tỉnh Kon Tum"
    assert c["35-CT/TW"].section_id == "I.1"  # where its mark stands


def test_proposal_cited_with_its_issuer_before_the_type_and_a_repeated_mention():
    found, _ = cite(
        plan(
            UBND_DAK_LAK,
            "Thực hiện Kế hoạch số 28-KH/TU, ngày 19/5/2021 của Ban Thường vụ Tỉnh ủy về đẩy mạnh công tác tuyên "
            "truyền sau Đại hội đại biểu toàn quốc lần thứ XIII của Đảng (sau đây gọi tắt là Đại hội);\n\n"
            "Theo đề nghị của Sở Thông tin và Truyền thông tại Tờ trình số 55/TTr-STTTT ngày 17/6/2021, UBND tỉnh "
            "ban hành Kế hoạch tuyên truyền như sau:",
            body="1. Các hoạt động tuyên truyền phải bám sát sự chỉ đạo tại Kế hoạch số 28-KH/TU của Ban Thường vụ "
            "Tỉnh ủy bảo đảm hiệu quả, thiết thực.\n2. Kết quả sau 05 năm thực hiện Chỉ thị số 05-CT/TW ngày "
            "15/5/2016 của Bộ Chính trị khóa XII về “Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ "
            "Chí Minh” ở các cấp, các ngành.",
        )
    )
    plan_, proposal, again, directive = found
    assert plan_.cited_subject.endswith("của Đảng")  # "(sau đây gọi tắt là ...)" is an aside
    assert (proposal.cited_type, proposal.cited_date, proposal.relation) == ("Tờ trình", "2021-06-17", "basis")
    assert proposal.cited_issuer_as_written == "Sở Thông tin và Truyền thông"
    assert proposal.cited_issuer == "Sở Thông tin và Truyền thông tỉnh Đắk Lắk"
    # the body's mention is the same document: same key, basis, the date the first mention states (this one
    # states none), and an issuer that ends at the name
    assert again.citation_key == plan_.citation_key and again.relation == "basis"
    assert (again.cited_date, again.cited_date_text) == ("2021-05-19", "")
    assert again.cited_issuer == "Ban Thường vụ Tỉnh ủy Đắk Lắk"
    assert directive.relation == "reference"
    assert directive.cited_issuer == "Bộ Chính trị"  # the term "khóa XII" qualifies it
    assert directive.cited_subject == "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"


def test_laws_spelled_dates_impossible_dates_and_lists_sharing_an_issuer():
    found, _ = cite(
        plan(
            UBND_DAK_LAK,
            "Căn cứ Luật Phổ biến, giáo dục pháp luật số 14/2012/QH13 ngày 20 tháng 6 năm 2012;\n"
            "Theo đề nghị của Giám đốc Sở Tư pháp tại Tờ trình số 12/TTr-STP ngày 31/2/2021, Ủy ban nhân dân tỉnh "
            "ban hành Kế hoạch như sau:",
            body="1. Áp dụng các biện pháp theo Chỉ thị 15/CT-TTg, Chỉ thị 16/CT-TTg của Thủ tướng Chính phủ.\n"
            "2. Báo cáo theo Mẫu số 01/BC-STP kèm theo.",
        )
    )
    law, proposal, first, second = found
    assert (law.cited_type, law.cited_date, law.cited_issuer) == ("Luật", "2012-06-20", "Quốc hội")
    assert law.cited_subject == "Phổ biến, giáo dục pháp luật" and law.number_style == "legal"
    assert proposal.cited_date == "" and proposal.cited_date_text == "31/2/2021"
    assert "impossible_date" in proposal.flags.split(";")
    assert first.cited_issuer == second.cited_issuer == "Thủ tướng Chính phủ"
    assert first.cited_issuer_as_written == "Thủ tướng Chính phủ"  # stated once, after the last member
    assert "01/BC-STP" not in by_number(found)  # a form, not a document


def test_narrative_in_the_preamble_is_not_basis_and_the_issuer_code_names_the_issuer():
    found, _ = cite(
        plan(
            """ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG
SỞ NỘI VỤ
Số: 05/TTr-SNV
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Lâm Đồng, ngày 05 tháng 01 năm 2026""",
            "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách "
            "hành chính nhà nước giai đoạn 2021 - 2030, Quyết định số 1187/QĐ-BNV ngày 15/10/2025 về phê duyệt Đề "
            "án;\n"
            "Để tổ chức thực hiện các nhiệm vụ tuyên truyền cải cách hành chính năm 2026, Sở Nội vụ xây dựng dự "
            "thảo Kế hoạch và có Công văn số 3803/SNV-CCHC&VTLT ngày 26/12/2025 gửi lấy ý kiến các cơ quan.",
        )
    )
    resolution, decision, letter = found
    assert resolution.relation == decision.relation == "basis"
    assert resolution.cited_subject.startswith("ban hành Chương trình tổng thể")
    assert decision.cited_issuer == "Bộ Nội vụ"  # from the code BNV: the text names no issuer
    assert decision.cited_issuer_as_written == ""
    assert (letter.cited_type, letter.relation, letter.cited_issuer) == (
        "Công văn",
        "reference",
        "Sở Nội vụ tỉnh Lâm Đồng",
    )


def test_a_chain_through_a_title_verb_and_a_list_governed_by_one_opener():
    found, _ = cite(
        plan(
            """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 10/KH-UBND
Lâm Đồng, ngày 15 tháng 01 năm 2026""",
            "Thực hiện Nghị quyết số 50/NQ-CP ngày 13/3/2025 của Chính phủ ban hành kế hoạch triển khai Nghị quyết "
            "số 163/2024/QH15 ngày 27/11/2024 của Quốc hội phê duyệt chủ trương đầu tư Chương trình mục tiêu quốc "
            "gia phòng, chống ma túy đến năm 2030; Nghị quyết số 05-NQ/TU ngày 08/01/2026 của Tỉnh ủy Lâm Đồng về "
            "tăng cường sự lãnh đạo của Đảng đối với công tác phòng, chống ma túy. Để tổ chức triển khai đồng bộ, "
            "Ủy ban nhân dân tỉnh ban hành kế hoạch như sau:",
        )
    )
    government, assembly, party = found
    assert assembly.via == government.citation_key and party.via == ""
    assert {c.relation for c in found} == {"basis"}
    assert (assembly.cited_issuer, assembly.cited_date, assembly.cited_type) == (
        "Quốc hội",
        "2024-11-27",
        "Nghị quyết",
    )
    assert party.cited_issuer == "Tỉnh ủy Lâm Đồng"


def test_the_plans_own_number_is_not_a_citation():
    found, _ = cite(
        """article-slug

Kế hoạch tuyên truyền đại hội đảng bộ các cấp

Ban Quản lý Khu kinh tế tỉnh Kon Tum ban hành kế hoạch số 17/KH-BQLKKT về tuyên truyền đại hội đảng bộ các cấp.

Thực hiện Kế hoạch số 189/KH-UBND, ngày 20/01/2020 của UBND tỉnh về tuyên truyền. Ban Quản lý xây dựng kế hoạch:

I. Mục đích, yêu cầu:
- Tuyên truyền sâu rộng.
II. Tổ chức thực hiện
- Văn phòng chủ trì.
"""
    )
    assert [c.cited_number for c in found] == ["189/KH-UBND"]
    assert found[0].relation == "basis"
    found, _ = cite(plan(LDLD_DAK_NONG, "Thực hiện Kế hoạch số 173-KH/TU của Tỉnh ủy, Ban Thường vụ ban hành:"))
    assert [c.cited_number for c in found] == ["173-KH/TU"]  # not the header's "Số: 25/KH-LĐLĐ"


def test_a_title_that_names_what_the_plan_implements():
    text = plan(LDLD_DAK_NONG, "Để đưa Chỉ thị vào cuộc sống, Ban Thường vụ ban hành Kế hoạch như sau:").replace(
        "Tuyên truyền đại hội đảng bộ các cấp",
        "Tuyên truyền và triển khai thực hiện Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị",
    )
    found, _ = cite(text)
    assert [(c.cited_number, c.relation, c.location) for c in found] == [("35-CT/TW", "basis", "title")]


def test_spacy_doc_holds_the_citations_as_spans():
    found, text = cite(
        plan(LDLD_DAK_NONG, "Thực hiện Kế hoạch số 173-KH/TU, ngày 26/8/2024 của Tỉnh ủy, ban hành:")
    )
    doc = citations_doc(text, found)
    spans = list(doc.spans[SPANS_KEY])
    assert [s.label_ for s in spans] == ["basis"]
    assert "173-KH/TU" in spans[0].text and spans[0]._.citation.cited_number == "173-KH/TU"


def test_spacy_component_reads_the_citations_itself():
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("kehoach_citations")
    text = normalize(
        RawDocument(text=plan(LDLD_DAK_NONG, "Căn cứ Chỉ thị số 35-CT/TW, Ban Thường vụ ban hành:"), format="txt")
    ).text
    doc = nlp(text)
    assert [(s._.citation.cited_number, s.label_) for s in doc.spans[SPANS_KEY]] == [("35-CT/TW", "basis")]


def test_the_registry_runs_this_extractor():
    assert finder("citations") is find


def test_a_real_word_plan():
    path = realdoc("05_*.docx")
    doc = segment(normalize(read(path)))
    found = find(doc, MetadataExtractor().find(doc))
    first = found[0]
    assert (first.cited_type, first.cited_number, first.cited_date, first.cited_issuer, first.relation) == (
        "Quyết định",
        "7619/QĐ-BCA",
        "2025-09-08",
        "Bộ Công an",
        "basis",
    )
    later = by_number(found)
    assert later["201/2023/NQ-HĐND"].cited_issuer == "Hội đồng nhân dân tỉnh Lâm Đồng"
    assert later["420/2025/NQ-HĐND"].cited_date == ""  # the text gives none: none is invented
    assert {c.relation for c in found[1:]} == {"reference"}


@pytest.mark.parametrize(
    "sentence", ["cơn bão số 3 gây thiệt hại", "đại dịch Covid-19 năm 2021-2022", "Quốc lộ 4D"]
)
def test_numbers_that_are_not_documents(sentence):
    found, _ = cite(
        plan(LDLD_DAK_NONG, "Thực hiện chỉ đạo của Tỉnh ủy, Ban Thường vụ ban hành:", body=f"1. {sentence}.")
    )
    assert found == []


def test_one_document_cited_directly_in_the_title_and_preamble_and_again_inside_a_chain():
    found, _ = cite(
        """HUYỆN ỦY ĐỨC TRỌNG
*
Số 45-KH/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Đức Trọng, ngày 10 tháng 10 năm 2024

KẾ HOẠCH
thực hiện Kết luận số 80-KL/TW của Ban Bí thư

Thực hiện Kết luận số 80-KL/TW, ngày 20/6/2024 của Ban Bí thư về tiếp tục thực hiện Chỉ thị số 42-CT/TW; Kế hoạch \
số 250-KH/TU, ngày 15 tháng 8 năm 2024 của Ban Thường vụ Tỉnh ủy Lâm Đồng về thực hiện Kết luận số 80-KL/TW, Ban \
Thường vụ Huyện ủy xây dựng kế hoạch thực hiện như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Quán triệt sâu sắc nội dung Kết luận số 80-KL/TW.
2. Thực hiện theo Hướng dẫn số 12-HD/BTGTU ngày 1/7/2024 của Ban Tuyên giáo Tỉnh ủy và Công văn số 567-CV/HU.
II. NỘI DUNG
1. Các chi bộ báo cáo theo mẫu số 02-BC/HU.
"""
    )
    conclusion = [c for c in found if c.cited_number == "80-KL/TW"]
    assert [c.location for c in conclusion] == ["title", "preamble", "preamble", "body"]
    # the plan rests on it directly, so it is nobody's "via"; every mention has its date and issuer
    assert {(c.via, c.relation, c.cited_date, c.cited_issuer) for c in conclusion} == {
        ("", "basis", "2024-06-20", "Ban Bí thư")
    }
    assert [c.cited_date_text for c in conclusion] == ["", "20/6/2024", "", ""]
    cited = by_number(found)
    assert cited["42-CT/TW"].via == conclusion[0].citation_key  # what the Kết luận continues
    assert cited["250-KH/TU"].cited_date == "2024-08-15" and cited["250-KH/TU"].via == ""
    assert cited["12-HD/BTGTU"].cited_issuer == "Ban Tuyên giáo Tỉnh ủy Lâm Đồng"
    assert cited["12-HD/BTGTU"].relation == "reference"
    assert cited["567-CV/HU"].cited_type == "Công văn"
    assert "02-BC/HU" not in cited


def test_an_issuer_is_shared_only_by_numbers_of_that_issuer():
    found, _ = cite(
        plan(
            UBND_DAK_LAK,
            "Thực hiện Kế hoạch số 12/KH-UBND, Kế hoạch số 173-KH/TU của Ban Thường vụ Tỉnh ủy về tuyên truyền, "
            "UBND tỉnh ban hành Kế hoạch như sau:",
        )
    )
    own_committee, party = found
    assert own_committee.cited_issuer_as_written == ""
    # from its code, which is the citing plan's own organ's
    assert own_committee.cited_issuer == "Ủy ban nhân dân tỉnh Đắk Lắk"
    assert party.cited_issuer == "Ban Thường vụ Tỉnh ủy Đắk Lắk"


def test_fast_patterns_of_citations_match_like_their_readable_forms(seed_paths) -> None:
    """The patterns rewritten to open with a character (clause breaks, sentence ends, footnote marks and
    bodies) find exactly what their readable forms find."""
    import random
    import re

    from pipeline.extractors import citation_relations as relations
    from pipeline.extractors import citations

    texts = [p.read_text(encoding="utf-8") for p in seed_paths]
    rnd = random.Random(6)
    pieces = [";", "\n", ".", "!", "?", "…", " ", "A", "Đ", "a", "”", "[1]", "[ii]", "[", "]", "x[2]", "\t", "..."]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(20000)]
    pairs = [
        (citations._CLAUSE_BREAK, re.compile(citations.CLAUSE_BREAK_READABLE)),
        (relations._SENTENCE_END, re.compile(relations.SENTENCE_END_READABLE)),
        (relations._FOOTNOTE_MARK, re.compile(r"(?<=\S)\[(?P<label>\d{1,3}|[ivxl]{1,6})\]")),
    ]
    for text in texts:
        for fast, readable in pairs:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in readable.finditer(text)]
            found, plain = fast.search(text, 1, len(text) - 1), readable.search(text, 1, len(text) - 1)
            assert (found and found.span()) == (plain and plain.span())
        bodies, pos = [], 0
        for line in text.split("\n"):
            m = relations._FOOTNOTE_BODY.match(line)
            if m:
                bodies.append((m.group("label"), pos))
            pos += len(line) + 1
        assert [(m.group("label"), m.start()) for m in relations._FOOTNOTE_BODIES.finditer(text)] == bodies
