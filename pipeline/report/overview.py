"""The report's overview: how many plans each province and issuer wrote, and what was read from them.

A reader first wants the corpus's shape: which provinces and issuers it covers, how many citations,
phases, units and audit findings each contributed. A stacked bar gives that at a glance; the tables
below it give the numbers and link every plan to its page further down.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pipeline.report.data import Run
from pipeline.report.html import doc_anchor, figure_html, plan_labels, section, table_html

UNKNOWN = "(không rõ / unknown)"


def plan_counts(run: Run) -> pd.DataFrame:
    """One row per plan: province, issuer, date and how many rows each table holds for it."""
    docs = run.table("documents").copy()
    for col in ("province", "issuer"):
        docs[col] = docs[col].fillna("").replace("", UNKNOWN)
    for name in ("citations", "phases", "units", "deadlines", "audit_findings"):
        df = run.table(name)
        counts = df.groupby("doc_id").size() if not df.empty and "doc_id" in df else pd.Series(dtype=int)
        docs[name] = docs["doc_id"].map(counts).fillna(0).astype(int)
    cites = run.table("citations")
    basis = cites[cites["relation"] == "basis"].groupby("doc_id").size() if not cites.empty else pd.Series()
    docs["basis"] = docs["doc_id"].map(basis).fillna(0).astype(int)
    docs["plan"] = docs["doc_id"].map(plan_labels(docs))
    return docs


def by_province_and_issuer(counts: pd.DataFrame) -> pd.DataFrame:
    """Totals per province and issuer."""
    grouped = counts.groupby(["province", "issuer"], sort=True)
    return grouped.agg(
        plans=("doc_id", "size"),
        first_issued=("issue_date", lambda s: min((v for v in s if v), default="")),
        last_issued=("issue_date", lambda s: max((v for v in s if v), default="")),
        citations=("citations", "sum"),
        basis=("basis", "sum"),
        phases=("phases", "sum"),
        units=("units", "sum"),
        findings=("audit_findings", "sum"),
    ).reset_index()


def overview_figure(counts: pd.DataFrame) -> go.Figure:
    """Plans per province, stacked by issuer."""
    fig = go.Figure()
    for issuer, group in counts.groupby("issuer", sort=True):
        per_province = group.groupby("province").size()
        fig.add_bar(x=list(per_province.index), y=list(per_province.values), name=str(issuer))
    fig.update_layout(
        barmode="stack",
        title="Số kế hoạch theo tỉnh và cơ quan ban hành / Plans by province and issuer",
        xaxis_title="Tỉnh / province",
        yaxis_title="Kế hoạch / plans",
        legend_title="Cơ quan / issuer",
        height=420,
        margin={"t": 60, "l": 60, "r": 20, "b": 60},
    )
    return fig


def overview_section(run: Run) -> str:
    """The overview section's HTML."""
    counts = plan_counts(run)
    if counts.empty:
        return section("overview", "Tổng quan / Overview", '<p class="kh-empty">Không có kế hoạch / no plans.</p>')
    totals = by_province_and_issuer(counts)
    plans = counts.sort_values(["province", "issue_date", "doc_id"])
    links = {"plan": {row.plan: f"#{doc_anchor(row.doc_id)}" for row in plans.itertuples()}}
    body = (
        figure_html(overview_figure(counts), "kh-overview-figure")
        + "<h3>Theo tỉnh và cơ quan / By province and issuer</h3>"
        + table_html(
            totals,
            list(totals.columns),
            [
                "tỉnh / province",
                "cơ quan / issuer",
                "kế hoạch / plans",
                "sớm nhất / first",
                "muộn nhất / last",
                "trích dẫn / citations",
                "căn cứ / basis",
                "giai đoạn / phases",
                "đơn vị / units",
                "kết quả kiểm tra / findings",
            ],
            classes="kh-table kh-overview-table",
        )
        + "<h3>Các kế hoạch / The plans</h3>"
        + table_html(
            plans,
            ["plan", "issue_date", "issuer", "title", "citations", "phases", "units", "audit_findings"],
            [
                "kế hoạch / plan",
                "ngày / date",
                "cơ quan / issuer",
                "trích yếu / title",
                "trích dẫn / citations",
                "giai đoạn / phases",
                "đơn vị / units",
                "kiểm tra / findings",
            ],
            classes="kh-table kh-plans-table",
            links=links,
        )
    )
    intro = f"{len(counts)} kế hoạch / plan(s) từ / from {counts['province'].nunique()} tỉnh / province(s)."
    return section("overview", "Tổng quan / Overview", body, intro)
