"""Backends: where a team's workbook lives. Only modules here import openpyxl or gspread."""

from __future__ import annotations

import time

from sync.config import Settings, Source
from sync.core import Formula, Grid, Snapshot, Workbook
from sync.ratelimit import Quota
from sync.stop import Sleep

__all__ = ["Formula", "Grid", "Snapshot", "Workbook", "open_workbook"]


def open_workbook(
    source: Source, settings: Settings, *, quota: Quota | None = None, sleep: Sleep | None = None
) -> Workbook:
    """The backend for a team's (or the portfolio's) source: a local workbook or a Google spreadsheet.

    ``sleep`` is how retries wait (see ``sync.stop``): a stop cuts the wait short.
    """
    if source.workbook is not None:
        from sync.backends.xlsx import XlsxWorkbook

        return XlsxWorkbook(settings.resolve(source.workbook))
    from sync.backends.google import RetryPolicy, open_google

    assert source.spreadsheet is not None  # the config allows exactly one source
    google = settings.google
    return open_google(
        source.spreadsheet,
        credentials_file=settings.resolve(google.credentials) if google.credentials else None,
        policy=RetryPolicy(
            budget=google.retry_seconds,
            initial=google.retry_initial_seconds,
            timeout=google.request_timeout_seconds,
            lease_settle=google.lease_settle_seconds,
            sleep=sleep or time.sleep,
        ),
        quota=quota,
    )
