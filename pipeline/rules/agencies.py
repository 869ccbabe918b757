"""Agency names and the cue words of task assignment, loaded from ``agencies.json`` and ``unit_roles.json``.

The units extractor has to tell where an organization's name ends in running text ("Sở Văn hóa, Thể thao và
Du lịch" is one name, "Báo Đắk Lắk, Đài Phát thanh ..." is a list) and what the words around it mean ("chủ
trì" makes it the lead). Those are facts about Vietnamese and about the genre, so they are data: a user in
another province adds a department or a cue word to the JSON files, not code. Like the gazetteers, each loader
accepts a closed set of keys and names the file and the key when it meets another one, because a misspelt key
in a hand-edited file would otherwise be ignored without a word.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.rules.gazetteer import GazetteerError

__all__ = ["Agencies", "Agency", "UnitRoles"]

ROLES = ("lead", "coordinate", "implement")


def _load(path: Path | None, name: str) -> tuple[str, dict[str, Any]]:
    """The parsed file and the name to quote in errors (the packaged file when ``path`` is None)."""
    source = str(path) if path is not None else f"pipeline/rules/data/{name}"
    try:
        if path is None:
            text = resources.files("pipeline.rules").joinpath("data", name).read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise GazetteerError(f"{source}: not valid JSON: {err}") from err
    if not isinstance(data, dict):
        raise GazetteerError(f"{source}: the top level must be a JSON object")
    return source, data


def _check_keys(obj: Any, allowed: set[str], required: set[str], where: str) -> None:
    if not isinstance(obj, dict):
        raise GazetteerError(f"{where}: expected an object, got {type(obj).__name__}")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise GazetteerError(f"{where}: unknown key {unknown[0]!r}; allowed keys: {', '.join(sorted(allowed))}")
    missing = sorted(required - set(obj))
    if missing:
        raise GazetteerError(f"{where}: missing key {missing[0]!r}")


def _words(obj: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    """A list of non-empty strings, NFC, without repeats (order kept)."""
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(dict.fromkeys(unicodedata.normalize("NFC", " ".join(v.split())) for v in value))


@dataclass(frozen=True)
class Agency:
    """A complete agency name ("Sở Nội vụ", "Ban Tuyên giáo"), the other spellings real plans use, and what
    kind of body it is (department, party, mass, media, ...)."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    note: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


_AGENCY_TOP = {
    "source",
    "note",
    "agencies",
    "openers",
    "collective_nouns",
    "fixed_coordinations",
    "collective_determiners",
    "tails",
    "name_words",
    "opener_exceptions",
    "connector_breakers",
}
_AGENCY_KEYS = {"name", "kind", "aliases", "note"}


@dataclass(frozen=True)
class Agencies:
    """What an organization's name looks like (see ``agencies.json``'s note for each list)."""

    agencies: tuple[Agency, ...]
    openers: tuple[str, ...]
    collective_nouns: tuple[str, ...]
    fixed_coordinations: tuple[str, ...]
    collective_determiners: tuple[str, ...]
    tails: tuple[str, ...]
    name_words: tuple[str, ...]
    opener_exceptions: tuple[str, ...]
    connector_breakers: tuple[str, ...]
    source: str = ""

    FILE = "agencies.json"

    @classmethod
    def from_file(cls, path: str | Path | None = None) -> Agencies:
        """Load ``path`` (the packaged file when None). Unknown keys are an error naming the file."""
        source, data = _load(Path(path) if path is not None else None, cls.FILE)
        _check_keys(data, _AGENCY_TOP, {"agencies", "openers"}, source)
        entries = data.get("agencies")
        if not isinstance(entries, list):
            raise GazetteerError(f"{source}: 'agencies' must be a list")
        agencies: list[Agency] = []
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            where = f"{source}: agencies[{i}]"
            _check_keys(entry, _AGENCY_KEYS, {"name", "kind"}, where)
            name, kind = entry.get("name"), entry.get("kind")
            if not isinstance(name, str) or not name.strip() or not isinstance(kind, str) or not kind.strip():
                raise GazetteerError(f"{where}: 'name' and 'kind' must be non-empty strings")
            name = unicodedata.normalize("NFC", " ".join(name.split()))
            if name in seen:
                raise GazetteerError(f"{where}: agency {name!r} is listed twice")
            seen.add(name)
            note = entry.get("note", "")
            agencies.append(Agency(name, kind.strip(), _words(entry, "aliases", where), str(note)))
        lists = {k: _words(data, k, source) for k in _AGENCY_TOP - {"source", "note", "agencies"}}
        return cls(agencies=tuple(agencies), source=source, **lists)

    @classmethod
    @cache
    def default(cls) -> Agencies:
        """The packaged lists, loaded once."""
        return cls.from_file()

    def by_form(self) -> dict[str, Agency]:
        """Every written form (name or alias) → its agency."""
        return {form: a for a in self.agencies for form in a.forms}


