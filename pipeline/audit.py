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
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline.cells import cell_text
from pipeline.extractors.docnumber import DocNumber, NumberGrammar
from pipeline.rules.citation_rules import AuditRules, CitationRules
from pipeline.rules.gazetteer import DocumentTypes, Provinces, fold
from pipeline.rules.language import LanguageRules
from pipeline.rules.phrases import phrase_pattern

__all__ = [
    "AUDIT_INPUTS",
    "EDGE_COLUMNS",
    "FINDING_COLUMNS",
    "SEVERITY_ORDER",
    "SUMMARY_FINDING_COLUMNS",
    "Auditor",
    "Sink",
    "audit",
    "summary_lines",
    "summary_markdown",
]

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

#: The columns the audit reads from each table; the streaming path selects only these, so a large run's
#: other columns (titles, subjects, spans of sections...) are never loaded for it.
AUDIT_INPUTS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "doc_type", "number", "symbol", "issue_date", "issuer", "province"),
    "citations": (
        "doc_id",
        "cited_type",
        "cited_number",
        "cited_date",
        "cited_issuer",
        "relation",
        "via",
        "citation_key",
        "char_start",
        "char_end",
    ),
    "phases": ("doc_id", "phase_no", "parent_phase", "label", "start_date", "end_date", "char_start", "char_end"),
}

#: How audit.md ranks severities; any other severity comes after these.
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

Row = Mapping[str, Any]

#: Where the audit puts its output rows: ``sink(table, [(seq, row), ...])`` with ``table`` "edges" or
#: "audit_findings" and ``seq`` the edge's place in the graph. The table is those rows ordered by ``seq``,
#: rows of one ``seq`` in the order they were given (findings of an edge arrive in two calls: its own
#: checks first, the checks across edges, cycles and phases, once every edge is known).
Sink = Callable[[str, list[tuple[int, dict[str, Any]]]], None]


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
class _Corpus:
    """The documents of a run and the two ways a citation looks them up: by number key, by issue date
    (a parent cited by a wrong number); each list in the documents' order."""

    docs: dict[str, _Doc]
    by_key: dict[str, list[_Doc]]
    by_date: dict[str, list[_Doc]]

    @classmethod
    def of(cls, docs: dict[str, _Doc]) -> _Corpus:
        by_key: dict[str, list[_Doc]] = defaultdict(list)
        by_date: dict[str, list[_Doc]] = defaultdict(list)
        for d in docs.values():
            if d.number is not None:
                by_key[d.number.key].append(d)
            by_date[d.issue_date].append(d)
        return cls(docs, by_key, by_date)


