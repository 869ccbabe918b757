"""WordprocessingML names and the two ways its properties are read, shared by the DOCX reader
(:mod:`pipeline.ingest.word`) and its list numbering (:mod:`pipeline.ingest.word_numbering`).

Word writes almost every property as an element with a ``w:val`` attribute: a number
(``<w:start w:val="3"/>``) or an on/off switch that is on when present without a value
(``<w:vanish/>``, ``<w:isLgl w:val="0"/>``). Reading them in one place keeps the two modules agreeing
on what a damaged or missing value means.
"""

from __future__ import annotations

from typing import Any

#: The Transitional OOXML namespace, the one python-docx and every Word since 2007 write.
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    """The Clark name (``{namespace}tag``) of a WordprocessingML element or attribute."""
    return f"{{{W_NS}}}{tag}"


W_VAL = w("val")
W_PPR, W_RPR = w("pPr"), w("rPr")

#: ``w:val`` values that switch an on/off property off.
_OFF = {"0", "false", "off", "none"}


def int_val(el: Any, default: int | None = None) -> int | None:
    """The integer ``w:val`` of ``el``; ``default`` when the element is absent or its value is not a number
    (a damaged file must lose a number, not the whole document)."""
    if el is None:
        return default
    try:
        return int(el.get(W_VAL))
    except (TypeError, ValueError):
        return default


def is_on(el: Any) -> bool:
    """Whether an on/off property element is present and switched on (no ``w:val`` means on)."""
    return el is not None and (el.get(W_VAL) or "1") not in _OFF
