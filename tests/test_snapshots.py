"""The snapshot cache: a week of cycles with and without it gives the same outputs, at a fraction of the reads."""

from __future__ import annotations

import gzip
import logging
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from emulator import SheetsEmulator
from helpers import clean, workbook
from test_drive import SEOUL, Clock, Recorder, calls, cycle, settings_for, unlinked_plan

from sync.backends import changed_spreadsheets, open_workbook
from sync.backends.drive import OFF, Changes, FileVersion
from sync.backends.snapshots import (
    Meta,
    SnapshotStore,
    contract_titles,
    known_version,
    unchanged,
)
from sync.config import load_settings
from sync.cycle import CycleOptions
from sync.runner import Runner, make_quota
from sync.workbook.contract import TAB

MONDAY = datetime(2026, 11, 23, 0, 30, tzinfo=SEOUL)  # 2026-W48


def _edits(emulator: SheetsEmulator) -> dict[int, Any]:
    """Before which cycle (6 hours apart) a person edits which sheet."""
    risk_row = ["2026-W48", "Lee", "Client churn", None, "open"]
    lever = ["2026-W48", "Lee", "Business", "Cold calls", None, 5, None, "planned"]
    return {
        5: lambda: emulator.edit("team-a", "Weekly Plan", 4, 4, [["Q1"]]),  # Tue: linked
        11: lambda: emulator.edit("team-b", "Risks", len(clean("risks")), 0, [risk_row]),
        19: lambda: emulator.edit("team-a", "Weekly Plan", len(clean("plan")), 0, [lever]),
        30: lambda: emulator.edit("team-b", "Weekly Plan", 4, 4, [["Q1"]]),
    }


def _replay(
    tmp_path: Path, emulator: SheetsEmulator, *, change_detection: bool
) -> tuple[list[Any], int, list[list[int]]]:
    """Eight days of cycles, every 6 hours: every output of every cycle, and the Sheets calls."""
    clock = Clock(MONDAY)
    emulator.clock = clock
    for sid in ("team-a", "team-b"):
        emulator.create(sid, workbook(plan=unlinked_plan()))
    folder = tmp_path / ("cached" if change_detection else "plain")
    folder.mkdir()
    settings = settings_for(
        folder,
        {"A": "team-a", "B": "team-b"},
        change_detection=change_detection,
        alert_to="lead@example.com",
    )
    edits = _edits(emulator)
    outputs: list[Any] = []
    team_calls: list[list[int]] = []
    for n in range(33):
        if n in edits:
            edits[n]()
        mailer = Recorder()
        report = cycle(settings, clock.now, mailer)
        outputs.append(
            {
                "at": clock.now.isoformat(),
                "teams": [
                    (
                        r.team,
                        r.error,
                        r.written,
                        [(f.code, f.tab, f.row, f.week, f.message) for f in r.findings],
                    )
                    for r in report.teams
                ],
                "mail": sorted(_mail(m) for m in mailer.sent),
                "tabs": {
                    sid: {
                        t: emulator.values(sid, t)
                        for t in ("Weekly Summary", "Findings", "_flowsync")
                    }
                    for sid in ("team-a", "team-b")
                },
            }
        )
        team_calls.append([r.calls for r in report.teams])
        clock.advance(hours=6)
    sheets_calls = sum(v for k, v in calls(emulator).items() if not k.startswith("drive."))
    return outputs, sheets_calls, team_calls


def _mail(message: EmailMessage) -> tuple[str, str, str]:
    body = message.get_body(("plain",))
    return (str(message["To"]), str(message["Subject"]), body.get_content() if body else "")


