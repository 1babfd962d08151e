"""The owned tabs' grids: pure functions from findings (and frames) to cells."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from sync.core import Grid, Locale
from sync.findings import Finding
from sync.messages import summary_label as label
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
    findings: Sequence[Finding],
    *,
    titles: Mapping[str, str],
    locale: Locale,
    weeks: Collection[str] = (),
) -> Grid:
    """The Findings tab: a header and one row per finding, in the order given.

    ``titles`` maps tab keys to the titles in this workbook, so the Tab column
    says what the person sees at the bottom of the sheet. Given ``weeks`` (the
    current and previous week), findings of those weeks and of no week are listed
    in full and older ones folded into one line per week and code: what is on the
    table this week is not buried under four months of history.
    """
    rows: list[list[str | int | None]] = [[h(locale) for h in FINDINGS_HEADER]]
    folded: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if weeks and f.week is not None and f.week not in weeks:
            group = folded.setdefault((f.week, f.code), [])
            group.append(f)
            if len(group) > 1:
                continue
            rows.append([])  # filled in below, once the group is counted
            continue
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
    if folded:
        _fold(rows, folded, titles=titles, locale=locale)
    return rows


def _fold(
    rows: list[list[str | int | None]],
    folded: Mapping[tuple[str, str], list[Finding]],
    *,
    titles: Mapping[str, str],
    locale: Locale,
) -> None:
    """Fill each placeholder row with its week and code's single folded line."""
    groups = iter(folded.values())
    for i, row in enumerate(rows):
        if row:
            continue
        group = next(groups)
        first = group[0]
        message = (
            first.message
            if len(group) == 1
            else label("folded", locale, n=len(group), message=first.message)
        )
        rows[i] = [
            first.code,
            first.severity.words(locale),
            titles.get(first.tab) or TAB[first.tab].name(locale),
            first.row if len(group) == 1 else None,
            first.owner if len({f.owner for f in group}) == 1 else None,
            first.week,
            message,
        ]
