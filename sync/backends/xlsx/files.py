"""The workbook as a file on a shared folder: its identity, the write lock, the atomic replace.

A person (or a sync client) may save the workbook while a cycle runs. So the
write takes a lock beside the workbook, checks that the file is still the one
the cycle read, and replaces it in one step in the same folder, keeping what
makes it the same file to the people who share it: the symlink that points at
it, its mode, its owner and group. On Linux the step is a swap, not a rename,
so a save landing in the instant before it is found in the swapped-out file
and put back, not lost. A temporary file that a killed run left
behind is removed by the next write, under the same lock.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import filelock

from sync import messages
from sync.core import Locale, Say, Waiting
from sync.errors import WorkbookChangedError, WorkbookError

LOCK_TIMEOUT_SECONDS = 60.0  # another flowsync write takes seconds at most


@dataclass(frozen=True)
class Identity:
    """What says a file is still the one that was read: its stat and a digest of its bytes."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, st: os.stat_result, data: bytes) -> Identity:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, digest(data))


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def target(path: Path) -> Path:
    """The file a path names, symlinks followed: the one to read, and to replace."""
    return Path(os.path.realpath(path))


def read_bytes(path: Path) -> tuple[bytes, Identity]:
    """The file's bytes and their identity, from one open file (a rename meanwhile cannot mix two)."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        data = f.read()
    return data, Identity.of(st, data)


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def stale_temp_files(path: Path) -> list[Path]:
    """Temporary files of an earlier write of this workbook (``.team.xlsx.XXXX.tmp``)."""
    prefix = _temp_prefix(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return [
        path.parent / n
        for n in names
        if n.startswith(prefix) and n.endswith(".tmp") and len(n) > len(prefix) + 4
    ]


@contextmanager
def write_lock(
    path: Path, *, timeout: float | None = None, waiting: Waiting | None = None
) -> Iterator[None]:
    """Hold the lock file beside ``path`` (``.team.xlsx.lock``) for one write.

    When another process holds it, ``waiting`` is told once, before the wait, for how long at
    most: a silent wait of a minute looks like a hang. The same ``timeout`` ends the wait and is
    the one both messages name.
    """
    timeout = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    lock = filelock.FileLock(lock_path(path), timeout=timeout)
    try:
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            if waiting is not None:
                waiting(_lock_wait(path, timeout))
            lock.acquire(timeout=timeout)
    except filelock.Timeout as exc:
        raise messages.error(
            WorkbookError,
            "xlsx_lock_held",
            path=path,
            lock=lock_path(path).name,
            seconds=round(timeout),
        ) from exc
    except OSError as exc:
        raise messages.error(
            WorkbookError,
            "xlsx_lock_file",
            path=path,
            lock=lock_path(path).name,
            reason=exc.strerror or exc,
            folder=path.parent,
        ) from exc
    try:
        yield
    finally:
        lock.release()


def _lock_wait(path: Path, timeout: float) -> Say:
    def say(locale: Locale) -> str:
        return messages.say(
            messages.ERRORS,
            "xlsx_lock_wait",
            locale,
            path=path,
            lock=lock_path(path).name,
            seconds=round(timeout),
        )

    return say


def ensure_replaceable(path: Path) -> None:
    """Raise WorkbookError unless a new file can take the place of ``path``.

    Replacing needs a folder that accepts a new file (probed by creating one,
    so read-only mounts and permissions are both caught), a path that is not
    a folder, and a file that is not marked read-only.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise messages.error(WorkbookError, "xlsx_folder", path=path)
    if st is not None and not st.st_mode & 0o222:
        raise messages.error(WorkbookError, "xlsx_read_only", path=path)
    if not path.parent.is_dir():
        return  # the write creates the folder; mkdir reports its own failure
    probe = path.parent / f"{_temp_prefix(path)}{secrets.token_hex(4)}.tmp"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise _unwritable(path, exc) from exc
    probe.unlink(missing_ok=True)  # a write under the lock may have swept it up already


