"""Readers: one per file format, each turning a file into a :class:`~pipeline.model.RawDocument`.

The reader is chosen from the file's content (:mod:`pipeline.ingest.sniff`), not only its extension, so a
PDF saved as ``.doc`` or a web page saved as ``.txt`` is still read right. Every reader raises
:class:`~pipeline.model.PipelineError` with a clear message for input it cannot read.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.sniff import MAX_BYTES, sniff
from pipeline.model import PipelineError, RawDocument

__all__ = ["MAX_BYTES", "read", "sniff"]


#: Readers' output longer than this is refused: no plan is that long (the longest are a few hundred
#: thousand characters), and later stages cost memory in proportion (a zip bomb under the part limits).
MAX_TEXT_CHARS = 5_000_000


def read(path: str | Path) -> RawDocument:
    """Read one file into text with page offsets, choosing the reader from its content."""
    raw = _read(Path(path))
    if len(raw.text) > MAX_TEXT_CHARS:
        raise PipelineError(
            "too_large",
            f"{Path(path).name}: {len(raw.text):,} characters of text is over the {MAX_TEXT_CHARS:,} limit "
            "(a plan is at most a few hundred thousand)",
        )
    return raw


def _read(path: Path) -> RawDocument:
    kind = sniff(path)
    if kind == "pdf":
        from pipeline.ingest import pdf

        return pdf.read(path)
    if kind == "docx":
        from pipeline.ingest import word

        return word.read(path)
    if kind == "doc":
        from pipeline.ingest import word97

        return word97.read(path)
    if kind == "html":
        from pipeline.ingest import html

        return html.read(path)
    if kind == "md":
        from pipeline.ingest import markdown

        return markdown.read(path)
    if kind == "txt":
        from pipeline.ingest import plaintext

        return plaintext.read(path)
    if kind == "image":
        from pipeline.ingest import image

        return image.read(path)
    raise PipelineError("unsupported", f"{path.name}: unrecognised file type")
