"""A Vietnamese temporal grammar for plans: dates, months, quarters, years, ranges and event-tied boundaries.

Plans write time the way Nghị định 30/2020/NĐ-CP and party habit taught them: "ngày 01/7/2025", "tháng
10/2024", "tháng 10 năm 2024", "Quý IV/2021", "năm 2022", "hết năm 2021", "6 tháng đầu năm", "từ nay",
ranges with "từ ... đến ...", "-" or "–", and boundaries tied to events ("sau ngày bầu cử đại biểu Quốc
hội khóa XV", "đến khi hoàn thành đại hội chi, đảng bộ cơ sở"). No date library reads the ranges, and
dateparser invents a day for "tháng 10/2024" and reads "40 năm" as a year, so the grammar is ours: each
expression becomes a :class:`TimeRange` of two :class:`Bound` values with spans, grains and an
``inferred`` flag.

Conventions, as a Vietnamese reader takes them:

- A boundary coarser than a day resolves to its first day on the start side and its last day on the end
  side ("từ tháng 10/2024" → 2024-10-01; "đến tháng 8/2020" → 2020-08-31). End dates are inclusive.
- "trước X" ends the day before X; "sau X" starts the day after X; "hết X" is X's last day.
- A day or month written without its year takes the year of the other boundary of the same range (not
  inferred: the range as written gives it), else the context year (a neighbouring phase's, the issue
  date's), which marks it inferred.
- "nay" and "khi ban hành" are the plan's issue date; an event's date comes from the calendar of known
  events; both are inferred. An event the calendar does not know keeps its text and leaves the date open.

The words (cues, modifiers, relations to events) are in ``rules/data/temporal.json``; the digit patterns
are here because they are the grammar itself.
"""

from __future__ import annotations

import calendar as _cal
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from pipeline.model import DocumentRecord
from pipeline.rules.events import Event, EventCalendar
from pipeline.rules.gazetteer import fold
from pipeline.rules.phrases import alternation, word_pattern
from pipeline.rules.temporal_rules import TemporalRules

__all__ = ["Bound", "Context", "TemporalGrammar", "TimeRange", "comparison_form"]

DAY, MONTH, QUARTER, YEAR = "day", "month", "quarter", "year"

_Y = r"(?P<y>(?:19|20)\d\d)(?!\d)"
_YEAR_SEP = r"(?:\s*,?\s*năm\s+|\s*[/.\-]\s*)"
_NUM_DATE = re.compile(r"(?:ngày\s+)?(?P<d>\d{1,2})\s*(?P<s>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=s)\s*" + _Y)
_WORD_DATE = re.compile(r"(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})" + _YEAR_SEP + _Y)
_DAY_MONTH = re.compile(r"(?:ngày\s+)?(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?![\d/])(?!\s*/\s*\d)")
_DAY_MONTH_DASH = re.compile(r"ngày\s+(?P<d>\d{1,2})\s*-\s*(?P<m>\d{1,2})(?![\d/\-])")
_DAY_MONTH_WORD = re.compile(
    r"(?:ngày\s+)?(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?!\d)(?!" + _YEAR_SEP + r"(?:19|20)\d\d)"
)
_MONTH_YEAR = re.compile(r"(?:tháng|t)\s*(?P<m>\d{1,2})" + _YEAR_SEP + _Y)
_MONTH = re.compile(r"tháng\s+(?P<m>\d{1,2})(?!\d)(?!" + _YEAR_SEP + r"(?:19|20)\d\d)")
_QUARTER = re.compile(r"quý\s+(?P<q>iv|i{1,3}|[1-4])(?![\w])(?:" + _YEAR_SEP + _Y + ")?")
_YEAR = re.compile(r"năm\s+" + _Y)
_BARE_YEAR = re.compile(r"(?P<y>(?:19|20)\d\d)(?![\d/])")
_BARE_MONTH_YEAR = re.compile(r"(?P<m>\d{1,2})\s*[/.\-]\s*" + _Y)
# a day alone opens a day range whose other end gives month and year: "19 - 23/1/2026", "ngày 19 đến 25-1-2026"
_DAY = re.compile(r"(?:ngày\s+)?(?P<d>\d{1,2})(?=\s*(?:[-–]|đến|tới)\s*(?:ngày\s+)?\d{1,2}\s*[/.\-]\s*\d)")
_SPACE = re.compile(r"\s*")
_DASH = re.compile(r"\s*[-–—]\s*")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR_IN_TITLE = re.compile(r"năm\s+((?:19|20)\d\d)(?!\d)")


