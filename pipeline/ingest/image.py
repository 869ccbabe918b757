"""Read page images (PNG, JPEG, multi-page TIFF) through OCR.

Each frame of the file is one page. A photo or scan without a resolution tag is taken as it is; one tagged
below the OCR's useful resolution is upsampled first (:func:`pipeline.ingest.ocr.prepare`).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest import ocr
from pipeline.ingest.ocr_repair import repair_pages, shift_repair
from pipeline.model import PipelineError, RawDocument

#: Frames beyond this are refused: a TIFF of thousands of pages is not a plan.
MAX_FRAMES = 500
#: Pixels per frame beyond this are refused before decoding (a decompression bomb).
MAX_PIXELS = 120_000_000


def read(path: Path) -> RawDocument:
    """OCR every frame of an image file; format ``image-ocr``."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    ocr.require()
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as img:
            frames: list[tuple[object, float | None]] = []
            for i, frame in enumerate(ImageSequence.Iterator(img)):
                if i >= MAX_FRAMES:
                    raise PipelineError("too_large", f"{path.name}: more than {MAX_FRAMES} pages in one image")
                dpi = frame.info.get("dpi")
                frames.append((frame.copy(), float(dpi[0]) if dpi and dpi[0] else None))
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise PipelineError("corrupt", f"{path.name}: the image cannot be decoded ({exc})") from exc
    except Image.DecompressionBombError as exc:
        raise PipelineError("too_large", f"{path.name}: the image is too large to decode safely ({exc})") from exc
    pages = ocr.ocr_images(frames)
    repaired = repair_pages([page.text for page in pages], list(range(1, len(pages) + 1)))
    texts = [text for text, _ in repaired]
    repairs = [page_repairs for _, page_repairs in repaired]
    warnings: list[str] = []
    notes: list[str] = []
    for number, page in enumerate(pages, start=1):
        warnings += ocr.page_warnings(number, page)
        notes += [f"page {number}: {n}" for n in page.notes]
    if not any(t.strip() for t in texts):
        raise PipelineError("no_text", f"{path.name}: OCR found no text in the image (blank, or not a document?)")
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 2
    return RawDocument(
        text="\n\n".join(texts),
        format="image-ocr",
        page_starts=starts,
        encoding="ocr",
        notes=[f"OCR by Tesseract ({ocr.LANGUAGES}) on {len(pages)} page image(s)", *notes],
        warnings=warnings,
        page_methods=["ocr"] * len(pages),
        page_confidence=[p.confidence for p in pages],
        repairs=[shift_repair(r, start) for start, rs in zip(starts, repairs, strict=True) for r in rs],
    )
