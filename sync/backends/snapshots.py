"""Each team's last read, kept compressed in ``state_dir``: a sheet nobody edited is not read again.

Time moves when nobody edits: deadlines pass, weeks roll over. So the checks
and the Weekly Summary still run every cycle, from the stored snapshot, with
the cycle's clock, and the owned tabs are written only when they would change
(the content hashes in the ``_flowsync`` tab decide, as for a read).

A snapshot is used only when Drive (sync/backends/drive.py) vouches for it:
its file was not modified since the snapshot was confirmed, or its version is
the one flowsync's own last write left. A runner without the store (a new
pod, another shard) simply reads; a snapshot older than ``full_read_hours``
is read again. Without change detection only the tab titles are kept, so that
the read asks for the contract's tabs alone.

Files, per spreadsheet: ``<id>.json`` (titles, tab sizes, version, times) and
``<id>.grids.json.gz`` (the cells).
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sync.backends.drive import Changes, FileVersion, drive_client, file_version
from sync.backends.google import GoogleWorkbook, Layout
from sync.core import Formula, Grid, Locale, Snapshot
from sync.errors import TeamError
from sync.messages import ERRORS, say
from sync.workbook.contract import TABS, resolve_tabs

log = logging.getLogger(__name__)

TEAM_TABS = tuple(t.key for t in TABS if t.in_team_workbook)


@dataclass(frozen=True, kw_only=True)
class Meta:
    """What is known of a spreadsheet besides its cells."""

    titles: tuple[str, ...]
    layout: Layout
    version: int | None = None  # Drive's version the cells are known to match, if known
    read_at: datetime | None = None  # when the cells were last read from the sheet
    confirmed_at: datetime | None = None  # the cells were the sheet's content at this moment

    def to_json(self) -> dict[str, Any]:
        return {
            "titles": list(self.titles),
            "layout": {k: list(v) for k, v in self.layout.items()},
            "version": self.version,
            "read_at": self.read_at.isoformat() if self.read_at else None,
            "confirmed_at": self.confirmed_at.isoformat() if self.confirmed_at else None,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Meta:
        def moment(value: Any) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        return cls(
            titles=tuple(raw["titles"]),
            layout={k: (v[0], v[1], v[2], v[3], v[4]) for k, v in raw["layout"].items()},
            version=raw.get("version"),
            read_at=moment(raw.get("read_at")),
            confirmed_at=moment(raw.get("confirmed_at")),
        )


class SnapshotStore:
    """Snapshots on disk, one pair of files per spreadsheet; unreadable files count as absent."""

    def __init__(self, folder: Path, *, locale: Locale = "en") -> None:
        self.folder = folder
        self.locale = locale  # of the log line that says the store cannot be used

    def meta(self, spreadsheet: str) -> Meta | None:
        try:
            raw = json.loads((self.folder / f"{spreadsheet}.json").read_text(encoding="utf-8"))
            return Meta.from_json(raw)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def grids(self, spreadsheet: str) -> dict[str, Grid] | None:
        try:
            with gzip.open(
                self.folder / f"{spreadsheet}.grids.json.gz", "rt", encoding="utf-8"
            ) as f:
                raw = json.load(f)
        except (OSError, ValueError, EOFError):
            return None
        return raw if isinstance(raw, dict) else None

    def save(self, spreadsheet: str, meta: Meta, grids: Mapping[str, Grid] | None = None) -> None:
        """Write the cells (when given), then the meta; each file replaced in one rename.

        A store that cannot be written costs reads, not the team: said once in the log.
        """
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if grids is not None:
                payload = json.dumps(grids, ensure_ascii=False, separators=(",", ":"), default=str)
                _replace(
                    self.folder / f"{spreadsheet}.grids.json.gz",
                    gzip.compress(payload.encode("utf-8"), compresslevel=6, mtime=0),
                )
            text = json.dumps(meta.to_json(), ensure_ascii=False)
            _replace(self.folder / f"{spreadsheet}.json", text.encode("utf-8"))
        except OSError as exc:
            self._unusable(exc)
            self.forget(spreadsheet)

    def forget(self, spreadsheet: str) -> None:
        """Drop a spreadsheet's snapshot: the next cycle reads it."""
        for name in (f"{spreadsheet}.json", f"{spreadsheet}.grids.json.gz"):
            try:
                (self.folder / name).unlink(missing_ok=True)
            except OSError as exc:
                self._unusable(exc)

    def _unusable(self, exc: OSError) -> None:
        with _WARNED_LOCK:
            if self.folder in _WARNED:
                return
            _WARNED.add(self.folder)
        reason = exc.strerror or str(exc)
        why = say(ERRORS, "snapshots_unusable", self.locale, folder=self.folder, reason=reason)
        log.warning("snapshots not kept", extra={"fields": {"why": why}})


_WARNED: set[Path] = set()
_WARNED_LOCK = threading.Lock()


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def contract_titles(titles: tuple[str, ...]) -> tuple[str, ...]:
    """The titles a read needs, when every contract tab is among ``titles``; else () for all."""
    present = resolve_tabs(titles)
    if any(key not in present for key in TEAM_TABS):
        return ()  # a tab is missing: read every tab, so that one added since is seen
    return tuple(present[key] for key in TEAM_TABS)