@dataclass
class _Edge:
    doc_id: str
    key: str
    rows: list[Row]
    relation: str
    parent: bool = False
    seq: int = 0
    target: str = ""
    resolved_by: str = ""
    findings: list[dict[str, Any]] = field(default_factory=list)
    #: (check, cited value, parent value) of the findings so far: one finding per problem.
    seen: set[tuple[str, str, str]] = field(default_factory=set)
    #: :meth:`value` of each column asked for (the checks ask for the same few again and again).
    _values: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def first(self) -> Row:
        return self.rows[0]

    def value(self, column: str) -> str:
        """The first non-empty value of ``column`` among the mentions."""
        if column not in self._values:
            self._values[column] = next((v for v in (_s(r.get(column)) for r in self.rows) if v), "")
        return self._values[column]

    def slim(self) -> _Edge:
        """This edge as the checks across edges need it (cycles, phases): its first mention only, no
        findings yet but those it has had, so a resolved edge costs little while the corpus streams by."""
        return _Edge(
            self.doc_id,
            self.key,
            [self.first],
            self.relation,
            self.parent,
            self.seq,
            self.target,
            self.resolved_by,
            seen=self.seen,
        )


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
        out: dict[str, list[tuple[int, dict[str, Any]]]] = {"edges": [], "audit_findings": []}
        self.stream(
            _records(tables.get("documents"), "documents"),
            [_records(tables.get("citations"), "citations")],  # one group: mentions may come in any order
            _records(tables.get("phases"), "phases"),
            lambda table, rows: out[table].extend(rows),
        )
        edge_rows = [row for _seq, row in sorted(out["edges"], key=lambda pair: pair[0])]
        findings = [row for _seq, row in sorted(out["audit_findings"], key=lambda pair: pair[0])]
        edges_df = pd.DataFrame(edge_rows, columns=EDGE_COLUMNS)
        edges_df["mentions"] = pd.array(edges_df["mentions"], dtype="Int64")
        findings_df = pd.DataFrame(findings, columns=FINDING_COLUMNS)
        for col in ("char_start", "char_end"):
            findings_df[col] = pd.array(findings_df[col], dtype="Int64")
        return {"edges": edges_df, "audit_findings": findings_df}

    def stream(
        self,
        documents: Iterable[Row],
        citations: Iterable[Iterable[Row]],
        phases: Iterable[Row],
        sink: Sink,
    ) -> None:
        """The audit of a run too large to hold: rows of the tables come in (only the
        :data:`AUDIT_INPUTS` columns are read), and ``edges`` and ``audit_findings`` rows go to ``sink``.

        ``documents`` is read whole first (every citation may resolve to any plan); ``citations`` comes
        in groups, each holding every mention of its plans (one group per plan, in the batch's order),
        and only the edges that resolved are kept past their group; ``phases`` is read once at the end,
        and only the top-level phases of plans on a resolved parent edge are kept.
        """
        corpus = _Corpus.of(self._documents(documents))
        resolved: list[_Edge] = []
        seq = 0
        for group in citations:
            edges = self._edges(group)
            for edge in edges:
                edge.seq, seq = seq, seq + 1
                self._resolve(edge, corpus)
                self._check(edge, corpus.docs)
            sink("edges", [(e.seq, self._edge_row(e)) for e in edges])
            sink("audit_findings", [(e.seq, f) for e in edges for f in e.findings])
            resolved += [e.slim() for e in edges if e.target]
        self._cycles(resolved)
        self._phases(resolved, phases)
        sink("audit_findings", [(e.seq, f) for e in resolved for f in e.findings])

    @staticmethod
    def _edge_row(e: _Edge) -> dict[str, Any]:
        return {
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

    # -- reading the tables ----------------------------------------------------------------------------

    def _documents(self, rows: Iterable[Row]) -> dict[str, _Doc]:
        out: dict[str, _Doc] = {}
        for row in rows:
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

    def _edges(self, mentions: Iterable[Row]) -> list[_Edge]:
        """One edge per cited document per citing plan, in the order of first mention."""
        groups: dict[tuple[str, str], list[Row]] = {}
        for row in mentions:
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
            parent = any(r in self.rules.parent_relations for r in relations)
            edges.append(_Edge(doc_id, key, rows, relation, parent))
        return edges

    # -- resolution ------------------------------------------------------------------------------------

    def _resolve(self, edge: _Edge, corpus: _Corpus) -> None:
        cited_date = edge.value("cited_date")[:10]
        number = self.grammar.parse(edge.value("cited_number"))
        year = cited_date[:4] or (number.year if number is not None else "")
        cited_province = self._province(edge.value("cited_issuer"))
        candidates = [
            d
            for d in corpus.by_key.get(edge.key, [])
            if d.doc_id != edge.doc_id
            and not (year and d.issue_date and d.issue_date[:4] != year)
            and not (cited_province and d.province and self._same_place(cited_province, d.province) is False)
        ]
        candidates = self._narrow(candidates, edge, corpus.docs)
        if len(candidates) == 1:
            edge.target, edge.resolved_by = candidates[0].doc_id, "number"
            return
        if len(candidates) > 1:
            ids = ", ".join(d.doc_id for d in candidates)
            self._find(edge, "ambiguous_parent", f"{edge.value('cited_number')} matches several documents: {ids}")
            return
        if not self._is_parent(edge):
            return
        fuzzy = self._by_date_and_issuer(edge, corpus, cited_date)
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

    def _by_date_and_issuer(self, edge: _Edge, corpus: _Corpus, cited_date: str) -> _Doc | None:
        """The one document of the corpus with the cited type, date and issuer (a parent cited by a wrong
        number), or ``None``. Only the documents of that date are looked at (through the index: scanning
        the corpus for each unresolved parent made the audit quadratic)."""
        cited_type, issuer = self._type(edge.value("cited_type")), edge.value("cited_issuer")
        if not cited_date or not cited_type or not issuer:
            return None
        found = [
            d
            for d in corpus.by_date.get(cited_date, [])
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
        """Edges on a cycle of resolved citations (a plan that cites a plan that cites it).

        An edge is on a cycle when its two ends are in one strongly connected component; only then is the
        shortest way back searched, and within that component (a path between two of its plans never
        leaves it), instead of a search over the whole graph from every edge."""
        graph: dict[str, set[str]] = defaultdict(set)
        for e in edges:
            if e.target:
                graph[e.doc_id].add(e.target)
        component = _components(graph)
        for e in edges:
            if not e.target or component.get(e.target) != component.get(e.doc_id):
                continue
            inside = component[e.doc_id]
            path = _path(graph, e.target, e.doc_id, lambda node, c=inside: component.get(node) == c)
            if path:
                loop = " → ".join([e.doc_id, *path])
                self._find(e, "cycle", f"citation cycle: {loop}", e.doc_id, e.target)

    def _phases(self, edges: list[_Edge], phases: Iterable[Row]) -> None:
        """Top-level phases of a sub-plan that fall outside its parent's overall window.

        Only the phases of plans at either end of a resolved parent edge are kept from ``phases``."""
        checked = [e for e in edges if e.target and self._is_parent(e)]
        if not checked:
            return
        wanted = {doc_id for e in checked for doc_id in (e.doc_id, e.target)}
        top: dict[str, list[Row]] = defaultdict(list)
        for row in phases:
            doc_id = _s(row.get("doc_id"))
            if doc_id in wanted and not _s(row.get("parent_phase")):
                top[doc_id].append(row)
        for e in checked:
            if not top.get(e.target) or not top.get(e.doc_id):
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
        """Whether any mention cites the document as a parent (decided once, when the edge is made)."""
        return edge.parent

    def _find(
        self,
        edge: _Edge,
        check: str,
        message: str,
        cited_value: str = "",
        parent_value: str = "",
        row: Row | None = None,
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
        if same not in edge.seen:
            edge.seen.add(same)
            edge.findings.append(finding)


def _squash(number: str) -> str:
    return "".join(number.split()).upper().replace("Ð", "Đ")


def _records(frame: pd.DataFrame | None, table: str) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of the columns the audit reads (those it has)."""
    if frame is None:
        return []
    return frame[[c for c in AUDIT_INPUTS[table] if c in frame.columns]].to_dict("records")


def _components(graph: dict[str, set[str]]) -> dict[str, int]:
    """The strongly connected component of every node of ``graph`` (Tarjan's algorithm, without
    recursion: a citation chain may be longer than Python's stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    component: dict[str, int] = {}

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)

    for root in list(graph):
        if root in index:
            continue
        visit(root)
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph.get(root, ())))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    visit(child)
                    work.append((child, iter(graph.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component[member] = index[node]
                        if member == node:
                            break
    return component


def _path(
    graph: dict[str, set[str]], start: str, goal: str, keep: Callable[[str], bool] | None = None
) -> list[str]:
    """The shortest path from ``start`` to ``goal`` (both included) through nodes ``keep`` accepts, or []
    when there is none; among paths of one length, the one through the first node ids in sorted order."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path: list[str] = []
            at: str | None = node
            while at is not None:
                path.append(at)
                at = previous[at]
            return path[::-1]
        for nxt in sorted(graph.get(node, ())):
            if nxt not in previous and (keep is None or keep(nxt)):
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
    counts: list[tuple[str, str, int]] = []
    ranked: Iterable[Sequence[Any]] = []
    if len(findings):
        grouped = findings.groupby(["severity", "check"]).size().reset_index(name="n")
        grouped = grouped.sort_values(
            by=["severity", "check"], key=lambda s: s.map(SEVERITY_ORDER) if s.name == "severity" else s
        )
        counts = [(r.severity, r.check, r.n) for r in grouped.itertuples()]
        ordered = findings.assign(_o=findings["severity"].map(SEVERITY_ORDER)).sort_values(
            ["_o", "doc_id", "check"], kind="stable"
        )
        ranked = ordered[list(SUMMARY_FINDING_COLUMNS)].itertuples(index=False)
    return "".join(summary_lines(len(edges), citing, basis, resolved, counts, ranked))


#: The columns of a finding that audit.md lists, in its order.
SUMMARY_FINDING_COLUMNS = ("severity", "doc_id", "citation_key", "check", "cited_value", "parent_value", "message")


def summary_lines(
    edges: int,
    citing: int,
    basis: int,
    resolved: int,
    counts: Sequence[tuple[str, str, int]],
    ranked: Iterable[Sequence[Any]],
) -> Iterator[str]:
    """The lines of audit.md (each ending in a newline), from the counts over the edges, the number of
    findings by (severity, check), and the findings in report order (:data:`SUMMARY_FINDING_COLUMNS`):
    so a large run's report is written from a database cursor, never from a whole table in memory."""
    yield "# Citation audit\n"
    yield "\n"
    yield (
        f"{edges} cited document(s) in {citing} plan(s); {basis} cited as basis; {resolved} found in the corpus.\n"
    )
    yield "\n"
    if not counts:
        yield "No findings.\n"
        return
    yield "| severity | check | findings |\n"
    yield "|---|---|---|\n"
    for severity, check, n in counts:
        yield f"| {severity} | {check} | {n} |\n"
    yield "\n"
    yield "| severity | plan | citation | check | cited | parent | message |\n"
    yield "|---|---|---|---|---|---|---|\n"
    for cells in ranked:
        yield "| " + " | ".join(_cell(c) for c in cells) + " |\n"


def _cell(value: Any) -> str:
    return _s(value).replace("|", "\\|").replace("\n", " ")
