"""The worker: jobs due when the config says, on an injected clock; a clean stop on SIGTERM."""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import SmtpServer, WebhookReceiver
from emulator import SheetsEmulator
from helpers import clean, read_xlsx, wait_until, workbook, write_xlsx

from sync.config import Settings, TeamConfig, load_settings
from sync.cycle import check, team_context
from sync.metrics import Metrics
from sync.notify.channels import AppriseNotifier
from sync.observe import Observer
from sync.runlog import Recorder, RunLog
from sync.runner import Runner, make_mailer
from sync.summary import findings_grid
from sync.workbook.contract import resolve_tabs
from sync.worker import TriggerJob, Worker

SEOUL = ZoneInfo("Asia/Seoul")


class Clock:
    """An injected clock: time moves only when the test says."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _settings(tmp_path: Path, *, check: str, summary: str, tz: str = "Asia/Seoul") -> Settings:
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=_unlinked()))
    config = tmp_path / "flowsync.toml"
    config.write_text(
        f'[service]\nlocale = "en"\ntimezone = "{tz}"\n'
        f'[schedule]\ncheck = ["{check}"]\nsummary = ["{summary}"]\njitter_seconds = 0\n'
        '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\n'
        # These tests are about [schedule]; the cycles at nudge times have a test of their own.
        "[teams.notify]\nnudge_email = false\n"
    )
    return load_settings(config)


THURSDAY_NOON = datetime(2026, 11, 26, 12, 0, tzinfo=SEOUL)


def make_worker(
    settings: Settings,
    teams: list[TeamConfig],
    *,
    clock: Callable[[], datetime] | None = None,
    runlog: RunLog | None = None,
    metrics: Metrics | None = None,
    worker: type[Worker] = Worker,
) -> Worker:
    """A worker as `flowsync worker` builds it: one runner, the run log and metrics observing."""
    observers: list[Observer] = [Recorder(runlog)] if runlog else []
    observers += [metrics] if metrics else []
    runner = Runner(
        settings,
        clock=clock or Clock(THURSDAY_NOON),
        mailer=make_mailer(settings),
        observers=observers,
    )
    return worker(settings, teams, runner=runner)


def _unlinked() -> list[list[object]]:
    plan = clean("plan")
    plan[4][4] = None
    return plan


def _dues(worker: Worker) -> dict[str, datetime]:
    return {job.kind: job.due for job in worker.scheduler.jobs if isinstance(job, TriggerJob)}


def test_jobs_are_due_when_the_config_says_in_its_time_zone(tmp_path: Path) -> None:
    """Thursday noon in Seoul: the check is due at 18:00 today, the summary Monday 08:00."""
    clock = Clock(datetime(2026, 11, 26, 12, 0, tzinfo=SEOUL))
    worker = make_worker(
        _settings(tmp_path, check="mon-fri 18:00", summary="mon 08:00"), [], clock=clock
    )
    dues = _dues(worker)
    assert dues["check"] == datetime(2026, 11, 26, 18, 0, tzinfo=SEOUL)
    assert dues["summary"] == datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL)


def test_run_pending_runs_each_job_when_due_and_reschedules_it(tmp_path: Path) -> None:
    """At 17:59 nothing runs; at 18:00 the check writes Findings and a Weekly Summary of this
    week; Monday 08:00, before the plan deadline, the summary reviews the week just ended."""
    settings = _settings(tmp_path, check="mon-fri 18:00", summary="mon 08:00")
    clock = Clock(datetime(2026, 11, 26, 17, 59, tzinfo=SEOUL))
    runlog = RunLog(tmp_path / "runs.sqlite")
    worker = make_worker(settings, settings.teams, clock=clock, runlog=runlog)
    worker.scheduler.run_pending()
    assert runlog.cycles() == []
    clock.now = datetime(2026, 11, 26, 18, 0, tzinfo=SEOUL)
    worker.scheduler.run_pending()
    assert [c["trigger"] for c in runlog.cycles()] == ["check"]
    findings = read_xlsx(tmp_path / "a.xlsx")["Findings"]
    assert findings[1][:6] == [
        "LINK001",
        "error",
        "Weekly Plan",
        5,
        "Kim",
        "2026-W48",
    ]  # as of the clock
    thursday = read_xlsx(tmp_path / "a.xlsx")["Weekly Summary"][0][0]
    assert _dues(worker)["check"] == datetime(2026, 11, 27, 18, 0, tzinfo=SEOUL)
    clock.now = datetime(2026, 11, 27, 18, 0, tzinfo=SEOUL)
    worker.scheduler.run_pending()
    clock.now = datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL)
    worker.scheduler.run_pending()
    assert [c["trigger"] for c in runlog.cycles()] == ["check", "check", "summary"]
    monday = read_xlsx(tmp_path / "a.xlsx")["Weekly Summary"][0][0]
    week48 = "A · Weekly Summary · Nov 23–29 (2026-W48)"
    assert (thursday, monday) == (week48, week48)  # on Monday 08:00, W49 has no plans yet


def test_a_missed_job_runs_once_when_the_loop_wakes(tmp_path: Path) -> None:
    """Asleep from Thursday to Monday 09:00: the missed checks run once, not once per missed day."""
    settings = _settings(tmp_path, check="mon-fri 18:00", summary="mon 08:00")
    clock = Clock(datetime(2026, 11, 26, 12, 0, tzinfo=SEOUL))
    runlog = RunLog(tmp_path / "runs.sqlite")
    worker = make_worker(settings, settings.teams, clock=clock, runlog=runlog)
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=SEOUL)
    worker.scheduler.run_pending()
    assert sorted(c["trigger"] for c in runlog.cycles()) == ["check", "summary"]
    assert _dues(worker)["check"] == datetime(2026, 11, 30, 18, 0, tzinfo=SEOUL)


def test_worker_follows_daylight_saving_in_its_zone(tmp_path: Path) -> None:
    """In Berlin a daily 02:30 check is due at 03:30 local on the spring-forward night."""
    settings = _settings(tmp_path, check="daily 02:30", summary="mon 08:00", tz="Europe/Berlin")
    clock = Clock(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    worker = make_worker(settings, [], clock=clock)
    assert _dues(worker)["check"].astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    clock.now = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    worker.scheduler.run_pending()
    assert _dues(worker)["check"].astimezone(UTC) == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)


def test_a_failing_cycle_does_not_stop_the_loop(tmp_path: Path) -> None:
    """schedule does not catch exceptions: the worker's guard does, and the next job still runs."""
    settings = _settings(tmp_path, check="every 1 second", summary="every 1 second")
    clock = Clock(datetime(2026, 11, 26, 12, 0, tzinfo=SEOUL))
    ran: list[str] = []

    class Flaky(Worker):
        def run(self, kind: str) -> None:  # type: ignore[override]
            ran.append(kind)
            raise RuntimeError("boom")

    worker = make_worker(settings, [], clock=clock, worker=Flaky)
    clock.now += timedelta(seconds=1)
    worker.scheduler.run_pending()
    assert sorted(ran) == ["check", "summary"]


