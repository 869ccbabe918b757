"""The word lists of the temporal grammar and of the phase and deadline extractors, from ``temporal.json``.

Plans say "từ ... đến ...", "kể từ ...", "... và hoàn thành trước ..."; they mark the end of a period with
"hết", a deadline with "chậm nhất", a recurrence with "hằng năm" or "sau mỗi đợt". These words are data so
that a user can add a phrasing met in a new kind of plan without touching the grammar. Every word is kept
in the folded comparison form (lower case, traditional tone placement) the grammar matches against.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.rules.gazetteer import fold

__all__ = ["TemporalRules", "TemporalRulesError"]

_LISTS = (
    "range_start_cues",
    "range_dashes",
    "open_end_suffixes",
    "now_words",
    "issue_anchors",
    "term_words",
    "event_heads",
    "event_list_continuers",
    "event_stop_words",
    "phase_label_words",
    "peak_cues",
    "timeline_words",
    "self_period_cues",
    "self_period_objects",
    "deadline_actions",
    "closing_formulas",
)
_MAPS = (
    "range_end_cues",
    "bound_modifiers",
    "half_years",
    "year_parts",
    "month_parts",
    "event_relations",
    "event_periods",
    "deadline_cues",
    "recurrences",
)
_KEYS = {"note", *_LISTS, *_MAPS}
_RELATIONS = {"", "before", "after", "during", "end", "start", "at"}
_PERIOD_RULES = {"open", "first", "last", "before_first", "after_last"}


class TemporalRulesError(ValueError):
    """A temporal rules file that cannot be used as it is."""


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted({fold(w) for w in words}, key=len, reverse=True))


@dataclass(frozen=True)
class TemporalRules:
    """The lists and maps of ``temporal.json``; every key is folded, phrases are sorted longest first.

    ``range_end_cues`` and ``bound_modifiers`` map a phrase to the relation it puts on the boundary after
    it ("before": the day before; "after": the day after; "end": the last day; "" as written).
    ``event_relations`` map a phrase before an event name to how the boundary relates to the event;
    ``event_list_continuers`` are words after a comma that go on naming the event ("đại hội chi, đảng bộ
    cơ sở"); ``event_stop_words`` end an event's name where no punctuation does ("Trong thời gian diễn ra
    Đại hội XIII tập trung tuyên truyền"). ``event_periods`` map a combined phrase ("trước và trong") to
    the period's two ends, each one of open, first, last, before_first, after_last (of the event's days).
    ``half_years``, ``year_parts`` give months and ``month_parts`` days, as [first, last].
    ``deadline_actions`` are the verbs that make a recurrence a task's ("báo cáo hằng năm", not "hằng năm
    giảm ..."); ``closing_formulas`` open the paragraph after the last section ("Trên đây là Kế hoạch
    ..."), which speaks to every unit at once.
    """

    range_start_cues: tuple[str, ...]
    range_end_cues: dict[str, str]
    range_dashes: tuple[str, ...]
    open_end_suffixes: tuple[str, ...]
    bound_modifiers: dict[str, str]
    now_words: tuple[str, ...]
    issue_anchors: tuple[str, ...]
    half_years: dict[str, tuple[int, int]]
    year_parts: dict[str, tuple[int, int]]
    month_parts: dict[str, tuple[int, int]]
    term_words: tuple[str, ...]
    event_heads: tuple[str, ...]
    event_relations: dict[str, str]
    event_periods: dict[str, tuple[str, str]]
    event_list_continuers: tuple[str, ...]
    event_stop_words: tuple[str, ...]
    phase_label_words: tuple[str, ...]
    peak_cues: tuple[str, ...]
    timeline_words: tuple[str, ...]
    self_period_cues: tuple[str, ...]
    self_period_objects: tuple[str, ...]
    deadline_cues: dict[str, str]
    recurrences: dict[str, str]
    deadline_actions: tuple[str, ...]
    closing_formulas: tuple[str, ...]

    @classmethod
    def from_file(cls, path: str | Path) -> TemporalRules:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise TemporalRulesError(f"{path}: not valid JSON: {err}") from err
        return cls.from_data(data, str(path))

    @classmethod
    @cache
    def default(cls) -> TemporalRules:
        """The packaged rules, loaded once."""
        resource = resources.files("pipeline.rules").joinpath("data", "temporal.json")
        data = json.loads(resource.read_text(encoding="utf-8"))
        return cls.from_data(data, "pipeline/rules/data/temporal.json")

    @classmethod
    def from_data(cls, data: Any, source: str) -> TemporalRules:
        if not isinstance(data, dict):
            raise TemporalRulesError(f"{source}: the top level must be a JSON object")
        unknown = set(data) - _KEYS
        if unknown:
            raise TemporalRulesError(f"{source}: unknown keys {sorted(unknown)}; allowed: {sorted(_KEYS)}")
        missing = (set(_LISTS) | set(_MAPS)) - set(data)
        if missing:
            raise TemporalRulesError(f"{source}: missing keys {sorted(missing)}")
        for key in _LISTS:
            if not isinstance(data[key], list) or not all(isinstance(w, str) for w in data[key]):
                raise TemporalRulesError(f"{source}: {key} must be a list of strings")
        for key in _MAPS:
            if not isinstance(data[key], dict):
                raise TemporalRulesError(f"{source}: {key} must be an object")
        for key in ("range_end_cues", "bound_modifiers", "event_relations"):
            bad = {v for v in data[key].values() if v not in _RELATIONS}
            if bad:
                raise TemporalRulesError(
                    f"{source}: {key}: unknown relations {sorted(bad)}; allowed {sorted(_RELATIONS)}"
                )
        for phrase, ends in data["event_periods"].items():
            if not (isinstance(ends, list) and len(ends) == 2 and set(ends) <= _PERIOD_RULES):
                raise TemporalRulesError(
                    f"{source}: event_periods[{phrase!r}] must be two of {sorted(_PERIOD_RULES)}"
                )
        pairs = {}
        for key in ("half_years", "year_parts", "month_parts"):
            for phrase, pair in data[key].items():
                if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) for n in pair)):
                    raise TemporalRulesError(f"{source}: {key}[{phrase!r}] must be [first, last]")
            pairs[key] = {fold(k): (v[0], v[1]) for k, v in data[key].items()}

        def folded_map(key: str) -> dict[str, str]:
            return {fold(k): v for k, v in sorted(data[key].items(), key=lambda kv: -len(kv[0]))}

        return cls(
            range_start_cues=_longest_first(data["range_start_cues"]),
            range_end_cues=folded_map("range_end_cues"),
            range_dashes=tuple(data["range_dashes"]),
            open_end_suffixes=_longest_first(data["open_end_suffixes"]),
            bound_modifiers=folded_map("bound_modifiers"),
            now_words=_longest_first(data["now_words"]),
            issue_anchors=_longest_first(data["issue_anchors"]),
            half_years=pairs["half_years"],
            year_parts=pairs["year_parts"],
            month_parts=pairs["month_parts"],
            term_words=_longest_first(data["term_words"]),
            event_heads=_longest_first(data["event_heads"]),
            event_relations=folded_map("event_relations"),
            event_periods={
                fold(k): (v[0], v[1]) for k, v in sorted(data["event_periods"].items(), key=lambda kv: -len(kv[0]))
            },
            event_list_continuers=_longest_first(data["event_list_continuers"]),
            event_stop_words=_longest_first(data["event_stop_words"]),
            phase_label_words=_longest_first(data["phase_label_words"]),
            peak_cues=_longest_first(data["peak_cues"]),
            timeline_words=_longest_first(data["timeline_words"]),
            self_period_cues=_longest_first(data["self_period_cues"]),
            self_period_objects=_longest_first(data["self_period_objects"]),
            deadline_cues=folded_map("deadline_cues"),
            recurrences=folded_map("recurrences"),
            deadline_actions=_longest_first(data["deadline_actions"]),
            closing_formulas=_longest_first(data["closing_formulas"]),
        )
