"""The section tree of a plan's body: every numbered heading or bullet, its parent, level and span.

Level 1 is the outermost numbering that the body uses (Roman numerals where the plan has them). Ids are
paths of labels ("II.1.2"); bullets, which have no label of their own, take their ordinal among their
siblings ("II.1.-3"). Numbering anomalies among level-1 headings (a repeated, skipped or out-of-order
numeral) are flagged on the section where they occur, never silently renumbered: an auditor wants to see
them.
"""

from __future__ import annotations

import re

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
    # Most numbered lines open with an ordinary word: they have no upper-case run to cut (the test of the
    # first word is :func:`_upper_prefix`'s own first step) and do have a lower-case letter.
    space = text.find(" ")
    if _in_upper_run(text if space < 0 else text[:space]):
        upper = _upper_prefix(text)
        if upper:
            return upper
    # "no lower-case letter" first: on an ordinary line it fails at the second character, before the letters
    # of the whole line are counted (both tests are pure, so the order does not change the answer)
    if len(text) <= _MAX_HEADING and not any(map(str.islower, text)) and sum(map(str.isalpha, text)) >= 4:
        return text.rstrip(".;: ")  # all capitals: a heading whole, even where a comma was read as a stop
    # The first stop: searched from the first "." or ";" (found at C speed), since none stands before it,
    # and not at all on the third of lines that have neither.
    first, semicolon = text.find("."), text.find(";")
    if first < 0 or 0 <= semicolon < first:
        first = semicolon
    stop = _SENTENCE_STOP.search(text, first) if first >= 0 else None
    if stop and stop.start() <= _MAX_HEADING:
        return text[: stop.start()].strip()
    if len(text) <= _MAX_HEADING:
        return text.rstrip(".;: ")
    cut = text.rfind(" ", 0, _MAX_HEADING)
    return text[: cut if cut > 0 else _MAX_HEADING].rstrip(",;: ")


_SENTENCE_STOP = re.compile(r"[.;](?:\s|$)")


def _upper_prefix(text: str) -> str:
    """The upper-case words that open ``text`` when ordinary (lower-case) text follows them."""
    # Most numbered lines open with an ordinary word: that answer needs neither the split nor the join.
    space = text.find(" ")
    if not _in_upper_run(text if space < 0 else text[:space]):
        return ""
    words = text.split(" ")
    n = 1
    while n < len(words) and _in_upper_run(words[n]):
        n += 1
    if n == len(words):
        return ""
    head = " ".join(words[:n]).rstrip(",; -–")
    if _count_alpha(head) >= 4 and _has_lower(words[n]):
        return head
    return ""


def _in_upper_run(word: str) -> bool:
    """A word of an upper-case run: in capitals, or without any letter ("-", "2025")."""
    return word.isupper() or not (word.isalpha() or any(map(str.isalpha, word)))


def _count_alpha(text: str) -> int:
    """How many letters ``text`` holds (``str.isalpha`` per character, counted at C speed)."""
    return sum(map(str.isalpha, text))


def _has_lower(text: str) -> bool:
    """Whether ``text`` holds a lower-case letter (``str.islower`` per character)."""
    return any(map(str.islower, text))


class _Node:
    """An open section on the stack: its marker's rank, its section, and the ids and bullets of its children.

    A plain class with slots: one is made for every numbered line of a plan."""

    __slots__ = ("bullets", "ids", "rank", "section")

    def __init__(self, marker: Marker, section: Section) -> None:
        self.rank = marker.rank
        self.section = section
        self.bullets = 0
        self.ids: set[str] = set()


def build_tree(lines: list[Line], region_end: int, level_offset: int = 0, id_prefix: str = "") -> list[Section]:
    """Sections for the numbered lines among ``lines``; the last ones end at offset ``region_end``.

    ``level_offset`` and ``id_prefix`` place the tree under an outer node (an annex's own numbering).
    """
    sections: list[Section] = []
    stack: list[_Node] = []
    root_ids: set[str] = set()
    root_bullets = 0
    for line in lines:
        text = line.text
        stripped = text.strip()  # ``line.stripped``, without the property call on every line
        marker = parse_marker(stripped) if stripped else None
        if marker is None:
            continue
        rank, kind, label = marker.rank, marker.kind, marker.label
        while stack and stack[-1].rank >= rank:
            closed = stack.pop().section  # ends where this line starts (``_close``, inline: once per section)
            closed.char_end = line.start if line.start > closed.char_start else closed.char_start
        parent = stack[-1] if stack else None
        siblings = parent.ids if parent else root_ids
        if kind == "bullet":
            if parent:
                parent.bullets += 1
                ordinal = parent.bullets
            else:
                root_bullets += 1
                ordinal = root_bullets
            own = f"-{ordinal}"
        else:
            own = label.rpartition(".")[2] if kind == "decimal" else label
        parent_id = parent.section.section_id if parent else id_prefix
        section_id = f"{parent_id}.{own}" if parent_id else own
        if section_id in siblings:  # a repeated number keeps a unique id: "II", then "II#2"
            base, n = section_id, 2
            while section_id in siblings:
                section_id = f"{base}#{n}"
                n += 1
        siblings.add(section_id)
        start = line.start + len(text) - len(text.lstrip())  # ``line.content_start``
        heading = heading_of(stripped[marker.length :])
        head_at = text.find(heading, marker.length) if heading else -1
        heading_start = line.start + head_at if head_at >= 0 else start + marker.length
        section = Section(
            section_id,
            parent_id,
            len(stack) + 1 + level_offset,
            label,
            heading,
            start,
            region_end,
            heading_start,
            heading_start + len(heading),
            kind,
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
