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


def read(path: str | Path) -> RawDocument:
    """Read one file into text with page offsets, choosing the reader from its content."""
    path = Path(path)
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
