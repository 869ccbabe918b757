"""Gazetteers: provinces, abbreviations, document types and heading categories, loaded from ``data/*.json``.

The lists are data so that a user can correct or extend them without touching code: every loader has
``from_file(path)`` (``extend_default=True`` adds the file to the packaged list instead of replacing it),
``from_files(*paths)`` and a cached ``default()``. Like medspaCy's rule classes, a loader accepts a closed
set of keys and rejects any other with an error naming the file and the entry, because a misspelt key in
a hand-edited JSON file would otherwise be ignored without a word.

Matching is built for the text the pipeline sees: upper-case headers ("ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG"),
both tone placements ("Hòa"/"Hoà", "Ủy"/"Uỷ"), decomposed or legacy-converted characters (Ð for Đ), and
ASCII copies. Text is folded into a comparison form with a map back to the original offsets, and each
gazetteer compiles one regular expression over all its names (longest first) instead of looping per name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pipeline.rules import loading

__all__ = [
    "Abbreviation",
    "AbbreviationMatch",
    "Abbreviations",
    "DocumentType",
    "DocumentTypes",
    "GazetteerError",
    "HeadingCategories",
    "Province",
    "ProvinceMatch",
    "Provinces",
    "class_in_listed_blocks",
    "fold",
]


#: The error of every rules file (:class:`pipeline.rules.loading.RulesError`), under the name it had when
#: the gazetteers had their own loader, so that ``except GazetteerError`` keeps working.
GazetteerError = loading.RulesError


# --------------------------------------------------------------------------------------------------------
# Folding: one comparison form for every way the same words reach us, with offsets back to the original.

_TONED_SECOND = {
    "a": "àáảãạ",
    "e": "èéẻẽẹ",
    "y": "ỳýỷỹỵ",
}
_TONED_FIRST = {"o": "òóỏõọ", "u": "ùúủũụ"}
_PAIRS = {"o": "ae", "u": "y"}


def _tone_table() -> dict[str, str]:
    """New-style → traditional placement for open syllables: "oà" → "òa", "oé" → "óe", "uỷ" → "ủy"."""
    table = {}
    for first, seconds in _PAIRS.items():
        for second in seconds:
            for k, toned in enumerate(_TONED_SECOND[second]):
                table[first + toned] = _TONED_FIRST[first][k] + second
    return table


_TONE_MOVES = _tone_table()


def _tone_pattern(moves: dict[str, str]) -> re.Pattern[str]:
    """The new-style pairs of ``moves``, only at the end of a syllable: with a final consonant ("hoàn",
    "thuyết") both styles agree. After "q" the "u" belongs to the consonant ("quý"), so the tone stays on
    the vowel.

    Written as one branch per first letter ("o[àá...]|u[ỳý...]") with the "q" test as a lookbehind after the
    pair, not before it: a pattern that opens with literals lets ``re`` skip ahead to the next "o" or "u",
    where one that opens with a lookbehind tries every position (three times slower on a whole plan). The
    matches are the same: ``(?<!q..)`` after the two letters looks at the character before them.
    """
    seconds: dict[str, list[str]] = {}
    for pair in sorted(moves):
        seconds.setdefault(pair[0], []).append(pair[1])
    branches = "|".join(f"{re.escape(first)}[{''.join(rest)}]" for first, rest in seconds.items())
    return re.compile(rf"(?:{branches})(?<!q..)(?!\w)")


_TONE_RE = _tone_pattern(_TONE_MOVES)
_COMBINING = "\u0300-\u036f"
_COMBINING_RE = re.compile(f"[{_COMBINING}]")
# The patterns of the helpers below, compiled once (``re.sub(pattern, ...)`` looks each up at every call).
_GAPS = re.compile(r"\s*[-–—]\s*|\s+")
_DOT_GAPS = re.compile(r"\.\s*")
_SPACES = re.compile(r"\s+")
_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_CODE_JOINS = re.compile(r"[-/]")


def _fold_work_pattern(moves: dict[str, str]) -> re.Pattern[str]:
    """Where a lower-cased text needs more than a per-character fold: a combining mark (:data:`_COMBINING_RE`)
    or a new-style tone (:data:`_TONE_RE`), found in one scan instead of two.

    It opens with one class of every character either can start with, which lets ``re`` skip to the next
    "o", "u" or combining mark; a lookbehind then tells which it is. It matches wherever one of the two
    matches: a mark, or the same pair with the same tests after it as in :func:`_tone_pattern`.
    """
    seconds: dict[str, list[str]] = {}
    for pair in sorted(moves):
        seconds.setdefault(pair[0], []).append(pair[1])
    firsts = "".join(re.escape(first) for first in seconds)
    tones = "|".join(f"(?<={re.escape(first)})[{''.join(rest)}](?<!q..)(?!\\w)" for first, rest in seconds.items())
    return re.compile(f"[{firsts}{_COMBINING}](?:(?<=[{_COMBINING}])|{tones})")


_FOLD_WORK_RE = _fold_work_pattern(_TONE_MOVES)


class _StripTable(dict):
    """``str.translate`` table that drops diacritics one character at a time (so lengths are kept)."""

    def __missing__(self, key: int) -> int | str:
        ch = chr(key)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        base = base.replace("đ", "d").replace("Đ", "D").replace("ð", "d").replace("Ð", "D")
        value: int | str = base if len(base) == 1 else key
        self[key] = value
        return value


_STRIP = _StripTable()


def _read_eth(text: str) -> str:
    """``text`` with the Icelandic eth that legacy font conversions write for Đ read as Đ.

    ``str.replace`` and not ``str.translate``: a translate table misses on nearly every character of a
    Vietnamese text and CPython pays a raised-and-caught KeyError for each miss (1.7 ms on a 16 KB plan,
    against microseconds here).
    """
    return text.replace("ð", "đ").replace("Ð", "Đ")


class _Folded(NamedTuple):
    """Folded text with, for folded character ``i``, the original range ``[starts[i], ends[i])``; ``None``
    maps mean the folding kept every offset."""

    text: str
    starts: list[int] | None
    ends: list[int] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        if start >= end:
            at = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return at, at
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=8192)
def _fold_cluster(cluster: str, strip: bool) -> str:
    c = _read_eth(unicodedata.normalize("NFC", cluster).lower())
    return c.translate(_STRIP) if strip else c


#: Texts at least this long are whole plans or sections, folded by several extractors in turn: their folds
#: are kept (:func:`_fold_long`). Shorter ones are cheap to fold and too many to keep.
_LONG_TEXT = 1024


#: Texts at most this long are words, names and short lines, folded again and again (a rule's phrase for
#: every citation, the same heading by every extractor): their folds are kept too (:func:`_fold_short`).
_SHORT_TEXT = 200


def _fold_map(text: str, strip: bool) -> _Folded:
    if len(text) >= _LONG_TEXT:
        return _fold_long(text, strip)
    if len(text) <= _SHORT_TEXT:
        return _fold_short(text, strip)
    return _fold_text(text, strip)


@lru_cache(maxsize=8192)
def _fold_short(text: str, strip: bool) -> _Folded:
    """:func:`_fold_text` of a short text, kept: a plan folds some 400 short texts, most of them more than
    once (the same rule phrases for each citation, the same lines for each extractor), and a lookup costs
    a tenth of a fold. Keyed on the text, so it cannot go stale; at most 8192 texts of 200 characters."""
    return _fold_text(text, strip)


@lru_cache(maxsize=8)
def _fold_long(text: str, strip: bool) -> _Folded:
    """:func:`_fold_text` of a long text, kept: the metadata, citation, phase, unit and mention extractors
    each fold the whole plan, and folding it once instead of six times saves a tenth of a plan's time. The
    key is the text itself, so the cache cannot go stale; callers only read the result."""
    return _fold_text(text, strip)


def _fold_text(text: str, strip: bool) -> _Folded:
    lowered = text.lower()
    if not strip and len(lowered) == len(text):
        # The usual case, found in one scan: no combining mark (where lower-casing keeps the length, it
        # keeps every mark and makes none) and no tone to move, so the fold is the lower-cased text.
        out = _read_eth(lowered)
        if not _FOLD_WORK_RE.search(out):
            return _Folded(out, None, None)
    if len(lowered) == len(text) and not _COMBINING_RE.search(text):
        # Fast path, the usual case: NFC text, so folding is per character and offsets do not move.
        out = lowered.translate(_STRIP) if strip else _read_eth(lowered)
        if len(out) == len(text):
            return _Folded(out if strip else _TONE_RE.sub(_move_tone, out), None, None)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        for ch in _fold_cluster(text[i:j], strip):
            chars.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    out = "".join(chars)
    return _Folded(out if strip else _TONE_RE.sub(_move_tone, out), starts, ends)


def _move_tone(m: re.Match[str]) -> str:
    return _TONE_MOVES[m.group(0)]


def fold(text: str, *, strip_diacritics: bool = False) -> str:
    """The comparison form of ``text``: NFC, lower case, Ð read as Đ, traditional tone placement; with
    ``strip_diacritics`` also without any diacritic (đ → d)."""
    if len(text) <= _SHORT_TEXT:  # a word or a name, as a rule: straight to the kept folds
        return _fold_short(text, strip_diacritics).text
    return _fold_map(text, strip_diacritics).text


def _has_diacritics(text: str) -> bool:
    return fold(text) != fold(text, strip_diacritics=True)


def _squash(folded: str) -> str:
    """One key for a folded name however it is spaced: "bà rịa - vũng tàu" and "bà rịa vũng tàu" are
    "bà rịa vũng tàu", "tp. hcm" is "tp.hcm". :func:`_flex` matches exactly the spellings that squash to
    the same key."""
    return _GAPS.sub(" ", _DOT_GAPS.sub(".", folded)).strip()


def _flex(key: str) -> str:
    """Regex for a squashed name that tolerates the spacing of real documents: any run of spaces, or a
    hyphen or dash with or without spaces, where the name has a space, and a space or none after a dot."""
    parts: list[str] = []
    for tok in re.findall(r" |\.|[^ .]+", key):
        if tok == " ":
            parts.append(r"(?:\s*[-–—]\s*|\s+)")
        elif tok == ".":
            parts.append(r"\.\s*")
        else:
            parts.append(re.escape(tok))
    return "".join(parts)


def _alternation(keys: Iterable[str]) -> str:
    """Longest first, so that at any position the longest name wins ("Thừa Thiên Huế" over "Huế")."""
    return "|".join(_flex(k) for k in sorted(set(keys), key=lambda k: (-len(k), k)))


def _grouped_alternation(keys: Iterable[str]) -> str:
    """:func:`_alternation` with its branches grouped under their first letter ("h(?:ồ chí minh|uế)|..."):
    the same first match at every position, since branches with different first letters never match at
    the same one and each group keeps its order, but ``re`` tests one letter per group instead of trying
    every name in turn, which made scanning a whole plan for provinces the metadata's largest cost."""
    branches = [_flex(k) for k in sorted(set(keys), key=lambda k: (-len(k), k))]
    groups: dict[str, list[str]] = {}
    for branch in branches:
        if not branch[:1].isalnum():
            return "|".join(branches)
        groups.setdefault(branch[0], []).append(branch[1:])
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


