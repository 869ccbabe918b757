"""The citation graph: parent documents on the left, the sub-plans that implement them to their right.

Drawn from the audit's ``edges``: every basis citation (the plan says it implements the document) and
every citation resolved to a plan of the corpus. A cited document the corpus does not hold is a grey
square; a plan of the corpus is a circle. An arrow is coloured by the worst audit finding on that
citation (red error, orange warning, grey info, green none), and a plan with findings gets a red ring,
so an auditor sees where to look before reading the findings table under the graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from pipeline.report.data import Run
from pipeline.report.html import doc_anchor, esc, figure_html, plan_labels, section, table_html, text

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_COLOURS = {"error": "#d62728", "warning": "#ff7f0e", "info": "#999999", "": "#2ca02c"}


@dataclass
class Node:
    """A plan of the corpus or a document only known from a citation."""

    key: str
    label: str
    in_corpus: bool
    hover: str
    findings: int = 0
    depth: int = 0


@dataclass
class Edge:
    """A citation from ``child`` (the citing plan) to ``parent``."""

    parent: str
    child: str
    relation: str
    severity: str
    findings: list[str] = field(default_factory=list)


def worst(severities: list[str]) -> str:
    """The most severe of ``severities`` ('' when there are none)."""
    known = [s for s in severities if s in SEVERITY_ORDER]
    return min(known, key=SEVERITY_ORDER.__getitem__) if known else ""


def build_graph(run: Run) -> tuple[dict[str, Node], list[Edge], int]:
    """The nodes, the edges drawn, and how many citations were left out (references outside the corpus)."""
    docs = run.table("documents")
    edges_df = run.table("edges")
    findings = run.table("audit_findings")
    labels = plan_labels(docs)
    nodes: dict[str, Node] = {
        d.doc_id: Node(d.doc_id, labels[d.doc_id], True, f"<b>{esc(labels[d.doc_id])}</b><br>{esc(d.title)}")
        for d in docs.itertuples()
    }
    by_citation: dict[tuple[str, str], list[pd.Series]] = defaultdict(list)
    for _, f in findings.iterrows():
        by_citation[(text(f["doc_id"]), text(f["citation_key"]))].append(f)
    edges: list[Edge] = []
    left_out = 0
    for e in edges_df.itertuples():
        target = text(e.target_doc_id)
        if e.relation != "basis" and not target:
            left_out += 1
            continue
        if target and target in nodes:
            parent = target
        else:
            parent = f"ext:{text(e.citation_key)}|{text(e.cited_date)}"
            if parent not in nodes:
                name = f"{text(e.cited_type)} {text(e.cited_number)}".strip()
                hover = f"<b>{esc(name)}</b><br>{esc(text(e.cited_date))} — {esc(text(e.cited_issuer))}"
                nodes[parent] = Node(parent, name, False, hover + "<br>(không có trong kho / not in the corpus)")
        mine = by_citation.get((text(e.doc_id), text(e.citation_key)), [])
        messages = [f"{text(f['severity'])}: {text(f['check'])} — {text(f['message'])}" for f in mine]
        edges.append(
            Edge(parent, text(e.doc_id), text(e.relation), worst([text(f["severity"]) for f in mine]), messages)
        )
        if e.doc_id in nodes:
            nodes[e.doc_id].findings += sum(1 for f in mine if text(f["severity"]) in ("error", "warning"))
    _layer(nodes, edges)
    return nodes, edges, left_out


def _layer(nodes: dict[str, Node], edges: list[Edge]) -> None:
    """Depth of every node: 0 for documents nothing in the graph cites upward, parents left of children."""
    parents = defaultdict(set)
    for e in edges:
        parents[e.child].add(e.parent)
    memo: dict[str, int] = {}

    def depth(key: str, trail: frozenset[str]) -> int:
        if key in memo:
            return memo[key]
        ups = [p for p in parents.get(key, ()) if p not in trail]
        memo[key] = 0 if not ups else 1 + max(depth(p, trail | {key}) for p in ups)
        return memo[key]

    for key, node in nodes.items():
        node.depth = depth(key, frozenset())


def _positions(nodes: dict[str, Node], edges: list[Edge], sweeps: int = 4) -> dict[str, tuple[float, float]]:
    """x = depth; y = order within the layer, by barycentre sweeps so that few arrows cross.

    Each sweep orders a layer by the mean row of its neighbours in the layer before it (parents going
    right, children coming back), the usual layered-drawing heuristic; ties keep the labels' order.
    """
    involved = {e.parent for e in edges} | {e.child for e in edges} | {k for k, n in nodes.items() if n.in_corpus}
    layers: dict[int, list[str]] = defaultdict(list)
    for key in sorted(involved, key=lambda k: nodes[k].label):
        layers[nodes[key].depth].append(key)
    parents, children = defaultdict(list), defaultdict(list)
    for e in edges:
        parents[e.child].append(e.parent)
        children[e.parent].append(e.child)
    row = {key: float(i) for layer in layers.values() for i, key in enumerate(layer)}

    def reorder(depth: int, neighbours: dict[str, list[str]]) -> None:
        def centre(key: str) -> float:
            ys = [row[n] for n in neighbours.get(key, []) if n in row]
            return sum(ys) / len(ys) if ys else row[key]

        layers[depth].sort(key=centre)
        row.update({key: float(i) for i, key in enumerate(layers[depth])})

    depths = sorted(layers)
    for _ in range(sweeps):
        for d in depths[1:]:
            reorder(d, parents)
        for d in reversed(depths[:-1]):
            reorder(d, children)
    return {key: (float(nodes[key].depth), row[key]) for key in involved}


def graph_figure(nodes: dict[str, Node], edges: list[Edge]) -> go.Figure:
    """Arrows parent → sub-plan coloured by the worst finding, nodes by whether the corpus holds them."""
    pos = _positions(nodes, edges)
    fig = go.Figure()
    for e in edges:
        (x0, y0), (x1, y1) = pos[e.parent], pos[e.child]
        fig.add_annotation(
            x=x1,
            y=y1,
            ax=x0,
            ay=y0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowsize=1.2,
            arrowwidth=3 if e.severity in ("error", "warning") else 1.5,
            arrowcolor=SEVERITY_COLOURS[e.severity],
            standoff=12,
            startstandoff=12,
            opacity=0.9,
        )
    mid_x = [(pos[e.parent][0] + pos[e.child][0]) / 2 for e in edges]
    mid_y = [(pos[e.parent][1] + pos[e.child][1]) / 2 for e in edges]
    fig.add_scatter(
        x=mid_x,
        y=mid_y,
        mode="markers",
        name="trích dẫn / citation",
        showlegend=False,
        marker={"size": 9, "color": [SEVERITY_COLOURS[e.severity] for e in edges], "symbol": "square"},
        hovertext=[
            f"{esc(e.relation)}<br>"
            + ("<br>".join(esc(m) for m in e.findings) or "không có kết quả / no findings")
            for e in edges
        ],
        hoverinfo="text",
    )
    for in_corpus, name, symbol in (
        (True, "kế hoạch trong kho / plan in the corpus", "circle"),
        (False, "văn bản ngoài kho / cited, not in the corpus", "square"),
    ):
        keys = [k for k in pos if nodes[k].in_corpus is in_corpus]
        fig.add_scatter(
            x=[pos[k][0] for k in keys],
            y=[pos[k][1] for k in keys],
            mode="markers+text",
            name=name,
            text=[nodes[k].label for k in keys],
            textposition="bottom center",
            hovertext=[nodes[k].hover for k in keys],
            hoverinfo="text",
            marker={
                "symbol": symbol,
                "size": 18,
                "color": "#1f77b4" if in_corpus else "#cccccc",
                "line": {
                    "width": [4 if nodes[k].findings else 1 for k in keys],
                    "color": ["#d62728" if nodes[k].findings else "#444" for k in keys],
                },
            },
        )
    for severity, colour in SEVERITY_COLOURS.items():
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="lines",
            line={"color": colour, "width": 3},
            name=f"mũi tên / arrow: {severity or 'không có kết quả / no findings'}",
        )
    depth = max((p[0] for p in pos.values()), default=0)
    rows = max((p[1] for p in pos.values()), default=0)
    fig.update_layout(
        title="Đồ thị viện dẫn: văn bản cấp trên → kế hoạch cấp dưới / Citation graph: parent → sub-plan",
        xaxis={"visible": False, "range": [-0.6, depth + 0.6]},
        yaxis={"visible": False, "autorange": "reversed", "range": [rows + 0.6, -0.6]},
        height=max(360, 70 * (rows + 1) + 160),
        margin={"t": 60, "l": 20, "r": 20, "b": 20},
        legend={"orientation": "h"},
        plot_bgcolor="white",
    )
    return fig


def graph_section(run: Run) -> str:
    """The citation graph section's HTML: the graph and the findings table."""
    nodes, edges, left_out = build_graph(run)
    findings = run.table("audit_findings")
    if not edges:
        body = '<p class="kh-empty">Không có trích dẫn căn cứ nào / no basis citations.</p>'
    else:
        body = figure_html(graph_figure(nodes, edges), "kh-graph")
    if left_out:
        body += (
            f'<p class="kh-note">{left_out} trích dẫn tham chiếu tới văn bản ngoài kho không được vẽ / '
            f"reference citation(s) to documents outside the corpus are not drawn.</p>"
        )
    if not findings.empty:
        ranked = findings.assign(_o=findings["severity"].map(SEVERITY_ORDER).fillna(3)).sort_values(
            ["_o", "doc_id", "check"], kind="stable"
        )
        labels = plan_labels(run.table("documents"))
        ranked = ranked.assign(plan=ranked["doc_id"].map(labels))
        links = {"plan": {labels.get(d, d): f"#{doc_anchor(d)}" for d in ranked["doc_id"]}}
        body += "<h3>Kết quả kiểm tra / Audit findings</h3>" + table_html(
            ranked,
            ["severity", "plan", "citation_key", "check", "cited_value", "parent_value", "message"],
            [
                "mức / severity",
                "kế hoạch / plan",
                "trích dẫn / citation",
                "kiểm tra / check",
                "kế hoạch ghi / cited",
                "cấp trên ghi / parent",
                "thông báo / message",
            ],
            classes="kh-table kh-findings-table",
            links=links,
            row_classes=[f"kh-sev-{text(s)}" for s in ranked["severity"]],
        )
    return section("graph", "Đồ thị viện dẫn / Citation graph", body)
