"""TM004: a template's `dbrp` statements and its task definition's `dbrps`, both."""

from __future__ import annotations

from collections.abc import Iterator

from tickmig.diagnostics import Diagnostic, Severity
from tickmig.rules.base import Context, Rule


class DBRPDeclaredTwice(Rule):
    """A task gets DBRPs from the template's `dbrp` statements and from the task definition.

    ## What it does
    Reports a task definition (a load directory's `tasks/*.yaml|yml|json`) that lists `dbrps`
    for a template whose TICKscript has `dbrp` statements of its own; and a script with `dbrp`
    statements checked with `--dbrp` (which stands for `kapacitor define -dbrp`).

    ## Why is this bad?
    Kapacitor's task store refuses to define such a task: `cannot specify dbrp in both
    implicitly and explicitly`. The load directory then stops at that task, and every task
    after it is missing; a migration cannot make it right by renaming.

    ## Example
    `templates/cpu.tick`:
    ```tick templates/cpu.tick
    dbrp "telegraf"."autogen"

    var measurement string
    stream|from().measurement(measurement)
    ```
    `tasks/cpu.yaml`:
    ```yaml tasks/cpu.yaml
    template-id: cpu
    dbrps: [{db: telegraf, rp: autogen}]
    vars: {measurement: {type: string, value: cpu}}
    ```
    Use instead: remove the `dbrp` statements from the template (each task then names its
    DBRPs), or remove `dbrps` from the definitions.

    ## References
    Kapacitor `services/task_store/service.go` (handleCreateTask); the load directory is
    defined through the same API (`services/load/service.go`).
    """

    code = "TM004"
    name = "dbrp-declared-twice"
    severity = Severity.ERROR

    def check(self, ctx: Context) -> Iterator[Diagnostic]:
        task = ctx.task
        in_script = [u for u in task.dbrps if u.via == "dbrp"]
        in_definition = [u for u in task.dbrps if u.via == "task-dbrps"]
        given = [u for u in task.dbrps if u.via == "command-line"]
        if in_script and given and not in_definition:
            yield self.diagnostic(
                ctx.location(in_script[0].path, in_script[0].start, in_script[0].end),
                f"the script has dbrp statements and is defined with -dbrp "
                f"({given[0].database.var}): Kapacitor refuses the task (`cannot specify dbrp "
                "in both implicitly and explicitly`); drop one of them",
            )
            return
        if not in_script or not in_definition:
            return
        first = in_definition[0]
        statement = ctx.location(in_script[0].path, in_script[0].start, in_script[0].end)
        yield self.diagnostic(
            ctx.location(first.path, first.start, first.end),
            "the task definition lists dbrps and its template has dbrp statements: Kapacitor "
            "refuses the task (`cannot specify dbrp in both implicitly and explicitly`)",
            notes=(f"the template's dbrp statement: {statement.path}:{statement.line}",),
        )