_SPACE_UNIT = r"(?:\s*[-–—]\s*|\s+)"
_DOT_UNIT = r"\.\s*"


def _units(key: str) -> list[str]:
    """:func:`_flex` of ``key`` one character at a time: ``"".join(_units(k)) == _flex(k)``."""
    return [_SPACE_UNIT if c == " " else _DOT_UNIT if c == "." else re.escape(c) for c in key]


def _one_char(unit: str) -> bool:
    """Whether a unit of :func:`_units` matches exactly one given character (a letter, an escaped sign)."""
    return len(unit) == 1 or (len(unit) == 2 and unit[0] == "\\" and not unit[1].isalnum())


def _trie(seqs: Sequence[Sequence[str]]) -> str:
    """An alternation of the unit sequences ``seqs`` (tried in the order given) with common beginnings
    shared: "hà(?: nội| giang)|..." instead of "hà nội|hà giang|...", so that a text position is turned
    away after one test per character, not one per name.

    It matches what ``"|".join("".join(s) for s in seqs)`` matches, in the same order of preference: only
    sequences that open with one given character are gathered out of their order, and two of those that
    open with different characters never match at the same position; any other sequence (one that opens
    with a space, or ends here) stays in its place, with only its neighbours of the same opening merged.
    """
    parts: list[str] = []
    run: dict[str, list[Sequence[str]]] = {}  # sequences opening with one character, since the last barrier

    def flush() -> None:
        for first, rests in run.items():
            parts.append(first + _group(rests))
        run.clear()

    k = 0
    while k < len(seqs):
        seq = seqs[k]
        if seq and _one_char(seq[0]):
            run.setdefault(seq[0], []).append(seq[1:])
            k += 1
            continue
        flush()
        j = k + 1  # a barrier, merged with the next ones that open the same way
        while seq and j < len(seqs) and seqs[j][:1] == seq[:1]:
            j += 1
        parts.append(seq[0] + _group([s[1:] for s in seqs[k:j]]) if seq else "")
        k = j
    flush()
    return "|".join(parts)


def _group(rests: Sequence[Sequence[str]]) -> str:
    """The rests of the sequences under one opening, as a group when there is more than one."""
    if len(rests) == 1:
        return "".join(rests[0])
    return f"(?:{_trie(rests)})"


def _word_pattern_readable(keys: Iterable[str]) -> str:
    """Any of ``keys`` (folded, squashed) as whole words, longest first: the plain form of
    :func:`_word_pattern`."""
    return rf"(?<!\w)(?:{_alternation(keys)})(?!\w)"


