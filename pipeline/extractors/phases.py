"""Phases: the periods into which a plan divides its work, with their date ranges.

Plans put their phases in a timeline section ("II. THỜI GIAN TUYÊN TRUYỀN"), inside a combined one
("II. THỜI GIAN, NỘI DUNG, HÌNH THỨC" → "1. Thời gian và nội dung" → "1.1. Trước và trong ngày bầu cử
..."), or under a content heading that names the schedule ("2. Nội dung tuyên truyền cụ thể gắn với thời
gian, tiến độ ..." → "2.1. Đợt 1: Từ nay đến ..."). What makes an item a phase is its own first line: a
numbered "Đợt N" / "Giai đoạn N", or a period (a range, a month, a year, a period relative to an event)
that opens it. Items under a phase that open with a period of their own ("2.2.1. Trước khai mạc Đại hội
...", "* Trong thời gian diễn ra Đại hội XIII ...") and a peak period written into the phase's line
("cao điểm là ...") are sub-phases, rows with ``parent_phase``. A plan that divides nothing but states its
own period ("Thời gian thực hiện Kế hoạch: Từ khi ban hành đến hết năm 2030") gets that one row. A period
named only in the title is not a phase, nor is a single task's deadline (see :mod:`deadlines`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from pipeline.extractors.temporal import Context, TemporalGrammar, TimeRange, comparison_form
from pipeline.model import DocumentRecord, Phase, Section
from pipeline.rules.gazetteer import fold
from pipeline.rules.phrases import alternation
from pipeline.rules.temporal_rules import TemporalRules
from pipeline.segment import Segmented
from pipeline.segment.markers import parse_marker

#: How many words may stand before a phase's period in its line ("Tuyên truyền sau Đại hội XIII").
_MAX_LEAD_WORDS = 4


@dataclass
class _Line:
    """The first line of a section without its marker: where it is and what it says."""

    start: int  # after the marker
    end: int
    content_start: int  # the marker's start


class PhaseExtractor:
    """Finds a segmented plan's phases with the temporal grammar and the word lists of ``temporal.json``."""

    def __init__(self, grammar: TemporalGrammar | None = None, rules: TemporalRules | None = None) -> None:
        self.grammar = grammar or TemporalGrammar()
        self.rules = rules or self.grammar.rules
        words = alternation(self.rules.phase_label_words)
        self._label = re.compile(r"(?P<label>" + words + r"\s+(?:\d{1,2}|[ivxl]{1,4}))(?![\w/])")
        self._label_word = re.compile(words)
        # The letters a label can open with, without diacritics: most items open with another letter, and
        # one look at their first character spares folding their line to try the label pattern.
        self._label_initials = frozenset(fold(w, strip_diacritics=True)[:1] for w in self.rules.phase_label_words)
        self._timeline = re.compile(r"(?<!\w)" + alternation(self.rules.timeline_words) + r"(?!\w)")
        self._peak = re.compile(r"(?<!\w)" + alternation(self.rules.peak_cues) + r"(?!\w)")
        cue, objects = alternation(self.rules.self_period_cues), alternation(self.rules.self_period_objects)
        self._self_period = re.compile(r"(?<!\w)(?P<cue>" + cue + r"(?:\s+" + objects + r")?)(?!\w)")

    def find(self, doc: Segmented, meta: DocumentRecord) -> list[Phase]:
        ctx = Context.of_plan(meta)
        body = [s for s in doc.sections if not s.section_id.startswith("PL")]
        children: dict[str, list[Section]] = {}
        for s in body:
            children.setdefault(s.parent_id, []).append(s)
        phases: list[Phase] = []
        taken: set[str] = set()  # phases and everything under them: an item inside a phase is never top-level
        year = ctx.year
        by_id = {s.section_id: s for s in body}
        for s in body:
            if s.section_id in taken or not self._is_phase(doc, s, by_id):
                continue
            number = len([p for p in phases if not p.parent_phase]) + 1
            phase, rng = self._phase(doc, s, replace(ctx, year=year), str(number))
            phases.append(phase)
            taken.update(_subtree(s, children))
            year = _last_year(rng, year)
            sub_ctx = replace(ctx, year=_first_year(rng, year))
            subs = self._peak_phase(doc, s, sub_ctx, rng)
            subs += self._sub_phases(doc, s, children, sub_ctx)
            for k, sub in enumerate(subs, start=1):
                sub.phase_no = k
                sub.parent_phase = str(number)
            phases.extend(subs)
        if not phases:
            own = self._own_period(doc, body, ctx)
            if own is not None:
                phases.append(own)
        return phases

    # -- what is a phase ---------------------------------------------------------------------------------

    def _is_phase(self, doc: Segmented, s: Section, by_id: dict[str, Section]) -> bool:
        """A numbered "Đợt N", or an item that opens with a period under a heading about time."""
        line = None
        if s.marker != "bullet":  # a bullet has no number, so its line is not read for a label
            line = _first_line(doc, s)
            text = doc.text
            if self._may_label(text, line) and self._label.match(comparison_form(text[line.start : line.end])):
                return True
        if not self._in_timeline(s, by_id):
            return False
        return self._leading_period(doc, s, line or _first_line(doc, s)) is not None

    def _may_label(self, text: str, line: _Line) -> bool:
        """Whether the line may open with a phase label: its first letter, without diacritics, is one a
        label opens with (folding keeps each letter's base, so no label is missed)."""
        return line.start < line.end and fold(text[line.start], strip_diacritics=True) in self._label_initials

    def _in_timeline(self, s: Section, by_id: dict[str, Section]) -> bool:
        """Whether ``s`` sits directly under a heading about time (a level-1 timeline section, or a
        sub-heading with "thời gian", "tiến độ", "lộ trình" ...)."""
        parent = by_id.get(s.parent_id)
        if parent is None:
            return False
        if parent.level == 1 and "timeline" in parent.category:
            return True
        return bool(self._timeline.search(comparison_form(parent.heading)))

    def _leading_period(
        self, doc: Segmented, s: Section, line: _Line, ctx: Context | None = None
    ) -> TimeRange | None:
        """The period that opens the line (after at most a few words of a numbered item), or one given in
        parentheses after its heading; a single day or a bare deadline is not a period."""
        text = doc.text
        for rng in self.grammar.iter_all(text, ctx or Context(), line.start, line.end):
            lead = text[line.start : rng.char_start]
            words = len(lead.split())
            named = self._label_word.fullmatch(comparison_form(lead).strip())  # "Giai đoạn 2021 - 2025"
            opens = (
                words == 0
                or named is not None
                or (s.marker != "bullet" and words <= _MAX_LEAD_WORDS and not lead.rstrip().endswith(":"))
            )
            in_parens = lead.rstrip().endswith("(")
            if (opens or in_parens) and _is_period(rng):
                return rng
            if not in_parens and words > _MAX_LEAD_WORDS:
                break
        return None

    # -- building rows -----------------------------------------------------------------------------------

    def _phase(self, doc: Segmented, s: Section, ctx: Context, number: str) -> tuple[Phase, TimeRange | None]:
        line = _first_line(doc, s)
        text = doc.text
        low = comparison_form(text[line.start : line.end])
        label_m = self._label.match(low) if s.marker != "bullet" else None
        label = (
            text[line.start + label_m.start() : line.start + label_m.end()] if label_m else _label_of(s, doc, line)
        )
        ranges = [r for r in self.grammar.find_all(text, ctx, line.start, line.end) if _is_period(r)]
        peak_at = self._peak_start(text, line)
        own = [r for r in ranges if peak_at is None or r.char_start < peak_at]
        rng = _best(own)
        if rng is None or rng.dated_sides == 0:
            # "Trong thời gian diễn ra Đại hội XVI (Cao điểm từ tháng 8 đến sau Đại hội XVI)": when the
            # phase's own words give no date, the peak written into its line dates it.
            peak = _best([r for r in ranges if r not in own])
            if peak is not None and (rng is None or peak.dated_sides > 0):
                rng = peak
        phase = Phase(
            phase_no=int(number),
            label=label,
            char_start=line.content_start,
            char_end=max(
                line.end if rng is None else rng.char_end, line.start + (label_m.end() if label_m else 0)
            ),
            section_id=s.section_id,
        )
        if rng is not None:
            _fill(phase, rng)
        else:
            event = self.grammar.find_event(text, line.start, line.end)
            if event is not None:
                phase.start_event = event.event
                phase.start_text = event.text
                phase.char_end = max(phase.char_end, event.end)
        return phase, rng

    def _peak_start(self, text: str, line: _Line) -> int | None:
        m = self._peak.search(comparison_form(text[line.start : line.end]))
        return line.start + m.start() if m else None

    def _peak_phase(self, doc: Segmented, s: Section, ctx: Context, chosen: TimeRange | None) -> list[Phase]:
        """The peak period ("cao điểm là thời gian ... (bắt đầu từ 01/01/2025 và hoàn thành trước 30/6/2025)")
        written into a phase's line, when it is not the period the phase itself took."""
        line = _first_line(doc, s)
        at = self._peak_start(doc.text, line)
        if at is None:
            return []
        ranges = [r for r in self.grammar.find_all(doc.text, ctx, at, line.end) if _is_period(r)]
        if not ranges:
            return []
        rng = _best(ranges)
        if rng is None or (chosen is not None and rng.char_start == chosen.char_start):
            return []
        phase = Phase(
            label=doc.text[at : self._word_end(doc.text, at)],
            char_start=at,
            char_end=rng.char_end,
            section_id=s.section_id,
        )
        _fill(phase, rng)
        return [phase]

    def _word_end(self, text: str, at: int) -> int:
        m = self._peak.match(comparison_form(text[at : at + 40]))
        return at + (m.end() if m else 0)

    def _sub_phases(
        self,
        doc: Segmented,
        s: Section,
        children: dict[str, list[Section]],
        ctx: Context,
    ) -> list[Phase]:
        """Items under a phase that open with a period of their own (before, during, after a congress)."""
        out: list[Phase] = []
        stack = list(reversed(children.get(s.section_id, [])))
        while stack:
            c = stack.pop()
            line = _first_line(doc, c)
            peak = self._peak.match(comparison_form(doc.text[line.start : line.end]))
            if peak is not None:  # "- Cao điểm: từ ngày 15/5 đến 30/6/2025"
                rng = self._first_period(doc.text, ctx, line.start + peak.end(), line.end)
                label = doc.text[line.start : line.start + peak.end()]
            else:
                # The item's own period must open its line: of what _leading_period would find, only a
                # period starting at the line's start counts, so the parser is tried there alone.
                rng = self.grammar.opening(doc.text, ctx, line.start, line.end)
                if rng is not None and not _is_period(rng):
                    rng = None
                if rng is not None:
                    label = _label_of(c, doc, line, rng)
            if rng is not None:
                phase = Phase(
                    label=label, char_start=line.content_start, char_end=rng.char_end, section_id=c.section_id
                )
                _fill(phase, rng)
                out.append(phase)
                continue
            stack.extend(reversed(children.get(c.section_id, [])))
        return out

    def _own_period(self, doc: Segmented, body: list[Section], ctx: Context) -> Phase | None:
        """The plan's own implementation period: "Thời gian thực hiện: từ ... đến ...", or the period that
        opens a level-1 timeline section that has no phases of its own."""
        lay = doc.layout
        text = doc.text
        lines = [ln for ln in doc.lines[lay.body_start : lay.closing_start] if ln.stripped]
        for i, ln in enumerate(lines):
            low = comparison_form(ln.text)
            m = self._self_period.search(low)
            if not m:
                continue
            lead = low[: m.start()]
            marker = parse_marker(ln.stripped)
            lead_ok = not lead.strip() or (marker is not None and len(lead.strip()) <= marker.length + 1)
            if not lead_ok:
                continue
            hi = ln.end
            rng = self._first_period(text, ctx, ln.start + m.end(), hi)
            if rng is None and i + 1 < len(lines) and not text[ln.start + m.end() : ln.end].strip(" :.-–"):
                nxt = lines[i + 1]
                rng = self._first_period(text, ctx, nxt.start, nxt.end, leading=True)
            if rng is None:
                continue
            label_text = text[ln.start + m.start() : ln.start + m.end()]
            phase = Phase(
                phase_no=1,
                label=label_text,
                char_start=ln.start + m.start(),
                char_end=max(rng.char_end, ln.start + m.end()),
            )
            _fill(phase, rng)
            phase.section_id = _section_at(body, phase.char_start)
            return phase
        for s in body:
            if s.level == 1 and "timeline" in s.category:
                line = _first_line(doc, s)
                rng = self._first_period(text, ctx, line.start, line.end)
                nxt = next((ln for ln in doc.lines if ln.start > line.end and ln.stripped), None)
                if rng is None and nxt is not None and nxt.start < s.char_end:
                    rng = self._first_period(text, ctx, nxt.start, nxt.end, leading=True)
                if rng is not None:
                    phase = Phase(
                        phase_no=1,
                        label=s.heading,
                        char_start=s.heading_start,
                        char_end=rng.char_end,
                        section_id=s.section_id,
                    )
                    _fill(phase, rng)
                    return phase
        return None

    def _first_period(self, text: str, ctx: Context, lo: int, hi: int, leading: bool = False) -> TimeRange | None:
        for rng in self.grammar.iter_all(text, ctx, lo, hi):
            lead = text[lo : rng.char_start].strip(" -–+*•")
            if leading and lead and not (lead.endswith(":") and len(lead.split()) <= 6):
                return None  # the line after a heading must open with the period, or "Thời gian ...:" it
            if _is_period(rng) or rng.kind == "until":
                return rng
        return None


