"""The batch: find the inputs, run each through the pipeline, keep going past failures, write the tables.

One input's failure becomes one row of the errors table and never stops the batch. Documents run on the
executor the options name (:mod:`pipeline.executors`) and their results are cached by content
(:mod:`pipeline.cache`), so a re-run processes only new or changed files and an interrupted run resumes.
Rows stream to disk as documents finish (:class:`pipeline.tables.TableWriter`), the citation audit reads
them back and writes its own tables the same way (:func:`audit_staged`), and cached results are read one
at a time, so memory does not grow with the corpus; the tables replace the previous run's only when the
whole batch is done.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from functools import cache
from itertools import groupby
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from pipeline.audit import AUDIT_INPUTS, SEVERITY_ORDER, SUMMARY_FINDING_COLUMNS, Auditor, summary_lines
from pipeline.cache import ResultCache, file_hash
from pipeline.executors import DEFAULT_TIMEOUT, Task, execute
from pipeline.extractors import TABLE_EXTRACTORS, finder
from pipeline.extractors.metadata import MetadataExtractor
from pipeline.ingest import read
from pipeline.ingest.ocr import LOW_CONFIDENCE
from pipeline.ingest.vietnamese import check_vietnamese
from pipeline.model import DocumentRecord, ExtractionError, NormalizedText, PipelineError, Repair, Section
from pipeline.normalize import normalize
from pipeline.segment import segment
from pipeline.tables import COLUMNS, CORPUS_TABLES, TableWriter, write_text

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
    repairs: list[Repair] = field(default_factory=list)


def discover(inputs: list[str | Path]) -> tuple[list[Path], list[ExtractionError]]:
    """The files named, and every file under the folders named (recursively, hidden ones skipped)."""
    files, _real, missing = _discover(inputs)
    return files, missing


def _discover(inputs: list[str | Path]) -> tuple[list[Path], list[str], list[ExtractionError]]:
    """:func:`discover`, with each file's resolved path: resolved once, as a run needs it three times
    (duplicates, files inside the output folder, the manifest) and resolving costs a system call per
    folder of the path."""
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
    unique: list[Path] = []
    real: list[str] = []
    seen: set[str] = set()
    for f in files:
        resolved = os.path.realpath(f)  # what Path.resolve gives, without its extra stat
        if resolved not in seen:
            seen.add(resolved)
            unique.append(f)
            real.append(resolved)
    return unique, real, missing


@cache
def _metadata_extractor() -> MetadataExtractor:
    """One extractor per process: its gazetteers and compiled patterns are built once."""
    return MetadataExtractor()


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
        meta = (extractor or _metadata_extractor()).find(seg)
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
    except MemoryError:
        raise PipelineError(
            "too_large", f"{path.name}: ran out of memory at the {stage} stage", stage=stage
        ) from None
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
        repairs=[_to_normalized(r, norm, doc_id) for r in raw.repairs],
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


@cache
def _getter(record: type) -> tuple[tuple[str, ...], attrgetter]:
    """A record type's field names and one getter of all of them (looked up once per type)."""
    names = tuple(f.name for f in fields(record))
    return names, attrgetter(*names)


def _row(record: Any, skip: str = "") -> dict[str, Any]:
    """A record's fields as a dict, shallow: unlike ``dataclasses.asdict`` it copies nothing (the values of
    table records are scalars; the one nested field, a document's ``fields``, is ``skip``-ped)."""
    names, get = _getter(type(record))
    values = get(record) if len(names) > 1 else (get(record),)
    row = dict(zip(names, values, strict=True))
    if skip:
        del row[skip]
    return row


def rows_of(r: DocResult) -> dict[str, list[dict]]:
    """The rows one document contributes to each table, as dicts of the table's columns."""
    return {table: [dict(zip(COLUMNS[table], v, strict=True)) for v in vs] for table, vs in values_of(r).items()}