def _word_pattern(keys: Iterable[str]) -> str:
    r""":func:`_word_pattern_readable` as a :func:`_trie` whose branches open with their first character and
    test the one before it after it ("h(?<!\wh)(?:ình thức|...)|..."): ``re`` skips to the characters that
    can open a key and tries one branch there, instead of running the lookbehind at every position and
    then every key in turn. The matches are the same (see :func:`_trie`; the lookbehind over the first
    character tests what ``(?<!\w)`` tests before it). Keys that do not all open with a letter or digit
    keep the plain form."""
    seqs = [_units(k) for k in sorted(set(keys), key=lambda k: (-len(k), k))]
    if not seqs or not all(seq[0].isalnum() for seq in seqs):
        return _word_pattern_readable(keys)
    groups: dict[str, list[list[str]]] = {}
    for seq in seqs:
        groups.setdefault(seq[0], []).append(seq[1:])
    branches = "|".join(f"{first}(?<!\\w{first}){_group(rests)}" for first, rests in groups.items())
    return rf"(?:{branches})(?!\w)"


_G = TypeVar("_G", bound="_Gazetteer")
_E = TypeVar("_E")
Source = str | Path


class _Gazetteer(loading.RuleFile):
    """The loading protocol of :class:`~pipeline.rules.loading.RuleFile`, with more than one file: each
    subclass builds itself from parsed files, later files adding to or overriding earlier ones."""

    @classmethod
    def _build(cls: type[_G], docs: list[tuple[str, dict[str, Any]]]) -> _G:
        raise NotImplementedError

    @classmethod
    def from_data(cls: type[_G], data: Any, source: str) -> _G:
        return cls._build([(source, loading.top_level(data, source))])

    @classmethod
    def from_file(cls: type[_G], path: Source | None = None, *, extend_default: bool = False) -> _G:
        """Load ``path`` (the packaged list when None); with ``extend_default`` the packaged list comes
        first and ``path`` adds to it."""
        if path is None or not extend_default:
            return super().from_file(path)
        return cls._build([loading.read_packaged(cls.FILE), loading.read_json(path)])

    @classmethod
    def from_files(cls: type[_G], *paths: Source) -> _G:
        """Load several files in order; an entry of a later file with the same key replaces an earlier one."""
        return cls._build([loading.read_json(p) for p in paths])


def _add_entries(
    merged: dict[str, _E],
    data: dict[str, Any],
    key: str,
    source: str,
    parse: Callable[[Any, str], _E],
    name: Callable[[_E], str],
    what: str,
    *,
    move_to_end: bool = False,
) -> None:
    """Add the entries listed under ``key`` in one file to ``merged``, by name.

    An entry of a later file replaces an earlier one of the same name (in its place, or at the end with
    ``move_to_end``), which is how a user's file corrects the packaged list; the same name twice in one
    file is an error, since one of the two would be dropped without a word.
    """
    seen: set[str] = set()
    for where, entry in loading.entries(data, key, source):
        item = parse(entry, where)
        if name(item) in seen:
            raise loading.RulesError(f"{where}: {what} {name(item)!r} is listed twice in this file")
        seen.add(name(item))
        if move_to_end:
            merged.pop(name(item), None)
        merged[name(item)] = item


# --------------------------------------------------------------------------------------------------------
# Provinces


@dataclass(frozen=True)
class Province:
    """A province-level unit under one name.

    ``status``: ``current`` (one of the 34 units since 01/07/2025), ``merged`` (absorbed into
    ``merged_into`` on that date) or ``renamed`` (Thừa Thiên Huế, thành phố Huế from 2025).
    ``since``: when the unit took its present form; ``until``: its last day under this name.
    """

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    status: str = "current"
    merged_into: str | None = None
    since: date | None = None
    until: date | None = None
    needs_designator: tuple[str, ...] = ()
    note: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        """Every written form that names this unit."""
        return (self.name, *self.aliases, *self.abbreviations)


class ProvinceMatch(NamedTuple):
    """A province named in a text: its canonical name and the ``[start, end)`` of the name as written."""

    name: str
    start: int
    end: int


_PROVINCE_TOP = {"provinces", "source", "note", "designators", "stop_phrases"}
_PROVINCE_KEYS = {
    "name",
    "kind",
    "aliases",
    "abbreviations",
    "status",
    "merged_into",
    "since",
    "until",
    "needs_designator",
    "note",
}
_KINDS = ("tỉnh", "thành phố")
_STATUSES = ("current", "merged", "renamed")


