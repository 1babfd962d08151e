"""METRIC checks: 3 to 5 metrics, leading ones among them, a reading every week."""

from helpers import clean, context, findings, where, workbook

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


def test_metric_without_reading_this_week_is_metric004() -> None:
    """METRIC004: an active metric with no actual for a checked week; a blank actual is none."""
    results = clean("results")
    results[4][3] = None  # M2 in W48, target set, actual not yet
    found = findings(workbook(results=results))
    assert where(found) == [("METRIC004", "metrics", 3, None, "2026-W48")]
    assert found[0].severity == "info"
