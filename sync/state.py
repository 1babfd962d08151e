"""flowsync's memory in the hidden ``_flowsync`` tab: plain key/value rows.

Kept in the team's own workbook, so every worker and every fresh process sees
it in the same single read, and it is written in the same single write as the
owned tabs. Pure functions: grids in, grids out.
"""

from __future__ import annotations

from collections.abc import Mapping

from sync.core import Grid

HEADER = ["key", "value"]


def read_state(grid: Grid | None) -> dict[str, str]:
    """The key/value rows of a state tab; anything unreadable is ignored."""
    state: dict[str, str] = {}
    for row in (grid or [])[1:]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0] and row[1] is not None:
            state[row[0]] = str(row[1])
    return state


def state_grid(state: Mapping[str, str]) -> Grid:
    return [HEADER, *([key, value] for key, value in sorted(state.items()))]
