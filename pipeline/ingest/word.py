"""Read a Word 2007+ document (DOCX) into text whose lines keep the shape a reader sees on the page.

Why not simply ``"\\n".join(p.text for p in Document(path).paragraphs)``: that drops every table, and a
Vietnamese official document puts its most important lines in tables. The header block (issuing organ,
``Số: .../KH-UBND``, national motto, place and date) is a borderless two-column table; so, very often, is
the closing block (``Nơi nhận:`` recipients on the left, the signer on the right). python-docx's paragraph
text also hides Word's *automatic* numbering ("I.", "1.", "a)" drawn by Word, not typed), which is what
the section parser needs to see, and it keeps text of deleted revisions while dropping text boxes.

So this reader opens the package with python-docx and walks the body XML itself, in document order.

Text shape (the contract downstream relies on; :mod:`pipeline.ingest.word97` gives the same shape):

* One paragraph = one line; a line break (``w:br``) inside a paragraph also starts a new line.
  Leading and trailing spaces and tabs of each line are dropped: they are indentation made by hand,
  never content (inner runs of spaces, e.g. the blank number in ``Số:      /KH-UBND``, are kept).
* A blank line (``"\\n\\n"``) marks visible vertical white space and nothing else: an empty paragraph
  (a run of them gives one blank line), an empty line made with line breaks, and the boundary between
  the columns of a layout table (below). Consecutive paragraphs are joined by a single ``"\\n"``.
* Automatic numbering is rendered in front of the text as Word draws it ("I. ", "1.1. ", "a) ",
  "- " for bullets), see :class:`_Numbering`.
* Tables are either *layout* or *data* (:func:`is_layout_table`):

  - a layout table is emitted column by column: every paragraph of the left column's cells as its own
    line, a blank line, then the right column. ``Số: 12/KH-UBND`` and ``Lâm Đồng, ngày ...`` thus each
    stay one whole line, and the organ lines stay together above ``Số:``.
  - a data table (schedules, task lists) is emitted one line per row, cells joined by ``" | "``, a
    cell's paragraphs joined by a space. A cell covered by a vertical merge is an empty cell, so the
    columns stay aligned; a horizontally merged cell appears once.

* Text in deleted revisions (``w:del``, ``w:moveFrom``) and hidden runs is skipped; inserted text is kept
  (the reader sees the document as it would print with all changes accepted). Text boxes are emitted
  as lines after the paragraph that anchors them.
* Footnotes and endnotes, which in plans often hold the cited documents, are appended at the end after
  a blank line as ``[1] text`` (endnotes ``[i] text``), numbered in order of reference as Word does.
  The in-text reference mark itself is not emitted: a superscript "1" glued to "2021" would turn a
  year into another number.
* The text is NFC-normalized (some documents mix decomposed and precomposed Vietnamese diacritics).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.model import PipelineError, RawDocument

#: Largest uncompressed size accepted for any XML part (document.xml, numbering.xml, ...). A real plan's
#: document.xml is well under 5 MB; a part declaring more than this is a zip bomb or not a plan.
MAX_XML_PART_BYTES = 100 * 1024 * 1024
#: Largest total uncompressed size of the package: python-docx loads every part (images included) into
#: memory when it opens a file, so the whole package is bounded, not only the XML.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"

_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


W_P, W_TBL, W_TR, W_TC, W_R, W_T = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r"), _w("t")
W_PPR, W_RPR, W_TCPR, W_TRPR = _w("pPr"), _w("rPr"), _w("tcPr"), _w("trPr")
W_VAL = _w("val")
_TXBX = _w("txbxContent")
_MC_ALT, _MC_CHOICE, _MC_FALLBACK = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback"

#: Elements whose whole subtree is not visible text: deleted or moved-away revisions, field codes,
#: properties, and reference marks (see the module docstring for why reference marks are dropped).
_SKIP = {
    _w(t)
    for t in (
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "delInstrText",
        "pPr",
        "rPr",
        "fldChar",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "annotationRef",
        "footnoteRef",
        "endnoteRef",
        "separator",
        "continuationSeparator",
        "lastRenderedPageBreak",
        "proofErr",
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "sdtPr",
        "sdtEndPr",
    )
}
#: Run content that stands for one character (a soft hyphen is invisible unless a line breaks there).
_CHAR = {
    _w("tab"): "\t",
    _w("ptab"): "\t",
    _w("br"): "\n",
    _w("cr"): "\n",
    _w("noBreakHyphen"): "-",
    _w("softHyphen"): "",
}
_TEXT = {W_T, f"{{{_M}}}t"}  # the text of runs and of equations
#: Block-level wrappers whose children are paragraphs and tables in document order.
_BLOCK_WRAPPERS = {_w("sdt"), _w("sdtContent"), _w("customXml"), _w("ins"), _w("moveTo")}

_FALSE = {"0", "false", "off", "none"}


# --------------------------------------------------------------------------------------------------
# Tables: the shape shared with the Word 97 reader
# --------------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One table cell: its grid column and its paragraphs as lines ("" for an empty paragraph).

    ``continued`` marks a cell covered by a vertical merge (Word shows the merged cell's text once,
    in the first row it spans).
    """

    col: int
    lines: list[str] = field(default_factory=list)
    continued: bool = False

    @property
    def has_text(self) -> bool:
        return not self.continued and any(line.strip() for line in self.lines)


