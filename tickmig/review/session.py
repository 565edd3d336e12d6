"""One interactive review: ask about each proposal in file order, record every answer in the
decision log at once, and write each file (atomically, behind the safety net) when its review
is done. Answers recorded by an earlier session are replayed without asking."""

from __future__ import annotations

import os

from tickmig.diagnostics import Edit
from tickmig.engine.fixer import verify_edit
from tickmig.review.decisions import (
    APPLIED,
    EDITED,
    SKIPPED,
    Decision,
    DecisionLog,
    DecisionsError,
    file_key,
)
from tickmig.review.proposals import Proposal, ProposalSet, drivers, hunk_region, within_shown
from tickmig.review.terminal import (
    ANSWERS,
    HELP,
    PROMPT,
    Console,
    EditorError,
    edit_in_editor,
    plural,
    proposed_text,
    render,
)
from tickmig.review.writing import FAILED, WRITTEN, FileState, finish_file
from tickmig.text.edits import OverlappingEditsError, apply_edits

#: Exit statuses: done (or `q`), files left unchanged, end of input, Ctrl-C.
EXIT_DONE, EXIT_ERRORS, EXIT_EOF, EXIT_INTERRUPTED = 0, 2, 1, 130


class Quit(Exception):
    """The user answered `q`."""


class EndOfInput(Exception):
    """Standard input ended (Ctrl-D) at a prompt."""


