"""The calendar of known national events that plans tie their phases to, loaded from ``data/events.json``.

Party plans rarely date their phases: they say "sau Đại hội XIII của Đảng" or "trước và trong ngày bầu cử
đại biểu Quốc hội khóa XV". Those congresses and elections are national and their dates are public, so a
boundary tied to one can be dated; a provincial or grassroots congress cannot, and stays open. The dates
are data, each with the source it was checked against, so a user adds the next congress or election by
editing the file. How plans write each kind of event is data too (``patterns``), because the same
congress is written a dozen ways ("Đại hội đại biểu toàn quốc lần thứ XIV của Đảng", "Đại hội XIV của
Đảng", "Đại hội Đảng lần thứ 14").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from pipeline.numerals import roman_to_int
from pipeline.rules import loading
from pipeline.rules.gazetteer import fold
from pipeline.rules.phrases import alternation

__all__ = ["Event", "EventCalendar", "EventsError", "roman_or_int"]

_TOP_KEYS = {"note", "kinds", "events"}
_KIND_KEYS = {"description", "patterns", "exclude_after"}
_EVENT_KEYS = {"kind", "number", "term", "plenum", "name", "start", "end", "source", "note"}
_EVENT_REQUIRED = {"kind", "number", "name", "start", "end", "source"}

_NUMERAL = r"[ivxl]{1,6}|\d{1,2}"
_WORD_END = r"(?![\w])"
_TERM = r"(?:19|20)\d\d\s*[-–—]\s*(?:19|20)\d\d"
_SPACES = re.compile(r"\s+")


#: The error of every rules file, under the name it had when the calendar had its own loader.
EventsError = loading.RulesError


@lru_cache(maxsize=256)
def roman_or_int(numeral: str) -> int:
    """The value of "XIV", "xiv" or "14"; 0 when it is neither."""
    s = numeral.strip().upper()
    if s.isdigit():
        return int(s)
    if not s or any(c not in "IVXLCDM" for c in s):
        return 0
    return roman_to_int(s)


def _term_key(term: str) -> str:
    years = re.findall(r"(?:19|20)\d\d", term)
    return "-".join(years)


@dataclass(frozen=True)
class Event:
    """A dated national event: its first and last day (the same for an election) and where they come from."""

    kind: str
    number: int
    name: str
    start: date
    end: date
    source: str
    term: str = ""
    plenum: int = 0
    note: str = ""


@dataclass(frozen=True)
class _Kind:
    """How plans write one kind of event. ``anywhere`` matches wherever one of ``patterns`` does (and
    perhaps elsewhere): one scan tells that none of them can match a phrase, and most phrases that a
    plan's lines tie to an event ("Đại hội Đảng bộ tỉnh", "Hội nghị sơ kết") name no known one."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    exclude_after: re.Pattern[str] | None
    anywhere: re.Pattern[str]

    @classmethod
    def of(cls, name: str, templates: list[str], exclude: re.Pattern[str] | None) -> _Kind:
        """The kind ``name`` written as ``templates`` ("đại hội {n} của đảng"), with its gate."""
        patterns = tuple(_compile_pattern(t) for t in templates)
        anywhere = "|".join("(?:" + _pattern_source(t, gate=True) + ")" for t in templates)
        return cls(name, patterns, exclude, re.compile(anywhere or r"(?!)"))