class Provinces(_Gazetteer):
    """Vietnamese province-level units, the 63 before the 2025 merger and the 34 after it.

    ``find`` locates them in running text; ``canonical`` and ``current_name`` resolve a written name.
    A name that is also a common word or another name ("Hồ Chí Minh" the person, "hòa bình" peace) is
    listed under ``needs_designator`` and only counts after tỉnh / thành phố / TP., so "tư tưởng Hồ Chí
    Minh" names no city.
    """

    FILE = "provinces.json"

    def __init__(
        self,
        provinces: Iterable[Province],
        designators: Iterable[str] = (),
        stop_phrases: Iterable[str] = (),
        source: str = "<provinces>",
    ) -> None:
        self._by_name: dict[str, Province] = {p.name: p for p in provinces}
        self.designators = tuple(designators)
        self.stop_phrases = tuple(stop_phrases)
        self.source = source
        self._validate_links()
        self._lookup: dict[bool, dict[str, tuple[str, bool]]] = {
            strip: self._forms_table(strip) for strip in (False, True)
        }
        self._patterns: dict[bool, re.Pattern[str]] = {}
        self._scanners: dict[bool, _Scanner] = {}

    @classmethod
    def _build(cls, docs: list[tuple[str, dict[str, Any]]]) -> Provinces:
        merged: dict[str, Province] = {}
        designators: list[str] = []
        stops: list[str] = []
        for source, data in docs:
            loading.check_keys(data, _PROVINCE_TOP, {"provinces"}, source)
            designators += loading.texts(data, "designators", source)
            stops += loading.texts(data, "stop_phrases", source)
            _add_entries(merged, data, "provinces", source, _province, lambda p: p.name, "province")
        source = docs[-1][0] if docs else ""
        return cls(merged.values(), dict.fromkeys(designators), dict.fromkeys(stops), source)

    def _validate_links(self) -> None:
        for p in self._by_name.values():
            where = f"{self.source}: province {p.name!r}"
            if p.status == "current":
                if p.merged_into is not None:
                    raise loading.RulesError(f"{where}: a current province has no merged_into")
            else:
                if p.merged_into not in self._by_name:
                    raise loading.RulesError(f"{where}: merged_into {p.merged_into!r} is not a listed province")
                if p.until is None:
                    raise loading.RulesError(f"{where}: a {p.status} province needs 'until'")
            forms = {_squash(fold(f)) for f in p.forms}
            for f in p.needs_designator:
                if _squash(fold(f)) not in forms:
                    raise loading.RulesError(f"{where}: needs_designator {f!r} is none of its names")
        for p in self._by_name.values():  # merged_into chains end at a current unit
            seen, q = set(), p
            while q.status != "current":
                if q.name in seen:
                    raise loading.RulesError(f"{self.source}: merged_into loops through {q.name!r}")
                seen.add(q.name)
                q = self._by_name[q.merged_into or ""]

    def _forms_table(self, strip: bool) -> dict[str, tuple[str, bool]]:
        """folded form → (canonical name, needs a designator); a form of two provinces is an error."""
        table: dict[str, tuple[str, bool]] = {}
        for p in self._by_name.values():
            needs = {_squash(fold(f, strip_diacritics=strip)) for f in p.needs_designator}
            for form in p.forms:
                key = _squash(fold(form, strip_diacritics=strip))
                other = table.get(key)
                if other is not None and other[0] != p.name:
                    mode = " without diacritics" if strip else ""
                    message = f"{self.source}: {form!r} names both {other[0]!r} and {p.name!r}{mode}"
                    raise loading.RulesError(message)
                table[key] = (p.name, key in needs or (other is not None and other[1]))
        return table

    def _designator_keys(self, strip: bool) -> list[str]:
        """The folded designators, longest first (those of one length match at different places)."""
        return sorted({_squash(fold(d, strip_diacritics=strip)) for d in self.designators}, key=len, reverse=True)

    def _parts(self, strip: bool) -> tuple[list[str], list[str]]:
        """The regexes of the designators (each with the space after it), longest first, and the folded
        names and stop phrases that :meth:`_pattern` looks for after them."""
        stops = [_squash(fold(s, strip_diacritics=strip)) for s in self.stop_phrases]
        # A designator is followed by a space, or by nothing after a dot ("TP.HCM").
        des_alts = [_flex(d) + (r"\s*" if d.endswith(".") else r"\s+") for d in self._designator_keys(strip)]
        table = self._lookup[strip]
        names = [*table, *stops]
        if des_alts:
            # "TP. Hồ Chí Minh" is found as designator + "Hồ Chí Minh", so that a span never holds the
            # designator, however the name is introduced ("Thành ủy TP. Hồ Chí Minh").
            lead = re.compile(f"(?:{'|'.join(des_alts)})")
            names = [k for k in names if not ((m := lead.match(k)) and k[m.end() :] in table)]
        return des_alts, names

    def _pattern(self, strip: bool) -> re.Pattern[str]:
        """The readable pattern: an optional designator (group ``des``), a name (group ``name``)."""
        pattern = self._patterns.get(strip)
        if pattern is None:
            des_alts, names = self._parts(strip)
            des_part = f"(?:(?P<des>{'|'.join(des_alts)}))?" if des_alts else ""
            pattern = re.compile(rf"(?<!\w){des_part}(?P<name>{_grouped_alternation(names)})(?!\w)")
            self._patterns[strip] = pattern
        return pattern

    def _scanner(self, strip: bool) -> _Scanner:
        """:meth:`_pattern` in the form that scans a whole plan fast, with the names of its groups that
        mark where the name starts after a designator (none when the readable pattern is used).

        The readable pattern opens with a lookbehind and an optional group, so ``re`` runs both at every
        position of the text. Here the branches are grouped under their first character, designators
        first, and each group opens with that character and tests the one before it after it
        ("t(?<!\\wt)(?:hành phố\\s+(?P<n0>)(?:NAMES)|ây ninh|...)"): ``re`` skips to the characters that
        can open a name, and tries one group there. The matches are the same: branches with different first
        characters never match at the same position; within a group the designators come first and each
        list keeps its order, as the optional group tries them; and the lookbehind over the first character
        tests what ``(?<!\\w)`` tests before it. An empty group after the designator marks where the name
        starts.

        The scanner proper opens with the non-word character before the name, consumed (``\\W(?:...)``):
        ``re`` then skips at C speed to the blanks and punctuation of the text, a quarter of its characters,
        instead of trying a group at nearly every letter (names open with most letters of the alphabet).
        Its matches start one character early; a name at the very start of the text, with no character
        before it, is looked for with the second pattern, the same groups anchored there. A match never
        takes the character before the next name (the ``(?!\\w)`` at its end leaves a non-word character
        there, and no name opens with one), so the two forms find the same names.

        The first pattern returned opens with :func:`_before_name_class` instead of ``\\W``: ``re`` tests a
        category such as ``\\W`` character by character through the Unicode database, a bitmap class in a
        step, which halves the cost of the skipping. That class also lets through the word characters of
        scripts other than Latin; :meth:`_scan` goes on with the ``\\W`` form (the second pattern) from
        the first match that opens with one.
        """
        scanner = self._scanners.get(strip)
        if scanner is None:
            _des_alts, names = self._parts(strip)
            des_seqs = [[*_units(d), r"\s*" if d.endswith(".") else r"\s+"] for d in self._designator_keys(strip)]
            name_seqs = [_units(k) for k in sorted(set(names), key=lambda k: (-len(k), k))]
            if not all(seq and seq[0].isalnum() for seq in [*des_seqs, *name_seqs]):
                scanner = (self._pattern(strip), None, None, ())
            else:
                after_des = _grouped_alternation(names)
                groups: dict[str, tuple[list[list[str]], list[list[str]]]] = {}
                for seq in des_seqs:
                    groups.setdefault(seq[0], ([], []))[0].append(seq[1:])
                for seq in name_seqs:
                    groups.setdefault(seq[0], ([], []))[1].append(seq[1:])
                branches, marks = [], []
                for first, (des_rests, name_rests) in groups.items():
                    inner = []
                    if des_rests:
                        marks.append(f"n{len(marks)}")
                        inner.append(f"(?:{_trie(des_rests)})(?P<{marks[-1]}>)(?:{after_des})")
                    if name_rests:
                        inner.append(_trie(name_rests))
                    branches.append(f"{first}(?:{'|'.join(inner)})")
                body = f"(?:{'|'.join(branches)})(?!\\w)"
                scanner = (
                    re.compile(f"{_before_name_class()}{body}"),
                    re.compile(f"\\W{body}"),
                    re.compile(body),
                    tuple(marks),
                )
            self._scanners[strip] = scanner
        return scanner

    def _scan(self, folded: str, strip: bool) -> Iterator[tuple[int, int, bool]]:
        """What :meth:`_pattern` finds in ``folded``, in order: (start of the name, its end, whether a
        designator stands before it)."""
        fast, exact, head, marks = self._scanner(strip)
        if exact is None or head is None:  # the readable pattern
            for m in fast.finditer(folded):
                yield m.start("name"), m.end("name"), m.group("des") is not None
            return
        pos = 0
        m = head.match(folded)  # a name that opens the text: no character stands before it
        if m:
            pos = m.end()
            mark = next((k for k in marks if m.group(k) is not None), None)
            yield (m.start(mark), pos, True) if mark else (0, pos, False)
        matches = fast.finditer(folded, pos)
        for m in matches:
            if _WORD_AT(folded, m.start()):
                # A word character of another script before the name, which ``\W`` does not take: the matches
                # so far are the exact form's (no other stood before this one), and it goes on from here.
                matches = exact.finditer(folded, m.start())
                break
            mark = next((k for k in marks if m.group(k) is not None), None)
            # the match opens with the character before the name
            yield (m.start(mark), m.end(), True) if mark else (m.start() + 1, m.end(), False)
        for m in matches:  # the ``\W`` form's, when the loop above broke off (exhausted otherwise)
            mark = next((k for k in marks if m.group(k) is not None), None)
            yield (m.start(mark), m.end(), True) if mark else (m.start() + 1, m.end(), False)

    # -- queries ---------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Province]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.canonical(name) is not None

    def names(self) -> tuple[str, ...]:
        """Canonical names of every listed unit, current or not."""
        return tuple(self._by_name)

    def current(self) -> tuple[Province, ...]:
        """The units that exist now (34 since 01/07/2025)."""
        return tuple(p for p in self if p.status == "current")

    def as_of(self, day: date | str) -> tuple[Province, ...]:
        """The units that existed on ``day`` under their names.

        A unit formed by the 2025 merger keeps a name that was in use before (Lâm Đồng), so before its
        ``since`` the name still stands for the old unit; a unit with a new name (Huế) does not exist
        before its ``since``.
        """
        day = date.fromisoformat(day) if isinstance(day, str) else day
        absorbers = {p.merged_into for p in self if p.status == "merged"}
        out = []
        for p in self:
            if p.until is not None and day > p.until:
                continue
            if p.since is not None and day < p.since and p.name not in absorbers:
                continue
            out.append(p)
        return tuple(out)

    def get(self, name: str) -> Province | None:
        """The unit a written name stands for (any alias, any spelling the loader folds), or ``None``."""
        canonical = self.canonical(name)
        return self._by_name[canonical] if canonical else None

    def canonical(self, name: str) -> str | None:
        """The canonical name for a written one ("tỉnh Đắc Lắc" → "Đắk Lắk", "TP.HCM" → "Hồ Chí Minh"),
        trying diacritic-insensitive matching last; ``None`` if it names no listed unit."""
        for strip in (False, True):
            key = fold(name.strip(" ,;:\t\n"), strip_diacritics=strip)
            hit = self._lookup[strip].get(_squash(key))
            if hit is None:  # with a designator before the name: "tỉnh Đắk Nông"
                m = self._pattern(strip).fullmatch(key.strip())
                hit = self._lookup[strip].get(_squash(m.group("name"))) if m else None
            if hit is not None:
                return hit[0]
        return None

    def current_name(self, name: str) -> str | None:
        """The unit that a name stands for today: "Đắk Nông" → "Lâm Đồng", "Thừa Thiên Huế" → "Huế",
        "Lâm Đồng" → "Lâm Đồng"; ``None`` for an unknown name."""
        p = self.get(name)
        while p is not None and p.status != "current":
            p = self._by_name.get(p.merged_into or "")
        return p.name if p else None

    def absorbed_by(self, name: str) -> tuple[str, ...]:
        """The units merged into ``name`` in 2025 ("Lâm Đồng" → ("Đắk Nông", "Bình Thuận"))."""
        canonical = self.canonical(name)
        return tuple(p.name for p in self if p.status == "merged" and p.merged_into == canonical)

    def level_of(self, name: str) -> str:
        """ "tỉnh" or "thành phố", as it is written before the name."""
        p = self.get(name)
        if p is None:
            raise KeyError(name)
        return p.kind

    def find(self, text: str, *, ignore_diacritics: bool = False, strict_case: bool = True) -> list[ProvinceMatch]:
        """Provinces named in ``text``, in order, each as (canonical name, start, end) of the name.

        The longest name wins at each position. ``ignore_diacritics`` also finds ASCII or wrongly
        accented spellings. With ``strict_case`` each word of the name must begin with a capital (or be
        all capitals), which keeps "hòa bình" (peace) out. A designator before the name (tỉnh, thành phố,
        TP.) is not part of the span.
        """
        return list(self.finditer(text, ignore_diacritics=ignore_diacritics, strict_case=strict_case))

    def finditer(
        self, text: str, *, ignore_diacritics: bool = False, strict_case: bool = True
    ) -> Iterator[ProvinceMatch]:
        """:meth:`find`, one match at a time: a caller that wants only the first mention of a province
        stops the scan there, where a whole plan costs most of a millisecond to scan to its end."""
        folded = _fold_map(text, ignore_diacritics)
        table = self._lookup[ignore_diacritics]
        for name_start, name_end, designated in self._scan(folded.text, ignore_diacritics):
            hit = table.get(_squash(folded.text[name_start:name_end]))
            if hit is None:  # a stop phrase ("Điện Biên Phủ")
                continue
            start, end = folded.span(name_start, name_end)
            written = unicodedata.normalize("NFC", text[start:end])
            if strict_case and not all(w[0].isupper() for w in _LETTER_RUNS.findall(written)):
                continue
            # a name that needs a designator counts without one only when it stands alone ("Huế"); asked
            # only then, since on a whole plan the test copies the text around the name
            if hit[1] and not designated and not _alone(text, start, end):
                continue
            yield ProvinceMatch(hit[0], start, end)


