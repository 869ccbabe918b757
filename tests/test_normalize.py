"""Normalization on real Vietnamese administrative text: every rewrite keeps the offset map right."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.model import RawDocument
from pipeline.normalize import normalize


def norm(text: str, pages: list[int] | None = None):
    return normalize(RawDocument(text=text, format="txt", page_starts=pages or [0]))


def _check_map(raw: str, n) -> None:
    assert len(n.to_raw) == len(n.text) + 1
    assert all(0 <= o <= len(raw) for o in n.to_raw)
    assert n.to_raw == sorted(n.to_raw)


def test_decomposed_diacritics_become_nfc() -> None:
    raw = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Quảng Ngãi ban hành Kế hoạch")
    n = norm(raw)
    assert n.text == "Ủy ban nhân dân tỉnh Quảng Ngãi ban hành Kế hoạch"
    _check_map(raw, n)


def test_one_tone_placement_convention() -> None:
    n = norm("Uỷ ban hoà giải; công tác thuỷ lợi; sức khoẻ")
    assert n.text == "Ủy ban hòa giải; công tác thủy lợi; sức khỏe"
    assert n.to_raw[:5] == [0, 1, 2, 3, 4]


def test_emphasis_marks_removed_but_ornament_and_bullets_kept() -> None:
    raw = "ĐẢNG ỦY KHỐI\n*\n**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n* Bước một\nhằng năm báo cáo (*qua Sở Tài chính*)."
    n = norm(raw)
    assert "**" not in n.text
    assert "(qua Sở Tài chính)" in n.text
    assert "\n*\n" in n.text
    assert "* Bước một" in n.text
    _check_map(raw, n)
    start = n.text.index("KT. CHỦ TỊCH")
    assert raw[n.to_raw[start] : n.to_raw[start] + 12] == "KT. CHỦ TỊCH"


def test_line_broken_inside_a_name_is_joined() -> None:
    raw = (
        "1. Sự ra đời, ý nghĩa và vai trò lãnh đạo của Đảng Cộng sản Việt\n\n"
        "Nam, Đảng bộ tỉnh qua các kỳ đại hội.\n\n2. Nội dung khác."
    )
    n = norm(raw)
    assert "Đảng Cộng sản Việt Nam, Đảng bộ tỉnh" in n.text
    assert "\n\n2. Nội dung khác." in n.text


def test_break_after_function_word_is_joined_but_title_and_preamble_stay_apart() -> None:
    raw = (
        "KẾ HOẠCH\n\nTuyên truyền kỷ niệm ngày thành lập Công đoàn Việt Nam\n\n"
        "Thực hiện Kế hoạch số 12-KH/TU của Ban Thường vụ Tỉnh ủy, theo hướng dẫn do\n\n"
        "Văn phòng Trung ương Đảng phát hành, Ban Thường vụ ban hành kế hoạch như sau:"
    )
    n = norm(raw)
    assert "Công đoàn Việt Nam\n\nThực hiện" in n.text
    assert "hướng dẫn do Văn phòng Trung ương" in n.text
    assert "KẾ HOẠCH\n\nTuyên truyền" in n.text


def test_lower_case_continuation_joined_headings_and_bullets_not() -> None:
    raw = "Tuyên truyền đại hội đảng bộ các cấp\n\ntiến tới Đại hội XIV\n\n1. Mục đích\n\n- Tiếp tục tuyên truyền"
    n = norm(raw)
    assert n.text.startswith("Tuyên truyền đại hội đảng bộ các cấp tiến tới Đại hội XIV\n\n1. Mục đích\n\n- Tiếp")


def test_document_number_broken_at_hyphen_is_rejoined() -> None:
    raw = "Theo đề nghị của Sở Thông tin và Truyền thông tại Tờ trình số 55/TTr-\nSTTTT ngày 17/6/2021"
    n = norm(raw)
    assert "55/TTr-STTTT ngày" in n.text
    _check_map(raw, n)


def test_page_starts_follow_the_text() -> None:
    raw = "Trang một có chữ.\n\n\n\nTrang hai bắt đầu ở đây."
    second = raw.index("Trang hai")
    n = norm(raw, [0, second])
    assert n.text[n.page_starts[1] :].startswith("Trang hai")
    assert n.page_of(n.page_starts[1]) == 2


def test_spaces_tabs_and_crlf() -> None:
    raw = "Số:\t252/KH-LĐLĐ  \r\nLai Châu,  ngày 20 tháng 5 năm 2021\u00a0"
    n = norm(raw)
    assert n.text == "Số: 252/KH-LĐLĐ\nLai Châu, ngày 20 tháng 5 năm 2021"
    _check_map(raw, n)


def test_edge_space_pattern_matches_like_the_plain_one() -> None:
    """The edge-space pattern is written with its lookbehinds after the first space, for speed; it must
    match exactly where "(?<! ) +\\n|\\n +|^ +|(?<! ) +$" does."""
    import itertools
    import re

    from pipeline.normalize import _EDGE_SPACES

    plain = re.compile(r"(?<! ) +\n|\n +|^ +|(?<! ) +$")
    for n in range(7):
        for chars in itertools.product(" \na", repeat=n):
            s = "".join(chars)
            assert [m.span() for m in plain.finditer(s)] == [m.span() for m in _EDGE_SPACES.finditer(s)], repr(s)


def test_tone_placement_of_a_long_text_keeps_length_and_offsets() -> None:
    text = "Uỷ ban nhân dân tỉnh Khánh Hoà\nThuỷ lợi, hoà bình và quý vị " * 40
    n = norm(text)
    assert "Ủy ban nhân dân tỉnh Khánh Hòa" in n.text and "Thủy lợi, hòa bình và quý vị" in n.text
    assert "Uỷ" not in n.text and "Hoà" not in n.text


def test_broken_number_pattern_matches_like_the_plain_one() -> None:
    """The broken-number pattern opens with its slash or hyphen, for speed; it must find the same matches
    and the same group as "(?<=\\d)([/-][A-ZĐa-zđ&]{1,12}[/-]|[/-])[ \\t]*\\n[ \\t\\n]*(?=[A-ZĐ]{2,})"."""
    import itertools
    import random
    import re

    from pipeline.normalize import _BROKEN_NUMBER

    plain = re.compile(r"(?<=\d)([/-][A-ZĐa-zđ&]{1,12}[/-]|[/-])[ \t]*\n[ \t\n]*(?=[A-ZĐ]{2,})")

    def same(s: str) -> None:
        want = [(m.span(), m.group(1)) for m in plain.finditer(s)]
        assert want == [(m.span(), m.group(1)) for m in _BROKEN_NUMBER.finditer(s)], repr(s)

    for n in range(6):
        for chars in itertools.product("5/-aB \n", repeat=n):
            same("".join(chars))
    rng = random.Random(8)
    for _ in range(20000):
        same("".join(rng.choice("12/-aĐđB& \t\nTTr") for _ in range(rng.randint(5, 30))))


def test_line_break_pattern_joins_like_the_plain_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The line-break pattern skips breaks after a newline or a sentence end; the joined text and its
    offset map must be the ones that every break handed to :func:`_should_join` gives."""
    import random
    import re

    import pipeline.normalize as normalize_module
    from pipeline.rules.language import LanguageRules

    rules = LanguageRules.default()
    pieces = [
        "của",
        "và",
        "Việt",
        "Nam",
        "Sở Nội vụ",
        "tỉnh.",
        "a)",
        "- ",
        "1.",
        "năm 2025;",
        ":",
        "”",
        "\n",
        "\n\n",
    ]
    rng = random.Random(8)
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    texts += ["\n\n\nx", "x.\n\ny", "x\n\n\ny", "\n", "a\n.\nb", "dài dòng " * 6 + "\nViệt Nam"]
    fast = [normalize_module._join_lines(t, list(range(len(t) + 1)), rules) for t in texts]
    monkeypatch.setattr(normalize_module, "_LINE_BREAK", re.compile(r"\n\n?"))
    plain = [normalize_module._join_lines(t, list(range(len(t) + 1)), rules) for t in texts]
    assert fast == plain
