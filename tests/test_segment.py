"""Segmentation of plan-shaped text: header, title, body, closing, annexes and the section tree."""

from __future__ import annotations

from pipeline.model import RawDocument
from pipeline.normalize import normalize
from pipeline.segment import segment
from pipeline.segment.markers import parse_marker
from pipeline.segment.sections import heading_of

PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 45/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Quảng Ngãi, ngày 12 tháng 3 năm 2025

KẾ HOẠCH
Tuyên truyền phổ biến, giáo dục pháp luật năm 2025

Căn cứ Kế hoạch số 20-KH/TU ngày 02/01/2025 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. Mục đích, yêu cầu:
1. Mục đích
- Nâng cao nhận thức pháp luật của cán bộ, công chức.
- Góp phần giữ vững an ninh chính trị.
2. Yêu cầu
Bảo đảm thiết thực, hiệu quả.
II - NỘI DUNG VÀ HÌNH THỨC
1.1. Tuyên truyền trên báo chí
a) Trên Báo Quảng Ngãi
+ Chuyên mục hằng tuần.
IV) THỜI GIAN THỰC HIỆN Từ tháng 3 đến tháng 12 năm 2025.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Tư pháp: chủ trì, theo dõi.
2. Các sở, ban, ngành phối hợp thực hiện.

Nơi nhận:
- Bộ Tư pháp;
- TT Tỉnh ủy;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Văn Bình