#: What :meth:`Provinces._scanner` returns: the fast pattern, the same with ``\\W`` first, the same anchored
#: at the start of a text, and the names of the groups that mark a name after a designator (the readable
#: pattern alone, and ``None`` twice, where no scanner can be built).
_Scanner = tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None, tuple[str, ...]]

#: The Unicode blocks that :func:`class_in_listed_blocks` tests character by character: Latin, with its
#: extensions and the Vietnamese letters. A plan's other characters are rare, and testing all of Unicode
#: would cost a pass over every code point.
_LISTED_BLOCKS = ((0x0000, 0x024F), (0x1E00, 0x1EFF))

_WORD_AT = re.compile(r"\w").match


def class_in_listed_blocks(takes: Callable[[str], object]) -> str:
    """A character class for the first character of a fast pattern: the characters of
    :data:`_LISTED_BLOCKS` that ``takes`` accepts, and every character outside those blocks.

    ``re`` tests a category (``\\d``, ``\\W``) through the Unicode database at every character it skips,
    a class of ranges in one step of a bitmap: a pattern that opens with this class, then asserts the
    category on what it took (or checks it after the match), skips through a plan's text in half the time.
    ``takes`` is the category itself (``re.compile(r"\\d").match``), so class and category cannot disagree
    within the blocks.
    """
    ranges: list[tuple[int, int]] = []
    codes = [c for low, high in _LISTED_BLOCKS for c in range(low, high + 1) if takes(chr(c))]
    # the code points between two blocks, and after the last one
    gaps = [(a[1] + 1, b[0] - 1) for a, b in pairwise(_LISTED_BLOCKS)]
    for low, high in [*((c, c) for c in codes), *gaps, (_LISTED_BLOCKS[-1][1] + 1, 0x10FFFF)]:
        if ranges and ranges[-1][1] == low - 1:
            ranges[-1] = (ranges[-1][0], high)
        else:
            ranges.append((low, high))
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]"


