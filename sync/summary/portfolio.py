"""The portfolio tab: one row per team per week, so a head of several teams sees which is stuck."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sync.codes import Severity
from sync.core import Cell, Grid, Locale
from sync.findings import Finding
from sync.messages import summary_label as label
from sync.summary.build import Summary

_SERIES = ("business_done", "learning_done", "people_done", "experiments")


def portfolio_grid(teams: Sequence[tuple[Summary, Sequence[Finding]]], *, locale: Locale) -> Grid:
    """Newest week first, then team by name; undated findings count in the current week.

    A figure the team's summary could not measure (a column missing) is a blank cell, not 0.
    """
    header: list[Cell] = [
        label(k, locale)
        for k in (
            "p_team",
            "h_week",
            "hist_linkage",
            "p_business",
            "p_learning",
            "p_people",
            "hist_experiments",
            "p_errors",
            "p_warnings",
            "p_info",
        )
    ]
    rows: list[tuple[str, str, list[Cell]]] = []
    for summary, findings in teams:
        counts = Counter((f.week or summary.week, f.severity) for f in findings)
        linkage = summary.series("linkage").values
        for i, week in enumerate(summary.weeks):
            rate = linkage[i]
            values: list[Cell] = [_count(summary.series(k).values[i]) for k in _SERIES]
            row: list[Cell] = [
                summary.team,
                week,
                None if rate is None else round(rate * 100),
                *values,
            ]
            row += [counts[(week, s)] for s in Severity]
            rows.append((week, summary.team, row))
    rows.sort(key=lambda r: r[1])
    rows.sort(key=lambda r: r[0], reverse=True)
    return [header, *(row for _, _, row in rows)]


def _count(value: float | None) -> Cell:
    return None if value is None else int(value)
