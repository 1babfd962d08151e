"""One cycle over many teams: observers hear it; against the emulator the quota holds and shards cover every team once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from emulator import SheetsEmulator
from helpers import workbook, write_xlsx

from sync.config import load_settings
from sync.cycle import CycleOptions, TeamReport
from sync.observe import Observer
from sync.runlog import Recorder, RunLog
from sync.runner import CycleReport, Runner, make_quota

WRITES = ("spreadsheets.batchUpdate", "values.batchUpdate")


def _config(
    tmp_path: Path, teams: int, *, workers: int, reads: int, writes: int, window: float
) -> Path:
    path = tmp_path / "flowsync.toml"
    path.write_text(
        f'[service]\nlocale = "en"\nworkers = {workers}\n'
        f"[quota]\nreads_per_minute = {reads}\nwrites_per_minute = {writes}\nwindow_seconds = {window}\n"
        + "".join(
            f'[[teams]]\nname = "Team {i:03d}"\nspreadsheet = "sheet-{i:03d}"\n'
            for i in range(teams)
        )
    )
    return path


def _max_in_window(times: list[float], window: float) -> int:
    """The most calls seen in any span of ``window`` seconds."""
    seen: deque[float] = deque()
    most = 0
    for t in sorted(times):
        seen.append(t)
        while seen[0] <= t - window:
            seen.popleft()
        most = max(most, len(seen))
    return most


@pytest.mark.slow
def test_eight_threads_hold_the_configured_rate_counted_at_the_emulator(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """16 teams on 8 threads, 12 reads and 12 writes per 4 s: the emulator never sees more.

    The emulator stamps a call when it arrives, a moment after the limiter let
    it go; on a busy machine that moment can reach tenths of a second, so the
    count is taken over spans 0.5 s shorter than the window.
    """
    for i in range(16):
        sheets.create(f"sheet-{i:03d}", workbook())
    settings = load_settings(_config(tmp_path, 16, workers=8, reads=12, writes=12, window=4.0))
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    runner = Runner(settings, clock=lambda: now, mailer=None, quota=make_quota(settings))
    report = runner.run(settings.teams, CycleOptions(now=now))
    assert not report.failed, [r.error for r in report.teams if r.failed]
    reads = [t for t, endpoint, _ in sheets.log if endpoint == "spreadsheets.get"]
    writes = [t for t, endpoint, _ in sheets.log if endpoint in WRITES]
    assert (len(reads), len(writes)) == (16, 32)
    assert _max_in_window(reads, 3.5) <= 12
    assert _max_in_window(writes, 3.5) <= 12


@pytest.mark.slow
def test_four_shard_processes_serve_every_team_once_within_the_quota(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """Four `run --once --shard I/4` processes at once: each team read once, the quota shared."""
    for i in range(24):
        sheets.create(f"sheet-{i:03d}", workbook())
    config = _config(tmp_path, 24, workers=4, reads=32, writes=32, window=2.0)
    env = {**os.environ, "SHEETS_EMULATOR_HOST": sheets.host}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sync",
                "--config",
                str(config),
                "run",
                "--once",
                "--shard",
                f"{i}/4",
                "--as-of",  # a moment with no nudge due: sending would add a lease read-back
                "2026-11-26",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outputs
    reads = [sid for _, endpoint, sid in sheets.log if endpoint == "spreadsheets.get"]
    assert sorted(reads) == [f"sheet-{i:03d}" for i in range(24)]
    read_times = [t for t, endpoint, _ in sheets.log if endpoint == "spreadsheets.get"]
    write_times = [t for t, endpoint, _ in sheets.log if endpoint in WRITES]
    assert _max_in_window(read_times, 1.8) <= 32
    assert _max_in_window(write_times, 1.8) <= 32


def test_the_run_log_records_when_each_team_started_not_when_it_finished(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """A clock that moves a minute per reading: the cycle starts, the team starts, the cycle ends."""
    write_xlsx(tmp_path / "a.xlsx", workbook())
    settings = load_settings(make_config({"A": "a.xlsx"}))
    readings = (datetime(2026, 11, 26, 9, minute, tzinfo=UTC) for minute in range(60))
    runlog = RunLog(tmp_path / "runs.sqlite")
    runner = Runner(
        settings, clock=lambda: next(readings), mailer=None, observers=[Recorder(runlog)]
    )
    runner.run(settings.teams, CycleOptions(now=datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    (cycle,) = runlog.cycles()
    (team,) = runlog.team_runs()
    assert (cycle["started"], team["started"], cycle["finished"]) == (
        "2026-11-26T09:00:00+00:00",
        "2026-11-26T09:01:00+00:00",
        "2026-11-26T09:02:00+00:00",
    )


def test_observers_hear_the_cycle_start_each_team_and_the_end(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """What run --once and the worker hang on the runner hears every team, then the outcome."""
    write_xlsx(tmp_path / "a.xlsx", workbook())
    settings = load_settings(make_config({"A": "a.xlsx", "B": "missing.xlsx"}))
    heard: list[str] = []

    class Ear(Observer):
        def cycle_started(self, options: CycleOptions, *, teams: int, started: datetime) -> None:
            heard.append(f"start {options.trigger} {teams}")

        def team_done(self, report: TeamReport) -> None:
            heard.append(f"{report.team} {'failed' if report.failed else 'ok'}")

        def cycle_finished(self, report: CycleReport) -> None:
            heard.append(f"end {report.outcome}")

    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    Runner(settings, clock=lambda: now, mailer=None, observers=[Ear()]).run(
        settings.teams, CycleOptions(now=now, trigger="check")
    )
    assert heard[0] == "start check 2"
    assert sorted(heard[1:3]) == ["A ok", "B failed"]
    assert heard[3] == "end failed"