#: Phrases that only the header or the closing block of an official document contains: a table that
#: holds one of them is page layout, however many rows it has (recipients are often one per row).
_LAYOUT_CUE = re.compile(
    r"CỘNG\s+HÒA\s+XÃ\s+HỘI|Độc\s+lập\s*[-–—]\s*Tự\s+do|Nơi\s+nhận|^\s*Số\s*:|"
    r"^\s*(?:TM|KT|TL|TUQ|Q)\.\s*[A-ZĐÂ]|^\s*(?:PHÓ\s+)?CHỦ\s+TỊCH\s*$|^\s*(?:PHÓ\s+)?GIÁM\s+ĐỐC\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: First-row cells that announce a data table ("STT | Nội dung | ..."), even a two-column one.
_DATA_HEADER = re.compile(r"^\s*(?:S\.?\s*T\.?\s*T|T\.?\s*T|Số\s+TT|Số\s+thứ\s+tự)\.?\s*$", re.IGNORECASE)
#: A run of spaces followed by a dash item inside one layout-cell paragraph: authors pad with spaces to
#: push the next recipient to the next visual line instead of starting a new paragraph.
_PADDED_ITEM = re.compile(r"[ \t\u00a0]{4,}(?=[-–+•] )")
#: Most rows a two-column table without a cue phrase may have and still count as layout.
LAYOUT_MAX_ROWS = 4


def is_layout_table(rows: list[list[Cell]]) -> bool:
    """Decide whether a table is page layout (header/signature block) or a real data table.

    The rule, by shape and not by position (plan 03 of the real corpus has its signature table in the
    middle, before its annexes): count only columns and rows that hold text (signature tables often
    have an empty spacer column; header tables an empty spacer row).

    * 1 text column: layout (a boxed note or title; one line per paragraph is all there is to show).
    * 3 or more text columns: data.
    * 2 text columns: data if the first text row starts with a numbering header ("STT", "TT");
      otherwise layout if it has at most :data:`LAYOUT_MAX_ROWS` text rows or contains a phrase only
      the header/closing block has ("CỘNG HÒA XÃ HỘI...", "Nơi nhận", "Số:", "KT. CHỦ TỊCH"...).
    """
    text_rows = [row for row in rows if any(c.has_text for c in row)]
    cols = {c.col for row in text_rows for c in row if c.has_text}
    if len(cols) <= 1:
        return True
    if len(cols) > 2:
        return False
    first = next(c for c in text_rows[0] if c.has_text)
    if _DATA_HEADER.match(" ".join(s.strip() for s in first.lines if s.strip())):
        return False
    if len(text_rows) <= LAYOUT_MAX_ROWS:
        return True
    text = "\n".join(line for row in text_rows for c in row for line in c.lines)
    return bool(_LAYOUT_CUE.search(text))


def render_table(rows: list[list[Cell]]) -> list[str]:
    """Lines for a table, "" standing for a blank line (see the module docstring for the shape)."""
    if not any(c.has_text for row in rows for c in row):
        return []
    out: list[str] = []
    if is_layout_table(rows):
        cols = sorted({c.col for row in rows for c in row if c.has_text})
        for i, col in enumerate(cols):
            if i:
                out.append("")
            for row in rows:
                for cell in row:
                    if cell.col != col or cell.continued:
                        continue
                    for line in cell.lines:
                        out.extend(_clean_line(part) for part in _PADDED_ITEM.split(line))
        return out
    for row in rows:
        if not any(c.has_text for c in row):
            continue
        texts = [
            "" if c.continued else " ".join(s for s in (_clean_line(x) for x in c.lines) if s)
            for c in sorted(row, key=lambda c: c.col)
        ]
        out.append(" | ".join(texts).rstrip())
    return out


def _clean_line(line: str) -> str:
    return line.strip(" \t\u00a0\r\n")


def join_lines(lines: list[str]) -> str:
    """Join lines with "\\n", "" entries becoming one blank line however many there are in a row."""
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


# --------------------------------------------------------------------------------------------------
# Automatic numbering
# --------------------------------------------------------------------------------------------------


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: None = after any higher level; 0 = never
    is_lgl: bool = False
    suff: str = "tab"


_ROMAN = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]  # fmt: skip


