"""Repairs of OCR misreadings: made only with evidence, always recorded with the raw string."""

from __future__ import annotations

from pipeline.ingest.ocr_repair import repair_page, repair_pages


def test_damaged_key_lines_and_headings_are_restored() -> None:
    text, repairs = repair_page("KÉẺ HOẠCH\nI. MỤC ĐÍCH, YÊU CÂU\nIV. TỔ CHỨC THỤC HIỆN", page=1)
    assert text == "KẾ HOẠCH\nI. MỤC ĐÍCH, YÊU CẦU\nIV. TỔ CHỨC THỰC HIỆN"
    assert [(r.raw, r.rule) for r in repairs] == [
        ("KÉẺ HOẠCH", "key_line"),
        ("I. MỤC ĐÍCH, YÊU CÂU", "key_heading"),
        ("IV. TỔ CHỨC THỤC HIỆN", "key_heading"),
    ]
    for r in repairs:
        assert text[r.char_start : r.char_end] == r.repaired


def test_roman_numeral_misread_only_when_it_continues_the_sequence() -> None:
    text, repairs = repair_page("I. MỤC TIÊU\nH. NỘI DUNG CHÍNH\nHI. KINH PHÍ", page=1)
    assert text.splitlines() == ["I. MỤC TIÊU", "II. NỘI DUNG CHÍNH", "III. KINH PHÍ"]
    assert {r.rule for r in repairs} == {"roman_numeral"}
    untouched, none = repair_page("H. Nguyễn Văn A phát biểu", page=1)  # no I. before it: no evidence
    assert untouched == "H. Nguyễn Văn A phát biểu" and none == []


def test_decimal_items_are_never_read_as_numerals() -> None:
    text, repairs = repair_page("I. MỤC TIÊU\n1. Căn cứ Kế hoạch này, các đơn vị triển khai.", page=3)
    assert text.endswith("1. Căn cứ Kế hoạch này, các đơn vị triển khai.")
    assert repairs == []


def test_letters_inside_numbers_and_dates() -> None:
    text, repairs = repair_page("ngày 27 tháng l1 năm 2O24; Kế hoạch số 3O/KH-UBND", page=2)
    assert text == "ngày 27 tháng 11 năm 2024; Kế hoạch số 30/KH-UBND"
    assert [(r.raw, r.repaired) for r in repairs] == [("l", "1"), ("O", "0"), ("O", "0")]
    assert all(r.page == 2 and r.rule == "digit" for r in repairs)


def test_ordinary_words_are_left_alone() -> None:
    line = "Ban Tổ chức Hội nghị báo cáo Lãnh đạo Bộ kết quả thực hiện."
    assert repair_page(line, page=1) == (line, [])


def test_numeral_that_breaks_the_sequence_across_pages() -> None:
    """ "III." read as "I." on a later page: II before it and IV after it are the evidence."""
    pages = ["I. MỤC ĐÍCH, YÊU CẦU\nII. THỜI GIAN, ĐỊA ĐIỂM", "I. NỘI DUNG, CHƯƠNG TRÌNH", "IV. KINH PHÍ"]
    (p1, r1), (p2, r2), (p3, r3) = repair_pages(pages, [1, 3, 5])
    assert (p1, p3, r1, r3) == (pages[0], pages[2], [], [])
    assert p2 == "III. NỘI DUNG, CHƯƠNG TRÌNH"
    assert [(r.page, r.raw, r.repaired, r.rule) for r in r2] == [
        (3, "I. NỘI DUNG, CHƯƠNG TRÌNH", "III. NỘI DUNG, CHƯƠNG TRÌNH", "roman_sequence")
    ]


def test_a_numbering_that_restarts_is_left_alone() -> None:
    """An annex that starts again at I. is not a misreading: nothing after it continues from III."""
    pages = ["I. MỤC TIÊU\nII. NỘI DUNG\nIII. TỔ CHỨC THỰC HIỆN", "PHỤ LỤC\nI. ĐỐI TƯỢNG\nII. THỜI GIAN"]
    assert [text for text, _ in repair_pages(pages, [1, 2])] == pages
    # and a numeral that differs by more than its strokes ("V" for "III") is no evidence either
    assert repair_page("II. NỘI DUNG\nV. KINH PHÍ\nIV. TỔ CHỨC THỰC HIỆN", page=1)[1] == []


