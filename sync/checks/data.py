"""DATA: the workbook itself: missing tabs and columns, unreadable values, duplicate ids."""

from __future__ import annotations

from sync import messages
from sync.checks.context import CheckContext, runs
from sync.codes import skipped_by
from sync.findings import Finding
from sync.workbook.contract import TAB, lookalike
from sync.workbook.frames import id_key, records, text
from sync.workbook.parse import Frames

# The ids that must be unique, by tab.
UNIQUE_IDS = {"goals": "goal_id", "metrics": "metric_id", "experiments": "exp_id"}
# Unreadable cells that another check reports in its own words.
_REPORTED_ELSEWHERE = {("experiments", "next_step"), ("retro", "next_step")}


def check_data(frames: Frames, ctx: CheckContext) -> list[Finding]:
    findings = [
        ctx.finding(
            "DATA001",
            tab=key,
            row=None,
            subject=key,
            tab_en=TAB[key].name.en,
            tab_ko=TAB[key].name.ko,
        )
        for key in frames.missing_tabs
    ]
    findings += [
        ctx.finding(
            "DATA005",
            tab=key,
            row=None,
            subject=key,
            titles=", ".join(f"“{title}”" for title in titles),
            tab_en=TAB[key].name.en,
            tab_ko=TAB[key].name.ko,
        )
        for key, titles in frames.duplicate_tabs.items()
    ]
    for key, columns in frames.missing_columns.items():
        for column in columns:
            findings += _missing_column(frames, ctx, key, column)
    return findings + _unreadable(frames, ctx) + _duplicates(frames, ctx)


def _missing_column(frames: Frames, ctx: CheckContext, tab: str, key: str) -> list[Finding]:
    """DATA002 for a required column or one a check reads: what did not run, what looks like it."""
    column = TAB[tab].column(key)
    skipped = skipped_by(tab, key)
    if not column.required and not skipped:
        return []
    header = lookalike(column, frames.other_headers.get(tab, ()))
    variant = ("skipped" if skipped else "") + ("_like" if skipped and header else "")
    if header and not skipped:
        variant = "like"
    return [
        ctx.finding(
            "DATA002",
            message=f"DATA002.{variant}" if variant else "DATA002",
            tab=tab,
            row=frames.header_rows.get(tab),
            subject=key,
            title=frames.titles[tab],
            column_en=column.name.en,
            column_ko=column.name.ko,
            header=header or "",
            checks=", ".join(skipped),
        )
    ]


def _unreadable(frames: Frames, ctx: CheckContext) -> list[Finding]:
    problems = [p for p in frames.problems if (p.tab, p.column) not in _REPORTED_ELSEWHERE]
    where: dict[tuple[str, int], tuple[str | None, str | None]] = {}
    for tab in {p.tab for p in problems}:
        frame = frames.table(tab)
        hit = frame[frame["row"].isin([p.row for p in problems if p.tab == tab])]
        owners = hit["owner"] if "owner" in hit else [None] * len(hit)
        for row, owner, week in zip(
            hit["row"], owners, hit.get("week", [None] * len(hit)), strict=True
        ):
            where[(tab, int(row))] = (text(owner), text(week))
    findings: list[Finding] = []
    for p in problems:
        owner, week = where.get((p.tab, p.row), (None, None))
        column = TAB[p.tab].column(p.column).name(ctx.locale)
        findings.append(
            ctx.finding(
                "DATA003",
                tab=p.tab,
                row=p.row,
                owner=owner,
                week=week,
                subject=f"{p.column}={p.value}",
                column=column,
                reason=messages.reason(p.reason, ctx.locale, **p.params),
            )
        )
    return findings


def _duplicates(frames: Frames, ctx: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for tab, column in UNIQUE_IDS.items():
        if not runs(frames, "DATA004", tab):
            continue
        frame = frames.table(tab)
        frame = frame.assign(key=id_key(frame[column]))
        frame = frame[frame["key"].notna()]
        first_row = frame.drop_duplicates("key").set_index("key")["row"]
        for r in records(frame[frame["key"].duplicated()]):
            value = text(getattr(r, column)) or ""
            findings.append(
                ctx.for_row(
                    "DATA004",
                    tab,
                    r,
                    subject=value,
                    column=TAB[tab].column(column).name(ctx.locale),
                    value=value,
                    first_row=int(first_row[r.key]),
                )
            )
    return findings
