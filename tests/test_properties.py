"""Properties that must hold for any text: no exception escapes, every offset stays inside the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extractors.metadata import MetadataExtractor
from pipeline.model import RawDocument
from pipeline.normalize import normalize
from pipeline.segment import segment

# Text built from the pieces plans are made of, so that the generator reaches the interesting paths.
PIECES = st.sampled_from(
    [
        "I.",
        "II -",
        "IV)",
        "1.",
        "1.1.",
        "a)",
        "-",
        "+",
        "*",
        "**",
        "Số:",
        "/KH-UBND",
        "279-KH/ĐUK",
        "ngày",
        "tháng",
        "năm 2024",
        "KẾ HOẠCH",
        "Kế hoạch",
        "Thực hiện",
        "TM. BAN THƯỜNG VỤ",
        "KT. CHỦ TỊCH",
        "Nơi nhận:",
        "Phụ lục I",
        "Trần Văn Bình",
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÂM ĐỒNG",
        "Lâm Đồng,",
        "Việt",
        "Nam",
        "hoà",
        "Uỷ",
        "\n",
        "\n\n",
        " ",
        "\t",
        "\r\n",
        "\u00a0",
        "e\u0301",
        "55/TTr-\n",
        "STTTT",
        "x" * 50,
    ]
)
TEXTS = st.lists(PIECES | st.text(max_size=12), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_normalize_keeps_a_valid_offset_map(raw: str) -> None:
    n = normalize(RawDocument(text=raw, format="txt", page_starts=[0, len(raw) // 2]))
    assert len(n.to_raw) == len(n.text) + 1
    assert all(0 <= o <= len(raw) for o in n.to_raw)
    assert all(0 <= p <= len(n.text) for p in n.page_starts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_segment_and_metadata_spans_stay_inside_the_text(raw: str) -> None:
    n = normalize(RawDocument(text=raw, format="txt"))
    doc = segment(n)
    for s in doc.sections:
        assert 0 <= s.char_start <= s.char_end <= len(n.text)
        assert s.char_start <= s.heading_start <= s.heading_end <= len(n.text)
    meta = MetadataExtractor().find(doc)
    for f in meta.fields:
        assert 0 <= f.char_start <= f.char_end <= len(n.text)
