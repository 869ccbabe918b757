"""Coverage-guided fuzzing (atheris/libFuzzer) of the readers and the extractors.

Why: the pipeline's promise is that one bad input is one errors row, never a crash or a hang. Hand-written
tests only cover the inputs someone thought of; the fuzzer mutates real plans byte by byte and reports any
exception other than :class:`~pipeline.model.PipelineError` (the one the readers are meant to raise), any
span outside the text and any input slower than libFuzzer's ``-timeout``.

The first byte of each input picks the target, so one corpus and one run cover all of them:

* ``0-6``  bytes → a temporary file with one of :data:`SUFFIXES` → :func:`pipeline.ingest.read` → the rest
  of the pipeline (the reader is chosen by content, so a ``.txt`` suffix still reaches the PDF reader);
* ``7``    bytes → the bytes-level decoders (plain text, HTML, Windows-1252);
* ``8-255`` UTF-8 text → normalize → segment → metadata → every extractor of the registry.

Usage::

    .venv/bin/python fuzz/fuzz_pipeline.py --make-corpus fuzz/corpus     # seed inputs from the bundled plans
    .venv/bin/python fuzz/fuzz_pipeline.py fuzz/corpus -max_total_time=600 -timeout=20 -rss_limit_mb=3000
    .venv/bin/python fuzz/fuzz_pipeline.py crash-<sha1>                  # replay one finding

A finding is written by libFuzzer as ``crash-*``/``timeout-*``/``oom-*`` in the working folder; turn it
into a test in ``tests/test_fuzz_regressions.py`` (see ``fuzz/README.md``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports(include=["pipeline"]):
    import importlib

    from pipeline.extractors import TABLE_EXTRACTORS, finder
    from pipeline.extractors.metadata import MetadataExtractor
    from pipeline.ingest import read
    from pipeline.ingest.html import decode_html_bytes
    from pipeline.ingest.plaintext import decode_bytes, decode_windows_1252
    from pipeline.model import PipelineError, RawDocument
    from pipeline.normalize import normalize
    from pipeline.segment import segment

    # The dispatcher and the registry import these lazily; import them here so they are instrumented too.
    for _module in ("pdf", "word", "word97", "markdown", "html", "plaintext"):
        importlib.import_module(f"pipeline.ingest.{_module}")
    for _module in TABLE_EXTRACTORS.values():
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(_module)

ROOT = Path(__file__).resolve().parents[1]
#: Extensions the reader is tried under; the dispatcher sniffs content first, the extension breaks ties.
SUFFIXES = (".txt", ".md", ".html", ".docx", ".doc", ".pdf", "")
DECODERS_TARGET = len(SUFFIXES)
_TMP = Path(tempfile.mkdtemp(prefix="kehoach-fuzz-"))
_META = MetadataExtractor()


def check_spans(text: str, records: list[Any], what: str) -> None:
    """Every record's ``char_start``/``char_end`` must lie inside ``text`` and be ordered."""
    n = len(text)
    for r in records:
        start, end = r.char_start, r.char_end
        if not (0 <= start <= end <= n):
            raise AssertionError(f"{what}: span [{start}, {end}) outside a text of {n} characters: {r!r}")


def run_text(raw: RawDocument) -> None:
    """normalize → segment → metadata → every extractor, checking every span on the way."""
    norm = normalize(raw)
    if len(norm.to_raw) != len(norm.text) + 1:
        raise AssertionError("normalize: offset map of the wrong length")
    doc = segment(norm)
    check_spans(norm.text, doc.sections, "sections")
    for s in doc.sections:
        if not s.char_start <= s.heading_start <= s.heading_end <= s.char_end:
            raise AssertionError(f"sections: heading outside its section: {s!r}")
    meta = _META.find(doc)
    check_spans(norm.text, meta.fields, "fields")
    for table in TABLE_EXTRACTORS:
        find = finder(table)
        if find is not None:
            check_spans(norm.text, find(doc, meta), table)


def fuzz_reader(data: bytes, suffix: str) -> None:
    path = _TMP / f"input{suffix}"
    path.write_bytes(data)
    try:
        raw = read(path)
    except PipelineError:
        return
    finally:
        path.unlink(missing_ok=True)
    run_text(raw)


def fuzz_decoders(data: bytes) -> None:
    for decode in (decode_bytes, decode_html_bytes):
        with contextlib.suppress(PipelineError):
            decode(data)
    decode_windows_1252(data)


def test_one_input(data: bytes) -> None:
    """libFuzzer's entry point: dispatch on the first byte (see the module docstring)."""
    if not data:
        return
    selector, body = data[0], data[1:]
    if selector < len(SUFFIXES):
        fuzz_reader(body, SUFFIXES[selector])
    elif selector == DECODERS_TARGET:
        fuzz_decoders(body)
    else:
        text = body.decode("utf-8", errors="replace")
        run_text(RawDocument(text=text, format="txt", page_starts=[0, len(text) // 2]))


def make_corpus(folder: Path) -> int:
    """Seed inputs for every target, built from the bundled plans: libFuzzer mutates these, which reaches far
    deeper than random bytes (a DOCX must be a ZIP with the right parts before any Word code runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted((ROOT / "corpora" / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    count = 0

    def put(name: str, selector: int, payload: bytes) -> None:
        nonlocal count
        (folder / name).write_bytes(bytes([selector]) + payload)
        count += 1

    for i, text in enumerate(texts):
        short = text[:3000]
        put(f"text-{i}", 200, short.encode())
        put(f"txt-{i}", 0, short.encode())
        put(f"decode-{i}", DECODERS_TARGET, short.encode("utf-16"))
    put("cp1258", 0, _cp1258(texts[4][:1500]))
    put("tcvn3", 0, (ROOT / "tests" / "fixtures" / "tcvn3_sample.txt").read_bytes())
    put("md", 1, ("# KẾ HOẠCH\n\n**I. MỤC ĐÍCH**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n" + texts[0][:800]).encode())
    paragraphs = "</p><p>".join(texts[1][:2000].split("\n"))
    html = f"<html><body><p>{paragraphs}</p><table><tr><td>x</td></tr></table>"
    put("html", 2, html.encode())
    put("docx", 3, _docx(texts[2][:2500]))
    pdf = _pdf(texts[3][:1500])
    if pdf:
        put("pdf", 5, pdf)
    return count


def _cp1258(text: str) -> bytes:
    """``text`` the way Windows-1258 stores it: base letters precomposed, tone marks as combining bytes."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258", errors="replace")


def _docx(text: str) -> bytes:
    import io

    import docx

    d = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            d.add_paragraph(line)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "UBND TỈNH"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf(text: str) -> bytes | None:
    """A small text PDF in DejaVu Serif (None when fpdf2 or the font is missing)."""
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    try:
        import fpdf
    except ImportError:
        return None
    if not font.exists():
        return None
    doc = fpdf.FPDF(format="A4", unit="pt")
    doc.add_font("serif", "", str(font))
    doc.set_font("serif", size=11)
    doc.add_page()
    doc.multi_cell(0, 14, text)
    return bytes(doc.output())


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--make-corpus":
        print(f"{make_corpus(Path(sys.argv[2]))} seed inputs in {sys.argv[2]}")
        return
    os.environ.setdefault("KEHOACH_NER", "0")  # the NER fallback is off by default; keep runs comparable
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
