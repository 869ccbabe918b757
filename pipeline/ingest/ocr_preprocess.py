"""Page-image clean-up before Tesseract: deskew and upsampling, and only what measurably helps.

Measured on the seeds rendered by ``scripts/render_pages.py`` (CER against the source text, NFC, whitespace
folded; Roman numerals in order), through ``pipeline.ingest.ocr`` with its numeral re-read, 2 seeds:

* deskew (projection profile, ±5°): degraded renders CER 0.45 % → 0.35 %, Roman numerals 82/120 → 114/120;
  clean renders 0.081 % → 0.057 %, 119/120 → 120/120. Tesseract's own line finder tolerates the skew for
  letters but loses the short numeral words ("XIII" → "XII"), which is why it pays.
* upsampling low-resolution scans to 300 dpi (Lanczos): a 200 dpi page CER 0.28 % → 0.15 %, numerals 25/38 →
  33/38; a 150 dpi page 0.32 % → 0.13 %, 16/38 → 31/38.
* binarization (global Otsu or Sauvola) is left out: it never helped, and on speckled pages Tesseract's
  layout analysis took the thresholded speckle for a picture and returned no text at all (2 of 8 pages).
* a 3×3 median filter is left out: it removes synthetic speckle (degraded CER 0.35 % → 0.06 %) but wears
  the thin diacritics off real 200-250 dpi scans ("TỈNH LÂM" → "TINH LAM", "THỰC" → "THỤC", "II." → "HH.").
"""

from __future__ import annotations

import numpy as np
from PIL import Image

#: Pages are turned only when their skew is at least this (degrees): real scanners leave 0.1-0.3°, which
#: Tesseract handles, and every rotation blurs the glyphs a little.
MIN_SKEW = 0.5
#: Skews beyond this are not a hand-fed scanner's; a page turned 90° is OSD's job, not deskew's.
MAX_SKEW = 5.0
SKEW_STEP = 0.1
#: Skew is measured on the page shrunk by this factor (0.2 s a page instead of 3 s at full size).
SKEW_REDUCE = 4
#: The resolution Tesseract reads best at; lower ones are upsampled to it.
TARGET_DPI = 300
#: Below this a page is upsampled (a 200 dpi page gains, see above; 280-300 dpi is left alone).
UPSAMPLE_BELOW_DPI = 280
#: Width of an A4 page in inches: the resolution of a page image with no dpi tag (a phone photo) is estimated
#: from its width as if it were A4, which nearly every Vietnamese official document is.
A4_WIDTH_INCHES = 8.27


def skew_angle(image: Image.Image) -> float:
    """Degrees to turn ``image`` (counter-clockwise, as :meth:`PIL.Image.Image.rotate`) to level its lines.

    The angle whose row profile is sharpest (largest sum of squared differences between neighbouring rows)
    is the one where text lines lie horizontal: each line is then a dense band between white gaps.
    """
    small = np.asarray(image.convert("L").reduce(SKEW_REDUCE)) < 128
    ink = Image.fromarray((small * 255).astype(np.uint8))
    best_score, best_angle = -1.0, 0.0
    for angle in np.arange(-MAX_SKEW, MAX_SKEW + SKEW_STEP / 2, SKEW_STEP):
        turned = ink.rotate(float(angle), resample=Image.Resampling.NEAREST)
        rows = np.asarray(turned).sum(axis=1, dtype=np.float64)
        score = float(np.sum(np.diff(rows) ** 2))
        if score > best_score:
            best_score, best_angle = score, float(angle)
    return round(best_angle, 1)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The page levelled, and the angle it was turned by (0.0 when left as it was)."""
    angle = skew_angle(image)
    if abs(angle) < MIN_SKEW:
        return image, 0.0
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    turned.info.update(image.info)
    return turned, angle


def effective_dpi(image: Image.Image, dpi: float | None) -> float:
    """The page's resolution: its tag when it has one, else estimated from its width as an A4 page."""
    if dpi and dpi > 1:
        return dpi
    width_in = A4_WIDTH_INCHES if image.width <= image.height else A4_WIDTH_INCHES * 297 / 210
    return image.width / width_in


def upsample(image: Image.Image, dpi: float | None) -> tuple[Image.Image, float]:
    """The page at :data:`TARGET_DPI` when it is below :data:`UPSAMPLE_BELOW_DPI`, and the factor used."""
    factor = TARGET_DPI / effective_dpi(image, dpi)
    if factor <= TARGET_DPI / UPSAMPLE_BELOW_DPI:
        return image, 1.0
    size = (round(image.width * factor), round(image.height * factor))
    out = image.resize(size, Image.Resampling.LANCZOS)
    out.info["dpi"] = (TARGET_DPI, TARGET_DPI)
    return out, factor


def prepare(image: Image.Image, dpi: float | None) -> tuple[Image.Image, list[str]]:
    """Grey levels, upsampling, deskew; returns the page and notes on what was done (for RawDocument.notes)."""
    img = image.convert("L")
    notes: list[str] = []
    img, factor = upsample(img, dpi)
    if factor != 1.0:
        notes.append(f"upsampled x{factor:.2f} to {TARGET_DPI} dpi")
    img, angle = deskew(img)
    if angle:
        notes.append(f"deskewed by {angle:+.1f} degrees")
    return img, notes
