"""The date of a cited document, as plans write it right after the number.

Plans write it "ngày 26/8/2024", "ngày 30-5-2019", "ngày 04.02.2020" or in words "ngày 26 tháng 8 năm
2024", usually after the number and a comma ("Kế hoạch số 173-KH/TU, ngày 26/8/2024 của ..."). A date that
cannot exist (31/2/2024) is kept as written and flagged ``impossible_date``, never moved to a nearby day:
the auditor must see the citing plan's mistake. The words ("ngày", "tháng", "năm") come from
:class:`~pipeline.rules.citation_rules.CitationRules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipeline.rules.citation_rules import CitationRules

__all__ = ["CitedDate", "DateReader"]


@dataclass(frozen=True)
class CitedDate:
    """A date as read: ISO value (empty when impossible), the text, its span, and any flag."""

    iso: str
    text: str
    start: int
    end: int
    flag: str = ""


class DateReader:
    """Reads the date that opens ``text[pos:]`` (after optional ", ngày")."""

    def __init__(self, rules: CitationRules | None = None) -> None:
        rules = rules or CitationRules.default()
        day, month, year = (re.escape(rules.date_words[k]) for k in ("day", "month", "year"))
        numeric = r"(?P<d>\d{1,2})\s*(?P<s>[/.-])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<y>(?:19|20)\d\d)"
        spelled = rf"(?P<d2>\d{{1,2}})\s+{month}\s+(?P<m2>\d{{1,2}})\s*,?\s+{year}\s+(?P<y2>(?:19|20)\d\d)"
        # With the word "ngày" the date may follow a comma; without it, only directly or in brackets.
        self._with_word = re.compile(
            rf"[ \t]*,?[ \t]*\(?{day}[ \t]*:?[ \t]*(?:{numeric}|{spelled})(?!\d)", re.IGNORECASE
        )
        self._bare = re.compile(rf"[ \t]*[,(]?[ \t]*(?:{numeric})(?!\d)")

    def read(self, text: str, pos: int) -> CitedDate | None:
        """The date at ``pos`` (spaces, a comma and "ngày" may come first), or ``None``."""
        m = self._with_word.match(text, pos) or self._bare.match(text, pos)
        if not m:
            return None
        g = m.groupdict()
        d, mo, y = (g["d"] or g.get("d2"), g["m"] or g.get("m2"), g["y"] or g.get("y2"))
        start = m.start("d") if g["d"] else m.start("d2")
        written = text[start : m.end()]
        try:
            iso = date(int(y), int(mo), int(d)).isoformat()
        except ValueError:
            return CitedDate("", written, start, m.end(), "impossible_date")
        return CitedDate(iso, written, start, m.end())
