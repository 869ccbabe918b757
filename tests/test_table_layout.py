"""The one rule that tells a layout table (header or signature block) from a data table, and its two
renderings, which the Word, Word 97, HTML and Markdown readers share (pipeline.ingest.table_layout)."""

from __future__ import annotations

from pipeline.ingest.table_layout import Cell, is_layout_table, render_table


def test_layout_rule_by_shape_not_position() -> None:
    # Plan 03's closing table: 2 rows, recipients left, signer right -> column by column.
    closing = [
        [Cell(0, ["Nơi nhận:"]), Cell(1, ["KT. CHỦ TỊCH"])],
        [
            Cell(0, ["- Chủ tịch, PCT. UBND tỉnh (Đ/c Phúc);", "- Lưu: VT, NC.Châu"]),
            Cell(1, ["PHÓ CHỦ TỊCH"]),
        ],
    ]
    assert is_layout_table(closing)
    assert render_table(closing) == [
        "Nơi nhận:",
        "- Chủ tịch, PCT. UBND tỉnh (Đ/c Phúc);",
        "- Lưu: VT, NC.Châu",
        "",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    # one recipient per row and an empty spacer column: still layout, thanks to "Nơi nhận"
    many = [
        [Cell(0, [f"- Đơn vị {i};"]), Cell(1, [""]), Cell(2, ["CHỦ TỊCH" if i == 0 else ""])] for i in range(8)
    ]
    many[0][0].lines = ["Nơi nhận:"]
    assert is_layout_table(many)
    # a two-column table that starts with "STT" is data, even when short
    short = [[Cell(0, ["STT"]), Cell(1, ["Nội dung"])], [Cell(0, ["1"]), Cell(1, ["Tập huấn"])]]
    assert render_table(short) == ["STT | Nội dung", "1 | Tập huấn"]
    # a long two-column table without a header/signature phrase is data
    long = [[Cell(0, [str(i)]), Cell(1, [f"Xã {i}"])] for i in range(1, 7)]
    assert not is_layout_table(long)


def test_padded_recipients_are_split() -> None:
    cell = Cell(0, ["Nơi nhận:", "- V01, C04 - Bộ Công an;                  - Thường trực Tỉnh ủy;"])
    assert render_table([[cell, Cell(1, ["KT. CHỦ TỊCH"])]])[:3] == [
        "Nơi nhận:",
        "- V01, C04 - Bộ Công an;",
        "- Thường trực Tỉnh ủy;",
    ]


def test_numbered_first_column_is_data_even_without_a_header() -> None:
    rows = [[Cell(0, [str(i)]), Cell(1, [f"Tuyên truyền đợt {i}"])] for i in range(1, 4)]
    assert not is_layout_table(rows)
    assert render_table(rows) == ["1 | Tuyên truyền đợt 1", "2 | Tuyên truyền đợt 2", "3 | Tuyên truyền đợt 3"]


def test_header_table_longer_than_max_rows() -> None:
    # A header whose source rows are lines of its columns (as a Markdown conversion writes it).
    left = ["ĐẢNG BỘ TỈNH YÊN BÁI", "ĐẢNG ỦY KHỐI CƠ QUAN", "*", "Số 279-KH/ĐUK", "", ""]
    right = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", "", "Yên Bái, ngày 04 tháng 10 năm 2024", "", "ghi chú"]
    rows = [[Cell(0, [a]), Cell(1, [b])] for a, b in zip(left, right, strict=True)]
    assert not is_layout_table(rows)  # five text rows, no header phrase
    assert is_layout_table(rows, max_rows=8)
    assert render_table(rows, max_rows=8) == [
        "ĐẢNG BỘ TỈNH YÊN BÁI",
        "ĐẢNG ỦY KHỐI CƠ QUAN",
        "*",
        "Số 279-KH/ĐUK",
        "",
        "",
        "",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "",
        "",
        "Yên Bái, ngày 04 tháng 10 năm 2024",
        "",
        "ghi chú",
    ]


def test_one_text_column_is_layout_however_long() -> None:
    rows = [[Cell(0, [f"- Đơn vị {i};", "(bản chính)"]), Cell(1, [""])] for i in range(10)]
    assert is_layout_table(rows)
    assert render_table(rows)[:3] == ["- Đơn vị 0;", "(bản chính)", "- Đơn vị 1;"]


def test_data_rows_keep_merged_cells_and_drop_empty_columns() -> None:
    rows = [
        [Cell(0, ["STT"]), Cell(1, [""]), Cell(2, ["Nội dung"]), Cell(3, ["Đơn vị", "chủ trì"])],
        [Cell(0, ["1"]), Cell(1, [""]), Cell(2, ["Hội nghị"]), Cell(3, ["Sở Nội vụ"])],
        [Cell(0, ["2"]), Cell(1, [""]), Cell(2, ["Tập huấn"]), Cell(3, [], continued=True)],
        [Cell(0, [""]), Cell(1, [""]), Cell(2, ["Tổng hợp"]), Cell(3, ["Sở Tài chính"])],
    ]
    assert render_table(rows) == [
        "STT | Nội dung | Đơn vị chủ trì",
        "1 | Hội nghị | Sở Nội vụ",
        "2 | Tập huấn |",
        "| Tổng hợp | Sở Tài chính",
    ]


def test_table_without_text_gives_no_lines() -> None:
    assert render_table([[Cell(0, [""]), Cell(1, [])], [Cell(0, [" "])]]) == []
