"""The run log: every cycle and every team run, in a SQLite file in the state folder.

Written as teams finish (from worker threads: one short connection per write),
read by ``flowsync status``. Times are passed in, never read from the clock here.
It is also the local ledger of alerts sent, kept beside the ``_flowsync`` tab:
when the sheet cannot be written after a send, the ledger still knows, and the
next cycle does not send the same alert again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync import messages
from sync.codes import Severity
from sync.errors import StateDirError
from sync.observe import Observer

if TYPE_CHECKING:
    from sync.cycle import CycleOptions, TeamReport
    from sync.runner import CycleReport

SCHEMA = """
CREATE TABLE IF NOT EXISTS cycles (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    trigger TEXT NOT NULL,
    shard TEXT,
    teams INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    interrupted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS team_runs (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycles(id),
    team TEXT NOT NULL,
    started TEXT NOT NULL,
    seconds REAL NOT NULL,
    api_calls INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL,
    alerts_sent INTEGER NOT NULL,
    written INTEGER NOT NULL,
    error TEXT
);
CREATE INDEX IF NOT EXISTS team_runs_team ON team_runs(team, started);
CREATE TABLE IF NOT EXISTS sent_alerts (
    team TEXT NOT NULL,
    key TEXT NOT NULL,
    stamp TEXT NOT NULL,
    PRIMARY KEY (team, key)
);
CREATE TABLE IF NOT EXISTS notify_runs (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycles(id),
    team TEXT NOT NULL,
    started TEXT NOT NULL,
    sent INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    errors TEXT
);
"""
# Columns added after the first release, added to an older run log when it is opened.
MIGRATIONS = {"team_runs": {"alerts_unsent": "INTEGER NOT NULL DEFAULT 0"}}


@dataclass(frozen=True)
class TeamStatus:
    team: str
    last_run: str | None
    last_success: str | None
    last_error: str | None
    alerts_unsent: int = 0  # in its last run: alerts it should have sent and could not


@dataclass(frozen=True)
class Status:
    """What ``flowsync status`` shows."""

    last_cycle: dict[str, Any] | None
    failing: tuple[TeamStatus, ...] = ()
    not_seen: tuple[TeamStatus, ...] = ()
    teams: tuple[TeamStatus, ...] = field(default=())
    unsent: tuple[TeamStatus, ...] = ()
    # Teams whose last nudges or reports (within stale_after) failed on some channel: (team, error).
    undelivered: tuple[tuple[str, str], ...] = ()


def _add_column(db: sqlite3.Connection, statement: str) -> None:
    """Add a column; another process opening a new run log at the same moment may have added it."""
    try:
        db.execute(statement)
    except sqlite3.OperationalError as exc:
        if "duplicate column" not in str(exc):
            raise


def _ts(moment: datetime) -> str:
    """UTC, so that stored times compare correctly as text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class RunLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._db() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
                for table, columns in MIGRATIONS.items():
                    have = {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}
                    for name, kind in columns.items():
                        if name not in have:
                            _add_column(db, f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise messages.error(StateDirError, "state_runlog", path=path, reason=reason) from exc

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30)) as db, db:
            db.row_factory = sqlite3.Row
            yield db

    def start_cycle(self, *, started: datetime, trigger: str, shard: str | None) -> int:
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO cycles (started, trigger, shard) VALUES (?, ?, ?)",
                (_ts(started), trigger, shard),
            )
            return int(cursor.lastrowid or 0)

    def record_team(self, cycle_id: int, report: TeamReport) -> None:
        assert report.started is not None, "a skipped team has nothing to record"
        severities = [f.severity for f in report.findings]
        with self._db() as db:
            db.execute(
                "INSERT INTO team_runs (cycle_id, team, started, seconds, api_calls, errors, warnings,"
                " infos, alerts_sent, alerts_unsent, written, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    cycle_id,
                    report.team,
                    _ts(report.started),
                    round(report.seconds, 3),
                    report.calls,
                    severities.count(Severity.ERROR),
                    severities.count(Severity.WARNING),
                    severities.count(Severity.INFO),
                    len(report.alerts_sent),
                    len(report.alert_errors),
                    int(bool(report.written)),
                    report.error,
                ),
            )
            if report.notified or report.notify_errors:
                db.execute(
                    "INSERT INTO notify_runs (cycle_id, team, started, sent, failed, errors)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        cycle_id,
                        report.team,
                        _ts(report.started),
                        len(report.notified),
                        len(report.notify_errors),
                        "\n".join(report.notify_errors) or None,
                    ),
                )

    def finish_cycle(
        self, cycle_id: int, *, finished: datetime, teams: int, failed: int, interrupted: bool
    ) -> None:
        with self._db() as db:
            db.execute(
                "UPDATE cycles SET finished = ?, teams = ?, failed = ?, interrupted = ? WHERE id = ?",
                (_ts(finished), teams, failed, int(interrupted), cycle_id),
            )

    def cycles(self) -> list[dict[str, Any]]:
        with self._db() as db:
            return [dict(row) for row in db.execute("SELECT * FROM cycles ORDER BY id")]

    def team_runs(self, cycle_id: int | None = None) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT * FROM team_runs WHERE ? IS NULL OR cycle_id = ? ORDER BY id",
                (cycle_id, cycle_id),
            )
            return [dict(row) for row in rows]

    def status(self, *, teams: list[str], now: datetime, stale_after: timedelta) -> Status:
        """The last cycle, the teams whose last run failed, and those not served successfully lately."""
        with self._db() as db:
            last = db.execute("SELECT * FROM cycles ORDER BY id DESC LIMIT 1").fetchone()
            rows = db.execute(
                "SELECT team, MAX(started) AS last_run,"
                " MAX(CASE WHEN error IS NULL THEN started END) AS last_success"
                " FROM team_runs GROUP BY team"
            ).fetchall()
            undelivered = db.execute(
                "SELECT team, errors FROM notify_runs n WHERE failed > 0 AND started >= ? AND id ="
                " (SELECT MAX(id) FROM notify_runs WHERE team = n.team) ORDER BY team",
                (_ts(now - stale_after),),
            ).fetchall()
            latest = {
                r["team"]: (r["error"], r["alerts_unsent"])
                for r in db.execute(
                    "SELECT team, error, alerts_unsent FROM team_runs t WHERE started = "
                    "(SELECT MAX(started) FROM team_runs WHERE team = t.team) ORDER BY id"
                )
            }
        seen = {r["team"]: r for r in rows}
        out: list[TeamStatus] = []
        for name in teams:
            row = seen.get(name)
            out.append(
                TeamStatus(
                    name,
                    row["last_run"] if row else None,
                    row["last_success"] if row else None,
                    *latest.get(name, (None, 0)),
                )
            )
        cutoff = _ts(now - stale_after)
        failing = tuple(t for t in out if t.last_error)
        not_seen = tuple(t for t in out if t.last_success is None or t.last_success < cutoff)
        unsent = tuple(t for t in out if t.alerts_unsent)
        return Status(
            dict(last) if last else None,
            failing,
            not_seen,
            tuple(out),
            unsent,
            tuple((r["team"], r["errors"]) for r in undelivered if r["team"] in teams),
        )

    def sent(self, team: str) -> dict[str, str]:
        """The alert keys recorded as sent for a team (state key -> when)."""
        with self._db() as db:
            rows = db.execute("SELECT key, stamp FROM sent_alerts WHERE team = ?", (team,))
            return {r["key"]: r["stamp"] for r in rows}

    def remember(self, team: str, keys: Mapping[str, str]) -> None:
        """Record exactly ``keys`` as the team's sent alerts: alerts of findings gone are forgotten,
        so that a fault that comes back alerts again."""
        with self._db() as db:
            db.execute("DELETE FROM sent_alerts WHERE team = ?", (team,))
            db.executemany(
                "INSERT INTO sent_alerts (team, key, stamp) VALUES (?, ?, ?)",
                [(team, key, stamp) for key, stamp in keys.items()],
            )


class Recorder(Observer):
    """Keeps every cycle and every team run in the run log, as they happen.

    A cycle whose process dies before it ends stays without a ``finished`` time,
    which ``status`` shows as still running or stopped.
    """

    def __init__(self, runlog: RunLog, *, shard: str | None = None) -> None:
        self.runlog, self.shard = runlog, shard
        self.cycle_id = 0

    def cycle_started(self, options: CycleOptions, *, teams: int, started: datetime) -> None:
        self.cycle_id = self.runlog.start_cycle(
            started=started, trigger=options.trigger, shard=self.shard
        )

    def team_done(self, report: TeamReport) -> None:
        if not report.skipped:
            self.runlog.record_team(self.cycle_id, report)

    def cycle_finished(self, report: CycleReport) -> None:
        assert report.finished is not None
        self.runlog.finish_cycle(
            self.cycle_id,
            finished=report.finished,
            teams=len(report.ran),
            failed=sum(r.failed for r in report.ran),
            interrupted=report.interrupted,
        )
