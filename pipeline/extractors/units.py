"""Responsible units: who must do what, from a plan's implementation section and its annexed task table.

The implementation section ("TỔ CHỨC THỰC HIỆN", "PHÂN CÔNG NHIỆM VỤ", or a section that combines content and
assignments) gives each numbered item to a unit. Real plans write that unit in several shapes, and each is
read here:

* a heading line: "1. Ban Tuyên giáo và Nữ công", with the tasks below;
* a unit that opens the item's sentence: "2. Sở Thông tin và Truyền thông: là cơ quan chủ trì ...", "2. Văn
  phòng BQLKKT tỉnh đôn đốc ..." (the name ends where the predicate begins);
* a request: "1. Đề nghị Ban Tuyên giáo Tỉnh ủy", "3. Giao Công an tỉnh là cơ quan thường trực";
* a unit inside the first sentence, after an introductory clause: "1. Căn cứ các nội dung của Kế hoạch, các
  Phòng, đơn vị trực thuộc có trách nhiệm ...";
* a list of units: "Báo Đắk Lắk, Đài Phát thanh và Truyền hình tỉnh, Tạp chí Chư Yang Sin" gives a row for the
  item and one per member (``member_of``), while "Sở Văn hóa, Thể thao và Du lịch" stays one unit
  (:mod:`pipeline.extractors.unit_names` settles the commas);
* a heading that links units: "Bộ Chỉ huy Quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng và đề nghị ..." or
  "Sở Tài chính chủ trì, phối hợp các sở, ban, ngành" gives one row per unit, each with the role its link gives.

An item whose heading names no unit (a theme: "1. Triển khai các giải pháp ...") hands over to its sub-items,
which in plans organised by theme name the units ("a) Công an tỉnh"). Each unit gets its tasks (one per
bullet or sentence), its role (lead, coordinate or implement, from the cue words of ``unit_roles.json``) and
who it reports to ("báo cáo kết quả về LĐLĐ tỉnh (qua Ban Tuyên giáo - Nữ công)"); the paragraph that closes
the section ("Trên đây là Kế hoạch ...") gives its report line to every unit that has none of its own.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache

from pipeline.extractors.unit_names import NameMatch, UnitNames
from pipeline.model import DocumentRecord, Line, Section, Unit
from pipeline.rules.agencies import UnitRoles
from pipeline.rules.gazetteer import HeadingCategories, fold
from pipeline.rules.phrases import word_pattern
from pipeline.segment import Segmented
from pipeline.segment.markers import parse_marker

__all__ = ["UnitExtractor", "find"]

#: Words in a heading beyond which a heading that is not a clean list is not a unit's name but a sentence.
MAX_NAME_WORDS = 20
_SENTENCE = re.compile(r"(?<=[.!?…])[ \t]+(?=[\"“(]?[A-ZĐÀ-Ỹ])")
_CLAUSE = re.compile(r";[ \t]*")
_CELL = re.compile(r"[ \t]*\|[ \t]*")


@dataclass
class _Assignment:
    """The units one item names, what they were asked, and where that text lies."""

    section: Section
    names: list[tuple[NameMatch, str]]  # (name, role given by a link; "" = from the tasks)
    item: NameMatch | None = None  # the whole list or heading, when it is a row of its own
    member_of: str = ""
    predicate: str = ""
    task_start: int = 0
    task_end: int = 0
    lead: bool = False
    excluded: list[tuple[int, int]] = field(default_factory=list)  # sub-items assigned to other units

    def ranges(self) -> list[tuple[int, int]]:
        """The item's own text: ``[task_start, task_end)`` without the sub-items of other units."""
        out, at = [], self.task_start
        for lo, hi in sorted(self.excluded):
            if lo > at:
                out.append((at, min(lo, self.task_end)))
            at = max(at, hi)
        if at < self.task_end:
            out.append((at, self.task_end))
        return out


