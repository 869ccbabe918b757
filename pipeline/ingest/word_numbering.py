"""Word's automatic list numbering: the "I.", "1.1.", "a)" that Word draws in front of a paragraph.

Vietnamese plans number their sections with Roman numerals, then Arabic ones, then letters, and offices
often let Word draw these numbers instead of typing them. The numbers are then not in the paragraph's
text at all, only in ``numbering.xml`` (list definitions) and ``styles.xml`` (styles that carry a list),
so the section parser would see headings without their labels. :class:`Numbering` recomputes them the
way Word does; :func:`format_number` writes one counter value in one of Word's number formats, and also
serves the Word 97 reader, whose converter names the same formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.ingest.wordml import W_PPR, W_VAL, int_val, is_on, w
from pipeline.numerals import int_to_roman

__all__ = ["Numbering", "format_number"]

#: Word draws Roman numerals up to 3999; past that it falls back to Arabic digits, and so do we.
_ROMAN_LIMIT = 3999


@dataclass
class _Level:
    """One level of a list definition (``w:lvl``): where it starts, how it is drawn, when it restarts."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: None = after any higher level; 0 = never
    is_lgl: bool = False
    suff: str = "tab"


def _roman(n: int) -> str:
    return int_to_roman(n) if 0 < n <= _ROMAN_LIMIT else str(n)


def _letter(n: int) -> str:
    # Word's letter lists go a..z, then aa..zz, aaa.. (the letter repeated), not a spreadsheet's "aa, ab".
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """Counter value ``n`` as Word draws it in number format ``fmt`` (``w:numFmt``: "upperRoman",
    "lowerLetter", "decimal"...)."""
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal, and a readable stand-in for exotic formats (ordinal, chineseCounting...)


def _bullet(symbol: str) -> str:
    """The visible marker for a bullet level: Vietnamese plans write items as "- " and sub-items "+ ".

    Bullet glyphs in Symbol/Wingdings fonts are private-use code points that mean nothing as text, so
    every bullet except "+" becomes "-".
    """
    return "+" if symbol.strip() == "+" else "-"


