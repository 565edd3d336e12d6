"""What checks produce: diagnostics with positions, fixes made of span edits, and per-file
results. Renderers (tickmig/output/) and the CLI consume these; nothing here does I/O."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    """How bad a finding is; SARIF `level` and GitHub annotation kind follow from it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(str, enum.Enum):
    """Fix safety, as in ruff: SAFE keeps the script's meaning and every comment and applies
    by default; UNSAFE needs --unsafe-fixes; DISPLAY_ONLY is shown, never applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True)
class Edit:
    """Replace `path`'s text[start:end] (0-based character offsets) with `text`."""

    path: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE


@dataclass(frozen=True)
class Location:
    """A span in a file, with its 1-based line/column (columns in characters) for reports."""

    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    message: str
    severity: Severity
    location: Location
    fix: Fix | None = None
    #: Extra lines for reports: the mapping that drives the finding, what to do, etc.
    notes: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)


@dataclass
class FileResult:
    """Everything tickmig found in one file; `error` is set when it could not be checked."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: "stream", "batch", "template", "invalid", or None when the file did not parse.
    task_type: str | None = None
    #: Source text, for renderers that show the offending line.
    source: str | None = None

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=Diagnostic.sort_key)


#: The code of an input error (a file that cannot be read or understood) shown as a finding.
INPUT_ERROR = "TM005"


@dataclass(frozen=True)
class InputProblem:
    """A file tickmig could not check (unreadable, not UTF-8, a task definition that does not
    parse or names a missing template, a path that matches nothing): exit status 2, and a
    result in every output format. `line` is None when there is no position."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column or 1}: {self.message}"

    @classmethod
    def from_text(cls, path: str, text: str) -> InputProblem:
        """From a message `path:line:column: message` or `path: message` about `path`."""
        rest = text[len(path) + 1 :] if text.startswith(path + ":") else text
        head, sep, message = rest.partition(": ")
        line, _, column = head.strip().partition(":")
        if sep and line.isdigit() and column.isdigit():
            return cls(path, message, int(line), int(column))
        return cls(path, rest.strip() if rest is not text else text)

    def diagnostic(self) -> Diagnostic:
        """The problem as a finding of rule TM005 (line 0 when there is no position)."""
        line, column = (self.line, self.column or 1) if self.line is not None else (0, 0)
        location = Location(self.path, 0, 0, line, column, line, column)
        return Diagnostic(INPUT_ERROR, "input-error", self.message, Severity.ERROR, location)