PHỤ LỤC I
DANH MỤC HOẠT ĐỘNG
I. Hoạt động cấp tỉnh
II. Hoạt động cấp huyện
"""


def seg():
    return segment(normalize(RawDocument(text=PLAN, format="txt")))


def test_markers_grammar() -> None:
    assert parse_marker("II - NỘI DUNG").label == "II"
    assert parse_marker("IV) THỜI GIAN").kind == "roman"
    assert parse_marker("2.2.1. Nội dung").rank == 3
    assert parse_marker("a) Trên báo").kind == "alpha"
    assert parse_marker("+ Chuyên mục").kind == "bullet"
    assert parse_marker("2025 là năm") is None
    assert parse_marker("20/11 hằng năm") is None
    assert parse_marker("-----") is None
    assert parse_marker("C. Mác") is None


def test_heading_runs_on_into_text() -> None:
    assert heading_of("MỤC ĐÍCH, YÊU CẦU: Tuyên truyền sâu rộng") == "MỤC ĐÍCH, YÊU CẦU"
    assert heading_of("THỜI GIAN THỰC HIỆN Từ tháng 3 đến tháng 12") == "THỜI GIAN THỰC HIỆN"
    assert heading_of("Mục đích, yêu cầu:") == "Mục đích, yêu cầu"


def test_layout_parts() -> None:
    doc = seg()
    lay = doc.layout
    assert doc.lines[lay.type_line].stripped == "KẾ HOẠCH"
    assert [doc.lines[i].stripped for i in lay.title_lines] == [
        "Tuyên truyền phổ biến, giáo dục pháp luật năm 2025"
    ]
    assert doc.lines[lay.body_start].stripped.startswith("I. Mục đích")
    assert doc.lines[lay.closing_start].stripped == "Nơi nhận:"
    assert len(lay.annexes) == 1


def test_section_tree_levels_ids_and_spans() -> None:
    doc = seg()
    by_id = {s.section_id: s for s in doc.sections}
    level1 = [s for s in doc.sections if s.level == 1]
    assert [(s.label, s.heading) for s in level1] == [
        ("I", "Mục đích, yêu cầu"),
        ("II", "NỘI DUNG VÀ HÌNH THỨC"),
        ("IV", "THỜI GIAN THỰC HIỆN"),
        ("IV", "TỔ CHỨC THỰC HIỆN"),
        ("Phụ lục I", "DANH MỤC HOẠT ĐỘNG"),
    ]
    assert by_id["I.1"].parent_id == "I" and by_id["I.1"].level == 2
    assert by_id["I.1.-2"].heading == "Góp phần giữ vững an ninh chính trị"
    assert by_id["II.1"].label == "1.1"
    assert by_id["II.1.a"].level == 3
    assert by_id["IV#2"].label == "IV"
    assert by_id["PL1.I"].level == 2 and by_id["PL1.I"].parent_id == "PL1"
    for s in doc.sections:
        assert " ".join(doc.text[s.heading_start : s.heading_end].split()) == s.heading
        assert doc.text[s.char_start : s.char_end].lstrip().startswith(s.label.split()[0][:1])
    # The last body section stops before the closing block.
    assert "Nơi nhận" not in doc.text[by_id["IV#2"].char_start : by_id["IV#2"].char_end]


def test_anomalies_and_categories() -> None:
    doc = seg()
    assert doc.anomalies == ["III skipped", "IV repeated"]
    cats = {s.heading: s.category for s in doc.sections if s.level == 1}
    assert cats["Mục đích, yêu cầu"] == ("purpose",)
    assert cats["NỘI DUNG VÀ HÌNH THỨC"] == ("content", "forms")
    assert cats["THỜI GIAN THỰC HIỆN"] == ("timeline",)
    assert cats["TỔ CHỨC THỰC HIỆN"] == ("implementation",)


def test_heading_in_capitals_is_not_cut_at_a_stop() -> None:
    """A scan reads the comma of "XÃ, PHƯỜNG" as a stop; a line all in capitals is a heading whole, while
    a heading that runs on into a sentence still stops where it should."""
    assert heading_of("CHỈ TIÊU XÂY DỰNG XÃ. PHƯỜNG, ĐẶC KHU KHÔNG MA TÚY") == (
        "CHỈ TIÊU XÂY DỰNG XÃ. PHƯỜNG, ĐẶC KHU KHÔNG MA TÚY"
    )
    assert heading_of("Mục tiêu chung. Nâng cao nhận thức của cán bộ") == "Mục tiêu chung"
    assert heading_of("NỘI DUNG Tuyên truyền sâu rộng") == "NỘI DUNG"


# -- the fast paths of the segmenter answer like the plain rules --------------------------------------------


def _plain_marker(line: str):
    """:func:`parse_marker` as the rules read: each pattern in turn, from the outermost kind."""
    from pipeline.segment import markers as mk

    m = mk._ROMAN.match(line)
    if m and mk._VALID_ROMAN.match(m.group("label")) and len(line) > m.end():
        return (m.group("label"), "roman", mk.ROMAN_RANK, m.end())
    m = mk._DECIMAL.match(line)
    if m and len(line) > m.end() and not line[m.end()].isdigit() and line[m.end()] not in "/%,-":
        label = m.group("label")
        if "." in label or m.group("stop"):
            return (label, "decimal", label.count(".") + 1, m.end())
    m = mk._ALPHA.match(line)
    if m and len(line) > m.end() + 1:
        return (m.group("label"), "alpha", mk.ALPHA_RANK, m.end())
    m = mk._BULLET.match(line)
    if m and not set(line) <= set("-–_=*. "):
        return (m.group("label"), "bullet", mk.BULLET_RANKS.get(m.group("label"), 33), m.end())
    return None


def _as_tuple(marker):
    return None if marker is None else (marker.label, marker.kind, marker.rank, marker.length)


def test_marker_first_character_dispatch_answers_like_trying_every_pattern(seed_paths) -> None:
    """parse_marker looks only at the pattern that a line's first character allows; every character that
    opens no pattern must give None, and every other line the answer of the four patterns in turn."""
    import sys

    firsts = [chr(c) for c in range(0x3000)] + [chr(c) for c in range(0x3000, sys.maxunicode, 97)]
    firsts += [c for c in map(chr, range(sys.maxunicode + 1)) if c.isdecimal()]
    tails = ["", " ", ". Nội dung", ") abc", "I. NỘI DUNG", ".1. Nội", " ABC", "\tX", "-", "--", "ẦN II. A"]
    lines = [c + t for c in firsts for t in tails]
    lines += [line.strip() for p in seed_paths for line in p.read_text(encoding="utf-8").splitlines()]
    lines += ["- - -", "-----", "* * *", "+ Chuyên mục", "•Tin", "PHẦN I. CHUNG", "Mục 2. A", "1.2.3. Ba", "12/5"]
    for line in lines:
        assert _as_tuple(parse_marker(line)) == _plain_marker(line), repr(line)


def test_split_lines_keeps_every_offset() -> None:
    import itertools

    from pipeline.segment.lines import split_lines

    for text in ["", "\n", "a", "a\n", "\nb", "ab\ncd\n\nef", "\n\n\n", "một\n  hai \nba"]:
        lines = split_lines(text)
        assert [ln.text for ln in lines] == text.split("\n")
        assert all(text[ln.start : ln.end] == ln.text for ln in lines)
        assert all(b.start == a.end + 1 for a, b in itertools.pairwise(lines))


def test_closing_block_can_open_only_with_its_first_characters() -> None:
    """The closing is looked for on lines opening with N, T, K or Q: no other first character lets
    "Nơi nhận" (any case) or an authority ("TM.", "KT.", "Q.", ...) match."""
    import sys

    from pipeline.segment.layout import _CLOSING_FIRST, AUTHORITY, RECIPIENTS

    others = [c for c in map(chr, range(sys.maxunicode + 1)) if c not in _CLOSING_FIRST]
    # "Nơi nhận" is matched ignoring case: every character is tried, in case one folds to "n"
    assert not [c for c in others if RECIPIENTS.match(c + "ơi nhận:") or RECIPIENTS.match(c + "ƠI NHẬN")]
    tails = ["M. ỦY BAN", "T. CHỦ TỊCH", ". CHỦ TỊCH", " GIÁM ĐỐC", "UQ. GIÁM", "/M. ỦY", "L. CHỦ"]
    for c in others[:0x3000] + others[0x3000::97]:
        assert not any(AUTHORITY.match(c + t) for t in tails), hex(ord(c))


def test_heading_of_answers_like_the_plain_rule(seed_paths) -> None:
    """heading_of tests the first word, the capitals and the first stop in a cheaper order; the plain rule
    here is the order the docstring reads in."""
    import re

    def plain(rest: str) -> str:
        text = rest.strip()
        colon = text.find(":")
        if 0 < colon <= 200:
            return text[:colon].strip()
        words = text.split(" ")
        n = 0
        while n < len(words) and (words[n].isupper() or not any(c.isalpha() for c in words[n])):
            n += 1
        head = " ".join(words[:n]).rstrip(",; -–")
        if n < len(words) and sum(c.isalpha() for c in head) >= 4 and any(c.islower() for c in words[n]):
            return head
        if len(text) <= 200 and sum(c.isalpha() for c in text) >= 4 and not any(c.islower() for c in text):
            return text.rstrip(".;: ")
        stop = re.search(r"[.;](?:\s|$)", text)
        if stop and stop.start() <= 200:
            return text[: stop.start()].strip()
        if len(text) <= 200:
            return text.rstrip(".;: ")
        cut = text.rfind(" ", 0, 200)
        return text[: cut if cut > 0 else 200].rstrip(",;: ")

    lines = [line.strip() for p in seed_paths for line in p.read_text(encoding="utf-8").splitlines()]
    lines += [line[k:] for line in lines for k in (1, 2, 3, 5)]
    lines += ["II. NỘI DUNG Tuyên truyền", "a) Trên báo; b) khác", "- 2025 ABC. x", "Ⅻ ², ½ ABCD", "X" * 300]
    for line in lines:
        assert heading_of(line) == plain(line), repr(line)
