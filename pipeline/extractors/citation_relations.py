"""Where a plan states its basis: the preamble, its basis clauses, and the footnotes that extend them.

A plan names the documents it implements in its preamble, between the title and the first numbered
heading (Nghị định 30/2020/NĐ-CP: "căn cứ ban hành"; plans: "Thực hiện Kế hoạch số ..., Ban Thường vụ ...
ban hành Kế hoạch ..."). A clause that opens with a basis word ("Thực hiện", "Căn cứ", "Theo đề nghị")
governs every document it lists until the sentence ends, across ";" and across the bullet lines of a list
it announces with ":" — not across a paragraph that starts afresh ("Để tổ chức thực hiện ..., Sở ... có
Công văn số ... gửi lấy ý kiến" is narrative, not basis). The title counts too where it says
what the plan implements ("Kế hoạch triển khai thực hiện Chỉ thị số 05-CT/TW"). A copy without a
recognisable layout (a web page,
an OCR'd notice) gets the lead paragraphs that open with a basis word as its preamble.

Footnotes ("[1] Chỉ thị số 35-CT/TW ...", as the readers write them) belong where their mark stands: a
document in a footnote whose mark is in a basis clause is basis, too.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from pipeline.rules.citation_rules import CitationRules
from pipeline.rules.gazetteer import fold
from pipeline.segment import Segmented
from pipeline.segment.markers import UPPER

__all__ = ["BasisMap", "basis_map"]

_FOOTNOTE_BODY = re.compile(r"^\[(?P<label>\d{1,3}|[ivxl]{1,6})\]\s*")
#: :data:`_FOOTNOTE_BODY` at the start of any line of a whole text: one scan instead of a match per line. The
#: line start is tested after the bracket (not a newline or the text's start before it), so that ``re`` skips
#: from one "[" to the next instead of trying ``^`` at every position.
_FOOTNOTE_BODIES = re.compile(r"\[(?<![^\n]\[)(?P<label>\d{1,3}|[ivxl]{1,6})\]\s*")
#: A footnote mark: "[1]" right after a word, "(?<=\S)\[(?P<label>...)\]" written with the bracket first
#: (the lookbehind then looks back over it), so that ``re`` skips from one "[" to the next instead of
#: trying every position of the plan; the matches are the same.
_FOOTNOTE_MARK = re.compile(r"\[(?<=\S\[)(?P<label>\d{1,3}|[ivxl]{1,6})\]")
# A run of stops is tried from its first stop only (the lookbehind), so a long run of dots stays linear.
SENTENCE_END_READABLE = rf"(?<![.!?…])[.!?…]++[”\"']?(?=\s+[{UPPER}]|\s*$)"
#: :data:`SENTENCE_END_READABLE` with its first stop before the lookbehind, which then looks back over it:
#: ``re`` skips from one stop to the next instead of trying the lookbehind at every position. The matches
#: are the same: ``(?<![.!?…][.!?…])`` after one stop tests the character before it.
_SENTENCE_END = re.compile(rf"[.!?…](?<![.!?…][.!?…])[.!?…]*+[”\"']?(?=\s+[{UPPER}]|\s*$)")
_BULLET = re.compile(r"^(?:[-–+•*]|[a-zđ]\)|\d{1,2}[.)])\s*")
_LEAD_LINES = 20
_CLAUSE_GAP = re.compile(r"[;.]\s+")


@dataclass
class BasisMap:
    """The preamble's span, the spans its basis clauses govern, and the footnotes with their marks."""

    preamble: tuple[int, int] = (0, 0)
    title: tuple[int, int] = (0, 0)
    scopes: list[tuple[int, int]] = field(default_factory=list)
    footnote_bodies: list[tuple[str, int, int]] = field(default_factory=list)
    footnote_marks: dict[str, int] = field(default_factory=dict)

    def in_preamble(self, pos: int) -> bool:
        return self.preamble[0] <= pos < self.preamble[1]

    def in_title(self, pos: int) -> bool:
        return self.title[0] <= pos < self.title[1]

    def in_scope(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.scopes)

    def footnote_at(self, pos: int) -> str | None:
        """The label of the footnote whose text holds ``pos``, if any."""
        for label, start, end in self.footnote_bodies:
            if start <= pos < end:
                return label
        return None


