"""The word lists of the temporal grammar and of the phase and deadline extractors, from ``temporal.json``.

Plans say "từ ... đến ...", "kể từ ...", "... và hoàn thành trước ..."; they mark the end of a period with
"hết", a deadline with "chậm nhất", a recurrence with "hằng năm" or "sau mỗi đợt". These words are data so
that a user can add a phrasing met in a new kind of plan without touching the grammar. Every word is kept
in the folded comparison form (lower case, traditional tone placement) the grammar matches against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.rules import loading
from pipeline.rules.gazetteer import fold
from pipeline.rules.phrases import longest_first

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


#: The error of every rules file, under the name it had when these rules had their own loader.
TemporalRulesError = loading.RulesError


@dataclass(frozen=True)
class TemporalRules(loading.RuleFile):
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

    FILE = "temporal.json"

    @classmethod
    def from_data(cls, data: Any, source: str) -> TemporalRules:
        """Rules from a parsed file; ``source`` names it in errors. Every key is required: the grammar has
        no fallback for a list left out."""
        loading.check_keys(loading.top_level(data, source), _KEYS, {*_LISTS, *_MAPS}, source)
        lists = {key: loading.texts(data, key, source) for key in _LISTS}
        maps = {key: loading.mapping(data, key, source) for key in _MAPS}
        for key in ("range_end_cues", "bound_modifiers", "event_relations"):
            for phrase in maps[key]:
                loading.choice(maps[key], phrase, sorted(_RELATIONS), f"{source}: {key}")
        for phrase, ends in maps["event_periods"].items():
            if not (isinstance(ends, list) and len(ends) == 2 and set(ends) <= _PERIOD_RULES):
                raise loading.RulesError(
                    f"{source}: event_periods[{phrase!r}] must be two of {sorted(_PERIOD_RULES)}"
                )
        for key in ("half_years", "year_parts", "month_parts"):
            for phrase, pair in maps[key].items():
                if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) for n in pair)):
                    raise loading.RulesError(f"{source}: {key}[{phrase!r}] must be [first, last]")

        def folded(key: str) -> dict[str, Any]:
            """The map with folded phrases, longest first (as written), and pairs as tuples."""
            items = sorted(maps[key].items(), key=lambda kv: -len(kv[0]))
            return {fold(k): tuple(v) if isinstance(v, list) else v for k, v in items}

        return cls(
            range_dashes=lists.pop("range_dashes"),
            **{key: longest_first(words) for key, words in lists.items()},
            **{key: folded(key) for key in _MAPS},
        )
