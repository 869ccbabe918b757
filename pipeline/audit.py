"""The audit: does each plan cite its parent plan correctly?

Auditors use the tables to check a corpus of plans against itself: a sub-plan must cite the plan it
implements by its right number, date, issuer and type, cannot be dated before it, and should not plan
work outside the parent's period. :func:`audit` takes a finished run's tables (documents, citations and,
when there are any, phases) and returns two more:

``edges``
    the citation graph, one row per cited document per citing plan: the citation's key and number, the
    document of the corpus it resolves to (empty when the corpus does not hold it) and how it was resolved.

``audit_findings``
    one row per problem: the citing plan, the citation, the check, its severity, a message, and both
    values (as the citing plan writes it, as the parent itself states it), with the mention's span.

Resolution. A citation resolves to a document of the corpus with the same number once the writing
conventions are set aside (party "173-KH/TU" and state "173/KH-TU" are the same number; spacing, leading
zeros and diacritics do not count), then checked against the year (numbers restart every year) and the
province of the issuer (every province has its own "173-KH/TU"). A parent cited by a wrong number is
found by its type, date and issuer instead, and the number is reported. Everything Vietnamese the checks
rely on (which prefixes leave an issuer unchanged, the severities) is in ``rules/data/audit.json``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline.cells import cell_text
from pipeline.extractors.docnumber import DocNumber, NumberGrammar
from pipeline.rules.citation_rules import AuditRules, CitationRules
from pipeline.rules.gazetteer import DocumentTypes, Provinces, fold
from pipeline.rules.language import LanguageRules
from pipeline.rules.phrases import phrase_pattern

__all__ = ["EDGE_COLUMNS", "FINDING_COLUMNS", "Auditor", "audit", "summary_markdown"]

EDGE_COLUMNS = [
    "doc_id",
    "citation_key",
    "cited_type",
    "cited_number",
    "cited_date",
    "cited_issuer",
    "relation",
    "via",
    "mentions",
    "target_doc_id",
    "resolved_by",
]
FINDING_COLUMNS = [
    "doc_id",
    "citation_key",
    "check",
    "severity",
    "message",
    "cited_value",
    "parent_value",
    "target_doc_id",
    "char_start",
    "char_end",
]


_s = cell_text


def _int(value: Any) -> int | None:
    try:
        return int(float(_s(value)))
    except ValueError:
        return None


@dataclass
class _Doc:
    doc_id: str
    doc_type: str
    number: DocNumber | None
    issue_date: str
    issuer: str
    province: str


@dataclass
class _Edge:
    doc_id: str
    key: str
    rows: list[dict[str, Any]]
    relation: str
    target: str = ""
    resolved_by: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def first(self) -> dict[str, Any]:
        return self.rows[0]

    def value(self, column: str) -> str:
        """The first non-empty value of ``column`` among the mentions."""
        return next((_s(r.get(column)) for r in self.rows if _s(r.get(column))), "")


class Auditor:
    """Runs the checks with the rules of ``audit.json`` and the gazetteers."""

    def __init__(
        self,
        rules: AuditRules | None = None,
        grammar: NumberGrammar | None = None,
        types: DocumentTypes | None = None,
        provinces: Provinces | None = None,
        language: LanguageRules | None = None,
        citation_rules: CitationRules | None = None,
    ) -> None:
        self.rules = rules or AuditRules.default()
        self.types = types or DocumentTypes.default()
        self.grammar = grammar or NumberGrammar(self.types)
        self.provinces = provinces or Provinces.default()
        self.language = language or LanguageRules.default()
        self._prefixes = sorted((fold(p) for p in self.rules.issuer_ignored_prefixes), key=len, reverse=True)
        self._levels = sorted((fold(lv) for lv in self.language.admin_levels), key=len, reverse=True)
        qualifiers = phrase_pattern((citation_rules or CitationRules.default()).issuer_qualifiers)
        # "khóa XII", "nhiệm kỳ 2020 - 2025": the term of a committee, not another organ.
        self._term = re.compile(rf"(?<!\w)(?:{qualifiers})\s+(?:[ivxlc]+|\d+)(?:\s*[-–]\s*\d+)?(?!\w)")

    # -- the one verb ----------------------------------------------------------------------------------

    def audit(self, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """``edges`` and ``audit_findings`` for a run's ``documents``, ``citations`` and ``phases``."""
        docs = self._documents(tables.get("documents"))
        by_key: dict[str, list[_Doc]] = defaultdict(list)
        for d in docs.values():
            if d.number is not None:
                by_key[d.number.key].append(d)
        edges = self._edges(tables.get("citations"))
        for edge in edges:
            self._resolve(edge, docs, by_key)
            self._check(edge, docs)
        self._cycles(edges)
        self._phases(edges, tables.get("phases"))
        edge_rows = [
            {
                "doc_id": e.doc_id,
                "citation_key": e.key,
                "cited_type": e.value("cited_type"),
                "cited_number": e.value("cited_number"),
                "cited_date": e.value("cited_date"),
                "cited_issuer": e.value("cited_issuer"),
                "relation": e.relation,
                "via": e.value("via"),
                "mentions": len(e.rows),
                "target_doc_id": e.target,
                "resolved_by": e.resolved_by,
            }
            for e in edges
        ]
        findings = [f for e in edges for f in e.findings]
        edges_df = pd.DataFrame(edge_rows, columns=EDGE_COLUMNS)
        edges_df["mentions"] = pd.array(edges_df["mentions"], dtype="Int64")
        findings_df = pd.DataFrame(findings, columns=FINDING_COLUMNS)
        for col in ("char_start", "char_end"):
            findings_df[col] = pd.array(findings_df[col], dtype="Int64")
        return {"edges": edges_df, "audit_findings": findings_df}

    # -- reading the tables ----------------------------------------------------------------------------

    def _documents(self, frame: pd.DataFrame | None) -> dict[str, _Doc]:
        out: dict[str, _Doc] = {}
        if frame is None:
            return out
        for row in frame.to_dict("records"):
            doc_id = _s(row.get("doc_id"))
            out[doc_id] = _Doc(
                doc_id=doc_id,
                doc_type=_s(row.get("doc_type")),
                number=self.grammar.from_parts(_s(row.get("number")), _s(row.get("symbol"))),
                issue_date=_s(row.get("issue_date"))[:10],
                issuer=_s(row.get("issuer")),
                province=_s(row.get("province")),
            )
        return out

    def _edges(self, frame: pd.DataFrame | None) -> list[_Edge]:
        """One edge per cited document per citing plan, in the order of first mention."""
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        if frame is None:
            return []
        for row in frame.to_dict("records"):
            number = self.grammar.parse(_s(row.get("cited_number")))
            key = number.key if number is not None else _s(row.get("citation_key"))
            if not key:
                continue
            groups.setdefault((_s(row.get("doc_id")), key), []).append(row)
        edges = []
        for (doc_id, key), rows in groups.items():
            relations = [_s(r.get("relation")) for r in rows]
            # The relation belongs to the document: basis if any mention is.
            relation = next((r for r in relations if r in self.rules.parent_relations), relations[0])
            edges.append(_Edge(doc_id, key, rows, relation))
        return edges

    # -- resolution ------------------------------------------------------------------------------------

    def _resolve(self, edge: _Edge, docs: dict[str, _Doc], by_key: dict[str, list[_Doc]]) -> None:
        cited_date = edge.value("cited_date")[:10]
        number = self.grammar.parse(edge.value("cited_number"))
        year = cited_date[:4] or (number.year if number is not None else "")
        cited_province = self._province(edge.value("cited_issuer"))
        candidates = [
            d
            for d in by_key.get(edge.key, [])
            if d.doc_id != edge.doc_id
            and not (year and d.issue_date and d.issue_date[:4] != year)
            and not (cited_province and d.province and self._same_place(cited_province, d.province) is False)
        ]
        candidates = self._narrow(candidates, edge, docs)
        if len(candidates) == 1:
            edge.target, edge.resolved_by = candidates[0].doc_id, "number"
            return
        if len(candidates) > 1:
            ids = ", ".join(d.doc_id for d in candidates)
            self._find(edge, "ambiguous_parent", f"{edge.value('cited_number')} matches several documents: {ids}")
            return
        if not self._is_parent(edge):
            return
        fuzzy = self._by_date_and_issuer(edge, docs, cited_date)
        if fuzzy is not None:
            edge.target, edge.resolved_by = fuzzy.doc_id, "date+issuer"
            written = fuzzy.number.normalized if fuzzy.number else ""
            self._find(
                edge,
                "number_differs",
                f"cites {edge.value('cited_number')}, but the {fuzzy.doc_type or 'document'} of that date and "
                f"issuer in the corpus is numbered {written}",
                edge.value("cited_number"),
                written,
            )
            return
        self._find(
            edge,
            "parent_not_in_corpus",
            f"{edge.value('cited_type') or 'document'} {edge.value('cited_number')} is not in the corpus",
            edge.value("cited_number"),
        )

    def _narrow(self, candidates: list[_Doc], edge: _Edge, docs: dict[str, _Doc]) -> list[_Doc]:
        """Among documents with the cited number, those of the cited issuer, then those of the citing plan's
        province ("12/KH-UBND" of two districts); each step is taken only if it leaves one at least."""
        citing = docs.get(edge.doc_id)
        issuer = edge.value("cited_issuer")
        steps = [
            lambda d: bool(issuer and d.issuer and self.same_issuer(issuer, d.issuer)),
            lambda d: bool(citing and citing.province and self._same_place(citing.province, d.province)),
        ]
        for keep in steps:
            if len(candidates) > 1:
                kept = [d for d in candidates if keep(d)]
                candidates = kept or candidates
        return candidates

    def _by_date_and_issuer(self, edge: _Edge, docs: dict[str, _Doc], cited_date: str) -> _Doc | None:
        """The one document of the corpus with the cited type, date and issuer (a parent cited by a wrong
        number), or ``None``."""
        cited_type, issuer = self._type(edge.value("cited_type")), edge.value("cited_issuer")
        if not cited_date or not cited_type or not issuer:
            return None
        found = [
            d
            for d in docs.values()
            if d.doc_id != edge.doc_id
            and d.issue_date == cited_date
            and self._type(d.doc_type) == cited_type
            and d.issuer
            and self.same_issuer(issuer, d.issuer)
        ]
        return found[0] if len(found) == 1 else None

    # -- the checks on one edge ------------------------------------------------------------------------

    def _check(self, edge: _Edge, docs: dict[str, _Doc]) -> None:
        citing = docs.get(edge.doc_id)
        target = docs.get(edge.target) if edge.target else None
        if target is not None:
            for row in edge.rows:
                self._compare(edge, row, target)
        if citing is None or not citing.issue_date or not self._is_parent(edge):
            return
        parent_date = target.issue_date if target is not None else edge.value("cited_date")[:10]
        if parent_date and citing.issue_date < parent_date:
            self._find(
                edge,
                "dated_before_parent",
                f"the plan is dated {citing.issue_date}, before the {edge.value('cited_type') or 'document'} "
                f"it implements ({parent_date})",
                citing.issue_date,
                parent_date,
            )

    def _compare(self, edge: _Edge, row: dict[str, Any], target: _Doc) -> None:
        """One mention against the parent's own statement of its date, issuer, type and number."""
        cited_date = _s(row.get("cited_date"))[:10]
        if cited_date and target.issue_date and cited_date != target.issue_date:
            self._find(
                edge,
                "date_differs",
                f"cited as dated {cited_date}; {target.doc_id} is dated {target.issue_date}",
                cited_date,
                target.issue_date,
                row,
            )
        issuer = _s(row.get("cited_issuer"))
        if issuer and target.issuer and not self.same_issuer(issuer, target.issuer):
            self._find(
                edge,
                "issuer_differs",
                f"cited as issued by {issuer}; {target.doc_id} is issued by {target.issuer}",
                issuer,
                target.issuer,
                row,
            )
        cited_type, own_type = self._type(_s(row.get("cited_type"))), self._type(target.doc_type)
        if cited_type and own_type and cited_type != own_type:
            self._find(
                edge,
                "type_differs",
                f"cited as a {cited_type}; {target.doc_id} is a {own_type}",
                _s(row.get("cited_type")),
                target.doc_type,
                row,
            )
        written = _s(row.get("cited_number"))
        if (
            edge.resolved_by == "number"
            and target.number is not None
            and _squash(written) != _squash(target.number.normalized)
        ):
            self._find(
                edge,
                "number_written_differently",
                f"cited as {written}; {target.doc_id} writes its number {target.number.normalized}",
                written,
                target.number.normalized,
                row,
            )

    # -- across edges ----------------------------------------------------------------------------------

    def _cycles(self, edges: list[_Edge]) -> None:
        """Edges on a cycle of resolved citations (a plan that cites a plan that cites it)."""
        graph: dict[str, set[str]] = defaultdict(set)
        for e in edges:
            if e.target:
                graph[e.doc_id].add(e.target)
        for e in edges:
            if not e.target:
                continue
            path = _path(graph, e.target, e.doc_id)
            if path:
                loop = " → ".join([e.doc_id, *path])
                self._find(e, "cycle", f"citation cycle: {loop}", e.doc_id, e.target)

    def _phases(self, edges: list[_Edge], frame: pd.DataFrame | None) -> None:
        """Top-level phases of a sub-plan that fall outside its parent's overall window."""
        if frame is None or frame.empty:
            return
        top: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in frame.to_dict("records"):
            if not _s(row.get("parent_phase")):
                top[_s(row.get("doc_id"))].append(row)
        for e in edges:
            if not e.target or not self._is_parent(e) or not top.get(e.target) or not top.get(e.doc_id):
                continue
            starts = [_s(r.get("start_date"))[:10] for r in top[e.target] if _s(r.get("start_date"))]
            ends = [_s(r.get("end_date"))[:10] for r in top[e.target] if _s(r.get("end_date"))]
            p_start, p_end = (min(starts) if starts else ""), (max(ends) if ends else "")
            if not p_start and not p_end:
                continue
            window = f"{p_start or '…'} – {p_end or '…'}"
            for r in top[e.doc_id]:
                start, end = _s(r.get("start_date"))[:10], _s(r.get("end_date"))[:10]
                early = bool(start and p_start and start < p_start)
                late = bool(end and p_end and end > p_end)
                if early or late:
                    label = _s(r.get("label")) or _s(r.get("phase_no"))
                    self._find(
                        e,
                        "phase_outside_parent",
                        f"phase {label} ({start or '…'} – {end or '…'}) lies outside the parent's window {window}",
                        f"{label}: {start or '…'} – {end or '…'}",
                        window,
                        r,
                    )

    # -- comparisons -----------------------------------------------------------------------------------

    def same_issuer(self, a: str, b: str) -> bool:
        """Whether two issuer names name one organ: its committee or head's title, its province and level
        aside ("Ban Thường vụ Tỉnh ủy Đắk Nông" is "Tỉnh ủy Đắk Nông"), a short form the start of the long
        one ("Đảng ủy Khối" of "Đảng ủy Khối các cơ quan tỉnh"); different provinces are different organs."""
        pa, pb = self._province(a), self._province(b)
        if pa and pb and self._same_place(pa, pb) is False:
            return False
        ca, cb = self._core(a), self._core(b)
        if not ca or not cb or ca == cb:
            return True
        short, long = sorted((ca, cb), key=len)
        return len(short.split()) >= 2 and long.startswith(short + " ")

    def _core(self, name: str) -> str:
        """An issuer's name without its province, level, committee, title or term, folded."""
        text = name
        for p in sorted(self.provinces.find(text), key=lambda m: m[1], reverse=True):
            text = text[: p[1]] + " " + text[p[2] :]
        folded = " ".join(self._term.sub(" ", fold(text)).replace(",", " ").split())
        changed = True
        while changed:
            changed = False
            for p in self._prefixes:
                if folded.startswith(p + " "):
                    folded, changed = folded[len(p) + 1 :], True
            for lv in self._levels:
                if folded.endswith(" " + lv):
                    folded, changed = folded[: -len(lv) - 1], True
        return folded.strip()

    def _province(self, name: str) -> str:
        found = self.provinces.find(name) if name else []
        return found[0][0] if found else ""

    def _same_place(self, a: str, b: str) -> bool | None:
        ca, cb = self.provinces.canonical(a), self.provinces.canonical(b)
        return None if not ca or not cb else ca == cb

    def _type(self, name: str) -> str:
        t = self.types.by_name(name) if name else None
        return t.name if t is not None else name

    def _is_parent(self, edge: _Edge) -> bool:
        return any(_s(r.get("relation")) in self.rules.parent_relations for r in edge.rows)

    def _find(
        self,
        edge: _Edge,
        check: str,
        message: str,
        cited_value: str = "",
        parent_value: str = "",
        row: dict[str, Any] | None = None,
    ) -> None:
        row = row if row is not None else edge.first
        finding = {
            "doc_id": edge.doc_id,
            "citation_key": edge.key,
            "check": check,
            "severity": self.rules.severities.get(check, "info"),
            "message": message,
            "cited_value": cited_value,
            "parent_value": parent_value,
            "target_doc_id": edge.target,
            "char_start": _int(row.get("char_start")),
            "char_end": _int(row.get("char_end")),
        }
        same = (check, cited_value, parent_value)
        if not any((f["check"], f["cited_value"], f["parent_value"]) == same for f in edge.findings):
            edge.findings.append(finding)


