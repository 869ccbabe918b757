"""The Vietnamese temporal grammar: a table of expressions in the habits of many kinds of plans (provincial
People's Committees, party committees, unions, schools, health campaigns), each with the period a
Vietnamese reader takes it to mean, worked out by hand. Unless a row says otherwise the plan was issued on
15/3/2024, so "nay" is 2024-03-15 and a day or month written without a year falls in 2024."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extractors.temporal import Context, TemporalGrammar, TimeRange, _Parser, comparison_form
from pipeline.rules.temporal_rules import TemporalRules, TemporalRulesError

ISSUED = date(2024, 3, 15)
CTX = Context(issue_date=ISSUED, year=2024)
NO_CONTEXT = Context()


@pytest.fixture(scope="module")
def grammar() -> TemporalGrammar:
    return TemporalGrammar()


def first(grammar: TemporalGrammar, text: str, ctx: Context = CTX) -> TimeRange:
    found = grammar.find_all(text, ctx)
    assert found, f"nothing read in {text!r}"
    return found[0]


def iso(rng: TimeRange, side: str) -> str | None:
    bound = rng.start if side == "start" else rng.end
    return bound.iso or None if bound is not None else None


# expression, expected start, expected end (None: open or unknown)
TABLE: list[tuple[str, str | None, str | None]] = [
    # full dates, every way of writing them
    ("ngày 15/3/2024", "2024-03-15", "2024-03-15"),
    ("15/03/2024", "2024-03-15", "2024-03-15"),
    ("ngày 5 tháng 6 năm 2025", "2025-06-05", "2025-06-05"),
    ("ngày 05 tháng 06 năm 2025", "2025-06-05", "2025-06-05"),
    ("05-6-2025", "2025-06-05", "2025-06-05"),
    ("30.6.2025", "2025-06-30", "2025-06-30"),
    ("ngày 29/2/2024", "2024-02-29", "2024-02-29"),
    # months: first day on the start side, last day on the end side
    ("tháng 10/2024", "2024-10-01", "2024-10-31"),
    ("tháng 10 năm 2024", "2024-10-01", "2024-10-31"),
    ("Tháng 3/2026", "2026-03-01", "2026-03-31"),
    ("tháng 02/2025", "2025-02-01", "2025-02-28"),
    ("tháng 2/2024", "2024-02-01", "2024-02-29"),
    ("tháng 11-2023", "2023-11-01", "2023-11-30"),
    ("trong tháng 3/2026", "2026-03-01", "2026-03-31"),
    # quarters, halves, parts of the year and of a month
    ("quý I/2025", "2025-01-01", "2025-03-31"),
    ("Quý IV/2021", "2021-10-01", "2021-12-31"),
    ("quý 2 năm 2025", "2025-04-01", "2025-06-30"),
    ("trong quý I năm 2026", "2026-01-01", "2026-03-31"),
    ("quý III", "2024-07-01", "2024-09-30"),
    ("6 tháng đầu năm 2025", "2025-01-01", "2025-06-30"),
    ("6 tháng cuối năm 2025", "2025-07-01", "2025-12-31"),
    ("sáu tháng đầu năm", "2024-01-01", "2024-06-30"),
    ("nửa cuối năm 2023", "2023-07-01", "2023-12-31"),
    ("đầu năm 2025", "2025-01-01", "2025-03-31"),
    ("giữa năm 2025", "2025-06-01", "2025-07-31"),
    ("cuối năm 2025", "2025-10-01", "2025-12-31"),
    ("đầu tháng 10/2024", "2024-10-01", "2024-10-10"),
    ("giữa tháng 5/2025", "2025-05-11", "2025-05-20"),
    ("cuối tháng 2/2025", "2025-02-21", "2025-02-28"),
    # years
    ("năm 2022", "2022-01-01", "2022-12-31"),
    ("trong năm 2026", "2026-01-01", "2026-12-31"),
    ("hết năm 2021", None, "2021-12-31"),
    ("Năm 2022 và các năm tiếp theo", "2022-01-01", None),
    ("từ năm 2025 trở đi", "2025-01-01", None),
    ("giai đoạn 2026 - 2030", "2026-01-01", "2030-12-31"),
    ("Chương trình mục tiêu quốc gia giai đoạn 2021-2025", "2021-01-01", "2025-12-31"),
    ("từ năm 2021 đến năm 2025", "2021-01-01", "2025-12-31"),
    ("năm 2024 - 2025", "2024-01-01", "2025-12-31"),
    # ranges of days and months
    ("từ ngày 01/7/2025 đến ngày 31/8/2025", "2025-07-01", "2025-08-31"),
    ("Từ 01/9/2025 đến 31/10/2025", "2025-09-01", "2025-10-31"),
    ("từ ngày 15/3/2025 – 30/4/2025", "2025-03-15", "2025-04-30"),
    ("01/01/2025 – 30/6/2025", "2025-01-01", "2025-06-30"),
    ("từ tháng 10/2024 đến 30/6/2025", "2024-10-01", "2025-06-30"),
    ("Từ tháng 11/2019 - tháng 8/2020", "2019-11-01", "2020-08-31"),
    ("tháng 12/2024 - tháng 01/2025", "2024-12-01", "2025-01-31"),
    ("Từ tháng 3 đến tháng 9/2026", "2026-03-01", "2026-09-30"),
    ("từ tháng 3 - 4/2025", "2025-03-01", "2025-04-30"),
    ("từ tháng 11 đến tháng 02/2021", "2020-11-01", "2021-02-28"),
    ("từ ngày 01/7 đến 31/8/2025", "2025-07-01", "2025-08-31"),
    ("từ ngày 20/12 đến ngày 10/01/2025", "2024-12-20", "2025-01-10"),
    ("từ 20/12/2024 đến 10/01", "2024-12-20", "2025-01-10"),
    ("từ 19-23/1/2026", "2026-01-19", "2026-01-23"),
    ("từ ngày 19 đến ngày 25-1-2026", "2026-01-19", "2026-01-25"),
    ("từ ngày 01 - 15/4/2025", "2025-04-01", "2025-04-15"),
    ("25/1 - 2/2/2021", "2021-01-25", "2021-02-02"),
    ("từ ngày 15 tháng 3 đến ngày 30 tháng 4 năm 2025", "2025-03-15", "2025-04-30"),
    ("từ quý III/2024 đến quý II/2025", "2024-07-01", "2025-06-30"),
    ("từ 15/5 đến 30/6", "2024-05-15", "2024-06-30"),
    ("từ tháng 8 đến tháng 12", "2024-08-01", "2024-12-31"),
    ("bắt đầu từ 01/01/2025 và hoàn thành trước 30/6/2025", "2025-01-01", "2025-06-29"),
    ("kỷ niệm 90 năm Ngày truyền thống (25/9/1930 - 25/9/2020)", "1930-09-25", "2020-09-25"),
    # open ranges, "nay", the issue date
    ("từ ngày 01/01/2025", "2025-01-01", None),
    ("từ nay đến hết năm 2025", "2024-03-15", "2025-12-31"),
    ("Từ nay đến năm 2030", "2024-03-15", "2030-12-31"),
    ("từ nay đến cuối năm 2024", "2024-03-15", "2024-12-31"),
    ("từ 2020 đến nay", "2020-01-01", "2024-03-15"),
    ("kể từ ngày ký ban hành", "2024-03-15", None),
    ("Từ khi ban hành đến hết năm 2030", "2024-03-15", "2030-12-31"),
    # deadlines: "trước" ends the day before, "sau" starts the day after, "hết" is the last day
    ("trước ngày 30/11", None, "2024-11-29"),
    ("trước ngày 15/12/2024", None, "2024-12-14"),
    ("sau ngày 15/3/2025", "2025-03-16", None),
    ("đến ngày 31/12/2025", None, "2025-12-31"),
    ("đến hết tháng 6/2025", None, "2025-06-30"),
    ("hết quý II/2025", None, "2025-06-30"),
    ("đến năm 2030", None, "2030-12-31"),
    # periods tied to national events, dated from the events file
    ("sau Đại hội XIII của Đảng", "2021-02-02", None),
    ("sau Đại hội đại biểu toàn quốc lần thứ XII của Đảng", "2016-01-29", None),
    ("trong thời gian diễn ra Đại hội XIV của Đảng", "2026-01-19", "2026-01-23"),
    ("trong thời gian diễn ra Đại hội đại biểu toàn quốc lần thứ XI của Đảng", "2011-01-12", "2011-01-19"),
    ("trước khai mạc Đại hội đại biểu toàn quốc lần thứ XIV của Đảng", None, "2026-01-18"),
    ("đến trước Đại hội XIV của Đảng", None, "2026-01-18"),
    (
        "Trước và trong ngày bầu cử đại biểu Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp "
        "nhiệm kỳ 2021 - 2026, tập trung tuyên truyền",
        None,
        "2021-05-23",
    ),
    (
        "Từ sau ngày bầu cử đại biểu Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ "
        "2021 - 2026 đến hết năm 2021",
        "2021-05-24",
        "2021-12-31",
    ),
    ("trước ngày bầu cử đại biểu Quốc hội khóa XIV", None, "2016-05-21"),
    ("sau ngày bầu cử đại biểu HĐND các cấp nhiệm kỳ 2016 - 2021", "2016-05-23", None),
    ("trong ngày bầu cử đại biểu Quốc hội khoá XVI", "2026-03-15", "2026-03-15"),
    ("Từ ngày 01/11/2025 đến sau Đại hội Đại biểu toàn quốc lần thứ XIV của Đảng", "2025-11-01", None),
    ("Tuyên truyền sau Đại hội XVI Đảng bộ tỉnh đến Đại hội XIII của Đảng", None, "2021-02-01"),
    # events no file can date stay open
    ("Từ nay đến khi hoàn thành đại hội chi, đảng bộ cơ sở", "2024-03-15", None),
    ("Từ sau Đại hội Đảng bộ Khối đến Đại hội XX Đảng bộ tỉnh", None, None),
    ("trong thời gian diễn ra Đại hội Công đoàn tỉnh lần thứ XI", None, None),
]


@pytest.mark.parametrize(("text", "start", "end"), TABLE)
def test_the_table(grammar: TemporalGrammar, text: str, start: str | None, end: str | None) -> None:
    rng = first(grammar, text)
    assert (iso(rng, "start"), iso(rng, "end")) == (start, end)


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) >= 80


@pytest.mark.parametrize(
    "text",
    [
        "40 năm thực hiện đường lối đổi mới",
        "nhiệm kỳ 2021 - 2026",
        "Ban Chấp hành khóa 2020 - 2025",
        "Quyết định số 163/2024/QĐ-UBND",
        "tháng 13/2025",
        "ngày 31/02/2025",
        "tổ chức 1 - 2 buổi mỗi tháng",
        "Chiến lược 10 năm",
    ],
)
def test_what_is_not_a_date(grammar: TemporalGrammar, text: str) -> None:
    assert grammar.find_all(text, CTX) == []


def test_grains(grammar: TemporalGrammar) -> None:
    rng = first(grammar, "từ tháng 10/2024 đến 30/6/2025")
    assert (rng.start.grain, rng.end.grain) == ("month", "day")
    assert first(grammar, "quý I/2025").start.grain == "quarter"
    assert first(grammar, "hết năm 2021").end.grain == "year"


def test_a_year_from_the_same_range_is_written_one_from_context_is_inferred(grammar: TemporalGrammar) -> None:
    rng = first(grammar, "Từ tháng 3 đến tháng 9/2026")
    assert not rng.start.inferred and not rng.end.inferred
    rng = first(grammar, "từ tháng 8 đến sau Đại hội XVI Đảng bộ tỉnh", Context(year=2020))
    assert rng.start.iso == "2020-08-01" and rng.start.inferred
    assert first(grammar, "tháng 8", NO_CONTEXT).start.date is None


def test_nay_is_the_issue_date_and_is_inferred(grammar: TemporalGrammar) -> None:
    rng = first(grammar, "Từ nay đến hết năm 2025")
    assert rng.start.inferred and not rng.end.inferred
    rng = first(grammar, "Từ khi ban hành đến hết năm 2030", NO_CONTEXT)
    assert rng.start.date is None and rng.start.event == "khi ban hành"


def test_event_boundaries_keep_their_text(grammar: TemporalGrammar) -> None:
    rng = first(grammar, "Từ nay đến khi hoàn thành đại hội chi, đảng bộ cơ sở")
    assert rng.end.event == "đại hội chi, đảng bộ cơ sở"
    assert rng.end.text == "khi hoàn thành đại hội chi, đảng bộ cơ sở"
    rng = first(grammar, "sau Đại hội XIII của Đảng")
    assert rng.start.inferred and rng.start.event == "Đại hội XIII của Đảng"
    rng = first(grammar, "Trong thời gian diễn ra Đại hội XVI Đảng bộ tỉnh (Cao điểm tập trung từ tháng 8)")
    assert rng.start.event == "Đại hội XVI Đảng bộ tỉnh"


def test_an_event_name_stops_at_the_clause(grammar: TemporalGrammar) -> None:
    rng = first(grammar, "* Trong thời gian diễn ra Đại hội XIII của Đảng tập trung tuyên truyền: tầm vóc")
    assert rng.start.event == "Đại hội XIII của Đảng"


def test_the_words_before_a_deadline_keep_the_named_date(grammar: TemporalGrammar) -> None:
    rng = first(grammar, "báo cáo kết quả về Sở Nội vụ trước ngày 30/11/2024")
    assert rng.end.iso == "2024-11-29" and rng.end.named == date(2024, 11, 30)


def test_spans_hold_the_expression(grammar: TemporalGrammar) -> None:
    text = "1. Đợt 1. Từ tháng 10/2024 đến 30/6/2025, cao điểm là thời gian diễn ra Đại hội cấp cơ sở."
    found = grammar.find_all(text, CTX)
    rng = found[0]
    assert text[rng.char_start : rng.char_end] == "Từ tháng 10/2024 đến 30/6/2025"
    assert text[rng.start.start : rng.start.end] == "tháng 10/2024"
    assert text[rng.end.start : rng.end.end] == "30/6/2025"
    assert all(text[r.char_start : r.char_end] == r.text for r in found)


def test_several_expressions_in_one_sentence(grammar: TemporalGrammar) -> None:
    text = "Đợt 1. Từ tháng 10/2024 đến 30/6/2025, cao điểm (bắt đầu từ 01/01/2025 và hoàn thành trước 30/6/2025)."
    kinds = [(r.kind, r.start.iso if r.start else "") for r in grammar.find_all(text, CTX)]
    assert kinds == [("range", "2024-10-01"), ("range", "2025-01-01")]


def test_parse_reads_the_expression_that_opens_a_text(grammar: TemporalGrammar) -> None:
    assert grammar.parse("  năm 2022 và các năm tiếp theo", CTX).kind == "from"
    assert grammar.parse("Tuyên truyền năm 2022", CTX) is None


def test_rules_file_rejects_unknown_keys(tmp_path) -> None:
    bad = tmp_path / "temporal.json"
    bad.write_text('{"range_start_cue": []}', encoding="utf-8")
    with pytest.raises(TemporalRulesError, match=r"temporal\.json: unknown key 'range_start_cue'"):
        TemporalRules.from_file(bad)


def test_a_word_added_to_the_rules_is_read(tmp_path) -> None:
    import json
    from importlib import resources

    data = json.loads(resources.files("pipeline.rules").joinpath("data", "temporal.json").read_text("utf-8"))
    assert TemporalGrammar().find_all("suốt năm 2025 trở về trước", CTX)[0].kind == "single"
    data["open_end_suffixes"].append("trở về trước")  # a made-up phrasing, only to show the file is read
    path = tmp_path / "temporal.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    grammar = TemporalGrammar(rules=TemporalRules.from_file(path))
    assert grammar.find_all("suốt năm 2025 trở về trước", CTX)[0].kind == "from"


def test_the_start_gate_skips_only_words_where_nothing_begins() -> None:
    """``find_all`` tries the parser only where its gate lets it; with a gate that lets every word start
    through, the bundled plans (and the table above) must read the same."""
    import re
    from pathlib import Path

    gated = TemporalGrammar()
    ungated = TemporalGrammar()
    ungated._gate = re.compile(r"(?<!\w)\w")
    seeds = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    texts += [row[0] for row in TABLE]
    for text in texts:
        for ctx in (CTX, NO_CONTEXT):
            assert gated.find_all(text, ctx) == ungated.find_all(text, ctx)


def test_the_value_gate_skips_only_places_where_no_value_begins() -> None:
    """``_value`` tries its fourteen patterns only where its gate lets it; with a gate that lets every
    position through, the bundled plans (and the table above) must read the same."""
    import re
    from pathlib import Path

    gated = TemporalGrammar()
    ungated = TemporalGrammar()
    ungated._value_gate = re.compile("")
    seeds = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    texts += [row[0] for row in TABLE]
    for text in texts:
        assert gated.find_all(text, CTX) == ungated.find_all(text, CTX)


def _seed_lines() -> list[tuple[str, int, int]]:
    """Every non-blank line of the bundled plans, as (text, start, end)."""
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
    out = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        start = 0
        for line in text.split("\n"):
            if line.strip():
                out.append((text, start, start + len(line)))
            start += len(line) + 1
    return out


def test_opening_and_iter_all_read_as_find_all(grammar: TemporalGrammar) -> None:
    """``opening`` is the first expression of ``find_all`` when it starts the span, ``iter_all`` yields what
    ``find_all`` returns: checked on every line of the bundled plans, and from each line's first word."""
    for text, start, end in _seed_lines():
        found = grammar.find_all(text, CTX, start, end)
        assert list(grammar.iter_all(text, CTX, start, end)) == found
        lo = start + len(text[start:end]) - len(text[start:end].lstrip(" -+*•"))
        found = grammar.find_all(text, CTX, lo, end)
        expected = found[0] if found and found[0].char_start == lo else None
        assert grammar.opening(text, CTX, lo, end) == expected


