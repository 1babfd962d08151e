"""The owned tabs' content: the Findings grid and the Weekly Summary, built purely.

``build_summary`` turns frames and findings into a ``Summary`` of sections;
``render`` turns a Summary into a sheet grid, text, JSON or a self-contained
HTML page. Nothing here reads or writes a workbook.
"""

from sync.summary.build import Section, Series, Summary, build_summary
from sync.summary.findings import findings_grid
from sync.summary.portfolio import portfolio_grid
from sync.summary.render import summary_grid, summary_html, summary_json, summary_text

__all__ = [
    "Section",
    "Series",
    "Summary",
    "build_summary",
    "findings_grid",
    "portfolio_grid",
    "summary_grid",
    "summary_html",
    "summary_json",
    "summary_text",
]
