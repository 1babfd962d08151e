"""A Summary as a sheet grid, text, JSON or one self-contained HTML page.

Every form reads top to bottom the same way: the verdict, the three questions,
the leading indicators in flow order, the history, then the details.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from sync.core import Bold, Cell, Formula, Grid, Locale, Wrap, column_letters, display_width
from sync.messages import number
from sync.messages import summary_label as label
from sync.summary.build import Section, Series, Summary

_BARS = "▁▂▃▄▅▆▇█"
_PERCENT = {"linkage", "next_action"}
_FIRST = ("verdict", "questions", "chain")  # above the history; the rest below it


def spark(values: tuple[float | None, ...]) -> str:
    """A Unicode sparkline: one bar per week from zero, a dot where there is no value.

    Bars start at zero, not at the lowest value, so 100 then 75 reads as a quarter
    less, not as a collapse.
    """
    known = [v for v in values if v is not None]
    if not known:
        return ""
    high = max(max(known), 0.0)
    if high <= 0:
        return "".join("·" if v is None else _BARS[0] for v in values)
    return "".join(
        "·" if v is None else _BARS[round(max(v, 0.0) / high * (len(_BARS) - 1))] for v in values
    )


def _value(series: Series, value: float | None) -> Cell:
    if value is None:
        return None
    if series.key in _PERCENT:
        return round(value * 100)
    return int(value) if float(value).is_integer() else round(value, 2)


def _split(summary: Summary) -> tuple[list[Section], list[Section]]:
    first = [s for key in _FIRST for s in summary.sections if s.key == key]
    rest = [s for s in summary.sections if s.key not in _FIRST]
    return first, rest


def summary_grid(summary: Summary, *, sparklines: bool) -> Grid:
    """The Weekly Summary tab: the verdict, the three questions, the chain, the history, the rest.

    Titles and headers are ``Bold`` and long text ``Wrap``, for the backend to
    apply. The history has one row per week and one column per series, with a
    trend row under its header: a SPARKLINE formula over the column's weeks when
    ``sparklines`` (Google Sheets), else a Unicode sparkline; a series that was not
    measured has its note there and no value.
    """
    loc = summary.locale
    rows: list[list[Cell]] = [[Bold(summary.title)], []]
    first, rest = _split(summary)
    for section in first:
        _add_section(rows, section)
    rows.append([Bold(label("s_history", loc, n=len(summary.weeks)))])
    rows.append([Bold(label("h_week", loc)), *(Bold(s.label) for s in summary.history)])
    top, bottom = len(rows) + 2, len(rows) + 1 + len(summary.weeks)
    trend: list[Cell] = [label("h_trend", loc)]
    for i, series in enumerate(summary.history, start=2):
        col = column_letters(i)
        trend.append(
            Wrap(series.note)  # not measured: why, where the trend would be
            if series.note
            else Formula(f'=SPARKLINE({col}{top}:{col}{bottom},{{"ymin",0}})')
            if sparklines
            else spark(series.values)
        )
    rows.append(trend)
    for w, week in enumerate(summary.weeks):
        rows.append([week, *(_value(s, s.values[w]) for s in summary.history)])
    rows.append([])
    for section in rest:
        _add_section(rows, section)
    return rows


def _add_section(rows: list[list[Cell]], section: Section) -> None:
    rows.append([Bold(section.title)])
    if section.header:
        rows.append([Bold(h) for h in section.header])
    for row in section.rows:
        rows.append(
            [
                Wrap(c) if i in section.wrap and isinstance(c, str) and c else c
                for i, c in enumerate(row)
            ]
        )
    rows.append([])


def summary_json(summary: Summary) -> str:
    data: dict[str, Any] = {
        "team": summary.team,
        "week": summary.week,
        "previous": summary.previous,
        "current": summary.current,
        "title": summary.title,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "header": list(s.header),
                "rows": [list(r) for r in s.rows],
                "note": s.note,
            }
            for s in summary.sections
        ],
        "history": {
            "weeks": list(summary.weeks),
            "series": [
                {"key": s.key, "label": s.label, "values": list(s.values), "note": s.note}
                for s in summary.history
            ],
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _table(header: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...], loc: Locale) -> list[str]:
    cells = [[_show(c, loc) for c in row] for row in ((header,) if header else ()) + rows]
    if not cells:
        return []
    # A one-cell row under a table (a note) runs across it and does not widen its first column.
    table = [row for row in cells if len(row) > 1] or cells
    widths = [
        max((display_width(row[i]) for row in table if i < len(row)), default=0)
        for i in range(max(map(len, cells)))
    ]
    return [
        "  ".join(c + " " * (widths[i] - display_width(c)) for i, c in enumerate(row)).rstrip()
        for row in cells
    ]


def _show(cell: Cell, loc: Locale) -> str:
    """A cell as text: numbers as the locale writes them, never 2e+06."""
    if cell is None:
        return "-"
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return number(cell, loc)
    return " ".join(str(cell).splitlines())  # one line; an indent stays


def summary_text(summary: Summary) -> str:
    loc = summary.locale
    lines = [summary.title, ""]
    first, rest = _split(summary)

    def block(section: Section) -> list[str]:
        return [
            section.title,
            *("  " + line for line in _table(section.header, section.rows, loc)),
            "",
        ]

    for section in first:
        lines += block(section)
    lines.append(label("s_history", loc, n=len(summary.weeks)))
    history = tuple(
        (s.label, s.note or spark(s.values), *(_value(s, v) for v in s.values[-4:]))
        for s in summary.history
    )
    header = ("", label("h_trend", loc), *(w.split("-")[1] for w in summary.weeks[-4:]))
    lines += ["  " + line for line in _table(header, history, loc)] + [""]
    for section in rest:
        lines += block(section)
    return "\n".join(lines)


def _svg(series: Series, *, width: int = 240, height: int = 48) -> str:
    """A line from zero to the series' highest value; the template marks it safe."""
    points = [(i, v) for i, v in enumerate(series.values) if v is not None]
    if not points:
        return ""
    high = max(max(v for _, v in points), 0.0) or 1.0
    step = width / max(len(series.values) - 1, 1)
    coords = " ".join(
        f"{i * step:.1f},{height - 4 - max(v, 0.0) / high * (height - 8):.1f}" for i, v in points
    )
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
        f'<polyline fill="none" stroke="#2563eb" stroke-width="2" points="{coords}"/></svg>'
    )


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sync", "templates/summary"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def summary_html(summary: Summary) -> str:
    """One self-contained page (inline CSS and SVG charts, no script), also used in e-mails."""
    loc = summary.locale
    first, rest = _split(summary)

    def show(section: Section) -> dict[str, Any]:
        return {
            "key": section.key,
            "title": section.title,
            "header": section.header,
            "rows": [
                [(_show(c, loc), i in section.wrap) for i, c in enumerate(row)]
                for row in section.rows
            ],
        }

    history = [
        {
            "label": s.label,
            "chart": Markup(_svg(s)),  # flowsync's own SVG: numbers only
            "latest": s.note
            or _show(_value(s, next((v for v in reversed(s.values) if v is not None), None)), loc),
        }
        for s in summary.history
    ]
    return (
        _env()
        .get_template("summary.html.j2")
        .render(
            locale=loc,
            title=summary.title,
            first=[show(s) for s in first],
            rest=[show(s) for s in rest],
            history_title=label("s_history", loc, n=len(summary.weeks)),
            trend=label("h_trend", loc),
            span=f"{summary.weeks[0]} – {summary.weeks[-1]}" if summary.weeks else "",
            history=history,
        )
    )