def test_a_week_of_cycles_gives_the_same_outputs_with_and_without_the_cache(
    tmp_path: Path, sheets: SheetsEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings, written tabs, e-mails: identical at every cycle, clock-driven ones included."""
    plain, plain_calls, _ = _replay(tmp_path, sheets, change_detection=False)
    with SheetsEmulator() as other:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", other.host)
        cached, cached_calls, per_team = _replay(tmp_path, other, change_detection=True)

    for before, after in zip(plain, cached, strict=True):
        assert after == before, before["at"]
    codes = {f[0] for cycle_ in plain for team in cycle_["teams"] for f in team[3]}
    assert {"LINK001", "RISK002", "PLAN001"} <= codes  # edits and the clock both made findings
    plan001_at = [
        c["at"] for c in plain if any(f[0] == "PLAN001" for t in c["teams"] for f in t[3])
    ]
    assert plan001_at[0] == "2026-11-30T12:30:00+09:00"  # Monday after the plan deadline, W49
    assert per_team[30][0] == 1  # team A, unedited: PLAN001 written from the snapshot, no read
    assert per_team[29] == [0, 0]  # Monday 06:30: nothing edited, nothing due
    assert any(c["mail"] for c in plain[1:])  # alerts went out after the first cycle too
    # 33 cycles x 2 teams read every time, against: the first reads, the edits, the writes the
    # clock caused (the week's roll-over, the plan deadline) and a full read once a day.
    assert plain_calls >= 66
    assert cached_calls <= plain_calls // 2, (plain_calls, cached_calls)


# ---- the store


def test_store_round_trips_compressed_and_counts_a_damaged_file_as_absent(tmp_path: Path) -> None:
    store = SnapshotStore(tmp_path)
    at = datetime(2026, 11, 26, 9, tzinfo=SEOUL)
    meta = Meta(
        titles=("Goals", "Raw"),
        layout={"Goals": (0, 1000, 26, 3, 8)},
        version=7,
        read_at=at,
        confirmed_at=at,
    )
    grids = {"Goals": [["goal_id", "level"], ["B1", None], ["n", 1.5, True]]}
    store.save("sid", meta, grids)

    assert store.meta("sid") == meta
    assert store.grids("sid") == grids
    assert gzip.decompress((tmp_path / "sid.grids.json.gz").read_bytes()).startswith(b'{"Goals"')

    (tmp_path / "sid.grids.json.gz").write_bytes(b"not gzip")
    (tmp_path / "other.json").write_text("{", encoding="utf-8")
    assert (store.grids("sid"), store.meta("other"), store.meta("absent")) == (None, None, None)


def test_a_read_asks_for_the_contract_tabs_only_when_every_one_was_seen() -> None:
    every = tuple(t.name("en") for t in TAB.values() if t.in_team_workbook)
    assert contract_titles((*every, "Raw data")) == every
    assert contract_titles(tuple(t for t in every if t != "Risks")) == ()


def test_a_snapshot_is_trusted_only_as_far_as_drive_vouches_for_it() -> None:
    t0 = datetime(2026, 11, 26, 9, tzinfo=SEOUL)
    meta = Meta(titles=(), layout={}, version=5, read_at=t0, confirmed_at=t0)

    def changes(at: datetime, **listed: int) -> Changes:
        return Changes(
            checked_at=at,
            covers_from=t0,
            listed={k: FileVersion(v, "") for k, v in listed.items()},
        )

    hour = t0 + timedelta(hours=1)
    assert unchanged(meta, "s", changes(hour))  # not modified since the snapshot
    assert unchanged(meta, "s", changes(hour, s=5))  # modified by flowsync's own write
    assert not unchanged(meta, "s", changes(hour, s=6))  # a person's edit
    assert not unchanged(meta, "s", changes(t0 + timedelta(hours=24)))  # the daily full read
    assert not unchanged(meta, "s", OFF)
    late = Changes(checked_at=hour, covers_from=t0 + timedelta(minutes=1))
    assert not unchanged(meta, "s", late)  # confirmed before what Drive was asked about


def test_after_its_own_write_a_workbook_reads_the_sheet_not_the_store(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """A read that checks a lease after the write must see the sheet as it is now."""
    clock = Clock(MONDAY)
    sheets.clock = clock
    sheets.create("s", workbook())
    sheets.create("t", workbook())
    settings = settings_for(tmp_path, {"A": "s", "B": "t"}, change_detection=True)
    cycle(settings, clock.now)
    now = clock.advance(hours=1)
    changes = changed_spreadsheets(settings, settings.teams, now=now)
    book = open_workbook(settings.teams[0], settings, changes=changes)

    first = book.read()
    book.write({"Findings": [["Code"]]})
    again = book.read()

    assert book.calls == 2  # the write and the second read; the first came from the store
    assert first.grids["Findings"] != again.grids["Findings"]
    assert again.grids["Findings"] == [["Code"]]


def test_a_fresh_read_keeps_the_version_drive_vouches_for() -> None:
    """A daily read of an unmoved file keeps its version, so flowsync's last write is not an edit."""
    t0 = datetime(2026, 11, 26, 9, tzinfo=SEOUL)
    meta = Meta(titles=(), layout={}, version=5, read_at=t0, confirmed_at=t0)
    unmoved = Changes(checked_at=t0 + timedelta(days=1), covers_from=t0)
    moved = Changes(checked_at=t0, covers_from=t0, listed={"s": FileVersion(8, "")})
    assert known_version(meta, "s", unmoved) == 5
    assert known_version(meta, "s", moved) == 8
    assert known_version(None, "s", unmoved) is None
    stale = Changes(checked_at=t0, covers_from=t0 + timedelta(minutes=1))
    assert known_version(meta, "s", stale) is None


def test_a_state_dir_that_cannot_be_written_costs_reads_not_the_team(
    tmp_path: Path, sheets: SheetsEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "blocked").write_text("a file where the folder should be", encoding="utf-8")
    sheets.create("s", workbook())
    sheets.create("t", workbook())
    config = tmp_path / "flowsync.toml"
    config.write_text(
        '[service]\nlocale = "en"\nstate_dir = "blocked/state"\n'
        '[[teams]]\nname = "A"\nspreadsheet = "s"\n[[teams]]\nname = "B"\nspreadsheet = "t"\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    caplog.set_level(logging.WARNING, logger="sync")
    runner = Runner(settings, clock=lambda: MONDAY, mailer=None, quota=make_quota(settings))

    report = runner.run(settings.teams, CycleOptions(now=MONDAY, write=False))

    assert [r.error for r in report.teams] == [None, None]
    warnings = [r for r in caplog.records if r.getMessage() == "snapshots not kept"]
    assert len(warnings) == 1
    assert "make [service] state_dir writable" in warnings[0].fields["why"]  # type: ignore[attr-defined]


def test_a_korean_service_hears_in_korean_that_snapshots_are_not_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = SnapshotStore(blocker / "snapshots", locale="ko")  # a folder under a file
    caplog.set_level(logging.WARNING, logger="sync")
    store.save("sheet", Meta(titles=(), layout={}))
    [warning] = [r for r in caplog.records if r.getMessage() == "snapshots not kept"]
    why = warning.fields["why"]  # type: ignore[attr-defined]
    assert "스냅숏을 저장할 수 없습니다" in why
    assert "[service] state_dir를 쓸 수 있게 해 주세요" in why
