"""The parts of an official document, in the order Nghị định 30/2020/NĐ-CP lays them out.

Header block (organ names, national motto, number line, place-and-date line), the document type ("KẾ
HOẠCH") and the title under it, the preamble ("Thực hiện Kế hoạch số ..."), the numbered body, the closing
block (signature: "TM. BAN THƯỜNG VỤ" / "CHỦ TỊCH" / name; recipients: "Nơi nhận:") and annexes ("Phụ lục
I"). Converters shuffle the header and the closing (two-column tables read row by row, the name printed
after the recipients), so each part is found by what its lines look like, not by position alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.model import Line
from pipeline.segment.markers import UPPER, parse_marker, roman_to_int

#: How far into the document the type line ("KẾ HOẠCH") may stand.
HEADER_SCAN_LINES = 60

SEPARATOR = re.compile(r"^[-–—_=*.·•~ ]{1,80}$")
AUTHORITY = re.compile(r"^(?P<auth>TM|T/M|KT|K/T|Q|TL|T/L|TUQ)(?:\s*\.\s*|(?<!Q)\s+)(?=[" + UPPER + "]{2,})")
RECIPIENTS = re.compile(r"^(?:Nơi nhận|NƠI NHẬN)\s*[:.]?", re.IGNORECASE)
ANNEX = re.compile(
    r"^(?:PHỤ LỤC|Phụ lục|PHỤ BIỂU|Phụ biểu)(?:\s+(?:số\s+)?(?P<no>[IVXL]{1,6}|\d{1,2}))?\b(?P<rest>.*)$"
)


@dataclass
class Layout:
    """Line indices of a document's parts. ``closing_start`` is ``len(lines)`` when there is no closing."""

    lines: list[Line]
    type_line: int | None = None
    type_inline_title: str = ""
    title_lines: list[int] = field(default_factory=list)
    body_start: int = 0
    closing_start: int = 0
    annexes: list[tuple[int, int]] = field(default_factory=list)

    @property
    def header_end(self) -> int:
        """Index of the first line after the header block (the type line, or the body)."""
        return self.type_line if self.type_line is not None else self.body_start


def find_layout(
    lines: list[Line],
    type_names: Iterable[str],
    preamble_openers: Iterable[str],
    addressee_openers: Iterable[str] = (),
    boilerplate: Iterable[str] = (),
) -> Layout:
    """Locate the document's parts among ``lines``."""
    layout = Layout(lines=lines, closing_start=len(lines))
    names = sorted({n.upper() for n in type_names}, key=len, reverse=True)
    _find_type_line(layout, names)
    if layout.type_line is None:
        _find_heading_line(layout, tuple(preamble_openers), tuple(boilerplate))
    _find_title(layout, tuple(preamble_openers), tuple(addressee_openers))
    _find_body(layout)
    _find_closing(layout)
    _find_annexes(layout)
    return layout


def _find_type_line(layout: Layout, names: list[str]) -> None:
    opening = tuple(names)  # a line that opens with no type name is passed over in one test
    for i, line in enumerate(layout.lines[:HEADER_SCAN_LINES]):
        s = line.stripped
        if not s or not s[0].isupper() or not s.startswith(opening):
            continue
        for name in names:
            if s == name or (s.startswith(name + " ") and not s[len(name) :].strip().lower().startswith("số")):
                layout.type_line = i
                layout.type_inline_title = s[len(name) :].strip()
                return


#: How far into the document a heading that names no known type may stand, and how long it may be.
HEADING_SCAN_LINES = 15
HEADING_MAX_CHARS = 60


