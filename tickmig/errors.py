"""The one exception hierarchy of tickmig; the CLI turns these into messages and exit codes."""

from __future__ import annotations

from tickmig.text.spans import LineIndex


class TickmigError(Exception):
    """Base class of every error tickmig reports to the user (never a traceback)."""


class ConfigError(TickmigError):
    """Bad settings: options, pyproject/tickmig.toml, mapping sources."""


class TickSyntaxError(TickmigError):
    """A TICKscript that Kapacitor's parser would reject, with where and why.

    `offset` is a 0-based character offset into `source`; `line` and `column` are 1-based,
    the column counted in characters.
    """

    def __init__(
        self,
        message: str,
        source: str,
        offset: int,
        *,
        found: str = "",
        expected: tuple[str, ...] = (),
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.offset = offset
        self.found = found
        self.expected = expected
        self.path = path
        self.line, self.column = LineIndex(source).line_column(offset)

    def __str__(self) -> str:
        where = f"{self.path or '<input>'}:{self.line}:{self.column}"
        return f"{where}: syntax error: {self.message}"

    def excerpt(self) -> str:
        """The source line of the error with a caret under the column."""
        text = LineIndex(self.source).line_text(self.line)
        shown = text.replace("\t", " ")
        return f"  {shown}\n  {' ' * (self.column - 1)}^"

    def render(self) -> str:
        """Message, source line and caret: what the CLI prints."""
        return f"{self}\n{self.excerpt()}"


class InputError(TickmigError):
    """A file that cannot be read or decoded (missing, binary, not UTF-8, a directory...)."""

    def __init__(
        self, path: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        """`path:line:column: message`, or `path: message` when no position applies (a file
        that is missing or unreadable as a whole)."""
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column or 1}: {self.message}"