def test_a_cycle_still_running_is_not_started_twice(tmp_path: Path) -> None:
    """While one cycle holds the worker, another call returns at once without running."""
    worker = make_worker(_settings(tmp_path, check="every 1 second", summary="mon 08:00"), [])
    with worker._busy:
        assert worker.run("check") is None


def test_stop_ends_the_loop(tmp_path: Path) -> None:
    """serve_forever turns until stop is set, running due jobs each turn."""
    settings = _settings(tmp_path, check="every 10 seconds", summary="mon 08:00")
    clock = Clock(datetime(2026, 11, 26, 12, 0, tzinfo=SEOUL))
    runlog = RunLog(tmp_path / "runs.sqlite")
    worker = make_worker(settings, settings.teams, clock=clock, runlog=runlog)

    def sleep(seconds: float) -> None:
        clock.now += timedelta(seconds=seconds)
        if len(runlog.cycles()) >= 2:
            worker.stop.set()

    worker.serve_forever(poll=5, sleep=sleep)
    assert [c["trigger"] for c in runlog.cycles()] == ["check", "check"]


def test_metrics_and_liveness_are_served(tmp_path: Path) -> None:
    """After a cycle /metrics counts it and its API calls; /healthz answers ok while the loop turns."""
    settings = _settings(tmp_path, check="every 1 second", summary="mon 08:00")
    metrics = Metrics()
    worker = make_worker(settings, settings.teams, metrics=metrics)
    worker.run("check")
    server = metrics.serve("127.0.0.1", 0)
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:
            assert answer.read() == b"ok\n"
        with urllib.request.urlopen(f"{base}/metrics", timeout=5) as answer:
            text = answer.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert 'flowsync_cycles_total{outcome="ok"} 1.0' in text
    assert 'flowsync_team_runs_total{outcome="ok"} 1.0' in text
    assert 'flowsync_findings{code="LINK001"} 1.0' in text


