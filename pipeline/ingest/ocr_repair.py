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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from pipeline.model import Repair
from pipeline.numerals import int_to_roman, roman_to_int
from pipeline.rules.loading import RuleFile, check_keys, mapping, texts

_KEYS = {
    "note",
    "key_lines",
    "key_headings",
    "key_phrases",
    "header_words",
    "numeral_confusions",
    "digit_confusions",
    "slash_confusions",
}


@dataclass(frozen=True)
class OcrRepairRules(RuleFile):
    """The known lines, headings and confusions of ``ocr_repairs.json``."""

    FILE = "ocr_repairs.json"

    key_lines: tuple[str, ...]
    key_headings: tuple[str, ...]
    key_phrases: tuple[str, ...]
    header_words: tuple[str, ...]
    numeral_confusions: dict[str, str]
    digit_confusions: dict[str, str]
    slash_confusions: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: Any, source: str) -> OcrRepairRules:
        check_keys(data, _KEYS, _KEYS - {"note"}, source)
        return cls(
            key_lines=texts(data, "key_lines", source),
            key_headings=texts(data, "key_headings", source),
            key_phrases=texts(data, "key_phrases", source),
            header_words=texts(data, "header_words", source),
            numeral_confusions=dict(mapping(data, "numeral_confusions", source)),
            digit_confusions=dict(mapping(data, "digit_confusions", source)),
            slash_confusions=texts(data, "slash_confusions", source) if "slash_confusions" in data else (),
        )


