"""Read a PDF that has a text layer into text with page offsets.

Per-page strategy (decided from cheap pdfium facts, so most pages never pay for layout analysis):

* **Fast path** — pdfium's text of the page (``get_text_range``), in content-stream order with pdfium's own
  line breaks and word spacing. It is ~55x faster than pdfplumber and keeps blocks that sit side by side
  (a "Nơi nhận" list beside a signature) apart, where a line-sorting extractor interleaves them. Every page
  uses it unless one of the two cases below applies.
* **Page 1 header** — Vietnamese official documents open with a two-column block (issuing organ and
  "Số: 12/KH-UBND" on the left; "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", the motto and "Lâm Đồng, ngày ..."
  on the right). Converters write it row by row, so stream order glues "Số: ..." and the date into one line.
  On page 1 only, pdfium's per-character boxes locate a vertical gutter that no character in the top lines
  crosses while some line has text on both sides of it; the region above the first line that crosses the
  gutter is emitted column by column (left lines, then right lines, each line whole), the rest of the page
  from pdfium as usual. No gutter found → the fast path text.
* **Tables** — pdfplumber's ``find_tables`` (default "lines" strategy) can only find tables drawn with ruling
  lines, i.e. with vector paths. pdfplumber is therefore opened only for pages whose pdfium path objects
  include at least two horizontal and two vertical rules (underlines alone do not qualify). When it finds a
  table of two or more cells, the page is composed in vertical bands: text above, the table as one row per
  line with ``" | "`` between cells (cell text whitespace-collapsed), text beside it, text below, so no text
  is emitted twice. Cell and band text still come from pdfium when the page's coordinates are plain
  (no /Rotate, MediaBox at the origin), otherwise from pdfplumber in its own (rotated) coordinates.

A laid-out page is kept only if it holds exactly the letters and digits of the fast text (order aside):
layout may reorder a page and add " | ", never change its text. Otherwise the fast text is used, with a
warning. pdfplumber is never run just to compare, since that would cost the 55x on every page.

A page whose text is too thin to be content (see :data:`MIN_PAGE_CHARS` and :data:`SCAN_LABEL_MAX_CHARS`)
is kept empty with a warning, so page numbers stay right; a document where every page is like that is a
scan and fails with ``no_text``. Pages are joined with ``"\\n\\n"`` (:data:`PAGE_SEPARATOR`) rather than a
form feed, because later stages split paragraphs on blank lines and treat a form feed as ordinary text;
``page_starts`` carries the page boundaries exactly.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.ingest.ocr_repair import shift_repair
from pipeline.model import PipelineError, RawDocument, Repair

#: Documents with more pages than this are refused: no plan is that long, and reading one would be slow.
MAX_PAGES = 2000
#: A page with fewer letters/digits than this has no usable text (a blank page, a lone page number).
MIN_PAGE_CHARS = 8
#: A page mostly covered by an image and holding fewer letters/digits than this is a scan whose text layer
#: is only a stamp or digital-signature label ("SAO Y; CÔNG AN TỈNH LÂM ĐỒNG; 03/02/2026; ..."). An OCR'd
#: scan carries far more text than this and is kept.
SCAN_LABEL_MAX_CHARS = 160
#: Share of the page area an image must cover for the page to count as a scanned page image.
SCAN_IMAGE_COVERAGE = 0.5
#: What goes between the text of two pages (see the module docstring for why not a form feed).
PAGE_SEPARATOR = "\n\n"
#: Only lines in this top share of page 1 can belong to the two-column header.
HEADER_MAX_DEPTH = 0.4
#: At most this many lines (both columns counted together) form the header.
HEADER_MAX_LINES = 12
#: Narrowest gutter (points) between the header's columns; wider than a word space (~3 pt at 13 pt).
MIN_GUTTER = 10.0
#: A path thinner than this (points) in one direction is a rule (a line or a thin filled rectangle).
_RULE_THICKNESS = 2.5
#: Coordinates far outside any page, used as open bounds for page bands.
_FAR = 1e5

_VN_UPPER = "".join(
    ch
    for ch in map(chr, range(0xC0, 0x1EFA))
    if ch.isupper() and (ch == "Đ" or unicodedata.normalize("NFD", ch)[0] in string.ascii_uppercase)
)
_U = f"A-Z{_VN_UPPER}"
#: A document number broken at a hyphen by the converter: "... 55/TTr-" ⏎ "STTTT ngày ...". The symbol
#: before the break is upper-case segments joined by hyphens (lower-case ASCII allowed after the first
#: letter, as in TTr, TTg); the next line must start with an upper-case letter followed by an upper-case
#: letter or digit (STTTT, UBND, C04), so an ordinary sentence ("Ủy ban ...") is never glued on.
_SYMBOL_PART = rf"[{_U}][{_U}a-z0-9&]*"
_BROKEN_NUMBER = re.compile(rf"(\d+/{_SYMBOL_PART}(?:-{_SYMBOL_PART})*-)[ \t]*\n[ \t]*(?=[{_U}][{_U}0-9])")
_CONTROL = re.compile(r"[\x00\x01\x03-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


class _Box(NamedTuple):
    """A rectangle in top-down page coordinates (``top < bottom``), as pdfplumber uses them."""

    x0: float
    top: float
    x1: float
    bottom: float


class _Layout:
    """What header splitting and band composition need from a page, whichever library answers."""

    def glyph_boxes(self) -> list[_Box]:
        """Boxes of the visible (non-space) characters."""
        raise NotImplementedError

    def text_in(self, box: _Box) -> str:
        """The text inside ``box``, with line breaks."""
        raise NotImplementedError


class _PdfiumLayout(_Layout):
    """pdfium in top-down coordinates, ``top = top_y - y``; with ``top_y`` the page height this is exactly
    pdfplumber's system when the page is unrotated with its MediaBox at the origin."""

    def __init__(self, textpage: pdfium.PdfTextPage, top_y: float) -> None:
        self.textpage = textpage
        self.top_y = top_y

    def glyph_boxes(self) -> list[_Box]:
        # Loose boxes span the font's full height, so all characters of a line share one vertical extent
        # and group into lines reliably; tight boxes of "." and "Ộ" would not overlap.
        tp = self.textpage
        rect = pdfium_c.FS_RECTF()
        boxes = []
        for i in range(tp.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(tp, i) or chr(pdfium_c.FPDFText_GetUnicode(tp, i)).isspace():
                continue
            if pdfium_c.FPDFText_GetLooseCharBox(tp, i, rect):
                boxes.append(_Box(rect.left, self.top_y - rect.top, rect.right, self.top_y - rect.bottom))
        return boxes

    def text_in(self, box: _Box) -> str:
        return self.textpage.get_text_bounded(
            left=box.x0, bottom=self.top_y - box.bottom, right=box.x1, top=self.top_y - box.top
        )


class _PlumberLayout(_Layout):
    """pdfplumber in its own coordinates, for rotated or shifted pages where pdfium's would not match the
    table geometry; a character belongs to the box holding its centre."""

    def __init__(self, page: Any) -> None:
        from pdfplumber.utils import extract_text

        self._extract = extract_text
        self.chars = page.chars

    def glyph_boxes(self) -> list[_Box]:
        return [_Box(c["x0"], c["top"], c["x1"], c["bottom"]) for c in self.chars if not c["text"].isspace()]

    def text_in(self, box: _Box) -> str:
        inside = [
            c
            for c in self.chars
            if box.x0 <= (c["x0"] + c["x1"]) / 2 < box.x1 and box.top <= (c["top"] + c["bottom"]) / 2 < box.bottom
        ]
        return self._extract(inside) if inside else ""


def read(path: Path) -> RawDocument:
    """Read ``path`` page by page (see the module docstring for the per-page strategy)."""
    path = Path(path)
    _check_complete(path)
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise _open_error(path, exc) from exc
    plumber: _Plumber | None = None
    try:
        n_pages = len(pdf)
        if n_pages > MAX_PAGES:
            raise PipelineError("too_large", f"{path.name}: {n_pages} pages is over the {MAX_PAGES}-page limit")
        if n_pages == 0:
            raise PipelineError("corrupt", f"{path.name}: the PDF has no pages")
        texts: list[str] = []
        warnings: list[str] = []
        notes: list[str] = []
        table_pages: list[int] = []
        scans: list[int] = []
        repairs: list[Repair] = []
        plumber = _Plumber(path)
        for index in range(n_pages):
            number = index + 1
            try:
                page = pdf[index]
                facts = _PageFacts.of(page)
                text, had_tables = _page_text(page, index, facts, plumber, warnings)
            except pdfium.PdfiumError as exc:
                raise PipelineError("corrupt", f"{path.name}: page {number} cannot be read ({exc})") from exc
            meaningful = sum(ch.isalnum() for ch in text)
            scanned = facts.image_coverage >= SCAN_IMAGE_COVERAGE and meaningful < SCAN_LABEL_MAX_CHARS
            if meaningful < MIN_PAGE_CHARS or scanned:
                if scanned or facts.has_objects:
                    scans.append(index)
                if meaningful:
                    notes.append(
                        f"page {number}: ignored {meaningful} letters of text over a page image "
                        "(a stamp or signature label)"
                        if scanned
                        else f"page {number}: ignored {meaningful} stray letters"
                    )
                text = ""
            elif had_tables:
                table_pages.append(number)
            texts.append(text)
        methods = ["text"] * n_pages
        confidence: list[float | None] = [None] * n_pages
        if scans:
            _ocr_pages(path, pdf, scans, texts, methods, confidence, warnings, notes, repairs)
    finally:
        if plumber is not None:
            plumber.close()
        pdf.close()
    if not any(texts):
        raise PipelineError(
            "no_text",
            f"{path.name}: no page has a text layer"
            + (" and OCR read no text from its page images" if scans else "; it looks like an empty document"),
        )
    if table_pages:
        pages = ", ".join(map(str, table_pages))
        notes.append(f"pdf: tables on page(s) {pages} written one row per line with ' | ' between cells")
    page_starts: list[int] = []
    offset = 0
    for text in texts:
        page_starts.append(offset)
        offset += len(text) + len(PAGE_SEPARATOR)
    return RawDocument(
        text=PAGE_SEPARATOR.join(texts),
        format="pdf-ocr" if "ocr" in methods else "pdf",
        page_starts=page_starts,
        notes=notes,
        warnings=warnings,
        page_methods=methods,
        page_confidence=confidence,
        repairs=[shift_repair(r, page_starts[r.page - 1]) for r in repairs],
    )


#: Pages rendered and OCR'd at a time, so that a long scan never holds all its page images in memory.
OCR_BATCH = 4


def _ocr_pages(
    path: Path,
    pdf: Any,
    indices: list[int],
    texts: list[str],
    methods: list[str],
    confidence: list[float | None],
    warnings: list[str],
    notes: list[str],
    repairs: list[Repair],
) -> None:
    """Render the scanned pages at the OCR resolution and read them with Tesseract, in small batches, then
    repair the OCR'd pages together (numerals are checked across pages); the repairs' offsets are relative
    to their page's text until the pages are joined."""
    from pipeline.ingest import ocr
    from pipeline.ingest.ocr_repair import repair_pages

    if not ocr.available():
        warnings.extend(
            f"page {i + 1}: no text layer (a scanned image) and OCR is not installed "
            "(apt-get install tesseract-ocr tesseract-ocr-vie)"
            for i in indices
        )
        return
    for start in range(0, len(indices), OCR_BATCH):
        batch = indices[start : start + OCR_BATCH]
        try:
            images = [(pdf[i].render(scale=ocr.TARGET_DPI / 72, grayscale=True).to_pil(), None) for i in batch]
        except pdfium.PdfiumError as exc:
            raise PipelineError("corrupt", f"{path.name}: a scanned page cannot be rendered ({exc})") from exc
        for i, page in zip(batch, ocr.ocr_images(images), strict=True):
            texts[i] = clean(page.text)
            methods[i] = "ocr"
            confidence[i] = page.confidence
            warnings.extend(ocr.page_warnings(i + 1, page))
            notes.extend(f"page {i + 1}: {n}" for n in page.notes)
    repaired = repair_pages([texts[i] for i in indices], [i + 1 for i in indices])
    for i, (text, page_repairs) in zip(indices, repaired, strict=True):
        texts[i] = text
        repairs.extend(page_repairs)
    notes.append(f"pdf: OCR by Tesseract ({ocr.LANGUAGES}) on {len(indices)} scanned page(s)")


def clean(text: str) -> str:
    """Normalize one page's raw text: line ends, control characters, NFC, trailing spaces, broken numbers.

    pdfium writes ``\\r\\n`` between lines; where a line ends in a hyphen right after a letter it takes
    the hyphen for a word split, joins the two lines and writes U+FFFE for it (``\\x02`` is taken the
    same way), which is put back as "-" ("55/TTr\\ufffeSTTTT" → "55/TTr-STTTT"). CID fonts may map
    glyphs to decomposed sequences, hence NFC.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-").replace("\ufffe", "-")
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    text = _TRAILING_SPACE.sub("\n", text).strip()
    return _BROKEN_NUMBER.sub(r"\1", text)


def _check_complete(path: Path) -> None:
    """Refuse a truncated file: pdfium silently rebuilds a cut-off PDF and returns whatever pages survive,
    which would pass a partial document off as whole. Like Acrobat, require ``%%EOF`` in the last 1 KiB."""
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 1024))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise PipelineError("corrupt", f"{path.name}: the PDF is truncated or damaged (no end-of-file marker)")


def _open_error(path: Path, exc: pdfium.PdfiumError) -> PipelineError:
    code = getattr(exc, "err_code", None)
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return PipelineError("encrypted", f"{path.name}: the PDF is password-protected; save an unprotected copy")
    return PipelineError("corrupt", f"{path.name}: the PDF cannot be opened ({exc})")


class _Plumber:
    """pdfplumber opened on first need only, since most documents never need it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pdf: Any = None

    def page(self, index: int) -> Any:
        if self._pdf is None:
            import pdfplumber

            self._pdf = pdfplumber.open(self.path)
        return self._pdf.pages[index]

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _page_text(
    page: pdfium.PdfPage, index: int, facts: _PageFacts, plumber: _Plumber, warnings: list[str]
) -> tuple[str, bool]:
    """The cleaned text of one page, and whether tables were laid out on it."""
    textpage = page.get_textpage()
    tables: list[Any] = []
    layout: _Layout | None = _PdfiumLayout(textpage, page.get_height()) if page.get_rotation() == 0 else None
    if facts.may_hold_table:
        try:
            pl_page = plumber.page(index)
            tables = [t for t in pl_page.find_tables() if len(t.cells) >= 2]
            if tables:
                # pypdfium2's get_mediabox() ignores an inherited MediaBox, so ask pdfminer for it.
                if pl_page.rotation == 0 and tuple(pl_page.page_obj.mediabox[:2]) == (0, 0):
                    layout = _PdfiumLayout(textpage, pl_page.height)
                else:
                    layout = _PlumberLayout(pl_page)
        except Exception as exc:  # pdfminer raises many kinds; the fast text is still good
            warnings.append(f"page {index + 1}: table detection failed ({type(exc).__name__}); plain text kept")
            tables = []
    fast = clean(textpage.get_text_range())
    header = index == 0 and layout is not None
    if layout is None or not (tables or header):
        return fast, False
    composed = _compose(layout, tables, header)
    if composed is None:
        return fast, False
    if _letters(composed[0]) != _letters(fast):
        # Bands cut through a glyph, pdfplumber decoded a font differently...: the layout would change the
        # text itself, not just its order, so the fast text wins.
        warnings.append(f"page {index + 1}: layout analysis did not reproduce the page's text; plain text kept")
        return fast, False
    return composed


def _letters(text: str) -> Counter[str]:
    """The letters and digits of a text, ignoring order: laying out a page may reorder, never change them."""
    return Counter(ch for ch in text if ch.isalnum())


class _PageFacts(NamedTuple):
    """What a page draws besides text, read from pdfium's object list with raw calls (no wrappers)."""

    may_hold_table: bool
    image_coverage: float
    has_objects: bool

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> _PageFacts:
        width, height = page.get_size()
        area = max(width * height, 1.0)
        horizontal = vertical = 0
        image_area = 0.0
        count = 0
        for kind, (left, bottom, right, top) in _objects(page):
            count += 1
            w, h = right - left, top - bottom
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                image_area = max(image_area, max(w, 0) * max(h, 0))
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if h <= _RULE_THICKNESS < w:
                    horizontal += 1
                elif w <= _RULE_THICKNESS < h:
                    vertical += 1
                elif w > _RULE_THICKNESS and h > _RULE_THICKNESS:  # a rectangle or a whole grid
                    horizontal += 2
                    vertical += 2
        return cls(horizontal >= 2 and vertical >= 2, min(image_area / area, 1.0), count > 0)


def _objects(page: pdfium.PdfPage) -> Iterator[tuple[int, tuple[float, float, float, float]]]:
    """(type, bounds) of every page object, descending into form XObjects."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))

    def walk(count: int, get: Callable[[int], Any], depth: int) -> Iterator[tuple[int, tuple[float, ...]]]:
        for i in range(count):
            obj = get(i)
            if not obj:
                continue
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
                yield from walk(
                    pdfium_c.FPDFFormObj_CountObjects(obj),
                    lambda j, form=obj: pdfium_c.FPDFFormObj_GetObject(form, j),
                    depth + 1,
                )
            elif pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                yield kind, (left.value, bottom.value, right.value, top.value)

    raw = page.raw
    yield from walk(pdfium_c.FPDFPage_CountObjects(raw), lambda j: pdfium_c.FPDFPage_GetObject(raw, j), 0)


def _compose(layout: _Layout, tables: list[Any], header: bool) -> tuple[str, bool] | None:
    """Build a page from vertical bands: header columns, text between tables, tables row by row.

    Returns the text and whether a table was written row by row, or None when there is neither a header
    nor a table to lay out, so the caller keeps the fast text.
    """
    written = False
    parts: list[str] = []
    y = -_FAR
    if header:
        split = _split_header(layout)
        if split is not None:
            lines, y = split
            parts.extend(lines)
    if not parts and not tables:
        return None
    for box, table in sorted(((_Box(*t.bbox), t) for t in tables), key=lambda bt: (bt[0].top, bt[0].x0)):
        if box.top > y:
            parts.append(clean(layout.text_in(_Box(-_FAR, y, _FAR, box.top))))
        rows = _table_rows(layout, box, table)
        written = written or rows is not None
        parts.extend(rows if rows is not None else [clean(layout.text_in(box))])
        top = max(y, box.top)
        if box.bottom > top:
            parts.append(clean(layout.text_in(_Box(-_FAR, top, box.x0, box.bottom))))
            parts.append(clean(layout.text_in(_Box(box.x1, top, _FAR, box.bottom))))
        y = max(y, box.bottom)
    parts.append(clean(layout.text_in(_Box(-_FAR, y, _FAR, _FAR))))
    return clean("\n".join(p for p in parts if p)), written


def _table_rows(layout: _Layout, box: _Box, table: Any) -> list[str] | None:
    """One line per row, cells joined by ``" | "``; None if the cells would lose text.

    A cell pdfplumber failed to close (a missing or broken rule) is ``None`` in its row and its text would
    vanish; when the cells hold fewer letters than the table's box, the caller keeps the box's plain text.
    """
    rows = [
        [" ".join(clean(layout.text_in(_Box(*c))).split()) if c else "" for c in row.cells] for row in table.rows
    ]
    whole = clean(layout.text_in(box))
    if sum(ch.isalnum() for row in rows for cell in row for ch in cell) < sum(ch.isalnum() for ch in whole):
        return None
    return [" | ".join(row) for row in rows if any(row)]


class _Line(NamedTuple):
    top: float
    bottom: float
    boxes: list[_Box]


def _group_lines(boxes: list[_Box]) -> list[_Line]:
    """Group character boxes into text lines, top to bottom, by vertical overlap of their centres."""
    lines: list[_Line] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.x0)):
        centre = (box.top + box.bottom) / 2
        if lines:
            last = lines[-1]
            if last.top <= centre <= last.bottom or box.top <= (last.top + last.bottom) / 2 <= box.bottom:
                last.boxes.append(box)
                lines[-1] = _Line(min(last.top, box.top), max(last.bottom, box.bottom), last.boxes)
                continue
        lines.append(_Line(box.top, box.bottom, [box]))
    return lines


def _gaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Gaps of at least :data:`MIN_GUTTER` between the merged x-intervals."""
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a[1], b[0]) for a, b in itertools.pairwise(merged) if b[0] - a[1] >= MIN_GUTTER]