@lru_cache(maxsize=16)
def comparison_form(text: str) -> str:
    """``text`` folded for matching (lower case, one tone placement), same length so offsets carry over."""
    folded = fold(text)
    return folded if len(folded) == len(text) else text.lower()


@dataclass(frozen=True)
class Bound:
    """One end of a period: its date (None when open or unknown), how precise, and where it was written.

    ``named`` is the date the words name before "trước"/"sau" shift it (the 30/11 of "trước ngày 30/11").
    ``event`` is the event the boundary is tied to, as written; ``relation`` how it is tied (before, after,
    during, end, start, at) or the modifier put on a date.
    """

    date: date | None
    grain: str
    inferred: bool
    text: str
    start: int
    end: int
    event: str = ""
    relation: str = ""
    named: date | None = None

    @property
    def iso(self) -> str:
        return self.date.isoformat() if self.date else ""


@dataclass(frozen=True)
class TimeRange:
    """A temporal expression: a period from ``start`` to ``end`` (either may be None: open).

    ``kind`` says what was written: range ("từ A đến B"), from ("từ A", "A và các năm tiếp theo"), until
    ("đến B", "trước B"), single (one date, month, quarter or year: both ends from it) or event (a period
    relative to an event: "sau Đại hội XIII", "trước và trong ngày bầu cử").
    """

    start: Bound | None
    end: Bound | None
    text: str
    char_start: int
    char_end: int
    kind: str

    @property
    def dated_sides(self) -> int:
        return sum(1 for b in (self.start, self.end) if b is not None and b.date is not None)

    @property
    def events(self) -> list[str]:
        return [b.event for b in (self.start, self.end) if b is not None and b.event]


@dataclass(frozen=True)
class Context:
    """What a boundary needs from outside its words: the plan's issue date, the year for a day or month
    written without one, and the calendar of known events."""

    issue_date: date | None = None
    year: int | None = None
    calendar: EventCalendar | None = None

    @classmethod
    def of_plan(cls, meta: DocumentRecord) -> Context:
        """The context of a whole plan, which its phases and deadlines are read in: its issue date, and for
        the year the issue date's, else a year the title names ("Kế hoạch ... năm 2026"), since a plan
        without a readable date still dates "tháng 3" by the year it is for."""
        issued = _iso_date(meta.issue_date)
        if issued is not None:
            return cls(issue_date=issued, year=issued.year)
        m = _YEAR_IN_TITLE.search(comparison_form(meta.title or ""))
        return cls(issue_date=None, year=int(m.group(1)) if m else None)


@dataclass
class _Atom:
    """A parsed value before it is resolved to a side: months m1..m2 and days d1..d2 (None: whole months)."""

    kind: str
    start: int
    end: int
    year: int | None = None
    m1: int | None = None
    m2: int | None = None
    d1: int | None = None
    d2: int | None = None
    grain: str = ""
    relation: str = ""
    event: str = ""
    found: Event | None = None
    year_inferred: bool = False


