"""What Datasette needs in ``plans.db`` beyond the contract tables: texts, a search table, views.

The contract tables stay exactly as ``kehoach extract`` wrote them; everything here is added beside them
and rebuilt from them on every call, so running it twice, or on a database a newer run replaced, is safe:

``texts``
    the normalized text of every plan (``OUT/texts/<doc_id>.txt``), so SQL can cut any span out of it.
``section_texts`` and its FTS5 index ``section_texts_fts``
    each section's own text (its span less its subsections' spans), plus the text before the first and
    after the last section, so a search hit names the deepest section that holds the words, once.
``documents_view`` and ``<table>_in_context``
    the tables with the plan's province, issuer and year (for facets) and a ``context`` column: the text
    around the row's span, the span itself between ⟦ and ⟧ (long spans shortened in the middle).
``edges`` and ``audit_findings``
    computed with :func:`pipeline.audit.audit` only when the run did not write them.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

#: Characters of text shown on each side of a span, and the longest span shown whole.
CONTEXT_CHARS = 160
LONG_SPAN = 400

#: Tables whose rows carry a span and get a ``<table>_in_context`` view, with the columns shown before the
#: context (the rest follow it), so the passage is on screen beside what was read from it.
SPAN_TABLES = {
    "citations": ("cited_type", "cited_number", "relation"),
    "phases": ("label", "start_date", "end_date"),
    "units": ("unit", "role"),
    "deadlines": ("date", "recurrence"),
    "sections": ("section_id", "heading"),
    "mentions": ("unit",),
    "fields": ("field", "value"),
    "audit_findings": ("severity", "check", "citation_key"),
}

#: Headings of the text outside every section (Vietnamese / English).
BEFORE_SECTIONS = "(trước mục đầu tiên / before the first section)"
AFTER_SECTIONS = "(sau mục cuối cùng / after the last section)"

FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def table_names(con: sqlite3.Connection) -> set[str]:
    """Tables and views of the database."""
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def columns_of(con: sqlite3.Connection, name: str) -> list[str]:
    """The columns of a table or view, in order."""
    return [r[1] for r in con.execute(f'PRAGMA table_info("{name}")')]


def build(db_path: Path, out_dir: Path) -> list[str]:
    """Add the texts, the search table, the audit tables when missing and the views; return the views."""
    with closing(sqlite3.connect(db_path)) as con:
        if "documents" not in table_names(con):
            raise ValueError(f"{db_path}: no documents table; is this a kehoach plans.db?")
        _drop_derived(con)
        load_texts(con, out_dir)
        ensure_audit(con, out_dir)
        build_section_texts(con)
        views = create_views(con)
        con.commit()
    return views


def _drop_derived(con: sqlite3.Connection) -> None:
    """Remove what an earlier call added, so the views never outlive a table they read."""
    for name in sorted(table_names(con)):
        if name == "documents_view" or name.endswith("_in_context"):
            con.execute(f'DROP VIEW IF EXISTS "{name}"')
    con.execute("DROP TABLE IF EXISTS section_texts_fts")
    con.execute("DROP TABLE IF EXISTS section_texts")
    con.execute("DROP TABLE IF EXISTS texts")


def load_texts(con: sqlite3.Connection, out_dir: Path) -> None:
    """Copy every plan's normalized text into ``texts``, read exactly (no newline translation)."""
    con.execute("CREATE TABLE texts (doc_id TEXT PRIMARY KEY, text TEXT)")
    rows = []
    for doc_id, text_path in con.execute("SELECT doc_id, text_path FROM documents"):
        path = out_dir / (text_path or f"texts/{doc_id}.txt")
        if not path.is_file():
            log.warning("%s: text file missing; its rows will show no context", path)
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            rows.append((doc_id, fh.read()))
    con.executemany("INSERT INTO texts VALUES (?, ?)", rows)


def ensure_audit(con: sqlite3.Connection, out_dir: Path) -> None:
    """Compute ``edges`` and ``audit_findings`` with the project's audit when the run did not store them."""
    if {"edges", "audit_findings"} <= table_names(con):
        return
    try:
        from pipeline.report.data import audit_results
    except ImportError:  # the audit is not part of this installation
        return
    results = audit_results(out_dir)
    for name, df in results.items():
        if name not in table_names(con):
            df.to_sql(name, con, index=False)


