"""One team's cycle: the clock in the team's time zone, failures contained, and the trust a
team needs: no alert without its record, never twice, an edit of an owned tab put back."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import SmtpServer
from emulator import Fault, SheetsEmulator
from helpers import clean, read_xlsx, wait_until, workbook, write_xlsx
from test_cli import flowsync

from sync.config import Settings, load_settings, settings_from_dict
from sync.cycle import CycleOptions, TeamReport, end_of_day, serve_team, team_context
from sync.lock import team_lock
from sync.runlog import RunLog


def _settings(tmp_path: Path, **team: object) -> Settings:
    raw = {
        "service": {"timezone": "Asia/Seoul", "locale": "en"},
        "teams": [{"name": "A", "workbook": "a.xlsx", **team}],
    }
    return settings_from_dict(raw, path=tmp_path / "flowsync.toml")


THURSDAY = datetime(2026, 11, 26, 23, 59, 59, tzinfo=ZoneInfo("Asia/Seoul"))


def _serve(settings: Settings, *, write: bool) -> TeamReport:
    options = CycleOptions(now=THURSDAY, write=write)
    return serve_team(
        settings, settings.teams[0], options=options, clock=lambda: THURSDAY, mailer=None
    )


def test_as_of_is_the_end_of_that_day_in_the_team_time_zone(tmp_path: Path) -> None:
    """--as-of 2026-11-29 (a Sunday) is still 2026-W48 in Seoul, at 23:59:59."""
    settings = _settings(tmp_path)
    wall = end_of_day(date(2026, 11, 29))
    ctx = team_context(settings, settings.teams[0], now=datetime.now(UTC), wall=wall)
    assert (ctx.week, ctx.now.hour, str(ctx.now.tzinfo)) == ("2026-W48", 23, "Asia/Seoul")


def test_now_is_converted_to_the_team_time_zone(tmp_path: Path) -> None:
    """Sunday 16:00 UTC is already Monday in Seoul: the next week."""
    settings = _settings(tmp_path)
    now = datetime(2026, 11, 29, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert team_context(settings, settings.teams[0], now=now).week == "2026-W49"


def test_a_bug_in_one_team_is_contained_in_its_report(tmp_path: Path) -> None:
    """A workbook that is not a workbook fails that team with a message; nothing is raised."""
    (tmp_path / "a.xlsx").write_text("not a zip package")
    settings = _settings(tmp_path)
    report = _serve(settings, write=True)
    assert report.failed
    assert "a.xlsx" in (report.error or "")


def test_team_limits_override_the_defaults(tmp_path: Path) -> None:
    """A team's [teams.limits] max_metrics = 1 flags the clean workbook's two metrics."""
    write_xlsx(tmp_path / "a.xlsx", workbook())
    settings = _settings(tmp_path, limits={"max_metrics": 1})
    report = _serve(settings, write=False)
    assert [f.code for f in report.findings] == ["METRIC001"]
    assert report.written == ()


# ----------------------------------------------------------------- trust (issue 11)

# Thursday evening: the lead's report (due since Monday 08:00) is not held by the quiet hours.
AS_OF = ("--now", "2026-11-26T18:00")
REPORT_DUE = ("--now", "2026-11-24T18:00")  # the lead's Monday report is due until Tuesday ends


def _unlinked_plan(owners: int = 1) -> list[list[Any]]:
    """The clean plan with Kim's W48 Business lever unlinked, and ``owners - 1`` more like it."""
    plan = clean("plan")
    plan[4][4] = None
    for i in range(1, owners):
        plan.append(["2026-W48", f"Owner{i}", "Business", f"Lever {i}", None])
    return plan


def _smtp_config(
    make_config: Callable[..., Path], port: int, *, people: int = 0, attempts: int = 3
) -> Path:
    extra = (
        f'[email]\nsender = "flowsync@example.com"\nsmtp_host = "127.0.0.1"\n'
        f'smtp_port = {port}\nsecurity = "none"\nattempts = {attempts}\n'
    )
    config = make_config({"A": "a.xlsx"}, extra=extra)
    if people:
        mapping = "".join(f'"Owner{i}" = "owner{i}@example.com"\n' for i in range(1, people))
        config.write_text(config.read_text() + "[teams.people]\n" + mapping)
    return config


def _can_make_immutable(folder: Path) -> bool:
    return shutil.which("chattr") is not None and (
        subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode
        == 0
    )


