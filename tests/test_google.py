"""The Google backend over real HTTP: gspread and google-auth against the Sheets API emulator.

Nothing here is mocked: requests leave gspread's HTTP client, cross a loopback
socket and are answered by the emulator, which counts them. The service
account signs a real JWT that the emulator's token endpoint exchanges.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from emulator import Fault, SheetsEmulator
from helpers import CLEAN, clean, workbook, write_xlsx
from helpers import findings as findings_of
from test_cli import flowsync, problems

from sync.backends import account_of
from sync.backends.google import GoogleWorkbook, RetryPolicy, a1, open_google, spreadsheet_id
from sync.backends.layout import column_widths, is_bold, is_wrapped, pixels
from sync.config import load_settings
from sync.core import Bold, Formula, Grid, Wrap
from sync.cycle import CycleOptions
from sync.errors import ConfigError, SheetAccessError
from sync.runner import Runner, make_quota
from sync.shard import shard_of

AS_OF = ("--as-of", "2026-11-26")
STEADY = {"spreadsheets.get": 1, "spreadsheets.batchUpdate": 1}
# New alerts to send cost one read and one write more: the owned tabs go out with this runner's
# lease, which is read back before sending; the state (what was sent) is written after.
STEADY_ALERTING = {"spreadsheets.get": 2, "spreadsheets.batchUpdate": 2}
# The first cycle adds one spreadsheets:batchUpdate that creates the owned tabs.
FIRST_ALERTING = {"spreadsheets.get": 2, "spreadsheets.batchUpdate": 3}


def _config(
    tmp_path: Path, teams: dict[str, str], *, key: Path | None = None, locale: str = "en"
) -> Path:
    lines = [
        f'[service]\nlocale = "{locale}"\n',
        "[google]\nretry_seconds = 1\nretry_initial_seconds = 0.01\nlease_settle_seconds = 0\n",
    ]
    if key is not None:
        lines.append(f'credentials = "{key}"\n')
    lines += [f'[[teams]]\nname = "{name}"\nspreadsheet = "{sid}"\n' for name, sid in teams.items()]
    path = tmp_path / "flowsync.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _api_calls(emulator: SheetsEmulator) -> dict[str, int]:
    """Sheets API calls counted at the emulator (the token exchange is not one)."""
    return {k: v for k, v in emulator.calls.items() if k != "token" and v}


def _plan_with_unlinked(text: str = "Call 15 clients") -> list[list[Any]]:
    plan = clean("plan")
    plan[4][3], plan[4][4] = text, None
    return plan


def test_full_cycle_with_service_account_costs_three_calls_then_two_then_one(
    tmp_path: Path, sheets: SheetsEmulator, service_account_key: Path
) -> None:
    """First cycle (an alert to send): read, create owned tabs, write with the lease, read it back,
    write the state. Changed input: read + write. Unchanged: read."""
    sheets.create("team-a", workbook(plan=_plan_with_unlinked()))
    config = _config(tmp_path, {"A": "team-a"}, key=service_account_key)

    code, out, err = flowsync("--config", config, "run", "--once", *AS_OF)
    assert (code, problems(err)) == (0, [])
    assert _api_calls(sheets) == FIRST_ALERTING
    assert sheets.tokens_issued[0]["iss"] == "flowsync@flowsync-test.iam.gserviceaccount.com"
    findings = sheets.values("team-a", "Findings")
    assert findings[0] == ["Code", "Severity", "Tab", "Row", "Owner", "Week", "Message"]
    assert findings[1][:6] == ["LINK001", "error", "Weekly Plan", "5", "Kim", "2026-W48"]
    assert [t.title for t in sheets.spreadsheets["team-a"].sheets][-2:] == ["Findings", "_flowsync"]
    assert sheets.spreadsheets["team-a"].sheets[-1].hidden

    sheets.reset_calls()
    sheets.spreadsheets["team-a"].sheet("Weekly Plan").write(4, 4, [["Q1"]], user_entered=False)
    code, _, _ = flowsync("--config", config, "run", "--once", *AS_OF)
    assert (code, _api_calls(sheets)) == (0, STEADY)
    assert sheets.values("team-a", "Findings") == [
        ["Code", "Severity", "Tab", "Row", "Owner", "Week", "Message"]
    ]

    sheets.reset_calls()
    code, out, _ = flowsync("--config", config, "run", "--once", *AS_OF)
    assert (code, _api_calls(sheets)) == (0, {"spreadsheets.get": 1})
    assert "A: 0 findings" in out


def test_input_tabs_are_never_written(tmp_path: Path, sheets: SheetsEmulator) -> None:
    """After a run every input tab reads back exactly as before."""
    sheets.create("team-a", workbook(plan=_plan_with_unlinked()))
    before = {title: sheets.values("team-a", title) for title in workbook()}
    flowsync("--config", _config(tmp_path, {"A": "team-a"}), "run", "--once", *AS_OF)
    assert {title: sheets.values("team-a", title) for title in workbook()} == before


@pytest.mark.slow
def test_fresh_processes_spend_one_read_when_nothing_changed(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """Two `flowsync run --once` processes: the first (with an alert to send) 5 calls, then 1;
    no cache survives between them."""
    sheets.create("team-a", workbook(plan=_plan_with_unlinked()))
    config = _config(tmp_path, {"A": "team-a"})
    env = {**os.environ, "SHEETS_EMULATOR_HOST": sheets.host}
    command = [sys.executable, "-m", "sync", "--config", str(config), "run", "--once", *AS_OF]
    for expected in (FIRST_ALERTING, {"spreadsheets.get": 1}):
        sheets.reset_calls()
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert (proc.returncode, problems(proc.stderr)) == (0, [])
        assert _api_calls(sheets) == expected


def test_google_and_xlsx_give_the_same_findings_for_a_korean_sheet(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """Dates typed in a ko_KR sheet come back as date cells ("2026. 11. 23"); findings match xlsx."""
    plan = _plan_with_unlinked()
    for row in plan[1:4]:
        row[0] = "2026. 11. 16"  # last week, typed the Korean way
    for row in plan[4:]:
        row[0] = "2026. 11. 23"
    grids = workbook("ko", plan=plan)
    sheets.create("team-ko", grids, locale="ko_KR", user_entered=True)
    assert (
        sheets.values("team-ko", "주간계획")[1][0] == "2026. 11. 16"
    )  # formatted like the real API
    write_xlsx(tmp_path / "ko.xlsx", grids)
    (tmp_path / "x.toml").write_text(
        '[service]\nlocale = "ko"\n[[teams]]\nname = "K"\nworkbook = "ko.xlsx"\n'
    )
    _, google_out, _ = flowsync(
        "--config",
        _config(tmp_path, {"K": "team-ko"}, locale="ko"),
        "check",
        "--format",
        "json",
        *AS_OF,
    )
    _, xlsx_out, _ = flowsync("--config", tmp_path / "x.toml", "check", "--format", "json", *AS_OF)
    assert json.loads(google_out) == json.loads(xlsx_out)
    assert [f["code"] for f in json.loads(google_out)] == ["LINK001"]


def test_persons_text_is_written_as_text_never_as_a_formula(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """A lever typed '=HYPERLINK(...)' appears in the Findings message as text, not as a formula."""
    sheets.create("team-a", workbook(plan=_plan_with_unlinked('=HYPERLINK("http://x","go")')))
    flowsync("--config", _config(tmp_path, {"A": "team-a"}), "run", "--once", *AS_OF)
    tab = sheets.spreadsheets["team-a"].sheet("Findings")
    cells = [c for (r, _), c in tab.cells.items() if r > 0]
    assert all(c.formula is None for c in cells)
    assert any('=HYPERLINK("http://x","go")' in str(c.value) for c in cells)
    assert "5" in [c.value for c in cells] or 5.0 in [c.value for c in cells]


def test_shorter_findings_leave_no_stale_rows(tmp_path: Path, sheets: SheetsEmulator) -> None:
    """A run with fewer findings than the last clears the old rows in the same single write."""
    plan = clean("plan")
    for row in plan[1:]:
        row[4] = None
    sheets.create("team-a", workbook(plan=plan))
    config = _config(tmp_path, {"A": "team-a"})
    flowsync("--config", config, "run", "--once", *AS_OF)
    assert len(sheets.values("team-a", "Findings")) == 7
    sheets.spreadsheets["team-a"].sheet("Weekly Plan").write(1, 4, [["Q1"]] * 5, user_entered=False)
    sheets.reset_calls()
    flowsync("--config", config, "run", "--once", *AS_OF)
    assert len(sheets.values("team-a", "Findings")) == 2
    assert _api_calls(sheets) == STEADY


def test_small_owned_grid_is_grown_before_the_write(tmp_path: Path, sheets: SheetsEmulator) -> None:
    """An existing Findings tab of 3 rows is resized in one spreadsheets:batchUpdate (with the
    other owned tabs added), then written."""
    plan = clean("plan")
    for row in plan[1:]:
        row[4] = None
    grids = {**workbook(plan=plan), "Findings": [["old"]]}
    book = sheets.create("team-a", grids)
    book.sheet("Findings").row_count = 3
    flowsync("--config", _config(tmp_path, {"A": "team-a"}), "run", "--once", *AS_OF)
    # The resize, the write with the lease, the state after the alerts: as with values:batchUpdate.
    assert sheets.calls["spreadsheets.batchUpdate"] == 3
    assert book.sheet("Findings").row_count >= 7
    assert len(sheets.values("team-a", "Findings")) == 7


def test_missing_input_tab_is_data001_found_in_the_one_read(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """No Risks tab: DATA001, with no second round trip."""
    grids = workbook()
    del grids["Risks"]
    sheets.create("team-a", grids)
    code, out, _ = flowsync(
        "--config", _config(tmp_path, {"A": "team-a"}), "check", "--format", "json", *AS_OF
    )
    assert [(f["code"], f["tab"]) for f in json.loads(out)] == [("DATA001", "risks")]
    assert code == 1  # DATA001 is an error
    assert _api_calls(sheets) == {"spreadsheets.get": 1}


def test_rate_limit_twice_then_success_honours_retry_after(sheets: SheetsEmulator) -> None:
    """Two 429s with Retry-After: 7, then an answer; the waits were exactly Retry-After."""
    sheets.create("team-a", workbook())
    sheets.fail_next(Fault(status=429, retry_after="7"), Fault(status=429, retry_after="7"))
    waits: list[float] = []
    book = open_google("team-a", credentials_file=None, policy=RetryPolicy(sleep=waits.append))
    snapshot = book.read()
    assert "Weekly Plan" in snapshot.grids
    assert (waits, sheets.calls["spreadsheets.get"], book.calls) == ([7.0, 7.0], 3, 3)


def test_server_errors_and_dropped_connections_are_retried_with_growing_waits(
    sheets: SheetsEmulator,
) -> None:
    """500, 503 and a dropped connection are retried; waits grow and stay jittered within bounds."""
    sheets.create("team-a", workbook())
    sheets.fail_next(Fault(status=500), Fault(status=503), Fault(drop=True))
    waits: list[float] = []
    policy = RetryPolicy(initial=1.0, maximum=32.0, sleep=waits.append)
    open_google("team-a", credentials_file=None, policy=policy).read()
    assert len(waits) == 3
    assert [0.5 <= waits[0] <= 1, 1 <= waits[1] <= 2, 2 <= waits[2] <= 4] == [True, True, True]


def test_exhausted_retry_budget_fails_that_team_and_the_next_succeeds(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """503 for team A until the budget runs out: A fails with a clear line, B is written, exit 1."""
    sheets.create("sheet-a", workbook())
    sheets.create("sheet-b", workbook(plan=_plan_with_unlinked()))
    sheets.fail_next(*[Fault(status=503, spreadsheet="sheet-a")] * 500)
    code, out, err = flowsync(
        "--config", _config(tmp_path, {"A": "sheet-a", "B": "sheet-b"}), "run", "--once", *AS_OF
    )
    assert code == 1
    (line,) = [line for line in err.splitlines() if "the Sheets API kept answering 503" in line]
    assert 'msg="team done" team=A ' in line  # its log line; stderr says it once
    assert 'error="cannot read spreadsheet sheet-a: the Sheets API kept answering 503' in line
    assert "B: 1 findings" in out
    assert sheets.values("sheet-b", "Findings")[1][0] == "LINK001"


def test_permission_denied_is_not_retried_and_says_whom_to_share_with(
    sheets: SheetsEmulator, service_account_key: Path
) -> None:
    """403: one call, and the message names the service account to share the sheet with."""
    sheets.create("private").forbidden = True
    book = open_google("private", credentials_file=service_account_key, policy=RetryPolicy())
    with pytest.raises(
        SheetAccessError, match=r"Share the spreadsheet with the service account \(flowsync@"
    ):
        book.read()
    assert sheets.calls["spreadsheets.get"] == 1


def test_unknown_spreadsheet_is_a_clear_not_found(sheets: SheetsEmulator) -> None:
    """404: one call, and the message says to check the id."""
    with pytest.raises(SheetAccessError, match=r"not found \(404\); check the spreadsheet id"):
        open_google("nope", credentials_file=None, policy=RetryPolicy()).read()
    assert sheets.calls["spreadsheets.get"] == 1


def test_write_refused_mid_run_leaves_input_tabs_untouched(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """The values write is refused: the team fails cleanly and no input cell changed."""
    sheets.create("team-a", workbook(plan=_plan_with_unlinked()))
    before = {t: sheets.values("team-a", t) for t in workbook()}
    # The owned tabs are created; the write of their cells is refused.
    sheets.fail_next(Fault(status=400, endpoint="spreadsheets.batchUpdate", after=1))
    code, _, err = flowsync("--config", _config(tmp_path, {"A": "team-a"}), "run", "--once", *AS_OF)
    assert code == 1
    assert "cannot write spreadsheet team-a" in err
    assert {t: sheets.values("team-a", t) for t in workbook()} == before


def test_titles_with_quotes_spaces_korean_and_emoji_are_quoted() -> None:
    """A1 ranges quote every title and double its single quotes."""
    assert a1("It's 🌵 주간", 2, 27) == "'It''s 🌵 주간'!A1:AA2"
    assert a1("Findings") == "'Findings'"


def test_owned_tab_with_awkward_title_round_trips(sheets: SheetsEmulator) -> None:
    """Writing a tab titled with a quote, emoji and Korean reaches that tab."""
    sheets.create("team-a", {"Sheet1": []})
    book = open_google("team-a", credentials_file=None, policy=RetryPolicy())
    book.write({"It's 🌵 점검": [["a", "b"], ["c"]]})
    assert sheets.values("team-a", "It's 🌵 점검") == [["a", "b"], ["c"]]


def test_spreadsheet_url_or_id_is_accepted() -> None:
    """A pasted URL is reduced to its id."""
    url = "https://docs.google.com/spreadsheets/d/1AbC-xyz_9/edit#gid=0"
    assert spreadsheet_id(url) == spreadsheet_id("1AbC-xyz_9") == "1AbC-xyz_9"


def test_init_sets_up_tabs_dropdowns_and_protection_in_one_batch_update(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """init: one read and one spreadsheets:batchUpdate; a tab with data is untouched."""
    sheets.create("new", {"목표": CLEAN["goals"], "Sheet1": [], "지표": []}, locale="ko_KR")
    code, out, _ = flowsync("--config", _config(tmp_path, {"N": "new"}, locale="ko"), "init")
    assert code == 0
    assert "주간계획" in out
    assert "목표," not in out
    assert _api_calls(sheets) == {"spreadsheets.get": 1, "spreadsheets.batchUpdate": 1}
    book = sheets.spreadsheets["new"]
    titles = [s.title for s in book.sheets]
    assert titles[:3] == ["주간요약", "목표", "Sheet1"]  # the summary comes first
    assert {
        "지표",
        "주간계획",
        "핵심결과",
        "리스크",
        "실험로그",
        "회고",
        "주간요약",
        "점검결과",
    } <= set(titles)
    plan = book.sheet("주간계획")
    assert sheets.values("new", "주간계획")[0][:4] == ["주차", "담당자", "흐름", "레버"]
    assert plan.frozen_rows == 1
    assert (0, 0) in plan.bold
    flow_rule = plan.validations[(1, 1000, 2, 3)]
    assert [v["userEnteredValue"] for v in flow_rule["condition"]["values"]] == [
        "비즈니스",
        "학습",
        "관계",
    ]
    protected_titles = {book.by_id(p["range"]["sheetId"]).title for p in book.protected}
    assert protected_titles == {"주간요약", "점검결과"}
    assert all(p["warningOnly"] for p in book.protected)
    assert {p["description"] for p in book.protected} == {
        "flowsync가 실행할 때마다 새로 쓰는 탭입니다. 여기서 고친 내용은 덮어씁니다."
    }
    assert sheets.values("new", "목표")[1][0] == "B1"  # the goals the team typed are still there
    metrics = book.sheet("지표")  # there but empty: filled in place, not added again
    assert titles.count("지표") == 1
    assert sheets.values("new", "지표")[0][:2] == ["지표ID", "목표ID"]
    assert (0, 0) in metrics.bold
    assert metrics.frozen_rows == 1


def test_summary_is_written_with_sparklines_in_the_same_single_write(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """Both owned tabs in one spreadsheets:batchUpdate; the trends are SPARKLINE formulas; text
    stays text."""
    sheets.create("team-a", workbook(plan=_plan_with_unlinked("=lever typed by a person")))
    flowsync("--config", _config(tmp_path, {"A": "team-a"}), "run", "--once", *AS_OF)
    # The owned tabs created, the tabs with the lease, then what was sent.
    assert sheets.calls["spreadsheets.batchUpdate"] == 3
    tab = sheets.spreadsheets["team-a"].sheet("Weekly Summary")
    formulas = [c.formula for c in tab.cells.values() if c.formula]
    assert formulas
    assert all(f.startswith("=SPARKLINE(") for f in formulas)
    assert any(c.value and "=lever typed by a person" in str(c.value) for c in tab.cells.values())
    assert sheets.values("team-a", "Weekly Summary")[0] == [
        "A · Weekly Summary · Nov 23–29 (2026-W48)"
    ]


def test_shorter_summary_leaves_no_stale_rows(tmp_path: Path, sheets: SheetsEmulator) -> None:
    """Three owners, then one: the summary shrinks and no row of the longer one survives."""
    plan = clean("plan") + [
        ["2026-W48", o, "Business", f"{o} lever", "Q1"] for o in ("Lee", "Park")
    ]
    sheets.create("team-a", workbook(plan=plan))
    config = _config(tmp_path, {"A": "team-a"})
    flowsync("--config", config, "run", "--once", *AS_OF)
    longer = sheets.values("team-a", "Weekly Summary")
    sheets.create("team-a", {**workbook(), "Weekly Summary": longer})
    book = sheets.spreadsheets["team-a"]
    flowsync("--config", config, "run", "--once", *AS_OF)
    shorter = sheets.values("team-a", "Weekly Summary")
    assert len(shorter) < len(longer)
    assert max(r for r, _ in book.sheet("Weekly Summary").cells) == len(shorter) - 1


def test_bold_and_wrap_follow_the_cells_and_a_new_layout_leaves_none_behind(
    sheets: SheetsEmulator,
) -> None:
    """Bold titles and headers, wrapped messages, and nothing else; the next layout leaves no
    bold or wrap where its cells moved; each write of an existing tab is one call."""
    sheets.create("team-a", {"Sheet1": []})
    book = open_google("team-a", credentials_file=None, policy=RetryPolicy())
    message = "Call the three clients who asked for a quote last week, then log the answers " * 2
    first: list[list[Any]] = [
        [Bold("A · Weekly Summary")],
        [],
        [Bold("Unlinked levers")],
        [Bold("Owner"), Bold("Flow"), Bold("Lever")],
        ["Kim", "Business", Wrap(message)],
        ["Lee", 3, Wrap("short"), True],
        [Bold("Trend"), Formula("=SPARKLINE(B5:B6)"), '=HYPERLINK("http://x","go")'],
    ]
    book.write({"Weekly Summary": first})
    tab = sheets.spreadsheets["team-a"].sheet("Weekly Summary")
    assert tab.bold == {(0, 0), (2, 0), (3, 0), (3, 1), (3, 2), (6, 0)}
    assert tab.wrap == {(4, 2): "WRAP", (5, 2): "WRAP"}
    # Every filled column gets the width the .xlsx backend gives it, in the same call.
    assert tab.column_pixels == {c - 1: pixels(w) for c, w in column_widths(first).items()}
    assert set(tab.column_pixels) == {0, 1, 2, 3}
    assert 200 < tab.column_pixels[2] < 400
    # Values as before: a number stays a number, a person's formula-like text stays text.
    assert (tab.cells[(5, 1)].value, tab.cells[(5, 3)].value) == (3.0, True)
    assert tab.cells[(6, 1)].formula == "=SPARKLINE(B5:B6)"
    assert tab.cells[(6, 2)].formula is None
    assert tab.cells[(6, 2)].value == '=HYPERLINK("http://x","go")'

    sheets.reset_calls()
    second: list[list[Any]] = [
        [Bold("A · Weekly Summary")],
        [Bold("Risks")],
        [Bold("Owner"), Bold("Risk")],
        ["Park", Wrap(message)],
        ["Kim", "no countermeasure", "plain where a header was"],
    ]
    book.write({"Weekly Summary": second})
    assert _api_calls(sheets) == {"spreadsheets.batchUpdate": 1}
    tab = sheets.spreadsheets["team-a"].sheet("Weekly Summary")
    assert tab.bold == {(0, 0), (1, 0), (2, 0), (2, 1)}
    assert tab.wrap == {(3, 1): "WRAP"}
    assert tab.column_pixels[1] == pixels(column_widths(second)[2])
    assert sheets.values("team-a", "Weekly Summary") == [
        ["A · Weekly Summary"],
        ["Risks"],
        ["Owner", "Risk"],
        ["Park", message],
        ["Kim", "no countermeasure", "plain where a header was"],
    ]
    assert max(r for r, _ in tab.cells) == 4


def test_the_summary_a_cycle_writes_is_bold_and_wrapped_where_flowsync_marks_it(
    tmp_path: Path, sheets: SheetsEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real Weekly Summary: the emulator holds bold and wrap exactly on the cells the grid marks
    (and the Findings header), then on a shorter summary's, at one write per changed team."""
    written: dict[str, Grid] = {}
    write = GoogleWorkbook.write

    def spy(self: GoogleWorkbook, tabs: Mapping[str, Grid]) -> None:
        written.update(tabs)
        write(self, tabs)

    monkeypatch.setattr(GoogleWorkbook, "write", spy)

    def expected(title: str) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
        grid = written[title]
        cells = [(r, c, v) for r, row in enumerate(grid) for c, v in enumerate(row)]
        bold = {(r, c) for r, c, v in cells if is_bold(r, v)}
        return bold, {(r, c): "WRAP" for r, c, v in cells if is_wrapped(v)}

    def held(title: str) -> tuple[set[tuple[int, int]], dict[tuple[int, int], str]]:
        tab = sheets.spreadsheets["team-a"].sheet(title)
        return tab.bold, tab.wrap

    plan = clean("plan") + [
        ["2026-W48", o, "Business", f"{o} calls every client who asked for a quote", None]
        for o in ("Lee", "Park")
    ]
    sheets.create("team-a", workbook(plan=plan))
    config = _config(tmp_path, {"A": "team-a"})
    assert flowsync("--config", config, "run", "--once", *AS_OF)[0] == 0
    longer = expected("Weekly Summary")
    assert held("Weekly Summary") == longer
    assert longer[1], "the unlinked levers wrap"
    assert {(0, 0), (0, 6)} <= held("Findings")[0] == expected("Findings")[0]

    linked = [["Q1"], ["Q1"]]  # Lee and Park link their levers: no unlinked section any more
    sheets.spreadsheets["team-a"].sheet("Weekly Plan").write(
        len(plan) - 2, 4, linked, user_entered=False
    )
    sheets.reset_calls()
    assert flowsync("--config", config, "run", "--once", *AS_OF)[0] == 0
    assert _api_calls(sheets) == STEADY
    shorter = expected("Weekly Summary")
    assert longer[0] - shorter[0]  # titles moved: their old cells must not stay bold
    assert set(longer[1]) - set(shorter[1])  # and the old messages' cells must not stay wrapped
    assert held("Weekly Summary") == shorter
    assert held("Findings") == expected("Findings")