def _roman(n: int) -> str:
    if n <= 0:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    # Word's letter lists go a..z, then aa..zz, aaa.. (the letter repeated), not a spreadsheet's "aa, ab".
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal, and a readable stand-in for exotic formats (ordinal, chineseCounting...)


def _bullet(symbol: str) -> str:
    """The visible marker for a bullet level: Vietnamese plans write items as "- " and sub-items "+ ".

    Bullet glyphs in Symbol/Wingdings fonts are private-use code points that mean nothing as text, so
    every bullet except "+" becomes "-".
    """
    return "+" if symbol.strip() == "+" else "-"


def _int(el: Any, default: int | None = None) -> int | None:
    if el is None:
        return default
    try:
        return int(el.get(W_VAL))
    except (TypeError, ValueError):
        return default


class _Numbering:
    """Recovers the numbers Word draws for automatically numbered paragraphs.

    Counters are kept per list: paragraphs whose ``w:num`` points at the same abstract definition
    continue one sequence (Word's behaviour), unless the ``w:num`` overrides its start values, which
    makes it a list of its own that starts again. Using a level resets the deeper levels that restart
    after it (``w:lvlRestart``; by default every deeper level). A paragraph takes its numbering from its
    own ``w:numPr`` or, failing that, from its paragraph style (and the styles it is based on).
    """

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.abstract_style_link: dict[str, str] = {}
        self.style_link_abstract: dict[str, str] = {}
        self.nums: dict[str, tuple[str, dict[int, tuple[int | None, _Level | None]]]] = {}
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_based_on: dict[str, str] = {}
        self.default_style: str | None = None
        self.counters: dict[str, list[int | None]] = {}
        if numbering is not None:
            self._load_numbering(numbering)
        if styles is not None:
            self._load_styles(styles)

    def _load_numbering(self, root: Any) -> None:
        for an in root.iter(_w("abstractNum")):
            aid = an.get(_w("abstractNumId"))
            if aid is None:
                continue
            self.abstract[aid] = {int(lvl.get(_w("ilvl"), "0")): self._level(lvl) for lvl in an.findall(_w("lvl"))}
            link = an.find(_w("numStyleLink"))
            if link is not None and link.get(W_VAL):
                self.abstract_style_link[aid] = link.get(W_VAL)
            link = an.find(_w("styleLink"))
            if link is not None and link.get(W_VAL):
                self.style_link_abstract[link.get(W_VAL)] = aid
        for num in root.iter(_w("num")):
            nid = num.get(_w("numId"))
            ref = num.find(_w("abstractNumId"))
            if nid is None or ref is None:
                continue
            overrides: dict[int, tuple[int | None, _Level | None]] = {}
            for ov in num.findall(_w("lvlOverride")):
                ilvl = int(ov.get(_w("ilvl"), "0"))
                lvl = ov.find(_w("lvl"))
                overrides[ilvl] = (
                    _int(ov.find(_w("startOverride"))),
                    self._level(lvl) if lvl is not None else None,
                )
            self.nums[nid] = (ref.get(W_VAL) or "", overrides)

    @staticmethod
    def _level(lvl: Any) -> _Level:
        level = _Level()
        level.start = _int(lvl.find(_w("start")), 1) or 0
        fmt = lvl.find(_w("numFmt"))
        if fmt is not None and fmt.get(W_VAL):
            level.fmt = fmt.get(W_VAL)
        text = lvl.find(_w("lvlText"))
        level.text = text.get(W_VAL, "") if text is not None else ""
        restart = lvl.find(_w("lvlRestart"))
        level.restart = _int(restart) if restart is not None else None
        lgl = lvl.find(_w("isLgl"))
        level.is_lgl = lgl is not None and (lgl.get(W_VAL) or "1") not in _FALSE
        suff = lvl.find(_w("suff"))
        if suff is not None and suff.get(W_VAL):
            level.suff = suff.get(W_VAL)
        return level

    def _load_styles(self, root: Any) -> None:
        for st in root.iter(_w("style")):
            if st.get(_w("type")) != "paragraph":
                continue
            sid = st.get(_w("styleId"))
            if sid is None:
                continue
            if st.get(_w("default")) in {"1", "true", "on"}:
                self.default_style = sid
            based = st.find(_w("basedOn"))
            if based is not None and based.get(W_VAL):
                self.style_based_on[sid] = based.get(W_VAL)
            numpr = st.find(f"{W_PPR}/{_w('numPr')}")
            if numpr is not None:
                nid = numpr.find(_w("numId"))
                self.style_numpr[sid] = (
                    nid.get(W_VAL) if nid is not None else None,
                    _int(numpr.find(_w("ilvl"))),
                )

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_numpr:
                return self.style_numpr[style]
            style = self.style_based_on.get(style)
        return None, None

    def _resolve_abstract(self, num_id: str) -> str | None:
        if num_id not in self.nums:
            return None
        aid = self.nums[num_id][0]
        # A list defined through a numbering style: the abstract holds only a link to the style, whose
        # w:numPr names the list that carries the real levels.
        link = self.abstract_style_link.get(aid)
        if link is not None:
            if link in self.style_link_abstract:
                return self.style_link_abstract[link]
            linked_num = self.style_numpr.get(link, (None, None))[0]
            if linked_num and linked_num in self.nums and linked_num != num_id:
                return self.nums[linked_num][0]
        return aid

    def label(self, p: Any) -> str:
        """The number Word draws before paragraph ``p`` ("" if none) and advance the counters."""
        ppr = p.find(W_PPR)
        num_id: str | None = None
        ilvl: int | None = None
        style = self.default_style
        if ppr is not None:
            ps = ppr.find(_w("pStyle"))
            if ps is not None and ps.get(W_VAL):
                style = ps.get(W_VAL)
            numpr = ppr.find(_w("numPr"))
            if numpr is not None:
                nid = numpr.find(_w("numId"))
                num_id = nid.get(W_VAL) if nid is not None else None
                ilvl = _int(numpr.find(_w("ilvl")))
        if num_id is None or ilvl is None:
            s_num, s_lvl = self._style_numbering(style)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0":
            return ""
        ilvl = min(max(ilvl or 0, 0), 8)
        aid = self._resolve_abstract(num_id)
        if aid is None or aid not in self.abstract:
            return ""
        overrides = self.nums[num_id][1]
        levels = dict(self.abstract[aid])
        for lv, (start, lvl_override) in overrides.items():
            base = lvl_override or levels.get(lv) or _Level()
            if start is not None:
                base = _Level(start, base.fmt, base.text, base.restart, base.is_lgl, base.suff)
            levels[lv] = base
        if ilvl not in levels:
            return ""
        key = f"num:{num_id}" if overrides else f"abs:{aid}"
        counters = self.counters.setdefault(key, [None] * 9)
        level = levels[ilvl]
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = None
        if level.fmt == "bullet":
            text = _bullet(level.text)
        else:

            def number(match: re.Match[str]) -> str:
                k = int(match.group(1)) - 1
                lv = levels.get(k, _Level())
                value = counters[k] if counters[k] is not None else lv.start
                fmt = "decimal" if level.is_lgl and lv.fmt != "none" else lv.fmt
                return format_number(value or 0, fmt)

            text = re.sub(r"%([1-9])", number, level.text)
        if not text.strip():
            return ""
        return text + ("" if level.suff == "nothing" else " ")


