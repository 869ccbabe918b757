"""The grammar of Vietnamese document numbers ("số và ký hiệu"): sequence part, type code, issuer code.

Three conventions are in use, and a number is read by the one whose shape it has:

* party (Hướng dẫn 36-HD/VPTW): ``SEQ-TYPE/ISSUER`` — "173-KH/TU", "35-CT/TW", "05-HD/BTGTU";
* state (Nghị định 30/2020/NĐ-CP): ``SEQ/TYPE-ISSUER[-UNIT...]`` — "189/KH-UBND", "589/KH-BCA-C04"; a
  công văn has no type code, only the issuer and the drafting unit: "136/STTTT-TTBCXB", "3803/SNV-CCHC&VTLT";
* legal normative documents: ``SEQ/YEAR/[TYPE-]ISSUER`` — "163/2024/QH15", "30/2020/NĐ-CP".

A number that fits none of them ("173/KH/TU", "12-KH") is kept as written and flagged ``malformed_number``;
a party number written in the state style or the reverse ("173/KH-TU") is flagged ``style_mismatch``. The
grammar never corrects a number: an auditor needs to see how it was written. Which code is a type code
comes from :class:`~pipeline.rules.gazetteer.DocumentTypes`; which issuer codes belong to the party comes
from :class:`~pipeline.rules.citation_rules.CitationRules`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from pipeline.rules.citation_rules import CitationRules
from pipeline.rules.gazetteer import DocumentType, DocumentTypes, class_in_listed_blocks, fold
from pipeline.segment.markers import UPPER

__all__ = ["DocNumber", "NumberGrammar"]

_CODE = rf"[{UPPER}][{UPPER}a-zđ0-9&]*(?:\.(?=[{UPPER}0-9])[{UPPER}a-zđ0-9&]+)*"
_SEP = r"[ ]?[/-][ ]?"
_REST = rf"(?P<sep>{_SEP})(?P<rest>(?:(?:19|20)\d\d{_SEP})?{_CODE}(?:{_SEP}{_CODE})*)(?![\w])"
#: A number as it stands in running text: a sequence part, then codes (and a year) joined by / and -. The
#: plain form; :data:`NUMBER` is the one used.
NUMBER_READABLE = rf"(?<![\w/.-])(?P<seq>\d{{1,6}}[a-z]?){_REST}"
#: :data:`NUMBER_READABLE` with the sequence's first digit before the lookbehind, which then looks back
#: over it: a pattern that opens with a lookbehind makes ``re`` try every position of a plan, one that opens
#: with a digit lets it skip to the next digit (2.5 times faster on a whole plan). The matches are the
#: same: ``(?<![\w/.-]\d)`` after one digit tests the character before that digit. The first digit is
#: found by a class of ranges (:func:`class_in_listed_blocks`), which ``re`` tests faster than ``\d`` as it
#: skips the letters; ``(?<=\d)`` then keeps what that class lets through from other scripts to digits.
_DIGIT_FIRST = class_in_listed_blocks(re.compile(r"\d").match)
NUMBER = re.compile(rf"(?P<seq>{_DIGIT_FIRST}(?<=\d)(?<![\w/.-]\d)\d{{0,5}}[a-z]?){_REST}")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_TERM = re.compile(r"\d+$")
_SEPARATORS = re.compile(r"[/-]")
_SPACED_SEPARATORS = re.compile(r"\s?[/-]\s?")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class DocNumber:
    """One document number, read by the grammar.

    ``written`` is the text as it stands; ``normalized`` the same without spaces ("173 - KH/TU" →
    "173-KH/TU"), style kept. ``units`` are the codes after the issuer (drafting units: "C04", "TTBCXB").
    ``style`` is ``party``, ``state``, ``legal`` or ``irregular``. ``key`` is the same for every way of
    writing one number (style, spacing, leading zeros, diacritics), so mentions and documents can be
    matched on it.
    """

    written: str
    normalized: str
    seq: str
    year: str
    type_code: str
    issuer_code: str
    units: tuple[str, ...]
    style: str
    flags: tuple[str, ...] = ()

    @cached_property
    def key(self) -> str:
        """Worked out once per number: the extractor compares keys again and again (own number, lists,
        chains, one document's mentions), and the number is frozen."""
        parts = [self.seq.lstrip("0") or "0", self.year, self.type_code, self.issuer_code, *self.units]
        return fold("/".join(p for p in parts if p), strip_diacritics=True).upper()

    @property
    def issuer_base(self) -> str:
        """The issuer code without a legislature's term ("QH15" → "QH", "UBTVQH14" → "UBTVQH")."""
        return _TERM.sub("", self.issuer_code) if self.style == "legal" else self.issuer_code


class NumberGrammar:
    """Reads document numbers with the type codes of a :class:`DocumentTypes` and the party/state issuer
    codes of :class:`CitationRules`."""

    def __init__(self, types: DocumentTypes | None = None, rules: CitationRules | None = None) -> None:
        self.types = types or DocumentTypes.default()
        self.rules = rules or CitationRules.default()
        self._party_codes = {_upper(c) for c in self.rules.party_issuer_codes}
        self._party_suffixes = tuple(_upper(c) for c in self.rules.party_issuer_suffixes)
        self._state_codes = {_upper(c) for c in self.rules.state_issuer_codes}
        self._type_codes = {c for t in self.types for c in t.codes}

    # -- reading ---------------------------------------------------------------------------------------

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[DocNumber, int, int]]:
        """Every number in ``text[start:end]`` with its span."""
        for m in NUMBER.finditer(text, start, len(text) if end is None else end):
            number = self._read(m.group("seq"), m.group("sep"), m.group("rest"), m.group(0))
            yield number, m.start(), m.end()

    def parse(self, written: str) -> DocNumber | None:
        """The number that ``written`` is, whole ("173-KH/TU"), or ``None`` when it is not one."""
        text = unicodedata.normalize("NFC", written.strip()).rstrip(".")
        m = NUMBER.fullmatch(text)
        return self._read(m.group("seq"), m.group("sep"), m.group("rest"), text) if m else None

    def from_parts(self, number: str, symbol: str) -> DocNumber | None:
        """A document's own number from the documents table: number "173" and symbol "KH/TU" (the party
        style joins them with "-", the others with "/")."""
        number, symbol = (number or "").strip(), _SPACES.sub("", symbol or "")
        if not number or not symbol:
            return None
        first = _SEPARATORS.split(symbol, maxsplit=1)[0]
        party = "/" in symbol and not _YEAR.match(first) and symbol.index("/") == len(first)
        return self.parse(f"{number}{'-' if party else '/'}{symbol}")

    def type_of(self, number: DocNumber) -> DocumentType | None:
        """The document type its type code stands for, in the family its style belongs to (TT is Thông tư
        in "12/2020/TT-BTC" and Thông tri in "05-TT/TW")."""
        return self._type(number.type_code, number.style) if number.type_code else None

    # -- the grammar -----------------------------------------------------------------------------------

    def _read(self, seq: str, sep: str, rest: str, written: str) -> DocNumber:
        seps = [sep.strip(), *_SEPARATORS.findall(rest)]
        parts = [p.strip() for p in _SPACED_SEPARATORS.split(rest)]
        normalized = _SPACES.sub("", written)
        year = ""
        if seps[0] == "/" and _YEAR.match(parts[0]) and len(parts) > 1 and seps[1] == "/":
            year, parts, seps = parts[0], parts[1:], seps[2:]
            codes_joined_by_hyphen = all(s == "-" for s in seps)
            style = "legal" if codes_joined_by_hyphen else "irregular"
            type_code, issuer, units = self._split_typed(parts, style)
        elif seps[0] == "-" and len(seps) >= 2 and seps[1] == "/" and all(s == "-" for s in seps[2:]):
            style = "party"
            type_code, issuer, units = parts[0], parts[1], tuple(parts[2:])
        elif seps[0] == "/" and all(s == "-" for s in seps[1:]):
            style = "state"
            type_code, issuer, units = self._split_typed(parts, style)
        else:
            style = "irregular"
            type_code, issuer, units = self._split_typed(parts, style)
        flags: list[str] = []
        if style == "irregular" or (type_code and not issuer):
            flags.append("malformed_number")
        if issuer and style in ("party", "state") and self._wrong_style(issuer, style):
            flags.append("style_mismatch")
        return DocNumber(
            written=written,
            normalized=normalized,
            seq=seq,
            year=year,
            type_code=type_code,
            issuer_code=issuer,
            units=units,
            style=style,
            flags=tuple(dict.fromkeys(flags)),
        )

    def _split_typed(self, parts: list[str], style: str) -> tuple[str, str, tuple[str, ...]]:
        """Type code (if the first code is one), issuer code, drafting units."""
        if parts and self._is_type(parts[0], style):
            return parts[0], (parts[1] if len(parts) > 1 else ""), tuple(parts[2:])
        return "", (parts[0] if parts else ""), tuple(parts[1:])

    def _is_type(self, code: str, style: str) -> bool:
        return self._type(code, style) is not None

    def _type(self, code: str, style: str) -> DocumentType | None:
        if code not in self._type_codes:
            return None  # exact codes only: an issuer code must not pass for a type by a loose reading
        found = self.types.all_by_code(code)
        wanted = {"party": ("party", "both"), "legal": ("legal", "both")}.get(style, ("administrative", "both"))
        for family in wanted:
            for t in found:
                if t.family == family:
                    return t
        return found[0] if found else None

    def _wrong_style(self, issuer: str, style: str) -> bool:
        """A party issuer in a state-style number, or a state issuer in a party-style one."""
        code = _upper(issuer)
        party = code in self._party_codes or (len(code) > 2 and code.endswith(self._party_suffixes))
        state = code in self._state_codes
        return (style == "state" and party) or (style == "party" and state)


def _upper(code: str) -> str:
    return unicodedata.normalize("NFC", code).upper()