def test_a_growing_findings_tab_needs_no_resize_next_cycle(
    tmp_path: Path, sheets: SheetsEmulator
) -> None:
    """New owned tabs have room to grow: one more finding next cycle needs no resize call."""
    sheets.create("team-a", workbook(plan=_plan_with_unlinked()))
    config = _config(tmp_path, {"A": "team-a"})
    flowsync("--config", config, "run", "--once", *AS_OF)
    sheets.spreadsheets["team-a"].sheet("Weekly Plan").write(5, 4, [[""]], user_entered=False)
    sheets.reset_calls()
    flowsync("--config", config, "run", "--once", *AS_OF)
    assert _api_calls(sheets) == STEADY_ALERTING  # the new LINK001 alerts its owner
    assert [row[0] for row in sheets.values("team-a", "Findings")[1:]] == ["LINK001", "LINK001"]


def test_a_hung_request_times_out_and_is_retried(sheets: SheetsEmulator) -> None:
    """A read that hangs past the request timeout is abandoned and tried again."""
    sheets.create("team-a", workbook())
    sheets.fail_next(Fault(delay=2.0, endpoint="spreadsheets.get"))
    waits: list[float] = []
    book = open_google(
        "team-a", credentials_file=None, policy=RetryPolicy(timeout=0.3, sleep=waits.append)
    )
    assert "Weekly Plan" in book.read().grids
    assert (book.calls, book.retries, len(waits)) == (2, 1, 1)


