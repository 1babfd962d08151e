"""METRIC checks: 3 to 5 metrics, leading ones among them, a reading every week."""

from datetime import datetime

from helpers import SEOUL, clean, context, findings, where, workbook

from sync.checks import Limits


def _metrics(n: int) -> list[list[object]]:
    rows = clean("metrics")
    rows += [[f"M{i}", "Q1", f"Metric {i}", "leading", None, 1, "Y"] for i in range(3, n + 1)]
    return rows


def _readings(n: int) -> list[list[object]]:
    return [["week", "metric_id", "target", "actual"]] + [
        [w, f"M{i}", 1, 1] for w in ("2026-W47", "2026-W48") for i in range(1, n + 1)
    ]


def test_six_active_metrics_is_metric001() -> None:
    """METRIC001: more active metrics than the limit (5), leading and lagging together."""
    found = findings(workbook(metrics=_metrics(6), results=_readings(6)))
    assert where(found) == [("METRIC001", "metrics", None, None, None)]
    assert "6" in found[0].message


def test_five_active_metrics_and_inactive_ones_are_fine() -> None:
    """Five active metrics is within the limit; an inactive (N / 아니오) one does not count."""
    metrics = _metrics(5) + [["M9", "Q1", "Old", "lagging", None, 1, "아니오"]]
    assert findings(workbook(metrics=metrics, results=_readings(5))) == []


def test_metric_limit_comes_from_the_context() -> None:
    """A team limit of 3 flags four metrics."""
    ctx = context(limits=Limits(max_metrics=3))
    assert where(findings(workbook(metrics=_metrics(4), results=_readings(4)), ctx), "METRIC001")


def test_goal_with_only_lagging_metrics_is_metric002_on_the_goal_row() -> None:
    """METRIC002: a goal whose metrics are all lagging, reported on the goal's own row."""
    metrics = clean("metrics")
    metrics[1][3] = "후행"
    found = findings(workbook(metrics=metrics))
    assert where(found) == [("METRIC002", "goals", 4, "Lee", None)]


def test_key_result_of_unknown_metric_is_metric003() -> None:
    """METRIC003: a Key Results row naming a metric that is not in Metrics."""
    results = clean("results") + [["2026-W48", "M7", 1, 1]]
    assert where(findings(workbook(results=results))) == [
        ("METRIC003", "results", 6, None, "2026-W48")
    ]


def test_metric_without_reading_last_week_is_metric004() -> None:
    """METRIC004: an active metric with no actual for a checked week that is over; blank is none."""
    results = clean("results")
    results[2][3] = None  # M2 in W47, target set, actual never written
    found = findings(workbook(results=results))
    assert where(found) == [("METRIC004", "metrics", 3, None, "2026-W47")]
    assert found[0].severity == "info"
    assert found[0].message == (
        "Metric M2 (Proposals sent) has no reading for Nov 16–22: add its actual to Key Results,"
        " or set active to N if nobody watches it."
    )


def test_a_week_not_over_yet_is_not_missing_its_reading() -> None:
    """On Thursday this week's reading is not due; on Monday morning last week's is."""
    results = clean("results")
    results[4][3] = None  # M2 in W48
    assert where(findings(workbook(results=results)), "METRIC004") == []
    monday = context(datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))
    assert where(findings(workbook(results=results), monday), "METRIC004") == [
        ("METRIC004", "metrics", 3, None, "2026-W48")
    ]  # and nothing for 2026-W49, eight hours old


def test_monthly_and_quarterly_metrics_are_due_in_the_last_week_of_their_period() -> None:
    """A monthly metric read once in November is fine every week; unread, it is due in W48 only."""
    metrics = clean("metrics")
    metrics[0] += ["cadence", "order"]
    metrics[1] += ["weekly", 1]
    metrics[2] += ["월", None]  # M2 monthly
    results = [row for row in clean("results") if row[1] != "M2"]
    monday_w48 = context(datetime(2026, 11, 23, 8, 0, tzinfo=SEOUL))  # W47 is over, mid-month
    assert where(findings(workbook(metrics=metrics, results=results), monday_w48)) == []
    monday_w49 = context(datetime(2026, 11, 30, 8, 0, tzinfo=SEOUL))  # W48 ends November
    found = findings(workbook(metrics=metrics, results=results), monday_w49)
    assert where(found) == [("METRIC004", "metrics", 3, None, "2026-W48")]
    assert found[0].message.startswith(
        "Metric M2 (Proposals sent) has no reading for November 2026:"
    )
    results.append(["2026-W45", "M2", 3, 2])  # one reading in November is enough
    assert where(findings(workbook(metrics=metrics, results=results), monday_w49)) == []
    metrics[2][-2] = "분기"  # quarterly: Q4 ends in 2026-W53, not now
    assert where(findings(workbook(metrics=metrics, results=results[:-1]), monday_w49)) == []


def test_goal_whose_child_has_a_leading_metric_is_not_metric002() -> None:
    """A yearly goal measured by a lagging metric is served by its quarterly goal's leading one."""
    metrics = clean("metrics")
    metrics[2][1] = "A1"  # M2 (lagging) on A1; A1's child Q1 has M1 (leading)
    assert where(findings(workbook(metrics=metrics)), "METRIC002") == []
    metrics[1][3] = "lagging"  # now nothing under A1 leads: both goals are flagged
    assert where(findings(workbook(metrics=metrics)), "METRIC002") == [
        ("METRIC002", "goals", 3, "Kim", None),
        ("METRIC002", "goals", 4, "Lee", None),
    ]


def test_metric001_among_leading_metrics_names_the_last_added_plainly() -> None:
    """Seven leading metrics all read: the last two added, with no reason made up."""
    metrics = _metrics(7)
    metrics[2][3] = "leading"
    found = [
        f
        for f in findings(workbook(metrics=metrics, results=_readings(7)))
        if f.code == "METRIC001"
    ]
    assert "Retire these first: M7 Metric 7, M6 Metric 6;" in found[0].message


def test_metric001_names_the_metrics_to_retire_first() -> None:
    """Stale ones first (no reading in five weeks), then lagging ones, the last added first."""
    metrics = _metrics(6) + [["M7", "Q1", "Old survey", "leading", None, 1, "Y"]]
    found = [
        f
        for f in findings(workbook(metrics=metrics, results=_readings(6)))
        if f.code == "METRIC001"
    ]
    assert where(found) == [("METRIC001", "metrics", None, None, None)]
    assert (
        "Retire these first: M7 Old survey (no reading in 5 weeks), M2 Proposals sent (lagging);"
        in (found[0].message)
    )