class UnitExtractor:
    """Reads the units of a segmented plan with :class:`UnitNames` and the cue words of ``unit_roles.json``."""

    def __init__(
        self,
        names: UnitNames | None = None,
        roles: UnitRoles | None = None,
        categories: HeadingCategories | None = None,
    ) -> None:
        self.names = names or UnitNames.default()
        self.roles = roles or self.names.roles
        self.categories = categories or HeadingCategories.default()
        r = self.roles
        self._request = word_pattern(r.request_cues)
        self._intro = word_pattern(r.intro_openers)
        self._links = [(re.compile(rf"{re.escape(fold(p))}(?!\w)"), role) for p, role in r.link_phrases]
        self._predicate = word_pattern(r.predicate_words)
        self._relative = word_pattern(r.relative_markers)
        lead_anywhere = [c for c in r.lead_cues if fold(c) != "chủ trì"]
        self._lead_start = word_pattern(r.lead_cues)
        self._lead_anywhere = word_pattern(lead_anywhere)
        self._coordinate = word_pattern(r.coordinate_cues)
        self._report = word_pattern(r.report_cues)
        self._report_not = word_pattern(r.report_exclusions)
        self._report_prep = re.compile(
            rf"(?<!\w)(?:{'|'.join(map(re.escape, map(fold, r.report_prepositions)))})[ \t]+"
        )
        self._via = re.compile(rf"[ \t]*\(?[ \t]*(?:{'|'.join(map(re.escape, map(fold, r.via_cues)))})[ \t]+")
        self._delegating = word_pattern(r.delegating_verbs)
        self._closing = word_pattern(r.closing_openers)
        self._continuation = word_pattern(r.clause_continuations)
        self._lead_header = word_pattern(r.table_lead_headers)
        self._task_header = word_pattern(r.table_task_headers)
        #: The spans of the last document's rows, for :meth:`spans` (the document held weakly).
        self._last: tuple[weakref.ref[Segmented], str, tuple[tuple[int, int], ...]] | None = None

    @classmethod
    @cache
    def default(cls) -> UnitExtractor:
        return cls()

    # -- the document ---------------------------------------------------------------------------------------

    def find(self, doc: Segmented) -> list[Unit]:
        """Every unit row of ``doc``: the implementation sections' items, then the annexed task tables."""
        out: list[Unit] = []
        lines = _LineIndex(doc.lines)
        for sec in self.implementation_sections(doc):
            out.extend(self._section_units(doc, sec, lines))
        out.extend(self._table_units(doc))
        self._last = (weakref.ref(doc), doc.text, tuple(sorted((u.char_start, u.char_end) for u in out)))
        return out

    def spans(self, doc: Segmented) -> list[tuple[int, int]]:
        """The ``[char_start, char_end)`` of every unit row of ``doc``, sorted.

        The mentions extractor needs them to leave the units' names out, and it runs right after the units
        table was read from the same document: the spans of that reading are reused rather than reading the
        whole implementation section again (a fifth of a plan's time). Any other document is read anew.
        """
        last = self._last
        if last is not None and last[0]() is doc and last[1] is doc.text:
            return list(last[2])
        return sorted((u.char_start, u.char_end) for u in self.find(doc))

    def implementation_sections(self, doc: Segmented) -> list[Section]:
        """Level-1 sections whose heading assigns the work ("TỔ CHỨC THỰC HIỆN", "... VÀ PHÂN CÔNG NHIỆM VỤ");
        when none is found at level 1 (a plan numbered without Roman numerals), the first deeper heading that
        reads as one."""
        found = [s for s in doc.sections if s.level == 1 and "implementation" in s.category]
        if found:
            return found
        for s in doc.sections:
            if s.level > 1 and s.marker != "bullet" and "implementation" in self.categories.categorize(s.heading):
                return [s]
        return []

    def _section_units(self, doc: Segmented, sec: Section, lines: _LineIndex) -> list[Unit]:
        children = _children(doc.sections)
        found: list[_Assignment] = []
        for child in children.get(sec.section_id, []) or self._paragraphs(doc, sec):
            self._walk(doc, lines, child, children, found, depth=0)
        if not found:
            return []
        closing_at = self._closing_start(doc, found[-1], sec)
        if closing_at is not None:
            found[-1].task_end = min(found[-1].task_end, closing_at)
        closing_report = self._reports_to(doc.text, closing_at, sec.char_end) if closing_at is not None else ""
        rows: list[Unit] = []
        for a in found:
            rows.extend(self._rows(doc, a, closing_report))
        return rows

    def _paragraphs(self, doc: Segmented, sec: Section) -> list[Section]:
        """A section written as plain paragraphs ("Giao Sở Nội vụ chủ trì ...", "Các sở, ngành căn cứ ..."):
        each paragraph read as an item of its own, with the section's id; the closing formula is none."""
        out = []
        for ln in doc.lines:
            if not (sec.heading_end < ln.start and ln.end <= sec.char_end and ln.stripped):
                continue
            if self._closing.match(fold(ln.stripped)):
                break
            start, end = ln.content_start, ln.content_end
            out.append(Section(sec.section_id, sec.parent_id, sec.level + 1, "", "", start, end, start, end))
        return out

    def _walk(
        self,
        doc: Segmented,
        lines: _LineIndex,
        s: Section,
        children: dict[str, list[Section]],
        out: list[_Assignment],
        depth: int,
    ) -> None:
        """Read ``s`` as a unit's item; a theme heading hands over to its sub-items instead. A unit's item may
        still give sub-items to other units ("- Sở Y tế tham mưu triển khai Dự án 6 ..."): those are
        assignments of their own, and their text is not the item unit's task."""
        found = self._assignment(doc, lines, s)
        if found is not None:
            out.append(found)
            own = {fold(self.names.canonical(n.text)) for n, _r in found.names}
            for child in children.get(s.section_id, []):
                sub = self._assignment(doc, lines, child, nested=True)
                if sub is not None and not own & {fold(self.names.canonical(n.text)) for n, _r in sub.names}:
                    out.append(sub)
                    found.excluded.append((child.char_start, child.char_end))
            return
        if depth < 2:
            for child in children.get(s.section_id, []):
                self._walk(doc, lines, child, children, out, depth + 1)

    # -- one item -------------------------------------------------------------------------------------------

    def _assignment(
        self, doc: Segmented, lines: _LineIndex, s: Section, *, nested: bool = False
    ) -> _Assignment | None:
        """The units item ``s`` names and where its tasks are, or None when its heading names no unit. A
        ``nested`` item (inside another unit's item) counts only when its unit is the subject of what
        follows ("- Công an tỉnh tham mưu ..."), not a name in passing."""
        text = doc.text
        line = lines.at(s.char_start)
        start = s.heading_start
        line_end = line.content_end
        f = fold(text[start:line_end])
        folded_from = start
        cue = self._request.match(f)
        if cue and cue.end() < len(f) and f[cue.end()] in " \t":
            start += cue.end() + len(f[cue.end() :]) - len(f[cue.end() :].lstrip())
        names = self.names.match_list(text, start)
        if not names and self._intro.match(f if start == folded_from else fold(text[start:line_end])):
            for comma in re.finditer(r",[ \t]*", text[start : min(line_end, start + 250)]):
                names = self.names.match_list(text, start + comma.end())
                if names and self._is_subject(text, names[-1].end, line_end):
                    break
                names = []
        if not names or (nested and not self._is_subject(text, names[-1].end, line_end)):
            return None
        heading_end = max(s.heading_end, names[-1].end)
        heading_only = not text[heading_end:line_end].strip(" \t.:;") and line_end < s.char_end
        list_end = names[-1].end
        rest = text[list_end:line_end].strip(" \t.:;")
        a = _Assignment(section=s, names=[(n, "") for n in names], task_end=s.char_end)
        if heading_only:
            a.task_start = line_end
            whole = NameMatch(names[0].start, heading_end, text[names[0].start : heading_end], "heading")
            if not rest:
                a.item = _span(text, names[0].start, list_end) if len(names) > 1 else None
            elif (linked := self._linked(text, list_end, heading_end)) is not None:
                extra, a.lead = linked
                a.names += extra
                a.member_of = whole.text
            elif (self._predicate.match(fold(rest)) and not self._relative.match(fold(rest))) or len(
                whole.text.split()
            ) > MAX_NAME_WORDS:
                a.predicate = rest
                a.task_start = list_end
            else:  # a qualified heading: "Các cơ quan, đơn vị được kiểm tra", "Tiểu ban Tuyên truyền, phục vụ ..."
                last = names[-1]  # what the list did not read belongs to its last name ("... Kiểm soát bệnh tật")
                a.names[-1] = (NameMatch(last.start, heading_end, text[last.start : heading_end], last.kind), "")
                a.item = whole if len(names) > 1 else None
        else:
            a.item = _span(text, names[0].start, list_end) if len(names) > 1 else None
            a.predicate = text[list_end:line_end].strip(" \t:")
            a.task_start = list_end
        return a

    def _is_subject(self, text: str, end: int, line_end: int) -> bool:
        """Whether the names ending at ``end`` are the subject of what follows: a predicate ("có trách nhiệm",
        "tham mưu"), a colon, or nothing (a heading line)."""
        rest = text[end:line_end].lstrip(" \t")
        return not rest.strip(" .;") or rest.startswith(":") or bool(self._predicate.match(fold(rest)))

    def _linked(self, text: str, start: int, end: int) -> tuple[list[tuple[NameMatch, str]], bool] | None:
        """The units a heading links to its first one ("chỉ đạo lực lượng ... và đề nghị ...", "chủ trì, phối
        hợp các sở, ban, ngành") with the role each link gives, and whether the first unit leads; None when the
        rest of the heading is not such links."""
        out: list[tuple[NameMatch, str]] = []
        lead, i = False, start
        while True:
            i += len(re.match(r"[ \t,;]*", text[i:end]).group(0))  # type: ignore[union-attr]
            if i >= end:
                return out, lead
            f = fold(text[i:end])
            link = next(((m, role) for rx, role in self._links if (m := rx.match(f))), None)
            if link is None:
                return None
            m, role = link
            i += m.end()
            names = self.names.match_list(text, i + len(text[i:end]) - len(text[i:end].lstrip()))
            names = [n for n in names if n.end <= end]
            if names:
                out.extend((n, "" if role == "implement" else role) for n in names)
                i = names[-1].end
            elif role == "lead":
                lead = True
            else:
                return None

    # -- rows -----------------------------------------------------------------------------------------------

    def _rows(self, doc: Segmented, a: _Assignment, closing_report: str) -> list[Unit]:
        text = doc.text
        tasks: list[str] = []
        report = ""
        for k, (lo, hi) in enumerate(a.ranges()):
            tasks += self._tasks(text, lo, hi, skip_first_announcement=bool(a.predicate) and k == 0)
            report = report or self._reports_to(text, lo, hi)
        report = report or closing_report
        base_role = self._role(a.predicate, tasks, a.lead)
        rows: list[Unit] = []
        joined = ";".join(tasks)
        if a.item is not None:
            rows.append(self._unit(a.item, base_role, joined, a.section, report, ""))
        for name, link_role in a.names:
            role = link_role or base_role
            member_of = a.item.text if a.item is not None else a.member_of
            rows.append(self._unit(name, role, joined, a.section, report, member_of))
        return rows

    def _unit(self, name: NameMatch, role: str, tasks: str, s: Section, report: str, member_of: str) -> Unit:
        canonical = self.names.canonical(name.text)
        target, _, via = report.partition(" (qua ")
        if fold(via.rstrip(")")) == fold(canonical):
            report = target  # the unit through which the others report reports to the target itself
        own = report and fold(target) == fold(canonical)
        return Unit(
            unit=name.text,
            unit_canonical=canonical,
            role=role,
            tasks=tasks,
            section_id=s.section_id,
            char_start=name.start,
            char_end=name.end,
            reports_to="" if own else report,
            member_of=member_of,
        )

    def _role(self, predicate: str, tasks: list[str], lead: bool) -> str:
        """lead when the item says the unit leads ("là cơ quan chủ trì", "là cơ quan thường trực") or one of
        its tasks opens with a lead cue ("Chủ trì, phối hợp ..."); coordinate when every task opens with a
        coordinate cue ("Phối hợp với ..."); otherwise implement."""
        p = fold(predicate)
        if lead or self._lead_start.match(p) or self._lead_anywhere.search(p):
            return "lead"
        openings = [self._opening(t) for t in tasks]
        if any(self._lead_start.match(o) for o in openings):
            return "lead"
        if openings and all(self._coordinate.match(o) for o in openings):
            return "coordinate"
        return "implement"

    def _opening(self, task: str) -> str:
        """A task's first words as a cue would stand: without a lead-in heading ("Về tổ chức Cuộc thi ...: ")
        and without the unit's own name ("Sở Nội vụ chủ trì ...")."""
        colon = task.find(":")
        if 0 < colon < 150:
            task = task[colon + 1 :].lstrip()
        name = self.names.match(task, 0)
        if name is not None:
            task = task[name.end :].lstrip(" ,:")
        return fold(task)

    # -- tasks, reports, closing ----------------------------------------------------------------------------

    def _tasks(self, text: str, start: int, end: int, *, skip_first_announcement: bool) -> list[str]:
        """Short task sentences of ``text[start:end]``: one per bullet, sentence or ``;`` clause that opens with
        a predicate ("...; tham gia góp ý ..."); a clause that continues the previous one ("...; nhất là ...",
        "...; kỷ niệm 80 năm ...") stays with it. A ``;`` inside a task becomes "," since the column is
        ``;``-separated."""
        tasks: list[str] = []
        first = True
        for raw in text[start:end].split("\n"):
            line = raw.strip()
            marker = parse_marker(line) if line else None
            if marker is not None and marker.kind != "roman":
                line = line[marker.length :].strip()
            line = line.lstrip(" \t:").strip()
            if not line:
                continue
            if first and skip_first_announcement and line.endswith(":"):
                first = False
                continue
            first = False
            for sentence in _SENTENCE.split(line):
                for k, clause in enumerate(_CLAUSE.split(sentence)):
                    clause = clause.strip(" \t.;,/")
                    if not clause:
                        continue
                    f = fold(clause)
                    if k and tasks and (self._continuation.match(f) or not self._predicate.match(f)):
                        tasks[-1] = f"{tasks[-1]}; {clause}"  # "...; nhất là ...", "...; kỷ niệm ..." go on
                    elif len(clause.split()) >= 2:
                        tasks.append(clause)
        return [t.replace(";", ",") for t in tasks]

    def _reports_to(self, text: str, start: int | None, end: int) -> str:
        """Who the units of ``text[start:end]`` report to: the first report cue whose recipient is a named
        unit ("báo cáo kết quả về LĐLĐ tỉnh (qua Ban Tuyên giáo - Nữ công)" → "Liên đoàn Lao động tỉnh (qua
        Ban Tuyên giáo - Nữ công)"), skipping reports that the unit only prepares for another ("tham mưu UBND
        tỉnh báo cáo ...")."""
        if start is None or start >= end:
            return ""
        segment = text[start:end]
        f = fold(segment)
        for m in self._report.finditer(f):
            if (m.start() and f[m.start() - 1].isalnum()) or self._report_not.match(f, m.start()):
                continue
            clause = max(f.rfind(c, 0, m.start()) for c in ".;:\n") + 1
            if self._delegated(text, start, f, clause, m.start()):
                continue
            stop = min((x for x in (f.find(c, m.end()) for c in ".;\n") if x >= 0), default=len(f))
            target = self._recipient(text, start, m.end(), start + stop)
            if target is None:
                continue
            out = self.names.canonical(target.text)
            via = self._via.match(fold(text[target.end : start + stop]))
            if via:
                second = self.names.match(text, target.end + via.end())
                if second is not None:
                    out += f" (qua {self.names.canonical(second.text)})"
            return out
        return ""

    def _delegated(self, text: str, base: int, f: str, clause: int, cue: int) -> bool:
        """Whether the report at ``cue`` is another body's that the unit prepares: "tham mưu UBND tỉnh báo cáo
        ..." (a unit named between the delegating verb and the cue), not "tham mưu báo cáo kết quả về ..."."""
        for m in self._delegating.finditer(f, clause, cue):
            at = base + m.end()
            at += len(text[at : base + cue]) - len(text[at : base + cue].lstrip())
            if self.names.match(text, at) is not None:
                return True
        return False

    def _recipient(self, text: str, base: int, at: int, stop: int) -> NameMatch | None:
        """The named unit right after a report cue ("báo cáo UBND tỉnh"), or after a preposition later in
        the same clause ("báo cáo kết quả ... về Liên đoàn Lao động tỉnh")."""
        pos = base + at
        pos += len(text[pos:stop]) - len(text[pos:stop].lstrip())
        direct = self.names.match(text, pos)
        if direct is not None:
            return direct
        f = fold(text[base + at : stop])
        for m in self._report_prep.finditer(f):
            found = self.names.match(text, base + at + m.end())
            if found is not None:
                return found
        return None

    def _closing_start(self, doc: Segmented, last: _Assignment, sec: Section) -> int | None:
        """Where the paragraph that closes the section begins inside its last item: a closing formula ("Trên
        đây là ..."), or plain paragraphs after an item written as bullets."""
        lines = [ln for ln in doc.lines if last.task_start <= ln.start and ln.end <= sec.char_end and ln.stripped]
        marked = [i for i, ln in enumerate(lines) if parse_marker(ln.stripped) is not None]
        for i, ln in enumerate(lines):
            if self._closing.match(fold(ln.stripped)):
                return ln.content_start
            if marked and i > marked[-1]:
                return ln.content_start
        return None

    # -- annexed task tables --------------------------------------------------------------------------------

    def _table_units(self, doc: Segmented) -> list[Unit]:
        """The lead units of task tables ("Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian") in the
        annexes and the implementation sections; one row per table row and unit."""
        regions = [(doc.lines[a].start, doc.offset_of_line(b)) for a, b in doc.layout.annexes]
        regions += [(s.char_start, s.char_end) for s in self.implementation_sections(doc)]
        out: list[Unit] = []
        seen: set[int] = set()
        for lo, hi in regions:
            lines = [ln for ln in doc.lines if lo <= ln.start < hi and ln.start not in seen]
            seen.update(ln.start for ln in lines)
            out.extend(self._tables_in(doc, lines))
        return out

    def _tables_in(self, doc: Segmented, lines: list[Line]) -> list[Unit]:
        """Rows of the tables among ``lines``. The header row is the one with a lead column ("Cơ quan chủ
        trì"; in a two-row header, the lower row, whose cells line up with the data); the task column may
        stand in a header row above it. A lead cell left empty (a vertically merged cell) repeats the unit
        above it; a group row ("I | Cơ quan chuyên môn cấp tỉnh |") has no task and gives no unit."""
        out: list[Unit] = []
        lead_col = task_col = None
        previous: list[NameMatch] = []
        previous_cell = ""
        for ln in lines:
            if "|" not in ln.text:
                lead_col = task_col = None
                continue
            cells = _cells(ln)
            heads = [fold(c) for c, _s, _e in cells]
            if not re.match(r"\d", heads[0]):
                task = next((k for k, h in enumerate(heads) if self._task_header.search(h)), None)
                task_col = task if task is not None else task_col
                lead = next((k for k, h in enumerate(heads) if self._lead_header.search(h)), None)
                if lead is not None:
                    lead_col, previous, previous_cell = lead, [], ""
                if lead is not None or task is not None:
                    continue
            if lead_col is None or lead_col >= len(cells):
                continue
            task = cells[task_col][0] if task_col is not None and task_col < len(cells) else ""
            cell, c_start, c_end = cells[lead_col]
            if not cell and not task:
                continue
            if cell:
                names = [n for n in self.names.match_list(doc.text, c_start) if n.end <= c_end]
                if not names and len(cell.split()) <= 12:
                    names = [NameMatch(c_start, c_end, cell, "cell")]
                previous, previous_cell = names, cell
            names, cell = previous, previous_cell
            s = _section_at(doc.sections, ln.start)
            for n in names:
                out.append(self._unit(n, "lead", task.replace(";", ","), s, "", cell if len(names) > 1 else ""))
        return out


