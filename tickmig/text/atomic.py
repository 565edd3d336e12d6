"""Writing files safely: each file is replaced whole or not at all (a temporary file in the
same folder, flushed, then renamed over the original), keeping its permission bits."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile


def atomic_write(path: str, data: bytes, *, backup_suffix: str | None = None) -> None:
    """Replace `path` with `data`; an interruption leaves the old or the new file, never a mix.
    Raises OSError (nothing changed) when the folder cannot be written."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.", suffix=".tickmig-tmp", dir=folder
    )
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if backup_suffix:
            shutil.copy2(path, path + backup_suffix)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def mirror_path(path: str, roots: list[str], output_dir: str) -> str:
    """Where `path` goes below `output_dir`: its place below the input root it came from."""
    absolute = os.path.abspath(path)
    for root in sorted((os.path.abspath(r) for r in roots), key=len, reverse=True):
        base = root if os.path.isdir(root) else os.path.dirname(root)
        if absolute == root or absolute.startswith(base.rstrip(os.sep) + os.sep):
            return os.path.join(output_dir, os.path.relpath(absolute, base))
    return os.path.join(output_dir, os.path.basename(path))