def _squash(number: str) -> str:
    return "".join(number.split()).upper().replace("Ð", "Đ")


def _path(graph: dict[str, set[str]], start: str, goal: str) -> list[str]:
    """The shortest path from ``start`` to ``goal`` (both included), or [] when there is none."""
    previous: dict[str, str | None] = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        if node == goal:
            path: list[str] = []
            at: str | None = node
            while at is not None:
                path.append(at)
                at = previous[at]
            return path[::-1]
        for nxt in sorted(graph.get(node, ())):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return []


def audit(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The citation graph (``edges``) and the problems found (``audit_findings``) of a run's tables."""
    return Auditor().audit(tables)


def summary_markdown(results: dict[str, pd.DataFrame]) -> str:
    """A short Markdown report of an audit: counts by check and severity, then the findings."""
    edges, findings = results.get("edges"), results.get("audit_findings")
    edges = edges if edges is not None else pd.DataFrame(columns=EDGE_COLUMNS)
    findings = findings if findings is not None else pd.DataFrame(columns=FINDING_COLUMNS)
    resolved = int((edges["target_doc_id"].astype("string").fillna("") != "").sum()) if len(edges) else 0
    basis = int((edges["relation"] == "basis").sum()) if len(edges) else 0
    citing = edges["doc_id"].nunique() if len(edges) else 0
    lines = [
        "# Citation audit",
        "",
        f"{len(edges)} cited document(s) in {citing} plan(s); {basis} cited as basis; "
        f"{resolved} found in the corpus.",
        "",
    ]
    if not len(findings):
        lines.append("No findings.")
        return "\n".join(lines) + "\n"
    order = {"error": 0, "warning": 1, "info": 2}
    counts = findings.groupby(["severity", "check"]).size().reset_index(name="n")
    counts = counts.sort_values(
        by=["severity", "check"], key=lambda s: s.map(order) if s.name == "severity" else s
    )
    lines += ["| severity | check | findings |", "|---|---|---|"]
    lines += [f"| {r.severity} | {r.check} | {r.n} |" for r in counts.itertuples()]
    lines += [
        "",
        "| severity | plan | citation | check | cited | parent | message |",
        "|---|---|---|---|---|---|---|",
    ]
    ranked = findings.assign(_o=findings["severity"].map(order)).sort_values(
        ["_o", "doc_id", "check"], kind="stable"
    )
    for r in ranked.itertuples():
        cells = [r.severity, r.doc_id, r.citation_key, r.check, r.cited_value, r.parent_value, r.message]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    return _s(value).replace("|", "\\|").replace("\n", " ")
