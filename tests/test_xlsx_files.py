"""The workbook as a file: the lock, the check that it is the file read, the rename."""

import os
import threading
import time
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


def test_a_save_in_the_instant_before_the_swap_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's save landing after the last look and before the rename: a plain rename
    would drop it; the swap keeps it, puts it back and has the cycle read again."""
    from sync.backends.xlsx import files

    path = tmp_path / "team.xlsx"
    path.write_bytes(b"as read")
    _, identity = read_bytes(path)
    swap = files._exchange
    if not _can_swap(tmp_path):
        pytest.skip("this file system cannot swap two files (renameat2 RENAME_EXCHANGE)")

    def late_save(a: Path, b: Path) -> bool:
        if a.suffix == ".tmp":  # the first swap: the person saves just before it
            person = tmp_path / "~$team.xlsx"
            person.write_bytes(b"the person's save")
            os.replace(person, path)
            monkeypatch.setattr(files, "_exchange", swap)
        return swap(a, b)

    monkeypatch.setattr(files, "_exchange", late_save)
    with pytest.raises(WorkbookChangedError, match=r"saved by someone else during the cycle"):
        replace(path, lambda current: b"flowsync's file", expected=identity)
    assert path.read_bytes() == b"the person's save"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".team.xlsx.lock", "team.xlsx"]


def _can_swap(folder: Path) -> bool:
    from sync.backends.xlsx import files

    a, b = folder / "swap-a", folder / "swap-b"
    a.write_bytes(b"a")
    b.write_bytes(b"b")
    try:
        return files._exchange(a, b)
    finally:
        a.unlink()
        b.unlink()


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


def _hold(lock: Path, seconds: float) -> threading.Thread:
    """Another holder of the lock file (its own open file, so the lock is really taken)."""
    taken = threading.Event()

    def hold() -> None:
        with filelock.FileLock(lock):
            taken.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    return thread


@pytest.mark.slow
def test_a_wait_for_the_lock_is_said_once_with_its_longest_time(tmp_path: Path) -> None:
    """A held lock: told once, before waiting, for how long at most; then the write goes on."""
    path = tmp_path / "team.xlsx"
    path.write_bytes(b"one")
    heard: list[tuple[str, str]] = []
    thread = _hold(lock_path(path), 0.5)
    replace(
        path,
        lambda current: b"two",
        expected=None,
        waiting=lambda say: heard.append((say("en"), say("ko"))),
    )
    thread.join()
    assert path.read_bytes() == b"two"
    assert heard == [
        (
            f"workbook {path}: another flowsync process holds its lock (.team.xlsx.lock) while it "
            "writes; waiting for it, 60s at most",
            "다른 flowsync 프로세스가 통합 문서를 쓰느라 잠금(.team.xlsx.lock)을 잡고 있어 최대 60초 "
            f"기다립니다: {path}",
        )
    ]


@pytest.mark.slow
def test_the_wait_and_its_end_name_the_same_timeout(tmp_path: Path) -> None:
    """Given up after the time the wait announced, and the error says that time too."""
    path = tmp_path / "team.xlsx"
    heard: list[str] = []
    thread = _hold(lock_path(path), 3)
    started = time.monotonic()
    with (
        pytest.raises(WorkbookError) as caught,
        write_lock(path, timeout=1, waiting=lambda say: heard.append(say("en"))),
    ):
        pass
    waited = time.monotonic() - started
    thread.join()
    assert 0.9 < waited < 2.5
    assert len(heard) == 1
    assert heard[0].endswith("waiting for it, 1s at most")
    assert "has held its lock (.team.xlsx.lock) for 1s" in str(caught.value)


def test_a_free_lock_is_taken_without_a_word(tmp_path: Path) -> None:
    heard: list[str] = []
    with write_lock(tmp_path / "team.xlsx", waiting=lambda say: heard.append(say("en"))):
        pass
    assert heard == []