def test_no_alert_goes_out_when_the_workbook_cannot_be_replaced(
    tmp_path: Path, smtp_server: SmtpServer, make_config: Callable[..., Path]
) -> None:
    """A folder that refuses new files (immutable: even root cannot write in it): the cycle says
    so and sends nothing, three cycles running; the alert goes out once the folder is fixed."""
    folder = tmp_path / "shared-drive"
    folder.mkdir()
    write_xlsx(folder / "a.xlsx", workbook(plan=_unlinked_plan()))
    config = _smtp_config(make_config, smtp_server.port)
    config.write_text(
        config.read_text().replace('workbook = "a.xlsx"', 'workbook = "shared-drive/a.xlsx"')
    )
    if not _can_make_immutable(folder):
        pytest.skip("chattr +i is not available on this file system")
    try:
        for _ in range(3):
            code, _, err = flowsync("--config", config, "run", "--once", *AS_OF)
            assert code == 1
            assert "shared-drive does not accept new files" in err
            assert "No alert was sent" in err
        assert smtp_server.received == []
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    code, _, _ = flowsync("--config", config, "run", "--once", *AS_OF)
    assert (code, [r.recipients for r in smtp_server.received]) == (0, [["kim@example.com"]])


# openpyxl leaves its zip file open when a save fails; Python reports that when it is collected.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_full_disk_is_named_and_no_alert_goes_out_until_it_can_be_recorded(
    tmp_path: Path, smtp_server: SmtpServer, make_config: Callable[..., Path]
) -> None:
    """The workbook's disk is full (a small tmpfs, filled to the last byte): each cycle says so in
    plain words and sends nothing; once space is freed, the alert goes out once."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        write_xlsx(disk / "a.xlsx", workbook(plan=_unlinked_plan()))
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb", buffering=0) as out:
            while True:
                out.write(b"\0" * 1024)
        config = _smtp_config(make_config, smtp_server.port)
        config.write_text(
            config.read_text().replace('workbook = "a.xlsx"', f'workbook = "{disk / "a.xlsx"}"')
        )
        for _ in range(3):
            code, _, err = flowsync("--config", config, "run", "--once", *AS_OF)
            assert code == 1
            assert "cannot be written: the disk is full; free some space" in err, err
            assert "Traceback" not in err
        assert smtp_server.received == []
        filler.unlink()
        assert flowsync("--config", config, "run", "--once", *AS_OF)[0] == 0
        assert [r.recipients for r in smtp_server.received] == [["kim@example.com"]]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_write_that_fails_after_sending_never_sends_again(
    tmp_path: Path,
    sheets: SheetsEmulator,
    smtp_server: SmtpServer,
    make_config: Callable[..., Path],
) -> None:
    """The alert went out, then the write recording it was refused: the run log counts the send,
    and over the next two cycles nothing is sent again, though _flowsync missed it once."""
    sheets.create("team-a", workbook(plan=_unlinked_plan()))
    config = _smtp_config(make_config, smtp_server.port)
    settle = "[google]\nlease_settle_seconds = 0\n"  # no rival here: no wait for one
    config.write_text(
        config.read_text().replace('workbook = "a.xlsx"', 'spreadsheet = "team-a"') + settle
    )
    # The owned tabs are created, the lease goes out with them; the write after sending is refused.
    sheets.fail_next(Fault(status=400, endpoint="spreadsheets.batchUpdate", after=2))
    codes = [flowsync("--config", config, "run", "--once", *AS_OF)[0] for _ in range(3)]
    assert codes == [1, 0, 0]
    assert [r.recipients for r in smtp_server.received] == [["kim@example.com"]]
    runs = RunLog(tmp_path / ".flowsync" / "runs.sqlite").team_runs()
    assert [(r["alerts_sent"], r["error"] is not None) for r in runs] == [
        (1, True),
        (0, False),
        (0, False),
    ]


def test_a_persons_edit_of_the_findings_tab_is_put_back(
    tmp_path: Path, sheets: SheetsEmulator, make_config: Callable[..., Path]
) -> None:
    """Someone types over a finding: the next cycle writes the tab again (the findings did not
    change, so a stored hash would have said "nothing to do"), and the one after only reads."""
    sheets.create("team-a", workbook(plan=_unlinked_plan()))
    teams = '[[teams]]\nname = "A"\nspreadsheet = "team-a"\n'
    config = make_config({}, extra="[google]\nlease_settle_seconds = 0\n" + teams)
    flowsync("--config", config, "run", "--once", *AS_OF)
    expected = sheets.values("team-a", "Findings")
    sheets.spreadsheets["team-a"].sheet("Findings").write(
        1, 6, [["fixed it, ignore"]], user_entered=False
    )
    sheets.reset_calls()
    assert flowsync("--config", config, "run", "--once", *AS_OF)[0] == 0
    assert sheets.values("team-a", "Findings") == expected
    assert sheets.calls["spreadsheets.batchUpdate"] == 1
    sheets.reset_calls()
    assert flowsync("--config", config, "run", "--once", *AS_OF)[0] == 0
    assert {k: v for k, v in sheets.calls.items() if v and k != "token"} == {"spreadsheets.get": 1}


def test_a_mail_server_that_refuses_connections_is_given_up_after_three(
    tmp_path: Path, make_config: Callable[..., Path]
) -> None:
    """Nothing listens on the SMTP port and 40 owners have unlinked work: three connections are
    tried, the other alerts are not, run --once exits 1 and status names the team."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: connections to it are refused
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=_unlinked_plan(40)))
    config = _smtp_config(make_config, port, people=40)
    code, _, err = flowsync("--config", config, "run", "--once", *AS_OF)
    assert code == 1
    assert err.count("ConnectionRefusedError") == 3
    assert (
        err.count("could not be reached 3 times in this cycle") == 37
    )  # 40 owners: 3 tried, 37 not
    assert "40 alerts were not sent; the next cycle tries them again" in err
    code, out, _ = flowsync("--config", config, "status")
    assert code == 1
    assert "teams with unsent alerts: 1\n  A: 40 alerts not sent in its last run" in out


