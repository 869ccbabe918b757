"""A per-document result cache, so re-running on a grown corpus processes only new or changed files.

An entry is keyed by the file's content hash and the pipeline's own fingerprint (its version, code and
rule files): editing a rule or upgrading kehoach invalidates every entry, moving or renaming a file does
not. Entries are written atomically as each document finishes, which is also what lets an interrupted run
resume without loss or duplicates.
"""

from __future__ import annotations

import hashlib
import json
import pickle
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


class ResultCache:
    """Pickled per-document results under ``folder``, one file per (content, pipeline) key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, content_hash: str) -> str:
        """The entry for a file's content under this pipeline; the NER fallback (an environment switch)
        changes the mentions table, so results with it on are kept apart."""
        from pipeline.extractors.mentions import ner_enabled

        return f"{content_hash[:32]}-{pipeline_fingerprint()}" + ("-ner" if ner_enabled() else "")

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pkl"

    def has(self, key: str) -> bool:
        """Whether an entry is stored for ``key`` (without reading it: :meth:`get` may still find it
        damaged)."""
        return self._path(key).exists()

    def get(self, key: str) -> Any | None:
        path = self._path(key)
        if not path.exists():
            return None
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return None  # a damaged or outdated entry is recomputed, never trusted

    def put(self, key: str, value: Any) -> None:
        with atomic_path(self._path(key)) as tmp, tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)

    #: The inputs, keys and counts of the last run that finished, for :meth:`unchanged_since_last_run`.
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