def _before_name_class() -> str:
    """The first class of :meth:`Provinces._scanner`'s fast pattern: every character that ``\\W`` takes,
    and the word characters of other scripts than Latin (which :meth:`Provinces._scan` checks)."""
    return class_in_listed_blocks(lambda c: not _WORD_AT(c))


def _alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is all of ``text`` but for blanks and closing punctuation."""
    return not text[:start].strip() and not text[end:].strip(" .,;:")


def _province(entry: Any, where: str) -> Province:
    where = loading.named(where, entry, "name")
    loading.check_keys(entry, _PROVINCE_KEYS, {"name", "kind", "status"}, where)
    name = loading.text(entry, "name", where)
    status = loading.choice(entry, "status", _STATUSES, where)
    merged_into = loading.text(entry, "merged_into", where, optional=True)
    if status != "current" and merged_into is None:
        raise loading.RulesError(f"{where}: a {status} province needs 'merged_into'")
    return Province(
        name=name,
        kind=loading.choice(entry, "kind", _KINDS, where),
        aliases=loading.texts(entry, "aliases", where),
        abbreviations=loading.texts(entry, "abbreviations", where),
        status=status,
        merged_into=merged_into,
        since=loading.iso_date(entry, "since", where, optional=True),
        until=loading.iso_date(entry, "until", where, optional=True),
        needs_designator=loading.texts(entry, "needs_designator", where),
        note=loading.text(entry, "note", where, optional=True),
    )


# --------------------------------------------------------------------------------------------------------
# Abbreviations


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation and the full form it usually stands for.

    ``ambiguous`` abbreviations have other common readings in ``alternatives`` ("TT": Thường trực, thị
    trấn, Thông tư...); ``expand_text`` leaves them alone unless ``expand_in_text`` says the other
    readings are caught by longer entries ("TP" is thành phố except in "Sở TP", listed on its own).
    """

    abbr: str
    full: str
    kind: str
    variants: tuple[str, ...] = ()
    ambiguous: bool = False
    alternatives: tuple[str, ...] = ()
    expand_in_text: bool = False
    note: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.abbr, *self.variants)


class AbbreviationMatch(NamedTuple):
    """An abbreviation found in a text: as written, its entry, and ``[start, end)``."""

    text: str
    entry: Abbreviation
    start: int
    end: int


_ABBR_TOP = {"abbreviations", "source", "note"}
_ABBR_KEYS = {"abbr", "full", "kind", "note", "ambiguous", "alternatives", "variants", "expand_in_text"}
_ABBR_KINDS = ("organ", "title", "other")


def _squash_spaces(text: str) -> str:
    return _SPACES.sub(" ", _read_eth(unicodedata.normalize("NFC", text))).strip()


def _abbreviation_readable(keys: Sequence[str]) -> str:
    """The abbreviations ``keys`` (in the order tried) as whole words, any run of white space standing for a
    space: the plain form of :func:`_abbreviation_pattern`."""
    alts = "|".join(r"\s+".join(re.escape(w) for w in k.split(" ")) for k in keys)
    return rf"(?<![\w&])(?:{alts})(?![\w&])"


def _abbreviation_pattern(keys: Sequence[str]) -> str:
    r""":func:`_abbreviation_readable`, grouped under the keys' first characters, each group opening with its
    character and testing the one before it after it ("U(?<![\w&]U)(?:BND|B)|..."): ``re`` then skips to
    the next character that can open an abbreviation (in running text, most are lower-case letters that none
    opens) and tries one group there instead of every abbreviation in turn.

    The matches are the same: keys with different first characters never match at the same position, each
    group keeps the order of its keys, and the lookbehind over the first character tests what
    ``(?<![\w&])`` tests before it.
    """
    groups: dict[str, list[str]] = {}
    for k in keys:
        words = k.split(" ")
        rest = re.escape(words[0][1:]) + "".join(r"\s+" + re.escape(w) for w in words[1:])
        groups.setdefault(k[0], []).append(rest)
    alts = "|".join(
        f"{re.escape(first)}(?<![\\w&]{re.escape(first)})(?:{'|'.join(rests)})" for first, rests in groups.items()
    )
    return rf"(?:{alts})(?![\w&])"


class Abbreviations(_Gazetteer):
    """Abbreviations of organs and titles ("LĐLĐ", "UBND", "PCT") with their full forms.

    Abbreviations are matched case-sensitively and as whole words: "TT" is not "tt", and "ĐU" is not
    the start of "ĐUK".
    """

    FILE = "abbreviations.json"

    def __init__(self, entries: Iterable[Abbreviation], source: str = "<abbreviations>") -> None:
        self._entries = tuple(entries)
        self.source = source
        self._by_form: dict[str, Abbreviation] = {}
        for e in self._entries:
            for form in e.forms:
                key = _squash_spaces(form)
                if key in self._by_form and self._by_form[key].abbr != e.abbr:
                    raise loading.RulesError(
                        f"{source}: {form!r} is listed for both {self._by_form[key].abbr!r} and {e.abbr!r}"
                    )
                self._by_form[key] = e
        keys = sorted(self._by_form, key=lambda k: (-len(k), k))
        self._pattern = re.compile(_abbreviation_pattern(keys)) if keys else re.compile(r"(?!)")

    @classmethod
    def _build(cls, docs: list[tuple[str, dict[str, Any]]]) -> Abbreviations:
        merged: dict[str, Abbreviation] = {}
        for source, data in docs:
            loading.check_keys(data, _ABBR_TOP, {"abbreviations"}, source)
            _add_entries(
                merged,
                data,
                "abbreviations",
                source,
                _abbreviation,
                lambda a: a.abbr,
                "abbreviation",
                move_to_end=True,
            )
        return cls(merged.values(), docs[-1][0] if docs else "")

    def __iter__(self) -> Iterator[Abbreviation]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str) -> Abbreviation | None:
        """The entry for an abbreviation token as written (any listed variant), or ``None``."""
        return self._by_form.get(_squash_spaces(token))

    def expand(self, token: str) -> str | None:
        """The full form of a whole abbreviation token ("LĐLĐ" → "Liên đoàn Lao động"); ``None`` when the
        token is not exactly a known abbreviation. For an ambiguous one this is its usual reading."""
        entry = self.get(token)
        return entry.full if entry else None

    def find(self, text: str) -> list[AbbreviationMatch]:
        """Known abbreviations in ``text`` as whole words, longest first, in order."""
        probe = _read_eth(text)
        return [
            AbbreviationMatch(m.group(0), self._by_form[_squash_spaces(m.group(0))], m.start(), m.end())
            for m in self._pattern.finditer(probe)
        ]

    def expand_text(self, text: str, *, ambiguous: bool = False) -> str:
        """``text`` with each known abbreviation replaced by its full form ("BTV LĐLĐ tỉnh" → "Ban Thường vụ
        Liên đoàn Lao động tỉnh"). Ambiguous ones stay as written unless ``ambiguous`` is set or the entry
        is marked ``expand_in_text``."""
        out: list[str] = []
        last = 0
        for m in self.find(text):
            if m.entry.ambiguous and not (ambiguous or m.entry.expand_in_text):
                continue
            out.append(text[last : m.start])
            out.append(m.entry.full)
            last = m.end
        out.append(text[last:])
        return "".join(out)

    def full_forms(self) -> tuple[str, ...]:
        """Every full form, once, in list order (their written casing, for re-casing upper-case text)."""
        return tuple(dict.fromkeys(e.full for e in self._entries))


