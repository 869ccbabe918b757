"""Extractors: each takes a segmented document (and its metadata) and returns records with spans.

Every extractor module exposes ``find(doc: Segmented, meta: DocumentRecord) -> list[record]``; the records
are the dataclasses of :mod:`pipeline.model`, one table each. :data:`TABLE_EXTRACTORS` says which module
fills which table, in the order they run (later ones may read the metadata, never each other's output).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

#: table name → module that fills it.
TABLE_EXTRACTORS: dict[str, str] = {
    "citations": "pipeline.extractors.citations",
    "phases": "pipeline.extractors.phases",
    "deadlines": "pipeline.extractors.deadlines",
    "units": "pipeline.extractors.units",
    "mentions": "pipeline.extractors.mentions",
}


@cache
def finder(table: str) -> Callable[..., list[Any]] | None:
    """The ``find`` function that fills ``table``, or None while that extractor is not part of the package."""
    try:
        module = importlib.import_module(TABLE_EXTRACTORS[table])
    except ModuleNotFoundError as exc:
        if exc.name != TABLE_EXTRACTORS[table]:
            raise
        return None
    return module.find
