"""Backends: where a team's workbook lives. Only modules here import openpyxl or gspread."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sync.config import Settings, Source, TeamConfig
from sync.core import Formula, Grid, Snapshot, Waiting, Workbook
from sync.ratelimit import Quota
from sync.stop import Sleep

if TYPE_CHECKING:
    from sync.backends.drive import Changes
    from sync.backends.google import RetryPolicy
    from sync.backends.snapshots import SnapshotStore

__all__ = ["Formula", "Grid", "Snapshot", "Workbook", "changed_spreadsheets", "open_workbook"]


def open_workbook(
    source: Source,
    settings: Settings,
    *,
    quota: Quota | None = None,
    sleep: Sleep | None = None,
    changes: Changes | None = None,
    waiting: Waiting | None = None,
) -> Workbook:
    """The backend for a team's (or the portfolio's) source: a local workbook or a Google spreadsheet.

    ``sleep`` is how retries wait (see ``sync.stop``): a stop cuts the wait short.
    ``waiting`` is told when a local workbook's write waits for another process's lock.

    A Google spreadsheet comes wrapped in its snapshot cache (sync/backends/snapshots.py):
    with ``changes`` from ``changed_spreadsheets``, a sheet nobody edited is not read.
    """
    if source.workbook is not None:
        from sync.backends.xlsx import XlsxWorkbook

        return XlsxWorkbook(settings.resolve(source.workbook), waiting=waiting)
    from sync.backends.drive import CHANGE_SCOPES, OFF
    from sync.backends.google import SCOPES, open_google
    from sync.backends.snapshots import CachedWorkbook

    assert source.spreadsheet is not None  # the config allows exactly one source
    google = settings.google
    account = account_of(source, settings)
    inner = open_google(
        source.spreadsheet,
        credentials_file=key_file(settings, account),
        policy=retry_policy(settings, sleep=sleep),
        quota=quota.account(account) if quota is not None else None,
        scopes=CHANGE_SCOPES if google.change_detection else SCOPES,
    )
    return CachedWorkbook(inner, snapshot_store(settings), changes or OFF)


def account_of(source: Source, settings: Settings) -> int:
    """Which service account of ``[google] credentials`` serves a team.

    The same hash as the shards' (sync/shard.py), so that with as many
    accounts as shards each shard uses one account of its own.
    """
    from sync.shard import shard_of

    count = len(settings.google.key_files)
    name = source.name if isinstance(source, TeamConfig) else ""
    return shard_of(name, count) if count > 1 else 0


def key_file(settings: Settings, account: int) -> Path | None:
    path = settings.google.key_files[account]
    return settings.resolve(path) if path is not None else None


def retry_policy(settings: Settings, *, sleep: Sleep | None = None) -> RetryPolicy:
    """``[google]``'s retry budget and timeouts; ``sleep`` is how retries wait."""
    from sync.backends.google import RetryPolicy

    google = settings.google
    return RetryPolicy(
        budget=google.retry_seconds,
        initial=google.retry_initial_seconds,
        timeout=google.request_timeout_seconds,
        lease_settle=google.lease_settle_seconds,
        sleep=sleep or time.sleep,
    )


def snapshot_store(settings: Settings) -> SnapshotStore:
    from sync.backends.snapshots import SnapshotStore

    return SnapshotStore(settings.state_dir / "snapshots", locale=settings.service.locale)


def changed_spreadsheets(
    settings: Settings, teams: Sequence[TeamConfig], *, now: datetime
) -> Changes | None:
    """The cycle's one question to Drive: which of these teams' sheets changed since last time.

    None (every team read, and nothing of Google imported) unless ``[google]
    change_detection = true``. Call it once per cycle, before serving the
    teams, and hand the answer to ``open_workbook``.
    """
    google = settings.google
    if not google.change_detection or all(t.spreadsheet is None for t in teams):
        return None
    from sync.backends.drive import change_session, detect_changes, merge
    from sync.backends.google import spreadsheet_id

    store = snapshot_store(settings)
    # Each account sees the sheets shared with it: one question per account.
    by_account: dict[int, dict[str, datetime | None]] = {}
    for team in teams:
        if team.spreadsheet is None:
            continue
        sid = spreadsheet_id(team.spreadsheet)
        meta = store.meta(sid)
        confirmed = meta.confirmed_at if meta is not None else None
        by_account.setdefault(account_of(team, settings), {})[sid] = confirmed
    answers = []
    for account, spreadsheets in sorted(by_account.items()):
        session = change_session(
            credentials_file=key_file(settings, account), timeout=google.request_timeout_seconds
        )
        answers.append(
            detect_changes(
                session,
                spreadsheets,
                now=now,
                policy=retry_policy(settings),
                overlap=timedelta(seconds=google.change_overlap_seconds),
                full_read_after=timedelta(hours=google.full_read_hours),
                locale=settings.service.locale,
            )
        )
    return merge(answers)
