"""The canned queries auditors start from, as Datasette serves them under ``/plans/<name>``.

Each is plain SQL over the contract tables (and the audit's ``audit_findings`` and the ``texts`` added by
:mod:`pipeline.serve.database`), so the same query can be pasted into ``sqlite3 plans.db``. A query whose
tables are missing from the database is left out rather than shown broken.
"""

from __future__ import annotations

from pipeline.serve.database import context_sql

CITATIONS_WITH_FINDINGS = f"""
SELECT f.severity, f."check", f.doc_id, c.cited_number, {context_sql("f")} AS context,
       f.cited_value, f.parent_value, f.message, f.target_doc_id, d.province, d.issuer AS plan_issuer,
       f.citation_key, c.cited_type, c.cited_date, c.cited_issuer, c.relation
FROM audit_findings f
JOIN documents d ON d.doc_id = f.doc_id
LEFT JOIN texts x ON x.doc_id = f.doc_id
LEFT JOIN citations c ON c.rowid = (
    SELECT min(c2.rowid) FROM citations c2 WHERE c2.doc_id = f.doc_id AND c2.citation_key = f.citation_key
)
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.doc_id, f."check"
"""

PLANS_WITHOUT_BASIS = """
SELECT d.doc_id, d.doc_type, d.number, d.symbol, d.issue_date, d.issuer, d.province, d.title,
       (SELECT count(*) FROM citations c WHERE c.doc_id = d.doc_id) AS citations
FROM documents d
WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.doc_id = d.doc_id AND c.relation = 'basis')
ORDER BY d.province, d.issue_date, d.doc_id
"""

PHASES_BY_PROVINCE_AND_YEAR = """
SELECT d.province, NULLIF(substr(p.start_date, 1, 4), '') AS year,
       count(*) AS phases, count(DISTINCT p.doc_id) AS plans,
       min(NULLIF(p.start_date, '')) AS first_start, max(NULLIF(p.end_date, '')) AS last_end,
       sum(p.start_inferred) + sum(p.end_inferred) AS inferred_boundaries,
       group_concat(p.doc_id || ' ' || p.label, '; ') AS which
FROM phases p
JOIN documents d ON d.doc_id = p.doc_id
WHERE p.parent_phase IS NULL OR p.parent_phase = ''
GROUP BY d.province, year
ORDER BY d.province, year
"""

UNITS_BY_PLAN = """
SELECT u.doc_id, d.province, d.issuer AS plan_issuer, u.section_id, u.unit, u.unit_canonical, u.role,
       u.member_of, u.reports_to, u.tasks
FROM units u
JOIN documents d ON d.doc_id = u.doc_id
ORDER BY d.province, u.doc_id, u.rowid
"""

#: name → (tables it reads, title, description, SQL)
QUERIES: dict[str, tuple[set[str], str, str, str]] = {
    "citations_with_findings": (
        {"audit_findings", "documents", "citations", "texts"},
        "Trích dẫn có kết quả kiểm tra / Citations with audit findings",
        "Mỗi sai lệch khi kế hoạch viện dẫn kế hoạch cấp trên, nặng nhất trước, kèm câu văn viện dẫn. "
        "Every problem found where a plan cites its parent, most severe first, with the citing passage.",
        CITATIONS_WITH_FINDINGS,
    ),
    "plans_without_basis": (
        {"documents", "citations"},
        "Kế hoạch không có căn cứ / Plans with no basis citation",
        "Kế hoạch không viện dẫn văn bản nào làm căn cứ (Thực hiện, Căn cứ, Triển khai...). "
        "Plans that cite no document as their basis.",
        PLANS_WITHOUT_BASIS,
    ),
    "phases_by_province_and_year": (
        {"documents", "phases"},
        "Giai đoạn theo tỉnh và năm / Phases by province and year",
        "Số giai đoạn cấp cao nhất theo tỉnh và năm bắt đầu, với mốc sớm nhất, muộn nhất và số mốc suy ra. "
        "Top-level phases by province and start year, with the earliest start, latest end and inferred "
        "boundaries.",
        PHASES_BY_PROVINCE_AND_YEAR,
    ),
    "units_by_plan": (
        {"documents", "units"},
        "Đơn vị theo kế hoạch / Units by plan",
        "Các đơn vị được giao nhiệm vụ trong từng kế hoạch, với vai trò và nhiệm vụ. "
        "The units each plan gives responsibilities to, with their role and tasks.",
        UNITS_BY_PLAN,
    ),
}


def canned_queries(tables: set[str]) -> dict[str, dict[str, object]]:
    """Datasette's ``queries`` block: every query whose tables are all in ``tables`` (SQL folded away)."""
    return {
        name: {"title": title, "description": description, "sql": sql.strip(), "hide_sql": True}
        for name, (needs, title, description, sql) in QUERIES.items()
        if needs <= tables
    }