# --------------------------------------------------------------------------------------------------
# The document walk
# --------------------------------------------------------------------------------------------------


def _hidden(run: Any) -> bool:
    rpr = run.find(W_RPR)
    if rpr is None:
        return False
    for tag in ("vanish", "specVanish"):
        el = rpr.find(_w(tag))
        if el is not None and (el.get(W_VAL) or "1") not in _FALSE:
            return True
    return False


def _sym(el: Any) -> str:
    try:
        code = int(el.get(_w("char")) or "", 16)
    except ValueError:
        return ""
    if 0xF000 <= code <= 0xF0FF:  # Symbol/Wingdings glyphs live in the private-use area
        code -= 0xF000
    char = chr(code)
    return char if char.isprintable() and code >= 0x20 and code != 0x7F else ""


def _inline_text(el: Any, out: list[str], boxes: list[Any]) -> None:
    """Append the visible text under ``el`` to ``out``; collect text boxes in ``boxes``."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag in _TEXT:
            out.append(child.text or "")
        elif tag in _CHAR:
            out.append(_CHAR[tag])
        elif tag == _w("sym"):
            out.append(_sym(child))
        elif tag == W_R:
            if not _hidden(child):
                _inline_text(child, out, boxes)
        elif tag == _TXBX:
            boxes.append(child)
        elif tag == _MC_ALT:
            # Word writes a text box twice: the DrawingML choice and a VML fallback. Read one.
            chosen = child.find(_MC_CHOICE)
            if chosen is None:
                chosen = child.find(_MC_FALLBACK)
            if chosen is not None:
                _inline_text(chosen, out, boxes)
        else:
            _inline_text(child, out, boxes)


def _iter_blocks(container: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body, cell or text box, in document order (content controls opened)."""
    for child in container:
        if child.tag in (W_P, W_TBL):
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _iter_blocks(child)


