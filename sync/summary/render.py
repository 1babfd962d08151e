"""A Summary as a sheet grid, text, JSON or one self-contained HTML page."""

from __future__ import annotations

import html
import json
from typing import Any

from sync.core import Cell, Formula, Grid, column_letters, display_width
from sync.messages import summary_label as label
from sync.summary.build import Section, Series, Summary

_BARS = "▁▂▃▄▅▆▇█"
_PERCENT = {"linkage", "next_action"}


def spark(values: tuple[float | None, ...]) -> str:
    """A Unicode sparkline: one bar per week, a dot where there is no value."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    if high == low:  # a steady series is drawn level at mid height, not as a collapse
        return "".join("·" if v is None else _BARS[len(_BARS) // 2] for v in values)
    span = high - low
    return "".join(
        "·" if v is None else _BARS[round((v - low) / span * (len(_BARS) - 1))] for v in values
    )


def _value(series: Series, value: float | None) -> Cell:
    if value is None:
        return None
    if series.key in _PERCENT:
        return round(value * 100)
    return int(value) if float(value).is_integer() else round(value, 2)


def summary_grid(summary: Summary, *, sparklines: bool) -> Grid:
    """The Weekly Summary tab: the three questions, the history, then every other block.

    The history has one row per week and one column per series, with a trend
    row under its header: a SPARKLINE formula over the column's twelve weeks
    when ``sparklines`` (Google Sheets), else a Unicode sparkline.
    """
    loc = summary.locale
    rows: list[list[Cell]] = [
        [label("title", loc, team=summary.team, week=summary.week, previous=summary.previous)],
        [],
    ]
    sections = list(summary.sections)
    _add_section(rows, sections.pop(0))  # the three questions come first
    rows.append([label("s_history", loc, n=len(summary.weeks))])
    rows.append([label("h_week", loc), *(s.label for s in summary.history)])
    first, last = len(rows) + 2, len(rows) + 1 + len(summary.weeks)
    trend: list[Cell] = [label("h_trend", loc)]
    for i, series in enumerate(summary.history, start=2):
        col = column_letters(i)
        trend.append(
            Formula(f"=SPARKLINE({col}{first}:{col}{last})") if sparklines else spark(series.values)
        )
    rows.append(trend)
    for w, week in enumerate(summary.weeks):
        rows.append([week, *(_value(s, s.values[w]) for s in summary.history)])
    rows.append([])
    for section in sections:
        _add_section(rows, section)
    return rows


def _add_section(rows: list[list[Cell]], section: Section) -> None:
    rows.append([section.title])
    if section.header:
        rows.append(list(section.header))
    rows.extend(list(row) for row in section.rows)
    rows.append([])


def summary_json(summary: Summary) -> str:
    data: dict[str, Any] = {
        "team": summary.team,
        "week": summary.week,
        "previous": summary.previous,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "header": list(s.header),
                "rows": [list(r) for r in s.rows],
            }
            for s in summary.sections
        ],
        "history": {
            "weeks": list(summary.weeks),
            "series": [
                {"key": s.key, "label": s.label, "values": list(s.values)} for s in summary.history
            ],
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _table(header: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...]) -> list[str]:
    cells = [[_show(c) for c in row] for row in ((header,) if header else ()) + rows]
    if not cells:
        return []
    widths = [
        max(display_width(row[i]) for row in cells if i < len(row))
        for i in range(max(map(len, cells)))
    ]
    return [
        "  ".join(c + " " * (widths[i] - display_width(c)) for i, c in enumerate(row)).rstrip()
        for row in cells
    ]


def _show(cell: Cell) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, float):
        return f"{cell:g}"
    return " ".join(str(cell).split())


def summary_text(summary: Summary) -> str:
    loc = summary.locale
    lines = [
        label("title", loc, team=summary.team, week=summary.week, previous=summary.previous),
        "",
    ]
    sections = list(summary.sections)
    first = sections.pop(0)
    lines += [first.title, *("  " + line for line in _table((), first.rows)), ""]
    lines.append(label("s_history", loc, n=len(summary.weeks)))
    history = tuple(
        (s.label, spark(s.values), *(_value(s, v) for v in s.values[-4:])) for s in summary.history
    )
    header = ("", label("h_trend", loc), *(w.split("-")[1] for w in summary.weeks[-4:]))
    lines += ["  " + line for line in _table(header, history)] + [""]
    for section in sections:
        lines += [
            section.title,
            *("  " + line for line in _table(section.header, section.rows)),
            "",
        ]
    return "\n".join(lines)


def _svg(series: Series, *, width: int = 240, height: int = 48) -> str:
    points = [(i, v) for i, v in enumerate(series.values) if v is not None]
    if not points:
        return ""
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    span, step = (high - low) or 1.0, width / max(len(series.values) - 1, 1)
    coords = " ".join(
        f"{i * step:.1f},{height - 4 - (v - low) / span * (height - 8):.1f}" for i, v in points
    )
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{html.escape(series.label)}"><polyline fill="none" stroke="#2563eb" '
        f'stroke-width="2" points="{coords}"/></svg>'
    )


def summary_html(summary: Summary) -> str:
    """One self-contained page (inline CSS and SVG charts, no script), also used in e-mails."""
    loc, e = summary.locale, html.escape
    title = label("title", loc, team=summary.team, week=summary.week, previous=summary.previous)
    parts = [
        f'<!doctype html><html lang="{loc}"><head><meta charset="utf-8"><title>{e(title)}</title>',
        "<style>body{font-family:system-ui,'Apple SD Gothic Neo','Malgun Gothic',sans-serif;margin:2rem;color:#111}"
        "table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.3rem .6rem;"
        "text-align:left;vertical-align:top}th{background:#f5f5f5}h2{font-size:1.1rem;margin-top:1.5rem}</style>",
        f"</head><body><h1>{e(title)}</h1>",
    ]
    sections = list(summary.sections)

    def table(section: Section) -> str:
        head = "".join(f"<th>{e(h)}</th>" for h in section.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{e(_show(c))}</td>" for c in row) + "</tr>"
            for row in section.rows
        )
        return (
            f"<h2>{e(section.title)}</h2><table>{f'<tr>{head}</tr>' if head else ''}{body}</table>"
        )

    parts.append(table(sections.pop(0)))
    parts.append(f"<h2>{e(label('s_history', loc, n=len(summary.weeks)))}</h2><table>")
    parts.append(
        f"<tr><th></th><th>{e(label('h_trend', loc))}</th><th>{e(summary.weeks[0])} – {e(summary.weeks[-1])}</th></tr>"
    )
    for s in summary.history:
        latest = next((v for v in reversed(s.values) if v is not None), None)
        parts.append(
            f"<tr><td>{e(s.label)}</td><td>{_svg(s)}</td><td>{e(_show(_value(s, latest)))}</td></tr>"
        )
    parts.append("</table>")
    parts += [table(section) for section in sections]
    parts.append("</body></html>")
    return "".join(parts)
