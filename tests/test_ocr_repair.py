"""Repairs of OCR misreadings: made only with evidence, always recorded with the raw string."""

from __future__ import annotations

from pipeline.ingest.ocr_repair import repair_page


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
