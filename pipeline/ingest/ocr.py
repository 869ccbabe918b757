"""Tesseract OCR of page images, with its Vietnamese model, one engine thread per page.

Tesseract's own threading is slow on few cores (about 10 s a page on 2 cores against 1.4 s with one
thread), so each call runs with ``OMP_THREAD_LIMIT=1`` and pages run side by side instead: pytesseract
starts one ``tesseract`` process per page, so a thread pool is enough to keep every core busy.

Every page gets the engine's mean word confidence (0-100). A page that yields few, unsure words is tried
again upright: Tesseract's orientation detection (OSD) tells whether the scan was rotated, and the better
reading is kept. A page that still yields nothing is reported, never passed on silently as empty.

Two second looks serve the extractors: words that look like Roman numerals are read again with the English
model restricted to Roman digits, and regions the layout analysis set aside as pictures (a stamp over a
signature block) are read again as plain text. The words then become the page's text in
:mod:`pipeline.ingest.ocr_layout` (lines, paragraphs, two-column runs).
"""

from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pipeline.ingest import ocr_layout
from pipeline.model import PipelineError

#: Tesseract language models: Vietnamese first, English for the Latin words and numerals plans mix in.
LANGUAGES = "vie"
#: Resolution scanned PDF pages are rendered at (Tesseract's error rate grows fast below ~200 dpi).
TARGET_DPI = 300
#: Pages whose mean word confidence is below this are flagged in the warnings (and the pages table).
LOW_CONFIDENCE = 60.0
#: Below this confidence, or with fewer words than MIN_WORDS, a page is tried again after orientation
#: detection.
RETRY_CONFIDENCE = 60.0
MIN_WORDS = 5
#: Seconds Tesseract may spend on one page before it is given up.
PAGE_TIMEOUT = 180


@dataclass
class OcrPage:
    """The text Tesseract read from one page image, and how sure it was."""

    text: str
    confidence: float | None
    words: int = 0
    notes: list[str] = field(default_factory=list)


@cache
def available() -> bool:
    """Whether the tesseract binary and its Vietnamese model are installed."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract

        return "vie" in pytesseract.get_languages(config="")
    except Exception:
        return False


def require() -> None:
    """Raise a clear error when OCR is needed but not installed."""
    if not available():
        raise PipelineError(
            "converter_missing",
            "OCR needs Tesseract and its Vietnamese model: apt-get install tesseract-ocr tesseract-ocr-vie "
            "(scripts/install-system.sh does it), and the Python package pytesseract",
        )


def prepare(image: Any, dpi: float | None) -> tuple[Any, list[str]]:
    """Grey levels, upsampling of low-resolution pages and deskew (:mod:`pipeline.ingest.ocr_preprocess`,
    where the measurements that chose these steps are recorded)."""
    from pipeline.ingest import ocr_preprocess

    return ocr_preprocess.prepare(image, dpi)


_NUMERAL_LIKE = re.compile(r"(?P<num>[IVXLHl|1]{1,8})(?P<tail>[.,:;)]*)")
_VALID_ROMAN = re.compile(r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def _reread_numerals(img: Any, data: dict[str, list[Any]]) -> dict[int, str]:
    """A second pass over the words that look like Roman numerals, with the English model restricted to
    Roman digits: the Vietnamese model merges "XIII" into "XII" and reads "XIH" (about one in five on clean
    renders), and congress numbers and section numerals are key fields. The word boxes are stacked on one
    strip and read in a single call; nothing is changed unless every box comes back a valid numeral."""
    import pytesseract
    from PIL import Image

    picks = [
        i
        for i, word in enumerate(data["text"])
        if (m := _NUMERAL_LIKE.fullmatch((word or "").strip())) and re.search("[IVX]", m.group("num"))
    ]
    if not picks:
        return {}
    pad, gap = 6, 30
    crops = []
    for i in picks:
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        crops.append(img.crop((max(x - pad, 0), max(y - pad, 0), x + w + pad, y + h + pad)))
    strip = Image.new("L", (max(c.width for c in crops) + 80, sum(c.height + gap for c in crops) + 40), 255)
    top = 20
    for crop in crops:
        strip.paste(crop, (40, top))
        top += crop.height + gap
    try:
        out = pytesseract.image_to_string(
            strip, lang="eng", config="--psm 6 -c tessedit_char_whitelist=IVXLCDM.,:;)", timeout=60
        ).split()
    except (pytesseract.TesseractError, RuntimeError):
        return {}
    if len(out) != len(picks):
        return {}
    fixed: dict[int, str] = {}
    for i, token in zip(picks, out, strict=True):
        m = _NUMERAL_LIKE.fullmatch(token) or re.fullmatch(r"(?P<num>[IVXLCDM]+)(?P<tail>[.,:;)]*)", token)
        if not m or not _VALID_ROMAN.fullmatch(m.group("num")):
            return {}
        original = data["text"][i].strip()
        tail = _NUMERAL_LIKE.fullmatch(original).group("tail")  # type: ignore[union-attr]
        if m.group("num") + tail != original:
            fixed[i] = m.group("num") + tail
    return fixed


#: Blocks the engine found no words in are looked at again when they cover at least this share of the page
#: (a stamp over a signature block), at most this many per page; lines read there are kept only when their
#: mean word confidence reaches KEEP_CONFIDENCE, since stamps and handwriting give confident-looking noise.
PICTURE_BLOCK_SHARE = 0.01
PICTURE_BLOCKS = 3
KEEP_CONFIDENCE = 60.0


def _read_picture_blocks(img: Any, data: dict[str, list[Any]]) -> int:
    """Read again, as one uniform block of text (``--psm 6``), the blocks the page layout set aside as
    pictures: a red stamp over "TRƯỞNG BAN ... Nguyễn Thị ..." makes the whole signature block a picture,
    and the signer's name would be lost. The lines kept are added to ``data`` as words of that block; returns
    how many."""
    import pytesseract

    worded = {b for b, word in zip(data["block_num"], data["text"], strict=True) if (word or "").strip()}
    page_area = img.width * img.height
    empty = [
        i
        for i, level in enumerate(data["level"])
        if level == 2
        and data["block_num"][i] not in worded
        and data["width"][i] * data["height"][i] >= PICTURE_BLOCK_SHARE * page_area
    ][:PICTURE_BLOCKS]
    kept = 0
    for i in empty:
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        try:
            found = pytesseract.image_to_data(
                img.crop((x, y, x + w, y + h)),
                lang=LANGUAGES,
                config="--psm 6",
                output_type=pytesseract.Output.DICT,
                timeout=PAGE_TIMEOUT,
            )
        except (pytesseract.TesseractError, RuntimeError):
            continue
        lines: dict[tuple[int, int], list[int]] = {}
        for j, word in enumerate(found["text"]):
            if (word or "").strip() and float(found["conf"][j]) >= 0:
                lines.setdefault((found["par_num"][j], found["line_num"][j]), []).append(j)
        for (par, line), words in lines.items():
            if sum(float(found["conf"][j]) for j in words) / len(words) < KEEP_CONFIDENCE:
                continue
            kept += 1
            for j in words:
                for key, value in (
                    ("level", 5),
                    ("page_num", data["page_num"][i]),
                    ("block_num", data["block_num"][i]),
                    ("par_num", par),
                    ("line_num", line),
                    ("word_num", found["word_num"][j]),
                    ("left", x + found["left"][j]),
                    ("top", y + found["top"][j]),
                    ("width", found["width"][j]),
                    ("height", found["height"][j]),
                    ("conf", found["conf"][j]),
                    ("text", found["text"][j]),
                ):
                    data[key].append(value)
    return kept


def _read(img: Any) -> OcrPage:
    import pytesseract

    data = pytesseract.image_to_data(
        img, lang=LANGUAGES, config="--psm 3", output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT
    )
    recovered = _read_picture_blocks(img, data)
    reread = _reread_numerals(img, data)
    text = ocr_layout.page_text(ocr_layout.lines_of(data, reread))
    confidences = [float(c) for word, c in zip(data["text"], data["conf"], strict=True) if (word or "").strip()]
    confidences = [c for c in confidences if c >= 0]
    confidence = round(sum(confidences) / len(confidences), 1) if confidences else None
    page = OcrPage(text=text, confidence=confidence, words=len(confidences))
    if recovered:
        page.notes.append(f"{recovered} line(s) read from a region the layout took for a picture (a stamp?)")
    if reread:
        changes = ", ".join(f"{data['text'][i].strip()}→{new}" for i, new in reread.items())
        page.notes.append(f"Roman numerals re-read by a second pass (eng, Roman digits only): {changes}")
    return page


def _rotation(img: Any) -> int:
    """Degrees Tesseract's orientation detection says the page must turn (0 when it cannot tell)."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(img, config="--psm 0", output_type=pytesseract.Output.DICT, timeout=60)
    except (pytesseract.TesseractError, RuntimeError):
        return 0
    return int(osd.get("rotate", 0)) % 360


