"""Split normalized text into lines that keep their offsets."""

from __future__ import annotations

from pipeline.model import Line


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (blank ones included), with ``start``/``end`` offsets into ``text``."""
    lines: list[Line] = []
    pos = 0
    for chunk in text.split("\n"):
        lines.append(Line(text=chunk, start=pos, end=pos + len(chunk)))
        pos += len(chunk) + 1
    return lines