def unchanged(meta: Meta, spreadsheet: str, changes: Changes) -> bool:
    """True when Drive vouches that the stored cells are still the sheet's content."""
    if changes.checked_at is None or meta.read_at is None or meta.confirmed_at is None:
        return False
    if changes.checked_at - meta.read_at >= changes.full_read_after:
        return False  # a full read at least once a day, edited or not
    listed = changes.listed.get(spreadsheet)
    if listed is not None:
        return meta.version is not None and listed.version == meta.version
    return changes.covers_from is not None and meta.confirmed_at >= changes.covers_from


def known_version(meta: Meta | None, spreadsheet: str, changes: Changes) -> int | None:
    """The version a fresh read matches, as far as Drive told: listed, or unmoved since the last."""
    listed = changes.listed.get(spreadsheet)
    if listed is not None:
        return listed.version
    still = (
        meta is not None
        and meta.confirmed_at is not None
        and changes.covers_from is not None
        and meta.confirmed_at >= changes.covers_from
    )
    return meta.version if still and meta is not None else None


@dataclass
class CachedWorkbook:
    """A Google workbook that skips the read when Drive says nobody edited it.

    Reads ask for the contract's tabs alone once their titles are known. After
    its own write it asks Drive for the new version (one files.get), so that
    the write is not taken for a person's edit next cycle.
    """

    inner: GoogleWorkbook
    store: SnapshotStore
    changes: Changes
    from_store: bool = False  # the last read came from the store: no Sheets call
    _wrote: bool = False  # after a write, reads go to the sheet (a lease is checked there)
    _meta: Meta | None = None
    _snapshot: Snapshot | None = None

    @property
    def location(self) -> str:
        return self.inner.location

    @property
    def sparklines(self) -> bool:
        return self.inner.sparklines

    @property
    def lease_settle(self) -> float:
        return (
            self.inner.lease_settle
        )  # after a write, read() reads the sheet: the read-back is real

    @property
    def calls(self) -> int:
        return self.inner.calls

    @property
    def retries(self) -> int:
        return self.inner.retries

    def row_link(self, title: str, row: int | None) -> str | None:
        return self.inner.row_link(title, row)

    def read(self) -> Snapshot:
        sid, changes = self.inner.spreadsheet, self.changes
        meta = self.store.meta(sid)
        if not self._wrote and meta is not None and unchanged(meta, sid, changes):
            grids = self.store.grids(sid)
            if grids is not None:
                self.inner.adopt(meta.layout)
                self._meta = replace(meta, confirmed_at=changes.checked_at)
                self.store.save(sid, self._meta)
                self._snapshot = Snapshot(titles=meta.titles, grids=grids)
                self.from_store = True
                return self._snapshot
        if meta is not None:
            self.inner.known_titles = contract_titles(meta.titles)
        snapshot = self.inner.read()
        self._meta = Meta(
            titles=snapshot.titles,
            layout=self.inner.layout,
            version=None if self._wrote else known_version(meta, sid, changes),
            read_at=changes.checked_at,
            confirmed_at=changes.checked_at,
        )
        self._snapshot = snapshot
        self.store.save(sid, self._meta, snapshot.grids if changes.on else None)
        return snapshot

    def check_writable(self) -> None:
        self.inner.check_writable()

    def write(self, tabs: Mapping[str, Grid]) -> None:
        sid = self.inner.spreadsheet
        self._wrote = True
        try:
            self.inner.write(tabs)
        except BaseException:
            self.store.forget(sid)  # the sheet may hold the write or not: read it next time
            raise
        if self._meta is None or self._snapshot is None:
            self.store.forget(sid)
            return
        titles = self._snapshot.titles + tuple(t for t in tabs if t not in self._snapshot.titles)
        meta = replace(self._meta, titles=titles, layout=self.inner.layout)
        if not self.changes.on:
            self.store.save(sid, meta)
            return
        try:
            client = drive_client(self.inner.session, self.inner.client.policy)
            after: FileVersion = file_version(client, sid)
        except TeamError:
            self.store.forget(sid)
            return
        grids = {**self._snapshot.grids, **{t: _as_read(g) for t, g in tabs.items()}}
        self.store.save(sid, replace(meta, version=after.version), grids)

    def init(self, tabs: Mapping[str, Grid], *, locale: Locale) -> list[str]:
        self.store.forget(self.inner.spreadsheet)
        return self.inner.init(tabs, locale=locale)


def _as_read(grid: Grid) -> list[list[Any]]:
    """A written grid as the next read would see it: a chart formula has no value, numbers are floats."""

    def cell(c: Any) -> Any:
        if isinstance(c, Formula) or c == "":
            return None
        if isinstance(c, int | float) and not isinstance(c, bool):
            return float(c)
        return str(c) if isinstance(c, str) else c

    rows = [[cell(c) for c in row] for row in grid]
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows
