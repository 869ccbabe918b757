"""One page per plan inside the report: its text with the spans highlighted, its tables beside it.

Each page has an anchor (``#doc-<doc_id>``) so the overview, the graph's findings and the table of
contents can link to it, and each table row has one too, so a highlighted span's label leads to the row
it was read into. This is where a reader checks a value against the words it came from.
"""

from __future__ import annotations

import pandas as pd

from pipeline.report.data import Run
from pipeline.report.html import doc_anchor, esc, plan_labels, row_anchor, table_html, text
from pipeline.report.spans import document_spans, legend_html, render_text

#: The tables shown beside the text: (table, columns, headers).
SIDE_TABLES = [
    ("fields", ["field", "value"], ["trường / field", "giá trị / value"]),
    (
        "citations",
        ["cited_type", "cited_number", "cited_date", "relation"],
        ["loại / type", "số / number", "ngày / date", "quan hệ / relation"],
    ),
    (
        "audit_findings",
        ["severity", "check", "cited_value", "parent_value"],
        ["mức / severity", "kiểm tra / check", "kế hoạch ghi / cited", "cấp trên ghi / parent"],
    ),
    (
        "phases",
        ["label", "start_date", "end_date", "start_inferred", "end_inferred"],
        [
            "nhãn / label",
            "bắt đầu / start",
            "kết thúc / end",
            "đầu suy ra / start inferred",
            "cuối suy ra / end inferred",
        ],
    ),
    ("deadlines", ["date", "recurrence", "text"], ["ngày / date", "định kỳ / recurrence", "nội dung / text"]),
    ("units", ["unit_canonical", "role", "section_id"], ["đơn vị / unit", "vai trò / role", "mục / section"]),
]
TABLE_TITLES = {
    "fields": "Thông tin văn bản / Document fields",
    "citations": "Trích dẫn / Citations",
    "audit_findings": "Kết quả kiểm tra / Audit findings",
    "phases": "Giai đoạn / Phases",
    "deadlines": "Thời hạn / Deadlines",
    "units": "Đơn vị / Units",
}


def _header(doc: pd.Series, label: str) -> str:
    facts = [
        ("số / number", "/".join(p for p in (text(doc.get("number")), text(doc.get("symbol"))) if p)),
        ("ngày / date", text(doc.get("issue_date"))),
        ("cơ quan / issuer", text(doc.get("issuer"))),
        ("tỉnh / province", text(doc.get("province"))),
        (
            "người ký / signer",
            " ".join(p for p in (text(doc.get("signer_title")), text(doc.get("signer_name"))) if p),
        ),
        ("tệp / source", text(doc.get("source_path"))),
    ]
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts if v)
    return f'<h3>{esc(label)}</h3><p class="kh-title">{esc(doc.get("title"))}</p><dl class="kh-facts">{items}</dl>'


def document_page(run: Run, doc: pd.Series, label: str) -> str:
    """One plan's page: header, highlighted text on the left, its tables on the right."""
    doc_id = text(doc["doc_id"])
    linked = {name: run.rows(name, doc_id).reset_index(drop=True) for name, _, _ in SIDE_TABLES}
    spans = document_spans(run, doc_id, linked)
    body = render_text(run.texts.get(doc_id, ""), spans)
    tables = []
    for name, columns, headers in SIDE_TABLES:
        df = linked[name]
        if df.empty:
            continue
        present = [c for c in columns if c in df.columns]
        ids = [row_anchor(doc_id, name, i) for i in range(len(df))]
        tables.append(
            f"<h4>{TABLE_TITLES[name]} ({len(df)})</h4>"
            + table_html(df, present, [h for c, h in zip(columns, headers, strict=True) if c in present], ids)
        )
    return (
        f'<article id="{doc_anchor(doc_id)}" class="kh-document">{_header(doc, label)}'
        f'{legend_html(spans)}<div class="kh-doc-grid">'
        f'<div class="kh-text" data-spans="{len(spans)}">{body}</div>'
        f'<aside class="kh-side">{"".join(tables)}</aside></div>'
        '<p class="kh-top"><a href="#top">↑ đầu trang / top</a></p></article>'
    )


def documents_section(run: Run, doc_ids: list[str] | None = None) -> str:
    """Every plan's page (or only ``doc_ids``'), in the overview's order, with a list of links first."""
    docs = run.table("documents").sort_values(["province", "issue_date", "doc_id"])
    if doc_ids is not None:
        docs = docs[docs["doc_id"].isin(doc_ids)]
    labels = plan_labels(run.table("documents"))
    links = "".join(f'<li><a href="#{doc_anchor(d)}">{esc(labels[d])}</a></li>' for d in docs["doc_id"])
    pages = "".join(document_page(run, row, labels[row["doc_id"]]) for _, row in docs.iterrows())
    return (
        '<section id="documents" class="kh-section"><h2>Từng kế hoạch / Each plan</h2>'
        f'<ul class="kh-doc-links">{links}</ul>{pages}</section>'
    )
