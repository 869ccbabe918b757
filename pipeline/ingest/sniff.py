"""Choose a reader from a file's first bytes (magic numbers), falling back to its extension.

Real collections hold PDFs named ``.doc``, Word files named ``.docx`` that are really Word 97 binaries, and
web pages saved as ``.txt``; trusting the extension alone sends them to the wrong reader.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.model import PipelineError

#: Inputs larger than this are refused before reading, so that one huge file cannot exhaust memory.
MAX_BYTES = 200 * 1024 * 1024
#: Text-like inputs (plain text, Markdown, HTML) larger than this are refused too: the longest plans are a
#: few hundred KB, and normalizing costs about 40 bytes of memory a character.
MAX_TEXT_BYTES = 16 * 1024 * 1024

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")
_BINARY_SUFFIXES = {".pdf", ".docx", ".doc", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<meta", b"<div", b"<p")


def sniff(path: Path) -> str:
    """Return the reader name for ``path``: pdf, docx, doc, html, md, txt or image.

    Raises PipelineError for a missing, empty or oversized file.
    """
    if not path.is_file():
        raise PipelineError("missing", f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise PipelineError("empty", f"{path.name}: the file is empty (0 bytes)")
    if size > MAX_BYTES:
        raise PipelineError(
            "too_large", f"{path.name}: {size / 2**20:.0f} MiB is over the {MAX_BYTES // 2**20} MiB limit"
        )
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if head.startswith(_OLE):
        return "doc"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if head.startswith(b"{\\rtf"):
        raise PipelineError("unsupported", f"{path.name}: RTF files are not supported; save it as DOCX")
    lowered = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower().replace(b"\x00", b"")
    if lowered.startswith(b"<") and any(m in lowered for m in _HTML_MARKERS):
        return "html"
    if size > MAX_TEXT_BYTES:
        raise PipelineError(
            "too_large",
            f"{path.name}: {size / 2**20:.0f} MiB of text is over the {MAX_TEXT_BYTES // 2**20} MiB limit for "
            "text, Markdown and HTML files (a plan is at most a few hundred KB)",
        )
    suffix = path.suffix.lower()
    if suffix in _BINARY_SUFFIXES:
        raise PipelineError(
            "corrupt", f"{path.name}: named {suffix} but its content is not a {suffix[1:].upper()} file"
        )
    if suffix in {".htm", ".html", ".xhtml"}:
        return "html"
    if suffix in {".md", ".markdown"}:
        return "md"
    return "txt"


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile as exc:
        raise PipelineError("corrupt", f"{path.name}: a damaged ZIP container ({exc})") from exc
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names:
        raise PipelineError("unsupported", f"{path.name}: OpenDocument files are not supported; save as DOCX")
    raise PipelineError("unsupported", f"{path.name}: a ZIP archive that is not a Word document")