def test_a_team_locked_by_another_run_on_this_host_is_left_to_it(
    tmp_path: Path, smtp_server: SmtpServer, make_config: Callable[..., Path]
) -> None:
    """While one run holds a team's lock, another run on this host leaves that team alone."""
    write_xlsx(tmp_path / "a.xlsx", workbook(plan=_unlinked_plan()))
    config = _smtp_config(make_config, smtp_server.port)
    loaded = load_settings(config)
    with team_lock(loaded.state_dir, "A") as mine:
        assert mine
        code, out, _ = flowsync("--config", config, "run", "--once", *AS_OF)
    assert code == 0
    assert "A: not served now: another flowsync run on this host" in out
    assert smtp_server.received == []
    assert flowsync("--config", config, "run", "--once", *AS_OF)[0] == 0
    assert len(smtp_server.received) == 1


def test_a_korean_team_left_to_another_run_says_why_in_korean(demo: Path) -> None:
    loaded = load_settings(demo)
    with team_lock(loaded.state_dir, "컨설팅1팀") as mine:
        assert mine
        code, out, _ = flowsync("--config", demo, "run", "--once", *AS_OF)
    assert (code, out) == (
        0,
        "컨설팅1팀: 이번에는 건너뜀: 이 호스트의 다른 flowsync 실행이 이 팀을 맡고 있습니다\n",
    )


def _google_smtp_config(
    folder: Path, sheets: SheetsEmulator, smtp: SmtpServer, **extra: str
) -> Path:
    folder.mkdir(exist_ok=True)
    config = folder / "flowsync.toml"
    config.write_text(
        '[service]\nlocale = "en"\n'
        + "".join(f"{k} = {v}\n" for k, v in extra.items())
        + f'[email]\nsender = "flowsync@example.com"\nsmtp_host = "{smtp.host}"\n'
        f'smtp_port = {smtp.port}\nsecurity = "none"\n'
        '[[teams]]\nname = "A"\nspreadsheet = "team-a"\nalert_to = ["lead@example.com"]\n'
    )
    return config


@pytest.mark.slow
@pytest.mark.parametrize("hosts", ["one host", "two hosts"])
def test_two_runs_at_once_send_each_alert_once(
    tmp_path: Path, sheets: SheetsEmulator, smtp_server: SmtpServer, hosts: str
) -> None:
    """Two `run --once` processes start together on a new sheet (cron and a person). On one host
    they share the state folder and its lock; on two they share only the sheet and its lease.
    Either way each alert goes out once and both exit 0."""
    sheets.create("team-a", workbook(plan=_unlinked_plan()))
    sheets.latency = 0.5  # each run takes seconds: both are surely in flight at once
    folders = [tmp_path / "host"] * 2 if hosts == "one host" else [tmp_path / "h1", tmp_path / "h2"]
    configs = [_google_smtp_config(f, sheets, smtp_server) for f in folders]
    env = {**os.environ, "SHEETS_EMULATOR_HOST": sheets.host}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sync", "--config", str(c), "run", "--once", *REPORT_DUE],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in configs
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert sorted(r.recipients[0] for r in smtp_server.received) == [
        "kim@example.com",
        "lead@example.com",
    ]
    assert sum("not served now" in out for out, _ in outputs) == 1, outputs