class _Reader:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.labels: dict[Any, str] = {}
        self.warnings: list[str] = []

    def number_paragraphs(self, body: Any) -> None:
        """Compute every automatic number in document order before rendering.

        Layout tables are rendered column by column, not in document order, so counters must be
        advanced in a pass of their own.
        """
        for p in body.iter(W_P):
            if any(a.tag == _MC_FALLBACK for a in p.iterancestors()):
                continue
            label = self.numbering.label(p)
            if label:
                self.labels[p] = label

    def paragraph_lines(self, p: Any) -> list[str]:
        """The lines of one paragraph; [""] for an empty one, [] for one deleted as a whole."""
        parts: list[str] = []
        boxes: list[Any] = []
        _inline_text(p, parts, boxes)
        text = "".join(parts)
        ppr = p.find(W_PPR)
        mark_deleted = ppr is not None and ppr.find(f"{W_RPR}/{_w('del')}") is not None
        if not text.strip() and mark_deleted:
            return []
        lines = [_clean_line(x) for x in text.split("\n")]
        first = next((i for i, line in enumerate(lines) if line), None)
        if first is not None:  # the number goes before the first text, even after a leading break
            lines[first] = self.labels.get(p, "") + lines[first]
        for box in boxes:
            lines.extend(self.block_lines(box))
        return lines

    def block_lines(self, container: Any) -> list[str]:
        out: list[str] = []
        for block in _iter_blocks(container):
            if block.tag == W_P:
                out.extend(self.paragraph_lines(block))
            else:
                out.extend(render_table(self.table_cells(block)))
        return out

    def table_cells(self, tbl: Any) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        for tr in tbl.iter(W_TR):
            if next(tr.iterancestors(W_TBL)) is not tbl:
                continue  # a row of a nested table
            col = _int(tr.find(f"{W_TRPR}/{_w('gridBefore')}"), 0) or 0
            row: list[Cell] = []
            for tc in _row_cells(tr):
                tcpr = tc.find(W_TCPR)
                span = _int(tcpr.find(_w("gridSpan")), 1) if tcpr is not None else 1
                vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                continued = vmerge is not None and vmerge.get(W_VAL, "continue") == "continue"
                row.append(Cell(col, [] if continued else self.block_lines(tc), continued))
                col += max(span or 1, 1)
            rows.append(row)
        return rows

    def notes(self, root: Any, body: Any, kind: str) -> list[str]:
        """Footnote or endnote lines "[n] text", in the order the body refers to them."""
        if root is None:
            return []
        by_id = {n.get(_w("id")): n for n in root.iter(_w(kind)) if n.get(_w("type")) in (None, "normal")}
        lines: list[str] = []
        seen: set[str] = set()
        for ref in body.iter(_w(f"{kind}Reference")):
            nid = ref.get(_w("id"))
            if nid in seen or nid not in by_id:
                continue
            seen.add(nid)
            n = len(seen)
            mark = str(n) if kind == "footnote" else _roman(n).lower()
            text = " ".join(s for s in self.block_lines(by_id[nid]) if s)
            if text:
                lines.append(f"[{mark}] {text}")
        return lines


