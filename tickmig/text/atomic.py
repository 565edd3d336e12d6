"""Writing files safely: each file is replaced whole or not at all (a temporary file in the
same folder, flushed, then renamed over the original).

What a rewrite keeps (issue 11):
* a symbolic link stays a link: the file it points to is written (the link is not replaced);
* permission bits, and the owner and group when tickmig runs as root;
* hard links: a file with several links is rewritten in place (same inode, so every link sees
  the new text); that one write is not atomic, and the backup is made first;
* a read-only file is refused (`ReadOnlyFile`), never rewritten behind the user's back;
* `expected`: the bytes tickmig read and computed from; a file that changed since is refused
  (`ChangedOnDisk`), so edits made while tickmig ran are never lost.
New files get the mode given (an input file's, for copies) or the umask's default (0666 less
the umask), never 0600. A backup never overwrites an earlier one: `x.tick.orig` exists, so the
next is `x.tick.orig.1`, and each backup appears whole (written aside, then linked in place).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable


class ChangedOnDisk(OSError):
    """The file is no longer what tickmig read: it was edited meanwhile."""


class ReadOnlyFile(OSError):
    """The file has no write permission: tickmig does not override that."""


def default_mode() -> int:
    """0666 less the process umask: what `open()` gives a new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(
    path: str,
    data: bytes | Iterable[bytes],
    *,
    backup_suffix: str | None = None,
    mode: int | None = None,
    expected: bytes | None = None,
    sync: bool = True,
) -> str | None:
    """Replace `path` with `data`; an interruption leaves the old or the new file, never a mix.
    `data` may come in pieces (a large report is written as it is encoded, never held twice).
    Returns the backup's path when one was made. Raises OSError (nothing changed) when the
    folder cannot be written, ChangedOnDisk or ReadOnlyFile as described above.
    `sync=False` leaves out the file's fsync: for a caller that writes many new files beside
    untouched originals and then makes them durable with one `os.sync()` (--output-dir)."""
    target = os.path.realpath(path)  # through symlinks: the link stays, its target changes
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file; not written")
        if not info.st_mode & stat.S_IWUSR:
            raise ReadOnlyFile(errno.EACCES, "the file is read-only; tickmig leaves it as it is")
        if expected is not None and _current(target) != expected:
            raise ChangedOnDisk(
                errno.EAGAIN, "changed since tickmig read it; run tickmig again on the new text"
            )
    backup = _backup(target, backup_suffix) if backup_suffix and info is not None else None
    if info is not None and info.st_nlink > 1:
        _rewrite_in_place(target, data if isinstance(data, bytes) else b"".join(data))
        return backup
    folder = os.path.dirname(target)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=".tickmig-tmp", dir=folder
    )
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in [data] if isinstance(data, bytes) else data:
                f.write(piece)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        if info is not None:
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
            if os.geteuid() == 0:
                with contextlib.suppress(OSError):
                    os.chown(tmp, info.st_uid, info.st_gid)
        else:
            os.chmod(tmp, default_mode() if mode is None else stat.S_IMODE(mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return backup


def _current(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _rewrite_in_place(path: str, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup(path: str, suffix: str) -> str:
    """Copy `path` to the first free `path+suffix[.N]`, whole or not at all."""
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.", suffix=".tickmig-bak", dir=folder
    )
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_current(path))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        for n in range(10_000):
            name = path + suffix + (f".{n}" if n else "")
            try:
                os.link(tmp, name)  # fails if the name exists: an earlier backup is kept
            except FileExistsError:
                continue
            return name
        raise OSError(errno.EEXIST, f"too many backups named {path + suffix}.N")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def mirror_path(path: str, roots: list[str], output_dir: str) -> str:
    """Where `path` goes below `output_dir`: its place below the input root it came from."""
    absolute = os.path.abspath(path)
    for root in sorted((os.path.abspath(r) for r in roots), key=len, reverse=True):
        base = root if os.path.isdir(root) else os.path.dirname(root)
        if absolute == root or absolute.startswith(base.rstrip(os.sep) + os.sep):
            return os.path.join(output_dir, os.path.relpath(absolute, base))
    return os.path.join(output_dir, os.path.basename(path))
