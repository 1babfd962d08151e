"""flowsync's memory in the hidden ``_flowsync`` tab: plain key/value rows.

Kept in the team's own workbook, so every worker and every fresh process sees
it in the same single read, and it is written in the same single write as the
owned tabs. Pure functions: grids in, grids out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from sync.core import Formula, Grid

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


def hash_key(title: str) -> str:
    """The state key of an owned tab's content hash."""
    return f"hash:{title}"


def content_hash(grid: Grid) -> str:
    """A digest of one owned tab's content: equal when a rewrite would change nothing."""
    payload = [[["f", c] if isinstance(c, Formula) else c for c in row] for row in grid]
    text = json.dumps(payload, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