def values_of(r: DocResult) -> dict[str, list[tuple]]:
    """The rows one document contributes to each table, each a tuple of the table's columns in order
    (what :meth:`TableWriter.append_values` takes: no dict per row on the way to the database)."""
    doc_id = r.document.doc_id
    starts = r.page_starts
    one_page = len(starts) <= 1  # then every offset is on page 1 (as _page has it), so none is looked up
    sections = [
        (
            doc_id,
            s.section_id,
            s.parent_id,
            s.level,
            s.label,
            s.heading,
            ";".join(s.category),
            s.char_start,
            s.char_end,
            s.heading_start,
            s.heading_end,
            s.marker,
            s.anomaly,
            1 if one_page else _page(starts, s.char_start),
        )
        for s in r.sections
    ]
    fields = [
        (doc_id, f.name, f.value, f.raw, f.char_start, f.char_end, 1 if one_page else _page(starts, f.char_start))
        for f in r.document.fields
    ]
    pages = []
    for i, start in enumerate(starts):
        confidence = r.page_confidence[i] if i < len(r.page_confidence) else None
        pages.append(
            (
                doc_id,
                i + 1,
                start,
                starts[i + 1] if i + 1 < len(starts) else len(r.text),
                r.page_methods[i] if i < len(r.page_methods) else "text",
                confidence,
                bool(i < len(r.page_confidence) and r.page_methods[i] == "ocr")
                and (confidence is None or confidence < LOW_CONFIDENCE),
            )
        )
    values = {"documents": [_document_values(r.document)], "sections": sections, "fields": fields, "pages": pages}
    values["repairs"] = _records_values(r.repairs)
    for table in TABLE_EXTRACTORS:
        values[table] = _records_values(r.records.get(table, []))
    return values


def _records_values(records: list[Any]) -> list[tuple]:
    """Records of one type as tuples of their fields, in order (a record table's columns are its fields)."""
    if not records:
        return []
    names, get = _getter(type(records[0]))
    if len(names) == 1:
        return [(get(rec),) for rec in records]
    return list(map(get, records))


@cache
def _document_getter() -> attrgetter:
    return attrgetter(*COLUMNS["documents"])


def _document_values(document: DocumentRecord) -> tuple:
    """A document's row of the documents table."""
    return _document_getter()(document)


def _to_normalized(repair: Repair, norm: NormalizedText, doc_id: str) -> Repair:
    """A reader's repair with its span moved onto the normalized text (the first normalized character
    at or after each end)."""
    import bisect

    start = min(bisect.bisect_left(norm.to_raw, repair.char_start), len(norm.text))
    end = min(max(bisect.bisect_left(norm.to_raw, repair.char_end), start), len(norm.text))
    return replace(repair, doc_id=doc_id, char_start=start, char_end=end)


#: Where a document's rows name it: each per-document table's doc_id column, and the documents row's file
#: and text (what :func:`_retarget` rewrites when a cached document has become another file).
_DOC_ID_AT = {table: columns.index("doc_id") for table, columns in COLUMNS.items() if "doc_id" in columns}
_SOURCE_PATH_AT = COLUMNS["documents"].index("source_path")
_TEXT_PATH_AT = COLUMNS["documents"].index("text_path")


def _rows_from(pickled: bytes) -> Rows:
    """:class:`Rows` from the pickle of their values (how they cross from a pool worker)."""
    return Rows(pickle.loads(pickled))


@dataclass
class Rows:
    """A document's rows for the tables (:func:`values_of`), once its text and cache entry are written:
    all a pool worker sends back, a fraction of the pickle of the whole :class:`DocResult`. They cross as
    the pickle of their values, made once for both the cache entry and the way back."""

    values: dict[str, list[tuple]]
    #: The same values pickled, when the document's cache entry is made of them: a pool worker then sends
    #: these bytes as they are instead of pickling the rows a second time.
    pickled: bytes | None = field(default=None, repr=False, compare=False)

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        pickled = self.pickled
        if pickled is None:
            pickled = pickle.dumps(self.values, protocol=pickle.HIGHEST_PROTOCOL)
        return _rows_from, (pickled,)


def _retarget(values: dict[str, list[tuple]], path: Path, doc_id: str) -> dict[str, list[tuple]]:
    """A cached document's rows made to name this run's file and doc_id (the same content may have moved
    or been renamed): the documents row's doc_id, source_path and text_path, every other row's doc_id."""
    text_path = f"texts/{doc_id}.txt"
    document = list(values["documents"][0])
    was = document[_DOC_ID_AT["documents"]]
    if (was, document[_SOURCE_PATH_AT], document[_TEXT_PATH_AT]) == (doc_id, str(path), text_path):
        return values  # the usual re-run: the same file under the same name
    document[_DOC_ID_AT["documents"]] = doc_id
    document[_SOURCE_PATH_AT] = str(path)
    document[_TEXT_PATH_AT] = text_path
    values["documents"] = [tuple(document)]
    if was != doc_id:
        for table, rows in values.items():
            at = _DOC_ID_AT[table]
            if table != "documents" and rows:
                values[table] = [(*row[:at], doc_id, *row[at + 1 :]) for row in rows]
    return values


