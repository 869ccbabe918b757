"""The ``kehoach`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import __version__

_DESCRIPTION = """\
kehoach reads Vietnamese plan documents (Kế hoạch) and writes tidy tables about them:
who issued each plan (number, symbol, date, place, issuer, signer), its sections, the documents it
cites, its phases and the units responsible for it.

Inputs may be text (.txt, UTF-8/UTF-16/Windows-1258, or legacy TCVN3/VNI encodings), Markdown, Word
(.docx, .doc), PDF with a text layer, and HTML pages. The reader is chosen from each file's content.
"""

_EXTRACT_EPILOG = """\
examples:
  kehoach extract corpora/ --out outputs/run
  kehoach extract plan1.docx plan2.pdf --out outputs/two

what it writes into --out:
  documents, sections, citations, phases, deadlines, units, mentions, fields, pages, errors,
  and the audit's edges and audit_findings
      as .csv and .parquet, and all of them in plans.db (SQLite)
  texts/<doc_id>.txt   the normalized text; every char_start/char_end points into it
  audit.md             the citation audit's summary
  .cache/              per-document results, so a re-run only processes new or changed files

An input that cannot be read becomes a row of errors.csv (file, stage, error type, message) and the
batch goes on. The exit status is 0 when at least one input was processed (use --strict to fail on any
error), 1 when none was, 2 on bad usage.
"""


def _extract(args: argparse.Namespace) -> int:
    import pandas as pd

    from pipeline.runner import run

    out = Path(args.out)
    try:
        summary = run(
            args.inputs,
            out,
            progress=not args.quiet,
            jobs=args.jobs,
            dask=args.dask,
            force=args.force,
            timeout=args.timeout or None,
        )
    except KeyboardInterrupt:
        return 130
    errors = pd.read_csv(out / "errors.csv", dtype=str, keep_default_na=False)
    if len(errors):
        print(f"{len(errors)} input(s) failed:", file=sys.stderr)
        for row in errors.itertuples():
            print(f"  {row.source_path}: [{row.stage}/{row.error_type}] {row.message}", file=sys.stderr)
    print(summary)
    if summary.done == 0:
        print("kehoach: no input could be processed", file=sys.stderr)
        return 1
    return 1 if args.strict and summary.failed else 0


def _audit(args: argparse.Namespace) -> int:
    import pipeline
    from pipeline.audit import audit, summary_markdown
    from pipeline.tables import write_corpus_tables, write_text

    out = Path(args.out_dir)
    try:
        tables = pipeline.load(out)
    except FileNotFoundError as exc:
        print(f"kehoach audit: {exc}", file=sys.stderr)
        return 1
    results = audit(tables)
    write_corpus_tables(out, results)
    report = summary_markdown(results)
    write_text(out / "audit.md", report)
    print(report, end="")
    print(f"edges and audit_findings written to {out} (CSV, Parquet, plans.db); this report in {out / 'audit.md'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehoach", description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"kehoach {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    ex = sub.add_parser(
        "extract",
        help="read plans and write the tables",
        description="Read plan documents and write the tidy tables into an output folder.",
        epilog=_EXTRACT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (folders are read recursively)")
    ex.add_argument("--out", "-o", required=True, metavar="DIR", help="output folder (created if missing)")
    ex.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    ex.add_argument("--strict", action="store_true", help="exit with status 1 if any input failed")
    ex.add_argument(
        "--jobs", "-j", type=int, default=None, metavar="N", help="worker processes (default: all cores)"
    )
    ex.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' for a LocalCluster",
    )
    ex.add_argument(
        "--force",
        action="store_true",
        help="reprocess every file and rewrite the tables, ignoring results cached by earlier runs",
    )
    ex.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="give up on a document after this long and record an errors row (default: 300; 0 = no limit)",
    )
    ex.set_defaults(func=_extract)
    au = sub.add_parser(
        "audit",
        help="check that sub-plans cite their parent plans correctly",
        description=(
            "Resolve every citation of a finished run to the plans of the same corpus and check number, date, "
            "issuer, type, dating order, cycles and phase windows. `extract` already runs this at its end; run "
            "it again after editing the tables or the rules in rules/data/audit.json."
        ),
        epilog="writes edges and audit_findings (CSV, Parquet, plans.db) and audit.md into OUT_DIR",
    )
    au.add_argument("out_dir", metavar="OUT_DIR", help="an output folder written by `kehoach extract`")
    au.set_defaults(func=_audit)

    import pipeline.report as report
    import pipeline.serve as serve

    sv = sub.add_parser(
        "serve",
        help="browse the tables in a web UI (Datasette)",
        description="Serve OUT_DIR/plans.db with Datasette at http://HOST:PORT/plans: facets, full-text search "
        "over section texts, canned queries for auditors, and every span shown in its context.",
    )
    serve.add_arguments(sv)
    sv.set_defaults(func=serve.run_from_args)
    rp = sub.add_parser(
        "report",
        help="write one self-contained HTML report (overview, timelines, citation graph, plans)",
        description="Write an offline HTML report of a run: an overview by province and issuer, every plan's "
        "phases on one time axis, the citation graph with audit findings, section coverage, and one page "
        "per plan with its extracted spans highlighted.",
    )
    report.add_arguments(rp)
    rp.set_defaults(func=report.run_from_args)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
