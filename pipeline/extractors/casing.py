"""Turn the upper-case names of header and signature blocks into their written form.

Headers print organ names and titles in capitals ("LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "PHÓ CHỦ TỊCH");
the tables should hold them as they are written in running text ("Liên đoàn Lao động tỉnh Lai Châu",
"Phó Chủ tịch"). Sentence case gets most of the way; the casing of province names, expanded
abbreviations and official titles comes from the gazetteers, so it is data, not code.
"""

from __future__ import annotations

import re
from functools import cached_property

from pipeline.rules.gazetteer import Abbreviations, Provinces
from pipeline.rules.language import LanguageRules


def is_upper_case(text: str, share: float = 0.8) -> bool:
    """Whether at least ``share`` of the letters of ``text`` are capitals (an upper-case header line)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= share * len(letters)


class Recaser:
    """Re-cases organ names and titles with the casings the gazetteers know."""

    def __init__(self, provinces: Provinces, abbreviations: Abbreviations, language: LanguageRules) -> None:
        self.provinces = provinces
        self.abbreviations = abbreviations
        self.language = language

    @cached_property
    def _known(self) -> tuple[re.Pattern[str], dict[str, str]]:
        forms = list(self.provinces.names())
        forms += self.abbreviations.full_forms()
        forms += list(self.language.titles)
        table = {f.lower(): f for f in forms if f}
        alternatives = "|".join(re.escape(f) for f in sorted(table, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), table

    def _apply_known(self, text: str) -> str:
        pattern, table = self._known
        return pattern.sub(lambda m: table.get(m.group(0).lower(), m.group(0)), text)

    def organ(self, name: str) -> str:
        """The written form of an organ name, abbreviations expanded ("LĐLĐ TỈNH" → "Liên đoàn Lao động
        tỉnh")."""
        name = re.sub(r"\s+", " ", name).strip(" ,;:-–*")
        expanded = self.abbreviations.expand_text(name)
        if is_upper_case(name):
            expanded = self._apply_known(expanded.lower())
            expanded = self._place_names(expanded)
            expanded = expanded[:1].upper() + expanded[1:]
            expanded = self._school_name(expanded)
        return expanded

    @cached_property
    def _school(self) -> re.Pattern[str]:
        levels = "|".join(sorted(map(re.escape, self.language.school_levels), key=len, reverse=True)) or "(?!)"
        stops = "|".join(map(re.escape, self.language.admin_levels)) or "(?!)"
        return re.compile(
            rf"^(?P<head>trường\s+)(?P<level>{levels})\s+(?P<name>(?:(?!(?:{stops})(?:\s|$))[^\W\d_][\w'-]*\s*)+)",
            re.IGNORECASE,
        )

    def _school_name(self, text: str) -> str:
        """A school's level in its listed form and its proper name in capitals ("trường mn-th sao mai" →
        "Trường MN-TH Sao Mai"): after "Trường" and its level comes a person's or a place's name, which an
        upper-case header line does not let one tell from ordinary words otherwise."""
        m = self._school.match(text)
        if not m:
            return text
        level = next(lv for lv in self.language.school_levels if lv.lower() == m.group("level").lower())
        name = " ".join(w[:1].upper() + w[1:] for w in m.group("name").split())
        tail = text[m.end("name") :]
        return f"Trường {level} {name}" + (" " + tail.lstrip() if tail.strip() else "")

    def _place_names(self, text: str) -> str:
        """Capitalise the place name that ends an organ name after its level ("quận tây hồ" → "quận Tây
        Hồ"), for places the gazetteer does not list (districts, communes)."""
        levels = "|".join(sorted(map(re.escape, self.language.admin_levels), key=len, reverse=True))
        m = re.search(rf"(?:^|\s)(?:{levels})\s+(?P<name>[^\W\d_][\w\s'-]*)$", text)
        if not m:
            return text
        name = " ".join(w[:1].upper() + w[1:] for w in m.group("name").split(" "))
        return text[: m.start("name")] + name

    def title(self, text: str) -> str:
        """The written form of an official title or committee ("PHÓ CHỦ TỊCH THƯỜNG TRỰC" → "Phó Chủ tịch
        Thường trực", "BAN THƯỜNG VỤ" → "Ban Thường vụ")."""
        text = re.sub(r"\s+", " ", text).strip()
        if not text.isupper():
            return text
        out = self._apply_known(text.lower())
        return out[:1].upper() + out[1:]

    def with_province(self, issuer: str, province: str) -> str:
        """Add the province to an issuer whose name stops at its level ("... tỉnh") or that is a
        provincial department ("Sở Nội vụ"), as the contract asks: "Liên đoàn Lao động tỉnh Lai Châu"."""
        if not issuer or not province or self.provinces.find(issuer):
            return issuer
        levels = [lv for lv in self.language.admin_levels if lv in ("tỉnh", "thành phố")]
        for level in levels:
            if re.search(rf"(?:^|\s){level}$", issuer, re.IGNORECASE):
                return f"{issuer} {province}"
        if issuer.startswith("Sở ") and not any(f" {lv} " in f" {issuer.lower()} " for lv in levels):
            return f"{issuer} {self.provinces.level_of(province)} {province}"
        return issuer