class Numbering:
    """Recovers the numbers Word draws for automatically numbered paragraphs.

    Counters are kept per list: paragraphs whose ``w:num`` points at the same abstract definition
    continue one sequence (Word's behaviour), unless the ``w:num`` overrides its start values, which
    makes it a list of its own that starts again. Using a level resets the deeper levels that restart
    after it (``w:lvlRestart``; by default every deeper level). A paragraph takes its numbering from its
    own ``w:numPr`` or, failing that, from its paragraph style (and the styles it is based on).
    """

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.abstract_style_link: dict[str, str] = {}
        self.style_link_abstract: dict[str, str] = {}
        self.nums: dict[str, tuple[str, dict[int, tuple[int | None, _Level | None]]]] = {}
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_based_on: dict[str, str] = {}
        self.default_style: str | None = None
        self.counters: dict[str, list[int | None]] = {}
        if numbering is not None:
            self._load_numbering(numbering)
        if styles is not None:
            self._load_styles(styles)

    def _load_numbering(self, root: Any) -> None:
        for an in root.iter(w("abstractNum")):
            aid = an.get(w("abstractNumId"))
            if aid is None:
                continue
            self.abstract[aid] = {int(lvl.get(w("ilvl"), "0")): self._level(lvl) for lvl in an.findall(w("lvl"))}
            link = an.find(w("numStyleLink"))
            if link is not None and link.get(W_VAL):
                self.abstract_style_link[aid] = link.get(W_VAL)
            link = an.find(w("styleLink"))
            if link is not None and link.get(W_VAL):
                self.style_link_abstract[link.get(W_VAL)] = aid
        for num in root.iter(w("num")):
            nid = num.get(w("numId"))
            ref = num.find(w("abstractNumId"))
            if nid is None or ref is None:
                continue
            overrides: dict[int, tuple[int | None, _Level | None]] = {}
            for ov in num.findall(w("lvlOverride")):
                ilvl = int(ov.get(w("ilvl"), "0"))
                lvl = ov.find(w("lvl"))
                overrides[ilvl] = (
                    int_val(ov.find(w("startOverride"))),
                    self._level(lvl) if lvl is not None else None,
                )
            self.nums[nid] = (ref.get(W_VAL) or "", overrides)

    @staticmethod
    def _level(lvl: Any) -> _Level:
        level = _Level()
        level.start = int_val(lvl.find(w("start")), 1) or 0
        fmt = lvl.find(w("numFmt"))
        if fmt is not None and fmt.get(W_VAL):
            level.fmt = fmt.get(W_VAL)
        text = lvl.find(w("lvlText"))
        level.text = text.get(W_VAL, "") if text is not None else ""
        restart = lvl.find(w("lvlRestart"))
        level.restart = int_val(restart) if restart is not None else None
        lgl = lvl.find(w("isLgl"))
        level.is_lgl = is_on(lgl)
        suff = lvl.find(w("suff"))
        if suff is not None and suff.get(W_VAL):
            level.suff = suff.get(W_VAL)
        return level

    def _load_styles(self, root: Any) -> None:
        for st in root.iter(w("style")):
            if st.get(w("type")) != "paragraph":
                continue
            sid = st.get(w("styleId"))
            if sid is None:
                continue
            if st.get(w("default")) in {"1", "true", "on"}:
                self.default_style = sid
            based = st.find(w("basedOn"))
            if based is not None and based.get(W_VAL):
                self.style_based_on[sid] = based.get(W_VAL)
            numpr = st.find(f"{W_PPR}/{w('numPr')}")
            if numpr is not None:
                nid = numpr.find(w("numId"))
                self.style_numpr[sid] = (
                    nid.get(W_VAL) if nid is not None else None,
                    int_val(numpr.find(w("ilvl"))),
                )

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_numpr:
                return self.style_numpr[style]
            style = self.style_based_on.get(style)
        return None, None

    def _resolve_abstract(self, num_id: str) -> str | None:
        if num_id not in self.nums:
            return None
        aid = self.nums[num_id][0]
        # A list defined through a numbering style: the abstract holds only a link to the style, whose
        # w:numPr names the list that carries the real levels.
        link = self.abstract_style_link.get(aid)
        if link is not None:
            if link in self.style_link_abstract:
                return self.style_link_abstract[link]
            linked_num = self.style_numpr.get(link, (None, None))[0]
            if linked_num and linked_num in self.nums and linked_num != num_id:
                return self.nums[linked_num][0]
        return aid

    def label(self, p: Any) -> str:
        """The number Word draws before paragraph ``p`` ("" if none) and advance the counters."""
        ppr = p.find(W_PPR)
        num_id: str | None = None
        ilvl: int | None = None
        style = self.default_style
        if ppr is not None:
            ps = ppr.find(w("pStyle"))
            if ps is not None and ps.get(W_VAL):
                style = ps.get(W_VAL)
            numpr = ppr.find(w("numPr"))
            if numpr is not None:
                nid = numpr.find(w("numId"))
                num_id = nid.get(W_VAL) if nid is not None else None
                ilvl = int_val(numpr.find(w("ilvl")))
        if num_id is None or ilvl is None:
            s_num, s_lvl = self._style_numbering(style)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0":
            return ""
        ilvl = min(max(ilvl or 0, 0), 8)
        aid = self._resolve_abstract(num_id)
        if aid is None or aid not in self.abstract:
            return ""
        overrides = self.nums[num_id][1]
        levels = dict(self.abstract[aid])
        for lv, (start, lvl_override) in overrides.items():
            base = lvl_override or levels.get(lv) or _Level()
            if start is not None:
                base = _Level(start, base.fmt, base.text, base.restart, base.is_lgl, base.suff)
            levels[lv] = base
        if ilvl not in levels:
            return ""
        key = f"num:{num_id}" if overrides else f"abs:{aid}"
        counters = self.counters.setdefault(key, [None] * 9)
        level = levels[ilvl]
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = None
        if level.fmt == "bullet":
            text = _bullet(level.text)
        else:

            def number(match: re.Match[str]) -> str:
                k = int(match.group(1)) - 1
                lv = levels.get(k, _Level())
                value = counters[k] if counters[k] is not None else lv.start
                fmt = "decimal" if level.is_lgl and lv.fmt != "none" else lv.fmt
                return format_number(value or 0, fmt)

            text = re.sub(r"%([1-9])", number, level.text)
        if not text.strip():
            return ""
        return text + ("" if level.suff == "nothing" else " ")