def _abbreviation(entry: Any, where: str) -> Abbreviation:
    where = loading.named(where, entry, "abbr")
    loading.check_keys(entry, _ABBR_KEYS, {"abbr", "full", "kind"}, where)
    abbr = loading.text(entry, "abbr", where)
    alternatives = loading.texts(entry, "alternatives", where)
    ambiguous = entry.get("ambiguous", bool(alternatives))
    if not isinstance(ambiguous, bool):
        raise loading.RulesError(f"{where}: 'ambiguous' must be true or false")
    if ambiguous and not alternatives:
        raise loading.RulesError(f"{where}: an ambiguous abbreviation needs its 'alternatives'")
    expand_in_text = entry.get("expand_in_text", False)
    if not isinstance(expand_in_text, bool):
        raise loading.RulesError(f"{where}: 'expand_in_text' must be true or false")
    return Abbreviation(
        abbr=abbr,
        full=loading.text(entry, "full", where),
        kind=loading.choice(entry, "kind", _ABBR_KINDS, where),
        variants=loading.texts(entry, "variants", where),
        ambiguous=ambiguous,
        alternatives=alternatives,
        expand_in_text=expand_in_text,
        note=loading.text(entry, "note", where, optional=True),
    )


# --------------------------------------------------------------------------------------------------------
# Document types


@dataclass(frozen=True)
class DocumentType:
    """A type of document ("Kế hoạch") with the codes that stand for it in document symbols ("KH").

    ``family``: ``administrative`` (Nghị định 30/2020/NĐ-CP), ``party`` (Hướng dẫn 36-HD/VPTW), ``both``,
    or ``legal`` (legal normative documents).
    """

    name: str
    codes: tuple[str, ...]
    family: str
    aliases: tuple[str, ...] = ()
    note: str | None = None


_TYPE_TOP = {"types", "source", "note"}
_TYPE_KEYS = {"name", "codes", "family", "aliases", "note"}
_FAMILIES = ("administrative", "party", "legal", "both")


class DocumentTypes(_Gazetteer):
    """Document types, looked up by their symbol code or by their name as written."""

    FILE = "document_types.json"

    def __init__(self, types: Iterable[DocumentType], source: str = "<document types>") -> None:
        self._types = tuple(types)
        self.source = source
        self._by_code: dict[str, list[DocumentType]] = {}
        self._by_loose_code: dict[str, list[DocumentType]] = {}
        self._by_name: dict[bool, dict[str, DocumentType]] = {False: {}, True: {}}
        for t in self._types:
            for code in t.codes:
                self._by_code.setdefault(code, []).append(t)
                loose = fold(code, strip_diacritics=True)
                if t not in self._by_loose_code.get(loose, []):
                    self._by_loose_code.setdefault(loose, []).append(t)
            for strip in (False, True):
                for form in (t.name, *t.aliases):
                    key = fold(form, strip_diacritics=strip)
                    other = self._by_name[strip].get(key)
                    if other is not None and other.name != t.name and not strip:
                        raise loading.RulesError(f"{source}: {form!r} names both {other.name!r} and {t.name!r}")
                    self._by_name[strip].setdefault(key, t)

    @classmethod
    def _build(cls, docs: list[tuple[str, dict[str, Any]]]) -> DocumentTypes:
        merged: dict[str, DocumentType] = {}
        for source, data in docs:
            loading.check_keys(data, _TYPE_TOP, {"types"}, source)
            _add_entries(merged, data, "types", source, _document_type, lambda t: t.name, "type")
        return cls(merged.values(), docs[-1][0] if docs else "")

    def __iter__(self) -> Iterator[DocumentType]:
        return iter(self._types)

    def __len__(self) -> int:
        return len(self._types)

    def names(self) -> tuple[str, ...]:
        """Every type name, in list order."""
        return tuple(t.name for t in self._types)

    def all_by_code(self, code: str) -> tuple[DocumentType, ...]:
        """Every type a code may stand for ("TT": Thông tư, Thông tri), in list order.

        Exact (case-sensitive) codes come first; then the part before "-" or "/" ("NĐ-CP" → "NĐ",
        "TT-BTC" → "TT"); then a reading that ignores case and diacritics ("QD" → "QĐ"), taken only when
        it is unique, since "HD" and "HĐ" are different types.
        """
        code = _squash_spaces(code).strip(" .,;:")
        if code in self._by_code:  # the usual case, before the code is split
            return tuple(self._by_code[code])
        head = _CODE_JOINS.split(code, maxsplit=1)[0]
        if head in self._by_code:
            return tuple(self._by_code[head])
        loose = self._by_loose_code.get(fold(head, strip_diacritics=True), [])
        return tuple(loose) if len({t.name for t in loose}) == 1 else ()

    def by_code(self, code: str, family: str | None = None) -> DocumentType | None:
        """The type a symbol code stands for ("KH" → Kế hoạch), or ``None``.

        A code of two types resolves to the first listed (Thông tư for "TT") unless ``family`` picks one:
        a party symbol (05-TT/TW) should pass ``family="party"``. ``both`` types count for either family.
        """
        for t in self.all_by_code(code):
            either = t.family == "both" and family in ("administrative", "party")
            if family is None or t.family == family or either:
                return t
        return None

    def by_name(self, name: str) -> DocumentType | None:
        """The type named as written ("KẾ HOẠCH", "kế hoạch", "Ke hoach"), or ``None``."""
        name = name.strip(" .,;:\t\n")
        exact = self._by_name[False].get(fold(name))
        return exact or self._by_name[True].get(fold(name, strip_diacritics=True))


