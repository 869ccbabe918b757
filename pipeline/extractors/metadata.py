"""Document metadata: type, number and symbol, date and place, issuer, province, title, signer, recipients.

Each value is read from the part of the document where Nghị định 30/2020/NĐ-CP puts it (the header block,
the type line, the closing), with fallbacks for copies that lost their header (web pages, drafts): the
preamble's "... ban hành Kế hoạch" names the issuer, the body's place names give the province. Every value
is returned with the span it was read from (:class:`~pipeline.model.Field`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

from pipeline.extractors.casing import Recaser, is_upper_case
from pipeline.model import DocumentRecord, Field, Line
from pipeline.rules.gazetteer import Abbreviations, DocumentTypes, ProvinceMatch, Provinces
from pipeline.rules.language import LanguageRules
from pipeline.segment import Segmented
from pipeline.segment.layout import AUTHORITY, RECIPIENTS, SEPARATOR
from pipeline.segment.markers import UPPER

_SYMBOL = r"[A-ZĐ][A-ZĐa-zđ0-9&.]*(?:\s?[/-]\s?[A-ZĐ0-9][A-ZĐa-zđ0-9&.]*){0,4}"
NUMBER_LINE = re.compile(
    r"\b(?:Số|SỐ|số)\s*[:.]?\s*(?P<num>\d{1,6}[a-z]?)?(?P<junk>[^\s\d/\-:]{1,3})?\s*(?P<sep>[/-])\s*(?P<sym>"
    + _SYMBOL
    + ")"
)
SELF_NUMBER = re.compile(
    r"(?:ban hành|xây dựng|triển khai)\s+(?:kế hoạch|Kế hoạch|KẾ HOẠCH)\s+số\s+(?P<num>\d{1,6})\s*(?P<sep>[/-])\s*"
    r"(?P<sym>" + _SYMBOL + ")"
)
_PLACE_WORD = r"[" + UPPER + r"][^\W\d_]*"
#: The place-and-date line of the header: "Lai Châu, ngày 20 tháng 5 năm 2021" (place and day may be blank).
DATE_LINE = re.compile(
    r"(?:(?P<place>(?:(?:Thành phố|thành phố|TP\.?)\s*)?" + _PLACE_WORD + r"(?:[ -]" + _PLACE_WORD + r"){0,5})"
    r"\s*,\s*)?ngày\s*(?:(?P<d>\d{1,2})\b|[^\s\d]{1,2}\d?)?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
ISSUING_VERB = re.compile(r"\s+(?:ban hành|xây dựng|triển khai xây dựng)\s+(?:kế hoạch|Kế hoạch|KẾ HOẠCH)\b")
_CLAUSE_START = re.compile(r"(?:^|[,.;:\n]\s*|\bnhư sau\b)")
_PAREN = re.compile(r"\s*\([^)]*\)")
_COMMITTEE = re.compile(r"^(?:Ban Thường vụ|Ban Chấp hành|Ban Thường trực|Thường trực|Tập thể lãnh đạo)\s+", re.I)
_BULLET = re.compile(r"^[-+•*–]\s*")
_SIGNED = re.compile(r"^\(?(?:Đã ký|đã ký)\)?\s*")
#: What :data:`AUTHORITY` ("TM.", "KT.", "Q.", "TL.", "TUQ.") can open a line with.
_AUTHORITY_FIRST = frozenset("TKQ")


class MetadataExtractor:
    """Reads a segmented plan's metadata using the gazetteers and word lists under ``rules/``."""

    def __init__(
        self,
        provinces: Provinces | None = None,
        abbreviations: Abbreviations | None = None,
        types: DocumentTypes | None = None,
        language: LanguageRules | None = None,
    ) -> None:
        self.provinces = provinces or Provinces.default()
        self.abbreviations = abbreviations or Abbreviations.default()
        self.types = types or DocumentTypes.default()
        self.language = language or LanguageRules.default()
        self.recase = Recaser(self.provinces, self.abbreviations, self.language)

    def find(self, doc: Segmented) -> DocumentRecord:
        """The metadata of ``doc`` as a documents row (its file columns left for the caller to fill)."""
        meta = DocumentRecord()
        head = self._head_lines(doc)
        self._number(doc, head, meta)
        self._date(head, meta)
        self._doc_type(doc, meta)
        self._title(doc, meta)
        self._issuer(doc, head, meta)
        self._province(doc, meta)
        self._signer(doc, meta)
        self._recipients(doc, meta)
        return meta

    # -- the parts -------------------------------------------------------------------------------------

    def _head_lines(self, doc: Segmented) -> list[Line]:
        """The header block, or the first lines when the type line was not found."""
        end = doc.layout.header_end
        if doc.layout.type_line is None:
            end = end if end > 0 else 25
            long_line = next((i for i, ln in enumerate(doc.lines[:end]) if len(ln.stripped) > 150), end)
            end = min(end, long_line, 25)
        return [ln for ln in doc.lines[:end] if ln.stripped]

    def _add(self, meta: DocumentRecord, name: str, value: str, start: int, end: int, raw: str = "") -> None:
        meta.fields.append(Field(name=name, value=value, char_start=start, char_end=end, raw=raw))

    def _number(self, doc: Segmented, head: list[Line], meta: DocumentRecord) -> None:
        for line in head:
            m = _number_line(line.text)
            # The number line opens its line ("Số: 12/KH-UBND"), or follows the organ name that a converter
            # put on the same line; "Thực hiện Kế hoạch số 43/KH-PGDĐT" is a citation, not the plan's number.
            before = line.text[: m.start()] if m else ""
            if m and (not before.strip() or is_upper_case(before, share=1.0)):
                self._set_number(meta, m, line.start)
                return
        preamble_end = doc.offset_of_line(doc.layout.body_start)
        m = SELF_NUMBER.search(doc.text, 0, preamble_end)
        if m:
            self._set_number(meta, m, 0)

    def _set_number(self, meta: DocumentRecord, m: re.Match[str], base: int) -> None:
        sym = re.sub(r"\s+", "", m.group("sym")).rstrip(".")
        # Characters between the digits and the slash are a handwritten or stamped number that OCR could
        # not read ("5Ø /KH-BCA"): the number is unknown, not "5".
        meta.number = "" if "junk" in m.re.groupindex and m.group("junk") else m.group("num") or ""
        meta.symbol = sym
        if meta.number:
            self._add(meta, "number", meta.number, base + m.start("num"), base + m.end("num"))
        self._add(meta, "symbol", sym, base + m.start("sym"), base + m.start("sym") + len(m.group("sym")))

    def _date(self, head: list[Line], meta: DocumentRecord) -> None:
        for line in head:
            if len(line.stripped) > 120:  # a date line is short; long lines are body text (and slow to search)
                continue
            m = _date_line(line.text)
            if not m or not (m.group("place") or line.stripped.lower().startswith("ngày")):
                continue
            place = (m.group("place") or "").strip()
            if place:
                meta.place = place
                self._add(meta, "place", place, line.start + m.start("place"), line.start + m.end("place"))
            if m.group("d") and m.group("m"):
                try:
                    value = date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
                except ValueError:
                    value = ""
                if value:
                    meta.issue_date = value
                    self._add(
                        meta,
                        "issue_date",
                        value,
                        line.start + m.start("d"),
                        line.start + m.end("y"),
                        raw=m.group(0),
                    )
            return

    def _doc_type(self, doc: Segmented, meta: DocumentRecord) -> None:
        lay = doc.layout
        if lay.type_line is not None:
            line = doc.lines[lay.type_line]
            written = line.stripped[: len(line.stripped) - len(lay.type_inline_title)].strip()
            found = self.types.by_name(written)
            if found:
                meta.doc_type = found.name
                self._add(meta, "doc_type", found.name, line.content_start, line.content_start + len(written))
                return
        code = re.split(r"[/-]", meta.symbol)[0] if meta.symbol else ""
        found = self.types.by_code(code) if code else None
        if found:
            meta.doc_type = found.name
            return
        m = re.search(r"\b(Kế hoạch|KẾ HOẠCH)\b", doc.text[: doc.offset_of_line(doc.layout.body_start)])
        if m:
            meta.doc_type = "Kế hoạch"
            self._add(meta, "doc_type", meta.doc_type, m.start(), m.end())

    def _title(self, doc: Segmented, meta: DocumentRecord) -> None:
        lay = doc.layout
        if lay.title_lines or lay.type_inline_title:
            parts = [doc.lines[i] for i in lay.title_lines]
            text = " ".join([lay.type_inline_title] * bool(lay.type_inline_title) + [p.stripped for p in parts])
            start = (
                parts[0].content_start
                if parts
                else doc.lines[lay.type_line or 0].content_end - len(lay.type_inline_title)
            )
            end = parts[-1].content_end if parts else doc.lines[lay.type_line or 0].content_end
            meta.title = _clean_title(text)
            self._add(meta, "title", meta.title, start, end)
            return
        # A copy without its header (a web article): a heading line that starts with the type name.
        names = [(name, name.lower()) for name in sorted(self.types.names(), key=len, reverse=True)]
        for line in doc.lines[: max(doc.layout.body_start, 1)][:15]:
            s = line.stripped
            if len(s) >= 300:  # no name can head a line this long (below: shorter than 300)
                continue
            opening: dict[int, str] = {}  # the line's first n characters in lower case, by n
            for name, lower in names:
                n = len(name)
                if len(s) <= n + 10:
                    continue
                if n not in opening:
                    opening[n] = s[:n].lower()
                if opening[n] == lower:
                    rest = s[len(name) :].strip()
                    if rest[:1].islower() and not rest.lower().startswith("số"):
                        meta.title = _clean_title(rest[0].upper() + rest[1:])
                        at = line.content_start + len(s) - len(rest)
                        self._add(meta, "title", meta.title, at, line.content_end)
                        return

    def _issuer(self, doc: Segmented, head: list[Line], meta: DocumentRecord) -> None:
        organs = self._organ_names(head)
        if organs:
            written, start, end = organs[-1]
            meta.issuer_as_written = written
            if len(organs) > 1:
                meta.parent_organ = self.recase.organ(organs[-2][0])
            meta.issuer = self.recase.organ(written)
            self._add(meta, "issuer", meta.issuer, start, end, raw=written)
            return
        preamble_end = doc.offset_of_line(doc.layout.body_start)
        for m in ISSUING_VERB.finditer(doc.text, 0, preamble_end):
            clause_start = max((c.end() for c in _CLAUSE_START.finditer(doc.text, 0, m.start())), default=0)
            clause = doc.text[clause_start : m.start()]
            name = _PAREN.sub("", clause).strip()
            if not name or not name[0].isupper() or len(name) > 150:
                continue
            meta.issuer_as_written = name
            name = _COMMITTEE.sub("", name) if _COMMITTEE.sub("", name)[:1].isupper() else name
            meta.issuer = self.recase.organ(self.abbreviations.expand_text(name))
            self._add(meta, "issuer", meta.issuer, clause_start, m.start(), raw=clause)
            return

    def _organ_names(self, head: list[Line]) -> list[tuple[str, int, int]]:
        """Upper-case organ lines of the header block, with wrapped names joined ("ỦY BAN NHÂN DÂN" +
        "TỈNH LÂM ĐỒNG"), outermost organ first."""
        boiler = [b.upper() for b in self.language.header_boilerplate]
        levels = tuple(w.upper() + " " for w in self.language.admin_levels)
        names: list[list] = []
        for line in head:
            s = line.stripped
            upper = s.upper()
            for b in boiler:
                upper = upper.replace(b.upper(), " ")
            cleaned = upper.strip(" *-–|")
            if not cleaned or len(s) > 160 or SEPARATOR.match(s) or _number_line(s) or _date_line(s):
                continue
            if not is_upper_case(s) or len(cleaned) > 120:
                continue
            continues = bool(names) and (
                (cleaned.startswith(levels) and not _has_level(names[-1][0], levels))
                or names[-1][0].upper().endswith((" VÀ", " CỦA", "-", ","))
                or cleaned.startswith(("VÀ ", "CƠ QUAN "))
            )
            if not continues and not self._opens_organ(cleaned):
                continue
            at = s.upper().find(cleaned)
            start = line.content_start + max(at, 0)
            text = s[max(at, 0) : max(at, 0) + len(cleaned)]
            if continues:
                names[-1][0] = f"{names[-1][0]} {text}"
                names[-1][2] = start + len(text)
            else:
                names.append([text, start, start + len(text)])
        return [(n, s, e) for n, s, e in names]

    def _opens_organ(self, upper_line: str) -> bool:
        """Whether an upper-case header line begins an organization's name ("SỞ NỘI VỤ", "UBND TỈNH ...",
        "ĐẢNG ỦY KHỐI ..."), as opposed to another upper-case line (a heading, "TUYÊN TRUYỀN")."""
        first = upper_line.split()[0]
        entry = self.abbreviations.get(first)
        if entry is not None and entry.kind == "organ":
            return True
        return any(upper_line.startswith(w.upper() + " ") for w in self.language.organ_words)

    def _province(self, doc: Segmented, meta: DocumentRecord) -> None:
        for source in (meta.issuer, meta.parent_organ, meta.place):
            found = self.provinces.find(source) if source else []
            if found:
                meta.province = found[0][0]
                break
        in_text: list[ProvinceMatch] | None = None  # the provinces of the whole text, when all are needed
        if not meta.province:
            in_text = self.provinces.find(doc.text)
            counts = Counter(name for name, _s, _e in in_text)
            if counts:
                meta.province = counts.most_common(1)[0][0]
        if meta.province:
            # Only the first mention is wanted: read lazily, the scan stops there (the header, as a rule).
            mentions = in_text if in_text is not None else self.provinces.finditer(doc.text)
            first = next((h for h in mentions if h[0] == meta.province), None)
            if first is not None:
                self._add(meta, "province", meta.province, first[1], first[2])
            meta.issuer = self.recase.with_province(meta.issuer, meta.province)

    def _signer(self, doc: Segmented, meta: DocumentRecord) -> None:
        # Without a closing block, the last lines of the body; never the header's (a short notice's organ
        # lines in capitals are not a signer's title).
        closing = doc.closing_lines or doc.lines[max(len(doc.lines) - 40, doc.layout.body_start) :]
        auth_i = None
        parts: list[str] = []
        for i, line in enumerate(closing):
            stripped = line.stripped
            m = AUTHORITY.match(stripped) if stripped[:1] in _AUTHORITY_FIRST else None
            if m and len(stripped) < 80 and (auth_i is None or i == auth_i + 1):
                # Authorities chain on consecutive lines: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH".
                first = auth_i is None
                auth_i = i
                auth = m.group("auth").replace("T/M", "TM").replace("K/T", "KT").replace("T/L", "TL")
                parts.append(f"{auth}. {self.recase.title(line.stripped[m.end() :].strip())}".strip())
                meta.signer_authority = "; ".join(parts)
                if first:
                    self._add(
                        meta, "signer_authority", meta.signer_authority, line.content_start, line.content_end
                    )
                else:
                    meta.fields[-1] = replace(
                        meta.fields[-1], value=meta.signer_authority, char_end=line.content_end
                    )
            elif auth_i is not None:
                break
        title_from = auth_i + 1 if auth_i is not None else 0
        for line in closing[title_from:]:
            s = line.stripped
            if not s:
                continue
            if s.isupper() and len(s) < 60 and not RECIPIENTS.match(s) and any(c.isalpha() for c in s):
                meta.signer_title = self.recase.title(s)
                self._add(meta, "signer_title", meta.signer_title, line.content_start, line.content_end)
                break
            if auth_i is not None:
                break
        for line in reversed(closing):
            s = line.stripped
            # A name opens with a capital; "(Đã ký)" or "đã ký" before it is dropped first. Any other line
            # (the recipients' "- ..." above all) is passed over without the substitution and the test.
            if not (s[:1].isupper() or s[:1] in "(đ"):
                continue
            s = _SIGNED.sub("", s)
            if self._is_person_name(s):
                meta.signer_name = s
                self._add(meta, "signer_name", s, line.content_end - len(s), line.content_end)
                break

    def _is_person_name(self, s: str) -> bool:
        words = s.split()
        if not 2 <= len(words) <= 6 or any(not w.replace("'", "").isalpha() for w in words):
            return False
        if s.isupper() or not all(w[0].isupper() for w in words):
            return False
        return words[0] in self.language.surnames

    def _recipients(self, doc: Segmented, meta: DocumentRecord) -> None:
        lines = doc.closing_lines or doc.lines[doc.layout.body_start :]
        items: list[str] = []
        spans: list[tuple[int, int]] = []
        started = False
        for line in lines:
            s = line.stripped
            if not started:
                m = RECIPIENTS.match(s)
                if m:
                    started = True
                    inline = s[m.end() :].strip()
                    if inline:
                        for part in re.split(r"\s*(?:^|;)\s*[-+•]\s*", inline):
                            if part.strip(" ;,."):
                                items.append(part.strip(" ;,."))
                continue
            if not s:
                continue
            if _BULLET.match(s):
                item = _BULLET.sub("", s).rstrip(" ;,.")
                if item:
                    items.append(item)
                    spans.append((line.content_start, line.content_end))
                continue
            if AUTHORITY.match(s) or s.isupper() or self._is_person_name(s):
                break
            if items:
                break
        if items:
            meta.recipients = ";".join(i.replace(";", ",") for i in items)
            if spans:
                self._add(meta, "recipients", meta.recipients, spans[0][0], spans[-1][1])


def _number_line(text: str) -> re.Match[str] | None:
    """``NUMBER_LINE.search(text)``, skipped when ``text`` holds none of the words it opens with (most header
    lines: the test is a few substring checks, the search a try at every position)."""
    if "Số" not in text and "SỐ" not in text and "số" not in text:
        return None
    return NUMBER_LINE.search(text)


def _date_line(text: str) -> re.Match[str] | None:
    """``DATE_LINE.search(text)``, skipped when ``text`` does not hold "ngày" in any casing, which every match
    does (the pattern ignores case; "ngày" has no other case-insensitive spelling than its casings)."""
    if "ngày" not in text.lower():
        return None
    return DATE_LINE.search(text)


def _has_level(name: str, levels: tuple[str, ...]) -> bool:
    """Whether an upper-case organ name already names its administrative level ("... TỈNH LÂM ĐỒNG")."""
    return any(f" {lv.strip()} " in f" {name.upper()} " for lv in levels)


def _clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" .:;-–")
    return text
