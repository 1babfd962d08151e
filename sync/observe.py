"""What hears a cycle as it goes: the run log, the metrics, a progress bar, the log lines.

Kept apart from the runner so that a cheap command (``status``) can know the
run log without loading the checks and pandas.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sync.cycle import CycleOptions, TeamReport
    from sync.runner import CycleReport


class Observer:
    """Every method does nothing here; an observer overrides what it needs.

    The runner calls them from its team threads, so ``team_waiting`` and ``team_done`` must be
    thread-safe.
    """

    def cycle_started(self, options: CycleOptions, *, teams: int, started: datetime) -> None:
        """A cycle over ``teams`` teams begins."""

    def team_waiting(self, team: str, why: str) -> None:
        """A team's cycle waits for something outside it (another process's lock); ``why`` says
        what and for how long at most, in the team's language."""

    def team_done(self, report: TeamReport) -> None:
        """One team's cycle ended (or was skipped after a stop)."""

    def cycle_finished(self, report: CycleReport) -> None:
        """The cycle ended: every team done or skipped, the portfolio written or not."""