def basis_map(doc: Segmented, rules: CitationRules | None = None, low: str | None = None) -> BasisMap:
    """Find the preamble, its basis clauses and the footnotes of ``doc``; ``low`` is the folded text."""
    rules = rules or CitationRules.default()
    low = low if low is not None else fold(doc.text)
    opener = _opener_pattern(rules.basis_openers)
    result = BasisMap(preamble=_preamble(doc, low, opener), title=_title(doc))
    result.scopes = _scopes(doc, low, opener, result.preamble)
    text = doc.text
    for m in _FOOTNOTE_BODIES.finditer(text):  # the lines that open with a footnote's label
        line_end = text.find("\n", m.start())
        result.footnote_bodies.append((m.group("label"), m.start(), line_end if line_end >= 0 else len(text)))
    for m in _FOOTNOTE_MARK.finditer(text):
        result.footnote_marks.setdefault(m.group("label"), m.start())
    return result


@lru_cache(maxsize=16)
def _opener_pattern(basis_openers: tuple[str, ...]) -> re.Pattern[str]:
    """The basis openers as one pattern (longest first), built once per rules file, not once per plan."""
    openers = sorted({fold(o) for o in basis_openers}, key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(re.escape(o) for o in openers)})(?!\w)")


def _title(doc: Segmented) -> tuple[int, int]:
    """The title's span (the type line's own words included): "Kế hoạch thực hiện Chỉ thị số 05-CT/TW"
    names what the plan implements as plainly as a preamble does."""
    lay = doc.layout
    lines = ([lay.type_line] if lay.type_line is not None and lay.type_inline_title else []) + lay.title_lines
    if not lines:
        return (0, 0)
    return doc.lines[lines[0]].start, doc.lines[lines[-1]].end


def _preamble(doc: Segmented, low: str, opener: re.Pattern[str]) -> tuple[int, int]:
    lay = doc.layout
    if lay.title_lines:
        first = lay.title_lines[-1] + 1
    elif lay.type_line is not None:
        first = lay.type_line + 1
    else:
        first = 0
    start, end = doc.offset_of_line(first), doc.offset_of_line(lay.body_start)
    if end > start:
        return start, end
    # No layout to go by: the lead paragraphs that open with a basis word.
    lead = [
        i
        for i, line in enumerate(doc.lines[first : first + _LEAD_LINES], start=first)
        if opener.match(low, line.content_start)
    ]
    if not lead:
        return start, start
    last = lead[0]
    while last + 1 < len(doc.lines) and (
        last + 1 in lead or _BULLET.match(doc.lines[last + 1].stripped) or not doc.lines[last + 1].stripped
    ):
        last += 1
    return doc.lines[lead[0]].start, doc.lines[last].end


def _scopes(doc: Segmented, low: str, opener: re.Pattern[str], preamble: tuple[int, int]) -> list[tuple[int, int]]:
    """The spans that basis clauses govern, each from its opener to the end of its sentence."""
    start, end = preamble
    # The lines inside the preamble are consecutive (offsets grow line by line): found by bisection, not by
    # testing every line of the plan.
    first = bisect_left(doc.lines, start, key=_START)
    last = bisect_left(doc.lines, end + 1, lo=first, key=_END)
    lines = [ln for ln in doc.lines[first:last] if ln.stripped]
    scopes: list[tuple[int, int]] = []
    for k, line in enumerate(lines):
        content_end = line.content_end
        for at in _clause_starts(doc.text, line.content_start, content_end):
            if not opener.match(low, at):
                continue
            stop = _SENTENCE_END.search(doc.text, at, content_end)
            scope_end = stop.end() if stop else content_end
            j = k
            # A clause that ends its line with ":" or ";" runs on over the bullet lines that follow.
            while (
                stop is None
                and doc.text[scope_end - 1 : scope_end] in (":", ";", ",")
                and j + 1 < len(lines)
                and _BULLET.match(lines[j + 1].stripped)
            ):
                j += 1
                scope_end = lines[j].content_end
            scopes.append((at, scope_end))
    return scopes


_START = attrgetter("start")
_END = attrgetter("end")


def _clause_starts(text: str, start: int, end: int) -> list[int]:
    """Where a clause may begin in a line: its start (after a bullet), after "; " and after a sentence end."""
    bullet = _BULLET.match(text[start:end])
    starts = [start + (bullet.end() if bullet else 0)]
    for m in _CLAUSE_GAP.finditer(text[start:end]):
        starts.append(start + m.end())
    return starts
