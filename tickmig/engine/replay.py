"""Replaying a whole `tickmig check` run: the cache's fast path for an unchanged tree (a
pre-commit hook, a CI job run again). A command-line run that succeeded records its report,
its messages and its exit status, with everything it read; the same command line, run again
from the same folder, prints the recorded report, without loading typer, parsing or rendering
anything, when nothing it depends on changed:

* the key: tickmig's version, a fingerprint of its own files (an edited or upgraded tickmig
  misses), Python's version, the current folder, the exact arguments, TICKMIG_CACHE_DIR;
* the settings file (found again from the current folder, as `check` finds it), compared whole;
* every file the run read (scripts, definitions, templates, mapping files, --telegraf-conf and
  --kapacitor-conf): its stat (device, inode, size, mtime, ctime) when the file was older than
  the run by RACY_NS, else its bytes (sha256), like git's "racily clean" entries;
* every folder below the directories named: its entries (a file added, removed or renamed
  anywhere misses), the cache's own folder aside.

Anything else misses, and `check` runs as usual (the per-file cache still answers for the
scripts that did not change). Runs with a live mapping source (--influx-url, --influxql-url,
--influx3-url: its answer may change at any time), with standard input or with input errors
are not recorded. The record is JSON in the cache's private folder, read as the cache reads
its files (tickmig.engine.cache.read_private): a damaged one is ignored, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any

#: Bumped whenever the record's shape changes.
FORMAT = 1
#: A file changed this close to (or after) the start of the recording run may have changed
#: within the file system's time resolution: its bytes are compared, not its stat.
RACY_NS = 2_000_000_000
#: The environment variables that decide a run (besides its arguments and settings file).
ENVIRONMENT = ("TICKMIG_CACHE_DIR",)
#: The command line of this process, when `tickmig` was started from a shell (set by
#: tickmig.__main__); only such runs are recorded, under this exact command line.
ARGV: list[str] | None = None


# --- the key -------------------------------------------------------------------------------


def code_fingerprint() -> str:
    """A digest of the stat of every file of the installed tickmig package."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digest = hashlib.blake2b(digest_size=16)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            with contextlib.suppress(OSError):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name} {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def run_key(argv: Sequence[str], cwd: str) -> str:
    """The record's name: what decides the run besides the files it reads (`argv` without
    the output's path, see split_output)."""
    from tickmig import __version__

    parts = [
        f"format={FORMAT}",
        __version__,
        code_fingerprint(),
        sys.version,
        cwd,
        json.dumps(list(argv)),
        *(f"{name}={os.environ.get(name)}" for name in ENVIRONMENT),
    ]
    return hashlib.blake2b(
        "\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16
    ).hexdigest()


def split_output(argv: Sequence[str]) -> tuple[list[str], str | None] | None:
    """The arguments without `-o`/`--output` and its value (whether the report goes to a file
    or to standard output does not decide it), and that value; None when it is written in a
    way not worth reading here (`-oFILE`, or given twice)."""
    rest: list[str] = []
    output = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-o", "--output") and i + 1 < len(argv):
            if output is not None:
                return None
            output = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--output="):
            if output is not None:
                return None
            output = arg[len("--output=") :]
        elif arg.startswith("-o") or (arg[:1] == "-" and arg[1:2] != "-" and "o" in arg):
            return None
        else:
            rest.append(arg)
        i += 1
    return rest, output


def option_value(argv: Sequence[str], name: str) -> str | None:
    """The value of `--name VALUE` or `--name=VALUE` (the last one given)."""
    found = None
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith(name + "="):
            found = arg[len(name) + 1 :]
    return found


def file_settings(argv: Sequence[str]) -> Any:
    """The settings file's settings (no command-line option applied), with --cache-dir."""
    from tickmig.settings import load_settings

    settings = load_settings(option_value(argv, "--config"))
    cache_dir = option_value(argv, "--cache-dir")
    if cache_dir is not None:
        settings.cache_dir = cache_dir
    return settings


def record_path(directory: str, key: str, suffix: str = ".json") -> str:
    """The record (JSON), and beside it the report's bytes (suffix ".out")."""
    return os.path.join(directory, f"run-{key}{suffix}")


# --- what the run read -----------------------------------------------------------------------


def listings(paths: Iterable[str], skip: str) -> dict[str, list[str]]:
    """The entries of every folder below the directories named (folders end in "/"), the
    version-control folders and the cache's folder (`skip`, a real path) aside."""
    from tickmig.engine.cachefiles import DIRECTORY
    from tickmig.text.source import SKIP_DIRS

    out: dict[str, list[str]] = {}
    skip_name = os.path.basename(skip)
    todo = sorted({p for p in paths if os.path.isdir(p)}, reverse=True)
    while todo:
        folder = todo.pop()
        if folder in out:
            continue
        names = []
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    names.append(entry.name + "/")
                    if entry.name not in SKIP_DIRS and entry.name != DIRECTORY:
                        below = os.path.join(folder, entry.name)
                        if entry.name != skip_name or os.path.realpath(below) != skip:
                            todo.append(below)
                else:
                    names.append(entry.name)
        out[folder] = sorted(names)
    return out


