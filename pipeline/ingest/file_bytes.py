"""The bytes of an input file, read once and within the size limit, for the readers of text formats.

The plain-text, Markdown and HTML readers decode the whole file in memory. The dispatcher
(:func:`pipeline.ingest.read`) checks the size before choosing a reader, but a reader may be called
directly (tests, tools), so each of them reads through :func:`read_limited` and refuses a missing,
unreadable or oversized file with the same errors.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.sniff import MAX_BYTES
from pipeline.model import PipelineError


def read_limited(path: Path) -> bytes:
    """The file's bytes, refusing a missing, unreadable or oversized file with a PipelineError."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PipelineError(
                "too_large", f"{path.name}: {size / 2**20:.0f} MiB is over the {MAX_BYTES // 2**20} MiB limit"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise PipelineError("missing", f"{path}: no such file") from None
    except OSError as exc:
        raise PipelineError("corrupt", f"{path.name}: the file could not be read ({exc.strerror})") from None
