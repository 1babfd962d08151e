"""The workbook as a file: the lock, the check that it is the file read, the rename."""

import os
from pathlib import Path

import filelock
import pytest

from sync.backends.xlsx.files import lock_path, read_bytes, replace, write_lock
from sync.errors import WorkbookChangedError, WorkbookError


def test_a_save_during_the_write_itself_is_kept(tmp_path: Path) -> None:
    """A person's save landing while flowsync builds its file: their save stays, nothing is left."""
    path = tmp_path / "team.xlsx"
    path.write_bytes(b"as read")
    _, identity = read_bytes(path)

    def build(current: bytes | None) -> bytes:
        assert current == b"as read"
        person = tmp_path / "~$team.xlsx"
        person.write_bytes(b"the person's save")
        os.replace(person, path)  # Excel takes no lock
        return b"flowsync's file"

    with pytest.raises(WorkbookChangedError, match=r"saved by someone else during the cycle"):
        replace(path, build, expected=identity)
    assert path.read_bytes() == b"the person's save"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".team.xlsx.lock", "team.xlsx"]


def test_the_identity_returned_is_the_file_written(tmp_path: Path) -> None:
    """What replace() returns lets the next write go through without a read in between."""
    path = tmp_path / "team.xlsx"
    path.write_bytes(b"one")
    written = replace(path, lambda current: b"two", expected=None)
    assert read_bytes(path)[1] == written
    replace(path, lambda current: b"three", expected=written)
    assert path.read_bytes() == b"three"


def test_a_lock_held_too_long_is_named(tmp_path: Path) -> None:
    """Another writer holding the lock: after the wait, a message naming the lock file."""
    path = tmp_path / "team.xlsx"
    with (
        filelock.FileLock(lock_path(path)),
        pytest.raises(WorkbookError, match=r"another flowsync process has held its lock"),
        write_lock(path, timeout=0.05),
    ):
        pass
