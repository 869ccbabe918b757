"""Typed records that flow through the pipeline.

Every stage takes and returns these records, never loose dicts, so that a value always travels with the
place in the text it came from (``char_start``/``char_end`` into the document's normalized text). The
records know nothing about how they were found or how they are written.
"""

from __future__ import annotations

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
class RawDocument:
    """What a reader gives: the text of a file and where each of its pages starts.

    ``page_starts[i]`` is the offset in ``text`` where page ``i + 1`` begins (``[0]`` for formats without
    pages). ``notes`` record what the reader did to the bytes that a user may need to know (an encoding
    detected, a legacy font encoding converted, a converter used); ``warnings`` record what it could not do
    (a page with no text layer).
    """

    text: str
    format: str
    page_starts: list[int] = field(default_factory=lambda: [0])
    encoding: str = ""
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class NormalizedText:
    """The clean text that every later offset refers to, with the way back to the reader's text.

    ``to_raw[i]`` is the offset in the reader's text of normalized character ``i`` (with one extra entry
    for the end), so any span can be traced back to what the reader produced and to its page.
    """

    text: str
    to_raw: list[int]
    page_starts: list[int] = field(default_factory=lambda: [0])

    def page_of(self, offset: int) -> int:
        """1-based page number holding normalized offset ``offset``."""
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


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
