"""Backends: where a team's workbook lives. Only modules here import openpyxl or gspread."""

from __future__ import annotations

from sync.backends.base import Formula, Grid, Snapshot, Workbook
from sync.config import Settings, TeamConfig

__all__ = ["Formula", "Grid", "Snapshot", "Workbook", "open_workbook"]


def open_workbook(team: TeamConfig, settings: Settings) -> Workbook:
    """The backend for a team's source: a local workbook or a Google spreadsheet."""
    if team.workbook is not None:
        from sync.backends.xlsx import XlsxWorkbook

        return XlsxWorkbook(settings.resolve(team.workbook))
    from sync.errors import ConfigError

    raise ConfigError(
        f"{settings.path}: teams ({team.name}).spreadsheet: the Google backend is not available "
        'in this version; use workbook = "path.xlsx"'
    )
