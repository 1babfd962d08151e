"""The Sheets API emulator in a process of its own, as Google's servers are not in ours.

Driven over a pipe: create spreadsheets, edit a cell, read the call log. A
benchmark that ran the emulator in its own process would charge the
emulator's work to whichever strategy shares the interpreter with it.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))


def _serve(conn: Connection, latency: float) -> None:
    from emulator import SheetsEmulator

    with SheetsEmulator(latency=latency) as emulator:
        conn.send(emulator.host)
        while True:
            command, args, kwargs = conn.recv()
            if command == "stop":
                conn.send(None)
                return
            if command == "create":
                emulator.create(*args, **kwargs)
                conn.send(None)
            elif command == "edit":  # a person's edit: Drive's version and modifiedTime move
                sid, title, row, col, value = args
                emulator.edit(sid, title, row, col, [[value]])
                conn.send(None)
            elif command == "drop":
                with emulator.lock:
                    for sid in [s for s in emulator.spreadsheets if s.startswith(args[0])]:
                        del emulator.spreadsheets[sid]
                conn.send(None)
            elif command == "last_row":
                sid, title = args
                conn.send(max(r for r, _ in emulator.spreadsheets[sid].sheet(title).cells))
            elif command == "calls":
                conn.send(dict(emulator.calls))
            elif command == "log":
                conn.send(list(emulator.log))
            elif command == "reset":
                emulator.reset_calls()
                conn.send(None)


class RemoteEmulator:
    """Start with ``with RemoteEmulator(latency=0.1) as emulator: ...``."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency

    def __enter__(self) -> RemoteEmulator:
        self._conn, child = mp.Pipe()
        self._proc = mp.get_context("spawn").Process(
            target=_serve, args=(child, self.latency), daemon=True
        )
        self._proc.start()
        self.host: str = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._call("stop")
        self._proc.join(timeout=10)

    def _call(self, command: str, *args: Any, **kwargs: Any) -> Any:
        self._conn.send((command, args, kwargs))
        return self._conn.recv()

    def create(self, sid: str, tabs: dict[str, list[list[Any]]], **kwargs: Any) -> None:
        self._call("create", sid, tabs, **kwargs)

    def edit(self, sid: str, title: str, row: int, col: int, value: Any) -> None:
        self._call("edit", sid, title, row, col, value)

    def drop(self, prefix: str) -> None:
        """Forget every spreadsheet whose id starts with ``prefix``: memory for the next strategy."""
        self._call("drop", prefix)

    def last_row(self, sid: str, title: str) -> int:
        return int(self._call("last_row", sid, title))

    @property
    def calls(self) -> dict[str, int]:
        return dict(self._call("calls"))

    @property
    def log(self) -> list[tuple[float, str, str]]:
        return list(self._call("log"))

    def reset_calls(self) -> None:
        self._call("reset")
