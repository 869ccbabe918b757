"""Segmentation: the parts of a plan (header, title, preamble, body, closing, annexes) and its section tree.

``segment`` is the one verb: it takes normalized text and returns a :class:`Segmented` document that the
extractors read. Level-1 sections get their categories from their heading's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.model import Line, NormalizedText, Section
from pipeline.rules.gazetteer import DocumentTypes, HeadingCategories
from pipeline.rules.language import LanguageRules
from pipeline.segment.layout import ANNEX, Layout, find_layout
from pipeline.segment.lines import split_lines
from pipeline.segment.sections import build_tree, flag_anomalies

__all__ = ["Segmented", "segment"]


@dataclass
class Segmented:
    """A normalized document cut into its parts, with its section tree."""

    text: str
    lines: list[Line]
    layout: Layout
    sections: list[Section] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)

    def lines_between(self, start: int, end: int) -> list[Line]:
        return self.lines[start:end]

    @property
    def header_lines(self) -> list[Line]:
        return self.lines[: self.layout.header_end]

    @property
    def closing_lines(self) -> list[Line]:
        end = self.layout.annexes[0][0] if self.layout.annexes else len(self.lines)
        return self.lines[self.layout.closing_start : end]

    def offset_of_line(self, index: int) -> int:
        return self.lines[index].start if index < len(self.lines) else len(self.text)

    def section_at(self, offset: int) -> Section | None:
        """The innermost section holding ``offset`` (the deepest level; the later one on a tie), if any."""
        best = None
        for s in self.sections:
            if s.char_start <= offset < s.char_end and (best is None or s.level >= best.level):
                best = s
        return best


def segment(
    norm: NormalizedText,
    types: DocumentTypes | None = None,
    categories: HeadingCategories | None = None,
    language: LanguageRules | None = None,
) -> Segmented:
    """Cut ``norm.text`` into parts and build its section tree."""
    types = types or DocumentTypes.default()
    categories = categories or HeadingCategories.default()
    language = language or LanguageRules.default()
    lines = split_lines(norm.text)
    layout = find_layout(
        lines, types.names(), language.preamble_openers, language.addressee_openers, language.header_boilerplate
    )
    doc = Segmented(text=norm.text, lines=lines, layout=layout)
    body_end = doc.offset_of_line(layout.closing_start)
    body_lines = lines[layout.body_start : layout.closing_start]
    doc.sections = build_tree(body_lines, _trim_end(norm.text, body_end))
    doc.anomalies = flag_anomalies(doc.sections)
    for k, (first, last) in enumerate(layout.annexes, start=1):
        doc.sections.extend(_annex_sections(doc, k, first, last))
    for s in doc.sections:
        if s.level == 1:
            s.category = categories.categorize(s.heading)
    return doc


def _trim_end(text: str, end: int) -> int:
    """Move a section end back over the blank lines before it."""
    while end > 0 and text[end - 1] in " \n":
        end -= 1
    return end


def _annex_sections(doc: Segmented, k: int, first: int, last: int) -> list[Section]:
    """An annex as a level-1 node ("Phụ lục I") with its own numbering beneath it."""
    head = doc.lines[first]
    m = ANNEX.match(head.stripped)
    number = (m.group("no") if m else "") or ""
    label = f"Phụ lục {number}".strip()
    heading, heading_line = (m.group("rest").strip(" .:-–") if m else ""), first
    h_start = head.content_start + len(head.stripped) - len(heading)
    if not heading:  # the heading is the upper-case lines under "Phụ lục I", up to the "(Kèm theo ...)" line
        parts: list[Line] = []
        for j in range(first + 1, min(last, first + 6)):
            s = doc.lines[j].stripped
            if s and not s.startswith("(") and s.isupper():
                parts.append(doc.lines[j])
            elif s or parts:
                break
        if parts:
            heading = " ".join(p.stripped for p in parts)
            heading_line, h_start = doc.lines.index(parts[-1]), parts[0].content_start
    end = _trim_end(doc.text, doc.offset_of_line(last))
    node_id = f"PL{k}"
    annex = Section(
        section_id=node_id,
        parent_id="",
        level=1,
        label=label,
        heading=heading,
        char_start=head.content_start,
        char_end=max(end, head.content_start),
        heading_start=h_start,
        heading_end=max(h_start + len(heading), doc.lines[heading_line].content_end) if heading else h_start,
        marker="annex",
    )
    inner = build_tree(doc.lines[heading_line + 1 : last], end, level_offset=1, id_prefix=node_id)
    return [annex, *inner]
