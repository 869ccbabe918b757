"""A per-document result cache, so re-running on a grown corpus processes only new or changed files.

An entry is keyed by the file's content hash and the pipeline's own fingerprint (its version, code and
rule files): editing a rule or upgrading kehoach invalidates every entry, moving or renaming a file does
not. Entries are committed one by one as each document finishes, which is also what lets an interrupted
run (Ctrl-C, or a process killed outright) resume without loss or duplicates.

How entries are kept, and why: writing one file per entry (a temporary file renamed into place) cost more
CPU than computing what went into it, and so did putting the entries' tens of KB into SQLite (every byte
goes through the write-ahead log and again into the database). So each process that writes entries
appends them to a segment file of its own (``segments/``: one write per entry, nothing copied twice), and
a small SQLite index, ``results.sqlite``, says where each entry is. The index is in WAL mode with
``synchronous=NORMAL``: a commit is atomic and costs no fsync, and the pool's workers commit concurrently,
one at a time. An entry's bytes are written before its index row is committed, and carry a CRC-32 that is
checked on every read, so an entry cut short by a kill, or damaged on disk since, is recomputed, never
trusted. Segments that no entry points to any more (all their entries were replaced, e.g. by ``--force``)
are deleted at the end of a run. Cache folders of earlier versions (one ``.pkl`` file per entry) are
simply ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.tables import atomic_path

_CHUNK = 1 << 20


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks so that a huge file costs no memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@cache
def pipeline_fingerprint() -> str:
    """A hash of everything that decides a document's result: the package's code and rule files."""
    import pipeline

    root = Path(pipeline.__file__).parent
    digest = hashlib.sha256(pipeline.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".json"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


#: Where each entry is: the segment file, the offset and sizes of its value and text, their CRC-32. Rows
#: this small belong in the key's own B-tree (WITHOUT ROWID): a commit then rewrites one leaf, not two.
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, segment TEXT NOT NULL, offset INTEGER NOT NULL, "
    "size INTEGER NOT NULL, text_size INTEGER NOT NULL, crc INTEGER NOT NULL) WITHOUT ROWID"
)
#: How long a commit waits for another process's commit before it fails (commits take microseconds).
_BUSY_SECONDS = 60.0


def _connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the index database at ``path``."""
    con = sqlite3.connect(path, timeout=_BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute(_SCHEMA)
    except BaseException:
        con.close()
        raise
    return con


@dataclass
class _Segment:
    """The segment file this process appends its entries to."""

    name: str
    fd: int
    size: int = 0

    def append(self, *parts: bytes) -> int:
        """Write ``parts`` at the end; their offset. A write cut short (a full disk) raises."""
        offset = self.size
        for part in parts:
            view = memoryview(part)
            while view:
                view = view[os.write(self.fd, view) :]
            self.size += len(part)
        return offset


#: Most segments a process keeps open for reading at once: a cache that many runs have added to has many
#: segments, and a run reading all its entries must not run out of file descriptors.
_MAX_READERS = 32


@dataclass
class _Handles:
    """One process's open files of one cache: the index, its own segment, the segments it has read."""

    con: sqlite3.Connection
    segment: _Segment | None = None
    readers: dict[str, int] = field(default_factory=dict)

    def reader(self, path: Path) -> int:
        """A descriptor to read the segment at ``path``, opened on first use (the longest open is closed
        when too many are)."""
        fd = self.readers.get(path.name)
        if fd is None:
            if len(self.readers) >= _MAX_READERS:
                os.close(self.readers.pop(next(iter(self.readers))))
            fd = self.readers[path.name] = os.open(path, os.O_RDONLY)
        return fd

    def close(self) -> None:
        self.con.close()
        for fd in [*self.readers.values(), *([self.segment.fd] if self.segment else [])]:
            os.close(fd)
        self.readers.clear()
        self.segment = None


#: Each process's open caches, by (process id, folder). Nothing opened here is ever used across a fork
#: (SQLite's locks belong to the process that took them, and two processes appending to one segment would
#: interleave): :func:`_close_all` runs before every fork, and the process id in the key keeps a child from
#: ever picking up its parent's files.
_open: dict[tuple[int, str], _Handles] = {}


def _close_all() -> None:
    """Close every cache this process holds open (each reopens on next use)."""
    pid = os.getpid()
    for slot in [slot for slot in _open if slot[0] == pid]:
        _open.pop(slot).close()


os.register_at_fork(before=_close_all)


class ResultCache:
    """Per-document results under ``folder``, one entry per (content, pipeline) key: the bytes its caller
    made of a result (:func:`pipeline.runner.settle`: a pickle) and, apart, the document's text."""

    #: The index of the entries, in :attr:`folder`.
    DATABASE = "results.sqlite"
    #: The folder of segment files, in :attr:`folder`.
    SEGMENTS = "segments"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, content_hash: str) -> str:
        """The entry for a file's content under this pipeline; the NER fallback (an environment switch)
        changes the mentions table, so results with it on are kept apart."""
        from pipeline.extractors.mentions import ner_enabled

        return f"{content_hash[:32]}-{pipeline_fingerprint()}" + ("-ner" if ner_enabled() else "")

    def _handles(self) -> _Handles:
        """This process's open index, opened on first use. An index that is not a SQLite database (damaged
        beyond use) is replaced by an empty one: every entry is then recomputed."""
        slot = (os.getpid(), str(self.folder))
        handles = _open.get(slot)
        if handles is None:
            path = self.folder / self.DATABASE
            (self.folder / self.SEGMENTS).mkdir(parents=True, exist_ok=True)
            try:
                con = _connect(path)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):
                    raise  # locked, read-only, out of space: not a damaged file, so nothing to throw away
                for stale in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
                    stale.unlink(missing_ok=True)
                con = _connect(path)
            handles = _open[slot] = _Handles(con)
        return handles

    def open(self) -> None:
        """Open (or create) the cache now, in this process: before the pool's workers start, so that they
        find it ready instead of racing to create it."""
        self._handles()

    def close(self) -> None:
        """Close this process's files of this cache (the next use reopens them)."""
        handles = _open.pop((os.getpid(), str(self.folder)), None)
        if handles is not None:
            handles.close()

    def __len__(self) -> int:
        """How many entries are stored (of any pipeline version)."""
        return self._handles().con.execute("SELECT COUNT(*) FROM entries").fetchone()[0]

    def has(self, key: str) -> bool:
        """Whether an entry is stored for ``key`` (without reading it: :meth:`get` may still find it
        damaged)."""
        try:
            con = self._handles().con
            return con.execute("SELECT 1 FROM entries WHERE key = ?", (key,)).fetchone() is not None
        except sqlite3.DatabaseError:
            return False

    def get(self, key: str) -> tuple[bytes, bytes] | None:
        """The value and text stored for ``key``; None when there is none, or it is damaged or its segment
        is gone (then it is recomputed, never trusted)."""
        handles = self._handles()
        try:
            row = handles.con.execute(
                "SELECT segment, offset, size, text_size, crc FROM entries WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None:
            return None
        segment, offset, size, text_size, crc = row
        try:
            fd = handles.reader(self.folder / self.SEGMENTS / segment)
            value = os.pread(fd, size, offset)
            text = os.pread(fd, text_size, offset + size)
        except OSError:
            return None
        if len(value) != size or len(text) != text_size or zlib.crc32(text, zlib.crc32(value)) != crc:
            return None
        return value, text

    def put(self, key: str, value: bytes, text: bytes = b"") -> None:
        """Store ``value`` and ``text`` under ``key``: appended to this process's segment, then committed
        to the index at once (a run killed after that keeps them)."""
        handles = self._handles()
        if handles.segment is None:
            name = f"{os.getpid()}-{secrets.token_hex(4)}.bin"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
            handles.segment = _Segment(name, os.open(self.folder / self.SEGMENTS / name, flags, 0o644))
        segment = handles.segment
        try:
            offset = segment.append(value, text)
        except BaseException:  # the segment's end is unknown now: the next entry starts a new one
            os.close(segment.fd)
            handles.segment = None
            raise
        handles.con.execute(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?)",
            (key, segment.name, offset, len(value), len(text), zlib.crc32(text, zlib.crc32(value))),
        )

    def collect(self) -> None:
        """Delete the segments that no entry points to any more (all their entries were replaced), but
        not the one this process is writing to."""
        handles = self._handles()
        live = {row[0] for row in handles.con.execute("SELECT DISTINCT segment FROM entries")}
        if handles.segment is not None:
            live.add(handles.segment.name)
        for path in (self.folder / self.SEGMENTS).glob("*.bin"):
            if path.name not in live:
                fd = handles.readers.pop(path.name, None)
                if fd is not None:
                    os.close(fd)
                path.unlink(missing_ok=True)

    #: The inputs, keys and counts of the last run that finished, so that an unchanged corpus is seen as such.
    MANIFEST = "manifest.json"

    def record_run(self, manifest: dict[str, Any]) -> None:
        """Remember what the run that just finished read (written after its tables are in place)."""
        with atomic_path(self.folder / self.MANIFEST) as tmp:
            tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")

    def last_run(self) -> dict[str, Any] | None:
        """The manifest of the last finished run, or None (no run yet, or an unreadable file)."""
        try:
            data = json.loads((self.folder / self.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def forget_run(self) -> None:
        """Drop the manifest: the tables are about to be replaced, so until the new run finishes no run is
        known to match them."""
        (self.folder / self.MANIFEST).unlink(missing_ok=True)