def test_a_retry_after_longer_than_the_budget_is_not_waited_and_says_so(
    sheets: SheetsEmulator,
) -> None:
    """Retry-After: 90 with a 10 s budget: no wait at all, and the message states both numbers."""
    sheets.create("team-a", workbook())
    sheets.fail_next(Fault(status=429, retry_after="90"))
    waits: list[float] = []
    book = open_google(
        "team-a", credentials_file=None, policy=RetryPolicy(budget=10, sleep=waits.append)
    )
    with pytest.raises(
        SheetAccessError,
        match=r"asked to wait 90s \(Retry-After\), more than is left of the retry budget of 10s",
    ):
        book.read()
    assert waits == []


def test_the_budget_message_states_the_real_budget(tmp_path: Path, sheets: SheetsEmulator) -> None:
    """A budget of 1 s, spent on 503s: the line says 1s, and where to set it."""
    sheets.create("sheet-a", workbook())
    sheets.fail_next(*[Fault(status=503, spreadsheet="sheet-a")] * 500)
    _, _, err = flowsync("--config", _config(tmp_path, {"A": "sheet-a"}), "check", *AS_OF)
    assert "of the retry budget of 1s ([google] retry_seconds); the next cycle tries again" in err


def test_two_runs_creating_the_owned_tabs_at_once_both_succeed(sheets: SheetsEmulator) -> None:
    """Both read a new sheet; one adds the owned tabs first; the other finds them there and
    writes anyway, where a plain addSheet would fail with "already exists"."""
    sheets.create("team-a", workbook())
    first = open_google("team-a", credentials_file=None, policy=RetryPolicy())
    second = open_google("team-a", credentials_file=None, policy=RetryPolicy())
    first.read()
    second.read()
    first.write({"Findings": [["Code"], ["LINK001"]]})
    second.write({"Findings": [["Code"], ["LINK002"]]})
    assert sheets.values("team-a", "Findings") == [["Code"], ["LINK002"]]
    assert [t.title for t in sheets.spreadsheets["team-a"].sheets].count("Findings") == 1