def _reuse(entry: tuple[bytes, bytes], path: Path, doc_id: str, out: Path) -> Rows | ExtractionError | None:
    """A cached outcome (what :func:`settle` stored) made to name this run's file and doc_id, with its text
    back in ``out``; None when the entry cannot be used (then the document is computed again)."""
    value, text = entry
    try:
        outcome = pickle.loads(value)
    except Exception:  # whatever is wrong with it, an entry that does not load is recomputed
        return None
    if isinstance(outcome, ExtractionError):
        return replace(outcome, source_path=str(path))
    if not isinstance(outcome, dict):
        return None
    values = _retarget(outcome, path, doc_id)
    _restore_text(out / values["documents"][0][_TEXT_PATH_AT], text)
    return Rows(values)


def _restore_text(dest: Path, data: bytes) -> None:
    """Put a cached document's text at ``dest``, unless the file already holds exactly that (the usual
    re-run: reading the file back costs a fraction of writing it again)."""
    try:
        with dest.open("rb") as fh:
            if fh.read(len(data) + 1) == data:
                return
    except OSError:
        pass
    write_text(dest, data.decode("utf-8"))


def settle(outcome: Any, out: Path, key: str | None, cache: Path | None) -> Any:
    """File a document's outcome where it is computed: its cache entry (under ``key``, when there is a
    cache), its text into ``out``; what is left for the tables is its :class:`Rows` (or the error).

    The entry of a document is its rows for the tables, pickled, and its text in UTF-8, not its whole
    :class:`DocResult` of records, which is larger and several times slower to pickle and load; the entry of
    a failure is the pickled :class:`ExtractionError`."""
    store = ResultCache(cache) if cache is not None and key is not None else None
    if isinstance(outcome, ExtractionError):
        if store is not None:
            store.put(key, pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
        return outcome
    values = values_of(outcome)
    pickled = None
    if store is not None:
        pickled = pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)
        store.put(key, pickled, outcome.text.encode("utf-8"))
    write_text(out / outcome.document.text_path, outcome.text)
    return Rows(values, pickled)


def audit_staged(writer: TableWriter) -> None:
    """The citation audit of a whole batch, read from and written into ``writer``'s staging database:
    only the columns it needs, chunk by chunk, with ``edges`` and ``audit_findings`` staged like the other
    tables and ``audit.md`` written from a cursor, so memory does not grow with the corpus (a run's whole
    tables as DataFrames cost hundreds of MB at 10,000 documents)."""
    mentions = writer.select("citations", AUDIT_INPUTS["citations"])
    Auditor().stream(
        writer.select("documents", AUDIT_INPUTS["documents"]),
        (list(group) for _seq, group in groupby(mentions, key=itemgetter("_seq"))),  # one plan's at a time
        writer.select("phases", AUDIT_INPUTS["phases"]),
        writer.append_rows,
    )
    writer.write_file("audit.md", _audit_report(writer))


def _audit_report(writer: TableWriter) -> Iterator[str]:
    """audit.md from the staged edges and findings, counted and sorted by SQLite (as
    :func:`pipeline.audit.summary_markdown` does with pandas on whole frames)."""
    edges, findings = writer.stage("edges"), writer.stage("audit_findings")
    n, citing, basis, resolved = next(
        writer.query(
            "SELECT COUNT(*), COUNT(DISTINCT doc_id), COALESCE(SUM(relation = 'basis'), 0), "
            f"COALESCE(SUM(COALESCE(target_doc_id, '') != ''), 0) FROM {edges}"
        )
    )
    rank = " ".join(f"WHEN ? THEN {i}" for i in SEVERITY_ORDER.values())
    rank = f"CASE severity {rank} ELSE {len(SEVERITY_ORDER)} END"
    levels = list(SEVERITY_ORDER)
    by_check = f'SELECT severity, "check", COUNT(*) FROM {findings} GROUP BY severity, "check"'
    counts = list(writer.query(f'{by_check} ORDER BY {rank}, "check"', levels))
    cols = ", ".join(f'"{c}"' for c in SUMMARY_FINDING_COLUMNS)
    # rowid order is the staged order: by the plan's place in the batch, then by arrival
    ranked = writer.query(f'SELECT {cols} FROM {findings} ORDER BY {rank}, doc_id, "check", rowid', levels)
    return summary_lines(n, citing, basis, resolved, counts, ranked)


