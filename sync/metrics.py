"""Prometheus metrics and a liveness answer for a deployed worker (``--metrics-port``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, Counter, Gauge, make_wsgi_app

from sync.observe import Observer

if TYPE_CHECKING:
    from sync.cycle import TeamReport
    from sync.runner import CycleReport


class Metrics(Observer):
    """The worker's counters, in a registry of their own, kept up to date as cycles run."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.cycles = Counter("flowsync_cycles", "Cycles run, by outcome", ["outcome"], registry=r)
        self.team_runs = Counter(
            "flowsync_team_runs", "Team runs, by outcome", ["outcome"], registry=r
        )
        self.api_calls = Counter(
            "flowsync_api_calls", "Sheets API requests, retries included", registry=r
        )
        self.retries = Counter(
            "flowsync_api_retries", "Sheets API requests that were retries", registry=r
        )
        self.alerts = Counter("flowsync_alerts_sent", "Alert e-mails delivered", registry=r)
        self.alerts_unsent = Counter(
            "flowsync_alerts_unsent",
            "Alert e-mails that should have gone out and did not (they are tried next cycle)",
            registry=r,
        )
        self.notified = Counter(
            "flowsync_notifications_sent",
            "Nudges, messenger messages and weekly reports delivered",
            registry=r,
        )
        self.notify_failed = Counter(
            "flowsync_notifications_failed",
            "Nudges, messenger messages and weekly reports that failed after their retries",
            registry=r,
        )
        self.findings = Gauge(
            "flowsync_findings", "Findings in the last cycle, by code", ["code"], registry=r
        )
        self.last_success = Gauge(
            "flowsync_last_success_timestamp_seconds",
            "When a cycle last ended with no failed team",
            registry=r,
        )
        self.last_tick = time.monotonic()

    def team_done(self, report: TeamReport) -> None:
        outcome = "skipped" if report.skipped else "failed" if report.failed else "ok"
        self.team_runs.labels(outcome).inc()
        self.api_calls.inc(report.calls)
        self.retries.inc(report.retries)
        self.alerts.inc(len(report.alerts_sent))
        self.alerts_unsent.inc(len(report.alert_errors))
        self.notified.inc(len(report.notified))
        self.notify_failed.inc(len(report.notify_errors))

    def cycle_finished(self, report: CycleReport) -> None:
        self.cycles.labels(report.outcome).inc()
        counts: dict[str, int] = {}
        for r in report.ran:
            for f in r.findings:
                counts[f.code] = counts.get(f.code, 0) + 1
        self.findings.clear()
        for code, n in counts.items():
            self.findings.labels(code).set(n)
        if report.outcome == "ok" and report.finished is not None:
            self.last_success.set(report.finished.timestamp())

    def tick(self) -> None:
        """The loop is alive: called on every turn of the worker's loop."""
        self.last_tick = time.monotonic()

    def serve(self, host: str, port: int, *, stale_after: float = 120.0) -> WSGIServer:
        """Serve /metrics and /healthz (200 while the loop turns, 503 when it is stuck)."""
        metrics_app = make_wsgi_app(self.registry)

        def app(environ: dict[str, Any], start: Callable[..., Any]) -> list[bytes]:
            if environ.get("PATH_INFO") == "/healthz":
                alive = time.monotonic() - self.last_tick < stale_after
                start(
                    "200 OK" if alive else "503 Service Unavailable",
                    [("Content-Type", "text/plain")],
                )
                return [b"ok\n" if alive else b"stuck\n"]
            return metrics_app(environ, start)  # type: ignore[no-any-return]

        class Quiet(WSGIRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = make_server(host, port, app, handler_class=Quiet)
        threading.Thread(target=server.serve_forever, daemon=True, name="flowsync-metrics").start()
        return server