class EventCalendar(loading.RuleFile):
    """Known events and the patterns that recognise them in a phrase."""

    FILE = "events.json"

    def __init__(self, kinds: list[_Kind], events: list[Event]) -> None:
        self.kinds = kinds
        self.events = events

    # -- loading -----------------------------------------------------------------------------------------

    @classmethod
    def from_data(cls, data: Any, source: str) -> EventCalendar:
        """A calendar from a parsed file; ``source`` names it in errors. An event without a date or a
        source is an error."""
        loading.check_keys(loading.top_level(data, source), _TOP_KEYS, (), source)
        kinds: list[_Kind] = []
        for name, spec in loading.mapping(data, "kinds", source).items():
            where = f"{source}: kind {name!r}"
            loading.check_keys(spec, _KIND_KEYS, (), where)
            templates = loading.texts(spec, "patterns", where)
            words = loading.texts(spec, "exclude_after", where)
            exclude = re.compile(r"\s*" + alternation(words) + r"(?!\w)") if words else None
            kinds.append(_Kind.of(name, templates, exclude))
        known_kinds = sorted(k.name for k in kinds)
        events = [_event(item, where, known_kinds) for where, item in loading.entries(data, "events", source)]
        return cls(kinds, events)

    # -- matching ----------------------------------------------------------------------------------------

    def match(self, phrase: str) -> Event | None:
        """The known event that ``phrase`` names (at its start or inside it), or None.

        The first pattern of the first kind that matches decides; a match followed by a word that names
        another organization ("Đại hội XIII Công đoàn Việt Nam") does not count.
        """
        text = _SPACES.sub(" ", fold(phrase))
        for kind in self.kinds:
            if not kind.anywhere.search(text):
                continue  # no pattern of the kind matches anywhere in the phrase
            for pattern in kind.patterns:
                for m in pattern.finditer(text):
                    if kind.exclude_after is not None and kind.exclude_after.match(text, m.end()):
                        continue
                    found = self._lookup(kind.name, m)
                    if found is not None:
                        return found
        return None

    def _lookup(self, kind: str, m: re.Match[str]) -> Event | None:
        groups = m.groupdict()
        number = roman_or_int(groups["n"]) if groups.get("n") else 0
        term = _term_key(groups["term"]) if groups.get("term") else ""
        plenum = roman_or_int(groups["k"]) if groups.get("k") else 0
        for event in self.events:
            if event.kind != kind:
                continue
            if number and event.number != number:
                continue
            if term and event.term != term:
                continue
            if plenum and event.plenum != plenum:
                continue
            if number or term:
                return event
        return None


def _event(item: Any, where: str, kinds: list[str]) -> Event:
    """One dated event. Every date needs its source, so that a user can check it, and a later correction
    can say what it corrects."""
    loading.check_keys(item, _EVENT_KEYS, _EVENT_REQUIRED, where)
    source = loading.text(item, "source", where)
    start = loading.iso_date(item, "start", where)
    end = loading.iso_date(item, "end", where)
    if end < start:
        raise loading.RulesError(f"{where}: end {end} is before start {start}")
    number = roman_or_int(str(item["number"]))
    if not number:
        raise loading.RulesError(f"{where}: number {item['number']!r} is not a Roman or Arabic numeral")
    return Event(
        kind=loading.choice(item, "kind", kinds, where),
        number=number,
        name=loading.text(item, "name", where),
        start=start,
        end=end,
        source=source,
        term=_term_key(item.get("term", "")),
        plenum=int(item.get("plenum") or 0),
        note=item.get("note", ""),
    )


def _compile_pattern(template: str) -> re.Pattern[str]:
    """A pattern template ("đại hội {n} của đảng") as a regular expression over folded text."""
    return re.compile(_pattern_source(template))


def _pattern_source(template: str, gate: bool = False) -> str:
    """The regular expression of a template. As a ``gate`` its groups are unnamed, so that the templates
    of a kind can be joined into one alternation, and its first word need not start a word: ``re`` finds
    a pattern that opens with a letter several times faster than one that opens with a look-behind, and
    the gate only has to let through every phrase the exact patterns match."""
    parts = re.split(r"(\{n\}|\{k\}|\{term\})", fold(template))
    out = []
    for part in parts:
        if part in ("{n}", "{k}"):
            out.append(("(?:" if gate else "(?P<" + part[1:-1] + ">") + _NUMERAL + ")" + _WORD_END)
        elif part == "{term}":
            out.append(("(?:" if gate else "(?P<term>") + _TERM + ")")
        else:
            out.append(r"\s+".join(re.escape(w) for w in part.split(" ")) if part.strip() else r"\s*")
    source = "".join(out)
    # words of the template must stand as whole words in the text
    return source if gate else r"(?<!\w)" + source