class TemporalGrammar:
    """Finds and reads temporal expressions; one instance holds the compiled word lists."""

    def __init__(self, rules: TemporalRules | None = None, calendar: EventCalendar | None = None) -> None:
        self.rules = rules or TemporalRules.default()
        self.calendar = calendar if calendar is not None else EventCalendar.default()
        r = self.rules
        self._start_cue = word_pattern(r.range_start_cues)
        self._end_cue = word_pattern(r.range_end_cues)
        self._modifier = word_pattern(r.bound_modifiers)
        self._now = word_pattern(r.now_words)
        self._issue = word_pattern(r.issue_anchors)
        self._relation = word_pattern(r.event_relations)
        self._period = word_pattern(r.event_periods)
        self._head = word_pattern(r.event_heads)
        self._continuer = word_pattern(r.event_list_continuers)
        self._event_stop = re.compile(r"\s" + alternation(r.event_stop_words) + r"(?!\w)")
        self._suffix = re.compile(r"\s*,?\s*" + alternation(r.open_end_suffixes) + r"(?!\w)")
        self._half = re.compile(
            r"(?P<h>" + alternation(r.half_years) + r")(?!\w)"
            r"(?:\s+" + _Y + ")?"
        )
        self._year_part = re.compile(r"(?P<part>" + alternation(r.year_parts) + r")\s+năm(?!\w)(?:\s+" + _Y + ")?")
        self._month_part = re.compile(
            r"(?P<part>"
            + alternation(r.month_parts)
            + r")\s+tháng\s+(?P<m>\d{1,2})(?!\d)(?:"
            + _YEAR_SEP
            + _Y
            + ")?"
        )
        self._term_before = re.compile(alternation(r.term_words) + r"\s*$")
        end_words = tuple(c for c in r.range_end_cues if c[:1].isalpha())
        self._event_stop_start = re.compile(r"\s" + alternation(end_words) + r"\s")
        # (_event_stop and _event_stop_start are the stop words as the readable, character by character
        # form of _event_end tests them; test_temporal checks _event_stops against that form.)
        # Where an event's name may end, for _event_end to jump to instead of reading each character: a
        # stop character, a dot or comma (which _event_end checks), a space that opens a stop word; on
        # the start side also a space that opens the range's end cue. The spaces are literal, as the
        # character loop these replace tested the stop words only at a " ".
        stop_chars = r"[\n;:()\[\].,]"
        stop_word = r" " + alternation(r.event_stop_words) + r"(?!\w)"
        self._event_stops = {
            "end": re.compile(stop_chars + "|" + stop_word),
            "start": re.compile(stop_chars + "|" + r" " + alternation(end_words) + r"\s|" + stop_word),
        }
        self._value_gate = self._value_start()
        self._gate = self._start_gate()

    def _start_gate(self) -> re.Pattern[str]:
        """The word starts where :meth:`_Parser.at` may find an expression: where a cue, a period word, an
        anchor, a modifier, an event relation or head, or a date value begins.

        ``find_all`` tries the parser at each word start, and in a plan's prose nine words in ten begin
        nothing temporal; trying the fourteen patterns of ``at`` on each was most of the phases table's cost.
        The gate lists what every path of ``at`` must match at its first position (a value's first word or
        digit), so a word start it rejects is one where ``at`` finds nothing: skipping it changes no result.
        A new way for ``at`` to begin must be added here (``test_temporal`` checks the gate against an
        ungated search over the bundled plans).
        """
        firsts = [
            rx.pattern
            for rx in (
                self._start_cue,
                self._period,
                self._end_cue,
                self._issue,
                self._now,
                self._modifier,
                self._relation,
                self._head,
            )
        ]
        firsts.append(self._value_gate.pattern)
        return re.compile(r"(?<!\w)(?=\w)(?:" + "|".join(firsts) + ")")

    def _value_start(self) -> re.Pattern[str]:
        """What every value pattern of :meth:`_Parser._value` must match at its first position: most places
        a boundary is looked for (after "trước", at "Đại hội") hold no date value, and one test there
        replaces the fourteen. A new value pattern must add its first word or character here."""
        r = self.rules
        firsts = [alternation(r.month_parts), alternation(r.half_years), alternation(r.year_parts)]
        # the first word or character of each value pattern above (_NUM_DATE ... _DAY)
        firsts += [r"\d", "ngày", "tháng", r"t\s*\d", "quý", "năm"]
        return re.compile("|".join(firsts))

    # -- public ------------------------------------------------------------------------------------------

    def parse(self, text: str, ctx: Context | None = None) -> TimeRange | None:
        """The temporal expression that opens ``text`` (after blanks), or None."""
        ctx = self._ctx(ctx)
        low = comparison_form(text)
        p = len(text) - len(text.lstrip())
        return _Parser(self, text, low, ctx, len(text)).at(p)

    def find_all(
        self, text: str, ctx: Context | None = None, lo: int = 0, hi: int | None = None
    ) -> list[TimeRange]:
        """Every temporal expression in ``text[lo:hi]``, left to right, without overlaps; offsets are
        into ``text``."""
        return list(self.iter_all(text, ctx, lo, hi))

    def iter_all(
        self, text: str, ctx: Context | None = None, lo: int = 0, hi: int | None = None
    ) -> Iterator[TimeRange]:
        """:meth:`find_all` one expression at a time: a caller that stops at the first it can use (a phase
        wants the period that opens its line) does not pay for reading the rest of the span."""
        ctx = self._ctx(ctx)
        hi = len(text) if hi is None else hi
        low = comparison_form(text)
        parser = _Parser(self, text, low, ctx, hi)
        p = lo
        while p < hi:
            m = self._gate.search(low, p, hi)  # the next word start where an expression may begin
            if not m:
                break
            p = m.start()
            found = parser.at(p)
            if found is not None and found.char_end > p:
                yield found
                p = found.char_end
            else:
                p += 1
                while p < hi and low[p].isalnum():
                    p += 1

    def opening(
        self, text: str, ctx: Context | None = None, lo: int = 0, hi: int | None = None
    ) -> TimeRange | None:
        """The first expression of :meth:`find_all` when it begins at ``lo``, else None: the parser is tried
        at ``lo`` alone, where the scan of the whole span would try it first."""
        hi = len(text) if hi is None else hi
        if lo >= hi:
            return None
        low = comparison_form(text)
        if not self._gate.match(low, lo, hi):
            return None
        found = _Parser(self, text, low, self._ctx(ctx), hi).at(lo)
        return found if found is not None and found.char_end > lo else None

    def find_event(self, text: str, lo: int = 0, hi: int | None = None) -> Bound | None:
        """The first event named in ``text[lo:hi]`` ("Tuyên truyền Đại hội XIV của Đảng"), as an undated
        boundary: a phase about an event is tied to it without saying when in it."""
        hi = len(text) if hi is None else hi
        low = comparison_form(text)
        parser = _Parser(self, text, low, self._ctx(None), hi)
        for m in self._head.finditer(low, lo, hi):
            if m.start() > 0 and low[m.start() - 1].isalnum():
                continue
            atom = parser._event_bound(m.start(), "end", "")
            if atom is not None:
                return Bound(None, "", False, text[atom.start : atom.end], atom.start, atom.end, event=atom.event)
        return None

    def _ctx(self, ctx: Context | None) -> Context:
        ctx = ctx or Context()
        if ctx.calendar is None:
            ctx = replace(ctx, calendar=self.calendar)
        return ctx


