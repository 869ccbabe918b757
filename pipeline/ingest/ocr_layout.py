"""Page text from Tesseract's word table: lines, paragraphs, and two-column runs read one column at a time.

Tesseract (``--psm 3``) groups words into blocks, paragraphs and lines, but on a plan's first page it often
takes the two columns of the header as one: "BỘ CÔNG AN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" comes back as
one line, the organ and the national motto interleaved line by line, and the same happens to the recipients
list beside the signature block. The metadata extractor expects each column whole (as Word and text PDFs
give it), so a run of lines that each have one wide gap (a gutter: several times the words' height) is
written as its left column, then its right column. Lines with two or more wide gaps (a table row) are left
as they are.

Within a paragraph, a line the typesetter wrapped is joined to the next one by a space; see
:func:`paragraph_text`.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from typing import Any

#: A gap between two words at least this many times the words' median height is a column gutter
#: (a justified line stretches its spaces to about one height at most).
GUTTER_HEIGHTS = 3.0
#: A line that reaches this share of its paragraph's width was wrapped by the typesetter, not ended.
WRAPPED_LINE_SHARE = 0.9
_ITEM_START = re.compile(r"^(?:[IVXL]+\s*[.)\-–]|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-+*•–])\s")


@dataclass(frozen=True)
class Word:
    """One word Tesseract read, with its box in pixels."""

    text: str
    left: int
    right: int
    height: int


@dataclass
class Line:
    """The words of one line, left to right."""

    words: list[Word] = field(default_factory=list)

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def lines_of(data: dict[str, list[Any]], replace: dict[int, str] | None = None) -> list[list[Line]]:
    """The paragraphs of a page (Tesseract's block and paragraph), each a list of lines; ``replace`` maps
    word indexes to a better reading of that word (the Roman numeral pass)."""
    replace = replace or {}
    paragraphs: dict[tuple[int, int], dict[int, Line]] = {}
    for i, raw in enumerate(data["text"]):
        text = replace.get(i, (raw or "").strip())
        if not text:
            continue
        key = (data["block_num"][i], data["par_num"][i])
        line = paragraphs.setdefault(key, {}).setdefault(data["line_num"][i], Line())
        left = int(data["left"][i])
        line.words.append(Word(text, left, left + int(data["width"][i]), int(data["height"][i])))
    return [list(lines.values()) for lines in paragraphs.values()]


def page_text(paragraphs: list[list[Line]]) -> str:
    """The page's text: paragraphs separated by a blank line, and each run of two-column lines (which may
    span Tesseract's paragraphs: it often cuts a header in two) written left column first."""
    chunks: list[str] = []
    lefts: list[Line] = []
    rights: list[Line] = []
    for lines in paragraphs:
        prose: list[Line] = []
        for line in lines:
            columns = split_columns(line)
            if columns is None:
                if lefts:
                    chunks.append("\n".join(x.text for x in [*lefts, *rights]))
                    lefts, rights = [], []
                prose.append(line)
                continue
            if prose:
                chunks.append(paragraph_text(prose))
                prose = []
            lefts.append(columns[0])
            rights.append(columns[1])
        if prose:
            chunks.append(paragraph_text(prose))
    if lefts:
        chunks.append("\n".join(x.text for x in [*lefts, *rights]))
    return "\n\n".join(chunks)


def split_columns(line: Line) -> tuple[Line, Line] | None:
    """The left and right column of a line with exactly one gutter, or None.

    Stray marks (a lone "." or "'" from a stamp or the paper) are not words: they neither make nor break a
    gutter, and one standing in the gutter is dropped.
    """
    words = [w for w in line.words if any(c.isalnum() for c in w.text)]
    if len(words) < 2:
        return None
    height = statistics.median(w.height for w in words)
    gutters = [b.left for a, b in itertools.pairwise(words) if b.left - a.right >= GUTTER_HEIGHTS * height]
    if len(gutters) != 1:
        return None
    split = gutters[0]
    left_end = max(w.right for w in words if w.left < split)
    left = Line([w for w in line.words if w.right <= left_end])
    right = Line([w for w in line.words if w.left >= split])
    return left, right


def paragraph_text(lines: list[Line]) -> str:
    """A paragraph's lines, with the lines the typesetter wrapped joined back by a space.

    A line is a wrap when it is prose (has lower-case letters), runs (nearly) to the paragraph's right edge
    and the next line neither opens a list item nor is written in capitals (a type line such as "TỜ TRÌNH"
    under the header's last line); short lines and capitals (headings, the organ lines of a header, a
    signature) keep their breaks. The joins that remain uncertain are left to :mod:`pipeline.normalize`, as
    for any text.
    """
    right_edge = max(line.right for line in lines)
    left_edge = min(line.left for line in lines)
    out = lines[0].text
    for prev, line in itertools.pairwise(lines):
        text = line.text
        wrapped = prev.right >= left_edge + WRAPPED_LINE_SHARE * (right_edge - left_edge)
        prose = any(c.islower() for c in prev.text)  # capitals are headings and organ names
        joins = wrapped and prose and len(prev.words) > 3 and not _ITEM_START.match(text) and not _capitals(text)
        out += (" " if joins else "\n") + text
    return out


def _capitals(text: str) -> bool:
    """A line written in capitals (at least two letters, none lower-case)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)
