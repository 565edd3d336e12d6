"""What `tickmig migrate --interactive` proposes: the applicable fixes of one check pass, chosen
as `migrate()` chooses them (each whole, none overlapping an earlier one), one proposal per fix,
in file order; with the content hash of every file they were computed on."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tickmig.diagnostics import Diagnostic, Edit
from tickmig.engine.checker import Checker, check_paths
from tickmig.engine.fixer import DEFINITION_SUFFIXES, _non_overlapping, applicable
from tickmig.errors import InputError
from tickmig.mappings import MappingSet
from tickmig.review.decisions import file_key
from tickmig.review.refusals import refusal_messages
from tickmig.tasks.loaddir import find_definitions
from tickmig.tasks.workspace import Workspace
from tickmig.text.edits import overlaps
from tickmig.text.source import SourceFile


@dataclass(frozen=True)
class Proposal:
    diagnostic: Diagnostic
    #: The fix's edits, sorted by file and offset; the first one's file is the proposal's.
    edits: tuple[Edit, ...]

    @property
    def path(self) -> str:
        return self.edits[0].path

    @property
    def code(self) -> str:
        return self.diagnostic.code

    @property
    def title(self) -> str:
        assert self.diagnostic.fix is not None
        return self.diagnostic.fix.title

    @property
    def paths(self) -> list[str]:
        return sorted({e.path for e in self.edits})

    def edits_in(self, path: str) -> list[Edit]:
        return [e for e in self.edits if e.path == path]


@dataclass
class ProposalSet:
    proposals: list[Proposal] = field(default_factory=list)
    #: The decoded files the proposals were computed on, by path as the engine names them.
    sources: dict[str, SourceFile] = field(default_factory=dict)
    #: sha256 of each file's bytes, by `file_key(path)`.
    hashes: dict[str, str] = field(default_factory=dict)
    input_errors: list[str] = field(default_factory=list)
    #: Per file (`file_key`), the findings that mean Kapacitor refuses its task.
    refusals: dict[str, list[str]] = field(default_factory=dict)
    unsafe_skipped: int = 0
    mappings: MappingSet | None = None


def propose(workspace: Workspace, checker: Checker, *, unsafe: bool, jobs: int = 1) -> ProposalSet:
    """Check once and turn the applicable fixes into proposals; nothing is written."""
    result = ProposalSet(mappings=checker.mappings)
    files = list(workspace.scripts)
    for directory in sorted({p for p in workspace.paths if os.path.isdir(p)}):
        files.extend(find_definitions(directory))
    for path in files:
        _take(result, workspace, path)
    run = check_paths(workspace, checker, jobs=jobs)
    result.input_errors = list(run.input_errors)
    result.refusals = refusal_messages(run.diagnostics())
    candidates = [d for d in run.diagnostics() if applicable(d, unsafe)]
    result.unsafe_skipped = sum(
        1 for d in run.diagnostics() if applicable(d, True) and not applicable(d, unsafe)
    )
    for d in _non_overlapping(candidates):
        assert d.fix is not None
        edits = tuple(sorted(d.fix.edits, key=lambda e: (e.path, e.start, e.end)))
        proposal = Proposal(d, edits)
        for path in proposal.paths:
            if path not in result.sources:  # a template outside the paths named
                _take(result, workspace, path)
        if all(p in result.sources for p in proposal.paths):
            result.proposals.append(proposal)
    result.proposals.sort(key=lambda p: (p.path, p.edits[0].start, p.edits[0].end, p.code))
    return result


def _take(result: ProposalSet, workspace: Workspace, path: str) -> None:
    """The file as the workspace read it, with the hash of its bytes (unless unreadable)."""
    if path in result.sources:
        return
    try:
        source = workspace.source(path)
    except InputError:
        return  # the check reports it
    result.sources[path] = source
    result.hashes[file_key(path)] = workspace.digests[path]


# --- showing a proposal ---------------------------------------------------------------------

_RENAMED = re.compile(r'renames "([^"]*)"(?:\."([^"]*)")?')


def drivers(proposal: Proposal, mappings: MappingSet | None) -> list[str]:
    """What in the mappings drives the change: the diagnostic's notes, and the plan's
    [[rename]] entry for a planned rename."""
    d = proposal.diagnostic
    lines = [" ".join(note.split()) for note in d.notes]
    match = _RENAMED.search(d.message)
    if mappings is not None and match is not None:
        rename = mappings.rename_for(match.group(1), match.group(2))
        if rename is not None:
            if rename.to_database is not None:
                to = rename.to_database + (
                    f"/{rename.to_retention_policy}" if rename.to_retention_policy else ""
                )
                target = f'to = "{to}"'
            else:
                target = f'bucket = "{rename.bucket}"'
            lines.append(f'[[rename]] from = "{rename.from_text}", {target} ({rename.source})')
    return lines


def within_shown(text: str, edits: Sequence[Edit], region: Edit) -> bool:
    """Whether a hand edit recorded in a decisions file stays inside what review can show for
    `edits` (the whole lines they touch) and covers them: a hand-edited decisions file must
    never apply text the user was not shown (issue 11)."""
    lo, hi = hunk_region(text, edits, [])
    start = min(e.start for e in edits)
    end = max(e.end for e in edits)
    return lo <= region.start <= start and end <= region.end <= hi


def hunk_region(text: str, edits: Sequence[Edit], others: Sequence[Edit]) -> tuple[int, int]:
    """The span to offer for editing by hand: the whole lines the edits touch in a script, or
    only the edited text (in a task definition, whose safety net wants edits inside values;
    or when those lines hold another proposal's edits too). Raises ValueError when even that
    would overlap another proposal."""
    start = min(e.start for e in edits)
    end = max(e.end for e in edits)
    line_start = text.rfind("\n", 0, start) + 1
    if end > start and text[end - 1] == "\n":
        line_end = end
    else:
        newline = text.find("\n", end)
        line_end = len(text) if newline < 0 else newline + 1
    spans = [(start, end)]
    if not edits[0].path.endswith(DEFINITION_SUFFIXES):
        spans.insert(0, (line_start, line_end))
    for lo, hi in spans:
        probe = Edit(edits[0].path, lo, hi, "")
        if not any(overlaps(probe, o) for o in others):
            return lo, hi
    raise ValueError("this change is interleaved with another proposal: answer y or n")
