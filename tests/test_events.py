"""The calendar of known national events: every date has a source, and matching takes the ways plans write
an event while refusing other organizations' congresses and the party's provincial ones."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pipeline.rules.events import EventCalendar, EventsError, roman_or_int


@pytest.fixture(scope="module")
def calendar() -> EventCalendar:
    return EventCalendar.default()


def test_every_event_has_a_source_and_ordered_dates(calendar: EventCalendar) -> None:
    assert calendar.events
    for event in calendar.events:
        assert event.source.strip(), event.name
        assert event.start <= event.end


def test_the_congresses_and_elections_the_genre_ties_phases_to(calendar: EventCalendar) -> None:
    congresses = {e.number for e in calendar.events if e.kind == "party_congress"}
    elections = {e.number for e in calendar.events if e.kind == "national_election"}
    assert {11, 12, 13, 14} <= congresses
    assert {13, 14, 15, 16} <= elections


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("Đại hội đại biểu toàn quốc lần thứ XIV của Đảng", date(2026, 1, 19), date(2026, 1, 23)),
        ("ĐẠI HỘI ĐẠI BIỂU TOÀN QUỐC LẦN THỨ XIII CỦA ĐẢNG", date(2021, 1, 25), date(2021, 2, 1)),
        ("Đại hội XIII của Đảng", date(2021, 1, 25), date(2021, 2, 1)),
        ("Đại hội Đảng lần thứ 14", date(2026, 1, 19), date(2026, 1, 23)),
        ("Đại hội Đảng toàn quốc lần thứ XII", date(2016, 1, 20), date(2016, 1, 28)),
        ("Đại hội lần thứ XI của Đảng", date(2011, 1, 12), date(2011, 1, 19)),
        (
            "ngày bầu cử Đại biểu Quốc hội khóa XV và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2021 - 2026",
            date(2021, 5, 23),
            date(2021, 5, 23),
        ),
        ("bầu cử đại biểu Quốc hội khoá XVI", date(2026, 3, 15), date(2026, 3, 15)),
        ("bầu cử đại biểu HĐND các cấp nhiệm kỳ 2016-2021", date(2016, 5, 22), date(2016, 5, 22)),
        (
            "cuộc bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2011 – 2016",
            date(2011, 5, 22),
            date(2011, 5, 22),
        ),
        ("Hội nghị lần thứ 14 Ban Chấp hành Trung ương Đảng khóa XII", date(2020, 12, 14), date(2020, 12, 18)),
    ],
)
def test_matching_is_tolerant_of_case_numerals_and_phrasing(
    calendar: EventCalendar, phrase: str, start: date, end: date
) -> None:
    event = calendar.match(phrase)
    assert event is not None, phrase
    assert (event.start, event.end) == (start, end)


@pytest.mark.parametrize(
    "phrase",
    [
        "Đại hội đại biểu Đảng bộ tỉnh Đắk Nông lần thứ XIII",  # a provincial congress with a national number
        "Đại hội XX Đảng bộ tỉnh",
        "Đại hội XIII của Đảng bộ tỉnh",
        "Đại hội XIII Công đoàn Việt Nam",
        "Đại hội đại biểu toàn quốc lần thứ XIII Hội Liên hiệp Phụ nữ Việt Nam",
        "Đại hội Đoàn toàn quốc lần thứ XII",
        "đại hội chi, đảng bộ cơ sở",
        "Đại hội đại biểu toàn quốc lần thứ XV của Đảng",  # no file knows its dates yet
        "bầu cử đại biểu Quốc hội khóa XII",
    ],
)
def test_what_the_calendar_does_not_date(calendar: EventCalendar, phrase: str) -> None:
    assert calendar.match(phrase) is None


def test_roman_and_arabic_numerals() -> None:
    assert [roman_or_int(s) for s in ("XIV", "xiii", "IX", "14", "", "abc")] == [14, 13, 9, 14, 0, 0]


def _data() -> dict:
    from importlib import resources

    return json.loads(resources.files("pipeline.rules").joinpath("data", "events.json").read_text("utf-8"))


def test_an_unknown_key_is_an_error_naming_the_file(tmp_path) -> None:
    data = _data()
    data["event"] = []
    path = tmp_path / "events.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(EventsError, match=r"events\.json: unknown key 'event'"):
        EventCalendar.from_file(path)


def test_a_date_without_a_source_is_refused(tmp_path) -> None:
    data = _data()
    data["events"][0]["source"] = " "
    path = tmp_path / "events.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(EventsError, match="source"):
        EventCalendar.from_file(path)


def test_a_user_adds_the_next_congress(tmp_path) -> None:
    data = _data()
    data["events"].append(
        {
            "kind": "party_congress",
            "number": "XV",
            "name": "Đại hội đại biểu toàn quốc lần thứ XV của Đảng",
            "start": "2031-01-20",
            "end": "2031-01-25",
            "source": "a made-up entry for this test",
        }
    )
    path = tmp_path / "events.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    event = EventCalendar.from_file(path).match("sau Đại hội XV của Đảng")
    assert event is not None and event.end == date(2031, 1, 25)


def test_a_kind_is_passed_over_only_when_none_of_its_patterns_matches(calendar: EventCalendar) -> None:
    """``match`` skips a kind whose gate finds nothing in the phrase; the gate must find something wherever
    a pattern of the kind matches, so that every phrase of the bundled plans that opens with a word reads
    as it does without the gates."""
    import dataclasses
    import re
    from pathlib import Path

    from pipeline.rules.events import _SPACES
    from pipeline.rules.gazetteer import fold

    ungated = EventCalendar(
        [dataclasses.replace(k, anywhere=re.compile("")) for k in calendar.kinds], calendar.events
    )
    seeds = Path(__file__).resolve().parents[1] / "corpora" / "seeds"
    phrases = []
    for path in sorted(seeds.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            phrases += [" ".join(words[i : i + 12]) for i in range(len(words))]
    for phrase in phrases:
        text = _SPACES.sub(" ", fold(phrase))
        for kind in calendar.kinds:
            if any(p.search(text) for p in kind.patterns):
                assert kind.anywhere.search(text), phrase
        assert calendar.match(phrase) == ungated.match(phrase), phrase
