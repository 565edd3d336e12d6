"""TM002: the task type cannot be decided (no pipeline, or both stream and batch)."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class InvalidTaskType(Rule):
    """The script starts no pipeline at `stream` or `batch`, or starts pipelines at both.

    ## What it does
    Applies Kapacitor's rule: the leftmost identifier of every top-level `var` value and
    chain statement is collected; those that are `stream` or `batch` must all agree, and
    there must be at least one.

    ## Why is this bad?
    Kapacitor infers the task type from the script and refuses the task (`invalid task
    type`). Nothing can be migrated until it is a stream or a batch task.

    ## Example
    ```tick
    var s = stream|from()
    batch|query('SELECT * FROM "db"."rp"."m"')
    ```
    Use instead: one task type per script.
    ```tick
    batch
        |query('SELECT * FROM "db"."rp"."m"')
    ```

    ## References
    Kapacitor `services/task_store/util.go` (taskTypeFromProgram).
    """

    code = "TM002"
    name = "invalid-task-type"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        task = ctx.task
        if task.type == "invalid" and not task.template:
            yield self.diagnostic(ctx.location(task.path, 0, 0), task.reason)
