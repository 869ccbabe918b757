"""The numbering grammar of Vietnamese plans: what a line's leading marker is, and how deep it ranks.

Nghị định 30/2020/NĐ-CP (Phụ lục I) numbers the parts of an administrative document with Roman numerals,
then Arabic numerals ("1.", "1.1.", "1.1.1."), then lower-case letters ("a)"), then dashes and plus signs;
party documents follow the same habit. Real files vary: "I -", "I)", "II NỘI DUNG" without a stop,
"1.1" without the final dot, "a." for "a)". :func:`parse_marker` accepts these variants and returns a
:class:`Marker` whose ``rank`` orders kinds from the outermost to the innermost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.numerals import int_to_roman, roman_to_int

__all__ = ["UPPER", "Marker", "int_to_roman", "parse_marker", "roman_to_int"]

#: Vietnamese upper-case letters for character classes (a range like "À-Ỹ" would take lower case too).
UPPER = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA, 2))

_VALID_ROMAN = re.compile(r"^(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")

_ROMAN = re.compile(
    r"^(?P<prefix>(?:PHẦN|Phần|MỤC|Mục)\s+)?(?P<label>[IVXL]{1,7})(?:\s*[.):\-–]+[ \t]*|[ \t]+(?=["
    + UPPER
    + r"]{2,}))"
)
_DECIMAL = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){0,4})(?P<stop>\.\)|[.)]|(?=[ \t]))[ \t]*")
_ALPHA = re.compile(r"^(?P<label>[a-zđ])\s*[).](?=\s|\w)\s*")
_BULLET = re.compile(r"^(?P<label>[-+*•–●○▪■◦])(?=\s*\S)(?![-–]{2})\s*")

#: Ranks of marker kinds, outermost first; decimal markers rank by depth ("1." above "1.1.").
ROMAN_RANK = 0
ALPHA_RANK = 20
BULLET_RANKS = {"-": 30, "–": 30, "+": 31, "*": 32, "•": 32, "●": 32, "○": 33, "▪": 33, "■": 33, "◦": 33}


@dataclass(frozen=True)
class Marker:
    """A line's leading number or bullet: its label as written, kind, rank and where the text starts."""

    label: str
    kind: str
    rank: int
    length: int

    @property
    def value(self) -> int:
        """The numeric value of a Roman or Arabic label (the last component for "1.2"), else 0."""
        if self.kind == "roman":
            return roman_to_int(self.label)
        if self.kind == "decimal":
            return int(self.label.split(".")[-1])
        if self.kind == "alpha":
            return ord(self.label) - ord("a") + 1
        return 0


#: The characters each kind of marker opens with (a decimal one with a digit, ``\d``): Roman numerals or
#: "PHẦN"/"MỤC" (:data:`_ROMAN`), lower-case letters (:data:`_ALPHA`), bullets (:data:`_BULLET`). The four
#: sets have no character in common, so a line's first character tells which pattern alone can match it.
_ROMAN_FIRST = frozenset("IVXLPM")
_ALPHA_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzđ")
_BULLET_FIRST = frozenset("-+*•–●○▪■◦")
_MARKER_FIRST = _ROMAN_FIRST | _ALPHA_FIRST | _BULLET_FIRST
#: A line made of these characters only is a rule or a separator ("-----", "* * *"), not a bullet.
_RULE_CHARS = "-–_=*. "


def parse_marker(line: str) -> Marker | None:
    """The marker that opens ``line`` (already stripped), or None for plain text.

    Most lines of a plan open with a letter no marker can open with ("Tuyên truyền ...", "Các cơ quan
    ..."): those are answered from their first character, without the cache's hashing of the whole line
    or the four patterns.
    """
    first = line[:1]
    if first not in _MARKER_FIRST and not first.isdecimal():
        return None
    return _parse_marker(line)


@lru_cache(maxsize=2048)
def _parse_marker(line: str) -> Marker | None:
    """:func:`parse_marker` past its first-character test: the one pattern that the first character allows
    (the others cannot match, so trying them first, as the rules read, gives the same answer).

    Cached on the line: the segmenter, the phase, deadline and unit extractors each ask about the same
    lines of a plan (some 270 calls a plan), and a :class:`Marker` is immutable, so one answer serves all.
    """
    first = line[0]
    if first in _ROMAN_FIRST:
        m = _ROMAN.match(line)
        if m and _VALID_ROMAN.match(m.group("label")) and len(line) > m.end():
            return _marker(m.group("label"), "roman", ROMAN_RANK, m.end())
    elif first.isdecimal():
        m = _DECIMAL.match(line)
        if m and len(line) > m.end() and not line[m.end()].isdigit() and line[m.end()] not in "/%,-":
            label = m.group("label")
            if "." in label or m.group("stop"):
                return _marker(label, "decimal", label.count(".") + 1, m.end())
    elif first in _ALPHA_FIRST:
        m = _ALPHA.match(line)
        if m and len(line) > m.end() + 1:
            return _marker(m.group("label"), "alpha", ALPHA_RANK, m.end())
    else:
        m = _BULLET.match(line)
        # ``not line.lstrip(...)``: every character is a rule character (without building the line's set)
        if m and line.lstrip(_RULE_CHARS):
            label = m.group("label")
            return _marker(label, "bullet", BULLET_RANKS.get(label, 33), m.end())
    return None


@lru_cache(maxsize=1024)
def _marker(label: str, kind: str, rank: int, length: int) -> Marker:
    """A :class:`Marker`, one per shape: a frozen dataclass costs a microsecond to build, and plans use a
    few dozen shapes ("1.", "a)", "- ") over and over."""
    return Marker(label, kind, rank, length)
