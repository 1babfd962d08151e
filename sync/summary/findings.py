"""The owned tabs' grids: pure functions from findings (and frames) to cells."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sync.core import Grid, Locale
from sync.findings import Finding
from sync.workbook.contract import TAB, Bilingual

FINDINGS_HEADER: tuple[Bilingual, ...] = (
    Bilingual("Code", "코드"),
    Bilingual("Severity", "심각도"),
    Bilingual("Tab", "탭"),
    Bilingual("Row", "행"),
    Bilingual("Owner", "담당자"),
    Bilingual("Week", "주차"),
    Bilingual("Message", "내용"),
)


def findings_grid(
    findings: Sequence[Finding], *, titles: Mapping[str, str], locale: Locale
) -> Grid:
    """The Findings tab: a header and one row per finding, in the order given.

    ``titles`` maps tab keys to the titles in this workbook, so the Tab column
    says what the person sees at the bottom of the sheet.
    """
    rows: list[list[str | int | None]] = [[h(locale) for h in FINDINGS_HEADER]]
    for f in findings:
        rows.append(
            [
                f.code,
                f.severity.words(locale),
                titles.get(f.tab) or TAB[f.tab].name(locale),
                f.row,
                f.owner,
                f.week,
                f.message,
            ]
        )
    return rows