def _signature(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _sha256(path: str) -> str:
    from tickmig.text.regular import read_regular

    return hashlib.sha256(read_regular(path)).hexdigest()


class Recorder:
    """Started before a run reads anything; `save` records the run once it is done."""

    def __init__(self, argv: Sequence[str], directory: str, paths: Sequence[str]) -> None:
        self.argv = list(argv)
        self.directory = directory
        self.start_ns = time.time_ns()
        self.cwd = os.getcwd()
        self.roots = sorted({p for p in paths if os.path.isdir(p)})
        # The folders as the run finds its files; a file added while it runs (unchecked, then
        # listed at the end) would otherwise be replayed as checked.
        try:
            self.folders: dict[str, list[str]] | None = listings(
                self.roots, os.path.realpath(directory)
            )
        except OSError:
            self.folders = None

    def save(
        self,
        *,
        digests: dict[str, str],
        other_files: Iterable[str],
        report: str,
        output: str | None,
        messages: Sequence[str],
        status: int,
    ) -> bool:
        """Records the run (False when it cannot be: a file changed or a folder's entries
        changed while it ran, say).
        `digests`: the sha256 of each file as the run read it; `other_files`: files read
        elsewhere (mappings, configurations), which must not have changed since the start."""
        from tickmig.engine.cachefiles import ensure_directory, write_private

        try:
            settings = file_settings(self.argv)
            folders = listings(self.roots, os.path.realpath(self.directory))
            if self.folders != folders:
                return False  # a file came or went while the run read the tree
            files = []
            limit = self.start_ns - RACY_NS
            known = dict(digests)
            for path in sorted(set(other_files) - set(known)):
                info = os.stat(path)
                if max(info.st_mtime_ns, info.st_ctime_ns) >= limit:
                    return False  # it may have changed while the run read it
                known[path] = _sha256(path)
            for path, digest in sorted(known.items()):
                info = os.stat(path)
                racy = max(info.st_mtime_ns, info.st_ctime_ns) >= limit
                files.append([path, *_signature(info), digest, racy])
            ensure_directory(self.directory)
            encoded = report.encode("utf-8")
            split = split_output(self.argv)
            if split is None or split[1] != output:
                return False  # the arguments are not read here as typer read them
            key = run_key(split[0], self.cwd)
            data = {
                "format": FORMAT,
                "key": key,
                "settings": repr(settings),
                "files": files,
                "roots": self.roots,
                "folders": folders,
                "messages": list(messages),
                "status": status,
                "digest": _digest(encoded),
            }
            write_private(record_path(self.directory, key, ".out"), encoded)
            write_private(
                record_path(self.directory, key),
                json.dumps(data, separators=(",", ":")).encode(),
            )
        except Exception:  # an optimisation: it never fails the check
            return False
        return True


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# --- replaying -------------------------------------------------------------------------------


def replay(argv: Sequence[str]) -> int | None:
    """Prints the recorded run of this exact command line and returns its exit status, or
    None (nothing printed) when there is none or anything it depends on changed."""
    if not argv or argv[0] != "check" or any(a in ("-", "--no-cache", "--help") for a in argv):
        return None
    split = split_output(argv)
    if split is None:
        return None
    try:
        found = _valid_record(argv, split[0])
    except Exception:  # anything unexpected: check the usual way
        return None
    if found is None:
        return None
    record, report = found
    output = split[1]
    if output is None:  # as `check` writes it (the stream's own encoding); once started,
        sys.stdout.write(report.decode("utf-8"))  # never again: its errors are check's
        sys.stdout.flush()
    else:
        from tickmig.text.atomic import atomic_write

        try:
            atomic_write(output, report)
        except OSError:
            return None  # nothing written: `check` runs, and says why it cannot write
    for message in record["messages"]:
        sys.stderr.write(f"tickmig: error: {message}\n")
    return int(record["status"])


def _valid_record(
    argv: Sequence[str], key_argv: Sequence[str]
) -> tuple[dict[str, Any], bytes] | None:
    from tickmig.engine.cachefiles import cache_directory, read_private, read_private_bytes

    settings = file_settings(argv)
    if settings.no_cache:
        return None
    directory = cache_directory(settings)
    cwd = os.getcwd()
    key = run_key(key_argv, cwd)
    record = read_private(record_path(directory, key))
    if (
        not isinstance(record, dict)
        or record.get("format") != FORMAT
        or record.get("key") != key
        or record.get("settings") != repr(settings)
        or not isinstance(record.get("messages"), list)
        or not all(isinstance(m, str) for m in record["messages"])
        or type(record.get("status")) is not int
    ):
        return None
    roots, folders = record.get("roots"), record.get("folders")
    if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
        return None
    if listings(roots, os.path.realpath(directory)) != folders:
        return None
    files = record.get("files")
    if not isinstance(files, list) or not _unchanged(files):
        return None
    report = read_private_bytes(record_path(directory, key, ".out"))
    if report is None or record.get("digest") != _digest(report):
        return None
    return record, report


def _unchanged(files: list[Any]) -> bool:
    """Whether every file is as the recorded run read it."""
    for entry in files:
        if not isinstance(entry, list) or len(entry) != 8:
            return False
        path, dev, ino, size, mtime, ctime, digest, racy = entry
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                return False
            same = (
                info.st_mtime_ns == mtime
                and info.st_ctime_ns == ctime
                and info.st_size == size
                and info.st_ino == ino
                and info.st_dev == dev
            )
            if (racy or not same) and _sha256(path) != digest:
                return False
        except (OSError, TypeError, ValueError):
            return False
    return True
