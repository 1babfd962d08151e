"""Change detection: one Drive question per cycle, and no Sheets call for a sheet nobody edited.

Everything crosses real HTTP to the emulator, whose Drive clock the test moves
with flowsync's: a cycle an hour apart takes no time at all.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from emulator import Fault, SheetsEmulator
from helpers import clean, workbook

from sync.config import Settings, load_settings
from sync.cycle import CycleOptions
from sync.runner import CycleReport, Runner, make_quota

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 11, 26, 9, 0, tzinfo=SEOUL)  # Thursday of 2026-W48


class Clock:
    """flowsync's ``now`` and the emulator's Drive clock, moved together by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now.timestamp()

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(sheets: SheetsEmulator) -> Clock:
    c = Clock(START)
    sheets.clock = c
    return c


class Recorder:
    """A mailer that keeps what it was given."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> str:
        self.sent.append(message)
        return "recorded"


def settings_for(
    tmp_path: Path,
    teams: dict[str, str],
    *,
    change_detection: bool,
    extra: str = "",
    alert_to: str = "",
) -> Settings:
    """A config of Google teams; with ``alert_to``, alerts go to that address."""
    lines = [
        '[service]\nlocale = "en"\ntimezone = "Asia/Seoul"\nstate_dir = "state"\nworkers = 2\n',
        "[google]\nretry_seconds = 1\nretry_initial_seconds = 0.01\nlease_settle_seconds = 0\n"
        f"change_detection = {str(change_detection).lower()}\n{extra}\n",
    ]
    for name, sid in teams.items():
        to = f'alert_to = ["{alert_to}"]\n' if alert_to else ""
        lines.append(f'[[teams]]\nname = "{name}"\nspreadsheet = "{sid}"\n{to}')
    path = tmp_path / "flowsync.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return load_settings(path)


def cycle(settings: Settings, at: datetime, mailer: Any = None) -> CycleReport:
    """One cycle at ``at``; alerts go out only through a given ``mailer``."""
    runner = Runner(settings, clock=lambda: at, mailer=mailer, quota=make_quota(settings))
    return runner.run(settings.teams, CycleOptions(now=at))


def calls(emulator: SheetsEmulator, spreadsheet: str | None = None) -> dict[str, int]:
    """Calls counted at the emulator, for one spreadsheet (its Drive files.get too) or all."""
    out: dict[str, int] = {}
    for _, endpoint, sid in emulator.log:
        if endpoint != "token" and (spreadsheet is None or sid == spreadsheet):
            out[endpoint] = out.get(endpoint, 0) + 1
    return out


def unlinked_plan() -> list[list[Any]]:
    plan = clean("plan")
    plan[4][3], plan[4][4] = "Call 15 clients", None
    return plan


def test_an_unedited_team_costs_no_sheets_call_an_edited_one_a_read(
    tmp_path: Path, sheets: SheetsEmulator, clock: Clock
) -> None:
    """After the first cycle: one files.list for both teams, and a read only for the edited sheet."""
    for sid in ("team-a", "team-b"):
        sheets.create(sid, workbook(plan=unlinked_plan()))
    settings = settings_for(tmp_path, {"A": "team-a", "B": "team-b"}, change_detection=True)

    first = cycle(settings, clock.now)
    assert [r.error for r in first.teams] == [None, None]
    # No snapshot yet: Drive is not asked which changed; each write is followed by one files.get.
    assert calls(sheets, "team-a") == {
        "spreadsheets.get": 1,
        "spreadsheets.batchUpdate": 2,  # the owned tabs created, then written
        "drive.files.get": 1,
    }

    sheets.reset_calls()
    second = cycle(settings, clock.advance(hours=1))
    assert calls(sheets) == {"drive.files.list": 1}
    assert [r.calls for r in second.teams] == [0, 0]
    assert [[f.code for f in r.findings] for r in second.teams] == [["LINK001"], ["LINK001"]]

    clock.advance(minutes=10)
    sheets.edit("team-a", "Weekly Plan", 4, 4, [["Q1"]])  # Kim links the lever
    sheets.reset_calls()
    third = cycle(settings, clock.advance(minutes=50))
    assert calls(sheets, "team-a") == {
        "spreadsheets.get": 1,
        "spreadsheets.batchUpdate": 1,
        "drive.files.get": 1,
    }
    assert calls(sheets, "team-b") == {}
    assert calls(sheets)["drive.files.list"] == 1
    assert [[f.code for f in r.findings] for r in third.teams] == [[], ["LINK001"]]
    assert sheets.values("team-a", "Findings") == [
        ["Code", "Severity", "Tab", "Row", "Owner", "Week", "Message"]
    ]

    sheets.reset_calls()
    cycle(settings, clock.advance(hours=1))  # flowsync's own write is not a person's edit
    assert calls(sheets) == {"drive.files.list": 1}


def test_the_read_names_only_the_contract_tabs_once_their_titles_are_known(
    tmp_path: Path, sheets: SheetsEmulator, clock: Clock
) -> None:
    """A large unrelated tab is sent once (the first, full read), then never again."""
    raw = [[f"r{r}c{c}" for c in range(20)] for r in range(2000)]
    sheets.create("big", {**workbook(plan=unlinked_plan()), "Raw data": raw})
    settings = settings_for(tmp_path, {"A": "big"}, change_detection=False)
    cycle(settings, clock.now)
    sheets.reset_calls()
    sheets.edit("big", "Weekly Plan", 4, 4, [["Q1"]])

    report = cycle(settings, clock.advance(hours=1))

    assert [f.code for f in report.teams[0].findings] == []
    assert calls(sheets) == {"spreadsheets.get": 1, "spreadsheets.batchUpdate": 1}
    assert sheets.values("big", "Raw data")[1999][19] == "r1999c19"


def test_a_renamed_tab_falls_back_to_the_full_read_within_two_calls(
    tmp_path: Path, sheets: SheetsEmulator, clock: Clock
) -> None:
    sheets.create("s", workbook(plan=unlinked_plan()))
    settings = settings_for(tmp_path, {"A": "s"}, change_detection=False)
    cycle(settings, clock.now)
    sheets.spreadsheets["s"].sheet("Weekly Plan").title = "주간계획"
    sheets.reset_calls()

    report = cycle(settings, clock.advance(hours=1))

    assert report.teams[0].error is None
    assert [f.code for f in report.teams[0].findings] == ["LINK001"]
    # Two reads (the ranged one refused, then every tab); the write, as the findings name the new title.
    assert calls(sheets) == {"spreadsheets.get": 2, "spreadsheets.batchUpdate": 1}
    assert sheets.values("s", "Findings")[1][2] == "주간계획"


def test_without_the_drive_api_every_team_is_read_as_today_and_it_is_said_once(
    tmp_path: Path, sheets: SheetsEmulator, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    sheets.drive_enabled = False
    for sid in ("team-a", "team-b"):
        sheets.create(sid, workbook(plan=unlinked_plan()))
    settings = settings_for(tmp_path, {"A": "team-a", "B": "team-b"}, change_detection=True)
    caplog.set_level(logging.WARNING, logger="sync")

    cycle(settings, clock.now)
    sheets.reset_calls()
    cycle(settings, clock.advance(hours=1))
    cycle(settings, clock.advance(hours=1))

    # Today's cost: one read per team per cycle, nothing written when nothing changed.
    assert calls(sheets) == {"spreadsheets.get": 4, "drive.files.list": 1}
    refusals = [r for r in caplog.records if r.getMessage() == "change detection off"]
    assert len(refusals) == 1
    assert "enable the Drive API" in refusals[0].fields["why"]  # type: ignore[attr-defined]


def test_a_token_without_the_drive_scope_is_asked_for_it_once(
    tmp_path: Path, sheets: SheetsEmulator, service_account_key: Path, clock: Clock
) -> None:
    """With change detection the token carries drive.metadata.readonly besides spreadsheets."""
    sheets.create("s", workbook(plan=unlinked_plan()))
    settings = settings_for(
        tmp_path,
        {"A": "s", "B": "s2"},
        change_detection=True,
        extra=f'credentials = "{service_account_key}"',
    )
    sheets.create("s2", workbook())
    cycle(settings, clock.now)
    sheets.reset_calls()
    cycle(settings, clock.advance(hours=1))

    assert calls(sheets) == {"drive.files.list": 1}
    assert len(sheets.tokens_issued) == 1  # one token for the process, both teams, both cycles
    assert sheets.tokens_issued[0]["scope"].split() == [
        "https://www.googleapis.com/auth/spreadsheets",
        "https://www.googleapis.com/auth/drive.metadata.readonly",
    ]


def test_a_failed_write_drops_the_snapshot_so_the_next_cycle_reads(
    tmp_path: Path, sheets: SheetsEmulator, clock: Clock
) -> None:
    sheets.create("s", workbook(plan=unlinked_plan()))
    sheets.create("t", workbook())
    settings = settings_for(tmp_path, {"A": "s", "B": "t"}, change_detection=True)
    cycle(settings, clock.now)
    sheets.edit("s", "Weekly Plan", 4, 4, [["Q1"]])
    sheets.fail_next(Fault(status=400, endpoint="spreadsheets.batchUpdate", spreadsheet="s"))
    failed = cycle(settings, clock.advance(hours=1))
    assert failed.teams[0].error is not None
    sheets.reset_calls()

    again = cycle(settings, clock.advance(hours=1))

    assert again.teams[0].error is None
    assert calls(sheets, "s") == {
        "spreadsheets.get": 1,
        "spreadsheets.batchUpdate": 1,
        "drive.files.get": 1,
    }


def test_a_full_read_at_least_once_a_day(
    tmp_path: Path, sheets: SheetsEmulator, clock: Clock
) -> None:
    sheets.create("s", workbook())
    sheets.create("t", workbook())
    settings = settings_for(tmp_path, {"A": "s", "B": "t"}, change_detection=True)
    cycle(settings, clock.now)
    for _ in range(5):
        cycle(settings, clock.advance(hours=4))
    sheets.reset_calls()

    cycle(settings, clock.advance(hours=4, minutes=1))  # 24 h and a minute after the first read

    assert calls(sheets)["spreadsheets.get"] == 2


@pytest.mark.slow
def test_without_change_detection_the_cycle_imports_nothing_of_google(tmp_path: Path) -> None:
    """An xlsx team's cycle asks Drive nothing and loads neither gspread nor google-auth."""
    config = tmp_path / "flowsync.toml"
    config.write_text('[[teams]]\nname = "A"\nworkbook = "a.xlsx"\n', encoding="utf-8")
    code = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from sync.backends import changed_spreadsheets\n"
        "from sync.config import load_settings\n"
        f"s = load_settings(__import__('pathlib').Path({str(config)!r}))\n"
        "assert changed_spreadsheets(s, s.teams, now=datetime.now(UTC)) is None\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('gspread', 'google')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
