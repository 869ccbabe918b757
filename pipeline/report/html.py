"""Small HTML helpers the report's sections share: escaping, tables, figures, plan labels, anchors.

The report is one file assembled from strings; keeping escaping and the few element builders in one
place means no section can forget to escape a value read from a plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

import pandas as pd

from pipeline.cells import cell_text

#: Plotly's display options for every figure: no logo (nothing links out of the file), resizes with the page.
FIGURE_CONFIG = {"displaylogo": False, "responsive": True}


def esc(value: Any) -> str:
    """A cell as escaped text; missing values (None, NaN, pandas NA) are empty."""
    return escape(cell_text(value))


text = cell_text


def slug(value: str) -> str:
    """An id-safe form of a doc_id or table name (letters, digits, - and _)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-") or "x"


def doc_anchor(doc_id: str) -> str:
    """The id of a plan's page in the report."""
    return f"doc-{slug(doc_id)}"


def row_anchor(doc_id: str, table: str, index: int) -> str:
    """The id of one row of a plan's table, so a highlighted span can link to it."""
    return f"{doc_anchor(doc_id)}-{slug(table)}-{index}"


def plan_label(doc: Any) -> str:
    """A short human name for a plan: its number and symbol, and its province; else its doc_id."""
    number, symbol = text(getattr(doc, "number", "")), text(getattr(doc, "symbol", ""))
    name = "/".join(p for p in (number, symbol) if p) or text(doc.doc_id)
    province = text(getattr(doc, "province", ""))
    return f"{name} · {province}" if province else name


def plan_labels(documents: pd.DataFrame) -> dict[str, str]:
    """plan_label for every doc_id, made unique when two plans would read the same."""
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    for doc in documents.itertuples():
        label = plan_label(doc)
        seen[label] = seen.get(label, 0) + 1
        labels[doc.doc_id] = label if seen[label] == 1 else f"{label} ({doc.doc_id})"
    return labels


def table_html(
    df: pd.DataFrame,
    columns: Sequence[str],
    headers: Sequence[str] | None = None,
    row_ids: Iterable[str] | None = None,
    classes: str = "kh-table",
    links: dict[str, dict[str, str]] | None = None,
    row_classes: Iterable[str] | None = None,
) -> str:
    """An HTML table of ``columns`` of ``df`` (escaped); ``links`` maps column → value → href."""
    headers = list(headers or columns)
    ids = list(row_ids) if row_ids is not None else [""] * len(df)
    kinds = list(row_classes) if row_classes is not None else [""] * len(df)
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for rid, kind, (_, row) in zip(ids, kinds, df.iterrows(), strict=False):
        cells = []
        for col in columns:
            value = esc(row.get(col, ""))
            href = (links or {}).get(col, {}).get(text(row.get(col, "")))
            cells.append(f'<td><a href="{esc(href)}">{value}</a></td>' if href else f"<td>{value}</td>")
        attr = (f' id="{esc(rid)}"' if rid else "") + (f' class="{esc(kind)}"' if kind else "")
        body.append(f"<tr{attr}>{''.join(cells)}</tr>")
    if not body:
        return '<p class="kh-empty">Không có dòng nào / no rows.</p>'
    return f'<table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def figure_html(fig: Any, div_id: str) -> str:
    """A Plotly figure as a div and its script, without plotly.js (the page inlines it once)."""
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=FIGURE_CONFIG)


def section(anchor: str, title: str, body: str, intro: str = "") -> str:
    """One top-level section of the report, with its anchor for the table of contents."""
    lead = f'<p class="kh-intro">{intro}</p>' if intro else ""
    return f'<section id="{anchor}" class="kh-section"><h2>{title}</h2>{lead}{body}</section>'
