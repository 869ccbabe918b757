"""Deadlines: the dates and recurrences a plan sets for its tasks outside its phases.

A plan's tasks carry their own timing in running text: "hoàn thành trước ngày 15/3/2026", "chậm nhất là
ngày 30/01/2026", "hoàn thành trong tháng 3/2026", "báo cáo kết quả ... hằng năm", "sau mỗi đợt". Each
clause that sets one becomes a row: its text and span, the date it names, the recurrence it states, and
the unit it concerns when the implementation section says which (the numbered item the clause sits
under). A boundary inside a range ("bắt đầu từ 01/01/2025 và hoàn thành trước 30/6/2025") belongs to a
period, not a task, and targets ("Hằng năm, giảm số người nghiện ...") in the purpose section are not tasks.

``date`` is the day the text names: the 30/11 of "trước ngày 30/11" (the words keep the "trước"), the
last day of a month or quarter given as the limit ("trong tháng 3/2026" → 2026-03-31).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

from pipeline.extractors.temporal import Context, TemporalGrammar, TimeRange, comparison_form
from pipeline.model import Deadline, DocumentRecord, Section
from pipeline.rules.gazetteer import fold
from pipeline.rules.language import LanguageRules
from pipeline.rules.phrases import trie_alternation, word_pattern
from pipeline.rules.temporal_rules import TemporalRules
from pipeline.segment import Segmented
from pipeline.segment.markers import parse_marker

_CLAUSE_STOP = re.compile(r"[.;](?=\s|$)|\n")
_MAX_CLAUSE = 400
#: How far after a deadline cue its date may start ("chậm nhất là" ... "ngày 30/01/2026").
_CUE_REACH = 12


class DeadlineExtractor:
    """Finds deadlines and recurrences with the temporal grammar and the cue lists of ``temporal.json``."""

    def __init__(
        self,
        grammar: TemporalGrammar | None = None,
        rules: TemporalRules | None = None,
        language: LanguageRules | None = None,
    ) -> None:
        self.grammar = grammar or TemporalGrammar()
        self.rules = rules or self.grammar.rules
        self.language = language or LanguageRules.default()
        self._cue = word_pattern(self.rules.deadline_cues)
        self._recurrence = word_pattern(self.rules.recurrences)
        self._action = word_pattern(self.rules.deadline_actions)
        self._closing = word_pattern(self.rules.closing_formulas)
        self._gate = _sentence_gate([*self.rules.deadline_cues, *self.rules.recurrences])
        self._organ = re.compile(
            r"(?:"
            + "|".join(re.escape(fold(w)) for w in sorted(self.language.organ_words, key=len, reverse=True))
            + r")(?!\w)"
        )

    def find(self, doc: Segmented, meta: DocumentRecord) -> list[Deadline]:
        ctx = Context.of_plan(meta)
        text = doc.text
        low = comparison_form(text)
        skip = _purpose_spans(doc.sections)
        lo = doc.offset_of_line(doc.layout.body_start)
        hi = doc.offset_of_line(doc.layout.closing_start)
        # A clause sets a deadline or a recurrence only if a cue or a recurrence begins in it, and in most
        # sentences of a plan none does: one scan of the body finds the sentences worth reading.
        near = [m.start() for m in self._gate.finditer(low, lo, hi)]
        if not near:
            return []
        out: list[Deadline] = []
        for start, end in _clauses(text, lo, hi, near):
            if any(a <= start < b for a, b in skip):
                continue
            found = self._deadline(doc, low, start, end, ctx)
            if found is not None:
                out.append(found)
        return out

    def _deadline(self, doc: Segmented, low: str, start: int, end: int, ctx: Context) -> Deadline | None:
        text = doc.text
        value = ""
        ranges: list[TimeRange] | None = None
        for m in self._cue.finditer(low, start, end):
            if m.start() > start and low[m.start() - 1].isalnum():
                continue
            if ranges is None:
                ranges = self.grammar.find_all(text, ctx, start, end)
            value = _date_after(ranges, m.start(), m.end())
            if value:
                break
        recurrence = ""
        for m in self._recurrence.finditer(low, start, end):
            if m.start() > start and low[m.start() - 1].isalnum():
                continue
            if self._action.search(low, start, end):
                recurrence = self.rules.recurrences[m.group(0)]
                break
        if not value and not recurrence:
            return None
        section = doc.section_at(start)
        return Deadline(
            text=text[start:end],
            date=value,
            recurrence=recurrence,
            unit=self._unit(doc, section, start),
            char_start=start,
            char_end=end,
            section_id=section.section_id if section else "",
        )

    def _unit(self, doc: Segmented, section: Section | None, at: int) -> str:
        """The unit a clause concerns: the nearest numbered item above it, in the implementation section,
        whose heading names an organization ("5. Liên đoàn lao động các huyện ..."), not a task that opens
        with a verb ("Báo cáo UBND tỉnh ..."). The closing paragraph ("Trên đây là Kế hoạch ...") speaks to
        every unit, so it names none."""
        line_start = doc.text.rfind("\n", 0, at) + 1
        if self._closing.match(comparison_form(doc.text[line_start : line_start + 40])):
            return ""
        by_id = {s.section_id: s for s in doc.sections}
        chain: list[Section] = []
        s = section
        while s is not None:
            chain.append(s)
            s = by_id.get(s.parent_id)
        if not chain or "implementation" not in chain[-1].category:
            return ""
        for s in chain:
            if s.marker == "bullet" or s.level == 1:
                continue
            heading = comparison_form(s.heading)
            if self._organ.match(heading) and not self._action.match(heading):
                return s.heading
        return ""


def _date_after(ranges: list[TimeRange], cue_start: int, cue_end: int) -> str:
    """The date a deadline cue sets: the point that starts at the cue or just after it. A cue inside a
    range ("bắt đầu từ 01/01/2025 và hoàn thành trước 30/6/2025") is the end of a period, not a deadline."""
    for rng in ranges:
        if rng.char_end <= cue_start:
            continue
        if rng.char_start > cue_end + _CUE_REACH:
            return ""
        if rng.kind in ("range", "from", "event"):
            return ""
        return _named(rng)
    return ""


def _named(rng: TimeRange) -> str:
    """The day a point names: "trước ngày 30/11" → 30/11; "trong tháng 3/2026" → its last day."""
    bound = rng.end or rng.start
    if bound is None:
        return ""
    value = bound.named or bound.date
    return value.isoformat() if value else ""


def _clauses(text: str, lo: int, hi: int, near: list[int] | None = None) -> list[tuple[int, int]]:
    """Sentences of ``text[lo:hi]`` (cut at ". ", ";" and line ends), without their list markers; a
    sentence longer than a clause is kept whole, since the date and the task may be far apart. With
    ``near`` (ascending offsets), only the sentences in which one of those offsets lies."""
    if near is None:
        raw = _sentences(text, lo, hi)
    else:
        # A line end always ends a sentence, so the sentences around an offset are found by reading its
        # line alone ("$" then matches at the line's end, where the line end itself stands as a blank).
        raw = []
        k = 0
        while k < len(near):
            at = near[k]
            line_start = max(lo, text.rfind("\n", lo, at) + 1)
            line_end = text.find("\n", at, hi)
            line_end = hi if line_end < 0 else line_end
            nxt = max(k + 1, bisect_left(near, line_end, k))  # the offsets on this line
            inline, k = near[k:nxt], nxt
            raw += [(a, b) for a, b in _sentences(text, line_start, line_end) if any(a <= x < b for x in inline)]
    cleaned = []
    for a, b in raw:
        while a < b and text[a] in " \t":
            a += 1
        marker = parse_marker(text[a:b]) if a < b else None
        if marker is not None and marker.kind in ("bullet", "alpha", "decimal"):
            a += marker.length
        while b > a and text[b - 1] in " \t":
            b -= 1
        if b > a:
            cleaned.append((a, min(b, a + _MAX_CLAUSE) if b - a > _MAX_CLAUSE * 2 else b))
    return cleaned


def _sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The spans between the sentence stops of ``text[lo:hi]``, as they are written."""
    out: list[tuple[int, int]] = []
    pos = lo
    for m in _CLAUSE_STOP.finditer(text, lo, hi):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, hi))
    return out


