"""Roman numerals, which Vietnamese documents use for their parts, congress numbers and terms ("khóa XV")."""

from __future__ import annotations

_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_SYMBOLS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman_to_int(label: str) -> int:
    """Value of an upper-case Roman numeral ("XIV" → 14); raises KeyError on another character."""
    total = 0
    for i, ch in enumerate(label):
        v = _VALUE[ch]
        total += -v if i + 1 < len(label) and _VALUE[label[i + 1]] > v else v
    return total


def int_to_roman(n: int) -> str:
    """The Roman numeral of a positive integer (empty for 0)."""
    out = []
    for value, sym in _SYMBOLS:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)