@pytest.mark.slow
def test_worker_process_runs_cycles_and_stops_cleanly_on_sigterm(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    """Two cycles, SIGTERM in the middle of a third: exit 0, owned tabs whole, run log consistent."""
    with SheetsEmulator(latency=0.15) as sheets:
        teams = {f"Team {i}": f"sheet-{i}" for i in range(3)}
        for sid in teams.values():
            sheets.create(sid, workbook(plan=_unlinked()))
        config = tmp_path / "flowsync.toml"
        config.write_text(
            '[service]\nlocale = "en"\nworkers = 1\n'
            '[schedule]\ncheck = ["every 1 second"]\nsummary = []\njitter_seconds = 0\n'
            f'[email]\nsender = "flowsync@example.com"\nsmtp_host = "{smtp_server.host}"\n'
            f'smtp_port = {smtp_server.port}\nsecurity = "none"\n'
            + "".join(
                f'[[teams]]\nname = "{n}"\nspreadsheet = "{s}"\nalert_to = ["lead@example.com"]\n'
                # Nudges go by the real clock here: off, so that the count below holds any day.
                '[teams.notify]\nnudge_plan = "off"\nnudge_retro = "off"\n'
                for n, s in teams.items()
            )
        )
        env = {**os.environ, "SHEETS_EMULATOR_HOST": sheets.host}
        db = tmp_path / ".flowsync" / "runs.sqlite"

        def query(sql: str) -> list[tuple[object, ...]]:
            """Rows of the run log, or none while the worker is still creating it."""
            if not db.exists():
                return []
            try:
                with closing(sqlite3.connect(db)) as conn:
                    return list(conn.execute(sql))
            except sqlite3.OperationalError:  # the file exists a moment before its tables
                return []

        def third_started() -> bool:
            cycles = query("SELECT id, finished FROM cycles ORDER BY id")
            if len(cycles) < 3 or cycles[1][1] is None:
                return False
            return query("SELECT COUNT(*) FROM team_runs WHERE cycle_id = 3") == [(0,)]

        command = [sys.executable, "-m", "sync", "--config", str(config), "worker"]
        with subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as proc:
            try:
                wait_until(third_started)
                proc.send_signal(signal.SIGTERM)
                _, err = proc.communicate(timeout=30)
            finally:
                proc.kill()
        assert proc.returncode == 0, err
        assert "Traceback" not in err

        log = RunLog(db)
        runs = log.cycles()
        assert all(c["finished"] for c in runs)
        assert [c["interrupted"] for c in runs[:2]] == [0, 0]
        assert runs[-1]["interrupted"] == 1
        assert runs[-1]["teams"] < 3
        assert [len(log.team_runs(c["id"])) for c in runs] == [c["teams"] for c in runs]

        settings = load_settings(config)
        for team in settings.teams:
            sid = teams[team.name]
            from sync.backends.google import RetryPolicy, open_google

            os.environ["SHEETS_EMULATOR_HOST"] = sheets.host
            try:
                snapshot = open_google(sid, credentials_file=None, policy=RetryPolicy()).read()
            finally:
                del os.environ["SHEETS_EMULATOR_HOST"]
            _, found = check(
                snapshot, team=team.name, ctx=team_context(settings, team, now=datetime.now(UTC))
            )
            expected = findings_grid(found, titles=resolve_tabs(snapshot.titles), locale="en")
            assert sheets.values(sid, "Findings") == [[_text(c) for c in row] for row in expected]
        recipients = sorted(r.recipients[0] for r in smtp_server.received)
        assert recipients.count("kim@example.com") == 3  # once per team, never again
        # The lead's weekly report, due from Monday 08:00 to the week's end on the real clock:
        # once per team, or not at all early on a Monday.
        assert recipients.count("lead@example.com") in (0, 3)


def _text(cell: object) -> str:
    return "" if cell is None else str(cell)


def test_status_reports_cycles_failures_and_teams_not_seen(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """After a run with one missing workbook: status names the failing team and exits 1."""
    from test_cli import flowsync

    write_xlsx(tmp_path / "a.xlsx", workbook())
    config = make_config({"A": "a.xlsx", "B": "missing.xlsx"})
    flowsync("--config", config, "run", "--once")
    code, out, _ = flowsync("--config", config, "status")
    assert code == 1
    assert "last cycle: #1 once" in out
    assert "2 teams, 1 failed" in out
    assert "  B: workbook" in out
    code, out, _ = flowsync("--config", config, "status", "--format", "json")
    data = json.loads(out)
    assert [t["team"] for t in data["failing"]] == ["B"]
    assert [t["team"] for t in data["not_seen"]] == ["B"]


@pytest.mark.parametrize("shard", ["0/2", "1/2"])
def test_run_once_with_a_shard_serves_only_its_teams(
    tmp_path: Path, make_config: Callable[..., Path], shard: str
) -> None:
    """--shard I/N runs exactly the teams whose name hashes to shard I."""
    from test_cli import flowsync

    from sync.shard import shard_of

    names = [f"T{i}" for i in range(6)]
    for name in names:
        write_xlsx(tmp_path / f"{name}.xlsx", workbook())
    config = make_config({n: f"{n}.xlsx" for n in names})
    code, out, _ = flowsync("--config", config, "run", "--once", "--shard", shard)
    index = int(shard[0])
    served = sorted(line.split(":")[0] for line in out.splitlines() if "findings" in line)
    assert code == 0
    assert served == sorted(n for n in names if shard_of(n, 2) == index)


def test_cycles_check_as_of_the_workers_clock(tmp_path: Path) -> None:
    """On a clock at Thursday of 2026-W50, Kim (who planned W47 and W48) has no plan: PLAN001 for W50."""
    settings = _settings(tmp_path, check="every 1 second", summary="mon 08:00")
    worker = make_worker(
        settings, settings.teams, clock=Clock(datetime(2026, 12, 10, 18, 0, tzinfo=SEOUL))
    )
    worker.run("check")
    findings = read_xlsx(tmp_path / "a.xlsx")["Findings"]
    assert ["PLAN001", "warning", "Weekly Plan", None, "Kim", "2026-W50"] in [
        row[:6] for row in findings
    ]


def test_nudge_and_report_times_get_cycles_of_their_own(
    tmp_path: Path, webhook: WebhookReceiver
) -> None:
    """A team with a channel and a lead: cycles at Monday 08:00 and 10:00 and Friday 16:00 in its zone.

    At Monday 10:00 (Seoul) the cycle nudges Kim and Lee, seen lately with no plan for 2026-W49.
    """
    plan = clean("plan") + [["2026-W47", "Lee", "Business", "Old lever", "Q1"]]
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan))
    config = tmp_path / "flowsync.toml"
    config.write_text(
        '[service]\nlocale = "en"\ntimezone = "Europe/Berlin"\n'
        '[schedule]\ncheck = ["mon-fri 18:00"]\nsummary = []\njitter_seconds = 0\n'
        '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\ntimezone = "Asia/Seoul"\n'
        f'alert_to = ["lead@example.com"]\n[teams.notify]\nteam = ["{webhook.url("a")}"]\n'
    )
    settings = load_settings(config)
    clock = Clock(datetime(2026, 11, 26, 12, 0, tzinfo=SEOUL))
    runner = Runner(settings, clock=clock, mailer=make_mailer(settings), notifier=AppriseNotifier())
    worker = Worker(settings, settings.teams, runner=runner)
    notify = sorted(
        job.due
        for job in worker.scheduler.jobs
        if isinstance(job, TriggerJob) and job.kind == "notify"
    )
    assert notify == [
        datetime(2026, 11, 27, 16, 0, tzinfo=SEOUL),
        datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL),
        datetime(2026, 11, 30, 10, 0, tzinfo=SEOUL),
    ]
    clock.now = datetime(2026, 11, 30, 10, 0, tzinfo=SEOUL)
    worker.scheduler.run_pending()
    nudges = [h.body["message"] for h in webhook.received if "your plan" in h.body["title"]]
    assert nudges == [
        "No plan for Nov 30–Dec 6 yet from: Kim, Lee. Before Mon Nov 30 12:00, one lever each "
        f"for Business, Learning and People.\nWeekly Plan row 9 in {tmp_path / 'a.xlsx'}"
    ]


