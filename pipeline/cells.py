"""A table cell as text, the same way everywhere: the audit, the report and the UI read the same tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

_MISSING = {"nan", "None", "NaT", "<NA>"}


def cell_text(value: Any) -> str:
    """``value`` as stripped text; missing values (None, NaN, pandas NA, and their CSV spellings) are empty."""
    if value is None:
        return ""
    if type(value) is str:  # most cells: no string is a missing value to pandas, so its test is skipped
        text = value.strip()
        return "" if text in _MISSING else text
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # a list or array cell: not a scalar, so not missing
        pass
    text = str(value).strip()
    return "" if text in _MISSING else text