class _Parser:
    """One text being read: the original (for spans and event names) and its comparison form."""

    def __init__(self, grammar: TemporalGrammar, text: str, low: str, ctx: Context, hi: int) -> None:
        self.g = grammar
        self.r = grammar.rules
        self.text = text
        self.low = low
        self.ctx = ctx
        self.hi = hi

    # -- the expression ----------------------------------------------------------------------------------

    def at(self, p: int) -> TimeRange | None:
        low = self.low
        m = self.g._start_cue.match(low, p, self.hi)
        if m:
            found = self._range_from(p, self._skip(m.end()))
            if found is not None:
                return found
        m = self.g._period.match(low, p, self.hi)
        if m:
            found = self._event_period(p, self._skip(m.end()), self.r.event_periods[m.group(0)])
            if found is not None:
                return found
        m = self.g._end_cue.match(low, p, self.hi)
        if m and self.r.range_end_cues.get(m.group(0)) == "" and m.group(0)[:1].isalpha():
            b = self._bound(self._skip(m.end()), "end", "", allow_bare=True)
            if b is not None and (b.kind != "event" or b.relation):
                return self._make(None, b, p, b.end, "until")
        return self._atom_first(p)

    def _range_from(self, p: int, q: int) -> TimeRange | None:
        """After a start cue: "từ A đến B", "từ A - B", or "từ A" alone."""
        a = self._bound(q, "start", "", allow_bare=True)
        if a is None:
            return None
        b, end = self._range_end(a.end, month_partner=a.kind == "month")
        if b is not None:
            return self._make(a, b, p, end, "range")
        end = self._suffix_end(a.end)
        return self._make(a, None, p, end, "from")

    def _range_end(self, q: int, month_partner: bool = False) -> tuple[_Atom | None, int]:
        """The end bound after a connective at ``q`` ("đến B", "- B"), or (None, q)."""
        low = self.low
        s = self._skip(q)
        m = self.g._end_cue.match(low, s, self.hi)
        if m:
            relation = self.r.range_end_cues[m.group(0)]
            b = self._bound(self._skip(m.end()), "end", relation, allow_bare=True)
            if b is None and month_partner:
                b = self._bare_month(self._skip(m.end()))
            if b is not None:
                b.relation = b.relation or relation
                return b, b.end
        m = _DASH.match(low, q, self.hi)
        if m:
            b = self._bound(m.end(), "end", "", allow_bare=True)
            if b is None and month_partner:
                b = self._bare_month(m.end())
            if b is not None and b.kind != "event":
                return b, b.end
        return None, q

    def _bare_month(self, p: int) -> _Atom | None:
        """The end of a month range written once: the "4/2025" of "tháng 3 - 4/2025"."""
        m = _BARE_MONTH_YEAR.match(self.low, p, self.hi)
        if m and 1 <= int(m["m"]) <= 12:
            mo = int(m["m"])
            return _Atom("month", p, m.end(), int(m["y"]), mo, mo, grain=MONTH)
        return None

    def _atom_first(self, p: int) -> TimeRange | None:
        """A date value (or an event with its relation) that is not introduced by a cue."""
        before = self.low[max(0, p - 20) : p]
        if self.g._term_before.search(before):
            return None  # "nhiệm kỳ 2021 - 2026", "khóa XV": a term of office, not a period of the plan
        a = self._bound(p, "start", "", allow_bare=True)
        if a is None:
            return None
        if a.kind == "event":
            if a.relation not in ("before", "after", "during"):
                return None
            b, end = self._range_end(a.end)
            if b is not None and a.relation == "after":
                return self._make(a, b, p, end, "range")
            return self._event_range(a, p)
        b, end = self._range_end(a.end, month_partner=a.kind == "month")
        if b is not None:
            return self._make(a, b, p, end, "range")
        if a.kind == "year_bare" or a.kind == "day":
            return None  # a bare "2025" or "19" is a date only inside a range
        if a.relation in ("before", "end"):
            return self._make(None, a, p, a.end, "until")
        if a.relation == "after":
            return self._make(a, None, p, a.end, "from")
        end = self._suffix_end(a.end)
        if end > a.end:
            return self._make(a, None, p, end, "from")
        return self._make(a, a, p, a.end, "single")

    def _suffix_end(self, q: int) -> int:
        m = self.g._suffix.match(self.low, q, self.hi)
        return m.end() if m else q

    # -- bounds ------------------------------------------------------------------------------------------

    def _bound(self, p: int, side: str, relation: str, allow_bare: bool = False) -> _Atom | None:
        """One boundary at ``p``: [modifier] value, the plan's issue date, or [relation] event."""
        low = self.low
        if p >= self.hi:
            return None
        m = self.g._issue.match(low, p, self.hi)
        if m:
            return _Atom("issue", p, m.end(), relation=relation, event=self.text[p : m.end()])
        m = self.g._now.match(low, p, self.hi)
        if m:
            return _Atom("now", p, m.end(), relation=relation)
        atom = self._value(p, allow_bare)
        if atom is not None:
            atom.relation = relation
            return atom
        m = self.g._modifier.match(low, p, self.hi)
        if m:
            q = self._skip(m.end())
            issue = self.g._issue.match(low, q, self.hi)
            if issue:
                return _Atom("issue", p, issue.end(), relation=relation, event=self.text[q : issue.end()])
            atom = self._value(q, allow_bare)
            if atom is not None:
                atom.start = p
                atom.relation = self.r.bound_modifiers[m.group(0)] or relation
                return atom
        return self._event_bound(p, side, relation)

    def _value(self, p: int, allow_bare: bool) -> _Atom | None:
        """The longest date value at ``p``."""
        low, hi = self.low, self.hi
        if not self.g._value_gate.match(low, p, hi):
            return None
        best: _Atom | None = None

        def take(atom: _Atom) -> None:
            nonlocal best
            if best is None or atom.end > best.end:
                best = atom

        for rx in (_NUM_DATE, _WORD_DATE):
            m = rx.match(low, p, hi)
            if m and _valid(int(m["y"]), int(m["m"]), int(m["d"])):
                d, mo = int(m["d"]), int(m["m"])
                take(_Atom("date", p, m.end(), int(m["y"]), mo, mo, d, d, DAY))
        for rx in (_DAY_MONTH, _DAY_MONTH_DASH, _DAY_MONTH_WORD):
            m = rx.match(low, p, hi)
            if m and _valid(2000, int(m["m"]), int(m["d"])):
                d, mo = int(m["d"]), int(m["m"])
                take(_Atom("date", p, m.end(), None, mo, mo, d, d, DAY))
        m = _MONTH_YEAR.match(low, p, hi)
        if m and 1 <= int(m["m"]) <= 12:
            mo = int(m["m"])
            take(_Atom("month", p, m.end(), int(m["y"]), mo, mo, grain=MONTH))
        m = _MONTH.match(low, p, hi)
        if m and 1 <= int(m["m"]) <= 12:
            mo = int(m["m"])
            take(_Atom("month", p, m.end(), None, mo, mo, grain=MONTH))
        m = self.g._month_part.match(low, p, hi)
        if m and 1 <= int(m["m"]) <= 12:
            d1, d2 = self.r.month_parts[m["part"]]
            mo = int(m["m"])
            y = int(m["y"]) if m["y"] else None
            take(_Atom("month", p, m.end(), y, mo, mo, d1, d2, DAY))
        m = _QUARTER.match(low, p, hi)
        if m:
            q = _QUARTERS[m["q"]]
            take(_Atom("quarter", p, m.end(), int(m["y"]) if m["y"] else None, 3 * q - 2, 3 * q, grain=QUARTER))
        m = self.g._half.match(low, p, hi)
        if m:
            m1, m2 = self.r.half_years[m["h"]]
            take(_Atom("half", p, m.end(), int(m["y"]) if m["y"] else None, m1, m2, grain=MONTH))
        m = self.g._year_part.match(low, p, hi)
        if m:
            m1, m2 = self.r.year_parts[m["part"]]
            take(_Atom("year_part", p, m.end(), int(m["y"]) if m["y"] else None, m1, m2, grain=QUARTER))
        m = _YEAR.match(low, p, hi)
        if m:
            take(_Atom("year", p, m.end(), int(m["y"]), 1, 12, grain=YEAR))
        if best is None and allow_bare:
            m = _BARE_YEAR.match(low, p, hi)
            if m and (p == 0 or not low[p - 1].isalnum()):
                take(_Atom("year_bare", p, m.end(), int(m["y"]), 1, 12, grain=YEAR))
            m = _DAY.match(low, p, hi)
            if m and 1 <= int(m["d"]) <= 31:
                d = int(m["d"])
                take(_Atom("day", p, m.end(), None, None, None, d, d, DAY))
        return best

    def _event_bound(self, p: int, side: str, relation: str) -> _Atom | None:
        """[relation] event name: "sau Đại hội XIII của Đảng", "khi hoàn thành đại hội chi, đảng bộ cơ sở"."""
        low = self.low
        rel = ""
        q = p
        m = self.g._relation.match(low, p, self.hi)
        if m:
            rel = self.r.event_relations[m.group(0)]
            q = self._skip(m.end())
        require_head = not (m and "khi" in m.group(0))
        if require_head and not self.g._head.match(low, q, self.hi):
            return None
        if not require_head and q >= self.hi:
            return None
        end = self._event_end(q, side)
        if end <= q:
            return None
        name = self.text[q:end]
        atom = _Atom("event", p, end, relation=rel or relation, event=name)
        atom.found = self.ctx.calendar.match(name) if self.ctx.calendar else None
        return atom

    def _event_end(self, q: int, side: str) -> int:
        """Where an event's name ends: a clause stop, a parenthesis, the range's "đến" on the start side,
        or a comma that does not go on listing party bodies ("đại hội chi, đảng bộ cơ sở")."""
        low, hi = self.low, min(self.hi, q + 250)
        stops = self.g._event_stops.get(side, self.g._event_stops["end"])
        i = max(q, hi)  # no stop before the name's longest reach
        pos = q
        while pos < hi:
            m = stops.search(low, pos, self.hi)
            if m is None or m.start() >= hi:
                break
            at = m.start()
            ch = low[at]
            if ch == "." and not (at + 1 >= hi or low[at + 1] in " \n"):
                pos = at + 1  # a dot inside a word or a number ("v.v", "1.5") ends nothing
                continue
            if ch == "," and self.g._continuer.match(low, self._skip(at + 1), self.hi):
                pos = at + 1  # the comma goes on listing bodies of the event
                continue
            i = at
            break
        while i > q and low[i - 1] in " ,-–":
            i -= 1
        return i

    # -- resolution --------------------------------------------------------------------------------------

    def _event_period(self, p: int, q: int, rules: tuple[str, str]) -> TimeRange | None:
        ev = self._event_bound(q, "start", "")
        if ev is None or ev.relation:
            return None
        ev.start = p
        return self._event_range(ev, p, rules)

    def _event_range(self, ev: _Atom, p: int, rules: tuple[str, str] | None = None) -> TimeRange:
        """A period relative to one event: "sau Đại hội XIII" → (day after its close, open)."""
        if rules is None:
            rules = {
                "before": ("open", "before_first"),
                "after": ("after_last", "open"),
                "during": ("first", "last"),
                "end": ("last", "last"),
                "start": ("first", "first"),
                "at": ("first", "last"),
            }.get(ev.relation, ("first", "last"))
        text = self.text[ev.start : ev.end]
        # In a period relative to the event ("trước khai mạc Đại hội X") an open side is not tied to the
        # event at all, so it is None; in a range ("đến sau Đại hội XIV") an open side stays tied to it.
        both_open = rules == ("open", "open")  # "trước, trong và sau Đại hội": tied to it, no date at all
        start = None if rules[0] == "open" and not both_open else self._event_side(ev, rules[0], text)
        end = None if rules[1] == "open" and not both_open else self._event_side(ev, rules[1], text)
        return TimeRange(start, end, self.text[p : ev.end], p, ev.end, "event")

    def _event_side(self, ev: _Atom, rule: str, text: str) -> Bound:
        """The boundary an event gives under ``rule`` (first, last, before_first, after_last; open: none)."""
        found = ev.found
        value: date | None = None
        if found is not None:
            value = {
                "first": found.start,
                "last": found.end,
                "before_first": found.start - timedelta(days=1),
                "after_last": found.end + timedelta(days=1),
            }.get(rule)
        return Bound(
            value,
            DAY if value else "",
            value is not None,
            text,
            ev.start,
            ev.end,
            event=ev.event,
            relation=ev.relation,
            named=value,
        )

    def _make(self, a: _Atom | None, b: _Atom | None, p: int, end: int, kind: str) -> TimeRange:
        """Resolve two atoms against each other and the context, then against their sides."""
        if a is not None and b is not None and a is not b:
            _share(a, b)
        start = self._resolve(a, "start") if a is not None else None
        stop = self._resolve(b, "end") if b is not None else None
        return TimeRange(start, stop, self.text[p:end], p, end, kind)

    def _resolve(self, atom: _Atom, side: str) -> Bound:
        text = self.text[atom.start : atom.end]
        if atom.kind in ("now", "issue"):
            value = self.ctx.issue_date
            shifted = _shift(value, atom.relation) if value else None
            return Bound(
                shifted,
                DAY if value else "",
                value is not None,
                text,
                atom.start,
                atom.end,
                event=atom.event,
                named=value,
            )
        if atom.kind == "event":
            rule = _event_rule(atom.relation, side)
            return self._event_side(atom, rule, text)
        year, inferred = atom.year, atom.year_inferred
        if year is None and self.ctx.year is not None:
            year, inferred = self.ctx.year, True
        if year is None or atom.m1 is None or atom.m2 is None:
            return Bound(None, atom.grain, False, text, atom.start, atom.end, relation=atom.relation)
        first = _first_day(year, atom.m1, atom.d1)
        last = _last_day(year, atom.m2, atom.d2)
        rel = atom.relation
        if rel == "before":
            named, value = first, first - timedelta(days=1)
        elif rel == "after":
            named, value = last, last + timedelta(days=1)
        elif rel == "end":
            named = value = last
        else:
            named = value = first if side == "start" else last
        return Bound(value, atom.grain, inferred, text, atom.start, atom.end, relation=rel, named=named)

    def _skip(self, q: int) -> int:
        m = _SPACE.match(self.low, q, self.hi)
        return m.end() if m else q


