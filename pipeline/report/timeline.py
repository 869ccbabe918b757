"""The timeline: every plan's phases as bars on one date axis, plans one under another (a Gantt chart).

What a reader must not mistake is how much of a bar the text actually states. A boundary written as a
date is a filled circle; one the pipeline inferred (the issue date for "từ nay", an event's known date) is
an open diamond, and a bar with any inferred boundary is hatched. A boundary the text leaves open is
drawn up to the next phase (or a short stub) as a faded bar ending in an open triangle, so it never
looks like a stated date. Phases with no date at all cannot be placed and are listed under the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from pipeline.report.data import Run
from pipeline.report.html import esc, figure_html, plan_labels, section, table_html, text

#: Length drawn for a phase whose other boundary the text leaves open, when no neighbour bounds it.
OPEN_STUB = timedelta(days=45)
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]

#: Longest phase label shown on the axis (the hover shows the whole phase).
LABEL_CHARS = 32

#: How each kind of boundary is drawn: (legend text, marker symbol).
BOUNDARY_STYLES = {
    "written": ("ngày ghi trong văn bản / date written in the text", "circle"),
    "inferred": ("ngày suy ra / inferred date", "diamond-open"),
    "open": ("không có ngày (vẽ tạm) / no date: drawn up to the next phase", "triangle-right-open"),
}


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(text(value)[:10])
    except ValueError:
        return None


def _flag(value: object) -> bool:
    return text(value).lower() in ("true", "1")


@dataclass
class Bar:
    """One phase as drawn: its row label, extent and how each boundary is known."""

    doc_id: str
    row: str
    start: date
    end: date
    start_kind: str
    end_kind: str
    top_level: bool
    hover: str


def _hover(plan: str, p: object) -> str:
    parts = [f"<b>{esc(plan)}</b>", f"{esc(text(getattr(p, 'label', '')))}"]
    for side in ("start", "end"):
        when = text(getattr(p, f"{side}_date", "")) or "?"
        written = text(getattr(p, f"{side}_text", ""))
        event = text(getattr(p, f"{side}_event", ""))
        inferred = " (suy ra / inferred)" if _flag(getattr(p, f"{side}_inferred", False)) else ""
        line = f"{side}: {esc(when)}{inferred}"
        if written:
            line += f" — «{esc(written[:80])}»"
        if event:
            line += f" [{esc(event[:60])}]"
        parts.append(line)
    return "<br>".join(parts)


def phase_bars(run: Run) -> tuple[list[Bar], pd.DataFrame]:
    """The bars to draw, in plan order, and the phases that have no date at all."""
    phases = run.table("phases")
    docs = run.table("documents")
    if phases.empty:
        return [], phases
    labels = plan_labels(docs)
    order = docs.sort_values(["province", "issue_date", "doc_id"])["doc_id"].tolist()
    bars: list[Bar] = []
    undated = []
    for doc_id in order:
        rows = phases[phases["doc_id"] == doc_id]
        tops = rows[rows["parent_phase"].map(text) == ""]
        starts = [_date(v) for v in tops["start_date"]]
        ends = [_date(v) for v in tops["end_date"]]
        for p in rows.itertuples():
            start, end = _date(p.start_date), _date(p.end_date)
            top = text(p.parent_phase) == ""
            if start is None and end is None:
                undated.append(p)
                continue
            s_kind = "inferred" if _flag(p.start_inferred) else "written"
            e_kind = "inferred" if _flag(p.end_inferred) else "written"
            if end is None:
                later = [s for s in starts if s and s > start]
                end = min(later) - timedelta(days=1) if later else start + OPEN_STUB
                e_kind = "open"
            if start is None:
                earlier = [e for e in ends if e and e < end]
                start = max(earlier) + timedelta(days=1) if earlier else end - OPEN_STUB
                s_kind = "open"
            label = text(p.label) or f"#{p.phase_no}"
            label = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
            row = (
                f"{labels.get(doc_id, doc_id)} · {label}" if top else f"{labels.get(doc_id, doc_id)} ·   ↳ {label}"
            )
            bars.append(Bar(doc_id, row, start, max(end, start), s_kind, e_kind, top, _hover(labels[doc_id], p)))
    return bars, pd.DataFrame(undated)


def timeline_figure(bars: list[Bar]) -> go.Figure:
    """The Gantt chart of ``bars``: one colour per plan, hatched where inferred, faded where open."""
    fig = go.Figure()
    colours = {}
    for bar in bars:
        colours.setdefault(bar.doc_id, PALETTE[len(colours) % len(PALETTE)])
    for doc_id, colour in colours.items():
        mine = [b for b in bars if b.doc_id == doc_id]
        fig.add_bar(
            base=[b.start.isoformat() for b in mine],
            x=[((b.end - b.start).days + 1) * 86_400_000 for b in mine],
            y=[b.row for b in mine],
            orientation="h",
            width=[0.7 if b.top_level else 0.4 for b in mine],
            marker={
                "color": colour,
                "opacity": [0.4 if "open" in (b.start_kind, b.end_kind) else 0.85 for b in mine],
                "pattern": {
                    "shape": ["/" if "inferred" in (b.start_kind, b.end_kind) else "" for b in mine],
                    "fgcolor": "white",
                    "solidity": 0.35,
                },
                "line": {"width": 0},
            },
            hovertext=[b.hover for b in mine],
            hoverinfo="text",
            showlegend=False,
            name=doc_id,
        )
    for kind, (legend, symbol) in BOUNDARY_STYLES.items():
        xs, ys = [], []
        for b in bars:
            if b.start_kind == kind:
                xs.append(b.start.isoformat())
                ys.append(b.row)
            if b.end_kind == kind:
                xs.append((b.end + timedelta(days=1)).isoformat())
                ys.append(b.row)
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="markers",
            name=legend,
            marker={"symbol": symbol, "size": 11, "color": "black", "line": {"width": 2, "color": "black"}},
            hoverinfo="skip",
            visible=True if xs else "legendonly",
        )
    rows = list(dict.fromkeys(b.row for b in bars))
    _plan_separators(fig, bars, rows)
    fig.update_layout(
        title="Các giai đoạn của mọi kế hoạch trên cùng một trục thời gian / Every plan's phases on one time axis",
        xaxis={"type": "date", "title": "thời gian / time"},
        yaxis={"categoryorder": "array", "categoryarray": rows, "autorange": "reversed", "automargin": True},
        height=max(320, 26 * len(rows) + 170),
        margin={"t": 60, "l": 20, "r": 20, "b": 60},
        legend={"orientation": "h", "y": -0.12 if len(rows) > 8 else -0.3},
        bargap=0.2,
    )
    return fig


def _plan_separators(fig: go.Figure, bars: list[Bar], rows: list[str]) -> None:
    """Thin lines between plans, so each plan's rows read as one group."""
    index = {row: i for i, row in enumerate(rows)}
    previous = None
    for b in bars:
        if previous is not None and b.doc_id != previous:
            y = index[b.row] - 0.5
            fig.add_shape(type="line", xref="paper", x0=0, x1=1, y0=y, y1=y, line={"color": "#bbb", "width": 1})
        previous = b.doc_id


def timeline_section(run: Run) -> str:
    """The timeline section's HTML: the chart and the phases it could not place."""
    bars, undated = phase_bars(run)
    if not bars:
        body = '<p class="kh-empty">Không có giai đoạn nào có ngày / no phase has a date.</p>'
    else:
        body = figure_html(timeline_figure(bars), "kh-timeline")
    if not undated.empty:
        labels = plan_labels(run.table("documents"))
        undated = undated.assign(plan=undated["doc_id"].map(labels))
        body += "<h3>Giai đoạn không có ngày / Phases with no date in the text</h3>" + table_html(
            undated,
            ["plan", "label", "start_text", "end_text", "start_event", "end_event"],
            [
                "kế hoạch / plan",
                "nhãn / label",
                "bắt đầu / start",
                "kết thúc / end",
                "sự kiện đầu / start event",
                "sự kiện cuối / end event",
            ],
        )
    intro = (
        "Mỗi màu là một kế hoạch; vạch chéo: có mốc suy ra (◇); mờ: có mốc không có ngày (▷). "
        "Each colour is one plan; hatched: a boundary is inferred (◇); faded: a boundary has no date (▷)."
    )
    return section("timeline", "Tiến độ / Timeline", body, intro)
