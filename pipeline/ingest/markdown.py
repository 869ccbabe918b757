"""Reader for Markdown conversions of government web pages.

Converters (html2text, markdownify, "reader" services) turn a portal article into Markdown that is hard to
mine as it stands: paragraphs are hard-wrapped at about 80 columns, the document's header block (issuing
organ, number, national motto, place and date) becomes a ``|``-table whose rows mix the left and right
columns, links and images carry URLs, and footnotes become ``[^1]`` references. This reader gives the
same kind of text as the other readers: one paragraph per line (soft-wrapped lines joined back, by
Markdown's own rules), blank lines between paragraphs, header tables written column by column with each
cell line whole, data tables one row per line with `` | `` between cells, footnotes as ``[1] ...`` lines.

Emphasis marks (``**bold**``, ``*em*``, ``__x__``) are deliberately left in: the normalization stage
strips them while keeping track of offsets, and bold often marks a section heading it wants to see.
Heading hashes, link and image syntax, HTML tags, entities and backslash escapes are removed here.

The parser is a single pass over lines with no recursion, so no input can exhaust the stack.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from pipeline.ingest.file_bytes import read_limited
from pipeline.ingest.html import fragment_to_text
from pipeline.ingest.plaintext import decode_bytes
from pipeline.ingest.table_layout import Cell, render_table
from pipeline.model import PipelineError, RawDocument

__all__ = ["markdown_to_text", "read"]

#: A Markdown header table has one source row per line of a column, so it runs longer than an HTML one.
LAYOUT_MAX_ROWS = 8

_BLANK = re.compile(r"^\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_ITEM = re.compile(r"^[ \t]*([-+*]|\d{1,9}[.)])(?:[ \t]+(.*))?$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*)$")
_LINK_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*\S+")
_SENTENCE_END = re.compile(r"[.:;!?)\]\"”*]$")
_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")
#: Raw HTML blocks (CommonMark type 6) that converters leave for tables Markdown cannot express, such as a
#: header table whose cells hold several lines; they run to the next blank line.
_HTML_BLOCK = re.compile(
    r"^ {0,3}</?(table|thead|tbody|tr|td|th|div|p|ul|ol|li|dl|h[1-6]|blockquote|center|section|article)\b",
    re.IGNORECASE,
)

_ESCAPABLE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PUA = 0xF0000  # escaped characters are parked in a private-use plane while links are resolved
_UNPARK = {_PUA + c: chr(c) for c in range(0x21, 0x7F)}
_BRACKETED = r"(?:[^\[\]]|\[[^\[\]]*\])*"  # link text: allows one level of brackets, as in [[1]](#_ftn1)
_DESTINATION = r"(?:<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?"
_IMAGE = re.compile(rf"!\[{_BRACKETED}\](?:\({_DESTINATION}[ \t]*\)|\[[^\]]*\])?")
_LINK = re.compile(rf"\[({_BRACKETED})\]\({_DESTINATION}[ \t]*\)")
_REF_LINK = re.compile(rf"\[({_BRACKETED})\]\[([^\]]*)\]")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+|mailto:[^>\s]+|[^>\s@]+@[^>\s@]+)>")
_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--.*?-->")
_SPACES = re.compile(r"[ \t\u00a0]+")


def read(path: Path) -> RawDocument:
    """Read one Markdown file into a RawDocument (format ``md``, one page)."""
    path = Path(path)
    data = read_limited(path)
    text, encoding, notes = _decode(data, path.name)
    body = markdown_to_text(text)
    if not body.strip():
        raise PipelineError("no_text", f"{path.name}: the Markdown file has no text")
    return RawDocument(text=body, format="md", page_starts=[0], encoding=encoding, notes=notes)


def _decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode as the text reader does (BOMs, UTF-8, legacy Vietnamese encodings, NFC), with the file name
    added to its errors."""
    try:
        return decode_bytes(data)
    except PipelineError as exc:
        raise PipelineError(exc.error_type, f"{name}: {exc.message}", exc.stage) from None


