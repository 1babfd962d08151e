"""A lease in the ``_flowsync`` tab: one runner at a time sends a team's alerts, across hosts.

Runs on one host are kept apart by a file lock in the state folder
(``sync.lock``); runs on different hosts (two replicas, a rolling deploy, a
cron job and a laptop) share nothing but the sheet, so the sheet carries the
lease. It costs nothing when there is nothing new to send; before sending, a
runner writes its lease and reads it back (one write and one read more), and
sends only if the lease it reads is its own. A local workbook's write refuses
a file saved since the read, so there two runs cannot both win; Google Sheets
has no such write, so the read-back waits ``[google] lease_settle_seconds``
(2 s) for the write of a rival that read before ours to land first. Pure
functions over the state.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

HOLDER, UNTIL = "lease:holder", "lease:until"
TTL = timedelta(minutes=10)  # longer than any one team's cycle; a crashed holder frees it then


def holder(state: Mapping[str, str], *, now: datetime) -> str | None:
    """Who holds the lease at ``now``, or None when nobody does (or it has expired)."""
    who, until = state.get(HOLDER), state.get(UNTIL)
    if not who or not until:
        return None
    try:
        expires = datetime.fromisoformat(until)
    except ValueError:
        return None
    return who if expires > now else None


def taken(state: Mapping[str, str], *, by: str, now: datetime) -> dict[str, str]:
    """The state with ``by`` holding the lease until ``now`` plus its time to live."""
    return {**state, HOLDER: by, UNTIL: (now + TTL).isoformat(timespec="seconds")}


def released(state: Mapping[str, str]) -> dict[str, str]:
    """The state without any lease."""
    return {k: v for k, v in state.items() if k not in (HOLDER, UNTIL)}