def _event_end_by_character(parser: _Parser, q: int, side: str) -> int:
    """The readable form of ``_Parser._event_end``: each character in turn, up to 250 of them."""
    g, low, hi = parser.g, parser.low, min(parser.hi, q + 250)
    i = q
    while i < hi:
        ch = low[i]
        if ch in "\n;:()[]":
            break
        if ch == "." and (i + 1 >= hi or low[i + 1] in " \n"):
            break
        if ch == "," and not g._continuer.match(low, parser._skip(i + 1), parser.hi):
            break
        if ch == " " and (
            (side == "start" and g._event_stop_start.match(low, i, parser.hi))
            or g._event_stop.match(low, i, parser.hi)
        ):
            break
        i += 1
    while i > q and low[i - 1] in " ,-–":
        i -= 1
    return i


def test_the_end_of_an_event_name_is_found_as_by_reading_each_character(grammar: TemporalGrammar) -> None:
    """``_event_end`` jumps from one possible stop to the next with one pattern; it must stop where reading
    the name character by character stops, for every word of the bundled plans (within its line and
    within the whole text) and for the phrasings of the table."""
    cases = _seed_lines() + [(row[0], 0, len(row[0])) for row in TABLE]
    extra = (
        "Đại hội chi, đảng bộ cơ sở, đại biểu. Trước ngày bầu cử tập trung tuyên truyền; v.v. (xem) đến năm 2026"
    )
    cases.append((extra, 0, len(extra)))
    for text, start, end in cases:
        low = comparison_form(text)
        for hi in (end, len(text)):
            parser = _Parser(grammar, text, low, grammar._ctx(CTX), hi)
            for q in [start] + [i + 1 for i in range(start, end) if low[i] == " "]:
                for side in ("start", "end"):
                    assert parser._event_end(q, side) == _event_end_by_character(parser, q, side), (
                        text[q:end],
                        side,
                    )
