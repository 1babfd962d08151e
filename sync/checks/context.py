"""What every check needs besides the frames: the clock, the locale and the limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

import pandas as pd

from sync import messages
from sync.codes import CHECK
from sync.core import Locale
from sync.findings import Finding
from sync.workbook.frames import text
from sync.workbook.parse import Frames
from sync.workbook.values import iso_week, shift_week, week_monday


@dataclass(frozen=True, kw_only=True)
class Limits:
    """The method's limits, docs/WORKBOOK.md's defaults; overridable per team in the config."""

    max_metrics: int = 5
    max_risks_per_week: int = 2
    plan_deadline_weekday: int = 0  # Monday; 0..6 as in datetime.weekday()
    plan_deadline_time: time = time(12, 0)
    lookback_weeks: int = 4


@dataclass(frozen=True, kw_only=True)
class CheckContext:
    """``now`` is timezone-aware, in the team's time zone: it decides the current week."""

    now: datetime
    locale: Locale = "ko"
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("CheckContext.now must be timezone-aware (the team's time zone)")

    @property
    def week(self) -> str:
        return iso_week(self.now.date())

    @property
    def weeks(self) -> tuple[str, str]:
        """The weeks the week checks look at: the current one and the one before it."""
        return (self.week, shift_week(self.week, -1))

    @property
    def review_week(self) -> str:
        """The week the Weekly Summary reviews: this one once its plan is due, else the last.

        On Monday morning the new week is empty; the lead wants last week's verdict.
        """
        return self.week if self.plan_due(self.week) else shift_week(self.week, -1)

    def plan_due(self, week: str) -> bool:
        """A week's plan is due once its deadline has passed (PLAN001, FLOW001)."""
        return self.now >= self.plan_deadline(week)

    def week_over(self, week: str) -> bool:
        """A week's readings are due once the week has ended (METRIC004)."""
        return self.now.date() >= week_monday(shift_week(week, 1))

    def plan_deadline(self, week: str) -> datetime:
        """When a week's plan is due, in the team's time zone."""
        day = week_monday(week) + timedelta(days=self.limits.plan_deadline_weekday)
        return datetime.combine(day, self.limits.plan_deadline_time, tzinfo=self.now.tzinfo)

    def finding(
        self,
        code: str,
        *,
        tab: str,
        row: int | None,
        owner: str | None = None,
        week: str | None = None,
        subject: str = "",
        message: str | None = None,
        **params: Any,
    ) -> Finding:
        """A finding of ``code``; its message is MESSAGES[message or code] in this locale.

        The message may use ``{owner}`` and ``{week}`` besides ``params``.
        """
        words = {"owner": owner or "?", "week": week or "?", **params}
        return Finding(
            code=code,
            severity=CHECK[code].severity,
            tab=tab,
            row=row,
            owner=owner,
            week=week,
            message=messages.render(message or code, self.locale, **words),
            subject=subject,
        )

    def for_row(
        self,
        code: str,
        tab: str,
        r: Any,
        *,
        subject: str,
        message: str | None = None,
        **params: Any,
    ) -> Finding:
        """A finding of ``code`` on one row of ``tab``, where its row, owner and week come from.

        ``r`` is a record (``records``) or a row of a frame; a tab without an
        owner or a week column gives none.
        """
        return self.finding(
            code,
            tab=tab,
            row=int(_cell(r, "row")),
            owner=text(_cell(r, "owner")),
            week=text(_cell(r, "week")),
            subject=subject,
            message=message,
            **params,
        )


def _cell(r: Any, column: str) -> Any:
    return r.get(column) if isinstance(r, pd.Series) else getattr(r, column, None)


def runs(frames: Frames, code: str, *tabs: str) -> bool:
    """True when ``code`` can run on these tabs: each is there with every column it reads.

    The columns are the registry's (``sync.codes``); a check never runs on a
    missing column, so a renamed header is one DATA002, not a false finding per row.
    """
    reads = CHECK[code].reads
    return all(frames.usable(tab, *reads[tab]) for tab in tabs)