# -- helpers of this module --------------------------------------------------------------------------------


def _first_line(doc: Segmented, s: Section) -> _Line:
    text = doc.text
    end = text.find("\n", s.char_start)
    end = len(text) if end < 0 else end
    end = min(end, max(s.char_end, s.char_start))
    raw = text[s.char_start : end]
    marker = parse_marker(raw.strip())
    skip = marker.length if marker else 0
    start = s.char_start + skip
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return _Line(start=start, end=end, content_start=s.char_start)


def _label_of(s: Section, doc: Segmented, line: _Line, rng: TimeRange | None = None) -> str:
    """The label as numbered in the text ("1.1", "2"); a bullet, which has no number, is named by the words
    up to the end of its period ("Giai đoạn 2021 - 2025", "Trong thời gian diễn ra Đại hội XIII")."""
    if s.marker in ("decimal", "roman", "alpha"):
        return s.label
    if rng is not None:
        return doc.text[line.start : rng.char_end].strip(" .:;,")
    head = doc.text[line.start : line.end]
    return head.split(":")[0].strip()[:80]


def _best(ranges: list[TimeRange]) -> TimeRange | None:
    """The range that dates most of its ends; the first among equals."""
    if not ranges:
        return None
    return max(ranges, key=lambda r: (r.dated_sides, -ranges.index(r)))