def test_merged_cells_are_read_in_the_same_single_call(sheets: SheetsEmulator) -> None:
    """A week typed once over merged rows applies to each of them: no false findings, one call."""
    plan = clean("plan")
    plan[5][0] = plan[6][0] = None  # rows 6 and 7 carry their week through the merge only
    sheets.create("team-m", workbook(plan=plan))
    sheet_id = sheets.spreadsheets["team-m"].sheet("Weekly Plan").sheet_id
    merge = {"sheetId": sheet_id, "startRowIndex": 4, "endRowIndex": 7, "endColumnIndex": 1}
    book = open_google("team-m", credentials_file=None, policy=RetryPolicy())
    book.client.batch_update("team-m", {"requests": [{"mergeCells": {"range": merge}}]})
    sheets.reset_calls()

    snapshot = book.read()

    assert _api_calls(sheets) == {"spreadsheets.get": 1}
    assert [row[0] for row in snapshot.grids["Weekly Plan"][4:7]] == ["2026-W48"] * 3
    assert findings_of(snapshot.grids) == []


# ---- one session per service account and process; quotas per service account


def _second_key(tmp_path: Path, sheets: SheetsEmulator, first: Path) -> Path:
    """Another service account: the same key material under another e-mail."""
    info = json.loads(first.read_text())
    info["client_email"] = "flowsync-2@flowsync-test.iam.gserviceaccount.com"
    path = tmp_path / "service-account-2.json"
    path.write_text(json.dumps(info))
    return path


