"""The scheduled worker: a loop on ``schedule`` that runs cycles until told to stop.

Two kinds of job come from ``[schedule]``: ``check`` and ``summary``. Both run
one full cycle (findings, the Weekly Summary, alerts): the summary is rewritten
whenever a cycle writes, so it never shows a stale week; the two names only
say why a time is in the schedule. Each is a ``schedule.Job`` whose next run
is computed by a Trigger on an injected clock, in the service's time zone,
plus a little random jitter so that many workers do not hit the API in the
same second. A third kind, ``notify``, is a check cycle at each team's nudge
and report times (``[teams.notify]``), in the team's own time zone, so that a
nudge due at 10:00 goes out at 10:00 and not at the next check. Surprising
behaviour, stated plainly:

- ``schedule`` does not catch exceptions; every job here is guarded, so one
  failing cycle is logged and the loop goes on.
- Jobs run one at a time in the loop's thread: a cycle still running when the
  next is due is not started twice; the due job runs once it ends.
- A job missed while the machine slept runs once when the loop wakes, not
  once per missed time; then it is due again at its next time.
- A stop (SIGTERM, SIGINT) lets the teams in hand finish, starts no more, and
  ends the loop; nothing is written half-done because every write is whole.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import schedule

from sync.config import Settings, TeamConfig
from sync.cycle import Clock, CycleOptions
from sync.messages import moment_words, ui
from sync.notify.outbox import notify_times
from sync.runner import CycleReport, Runner
from sync.triggers import Trigger, parse_trigger

log = logging.getLogger(__name__)

_KINDS = ("check", "summary", "notify")  # the order the start line names them in


class TriggerJob(schedule.Job):
    """A schedule.Job that asks its Trigger when to run next, on an injected clock."""

    def __init__(
        self,
        trigger: Trigger,
        *,
        kind: str,
        clock: Clock,
        jitter: float,
        rng: random.Random,
        scheduler: schedule.Scheduler,
    ) -> None:
        super().__init__(1, scheduler)
        self.trigger, self.kind = trigger, kind
        self.clock, self.jitter, self.rng = clock, jitter, rng
        self.due: datetime = clock()

    def _schedule_next_run(self) -> None:
        self.due = self.trigger.next_after(self.clock()) + timedelta(
            seconds=self.rng.uniform(0, self.jitter)
        )
        # schedule keeps naive local times; ours stay aware in ``due``.
        self.next_run = self.due.astimezone().replace(tzinfo=None)

    @property
    def should_run(self) -> bool:
        return self.clock() >= self.due


class Worker:
    """Runs cycles for ``teams`` when ``[schedule]`` says, until the runner's stop is set."""

    def __init__(
        self,
        settings: Settings,
        teams: Sequence[TeamConfig],
        *,
        runner: Runner,
        rng: random.Random | None = None,
        heartbeat: Callable[[], None] | None = None,
    ) -> None:
        self.settings, self.teams, self.runner = settings, list(teams), runner
        self.heartbeat = heartbeat  # called on every turn of the loop: /healthz's liveness
        self.clock, self.stop = runner.clock, runner.stop
        self.rng = rng or random.Random()
        self._busy = threading.Lock()
        self.scheduler = self._build_scheduler()

    def _build_scheduler(self) -> schedule.Scheduler:
        scheduler = schedule.Scheduler()
        tz = ZoneInfo(self.settings.service.timezone)
        spec = self.settings.schedule
        for kind, specs in (("summary", spec.summary), ("check", spec.check)):
            for text in specs:
                job = TriggerJob(
                    parse_trigger(text, tz),
                    kind=kind,
                    clock=self.clock,
                    jitter=spec.jitter_seconds,
                    rng=self.rng,
                    scheduler=scheduler,
                )
                job.do(self.guarded, kind).tag(kind, text)
        # Nudges and reports are due from their time, in each team's zone: a cycle comes then.
        for text, zone in notify_times(self.settings, self.teams):
            job = TriggerJob(
                parse_trigger(text, zone),
                kind="notify",
                clock=self.clock,
                jitter=spec.jitter_seconds,
                rng=self.rng,
                scheduler=scheduler,
            )
            job.do(self.guarded, "notify").tag("notify", text)
        return scheduler

    @property
    def zone(self) -> ZoneInfo:
        """The teams' time zone, the one their people live by; the service's when they differ."""
        zones = {self.settings.team_timezone(t).key for t in self.teams}
        return ZoneInfo(zones.pop() if len(zones) == 1 else self.settings.service.timezone)

    def next_runs(self) -> dict[str, datetime]:
        """Each kind of job's next run (check, summary, notify), in the teams' time zone.

        Read from the scheduler's own jobs, so it is what the loop will do: their aware
        ``due``, not schedule's ``next_run`` (1.2.2 keeps only a naive machine-local time,
        which cannot tell the two 02:30s of the night the clocks go back apart).
        """
        out: dict[str, datetime] = {}
        zone = self.zone
        for job in self.scheduler.jobs:
            if not isinstance(job, TriggerJob) or job.next_run is None:
                continue
            when = job.due.astimezone(zone)
            if job.kind not in out or when < out[job.kind]:
                out[job.kind] = when
        return {kind: out[kind] for kind in _KINDS if kind in out}

    def started(self, *, shard: str | None = None) -> None:
        """The start line: when the worker next does something, so a person knows it is alive."""
        locale, runs = self.settings.service.locale, self.next_runs()
        said = ", ".join(
            f"{ui(f'job_{kind}', locale)} {moment_words(when, locale)}"
            for kind, when in runs.items()
        )
        why = ui("log_next_runs", locale, zone=self.zone.key, runs=said or ui("none", locale))
        fields: dict[str, object] = {"teams": len(self.teams), "shard": shard}
        fields |= {
            f"next_{kind}": when.isoformat(timespec="seconds") for kind, when in runs.items()
        }
        log.info("worker started", extra={"fields": {**fields, "why": why}})

    def guarded(self, kind: str) -> None:
        """Run one cycle; never raise, since schedule would let the exception end the loop."""
        try:
            self.run(kind)
        except Exception:
            log.exception("cycle failed", extra={"fields": {"trigger": kind}})

    def run(self, kind: str) -> CycleReport | None:
        """One cycle now, named after the job that asked for it."""
        if not self._busy.acquire(blocking=False):
            why = ui("log_still_running", self.settings.service.locale)
            log.warning("cycle skipped", extra={"fields": {"trigger": kind, "why": why}})
            return None
        try:
            options = CycleOptions(now=self.clock(), trigger=kind)
            return self.runner.run(self.teams, options)
        finally:
            self._busy.release()

    def serve_forever(
        self, *, poll: float = 1.0, sleep: Callable[[float], Any] | None = None
    ) -> None:
        """Turn the loop until ``stop`` is set; each turn runs the jobs that are due."""
        wait = sleep or self.stop.wait
        while not self.stop.is_set():
            if self.heartbeat is not None:
                self.heartbeat()
            self.scheduler.run_pending()
            if self.stop.is_set():
                break
            wait(min(poll, max(self.seconds_to_next(), 0.0)) or 0.01)
        log.info("worker stopped")

    def seconds_to_next(self) -> float:
        """Seconds until the next job is due, on the injected clock."""
        dues = [job.due for job in self.scheduler.jobs if isinstance(job, TriggerJob)]
        return (min(dues) - self.clock()).total_seconds() if dues else 60.0