def _bare(text: str) -> str:
    """Upper case without diacritics (đ kept apart), the form OCR damage is measured on."""
    decomposed = unicodedata.normalize("NFD", text.upper().replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, for the short lines compared here (quadratic: not for whole pages)."""
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
    """Repair one OCR'd page on its own (an image file of one page); see :func:`repair_pages`."""
    return repair_pages([text], [page], rules)[0]


@dataclass
class _Fix:
    """A line's text as repaired so far, and the rules that changed it."""

    raw: str
    text: str
    rules: list[str]

    def set(self, text: str, rule: str) -> None:
        if text != self.text:
            self.text = text
            self.rules.append(rule)


def repair_pages(
    texts: Sequence[str], pages: Sequence[int], rules: OcrRepairRules | None = None
) -> list[tuple[str, list[Repair]]]:
    """Repair the OCR'd pages of one document, in order; each page's new text and its repairs (offsets into
    that page's text).

    The pages are repaired together because the evidence for a numeral spans them: section III may be on
    page 3 while II is on page 1 and IV on page 4.
    """
    rules = rules or OcrRepairRules.default()
    fixes = [[_Fix(line, line, []) for line in text.split("\n")] for text in texts]
    expected_roman = 1
    for page_fixes in fixes:
        for fix in page_fixes:
            new, rule = _repair_line(fix.text, rules, expected_roman)
            fix.set(new, rule)
            m = _roman_line().match(new.strip())
            if m and _valid_roman(m.group("num")):
                expected_roman = roman_to_int(m.group("num")) + 1
    if fixes:
        _repair_header(fixes[0], rules)
    flat = [fix for page_fixes in fixes for fix in page_fixes]
    _repair_sequence(flat)
    _repair_first_item(flat)
    return [_page_result(page_fixes, page, rules) for page_fixes, page in zip(fixes, pages, strict=True)]


def _page_result(fixes: list[_Fix], page: int, rules: OcrRepairRules) -> tuple[str, list[Repair]]:
    """A page's text and repairs once its lines are settled; digits are repaired last, inside each line."""
    out: list[str] = []
    repairs: list[Repair] = []
    offset = 0
    for fix in fixes:
        new = fix.text
        if fix.rules:
            lead = len(new) - len(new.lstrip())
            repairs.append(
                Repair(
                    page=page,
                    char_start=offset + lead,
                    char_end=offset + len(new.rstrip()),
                    raw=fix.raw.strip(),
                    repaired=new.strip(),
                    rule="+".join(dict.fromkeys(fix.rules)),
                )
            )
        new, symbols = _repair_symbols(new, rules)
        repairs.extend(
            Repair(page=page, char_start=offset + a, char_end=offset + b, raw=raw, repaired=fixed, rule="symbol")
            for a, b, raw, fixed in symbols
        )
        digits, found = _repair_digits(new, rules)
        repairs.extend(
            Repair(
                page=page, char_start=offset + start, char_end=offset + end, raw=raw, repaired=fixed, rule="digit"
            )
            for start, end, raw, fixed in found
        )
        out.append(digits)
        offset += len(digits) + 1
    return "\n".join(out), repairs


#: The lines of a first page that can hold the header (organ names, motto, number and place).
HEADER_LINES = 12


def _repair_header(fixes: list[_Fix], rules: OcrRepairRules) -> None:
    """Restore the diacritics of the header's known words ("TRƯƠNG" for "TRƯỜNG", "LAM ĐÓNG" for "LÂM
    ĐỒNG"): in lines written in capitals near the top of the first page, a run of words whose letters
    (diacritics set aside) are exactly those of a known organ word or province name takes its spelling.

    The header ends at the first line of prose: a one-page notice's signature ("TRƯỞNG BAN", whose letters
    are those of "TRƯỜNG") may come within a dozen lines, but never before the text."""
    seen = 0
    for fix in fixes:
        if not fix.text.strip():
            continue
        seen += 1
        if seen > HEADER_LINES or _prose(fix.text):
            break
        if _capitals(fix.text) and (new := _respell(fix.text, _header_words(rules.header_words))) != fix.text:
            fix.set(new, "header_word")


def _respell(line: str, known: dict[str, str]) -> str:
    """``line`` with each run of up to three words whose bare form is a known phrase's written as that
    phrase (longest runs first)."""
    words = line.split(" ")
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            run = words[i : i + size]
            core = [w.strip(".,;:") for w in run]
            if len(run) < size or not all(core):
                continue
            phrase = known.get(_bare(" ".join(core)))
            if phrase and phrase.upper() != " ".join(core):
                tail = run[-1][len(run[-1].rstrip(".,;:")) :]
                words[i : i + size] = [*phrase.upper().split(" ")[:-1], phrase.upper().split(" ")[-1] + tail]
                i += len(phrase.split(" ")) - 1
                break
        i += 1
    return " ".join(words)


@cache
def _header_words(words: tuple[str, ...]) -> dict[str, str]:
    """Known header phrases by their bare form; a bare form two phrases share ("SỞ", "SỐ") is left out,
    since the letters alone cannot tell which was written."""
    from pipeline.rules.gazetteer import Provinces

    phrases = [*words, *Provinces.default().names()]
    by_bare: dict[str, list[str]] = {}
    for phrase in phrases:
        by_bare.setdefault(_bare(phrase), []).append(phrase)
    return {bare: found[0] for bare, found in by_bare.items() if len({f.upper() for f in found}) == 1}


def _prose(text: str) -> bool:
    """A line of running text: eight words or more, in lower case."""
    return len(text.split()) >= PROSE_WORDS and any(c.islower() for c in text)


#: Words from which a line with lower-case letters is prose, not a header line ("Độc lập - Tự do - Hạnh
#: phúc" has six).
PROSE_WORDS = 8


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def _repair_sequence(fixes: list[_Fix]) -> None:
    """A valid numeral that breaks the run of section headings is the expected one misread when only its
    strokes differ (Tesseract drops or adds an "I": "III" read "I" or "II") and the next heading continues
    from the expected value: II, I, IV becomes II, III, IV. Only headings in capitals count."""
    heads: list[tuple[_Fix, str, int]] = []
    for fix in fixes:
        m = _roman_line().match(fix.text.strip())
        if m and _valid_roman(m.group("num")) and _capitals(m.group("rest")):
            heads.append((fix, m.group("num"), roman_to_int(m.group("num"))))
    previous = 0
    for k, (fix, num, value) in enumerate(heads):
        expected = previous + 1
        following = heads[k + 1][2] if k + 1 < len(heads) else None
        if value != expected and following == expected + 1 and _strokes_apart(num, int_to_roman(expected)):
            stripped = fix.text.strip()
            fix.set(fix.text.replace(stripped, int_to_roman(expected) + stripped[len(num) :], 1), "roman_sequence")
            value = expected
        previous = value


def _strokes_apart(a: str, b: str) -> bool:
    """Whether two numerals differ only by "I" strokes (the misreading of close vertical bars)."""
    return a != b and a.replace("I", "") == b.replace("I", "")


_FIRST_ITEM = re.compile(r"^(?P<mark>[Il|])(?P<sep>\s*\.\s+)(?P<rest>\S.*)$")
_DECIMAL_ITEM = re.compile(r"^(?P<n>\d{1,2})\.\s")


def _repair_first_item(fixes: list[_Fix]) -> None:
    """A list item opened by "I." in running text ("I. Các Sở, ban, ngành:") is the digit "1." misread when
    the next numbered item is "2."; a Roman section heading is in capitals and is left alone."""
    for k, fix in enumerate(fixes):
        stripped = fix.text.strip()
        m = _FIRST_ITEM.match(stripped)
        if not m or _capitals(m.group("rest")):
            continue
        nxt = next((n for f in fixes[k + 1 : k + 40] if (n := _DECIMAL_ITEM.match(f.text.strip()))), None)
        if nxt and nxt.group("n") == "2":
            fix.set(fix.text.replace(stripped, "1" + stripped[1:], 1), "item_number")


def _repair_line(line: str, rules: OcrRepairRules, expected_roman: int) -> tuple[str, str]:
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return line, ""
    same_case = tuple(k for k in rules.key_lines if _capitals(k) == _capitals(stripped))  # a line keeps its case
    known = _closest(stripped, same_case)
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
    known = _closest(rest.rstrip(":"), rules.key_headings) if _capitals(rest) else None
    heading = known + (":" if rest.endswith(":") else "") if known else rest
    new = f"{fixed_num}{sep}{heading}"
    if new == stripped:
        return line, ""
    return line.replace(stripped, new), "roman_numeral" if fixed_num != num else "key_heading"


def _closest(text: str, known: tuple[str, ...]) -> str | None:
    """The known line ``text`` is a damaged copy of: one (or, for long lines, two) letters away once
    diacritics are set aside, and not another known line. Stray one-letter marks between its words (a
    stamp's edge read as "T") are set aside first: no known line has a one-letter word."""
    words = text.split()
    marks = [w for w in words if len(w) == 1 and not w.isdigit()]
    for form in (text, " ".join(w for w in words if w not in marks)) if marks else (text,):
        bare = _bare(form)
        for candidate in known:
            limit = 1 if len(candidate) < 20 else 2
            if abs(len(candidate) - len(form)) <= limit and edit_distance(bare, _bare(candidate)) <= limit:
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


_NUMBER_CODE = re.compile(r"(?<=\d)(?P<sep>[/-])(?P<code>[A-ZĐa-zđ&|]{5,14})(?![\w&|])")


def _repair_symbols(line: str, rules: OcrRepairRules) -> tuple[str, list[tuple[int, int, str, str]]]:
    """A slash inside a document number read as a letter ("123/HDANN" for "123/HD/NN"): the code after the
    number is not a known code, but a known type code, one letter that is a slash's look-alike, and two
    capitals or more. Lengths do not change, so the offsets hold."""
    type_codes = _type_codes()
    found: list[tuple[int, int, str, str]] = []
    out = line
    for m in _NUMBER_CODE.finditer(line):
        code = m.group("code")
        if code in type_codes:
            continue
        for k in range(2, len(code) - 2):  # type codes of one letter ("L") are too easily a word's start
            head, mid, tail = code[:k], code[k], code[k + 1 :]
            if head in type_codes and mid in rules.slash_confusions and len(tail) >= 2 and tail.isupper():
                at = m.start("code") + k
                out = out[:at] + "/" + out[at + 1 :]
                found.append((at, at + 1, mid, "/"))
                break
    return out, found


@cache
def _type_codes() -> frozenset[str]:
    from pipeline.rules.gazetteer import DocumentTypes

    return frozenset(code for t in DocumentTypes.default() for code in t.codes)


def shift_repair(repair: Repair, by: int) -> Repair:
    """A page's repair placed in the whole document's text (its page starts at ``by``)."""
    return replace(repair, char_start=repair.char_start + by, char_end=repair.char_end + by)
