#!/usr/bin/env python3
"""Render text to A4 page images at 300 dpi, clean or degraded like a poor scan, and to image-only PDFs.

The OCR tests and ``bench/ocr_bench.py`` use it to make scans whose true text is known:

    python scripts/render_pages.py corpora/seeds/002_6f632e44ce525a9e.txt out/002 [--degraded] [--dpi 300]

writes ``out/002.pdf`` (image-only) and ``out/002-p1.png``... The degraded variant turns the page by about
1.5 degrees, blurs it, adds speckle and saves it through JPEG at quality 30.
"""

from __future__ import annotations

import argparse
import io
import random
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.9
POINT_SIZE = 13


def render_pages(text: str, dpi: int = 300, font_path: Path = FONT) -> list[Image.Image]:
    """The text laid out on A4 pages (word-wrapped, 13 pt serif, 1.4 line spacing), black on white."""
    width, height = (round(d * dpi) for d in A4_INCHES)
    margin = round(MARGIN_INCHES * dpi)
    font = ImageFont.truetype(str(font_path), round(POINT_SIZE * dpi / 72))
    char_w = font.getlength("n")
    per_line = max(20, int((width - 2 * margin) / char_w))
    line_h = round(POINT_SIZE * 1.4 * dpi / 72)
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, per_line) or [""])
    pages: list[Image.Image] = []
    per_page = (height - 2 * margin) // line_h
    for start in range(0, max(len(lines), 1), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for i, line in enumerate(lines[start : start + per_page]):
            draw.text((margin, margin + i * line_h), line, font=font, fill=0)
        page.info["dpi"] = (dpi, dpi)
        pages.append(page)
    return pages


def degrade(page: Image.Image, seed: int = 0) -> Image.Image:
    """A poor scan of ``page``: skewed ~1.5°, blurred, speckled and JPEG-compressed at quality 30."""
    rng = random.Random(seed)
    img = page.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    pixels = img.load()
    for _ in range(img.width * img.height // 400):
        x, y = rng.randrange(img.width), rng.randrange(img.height)
        pixels[x, y] = 0 if rng.random() < 0.5 else 255
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=30)
    out = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    out.info["dpi"] = page.info.get("dpi", (300, 300))
    return out


def save_pdf(pages: list[Image.Image], path: Path, dpi: int = 300) -> Path:
    """An image-only PDF of the pages (no text layer), as a scanner writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    first, *rest = [p.convert("RGB") for p in pages]
    first.save(path, format="PDF", save_all=True, append_images=rest, resolution=dpi)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("text_file", type=Path)
    ap.add_argument("out_stem", type=Path, help="output path without extension")
    ap.add_argument("--degraded", action="store_true")
    ap.add_argument("--dpi", type=int, default=300)
    args = ap.parse_args()
    pages = render_pages(args.text_file.read_text(encoding="utf-8"), dpi=args.dpi)
    if args.degraded:
        pages = [degrade(p, seed=i) for i, p in enumerate(pages)]
    for i, page in enumerate(pages, start=1):
        page.save(args.out_stem.with_name(f"{args.out_stem.name}-p{i}.png"), dpi=(args.dpi, args.dpi))
    print(save_pdf(pages, args.out_stem.with_suffix(".pdf"), args.dpi))


if __name__ == "__main__":
    main()
