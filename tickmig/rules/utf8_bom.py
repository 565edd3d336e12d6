"""TM117: the file starts with a UTF-8 byte order mark, which Kapacitor's lexer rejects."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class Utf8Bom(Rule):
    """The script file starts with a UTF-8 byte order mark (BOM).

    ## What it does
    Reports `.tick` files whose first bytes are EF BB BF.

    ## Why is this bad?
    Kapacitor reads the BOM as a character (U+FEFF) that starts no token:
    `unknown state, last char: '\\ufeff'`, so `kapacitor define` and the load directory
    refuse the script. tickmig parses the text after the BOM so that the rest can be checked.

    ## Example
    A file stored with a byte order mark (the `bom` after `tick` says so):
    ```tick bom
    stream
        |from()
    ```
    Use instead: the same file saved as UTF-8 without BOM.
    ```tick
    stream
        |from()
    ```

    ## References
    Kapacitor `tick/ast/lex.go` (lexToken).
    """

    code = "TM117"
    name = "utf8-bom"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        if "bom" in ctx.facts:
            yield self.diagnostic(
                ctx.location(ctx.task.path, 0, 0),
                "the file starts with a UTF-8 byte order mark, which Kapacitor rejects: save "
                "it as UTF-8 without BOM",
            )