# ---------------------------------------------------------------------------------------------------------
# Block structure


class _Out:
    """Output blocks and the separators between them (blank line when the source had one)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blank_before = False

    def block(self, lines: list[str], blank: bool = False) -> None:
        lines = [line for line in lines if line]
        if not lines:
            return
        if self.parts:
            self.parts.append("\n\n" if (self.blank_before or blank) else "\n")
        self.parts.append("\n".join(lines))
        self.blank_before = blank

    def text(self) -> str:
        body = "".join(self.parts).strip("\n")
        return body + "\n" if body else ""


def markdown_to_text(source: str) -> str:
    """The text of a Markdown document, one block per line (see the module docstring)."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    refs = frozenset(
        m.group(1).strip().lower() for m in map(_LINK_DEF.match, lines) if m and not m.group(1).startswith("^")
    )
    width = _wrap_width(lines)
    out = _Out()
    para: list[str] = []  # source lines of the open paragraph, list item or footnote
    fence = ""
    i = 0

    def close() -> None:
        if para:
            out.block(_join_paragraph(para, refs))
            para.clear()

    while i < len(lines):
        line = lines[i]
        i += 1
        if fence:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
                out.blank_before = True
            else:
                out.block([line.rstrip()])
            continue
        if _BLANK.match(line):
            close()
            out.blank_before = True
            continue
        line = _QUOTE.sub("", line) if line.lstrip().startswith(">") else line
        if _BLANK.match(line):
            close()
            out.blank_before = True
            continue
        match = _FENCE.match(line)
        if match:
            close()
            fence = match.group(1)[:3]
            out.blank_before = True
            continue
        match = _ATX.match(line)
        if match:
            close()
            out.blank_before = True
            out.block(_inline(match.group(2) or "", refs).split("\n"), blank=True)
            continue
        if para and _SETEXT.match(line) and not _LIST_ITEM.match(para[0]):
            # The paragraph above was a heading ("Title\n=====").
            heading = _join_paragraph(para, refs)
            para.clear()
            out.blank_before = True
            out.block(heading, blank=True)
            continue
        if _THEMATIC.match(line):
            close()
            out.blank_before = True
            continue
        if not para and _HTML_BLOCK.match(line):
            block = [line]
            while i < len(lines) and not _BLANK.match(lines[i]):
                block.append(lines[i])
                i += 1
            out.blank_before = True
            for chunk in fragment_to_text("\n".join(block)).strip("\n").split("\n\n"):
                out.block(chunk.split("\n"), blank=True)
            continue
        if _is_table_start(lines, i - 1):
            close()
            table = [line]
            while i < len(lines) and "|" in lines[i] and not _BLANK.match(lines[i]):
                table.append(lines[i])
                i += 1
            out.blank_before = True
            for column in _table_blocks(table, refs):
                out.blank_before = True
                out.block(column, blank=True)
            continue
        match = _FOOTNOTE_DEF.match(line)
        if match:
            close()
            para.append(f"[{match.group(1)}] {match.group(2)}")
            continue
        if _LINK_DEF.match(line):
            close()
            continue
        if _LIST_ITEM.match(line) and not (para and _wrapped(para[-1], line, width)):
            close()
            para.append(line.lstrip())
            continue
        para.append(line)
    close()
    return out.text()


def _wrapped(previous: str, line: str, width: int) -> bool:
    """Whether a line that looks like a list item is really the wrapped tail of the line above.

    Hard-wrapping "kinh tế - xã hội", "Mác - Lênin" or "2021 - 2025" at the space before the dash gives a
    line "- xã hội": a list item by the letter of Markdown. It is the tail of the line above when that line
    does not end a sentence or clause and was filled up to the wrap width: the item's first word would
    not have fitted after it. A real list item follows a clause end, a short line, or a blank line.
    """
    previous = previous.rstrip()
    if _SENTENCE_END.search(previous):
        return False
    first_word = line.lstrip().split(" ", 2)
    head = " ".join(first_word[:2])
    return len(previous) + 1 + len(head) > width


