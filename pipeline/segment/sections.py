"""The section tree of a plan's body: every numbered heading or bullet, its parent, level and span.

Level 1 is the outermost numbering that the body uses (Roman numerals where the plan has them). Ids are
paths of labels ("II.1.2"); bullets, which have no label of their own, take their ordinal among their
siblings ("II.1.-3"). Numbering anomalies among level-1 headings (a repeated, skipped or out-of-order
numeral) are flagged on the section where they occur, never silently renumbered: an auditor wants to see
them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.model import Line, Section
from pipeline.segment.markers import Marker, int_to_roman, parse_marker, roman_to_int

_MAX_HEADING = 200


def heading_of(rest: str) -> str:
    """The heading part of a numbered line's text (after its marker).

    A heading may run on into text on the same line: "I. MỤC ĐÍCH, YÊU CẦU: Tuyên truyền ..." or
    "II. NỘI DUNG Tuyên truyền ...". The heading stops at a colon, at the end of an upper-case run that
    is followed by ordinary text, or at the first sentence stop (a line all in capitals has none: it is a
    heading whole); long items are cut at a word boundary.
    """
    text = rest.strip()
    colon = text.find(":")
    if 0 < colon <= _MAX_HEADING:
        return text[:colon].strip()
    upper = _upper_prefix(text)
    if upper:
        return upper
    if len(text) <= _MAX_HEADING and sum(c.isalpha() for c in text) >= 4 and not any(c.islower() for c in text):
        return text.rstrip(".;: ")  # all capitals: a heading whole, even where a comma was read as a stop
    stop = re.search(r"[.;](?:\s|$)", text)
    if stop and stop.start() <= _MAX_HEADING:
        return text[: stop.start()].strip()
    if len(text) <= _MAX_HEADING:
        return text.rstrip(".;: ")
    cut = text.rfind(" ", 0, _MAX_HEADING)
    return text[: cut if cut > 0 else _MAX_HEADING].rstrip(",;: ")


def _upper_prefix(text: str) -> str:
    """The upper-case words that open ``text`` when ordinary (lower-case) text follows them."""
    words = text.split(" ")
    n = 0
    while n < len(words) and (words[n].isupper() or not any(c.isalpha() for c in words[n])):
        n += 1
    head = " ".join(words[:n]).rstrip(",; -–")
    if n < len(words) and sum(c.isalpha() for c in head) >= 4 and any(c.islower() for c in words[n]):
        return head
    return ""


@dataclass
class _Node:
    marker: Marker
    section: Section
    children: int = 0
    bullets: int = 0
    ids: set[str] = field(default_factory=set)


def build_tree(lines: list[Line], region_end: int, level_offset: int = 0, id_prefix: str = "") -> list[Section]:
    """Sections for the numbered lines among ``lines``; the last ones end at offset ``region_end``.

    ``level_offset`` and ``id_prefix`` place the tree under an outer node (an annex's own numbering).
    """
    sections: list[Section] = []
    stack: list[_Node] = []
    root_ids: set[str] = set()
    root_bullets = 0
    for line in lines:
        stripped = line.stripped
        marker = parse_marker(stripped) if stripped else None
        if marker is None:
            continue
        while stack and stack[-1].marker.rank >= marker.rank:
            _close(stack.pop().section, line.start)
        parent = stack[-1] if stack else None
        siblings = parent.ids if parent else root_ids
        if marker.kind == "bullet":
            if parent:
                parent.bullets += 1
                ordinal = parent.bullets
            else:
                root_bullets += 1
                ordinal = root_bullets
            own = f"-{ordinal}"
        else:
            own = marker.label.split(".")[-1] if marker.kind == "decimal" else marker.label
        parent_id = parent.section.section_id if parent else id_prefix
        section_id = f"{parent_id}.{own}" if parent_id else own
        base, n = section_id, 2
        while section_id in siblings:  # a repeated number keeps a unique id: "II", then "II#2"
            section_id = f"{base}#{n}"
            n += 1
        siblings.add(section_id)
        start = line.content_start
        heading = heading_of(stripped[marker.length :])
        head_at = line.text.find(heading, marker.length) if heading else -1
        heading_start = line.start + head_at if head_at >= 0 else start + marker.length
        section = Section(
            section_id=section_id,
            parent_id=parent_id,
            level=len(stack) + 1 + level_offset,
            label=marker.label,
            heading=heading,
            char_start=start,
            char_end=region_end,
            heading_start=heading_start,
            heading_end=heading_start + len(heading),
            marker=marker.kind,
        )
        sections.append(section)
        stack.append(_Node(marker, section))
    for node in stack:
        _close(node.section, region_end)
    return sections


def _close(section: Section, end: int) -> None:
    section.char_end = max(section.char_start, end)


def flag_anomalies(sections: list[Section], level: int = 1) -> list[str]:
    """Mark repeated, skipped and out-of-order numbers among the Roman-numbered sections of ``level``.

    Returns the anomalies as short phrases ("II repeated", "IV skipped", "III out of order").
    """
    found: list[str] = []
    expected = 1
    seen: set[int] = set()
    for s in sections:
        if s.level != level or s.marker != "roman":
            continue
        value = roman_to_int(s.label)
        notes = []
        if value in seen:
            notes.append(f"{s.label} repeated")
        elif value > expected:
            notes.extend(f"{int_to_roman(v)} skipped" for v in range(expected, value))
        elif value < expected:
            notes.append(f"{s.label} out of order")
        if notes:
            s.anomaly = "; ".join(notes)
            found.extend(notes)
        seen.add(value)
        expected = max(expected, value + 1)
    return found
