"""A finding: one fault the checks found, on one row of one tab."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sync.codes import Severity


@dataclass(frozen=True, slots=True)
class Finding:
    """One fault, where a person can find it.

    ``row`` is the 1-based sheet row (the header is row 1) or None for a fault of
    a whole tab. ``subject`` is the row's own key words (a lever, an experiment
    id): it identifies the fault when rows move, for alerts that must not repeat.
    """

    code: str
    severity: Severity
    tab: str
    row: int | None
    owner: str | None
    week: str | None
    message: str
    subject: str = ""
    team: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "team": self.team,
            "code": self.code,
            "severity": str(self.severity),
            "tab": self.tab,
            "row": self.row,
            "owner": self.owner,
            "week": self.week,
            "message": self.message,
        }


def sort_findings(findings: Iterable[Finding], *, tab_order: dict[str, int]) -> list[Finding]:
    """Newest week first, then errors first, then by tab and row: the order a lead reads."""
    items = list(findings)
    items.sort(key=lambda f: (tab_order.get(f.tab, 99), f.row or 0, f.code))
    items.sort(key=lambda f: f.severity.rank)
    items.sort(key=lambda f: f.week or "", reverse=True)
    return items
