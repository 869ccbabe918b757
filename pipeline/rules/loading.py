"""Reading and validating the JSON rule files under ``pipeline/rules/data/``: one error, one closed-key check,
one reader per kind of field.

Every Vietnamese fact the pipeline relies on is a JSON file that a user may copy and edit, so every loader
(gazetteers, language, citations, audit, events, temporal words, agencies) must refuse a file it cannot use
with an error that says where: the file, the entry, the key. A misspelt key in a hand-edited file would
otherwise be ignored without a word, as in medspaCy's rule classes. The loaders share these functions so that
a file is read, and a mistake in it reported, the same way whichever rule class reads it.

``where`` in every function is the place to name in an error: the file ("pipeline/rules/data/events.json"),
or an entry in it ("provinces.json: provinces[3] ('Hà Tây')").
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar, overload

__all__ = [
    "RuleFile",
    "RulesError",
    "check_keys",
    "choice",
    "entries",
    "iso_date",
    "mapping",
    "named",
    "nonempty",
    "read_json",
    "read_packaged",
    "text",
    "texts",
    "top_level",
]

#: How the packaged files are named in errors: the path a user would open in the repository.
PACKAGED_DIR = "pipeline/rules/data"


class RulesError(ValueError):
    """A rules file that cannot be used as it is: bad JSON, an unknown or missing key, a value of the wrong
    shape. The message starts with the file (and the entry) so that the user knows what to fix."""


# --------------------------------------------------------------------------------------------------------
# Files


def read_json(path: str | Path) -> tuple[str, dict[str, Any]]:
    """A user's rules file: the name to quote in errors (the path as given) and its top-level object."""
    source = str(path)
    return source, _parse(Path(path).read_text(encoding="utf-8"), source)


def read_packaged(name: str) -> tuple[str, dict[str, Any]]:
    """A file shipped in ``pipeline/rules/data`` (read through importlib.resources, so that it is found in
    an installed wheel too): its name for errors and its top-level object."""
    source = f"{PACKAGED_DIR}/{name}"
    raw = resources.files("pipeline.rules").joinpath("data", name).read_text(encoding="utf-8")
    return source, _parse(raw, source)


