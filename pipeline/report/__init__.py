"""``kehoach report``: one self-contained HTML file comparing the plans of a run.

:func:`write_report` reads a ``kehoach extract --out`` folder and writes a single file that opens offline
(plotly.js and the styles are inlined) with: an overview by province and issuer, a timeline of every
plan's phases on one axis (inferred boundaries drawn differently), the citation graph parent → sub-plan
with the audit's findings marked, the section-category coverage across plans, and one page per plan
with its text, its extracted spans highlighted displaCy-style and its tables beside it. Each part is
its own module; this one only puts them in order.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["add_arguments", "main", "report_html", "run_from_args", "write_report"]


def report_html(out_dir: str | Path, doc_ids: list[str] | None = None) -> str:
    """The report of the run in ``out_dir`` as one HTML string (``doc_ids`` limits the per-plan pages)."""
    from plotly.offline import get_plotlyjs

    from pipeline.report.coverage import coverage_section
    from pipeline.report.data import load_run
    from pipeline.report.documents import documents_section
    from pipeline.report.graph import graph_section
    from pipeline.report.overview import overview_section
    from pipeline.report.page import page_html
    from pipeline.report.timeline import timeline_section

    run = load_run(out_dir)
    sections = [
        overview_section(run),
        timeline_section(run),
        graph_section(run),
        coverage_section(run),
        documents_section(run, doc_ids),
    ]
    docs, errors = len(run.table("documents")), len(run.table("errors"))
    source = f"{Path(out_dir)} — {docs} kế hoạch / plan(s), {errors} tệp lỗi / input(s) failed"
    return page_html(sections, get_plotlyjs().replace("</script", "<\\/script"), source)


def write_report(out_dir: str | Path, dest: str | Path, doc_ids: list[str] | None = None) -> Path:
    """Write the report of ``out_dir`` to ``dest`` (written whole, then renamed) and return its path."""
    from pipeline.tables import write_text

    path = Path(dest)
    write_text(path, report_html(out_dir, doc_ids))
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``kehoach report`` (for the CLI's sub-parser)."""
    parser.add_argument("out_dir", metavar="OUT_DIR", help="a `kehoach extract --out` folder")
    parser.add_argument(
        "-o",
        "--output",
        default="report.html",
        metavar="FILE",
        help="the HTML file to write (default: report.html)",
    )
    parser.add_argument(
        "--doc",
        action="append",
        dest="doc_ids",
        metavar="DOC_ID",
        help="only this plan's page (repeatable; default: every plan)",
    )


def run_from_args(args: argparse.Namespace) -> int:
    """Run ``kehoach report`` from parsed arguments; the exit status."""
    try:
        path = write_report(args.out_dir, args.output, args.doc_ids)
    except FileNotFoundError as exc:
        print(f"kehoach: {exc}", file=sys.stderr)
        return 1
    print(f"report written to {path} ({path.stat().st_size / 1e6:.1f} MB); open it in a web browser")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.report OUT_DIR -o report.html``."""
    parser = argparse.ArgumentParser(prog="kehoach report", description="Write a self-contained HTML report.")
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))