def _plan(
    files: list[Path], ids: list[str], store: ResultCache | None, force: bool
) -> tuple[list[str | None], list[int], list[Task]]:
    """Each file's cache key, the files whose result is in the cache (their positions; the results are
    read only when their turn comes) and the tasks to run for the others."""
    keys: list[str | None] = [None] * len(files)
    hits: list[int] = []
    todo: list[Task] = []
    for i, (path, doc_id) in enumerate(zip(files, ids, strict=True)):
        if store is not None:
            try:
                keys[i] = store.key(file_hash(path))
            except OSError:
                keys[i] = None
            key = keys[i]
            if not force and key is not None and store.has(key):
                hits.append(i)
                continue
        todo.append(Task(i, str(path), doc_id))
    return keys, hits, todo


def _manifest(
    real: list[str], ids: list[str], keys: list[str | None], errors: list[ExtractionError]
) -> dict[str, Any] | None:
    """What a run reads: every input (its resolved path) with its id and cache key (content hash and
    pipeline fingerprint), and the inputs that could not be read at all. None when a file could not be
    hashed (nothing can then be said to be unchanged)."""
    if any(k is None for k in keys):
        return None
    inputs = [[path, doc_id, key] for path, doc_id, key in zip(real, ids, keys, strict=True)]
    inputs += [["error", e.source_path, e.error_type, e.message] for e in errors]
    return {"inputs": inputs}


def _outputs_present(out: Path) -> bool:
    """Whether the tables of a finished run are all in ``out`` (a user may have deleted some)."""
    names = [f"{t}.{ext}" for t in COLUMNS for ext in ("csv", "parquet")] + ["plans.db", "audit.md", "texts"]
    return all((out / name).exists() for name in names)


