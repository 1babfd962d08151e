"""One cycle at a time per team on this host: a lock file per team in the state folder.

Two ``run --once`` started together (cron and a person, or two shells) would
otherwise both send the same new alerts. The lock is never waited for: the
run that finds a team locked leaves it to the run that holds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from sync import messages
from sync.errors import StateDirError


@contextmanager
def team_lock(state_dir: Path, team: str) -> Iterator[bool]:
    """Hold the team's lock for the block: yields True, or False when another run holds it."""
    folder = state_dir / "locks"
    name = hashlib.sha256(team.encode("utf-8")).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(folder / f"{name}.lock", timeout=0)
        lock.acquire()
    except Timeout:
        yield False
        return
    except OSError as exc:
        reason = exc.strerror or exc
        raise messages.error(
            StateDirError, "state_lock", team=team, folder=folder, reason=reason
        ) from exc
    try:
        yield True
    finally:
        lock.release()
