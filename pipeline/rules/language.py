"""Word lists about Vietnamese text that the normalizer and segmenter use, loaded from ``language.json``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.rules import loading

_KEYS = {
    "note",
    "continuation_words",
    "preamble_openers",
    "surnames",
    "titles",
    "organ_words",
    "admin_levels",
    "header_boilerplate",
    "addressee_openers",
    "school_levels",
}


@dataclass(frozen=True)
class LanguageRules(loading.RuleFile):
    """``continuation_words``: words after which a line cannot end a phrase, so a break there is a wrap.
    ``preamble_openers``: how the preamble of a plan begins ("Thực hiện", "Căn cứ"), which ends its title.
    ``surnames``: Vietnamese family names, which tell a signer's name from other title-case lines.
    ``titles``: official titles in their written casing ("Phó Chủ tịch"), to re-case upper-case lines.
    ``organ_words``: words that open an organization's name ("Sở", "Ban", "Ủy ban").
    ``admin_levels``: administrative levels ("tỉnh", "huyện"), which end an organ name before its place.
    ``header_boilerplate``: national and party mottos of the header block, which are not the issuer.
    ``addressee_openers``: how the addressee line begins ("Kính gửi"), which ends a title.
    ``school_levels``: the levels a school's name states after "Trường" ("Mầm non", "THCS", "MN-TH"), after
    which comes its proper name ("Trường THCS Nguyễn Du"), written with capitals.
    """

    continuation_words: frozenset[str]
    preamble_openers: tuple[str, ...]
    surnames: frozenset[str] = frozenset()
    titles: tuple[str, ...] = ()
    organ_words: tuple[str, ...] = ()
    admin_levels: tuple[str, ...] = ()
    header_boilerplate: tuple[str, ...] = ()
    addressee_openers: tuple[str, ...] = ()
    school_levels: tuple[str, ...] = ()

    FILE = "language.json"

    @classmethod
    def from_data(cls, data: Any, source: str) -> LanguageRules:
        """The lists of a parsed file; ``source`` names it in errors."""
        loading.check_keys(loading.top_level(data, source), _KEYS, (), source)
        words = {key: loading.texts(data, key, source) for key in _KEYS - {"note"}}
        return cls(
            continuation_words=frozenset(w.lower() for w in words["continuation_words"]),
            preamble_openers=words["preamble_openers"],
            surnames=frozenset(words["surnames"]),
            titles=words["titles"],
            organ_words=words["organ_words"],
            admin_levels=words["admin_levels"],
            header_boilerplate=words["header_boilerplate"],
            addressee_openers=words["addressee_openers"],
            school_levels=words["school_levels"],
        )

    @staticmethod
    def joins_across(left: str, right: str) -> bool:
        """Whether underthesea's word segmenter puts a word across the boundary of ``left right``.

        ``left`` is the end of a line and ``right`` the start of the next (two words each, for context).
        This settles a break between two capitalised syllables: inside a proper name ("Việt" / "Nam") a
        word spans the break; between a title and the preamble that follows it ("Việt Nam" / "Thực hiện")
        none does.
        """
        left, right = left.strip(), right.strip()
        if not left or not right:
            return False
        return _spans_boundary(left, right)


@lru_cache(maxsize=4096)
def _spans_boundary(left: str, right: str) -> bool:
    from underthesea import word_tokenize

    boundary = len(left)
    text = f"{left} {right}"
    # The word across the break must end with the next line's first syllable: a chunk running on past it
    # is the segmenter gluing a run of capitalised words together ("Tôn giáo Chỉ đạo"), not one word.
    hi = boundary + 1 + len(right.split(" ")[0].rstrip(",.;:"))
    pos = 0
    for token in word_tokenize(text):
        at = text.find(token, pos)
        if at < 0:
            continue
        if at < boundary < at + len(token):
            return at + len(token) == hi
        pos = at + len(token)
    return False
