"""Citations: every numbered document a plan cites, with its type, number, date, issuer, subject and relation.

A citation is found from its number, which the grammar of :mod:`pipeline.extractors.docnumber` reads
wherever it stands (preamble, body, footnotes, annexes), and read outwards from it as the genre writes it:

    [Thực hiện] Kế hoạch [số] 173-KH/TU[,] [ngày 26/8/2024] [của Ban Thường vụ Tỉnh ủy] [về ...]
                <type>           <number>     <date>            <issuer>                   <subject>

The type name stands before the number (or comes from the number's type code); the date and the issuer
follow it in either order; the subject follows "về" / "về việc" or a title verb ("ban hành ...", "phê
duyệt ..."). Lists share what only their last member states: in "Chỉ thị 15/CT-TTg, Chỉ thị 16/CT-TTg của
Thủ tướng Chính phủ" both have that issuer. In a chain ("Kế hoạch số 189/KH-UBND ... về việc triển khai
thực hiện Kế hoạch số 116-KH/TU ...") the inner document is the outer one's basis: its ``via`` is the
outer one's key, and it shares the outer one's relation. Relation is "basis" for what the preamble's basis
clauses name (:mod:`pipeline.extractors.citation_relations`), "reference" for everything else; a document
is basis in every mention once it is basis in one, since the relation belongs to the document.

What is not a citation: the plan's own number (its header line, or "... ban hành Kế hoạch số 17/KH-BQLKKT"
in a web copy's lead), and numbers of forms and annexes ("Mẫu số 01/BC"). Nothing is invented: a date or
issuer that the text does not give stays empty (an issuer may come from the number's issuer code, which is
the text's own statement), and an impossible date is flagged, not mended.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pipeline.extractors.citation_dates import CitedDate, DateReader
from pipeline.extractors.citation_issuers import IssuerNamer, IssuerReader, ReadIssuer
from pipeline.extractors.citation_relations import BasisMap, basis_map
from pipeline.extractors.docnumber import DocNumber, NumberGrammar
from pipeline.model import Citation, DocumentRecord
from pipeline.rules.citation_rules import CitationRules
from pipeline.rules.gazetteer import Abbreviations, DocumentTypes, Provinces, fold
from pipeline.rules.language import LanguageRules
from pipeline.rules.phrases import phrase_pattern
from pipeline.segment import Segmented

__all__ = ["CitationFinder", "find"]

_LEFT_WINDOW = 160
_HEADER_LINES = 25
_SUBJECT_MAX = 400
CLAUSE_BREAK_READABLE = r"[;\n]|[.!?](?=\s)"
#: :data:`CLAUSE_BREAK_READABLE` opening with one class of all five characters (a lookbehind then tells a
#: ";" from a "." that needs a space after it), so that ``re`` skips to the next of them instead of trying
#: both branches at every position. The matches are the same.
_CLAUSE_BREAK = re.compile(r"[;\n.!?](?:(?<=[;\n])|(?=\s))")


@dataclass
class _Mention:
    """A citation being read: its parts and their spans, before it becomes a :class:`Citation`."""

    number: DocNumber
    num_start: int
    num_end: int
    head_start: int
    tail_end: int
    type_written: str = ""
    date: CitedDate | None = None
    issuer: ReadIssuer | None = None
    title: str = ""
    via: int | None = None
    basis: bool = False
    direct: bool = False
    flags: list[str] = field(default_factory=list)


def _folded(text: str) -> str:
    """The comparison copy of ``text`` (lower case, one tone placement), of the same length when possible."""
    low = fold(text)
    return low if len(low) == len(text) else text.lower()


class CitationFinder:
    """Finds the citations of a segmented plan with the rules under ``pipeline/rules/data``."""

    def __init__(
        self,
        rules: CitationRules | None = None,
        types: DocumentTypes | None = None,
        abbreviations: Abbreviations | None = None,
        provinces: Provinces | None = None,
        language: LanguageRules | None = None,
    ) -> None:
        self.rules = rules or CitationRules.default()
        self.types = types or DocumentTypes.default()
        self.grammar = NumberGrammar(self.types, self.rules)
        self.dates = DateReader(self.rules)
        self.issuers = IssuerReader(self.rules, abbreviations, language)
        self.namer = IssuerNamer(self.rules, abbreviations, provinces, language)
        r = self.rules
        names = [n for t in self.types for n in (t.name, *t.aliases)]
        number_word = phrase_pattern(r.number_word)
        self._type_before = re.compile(
            rf"(?<!\w)(?P<type>{phrase_pattern(names)})\s*(?:(?:{number_word})\s*:?\s*)?$"
        )
        self._titled_before = re.compile(
            rf"(?<!\w)(?P<type>{phrase_pattern(r.titled_types)})\s+(?P<title>[^\n;.()]{{1,100}}?)\s+(?:{number_word})\s*:?\s*$"
        )
        self._titled_names = {fold(t) for t in r.titled_types}
        self._number_words = {fold(w) for w in r.number_word}
        self._number_word_before = re.compile(rf"(?<!\w)(?:{number_word})\s*:?\s*$")
        self._not_document = re.compile(
            rf"(?<!\w)(?:{phrase_pattern(r.not_document_before)})\s*(?:{number_word})?\s*:?\s*$"
        )
        self._basis_verb = re.compile(
            rf"(?<!\w)(?:{phrase_pattern(r.basis_verbs)})\s*(?:{phrase_pattern(r.chain_fillers)})?\s*$"
        )
        self._chain_verb = re.compile(
            rf"(?<!\w)(?:{phrase_pattern(r.chain_verbs)})(?:\s+(?:{phrase_pattern(r.chain_fillers)}))?\s*$"
        )
        self._link = re.compile(rf"[ \t]*,?[ \t]*(?:{phrase_pattern(r.issuer_links)})[ \t]+")
        self._left_link = re.compile(
            rf"(?<!\w)(?:{phrase_pattern(r.issuer_links)})\s+(?P<iss>[^\n,;.]{{2,150}}?)\s+"
            rf"(?:{phrase_pattern(r.issuer_left_links)})\s*$"
        )
        self._subject_cue = re.compile(
            rf"[ \t]*,?[ \t]*[“\"]?(?P<cue>{phrase_pattern(r.subject_cues)})(?!\w)[ \t:]*[“\"]?[ \t]*"
        )
        self._title_verb = re.compile(rf"[ \t]*,?[ \t]*[“\"]?(?={phrase_pattern(r.title_verbs)}(?!\w))")
        issuing = phrase_pattern(r.issuing_verbs)
        self._issuing_clause = re.compile(rf",\s+(?=[^\W\d_])[^,;.]{{1,120}}?\s(?:{issuing})\s")
        joiners = phrase_pattern(r.list_joiners)
        self._list_gap = re.compile(rf"[\s,]*(?:(?:{joiners})\s*)?[\s,]*")
        self._trailing_joiner = re.compile(rf"(?:[\s,;]|(?<!\w)(?:{joiners})(?!\w))*$")
        self._aside = re.compile(rf"\(\s*(?:{phrase_pattern(r.aside_openers)})(?!\w)")

    # -- the one verb ----------------------------------------------------------------------------------

    def find(self, doc: Segmented, meta: DocumentRecord) -> list[Citation]:
        """The citations of ``doc`` (a plan whose metadata is ``meta``), one per mention, in text order."""
        text = doc.text
        low = _folded(text)
        bmap = basis_map(doc, self.rules, low)
        own = self.grammar.from_parts(meta.number, meta.symbol)
        mentions = []
        for number, start, end in self.grammar.finditer(text):
            mention = self._mention(doc, low, number, start, end, own)
            if mention is not None:
                mentions.append(mention)
        self._share_lists(low, mentions)
        self._link_chains(low, mentions)
        self._relations(low, bmap, mentions)
        return self._records(doc, low, meta, bmap, mentions)

    # -- one mention -----------------------------------------------------------------------------------

    def _mention(
        self, doc: Segmented, low: str, number: DocNumber, start: int, end: int, own: DocNumber | None
    ) -> _Mention | None:
        text = doc.text
        line_start = text.rfind("\n", 0, start) + 1
        left_from = max(line_start, start - _LEFT_WINDOW)
        left = low[left_from:start]
        if self._not_document.search(left):
            return None
        if self._is_header_number_line(doc, low, line_start, start):
            return None
        # "12-KH" or "3-Pho" is a document number only where the text says it is one ("Kế hoạch số 12-KH").
        weak = number.style == "irregular" or not number.issuer_code
        mention = _Mention(number, start, end, head_start=start, tail_end=end, flags=list(number.flags))
        m = self._type_before.search(left)
        if m and fold(m.group("type")) in self._titled_names and not text[left_from + m.start("type")].isupper():
            m = None  # "pháp luật số ...": a law's name ends in "luật", the type is at its start
        titled = self._titled_before.search(left) if m is None else None
        if titled is not None and text[left_from + titled.start("title")].isupper():
            m = titled  # "Luật Phổ biến, giáo dục pháp luật số 14/2012/QH13": a law is cited by its name
            mention.title = text[left_from + titled.start("title") : left_from + titled.end("title")]
        if m:
            mention.head_start = left_from + m.start("type")
            mention.type_written = text[mention.head_start : left_from + m.end("type")]
        else:
            w = self._number_word_before.search(left)
            if w:
                mention.head_start = left_from + w.start()
        if weak and mention.head_start == start:
            return None
        if (
            own is not None
            and number.key == own.key
            and not self._basis_verb.search(low[left_from : mention.head_start])
        ):
            return None  # the plan's own number ("... ban hành kế hoạch số 17/KH-BQLKKT")
        self._tail(text, low, mention)
        if mention.issuer is None:
            mention.issuer = self._issuer_before(text, low, line_start, mention)
        return mention

    def _is_header_number_line(self, doc: Segmented, low: str, line_start: int, start: int) -> bool:
        """The plan's own "Số: 252/KH-LĐLĐ" line, in its header block (before the type line, or near the
        top when the type line was not found)."""
        before = low[line_start:start].strip(" \t*:.")
        if before not in self._number_words:
            return False
        lay = doc.layout
        limit = lay.type_line if lay.type_line is not None else (lay.body_start or _HEADER_LINES)
        return line_start < doc.offset_of_line(min(limit, len(doc.lines)))

    def _tail(self, text: str, low: str, mention: _Mention) -> None:
        """Date and issuer after the number, in either order."""
        pos = mention.num_end
        for _ in range(2):
            if mention.date is None:
                found = self.dates.read(text, pos)
                if found is not None:
                    mention.date = found
                    pos = found.end
                    if found.flag:
                        mention.flags.append(found.flag)
                    continue
            if mention.issuer is None:
                link = self._link.match(low, pos)
                issuer = self.issuers.read(text, low, link.end()) if link else None
                if issuer is not None:
                    mention.issuer = issuer
                    pos = issuer.end
                    continue
            break
        mention.tail_end = pos

    def _issuer_before(self, text: str, low: str, line_start: int, mention: _Mention) -> ReadIssuer | None:
        """The issuer named before the type: "Theo đề nghị của Sở ... tại Tờ trình số 55/TTr-STTTT"."""
        left_from = max(line_start, mention.head_start - _LEFT_WINDOW)
        m = self._left_link.search(low, left_from, mention.head_start)
        if not m:
            return None
        found = self.issuers.read(text, low, m.start("iss"), m.end("iss"))
        return found if found is not None and found.end == m.end("iss") else None

    # -- between mentions ------------------------------------------------------------------------------

    def _share_lists(self, low: str, mentions: list[_Mention]) -> None:
        """Members of a list take the issuer stated after the last one, and the type stated before the
        first one: "Chỉ thị 15/CT-TTg, Chỉ thị 16/CT-TTg của Thủ tướng Chính phủ". An issuer is shared only
        between numbers with the same issuer code, which is what makes it one issuer."""
        for a, b in reversed(list(itertools.pairwise(mentions))):
            if (
                a.issuer is None
                and b.issuer is not None
                and fold(a.number.issuer_base) == fold(b.number.issuer_base)
                and self._list_gap.fullmatch(low[a.tail_end : b.head_start])
            ):
                a.issuer = b.issuer
        for a, b in itertools.pairwise(mentions):
            if not b.type_written and a.type_written and self._list_gap.fullmatch(low[a.tail_end : b.head_start]):
                b.type_written = a.type_written

    def _link_chains(self, low: str, mentions: list[_Mention]) -> None:
        """An inner document that the outer one implements: "... về việc triển khai thực hiện Kế hoạch ..."."""
        for k in range(1, len(mentions)):
            outer, inner = mentions[k - 1], mentions[k]
            between = low[outer.tail_end : inner.head_start]
            if _CLAUSE_BREAK.search(between):
                continue
            verb = self._chain_verb.search(between)
            # "..., thực hiện Chỉ thị ..." opens a clause of its own; only a verb inside the outer
            # document's subject ("về việc triển khai thực hiện ...") makes the inner one its basis.
            if verb and not between[: verb.start()].rstrip().endswith(","):
                inner.via = k - 1

    def _relations(self, low: str, bmap: BasisMap, mentions: list[_Mention]) -> None:
        for m in mentions:
            at = m.head_start
            label = bmap.footnote_at(at)
            if label is not None:
                mark = bmap.footnote_marks.get(label)
                m.basis = mark is not None and bmap.in_preamble(mark) and bmap.in_scope(mark)
                continue
            if bmap.in_title(at):
                left = low[max(bmap.title[0], at - _LEFT_WINDOW) : at]
                m.basis = bool(self._basis_verb.search(left))
            elif bmap.in_preamble(at):
                left = low[max(bmap.preamble[0], at - _LEFT_WINDOW) : at]
                m.basis = bmap.in_scope(at) or bool(self._basis_verb.search(left))
        for m in mentions:
            m.direct = m.basis and m.via is None  # named by the plan itself, not inside a cited document
        for m in mentions:
            if m.via is not None and mentions[m.via].basis:
                m.basis = True

    # -- records ---------------------------------------------------------------------------------------

    def _records(
        self, doc: Segmented, low: str, meta: DocumentRecord, bmap: BasisMap, mentions: list[_Mention]
    ) -> list[Citation]:
        text = doc.text
        basis_keys = {m.number.key for m in mentions if m.basis}
        direct_keys = {m.number.key for m in mentions if m.direct}
        via_of: dict[str, str] = {}
        for m in mentions:
            # A document the plan rests on directly is its own basis, whatever else also cites it.
            if m.via is not None and m.number.key not in direct_keys:
                via_of.setdefault(m.number.key, mentions[m.via].number.key)
        # One document has one date and one issuer: a mention that does not state them takes them from a
        # mention that does (its cited_date_text and cited_issuer_as_written stay empty, so this shows).
        stated_date: dict[str, str] = {}
        stated_issuer: dict[str, str] = {}
        named: dict[str, str] = {}  # issuer as written → full name, in this plan (a plan repeats its issuers)

        def full_name(written: str) -> str:
            if written not in named:
                named[written] = self.namer.name(written, meta.issuer, meta.province)
            return named[written]

        for m in mentions:
            if m.date is not None and m.date.iso:
                stated_date.setdefault(m.number.key, m.date.iso)
            if m.issuer is not None:
                stated_issuer.setdefault(m.number.key, full_name(m.issuer.text))
        records = []
        for k, m in enumerate(mentions):
            label = bmap.footnote_at(m.head_start)
            # A footnote's documents belong to the section where its mark stands.
            section_pos = bmap.footnote_marks.get(label, m.head_start) if label is not None else m.head_start
            cited_type, type_flag = self._type(m)
            flags = [*m.flags, *([type_flag] if type_flag else [])]
            key = m.number.key
            issuer_written = m.issuer.text if m.issuer else ""
            if issuer_written:
                issuer = full_name(issuer_written)
            else:
                issuer = stated_issuer.get(key) or self.namer.from_code(
                    m.number.issuer_base, meta.issuer, meta.province
                )
            # as this mention states it, even when impossible (then empty); else as another mention does
            cited_date = m.date.iso if m.date is not None else stated_date.get(key, "")
            records.append(
                Citation(
                    cited_type=cited_type,
                    cited_number=m.number.normalized,
                    cited_date=cited_date,
                    cited_issuer=issuer,
                    cited_subject=self._subject(text, low, mentions, k),
                    relation="basis" if key in basis_keys else "reference",
                    char_start=m.head_start,
                    char_end=m.tail_end,
                    citation_key=key,
                    via=via_of.get(key, ""),
                    number_seq=m.number.seq,
                    number_type_code=m.number.type_code,
                    number_issuer_code=m.number.issuer_code,
                    number_style=m.number.style,
                    cited_date_text=m.date.text if m.date else "",
                    cited_issuer_as_written=issuer_written,
                    section_id=getattr(doc.section_at(section_pos), "section_id", ""),
                    location=_location(doc, bmap, m.head_start),
                    flags=";".join(dict.fromkeys(flags)),
                )
            )
        return records

    def _type(self, m: _Mention) -> tuple[str, str]:
        """The cited type (as the text names it, else from the type code) and a flag when they disagree."""
        by_code = self.grammar.type_of(m.number)
        if m.type_written:
            named = self.types.by_name(m.type_written)
            written = " ".join(m.type_written.split())
            if named is None:
                return written, ""
            value = named.name if fold(written) == fold(named.name) else written[:1].upper() + written[1:].lower()
            if written.isupper():
                value = named.name
            clash = by_code is not None and by_code.name != named.name
            return value, ("type_mismatch" if clash else "")
        if by_code is not None:
            return by_code.name, ""
        if m.number.style == "state" and not m.number.type_code and m.number.issuer_code:
            return "Công văn", ""  # a state number without a type code is a công văn's (123/UBND-VX)
        return "", ""

    def _subject(self, text: str, low: str, mentions: list[_Mention], k: int) -> str:
        """The text after "về" / "về việc" (or a title verb), to the end of its clause."""
        m = mentions[k]
        cue = self._subject_cue.match(low, m.tail_end)
        if cue:
            start = cue.end()
        else:
            verb = self._title_verb.match(low, m.tail_end)
            if not verb:
                return m.title
            start = verb.end()
        quoted = any(q in text[m.tail_end : start] for q in '“"')
        end = min(len(text), start + _SUBJECT_MAX)
        stop = _CLAUSE_BREAK.search(text, start, end)
        if stop:
            end = stop.start()
        if quoted:
            close = re.search(r"[”\"]", text[start:end])
            end = start + close.start() if close else end
        for later in mentions[k + 1 :]:
            if later.head_start >= end:
                break
            if later.via != k and later.head_start > start:  # a sibling in a list, not the inner document
                end = min(end, later.head_start)
                break
        for stop_at in (self._issuing_clause.search(low, start, end), self._aside.search(low, start, end)):
            if stop_at:
                end = min(end, stop_at.start())
        tail = self._trailing_joiner.search(low, start, end)
        end = tail.start() if tail else end
        return text[start:end].strip(' \t,;:.…“”"')


def _location(doc: Segmented, bmap: BasisMap, pos: int) -> str:
    """header, title, preamble, body, closing, annex or footnote."""
    if bmap.footnote_at(pos) is not None:
        return "footnote"
    if bmap.in_title(pos):
        return "title"
    if bmap.in_preamble(pos):
        return "preamble"
    if pos < bmap.preamble[0]:
        return "header"
    for first, last in doc.layout.annexes:
        if doc.offset_of_line(first) <= pos < doc.offset_of_line(last):
            return "annex"
    if pos >= doc.offset_of_line(doc.layout.closing_start):
        return "closing"
    return "body"


_DEFAULT: list[CitationFinder] = []


def find(doc: Segmented, meta: DocumentRecord) -> list[Citation]:
    """The registry's entry point: the citations of ``doc`` with the packaged rules."""
    if not _DEFAULT:
        _DEFAULT.append(CitationFinder())
    return _DEFAULT[0].find(doc, meta)
