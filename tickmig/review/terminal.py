"""The terminal side of the interactive review: showing a proposal, asking for an answer one
line at a time (so it works on any terminal), and editing a proposal in `$EDITOR`."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence

from tickmig.diagnostics import Edit
from tickmig.errors import TickmigError
from tickmig.review.proposals import Proposal
from tickmig.text.diffs import unified_diff
from tickmig.text.edits import apply_edits

PROMPT = "Apply this change [y,n,e,a,d,A,q,?]? "
ANSWERS = ("y", "n", "e", "a", "d", "A", "q", "?")
HELP = """\
y - apply this change
n - skip this change
e - edit the proposed text in $EDITOR, then apply your version
a - apply this change and every change left in this file
d - skip this change and every change left in this file
A - apply this change and every change left, in every file
q - quit: keep the decisions so far (the file in progress gets the changes accepted so far)
? - print this help
Each file is written once its review is done. Ctrl-C stops without writing the file in
progress; with --decisions FILE the next session resumes where this one stopped.
"""

_BOLD, _RED, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[0m"


class EditorError(TickmigError):
    """The editor could not be run, or failed."""


class Console:
    """Standard output for the review, standard error for errors, standard input for answers."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def say(self, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def error(self, text: str) -> None:
        sys.stdout.flush()
        message = f"tickmig: error: {text}"
        sys.stderr.write((_RED + message + _RESET if self.color else message) + "\n")
        sys.stderr.flush()

    def bold(self, text: str) -> str:
        return _BOLD + text + _RESET if self.color else text

    def ask(self, prompt: str) -> str | None:
        """One answer, stripped; None at the end of input."""
        self.say(self.bold(prompt))
        line = sys.stdin.readline()
        if not line:
            self.say("\n")
            return None
        return line.strip()


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def render(
    console: Console,
    proposal: Proposal,
    texts: dict[str, str],
    drivers: Sequence[str],
    number: int,
    total: int,
) -> str:
    """The file, rule, reason, what drives it, and the diff of this proposal alone."""
    d = proposal.diagnostic
    loc = d.location
    assert d.fix is not None
    head = (
        f"({number}/{total}) {loc.path}:{loc.line}:{loc.column}  "
        f"{d.code} {d.name} ({d.fix.applicability.value} fix)"
    )
    lines = ["", console.bold(head), f"  why:     {' '.join(d.message.split())}"]
    lines.extend(f"  mapping: {line}" for line in drivers)
    lines.append(f"  fix:     {d.fix.title}")
    out = "\n".join(lines) + "\n"
    for path in proposal.paths:
        text = texts[path]
        out += unified_diff(
            path, text, apply_edits(text, proposal.edits_in(path)), color=console.color
        )
    return out


def proposed_text(text: str, region: tuple[int, int], edits: Sequence[Edit]) -> str:
    """The text of `region` once `edits` (all inside it) are applied."""
    lo, hi = region
    return apply_edits(text[lo:hi], [Edit(e.path, e.start - lo, e.end - lo, e.text) for e in edits])


def edit_in_editor(text: str, suffix: str, newline: str) -> str:
    """Let the user change `text` in $EDITOR (a command line, split as a shell would);
    returns what the file holds when the editor exits successfully."""
    editor = os.environ.get("EDITOR", "").strip()
    if not editor:
        raise EditorError(
            "$EDITOR is not set: set it (for example EDITOR=nano) to edit a proposal by hand"
        )
    try:
        command = shlex.split(editor)
    except ValueError as exc:
        raise EditorError(f"cannot read $EDITOR ({editor!r}): {exc}") from None
    fd, name = tempfile.mkstemp(prefix="tickmig-edit-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
        try:
            status = subprocess.run([*command, name], check=False).returncode
        except OSError as exc:
            raise EditorError(
                f"cannot run the editor {command[0]!r}: {exc.strerror or exc}"
            ) from None
        if status != 0:
            raise EditorError(f"the editor exited with status {status}; nothing was changed")
        with open(name, "rb") as f:
            data = f.read()
    finally:
        os.unlink(name)
    try:
        edited = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditorError("the edited text is not UTF-8; nothing was changed") from None
    return _like(edited, text, newline)


def _like(edited: str, original: str, newline: str) -> str:
    """The edited text with the file's line endings, and a final newline exactly when the
    offered text had one (editors add or drop it on their own)."""
    edited = edited.removeprefix("\ufeff")
    if newline == "\r\n":
        edited = edited.replace("\r\n", "\n").replace("\n", "\r\n")
    if original.endswith("\n") and not edited.endswith("\n"):
        edited += newline
    elif not original.endswith("\n") and edited.endswith("\n"):
        edited = edited[: -len(newline)] if edited.endswith(newline) else edited[:-1]
    return edited
