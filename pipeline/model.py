"""Typed records that flow through the pipeline.

Every stage takes and returns these records, never loose dicts, so that a value always travels with the
place in the text it came from (``char_start``/``char_end`` into the document's normalized text). The
records know nothing about how they were found or how they are written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of a document's normalized text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def of(self, text: str) -> str:
        """The text this span covers."""
        return text[self.start : self.end]

    def shift(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)


@dataclass
class Repair:
    """One correction of an OCR misreading: the raw string, what replaced it, by which rule, and where.

    A reader records ``char_start``/``char_end`` in its own text; the runner maps them onto the normalized
    text, so ``text[char_start:char_end]`` holds the repaired value and ``raw`` keeps what the engine read.
    """

    doc_id: str = ""
    page: int = 0
    char_start: int = 0
    char_end: int = 0
    raw: str = ""
    repaired: str = ""
    rule: str = ""


@dataclass
class RawDocument:
    """What a reader gives: the text of a file and where each of its pages starts.

    ``page_starts[i]`` is the offset in ``text`` where page ``i + 1`` begins (``[0]`` for formats without
    pages). ``notes`` record what the reader did to the bytes that a user may need to know (an encoding
    detected, a legacy font encoding converted, a converter used); ``warnings`` record what it could not do
    (a page with no text layer). ``page_methods[i]`` says how page ``i + 1``'s text was obtained ("text"
    or "ocr"; empty means every page is "text") and ``page_confidence[i]`` is the OCR engine's mean word
    confidence for it (0-100, None for text pages).
    """

    text: str
    format: str
    page_starts: list[int] = field(default_factory=lambda: [0])
    encoding: str = ""
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    page_methods: list[str] = field(default_factory=list)
    page_confidence: list[float | None] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)


@dataclass
class NormalizedText:
    """The clean text that every later offset refers to, with the way back to the reader's text.

    ``to_raw[i]`` is the offset in the reader's text of normalized character ``i`` (with one extra entry
    for the end), so any span can be traced back to what the reader produced and to its page. The
    normalizer may hand over a function that builds ``to_raw`` instead of the list (:meth:`deferred`): a
    plan's list has one integer per character and most runs never read it, so it is built on first read.
    """

    text: str
    to_raw: list[int]
    page_starts: list[int] = field(default_factory=lambda: [0])

    @classmethod
    def deferred(cls, text: str, build_to_raw: Callable[[], list[int]], page_starts: list[int]) -> NormalizedText:
        """A normalized text whose ``to_raw`` is ``build_to_raw()``, called when ``to_raw`` is first read."""
        norm = cls.__new__(cls)
        norm.text = text
        norm.page_starts = page_starts
        norm.__dict__["_to_raw"] = None
        norm.__dict__["_build_to_raw"] = build_to_raw
        return norm

    def page_of(self, offset: int) -> int:
        """1-based page number holding normalized offset ``offset``."""
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


def _get_to_raw(self: NormalizedText) -> list[int]:
    state = self.__dict__
    to_raw = state["_to_raw"]
    if to_raw is None and state["_build_to_raw"] is not None:
        to_raw = state["_to_raw"] = state["_build_to_raw"]()
        state["_build_to_raw"] = None
    return to_raw


def _set_to_raw(self: NormalizedText, to_raw: list[int]) -> None:
    self.__dict__["_to_raw"] = to_raw
    self.__dict__["_build_to_raw"] = None


# ``to_raw`` stays a field of the dataclass (its __init__, __eq__, __repr__, ``fields`` and ``replace``
# use it), read and written through this property.
NormalizedText.to_raw = property(_get_to_raw, _set_to_raw)  # type: ignore[assignment]


@dataclass
class Line:
    """One line of the normalized text, with its offsets (``end`` excludes the newline)."""

    text: str
    start: int
    end: int

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def content_start(self) -> int:
        """Offset of the first non-blank character."""
        return self.start + (len(self.text) - len(self.text.lstrip()))

    @property
    def content_end(self) -> int:
        """Offset just after the last non-blank character."""
        return self.start + len(self.text.rstrip())


@dataclass
class Section:
    """A node of the section tree: a numbered heading and the text it governs."""

    section_id: str
    parent_id: str
    level: int
    label: str
    heading: str
    char_start: int
    char_end: int
    heading_start: int
    heading_end: int
    marker: str = ""
    category: tuple[str, ...] = ()
    anomaly: str = ""


@dataclass
class Field:
    """One extracted document-level value and where it stands in the text."""

    name: str
    value: str
    char_start: int
    char_end: int
    raw: str = ""


@dataclass
class DocumentRecord:
    """One row of the documents table."""

    doc_id: str = ""
    source_path: str = ""
    format: str = ""
    text_path: str = ""
    doc_type: str = ""
    number: str = ""
    symbol: str = ""
    issue_date: str = ""
    place: str = ""
    issuer: str = ""
    issuer_as_written: str = ""
    parent_organ: str = ""
    province: str = ""
    title: str = ""
    signer_name: str = ""
    signer_title: str = ""
    signer_authority: str = ""
    recipients: str = ""
    encoding: str = ""
    notes: str = ""
    warnings: str = ""
    pages: int = 1
    chars: int = 0
    numbering_anomalies: str = ""
    fields: list[Field] = field(default_factory=list)


@dataclass
class ExtractionError:
    """One input that could not be processed, and why."""

    source_path: str
    stage: str
    error_type: str
    message: str


class PipelineError(Exception):
    """An input failed at a known stage with a message meant for the user.

    ``error_type`` is a short stable code (``empty``, ``binary``, ``corrupt``, ``encrypted``, ``encoding``,
    ``not_vietnamese``, ``no_text``, ``unsupported``, ``too_large``, ``converter_missing``) that users can
    filter the errors table on.
    """

    def __init__(self, error_type: str, message: str, stage: str = "ingest") -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stage = stage


# -- records of the extractors ------------------------------------------------------------------------
# Each extractor returns a list of one of these for one document; the runner fills ``doc_id``. Their
# field order is the column order of their table (pipeline.tables), so a new field is a new column.


@dataclass
class Citation:
    """One mention of a numbered (or reliably named) document that a plan cites.

    ``cited_number`` is the number as written, normalized ("173-KH/TU", "189/KH-UBND"); ``number_seq``,
    ``number_type_code`` and ``number_issuer_code`` are its parts as read by the number grammar, and
    ``number_style`` says which convention it follows (party "173-KH/TU", state "189/KH-UBND", legal
    "163/2024/QH15"). ``citation_key`` is shared by every mention of the same document in the plan;
    ``via`` is the key of the citation whose basis this one is in a nested chain. ``flags`` lists problems
    found and left as written (``malformed_number``, ``impossible_date``), ``;``-separated.
    """

    doc_id: str = ""
    cited_type: str = ""
    cited_number: str = ""
    cited_date: str = ""
    cited_issuer: str = ""
    cited_subject: str = ""
    relation: str = ""
    char_start: int = 0
    char_end: int = 0
    citation_key: str = ""
    via: str = ""
    number_seq: str = ""
    number_type_code: str = ""
    number_issuer_code: str = ""
    number_style: str = ""
    cited_date_text: str = ""
    cited_issuer_as_written: str = ""
    section_id: str = ""
    location: str = ""
    flags: str = ""


@dataclass
class Phase:
    """A period into which a plan divides its work, or the plan's own implementation period.

    Dates are ISO; ``*_grain`` is day, month, quarter or year (how precisely the text gave the boundary);
    ``*_inferred`` is true when the date is derived (the issue date for "từ nay", a known event's date).
    ``parent_phase`` is the ``phase_no`` of the enclosing phase for sub-phases, empty for top-level ones.
    """

    doc_id: str = ""
    phase_no: int = 0
    parent_phase: str = ""
    label: str = ""
    start_date: str = ""
    end_date: str = ""
    start_text: str = ""
    end_text: str = ""
    start_event: str = ""
    end_event: str = ""
    start_inferred: bool = False
    end_inferred: bool = False
    char_start: int = 0
    char_end: int = 0
    start_grain: str = ""
    end_grain: str = ""
    section_id: str = ""


@dataclass
class Deadline:
    """A deadline or recurrence stated for a task ("báo cáo ... trước ngày 30/11", "hằng năm")."""

    doc_id: str = ""
    text: str = ""
    date: str = ""
    recurrence: str = ""
    unit: str = ""
    char_start: int = 0
    char_end: int = 0
    section_id: str = ""


@dataclass
class Unit:
    """A unit given responsibilities in the implementation section (or a lead unit of an annexed task
    table). A list of units in one item gives one row for the item and one per member (``member_of`` is
    then the item's unit as written)."""

    doc_id: str = ""
    unit: str = ""
    unit_canonical: str = ""
    role: str = ""
    tasks: str = ""
    section_id: str = ""
    char_start: int = 0
    char_end: int = 0
    reports_to: str = ""
    member_of: str = ""


@dataclass
class Mention:
    """An organization named anywhere else in a plan; ``source`` is ``rule`` or ``ner``."""

    doc_id: str = ""
    unit: str = ""
    unit_canonical: str = ""
    section_id: str = ""
    char_start: int = 0
    char_end: int = 0
    source: str = ""
