"""The check context: a finding for a row takes its row, owner and week from the row itself."""

from __future__ import annotations

from helpers import context, frames, workbook

from sync.codes import Severity
from sync.workbook.frames import records


def test_a_finding_for_a_row_reads_row_owner_and_week_from_a_record_or_a_frame_row() -> None:
    plan = frames(workbook()).table("plan")
    ctx = context()
    from_record = ctx.for_row("FLOW003", "plan", next(records(plan)), subject="x", lever="x")
    from_series = ctx.for_row("FLOW003", "plan", plan.iloc[0], subject="x", lever="x")
    assert from_record == from_series
    assert (from_record.row, from_record.owner, from_record.week) == (2, "Kim", "2026-W47")
    assert from_record.severity is Severity.WARNING
    assert from_record.message == (
        "Learning lever “x” is done but applied_to is empty: write where it was applied."
    )


def test_a_row_of_a_tab_without_owner_or_week_gives_neither() -> None:
    metrics = frames(workbook()).table("metrics")
    found = context().for_row(
        "METRIC003", "metrics", next(records(metrics)), subject="M1", metric_id="M1"
    )
    assert (found.row, found.owner, found.week) == (2, None, None)
    assert found.message == (
        "The key result of ? names metric “M1”, which is not in Metrics:"
        " fix the metric_id or add the metric."
    )
