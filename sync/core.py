"""The few types every layer shares: cells, grids, a read's snapshot, the Workbook interface.

This module imports nothing of flowsync, so the pure core (parsing, checks,
summaries) and the backends can both depend on it without depending on each
other. A backend is thin: it moves cells between a store (a local .xlsx file,
a Google spreadsheet) and these plain grids, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

from rich.cells import cell_len

Locale = Literal["en", "ko"]

Say = Callable[[Locale], str]
"""A sentence said in the locale asked for: what a backend tells while it waits."""

Waiting = Callable[[Say], None]
"""Told once when a backend starts a wait a person would otherwise take for a hang."""

Cell = str | int | float | bool | date | datetime | None
"""One cell as a backend returns it: what a person sees, never the formula."""

Grid = Sequence[Sequence[Cell]]
"""A tab's cells, row by row; rows may be ragged."""


class Formula(str):
    """A cell flowsync itself writes as a formula (a SPARKLINE, say).

    Every other string is written as text, whatever it starts with: a person's
    ``=HYPERLINK(...)`` stays text. Only this type can become a formula.
    """

    __slots__ = ()


class Bold(str):
    """Text flowsync writes in bold: a section title or a header in an owned tab.

    Layout intent travels with the cell, so grids stay pure and each backend
    applies what it can; to every other reader it is a plain string.
    """

    __slots__ = ()


class Wrap(str):
    """Long text flowsync writes wrapped within its column, not overflowing to the right."""

    __slots__ = ()


@dataclass(frozen=True)
class Snapshot:
    """What one read returns: every tab title, and the cells of the tabs the contract knows."""

    titles: tuple[str, ...]
    grids: Mapping[str, Grid]


class Workbook(Protocol):
    """Where one team's tabs live."""

    @property
    def location(self) -> str:
        """Where the workbook is, for messages: a path or a spreadsheet id."""
        ...

    @property
    def sparklines(self) -> bool:
        """True where flowsync's own SPARKLINE formulas are computed (Google Sheets)."""
        ...

    @property
    def calls(self) -> int:
        """API requests sent so far, retries included; 0 for a local file."""
        ...

    @property
    def retries(self) -> int:
        """How many of those requests were retries."""
        ...

    def row_link(self, title: str, row: int | None) -> str | None:
        """A link that opens this tab at this row, where the store has one."""
        ...

    def read(self) -> Snapshot:
        """Every input and owned tab, in one round trip."""
        ...

    def write(self, tabs: Mapping[str, Grid]) -> None:
        """Rewrite each owned tab (title -> grid) whole, creating it if missing: one round trip."""
        ...

    @property
    def lease_settle(self) -> float:
        """Seconds to wait after writing a lease before reading it back.

        0 where a write refuses a workbook changed since the read (a local file):
        two runs cannot both win. Longer where it cannot (Google Sheets): another
        run that read before our lease must have written its own before we look.
        """
        ...

    def check_writable(self) -> None:
        """Raise a TeamError saying why, when a write would surely fail: checked before alerts
        go out, so that no alert is sent that its record in the workbook cannot follow."""
        ...

    def init(self, tabs: Mapping[str, Grid], *, locale: Locale) -> list[str]:
        """Create the template tabs (contract key -> grid) that are missing or empty.

        A tab that has data is never touched. Returns the titles written.
        """
        ...


def column_letters(count: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: the letters of the ``count``-th column."""
    out, n = "", max(count, 1)
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def display_width(text: str) -> int:
    """Columns the text takes in a terminal or a fixed-width cell: Korean characters take two."""
    return cell_len(text)