def test_a_column_another_process_added_first_is_no_error(tmp_path: Path) -> None:
    """Shards on one host open a fresh run log together: both see the column missing, both add
    it; the one that comes second finds it there and goes on (a process saw the error before)."""
    from contextlib import closing

    from sync.runlog import _add_column

    RunLog(tmp_path / "runs.sqlite")  # the column is there now
    with closing(sqlite3.connect(tmp_path / "runs.sqlite")) as db:
        _add_column(db, "ALTER TABLE team_runs ADD COLUMN alerts_unsent INTEGER NOT NULL DEFAULT 0")
        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            _add_column(db, "ALTER TABLE nowhere ADD COLUMN x INTEGER")


def test_a_holiday_mondays_report_reaches_the_lead_once_on_tuesday_at_its_time(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    """Monday 2026-10-05 is a Korean substitute holiday (National Foundation Day).

    The worker's clock walks from Sunday night to Wednesday through every cycle it
    schedules. The report set for Monday 08:00 reaches the lead's SMTP server once,
    on Tuesday at 08:00, about the week lived before that Monday (2026-W40).
    """
    plan: list[list[object]] = [["week", "owner", "flow", "lever", "goal_id"]]
    plan += [[w, o, "Business", "Call clients", "Q1"] for w in ("2026-W39", "2026-W40") for o in ("Kim", "Lee")]  # fmt: skip
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=plan))
    config = tmp_path / "flowsync.toml"
    config.write_text(
        '[service]\nlocale = "ko"\ntimezone = "Asia/Seoul"\n'
        '[schedule]\ncheck = ["mon-fri 18:00"]\nsummary = []\njitter_seconds = 0\n'
        f'[email]\nsender = "flowsync@example.com"\nsmtp_host = "{smtp_server.host}"\n'
        f'smtp_port = {smtp_server.port}\nsecurity = "none"\n'
        '[[teams]]\nname = "컨설팅1팀"\nworkbook = "a.xlsx"\nholidays = "KR"\n'
        'alert_to = ["lead@example.com"]\n[teams.notify]\nnudge_email = false\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    clock = Clock(datetime(2026, 10, 4, 22, 0, tzinfo=SEOUL))
    runner = Runner(settings, clock=clock, mailer=make_mailer(settings), notifier=AppriseNotifier())
    worker = Worker(settings, settings.teams, runner=runner)
    arrived: list[tuple[datetime, str]] = []  # (the worker's clock, subject) of each message
    cycles: list[datetime] = []
    while True:
        due = min(job.due for job in worker.scheduler.jobs if isinstance(job, TriggerJob))
        if due > datetime(2026, 10, 7, 9, 0, tzinfo=SEOUL):
            break
        clock.now = due
        cycles.append(due)
        worker.scheduler.run_pending()
        arrived += [(due, r.message["Subject"]) for r in smtp_server.received[len(arrived) :]]
    monday, tuesday = (
        datetime(2026, 10, 5, 8, 0, tzinfo=SEOUL),
        datetime(2026, 10, 6, 8, 0, tzinfo=SEOUL),
    )
    assert monday in cycles  # a cycle came on the holiday, and held the report
    assert tuesday in cycles  # a cycle of its own at the report's time on the next working day
    assert arrived == [
        (tuesday, "컨설팅1팀 10월 1주차(9.28–10.4): 목표 미연결 0건 · 계획 없음 0명")
    ]
    [received] = smtp_server.received
    assert received.recipients == ["lead@example.com"]
    assert received.message["X-Flowsync-Week"] == "2026-W40"
    assert received.message["Date"] == "Tue, 06 Oct 2026 08:00:00 +0900"


@pytest.mark.parametrize(
    ("locale", "why"),
    [
        (
            "en",
            "next runs (Asia/Seoul): check Fri Nov 27 02:00, nudges and report Fri Nov 27 16:00",
        ),
        (
            "ko",
            "다음 실행(Asia/Seoul): 점검 11월 27일(금) 02:00, 작성 알림·주간 보고 11월 27일(금) 16:00",
        ),
    ],
)
def test_the_start_line_says_when_each_job_runs_next_in_the_teams_time_zone(
    tmp_path: Path, locale: str, why: str
) -> None:
    """Thursday noon in Seoul, the schedule in Berlin: 18:00 there is 02:00 where the team lives."""
    import io

    from sync.logs import configure_logging

    write_xlsx(tmp_path / "a.xlsx", workbook())
    config = tmp_path / "flowsync.toml"
    config.write_text(
        f'[service]\nlocale = "{locale}"\ntimezone = "Europe/Berlin"\n'
        '[schedule]\ncheck = ["mon-fri 18:00"]\nsummary = []\njitter_seconds = 0\n'
        '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\ntimezone = "Asia/Seoul"\n'
        'alert_to = ["lead@example.com"]\n'
    )
    settings = load_settings(config)
    worker = make_worker(settings, list(settings.teams), clock=Clock(THURSDAY_NOON))
    assert worker.next_runs() == {
        "check": datetime(2026, 11, 27, 2, 0, tzinfo=SEOUL),
        "notify": datetime(2026, 11, 27, 16, 0, tzinfo=SEOUL),
    }
    stream, root = io.StringIO(), logging.getLogger("sync")
    before = (root.handlers[:], root.level, root.propagate)
    configure_logging("json", stream=stream)
    try:
        worker.started(shard="0/2")
    finally:
        root.handlers[:], root.level, root.propagate = before[0], before[1], before[2]
    line = json.loads(stream.getvalue())
    assert {k: v for k, v in line.items() if k not in ("ts", "level", "logger")} == {
        "msg": "worker started",
        "teams": 1,
        "shard": "0/2",
        "next_check": "2026-11-27T02:00:00+09:00",
        "next_notify": "2026-11-27T16:00:00+09:00",
        "why": why,
    }


@pytest.mark.skipif(not hasattr(__import__("time"), "tzset"), reason="needs time.tzset")
def test_next_runs_are_not_an_hour_off_in_the_hour_that_repeats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine in Berlin, 25 Oct 2026 00:30 UTC: the check runs at 01:30 UTC, the second
    02:30 of the night the clocks go back. schedule's naive local ``next_run`` cannot tell
    the two 02:30s apart; the job's aware ``due`` can."""
    import time

    write_xlsx(tmp_path / "a.xlsx", workbook())
    config = tmp_path / "flowsync.toml"
    config.write_text(
        '[service]\nlocale = "en"\ntimezone = "Europe/Berlin"\n'
        '[schedule]\ncheck = ["every 60 minutes"]\nsummary = []\njitter_seconds = 0\n'
        '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\n'
    )
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        settings = load_settings(config)
        start = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
        worker = make_worker(settings, list(settings.teams), clock=Clock(start))
        runs = worker.next_runs()
    finally:
        monkeypatch.undo()
        time.tzset()
    # (PEP 495: a time in the fold never equals one of another zone; compare in UTC)
    assert runs["check"].astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert runs["check"].utcoffset() == timedelta(hours=1)  # CET, the second 02:30


def test_a_holiday_team_gets_one_notify_cycle_per_day_and_time(tmp_path: Path) -> None:
    """With holidays, the report's "mon 08:00" and its working days' "mon-fri 08:00" share
    Monday: one cycle then, not two at the same minute."""
    from sync.notify.outbox import notify_times
    from sync.triggers import WallClock, parse_trigger

    write_xlsx(tmp_path / "a.xlsx", workbook())
    config = tmp_path / "flowsync.toml"
    config.write_text(
        '[service]\nlocale = "en"\ntimezone = "Asia/Seoul"\n'
        '[[teams]]\nname = "A"\nworkbook = "a.xlsx"\nholidays = "KR"\n'
        'alert_to = ["lead@example.com"]\n'
    )
    settings = load_settings(config)
    moments = []
    for spec, zone in notify_times(settings, settings.teams):
        trigger = parse_trigger(spec, zone)
        assert isinstance(trigger, WallClock)
        moments += [(day, trigger.at, zone.key) for day in trigger.days]
    assert len(moments) == len(set(moments))
    assert {d for d, t, _ in moments if t.hour == 8} == set(range(5))  # the report's working days
