"""Properties of normalize, segment and every registered extractor on any text: nothing escapes, spans stay put.

The runner turns an unexpected exception into an errors row, so a crash here costs a user a whole plan; a
span outside the text breaks every consumer that slices ``texts/<doc_id>.txt`` with it. The generator mixes
the pieces plans are made of with slices of the bundled plans, spliced and cut at random, so that it reaches
the implementation sections, phase lists and citation chains where the extractors do their work; the
registry (:data:`pipeline.extractors.TABLE_EXTRACTORS`) decides which extractors are checked, so a new one is
covered the day it is registered.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extractors import TABLE_EXTRACTORS, finder
from pipeline.extractors.metadata import MetadataExtractor
from pipeline.model import NormalizedText, RawDocument
from pipeline.normalize import normalize
from pipeline.segment import Segmented, segment
from tests.conftest import SEEDS

PIECES = [
    "I.",
    "II.",
    "III. TỔ CHỨC THỰC HIỆN",
    "IV)",
    "1.",
    "1.1.",
    "2.3.4.",
    "a)",
    "b.",
    "-",
    "+",
    "*",
    "Số: 45/KH-UBND",
    "279-KH/ĐUK",
    "Căn cứ Nghị quyết số 12-NQ/TW ngày 5/3/2024 của Bộ Chính trị;",
    "Thực hiện Kế hoạch số 189/KH-UBND, ngày 20/01/2020 của UBND tỉnh về việc",
    "ngày 31 tháng 12 năm 2025",
    "từ ngày 01/6 đến ngày 30/9/2024",
    "Giai đoạn 1 (từ tháng 3 đến tháng 6/2024):",
    "Quý II/2025",
    "trước ngày 15/11 hằng năm",
    "định kỳ 6 tháng",
    "từ nay đến năm 2030",
    "Sở Tài chính",
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với",
    "UBND các huyện, thị xã, thành phố",
    "Ủy ban MTTQ Việt Nam tỉnh",
    "Đoàn Thanh niên, Hội Liên hiệp Phụ nữ và Liên đoàn Lao động tỉnh",
    "Giao Công an tỉnh",
    "các sở, ban, ngành",
    "KẾ HOẠCH",
    "TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT.",
    "Phụ lục II",
    "[1]",
    "Nguyễn Văn An",
    "TỈNH LÂM ĐỒNG",
    "Lâm Đồng,",
    "hoà",
    "Uỷ",
    "e\u0301",
    "**",
    "“",
    "”",
    "(",
    ")",
    ";",
    ",",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "\r\n",
    "\u00a0",
    "\u200b",
    "\f",
]


@cache
def _seed_texts() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


def _seed_slice(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(_seed_texts()))
    start = draw(st.integers(0, len(text)))
    return text[start : start + draw(st.integers(0, 5000))]


@st.composite
def plan_texts(draw: st.DrawFn) -> str:
    """A plan-like text: slices of the bundled plans with pieces and random characters spliced in."""
    parts = draw(
        st.lists(
            st.one_of(st.sampled_from(PIECES), st.text(max_size=15)),
            max_size=30,
        )
    )
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), _seed_slice(draw))
    if draw(st.booleans()):
        parts.append(_seed_slice(draw))
    return "".join(parts)


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
_META = MetadataExtractor()


def _pipeline(raw: str) -> tuple[NormalizedText, Segmented]:
    norm = normalize(RawDocument(text=raw, format="txt", page_starts=[0, len(raw) // 3, len(raw) // 2]))
    return norm, segment(norm)


def _registered() -> list[str]:
    """The tables whose extractor module exists now (other helpers add theirs as they land)."""
    return [t for t in TABLE_EXTRACTORS if finder(t) is not None]


def test_the_registry_has_extractors_to_check() -> None:
    assert {"phases", "deadlines"} <= set(_registered())


@SETTINGS
@given(plan_texts())
def test_normalize_map_is_monotonic_and_pages_ordered(raw: str) -> None:
    """The offset map only ever moves forward, so a span maps back to a span of the reader's text."""
    norm, _ = _pipeline(raw)
    assert len(norm.to_raw) == len(norm.text) + 1
    assert all(a <= b for a, b in zip(norm.to_raw, norm.to_raw[1:], strict=False))
    assert norm.to_raw[-1] <= len(raw)
    assert norm.page_starts == sorted(norm.page_starts)
    assert all(0 <= p <= len(norm.text) for p in norm.page_starts)


@SETTINGS
@given(plan_texts())
def test_segment_lines_layout_and_tree_are_consistent(raw: str) -> None:
    norm, doc = _pipeline(raw)
    text = norm.text
    # lines tile the text exactly
    assert doc.lines[0].start == 0 and doc.lines[-1].end == len(text)
    for a, b in zip(doc.lines, doc.lines[1:], strict=False):
        assert b.start == a.end + 1 and text[a.end] == "\n"
    # the layout's parts are in order and inside the document
    lay, n = doc.layout, len(doc.lines)
    assert 0 <= lay.body_start <= lay.closing_start <= n
    assert lay.type_line is None or 0 <= lay.type_line < n
    assert all(0 <= i < n for i in lay.title_lines)
    for first, last in lay.annexes:
        assert 0 <= first <= last <= n
    # the tree: unique ids, known parents one level up, children inside their parent, document order
    by_id = {s.section_id: s for s in doc.sections}
    assert len(by_id) == len(doc.sections)
    for s in doc.sections:
        assert 0 <= s.char_start <= s.heading_start <= s.heading_end <= len(text)
        assert s.char_start <= s.char_end <= len(text)
        if s.parent_id:
            parent = by_id[s.parent_id]
            assert s.level == parent.level + 1
            assert parent.char_start <= s.char_start and s.char_end <= parent.char_end


@pytest.mark.parametrize("table", _registered())
@SETTINGS
@given(raw=plan_texts())
def test_extractor_spans_stay_inside_the_text(table: str, raw: str) -> None:
    """Every record's span is inside the normalized text and ordered; its section is one of the tree's."""
    norm, doc = _pipeline(raw)
    meta = _META.find(doc)
    records = finder(table)(doc, meta)  # type: ignore[misc]
    section_ids = {s.section_id for s in doc.sections} | {""}
    names = {f.name for f in fields(records[0])} if records else set()
    for r in records:
        assert 0 <= r.char_start <= r.char_end <= len(norm.text), r
        if "section_id" in names:
            assert r.section_id in section_ids, r
    if table == "mentions":  # documented: mentions come in text order
        assert [r.char_start for r in records] == sorted(r.char_start for r in records)