def _sentence_gate(phrases: list[str]) -> re.Pattern[str]:
    """A pattern that finds, in one scan of a plan, a position in every sentence where one of ``phrases``
    begins: each phrase as written (no word-end test, so it finds a superset of what the exact patterns
    find). A scan skips the text a match covers, so a phrase starting inside another's match is missed;
    that one lies in the same sentence, as long as no phrase holds a sentence stop, and a phrase that does
    is looked for at every position instead."""
    pattern = trie_alternation(phrases)
    if any(ch in p for p in phrases for ch in ".;\n"):
        pattern = "(?=" + pattern + ")"
    return re.compile(pattern)


def _purpose_spans(sections: list[Section]) -> list[tuple[int, int]]:
    """Where the plan states aims and targets (level-1 purpose sections), which set no task's deadline."""
    return [
        (s.char_start, s.char_end)
        for s in sections
        if s.level == 1 and "purpose" in s.category and not ({"implementation", "timeline"} & set(s.category))
    ]


@cache
def _default() -> DeadlineExtractor:
    return DeadlineExtractor()


def find(doc: Segmented, meta: DocumentRecord) -> list[Deadline]:
    """The deadlines and recurrences stated in ``doc``'s body, one row per clause, in document order."""
    return _default().find(doc, meta)
