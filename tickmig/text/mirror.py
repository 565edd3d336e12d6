"""Where `migrate --output-dir` puts each input file, decided before anything is written.

One input root (a folder or a file) mirrors straight below the output folder, as always. Several
roots each mirror below their own name (`a/tasks/x.tick` and `b/tasks/x.tick` become
`out/a/tasks/x.tick` and `out/b/tasks/x.tick`; a file named on its own goes to `out/NAME`), and
when two inputs still land on one path the whole run is refused before writing (issue 11).

An output folder inside an input folder gets a marker file, `OUTPUT_MARK`: the folders that hold
one are skipped when inputs are searched, so the next run does not migrate the copies again.
An output folder that is an input folder (or holds an input file) is refused: the copies would
overwrite the originals, which only `--write` may do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

OUTPUT_MARK = ".tickmig-output"


class OutputDirProblem(Exception):
    """The output folder cannot be used as asked; `str()` is the message."""


def is_output_dir(folder: str) -> bool:
    """A folder tickmig wrote copies to (it holds `OUTPUT_MARK`)."""
    return os.path.isfile(os.path.join(folder, OUTPUT_MARK))


def check_output_dir(roots: Sequence[str], output_dir: str) -> bool:
    """Refuse an output folder that would overwrite an input; True when it lies inside an
    input folder (so it must be marked)."""
    out = os.path.realpath(output_dir)
    inside = False
    for root in roots:
        real = os.path.realpath(root)
        folder = real if os.path.isdir(real) else os.path.dirname(real)
        if out == folder:
            raise OutputDirProblem(
                f"--output-dir {output_dir} is where the input {root} is: the copies would "
                "overwrite the originals; use --write to migrate in place, or another folder"
            )
        if os.path.isdir(real) and out.startswith(real.rstrip(os.sep) + os.sep):
            inside = True
    return inside


def plan_copies(files: Iterable[str], roots: Sequence[str], output_dir: str) -> dict[str, str]:
    """Each input file's copy below `output_dir`; raises OutputDirProblem naming the first two
    inputs that would share a copy."""
    absolute_roots = [os.path.abspath(r) for r in roots]
    several = len(set(absolute_roots)) > 1
    targets: dict[str, str] = {}
    owners: dict[str, str] = {}
    for path in files:
        target = _target(path, absolute_roots, output_dir, several)
        key = os.path.normcase(os.path.normpath(target))
        other = owners.setdefault(key, path)
        if other != path:
            raise OutputDirProblem(
                f"{other} and {path} would both be copied to {target}; nothing was written: "
                "migrate them to separate --output-dir folders"
            )
        targets[path] = target
    return targets


def _target(path: str, roots: list[str], output_dir: str, several: bool) -> str:
    absolute = os.path.abspath(path)
    for root in sorted(roots, key=len, reverse=True):
        if os.path.isdir(root):
            if absolute.startswith(root.rstrip(os.sep) + os.sep):
                below = os.path.relpath(absolute, root)
                name = os.path.basename(root.rstrip(os.sep)) or "root"
                return os.path.join(output_dir, *([name] if several else []), below)
        elif absolute == root:
            return os.path.join(output_dir, os.path.basename(absolute))
    return os.path.join(output_dir, os.path.basename(absolute))
