"""The single error type raised by DBRP mapping sources."""

from __future__ import annotations

from tickmig.errors import ConfigError


class MappingError(ConfigError):
    """A mapping source could not be read: malformed file, unreachable server, bad credentials.

    ``str(error)`` is one line, ``path:line:column: message`` when the position is known.
    It never contains a token or a password.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = " ".join(message.split())
        self.path = path
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        if self.path is None:
            return self.message
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self._render()
