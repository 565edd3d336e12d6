"""Writing one reviewed file: the accepted edits applied to the text the review started from,
behind the safety net (parse + verify, and the file must not have changed on disk meanwhile),
recorded in the decision log before the file is replaced atomically (BOM kept)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tickmig.diagnostics import Edit
from tickmig.engine.fixer import verify_edit
from tickmig.review.decisions import APPLIED, EDITED, SKIPPED, DecisionLog, sha256_bytes
from tickmig.review.terminal import Console, plural
from tickmig.text.atomic import atomic_write
from tickmig.text.edits import OverlappingEditsError, apply_edits
from tickmig.text.regular import read_regular
from tickmig.text.source import SourceFile, encode

WRITTEN, UNCHANGED, FAILED = "written", "unchanged", "failed"


@dataclass
class FileState:
    source: SourceFile
    sha256: str
    #: Accepted edits, in the coordinates of the text the session started with.
    accepted: list[Edit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {APPLIED: 0, EDITED: 0, SKIPPED: 0})
    finished: bool = False


def finish_file(
    path: str,
    state: FileState,
    log: DecisionLog,
    console: Console,
    *,
    complete: bool,
    backup: str | None,
) -> str:
    """Write `path` with the accepted edits (once); WRITTEN, UNCHANGED (nothing accepted) or
    FAILED (said why; the file is left as it was)."""
    if state.finished:
        return UNCHANGED
    state.finished = True
    counts = ", ".join(f"{n} {k}" for k, n in state.counts.items() if n)
    if not state.accepted:
        if complete:
            log.record_write(path, state.sha256, state.sha256, [], complete=True)
        if counts:
            console.say(f"{path}: nothing to write ({counts})\n")
        return UNCHANGED
    text = state.source.text
    try:
        new_text = apply_edits(text, state.accepted)
        problem = verify_edit(path, text, new_text, state.accepted)
    except OverlappingEditsError as exc:
        problem = str(exc)
    if problem is None:
        problem = _changed_on_disk(path, state)
    if problem is not None:
        dropped = log.forget(path, state.sha256)
        why = f"{path}: left unchanged: {problem}"
        if dropped and log.path:
            why += f" ({plural(dropped, 'decision')} on it dropped: the next session asks again)"
        console.error(why)
        return FAILED
    data = encode(state.source, new_text)
    log.record_write(path, state.sha256, sha256_bytes(data), state.accepted, complete=complete)
    try:
        atomic_write(path, data, backup_suffix=backup)
    except OSError as exc:
        console.error(f"{path}: cannot write: {exc.strerror or exc}")
        return FAILED
    console.say(f"wrote {path} ({counts})\n")
    return WRITTEN


def _changed_on_disk(path: str, state: FileState) -> str | None:
    try:
        data = read_regular(path)
    except OSError as exc:
        return f"cannot read it again: {exc.strerror or exc}"
    if sha256_bytes(data) != state.sha256:
        return "the file changed on disk during the review"
    return None
