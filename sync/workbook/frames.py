"""Reading the parsed frames: rows as records, cells as text, ids as people mean them.

These live beside the frames (``parse.py`` makes them) because the checks, the
Weekly Summary and the alerts all read frames the same way.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from sync.workbook.values import shift_week

if TYPE_CHECKING:
    from sync.workbook.parse import Frames


def records(frame: pd.DataFrame) -> Iterator[Any]:
    """The frame's rows as namedtuples, read by column key (``r.lever``, ``r.row``).

    Faster than ``itertuples``, which builds a new namedtuple class on every call:
    the checks call this dozens of times per team, mostly on a few rows.
    """
    row = _row_type(tuple(str(c) for c in frame.columns))
    return map(row._make, zip(*(frame[c].tolist() for c in frame.columns), strict=True))


@cache
def _row_type(columns: tuple[str, ...]) -> Any:
    return namedtuple("Row", columns, rename=True)


def text(value: object) -> str | None:
    """A frame cell as str, or None for a missing value."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def id_key(series: pd.Series) -> pd.Series:
    """Ids compared the way people mean them: trimmed, any case (``id_of`` for one value)."""
    return series.astype("object").str.strip().str.casefold()


def id_of(value: object) -> str:
    """One id, compared as ``id_key`` compares a column: trimmed, any case; "" when empty."""
    return (text(value) or "").strip().casefold()


def goal_index(frames: Frames) -> pd.DataFrame:
    """Goals by id key (first row of a duplicated id wins)."""
    goals = frames.table("goals").assign(key=lambda g: id_key(g["goal_id"]))
    return goals[goals["key"].notna()].drop_duplicates("key").set_index("key")


def owners_by_week(frames: Frames, key: str) -> dict[str, set[str]]:
    """Week -> the owners with a row of tab ``key`` in it."""
    if not frames.usable(key, "week", "owner"):
        return {}
    table = frames.table(key)
    table = table[table["week"].notna() & table["owner"].notna()]
    found: dict[str, set[str]] = {}
    for r in records(table):
        owner = text(r.owner)
        if owner:
            found.setdefault(str(r.week), set()).add(owner)
    return found


def planless_owners(frames: Frames, week: str, lookback: int) -> list[str]:
    """Owners with a plan in one of the ``lookback`` weeks before ``week`` and none in it.

    One list, so that the Weekly Summary, the lead's report (which says it shows the
    summary's list) and the Monday nudge cannot name different people.
    """
    by_week = owners_by_week(frames, "plan")
    seen = set().union(*(by_week.get(shift_week(week, -n), set()) for n in range(1, lookback + 1)))
    return sorted(seen - by_week.get(week, set()))