_ROLE_TOP = {
    "note",
    "roles",
    "request_cues",
    "intro_openers",
    "link_phrases",
    "predicate_words",
    "relative_markers",
    "report_cues",
    "report_exclusions",
    "report_prepositions",
    "via_cues",
    "delegating_verbs",
    "closing_openers",
    "clause_continuations",
    "table_lead_headers",
    "table_task_headers",
}


@dataclass(frozen=True)
class UnitRoles:
    """The cue words of task assignment (see ``unit_roles.json``'s note for each list)."""

    lead_cues: tuple[str, ...]
    coordinate_cues: tuple[str, ...]
    request_cues: tuple[str, ...]
    intro_openers: tuple[str, ...]
    link_phrases: tuple[tuple[str, str], ...]
    predicate_words: tuple[str, ...]
    relative_markers: tuple[str, ...]
    report_cues: tuple[str, ...]
    report_exclusions: tuple[str, ...]
    report_prepositions: tuple[str, ...]
    via_cues: tuple[str, ...]
    delegating_verbs: tuple[str, ...]
    closing_openers: tuple[str, ...]
    clause_continuations: tuple[str, ...]
    table_lead_headers: tuple[str, ...]
    table_task_headers: tuple[str, ...]
    source: str = ""

    FILE = "unit_roles.json"

    @classmethod
    def from_file(cls, path: str | Path | None = None) -> UnitRoles:
        """Load ``path`` (the packaged file when None). Unknown keys are an error naming the file."""
        source, data = _load(Path(path) if path is not None else None, cls.FILE)
        _check_keys(data, _ROLE_TOP, {"roles", "predicate_words"}, source)
        roles = data.get("roles")
        _check_keys(roles, {"lead", "coordinate"}, {"lead", "coordinate"}, f"{source}: roles")
        links = data.get("link_phrases", {})
        if not isinstance(links, dict):
            raise GazetteerError(f"{source}: 'link_phrases' must be an object of phrase → role")
        for phrase, role in links.items():
            if role not in ROLES:
                raise GazetteerError(f"{source}: link_phrases[{phrase!r}] is {role!r}; expected one of {ROLES}")
        lists = {k: _words(data, k, source) for k in _ROLE_TOP - {"note", "roles", "link_phrases"}}
        return cls(
            lead_cues=_words(roles, "lead", f"{source}: roles"),
            coordinate_cues=_words(roles, "coordinate", f"{source}: roles"),
            link_phrases=_longest_first((unicodedata.normalize("NFC", p), r) for p, r in links.items()),
            source=source,
            **lists,
        )

    @classmethod
    @cache
    def default(cls) -> UnitRoles:
        """The packaged lists, loaded once."""
        return cls.from_file()


def _longest_first(pairs: Any) -> tuple[tuple[str, str], ...]:
    items: Sequence[tuple[str, str]] = list(pairs)
    return tuple(sorted(items, key=lambda kv: -len(kv[0])))
