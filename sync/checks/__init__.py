"""Every check of docs/WORKBOOK.md, one module per family, each a pure function frames -> findings.

A finding about a bad row never stops the other checks, and a missing tab or
column skips only the checks that read it (``context.runs``, from the columns
the registry in ``sync.codes`` names for each check).
"""

from __future__ import annotations

from collections.abc import Callable

from sync.checks.action import check_action
from sync.checks.context import CheckContext, Limits
from sync.checks.data import check_data
from sync.checks.flow import check_flow
from sync.checks.link import check_link
from sync.checks.metric import check_metric
from sync.checks.plan import check_plan
from sync.checks.risk import check_risk
from sync.findings import Finding, sort_findings
from sync.workbook.contract import TABS
from sync.workbook.parse import Frames

FAMILIES: tuple[Callable[[Frames, CheckContext], list[Finding]], ...] = (
    check_data,
    check_link,
    check_metric,
    check_action,
    check_flow,
    check_risk,
    check_plan,
)
TAB_ORDER = {tab.key: index for index, tab in enumerate(TABS)}

__all__ = ["CheckContext", "Limits", "run_checks"]


def run_checks(frames: Frames, ctx: CheckContext) -> list[Finding]:
    """All findings for one workbook, in reading order (newest week, errors first)."""
    findings: list[Finding] = []
    for family in FAMILIES:
        findings += family(frames, ctx)
    return sort_findings(findings, tab_order=TAB_ORDER)
