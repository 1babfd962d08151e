"""RISK checks: at most two risks per person per week, each with a countermeasure."""

from helpers import clean, context, findings, where, workbook

from sync.checks import Limits


def test_three_risks_in_a_week_is_risk001_on_the_third() -> None:
    """RISK001: more than 2 risks for one owner in one week."""
    risks = clean("risks") + [["2026-W48", "Kim", f"Risk {i}", "Plan"] for i in (2, 3)]
    assert where(findings(workbook(risks=risks))) == [("RISK001", "risks", 4, "Kim", "2026-W48")]


def test_risk_limit_is_configurable() -> None:
    """With a limit of 3, three risks are fine."""
    risks = clean("risks") + [["2026-W48", "Kim", f"Risk {i}", "Plan"] for i in (2, 3)]
    assert findings(workbook(risks=risks), context(limits=Limits(max_risks_per_week=3))) == []


def test_risk_without_countermeasure_is_risk002() -> None:
    """RISK002: a risk with no countermeasure (the trailing cell is simply absent)."""
    risks = clean("risks") + [["2026-W30", "Lee", "Old unmitigated risk"]]
    assert where(findings(workbook(risks=risks))) == [("RISK002", "risks", 3, "Lee", "2026-W30")]