def _unwritable(path: Path, exc: OSError) -> WorkbookError:
    reason = exc.strerror or exc
    return messages.error(
        WorkbookError, "xlsx_no_new_file", path=path, folder=path.parent, reason=reason
    )


def _not_written(path: Path, exc: OSError) -> WorkbookError:
    """What a failed save means to a person, and what to do about it."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return messages.error(WorkbookError, "xlsx_disk_full", path=path)
    key = (
        "xlsx_denied"
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
        else "xlsx_not_written"
    )
    return messages.error(WorkbookError, key, path=path, reason=exc.strerror or exc)


def replace(
    path: Path,
    build: Callable[[bytes | None], bytes],
    *,
    expected: Identity | None,
    waiting: Waiting | None = None,
) -> Identity:
    """Replace the file at ``path`` (symlinks followed) with what ``build`` writes.

    Under the lock: stale temporary files are removed, the current file is read
    and, when ``expected`` is given, must still be that file, else
    WorkbookChangedError. ``build`` gets the current bytes (None for a new
    file) and returns the new file's bytes. The new file takes
    the old one's mode, owner and group; a new file gets the umask's mode.
    Returns the identity of the file written. ``waiting`` hears of a wait for the lock.
    """
    real = target(path)
    ensure_replaceable(real)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(real, exc) from exc
    with write_lock(real, waiting=waiting):
        for leftover in stale_temp_files(real):
            leftover.unlink(missing_ok=True)
        try:
            current, identity = read_bytes(real)
        except FileNotFoundError:
            current, identity = None, None
        except OSError as exc:
            reason = exc.strerror or exc
            raise messages.error(WorkbookError, "xlsx_reread", path=real, reason=reason) from exc
        if expected is not None and not _unchanged(expected, identity):
            raise _changed(path)
        data = build(current)
        old = os.stat(real) if current is not None else None
        tmp = real.parent / f"{_temp_prefix(real)}{secrets.token_hex(4)}.tmp"
        try:
            # 0o666 lets the kernel apply the umask (and a folder's default ACL), as for any new file.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                if old is not None:
                    _keep_owner(f.fileno(), old)
                    os.fchmod(f.fileno(), stat.S_IMODE(old.st_mode))
                os.fsync(f.fileno())
                written = Identity.of(os.fstat(f.fileno()), data)  # a rename keeps all of it
            # A person's save does not take the lock: look again, just before the rename.
            if identity is not None and not _same_stat(identity, real):
                raise _changed(path)
            if identity is not None and _exchange(tmp, real):
                # ``tmp`` now holds what was replaced: if a person saved in the instant
                # between the look and the swap, theirs goes back and the cycle reads again.
                if not _same_stat(identity, tmp):
                    _exchange(tmp, real)
                    raise _changed(path)
            else:
                os.replace(tmp, real)
        except OSError as exc:
            raise _not_written(path, exc) from exc
        finally:
            tmp.unlink(missing_ok=True)
        return written


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


@cache
def _renameat2() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a C library without it
        return None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two files in one step (Linux ``renameat2`` with RENAME_EXCHANGE): unlike a
    rename, nothing at ``b`` is lost, so what was replaced can still be checked.

    False where the system or the file system cannot swap; the caller renames instead.
    """
    call = _renameat2()
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _changed(path: Path) -> WorkbookChangedError:
    return messages.error(WorkbookChangedError, "xlsx_changed", path=path)


def _same_stat(identity: Identity, path: Path) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == (
        identity.device,
        identity.inode,
        identity.size,
        identity.mtime_ns,
    )


def _unchanged(expected: Identity, current: Identity | None) -> bool:
    """The same bytes as read, whatever touched the file's stat (a sync client rewriting them)."""
    return current is not None and current.digest == expected.digest


def _keep_owner(fd: int, old: os.stat_result) -> None:
    """The old file's owner and group where the user may set them (the group, if a member)."""
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.fchown(fd, uid, gid)
            return
        except PermissionError:
            continue