def test_one_token_per_service_account_for_every_team_and_cycle(
    tmp_path: Path, sheets: SheetsEmulator, service_account_key: Path
) -> None:
    """Four teams, two accounts, two cycles in one process: two token exchanges, not sixteen."""
    second = _second_key(tmp_path, sheets, service_account_key)
    teams = {f"T{i}": f"sheet-{i}" for i in range(4)}
    for sid in teams.values():
        sheets.create(sid, workbook())
    config = _config(tmp_path, teams)
    text = config.read_text(encoding="utf-8").replace(
        "[google]\n", f'[google]\ncredentials = ["{service_account_key}", "{second}"]\n'
    )
    config.write_text(text, encoding="utf-8")
    settings = load_settings(config)
    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    runner = Runner(settings, clock=lambda: now, mailer=None, quota=make_quota(settings))

    for _ in range(2):
        report = runner.run(settings.teams, CycleOptions(now=now))
        assert [r.error for r in report.teams] == [None] * 4

    issued = sorted(t["iss"] for t in sheets.tokens_issued)
    assert issued == [
        "flowsync-2@flowsync-test.iam.gserviceaccount.com",
        "flowsync@flowsync-test.iam.gserviceaccount.com",
    ]
    # Each team is served by the account its name hashes to, as shards are chosen.
    accounts = {t.name: account_of(t, settings) for t in settings.teams}
    assert accounts == {name: shard_of(name, 2) for name in teams}
    assert set(accounts.values()) == {0, 1}


@pytest.mark.parametrize(
    ("accounts", "shards", "per_minute"),
    [(1, 1, 60), (1, 4, 15), (2, 4, 30), (4, 4, 60), (4, 2, 60), (3, 4, 15)],
)
def test_shards_that_share_a_service_account_share_its_quota(
    tmp_path: Path, accounts: int, shards: int, per_minute: int
) -> None:
    """Google counts 60 a minute per service account: N shards over K accounts pace accordingly."""
    keys = ", ".join(f'"key-{i}.json"' for i in range(accounts))
    path = tmp_path / "flowsync.toml"
    path.write_text(f"[google]\ncredentials = [{keys}]\n", encoding="utf-8")
    quota = make_quota(load_settings(path), shards=shards)
    assert (quota.reads.limit, quota.writes.limit) == (per_minute, per_minute)
    assert quota.account(1) is not quota
    assert quota.account(1) is quota.account(1)


def test_an_empty_list_of_keys_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "flowsync.toml"
    path.write_text("[google]\ncredentials = []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"google\.credentials"):
        load_settings(path)
