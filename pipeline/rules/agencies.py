"""Agency names and the cue words of task assignment, loaded from ``agencies.json`` and ``unit_roles.json``.

The units extractor has to tell where an organization's name ends in running text ("Sở Văn hóa, Thể thao và
Du lịch" is one name, "Báo Đắk Lắk, Đài Phát thanh ..." is a list) and what the words around it mean ("chủ
trì" makes it the lead). Those are facts about Vietnamese and about the genre, so they are data: a user in
another province adds a department or a cue word to the JSON files, not code. Like the gazetteers, each loader
accepts a closed set of keys (:mod:`pipeline.rules.loading`) and names the file and the key when it meets
another one, because a misspelt key in a hand-edited file would otherwise be ignored without a word.

Every name and cue word is read with its inner white space collapsed: the extractor compares them word by
word with running text, where a doubled space in the file would make a name that never matches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.rules import loading

__all__ = ["Agencies", "Agency", "UnitRoles"]

ROLES = ("lead", "coordinate", "implement")


def _words(obj: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    """A list of names or cue words: non-empty, NFC, inner spaces collapsed, without repeats (order kept)."""
    return loading.texts(obj, key, where, collapse_spaces=True)


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
class Agencies(loading.RuleFile):
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
    def from_data(cls, data: Any, source: str) -> Agencies:
        """The lists of a parsed file; ``source`` names it in errors."""
        loading.check_keys(loading.top_level(data, source), _AGENCY_TOP, {"agencies", "openers"}, source)
        agencies: list[Agency] = []
        seen: set[str] = set()
        for where, entry in loading.entries(data, "agencies", source):
            loading.check_keys(entry, _AGENCY_KEYS, {"name", "kind"}, where)
            name = loading.text(entry, "name", where, collapse_spaces=True)
            if name in seen:
                raise loading.RulesError(f"{where}: agency {name!r} is listed twice")
            seen.add(name)
            kind = loading.text(entry, "kind", where)
            agencies.append(Agency(name, kind, _words(entry, "aliases", where), str(entry.get("note", ""))))
        lists = {k: _words(data, k, source) for k in _AGENCY_TOP - {"source", "note", "agencies"}}
        return cls(agencies=tuple(agencies), source=source, **lists)

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
class UnitRoles(loading.RuleFile):
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
    def from_data(cls, data: Any, source: str) -> UnitRoles:
        """The lists of a parsed file; ``source`` names it in errors."""
        loading.check_keys(loading.top_level(data, source), _ROLE_TOP, {"roles", "predicate_words"}, source)
        roles = data["roles"]
        loading.check_keys(roles, {"lead", "coordinate"}, {"lead", "coordinate"}, f"{source}: roles")
        links = loading.mapping(data, "link_phrases", source)
        for phrase in links:
            loading.choice(links, phrase, ROLES, f"{source}: link_phrases")
        lists = {k: _words(data, k, source) for k in _ROLE_TOP - {"note", "roles", "link_phrases"}}
        return cls(
            lead_cues=_words(roles, "lead", f"{source}: roles"),
            coordinate_cues=_words(roles, "coordinate", f"{source}: roles"),
            link_phrases=_longest_first((unicodedata.normalize("NFC", p), r) for p, r in links.items()),
            source=source,
            **lists,
        )


def _longest_first(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Longest phrase first, so that "phối hợp chặt chẽ với" is tried before "phối hợp"."""
    return tuple(sorted(pairs, key=lambda kv: -len(kv[0])))