def own_text_segments(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``[start, end)`` that none of ``spans`` (a section's children) covers."""
    parts, cursor = [], start
    for s, e in sorted(spans):
        if s > cursor:
            parts.append((cursor, min(s, end)))
        cursor = max(cursor, e)
    if cursor < end:
        parts.append((cursor, end))
    return [(s, e) for s, e in parts if e > s]


def section_passages(sections: pd.DataFrame, text: str) -> Iterable[dict]:
    """One row per section with its own text, and rows for the text before and after all sections."""
    children: dict[str, list[tuple[int, int]]] = {}
    for row in sections.itertuples():
        children.setdefault(row.parent_id or "", []).append((int(row.char_start), int(row.char_end)))
    top = children.get("", [])
    first = min((s for s, _ in top), default=len(text))
    last = max((e for _, e in top), default=len(text))
    if text[:first].strip():
        yield {
            "section_id": "",
            "heading": BEFORE_SECTIONS,
            "level": 0,
            "category": "",
            "char_start": 0,
            "char_end": first,
            "text": text[:first].strip(),
        }
    for row in sections.itertuples():
        segments = own_text_segments(children.get(row.section_id, []), int(row.char_start), int(row.char_end))
        own = "\n".join(text[s:e].strip() for s, e in segments).strip()
        if own:
            yield {
                "section_id": row.section_id,
                "heading": row.heading,
                "level": int(row.level),
                "category": row.category,
                "char_start": int(row.char_start),
                "char_end": int(row.char_end),
                "text": own,
            }
    if text[last:].strip():
        yield {
            "section_id": "",
            "heading": AFTER_SECTIONS,
            "level": 0,
            "category": "",
            "char_start": last,
            "char_end": len(text),
            "text": text[last:].strip(),
        }


def build_section_texts(con: sqlite3.Connection) -> None:
    """Fill ``section_texts`` and index it with FTS5 (diacritics folded, so "ke hoach" finds "kế hoạch")."""
    docs = pd.read_sql("SELECT doc_id, province, issuer, issue_date FROM documents", con)
    sections = pd.read_sql(
        "SELECT doc_id, section_id, parent_id, level, heading, category, char_start, char_end FROM sections",
        con,
    ).fillna({"parent_id": "", "category": "", "heading": ""})
    texts = dict(con.execute("SELECT doc_id, text FROM texts").fetchall())
    by_doc = {doc_id: group for doc_id, group in sections.groupby("doc_id", sort=False)}
    rows = []
    for doc in docs.itertuples():
        text = texts.get(doc.doc_id)
        if text is None:
            continue
        group = by_doc.get(doc.doc_id, sections.iloc[0:0])
        year = (doc.issue_date or "")[:4] or None
        for passage in section_passages(group, text):
            rows.append(
                {"doc_id": doc.doc_id, "province": doc.province, "issuer": doc.issuer, "year": year, **passage}
            )
    con.execute(
        "CREATE TABLE section_texts (id INTEGER PRIMARY KEY, doc_id TEXT, section_id TEXT, heading TEXT, "
        "level INTEGER, category TEXT, province TEXT, issuer TEXT, year TEXT, char_start INTEGER, "
        "char_end INTEGER, text TEXT)"
    )
    cols = [
        "doc_id",
        "section_id",
        "heading",
        "level",
        "category",
        "province",
        "issuer",
        "year",
        "char_start",
        "char_end",
        "text",
    ]
    con.executemany(
        f"INSERT INTO section_texts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [tuple(r[c] for c in cols) for r in rows],
    )
    con.execute(
        'CREATE VIRTUAL TABLE section_texts_fts USING fts5(heading, text, content="section_texts", '
        f"content_rowid=\"id\", tokenize='{FTS_TOKENIZER}')"
    )
    con.execute("INSERT INTO section_texts_fts(section_texts_fts) VALUES ('rebuild')")


def context_sql(alias: str, start: str = "char_start", end: str = "char_end") -> str:
    """SQL for the text around ``alias``'s span, the span between ⟦ ⟧; ``x`` is the joined ``texts`` row.

    SQLite's substr counts characters, as Python's offsets do, so the span cut here is exactly
    ``text[char_start:char_end]`` (long spans keep their first and last characters around an ellipsis).
    """
    s, e, w, long = f"{alias}.{start}", f"{alias}.{end}", CONTEXT_CHARS, LONG_SPAN
    head, tail = long * 2 // 3, long // 3
    return (
        f"CASE WHEN x.text IS NULL OR {s} IS NULL OR {e} IS NULL THEN NULL ELSE "
        f"(CASE WHEN {s} > {w} THEN '…' ELSE '' END) "
        f"|| substr(x.text, max(1, {s} + 1 - {w}), min({s}, {w})) || '⟦' "
        f"|| (CASE WHEN {e} - {s} <= {long} THEN substr(x.text, {s} + 1, {e} - {s}) "
        f"ELSE substr(x.text, {s} + 1, {head}) || ' … ' || substr(x.text, {e} - {tail} + 1, {tail}) END) "
        f"|| '⟧' || substr(x.text, {e} + 1, {w}) "
        f"|| (CASE WHEN {e} + {w} < length(x.text) THEN '…' ELSE '' END) END"
    )


def create_views(con: sqlite3.Connection) -> list[str]:
    """``documents_view`` (with year) and a ``<table>_in_context`` view for every span table present."""
    existing = table_names(con)
    con.execute(
        "CREATE VIEW documents_view AS SELECT d.*, NULLIF(substr(d.issue_date, 1, 4), '') AS year FROM documents d"
    )
    views = ["documents_view"]
    for table, lead in SPAN_TABLES.items():
        if table not in existing:
            continue
        cols = columns_of(con, table)
        if not {"doc_id", "char_start", "char_end"} <= set(cols):
            continue
        first = ["doc_id", *(c for c in lead if c in cols)]
        select = [f't."{c}"' for c in first]
        select.append(f"{context_sql('t')} AS context")
        select += [f't."{c}"' for c in cols if c not in first]
        if "province" not in cols:
            select.append("d.province AS province")
        select.append("d.issuer AS plan_issuer")
        select.append("NULLIF(substr(d.issue_date, 1, 4), '') AS year")
        if table == "sections":
            select.append(
                "CASE WHEN t.category IS NULL OR t.category = '' THEN '[]' "
                "ELSE '[\"' || replace(t.category, ';', '\",\"') || '\"]' END AS categories"
            )
        name = f"{table}_in_context"
        con.execute(
            f'CREATE VIEW "{name}" AS SELECT {", ".join(select)} FROM "{table}" t '
            "LEFT JOIN documents d ON d.doc_id = t.doc_id LEFT JOIN texts x ON x.doc_id = t.doc_id"
        )
        views.append(name)
    return views
