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
  "- " for bullets), see :class:`~pipeline.ingest.word_numbering.Numbering`.
* Tables are either *layout* or *data* (:mod:`pipeline.ingest.table_layout`, shared by every reader):

  - a layout table is emitted column by column: every paragraph of the left column's cells as its own
    line, a blank line, then the right column. ``Số: 12/KH-UBND`` and ``Lâm Đồng, ngày ...`` thus each
    stay one whole line, and the organ lines stay together above ``Số:``.
  - a data table (schedules, task lists) is emitted one line per row, cells joined by ``" | "``, a
    cell's paragraphs joined by a space. A cell covered by a vertical merge is an empty cell, so the
    columns stay aligned; a horizontally merged cell appears once; a column empty in every row is
    left out.

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

import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.ingest.table_layout import Cell, render_table, strip_line
from pipeline.ingest.word_numbering import Numbering, format_number
from pipeline.ingest.wordml import W_PPR, W_RPR, W_VAL, int_val, is_on, w
from pipeline.model import PipelineError, RawDocument

#: Largest uncompressed size accepted for any XML part (document.xml, numbering.xml, ...). A real plan's
#: document.xml is well under 5 MB; a part declaring more than this is a zip bomb or not a plan.
#: The compression methods zipfile can read; any other is a damaged or foreign archive.
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
MAX_XML_PART_BYTES = 32 * 1024 * 1024
#: Largest total uncompressed size of the package: python-docx loads every part (images included) into
#: memory when it opens a file, so the whole package is bounded, not only the XML.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"

_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


W_P, W_TBL, W_TR, W_TC, W_R, W_T = w("p"), w("tbl"), w("tr"), w("tc"), w("r"), w("t")
W_TCPR, W_TRPR = w("tcPr"), w("trPr")
_TXBX = w("txbxContent")
_MC_ALT, _MC_CHOICE, _MC_FALLBACK = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback"

#: Elements whose whole subtree is not visible text: deleted or moved-away revisions, field codes,
#: properties, and reference marks (see the module docstring for why reference marks are dropped).
_SKIP = {
    w(t)
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
    w("tab"): "\t",
    w("ptab"): "\t",
    w("br"): "\n",
    w("cr"): "\n",
    w("noBreakHyphen"): "-",
    w("softHyphen"): "",
}
_TEXT = {W_T, f"{{{_M}}}t"}  # the text of runs and of equations
#: Block-level wrappers whose children are paragraphs and tables in document order.
_BLOCK_WRAPPERS = {w("sdt"), w("sdtContent"), w("customXml"), w("ins"), w("moveTo")}


# --------------------------------------------------------------------------------------------------
# The text shape shared with the Word 97 reader
# --------------------------------------------------------------------------------------------------


def document_from_lines(
    lines: list[str], path: Path, fmt: str, notes: list[str], warnings: list[str]
) -> RawDocument:
    """The :class:`RawDocument` of a Word file (``docx`` or ``doc``, one page: Word has no fixed pages)
    from its lines, "" standing for a blank line.

    Both Word readers end here so that a plan reads the same whichever Word format it came in: runs of
    blank lines become one, the text is NFC-composed (some files store diacritics decomposed), and a
    document without text is refused.
    """
    text = _join_lines(lines)
    normalized = unicodedata.normalize("NFC", text)
    if normalized != text:
        notes.append("decomposed diacritics normalized to NFC")
    if not normalized.strip():
        raise PipelineError("no_text", f"{path.name}: the Word document contains no text")
    return RawDocument(text=normalized, format=fmt, page_starts=[0], notes=notes, warnings=warnings)


def _join_lines(lines: list[str]) -> str:
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
# The document walk
# --------------------------------------------------------------------------------------------------


def _hidden(run: Any) -> bool:
    rpr = run.find(W_RPR)
    if rpr is None:
        return False
    return any(is_on(rpr.find(w(tag))) for tag in ("vanish", "specVanish"))


def _sym(el: Any) -> str:
    try:
        code = int(el.get(w("char")) or "", 16)
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
        elif tag == w("sym"):
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
    def __init__(self, numbering: Numbering) -> None:
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
        mark_deleted = ppr is not None and ppr.find(f"{W_RPR}/{w('del')}") is not None
        if not text.strip() and mark_deleted:
            return []
        lines = [strip_line(x) for x in text.split("\n")]
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
            col = int_val(tr.find(f"{W_TRPR}/{w('gridBefore')}"), 0) or 0
            row: list[Cell] = []
            for tc in _row_cells(tr):
                tcpr = tc.find(W_TCPR)
                span = int_val(tcpr.find(w("gridSpan")), 1) if tcpr is not None else 1
                vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
                continued = vmerge is not None and vmerge.get(W_VAL, "continue") == "continue"
                row.append(Cell(col, [] if continued else self.block_lines(tc), continued))
                col += max(span or 1, 1)
            rows.append(row)
        return rows

    def notes(self, root: Any, body: Any, kind: str) -> list[str]:
        """Footnote or endnote lines "[n] text", in the order the body refers to them."""
        if root is None:
            return []
        by_id = {n.get(w("id")): n for n in root.iter(w(kind)) if n.get(w("type")) in (None, "normal")}
        lines: list[str] = []
        seen: set[str] = set()
        for ref in body.iter(w(f"{kind}Reference")):
            nid = ref.get(w("id"))
            if nid in seen or nid not in by_id:
                continue
            seen.add(nid)
            n = len(seen)
            mark = format_number(n, "decimal" if kind == "footnote" else "lowerRoman")
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
                if info.flag_bits & 0x1:
                    raise PipelineError(
                        "encrypted", f"{path.name}: part {info.filename} is password-protected (an encrypted ZIP)"
                    )
                if info.compress_type not in _ZIP_METHODS:
                    raise PipelineError(
                        "corrupt",
                        f"{path.name}: part {info.filename} uses an unknown compression method "
                        f"({info.compress_type})",
                    )
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
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
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
    body = root.find(w("body"))
    if body is None:
        raise PipelineError("corrupt", f"{path.name}: the document part has no body")
    try:
        numbering = Numbering(_related(part, _RT_NUMBERING), _related(part, _RT_STYLES))
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
    if body.find(f".//{w('altChunk')}") is not None:
        warnings.append("an embedded document (altChunk) was not read")
    return document_from_lines(lines, path, "docx", notes, warnings)