def ocr_image(image: Any, dpi: float | None = None) -> OcrPage:
    """OCR one page image (a PIL image); see the module docstring for the retry on rotated pages."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    img, prepared = prepare(image, dpi)
    try:
        page = _read(img)
    except (RuntimeError, pytesseract.TesseractError) as exc:  # a timeout, or the engine failing on the page
        return OcrPage(text="", confidence=None, notes=[*prepared, f"OCR failed on this page: {exc}"])
    page.notes[:0] = prepared
    if page.words < MIN_WORDS or (page.confidence or 0) < RETRY_CONFIDENCE:
        turn = _rotation(img)
        if turn:
            upright = _read(img.rotate(-turn, expand=True))
            if upright.words and (upright.confidence or 0) > (page.confidence or 0):
                upright.notes.append(f"the page image was rotated by {turn} degrees; read upright")
                page = upright
    return page


def ocr_images(images: list[tuple[Any, float | None]], jobs: int | None = None) -> list[OcrPage]:
    """OCR several page images side by side, one Tesseract process (single-threaded) per page.

    ``jobs`` defaults to ``KEHOACH_OCR_JOBS`` or the number of cores; batch workers set it to 1, since
    they already run one document per core.
    """
    require()
    jobs = jobs or int(os.environ.get("KEHOACH_OCR_JOBS", "0")) or os.cpu_count() or 1
    workers = max(1, min(jobs, len(images)))
    if workers == 1:
        return [ocr_image(img, dpi) for img, dpi in images]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda item: ocr_image(*item), images))


def page_warnings(number: int, page: OcrPage) -> list[str]:
    """What a user should know about one OCR'd page: nothing read, or low confidence."""
    if not page.text.strip():
        failed = next((n for n in page.notes if n.startswith("OCR failed")), "")
        if failed:
            return [f"page {number}: {failed}"]
        return [f"page {number}: OCR found no text (a blank page, a photo or an unreadable scan)"]
    if page.confidence is not None and page.confidence < LOW_CONFIDENCE:
        return [f"page {number}: low OCR confidence ({page.confidence:.0f}/100); check this page's values"]
    return []