@dataclass
class RunSummary:
    done: int
    failed: int
    seconds: float
    out_dir: Path
    cached: int = 0
    interrupted: bool = False
    #: Nothing changed since the last run (same inputs, contents and pipeline): the tables were kept.
    up_to_date: bool = False

    def __str__(self) -> str:
        if self.up_to_date:
            return (
                f"{self.done + self.failed} input(s) unchanged since the last run ({self.failed} failed then); "
                f"the tables in {self.out_dir} are up to date, nothing rewritten ({self.seconds:.1f} s). "
                "Use --force to rebuild them."
            )
        reused = f" ({self.cached} unchanged, taken from the cache)" if self.cached else ""
        return (
            f"{self.done} document(s) done{reused}, {self.failed} failed, {self.seconds:.1f} s; "
            f"tables in {self.out_dir}"
        )


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: Most finished documents :func:`in_order` holds back while it waits for an earlier one (a few pool
#: batches: a document's rows are tens of KB).
HELD_OUTCOMES = 64


def in_order(
    outcomes: Iterator[tuple[int, Any]], order: list[int], limit: int = HELD_OUTCOMES
) -> Iterator[tuple[int, Any]]:
    """``(index, outcome)`` pairs as workers finish them, handed on in ``order`` (the order the tasks were
    given in) whenever that costs holding at most ``limit`` of them.

    Why: a table whose rows reach the writer in input order is exported as they come, and one that does
    not must be read back from ``plans.db`` at the end (:class:`pipeline.tables.TableWriter`); pool workers
    finish their batches a little out of order. A document far behind the rest (a slow scan) does not hold
    up the batch: past ``limit`` the held outcomes go on at once, and the tables are then read back.
    """
    held: dict[int, Any] = {}
    passed: set[int] = set()  # handed on ahead of their turn
    k = 0
    for index, outcome in outcomes:
        held[index] = outcome
        while k < len(order) and (order[k] in held or order[k] in passed):
            i = order[k]
            k += 1
            if i in passed:
                passed.discard(i)
            else:
                yield i, held.pop(i)
        if len(held) > limit:
            for i in sorted(held):
                passed.add(i)
                yield i, held.pop(i)
    for i in sorted(held):
        yield i, held[i]


def run(
    inputs: list[str | Path],
    out_dir: str | Path,
    progress: bool = True,
    jobs: int | None = None,
    dask: str | None = None,
    force: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    use_cache: bool = True,
) -> RunSummary:
    """Process every input and write the tables and texts into ``out_dir``.

    ``jobs`` worker processes (all cores by default) or the Dask cluster at ``dask`` ("local" for a
    LocalCluster) do the work; results cached in ``out_dir/.cache`` are reused unless ``force``.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    out = Path(out_dir)
    jobs = jobs or default_jobs()
    files, real, errors = _discover(inputs)
    inside_out = os.path.join(os.path.realpath(out), "")  # never read a previous run's texts back in as plans
    kept = [i for i, path in enumerate(real) if not path.startswith(inside_out)]
    files, real = [files[i] for i in kept], [real[i] for i in kept]
    ids = _doc_ids(files)
    store = ResultCache(out / ".cache") if use_cache else None
    keys, hits, todo = _plan(files, ids, store, force)
    manifest = _manifest(real, ids, keys, errors)
    if store is not None and not force and manifest is not None:
        last = store.last_run()
        if last is not None and last.get("inputs") == manifest["inputs"] and _outputs_present(out):
            store.close()
            counts = last.get("counts", {})
            return RunSummary(
                int(counts.get("done", 0)),
                int(counts.get("failed", 0)),
                time.perf_counter() - started,
                out,
                cached=len(files),
                up_to_date=True,
            )
    if store is not None:
        store.forget_run()
        store.open()  # here, before any worker starts (they would otherwise race to create it)
    cached = 0

    tables = [t for t in COLUMNS if t not in {"errors", *CORPUS_TABLES}]
    writer = TableWriter(out, [*tables, "errors", *CORPUS_TABLES])
    for e in errors:
        writer.append("errors", [_row(e)], -1)
    done = failed = 0
    bar = tqdm(total=len(files), desc="kehoach", unit="doc", disable=not progress, file=sys.stderr)
    interrupted = False

    def take(index: int, outcome: Any) -> None:
        nonlocal done, failed
        if isinstance(outcome, ExtractionError):
            writer.append("errors", [_row(outcome)], index)
            failed += 1
        else:
            for table, values in outcome.values.items():
                writer.append_values(table, values, index)
            done += 1
        bar.update(1)

    try:
        for index in hits:  # loaded one at a time: a whole cached corpus would not fit in memory
            hit = store.get(keys[index]) if store is not None and keys[index] is not None else None
            outcome = None if hit is None else _reuse(hit, files[index], ids[index], out)
            if outcome is None:  # damaged or outdated since it was found: computed with the rest
                todo.append(Task(index, str(files[index]), ids[index]))
                continue
            take(index, outcome)
            cached += 1
        todo.sort(key=attrgetter("index"))
        cache_dir = None if store is None else store.folder
        if not dask:  # the workers share this disk: each files its documents (text, cache entry) itself
            folder = None if cache_dir is None else str(cache_dir)
            todo = [replace(t, out=str(out), key=keys[t.index], cache=folder) for t in todo]
        finished = execute(todo, jobs=jobs, dask=dask, timeout=timeout)
        for index, outcome in in_order(finished, [t.index for t in todo], HELD_OUTCOMES):
            if dask:  # a Dask worker may not share this disk: its documents are filed here
                outcome = settle(outcome, out, keys[index], cache_dir)
            bar.set_postfix_str(files[index].name[:40])
            take(index, outcome)
        bar.close()
        audit_staged(writer)
        writer.finish()
        if store is not None:
            if manifest is not None:
                store.record_run({**manifest, "counts": {"done": done, "failed": failed + len(errors)}})
            store.collect()
    except KeyboardInterrupt:
        interrupted = True
        bar.close()
        writer.abort()
        raise
    finally:
        if store is not None:
            store.close()
        if interrupted:
            print(
                f"interrupted: {done + failed} document(s) finished and cached; the previous tables are "
                "untouched. Run the same command again to resume.",
                file=sys.stderr,
            )
    failed += len(errors)
    return RunSummary(done, failed, time.perf_counter() - started, out, cached=cached)