def _find_heading_line(layout: Layout, openers: tuple[str, ...], boilerplate: tuple[str, ...]) -> None:
    """The line that stands where the type name should be when it names no known type ("TUYÊN TRUYỀN",
    "THÔNG TIN" on a school's or a branch's notice): a short line in capitals after the header block and a
    blank line, with a line in sentence case under it (the title) that does not open the preamble. Its
    position serves as the type line, so the title under it is read; the type itself stays unknown. The
    national and party mottos (``boilerplate``) are header lines, never such a heading."""
    mottos = {" ".join(b.upper().split()) for b in boilerplate}
    lines = layout.lines[:HEADING_SCAN_LINES]
    for i in range(2, len(lines) - 1):
        s, above, below = lines[i].stripped, lines[i - 1].stripped, lines[i + 1].stripped
        if above or not s or len(s) > HEADING_MAX_CHARS or not _in_capitals(s) or parse_marker(s):
            continue
        if not any(ln.stripped for ln in lines[:i]) or any(c.isdigit() for c in s):
            continue
        if " ".join(s.upper().split()) in mottos or " ".join(below.upper().split()) in mottos:
            continue
        if below and not _in_capitals(below) and below[0].isupper() and not _is_preamble(below, openers):
            layout.type_line = i
            return


def _in_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters)


def _find_title(layout: Layout, openers: tuple[str, ...], addressee: tuple[str, ...]) -> None:
    if layout.type_line is None:
        return
    for i in range(layout.type_line + 1, min(len(layout.lines), layout.type_line + 12)):
        s = layout.lines[i].stripped
        if not s:
            if layout.title_lines and i + 1 < len(layout.lines) and not layout.lines[i + 1].stripped:
                break
            continue
        if (
            SEPARATOR.match(s)
            or _is_preamble(s, openers)
            or s.startswith(addressee)
            or parse_marker(s)
            or len(s) > 400
        ):
            break
        if s.startswith("(") and layout.title_lines and ("kèm theo" in s.lower() or "ban hành" in s.lower()):
            break
        layout.title_lines.append(i)
        if len(layout.title_lines) == 4:
            break


_CITES = re.compile(r"\bsố\s*\d|\d+\s*[/-]\s*[A-ZĐ]{1,6}[/-]", re.IGNORECASE)


def _is_preamble(line: str, openers: tuple[str, ...]) -> bool:
    """A line that opens the preamble ("Thực hiện Kế hoạch số 12-KH/TU ..."), not a title that happens to
    begin with the same verb ("Triển khai thực hiện Chương trình ..."): it cites a numbered document, is
    long, or ends by announcing what follows."""
    if not line.startswith(openers):
        return False
    return bool(_CITES.search(line)) or len(line) > 200 or line.rstrip().endswith(":")


def _find_body(layout: Layout) -> None:
    start = (
        (layout.title_lines[-1] + 1)
        if layout.title_lines
        else (layout.type_line + 1 if layout.type_line is not None else 0)
    )
    first_roman = first_decimal = None
    for i in range(start, len(layout.lines)):
        s = layout.lines[i].stripped
        if RECIPIENTS.match(s) and first_roman is None and first_decimal is None:
            continue
        marker = parse_marker(s) if s else None
        if marker is None:
            continue
        if marker.kind == "roman" and roman_to_int(marker.label) <= 2:
            first_roman = i
            break
        if marker.kind == "decimal" and marker.label == "1" and first_decimal is None:
            first_decimal = i
    found = first_roman if first_roman is not None else first_decimal
    layout.body_start = found if found is not None else start


#: The characters that :data:`RECIPIENTS` ("Nơi nhận", any case) and :data:`AUTHORITY` ("TM.", "KT.", "Q.")
#: can open a line with: the body's other lines are passed over without trying either pattern.
_CLOSING_FIRST = frozenset("NnTKQ")


def _find_closing(layout: Layout) -> None:
    for i in range(layout.body_start + 1, len(layout.lines)):
        text = layout.lines[i].text
        first = text[:1]  # the stripped line's first character, without stripping the lines that need none
        if first.isspace():
            first = text.strip()[:1]
        if first not in _CLOSING_FIRST:
            continue
        s = text.strip()
        if RECIPIENTS.match(s) or (AUTHORITY.match(s) and len(s) < 80):
            layout.closing_start = i
            return


def _find_annexes(layout: Layout) -> None:
    starts = []
    for i in range(layout.closing_start, len(layout.lines)):
        s = layout.lines[i].stripped
        m = ANNEX.match(s)
        if m and len(s) < 160 and (s.isupper() or m.group("no")):
            starts.append(i)
    for k, i in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(layout.lines)
        layout.annexes.append((i, end))
