"""TM001: the script does not parse."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class SyntaxErrorRule(Rule):
    """Kapacitor's parser rejects this script.

    ## What it does
    Reports the first syntax error, with the line and column where Kapacitor's parser stops,
    what it found and what it expected.

    ## Why is this bad?
    Kapacitor refuses to define or load a task whose script does not parse (`invalid
    TICKscript: parser: ...`), and tickmig cannot analyse it either.

    ## Example
    ```tick
    stream
        |from(
    ```
    Use instead:
    ```tick
    stream
        |from()
    ```

    ## References
    Kapacitor `tick/ast/parser.go`; docs.influxdata.com/kapacitor/v1/reference/tick/syntax/
    """

    code = "TM001"
    name = "syntax-error"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        return iter(())  # reported by the engine, which owns parsing