# -- helpers ------------------------------------------------------------------------------------------------


def _span(text: str, start: int, end: int) -> NameMatch:
    return NameMatch(start, end, text[start:end], "list")


def _children(sections: list[Section]) -> dict[str, list[Section]]:
    out: dict[str, list[Section]] = {}
    for s in sections:
        out.setdefault(s.parent_id, []).append(s)
    return out


class _LineIndex:
    """The lines of one document by offset: their starts are listed once per reading of the document (by
    :meth:`UnitExtractor.find`), and each item's line is then found by bisection rather than by a scan."""

    def __init__(self, lines: list[Line]) -> None:
        self._lines = lines
        self._starts = [ln.start for ln in lines]

    def at(self, offset: int) -> Line:
        """The line holding ``offset``: the last one that starts at or before it (the first line when none
        does)."""
        i = bisect_right(self._starts, offset) - 1
        return self._lines[max(i, 0)]


def _section_at(sections: list[Section], offset: int) -> Section:
    """The deepest section whose span holds ``offset`` (a placeholder when none does)."""
    holding = [s for s in sections if s.char_start <= offset < s.char_end]
    if holding:
        return max(holding, key=lambda s: s.level)
    return Section("", "", 0, "", "", offset, offset, offset, offset)


def _cells(line: Line) -> list[tuple[str, int, int]]:
    """The cells of a table row written "cell | cell | cell", each with its span in the text."""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for sep in [*_CELL.finditer(line.text), None]:
        end = sep.start() if sep else len(line.text)
        raw = line.text[pos:end]
        lead = len(raw) - len(raw.lstrip())
        cell = raw.strip()
        out.append((cell, line.start + pos + lead, line.start + pos + lead + len(cell)))
        pos = sep.end() if sep else end
    return out


def find(doc: Segmented, meta: DocumentRecord) -> list[Unit]:
    """The units table's rows for one document (the runner fills ``doc_id``)."""
    return UnitExtractor.default().find(doc)
