"""``kehoach serve``: a web UI over a run's ``plans.db``, with Datasette.

:func:`prepare` adds what the UI needs to the database (the texts, a full-text index of the sections, views
with each row's text in context, the audit tables when the run lacks them) and writes Datasette's metadata
beside it; :func:`serve` then runs Datasette on it, database name ``plans``, so every table is at
``/plans/<table>``. We write no web app of our own: everything shown is Datasette's, configured by data,
plus one small plugin (``plugins/context_cells.py``) that highlights the span in a context cell.
"""

from __future__ import annotations

import argparse
import sys
import threading
import webbrowser
from pathlib import Path

__all__ = [
    "PLUGINS_DIR",
    "SETTINGS",
    "add_arguments",
    "datasette_command",
    "main",
    "prepare",
    "run_from_args",
    "serve",
]

PLUGINS_DIR = Path(__file__).with_name("plugins")
METADATA_NAME = "plans.metadata.json"

#: Datasette settings: long Vietnamese passages shown in full enough to read, quick facets.
SETTINGS = {
    "truncate_cells_html": 600,
    "default_page_size": 50,
    "facet_time_limit_ms": 1000,
    "sql_time_limit_ms": 5000,
    "default_facet_size": 20,
}


def prepare(out_dir: str | Path) -> tuple[Path, Path]:
    """Make ``OUT/plans.db`` ready for the UI and write its metadata; return both paths.

    Safe to run again: the added tables and views are rebuilt from the contract tables each time.
    """
    from pipeline.serve.database import build
    from pipeline.serve.metadata import write_metadata

    out = Path(out_dir)
    db_path = out / "plans.db"
    if not db_path.is_file():
        raise FileNotFoundError(
            f"{db_path} not found: run `kehoach extract INPUT... --out {out}` first, then serve that folder"
        )
    build(db_path, out)
    return db_path, write_metadata(db_path, out / METADATA_NAME)


def datasette_command(db_path: Path, metadata_path: Path, host: str, port: int) -> list[str]:
    """The plain ``datasette`` command that serves the same UI (for people who want its other options)."""
    cmd = ["datasette", "serve", str(db_path), "--metadata", str(metadata_path)]
    cmd += ["--plugins-dir", str(PLUGINS_DIR), "--host", host, "--port", str(port)]
    for key, value in SETTINGS.items():
        cmd += ["--setting", key, str(value)]
    return cmd


def serve(out_dir: str | Path, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False) -> None:
    """Prepare ``out_dir`` and serve it with Datasette until interrupted (as ``datasette serve`` does)."""
    import asyncio
    import json

    import uvicorn
    from datasette.app import Datasette

    db_path, metadata_path = prepare(out_dir)
    ds = Datasette(
        files=[str(db_path)],
        metadata=json.loads(metadata_path.read_text(encoding="utf-8")),
        plugins_dir=str(PLUGINS_DIR),
        settings=SETTINGS,
    )
    asyncio.run(ds.invoke_startup())  # the plugins' startup hooks, on their own loop, as `datasette serve` does
    url = f"http://{host}:{port}/plans"
    print(f"kehoach: serving {db_path} at {url} (Ctrl+C stops)", file=sys.stderr)
    print(
        f"  the same with datasette: {' '.join(datasette_command(db_path, metadata_path, host, port))}",
        file=sys.stderr,
    )
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``kehoach serve`` (for the CLI's sub-parser)."""
    parser.add_argument("out_dir", metavar="OUT_DIR", help="a `kehoach extract --out` folder (holds plans.db)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", "-p", type=int, default=8001, help="port (default: 8001)")
    parser.add_argument("--open", dest="open_browser", action="store_true", help="open it in a web browser")


def run_from_args(args: argparse.Namespace) -> int:
    """Run ``kehoach serve`` from parsed arguments; the exit status."""
    try:
        serve(args.out_dir, host=args.host, port=args.port, open_browser=args.open_browser)
    except FileNotFoundError as exc:
        print(f"kehoach: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.serve OUT_DIR [--host H] [--port P] [--open]``."""
    parser = argparse.ArgumentParser(prog="kehoach serve", description="Browse a run's tables in Datasette.")
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))
