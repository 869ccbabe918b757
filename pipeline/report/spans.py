"""A plan's text with every extracted span highlighted, in displaCy's span style.

Spans come straight from the tables (``char_start``/``char_end`` into the normalized text): the values of
``documents`` (through ``fields``), citations, phases, deadlines, units, organization mentions, section
headings and audit findings. They overlap (a unit's name is also a section heading, a finding sits on a
citation), so we use displaCy's "span" style, which stacks overlapping spans as underlines, instead of
"ent", which would drop them. The text is rendered line by line (the span style joins tokens with single
spaces and would lose line breaks otherwise); a span crossing lines is drawn on each of its lines. Each
span's label links to its row in the tables beside the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

import pandas as pd
from spacy import displacy

from pipeline.report.data import Run
from pipeline.report.html import row_anchor, text

TOKEN = re.compile(r"\S+")

#: Colours of the span labels (displaCy looks labels up in upper case).
COLOURS = {
    "BASIS": "#f4a261",
    "CITATION": "#e9c46a",
    "PHASE": "#2a9d8f",
    "DEADLINE": "#8ecae6",
    "UNIT": "#b5838d",
    "ORG": "#d9d9d9",
    "SECTION": "#a8dadc",
    "FINDING": "#e63946",
    "FIELD": "#cdb4db",
}
LEGEND = {
    "FIELD": "thông tin văn bản / document field",
    "BASIS": "trích dẫn căn cứ / basis citation",
    "CITATION": "trích dẫn tham chiếu / reference citation",
    "PHASE": "giai đoạn / phase",
    "DEADLINE": "thời hạn / deadline",
    "UNIT": "đơn vị thực hiện / responsible unit",
    "SECTION": "đề mục / section heading",
    "ORG": "cơ quan được nhắc tới / organization mentioned",
    "FINDING": "kết quả kiểm tra / audit finding",
}

#: displaCy span templates with class names (the look is in the page's CSS, so each token stays small).
TEMPLATES = {
    "span": '<mark class="kh-token" style="height: {total_height}px">{text}{span_slices}{span_starts}</mark>',
    "slice": '<span class="kh-slice" style="background: {bg}; top: {top_offset}px"></span>',
    "start": (
        '<span class="kh-start" style="background: {bg}; top: {top_offset}px">'
        '<span class="kh-label" style="background: {bg}">{label}{kb_link}</span></span>'
    ),
}


@dataclass(frozen=True)
class TextSpan:
    """One span to highlight: its offsets, label, and the anchor of the row it came from ('' for none)."""

    start: int
    end: int
    label: str
    link: str = ""
    note: str = ""  # shown after the label (the field's name for a documents value)


def _valid(start: object, end: object, length: int) -> tuple[int, int] | None:
    try:
        s, e = int(start), int(end)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return (s, e) if 0 <= s < e <= length else None


def document_spans(run: Run, doc_id: str, linked: dict[str, pd.DataFrame]) -> list[TextSpan]:
    """Every span of one plan, from every table that has spans; ``linked`` are the tables shown beside."""
    length = len(run.texts.get(doc_id, ""))
    spans: list[TextSpan] = []

    def add(
        df: pd.DataFrame, label_of, table: str | None, start: str = "char_start", end: str = "char_end"
    ) -> None:
        for i, (_, row) in enumerate(df.iterrows()):
            where = _valid(row.get(start), row.get(end), length)
            if where:
                link = row_anchor(doc_id, table, i) if table else ""
                note = text(row.get("field")) if table == "fields" else ""
                spans.append(TextSpan(where[0], where[1], label_of(row), link, note))

    add(linked["fields"], lambda r: "FIELD", "fields")
    add(linked["citations"], lambda r: "BASIS" if text(r.get("relation")) == "basis" else "CITATION", "citations")
    add(linked["phases"], lambda r: "PHASE", "phases")
    add(linked["deadlines"], lambda r: "DEADLINE", "deadlines")
    add(linked["units"], lambda r: "UNIT", "units")
    add(linked["audit_findings"], lambda r: "FINDING", "audit_findings")
    add(run.rows("sections", doc_id), lambda r: "SECTION", None, "heading_start", "heading_end")
    add(run.rows("mentions", doc_id), lambda r: "ORG", None)
    return spans


def _lines(text_: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for line in text_.split("\n"):
        yield pos, line
        pos += len(line) + 1


def line_doc(line: str, offset: int, spans: list[TextSpan]) -> dict | None:
    """displaCy's manual input for one line: its tokens and the spans over them (None: no span here)."""
    tokens = [(m.start() + offset, m.end() + offset, m.group()) for m in TOKEN.finditer(line)]
    if not tokens:
        return None
    end_of_line = offset + len(line)
    items = []
    for span in spans:
        if span.end <= offset or span.start >= end_of_line:
            continue
        first = next((i for i, t in enumerate(tokens) if t[1] > span.start), None)
        last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i][0] < span.end), None)
        if first is None or last is None or last < first:
            continue
        item = {"start_token": first, "end_token": last + 1, "label": span.label}
        if span.link:
            item.update(kb_id=f"{escape(span.note)} ↗".strip(), kb_url=f"#{span.link}")
        items.append(item)
    if not items:
        return None
    return {"text": line, "tokens": [t[2] for t in tokens], "spans": items}


def render_text(text_: str, spans: list[TextSpan]) -> str:
    """The text as HTML, one block per line, lines with spans rendered by displaCy."""
    options = {
        "colors": COLOURS,
        "template": TEMPLATES,
        "top_offset": 28,
        "span_label_offset": 14,
        "top_offset_step": 9,
    }
    out = []
    for offset, line in _lines(text_):
        if not line.strip():
            out.append('<div class="kh-gap"></div>')
            continue
        mine = [s for s in spans if s.start < offset + len(line) and s.end > offset]
        doc = line_doc(line, offset, mine) if mine else None
        if doc is None:
            out.append(f'<div class="kh-line">{escape(line)}</div>')
        else:
            out.append(displacy.render(doc, style="span", manual=True, options=options, jupyter=False))
    return "".join(out)


def legend_html(spans: list[TextSpan]) -> str:
    """The labels used in this plan, with their colours and meanings."""
    used = [label for label in LEGEND if any(s.label == label for s in spans)]
    items = "".join(
        f'<span class="kh-legend-item"><span class="kh-swatch" style="background: {COLOURS[label]}"></span>'
        f"{label}: {escape(LEGEND[label])}</span>"
        for label in used
    )
    return f'<div class="kh-legend">{items}</div>'
