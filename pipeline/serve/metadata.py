"""Datasette's metadata for ``plans.db``: what each table and column means, in Vietnamese and English.

It also carries what makes the UI useful out of the box: the facets (province, issuer, year, category and
each table's own), the full-text search table, the canned queries, the units of numeric columns and the
source of the data. Descriptions live in ``columns.json`` beside this module (data, not code), with the
contract tables' English text taken from :data:`pipeline.tables.TABLE_DESCRIPTIONS`.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from functools import cache
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.serve.database import columns_of, table_names
from pipeline.serve.queries import canned_queries
from pipeline.tables import TABLE_DESCRIPTIONS

DATABASE = "plans"
COLUMNS_FILE = Path(__file__).with_name("columns.json")

#: Facets per table or view, beyond province and year (which every view that has them gets).
FACETS: dict[str, list[Any]] = {
    "documents": ["province", "issuer", "doc_type"],
    "documents_view": ["province", "issuer", "year", "doc_type"],
    "sections_in_context": [{"array": "categories"}, "level"],
    "citations_in_context": ["relation", "cited_type", "location"],
    "phases_in_context": ["start_inferred", "end_inferred"],
    "units_in_context": ["role"],
    "deadlines_in_context": ["recurrence"],
    "mentions_in_context": ["source"],
    "fields_in_context": ["field"],
    "audit_findings_in_context": ["severity", "check"],
    "audit_findings": ["severity", "check"],
    "section_texts": ["province", "year", "category"],
    "citations": ["relation", "cited_type"],
    "units": ["role"],
    "errors": ["stage", "error_type"],
}

#: Tables people should not have to scroll past: FTS internals are hidden by Datasette itself.
HIDDEN = {"_tables"}

#: Label columns: what Datasette shows for a row when it links to it.
LABELS = {"documents": "title", "section_texts": "heading"}


@cache
def descriptions() -> dict[str, Any]:
    """The parsed ``columns.json``."""
    return json.loads(COLUMNS_FILE.read_text(encoding="utf-8"))


def base_table(name: str) -> str:
    """The table a view is built on (``citations_in_context`` → ``citations``)."""
    if name == "documents_view":
        return "documents"
    return name.removesuffix("_in_context")


def table_description(name: str) -> str:
    """'Vietnamese — English' for a table or view (empty when neither is known)."""
    entry = descriptions()["tables"].get(name, {})
    vi = entry.get("vi", "")
    en = entry.get("en") or TABLE_DESCRIPTIONS.get(name, "")
    return " — ".join(part for part in (vi, en) if part)


def column_entry(table: str, column: str) -> dict[str, str] | None:
    """The description entry of a column: the table's own, its base table's, else the shared one."""
    cols = descriptions()["columns"]
    for scope in (table, base_table(table), "*"):
        entry = cols.get(scope, {}).get(column)
        if entry:
            return entry
    return None


def column_description(table: str, column: str) -> str:
    """'Vietnamese — English (unit)' for one column; empty when it has no entry."""
    entry = column_entry(table, column)
    if entry is None:
        return ""
    text = f"{entry['vi']} — {entry['en']}"
    return f"{text} [{entry['unit']}]" if entry.get("unit") else text


def _source(con: sqlite3.Connection) -> str:
    """Where the data came from: the run's documents and inputs, and the program that read them."""
    docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    errors = con.execute("SELECT count(*) FROM errors").fetchone()[0] if "errors" in table_names(con) else 0
    return f"kehoach {__version__}: {docs} kế hoạch / plan(s) read, {errors} tệp lỗi / input(s) failed"


def _table_metadata(con: sqlite3.Connection, name: str) -> dict[str, Any]:
    cols = columns_of(con, name)
    meta: dict[str, Any] = {}
    description = table_description(name)
    if description:
        meta["description"] = description
    described = {c: column_description(name, c) for c in cols}
    meta["columns"] = {c: d for c, d in described.items() if d}
    units = {c: e["pint"] for c in cols if (e := column_entry(name, c)) and e.get("pint")}
    if units:
        meta["units"] = units
    facets = [f for f in ("province", "year") if f in cols and name.endswith("_in_context")]
    facets += [f for f in FACETS.get(name, []) if f not in facets and (isinstance(f, dict) or f in cols)]
    if facets:
        meta["facets"] = facets
    if name in HIDDEN:
        meta["hidden"] = True
    if name in LABELS:
        meta["label_column"] = LABELS[name]
    if name == "section_texts":
        meta.update(fts_table="section_texts_fts", fts_pk="id")
    if name in ("edges", "audit_findings", "audit_findings_in_context"):
        meta["source"] = "pipeline.audit (rules/data/audit.json)"
    return meta


def build_metadata(db_path: Path) -> dict[str, Any]:
    """Datasette metadata for the database at ``db_path`` (after :func:`pipeline.serve.database.build`)."""
    with closing(sqlite3.connect(db_path)) as con:
        names = sorted(n for n in table_names(con) if not n.startswith("section_texts_fts"))
        tables = {name: _table_metadata(con, name) for name in names}
        source = _source(con)
    queries = canned_queries(set(names))
    links = "".join(f'<li><a href="/{DATABASE}/{name}">{q["title"]}</a></li>' for name, q in queries.items())
    return {
        "title": "kehoach — Kế hoạch / plans",
        "description_html": (
            "<p>Bảng dữ liệu trích từ các kế hoạch. Mỗi giá trị có vị trí trong văn bản; các view "
            "<code>*_in_context</code> cho thấy đoạn văn bản quanh giá trị.</p>"
            "<p>Tables extracted from the plans. Every value has its place in the text; the "
            "<code>*_in_context</code> views show the text around it. Search the sections' text in "
            f'<a href="/{DATABASE}/section_texts">section_texts</a>.</p>'
            f"<ul>{links}</ul>"
        ),
        "source": source,
        "databases": {
            DATABASE: {
                "description": "Kế hoạch (plans.db) — the tables of one kehoach run",
                "source": source,
                "tables": tables,
                "queries": queries,
            }
        },
    }


def write_metadata(db_path: Path, dest: Path) -> Path:
    """Write the metadata as JSON (UTF-8, Vietnamese kept readable) and return its path."""
    dest.write_text(json.dumps(build_metadata(db_path), ensure_ascii=False, indent=2), encoding="utf-8")
    return dest
