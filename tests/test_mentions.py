"""Mentions: organizations a plan names outside its unit rows, from the rules and the optional NER fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extractors import mentions
from pipeline.extractors.mentions import MentionExtractor, ner_entities
from pipeline.model import Mention, RawDocument
from pipeline.normalize import normalize
from pipeline.segment import segment

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 45/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lâm Đồng, ngày 12 tháng 3 năm 2025

KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2025

Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, UBND tỉnh ban hành Kế hoạch:

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, công chức.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
Chủ trì, phối hợp với Sở Tài chính và Báo và Phát thanh, Truyền hình tỉnh tổ chức cuộc thi; các sở, ngành phối hợp.
2. Sở Tư pháp: Lồng ghép tuyên truyền với phổ biến, giáo dục pháp luật.

Nơi nhận:
- Bộ Nội vụ;
- Thường trực Tỉnh ủy;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Văn Bình
"""


def mentions_of(text: str, ner: bool = False) -> tuple[list[Mention], str]:
    norm = normalize(RawDocument(text=text, format="txt"))
    rows = MentionExtractor.default().find(segment(norm), ner=ner)
    for m in rows:  # provenance
        assert norm.text[m.char_start : m.char_end] == m.unit, m
    return rows, norm.text


def test_partners_superiors_and_recipients_are_mentions_and_units_are_not() -> None:
    rows, _text = mentions_of(PLAN)
    assert [(m.unit, m.section_id) for m in rows] == [
        ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG", ""),
        ("Chính phủ", ""),
        ("UBND tỉnh", ""),
        ("Sở Tài chính", "II.1"),
        ("Báo và Phát thanh, Truyền hình tỉnh", "II.1"),
        ("Bộ Nội vụ", ""),
        ("Thường trực Tỉnh ủy", ""),
    ]
    assert all(m.source == "rule" for m in rows)
    assert rows[0].unit_canonical == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert rows[2].unit_canonical == "Ủy ban nhân dân tỉnh"


def test_the_ner_fallback_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(mentions.NER_ENV, raising=False)
    assert not mentions.ner_enabled()
    monkeypatch.setenv(mentions.NER_ENV, "1")
    assert mentions.ner_enabled()


def test_the_ner_model_ships_with_underthesea() -> None:
    """The CRF tagger is a file inside the wheel: nothing is fetched from a model hub at run time."""
    import underthesea

    model = Path(underthesea.__file__).parent / "pipeline" / "ner" / "ner_crf_2017_10_12.bin"
    assert model.is_file()


def test_ner_entities_are_placed_back_at_their_offsets() -> None:
    text = "Mở đầu.\nPhối hợp với Hội Doanh nhân trẻ Việt Nam và Đảng tổ chức tuyên truyền.\n"
    found = ner_entities(text, [0, 8])
    assert found, "underthesea tags no organization in this line"
    for entity, start, end in found:
        assert text[start:end] == entity


def test_ner_adds_only_what_the_rules_do_not_hold() -> None:
    rows, _text = mentions_of(PLAN.replace("tổ chức cuộc thi", "và Đảng tổ chức cuộc thi"), ner=True)
    rule = [(m.char_start, m.char_end) for m in rows if m.source == "rule"]
    ner = [m for m in rows if m.source == "ner"]
    assert [m.unit for m in ner] == ["Đảng"]  # the party, which no list names on its own
    for m in ner:
        assert not any(s < m.char_end and m.char_start < e for s, e in rule)


def test_the_units_spans_are_reused_only_for_the_document_they_were_read_from() -> None:
    """The mentions extractor takes the unit rows' spans from the units table's reading of the same
    document; with or without that reading, and after another document's, the mentions are the same."""
    from pipeline.extractors.units import UnitExtractor

    units = UnitExtractor()
    extractor = MentionExtractor(units=units)
    doc = segment(normalize(RawDocument(text=PLAN, format="txt")))
    other = segment(normalize(RawDocument(text=PLAN.replace("1. Sở Nội vụ", "1. Sở Y tế"), format="txt")))
    alone = extractor.find(doc)
    units.find(other)
    after_other = extractor.find(doc)
    units.find(doc)
    after_units = extractor.find(doc)
    assert alone == after_other == after_units
    assert units.spans(doc) == sorted((u.char_start, u.char_end) for u in units.find(doc))
    assert not any(m.unit == "Sở Nội vụ" for m in alone)


def test_span_and_section_indexes_answer_like_the_plain_scans() -> None:
    """``_Spans`` and ``_Sections`` answer by bisection what ``_overlaps`` and ``_section_id`` answer by
    scanning every span and section: the same, at every offset of the seed plans and for made-up spans that
    nest, touch, repeat and are empty."""
    import random

    from pipeline.extractors.mentions import _overlaps, _section_id, _Sections, _Spans
    from pipeline.ingest import read

    rng = random.Random(8)
    for _ in range(200):
        spans = [(a, a + rng.randint(0, 30)) for a in (rng.randint(0, 200) for _ in range(rng.randint(0, 12)))]
        index = _Spans(spans)
        for start in range(0, 240, 3):
            for end in (start, start + 1, start + 7, start + 40):
                assert index.overlaps(start, end) == _overlaps(start, end, sorted(spans)), (spans, start, end)
    seeds = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
    for path in sorted(seeds.glob("*.txt")):
        doc = segment(normalize(read(path)))
        sections = _Sections(doc.sections)
        for offset in range(-1, len(doc.text) + 2):
            assert sections.id_at(offset) == _section_id(doc.sections, offset), (path.name, offset)
