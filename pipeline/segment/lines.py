"""Split normalized text into lines that keep their offsets."""

from __future__ import annotations

from itertools import accumulate
from operator import add

from pipeline.model import Line


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (blank ones included), with ``start``/``end`` offsets into ``text``."""
    chunks = text.split("\n")
    lengths = list(map(len, chunks))
    # The offsets added up at C speed: a line starts one past the end of the line before (its newline).
    starts = list(accumulate(map((1).__add__, lengths[:-1]), initial=0))
    return list(map(Line, chunks, starts, map(add, starts, lengths)))
