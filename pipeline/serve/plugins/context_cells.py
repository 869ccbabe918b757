"""Datasette plugin (loaded with ``--plugins-dir``): show a ``context`` cell with its span highlighted.

The ``context`` columns that :mod:`pipeline.serve.database` adds hold the text around a row's span with
the span between ⟦ and ⟧, which reads well in CSV and JSON. In the HTML table this plugin turns the
brackets into a ``<mark>`` and keeps the text's line breaks (not its blank lines), so a person sees at
once which words the value was read from. It also folds the long bilingual list of column descriptions
that Datasette prints above a table into a closed ``<details>`` (each header keeps its description as a
tooltip), so the rows are on screen first. It is a file, not an installed package, so that plain
``datasette`` can load it too.
"""

from __future__ import annotations

import re

import markupsafe
from datasette import hookimpl

OPEN, CLOSE = "⟦", "⟧"

STYLE = (
    "white-space: pre-wrap; display: block; max-width: 48em; min-width: 24em; font-size: 0.9em; line-height: 1.4"
)


def _compact(text: str) -> str:
    """Blank lines and runs of spaces folded, so a cell shows the passage, not the page's layout."""
    return re.sub(r"[ \t]+", " ", re.sub(r"\s*\n\s*", "\n", text))


def highlight(value: str) -> markupsafe.Markup | None:
    """HTML for a context string, or None when it holds no ⟦span⟧ (Datasette then renders it itself)."""
    start, end = value.find(OPEN), value.rfind(CLOSE)
    if start < 0 or end < start:
        return None
    before, span, after = (_compact(part) for part in (value[:start], value[start + 1 : end], value[end + 1 :]))
    return markupsafe.Markup(
        '<span class="kh-context" style="{style}">{before}<mark class="kh-span">{span}</mark>{after}</span>'
    ).format(style=STYLE, before=before, span=span, after=after)


@hookimpl
def render_cell(value: object, column: str) -> markupsafe.Markup | None:
    """Render ``context`` cells; leave every other cell to Datasette."""
    if column != "context" or not isinstance(value, str):
        return None
    return highlight(value)


#: Folds Datasette's column descriptions away and gives each column header its description as a tooltip.
FOLD_DESCRIPTIONS_JS = """
document.querySelectorAll('dl.column-descriptions').forEach(function (dl) {
  var details = document.createElement('details');
  details.className = 'kh-column-descriptions';
  var summary = document.createElement('summary');
  summary.textContent = 'Mô tả cột / Column descriptions (' + dl.querySelectorAll('dt').length + ')';
  details.appendChild(summary);
  dl.parentNode.insertBefore(details, dl);
  details.appendChild(dl);
});
document.querySelectorAll('th[data-column-description]').forEach(function (th) {
  th.title = th.getAttribute('data-column-description');
});
"""


@hookimpl
def extra_body_script(view_name: str) -> str:
    """The folding script, on table and row pages (the only ones with column descriptions)."""
    return FOLD_DESCRIPTIONS_JS if view_name in ("table", "row") else ""
