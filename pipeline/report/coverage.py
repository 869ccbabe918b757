"""Section-category coverage: which of the usual parts (purpose, content, timeline...) each plan has.

A plan without a timeline or an implementation section is worth a second look; a category no plan uses
says something about the corpus. The heat map counts each plan's level-1 sections per category (a section
can have several), and the bar under it gives the share of plans that have each one.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pipeline.report.data import Run
from pipeline.report.html import figure_html, plan_labels, section, text

#: The contract's level-1 categories, in its order.
CATEGORIES = ["purpose", "content", "timeline", "forms", "budget", "implementation", "other"]
CATEGORY_NAMES = {
    "purpose": "mục đích / purpose",
    "content": "nội dung / content",
    "timeline": "thời gian / timeline",
    "forms": "hình thức / forms",
    "budget": "kinh phí / budget",
    "implementation": "tổ chức thực hiện / implementation",
    "other": "khác / other",
}


def coverage_matrix(run: Run) -> pd.DataFrame:
    """Plans (rows, by plan label) × categories: how many level-1 sections carry each category."""
    docs = run.table("documents")
    sections = run.table("sections")
    labels = plan_labels(docs)
    matrix = pd.DataFrame(0, index=[labels[d] for d in docs["doc_id"]], columns=CATEGORIES)
    if sections.empty:
        return matrix
    level1 = sections[pd.to_numeric(sections["level"], errors="coerce") == 1]
    for row in level1.itertuples():
        for category in text(row.category).split(";"):
            if category in matrix.columns and row.doc_id in labels:
                matrix.loc[labels[row.doc_id], category] += 1
    return matrix


def coverage_figure(matrix: pd.DataFrame) -> go.Figure:
    """A heat map of ``matrix`` with the share of plans covering each category under it."""
    names = [CATEGORY_NAMES[c] for c in matrix.columns]
    share = (matrix > 0).mean().mul(100).round(0) if len(matrix) else matrix.sum()
    fig = make_subplots(rows=2, cols=1, row_heights=[0.75, 0.25], shared_xaxes=True, vertical_spacing=0.06)
    fig.add_heatmap(
        z=matrix.values,
        x=names,
        y=list(matrix.index),
        colorscale="Blues",
        showscale=False,
        text=matrix.values,
        texttemplate="%{text}",
        hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>",
        zmin=0,
        row=1,
        col=1,
    )
    fig.add_bar(
        x=names,
        y=list(share.values),
        marker_color="#1f77b4",
        text=[f"{v:.0f}%" for v in share.values],
        textposition="outside",
        hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
        showlegend=False,
        row=2,
        col=1,
    )
    fig.update_yaxes(autorange="reversed", automargin=True, row=1, col=1)
    fig.update_yaxes(title="% kế hoạch / of plans", range=[0, 115], row=2, col=1)
    fig.update_layout(
        title="Các phần của kế hoạch (mục cấp 1) / Section categories across plans (level-1 sections)",
        height=max(380, 34 * len(matrix) + 320),
        margin={"t": 60, "l": 20, "r": 20, "b": 40},
    )
    return fig


def coverage_section(run: Run) -> str:
    """The coverage section's HTML."""
    matrix = coverage_matrix(run)
    if matrix.empty:
        return section("coverage", "Các phần / Section categories", '<p class="kh-empty">Không có mục / none.</p>')
    missing = [CATEGORY_NAMES[c] for c in CATEGORIES if c != "other" and not matrix[c].any()]
    note = f'<p class="kh-note">Không kế hoạch nào có / no plan has: {", ".join(missing)}.</p>' if missing else ""
    return section(
        "coverage", "Các phần / Section categories", figure_html(coverage_figure(matrix), "kh-coverage") + note
    )