def _row_cells(tr: Any) -> Iterator[Any]:
    for child in tr:
        if child.tag == W_TC:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _row_cells(child)


# --------------------------------------------------------------------------------------------------
# Opening the package
# --------------------------------------------------------------------------------------------------


def _check_container(path: Path) -> None:
    """Refuse what is not a sane ZIP before python-docx reads every part into memory."""
    with path.open("rb") as fh:
        if fh.read(8) == _OLE_MAGIC:
            return  # handled by the caller (Word 97 or an encrypted DOCX)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "word/document.xml" not in names and "[Content_Types].xml" not in names:
                raise PipelineError("corrupt", f"{path.name}: a ZIP archive without a Word document part")
            total = 0
            for info in infos:
                total += info.file_size
                if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_XML_PART_BYTES:
                    raise PipelineError(
                        "too_large",
                        f"{path.name}: part {info.filename} unpacks to {info.file_size / 2**20:.0f} MiB, "
                        f"over the {MAX_XML_PART_BYTES // 2**20} MiB limit (a damaged file or a zip bomb)",
                    )
            if total > MAX_UNPACKED_BYTES:
                raise PipelineError(
                    "too_large",
                    f"{path.name}: unpacks to {total / 2**20:.0f} MiB, "
                    f"over the {MAX_UNPACKED_BYTES // 2**20} MiB limit",
                )
            # python-docx knows only Transitional OOXML; a Strict file would fail as "missing part".
            if "_rels/.rels" in names and b"purl.oclc.org/ooxml" in zf.read("_rels/.rels"):
                raise PipelineError(
                    "unsupported",
                    f"{path.name}: saved as Strict Open XML; save it again as a standard Word document",
                )
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
        raise PipelineError("corrupt", f"{path.name}: not a readable DOCX (damaged ZIP container: {exc})") from exc


