"""Who issued a cited document: reading the name after "của", and naming it in full.

Reading. After "Kế hoạch số 173-KH/TU, ngày 26/8/2024 của" comes the issuer, then, without punctuation,
the subject ("về ..."), a verb ("ban hành ...") or the rest of the sentence. Organ names have lower-case
words of their own ("Ủy ban bầu cử tỉnh", "Đảng ủy Khối cơ quan và doanh nghiệp"), so the name cannot end
at the first lower-case word. It ends at a word that ends names (``issuer_stops``, written in lower case),
at punctuation, or, once the name is complete (it ends with a closed name like "Tỉnh ủy" or "Chính phủ",
or with a place after its level, "tỉnh Kon Tum"), at any further lower-case word. "và" joins two halves
of one name only inside a name that needs a complement ("Sở Thông tin và Truyền thông"); elsewhere it joins
two organs or two clauses ("của UBND tỉnh và Mục 2, Văn bản số ...").

Naming. The name is given in full: abbreviations expanded ("UBND tỉnh" → "Ủy ban nhân dân tỉnh"), the term
dropped ("Bộ Chính trị khóa XII" → "Bộ Chính trị", a qualifier of the committee, not another issuer), the
plan's own organ completed ("Ban Thường vụ Đảng ủy Khối" in a plan of the "Đảng ủy Khối cơ quan và doanh
nghiệp tỉnh Yên Bái"), and the province added where the citing plan makes it clear ("Tỉnh ủy" in a Lai
Châu plan is "Tỉnh ủy Lai Châu", "Sở Thông tin và Truyền thông" is that of the plan's province).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.rules.citation_rules import CitationRules
from pipeline.rules.gazetteer import Abbreviations, Provinces, fold
from pipeline.rules.language import LanguageRules
from pipeline.rules.phrases import phrase_pattern

__all__ = ["IssuerNamer", "IssuerReader", "ReadIssuer"]

_STOP_CHARS = '\n,;:()“”"…[]'
_WORD = re.compile(r"[^\s,;:()“”\"…\[\]./]+(?:[./][^\s,;:()“”\"…\[\]./]+)*")
_ROMAN_OR_NUMBER = re.compile(r"^(?:[IVXLC]+|\d+(?:\s*-\s*\d+)?)$")
_MAX_WORDS = 18


@dataclass(frozen=True)
class ReadIssuer:
    """An issuer name as written and its span."""

    text: str
    start: int
    end: int


class IssuerReader:
    """Reads an issuer's name in running text.

    ``low`` texts passed to :meth:`read` are the folded (lower-case, traditional tone placement) copy of
    the text, of the same length, so that word lists match in any casing and tone placement.
    """

    def __init__(
        self,
        rules: CitationRules | None = None,
        abbreviations: Abbreviations | None = None,
        language: LanguageRules | None = None,
    ) -> None:
        self.rules = rules or CitationRules.default()
        self.abbreviations = abbreviations or Abbreviations.default()
        self.language = language or LanguageRules.default()
        self._joiners = {fold(j) for j in self.rules.name_joiners}
        stops = [s for s in self.rules.issuer_stops if fold(s) not in self._joiners]
        self._stop = re.compile(rf"(?:{phrase_pattern(stops)})(?!\w)")
        self._levels = re.compile(rf"(?:{phrase_pattern(self.language.admin_levels)})(?!\w)")
        self._qualifier = re.compile(rf"(?:{phrase_pattern(self.rules.issuer_qualifiers)})(?!\w)")
        organ_forms = [e.full for e in self.abbreviations if e.kind in ("organ", "title")]
        self._closed = {fold(f) for f in [*organ_forms, *self.rules.closed_organs]}
        self._open = {fold(h) for h in self.rules.open_heads}
        # Names with commas of their own ("Bộ Văn hóa, Thể thao và Du lịch") are read whole.
        self._closed_names = re.compile(rf"(?:{phrase_pattern(self.rules.closed_organs)})(?!\w)")
        self._comma_names = re.compile(rf"(?:{phrase_pattern([f for f in organ_forms if ',' in f])})(?!\w)")
        # A word's folded full form ("UBND" → "ủy ban nhân dân"), kept per word: a name's last word is looked
        # up again at every word that follows it.
        self._expanded = lru_cache(maxsize=4096)(self._expand_word)

    def _expand_word(self, word: str) -> str:
        return fold(self.abbreviations.expand_text(word))

    def read(self, text: str, low: str, pos: int, limit: int | None = None) -> ReadIssuer | None:
        """The issuer name starting at ``pos`` (after spaces), or ``None`` when none starts there."""
        limit = len(text) if limit is None else limit
        while pos < limit and text[pos] in " \t":
            pos += 1
        if pos >= limit or not text[pos].isupper():
            return None
        words: list[tuple[int, int]] = []
        level_seen = place_seen = qualifier_next = False
        at = pos
        while at < limit and len(words) < _MAX_WORDS:
            gap = at
            while at < limit and text[at] in " \t":
                at += 1
            if at >= limit or text[at] in _STOP_CHARS or (text[at] == "." and at > gap):
                break
            if words and at == gap:
                break  # glued punctuation ("tỉnh." ends the sentence)
            comma_name = self._comma_names.match(low, at)
            if comma_name and text[at].isupper():
                words.append((at, comma_name.end()))
                at = comma_name.end()
                continue
            closed = self._closed_names.match(low, at)
            if closed and words and not (text[at].islower() and self._stop.match(low, at)):
                words.append((at, closed.end()))  # "Ban Thường vụ tỉnh ủy": a whole name in any case
                at = closed.end()
                continue
            if text[at] in "-–":
                nxt = _WORD.match(text, self._skip(text, at + 1, limit))
                if not words or not nxt or not text[nxt.start()].isupper():
                    break
                at += 1
                continue
            m = _WORD.match(text, at)
            if not m:
                break
            word = m.group(0)
            lower_first = word[0].islower()
            # Whether the name is already whole matters only before a lower-case word (every use below is
            # under ``lower_first``): not worked out for the others.
            complete = lower_first and self._complete(text, low, words, level_seen, place_seen)
            if qualifier_next:
                qualifier_next = False
                if _ROMAN_OR_NUMBER.match(word):
                    words.append(m.span())
                    at = m.end()
                    continue
            if lower_first and fold(word) in self._joiners:
                if complete or level_seen or not self._open_head(low, words):
                    break
                words.append(m.span())
                at = m.end()
                continue
            if lower_first and self._stop.match(low, at):
                break
            qual = self._qualifier.match(low, at)
            if qual and words:
                words.append((at, qual.end()))
                at = qual.end()
                qualifier_next = True
                continue
            level = self._levels.match(low, at) if lower_first else None
            if level:
                words.append((at, level.end()))
                at = level.end()
                level_seen, place_seen = True, False
                continue
            if lower_first and (complete or level_seen):
                break  # after a whole name, or after a level ("tỉnh"), only a place name may follow
            if level_seen:
                place_seen = True
            words.append(m.span())
            at = m.end()
        while words and fold(text[words[-1][0] : words[-1][1]]) in {*self._joiners, "-", "–"}:
            words.pop()
        if not words:
            return None
        end = words[-1][1]
        return ReadIssuer(text[pos:end], pos, end)

    @staticmethod
    def _skip(text: str, at: int, limit: int) -> int:
        while at < limit and text[at] in " \t":
            at += 1
        return at

    def _complete(
        self, text: str, low: str, words: list[tuple[int, int]], level_seen: bool, place_seen: bool
    ) -> bool:
        """Whether the words read so far make a whole name (closed name last, or a place after a level)."""
        if not words:
            return False
        if level_seen and place_seen:
            return True
        tokens = low[words[0][0] : words[-1][1]].split()
        expanded = self._expanded(text[words[-1][0] : words[-1][1]])
        if tokens and tokens[-1] in self._open:
            return False
        if expanded in self._closed:
            return True
        return any(" ".join(tokens[-n:]) in self._closed for n in range(2, min(6, len(tokens)) + 1))

    def _open_head(self, low: str, words: list[tuple[int, int]]) -> bool:
        """Whether the name begins with a head that takes a compound complement ("Sở", "Ban", "Khối")."""
        head = low[words[0][0] : words[-1][1]]
        return any(head == h or head.startswith(h + " ") or f" {h} " in f" {head} " for h in self._open)


class IssuerNamer:
    """Turns an issuer as written into its full name, with the citing plan's organ and province."""

    def __init__(
        self,
        rules: CitationRules | None = None,
        abbreviations: Abbreviations | None = None,
        provinces: Provinces | None = None,
        language: LanguageRules | None = None,
    ) -> None:
        self.rules = rules or CitationRules.default()
        self.abbreviations = abbreviations or Abbreviations.default()
        self.provinces = provinces or Provinces.default()
        self.language = language or LanguageRules.default()
        qualifiers = phrase_pattern(self.rules.issuer_qualifiers)
        self._qualifier = re.compile(
            rf"\s*\(?(?:{qualifiers})\s+(?:[IVXLC]+|\d+(?:\s*-\s*\d+)?)\)?", re.IGNORECASE
        )
        self._committees = sorted(self.rules.committee_prefixes, key=len, reverse=True)
        self._levels = tuple(self.language.admin_levels)
        # The folded forms of the word lists, folded once here rather than at every name (a plan names
        # some ten issuers, each tested against every list).
        self._committee_keys = [(prefix, fold(prefix) + " ") for prefix in self._committees]
        self._level_words = tuple(f" {fold(lv)} " for lv in self._levels)
        self._heads = tuple(h + " " for h in self.rules.department_heads)
        self._organ_ends = {
            level: tuple(fold(o) for o in organs) for level, organs in self.rules.provincial_organs.items()
        }

    def name(self, written: str, own_issuer: str = "", province: str = "") -> str:
        """The full name of an issuer written in a plan of ``own_issuer`` in ``province``."""
        text = self._qualifier.sub("", " ".join(written.split())).strip(" ,;:-–")
        text = self.abbreviations.expand_text(text)
        committee, core = self.split_committee(text)
        if own_issuer and len(core.split()) >= 2 and fold(own_issuer).startswith(fold(core) + " "):
            core = own_issuer  # the plan's own organ, by its short name ("Đảng ủy Khối")
        full = f"{committee} {core}".strip()
        return self.with_province(full, province)

    def from_code(self, code: str, own_issuer: str = "", province: str = "") -> str:
        """The issuer an issuer code stands for ("TU" → "Tỉnh ủy", "BCA" → "Bộ Công an"), with the province
        where the organ is a provincial one; empty for an unknown or ambiguous code. A plan that cites a
        number of its own organ's code without naming the issuer ("Kế hoạch số 12/KH-UBND" in a plan of the
        Ủy ban nhân dân tỉnh Đắk Lắk) cites its own organ."""
        entry = self.abbreviations.get(code)
        if entry is None or entry.ambiguous or entry.kind not in ("organ", "title"):
            return ""
        if own_issuer and fold(own_issuer).startswith(fold(entry.full) + " "):
            return own_issuer
        return self.with_province(entry.full, province)

    def split_committee(self, name: str) -> tuple[str, str]:
        """("Ban Thường vụ", "Tỉnh ủy") for "Ban Thường vụ Tỉnh ủy"; ("", name) without a committee."""
        folded = fold(name)
        for prefix, key in self._committee_keys:
            if folded.startswith(key) and name[len(prefix) + 1 : len(prefix) + 2].isupper():
                return name[: len(prefix)], name[len(prefix) + 1 :]
        return "", name

    def with_province(self, name: str, province: str) -> str:
        """Add ``province`` to a provincial organ that does not name its own: "... tỉnh", "Tỉnh ủy",
        "Sở Nội vụ" (a department is the province's when the plan is)."""
        if not name or not province or self.provinces.find(name):
            return name
        unit = self.provinces.get(province)
        if unit is None:
            return name
        level = unit.kind  # what ``Provinces.level_of`` answers, without a second lookup
        folded = fold(name)
        if folded.endswith(" " + fold(level)):
            return f"{name} {province}"
        if folded.endswith(self._organ_ends.get(level, ())):
            return f"{name} {province}"
        _committee, core = self.split_committee(name)
        if core.startswith(self._heads) and not any(lv in f" {folded} " for lv in self._level_words):
            return f"{name} {level} {province}"
        return name
