"""The batch: find the inputs, run each through the pipeline, keep going past failures, write the tables.

One input's failure becomes one row of the errors table and never stops the batch. The tables are written
only at the end and atomically, so a run that is interrupted leaves the previous run's tables intact.
"""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.extractors import TABLE_EXTRACTORS, finder
from pipeline.extractors.metadata import MetadataExtractor
from pipeline.ingest import read
from pipeline.ingest.vietnamese import check_vietnamese
from pipeline.model import DocumentRecord, ExtractionError, NormalizedText, PipelineError, Section
from pipeline.normalize import normalize
from pipeline.segment import segment
from pipeline.tables import frame, write_tables, write_text

#: Files that are never plans: editor and OS droppings.
_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class DocResult:
    """Everything the pipeline produced for one input."""

    document: DocumentRecord
    text: str
    sections: list[Section] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=lambda: [0])
    records: dict[str, list[Any]] = field(default_factory=dict)
    page_methods: list[str] = field(default_factory=list)
    page_confidence: list[float | None] = field(default_factory=list)


@dataclass
class RunSummary:
    done: int
    failed: int
    seconds: float
    out_dir: Path | None

    def __str__(self) -> str:
        where = f"; tables in {self.out_dir}" if self.out_dir is not None else ""
        return f"{self.done} document(s) done, {self.failed} failed, {self.seconds:.1f} s{where}"


def discover(inputs: list[str | Path]) -> tuple[list[Path], list[ExtractionError]]:
    """The files named, and every file under the folders named (recursively, hidden ones skipped)."""
    files: list[Path] = []
    missing: list[ExtractionError] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in p.relative_to(path).parts)
                if p.is_file() and not hidden and p.name not in _SKIP_NAMES:
                    files.append(p)
        elif path.is_file():
            files.append(path)
        else:
            missing.append(ExtractionError(str(path), "discover", "missing", f"{path}: no such file or folder"))
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    return unique, missing


def process(path: Path, doc_id: str, extractor: MetadataExtractor | None = None) -> DocResult:
    """Run one file through ingest → normalize → segment → extract. Raises PipelineError on failure."""
    stage = "ingest"
    try:
        raw = read(path)
        stage = "normalize"
        norm: NormalizedText = normalize(raw)
        check_vietnamese(norm.text, path.name)
        stage = "segment"
        seg = segment(norm)
        stage = "extract"
        meta = (extractor or MetadataExtractor()).find(seg)
        records: dict[str, list[Any]] = {}
        for table in TABLE_EXTRACTORS:
            find = finder(table)
            if find is not None:
                stage = f"extract:{table}"
                records[table] = find(seg, meta)
    except PipelineError as exc:
        if exc.stage == "ingest" and stage != "ingest":
            exc.stage = stage
        raise
    except Exception as exc:  # an unexpected failure is still one errors row, with its cause
        where = traceback.extract_tb(exc.__traceback__)[-1]
        raise PipelineError(
            "internal",
            f"{path.name}: {type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})",
            stage=stage,
        ) from exc
    record = replace(
        meta,
        doc_id=doc_id,
        source_path=str(path),
        format=raw.format,
        text_path=f"texts/{doc_id}.txt",
        encoding=raw.encoding,
        notes="; ".join(raw.notes),
        warnings="; ".join(raw.warnings),
        pages=len(raw.page_starts),
        chars=len(norm.text),
        numbering_anomalies="; ".join(seg.anomalies),
    )
    for rows in records.values():
        for row in rows:
            row.doc_id = doc_id
    return DocResult(
        document=record,
        text=norm.text,
        sections=seg.sections,
        page_starts=norm.page_starts,
        records=records,
        page_methods=raw.page_methods,
        page_confidence=raw.page_confidence,
    )


def _doc_ids(files: list[Path]) -> list[str]:
    """doc_id is the file name without extension; clashes get the parent folder's name, then a count."""
    ids: list[str] = []
    used: set[str] = set()
    for f in files:
        candidate = f.stem
        if candidate in used:
            candidate = f"{f.parent.name}__{f.stem}"
        base, n = candidate, 2
        while candidate in used:
            candidate = f"{base}__{n}"
            n += 1
        used.add(candidate)
        ids.append(candidate)
    return ids


def _page(page_starts: list[int], offset: int) -> int:
    page = 1
    for i, start in enumerate(page_starts):
        if start <= offset:
            page = i + 1
    return page


def to_frames(results: list[DocResult], errors: list[ExtractionError]) -> dict[str, pd.DataFrame]:
    """The tidy tables for a batch."""
    docs, sections, fields, pages = [], [], [], []
    for r in results:
        d = asdict(r.document)
        d.pop("fields")
        docs.append(d)
        for s in r.sections:
            row = asdict(s)
            row["doc_id"] = r.document.doc_id
            row["category"] = ";".join(s.category)
            row["page"] = _page(r.page_starts, s.char_start)
            sections.append(row)
        for f in r.document.fields:
            fields.append(
                {
                    "doc_id": r.document.doc_id,
                    "field": f.name,
                    "value": f.value,
                    "raw": f.raw,
                    "char_start": f.char_start,
                    "char_end": f.char_end,
                    "page": _page(r.page_starts, f.char_start),
                }
            )
        starts = r.page_starts
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(r.text)
            pages.append(
                {
                    "doc_id": r.document.doc_id,
                    "page": i + 1,
                    "char_start": start,
                    "char_end": end,
                    "method": r.page_methods[i] if i < len(r.page_methods) else "text",
                    "ocr_confidence": r.page_confidence[i] if i < len(r.page_confidence) else None,
                }
            )
    return {
        "documents": frame("documents", docs),
        "sections": frame("sections", sections),
        **{
            table: frame(table, [asdict(row) for r in results for row in r.records.get(table, [])])
            for table in TABLE_EXTRACTORS
        },
        "fields": frame("fields", fields),
        "pages": frame("pages", pages),
        "errors": frame("errors", [asdict(e) for e in errors]),
    }


def run(
    inputs: list[str | Path], out_dir: str | Path | None, progress: bool = True
) -> tuple[RunSummary, dict[str, pd.DataFrame]]:
    """Process every input and return the tables; write them (and the texts) into ``out_dir`` unless None."""
    from tqdm import tqdm

    started = time.perf_counter()
    out = Path(out_dir) if out_dir is not None else None
    files, errors = discover(inputs)
    if out is not None:  # never read a previous run's texts back in as plans
        out_resolved = out.resolve()
        files = [f for f in files if out_resolved not in f.resolve().parents]
    extractor = MetadataExtractor()
    results: list[DocResult] = []
    bar = tqdm(
        list(zip(files, _doc_ids(files), strict=True)),
        desc="kehoach",
        unit="doc",
        disable=not progress,
        file=sys.stderr,
    )
    for path, doc_id in bar:
        bar.set_postfix_str(path.name[:40])
        try:
            result = process(path, doc_id, extractor)
        except PipelineError as exc:
            errors.append(ExtractionError(str(path), exc.stage, exc.error_type, exc.message))
            continue
        if out is not None:
            write_text(out / result.document.text_path, result.text)
        results.append(result)
    frames = to_frames(results, errors)
    if out is not None:
        write_tables(frames, out)
    summary = RunSummary(len(results), len(errors), time.perf_counter() - started, out)
    return summary, frames