def _subtree(s: Section, children: dict[str, list[Section]]) -> set[str]:
    out = {s.section_id}
    stack = list(children.get(s.section_id, []))
    while stack:
        c = stack.pop()
        out.add(c.section_id)
        stack.extend(children.get(c.section_id, []))
    return out


def _is_period(rng: TimeRange) -> bool:
    """A span of time, not a point: a range, an open range, a period relative to an event, or one month,
    quarter or year. "đến ..." alone counts only when tied to an event or a coarse value."""
    if rng.kind in ("range", "from", "event"):
        return True
    if rng.kind == "single":
        return rng.start is not None and rng.start.grain in ("month", "quarter", "year")
    return False


def _fill(phase: Phase, rng: TimeRange) -> None:
    for side, bound in (("start", rng.start), ("end", rng.end)):
        if bound is None:
            continue
        setattr(phase, f"{side}_date", bound.iso)
        setattr(phase, f"{side}_text", bound.text)
        setattr(phase, f"{side}_event", bound.event)
        setattr(phase, f"{side}_inferred", bool(bound.inferred and bound.date is not None))
        setattr(phase, f"{side}_grain", bound.grain if bound.date is not None else "")


def _first_year(rng: TimeRange | None, default: int | None) -> int | None:
    for b in (rng.start, rng.end) if rng else ():
        if b is not None and b.date is not None:
            return b.date.year
    return default


def _last_year(rng: TimeRange | None, default: int | None) -> int | None:
    for b in (rng.end, rng.start) if rng else ():
        if b is not None and b.date is not None:
            return b.date.year
    return default


def _section_at(body: list[Section], offset: int) -> str:
    best = ""
    for s in body:
        if s.char_start <= offset < max(s.char_end, s.char_start + 1):
            best = s.section_id
    return best


@cache
def _default() -> PhaseExtractor:
    return PhaseExtractor()


def find(doc: Segmented, meta: DocumentRecord) -> list[Phase]:
    """The phases of ``doc``: top-level phases numbered 1..n in document order, each followed by its
    sub-phases (numbered within their parent, ``parent_phase`` set)."""
    return _default().find(doc, meta)
