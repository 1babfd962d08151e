"""What each figure of the Weekly Summary reads, and the note it shows when it cannot.

A figure (a verdict line, a question, a table, a line of the history) names
every column it reads, by tab, as a check does in ``sync.codes``. When one of
them, or its tab, is missing, the figure is not computed from the blank column
but says it was not measured and why: a renamed ``목표ID`` must not read as
"0% linked", nor a missing Experiment Log as "no experiments". Optional
columns that only refine a figure (a lesson, a metric's target or order) are
not listed: without them a cell shows "-", as a blank cell would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sync.core import Locale
from sync.messages import summary_label as label
from sync.workbook.contract import TAB
from sync.workbook.parse import Frames

Reads = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of the summary and, by tab, every column it reads."""

    key: str
    reads: Reads


# Every figure, in the order they are declared (sync.summary.build): the docs' table.
FIGURES: dict[str, Figure] = {}


def figure(key: str, **reads: tuple[str, ...]) -> Figure:
    """Declare a figure beside the code that computes it: ``figure("linkage", plan=(...))``."""
    if key in FIGURES:
        raise ValueError(f"figure {key!r} is declared twice")
    FIGURES[key] = Figure(key, reads)
    return FIGURES[key]


def not_measured(frames: Frames, reads: Reads, loc: Locale) -> str | None:
    """The note of a figure that cannot be measured, naming what is missing; None when it can.

    The note points at the finding that says the same thing: DATA002 for a
    column, DATA001 for a tab, DATA005 for a tab matched twice.
    """
    missing = frames.first_missing(reads)
    if missing is None:
        return None
    tab, column = missing
    title = frames.titles.get(tab) or TAB[tab].name(loc)
    if column is not None:
        name = TAB[tab].column(column).name(loc)
        return label("not_measured_column", loc, column=name, title=title)
    if tab in frames.duplicate_tabs:
        return label("not_measured_tabs", loc, title=title)
    return label("not_measured_tab", loc, title=title)


def reads_table() -> str:
    """docs/WORKBOOK.md's table of the columns each summary figure reads (``cog -r`` writes it)."""
    lines = ["| figure | reads |", "|---|---|"]
    for fig in FIGURES.values():
        tabs = "; ".join(
            f"{TAB[t].name.en} / {TAB[t].name.ko}: "
            + " · ".join(f"{c} {TAB[t].column(c).name.ko}" for c in cols)
            for t, cols in fig.reads.items()
        )
        lines.append(f"| {_name(fig.key)} | {tabs} |")
    return "\n".join(lines)


# The history's lines and the parts of a table, as the docs name them.
_PARTS = {
    "history:planned": "hist_planned",
    "history:done": "hist_done",
    "history:metric": "hist_leading",
    "goals:levers": "h_levers_this",
    "goals:experiments": "h_exps_this",
    "goals:leading": "h_leading_moves",
    "results:goal_id": "h_goal_id",
}


def _name(key: str) -> str:
    """A figure as the English summary titles it: "Verdict: Who has no plan"."""
    words = {"words": "the week", "flow": "Each flow's", "n": 12}
    if key.startswith("v_"):
        return "Verdict: " + label(f"{key}_label", "en", **words)
    if key.startswith("q_"):
        return "Question: " + label(key, "en")
    head, _, part = key.partition(":")
    what = _PARTS.get(key) or (f"hist_{part}" if head == "history" else "")
    if head == "history":
        return f"History: {label(what, 'en', **words)}"
    title = label(f"s_{head}", "en", **words)
    return f"{title}, column “{label(what, 'en')}”" if what else title
