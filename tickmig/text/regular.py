"""Reading input files safely: only regular files, refused by type before anything is read.

A FIFO named `x.tick` (or given as a config, decisions or mapping file) would make a plain
`open()` wait forever for a writer, and a device such as /dev/zero never ends (issue 11). Every
input file tickmig reads goes through `read_regular`: the path is checked with `stat`, opened
without blocking (a FIFO opens at once in that mode) and checked again on the open descriptor,
so a file swapped in between is refused too. Symbolic links to regular files are followed.
"""

from __future__ import annotations

import errno
import os
import stat

#: The largest input file read (scripts, configs, mapping and decisions files).
MAX_BYTES = 64 * 1024 * 1024

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a directory"),
)


class NotRegularFile(OSError):
    """The path is not a regular file; `strerror` says what it is."""


def kind_of(mode: int) -> str:
    """`a FIFO (named pipe)`, `a directory`, ... for a file mode that is not a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def refuse_special(mode: int) -> None:
    """Raise NotRegularFile unless `mode` is a regular file's."""
    if not stat.S_ISREG(mode):
        what = kind_of(mode)
        raise NotRegularFile(errno.EINVAL, f"is {what}, not a regular file; not read")


def read_regular(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` + 1 of them (the caller refuses more).

    Raises NotRegularFile for a FIFO, socket, device or directory, OSError when unreadable.
    """
    refuse_special(os.stat(path).st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        refuse_special(os.fstat(fd).st_mode)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