class Review:
    def __init__(
        self, found: ProposalSet, log: DecisionLog, console: Console, backup: str | None = None
    ) -> None:
        self.found = found
        self.log = log
        self.console = console
        self.backup = backup
        self.files = {p: FileState(s, found.hashes[file_key(p)]) for p, s in found.sources.items()}
        self.queue: list[Proposal] = []
        self.position = 0
        #: After `a`/`d` (a path) or `A` (None): the answer given to what follows.
        self.auto: tuple[str | None, str] | None = None
        #: The number each proposal to ask is shown with (replayed ones are not counted).
        self.number: list[int] = []
        self.to_ask = 0
        self.errors = 0
        self.written = 0

    # --- the session -------------------------------------------------------------------------

    def run(self) -> int:
        """Review every proposal; the exit status (see EXIT_*)."""
        say = self.console.say
        try:
            return self._session()
        except EndOfInput:
            say(
                f"end of input: the review stopped with {plural(self._left(), 'proposed change')}"
                f" undecided; {self._in_progress()} was left as it was.\n" + self._resume_hint()
            )
            return EXIT_EOF
        except DecisionsError as exc:
            self.console.error(
                f"{exc}; the review stopped, {self._in_progress()} was left as it was"
            )
            return EXIT_ERRORS
        except KeyboardInterrupt:
            say(
                f"\ninterrupted: the review stopped with {plural(self._left(), 'proposed change')}"
                f" undecided; {self._in_progress()} was left as it was.\n" + self._resume_hint()
            )
            return EXIT_INTERRUPTED

    def _session(self) -> int:
        say = self.console.say
        undecided = {p.path for p in self.found.proposals if self._match(p, quiet=True) is None}
        done_before = sorted(  # "complete" alone is not trusted: every proposal is decided
            {
                p.path
                for p in self.found.proposals
                if p.path not in undecided and self.log.complete_at(p.path, self._hash(p.path))
            }
        )
        for path in done_before:
            say(f"{path}: already reviewed (decisions in {self.log.path}); not asked again\n")
        self.queue = [p for p in self.found.proposals if p.path not in done_before]
        matches = [self._match(p) for p in self.queue]
        self.to_ask = sum(m is None for m in matches)
        self.number = [sum(m is None for m in matches[:i]) + 1 for i in range(len(matches))]
        last: dict[str, int] = {}
        for i, p in enumerate(self.queue):
            for path in p.paths:
                last[path] = i
        files = len({p.path for p in self.queue})
        if not self.queue:
            say("nothing to review: no proposed changes" + (" left" if done_before else "") + "\n")
            return EXIT_DONE
        say(
            f"{plural(len(self.queue), 'proposed change')} in {plural(files, 'file')}"
            + (
                f", {len(self.queue) - self.to_ask} already decided in {self.log.path}"
                if self.to_ask < len(self.queue)
                else ""
            )
            + "\n"
        )
        try:
            for i, p in enumerate(self.queue):
                self.position = i
                match = matches[i]
                if match is not None:
                    self._replay(p, *match)
                else:
                    self._decide(p)
                for path in p.paths:
                    if last[path] == i:
                        self._finish(path, complete=True)
        except Quit:
            started = {path for p in self.queue[: self.position + 1] for path in p.paths}
            for path in sorted(started):
                self._finish(path, complete=False)
            say(
                f"stopped: {plural(self._left(), 'proposed change')} left undecided; files "
                "reviewed so far were written, the file in progress with the changes accepted "
                "so far.\n" + self._resume_hint()
            )
            return EXIT_ERRORS if self.errors else EXIT_DONE
        totals = {
            k: sum(f.counts[k] for f in self.files.values()) for k in (APPLIED, EDITED, SKIPPED)
        }
        say(
            f"review done: {totals[APPLIED]} applied, {totals[EDITED]} edited, "
            f"{totals[SKIPPED]} skipped; {plural(self.written, 'file')} written"
            + (f"; decisions are in {self.log.path}" if self.log.path else "")
            + "\n"
        )
        return EXIT_ERRORS if self.errors else EXIT_DONE

    def _left(self) -> int:
        return sum(
            1
            for p in self.queue[self.position :]
            if self.log.match(p.path, p.code, p.edits, self.found.hashes) is None
        )

    def _in_progress(self) -> str:
        return self.queue[self.position].path if self.queue else "no file"

    def _resume_hint(self) -> str:
        if self.log.path is None:
            return (
                "No --decisions FILE was given, so nothing else was kept: a new session "
                "starts over on the files as they are now.\n"
            )
        return (
            f"Your decisions are kept in {self.log.path}: run the same command again to "
            "resume where you stopped.\n"
        )

    def _hash(self, path: str) -> str | None:
        return self.found.hashes.get(file_key(path))

    # --- one proposal ------------------------------------------------------------------------

    def _match(self, p: Proposal, *, quiet: bool = False) -> tuple[Decision, Edit | None] | None:
        """The recorded decision on `p`; a hand edit only inside the lines review shows for
        `p` (a decisions file edited to reach further is not trusted: decide again)."""
        match = self.log.match(p.path, p.code, p.edits, self.found.hashes)
        if match is None or match[1] is None:
            return match
        if within_shown(self.found.sources[p.path].text, p.edits, match[1]):
            return match
        if not quiet:
            self.console.error(
                f"{p.path}: the decisions file holds a hand edit beyond the change shown; "
                "it is not applied: decide again"
            )
        return None

    def _replay(self, p: Proposal, decision: Decision, region: Edit | None) -> None:
        if decision.decision == EDITED and region is not None:
            self._accept(p, EDITED, [Edit(p.path, region.start, region.end, region.text)])
        elif decision.decision == APPLIED:
            self._accept(p, APPLIED, list(p.edits))
        else:
            self._skip(p)
        self.console.say(f"  {decision.decision} before: {p.code} {self._where(p)}\n")

    def _decide(self, p: Proposal) -> None:
        if self.auto is not None and self.auto[0] in (None, p.path):
            self._answer(p, self.auto[1])
            self.console.say(f"  {self.auto[1]}: {p.code} {self._where(p)}\n")
            return
        texts = {path: self.files[path].source.text for path in p.paths}
        self.console.say(
            render(
                self.console,
                p,
                texts,
                drivers(p, self.found.mappings),
                self.number[self.position],
                self.to_ask,
            )
        )
        while True:
            answer = self.console.ask(PROMPT)
            if answer is None:
                raise EndOfInput
            if answer in ("y", "n"):
                self._answer(p, APPLIED if answer == "y" else SKIPPED)
            elif answer in ("a", "d"):
                self.auto = (p.path, APPLIED if answer == "a" else SKIPPED)
                self._answer(p, self.auto[1])
            elif answer == "A":
                self.auto = (None, APPLIED)
                self._answer(p, APPLIED)
            elif answer == "q":
                raise Quit
            elif answer == "e":
                if not self._edit(p):
                    continue
            elif answer == "?":
                self.console.say(HELP)
                continue
            else:
                shown = f"unknown answer {answer!r}: " if answer else ""
                self.console.say(f"{shown}answer one of {', '.join(ANSWERS)} (? for help)\n")
                continue
            return

    def _answer(self, p: Proposal, kind: str) -> None:
        self._record(p, kind)
        if kind == APPLIED:
            self._accept(p, APPLIED, list(p.edits))
        else:
            self._skip(p)

    def _edit(self, p: Proposal) -> bool:
        """Offer the changed lines in $EDITOR; True when the edit was recorded."""
        if len(p.paths) > 1:
            self.console.error("this change touches several files: answer y or n")
            return False
        state = self.files[p.path]
        text = state.source.text
        later = [e for q in self.queue[self.position + 1 :] for e in q.edits_in(p.path)]
        try:
            region = hunk_region(text, p.edits, state.accepted + later)
        except ValueError as exc:
            self.console.error(str(exc))
            return False
        proposed = proposed_text(text, region, p.edits)
        try:
            edited = edit_in_editor(proposed, os.path.splitext(p.path)[1], state.source.newline)
        except EditorError as exc:
            self.console.error(str(exc))
            return False
        if edited == proposed:
            self.console.say("the text is as proposed: applying the change as it is\n")
            self._answer(p, APPLIED)
            return True
        edit = Edit(p.path, region[0], region[1], edited)
        edits = [*state.accepted, edit]
        try:
            problem = verify_edit(p.path, text, apply_edits(text, edits), edits)
        except OverlappingEditsError as exc:
            problem = str(exc)
        if problem is not None:
            self.console.error(f"the edit was not accepted: {problem}")
            return False
        self._record(p, EDITED, edit)
        self._accept(p, EDITED, [edit])
        return True

    def _record(self, p: Proposal, kind: str, edited: Edit | None = None) -> None:
        key = file_key(p.path)
        others = tuple(
            sorted(
                {
                    (file_key(path), self.files[path].sha256)
                    for path in p.paths
                    if file_key(path) != key
                }
            )
        )
        self.log.add(
            Decision(
                key,
                self.files[p.path].sha256,
                p.code,
                p.title,
                tuple(Edit(file_key(e.path), e.start, e.end, e.text) for e in p.edits),
                kind,
                None if edited is None else Edit(key, edited.start, edited.end, edited.text),
                others,
            )
        )

    def _accept(self, p: Proposal, kind: str, edits: list[Edit]) -> None:
        for edit in edits:
            self.files[edit.path].accepted.append(edit)
        self.files[p.path].counts[kind] += 1

    def _skip(self, p: Proposal) -> None:
        self.files[p.path].counts[SKIPPED] += 1

    @staticmethod
    def _where(p: Proposal) -> str:
        loc = p.diagnostic.location
        return f"{loc.path}:{loc.line}:{loc.column}"

    # --- writing a file ----------------------------------------------------------------------

    def _finish(self, path: str, *, complete: bool) -> None:
        outcome = finish_file(
            path, self.files[path], self.log, self.console, complete=complete, backup=self.backup
        )
        self.written += outcome == WRITTEN
        self.errors += outcome == FAILED
