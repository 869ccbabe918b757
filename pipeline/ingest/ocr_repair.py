"""Repairs of OCR misreadings, only where the extractors depend on them, and never silent.

Tesseract's Vietnamese model damages a few things the tables key on: the diacritics of the lines that
mark a plan's parts ("KÉẺ HOẠCH" for "KẾ HOẠCH", "TỔ CHỨC THỰC HIỆN"), Roman section numerals ("H." for
"II."), and digits inside numbers and dates ("l1" for "11", "2O24"). Each repair needs evidence: a line is
replaced only when, without its diacritics, it is one letter away from a known line; a numeral only when
the corrected value continues the page's sequence of numerals; a digit only between digits. Every repair
is returned as a :class:`~pipeline.model.Repair` with the raw string, so the tables can show both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from pipeline.model import Repair
from pipeline.numerals import roman_to_int
from pipeline.rules.loading import RuleFile, check_keys, mapping, texts

_KEYS = {"note", "key_lines", "key_headings", "key_phrases", "numeral_confusions", "digit_confusions"}


@dataclass(frozen=True)
class OcrRepairRules(RuleFile):
    """The known lines, headings and confusions of ``ocr_repairs.json``."""

    FILE = "ocr_repairs.json"

    key_lines: tuple[str, ...]
    key_headings: tuple[str, ...]
    key_phrases: tuple[str, ...]
    numeral_confusions: dict[str, str]
    digit_confusions: dict[str, str]

    @classmethod
    def from_data(cls, data: Any, source: str) -> OcrRepairRules:
        check_keys(data, _KEYS, _KEYS - {"note"}, source)
        return cls(
            key_lines=texts(data, "key_lines", source),
            key_headings=texts(data, "key_headings", source),
            key_phrases=texts(data, "key_phrases", source),
            numeral_confusions=dict(mapping(data, "numeral_confusions", source)),
            digit_confusions=dict(mapping(data, "digit_confusions", source)),
        )


def _bare(text: str) -> str:
    """Upper case without diacritics (đ kept apart), the form OCR damage is measured on."""
    decomposed = unicodedata.normalize("NFD", text.upper().replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, for the short lines compared here."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@cache
def _roman_line() -> re.Pattern[str]:
    confusable = "".join(sorted({c for k in OcrRepairRules.default().numeral_confusions for c in k} | set("IVXL")))
    return re.compile(rf"^(?P<num>[{re.escape(confusable)}]{{1,5}})(?P<sep>\s*[.)\-–:]\s*)(?P<rest>\S.*)$")


def _valid_roman(token: str) -> bool:
    return bool(re.fullmatch(r"(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})", token))


def repair_page(text: str, page: int, rules: OcrRepairRules | None = None) -> tuple[str, list[Repair]]:
    """Repair one OCR'd page; returns the new text and the repairs with offsets into it."""
    rules = rules or OcrRepairRules.default()
    out: list[str] = []
    repairs: list[Repair] = []
    offset = 0
    expected_roman = 1
    for line in text.split("\n"):
        new, rule = _repair_line(line, rules, expected_roman)
        m = _roman_line().match(new.strip())
        if m and _valid_roman(m.group("num")):
            expected_roman = roman_to_int(m.group("num")) + 1
        if new != line:
            lead = len(new) - len(new.lstrip())
            repairs.append(
                Repair(
                    page=page,
                    char_start=offset + lead,
                    char_end=offset + len(new.rstrip()),
                    raw=line.strip(),
                    repaired=new.strip(),
                    rule=rule,
                )
            )
        digits, found = _repair_digits(new, rules)
        for start, end, raw, fixed in found:
            repairs.append(
                Repair(
                    page=page,
                    char_start=offset + start,
                    char_end=offset + end,
                    raw=raw,
                    repaired=fixed,
                    rule="digit",
                )
            )
        out.append(digits)
        offset += len(digits) + 1
    return "\n".join(out), repairs


def _repair_line(line: str, rules: OcrRepairRules, expected_roman: int) -> tuple[str, str]:
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return line, ""
    known = _closest(stripped, rules.key_lines)
    if known and known != stripped:
        return line.replace(stripped, known), "key_line"
    m = _roman_line().match(stripped)
    if not m:
        return line, ""
    num, sep, rest = m.group("num"), m.group("sep"), m.group("rest")
    fixed_num = num
    if not _valid_roman(num):
        candidate = rules.numeral_confusions.get(num, "")
        if not (candidate and _valid_roman(candidate) and roman_to_int(candidate) == expected_roman):
            return line, ""
        fixed_num = candidate
    heading = _closest(rest.rstrip(":"), rules.key_headings) or rest
    if heading != rest.rstrip(":"):
        heading += ":" if rest.endswith(":") else ""
    else:
        heading = rest
    new = f"{fixed_num}{sep}{heading}"
    if new == stripped:
        return line, ""
    return line.replace(stripped, new), "roman_numeral" if fixed_num != num else "key_heading"


def _closest(text: str, known: tuple[str, ...]) -> str | None:
    """The known line ``text`` is a damaged copy of: one (or, for long lines, two) letters away once
    diacritics are set aside, and not another known line."""
    bare = _bare(text)
    for candidate in known:
        limit = 1 if len(candidate) < 20 else 2
        if abs(len(candidate) - len(text)) <= limit and _distance(bare, _bare(candidate)) <= limit:
            return candidate
    return None


_DIGITISH = re.compile(r"(?<=\d)[OoØlI|](?=[\d/])|(?<=[\s/.(-])[lI|O](?=\d{1,3}\b)(?=\d)")


def _repair_digits(line: str, rules: OcrRepairRules) -> tuple[str, list[tuple[int, int, str, str]]]:
    """Letters read for digits inside numbers and dates ("2O24", "tháng l1"); only between digits, or a
    letter that opens a one- to three-digit number after a space or a date separator."""
    found: list[tuple[int, int, str, str]] = []

    def fix(m: re.Match[str]) -> str:
        new = rules.digit_confusions.get(m.group(0), m.group(0))
        if new != m.group(0):
            found.append((m.start(), m.end(), m.group(0), new))
        return new

    return _DIGITISH.sub(fix, line), found


def shift_repair(repair: Repair, by: int) -> Repair:
    """A page's repair placed in the whole document's text (its page starts at ``by``)."""
    return replace(repair, char_start=repair.char_start + by, char_end=repair.char_end + by)