def _event_rule(relation: str, side: str) -> str:
    """Which day of an event a boundary on ``side`` takes: "từ sau X" → the day after X closes."""
    if side == "start":
        return {"before": "open", "after": "after_last", "end": "last"}.get(relation, "first")
    return {"before": "before_first", "after": "open", "start": "first"}.get(relation, "last")


def _share(a: _Atom, b: _Atom) -> None:
    """Complete the two ends of one range from each other: a day alone takes the other's month, a missing
    year the other's (a year earlier when the months run backwards: "từ tháng 11 đến tháng 2/2021")."""
    if a.kind == "day" and b.m1 is not None:
        a.m1 = a.m2 = b.m1
        a.grain = DAY
    if a.year is None and b.year is not None and a.m1 is not None and b.m1 is not None:
        a.year = b.year - 1 if (a.m1, a.d1 or 1) > (b.m1, b.d1 or 1) else b.year
    elif b.year is None and a.year is not None and b.m1 is not None and a.m1 is not None:
        b.year = a.year + 1 if (b.m1, b.d1 or 31) < (a.m1, a.d1 or 1) else a.year


def _shift(value: date, relation: str) -> date:
    if relation == "before":
        return value - timedelta(days=1)
    if relation == "after":
        return value + timedelta(days=1)
    return value


def _iso_date(value: str) -> date | None:
    """A record's ISO date ("2024-10-04", or a timestamp) as a date; ``None`` when empty or unreadable."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= _cal.monthrange(y, m)[1]


def _first_day(year: int, month: int, day: int | None) -> date:
    return date(year, month, min(day or 1, _cal.monthrange(year, month)[1]))


def _last_day(year: int, month: int, day: int | None) -> date:
    last = _cal.monthrange(year, month)[1]
    return date(year, month, min(day or last, last))