def test_stray_mark_inside_a_known_heading() -> None:
    text, repairs = repair_page("VI. TỎ CHỨC T THỰC HIỆN", page=7)
    assert text == "VI. TỔ CHỨC THỰC HIỆN"
    assert repairs[0].raw == "VI. TỎ CHỨC T THỰC HIỆN"
    # a heading in sentence case keeps its case: it is not a damaged copy of the capitals
    assert repair_page("IV. Tổ chức thục hiện", page=1) == ("IV. Tổ chức thục hiện", [])


def test_first_list_item_read_as_a_roman_one() -> None:
    text, repairs = repair_page(
        "V. TỔ CHỨC THỰC HIỆN\nI. Các Sở, ban, ngành, địa phương:\nXây dựng kế hoạch cụ thể.\n2. Công an tỉnh:",
        page=15,
    )
    assert text.splitlines()[1] == "1. Các Sở, ban, ngành, địa phương:"
    assert [r.rule for r in repairs] == ["item_number"]
    # without a "2." to follow, "I." stays what it was read as
    assert repair_page("I. Các Sở, ban, ngành:\nXây dựng kế hoạch cụ thể.", page=1)[1] == []


def test_header_words_get_their_diacritics_back() -> None:
    text, repairs = repair_page("UBND QUẬN TÂY HỒ\nTRƯƠNG MẦM NON SAO MAI\n\nCÔNG AN TÌNH LAM ĐÓNG", page=1)
    assert text == "UBND QUẬN TÂY HỒ\nTRƯỜNG MẦM NON SAO MAI\n\nCÔNG AN TỈNH LÂM ĐỒNG"
    assert {r.rule for r in repairs} == {"header_word"}
    # "SỞ" and "SỐ" share their letters: neither is guessed; a sentence is never respelled
    assert repair_page("SÔ 12/KH-UBND", page=1)[0] == "SÔ 12/KH-UBND"
    assert repair_page("Ông Trương Văn Tình phát biểu", page=1)[1] == []
    # below the header's lines nothing is respelled
    body = "\n".join(f"{i}. Nội dung thứ {i}" for i in range(1, 14)) + "\nTRƯƠNG VĂN TÌNH"
    assert repair_page(body, page=1)[0] == body


def test_signature_titles_and_the_case_of_key_lines() -> None:
    text, repairs = repair_page("Nơi nhân:\n- Như trên;\nKT. GIÁM ĐÓC\nPHÓ GIÁM ĐÓC\nCH Ủ TỊCH", page=4)
    assert text.splitlines() == ["Nơi nhận:", "- Như trên;", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "CHỦ TỊCH"]
    assert {r.rule for r in repairs} == {"key_line"}
    # a line keeps its case: a sentence that reads "Chủ tịch" is not the capitals of a signature block
    assert repair_page("Chủ tịch", page=4) == ("Chủ tịch", [])
    assert repair_page("NƠI NHÂN:", page=4)[0] == "NƠI NHẬN:"


def test_a_short_notice_signature_is_not_taken_for_its_header() -> None:
    """ "TRƯỞNG" has the letters of "TRƯỜNG"; under the notice's text it is a title, and stays one."""
    text = "UBND HUYỆN SÓC SƠN\nTRƯƠNG TIỂU HỌC MAI ĐÌNH\n\nNhà trường thông báo lịch nghỉ Tết cho học sinh toàn trường.\nTRƯỞNG BAN"
    fixed, _ = repair_page(text, page=1)
    assert fixed.splitlines()[1] == "TRƯỜNG TIỂU HỌC MAI ĐÌNH"
    assert fixed.splitlines()[-1] == "TRƯỞNG BAN"


def test_slash_read_as_a_letter_inside_a_document_number() -> None:
    text, repairs = repair_page("Thực hiện Hướng dẫn số 123/HDANN ngày 21/9/2023 của Ban Chỉ đạo", page=1)
    assert "123/HD/NN" in text
    assert [(r.raw, r.repaired, r.rule) for r in repairs] == [("A", "/", "symbol")]
    assert text[repairs[0].char_start : repairs[0].char_end] == "/"
    # known codes, and codes that do not open with a type code, are left as read
    for line in ("Thông tư số 24/2018/TT-BCA", "Kế hoạch số 45/KH-UBND", "Công văn số 12/UBND-VX"):
        assert repair_page(line, page=1) == (line, [])
