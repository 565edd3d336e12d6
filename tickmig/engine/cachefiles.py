"""The cache's files, shared by the per-script results (tickmig.engine.cache) and the recorded
runs (tickmig.engine.replay): where they live, and how they are read and written safely
(issue 11). Only the standard library, so that a replayed run starts fast.

A cache file is JSON only (nothing executable is loaded), lives in a directory the user owns
(mode 0700, tagged with CACHEDIR.TAG and a .gitignore), is opened without following symbolic
links, must be a regular file owned by the user and at most `MAX_BYTES`, and is replaced
atomically. Anything unexpected (corrupt, truncated, foreign, oversized) reads as None.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tickmig.settings import Settings

#: A cache file larger than this is not read (and is rebuilt).
MAX_BYTES = 256 * 1024 * 1024
#: The directory's name beside the settings file (or in the current directory).
DIRECTORY = ".tickmig_cache"

_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# tickmig's cache (CACHEDIR.TAG)\n"


def cache_directory(settings: Settings) -> str:
    """--cache-dir (or the settings' cache-dir), else TICKMIG_CACHE_DIR, else `DIRECTORY`
    beside the settings file, or in the current folder when there is none."""
    directory = settings.cache_dir or os.environ.get("TICKMIG_CACHE_DIR")
    if not directory:
        base = os.path.dirname(settings.source) if settings.source else os.getcwd()
        directory = os.path.join(base, DIRECTORY)
    return directory


def read_private(path: str) -> Any:
    """The JSON value of a cache file, or None when it is missing, not a regular file of this
    user (a symbolic link is not followed, a FIFO not waited on), too large, or damaged."""
    data = read_private_bytes(path)
    if data is None:
        return None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


def read_private_bytes(path: str) -> bytes | None:
    """A cache file's bytes, or None (see read_private)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.geteuid()
            or info.st_size > MAX_BYTES
        ):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def write_private(path: str, data: bytes) -> None:
    """Replaces a cache file whole (a temporary file beside it, then renamed), so that a run
    reading it at the same time sees the old file or the new one; raises OSError."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def ensure_directory(directory: str) -> None:
    """Creates the cache directory (mode 0700, with a CACHEDIR.TAG and a .gitignore), and
    refuses one that is a symbolic link or belongs to another user."""
    with contextlib.suppress(FileExistsError):
        os.makedirs(directory, mode=0o700)
    info = os.lstat(directory)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise OSError(f"{directory}: not a directory of this user")
    for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
        target = os.path.join(directory, name)
        if not os.path.lexists(target):
            with contextlib.suppress(OSError):
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
                with os.fdopen(fd, "w") as f:
                    f.write(text)