@pytest.mark.slow
@pytest.mark.parametrize("command", [["run", "--once"], ["worker"]])
def test_sigterm_during_a_long_retry_after_stops_within_ten_seconds(
    tmp_path: Path, sheets: SheetsEmulator, smtp_server: SmtpServer, command: list[str]
) -> None:
    """The API asks to wait 90 s (Kubernetes kills 30 s after SIGTERM, docker stop after 10):
    the wait ends at the signal, nothing is half-written, the cycle is recorded as interrupted
    and the process exits 0."""
    sheets.create("team-a", workbook(plan=_unlinked_plan()))
    sheets.fail_next(Fault(status=429, retry_after="90"))
    config = _google_smtp_config(tmp_path / "host", sheets, smtp_server)
    config.write_text(
        config.read_text()
        + '[google]\nretry_seconds = 600\n[schedule]\ncheck = ["every 1 second"]\nsummary = []\n'
    )
    env = {**os.environ, "SHEETS_EMULATOR_HOST": sheets.host}
    with subprocess.Popen(
        [sys.executable, "-m", "sync", "--config", str(config), *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            wait_until(lambda: sheets.calls["spreadsheets.get"] >= 1)
            time.sleep(0.5)  # well into the 90 s wait
            signalled = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=10)
            took = time.monotonic() - signalled
        finally:
            proc.kill()
    assert (proc.returncode, took < 10) == (0, True), err
    assert "Traceback" not in err
    assert sheets.calls["spreadsheets.get"] == 1  # the wait was cut short, not finished
    assert "Findings" not in [t.title for t in sheets.spreadsheets["team-a"].sheets]
    assert smtp_server.received == []
    (cycle,) = RunLog(tmp_path / "host" / ".flowsync" / "runs.sqlite").cycles()
    assert (cycle["interrupted"], cycle["finished"] is not None) == (1, True)


def test_a_teams_error_is_said_in_its_language(
    tmp_path: Path, sheets: SheetsEmulator, make_config: Callable[..., Path]
) -> None:
    """A Korean team's missing workbook and unknown spreadsheet are told in Korean, with no
    fallback particle; the English team beside them hears English."""
    config = make_config(
        {"영업1팀": "없는파일.xlsx", "Sales": "missing.xlsx"},
        locale="ko",
        extra="",
    )
    config.write_text(
        config.read_text()
        + '[[teams]]\nname = "영업2팀"\nspreadsheet = "no-such-sheet"\n'
        + '[[teams]]\nname = "Sales 2"\nspreadsheet = "no-such-sheet"\nlocale = "en"\n'
    )
    config.write_text(
        config.read_text().replace('name = "Sales"\n', 'name = "Sales"\nlocale = "en"\n')
    )
    code, _, err = flowsync("--config", config, "check", *AS_OF)
    assert code == 1
    assert "영업1팀: 통합 문서 파일이 없습니다: " in err
    assert "영업2팀: 스프레드시트를 읽을 수 없습니다: no-such-sheet. 찾을 수 없습니다(404)" in err
    assert "Sales: workbook " in err
    assert "missing.xlsx does not exist" in err
    assert "Sales 2: cannot read spreadsheet no-such-sheet: not found (404)" in err
    assert not any(p in err for p in ("(가)", "(는)", "(를)", "(과)", "(으)"))


def test_a_cycle_that_only_sends_writes_only_the_state(demo: Path) -> None:
    """Monday 10:30 nudges two owners; the Weekly Summary and Findings are as at 09:00, so
    only `_flowsync` is written: no needless revision of the tabs people read."""
    flowsync("--config", demo, "run", "--once", "--now", "2026-11-30T09:00")
    before = read_xlsx(demo.parent / "demo.xlsx")
    code, out, _ = flowsync("--config", demo, "run", "--once", "--now", "2026-11-30T10:30")
    after = read_xlsx(demo.parent / "demo.xlsx")
    assert code == 0
    assert out.count("계획 작성 알림 →") == 2
    assert "탭을 썼습니다" not in out
    assert after["주간요약"] == before["주간요약"]
    assert after["점검결과"] == before["점검결과"]
    assert after["_flowsync"] != before["_flowsync"]
