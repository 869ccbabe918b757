"""Deadlines and recurrences read from constructed plans in the genre's phrasing: what a task must be done
by, how often a unit reports, which unit the implementation section gives it to, and what is not a task's
deadline (a target, the end of a peak period)."""

from __future__ import annotations

import pytest

from pipeline.extractors import deadlines
from pipeline.model import Deadline, DocumentRecord, RawDocument
from pipeline.normalize import normalize
from pipeline.segment import Segmented, segment

TEXT = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN

Số: 88/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Nghệ An, ngày 05 tháng 3 năm 2026

KẾ HOẠCH
Triển khai công tác cải cách hành chính năm 2026

Thực hiện Quyết định số 15/QĐ-UBND ngày 10/01/2026 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Hằng năm, giảm ít nhất 10% số hồ sơ trễ hạn.
2. Bảo đảm thực chất, hiệu quả.
II. THỜI GIAN THỰC HIỆN
1. Đợt 1: bắt đầu từ 01/4/2026 và hoàn thành trước 30/6/2026.
2. Đợt 2: Quý III/2026.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
- Xây dựng bộ tiêu chí đánh giá, hoàn thành trước ngày 30/4/2026.
- Định kỳ 6 tháng, hằng năm tổng hợp báo cáo Ủy ban nhân dân tỉnh.
2. Ủy ban nhân dân các xã, phường
- Báo cáo kết quả thực hiện về Sở Nội vụ chậm nhất là ngày 15/11/2026.
- Thành lập tổ công tác (hoàn thành trong tháng 4/2026).
- Báo cáo kết quả sau mỗi đợt kiểm tra.

Trên đây là Kế hoạch của Ủy ban nhân dân tỉnh; hằng năm, các đơn vị báo cáo kết quả trước ngày 10/12.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Trần Văn Bình
"""


@pytest.fixture(scope="module")
def doc() -> Segmented:
    return segment(normalize(RawDocument(text=TEXT, format="txt")))


@pytest.fixture(scope="module")
def found(doc: Segmented) -> list[Deadline]:
    return deadlines.find(doc, DocumentRecord(issue_date="2026-03-05"))


def by_text(found: list[Deadline], words: str) -> Deadline:
    hits = [d for d in found if words in d.text]
    assert len(hits) == 1, (words, [d.text for d in found])
    return hits[0]


def test_spans_hold_the_text(doc: Segmented, found: list[Deadline]) -> None:
    assert found
    for d in found:
        assert doc.text[d.char_start : d.char_end] == d.text


def test_a_dated_deadline_with_its_unit(found: list[Deadline]) -> None:
    d = by_text(found, "bộ tiêu chí")
    assert (d.date, d.recurrence, d.unit) == ("2026-04-30", "", "Sở Nội vụ")
    assert d.section_id.startswith("III.1")


def test_chậm_nhất_and_a_month_given_as_the_limit(found: list[Deadline]) -> None:
    assert by_text(found, "chậm nhất").date == "2026-11-15"
    limit = by_text(found, "tổ công tác")
    assert limit.date == "2026-04-30"
    assert limit.unit == "Ủy ban nhân dân các xã, phường"


def test_recurrences(found: list[Deadline]) -> None:
    assert by_text(found, "Định kỳ 6 tháng").recurrence == "half-yearly"
    assert by_text(found, "sau mỗi đợt").recurrence == "per-phase"


def test_the_closing_paragraph_speaks_to_every_unit(found: list[Deadline]) -> None:
    d = by_text(found, "trước ngày 10/12")
    # a day and month without a year fall in the plan's year; the recurrence is kept beside the date
    assert (d.date, d.recurrence, d.unit) == ("2026-12-10", "yearly", "")


def test_targets_and_the_end_of_a_period_are_not_deadlines(found: list[Deadline]) -> None:
    texts = " ".join(d.text for d in found)
    assert "giảm ít nhất 10%" not in texts
    assert "30/6/2026" not in texts


def _seed_docs() -> list[Segmented]:
    from pathlib import Path

    from pipeline.ingest import read

    seeds = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
    return [segment(normalize(read(p))) for p in sorted(seeds.glob("*.txt"))]


def test_the_sentence_gate_skips_only_sentences_without_a_cue(doc: Segmented) -> None:
    """``find`` reads only the sentences in which its gate finds a cue or a recurrence beginning; with a
    gate that lets every position through, the bundled plans and the plan above must give the same rows."""
    import re

    gated = deadlines.DeadlineExtractor()
    ungated = deadlines.DeadlineExtractor()
    ungated._gate = re.compile(r"(?s).")
    meta = DocumentRecord(issue_date="2026-03-05")
    for d in [doc, *_seed_docs()]:
        assert gated.find(d, meta) == ungated.find(d, meta)


def test_sentences_near_offsets_are_the_sentences_that_hold_them(doc: Segmented) -> None:
    """``_clauses`` with offsets reads only their lines; with every offset of the body it must cut the
    same clauses as a reading of the whole body, and with some it must keep just those holding one."""
    for d in [doc, *_seed_docs()]:
        lo, hi = d.offset_of_line(d.layout.body_start), d.offset_of_line(d.layout.closing_start)
        every = deadlines._clauses(d.text, lo, hi)
        assert deadlines._clauses(d.text, lo, hi, list(range(lo, hi))) == every
        some = list(range(lo, hi, 97))
        sentences = deadlines._sentences(d.text, lo, hi)
        held = [(ra, rb) for ra, rb in sentences if any(ra <= x < rb for x in some)]
        # a clause is its sentence without blanks and marker: it starts inside the sentence it was cut from
        expected = [(a, b) for a, b in every if any(ra <= a < rb for ra, rb in held)]
        assert deadlines._clauses(d.text, lo, hi, some) == expected


def test_the_trie_of_phrases_matches_as_their_alternation() -> None:
    """``trie_alternation`` is a faster spelling of ``alternation``: at every position of the bundled
    plans, alone and before a word end, it matches the same phrase as the alternation does."""
    import re

    from pipeline.extractors.temporal import comparison_form
    from pipeline.rules.phrases import alternation, trie_alternation
    from pipeline.rules.temporal_rules import TemporalRules

    rules = TemporalRules.default()
    lists = [
        [*rules.deadline_cues, *rules.recurrences],
        list(rules.event_relations),
        list(rules.range_end_cues),
        ["hằng năm", "hằng", "hằng năm nay", "năm"],
        [],
    ]
    texts = [comparison_form(d.text) for d in _seed_docs()]
    for phrases in lists:
        for suffix in ("", r"(?!\w)"):
            plain = re.compile(alternation(phrases) + suffix)
            trie = re.compile(trie_alternation(phrases) + suffix)
            for low in texts:
                for p in range(len(low)):
                    a, b = plain.match(low, p), trie.match(low, p)
                    assert (a and a.span()) == (b and b.span())