def _part_element(part: Any) -> Any:
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from docx.oxml.parser import parse_xml

    return parse_xml(part.blob)


def _related(part: Any, reltype: str) -> Any:
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return _part_element(rel.target_part)
    return None


def _open(path: Path) -> tuple[Any, Any]:
    """The main document element and its part, for .docx, .docm, .dotx alike.

    ``docx.Document()`` refuses macro-enabled documents and templates by content type although their
    body is the same WordprocessingML, so the package is opened one level lower.
    """
    from docx.opc.exceptions import PackageNotFoundError
    from docx.package import Package

    try:
        part = Package.open(str(path)).main_document_part
        return _part_element(part), part
    except PackageNotFoundError as exc:
        raise PipelineError("corrupt", f"{path.name}: not a Word package ({exc})") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise PipelineError("corrupt", f"{path.name}: damaged ZIP container ({exc})") from exc
    except etree.XMLSyntaxError as exc:
        raise PipelineError("corrupt", f"{path.name}: damaged document XML ({exc})") from exc
    except (KeyError, ValueError) as exc:
        raise PipelineError("corrupt", f"{path.name}: a required part of the package is missing ({exc})") from exc


def read(path: Path) -> RawDocument:
    """Read a DOCX file into a :class:`RawDocument` (format ``docx``, one page: DOCX has no fixed pages)."""
    path = Path(path)
    _check_container(path)
    with path.open("rb") as fh:
        if fh.read(8) == _OLE_MAGIC:
            # An OLE file named .docx: a Word 97 binary, or a password-protected DOCX (which Word stores
            # as an OLE container); the Word 97 reader tells the two apart.
            from pipeline.ingest import word97

            return word97.read(path)
    root, part = _open(path)
    if root.tag.startswith(f"{{{_STRICT_W}}}"):
        raise PipelineError(
            "unsupported", f"{path.name}: saved as Strict Open XML; save it again as a standard Word document"
        )
    body = root.find(_w("body"))
    if body is None:
        raise PipelineError("corrupt", f"{path.name}: the document part has no body")
    try:
        numbering = _Numbering(_related(part, _RT_NUMBERING), _related(part, _RT_STYLES))
        footnotes = _related(part, _RT_FOOTNOTES)
        endnotes = _related(part, _RT_ENDNOTES)
    except (KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise PipelineError("corrupt", f"{path.name}: a damaged numbering, style or notes part ({exc})") from exc

    reader = _Reader(numbering)
    reader.number_paragraphs(body)
    lines = reader.block_lines(body)
    notes_lines = reader.notes(footnotes, body, "footnote") + reader.notes(endnotes, body, "endnote")
    notes: list[str] = []
    warnings: list[str] = []
    if notes_lines:
        lines += ["", *notes_lines]
        notes.append(f"{len(notes_lines)} footnote(s)/endnote(s) appended at the end as [n] lines")
    if reader.labels:
        notes.append(f"automatic numbering rendered as text on {len(reader.labels)} paragraph(s)")
    if body.find(f".//{_w('altChunk')}") is not None:
        warnings.append("an embedded document (altChunk) was not read")
    text = join_lines(lines)
    normalized = unicodedata.normalize("NFC", text)
    if normalized != text:
        notes.append("decomposed diacritics normalized to NFC")
    if not normalized.strip():
        raise PipelineError("no_text", f"{path.name}: the Word document contains no text")
    return RawDocument(text=normalized, format="docx", page_starts=[0], notes=notes, warnings=warnings)
