"""TM200: a `// TICKMIG-TODO(TMnnn): ...` comment left by `tickmig migrate --annotate`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule

TODO = re.compile(r"//\s*TICKMIG-TODO\((TM\d{3})\):?\s*(.*)")


class TodoLeft(Rule):
    """A change tickmig could not make is still waiting for a human.

    ## What it does
    Reports each `// TICKMIG-TODO(TMnnn): ...` comment, which `tickmig migrate --annotate`
    inserts above statements that need a change it cannot make.

    ## Why is this bad?
    The script is not migrated until someone makes the change and deletes the comment.

    ## Example
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        // TICKMIG-TODO(TM101): create the mapping of "scratch"."autogen" first
        |influxDBOut()
            .database('scratch')
            .retentionPolicy('autogen')
    ```
    Use instead: the change made, and the comment deleted.
    ```tick
    batch
        |query('SELECT mean("usage") FROM "telegraf"."autogen"."cpu"')
        |influxDBOut()
            .database('derived')
            .retentionPolicy('autogen')
    ```

    ## References
    `tickmig migrate --annotate`.
    """

    code = "TM200"
    name = "todo-left"
    severity = Severity.WARNING

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        text = ctx.texts[ctx.task.path]
        for match in TODO.finditer(text):
            if _in_comment(ctx, match.start()):
                yield self.diagnostic(
                    ctx.location(ctx.task.path, match.start(), match.end()),
                    f"TODO left for {match.group(1)}: {match.group(2).strip()}",
                )


def _in_comment(ctx: Context, offset: int) -> bool:
    return any(c.start <= offset < c.end for c in ctx.task.script.comments)