def _wrap_width(lines: list[str]) -> int:
    """The column the file was hard-wrapped at: the 90th percentile of its text line lengths.

    Unwrapped files give a large number (their lines are whole paragraphs), so nothing looks wrapped.
    """
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip() and not line.lstrip().startswith("|"))
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, (len(lengths) * 9) // 10)]


def _join_paragraph(lines: list[str], refs: frozenset[str]) -> list[str]:
    """Soft-wrapped source lines as one line; a hard break (two spaces, a backslash, <br>) starts another."""
    pieces: list[str] = []
    current: list[str] = []
    for n, raw in enumerate(lines):
        hard = n < len(lines) - 1 and bool(_HARD_BREAK.search(raw))
        text = raw[:-1] if hard and raw.endswith("\\") else raw
        current.append(text.strip())
        if hard:
            pieces.append(" ".join(current))
            current = []
    if current:
        pieces.append(" ".join(current))
    result: list[str] = []
    for piece in pieces:
        result.extend(_inline(piece, refs).split("\n"))
    return [line for line in result if line]


# ---------------------------------------------------------------------------------------------------------
# Tables


def _is_table_start(lines: list[str], i: int) -> bool:
    """A row that starts with a pipe, or any line with a pipe followed by a delimiter row."""
    line = lines[i].strip()
    if line.startswith("|") and line.count("|") >= 2:
        return True
    if "|" in line and i + 1 < len(lines):
        cells = _split_row(lines[i + 1])
        return bool(cells) and all(_DELIMITER_CELL.match(c) for c in cells if c) and any(cells)
    return False


def _split_row(line: str) -> list[str]:
    """Cells of a table row; ``\\|`` is a literal pipe, leading and trailing pipes are optional."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return [cell.strip().replace("\\|", "|") for cell in cells]


def _table_blocks(rows_source: list[str], refs: frozenset[str]) -> list[list[str]]:
    """A header table as one block per column (each cell line whole), a data table as one block of rows."""
    rows = []
    for line in rows_source:
        cells = _split_row(line)
        if cells and all(_DELIMITER_CELL.match(c) or not c for c in cells):
            continue  # the |---|---| delimiter row, or a row of rules drawn with dashes
        rows.append([[part.strip() for part in _inline(c, refs).split("\n") if part.strip()] for c in cells])
    # A row with fewer cells than the widest has empty cells at its end (as GitHub's tables do).
    width = max(map(len, rows), default=0)
    grid = [[Cell(j, row[j] if j < len(row) else []) for j in range(width)] for row in rows]
    blocks: list[list[str]] = [[]]
    for line in render_table(grid, max_rows=LAYOUT_MAX_ROWS):
        if line:
            blocks[-1].append(line)
        else:
            blocks.append([])  # the blank line between the columns of a layout table
    return blocks


# ---------------------------------------------------------------------------------------------------------
# Inline syntax


def _park(match: re.Match[str]) -> str:
    return chr(_PUA + ord(match.group(1)))


def _ref_link(match: re.Match[str], refs: frozenset[str]) -> str:
    label = (match.group(2) or match.group(1)).strip().lower()
    return match.group(1) if label in refs else match.group(0)


def _inline(text: str, refs: frozenset[str] = frozenset()) -> str:
    """Drop link, image and HTML syntax; keep emphasis marks. ``<br>`` becomes a newline.

    ``[text][label]`` is a link only when ``label`` is defined (``refs``), so that citation marks such as
    "Đảng[1][2]" survive.
    """
    text = _ESCAPABLE.sub(_park, text)
    text = _IMAGE.sub("", text)
    previous = None
    while previous != text:  # linked images and links inside link text unwrap from the inside out
        previous = text
        text = _LINK.sub(lambda m: m.group(1), text)
        text = _REF_LINK.sub(lambda m: _ref_link(m, refs), text)
    text = _FOOTNOTE_REF.sub(r"[\1]", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _BR_TAG.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    text = text.translate(_UNPARK)
    return "\n".join(_SPACES.sub(" ", part).strip() for part in text.split("\n"))
