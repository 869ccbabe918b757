"""Is this text Vietnamese? A cheap test that keeps foreign documents out of the tables.

Vietnamese writes tones and vowel qualities as diacritics, and a handful of syllables ("của", "và", "các",
"được", "trong") carry a large share of any running text. A text with plenty of letters but almost none of
either is not a Vietnamese plan, whatever its extension says; it is reported instead of being mined for
nonsense.
"""

from __future__ import annotations

import re

from pipeline.model import PipelineError

#: Below this many letters a text is too short to judge, and passes.
MIN_LETTERS = 200
#: Share of letters that carry a Vietnamese diacritic (or are đ) in real Vietnamese prose: 25-35 %.
#: Text without diacritics ("khong dau") has none, so common syllables are counted too.
MIN_DIACRITIC_SHARE = 0.05
MIN_COMMON_SYLLABLE_SHARE = 0.04

_VIETNAMESE_LETTERS = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
_COMMON = {
    "của",
    "và",
    "các",
    "được",
    "trong",
    "cho",
    "với",
    "những",
    "là",
    "có",
    "không",
    "người",
    "về",
    "này",
    "thực",
    "hiện",
    "công",
    "tác",
    "kế",
    "hoạch",
    "tỉnh",
    "nhân",
    "dân",
    "đảng",
    "cua",
    "va",
    "cac",
    "duoc",
    "nhung",
    "khong",
    "nguoi",
    "thuc",
    "hien",
    "cong",
    "tac",
    "ke",
    "hoach",
    "tinh",
    "nhan",
    "dan",
}
_WORD = re.compile(r"[^\W\d_]+")


def check_vietnamese(text: str, name: str) -> None:
    """Raise PipelineError("not_vietnamese") when ``text`` is long enough to judge and is not Vietnamese."""
    sample = text[:200_000].lower()
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return
    marked = sum(c in _VIETNAMESE_LETTERS for c in letters) / len(letters)
    words = _WORD.findall(sample)
    common = sum(w in _COMMON for w in words) / max(len(words), 1)
    if marked < MIN_DIACRITIC_SHARE and common < MIN_COMMON_SYLLABLE_SHARE:
        raise PipelineError(
            "not_vietnamese",
            f"{name}: the text does not look Vietnamese ({marked:.0%} of letters carry Vietnamese diacritics, "
            f"{common:.0%} of words are common Vietnamese syllables); is this the right file?",
            stage="normalize",
        )