def _split_header(layout: _Layout) -> tuple[list[str], float] | None:
    """Find page 1's two-column header and return its lines column by column, and where it ends.

    Lines are taken from the top while the x-range they leave free contains a gutter with text on both
    sides of it in at least one line; once found, the first line with a character inside the gutter (the
    centred title, a full-width paragraph) ends the header.
    """
    glyphs = layout.glyph_boxes()
    if not glyphs:
        return None
    page_top = min(b.top for b in glyphs)
    depth = max(b.bottom for b in glyphs) - page_top
    lines = _group_lines([b for b in glyphs if b.top - page_top <= depth * HEADER_MAX_DEPTH])
    gutter: tuple[float, float] | None = None
    end = 0
    intervals: list[tuple[float, float]] = []
    for k, line in enumerate(lines[:HEADER_MAX_LINES]):
        if gutter is None:
            intervals.extend((b.x0, b.x1) for b in line.boxes)
            found = [g for g in _gaps(intervals) if any(_both_sides(ln, g) for ln in lines[: k + 1])]
            if found:
                gutter = max(found, key=lambda g: g[1] - g[0])
                end = k + 1
        elif any(b.x0 < gutter[1] and b.x1 > gutter[0] for b in line.boxes):
            break
        else:
            end = k + 1
    else:
        if gutter is not None and len(lines) > HEADER_MAX_LINES:
            return None  # no line ever crossed the gutter: a two-column page, not a header
    if gutter is None:
        return None
    head = lines[:end]
    bottom = max(ln.bottom for ln in head)
    below = [ln.top for ln in lines[end : end + 1]] or [b.top for b in glyphs if b.top >= bottom]
    next_top = min(below, default=bottom)
    cut = (bottom + next_top) / 2 if next_top > bottom else bottom
    middle = (gutter[0] + gutter[1]) / 2
    out: list[str] = []
    for x0, x1 in ((-_FAR, middle), (middle, _FAR)):
        side = _group_lines([b for ln in head for b in ln.boxes if x0 <= (b.x0 + b.x1) / 2 < x1])
        for i, ln in enumerate(side):
            upper = -_FAR if i == 0 else (side[i - 1].bottom + ln.top) / 2
            lower = cut if i == len(side) - 1 else (ln.bottom + side[i + 1].top) / 2
            text = " ".join(clean(layout.text_in(_Box(x0, upper, x1, lower))).split())
            if text:
                out.append(text)
    return out, cut


def _both_sides(line: _Line, gap: tuple[float, float]) -> bool:
    return any(b.x1 <= gap[0] for b in line.boxes) and any(b.x0 >= gap[1] for b in line.boxes)
