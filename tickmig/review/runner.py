"""`tickmig migrate --interactive` and `--decisions FILE`: review the proposed changes one by
one in a terminal, recording every answer; or, with `--decisions FILE --check` (CI), verify that
the recorded decisions still account for every script.

Exit status of the review: 0 done (also after `q`), 1 standard input ended in mid-review,
2 usage errors, no terminal, or a file that could not be written; 130 interrupted (Ctrl-C).
Exit status of the check: 0 every proposal is accounted for, 1 problems (one line each),
2 usage or input errors."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Protocol

from tickmig.engine.checker import Checker, checker_for
from tickmig.errors import ConfigError
from tickmig.review.decisions import APPLIED, EDITED, DecisionLog, file_key
from tickmig.review.proposals import Proposal, ProposalSet, propose, within_shown
from tickmig.review.refusals import refused_after_review
from tickmig.review.session import EXIT_INTERRUPTED, Review
from tickmig.review.terminal import Console, plural
from tickmig.settings import Settings
from tickmig.tasks.workspace import Workspace, load_workspace
from tickmig.text.diffs import use_color
from tickmig.text.source import STDIN


class ReviewOptions(Protocol):
    """The `migrate` options the review reads (the command's MigrateOptions is one)."""

    @property
    def check(self) -> bool: ...
    @property
    def write(self) -> bool: ...
    @property
    def output_dir(self) -> str | None: ...
    @property
    def backup(self) -> str | None: ...
    @property
    def unsafe_fixes(self) -> bool: ...
    @property
    def annotate(self) -> bool: ...
    @property
    def diff(self) -> bool: ...
    @property
    def color(self) -> str: ...
    @property
    def interactive(self) -> bool: ...
    @property
    def decisions(self) -> str | None: ...


def run_review(paths: Sequence[str], settings: Settings, options: ReviewOptions) -> int:
    if options.interactive:
        _refuse(
            options,
            "--interactive writes the changes you accept itself",
            check=options.check,
            write=options.write,
            output_dir=options.output_dir,
            annotate=options.annotate,
            diff=options.diff,
        )
        if not sys.stdin.isatty():
            raise ConfigError(
                "--interactive needs a terminal, and standard input is not one "
                "(to verify a review in CI, use --decisions FILE --check)"
            )
        return _interactive(paths, settings, options)
    if not options.check:
        raise ConfigError(
            "--decisions without --interactive goes with --check (to verify a review, as in CI)"
        )
    _refuse(
        options,
        "--decisions FILE --check changes nothing",
        write=options.write,
        output_dir=options.output_dir,
        annotate=options.annotate,
        backup=options.backup,
    )
    return _verify(paths, settings, options)


def _inputs(paths: Sequence[str], settings: Settings) -> tuple[Workspace, Checker]:
    checker = checker_for(settings)
    workspace = load_workspace(paths)
    if STDIN in workspace.scripts:
        raise ConfigError(
            "the review (--interactive, --decisions) works on files, not on standard input (-)"
        )
    return workspace, checker


def _refuse(options: ReviewOptions, why: str, **given: object) -> None:
    names = [f"--{name.replace('_', '-')}" for name, value in given.items() if value]
    if names:
        raise ConfigError(f"{why}: it cannot be combined with {', '.join(names)}")


def _interactive(paths: Sequence[str], settings: Settings, options: ReviewOptions) -> int:
    console = Console(use_color(options.color, sys.stdout.isatty()))
    log = DecisionLog.load(options.decisions)
    log.save()  # a valid file from the start, and a folder known to be writable
    try:
        found = propose(*_inputs(paths, settings), unsafe=options.unsafe_fixes, jobs=settings.jobs)
    except KeyboardInterrupt:
        console.say("\ninterrupted before the review started: nothing was changed\n")
        return EXIT_INTERRUPTED
    for message in found.input_errors:
        console.error(message)
    if found.unsafe_skipped:
        console.say(
            f"{plural(found.unsafe_skipped, 'unsafe fix', 'unsafe fixes')} not proposed (add "
            "--unsafe-fixes to review them too)\n"
        )
    code = Review(found, log, console, backup=options.backup).run()
    if found.input_errors and code == 0:
        return 2
    return code


def _verify(paths: Sequence[str], settings: Settings, options: ReviewOptions) -> int:
    assert options.decisions is not None
    log = DecisionLog.load(options.decisions, must_exist=True)
    found = propose(*_inputs(paths, settings), unsafe=options.unsafe_fixes, jobs=settings.jobs)
    for message in found.input_errors:
        sys.stderr.write(f"tickmig: error: {message}\n")
    problems = problems_of(found, log) + refused_after_review(found.refusals, log)
    for line in problems:
        sys.stdout.write(line + "\n")
    files = len({p.path for p in found.proposals})
    if problems:
        sys.stderr.write(
            f"{plural(len(problems), 'problem')}: the decisions in {options.decisions} do "
            "not account for the scripts as they are; review them again with "
            f"tickmig migrate --interactive --decisions {options.decisions}\n"
        )
    else:
        sys.stderr.write(
            f"the decisions in {options.decisions} account for every proposed "
            f"change ({len(found.proposals)} in {plural(files, 'file')})\n"
        )
    if found.input_errors:
        return 2
    return 1 if problems else 0


def problems_of(found: ProposalSet, log: DecisionLog) -> list[str]:
    """One line per problem, naming the file: a script whose content the review did not leave
    it with, and whose proposals are not all decided; or a change decided `applied` that the
    script does not have."""
    by_path: dict[str, list[Proposal]] = {}
    for p in found.proposals:
        by_path.setdefault(p.path, []).append(p)
    problems: list[str] = []
    for path, proposals in sorted(by_path.items()):
        current = found.hashes.get(file_key(path))
        # Every proposal needs its own decision: a file's "complete" flag is not trusted
        # (a hand-edited decisions file could set it for a file never reviewed).
        undecided = 0
        unapplied = 0
        for p in proposals:
            match = log.match(p.path, p.code, p.edits, found.hashes)
            shown = found.sources[p.path].text
            if (
                match is not None
                and match[1] is not None
                and not within_shown(shown, p.edits, match[1])
            ):
                match = None  # a hand edit beyond what review shows: not a decision
            if match is None:
                undecided += 1
            elif match[0].decision in (APPLIED, EDITED):
                unapplied += 1
        if undecided:
            if not log.has_path(path):
                why = "not reviewed"
            elif not log.knows(path, current):
                why = "without a decision: the file changed since the review"
            else:
                why = "still undecided"
            problems.append(f"{path}: {plural(undecided, 'proposed change')} {why}")
        if unapplied:
            one = unapplied == 1
            problems.append(
                f"{path}: {plural(unapplied, 'change')} decided as applied "
                f"{'is' if one else 'are'} not in the file (resume the review to write "
                f"{'it' if one else 'them'})"
            )
    return problems