def _document_type(entry: Any, where: str) -> DocumentType:
    where = loading.named(where, entry, "name")
    loading.check_keys(entry, _TYPE_KEYS, {"name", "codes", "family"}, where)
    name = loading.text(entry, "name", where)
    return DocumentType(
        name=name,
        codes=loading.texts(entry, "codes", where),
        family=loading.choice(entry, "family", _FAMILIES, where),
        aliases=loading.texts(entry, "aliases", where),
        note=loading.text(entry, "note", where, optional=True),
    )


# --------------------------------------------------------------------------------------------------------
# Heading categories


_HEADING_TOP = {"categories", "fallback", "other_keywords", "ignore_prefixes", "source", "note"}
_CATEGORY_KEYS = {"category", "keywords", "typo_variants", "note"}
# Numbering and bullets before a heading's words: "I.", "2)", "a.", "1.2.", "-", "*".
_NUMBERING = re.compile(r"^[\s\-–—•*+]*(?:(?:[ivxlcdm]+|\d+(?:\.\d+)*|[a-zđ])\s*[.):/\-–]\s*)?")
# Where one heading lists several items: "THỜI GIAN, NỘI DUNG VÀ HÌNH THỨC".
_ITEM_SPLIT = re.compile(r"\s*(?:[,;:/&.()]|[-–—]|(?<!\w)(?:và|va|hoặc|hoac)(?!\w))\s*")


class HeadingCategories(_Gazetteer):
    """Classifies a plan's level-1 headings into categories by their own words.

    A heading is cut into items ("ĐỐI TƯỢNG, NỘI DUNG VÀ HÌNH THỨC" → three). An item that begins with
    a keyword takes only that keyword's category, because the words after a head noun only qualify it
    ("PHƯƠNG PHÁP KIỂM TRA" is forms, "KINH PHÍ TỔ CHỨC THỰC HIỆN" is budget); an item beginning with an
    ``other_keywords`` word adds the fallback category; any other item adds every category it names. The
    longest keyword wins, so "tổ chức thực hiện" is implementation and "phân công nhiệm vụ" is not content.
    """

    FILE = "heading_categories.json"

    def __init__(
        self,
        categories: Sequence[tuple[str, Sequence[str], Sequence[str]]],
        fallback: str = "other",
        other_keywords: Iterable[str] = (),
        ignore_prefixes: Iterable[str] = (),
        source: str = "<heading categories>",
    ) -> None:
        self.order = tuple(dict.fromkeys([c for c, _k, _t in categories] + [fallback]))
        self.fallback = fallback
        self.source = source
        self._table: dict[bool, dict[str, str]] = {False: {}, True: {}}
        groups = [(c, [*k, *t]) for c, k, t in categories] + [(fallback, list(other_keywords))]
        for category, words in groups:
            for word in words:
                for strip in (False, True):
                    key = _squash(fold(word, strip_diacritics=strip))
                    other = self._table[strip].get(key)
                    if other is not None and other != category:
                        mode = " without diacritics" if strip else ""
                        raise loading.RulesError(
                            f"{source}: {word!r} is a keyword of both {other!r} and {category!r}{mode}"
                        )
                    self._table[strip][key] = category
        self._prefixes: dict[bool, tuple[str, ...]] = {}
        self._patterns: dict[bool, re.Pattern[str]] = {}
        for strip in (False, True):
            prefixes = {_squash(fold(p, strip_diacritics=strip)) for p in ignore_prefixes}
            # each with the space that must follow it, so that a heading is tested without building strings
            self._prefixes[strip] = tuple(p + " " for p in sorted(prefixes, key=len, reverse=True))
            self._patterns[strip] = re.compile(_word_pattern(self._table[strip]))

    @classmethod
    def _build(cls, docs: list[tuple[str, dict[str, Any]]]) -> HeadingCategories:
        cats: dict[str, tuple[list[str], list[str]]] = {}
        fallback = "other"
        others: list[str] = []
        prefixes: list[str] = []
        for source, data in docs:
            loading.check_keys(data, _HEADING_TOP, {"categories"}, source)
            if "fallback" in data:
                fallback = loading.text(data, "fallback", source)
            others += loading.texts(data, "other_keywords", source)
            prefixes += loading.texts(data, "ignore_prefixes", source)
            for where, entry in loading.entries(data, "categories", source):
                where = loading.named(where, entry, "category")
                loading.check_keys(entry, _CATEGORY_KEYS, {"category", "keywords"}, where)
                name = loading.text(entry, "category", where)
                keywords, typos = cats.setdefault(name, ([], []))
                keywords += loading.texts(entry, "keywords", where)
                typos += loading.texts(entry, "typo_variants", where)
        source = docs[-1][0] if docs else ""
        if fallback in cats:
            raise loading.RulesError(f"{source}: the fallback {fallback!r} cannot also be a listed category")
        return cls([(c, k, t) for c, (k, t) in cats.items()], fallback, others, prefixes, source)

    def keywords(self) -> dict[str, str]:
        """Folded keyword → category (typo variants and other_keywords included)."""
        return dict(self._table[False])

    def categorize(self, heading: str) -> tuple[str, ...]:
        """The categories of a level-1 heading, in the order purpose, content, timeline, forms, budget,
        implementation, other (the file's order, fallback last). Case and tone placement do not matter;
        a heading without any diacritic is read on the ASCII forms, and so is one whose diacritics name no
        category (a scan's "TỎ CHỨC THỰC HIỆN", "CHÍ TIỂU"): the keywords' ASCII forms never collide (the
        rules file is checked for that), so its letters alone still tell the category."""
        strip = not _has_diacritics(heading)
        found = self._found(heading, strip)
        if not found and not strip:
            found = self._found(heading, True)
        if not found:
            found.add(self.fallback)
        return tuple(c for c in self.order if c in found)

    def _found(self, heading: str, strip: bool) -> set[str]:
        """The categories other than the fallback that ``heading``'s items name, read with or without
        diacritics; a heading whose items are all the fallback's keywords gives the fallback."""
        text = _NUMBERING.sub("", " ".join(fold(heading, strip_diacritics=strip).split()), count=1)
        pattern, table, prefixes = self._patterns[strip], self._table[strip], self._prefixes[strip]
        found: set[str] = set()
        for item in _ITEM_SPLIT.split(text):
            item = _drop_prefixes(item.strip(), prefixes)
            if not item:
                continue
            head = pattern.match(item)
            if head:
                found.add(table[_squash(head.group(0))])
                continue
            hits = (table[_squash(m.group(0))] for m in pattern.finditer(item))
            found.update(c for c in hits if c != self.fallback)
        return found


def _drop_prefixes(item: str, prefixes: tuple[str, ...]) -> str:
    """Strip leading words that carry no category ("các ", "về ", "công tác "; each given with its space),
    repeatedly."""
    while item.startswith(prefixes):  # one test for the usual item, which opens with none of them
        for p in prefixes:
            if item.startswith(p):
                item = item[len(p) :].lstrip()
                break
    return item