def _parse(raw: str, source: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise RulesError(f"{source}: not valid JSON: {err}") from err
    return top_level(data, source)


def top_level(data: Any, source: str) -> dict[str, Any]:
    """``data`` if it is an object; for loaders that also accept data already parsed (``from_dict``)."""
    if not isinstance(data, dict):
        raise RulesError(f"{source}: the top level must be a JSON object")
    return data


# --------------------------------------------------------------------------------------------------------
# The protocol of a rule class

_R = TypeVar("_R", bound="RuleFile")


class RuleFile:
    """What every rule class offers: ``from_file(path)`` for a user's copy of its file and ``default()`` for
    the packaged one, read once per process (the extractors ask for it per document).

    A subclass names its packaged file in ``FILE`` and builds itself from the parsed object in
    ``from_data(data, source)``, ``source`` being what its errors name.
    """

    FILE: ClassVar[str]

    @classmethod
    def from_data(cls: type[_R], data: Any, source: str) -> _R:
        """The rules of a parsed file; ``source`` names the file in errors."""
        raise NotImplementedError

    @classmethod
    def from_file(cls: type[_R], path: str | Path | None = None) -> _R:
        """Load a rules file (the packaged one when ``path`` is None); a key the class does not know, or a
        value of the wrong shape, is a :class:`RulesError` naming the file."""
        source, data = read_packaged(cls.FILE) if path is None else read_json(path)
        return cls.from_data(data, source)

    @classmethod
    @cache
    def default(cls: type[_R]) -> _R:
        """The packaged rules (``pipeline/rules/data/<FILE>``), loaded once."""
        return cls.from_file()


# --------------------------------------------------------------------------------------------------------
# Keys


def check_keys(obj: Any, allowed: Collection[str], required: Collection[str], where: str) -> None:
    """``obj`` is an object whose keys are all ``allowed`` and include every ``required`` one.

    The first offending key (in sorted order) is named, with the allowed keys, so that a misspelling is
    obvious next to its correct form.
    """
    if not isinstance(obj, dict):
        raise RulesError(f"{where}: expected an object, got {type(obj).__name__}")
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        raise RulesError(f"{where}: unknown key {unknown[0]!r}; allowed keys: {', '.join(sorted(allowed))}")
    missing = sorted(set(required) - set(obj))
    if missing:
        raise RulesError(f"{where}: missing key {missing[0]!r}")


def named(where: str, entry: Any, key: str) -> str:
    """``where`` with the entry's name, so that an error points at the entry a person would look for."""
    name = entry.get(key) if isinstance(entry, dict) else None
    return f"{where} ({name.strip()!r})" if isinstance(name, str) and name.strip() else where


# --------------------------------------------------------------------------------------------------------
# Fields. Strings are stored in NFC, the form the normalizer gives every text, so that a file saved by an
# editor in decomposed form still matches.


def nonempty(value: Any, what: str, *, collapse_spaces: bool = False) -> str:
    """``value`` as a non-empty string, stripped and NFC; ``what`` names it in the error.

    ``collapse_spaces`` also turns every run of white space inside into one space, for names that are
    compared word by word (agency names) and should not differ by a doubled space in the file.
    """
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{what} must be a non-empty string")
    return _clean(value, collapse_spaces)


def _clean(value: str, collapse_spaces: bool) -> str:
    return unicodedata.normalize("NFC", " ".join(value.split()) if collapse_spaces else value.strip())


@overload
def text(
    obj: Mapping[str, Any],
    key: str,
    where: str,
    *,
    optional: Literal[False] = False,
    collapse_spaces: bool = False,
) -> str: ...
@overload
def text(
    obj: Mapping[str, Any], key: str, where: str, *, optional: bool, collapse_spaces: bool = False
) -> str | None: ...
def text(
    obj: Mapping[str, Any], key: str, where: str, *, optional: bool = False, collapse_spaces: bool = False
) -> str | None:
    """The non-empty string at ``key``; ``None`` when it is missing or null and ``optional``."""
    value = obj.get(key)
    if value is None and optional:
        return None
    return nonempty(value, f"{where}: {key!r}", collapse_spaces=collapse_spaces)


def texts(obj: Mapping[str, Any], key: str, where: str, *, collapse_spaces: bool = False) -> tuple[str, ...]:
    """The list of non-empty strings at ``key`` (empty when missing), without repeats, in the file's order."""
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(dict.fromkeys(_clean(v, collapse_spaces) for v in value))


def mapping(obj: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    """The object at ``key`` (empty when missing); its values are for the caller to check."""
    value = obj.get(key, {})
    if not isinstance(value, dict):
        raise RulesError(f"{where}: {key!r} must be a JSON object")
    return value


def choice(obj: Mapping[str, Any], key: str, choices: Sequence[str], where: str) -> str:
    """The value at ``key``, which must be one of ``choices`` (a closed vocabulary: a kind, a status)."""
    value = obj.get(key)
    if value not in choices:
        expected = ", ".join(map(repr, choices))
        raise RulesError(f"{where}: {key!r} is {value!r}; expected one of {expected}")
    return value


@overload
def iso_date(obj: Mapping[str, Any], key: str, where: str, *, optional: Literal[False] = False) -> date: ...
@overload
def iso_date(obj: Mapping[str, Any], key: str, where: str, *, optional: bool) -> date | None: ...
def iso_date(obj: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> date | None:
    """The ISO date (YYYY-MM-DD) at ``key``; ``None`` when it is missing or null and ``optional``."""
    value = obj.get(key)
    if value is None and optional:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as err:
        null = " or null" if optional else ""
        raise RulesError(f"{where}: {key!r} must be an ISO date (YYYY-MM-DD){null}, not {value!r}") from err


def entries(data: Mapping[str, Any], key: str, where: str) -> list[tuple[str, Any]]:
    """The list at ``key`` (empty when missing), each item with its place ("events.json: events[2]") for the
    errors the caller raises about it."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise RulesError(f"{where}: {key!r} must be a list")
    return [(f"{where}: {key}[{i}]", entry) for i, entry in enumerate(value)]
