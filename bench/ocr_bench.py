#!/usr/bin/env python3
"""OCR benchmark: every seed plan rendered to image-only PDFs (clean 300 dpi and degraded), read back.

    .venv/bin/python bench/ocr_bench.py [--out bench/ocr_report.json] [--jobs 2]

Reports, per variant: the character error rate against the source text (NFC, whitespace folded), the share
of Roman numerals read right, pages per minute on the given cores, and the scorer's overall on the OCR'd
seeds against the text seeds (the target is at least 0.95 of it). Renders come from
``scripts/render_pages.py``. This is a benchmark, not a test: it takes a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
GOLD = ROOT.parent / "shared" / "gold"
_ROMAN = re.compile(r"\b(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b")


def _render_module():
    spec = importlib.util.spec_from_file_location("render_pages", ROOT / "scripts" / "render_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(truth: str, read: str) -> float:
    """Edit distance over the true length, by difflib's opcodes (fast enough for whole plans)."""
    a, b = fold(truth), fold(read)
    edits = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            edits += max(i2 - i1, j2 - j1)
    return edits / max(len(a), 1)


def roman_accuracy(truth: str, read: str) -> tuple[int, int]:
    """Roman numerals of the source found, in order, in the OCR text: (right, total)."""
    src = [m.group(0) for m in _ROMAN.finditer(truth) if m.group(0)]
    got = [m.group(0) for m in _ROMAN.finditer(read) if m.group(0)]
    matcher = difflib.SequenceMatcher(None, src, got, autojunk=False)
    right = sum(block.size for block in matcher.get_matching_blocks())
    return right, len(src)


def score(pred: Path) -> float:
    out = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(pred)], capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1].split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "ocr_report.json")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    render = _render_module()
    from pipeline.ingest import read

    report: dict[str, object] = {"jobs": args.jobs, "variants": {}}
    with tempfile.TemporaryDirectory(prefix="kehoach-ocr-bench-") as tmp:
        work = Path(tmp)
        text_out = work / "text_out"
        subprocess.run(
            [sys.executable, "-m", "pipeline.cli", "extract", str(SEEDS), "--out", str(text_out), "-q"], check=True
        )
        text_overall = score(text_out) if SCORER.exists() else None
        for variant in ("clean", "degraded"):
            folder = work / variant
            folder.mkdir()
            truths: dict[str, str] = {}
            pages = 0
            for seed in sorted(SEEDS.glob("*.txt")):
                truth = seed.read_text(encoding="utf-8")
                images = render.render_pages(truth)
                if variant == "degraded":
                    images = [render.degrade(p, seed=i) for i, p in enumerate(images)]
                render.save_pdf(images, folder / f"{seed.stem}.pdf")
                truths[seed.stem] = truth
                pages += len(images)
            started = time.perf_counter()
            rates, right, total = {}, 0, 0
            for stem, truth in truths.items():
                raw = read(folder / f"{stem}.pdf")
                rates[stem] = round(cer(truth, raw.text), 5)
                r, t = roman_accuracy(truth, raw.text)
                right, total = right + r, total + t
            seconds = time.perf_counter() - started
            out = work / f"{variant}_out"
            subprocess.run(
                [sys.executable, "-m", "pipeline.cli", "extract", str(folder), "--out", str(out), "-q"], check=True
            )
            overall = score(out) if SCORER.exists() else None
            report["variants"][variant] = {  # type: ignore[index]
                "pages": pages,
                "cer_mean": round(sum(rates.values()) / len(rates), 5),
                "cer_by_doc": rates,
                "roman_numerals_right": right,
                "roman_numerals_total": total,
                "roman_accuracy": round(right / total, 4) if total else None,
                "pages_per_minute": round(pages / seconds * 60, 1),
                "scorer_overall": overall,
                "scorer_overall_text": text_overall,
                "ratio_to_text": round(overall / text_overall, 4) if overall and text_overall else None,
            }
            print(variant, json.dumps(report["variants"][variant], ensure_ascii=False))  # type: ignore[index]
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"report written to {args.out}")


if __name__ == "__main__":
    main()
