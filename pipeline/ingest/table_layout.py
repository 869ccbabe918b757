"""Tables in the text: page layout (column by column) or data (one row per line), for every reader.

A Vietnamese official document lays out its header block (issuing organ and ``Số: 12/KH-UBND`` on the
left, national motto and ``Lâm Đồng, ngày ...`` on the right) and very often its closing block (``Nơi
nhận:`` recipients on the left, the signer on the right) as borderless two-column tables. Read row by
row, such a table would cut the organ's name in two around the motto and glue ``Số:`` to the date; so a
*layout* table comes out column by column, every paragraph of a cell as its own line, a blank line
between columns. A *data* table (schedule, task list, annex) comes out one row per line, cells joined by
``" | "``, a cell's paragraphs joined by a space.

Word (DOCX and Word 97), HTML and Markdown all have such tables, and a plan must read the same whichever
format it came in, so the decision and both renderings are made here, once, from the cells' text. Each
reader only turns its own markup into rows of :class:`Cell`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["LAYOUT_MAX_ROWS", "Cell", "is_layout_table", "render_table", "strip_line"]

#: Most rows a two-column table without a header/signature phrase may have and still count as layout.
#: (A reader whose rows are source lines, such as Markdown's, passes a larger number.)
LAYOUT_MAX_ROWS = 4

#: Phrases that only the header or the closing block of an official document contains: a table that
#: holds one of them is page layout, however many rows it has (recipients are often one per row).
_LAYOUT_CUE = re.compile(
    r"CỘNG\s+HÒA\s+XÃ\s+HỘI|Độc\s+lập\s*[-–—]\s*Tự\s+do|Nơi\s+nhận|^\s*Số\s*:|"
    r"^\s*(?:TM|KT|TL|TUQ|Q)\.\s*[A-ZĐÂ]|^\s*(?:PHÓ\s+)?CHỦ\s+TỊCH\s*$|^\s*(?:PHÓ\s+)?GIÁM\s+ĐỐC\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: First-row cells that announce a data table ("STT | Nội dung | ..."), even a two-column one.
_DATA_HEADER = re.compile(r"^\s*(?:S\.?\s*T\.?\s*T|T\.?\s*T|Số\s+TT|Số\s+thứ\s+tự)\.?\s*$", re.IGNORECASE)
#: A first-column cell like these (compared without spaces) marks a numbered data table: "1", "2.",
#: "II", "a)"... under "STT".
_ROW_NUMBER = re.compile(r"^(STT|TT|Số\s*TT|[0-9]{1,3}[.)]?|[IVXLC]{1,6}[.)]?|[a-zđ][.)])$", re.IGNORECASE)
#: A run of spaces followed by a dash item inside one layout-cell paragraph: authors pad with spaces to
#: push the next recipient to the next visual line instead of starting a new paragraph.
_PADDED_ITEM = re.compile(r"[ \t\u00a0]{4,}(?=[-–+•] )")
_SPACE = re.compile(r"\s+")


@dataclass
class Cell:
    """One table cell: its grid column and its paragraphs as lines ("" for an empty paragraph).

    ``continued`` marks a cell covered by a vertical merge (Word shows the merged cell's text once, in
    the first row it spans): it renders as an empty cell, so the columns of a data table stay aligned.
    A horizontally merged cell is one cell at the column where it starts.
    """

    col: int
    lines: list[str] = field(default_factory=list)
    continued: bool = False

    @property
    def has_text(self) -> bool:
        return not self.continued and any(line.strip() for line in self.lines)

    @property
    def text(self) -> str:
        """The cell as one line: its non-empty paragraphs joined by a space ("" for a continued cell)."""
        if self.continued:
            return ""
        return " ".join(s for s in (strip_line(line) for line in self.lines) if s)


def strip_line(line: str) -> str:
    """A line without its edge spaces and tabs: indentation made by hand, never content."""
    return line.strip(" \t\u00a0\r\n")


def is_layout_table(rows: list[list[Cell]], max_rows: int = LAYOUT_MAX_ROWS) -> bool:
    """Decide whether a table is page layout (header/signature block) or a real data table.

    The rule goes by the cells' text, not by the table's position (plan 03 of the real corpus has its
    signature table in the middle, before its annexes), and counts only columns and rows that hold text
    (signature tables often have an empty spacer column; header tables an empty spacer row):

    * 1 text column: layout (a boxed note or title; one line per paragraph is all there is to show).
    * 3 or more text columns: data.
    * 2 text columns: data if the first text cell is a numbering header ("STT", "TT") or the first
      column numbers the rows ("1", "2", ...); otherwise layout if it has at most ``max_rows`` text
      rows or contains a phrase only the header/closing block has ("CỘNG HÒA XÃ HỘI...", "Nơi nhận",
      "Số:", "KT. CHỦ TỊCH"...).
    """
    text_rows = [row for row in rows if any(c.has_text for c in row)]
    cols = sorted({c.col for row in text_rows for c in row if c.has_text})
    if len(cols) <= 1:
        return True
    if len(cols) > 2:
        return False
    first = next(c for c in text_rows[0] if c.has_text)
    if _DATA_HEADER.match(first.text) or _numbered(text_rows, cols[0]):
        return False
    if len(text_rows) <= max_rows:
        return True
    text = "\n".join(line for row in text_rows for c in row for line in c.lines)
    return bool(_LAYOUT_CUE.search(text))


def _numbered(text_rows: list[list[Cell]], col: int) -> bool:
    """Whether column ``col`` numbers the rows: all but at most two of its cells below the first are
    row numbers (a header, a total or a merged cell may interrupt them)."""
    first = [_SPACE.sub("", c.text) for row in text_rows for c in row if c.col == col]
    numbers = sum(1 for text in first[1:] if _ROW_NUMBER.match(text))
    return len(first) >= 2 and numbers >= max(1, len(first) - 2)


def render_table(rows: list[list[Cell]], max_rows: int = LAYOUT_MAX_ROWS) -> list[str]:
    """The lines of a table, "" standing for a blank line: a layout table column by column, a data table
    one row per line (see the module docstring). A table without text gives no lines."""
    if not any(c.has_text for row in rows for c in row):
        return []
    cols = sorted({c.col for row in rows for c in row if c.has_text})
    if is_layout_table(rows, max_rows):
        return _by_column(rows, cols)
    return _by_row(rows, cols)


def _by_column(rows: list[list[Cell]], cols: list[int]) -> list[str]:
    """Every paragraph of the first text column's cells as its own line, a blank line, the next column.

    A paragraph padded with spaces into several visual lines ("- Bộ Công an;        - Tỉnh ủy;") is
    split where the padding was.
    """
    out: list[str] = []
    for i, col in enumerate(cols):
        if i:
            out.append("")
        for row in rows:
            for cell in row:
                if cell.col == col and not cell.continued:
                    for line in cell.lines:
                        out.extend(strip_line(part) for part in _PADDED_ITEM.split(line))
    return out


def _by_row(rows: list[list[Cell]], cols: list[int]) -> list[str]:
    """One line per row that has text: the text columns' cells joined by " | " (columns empty in every
    row are left out)."""
    keep = set(cols)
    out: list[str] = []
    for row in rows:
        if any(c.has_text for c in row):
            cells = sorted((c for c in row if c.col in keep), key=lambda c: c.col)
            out.append(" | ".join(c.text for c in cells).strip())
    return out
