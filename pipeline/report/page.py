"""The report's page: one HTML file with its styles and plotly.js inlined, so it opens offline.

Nothing is fetched when the file is opened: plotly.js is embedded once in the head (each figure only
carries its data), the CSS is in a style element, and there are no fonts, images or links to other
sites. The sections come from the other modules of this package, in reading order.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from pipeline import __version__

CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; margin: 0; color: #222; background: #fafafa; }
header.kh-header { background: #27588a; color: white; padding: 12px 24px; }
header.kh-header h1 { margin: 0; font-size: 1.5em; }
header.kh-header p { margin: 4px 0 0; opacity: 0.9; }
nav.kh-toc { background: #eef2f6; padding: 8px 24px; position: sticky; top: 0; z-index: 100;
  border-bottom: 1px solid #ccd; }
nav.kh-toc a { margin-right: 18px; color: #27588a; text-decoration: none; font-weight: bold; }
main { padding: 0 24px 48px; }
.kh-section, article.kh-document, table.kh-table tr { scroll-margin-top: 48px; }
.kh-section { margin-top: 28px; background: white; padding: 12px 20px; border: 1px solid #e3e3e3;
  border-radius: 6px; }
.kh-intro, .kh-note, .kh-empty { color: #555; }
table.kh-table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.88em; width: 100%; }
table.kh-table th, table.kh-table td { border: 1px solid #ddd; padding: 3px 6px; text-align: left;
  vertical-align: top; }
table.kh-table th { background: #f0f3f7; }
table.kh-table tr:target { outline: 3px solid #e63946; }
tr.kh-sev-error td:first-child { color: #d62728; font-weight: bold; }
tr.kh-sev-warning td:first-child { color: #ff7f0e; font-weight: bold; }
.kh-doc-links { columns: 3; }
article.kh-document { border-top: 3px solid #27588a; margin-top: 24px; padding-top: 8px; }
.kh-title { font-style: italic; }
dl.kh-facts { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; font-size: 0.9em; }
dl.kh-facts dt { color: #666; } dl.kh-facts dd { margin: 0; }
.kh-doc-grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; }
.kh-text { max-height: 85vh; overflow: auto; border: 1px solid #e3e3e3; padding: 8px 12px; font-size: 0.92em;
  background: #fff; }
.kh-side { max-height: 85vh; overflow: auto; }
.kh-line { line-height: 1.7; }
.kh-gap { height: 0.6em; }
.kh-text .spans { line-height: 2.4; }
mark.kh-token { background: none; color: inherit; font-weight: bold; display: inline-block;
  position: relative; margin-right: 0.25em; }
.kh-slice, .kh-start { position: absolute; height: 4px; left: -1px; width: calc(100% + 2px); }
.kh-start { border-top-left-radius: 3px; border-bottom-left-radius: 3px; }
.kh-label { z-index: 10; color: #000; top: -0.5em; padding: 1px 3px; position: absolute; font-size: 0.58em;
  font-weight: bold; line-height: 1; border-radius: 3px; white-space: nowrap; }
.kh-label a { text-decoration: none; color: inherit; font-weight: normal; }
.kh-legend { margin: 6px 0 10px; font-size: 0.85em; }
.kh-legend-item { display: inline-block; margin-right: 14px; }
.kh-swatch { display: inline-block; width: 14px; height: 8px; margin-right: 4px; border-radius: 2px; }
.kh-top { text-align: right; font-size: 0.85em; }
footer { color: #777; font-size: 0.8em; padding: 12px 24px; }
"""

TOC = [
    ("overview", "Tổng quan / Overview"),
    ("timeline", "Tiến độ / Timeline"),
    ("graph", "Đồ thị viện dẫn / Citation graph"),
    ("coverage", "Các phần / Categories"),
    ("documents", "Từng kế hoạch / Each plan"),
]


def page_html(sections: list[str], plotly_js: str, source: str) -> str:
    """The whole report: head with inlined CSS and plotly.js, header, contents, sections, footer."""
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    toc = "".join(f'<a href="#{anchor}">{escape(title)}</a>' for anchor, title in TOC)
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>kehoach — báo cáo so sánh kế hoạch / plans report</title>"
        f"<style>{CSS}</style>"
        f'<script type="text/javascript">window.PlotlyConfig = {{MathJaxConfig: "local"}};</script>'
        f'<script type="text/javascript">{plotly_js}</script></head>'
        '<body id="top"><header class="kh-header"><h1>Báo cáo so sánh kế hoạch / Plans report</h1>'
        f"<p>{escape(source)}</p></header>"
        f'<nav class="kh-toc">{toc}</nav><main>{"".join(sections)}</main>'
        f"<footer>kehoach {escape(__version__)} · {made}</footer></body></html>\n"
    )
