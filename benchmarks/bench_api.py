"""Sheets API cost per team and time to serve N teams: flowsync against the usual ways.

    make bench-deps && .venv/bin/python benchmarks/bench_api.py [--teams 1,10,100] [--latency 0.1]
    .venv/bin/python benchmarks/bench_api.py --scenario cycles [--cycle-teams 1000] [--edited 0.1]

``--scenario cycles``: one steady cycle over 1,000 teams of which 10% were
edited since the last cycle, 100 ms a call, three ways side by side: the
gspread a competent user writes (the tab list, one values:batchGet, one
values:batchUpdate: 3 calls a team), flowsync as it reads by default (one
read a team, a write where the owned tabs change), and flowsync with
``[google] change_detection`` (one files.list, then a read only for the
edited). Prints calls and wall time per cycle and the teams per hour one
service account serves within 60 reads and 60 writes a minute; writes
benchmarks/results/api_cycles.json.

Every strategy reads the same seven input tabs of the same generated team
workbooks, computes the same findings and Weekly Summary with flowsync's pure
core, and writes the Findings and Weekly Summary tabs, against the Sheets API
emulator (tests/emulator, in a process of its own) with a fixed latency per call. Only the I/O differs:

- flowsync: one spreadsheets.get with grid data, one spreadsheets:batchUpdate
  of updateCells, values and formats together (one more on the first cycle,
  creating the owned tabs; nothing when unchanged);
- tutorial: gspread as tutorials teach it: open the spreadsheet, then per tab
  ``worksheet(title)`` and ``get_all_records()``; per owned tab ``clear()`` and
  one ``append_row`` per finding and per summary line;
- gspread-dataframe: ``get_as_dataframe`` per input tab, ``set_with_dataframe``
  per owned tab.

Teams are served 8 at a time in every strategy (flowsync's default pool is 4;
8 gives the others the same help). Calls are counted at the emulator. Prints a
table and writes benchmarks/results/api.json, with the teams per hour one
service account serves within Google's per-user quota (60 reads and 60 writes
per minute) at each strategy's calls per team.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests"), str(HERE)]

import gspread  # noqa: E402
from generate import generate  # noqa: E402
from google.auth.credentials import AnonymousCredentials  # noqa: E402
from gspread.http_client import HTTPClient  # noqa: E402
from remote import RemoteEmulator  # noqa: E402

from sync.backends.google import RetryPolicy, a1, open_google  # noqa: E402
from sync.checks import CheckContext, run_checks  # noqa: E402
from sync.cycle import run_team  # noqa: E402
from sync.summary import build_summary, findings_grid, summary_grid  # noqa: E402
from sync.workbook.contract import INPUT_TABS, resolve_tabs  # noqa: E402
from sync.workbook.parse import parse_workbook  # noqa: E402

READS = {"spreadsheets.get", "values.get", "values.batchGet"}
QUOTA_PER_MINUTE = 60
ROWS_PER_TEAM = 300  # about a year of a small team's levers


def context() -> CheckContext:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return CheckContext(now=datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Seoul")), locale="en")


def owned_grids(
    grids: dict[str, list[list[Any]]], team: str
) -> tuple[list[list[Any]], list[list[Any]]]:
    """The same Findings and Summary content every strategy writes."""
    ctx = context()
    frames = parse_workbook(grids)
    findings = run_checks(frames, ctx)
    summary = build_summary(frames, findings, ctx, team=team)
    titles = resolve_tabs(grids)
    return (
        [list(r) for r in findings_grid(findings, titles=titles, locale="en")],
        [list(r) for r in summary_grid(summary, sparklines=False)],
    )


def gspread_client(host: str) -> gspread.Client:
    """Plain gspread over plain HTTP to the emulator (no retries, as a tutorial would have)."""

    class Emulated(HTTPClient):
        def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Any:
            return super().request(
                method,
                endpoint.replace("https://sheets.googleapis.com", f"http://{host}"),
                *args,
                **kwargs,
            )

    return gspread.Client(auth=AnonymousCredentials(), http_client=Emulated)  # type: ignore[no-untyped-call]


def _cells(rows: list[list[Any]]) -> list[list[Any]]:
    return [["" if c is None else c for c in row] for row in rows]


def tutorial(client: gspread.Client, sid: str, team: str) -> None:
    sheet = client.open_by_key(sid)
    grids = {}
    for tab in INPUT_TABS:
        ws = sheet.worksheet(tab.name.en)
        records = ws.get_all_records()
        header = list(records[0]) if records else ws.row_values(1)
        grids[tab.name.en] = [header] + [list(r.values()) for r in records]
    findings, summary = owned_grids(grids, team)
    for title, rows in (("Findings", findings), ("Weekly Summary", summary)):
        try:
            ws = sheet.worksheet(title)
            ws.clear()
        except gspread.WorksheetNotFound:
            ws = sheet.add_worksheet(title, rows=1000, cols=26)
        for row in _cells(rows):
            ws.append_row(row or [""], value_input_option="RAW")


def dataframe(client: gspread.Client, sid: str, team: str) -> None:
    import pandas as pd
    from gspread_dataframe import get_as_dataframe, set_with_dataframe

    sheet = client.open_by_key(sid)
    grids = {}
    for tab in INPUT_TABS:
        frame = get_as_dataframe(sheet.worksheet(tab.name.en), evaluate_formulas=True)
        frame = frame.dropna(how="all").astype(object).where(frame.notna(), None)
        grids[tab.name.en] = [list(frame.columns)] + frame.values.tolist()
    findings, summary = owned_grids(grids, team)
    for title, rows in (("Findings", findings), ("Weekly Summary", summary)):
        try:
            ws = sheet.worksheet(title)
        except gspread.WorksheetNotFound:
            ws = sheet.add_worksheet(title, rows=1000, cols=26)
        width = max(len(r) for r in rows)
        padded = [row + [None] * (width - len(row)) for row in rows]
        set_with_dataframe(
            ws, pd.DataFrame(padded[1:], columns=[str(c) for c in padded[0]]), resize=True
        )


def flowsync(sid: str, team: str) -> None:
    book = open_google(sid, credentials_file=None, policy=RetryPolicy())
    run_team(book, team=team, ctx=context())


def serve(strategy: Callable[[str, str], None], sids: list[str]) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda sid: strategy(sid, f"Team {sid}"), sids))
    return time.perf_counter() - start


def competent(client: gspread.Client, sid: str, team: str) -> None:
    """gspread as a competent user writes it: the tab list, one batchGet, one batchUpdate."""
    http = client.http_client
    meta = http.fetch_sheet_metadata(sid, params={"fields": "sheets.properties.title"})
    titles = [s["properties"]["title"] for s in meta["sheets"]]
    wanted = [t.name.en for t in INPUT_TABS if t.name.en in titles]
    body = http.values_batch_get(
        sid, [a1(t) for t in wanted], params={"valueRenderOption": "UNFORMATTED_VALUE"}
    )
    grids = {t: r.get("values", []) for t, r in zip(wanted, body["valueRanges"], strict=True)}
    findings, summary = owned_grids(grids, team)
    missing = [t for t in ("Findings", "Weekly Summary") if t not in titles]
    if missing:  # the first cycle only
        requests_ = [{"addSheet": {"properties": {"title": t}}} for t in missing]
        http.batch_update(sid, {"requests": requests_})
    data = [
        {"range": a1(title, len(rows) + 100, 26), "values": _padded(rows, len(rows) + 100)}
        for title, rows in (("Findings", findings), ("Weekly Summary", summary))
    ]
    http.values_batch_update(sid, {"valueInputOption": "RAW", "data": data})


def _padded(rows: list[list[Any]], height: int) -> list[list[Any]]:
    """Rows padded to a fixed size, so that a shorter write leaves no stale cells."""
    out = [
        [("" if c is None else c) for c in row][:26] + [""] * (26 - min(len(row), 26))
        for row in rows
    ]
    return out + [[""] * 26 for _ in range(height - len(out))]


def cycles(args: argparse.Namespace) -> None:
    """One steady cycle, 10% of the teams edited since the last, three ways."""
    import tempfile
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from sync.config import load_settings
    from sync.cycle import CycleOptions
    from sync.ratelimit import Quota, RateLimiter
    from sync.runner import Runner

    count, edited = args.cycle_teams, max(1, round(args.cycle_teams * args.edited))
    moment = datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Seoul"))
    unpaced = Quota(RateLimiter(10**9), RateLimiter(10**9))
    book = generate(args.rows)
    results: dict[str, Any] = {
        "teams": count,
        "edited": edited,
        "latency": args.latency,
        "rows_per_team": args.rows,
        "workers": 8,
        "ways": {},
    }
    print(
        f"{count:,} teams of {args.rows} plan rows, {edited} edited between cycles, "
        f"{args.latency * 1000:.0f} ms per call, 8 teams at a time"
    )
    with RemoteEmulator(latency=args.latency) as emulator, tempfile.TemporaryDirectory() as tmp:
        os.environ["SHEETS_EMULATOR_HOST"] = emulator.host
        client = gspread_client(emulator.host)

        def flowsync_way(prefix: str, *, change_detection: bool) -> Callable[[], None]:
            folder = Path(tmp) / prefix
            folder.mkdir()
            config = folder / "flowsync.toml"
            config.write_text(
                '[service]\nlocale = "en"\nworkers = 8\n'
                f"[google]\nchange_detection = {str(change_detection).lower()}\n"
                + "".join(
                    f'[[teams]]\nname = "Team {n}"\nspreadsheet = "{prefix}-{n}"\n'
                    for n in range(count)
                ),
                encoding="utf-8",
            )
            settings = load_settings(config)
            runner = Runner(settings, clock=lambda: datetime.now(UTC), mailer=None, quota=unpaced)

            def run() -> None:
                report = runner.run(settings.teams, CycleOptions(now=moment))
                failed = [r.error for r in report.teams if r.failed]
                assert not failed, failed[:3]

            return run

        def gspread_way(prefix: str) -> Callable[[], None]:
            sids = [f"{prefix}-{n}" for n in range(count)]
            return lambda: serve(lambda sid, team: competent(client, sid, team), sids)

        ways = {
            "competent gspread": ("gs", gspread_way),
            "flowsync, every team read": ("fs", lambda p: flowsync_way(p, change_detection=False)),
            "flowsync, change detection": ("cd", lambda p: flowsync_way(p, change_detection=True)),
        }
        for name, (prefix, make) in ways.items():
            for n in range(count):
                emulator.create(f"{prefix}-{n}", book, user_entered=True)
            run = make(prefix)
            run()  # the first cycle: owned tabs created, snapshots kept
            run()  # a cycle with nothing edited
            plan = emulator.last_row(f"{prefix}-0", "Weekly Plan")
            for n in range(edited):  # a person clears the goal of a lever: a new finding
                emulator.edit(f"{prefix}-{n * count // edited}", "Weekly Plan", plan - n % 5, 4, "")
            emulator.reset_calls()
            start = time.perf_counter()
            run()
            seconds = time.perf_counter() - start
            calls = emulator.calls
            reads = sum(v for k, v in calls.items() if k in READS)
            writes = sum(
                v for k, v in calls.items() if k not in READS and not k.startswith("drive.")
            )
            drive = sum(v for k, v in calls.items() if k.startswith("drive."))
            per_hour = QUOTA_PER_MINUTE * 60 * count / max(reads, writes, 1)
            results["ways"][name] = {
                "sheets_reads": reads,
                "sheets_writes": writes,
                "drive_calls": drive,
                "seconds": seconds,
                "teams_per_hour_within_quota": per_hour,
            }
            print(
                f"  {name:<28} reads {reads:>5}  writes {writes:>5}  drive {drive:>3}  "
                f"{seconds:>7.1f} s  {per_hour:>9,.0f} teams/hour",
                flush=True,
            )
            emulator.drop(prefix)
    base = results["ways"]["competent gspread"]
    print()
    print(f"{'way':<28} {'calls':>6} {'seconds':>8} {'x gspread':>9} {'teams/hour':>10}")
    for name, row in results["ways"].items():
        calls_ = row["sheets_reads"] + row["sheets_writes"] + row["drive_calls"]
        ratio = row["seconds"] / base["seconds"]
        print(
            f"{name:<28} {calls_:>6} {row['seconds']:>8.1f} {ratio:>8.2f}x "
            f"{row['teams_per_hour_within_quota']:>10,.0f}"
        )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "api_cycles.json").write_text(json.dumps(results, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", choices=("strategies", "cycles"), default="strategies")
    parser.add_argument("--teams", default="1,10,100")
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--cycle-teams", type=int, default=1000)
    parser.add_argument("--edited", type=float, default=0.1, help="share of teams edited")
    parser.add_argument("--rows", type=int, default=60, help="plan rows per team (cycles)")
    args = parser.parse_args()
    if args.scenario == "cycles":
        cycles(args)
        return
    sizes = [int(n) for n in args.teams.split(",")]
    results: dict[str, Any] = {
        "latency": args.latency,
        "rows_per_team": ROWS_PER_TEAM,
        "strategies": {},
    }
    with RemoteEmulator(latency=args.latency) as emulator:
        os.environ["SHEETS_EMULATOR_HOST"] = emulator.host
        client = gspread_client(emulator.host)
        books = {n: generate(ROWS_PER_TEAM, seed=n) for n in range(max(sizes))}

        def fresh(prefix: str, count: int) -> list[str]:
            for n in range(count):
                emulator.create(f"{prefix}-{n}", books[n], user_entered=True)
            return [f"{prefix}-{n}" for n in range(count)]

        def run(
            name: str,
            strategy: Callable[[str, str], None],
            prepare: Callable[[list[str]], None] | None = None,
        ) -> None:
            row: dict[str, Any] = {"seconds": {}}
            for count in sizes:
                sids = fresh(f"{re.sub(r'[^a-z]+', '-', name)}{count}", count)
                if prepare:
                    prepare(sids)
                emulator.reset_calls()
                row["seconds"][count] = serve(strategy, sids)
                calls = emulator.calls
                row["calls_per_team"] = sum(calls.values()) / count
                row["reads_per_team"] = sum(v for k, v in calls.items() if k in READS) / count
                row["writes_per_team"] = row["calls_per_team"] - row["reads_per_team"]
                print(
                    f"  {name:<28} {count:>4} teams  {row['seconds'][count]:>8.2f} s  {row['calls_per_team']:>6.1f} calls/team",
                    flush=True,
                )
            results["strategies"][name] = row

        def first_cycle(sids: list[str]) -> None:
            serve(flowsync, sids)
            # A person clears the goal of this week's last lever: a new finding to write.
            for sid in sids:
                emulator.edit(sid, "Weekly Plan", emulator.last_row(sid, "Weekly Plan"), 4, "")

        print(
            f"{ROWS_PER_TEAM} plan rows per team, {args.latency * 1000:.0f} ms per call, 8 teams at a time"
        )
        run("flowsync (first cycle)", flowsync)
        run("flowsync (changed)", flowsync, first_cycle)
        run("flowsync (unchanged)", flowsync, lambda sids: serve(flowsync, sids))
        run("gspread-dataframe", lambda sid, team: dataframe(client, sid, team))
        run("tutorial gspread", lambda sid, team: tutorial(client, sid, team))

    base = results["strategies"]["flowsync (changed)"]
    print()
    print(
        f"{'strategy':<26} {'calls/team':>10} "
        + " ".join(f"{f'{n} teams':>10}" for n in sizes)
        + f" {'x flowsync':>10} {'teams/hour':>10}"
    )
    for name, row in results["strategies"].items():
        per_hour = QUOTA_PER_MINUTE * 60 / max(row["reads_per_team"], row["writes_per_team"], 1e-9)
        row["teams_per_hour_within_quota"] = per_hour
        ratio = row["seconds"][sizes[-1]] / base["seconds"][sizes[-1]]
        row["ratio_to_flowsync"] = ratio
        times = " ".join(f"{row['seconds'][n]:>9.1f}s" for n in sizes)
        print(
            f"{name:<26} {row['calls_per_team']:>10.1f} {times} {ratio:>9.1f}x {per_hour:>10,.0f}"
        )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "api.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
